"""`scorecard diff BASE [HEAD]` (SPEC 6): what a change to the data does to levels and scores.

BASE and HEAD are each a data folder or a git revision; HEAD defaults to the working tree's
`--data` folder. A revision's data folder (the `--data` path, taken relative to the repository
root) is read with `git archive` into a temporary folder: nothing is checked out and the index
and working tree are never touched. Both sides are validated and scored, `compare` turns the
two scorecards into a `ScoreDiff` (pure), and `render_markdown` writes it for a pull request.

Reference date: both sides are scored at the same date, so that staleness and everything else
that depends on the date is comparable and the diff shows only what the data changed. It is
`--date`, else SOURCE_DATE_EPOCH, else the HEAD side's own rule (SPEC 5): for a revision, the
date of the last commit up to it that touched the data folder (what `scorecard scores` prints
on a checkout of that revision); for a folder, the last commit touching it, else its newest
`as_of`.

Exit codes: 0 whether or not anything changed (the diff is a report), 1 when either side is
not valid data, 2 for usage errors (an argument that is neither a folder nor a revision).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from generator import gitinfo, refdate
from generator.cli import EXIT_INVALID, EXIT_OK, UsageError, _add_data, report
from generator.escape import markdown_code_span, markdown_table_cell
from generator.export import number
from generator.model import Criterion, Lab
from generator.problems import Problem
from generator.score import LabScore, Scorecard, score_dataset
from generator.validate import Validation, validate_folder

ABSENT = "—"  # the side of a change where the thing does not exist
NOT_SCORED = "n/a"  # no score, points or grade: every criterion is not-applicable
ARROW = " → "
NO_SCORE_CHANGES = "No score changes."


# --- the comparison: pure functions of two scorecards ---------------------------------------


@dataclass(frozen=True)
class LevelReading:
    level_id: str
    label: str
    points: Fraction | None  # None: not-applicable


@dataclass(frozen=True)
class LevelChange:
    """One lab's level on one criterion changed (or the criterion exists on one side only)."""

    lab_slug: str
    lab_name: str
    criterion_id: str
    criterion_title: str
    old: LevelReading | None  # None: the criterion is not in BASE's rubric
    new: LevelReading | None  # None: the criterion is not in HEAD's rubric


@dataclass(frozen=True)
class Standing:
    score: Decimal | None  # rounded, as shown and ranked
    rank: int
    grade: str | None


@dataclass(frozen=True)
class StandingChange:
    """A lab's overall score, rank or grade changed, or the lab was added or removed."""

    lab_slug: str
    lab_name: str
    old: Standing | None  # None: added
    new: Standing | None  # None: removed


@dataclass(frozen=True)
class Entry:
    """A lab, criterion or source that exists on one side only (or changed), by id and title."""

    id: str
    title: str


@dataclass(frozen=True)
class WeightChange:
    kind: str  # "category" | "criterion"
    id: str
    title: str
    old: Fraction
    new: Fraction


@dataclass(frozen=True)
class TextChange:
    """An assessment whose level stayed while its text, date or evidence changed; with no
    criterion, the lab's own details (name, website, description)."""

    lab_slug: str
    lab_name: str
    criterion_id: str | None
    criterion_title: str | None
    parts: tuple[str, ...]  # what changed, e.g. ("summary", "evidence")


@dataclass(frozen=True)
class ScoreDiff:
    base_date: dt.date
    head_date: dt.date
    rubric_versions: tuple[str, str]
    levels: tuple[LevelChange, ...]  # labs by slug, criteria in rubric order
    standings: tuple[StandingChange, ...]  # labs by slug
    added_labs: tuple[Entry, ...]
    removed_labs: tuple[Entry, ...]
    added_criteria: tuple[Entry, ...]
    removed_criteria: tuple[Entry, ...]
    weights: tuple[WeightChange, ...]
    grades_changed: bool
    added_sources: tuple[Entry, ...]
    removed_sources: tuple[Entry, ...]
    changed_sources: tuple[Entry, ...]
    text: tuple[TextChange, ...]
    evaluations_added: int
    evaluations_removed: int

    @property
    def changed_standings(self) -> tuple[StandingChange, ...]:
        """Labs on both sides whose score, rank or grade changed."""
        return tuple(s for s in self.standings if s.old is not None and s.new is not None)

    @property
    def changes_scores(self) -> bool:
        """Whether anything changed that a score, rank, grade or level depends on."""
        return bool(
            self.levels
            or self.standings
            or self.added_criteria
            or self.removed_criteria
            or self.weights
            or self.grades_changed
        )


