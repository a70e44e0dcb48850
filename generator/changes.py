"""What changed between two scorecards: levels, scores, labs, rubric, sources and text.

`compare` is a pure function of two scored models, used by `scorecard diff` and by the change
feed; `render_markdown` writes the result for a pull request (GitHub-flavoured Markdown, every
contributor text escaped). Both sides should be scored at the same reference date, so that the
comparison shows only what the data changed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from generator import display, versions
from generator.display import ARROW, MISSING
from generator.escape import markdown_code_span, markdown_table_cell
from generator.model import Criterion, Lab
from generator.score import LabScore, Scorecard, score_dataset

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
class TakenAway:
    """Something a change removed from the record rather than added to it: a reading deleted
    instead of moved to `history`, a history entry removed or rewritten, evidence removed, a
    quote changed. A reviewer needs these whether or not a score moved."""

    lab_slug: str
    lab_name: str
    criterion_id: str
    criterion_title: str
    what: str  # words of ours; ids and dates of the data, never its free text


@dataclass(frozen=True)
class ScoreSplit:
    """A lab's score change across a methodology change, in two parts: HEAD's data read under
    BASE's methodology shows what the data changed; the rest is the methodology's."""

    lab_slug: str
    lab_name: str
    base: Decimal | None  # BASE's data under BASE's methodology
    data: Decimal | None  # HEAD's data under BASE's methodology
    head: Decimal | None  # HEAD's data under HEAD's methodology


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
    # Across a methodology change: each lab's score split into the data's part and the
    # methodology's (empty when the rubric version did not change or cannot be read across).
    split: tuple[ScoreSplit, ...] = ()
    split_note: str | None = None  # why there is no split across a version change
    taken_away: tuple[TakenAway, ...] = ()  # labs by slug, criteria in rubric order

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


def _taken_away(
    old_lab: Lab, new_lab: Lab, criteria: list[tuple[Criterion | None, Criterion | None]]
) -> list[TakenAway]:
    found = []
    for old_criterion, new_criterion in criteria:
        if old_criterion is None or new_criterion is None:
            continue
        old = old_lab.assessment(old_criterion.id)
        new = new_lab.assessment(new_criterion.id)
        for what in _what_was_taken(old, new):
            found.append(
                TakenAway(new_lab.slug, new_lab.name, new_criterion.id, new_criterion.title, what)
            )
    return found


def _what_was_taken(old: Any, new: Any) -> list[str]:
    """Readings are matched by their as_of date: a reading is the claim of one date."""
    said: list[str] = []
    kept = {state.as_of: state for state in (new.current, *new.history)}
    if old.current != new.current:
        if old.current.as_of == new.current.as_of:
            said += _evidence_taken(old.current.evidence, new.current.evidence)
        elif old.current.as_of not in kept:
            said.append(
                f"the reading of {old.current.as_of.isoformat()} ({old.current.level_id}) was "
                "deleted, not moved to history"
            )
        elif kept[old.current.as_of] != old.current:
            said.append(
                f"the reading of {old.current.as_of.isoformat()} was moved to history and rewritten"
            )
    for state in old.history:
        day = state.as_of.isoformat()
        if state.as_of not in kept:
            said.append(f"the history entry of {day} ({state.level_id}) was removed")
        elif kept[state.as_of] != state:
            said.append(f"the history entry of {day} was rewritten")
            said += [
                f"{what} (history, {day})"
                for what in _evidence_taken(state.evidence, kept[state.as_of].evidence)
            ]
    return said


def _evidence_taken(old: tuple[Any, ...], new: tuple[Any, ...]) -> list[str]:
    said = []
    for item in old:
        if item in new:
            continue
        same_source = [e for e in new if e.source_id == item.source_id]
        if not same_source:
            said.append(f"evidence from {item.source_id} was removed")
        elif item.quote is not None and all(e.quote != item.quote for e in same_source):
            said.append(f"a quote from {item.source_id} was changed or removed")
    return said


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
    criteria in rubric order (HEAD's, then criteria only BASE has), sources by id. Across a
    methodology change that HEAD's version history can read back, each lab's score change is
    also split into the data's part and the methodology's."""
    diff = _compare(base, head)
    old_version, new_version = diff.rubric_versions
    if old_version == new_version:
        return diff
    reads_as = versions.reading_of(head.dataset.rubric, old_version)
    if reads_as is None:
        note = (
            f"HEAD's version history does not say how version {new_version} reads under "
            f"{old_version}, so the change is not split into data and methodology"
        )
        return replace(diff, split_note=note)
    under = score_dataset(
        versions.read_under(head.dataset, base.dataset.rubric, reads_as), head.reference_date
    )
    before = {ls.lab.slug: ls for ls in base.labs}
    middle = {ls.lab.slug: ls for ls in under.labs}
    split = tuple(
        ScoreSplit(
            ls.lab.slug,
            ls.lab.name,
            before[ls.lab.slug].rounded if ls.lab.slug in before else None,
            middle[ls.lab.slug].rounded,
            ls.rounded,
        )
        for ls in sorted(head.labs, key=lambda ls: ls.lab.slug)
    )
    return replace(diff, split=split)


