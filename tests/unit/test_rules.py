"""Cross-file rules (SPEC 4, step 3), checked on documents that passed their schemas."""

from __future__ import annotations

import datetime as dt

import pytest

from generator import schemas
from generator.load import Document, load_text
from generator.model import earliest_day
from generator.placeholder import is_placeholder
from generator.rules import Loaded, check_all, lenient_ids
from tests.support import FIXTURES

MINIMAL = FIXTURES / "minimal"
REFERENCE = dt.date(2024, 6, 1)


def document(kind: str, text: str, name: str) -> Document:
    result = load_text(text, name)
    assert result.document is not None, result.problems
    assert schemas.check(kind, result.document) == []
    return result.document


def fixture_text(name: str) -> str:
    return (MINIMAL / name).read_text(encoding="utf-8")


def loaded(**replace: str) -> Loaded:
    """The minimal fixture as loaded documents, with some files' text replaced."""
    texts = {
        "rubric": fixture_text("rubric.yaml"),
        "sources": fixture_text("sources.yaml"),
        "evaluators": fixture_text("evaluators.yaml"),
        "evaluations": fixture_text("evaluations.yaml"),
        "lab_a": fixture_text("labs/lab-a.yaml"),
        "lab_b": fixture_text("labs/lab-b.yaml"),
    } | replace
    sources = document("sources", texts["sources"], "sources.yaml")
    evaluators = document("evaluators", texts["evaluators"], "evaluators.yaml")
    return Loaded(
        rubric=document("rubric", texts["rubric"], "rubric.yaml"),
        sources=sources,
        evaluators=evaluators,
        evaluations=document("evaluations", texts["evaluations"], "evaluations.yaml"),
        labs={
            "lab-a": document("lab", texts["lab_a"], "labs/lab-a.yaml"),
            "lab-b": document("lab", texts["lab_b"], "labs/lab-b.yaml"),
        },
        source_ids=lenient_ids(sources, "sources"),
        evaluator_ids=lenient_ids(evaluators, "evaluators"),
        lab_slugs={"lab-a", "lab-b"},
    )


def lines(folder: Loaded, latest: dt.date = REFERENCE, reference: dt.date = REFERENCE):
    return sorted(p.format() for p in check_all(folder, latest, reference))


STALE_WARNING = (
    "labs/lab-a.yaml:17:12: warning: assessments/depth/as_of: assessment is stale: 121 days old "
    "on 2024-06-01 (stale after 100 days) (look for newer evidence and update as_of)"
)


def test_the_minimal_fixture_has_only_its_stale_warning():
    assert lines(loaded()) == [STALE_WARNING]


def test_staleness_follows_the_reference_date_not_the_latest_allowed_date():
    assert lines(loaded(), latest=REFERENCE, reference=dt.date(2024, 5, 1)) == []


def test_a_date_on_the_reference_date_itself_is_allowed():
    lab_b = fixture_text("labs/lab-b.yaml").replace("2024-03-02", "2024-06-01")
    assert lines(loaded(lab_b=lab_b)) == [STALE_WARNING]


def test_a_source_nobody_cites_is_a_warning():
    sources = fixture_text("sources.yaml") + (
        "  - {id: unused, title: U, publisher: P, url: https://example.org/u,"
        " accessed: 2024-05-01, kind: news,"
        " archive_url: 'https://web.archive.org/web/2024/https://example.org/u'}\n"
    )
    assert lines(loaded(sources=sources)) == [
        STALE_WARNING,
        "sources.yaml:18:10: warning: sources/2/id: source 'unused' is not cited anywhere "
        "(cite it as evidence or remove it)",
    ]


def test_unused_sources_are_not_reported_while_another_file_is_broken():
    sources = fixture_text("sources.yaml") + (
        "  - {id: unused, title: U, publisher: P, url: https://example.org/u,"
        " accessed: 2024-05-01, kind: news,"
        " archive_url: 'https://web.archive.org/web/2024/https://example.org/u'}\n"
    )
    folder = loaded(sources=sources)
    folder.complete = False  # e.g. a lab file that failed to load might cite it
    assert lines(folder) == [STALE_WARNING]