def _reading(criterion: Criterion, lab: Lab) -> LevelReading:
    level = criterion.level(lab.assessment(criterion.id).level_id)
    return LevelReading(level.id, level.label, level.points)


def _same_level(old: LevelReading, new: LevelReading) -> bool:
    # The same level id and points: a reworded label alone is a rubric edit, not a level change.
    return (old.level_id, old.points) == (new.level_id, new.points)


def _standing(lab_score: LabScore) -> Standing:
    return Standing(lab_score.rounded, lab_score.rank, lab_score.grade)


def _criteria_in_order(
    base: tuple[Criterion, ...], head: tuple[Criterion, ...]
) -> list[tuple[Criterion | None, Criterion | None]]:
    """HEAD's criteria in its rubric order, then those only BASE has, in BASE's order."""
    old = {c.id: c for c in base}
    head_ids = {c.id for c in head}
    pairs: list[tuple[Criterion | None, Criterion | None]] = [(old.get(c.id), c) for c in head]
    pairs += [(c, None) for c in base if c.id not in head_ids]
    return pairs


def _level_changes(
    old_lab: Lab, new_lab: Lab, criteria: list[tuple[Criterion | None, Criterion | None]]
) -> list[LevelChange]:
    changes = []
    for old_criterion, new_criterion in criteria:
        old = None if old_criterion is None else _reading(old_criterion, old_lab)
        new = None if new_criterion is None else _reading(new_criterion, new_lab)
        if old and new and _same_level(old, new):
            continue
        shown = new_criterion or old_criterion
        assert shown is not None
        changes.append(LevelChange(new_lab.slug, new_lab.name, shown.id, shown.title, old, new))
    return changes


def _text_changes(
    old_lab: Lab, new_lab: Lab, criteria: list[tuple[Criterion | None, Criterion | None]]
) -> list[TextChange]:
    changes = []
    details = tuple(
        part
        for part in ("name", "website", "description")
        if getattr(old_lab, part) != getattr(new_lab, part)
    )
    if details:
        changes.append(TextChange(new_lab.slug, new_lab.name, None, None, details))
    for old_criterion, new_criterion in criteria:
        if old_criterion is None or new_criterion is None:
            continue
        if not _same_level(_reading(old_criterion, old_lab), _reading(new_criterion, new_lab)):
            continue  # a level change, reported as such
        old = old_lab.assessment(old_criterion.id)
        new = new_lab.assessment(new_criterion.id)
        parts = tuple(
            part
            for part, before, after in (
                ("as_of", old.current.as_of, new.current.as_of),
                ("summary", old.current.summary, new.current.summary),
                ("evidence", old.current.evidence, new.current.evidence),
                ("history", old.history, new.history),
            )
            if before != after
        )
        if parts:
            changes.append(
                TextChange(new_lab.slug, new_lab.name, new_criterion.id, new_criterion.title, parts)
            )
    return changes


def _added_removed(
    old: dict[str, Any], new: dict[str, Any], title: str
) -> tuple[tuple[Entry, ...], tuple[Entry, ...]]:
    added = tuple(Entry(key, getattr(new[key], title)) for key in new if key not in old)
    removed = tuple(Entry(key, getattr(old[key], title)) for key in old if key not in new)
    return added, removed


