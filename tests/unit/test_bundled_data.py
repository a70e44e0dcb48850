"""The bundled dataset: the invariants that must stay true as contributors edit data/.

The checks themselves are in tests/datachecks.py, so that a lab started with `scorecard new-lab`
is held to the same ones (tests/unit/test_new_lab.py).
"""

from __future__ import annotations

import pytest

from generator import refdate
from generator.validate import validate_folder
from tests import datachecks
from tests.support import ROOT

DATA = ROOT / "data"
SEED_LABS = {"openai", "anthropic", "google-deepmind", "meta", "microsoft"}


@pytest.fixture(scope="module")
def validation():
    today = refdate.today_utc()
    return validate_folder(DATA, latest=today, reference=today)


def test_the_bundled_data_is_valid(validation) -> None:
    datachecks.valid(validation)


def test_no_placeholder_is_left_for_the_site_to_publish(validation) -> None:
    datachecks.no_placeholder_left(validation)


def test_its_only_warnings_are_deliberately_stale_readings(validation) -> None:
    datachecks.only_stale_warnings(validation)


def test_no_source_is_left_uncited(validation) -> None:
    datachecks.no_source_uncited(validation)


def test_every_lab_assesses_every_criterion(validation) -> None:
    assert {lab.slug for lab in validation.dataset.labs} >= SEED_LABS
    datachecks.every_lab_assesses_every_criterion(validation)


def test_every_address_is_https_unless_the_document_is_only_at_http(validation) -> None:
    datachecks.every_address_is_https(validation)


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
    datachecks.every_scored_level_carries_evidence_and_a_summary(validation)


def test_the_seed_labs_are_ranked(validation) -> None:
    assert set(datachecks.labs_are_ranked(validation)) >= SEED_LABS


def test_what_it_still_lacks_is_listed_as_notices_not_warnings(validation) -> None:
    """No source has an archived copy yet and few long documents are cited with a locator; an
    archive address or a page number must never be invented, so these are notices for
    `scorecard sources gaps`, not warnings."""
    assert validation.gaps
    assert {gap.severity for gap in validation.gaps} == {"notice"}
