"""Reader weights (issue 15), the Python side: presets in the rubric, and scoring with other
weights exactly as the published scores are computed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from generator.score import score_dataset, with_weights
from generator.validate import validate_folder
from tests.support import FIXTURES

DAY = dt.date(2024, 6, 10)


def card_with(categories=None, criteria=None):
    result = validate_folder(FIXTURES / "access-log", latest=DAY, reference=DAY)
    dataset = result.dataset
    rubric = with_weights(dataset.rubric, categories, criteria)
    return score_dataset(replace(dataset, rubric=rubric), DAY)


def test_a_zero_weight_leaves_a_category_out() -> None:
    card = card_with({"publish": Fraction(0)})
    scores = {ls.lab.slug: ls.rounded for ls in card.labs}
    assert scores == {"lab-a": Decimal("100.0"), "lab-b": Decimal("37.5")}  # access alone


def test_a_zero_criterion_weight_leaves_the_criterion_out() -> None:
    card = card_with(None, {"access-window": Fraction(0)})
    lab_b = card.lab("lab-b")
    assert lab_b.categories[0].rounded == Decimal("50.0")  # unnamed (0.5) alone


def test_all_weights_zero_leave_no_score_and_rank_labs_by_slug() -> None:
    card = card_with({"access": Fraction(0), "publish": Fraction(0)})
    assert [(ls.lab.slug, ls.rounded, ls.grade) for ls in card.labs] == [
        ("lab-a", None, None),
        ("lab-b", None, None),
    ]


def test_a_preset_naming_an_unknown_category_is_an_error_at_its_key(data_folder, scorecard):
    rubric = (FIXTURES / "access-log" / "rubric.yaml").read_text(encoding="utf-8")
    rubric = rubric.replace(
        "grades:",
        "presets:\n  - id: x\n    title: X\n    description: Y.\n"
        "    categories: {acess: 0}\ngrades:",
        1,
    )
    data = data_folder({"rubric.yaml": rubric}, fixture="access-log")
    run = scorecard("validate", "--data", data, "--date", "2024-06-10")
    assert run.code == 1
    assert (
        "data/rubric.yaml:19:18: error: presets/0/categories/acess: the rubric has no category "
        "'acess' (did you mean 'access'?)" in run.err
    )