def _weight_changes(base: Scorecard, head: Scorecard) -> tuple[WeightChange, ...]:
    changes = []
    pairs: Iterable[tuple[str, dict[str, Any], dict[str, Any]]] = (
        (
            "category",
            {c.id: c for c in base.dataset.rubric.categories},
            {c.id: c for c in head.dataset.rubric.categories},
        ),
        (
            "criterion",
            {c.id: c for c in base.dataset.rubric.criteria},
            {c.id: c for c in head.dataset.rubric.criteria},
        ),
    )
    for kind, old, new in pairs:
        for key, item in new.items():
            if key in old and old[key].weight != item.weight:
                changes.append(WeightChange(kind, key, item.title, old[key].weight, item.weight))
    return tuple(changes)


def compare(base: Scorecard, head: Scorecard) -> ScoreDiff:
    """Everything that differs between two scorecards, in a stable order: labs by slug,
    criteria in rubric order (HEAD's, then criteria only BASE has), sources by id."""
    old_labs = {s.lab.slug: s for s in base.labs}
    new_labs = {s.lab.slug: s for s in head.labs}
    criteria = _criteria_in_order(base.dataset.rubric.criteria, head.dataset.rubric.criteria)

    levels: list[LevelChange] = []
    text: list[TextChange] = []
    standings: list[StandingChange] = []
    for slug in sorted(old_labs.keys() | new_labs.keys()):
        old, new = old_labs.get(slug), new_labs.get(slug)
        if old is not None and new is not None:
            levels += _level_changes(old.lab, new.lab, criteria)
            text += _text_changes(old.lab, new.lab, criteria)
            if _standing(old) != _standing(new):
                standings.append(StandingChange(slug, new.lab.name, _standing(old), _standing(new)))
        elif new is not None:
            standings.append(StandingChange(slug, new.lab.name, None, _standing(new)))
        elif old is not None:
            standings.append(StandingChange(slug, old.lab.name, _standing(old), None))

    added_labs, removed_labs = _added_removed(
        {slug: old_labs[slug].lab for slug in sorted(old_labs)},
        {slug: new_labs[slug].lab for slug in sorted(new_labs)},
        "name",
    )
    added_criteria, removed_criteria = _added_removed(
        {c.id: c for c in base.dataset.rubric.criteria},
        {c.id: c for c in head.dataset.rubric.criteria},
        "title",
    )
    old_sources = {s.id: s for s in sorted(base.dataset.sources, key=lambda s: s.id)}
    new_sources = {s.id: s for s in sorted(head.dataset.sources, key=lambda s: s.id)}
    added_sources, removed_sources = _added_removed(old_sources, new_sources, "title")
    changed_sources = tuple(
        Entry(key, source.title)
        for key, source in new_sources.items()
        if key in old_sources and old_sources[key] != source
    )
    old_events = Counter(base.dataset.evaluations)
    new_events = Counter(head.dataset.evaluations)
    return ScoreDiff(
        base_date=base.reference_date,
        head_date=head.reference_date,
        rubric_versions=(base.dataset.rubric.version, head.dataset.rubric.version),
        levels=tuple(levels),
        standings=tuple(standings),
        added_labs=added_labs,
        removed_labs=removed_labs,
        added_criteria=added_criteria,
        removed_criteria=removed_criteria,
        weights=_weight_changes(base, head),
        grades_changed=base.dataset.rubric.grades != head.dataset.rubric.grades,
        added_sources=added_sources,
        removed_sources=removed_sources,
        changed_sources=changed_sources,
        text=tuple(text),
        evaluations_added=(new_events - old_events).total(),
        evaluations_removed=(old_events - new_events).total(),
    )


# --- Markdown ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SideLabel:
    """How a side is named in the report: what the user typed, and what it turned out to be."""

    name: str  # e.g. "HEAD~1", "data"
    detail: str  # e.g. "a1b2c3d", "working tree", "folder"

    def markdown(self) -> str:
        return f"{markdown_code_span(self.name)} ({markdown_table_cell(self.detail)})"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _value(value: Fraction | Decimal | str | int | None) -> str:
    if value is None:
        return NOT_SCORED
    if isinstance(value, Fraction):
        return str(number(value))
    if isinstance(value, Decimal):
        return str(value)  # already rounded to one decimal place
    return markdown_table_cell(value)


