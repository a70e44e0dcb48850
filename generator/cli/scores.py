"""`scorecard scores`: the scores as a terminal table, or the site's JSON and CSV downloads."""

from __future__ import annotations

import argparse
import sys

from generator import export
from generator.cli.common import add_data, validated
from generator.errors import EXIT_INVALID, EXIT_OK
from generator.score import score_dataset

FORMATS = {"table": export.to_table, "json": export.to_json, "csv": export.to_csv}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data(parser)
    parser.add_argument("--format", choices=tuple(FORMATS), default="table")


def run(args: argparse.Namespace) -> int:
    result = validated(args)
    if result.dataset is None:
        return EXIT_INVALID
    card = score_dataset(result.dataset, result.reference_date)
    sys.stdout.write(FORMATS[args.format](card))
    return EXIT_OK
