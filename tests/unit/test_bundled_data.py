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


def test_every_address_is_https(validation) -> None:
    datachecks.every_address_is_https(validation)


def test_every_scored_level_carries_evidence_and_a_summary(validation) -> None:
    datachecks.every_scored_level_carries_evidence_and_a_summary(validation)


def test_the_seed_labs_are_ranked(validation) -> None:
    assert set(datachecks.labs_are_ranked(validation)) >= SEED_LABS
