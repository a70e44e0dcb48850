"""A lab's score over real-world time, from the assessments' `as_of` dates and `history`.

The dates are those the evidence describes (what the lab had done by then), not when anyone
typed them. Before a criterion's first recorded reading it counts as no-disclosure, as silence
does today. Scores are recomputed with the same weights and rounding as the current score, for
the rubric in force now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from generator.kept import Memo
from generator.model import NO_DISCLOSURE, Criterion, Lab, Rubric, State
from generator.score import category_formula, overall_formula, round_score


@dataclass(frozen=True)
class Change:
    """One criterion moving from one reading to the next."""

    date: dt.date
    criterion: Criterion
    old: State | None  # None: the first recorded reading
    new: State


@dataclass(frozen=True)
class ScorePoint:
    date: dt.date
    score: Decimal | None  # rounded; None when no criterion applies


def changes(lab: Lab, rubric: Rubric) -> list[Change]:
    """Every reading of every criterion, oldest first, paired with the reading before it."""
    order = {c.id: i for i, c in enumerate(rubric.criteria)}
    out: list[Change] = []
    for assessment in lab.assessments:
        criterion = rubric.criterion(assessment.criterion_id)
        states = [*reversed(assessment.history), assessment.current]
        previous: State | None = None
        for state in states:
            out.append(Change(state.as_of, criterion, previous, state))
            previous = state
    out.sort(key=lambda c: (c.date, order[c.criterion.id]))
    return out


def level_changes(lab: Lab, rubric: Rubric) -> list[Change]:
    """The changes that moved a level (a first reading counts when it is not no-disclosure)."""
    return [
        c
        for c in changes(lab, rubric)
        if (c.old.level_id if c.old else NO_DISCLOSURE) != c.new.level_id
    ]


# Timelines by everything they are computed from: the rubric, and each reading's criterion,
# date and level. `scorecard serve` asks for every lab's after each edit, and an edit changes
# one lab.
_TIMELINES: Memo[tuple[Any, ...], tuple[ScorePoint, ...]] = Memo()


def score_timeline(lab: Lab, rubric: Rubric) -> list[ScorePoint]:
    """The overall score after each date on which some reading changed, oldest first."""
    key = (
        rubric,
        tuple(
            (a.criterion_id, tuple((s.as_of, s.level_id) for s in (a.current, *a.history)))
            for a in lab.assessments
        ),
    )
    return list(_TIMELINES.get(key, lambda: tuple(_score_timeline(lab, rubric))))


def _score_timeline(lab: Lab, rubric: Rubric) -> list[ScorePoint]:
    """Kept incremental (one criterion updated per change) so long histories stay cheap."""
    points: dict[str, Fraction | None] = {c.id: Fraction(0) for c in rubric.criteria}
    timeline: list[ScorePoint] = []
    by_date: dict[dt.date, list[Change]] = {}
    for change in changes(lab, rubric):
        by_date.setdefault(change.date, []).append(change)
    for date in sorted(by_date):
        for change in by_date[date]:
            points[change.criterion.id] = change.criterion.level(change.new.level_id).points
        score = _overall(rubric, points)
        rounded = None if score is None else round_score(score)
        if not timeline or timeline[-1].score != rounded:
            timeline.append(ScorePoint(date, rounded))
    return timeline


def _overall(rubric: Rubric, points: dict[str, Fraction | None]) -> Fraction | None:
    return overall_formula(
        (category.weight, category_formula((c.weight, points[c.id]) for c in category.criteria))
        for category in rubric.categories
    )