def test_a_placeholder_summary_is_a_warning():
    lab_b = fixture_text("labs/lab-b.yaml").replace(
        "summary: No framework was found.", "summary: 'TODO: look for a framework'"
    )
    assert (
        "labs/lab-b.yaml:15:14: warning: assessments/framework/summary: the summary still starts "
        "with TODO: it is a placeholder (replace it with what was searched for and found: "
        "documents, sites, dates; `scorecard build` will not publish a placeholder)"
    ) in lines(loaded(lab_b=lab_b))


def test_a_placeholder_is_an_error_when_publishing_and_the_same_rule_covers_every_text():
    lab_b = fixture_text("labs/lab-b.yaml").replace(
        "summary: No framework was found.", "summary: 'todo look for a framework'"
    )
    sources = fixture_text("sources.yaml").replace("title: Report A", "title: TODO")
    folder = loaded(lab_b=lab_b, sources=sources)
    problems = check_all(folder, REFERENCE, REFERENCE, publishing=True)
    placeholders = [p.format() for p in problems if "starts with TODO" in p.message]
    assert placeholders == [
        "sources.yaml:3:12: error: sources/0/title: the title still starts with TODO: it is a "
        "placeholder, and the site would publish it (replace the TODO text with the real text)",
        "labs/lab-b.yaml:15:14: error: assessments/framework/summary: the summary still starts "
        "with TODO: it is a placeholder, and the site would publish it (replace it with what "
        "was searched for and found: documents, sites, dates)",
    ]


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("TODO: say what was searched", True),
        ("  todo later", True),
        ("Todo", True),
        ("TODOS are a list", False),
        ("todo-app", False),
        ("Nothing to do", False),
        ("The lab's TODO list", False),
    ],
)
def test_a_placeholder_is_text_that_starts_with_the_word_todo(text, placeholder):
    assert is_placeholder(text) is placeholder


def test_history_entries_must_each_be_older_than_the_one_before():
    lab_a = fixture_text("labs/lab-a.yaml").replace(
        "        evidence: [{source: news-b}]\n",
        "        evidence: [{source: news-b}]\n"
        "      - {level: no-disclosure, as_of: 2023-07-01, summary: Even earlier.}\n",
    )
    assert (
        "labs/lab-a.yaml:15:39: error: assessments/pre-deployment/history/1/as_of: history entry "
        "dated 2023-07-01 is not older than the state after it (2023-06-01) (history lists "
        "earlier states, newest first)"
    ) in lines(loaded(lab_a=lab_a))


def test_history_entries_are_checked_like_the_current_state():
    lab_a = fixture_text("labs/lab-a.yaml").replace(
        "      - level: none\n        as_of: 2023-06-01",
        "      - level: partial\n        as_of: 2023-06-01",
    )
    lab_a = lab_a.replace("        evidence: [{source: news-b}]\n", "")
    assert (
        "labs/lab-a.yaml:11:16: error: assessments/pre-deployment/history/0/level: level "
        "'partial' needs evidence (add `evidence:` with at least one source, or use no-disclosure)"
    ) in lines(loaded(lab_a=lab_a))


def test_not_applicable_needs_no_evidence_but_no_disclosure_may_still_cite_some():
    lab_b = fixture_text("labs/lab-b.yaml").replace(
        "    summary: No framework was found.\n",
        "    summary: No framework was found.\n    evidence: [{source: report-a}]\n",
    )
    assert lines(loaded(lab_b=lab_b)) == [STALE_WARNING]


def test_references_into_a_file_that_failed_its_schema_are_still_checked():
    folder = loaded()
    folder.source_ids = {"report-a"}  # what lenient_ids salvaged from a broken sources.yaml
    folder.sources = None
    assert (
        "labs/lab-a.yaml:14:29: error: assessments/pre-deployment/history/0/evidence/0/source: no "
        "source with id 'news-b' in sources.yaml (add the document to data/sources.yaml)"
    ) in lines(folder)


def test_references_into_a_file_that_did_not_load_are_not_reported_again():
    folder = loaded()
    folder.source_ids = None
    folder.evaluator_ids = None
    folder.sources = folder.evaluators = None
    assert lines(folder) == [STALE_WARNING]