def _compare(base: Scorecard, head: Scorecard) -> ScoreDiff:
    old_labs = {s.lab.slug: s for s in base.labs}
    new_labs = {s.lab.slug: s for s in head.labs}
    criteria = _criteria_in_order(base.dataset.rubric.criteria, head.dataset.rubric.criteria)

    levels: list[LevelChange] = []
    text: list[TextChange] = []
    taken: list[TakenAway] = []
    standings: list[StandingChange] = []
    for slug in sorted(old_labs.keys() | new_labs.keys()):
        old, new = old_labs.get(slug), new_labs.get(slug)
        if old is not None and new is not None:
            levels += _level_changes(old.lab, new.lab, criteria)
            text += _text_changes(old.lab, new.lab, criteria)
            taken += _taken_away(old.lab, new.lab, criteria)
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
        taken_away=tuple(taken),
    )


def part(
    diff: ScoreDiff,
    labs: frozenset[str],
    *,
    rubric: bool = False,
    sources: bool = False,
    evaluations: bool = False,
) -> ScoreDiff:
    """The part of `diff` about the labs `labs` and, when asked, the rubric, the sources and
    the access log: the change feed uses it to credit each part to the commit that made it."""
    return replace(
        diff,
        levels=tuple(c for c in diff.levels if c.lab_slug in labs),
        standings=tuple(c for c in diff.standings if c.lab_slug in labs),
        added_labs=tuple(e for e in diff.added_labs if e.id in labs),
        removed_labs=tuple(e for e in diff.removed_labs if e.id in labs),
        text=tuple(c for c in diff.text if c.lab_slug in labs),
        taken_away=tuple(c for c in diff.taken_away if c.lab_slug in labs),
        added_criteria=diff.added_criteria if rubric else (),
        removed_criteria=diff.removed_criteria if rubric else (),
        weights=diff.weights if rubric else (),
        grades_changed=diff.grades_changed and rubric,
        rubric_versions=diff.rubric_versions if rubric else (diff.rubric_versions[1],) * 2,
        added_sources=diff.added_sources if sources else (),
        removed_sources=diff.removed_sources if sources else (),
        changed_sources=diff.changed_sources if sources else (),
        evaluations_added=diff.evaluations_added if evaluations else 0,
        evaluations_removed=diff.evaluations_removed if evaluations else 0,
    )


def lab_slugs(diff: ScoreDiff) -> frozenset[str]:
    """Every lab that `diff` mentions."""
    return frozenset(
        [c.lab_slug for c in (*diff.levels, *diff.standings, *diff.text, *diff.taken_away)]
        + [e.id for e in (*diff.added_labs, *diff.removed_labs)]
    )


