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


def test_every_address_is_https_unless_the_document_is_only_at_http(validation) -> None:
    data = validation.dataset
    urls = [s.url for s in data.sources if s.url]
    urls += [s.archive_url for s in data.sources if s.archive_url]
    urls += [lab.website for lab in data.labs if lab.website]
    urls += [e.website for e in data.evaluators if e.website]
    assert urls and all(url.startswith(("https://", "http://")) for url in urls)
    # http only where that is the address the sources give (METR's older GitHub Pages reports)
    plain = {url for url in urls if url.startswith("http://")}
    assert all(url.startswith("http://metr.github.io/") for url in plain), plain


def test_a_source_without_an_address_says_where_it_was_read(validation) -> None:
    for source in validation.dataset.sources:
        if source.url is None:
            assert source.note and len(source.note.split()) >= 5, source.id


def test_every_lab_lists_its_models_and_its_latest_frontier_model(validation) -> None:
    """The newest frontier model each lab lists is its latest on the reference date, or has no
    release date in the sources (then the pre-deployment reading names it, so a reader knows
    which model the readings are about)."""
    for lab in validation.dataset.labs:
        frontier = [m for m in lab.models if m.frontier and m.availability != "internal"]
        assert frontier, lab.slug
        newest = frontier[-1]
        latest = lab.latest_frontier_model(validation.reference_date)
        if newest.released is None:
            summary = lab.assessment("pre-deployment-evals").current.summary
            assert newest.name in summary, (lab.slug, newest.name)
        else:
            assert latest is not None and latest.id == newest.id, (lab.slug, newest.id)


def test_every_relayed_quote_names_its_relay(validation) -> None:
    data = validation.dataset
    items = [ev for event in data.evaluations for ev in event.evidence]
    items += [ev for lab in data.labs for m in lab.models for ev in m.evidence]
    items += [
        ev
        for lab in data.labs
        for a in lab.assessments
        for state in (a.current, *a.history)
        for ev in state.evidence
    ]
    assert items
    for ev in items:
        if ev.status in ("relayed", "paraphrase"):
            assert ev.via and data.source(ev.via), ev
        if ev.status == "paraphrase":
            assert ev.quote is None and ev.note, ev
        data.source(ev.source_id)  # every citation names an existing source


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
