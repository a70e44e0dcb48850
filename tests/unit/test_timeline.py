"""Score history: levels and scores over the dates the evidence describes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from generator.timeline import level_changes, score_timeline
from generator.validate import validate_folder
from tests.support import FIXTURES

DAY = dt.date(2024, 6, 1)


@pytest.fixture(scope="module")
def dataset():
    result = validate_folder(FIXTURES / "minimal", latest=DAY, reference=DAY)
    assert result.dataset is not None
    return result.dataset


def test_the_timeline_recomputes_the_score_after_each_dated_reading(dataset) -> None:
    # 2023-06-01: only pre-deployment is recorded (none); the rest count as no-disclosure: 0.
    # 2024-02-01: full (1, w2), none (0, w1) -> access 66.67; weak 0.25 -> commitments 25;
    # overall (3 x 66.67 + 1 x 25) / 4 = 56.25 -> 56.3.
    timeline = score_timeline(dataset.lab("lab-a"), dataset.rubric)
    assert [(p.date.isoformat(), p.score) for p in timeline] == [
        ("2023-06-01", Decimal("0.0")),
        ("2024-02-01", Decimal("56.3")),
    ]


def test_the_last_point_of_the_timeline_is_the_current_score(dataset) -> None:
    from generator.score import score_dataset

    card = score_dataset(dataset, DAY)
    for ls in card.labs:
        assert score_timeline(ls.lab, dataset.rubric)[-1].score == ls.rounded


def test_level_changes_pair_each_reading_with_the_one_before(dataset) -> None:
    changes = level_changes(dataset.lab("lab-a"), dataset.rubric)
    moved = [(c.criterion.id, c.old.level_id if c.old else None, c.new.level_id) for c in changes]
    assert ("pre-deployment", "none", "full") in moved
    assert ("pre-deployment", None, "none") in moved
    # lab-b's no-disclosure first reading is not a change of level
    lab_b = [c.criterion.id for c in level_changes(dataset.lab("lab-b"), dataset.rubric)]
    assert "framework" not in lab_b
