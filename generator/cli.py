"""The `scorecard` command: parse arguments, call the library, map outcomes to exit codes.

Exit codes (SPEC 6): 0 success, 1 invalid data (or a failed build), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from generator import refdate
from generator.problems import Problem
from generator.validate import Validation, validate_with_dates

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """The command line itself is wrong: exit 2 with the message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _date_arg(text: str) -> dt.date:
    try:
        return refdate.parse_cli_date(text)
    except refdate.DateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _add_data(parser: argparse.ArgumentParser, *, date: bool = True) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("data"),
        metavar="DIR",
        help="the data folder (default: data)",
    )
    if date:
        parser.add_argument(
            "--date",
            type=_date_arg,
            metavar="YYYY-MM-DD",
            help="reference date for staleness (default: SOURCE_DATE_EPOCH, else the last "
            "commit touching the data, else the newest as_of)",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="scorecard",
        description="Validate, score and publish the external-evaluation scorecard.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    p = commands.add_parser("validate", help="check the data folder and report every problem")
    _add_data(p)
    p.set_defaults(run=cmd_validate)

    p = commands.add_parser("scores", help="print the scores")
    _add_data(p)
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(run=cmd_scores)

    p = commands.add_parser("new-lab", help="write a lab file with every criterion no-disclosure")
    p.add_argument("slug", metavar="SLUG", help="the lab's slug, e.g. example-lab")
    p.add_argument("--name", required=True, help="the lab's name as shown on the site")
    _add_data(p)
    p.set_defaults(run=cmd_new_lab)

    for register in _EXTRA_COMMANDS:
        register(commands)
    return parser


# Commands defined in other modules add themselves here (build, serve, diff), keeping this
# module free of their dependencies.
_EXTRA_COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def _require_folder(data: Path) -> None:
    if not data.is_dir():
        raise UsageError(f"--data: expected a data folder, but '{data}' is not a folder")


def run_validation(args: argparse.Namespace) -> Validation:
    """Validate the folder given by --data and print its problems to stderr."""
    _require_folder(args.data)
    result = validate_with_dates(args.data, args.date)
    report(result.problems)
    return result


def report(problems: Sequence[Problem]) -> None:
    # Everything goes to stderr, annotations too (the runner reads commands from both streams):
    # stdout carries only a command's output, e.g. the JSON of `scores --format json`.
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem.format(), file=sys.stderr)
        if annotate:
            print(problem.annotation(), file=sys.stderr)
    errors = sum(p.is_error for p in problems)
    if errors:
        files = len({p.path for p in problems if p.is_error})
        print(
            f"{errors} error{'s' * (errors != 1)} in {files} file{'s' * (files != 1)}; "
            "nothing was written",
            file=sys.stderr,
        )


def cmd_validate(args: argparse.Namespace) -> int:
    result = run_validation(args)
    if result.dataset is None:
        return EXIT_INVALID
    data = result.dataset
    warnings = len(result.warnings)
    print(
        f"{args.data}: valid: {len(data.labs)} labs, {len(data.rubric.criteria)} criteria, "
        f"{len(data.sources)} sources, {len(data.evaluations)} evaluation events "
        f"(reference date {result.reference_date.isoformat()}"
        + (f"; {warnings} warning{'s' * (warnings != 1)})" if warnings else ")")
    )
    return EXIT_OK


def cmd_scores(args: argparse.Namespace) -> int:
    from generator import export
    from generator.score import score_dataset

    result = run_validation(args)
    if result.dataset is None:
        return EXIT_INVALID
    card = score_dataset(result.dataset, result.reference_date)
    render = {"table": export.to_table, "json": export.to_json, "csv": export.to_csv}[args.format]
    sys.stdout.write(render(card))
    return EXIT_OK


def cmd_new_lab(args: argparse.Namespace) -> int:
    from generator import newlab

    _require_folder(args.data)
    try:
        return newlab.run(args.data, args.slug, args.name, args.date)
    except newlab.NewLabUsage as error:
        raise UsageError(str(error)) from None


def main(argv: Sequence[str] | None = None) -> int:
    _load_extra_commands()
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return args.run(args)
    except UsageError as error:
        print(f"scorecard: usage error: {error}", file=sys.stderr)
        print("run `scorecard --help` for the commands and their options", file=sys.stderr)
        return EXIT_USAGE
    except refdate.DateError as error:
        print(f"scorecard: usage error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug, never the data's fault: say so in one line
        if os.environ.get("SCORECARD_DEBUG"):
            raise
        print(
            f"scorecard: internal error: {type(error).__name__}: {error} "
            "(please report it; set SCORECARD_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _load_extra_commands() -> None:
    """Import the modules that register the site and history commands (once). They are
    imported here, not at the top, so `validate` and `scores` never load mkdocs or plotly."""
    if _EXTRA_COMMANDS:
        return
    from generator import diff, editions, serve, site

    _EXTRA_COMMANDS.extend([site.register, serve.register, diff.register, editions.register])


if __name__ == "__main__":
    sys.exit(main())
