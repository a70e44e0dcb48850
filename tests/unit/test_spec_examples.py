"""The data format is accepted exactly as SPEC section 3 writes it.

tests/fixtures/spec-example/ holds the SPEC's examples with their comments, flow mappings and
unquoted dates as written; only the SPEC's `...` placeholders are replaced by fixture text, and
sources the examples cite but do not list are added.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from tests.support import DATE, FIXTURES, ROOT

SPEC_EXAMPLE = FIXTURES / "spec-example"


def scores(scorecard, data: Path) -> dict:
    run = scorecard("scores", "--data", data, "--date", DATE, "--format", "json")
    assert run.code == 0, run.err
    return json.loads(run.out)


def test_the_spec_examples_validate_without_errors_or_warnings(scorecard):
    run = scorecard("validate", "--data", SPEC_EXAMPLE, "--date", DATE)
    assert run.code == 0, run.err
    assert run.err == ""
    assert "valid: 2 labs, 1 criterion, 4 sources, 1 evaluation event (" in run.out


def test_the_spec_examples_score_as_the_rubric_says(scorecard):
    document = scores(scorecard, SPEC_EXAMPLE)
    assert document["rubric_version"] == "1.0"
    # partial = 0.5 points, the only criterion: 50.0, below A's 80, so F.
    assert [(lab["slug"], lab["rank"], lab["score"], lab["grade"]) for lab in document["labs"]] == [
        ("google-deepmind", 1, 50.0, "F"),
        ("openai", 2, 50.0, "F"),
    ]


def test_the_spec_examples_keep_every_field_as_written(scorecard):
    document = scores(scorecard, SPEC_EXAMPLE)
    deepmind = document["labs"][0]
    assert deepmind["name"] == "Google DeepMind"
    assert deepmind["website"] == "https://deepmind.google"
    [assessment] = deepmind["assessments"]
    assert assessment["as_of"] == "2024-05-24"
    evidence = assessment["evidence"][0]
    assert (evidence["source"], evidence["quote"], evidence["locator"], evidence["note"]) == (
        "gemini-1-5-report",
        "Verbatim words from the source.",
        "§9.6",
        "As quoted in the essay.",
    )
    assert assessment["history"][0]["level"] == "none"
    assert assessment["history"][0]["as_of"] == "2023-06-01"
    levels = document["rubric"]["categories"][0]["criteria"][0]["levels"]
    assert levels[0]["label"] == "Latest frontier model, named evaluator"  # quoted: has a comma
    assert [level["id"] for level in levels][-2:] == ["no-disclosure", "not-applicable"]
    [evaluation] = document["evaluations"]
    # The v1 fields as written; the 2.0 fields a v1 event does not state are unknown.
    assert (
        evaluation["access"]
        | {
            "final_model": False,
            "no_safety_filters": "unknown",
            "helpful_only": "unknown",
            "fine_tuning": False,
        }
        == evaluation["access"]
    )
    assert evaluation["access"]["reasoning_traces"] == "unknown"
    assert evaluation["stage"] == "pre-deployment"  # from pre_deployment: true
    assert evaluation["released"] == "2023-03-14"
    [metr] = document["evaluators"]
    assert metr["formerly"] == "ARC Evals"
    framework = document["sources"][0]
    assert framework["published"] == "2023-12-18"
    assert framework["archive_url"].startswith("https://web.archive.org/web/20240524000000/")


UNQUOTED_DATE = re.compile(r"(?<=: )(\d{4}-\d{2}-\d{2})(?=[\s,}])")


def test_dates_mean_the_same_quoted_or_not(scorecard, tmp_path):
    quoted = shutil.copytree(SPEC_EXAMPLE, tmp_path / "quoted")
    changed = 0
    for path in quoted.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        new, count = UNQUOTED_DATE.subn(r'"\1"', text)
        changed += count
        path.write_text(new, encoding="utf-8")
    assert changed >= 8
    assert scores(scorecard, quoted) == scores(scorecard, SPEC_EXAMPLE)


def test_the_schema_modeline_is_optional(scorecard, tmp_path):
    bare = shutil.copytree(SPEC_EXAMPLE, tmp_path / "bare")
    for path in bare.rglob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(line for line in lines if not line.startswith("#")), "utf-8")
    assert scores(scorecard, bare) == scores(scorecard, SPEC_EXAMPLE)


@pytest.mark.parametrize("name", ["rubric.yaml", "labs/google-deepmind.yaml"])
def test_the_modelines_in_the_fixture_point_at_the_published_schemas(name):
    first = (SPEC_EXAMPLE / name).read_text(encoding="utf-8").splitlines()[0]
    relative = first.removeprefix("# yaml-language-server: $schema=")
    target = ((SPEC_EXAMPLE / name).parent / relative).resolve()
    assert target.parent == ROOT / "schema"
    assert target.exists()


def test_a_comma_in_an_unquoted_flow_label_is_a_mistake_the_loader_reports(scorecard, tmp_path):
    # SPEC 3: "A level label with a comma must be quoted in flow style."
    data = shutil.copytree(SPEC_EXAMPLE, tmp_path / "data")
    rubric = data / "rubric.yaml"
    text = rubric.read_text(encoding="utf-8")
    rubric.write_text(text.replace('"Latest frontier model, named evaluator"',
                                   "Latest frontier model, named evaluator"), "utf-8")  # fmt: skip
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1
    # The words after the comma become a key without a value, which the schema refuses.
    assert "rubric.yaml:22:" in run.err
    assert "unknown field 'named evaluator'" in run.err
