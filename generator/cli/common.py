"""What the commands share: the common options, reading the data folder, printing problems."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator import gitinfo, refdate
from generator.display import plural
from generator.errors import UsageError
from generator.problems import Problem
from generator.validate import Validation, validate_with_dates


def _date(text: str):
    try:
        return refdate.parse_cli_date(text)
    except refdate.DateError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_data(parser: argparse.ArgumentParser, *, date: bool = True) -> None:
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
            type=_date,
            metavar="YYYY-MM-DD",
            help="reference date for staleness (default: SOURCE_DATE_EPOCH, else the last "
            "commit touching the data, else the newest as_of)",
        )


# The Check workflow sets this to the pull request's base commit, so a PR's run lists the
# warnings about the files it touches and sums up the rest (`--changed` overrides it).
CHANGED_BASE_ENV = "SCORECARD_CHANGED_BASE"


def add_changed(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--changed",
        metavar="BASE",
        default=os.environ.get(CHANGED_BASE_ENV) or None,
        help="list warnings only for files changed since BASE (a branch or commit) and sum up "
        f"the others in one line; errors are always listed (default: ${CHANGED_BASE_ENV})",
    )


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("mkdocs.yml"),
        metavar="FILE",
        help="the site configuration (default: mkdocs.yml)",
    )


def add_repo_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--repo-url",
        metavar="URL",
        help="the project's GitHub repository, e.g. https://github.com/owner/scorecard "
        "(default: extra.repository in the configuration); every page links to it and to its "
        "correction form",
    )


def require_folder(data: Path) -> None:
    if not data.is_dir():
        raise UsageError(f"--data: expected a data folder, but '{data}' is not a folder")


def require_config(config: Path) -> None:
    if not config.is_file():
        raise UsageError(f"--config: expected the site configuration file, '{config}' not found")


def validated(args: argparse.Namespace, *, publishing: bool = False) -> Validation:
    """Validate the --data folder with the SPEC's dates and print its problems to stderr.
    `publishing` (build, release): a placeholder left in the data is an error."""
    require_folder(args.data)
    result = validate_with_dates(args.data, args.date, publishing=publishing)
    report(result.problems, touched=touched_files(args.data, getattr(args, "changed", None)))
    return result


def touched_files(data: Path, base: str | None) -> set[Path] | None:
    """The files changed since `base` (resolved paths), or None when every file counts."""
    if base is None:
        return None
    try:
        repo = gitinfo.toplevel(data)
        if gitinfo.resolve_commit(repo, base) is None:
            raise UsageError(
                f"--changed {base}: no such branch or commit in this repository "
                "(name the branch your change is based on, e.g. main or origin/main)"
            )
        return {(repo / name).resolve() for name in gitinfo.changed_files(repo, base)}
    except gitinfo.GitError as error:
        raise UsageError(f"--changed {base}: {error}") from None


def report(problems: Sequence[Problem], touched: set[Path] | None = None) -> None:
    """Errors first, then warnings. With `touched` (see --changed), warnings about other files
    are summed up in one line instead of listed: a contributor reads what their change did."""
    # Everything goes to stderr, annotations too (the runner reads commands from both streams):
    # stdout carries only a command's output, e.g. the JSON of `scores --format json`.
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    errors_first = [p for p in problems if p.is_error] + [p for p in problems if not p.is_error]
    shown = [
        p
        for p in errors_first
        if p.is_error or touched is None or Path(p.path).resolve() in touched
    ]
    for problem in shown:
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
    hidden = [p for p in problems if p not in shown]
    if hidden:
        files = len({p.path for p in hidden})
        print(
            f"{plural(len(hidden), 'warning')} about {plural(files, 'file')} this change does not "
            "touch, not listed (run without --changed to list them)",
            file=sys.stderr,
        )


@contextlib.contextmanager
def without_cycle_collector() -> Iterator[None]:
    """For a command that reads the data, reports and exits (validate, scores). The model is
    acyclic, so reference counting frees everything; left running, the cycle collector would
    rescan every value loaded so far, again and again, for about a sixth of the command's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