def _from_to(old: str, new: str) -> str:
    return old if old == new else f"{old}{ARROW}{new}"


def _level(reading: LevelReading | None) -> str:
    if reading is None:
        return ABSENT
    return f"{markdown_table_cell(reading.label)} ({markdown_table_cell(reading.level_id)})"


def _points(reading: LevelReading | None) -> str:
    return ABSENT if reading is None else _value(reading.points)


def _standing_cells(change: StandingChange) -> list[str]:
    def cells(standing: Standing | None) -> tuple[str, str, str]:
        if standing is None:
            return ABSENT, ABSENT, ABSENT
        return _value(standing.score), str(standing.rank), _value(standing.grade)

    old, new = cells(change.old), cells(change.new)
    name = markdown_table_cell(change.lab_name)
    if change.old is None:
        name += " (added)"
    elif change.new is None:
        name += " (removed)"
    # Both sides of an added or removed lab are shown, so "—" reads as "not there".
    if change.old is None or change.new is None:
        return [name, *(f"{a}{ARROW}{b}" for a, b in zip(old, new, strict=True))]
    return [name, *(_from_to(a, b) for a, b in zip(old, new, strict=True))]


def _table(header: tuple[str, ...], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _entries(label: str, entries: tuple[Entry, ...]) -> list[str]:
    # The id (a slug) comes first, so no title can start a list item with block syntax.
    return [f"- {label} {markdown_code_span(e.id)} {markdown_table_cell(e.title)}" for e in entries]


def summary_line(diff: ScoreDiff) -> str:
    if not diff.changes_scores:
        return NO_SCORE_CHANGES
    parts = []
    if diff.levels:
        parts.append(_plural(len(diff.levels), "level") + " changed")
    if diff.changed_standings:
        count = len(diff.changed_standings)
        parts.append(
            f"{count} lab's score, rank or grade changed"
            if count == 1
            else f"{count} labs' scores, ranks or grades changed"
        )
    for count, what in (
        (len(diff.added_labs), "lab added"),
        (len(diff.removed_labs), "lab removed"),
        (len(diff.added_criteria), "criterion added"),
        (len(diff.removed_criteria), "criterion removed"),
        (len(diff.weights), "weight changed"),
    ):
        if count:
            noun, verb = what.split(" ")
            many = "criteria" if noun == "criterion" else None
            parts.append(f"{_plural(count, noun, many)} {verb}")
    if diff.grades_changed:
        parts.append("grade thresholds changed")
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."


def render_markdown(diff: ScoreDiff, base: SideLabel, head: SideLabel) -> str:
    """The report for a pull request: every changed level and score, then everything else that
    changed. Contributor text is escaped for GitHub-flavoured Markdown; labels are code spans."""
    lines = [f"## Score diff: {base.markdown()}{ARROW}{head.markdown()}", "", summary_line(diff)]
    dates = (
        f"reference date {diff.head_date.isoformat()} on both sides"
        if diff.base_date == diff.head_date
        else f"reference dates {diff.base_date.isoformat()}{ARROW}{diff.head_date.isoformat()}"
    )
    old_version, new_version = diff.rubric_versions
    lines += ["", f"Scored with {dates}; rubric version {_from_to(old_version, new_version)}."]

    if diff.standings:
        lines += ["", "### Scores", ""]
        lines += _table(("Lab", "Score", "Rank", "Grade"), map(_standing_cells, diff.standings))
    if diff.levels:
        lines += ["", "### Levels", ""]
        lines += _table(
            ("Lab", "Criterion", "Level", "Points"),
            (
                [
                    markdown_table_cell(c.lab_name),
                    markdown_table_cell(c.criterion_title),
                    f"{_level(c.old)}{ARROW}{_level(c.new)}",
                    f"{_points(c.old)}{ARROW}{_points(c.new)}",
                ]
                for c in diff.levels
            ),
        )
    labs = _entries("added:", diff.added_labs) + _entries("removed:", diff.removed_labs)
    if labs:
        lines += ["", "### Labs", "", *labs]
    criteria = _entries("added:", diff.added_criteria) + _entries("removed:", diff.removed_criteria)
    if criteria:
        lines += ["", "### Criteria", "", *criteria]
    if diff.weights or diff.grades_changed:
        lines += ["", "### Rubric", ""]
        lines += [
            f"- {w.kind} {markdown_code_span(w.id)} {markdown_table_cell(w.title)}: weight "
            f"{_value(w.old)}{ARROW}{_value(w.new)}"
            for w in diff.weights
        ]
        if diff.grades_changed:
            lines.append("- the grade thresholds changed")
    sources = (
        _entries("added:", diff.added_sources)
        + _entries("removed:", diff.removed_sources)
        + _entries("changed:", diff.changed_sources)
    )
    if sources:
        lines += ["", "### Sources", "", *sources]
    if diff.text:
        lines += [
            "",
            "### Text or evidence changed without a level change",
            "",
            _plural(len(diff.text), "change") + ":",
            "",
        ]
        lines += _table(
            ("Lab", "Criterion", "Changed"),
            (
                [
                    markdown_table_cell(t.lab_name),
                    ABSENT if t.criterion_title is None else markdown_table_cell(t.criterion_title),
                    ", ".join(t.parts),  # field names of ours, not contributor text
                ]
                for t in diff.text
            ),
        )
    if diff.evaluations_added or diff.evaluations_removed:
        lines += [
            "",
            "### Access log",
            "",
            f"{_plural(diff.evaluations_added, 'evaluation event')} added, "
            f"{diff.evaluations_removed} removed (an edited event counts as both).",
        ]
    return "\n".join(lines) + "\n"


# --- the command ------------------------------------------------------------------------------


class DiffUsage(Exception):
    """An argument names neither a data folder nor a usable git revision. Exit 2."""


class SideInvalid(Exception):
    """A side cannot be read as data (e.g. its revision holds a link). Exit 1."""


@dataclass(frozen=True)
class Side:
    role: str  # "BASE" or "HEAD"
    label: SideLabel
    folder: Path
    commit: str | None = None  # for a revision
    # For a revision: the temporary folder's path and what to show instead in problems
    # (git's own REV:PATH notation, which `git show` accepts).
    extracted: tuple[str, str] | None = None

    def describe(self) -> str:
        return f"{self.role} ({self.label.name}, {self.label.detail})"

    def shown(self, validation: Validation) -> tuple[Problem, ...]:
        """The validation's problems with temporary paths replaced by REV:PATH."""
        if self.extracted is None:
            return validation.problems
        temporary, shown = self.extracted
        return tuple(
            replace(p, path=shown + p.path[len(temporary) :]) if p.path.startswith(temporary) else p
            for p in validation.problems
        )


@dataclass(frozen=True)
class Repository:
    root: Path
    data_path: str  # the --data folder relative to the root, with forward slashes


def find_repository(data: Path) -> Repository | None:
    """The repository the --data folder is in, and the folder's path inside it (it need not
    exist in the working tree). None outside a repository."""
    located = gitinfo.locate(data)
    return None if located is None else Repository(*located)


def open_side(
    role: str,
    argument: str,
    data: Path,
    repository: Repository | None,
    stack: contextlib.ExitStack,
) -> Side:
    """A folder as it is, or a revision's data folder extracted into a temporary folder that
    lives as long as `stack`."""
    if Path(argument).is_dir():
        return Side(role, SideLabel(argument, "folder"), Path(argument))
    expected = f"{role}: expected a data folder or a git revision, but '{argument}' is neither"
    if repository is None:
        raise DiffUsage(f"{expected} (and '{data}' is not in a git repository)")
    commit = gitinfo.resolve_commit(repository.root, argument)
    if commit is None:
        raise DiffUsage(expected)
    label = SideLabel(argument, gitinfo.short_id(repository.root, commit))
    temporary = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="scorecard-diff-")))
    try:
        folder = gitinfo.extract_path(repository.root, commit, repository.data_path, temporary)
    except gitinfo.UnsafeArchive as error:
        raise SideInvalid(f"{role} ({argument}, {label.detail}): {error}") from None
    except gitinfo.GitError:
        raise DiffUsage(
            f"{role}: revision '{argument}' has no data folder '{repository.data_path}'"
        ) from None
    if not folder.is_dir():
        raise DiffUsage(
            f"{role}: at revision '{argument}', '{repository.data_path}' is not a folder"
        )
    shown = f"{argument}:{repository.data_path}"
    return Side(role, label, folder, commit, (str(folder), shown))


