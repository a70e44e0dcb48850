"""A contributor's path from `scorecard new-lab` to a lab the site publishes: the file it writes
explains itself, a half-filled file validates with warnings that say what is left, the build
refuses a placeholder at its line, and a filled file passes every check the bundled data passes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import placeholder
from generator.load import load_file
from generator.validate import validate_folder
from tests import datachecks
from tests.support import DATE, FIXTURES, REFERENCE, ROOT, build_site

SLUG = "example-lab"


def new_lab(data: Path, scorecard) -> Path:
    run = scorecard("new-lab", SLUG, "--name", "Example Lab", "--data", data, "--date", DATE)
    assert run.code == 0, run.err
    return data / "labs" / f"{SLUG}.yaml"


def fill(path: Path, criterion: str, reading: str) -> None:
    """What a contributor does to one criterion: replace the reading new-lab wrote after the
    criterion's comments (level, as_of and the TODO summary) with their own."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(
        rf"(^  {criterion}:\n(?:    #.*\n)*)    level: no-disclosure\n    as_of: {DATE}\n"
        r"    summary: >-\n      TODO:.*\n      found\.\n",
        re.M,
    )
    assert pattern.search(text), f"no new-lab reading for {criterion} in {path}"
    path.write_text(pattern.sub(lambda m: m.group(1) + reading, text, count=1), encoding="utf-8")


FILLED = {
    "pre-deployment": (
        "    level: full\n"
        "    as_of: 2024-02-01\n"
        "    summary: >-\n"
        "      Example Lab says Evals Org tested its latest model before release.\n"
        "    evidence:\n"
        "      - source: report-a\n"
        '        quote: "We shared Model One before release."\n'
        "        locator: p. 3\n"
    ),
    "framework": (
        "    level: weak\n"
        "    as_of: 2024-02-01\n"
        "    summary: The framework says the lab will explore external evaluation.\n"
        "    evidence: [{source: report-a, locator: p. 7}]\n"
    ),
}
SEARCHED = (
    "    level: no-disclosure\n"
    f"    as_of: {DATE}\n"
    "    summary: >-\n"
    "      No public information found on fine-tuning access in Example Lab's report and\n"
    "      blog, searched in May 2024.\n"
)


def summary_line(path: Path, criterion: str) -> int:
    """The line of the criterion's `summary:` key (1-based)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"  {criterion}:")
    return lines.index("    summary: >-", start) + 1


def validation_of(data: Path):
    return validate_folder(data, latest=REFERENCE, reference=REFERENCE)


def test_the_new_file_shows_each_criterions_question_and_levels_as_comments(data_folder, scorecard):
    path = new_lab(data_folder(), scorecard)
    text = path.read_text(encoding="utf-8")
    block = text.split("  pre-deployment:\n", 1)[1].split("    level:", 1)[0]
    assert "# Pre-deployment access: Did an evaluator test the model before release?" in block
    for level in ("full: Yes, named.", "partial: Unnamed.", "none: No.", "no-disclosure:"):
        assert f"#   {level}" in block
    assert "#   not-applicable: the question does not apply" in block
    assert "#   evidence:" in block
    assert all(len(line) <= 100 for line in text.splitlines())
    # The comments are comments: the file holds the three readings and nothing else.
    document = load_file(path).document
    assert document is not None
    assert set(document.value) == {"name", "assessments"}
    for reading in document.value["assessments"].values():
        assert reading["level"] == "no-disclosure"
        assert placeholder.is_placeholder(reading["summary"])


def test_rubric_text_with_a_line_break_cannot_become_yaml_in_the_new_file(data_folder, scorecard):
    rubric = (FIXTURES / "minimal" / "rubric.yaml").read_text(encoding="utf-8")
    rubric = rubric.replace(
        "question: Could evaluators fine-tune?",
        'question: "Could evaluators fine-tune?\\nlevel: full\\n  injected: true"',
    )
    data = data_folder({"rubric.yaml": rubric})
    path = new_lab(data, scorecard)
    assert "# Depth of access: Could evaluators fine-tune? level: full injected: true" in (
        path.read_text(encoding="utf-8")
    )
    document = load_file(path).document
    assert document is not None
    assert document.value["assessments"]["depth"]["level"] == "no-disclosure"


def test_a_half_filled_lab_validates_with_one_warning_per_placeholder_saying_what_to_do(
    data_folder, scorecard
):
    data = data_folder()
    path = new_lab(data, scorecard)
    for criterion, reading in FILLED.items():
        fill(path, criterion, reading)
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 0, run.err
    line = summary_line(path, "depth")
    assert (
        f"data/labs/{SLUG}.yaml:{line}:14: warning: assessments/depth/summary: the summary still "
        "starts with TODO: it is a placeholder (replace it with what was searched for and found: "
        "documents, sites, dates; `scorecard build` will not publish a placeholder)"
    ) in run.err.splitlines()


def test_the_build_refuses_a_placeholder_at_its_line_and_leaves_the_site_alone(
    data_folder, scorecard, tmp_path
):
    data = data_folder()
    path = new_lab(data, scorecard)
    for criterion, reading in FILLED.items():
        fill(path, criterion, reading)
    out = tmp_path / "site"
    config = ROOT / "mkdocs.yml"
    run = scorecard("build", "--data", data, "--out", out, "--date", DATE, "--config", config)
    assert run.code == 1
    assert "Traceback" not in run.err
    line = summary_line(path, "depth")
    assert run.error_lines == [
        f"data/labs/{SLUG}.yaml:{line}:14: error: assessments/depth/summary: the summary still "
        "starts with TODO: it is a placeholder, and the site would publish it (replace it with "
        "what was searched for and found: documents, sites, dates)"
    ]
    assert not out.exists()


def test_the_bundled_data_checks_name_each_placeholder_left_and_what_to_do(data_folder, scorecard):
    data = data_folder()
    path = new_lab(data, scorecard)
    for criterion, reading in FILLED.items():
        fill(path, criterion, reading)
    validation = validation_of(data)
    with pytest.raises(AssertionError) as failure:
        datachecks.check_everything(validation)
    message = str(failure.value)
    assert message.startswith("1 placeholder(s) left, which `scorecard build` refuses to publish")
    assert f"{SLUG}.yaml:" in message and "assessments/depth/summary" in message


def test_new_lab_then_two_criteria_filled_passes_every_check_of_the_bundled_data_and_builds(
    data_folder, scorecard, tmp_path
):
    data = data_folder()
    path = new_lab(data, scorecard)
    for criterion, reading in FILLED.items():
        fill(path, criterion, reading)
    # The criterion left at no-disclosure says what was searched, as its warning asked.
    fill(path, "depth", SEARCHED)

    validation = validation_of(data)
    datachecks.check_everything(validation)
    lab = next(lab for lab in validation.dataset.labs if lab.slug == SLUG)
    levels = {a.criterion_id: a.current.level_id for a in lab.assessments}
    assert levels == {"pre-deployment": "full", "depth": "no-disclosure", "framework": "weak"}

    site = build_site(data, tmp_path / "site")
    assert (site / "labs" / SLUG / "index.html").is_file()
