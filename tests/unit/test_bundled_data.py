"""The bundled dataset: the invariants that must stay true as contributors edit data/."""

from __future__ import annotations

import pytest

from generator import refdate
from generator.model import NO_DISCLOSURE, NOT_APPLICABLE
from generator.score import score_dataset
from generator.validate import validate_folder
from tests.support import ROOT

DATA = ROOT / "data"
SEED_LABS = {"openai", "anthropic", "google-deepmind", "meta", "microsoft"}


@pytest.fixture(scope="module")
def validation():
    today = refdate.today_utc()
    return validate_folder(DATA, latest=today, reference=today)


def test_the_bundled_data_is_valid(validation) -> None:
    assert validation.dataset is not None, "\n".join(p.format() for p in validation.errors)


def test_its_only_warnings_are_deliberately_stale_readings(validation) -> None:
    other = [p.format() for p in validation.warnings if "is stale" not in p.message]
    assert not other


def test_no_source_is_left_uncited(validation) -> None:
    assert not [p for p in validation.problems if "is not cited anywhere" in p.message]


def test_every_lab_assesses_every_criterion(validation) -> None:
    data = validation.dataset
    criteria = [c.id for c in data.rubric.criteria]
    assert {lab.slug for lab in data.labs} >= SEED_LABS
    for lab in data.labs:
        assert [a.criterion_id for a in lab.assessments] == criteria, lab.slug


def test_every_address_is_https(validation) -> None:
    data = validation.dataset
    urls = [s.url for s in data.sources] + [s.archive_url for s in data.sources if s.archive_url]
    urls += [lab.website for lab in data.labs if lab.website]
    urls += [e.website for e in data.evaluators if e.website]
    assert urls and all(url.startswith("https://") for url in urls)


def test_every_scored_level_carries_evidence_and_a_summary(validation) -> None:
    for lab in validation.dataset.labs:
        for assessment in lab.assessments:
            for state in (assessment.current, *assessment.history):
                assert state.summary.strip(), (lab.slug, assessment.criterion_id)
                if state.level_id not in (NO_DISCLOSURE, NOT_APPLICABLE):
                    assert state.evidence, (lab.slug, assessment.criterion_id, state.as_of)


def test_the_seed_labs_are_ranked(validation) -> None:
    card = score_dataset(validation.dataset, validation.reference_date)
    ranked = [ls.lab.slug for ls in card.labs]
    assert set(ranked) >= SEED_LABS
    assert [ls.rank for ls in card.labs] == list(range(1, len(ranked) + 1))
    assert all(ls.rounded is not None and 0 <= ls.rounded <= 100 for ls in card.labs)


def test_what_it_still_lacks_is_listed_as_notices_not_warnings(validation) -> None:
    """No source has an archived copy yet and few long documents are cited with a locator; an
    archive address or a page number must never be invented, so these are notices for
    `scorecard sources gaps`, not warnings."""
    assert validation.gaps
    assert {gap.severity for gap in validation.gaps} == {"notice"}