# --- Markdown ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SideLabel:
    """How a side is named in the report: what the user typed, and what it turned out to be."""

    name: str  # e.g. "HEAD~1", "data"
    detail: str  # e.g. "a1b2c3d", "working tree", "folder"

    def markdown(self) -> str:
        return f"{markdown_code_span(self.name)} ({markdown_table_cell(self.detail)})"


def _level(reading: LevelReading | None) -> str:
    if reading is None:
        return MISSING
    return markdown_table_cell(display.level(reading.label, reading.level_id))


def _points(reading: LevelReading | None) -> str:
    return MISSING if reading is None else display.points(reading.points)


def _standing_cells(change: StandingChange) -> list[str]:
    def cells(standing: Standing | None) -> tuple[str, str, str]:
        if standing is None:
            return MISSING, MISSING, MISSING
        grade = MISSING if standing.grade is None else markdown_table_cell(standing.grade)
        return display.score(standing.score), str(standing.rank), grade

    old, new = cells(change.old), cells(change.new)
    name = markdown_table_cell(change.lab_name)
    if change.old is None:
        name += " (added)"
    elif change.new is None:
        name += " (removed)"
    # Both sides of an added or removed lab are shown, so "—" reads as "not there".
    if change.old is None or change.new is None:
        return [name, *(f"{a}{ARROW}{b}" for a, b in zip(old, new, strict=True))]
    return [name, *(display.change(a, b) for a, b in zip(old, new, strict=True))]


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
        parts.append(display.plural(len(diff.levels), "level") + " changed")
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
            parts.append(f"{display.plural(count, noun, many)} {verb}")
    if diff.grades_changed:
        parts.append("grade thresholds changed")
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."


def _from_to_versions(diff: ScoreDiff) -> str:
    return f"{diff.rubric_versions[0]}{ARROW}{diff.rubric_versions[1]}"


def _difference(old: Decimal | None, new: Decimal | None) -> str:
    if old is None or new is None:
        return MISSING
    return f"{new - old:+}"


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
    lines += [
        "",
        f"Scored with {dates}; rubric version {display.change(old_version, new_version)}.",
    ]

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
            f"{display.number(w.old)}{ARROW}{display.number(w.new)}"
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
            display.plural(len(diff.text), "change") + ":",
            "",
        ]
        lines += _table(
            ("Lab", "Criterion", "Changed"),
            (
                [
                    markdown_table_cell(t.lab_name),
                    MISSING
                    if t.criterion_title is None
                    else markdown_table_cell(t.criterion_title),
                    ", ".join(t.parts),  # field names of ours, not contributor text
                ]
                for t in diff.text
            ),
        )
    if diff.taken_away:
        lines += ["", "### Taken from the record", ""]
        lines += _table(
            ("Lab", "Criterion", "What"),
            (
                [
                    markdown_table_cell(t.lab_name),
                    markdown_table_cell(t.criterion_title),
                    markdown_table_cell(t.what),
                ]
                for t in diff.taken_away
            ),
        )
    if diff.split:
        lines += ["", f"### Methodology {_from_to_versions(diff)} and data", ""]
        lines.append(
            "Each lab's score change in two parts: the data's (HEAD's data read under BASE's "
            "methodology, against BASE) and the methodology's (the rest)."
        )
        lines.append("")
        lines += _table(
            ("Lab", "BASE", "HEAD's data, BASE's methodology", "HEAD", "Data", "Methodology"),
            (
                [
                    markdown_table_cell(s.lab_name),
                    display.score(s.base),
                    display.score(s.data),
                    display.score(s.head),
                    _difference(s.base, s.data),
                    _difference(s.data, s.head),
                ]
                for s in diff.split
            ),
        )
    elif diff.split_note:
        lines += ["", f"Methodology {_from_to_versions(diff)}: {diff.split_note}."]
    if diff.evaluations_added or diff.evaluations_removed:
        lines += [
            "",
            "### Access log",
            "",
            f"{display.plural(diff.evaluations_added, 'evaluation event')} added, "
            f"{diff.evaluations_removed} removed (an edited event counts as both).",
        ]
    return "\n".join(lines) + "\n"
