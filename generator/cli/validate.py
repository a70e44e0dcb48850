"""`scorecard validate` (SPEC 4): every problem as PATH:LINE:COL, a one-line summary if valid."""

from __future__ import annotations

import argparse

from generator.cli.common import add_changed, add_data, validated, without_cycle_collector
from generator.display import plural
from generator.errors import EXIT_INVALID, EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_data(parser)
    add_changed(parser)


def run(args: argparse.Namespace) -> int:
    with without_cycle_collector():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    result = validated(args)
    if result.dataset is None:
        return EXIT_INVALID
    data = result.dataset
    warnings = len(result.warnings)
    print(
        f"{args.data}: valid: {plural(len(data.labs), 'lab')}, "
        f"{plural(len(data.rubric.criteria), 'criterion', 'criteria')}, "
        f"{plural(len(data.sources), 'source')}, "
        f"{plural(len(data.evaluations), 'evaluation event')} "
        f"(reference date {result.reference_date.isoformat()}"
        + (f"; {plural(warnings, 'warning')})" if warnings else ")")
    )
    return EXIT_OK
