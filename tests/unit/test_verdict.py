"""The report card's generated words (generator/verdict.py): one line per lab naming where it
earns and loses most, and the distance to a grade line that falls between close scores.

The golden file holds the lines for the scoring fixture; the cases below are worked by hand from
tests/fixtures/scoring (see tests/unit/test_score.py for its scores), so a regenerated golden
file cannot quietly accept a wrong line.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from generator import verdict
from generator.score import score_dataset
from generator.validate import validate_folder
from tests.support import FIXTURES, REFERENCE, check_golden


@pytest.fixture(scope="module")
def card():
    result = validate_folder(FIXTURES / "scoring", latest=REFERENCE, reference=REFERENCE)
    assert result.dataset is not None
    return score_dataset(result.dataset, REFERENCE)


def report(card) -> str:
    gaps = verdict.grade_gaps(card.labs, card.dataset.rubric.grades)
    lines = []
    for ls in card.labs:
        gap = gaps.get(ls.lab.slug)
        lines.append(f"{ls.lab.slug}: {verdict.reason(ls).text}" + (f" {gap}." if gap else ""))
    return "\n".join(lines) + "\n"


@pytest.mark.golden
def test_the_report_card_lines_match_their_golden_file(card):
    check_golden("report-card.txt", report(card))


def test_what_a_criterion_is_worth_to_the_overall_score(card):
    # Exactly Eighty: access is its only applicable category (commitments not-applicable), so
    # pre-deployment (weight 2 of 3) is worth 66.7 points and depth (1 of 3) 33.3.
    worth = verdict.reach(card.lab("exactly-eighty"))
    assert worth == {"pre-deployment": Fraction(200, 3), "depth": Fraction(100, 3)}
    # Exactly Sixty: access is 3/4 of the overall weight, commitments 1/4.
    worth = verdict.reach(card.lab("exactly-sixty"))
    assert worth == {"pre-deployment": 50, "depth": 25, "framework": 25}
    assert sum(worth.values()) == 100


def test_the_line_names_the_largest_gain_and_the_largest_loss(card):
    # Exactly Sixty: pre-deployment full (50 points earned), depth partial 0.4 (15 of 25 lost),
    # framework none (25 of 25 lost): the largest loss is framework.
    line = verdict.reason(card.lab("exactly-sixty"))
    assert line.lead == "Earns most on Pre-deployment access; loses most on Framework"
    assert line.level == card.lab("exactly-sixty").result("framework").level.label.lower()


def test_a_criterion_can_be_both_the_largest_gain_and_the_largest_loss(card):
    # Partly Inapplicable: pre-deployment partial (37.5 of 75 earned, 37.5 lost), framework
    # full (25 earned), depth not-applicable.
    assert verdict.reason(card.lab("partly-inapplicable")).lead == (
        "Earns most on Pre-deployment access, and loses most there too"
    )


def test_labs_with_nothing_to_weigh_get_a_plain_line(card):
    assert verdict.reason(card.lab("all-silent")).lead.startswith("No points on any criterion")
    assert verdict.reason(card.lab("all-inapplicable")).text == (
        "No criterion applies to this lab, so it has no score."
    )


def test_the_distance_is_shown_where_a_grade_line_falls_between_close_scores(card):
    # B starts at 60: Exactly Sixty (60.0, B) and Tied Lab Zed (56.3, C) are neighbours 3.7
    # apart; both tied labs are 3.7 short, Partly Inapplicable (62.5) is 2.5 above. A starts
    # at 80, but the next lab below Exactly Eighty is 17.5 points away: no distance there.
    assert verdict.grade_gaps(card.labs, card.dataset.rubric.grades) == {
        "partly-inapplicable": "2.5 points above the B line",
        "exactly-sixty": "Exactly on the B line",
        "tie-a": "3.7 points short of a B",
        "tie-b": "3.7 points short of a B",
    }


def test_no_distance_when_neighbours_share_a_grade_or_are_far_apart(card):
    far = tuple(ls for ls in card.labs if ls.lab.slug in ("exactly-eighty", "all-silent"))
    assert verdict.grade_gaps(far, card.dataset.rubric.grades) == {}
    same = tuple(ls for ls in card.labs if ls.lab.slug in ("tie-a", "tie-b"))
    assert verdict.grade_gaps(same, card.dataset.rubric.grades) == {}


def test_the_level_keeps_an_acronyms_capitals():
    assert verdict._lower("No public information") == "no public information"
    assert verdict._lower("AL2 access") == "AL2 access"