def test_without_a_rubric_lab_files_are_still_checked_for_what_they_can_be():
    folder = loaded(
        lab_b=fixture_text("labs/lab-b.yaml").replace("as_of: 2024-03-02", "as_of: 2025-01-01", 1)
    )
    folder.rubric = None
    assert lines(folder) == [
        "labs/lab-b.yaml:5:12: error: assessments/pre-deployment/as_of: 2025-01-01 is after "
        "2024-06-01 (dates cannot be in the future (or after the reference date given with "
        "--date))"
    ]


def test_lenient_ids_reads_what_it_can_from_a_broken_list():
    broken = load_text(
        "sources:\n  - {id: good}\n  - {id: 3}\n  - just text\n  - {title: no id}\n", "s.yaml"
    ).document
    assert lenient_ids(broken, "sources") == {"good"}
    assert lenient_ids(None, "sources") is None
    assert lenient_ids(load_text("- a\n", "s.yaml").document, "sources") is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024", dt.date(2024, 1, 1)),
        ("2024-07", dt.date(2024, 7, 1)),
        ("2024-07-15", dt.date(2024, 7, 15)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("2023-02-29", None),
        ("2024-13", None),
        ("2024-00", None),
        ("24-01-01", None),
    ],
)
def test_a_partial_published_date_means_its_first_day(text, day):
    assert earliest_day(text) == day


def test_a_published_year_in_the_future_is_refused():
    sources = fixture_text("sources.yaml").replace("published: 2024-01", 'published: "2025"')
    assert ("sources.yaml:6:16: error: sources/0/published: 2025 is in the future") in lines(
        loaded(sources=sources)
    )


def test_the_published_month_of_the_reference_date_is_allowed():
    sources = fixture_text("sources.yaml").replace("published: 2024-01", "published: 2024-06")
    assert lines(loaded(sources=sources)) == [STALE_WARNING]


def test_two_labs_may_not_share_a_name(scorecard, data_folder) -> None:
    lab_b = (FIXTURES / "minimal" / "labs" / "lab-b.yaml").read_text(encoding="utf-8")
    data = data_folder({"labs/lab-b.yaml": lab_b.replace("name: Lab B", "name: lab  a")})
    run = scorecard("validate", "--data", data, "--date", "2024-06-01")
    assert run.code == 1
    assert run.error_lines == [
        "data/labs/lab-b.yaml:1:7: error: name: another lab is already named 'lab  a' "
        "(see data/labs/lab-a.yaml; lab names must differ)"
    ]


# --- answering back: a lab's response, a contested reading, the corrections list ---------------

RESPONSE = """    response:
      date: {date}
      summary: The lab says the window was four weeks.
      evidence: [{{source: {source}}}]
"""


def with_answer(text: str) -> str:
    """Lab A's depth reading with `text` (indented as its keys) added."""
    anchor = "    evidence: [{source: report-a, locator: p. 4}]\n"
    lab_a = fixture_text("labs/lab-a.yaml")
    assert anchor in lab_a
    return lab_a.replace(anchor, anchor + text, 1)


def corrections(text: str) -> Document:
    return document("corrections", "corrections:\n" + text, "corrections.yaml")


def test_a_cited_dated_response_and_a_contested_mark_are_valid():
    lab_a = with_answer(
        RESPONSE.format(date="2024-05-02", source="report-a")
        + "    contested: {since: 2024-05-03, note: Under review., link: https://example.org/i/1}\n"
    )
    assert lines(loaded(lab_a=lab_a)) == [STALE_WARNING]


def test_a_response_must_cite_a_listed_source_and_not_be_dated_ahead():
    lab_a = with_answer(RESPONSE.format(date="2024-07-01", source="nowhere"))
    assert lines(loaded(lab_a=lab_a)) == [
        STALE_WARNING,
        "labs/lab-a.yaml:21:13: error: assessments/depth/response/date: 2024-07-01 is after "
        "2024-06-01 (dates cannot be in the future (or after the reference date given with "
        "--date))",
        "labs/lab-a.yaml:23:27: error: assessments/depth/response/evidence/0/source: no source "
        "with id 'nowhere' in sources.yaml (add the document to data/sources.yaml)",
    ]


