"""`scorecard scores`: the scores as a terminal table, or the site's JSON and CSV downloads."""

from __future__ import annotations

import argparse
import sys

from generator import export
from generator.cli.common import add_data, validated, without_cycle_collector
from generator.errors import EXIT_INVALID, EXIT_OK
from generator.score import score_dataset

FORMATS = {"table": export.to_table, "json": export.to_json, "csv": export.to_csv}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data(parser)
    parser.add_argument("--format", choices=tuple(FORMATS), default="table")


def run(args: argparse.Namespace) -> int:
    with without_cycle_collector():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    result = validated(args)
    if result.dataset is None:
        return EXIT_INVALID
    card = score_dataset(result.dataset, result.reference_date)
    del result  # the files as read: their memory is reused for the export
    output = FORMATS[args.format](card)
    if isinstance(output, bytes):  # the JSON, as the download's bytes
        stream = getattr(sys.stdout, "buffer", None)
        if stream is not None:
            sys.stdout.flush()
            stream.write(output)
            stream.flush()
            return EXIT_OK
        output = output.decode("utf-8")
    sys.stdout.write(output)
    return EXIT_OK