def head_reference_date(head: Side, repository: Repository | None) -> dt.date | None:
    """HEAD's own reference date when none was given (None: its newest as_of)."""
    if head.commit is not None and repository is not None:
        commit = gitinfo.last_commit_at(repository.root, head.commit, repository.data_path)
        return commit.date if commit else None
    return refdate.last_commit_date(head.folder)


def register(commands: Any) -> None:
    p = commands.add_parser(
        "diff",
        help="show how levels and scores changed between two data folders or git revisions",
        description="Print a Markdown report of every changed level and score from BASE to "
        "HEAD. Each is a data folder or a git revision (whose --data folder is read from git "
        "without touching the working tree); HEAD defaults to the --data folder as it is now.",
    )
    p.add_argument("base", metavar="BASE", help="a data folder or a git revision")
    p.add_argument(
        "head",
        metavar="HEAD",
        nargs="?",
        help="a data folder or a git revision (default: the --data folder as it is now)",
    )
    _add_data(p)
    p.set_defaults(run=cmd_diff)


def cmd_diff(args: argparse.Namespace) -> int:
    try:
        with contextlib.ExitStack() as stack:  # removes the extracted revisions at the end
            return run_diff(args, stack)
    except DiffUsage as error:
        raise UsageError(str(error)) from None


