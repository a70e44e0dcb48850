"""`scorecard sources gaps`: what the data still lacks for its sources to be checked and found
(a source without an archived copy, evidence from a long document without a locator), listed
as notices on request and never among the warnings of `scorecard validate`."""

from __future__ import annotations

import pytest

from generator.problems import NOTICE
from generator.validate import validate_folder
from tests.support import DATE, REFERENCE, copy_fixture, edit, run_scorecard


@pytest.fixture
def folder(tmp_path):
    """The minimal data with one source that is a system card (report-a, cited once without a
    locator, in lab-a's framework) and one source without an archived copy (news-b)."""
    data = copy_fixture("minimal", tmp_path / "data")
    sources = data / "sources.yaml"
    edit(sources, "    kind: lab-document\n", "    kind: system-card\n")
    edit(
        sources,
        "    archive_url: https://web.archive.org/web/20240501000000/https://news.example.org/b\n",
        "",
    )
    return data


def test_gaps_are_notices_with_their_places_not_warnings(folder):
    validation = validate_folder(folder, latest=REFERENCE, reference=REFERENCE)
    assert validation.dataset is not None
    assert not [p for p in validation.problems if "archived copy" in p.message]
    assert not [p for p in validation.problems if "locator" in p.message]
    lines = [gap.format() for gap in validation.gaps]
    assert {gap.severity for gap in validation.gaps} == {NOTICE}
    assert lines == [
        f"{folder}/labs/lab-a.yaml:24:25: notice: assessments/framework/evidence/0/source: "
        "evidence from 'report-a' (system-card, a long document) has no locator (add locator: "
        "the page or section of the quote, e.g. p. 12 or §4.2)",
        f"{folder}/sources.yaml:10:9: notice: sources/1/id: source 'news-b' has no archived "
        "copy (save it at web.archive.org/save and add the address it gives as archive_url)",
    ]


def test_validate_is_silent_about_gaps(folder):
    run = run_scorecard("validate", "--data", folder, "--date", DATE)
    assert run.code == 0, run.err
    assert "notice" not in run.err
    assert "archived copy" not in run.err and "locator" not in run.err


def test_the_command_lists_every_gap_and_counts_them(folder):
    run = run_scorecard("sources", "gaps", "--data", folder)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert [line.split(": ")[1] for line in lines[:-1]] == ["notice", "notice"]
    assert "labs/lab-a.yaml:24:25: notice:" in lines[0]
    assert "sources.yaml:10:9: notice: sources/1/id: source 'news-b'" in lines[1]
    assert lines[-1] == (
        "1 source without an archived copy, 1 evidence item from a long document without a locator"
    )


def test_evidence_with_a_locator_and_archived_sources_leave_no_gap(folder):
    edit(
        folder / "labs" / "lab-a.yaml",
        "evidence: [{source: report-a}]",
        "evidence: [{source: report-a, locator: §2}]",
    )
    edit(
        folder / "sources.yaml",
        "    kind: news\n",
        "    archive_url: https://web.archive.org/web/20240501000000/https://news.example.org/b\n"
        "    kind: news\n",
    )
    run = run_scorecard("sources", "gaps", "--data", folder)
    assert run.code == 0, run.err
    assert run.out == (
        "0 sources without an archived copy, 0 evidence items from a long document without a "
        "locator\n"
    )


def test_a_gap_is_a_notice_annotation_on_github(folder):
    validation = validate_folder(folder, latest=REFERENCE, reference=REFERENCE)
    assert validation.gaps[0].annotation().startswith("::notice file=")


def test_invalid_data_lists_no_gaps_and_exits_1(folder):
    (folder / "sources.yaml").write_text("sources: [{id: x}]\n", encoding="utf-8")
    run = run_scorecard("sources", "gaps", "--data", folder)
    assert run.code == 1
    assert "the data must be valid before its sources are listed" in run.err
    assert run.out == ""
