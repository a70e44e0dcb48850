"""Access log 2.0 (issue 12): model records, events with stage, window, depth and terms,
relayed evidence, the rules that read them, the migration, and rubric versions."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from generator import access, versions
from generator.changes import SideLabel, compare, render_markdown
from generator.model import Model, Window
from generator.score import score_dataset
from generator.validate import validate_folder
from tests.support import FIXTURES, copy_fixture, edit

ACCESS_LOG = FIXTURES / "access-log"
DAY = dt.date(2024, 6, 10)


def dataset_of(folder: Path = ACCESS_LOG):
    result = validate_folder(folder, latest=DAY, reference=DAY)
    assert result.dataset is not None, [p.format() for p in result.errors]
    return result.dataset


def model(id_: str, released: str | None, frontier: bool = True, availability: str = "general"):
    return Model(id_, id_, released, frontier, False, availability, None, (), None)


# --- the lab's latest frontier model ---------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("2024-01-09", None),  # before the first release
        ("2024-01-10", "model-one"),  # on its release day
        ("2024-06-02", "model-one"),  # the day before the next
        ("2024-06-03", "model-two"),
        ("2030-01-01", "model-two"),  # the non-frontier and internal models are never it
    ],
)
def test_the_latest_frontier_model_on_a_date(on: str, expected: str | None) -> None:
    lab = dataset_of().lab("lab-a")
    found = lab.latest_frontier_model(dt.date.fromisoformat(on))
    assert (found.id if found else None) == expected


def test_a_month_only_release_counts_from_the_first_of_the_month() -> None:
    lab = replace(
        dataset_of().lab("lab-a"), models=(model("a", "2024-01-10"), model("b", "2024-03"))
    )
    assert lab.latest_frontier_model(dt.date(2024, 2, 29)).id == "a"
    assert lab.latest_frontier_model(dt.date(2024, 3, 1)).id == "b"


def test_an_internal_or_undated_model_is_never_the_latest_release() -> None:
    lab = replace(
        dataset_of().lab("lab-a"),
        models=(
            model("a", "2024-01-10"),
            model("i", None, availability="internal"),
            model("u", None),
        ),
    )
    assert lab.latest_frontier_model(dt.date(2025, 1, 1)).id == "a"


# --- windows and access levels ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("window", "released", "days"),
    [
        (Window(business_days=3), None, 3),  # as stated wins
        (Window(first_access="2024-05-06"), dt.date(2024, 6, 3), 20),  # four weeks
        (Window(first_access="2024-05-31"), dt.date(2024, 6, 3), 1),  # Friday to Monday
        (Window(first_access="2024-05"), dt.date(2024, 6, 3), None),  # a month is too coarse
        (Window(days=7), None, 5),  # "a week"
        (Window(days=21), None, 15),  # "three weeks"
        (Window(days=9), None, 7),
        (Window(), dt.date(2024, 6, 3), None),
    ],
)
def test_the_window_in_business_days(window: Window, released, days) -> None:
    assert access.window_business_days(window, released) == days


@pytest.mark.parametrize(
    ("days", "level"),
    [(25, "full"), (20, "full"), (19, "partial"), (5, "partial"), (4, "minimal"), (0, "minimal")],
)
def test_the_window_level_follows_the_eu_codes_benchmark(days: int, level: str) -> None:
    assert access.window_level(days) == level


def test_access_levels_follow_from_the_fields() -> None:
    events = {(e.model, e.stage): e for e in dataset_of().evaluations}
    assert access.access_level(events[("model-two", "pre-deployment")]) == "AL2"  # raw CoT
    assert access.access_level(events[("model-one", "pre-deployment")]) == "AL1"
    weights = replace(events[("model-one", "pre-deployment")].access, weights=True)
    assert (
        access.access_level(replace(events[("model-one", "pre-deployment")], access=weights))
        == "AL3"
    )


def test_a_v1_event_keeps_its_meaning() -> None:
    [event] = [e for e in dataset_of().evaluations if e.lab == "lab-b"]
    assert event.stage == "unknown" and event.pre_deployment is None
    assert event.released == dt.date(2024, 4, 2) and event.model_name == "Model B"


def test_relayed_and_paraphrased_evidence_name_their_relay() -> None:
    lab = dataset_of().lab("lab-a")
    window = lab.assessment("access-window").current.evidence[0]
    assert (window.status, window.via) == ("relayed", "relay-x")
    publish = lab.assessment("evaluator-may-publish").current.evidence[0]
    assert (publish.status, publish.via, publish.quote) == ("paraphrase", "relay-x", None)
    seen = lab.assessment("pre-deployment-evals").current.evidence[0]
    assert (seen.status, seen.via) == ("seen", None)


# --- rules: errors at their line -------------------------------------------------------------

EVENTS = "evaluations.yaml"
LAB_A = "labs/lab-a.yaml"


def _edited(name: str, old: str, new: str) -> dict[str, str]:
    text = (ACCESS_LOG / name).read_text(encoding="utf-8")
    assert old in text, old
    return {name: text.replace(old, new, 1)}


BAD = [
    (
        "an event names a model its lab does not list",
        _edited(EVENTS, "model: model-two", "model: model-too"),
        "data/evaluations.yaml:3:12: error: evaluations/0/model: lab 'lab-a' lists no model with id 'model-too' (did you mean 'model-two'?)",
    ),
    (
        "an event repeats the release date of a listed model",
        _edited(
            EVENTS,
            "    stage: pre-deployment\n    window: {first_access: 2024-05-06}",
            "    stage: pre-deployment\n    released: 2024-06-03\n    window: {first_access: 2024-05-06}",
        ),
        "data/evaluations.yaml:6:15: error: evaluations/0/released: the release date is the model's own once the lab lists its models",
    ),
    (
        "a pre-deployment event's access starts after the release",
        _edited(EVENTS, "first_access: 2024-05-06", "first_access: 2024-06-05"),
        "data/evaluations.yaml:6:28: error: evaluations/0/window/first_access: a pre-deployment event's access starts before the release (2024-06-03), not on 2024-06-05",
    ),
    (
        "a post-release event's access starts before the release",
        _edited(
            EVENTS,
            "    stage: pre-deployment\n    window: {first_access: 2024-05-06}",
            "    stage: post-release\n    window: {first_access: 2024-05-06}",
        ),
        "data/evaluations.yaml:6:28: error: evaluations/0/window/first_access: a post-release event's access starts on or after the release (2024-06-03), not on 2024-05-06",
    ),
    (
        "stage and pre_deployment disagree",
        _edited(
            EVENTS,
            "    stage: pre-deployment\n    window: {first_access: 2024-05-06}",
            "    stage: pre-deployment\n    pre_deployment: false\n    window: {first_access: 2024-05-06}",
        ),
        "data/evaluations.yaml:6:21: error: evaluations/0/pre_deployment: pre_deployment: false contradicts stage: pre-deployment",
    ),
    (
        "a relayed quote without its relay",
        _edited(
            LAB_A, "        status: relayed\n        via: relay-x\n", "        status: relayed\n"
        ),
        "data/labs/lab-a.yaml:49:17: error: assessments/access-window/evidence/0/status: a relayed quote must name the document it was read in",
    ),
    (
        "a paraphrase with a quote",
        _edited(
            LAB_A,
            "        status: paraphrase\n",
            "        status: paraphrase\n        quote: The lab approved the text.\n",
        ),
        "data/labs/lab-a.yaml:58:16: error: assessments/evaluator-may-publish/evidence/0/quote: a paraphrase has no quote: the words are the relay's, not the source's",
    ),
    (
        "a relay that is not a source",
        _edited(
            LAB_A, "        via: relay-x\n        note:", "        via: relay-y\n        note:"
        ),
        "data/labs/lab-a.yaml:58:14: error: assessments/evaluator-may-publish/evidence/0/via: no source with id 'relay-y' in sources.yaml (did you mean 'relay-x'?)",
    ),
    (
        "a model id used twice",
        _edited(LAB_A, "  - id: model-small", "  - id: model-one"),
        "data/labs/lab-a.yaml:9:9: error: models/1/id: model id 'model-one' is used twice (first on line 4; one entry per model)",
    ),
    (
        "an internal model with a release date",
        _edited(
            LAB_A,
            "    name: Most capable internal models\n",
            "    name: Most capable internal models\n    released: 2024-02-01\n",
        ),
        "data/labs/lab-a.yaml:26:15: error: models/3/released: a model with availability: internal was never released",
    ),
    (
        "a version history that does not start with the current version",
        _edited("rubric.yaml", 'versions:\n  - version: "2.0"', 'versions:\n  - version: "2.1"'),
        "data/rubric.yaml:5:14: error: versions/0/version: the newest entry of the version history must be this rubric's version (2.0)",
    ),
    (
        "a new level with no reading in the previous version",
        _edited("rubric.yaml", "{review: partial, approval: partial}", "{review: partial}"),
        "error: versions/0/previous: level 'approval' of evaluator-may-publish has no reading in version 1.0",
    ),
    (
        "a reading to a level the previous version lacks",
        _edited("rubric.yaml", "approval: partial}", "approval: weak}"),
        "error: versions/0/reads_as/evaluator-may-publish/approval: 'weak' is not a level of evaluator-may-publish in version 1.0",
    ),
    (
        "a previous version whose rubric is not kept",
        {"rubrics/1.0.yaml": None},
        "data/rubric.yaml:9:15: error: versions/0/previous: no rubric of version 1.0 in data/rubrics/",
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"), [case[1:] for case in BAD], ids=[case[0] for case in BAD]
)
def test_bad_access_log_input_exits_1_at_its_line(data_folder, scorecard, files, expected) -> None:
    data = data_folder(files, fixture="access-log")
    run = scorecard("validate", "--data", data, "--date", "2024-06-10")
    assert run.code == 1, run.err
    assert any(expected in line for line in run.error_lines), run.err


# --- warnings: an assessment against the log -------------------------------------------------


def test_the_fixture_has_no_warning(scorecard) -> None:
    run = scorecard("validate", "--data", ACCESS_LOG, "--date", "2024-06-10")
    assert run.code == 0 and "warning" not in run.err, run.err


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            _edited(
                EVENTS,
                "    evaluator: evals-org\n    stage: pre-deployment",
                "    evaluator: unnamed-groups\n    stage: pre-deployment",
            ),
            "data/labs/lab-a.yaml:31:12: warning: assessments/pre-deployment-evals/level: level 'full' but the access log has no named pre-deployment event for Model Two, the lab's latest frontier model on 2024-06-03",
        ),
        (
            _edited(
                LAB_A,
                "  pre-deployment-evals:\n    level: full",
                "  pre-deployment-evals:\n    level: past-only",
            ),
            "data/labs/lab-a.yaml:31:12: warning: assessments/pre-deployment-evals/level: level 'past-only' but the access log has a named pre-deployment event for Model Two",
        ),
        (
            _edited(
                LAB_A, "  access-window:\n    level: full", "  access-window:\n    level: partial"
            ),
            "data/labs/lab-a.yaml:43:12: warning: assessments/access-window/level: level 'partial' but the access log's longest pre-release window for Model Two is 20 business days, which reads as 'full'",
        ),
    ],
    ids=["full without a named event", "past-only with one", "a window the dates contradict"],
)
def test_an_assessment_the_log_contradicts_is_a_warning_at_its_level(
    data_folder, scorecard, files, expected
) -> None:
    data = data_folder(files, fixture="access-log")
    run = scorecard("validate", "--data", data, "--date", "2024-06-10")
    assert run.code == 0, run.err
    assert expected in run.err, run.err


def test_a_lab_without_models_gets_no_log_warnings(data_folder, scorecard) -> None:
    data = data_folder({LAB_A: None, EVENTS: None}, fixture="access-log")
    run = scorecard("validate", "--data", data, "--date", "2024-06-10")
    assert run.code == 0 and "access log" not in run.err, run.err


# --- migration -------------------------------------------------------------------------------


def test_migration_writes_the_stage_and_unknowns_and_changes_no_score(
    data_folder, scorecard, tmp_path
) -> None:
    data = data_folder()  # the minimal fixture: version 1 events
    before = tmp_path / "before"
    copy_fixture("minimal", before)
    run = scorecard("migrate", "--data", data, "--date", "2024-06-01")
    assert run.code == 0, run.err
    text = (data / "evaluations.yaml").read_text(encoding="utf-8")
    assert "pre_deployment" not in text and "stage: pre-deployment" in text
    assert "model_given: unknown" in text and "lab_review: unknown" in text
    assert scorecard("validate", "--data", data, "--date", "2024-06-01").code == 0
    diff = scorecard("diff", before, data, "--date", "2024-06-01")
    assert "No score changes." in diff.out and "Access log" not in diff.out
    again = scorecard("migrate", "--data", data, "--date", "2024-06-01")
    assert again.code == 0 and "already in the 2.0 format" in again.out


def test_migration_refuses_invalid_data(data_folder, scorecard) -> None:
    data = data_folder({"labs/lab-a.yaml": "name: Lab A\nassessments: 5\n"})
    before = (data / "evaluations.yaml").read_bytes()
    assert scorecard("migrate", "--data", data, "--date", "2024-06-01").code == 1
    assert (data / "evaluations.yaml").read_bytes() == before


# --- rubric versions ---------------------------------------------------------------------------


def test_the_same_data_scored_under_both_versions() -> None:
    found = versions.effect(dataset_of(), DAY)
    assert found is not None and found.version.previous == "1.0"
    before = {ls.lab.slug: ls.rounded for ls in found.previous.labs}
    after = {ls.lab.slug: ls.rounded for ls in found.current.labs}
    # lab-a: 1.0 reads approval as partial (0.5) and has no access window: 60×100 + 40×50
    # over 100 = 80.0; under 2.0: access (3×1 + 1×1)/4 = 100, publication 25: 70.0.
    # lab-b: 1.0: 60×50 + 40×50 = 50.0; 2.0: access (3×0.5 + 0)/4 = 37.5, review 75: 52.5.
    assert before == {"lab-a": Decimal("80.0"), "lab-b": Decimal("50.0")}
    assert after == {"lab-a": Decimal("70.0"), "lab-b": Decimal("52.5")}


def test_the_score_diff_across_a_rubric_change_splits_data_from_methodology(tmp_path) -> None:
    base = copy_fixture("access-log", tmp_path / "base")
    (base / "rubric.yaml").write_text((base / "rubrics" / "1.0.yaml").read_text())
    (base / "rubrics" / "1.0.yaml").unlink()
    (base / "rubrics").rmdir()
    edit(base / LAB_A, "level: approval", "level: partial")
    edit(base / "labs/lab-b.yaml", "level: review", "level: partial")
    for lab in ("labs/lab-a.yaml", "labs/lab-b.yaml"):
        text = (base / lab).read_text()
        start = text.index("  access-window:")
        end = text.index("  evaluator-may-publish:")
        (base / lab).write_text(text[:start] + text[end:])
    old, new = dataset_of(base), dataset_of()
    diff = compare(score_dataset(old, DAY), score_dataset(new, DAY))
    split = {s.lab_slug: (s.base, s.data, s.head) for s in diff.split}
    assert split["lab-a"] == (Decimal("80.0"), Decimal("80.0"), Decimal("70.0"))
    assert split["lab-b"] == (Decimal("50.0"), Decimal("50.0"), Decimal("52.5"))
    markdown = render_markdown(diff, SideLabel("base", "folder"), SideLabel("head", "folder"))
    assert "### Methodology 1.0 → 2.0 and data" in markdown
    assert "| Lab A | 80.0 | 80.0 | 70.0 | +0.0 | -10.0 |" in markdown
