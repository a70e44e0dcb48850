"""Scoring (SPEC 5): unit tests on model objects, then golden files for the scoring fixture.

The golden files are regenerated with `make golden`;
the numbers in them are checked here against arithmetic done by hand, so a regenerated golden
file cannot quietly accept a wrong score.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

import pytest

from generator.model import Grade, build_dataset, exact
from generator.score import (
    category_score,
    grade_for,
    is_stale,
    overall_score,
    round_score,
    score_dataset,
    weighted_mean,
)
from tests.support import DATE, FIXTURES, check_golden

REFERENCE = dt.date(2024, 6, 1)

# --- rounding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exact_value", "shown"),
    [
        (Fraction(1225, 100), "12.3"),  # banker's rounding would give 12.2
        (Fraction(5, 100), "0.1"),  # ... and 0.0
        (Fraction(25, 100), "0.3"),  # ... and 0.2
        (Fraction(5625, 100), "56.3"),  # ... and 56.2
        (Fraction(15, 100), "0.2"),
        (Fraction(200, 3), "66.7"),
        (Fraction(100, 3), "33.3"),
        (Fraction(4999, 100000), "0.0"),  # just below a half: down
        (Fraction(5001, 100000), "0.1"),
        (Fraction(1199, 20), "60.0"),  # 59.95
        (Fraction(100), "100.0"),
        (Fraction(0), "0.0"),
        (Fraction(-5, 100), "-0.1"),  # away from zero, on both sides
        (Fraction(-1225, 100), "-12.3"),
    ],
)
def test_round_score_rounds_half_away_from_zero_to_one_decimal(exact_value, shown):
    rounded = round_score(exact_value)
    assert str(rounded) == shown
    assert rounded.as_tuple().exponent == -1


def test_round_score_differs_from_bankers_rounding_on_a_half():
    assert Decimal("12.25").quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN) == Decimal("12.2")
    assert round(12.25, 1) == 12.2  # what float rounding would have printed
    assert round_score(Fraction(1225, 100)) == Decimal("12.3")


def test_round_score_decides_on_the_exact_value_not_a_float():
    # The float 1.15 is stored as 1.149999..., which float rounding takes down; 0.1 + 0.05 as
    # floats is 0.15000000000000002. As Fractions both are exact halves and go up.
    assert round(1.15, 1) == 1.1
    assert round_score(Fraction(115, 100)) == Decimal("1.2")
    assert round_score(exact(0.1) + exact(0.05)) == Decimal("0.2")


def test_numbers_from_the_files_are_taken_as_written():
    assert exact(0.1) == Fraction(1, 10)
    assert exact(0.25) == Fraction(1, 4)
    assert exact(3) == Fraction(3)


# --- weighted means, categories, the overall score ------------------------------------------


def test_weighted_mean_weighs_each_value():
    assert weighted_mean([(Fraction(2), Fraction(1)), (Fraction(1), Fraction(0))]) == Fraction(2, 3)


def test_weighted_mean_of_nothing_is_none_not_zero():
    assert weighted_mean([]) is None


# A two-category rubric in the file format; build_dataset turns it into model objects.
def rubric(**overrides: Any) -> dict[str, Any]:
    def levels(*points: float) -> list[dict[str, Any]]:
        return [
            {"id": f"l{i}", "label": f"L{i}", "points": p, "description": "d"}
            for i, p in enumerate(points)
        ]

    raw = {
        "title": "T",
        "version": "1",
        "grades": [{"grade": "A", "min": 80}, {"grade": "B", "min": 60}, {"grade": "F", "min": 0}],
        "stale_after_days": 365,
        "categories": [
            {
                "id": "access",
                "title": "Access",
                "weight": 3,
                "criteria": [
                    {"id": "c1", "title": "C1", "question": "q", "why": "w", "weight": 2,
                     "levels": levels(1, 0.5, 0)},
                    {"id": "c2", "title": "C2", "question": "q", "why": "w", "weight": 1,
                     "stale_after_days": 100, "levels": levels(1, 0)},
                ],
            },
            {
                "id": "commitments",
                "title": "Commitments",
                "weight": 1,
                "criteria": [
                    {"id": "c3", "title": "C3", "question": "q", "why": "w", "weight": 1,
                     "levels": levels(1, 0.25, 0)},
                ],
            },
        ],
    }  # fmt: skip
    raw.update(overrides)
    return raw


def lab(levels: dict[str, str], as_of: str = "2024-05-01", **as_ofs: str) -> dict[str, Any]:
    return {
        "name": "Lab",
        "assessments": {
            criterion: {"level": level, "as_of": as_ofs.get(criterion, as_of), "summary": "s"}
            for criterion, level in levels.items()
        },
    }


def scored(labs: dict[str, dict[str, Any]], rubric_raw: dict[str, Any] | None = None):
    dataset = build_dataset(rubric_raw or rubric(), labs, None, None, None)
    return score_dataset(dataset, REFERENCE)


def test_category_score_is_the_weighted_mean_of_points_times_100():
    card = scored({"x": lab({"c1": "l0", "c2": "l1", "c3": "l1"})})
    access, commitments = card.lab("x").categories
    assert access.score == Fraction(200, 3)  # 100 × (2×1 + 1×0) / (2 + 1)
    assert commitments.score == 25  # 100 × 0.25
    assert category_score(access.results) == access.score


def test_not_applicable_is_left_out_of_the_denominator():
    card = scored({"x": lab({"c1": "l1", "c2": "not-applicable", "c3": "l0"})})
    access = card.lab("x").categories[0]
    assert access.score == 50  # 100 × (2×0.5) / 2, not 100 × 1 / 3
    assert card.lab("x").score == Fraction(250, 4)  # (3×50 + 1×100) / 4 = 62.5


def test_no_disclosure_scores_zero_and_stays_in_the_denominator():
    card = scored({"x": lab({"c1": "l0", "c2": "no-disclosure", "c3": "l0"})})
    assert card.lab("x").categories[0].score == Fraction(200, 3)


def test_a_category_with_nothing_applicable_is_left_out_of_the_overall_score():
    card = scored({"x": lab({"c1": "l1", "c2": "l0", "c3": "not-applicable"})})
    access, commitments = card.lab("x").categories
    assert commitments.score is None
    assert card.lab("x").score == access.score == Fraction(200, 3)  # 100 × 2/3, not × 3/4
    assert overall_score(card.lab("x").categories) == access.score


def test_a_lab_with_nothing_applicable_has_no_score_and_ranks_last():
    card = scored(
        {
            "a-lab": lab(dict.fromkeys(("c1", "c2", "c3"), "not-applicable")),
            "z-lab": lab(dict.fromkeys(("c1", "c2", "c3"), "no-disclosure")),
        }
    )
    assert [(s.lab.slug, s.rank, s.rounded, s.grade) for s in card.labs] == [
        ("z-lab", 1, Decimal("0.0"), "F"),
        ("a-lab", 2, None, None),
    ]


def test_weights_may_be_fractions_and_are_exact():
    raw = rubric()
    raw["categories"][0]["weight"] = 0.1
    raw["categories"][1]["weight"] = 0.2
    card = scored({"x": lab({"c1": "l0", "c2": "l0", "c3": "l2"})}, raw)
    # (0.1 × 100 + 0.2 × 0) / 0.3 = 33.333...: exactly 100/3 with Fractions
    assert card.lab("x").score == Fraction(100, 3)


def test_history_never_counts_towards_the_score():
    with_history = lab({"c1": "l2", "c2": "l0", "c3": "l0"})
    with_history["assessments"]["c1"]["history"] = [
        {"level": "l0", "as_of": "2023-01-01", "summary": "s"}
    ]
    card = scored({"x": with_history, "y": lab({"c1": "l2", "c2": "l0", "c3": "l0"})})
    assert card.lab("x").score == card.lab("y").score


# --- ranking and grades ---------------------------------------------------------------------


def test_ranking_uses_the_rounded_score_and_breaks_ties_by_slug():
    # One criterion whose levels give exact scores 56.25 and 56.30: both show as 56.3, so they
    # tie, and the slug decides even though z-lab's exact score is higher.
    raw = rubric()
    raw["categories"] = [raw["categories"][1]]
    raw["categories"][0]["criteria"][0]["levels"] = [
        {"id": "full", "label": "F", "points": 1, "description": "d"},
        {"id": "higher", "label": "H", "points": 0.563, "description": "d"},
        {"id": "lower", "label": "L", "points": 0.5625, "description": "d"},
        {"id": "none", "label": "N", "points": 0, "description": "d"},
    ]
    card = scored({"z-lab": lab({"c3": "higher"}), "a-lab": lab({"c3": "lower"})}, raw)
    assert card.lab("z-lab").score > card.lab("a-lab").score
    assert [(s.lab.slug, s.rank, str(s.rounded)) for s in card.labs] == [
        ("a-lab", 1, "56.3"),
        ("z-lab", 2, "56.3"),
    ]


GRADES = (Grade("A", Fraction(80)), Grade("B", Fraction(60)), Grade("F", Fraction(0)))


@pytest.mark.parametrize(
    ("rounded", "grade"),
    [
        ("80.0", "A"),  # on the boundary: min <= score
        ("79.9", "B"),
        ("100.0", "A"),
        ("60.0", "B"),
        ("59.9", "F"),
        ("0.0", "F"),
    ],
)
def test_a_score_on_a_grade_boundary_gets_that_grade(rounded, grade):
    assert grade_for(Decimal(rounded), GRADES) == grade


def test_the_grade_follows_the_rounded_score_not_the_exact_one():
    # 59.95 is below B's 60 but is shown as 60.0, and a reader sees a 60.0 graded B.
    rounded = round_score(Fraction(1199, 20))
    assert str(rounded) == "60.0"
    assert grade_for(rounded, GRADES) == "B"


def test_without_grades_there_is_no_grade():
    raw = rubric()
    del raw["grades"]
    card = scored({"x": lab({"c1": "l0", "c2": "l0", "c3": "l0"})}, raw)
    assert card.lab("x").grade is None
    assert grade_for(Decimal("50.0"), ()) is None
    assert grade_for(None, GRADES) is None


# --- staleness ------------------------------------------------------------------------------


def test_stale_means_more_than_stale_after_days_before_the_reference_date():
    limit = 100
    assert not is_stale(REFERENCE - dt.timedelta(days=limit), limit, REFERENCE)
    assert is_stale(REFERENCE - dt.timedelta(days=limit + 1), limit, REFERENCE)
    assert not is_stale(REFERENCE, limit, REFERENCE)
    assert not is_stale(dt.date(1900, 1, 1), None, REFERENCE)  # no limit: never stale


def test_a_criterion_limit_overrides_the_rubric_default_and_staleness_never_changes_a_score():
    # c2 is stale after 100 days (its own limit), c1 and c3 after 365 (the rubric's default).
    card = scored(
        {
            "fresh": lab({"c1": "l0", "c2": "l0", "c3": "l0"}, c2="2024-02-22", c3="2023-06-02"),
            "stale": lab({"c1": "l0", "c2": "l0", "c3": "l0"}, c2="2024-02-21", c3="2023-06-01"),
        }
    )
    assert [r.stale for r in card.lab("fresh").results] == [False, False, False]
    assert [r.stale for r in card.lab("stale").results] == [False, True, True]
    assert [r.age_days for r in card.lab("stale").results] == [31, 101, 366]
    assert card.lab("fresh").score == card.lab("stale").score == 100
    assert card.lab("stale").stale_count == 2


# --- golden files for tests/fixtures/scoring ------------------------------------------------

SCORING = FIXTURES / "scoring"

# Worked by hand from tests/fixtures/scoring (reference date 2024-06-01). Access has
# pre-deployment (weight 2; full 1, partial 0.5) and depth (weight 1; partial 0.4); commitments
# has framework (weight 1; weak 0.25). Overall = (3 × access + 1 × commitments) / 4.
EXPECTED = {
    # slug: (rank, score, grade, {category: score})
    # access 100 × (2×1 + 1×0.4)/3 = 80; commitments not-applicable, so left out: overall 80
    # = A's min exactly.
    "exactly-eighty": (1, 80.0, "A", {"access": 80.0}),
    # access 100 × (2×0.5)/2 = 50 (depth not-applicable, out of the denominator); commitments
    # 100; (3×50 + 100)/4 = 62.5.
    "partly-inapplicable": (2, 62.5, "B", {"access": 50.0, "commitments": 100.0}),
    # access 80 as above; commitments 0; (3×80 + 0)/4 = 60 = B's min exactly.
    "exactly-sixty": (3, 60.0, "B", {"access": 80.0, "commitments": 0.0}),
    # access 100 × 2/3 = 66.67; commitments 25; (200 + 25)/4 = 56.25, shown 56.3 (half away
    # from zero). tie-a and tie-b tie; tie-a ranks first by slug although its name ("Tied Lab
    # Zed") sorts after tie-b's ("Tied Lab Ay").
    "tie-a": (4, 56.3, "C", {"access": 66.7, "commitments": 25.0}),
    "tie-b": (5, 56.3, "C", {"access": 66.7, "commitments": 25.0}),
    # every criterion no-disclosure: 0 points each; 0.0 = F's min.
    "all-silent": (6, 0.0, "F", {"access": 0.0, "commitments": 0.0}),
    # every criterion not-applicable: no category, no score, ranked last.
    "all-inapplicable": (7, None, None, {}),
}
# stale: exactly-sixty's depth is 101 days old (limit 100), exactly-eighty's 100 (not stale);
# tie-a's framework is 366 days old (rubric default 365), tie-b's 365.
EXPECTED_STALE = {("exactly-sixty", "depth"), ("tie-a", "framework")}


def run_scores(scorecard, fmt: str) -> str:
    run = scorecard("scores", "--data", SCORING, "--date", DATE, "--format", fmt)
    assert run.code == 0, run.err
    return run.out


def test_scoring_fixture_scores_match_the_hand_worked_numbers(scorecard):
    document = json.loads(run_scores(scorecard, "json"))
    actual = {
        lab["slug"]: (
            lab["rank"],
            lab["score"],
            lab["grade"],
            {c["id"]: c["score"] for c in lab["categories"]},
        )
        for lab in document["labs"]
    }
    assert actual == EXPECTED
    assert list(actual) == sorted(EXPECTED, key=lambda slug: EXPECTED[slug][0])
    stale = {
        (lab["slug"], a["criterion"])
        for lab in document["labs"]
        for a in lab["assessments"]
        if a["stale"]
    }
    assert stale == EXPECTED_STALE


def test_scoring_fixture_points_match_the_rubric(scorecard):
    document = json.loads(run_scores(scorecard, "json"))
    points = {
        (lab["slug"], a["criterion"]): a["points"]
        for lab in document["labs"]
        for a in lab["assessments"]
    }
    assert points[("exactly-eighty", "depth")] == 0.4
    assert points[("tie-a", "framework")] == 0.25
    assert points[("partly-inapplicable", "depth")] is None  # not-applicable
    assert points[("all-silent", "framework")] == 0  # no-disclosure


@pytest.mark.parametrize(
    ("fmt", "golden"), [("json", "scoring.json"), ("csv", "scoring.csv"), ("table", "scoring.txt")]
)
@pytest.mark.golden
def test_scoring_fixture_output_matches_its_golden_file(fmt, golden, scorecard):
    check_golden(golden, run_scores(scorecard, fmt))
