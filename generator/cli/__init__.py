"""The `scorecard` command: the only place with argparse, terminal output and exit codes.

Nothing imports this package (an import contract in pyproject.toml, run by the tests, says so).
Each command lives in a module of its own with `add_arguments(parser)` and `run(args) -> int`;
the table below names them, and only the module of the command being run is imported, so
`validate` and `scores` never load the site's dependencies (mkdocs, jinja2, plotly).

Exit codes (SPEC 6): 0 success, 1 invalid data or a failed build, 2 usage error; 3 means a bug.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NamedTuple, NoReturn

from generator.cli.common import report
from generator.errors import EXIT_INTERNAL, EXIT_INVALID, EXIT_USAGE, ScorecardError, UsageError
from generator.problems import one_line


class Command(NamedTuple):
    name: str
    module: str  # under generator.cli
    help: str
    # Reads the data, prints and ends: the process may skip freeing the model at exit.
    quick_exit: bool = False


COMMANDS = (
    Command("validate", "validate", "check the data folder and report every problem", True),
    Command("scores", "scores", "print the scores as a table, JSON or CSV", True),
    Command("build", "build", "validate, score and build the site"),
    Command("serve", "serve", "build, serve locally and rebuild on changes"),
    Command(
        "diff", "diff", "show how levels and scores changed between two data folders or revisions"
    ),
    Command("new-lab", "new_lab", "write a lab file with every criterion no-disclosure"),
    Command("release", "release", "validate the committed data and declare it a citable edition"),
    Command("schemas", "schemas", "write the JSON Schemas editors use beside the data"),
    Command("sources", "sources", "check that cited documents and their quotes are still online"),
    Command("migrate", "migrate", "move a data folder to the access-log 2.0 format"),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def build_parser(selected: str | None = None) -> argparse.ArgumentParser:
    """The parser; the arguments of the `selected` command only (the others are listed)."""
    parser = _Parser(
        prog="scorecard",
        description="Validate, score and publish the external-evaluation scorecard.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help, description=command.help)
        if command.name == selected:
            module = importlib.import_module(f"generator.cli.{command.module}")
            module.add_arguments(sub)
            sub.set_defaults(run=module.run)
    return parser


def _selected(argv: Sequence[str]) -> str | None:
    """The command named on the command line: the first argument that is a command's name."""
    names = {command.name for command in COMMANDS}
    for argument in argv:
        if not argument.startswith("-"):
            return argument if argument in names else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser(_selected(arguments)).parse_args(arguments)
        return args.run(args)
    except UsageError as error:
        print(f"scorecard: usage error: {one_line(str(error))}", file=sys.stderr)
        print("run `scorecard --help` for the commands and their options", file=sys.stderr)
        return EXIT_USAGE
    except ScorecardError as error:
        report(getattr(error, "problems", ()))
        print(f"scorecard: {one_line(str(error))}", file=sys.stderr)
        return error.exit_code
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


def entry() -> None:
    """The `scorecard` executable: `main`, then exit. After a command that only reads the data
    and prints, the interpreter's teardown would spend its time freeing the model value by
    value just before the process ends, so the streams are flushed and the process ends now."""
    arguments = sys.argv[1:]
    code = main(arguments)
    command = next((c for c in COMMANDS if c.name == _selected(arguments)), None)
    if command is not None and command.quick_exit:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


__all__ = ["COMMANDS", "EXIT_INVALID", "build_parser", "entry", "main"]
