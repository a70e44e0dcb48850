"""`scorecard diff BASE [HEAD]` (SPEC 6): what a change to the data does to levels and scores.

BASE and HEAD are each a data folder or a git revision; HEAD defaults to the working tree's
`--data` folder. A revision's data folder (the `--data` path, taken relative to the repository
root) is read from git by `generator.revisions`, without touching the working tree.

Reference date: both sides are scored at the same date, so that staleness and everything else
that depends on the date is comparable and the diff shows only what the data changed. It is
`--date`, else SOURCE_DATE_EPOCH, else the HEAD side's own (SPEC 5): for a revision, the date of
the last commit up to it that touched the data folder; for a folder, the last commit touching
it, else its newest `as_of`.

Exit codes: 0 whether or not anything changed (the diff is a report), 1 when either side is
not valid data, 2 for usage errors (an argument that is neither a folder nor a revision).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from generator import refdate
from generator.changes import SideLabel, compare, render_markdown
from generator.cli.common import add_data, report
from generator.errors import EXIT_INVALID, EXIT_OK, UsageError
from generator.model import Dataset
from generator.problems import Problem
from generator.revisions import Repository, open_revision
from generator.score import score_dataset
from generator.validate import FileCache, validate_folder


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Print a Markdown report of every changed level and score from BASE to HEAD. Each is a "
        "data folder or a git revision (whose --data folder is read from git without touching "
        "the working tree); HEAD defaults to the --data folder as it is now."
    )
    parser.add_argument("base", metavar="BASE", help="a data folder or a git revision")
    parser.add_argument(
        "head",
        metavar="HEAD",
        nargs="?",
        help="a data folder or a git revision (default: the --data folder as it is now)",
    )
    add_data(parser)


@dataclass(frozen=True)
class Side:
    role: str  # "BASE" or "HEAD"
    label: SideLabel
    folder: Path | None = None  # a data folder, validated here
    dataset: Dataset | None = None  # a revision's data, validated by generator.revisions
    problems: tuple[Problem, ...] = ()
    date: dt.date | None = None  # a revision's own reference date

    def describe(self) -> str:
        return f"{self.role} ({self.label.name}, {self.label.detail})"


def open_side(role: str, argument: str, data: Path, repository: Repository | None) -> Side:
    if Path(argument).is_dir():
        return Side(role, SideLabel(argument, "folder"), folder=Path(argument))
    snapshot = open_revision(repository, argument, role, data)
    assert repository is not None
    # Problems name files in git's own REV:PATH notation, which `git show` accepts.
    prefix = f"{argument}:{repository.data_path.rstrip('/')}/"
    problems = tuple(replace(p, path=prefix + p.path) for p in snapshot.problems)
    label = SideLabel(argument, repository.short(snapshot.commit))
    return Side(role, label, dataset=snapshot.dataset, problems=problems, date=snapshot.date)


def run(args: argparse.Namespace) -> int:
    needs_git = any(
        argument is not None and not Path(argument).is_dir() for argument in (args.base, args.head)
    )
    cache = FileCache()  # a file both sides hold unchanged is read once
    repository = Repository.of(args.data, files=cache) if needs_git else None
    base = open_side("BASE", args.base, args.data, repository)
    if args.head is None:
        if not args.data.is_dir():
            raise UsageError(
                f"--data: expected a data folder, but '{args.data}' is not a folder "
                "(give HEAD to compare with a revision instead)"
            )
        head = Side("HEAD", SideLabel(str(args.data), "working tree"), folder=args.data)
    else:
        head = open_side("HEAD", args.head, args.data, repository)

    given = refdate.given_date(args.date)
    latest = given or refdate.today_utc()
    own = head.date or (refdate.last_commit_date(head.folder) if head.folder else None)
    head = _validated(head, latest, given or own, cache)
    date = given or head.date
    base = _validated(base, latest, date, cache)
    for side in (base, head):
        if side.dataset is None:
            print(f"scorecard diff: {side.describe()} is not valid data:", file=sys.stderr)
            report(side.problems)
    if base.dataset is None or head.dataset is None:
        return EXIT_INVALID
    assert date is not None
    diff = compare(score_dataset(base.dataset, date), score_dataset(head.dataset, date))
    sys.stdout.write(render_markdown(diff, base.label, head.label))
    return EXIT_OK


def _validated(side: Side, latest: dt.date, reference: dt.date | None, cache: FileCache) -> Side:
    """A folder side validated (a revision side is already); its date is its reference date."""
    if side.folder is None:
        return side
    result = validate_folder(side.folder, latest=latest, reference=reference, cache=cache)
    errors = tuple(p for p in result.problems if p.is_error)
    return replace(side, dataset=result.dataset, problems=errors, date=result.reference_date)
