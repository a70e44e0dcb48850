"""`scorecard sources check`: is every cited document still where the data says, and does it
still say what the evidence quotes? (the library: `generator.sourcecheck`)

It prints a Markdown report on stdout and writes it to each `--report` file too (JSON when
the file name ends in `.json`); progress goes to stderr. `--update` records each check in the
data's sources.yaml (`checked`, `sha256`, `check`), keeping its comments and layout.

Exit codes: 0 when every address answered directly and every quote was found; 1 when anything
needs a maintainer (a page moved, gone, refusing automated clients or failing, a quote not
found or not checkable), or the data is invalid; 2 for usage errors. This is the one command
that uses the network; nothing else in the package does.

`scorecard sources gaps` (offline) lists what the data still lacks for its sources to be
checked and found: each source without an archived copy and each evidence item citing a long
document without a locator, as `PATH:LINE:COL: notice: ...` lines; exit 0 (1 if invalid).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from generator import refdate
from generator.cli.common import add_data, report, require_folder
from generator.display import plural
from generator.errors import EXIT_INVALID, EXIT_OK, InvalidData, UsageError
from generator.sourcecheck import (
    Limits,
    check_sources,
    json_report,
    markdown,
    parse_resolve,
    recorded_fields,
)
from generator.sourcefile import update_sources
from generator.validate import Validation, validate_with_dates

MAX_TIMEOUT = 600.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = "Check the cited sources: addresses, archived copies and quotes."
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    check = actions.add_parser(
        "check",
        help="fetch every source and archived copy and look for every quote",
        description="Fetch each source's address and archived copy (bounded time, redirects "
        "and size; one request at a time per host), classify each answer as ok, redirected, "
        "gone, error or blocked, and look for every quote citing it. Prints a Markdown report; "
        "exit 0 when all is well, 1 when anything needs attention, 2 on usage errors.",
    )
    add_data(check, date=False)
    check.add_argument(
        "--only",
        nargs="+",
        action="extend",
        default=[],
        metavar="ID",
        help="check only these sources (ids in sources.yaml)",
    )
    check.add_argument(
        "--timeout",
        type=_timeout,
        default=Limits.timeout,
        metavar="S",
        help=f"seconds each request may take to answer and between reads "
        f"(default: {Limits.timeout:g})",
    )
    check.add_argument(
        "--report",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="also write the report to FILE: JSON if its name ends in .json, else Markdown "
        "(may be repeated)",
    )
    check.add_argument(
        "--resolve",
        type=parse_resolve,
        action="append",
        default=[],
        metavar="PREFIX=LOCAL",
        help="fetch addresses starting with PREFIX from LOCAL instead, e.g. "
        "https://lab.example.org=http://127.0.0.1:8123 (tests and mirrors; may be repeated)",
    )
    check.add_argument(
        "--update",
        action="store_true",
        help="record each check (checked, sha256, check) in the data's sources.yaml",
    )
    gaps = actions.add_parser(
        "gaps",
        help="list sources without an archived copy and evidence without a locator (offline)",
        description="List, as PATH:LINE:COL: notice: lines, each source without an archived "
        "copy (archive_url) and each evidence item without a locator that cites a long "
        "document (a system card, framework or government report). Uses no network; exit 0 "
        "when the data is valid.",
    )
    add_data(gaps, date=False)


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, not '{text}'") from None
    if not 0 < value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"expected more than 0 and at most {MAX_TIMEOUT:g}")
    return value


def run(args: argparse.Namespace) -> int:
    require_folder(args.data)
    if args.action == "gaps":
        return _gaps(_valid(args.data, "listed"))
    for target in args.report:
        if not target.parent.is_dir():
            raise UsageError(f"--report: the folder of '{target}' does not exist")
    data = _valid(args.data, "checked").dataset
    assert data is not None
    known = [source.id for source in data.sources]
    for source_id in args.only:
        if source_id not in known:
            close = difflib.get_close_matches(source_id, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise UsageError(f"--only: no source '{source_id}'{hint}")
    date = refdate.today_utc()
    result = check_sources(
        data,
        date=date,
        only=args.only,
        limits=Limits(timeout=args.timeout),
        resolves=args.resolve,
        progress=lambda line: print(line, file=sys.stderr, flush=True),
    )
    text = markdown(result)
    sys.stdout.write(text)
    for target in args.report:
        target.write_text(
            json_report(result) if target.suffix == ".json" else text, encoding="utf-8"
        )
    if args.update:
        path = args.data / "sources.yaml"
        changed = update_sources(
            path, {r.source.id: recorded_fields(r, date) for r in result.results}
        )
        print(f"{path}: recorded the check of {plural(len(changed), 'source')}", file=sys.stderr)
    attention = len(result.needs_attention)
    print(
        f"{plural(len(result.results), 'source')} checked: "
        + (f"{attention} need{'s' * (attention == 1)} attention" if attention else "all is well"),
        file=sys.stderr,
    )
    return EXIT_INVALID if attention else EXIT_OK


def _valid(folder: Path, verb: str) -> Validation:
    validation = validate_with_dates(folder, None)
    if validation.dataset is None:
        report(validation.errors)
        raise InvalidData(f"the data must be valid before its sources are {verb}")
    return validation


def _gaps(validation: Validation) -> int:
    for gap in validation.gaps:
        print(gap.format())
    unarchived = sum("has no archived copy" in gap.message for gap in validation.gaps)
    unplaced = len(validation.gaps) - unarchived
    print(
        f"{plural(unarchived, 'source')} without an archived copy, "
        f"{plural(unplaced, 'evidence item')} from a long document without a locator"
    )
    return EXIT_OK