def test_a_contested_mark_may_not_be_dated_ahead():
    lab_a = with_answer("    contested: {since: 2024-07-01, note: Under review.}\n")
    found = [line for line in lines(loaded(lab_a=lab_a)) if ": error: " in line]
    assert len(found) == 1 and found[0].startswith(
        "labs/lab-a.yaml:20:24: error: assessments/depth/contested/since:"
    ), found


def test_a_contested_link_must_be_a_web_address():
    lab_a = with_answer(
        "    contested: {since: 2024-05-01, note: Under review., link: 'javascript:alert(1)'}\n"
    )
    result = load_text(lab_a, "labs/lab-a.yaml")
    assert result.document is not None
    [problem] = schemas.check("lab", result.document)
    assert (problem.line, problem.field) == (20, "assessments/depth/contested/link"), problem


def test_corrections_name_a_lab_criterion_and_levels_that_exist_newest_first():
    folder = loaded()
    folder.corrections = corrections(
        "  - {date: 2024-05-01, lab: lab-a, criterion: depth, was: none, now: full,"
        " reason: Misread., sources: [report-a]}\n"
        "  - {date: 2024-05-02, lab: lab-z, criterion: depht, reason: Misread.}\n"
        "  - {date: 2024-04-01, lab: lab-b, criterion: depth, was: partial, now: full,"
        " reason: Misread., sources: [nowhere]}\n"
        "  - {date: 2024-03-01, lab: lab-b, was: none, now: full, reason: Misread.}\n"
    )
    assert [line for line in lines(folder) if line.startswith("corrections.yaml")] == [
        "corrections.yaml:3:12: error: corrections/1/date: correction dated 2024-05-02 comes "
        "after one dated 2024-05-01 (list corrections newest first)",
        "corrections.yaml:3:29: error: corrections/1/lab: no lab file data/labs/lab-z.yaml "
        "(did you mean 'lab-b'?)",
        "corrections.yaml:3:47: error: corrections/1/criterion: the rubric has no criterion "
        "'depht' (did you mean 'depth'?)",
        "corrections.yaml:4:107: error: corrections/2/sources/0: no source with id 'nowhere' in "
        "sources.yaml (add the document to data/sources.yaml)",
        "corrections.yaml:4:59: error: corrections/2/was: 'partial' is not a level of criterion "
        "'depth' (levels: full, no-disclosure, none, not-applicable)",
        "corrections.yaml:5:41: error: corrections/3/was: a level change needs the criterion it "
        "belongs to (add `criterion:`, or remove `was` and `now`)",
    ]


def test_a_source_cited_only_by_a_correction_or_a_response_counts_as_cited():
    sources = fixture_text("sources.yaml") + (
        "  - {id: fix, title: F, publisher: P, url: https://example.org/f,"
        " accessed: 2024-05-01, kind: news}\n"
        "  - {id: reply, title: R, publisher: P, url: https://example.org/r,"
        " accessed: 2024-05-01, kind: news}\n"
    )
    folder = loaded(
        sources=sources, lab_a=with_answer(RESPONSE.format(date="2024-05-02", source="reply"))
    )
    folder.corrections = corrections(
        "  - {date: 2024-05-01, lab: lab-a, reason: Misread., sources: [fix]}\n"
    )
    assert lines(folder) == [STALE_WARNING]


def test_a_placeholder_spelt_with_a_yaml_escape_is_still_found():
    # Files without "todo" in their text are not walked for placeholders; a double-quoted
    # escape can spell one without those letters, so a backslash means the file is walked.
    lab_b = fixture_text("labs/lab-b.yaml").replace(
        "summary: No framework was found.", 'summary: "\\x54ODO: look for a framework"'
    )
    assert "todo" not in lab_b.lower()
    assert (
        "labs/lab-b.yaml:15:14: warning: assessments/framework/summary: the summary still starts "
        "with TODO: it is a placeholder"
    ) in "\n".join(lines(loaded(lab_b=lab_b)))