def run_diff(args: argparse.Namespace, stack: contextlib.ExitStack) -> int:
    needs_git = any(
        argument is not None and not Path(argument).is_dir() for argument in (args.base, args.head)
    )
    repository = find_repository(args.data) if needs_git else None
    try:
        base = open_side("BASE", args.base, args.data, repository, stack)
        if args.head is None:
            if not args.data.is_dir():
                raise DiffUsage(
                    f"--data: expected a data folder, but '{args.data}' is not a folder "
                    "(give HEAD to compare with a revision instead)"
                )
            head = Side("HEAD", SideLabel(str(args.data), "working tree"), args.data)
        else:
            head = open_side("HEAD", args.head, args.data, repository, stack)
    except SideInvalid as error:
        print(f"scorecard diff: {error}", file=sys.stderr)
        return EXIT_INVALID

    given = refdate.given_date(args.date)
    latest = given or refdate.today_utc()
    reference = given or head_reference_date(head, repository)
    head_result = validate_folder(head.folder, latest=latest, reference=reference)
    base_result = validate_folder(base.folder, latest=latest, reference=head_result.reference_date)
    for side, result in ((base, base_result), (head, head_result)):
        if result.dataset is None:
            print(f"scorecard diff: {side.describe()} is not valid data:", file=sys.stderr)
            report(side.shown(result))
    if base_result.dataset is None or head_result.dataset is None:
        return EXIT_INVALID

    date = head_result.reference_date
    diff = compare(
        score_dataset(base_result.dataset, date), score_dataset(head_result.dataset, date)
    )
    sys.stdout.write(render_markdown(diff, base.label, head.label))
    return EXIT_OK
