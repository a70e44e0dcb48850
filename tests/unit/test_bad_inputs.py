"""The bad-input corpus: one small mistake per case, each a copy of tests/fixtures/minimal with one
file replaced or added. Every case must exit 1, name the file and the exact line and column of
the mistake in the SPEC 4 format, explain it, and never show a traceback."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.corpus import LAB_B, edited, lab_b, original
from tests.support import DATE


def nested_lists(depth: int) -> str:
    return "[" * depth + "]" * depth


@dataclass(frozen=True)
class Case:
    id: str  # reads as a sentence in the test report
    files: dict[str, str | bytes | None]
    where: str  # PATH:LINE:COL inside the data folder
    message: str  # words the error must contain
    field: str | None = None  # FIELD, when the case checks it
    extra: tuple[str, ...] = ()  # further PATH:LINE:COL that must be reported


CASES = [
    # --- YAML hazards (SPEC 4, step 1) ---------------------------------------------------------
    Case(
        "a duplicate key is reported where it is repeated",
        {"labs/lab-b.yaml": LAB_B + "name: Lab B again\n"},
        "labs/lab-b.yaml:16:1",
        "duplicate key 'name' (it is already set on line 1",
        field="name",
    ),
    Case(
        "a duplicate key inside an assessment is reported with its field path",
        lab_b("    level: partial\n", "    level: partial\n    level: none\n"),
        "labs/lab-b.yaml:5:5",
        "duplicate key 'level'",
        field="assessments/pre-deployment/level",
    ),
    Case(
        "a key indented one space short is blamed, not the colon on the line after it",
        lab_b("    level: partial\n", "   level: partial\n"),
        "labs/lab-b.yaml:4:4",
        "`level:` is indented 3 spaces, but the keys around it 4, so YAML reads line 5 as the "
        "rest of its value (indent `level:` with 4 spaces, like the lines around it)",
        field="(yaml)",
    ),
    Case(
        "a key indented one space too far is blamed at its own line",
        lab_b(
            "    as_of: 2024-03-02\n    summary: Lab B shared",
            "    as_of: 2024-03-02\n     summary: Lab B shared",
        ),
        "labs/lab-b.yaml:6:6",
        "`summary:` is indented 5 spaces, deeper than `as_of:` on line 5 (4), so YAML reads it "
        "as the rest of that value (indent `summary:` with 4 spaces, like `as_of:`)",
        field="(yaml)",
    ),
    Case(
        "a partly re-indented block is told to indent, not to keep one of two keys",
        {
            "labs/lab-b.yaml": LAB_B.replace(
                "    summary: Lab B releases weights", "  summary: Lab B releases weights"
            ).replace("    summary: No framework", "  summary: No framework")
        },
        "labs/lab-b.yaml:15:3",
        "duplicate key 'summary' (it is also set on line 11 at this indentation; if it belongs "
        "to 'framework' above (line 12), indent it 4 spaces like that block's other keys, and "
        "check line 11 too)",
        field="assessments/summary",
    ),
    Case(
        "an anchor is refused where it is defined",
        lab_b("summary: Lab B shared", "summary: &shared Lab B shared"),
        "labs/lab-b.yaml:6:14",
        "anchors and aliases are not allowed",
    ),
    Case(
        "an alias is refused where it is used",
        lab_b("summary: No framework was found.", "summary: *shared"),
        "labs/lab-b.yaml:15:14",
        "uses an alias (*name)",
    ),
    Case(
        "a merge key is refused",
        lab_b(
            "    summary: No framework was found.\n",
            "    summary: No framework was found.\n    <<: {level: none}\n",
        ),
        "labs/lab-b.yaml:16:5",
        "merge keys (<<) are not allowed",
        field="assessments/framework/<<",
    ),
    Case(
        "an explicit !!str tag is refused",
        lab_b("summary: Lab B shared", "summary: !!str Lab B shared"),
        "labs/lab-b.yaml:6:14",
        "tags are not allowed",
    ),
    Case(
        "a python object tag is refused without being constructed",
        lab_b(
            "summary: Lab B shared a model with unnamed groups.",
            "summary: !!python/object/apply:os.system [echo hi]",
        ),
        "labs/lab-b.yaml:6:14",
        "tags are not allowed",
    ),
    Case(
        "a verbatim tag is refused even when it names a kind of value the loader knows",
        lab_b("level: partial", "level: !<scorecard:int> partial"),
        "labs/lab-b.yaml:4:12",
        "uses the tag 'scorecard:int'",
    ),
    Case(
        "a local tag is refused",
        lab_b("level: partial", "level: !level partial"),
        "labs/lab-b.yaml:4:12",
        "uses the tag '!level'",
    ),
    Case(
        "a second document in one file is refused at its separator",
        {"labs/lab-b.yaml": LAB_B + "---\nname: Lab C\n"},
        "labs/lab-b.yaml:16:1",
        "more than one YAML document",
    ),
    Case(
        "a number used as a key is refused",
        {"labs/lab-b.yaml": LAB_B + "2024: notes\n"},
        "labs/lab-b.yaml:16:1",
        "the key '2024' is not text",
    ),
    Case(
        "a boolean used as a key is refused",
        {"labs/lab-b.yaml": LAB_B + "true: notes\n"},
        "labs/lab-b.yaml:16:1",
        "the key 'true' is not text",
    ),
    Case(
        "a list used as a key is refused",
        {"labs/lab-b.yaml": LAB_B + "? [a, b]\n: notes\n"},
        "labs/lab-b.yaml:16:3",
        "keys must be plain text",
    ),
    Case(
        "an empty key is refused",
        {"labs/lab-b.yaml": LAB_B + ": notes\n"},
        "labs/lab-b.yaml:16:1",
        "invalid YAML: did not find expected key",
    ),
    Case(
        "a NUL byte is refused at its position",
        {"labs/lab-b.yaml": LAB_B.replace("Lab B shared", "Lab B\x00 shared").encode()},
        "labs/lab-b.yaml:6:19",
        "invisible control character (U+0000)",
    ),
    Case(
        "a terminal escape character is refused",
        lab_b("name: Lab B", "name: Lab \x1b[31mB"),
        "labs/lab-b.yaml:1:11",
        "invisible control character (U+001B)",
    ),
    Case(
        "a bidirectional override typed into the text is refused",
        lab_b("name: Lab B", "name: Lab \u202eB"),
        "labs/lab-b.yaml:1:11",
        "bidirectional-override character (U+202E)",
    ),
    Case(
        "a bidirectional isolate written as an escape is refused",
        lab_b("name: Lab B", 'name: "Lab \\u2066B"'),
        "labs/lab-b.yaml:1:7",
        "bidirectional-override character (U+2066)",
        field="name",
    ),
    Case(
        "a NUL written as an escape is refused",
        lab_b("summary: No framework was found.", 'summary: "No framework\\0 was found."'),
        "labs/lab-b.yaml:15:14",
        "invisible control character (U+0000)",
        field="assessments/framework/summary",
    ),
    Case(
        "NaN is refused as a number",
        {"rubric.yaml": edited("rubric.yaml", "points: 0.5,", "points: .nan,")},
        "rubric.yaml:21:51",
        "'.nan' (NaN or infinity) is not allowed",
        field="categories/0/criteria/0/levels/1/points",
    ),
    Case(
        "infinity is refused as a number",
        {"rubric.yaml": edited("rubric.yaml", "weight: 3", "weight: .inf")},
        "rubric.yaml:11:13",
        "(NaN or infinity) is not allowed",
        field="categories/0/weight",
    ),
    Case(
        "a file over 1 MiB is refused before it is parsed",
        {"labs/lab-b.yaml": LAB_B + ("# padding" + " " * 90 + "\n") * 11_000},
        "labs/lab-b.yaml:1:1",
        "is larger than 1 MiB",
    ),
    Case(
        "nesting deeper than 32 levels is refused where it goes too deep",
        lab_b("evidence: [{source: news-b}]", "evidence: " + nested_lists(40)),
        # The root mapping, assessments and pre-deployment are 3 levels, so the 30th `[`
        # (column 15 + 29) is the 33rd.
        "labs/lab-b.yaml:7:44",
        "nests deeper than 32 levels",
    ),
    Case(
        "nesting ten thousand levels deep is refused without a recursion error",
        {"labs/lab-b.yaml": "name: " + nested_lists(10_000) + "\n"},
        # The root mapping is the first level, so the 32nd `[` (column 7 + 31) is the 33rd:
        # libyaml's own limit (1000 levels) must not decide the position.
        "labs/lab-b.yaml:1:38",
        "nests deeper than 32 levels",
    ),
    Case(
        "bytes that are not UTF-8 are refused at their line and column",
        {"labs/lab-b.yaml": LAB_B.replace("name: Lab B", "name: Caf\xe9 B").encode("latin-1")},
        "labs/lab-b.yaml:1:10",
        "is not valid UTF-8 (byte 0xE9)",
    ),
    Case(
        "a file saved as UTF-16 is refused as not UTF-8",
        {"labs/lab-b.yaml": LAB_B.encode("utf-16")},
        "labs/lab-b.yaml:1:1",
        "is not valid UTF-8",
    ),
    Case(
        "a tab used for indentation is explained",
        lab_b("    level: partial", "\tlevel: partial"),
        "labs/lab-b.yaml:4:1",
        "indent with spaces, not tabs",
    ),
    Case(
        "an unquoted colon in a value is explained",
        lab_b(
            "summary: Lab B shared a model with unnamed groups.",
            "summary: Lab B said: we shared a model.",
        ),
        "labs/lab-b.yaml:6:24",
        "a value containing ': ' must be quoted",
    ),
    Case(
        "an empty file is refused",
        {"labs/lab-b.yaml": ""},
        "labs/lab-b.yaml:1:1",
        "is empty",
    ),
    Case(
        "a file holding only a list is refused by its schema",
        {"labs/lab-b.yaml": "- name: Lab B\n"},
        "labs/lab-b.yaml:1:1",
        "expected a mapping of fields",
    ),
    # --- Scalars keep their text (SPEC 4, step 1) ----------------------------------------------
    Case(
        "'no' stays the text 'no' and is not a level",
        lab_b("level: no-disclosure", "level: no"),
        "labs/lab-b.yaml:13:12",
        "'no' is not a level of this criterion",
    ),
    Case(
        "'off' stays the text 'off' and is not a level",
        lab_b("level: not-applicable", "level: off"),
        "labs/lab-b.yaml:9:12",
        "'off' is not a level of this criterion",
    ),
    Case(
        "'on' stays the text 'on' and is not a source id",
        lab_b("evidence: [{source: news-b}]", "evidence: [{source: on}]"),
        "labs/lab-b.yaml:7:25",
        "no source with id 'on'",
    ),
    Case(
        "'yes' stays the text 'yes' where a tri-state is expected",
        {
            "evaluations.yaml": edited(
                "evaluations.yaml", "pre_deployment: true", "pre_deployment: yes"
            )
        },
        "evaluations.yaml:6:21",
        "'yes' is not one of the allowed values",
    ),
    Case(
        "1.10 stays text and is not taken for the number 1.1",
        {"rubric.yaml": edited("rubric.yaml", "points: 0.5,", "points: 1.10,")},
        "rubric.yaml:21:51",
        "expected a number, got the text '1.10'",
    ),
    Case(
        "0123 stays text and is not read as octal",
        {"rubric.yaml": edited("rubric.yaml", "stale_after_days: 365", "stale_after_days: 0123")},
        "rubric.yaml:7:19",
        "expected a whole number, got the text '0123'",
    ),
    Case(
        "1:30 stays text and is not read as ninety",
        {"rubric.yaml": edited("rubric.yaml", "stale_after_days: 100", "stale_after_days: 1:30")},
        "rubric.yaml:28:27",
        "got the text '1:30'",
    ),
    Case(
        "an impossible date stays text and is reported, not raised",
        lab_b(
            "as_of: 2024-03-02\n    summary: Lab B shared",
            "as_of: 2024-02-30\n    summary: Lab B shared",
        ),
        "labs/lab-b.yaml:5:12",
        "'2024-02-30' is not a real date",
    ),
    Case(
        "a date with a time of day is refused",
        lab_b(
            "as_of: 2024-03-02\n    summary: Lab B shared",
            "as_of: 2024-03-02T10:00:00\n    summary: Lab B shared",
        ),
        "labs/lab-b.yaml:5:12",
        "is not a date",
    ),
    Case(
        "an unquoted version number that reads as a number asks to be quoted",
        {"rubric.yaml": edited("rubric.yaml", 'version: "0.1"', "version: 0.1")},
        "rubric.yaml:2:10",
        'expected text, got a number (quote it: "0.1")',
    ),
    # --- Schemas (SPEC 4, step 2) --------------------------------------------------------------
    Case(
        "a misspelt field is reported at its key with a suggestion",
        lab_b("    summary: Lab B shared", "    sumary: Lab B shared"),
        "labs/lab-b.yaml:6:5",
        "unknown field 'sumary' (did you mean 'summary'?)",
        field="assessments/pre-deployment/sumary",
    ),
    Case(
        "every unknown field in one mapping is reported",
        {"labs/lab-b.yaml": LAB_B + "notes: first\ntags: second\n"},
        "labs/lab-b.yaml:16:1",
        "unknown field 'notes'",
        extra=("labs/lab-b.yaml:17:1",),
    ),
    Case(
        "a missing required field is reported at the mapping that lacks it",
        lab_b("name: Lab B\n", ""),
        "labs/lab-b.yaml:1:1",
        "missing required field 'name'",
    ),
    Case(
        "a list where text is expected is reported",
        lab_b("summary: No framework was found.", "summary: [No framework was found.]"),
        "labs/lab-b.yaml:15:14",
        "expected text, got a list",
    ),
    Case(
        "a source kind outside the list is reported with the choices",
        {"sources.yaml": edited("sources.yaml", "kind: news", "kind: newspaper")},
        "sources.yaml:17:11",
        "'newspaper' is not one of the allowed values",
    ),
    Case(
        "a URL that is not http(s) is refused",
        {
            "sources.yaml": edited(
                "sources.yaml", "url: https://example.org/a", "url: ftp://example.org/a"
            )
        },
        "sources.yaml:5:10",
        "is not a web address",
    ),
    Case(
        "points above 1 are refused",
        {"rubric.yaml": edited("rubric.yaml", "points: 0.5,", "points: 1.5,")},
        "rubric.yaml:21:51",
        "must be between 0 and 1, got 1.5",
    ),
    Case(
        "a category weight of zero is refused",
        {"rubric.yaml": edited("rubric.yaml", "weight: 3", "weight: 0")},
        "rubric.yaml:11:13",
        "must be greater than 0, got 0",
    ),
    Case(
        "a criterion id with capitals is refused",
        {"rubric.yaml": edited("rubric.yaml", "id: depth", "id: Depth")},
        "rubric.yaml:23:13",
        "'Depth' is not a valid id",
    ),
    Case(
        "every assessment key that is not an id is reported",
        {
            "labs/lab-b.yaml": LAB_B.replace("  depth:", "  Depth:").replace(
                "  framework:", "  Framework:"
            )
        },
        "labs/lab-b.yaml:8:3",
        "'Depth' is not a valid id",
        extra=("labs/lab-b.yaml:12:3",),
    ),
    Case(
        "a lab name that runs over two lines is refused",
        lab_b("name: Lab B\n", "name: |\n  Lab B\n  <script>\n"),
        "labs/lab-b.yaml:1:7",
        "must be a single line",
    ),
    Case(
        "a tri-state access field outside true, false and unknown is refused",
        {
            "evaluations.yaml": edited(
                "evaluations.yaml", "fine_tuning: false", "fine_tuning: maybe"
            )
        },
        "evaluations.yaml:7:75",
        "'maybe' is not one of the allowed values",
    ),
    # --- Cross-file rules (SPEC 4, step 3) -----------------------------------------------------
    Case(
        "a criterion that is not assessed is reported at assessments",
        lab_b(
            "  framework:\n    level: no-disclosure\n    as_of: 2024-03-02\n"
            "    summary: No framework was found.\n",
            "",
        ),
        "labs/lab-b.yaml:2:1",
        "criterion 'framework' is not assessed",
    ),
    Case(
        "an assessment of a criterion the rubric lacks is reported with a suggestion",
        lab_b("  framework:", "  frameworks:"),
        "labs/lab-b.yaml:12:3",
        "the rubric has no criterion 'frameworks' (did you mean 'framework'?)",
    ),
    Case(
        "a level the criterion does not have is reported with the levels it has",
        lab_b("level: partial", "level: half"),
        "labs/lab-b.yaml:4:12",
        "'half' is not a level of this criterion (levels of this criterion: full, partial",
    ),
    Case(
        "a scored level without evidence is reported",
        lab_b("    evidence: [{source: news-b}]\n", ""),
        "labs/lab-b.yaml:4:12",
        "level 'partial' needs evidence",
    ),
    Case(
        "an empty evidence list does not count as evidence",
        lab_b("evidence: [{source: news-b}]", "evidence: []"),
        "labs/lab-b.yaml:4:12",
        "level 'partial' needs evidence",
    ),
    Case(
        "evidence citing an unknown source is reported with a suggestion",
        lab_b("source: news-b", "source: news-c"),
        "labs/lab-b.yaml:7:25",
        "no source with id 'news-c' in sources.yaml (did you mean 'news-b'?)",
    ),
    Case(
        "an evaluation of a lab without a file is reported",
        {"evaluations.yaml": edited("evaluations.yaml", "lab: lab-a", "lab: lab-c")},
        "evaluations.yaml:2:10",
        "no lab 'lab-c' in data/labs/",
    ),
    Case(
        "an evaluation by an unknown evaluator is reported",
        {"evaluations.yaml": edited("evaluations.yaml", "evaluator: evals-org", "evaluator: aisi")},
        "evaluations.yaml:4:16",
        "no evaluator 'aisi' in evaluators.yaml",
    ),
    Case(
        "the same model and evaluator listed twice is reported",
        {
            "evaluations.yaml": original("evaluations.yaml")
            + original("evaluations.yaml").split("\n", 1)[1]
        },
        "evaluations.yaml:11:5",
        "Model One by evals-org (pre-deployment) is listed twice",
    ),
    Case(
        "a source id used twice is reported where it is repeated",
        {"sources.yaml": edited("sources.yaml", "id: news-b", "id: report-a")},
        "sources.yaml:10:9",
        "id 'report-a' is used twice (first used on line 2)",
    ),
    Case(
        "an evaluator id used twice is reported",
        {
            "evaluators.yaml": original("evaluators.yaml")
            + "  - {id: evals-org, name: Other, kind: company}\n"
        },
        "evaluators.yaml:3:10",
        "id 'evals-org' is used twice",
    ),
    Case(
        "a criterion id used in two categories is reported",
        {"rubric.yaml": edited("rubric.yaml", "id: framework", "id: depth")},
        "rubric.yaml:37:13",
        "criterion id 'depth' is used twice",
    ),
    Case(
        "a category id used twice is reported",
        {"rubric.yaml": edited("rubric.yaml", "id: commitments", "id: access")},
        "rubric.yaml:32:9",
        "category id 'access' is used twice",
    ),
    Case(
        "a level id used twice in one criterion is reported",
        {"rubric.yaml": edited("rubric.yaml", "{id: weak,", "{id: none,")},
        "rubric.yaml:45:18",
        "level id 'none' is used twice",
    ),
    Case(
        "declaring the implicit no-disclosure level is refused",
        {"rubric.yaml": edited("rubric.yaml", "{id: weak,", "{id: no-disclosure,")},
        "rubric.yaml:44:18",
        "'no-disclosure' exists for every criterion and must not be declared",
    ),
    Case(
        "a criterion without a zero-point level is refused",
        {
            "rubric.yaml": edited(
                "rubric.yaml", "points: 0, description: Nobody", "points: 0.1, description: Nobody"
            )
        },
        "rubric.yaml:20:11",
        "one level must have points: 1 and one must have points: 0",
    ),
    Case(
        "levels not listed best first are refused",
        {
            "rubric.yaml": edited(
                "rubric.yaml", "label: Weak, points: 0.25", "label: Weak, points: 0"
            ).replace("label: None, points: 0,", "label: None, points: 0.25,")
        },
        "rubric.yaml:45:45",
        "levels must be listed best first",
    ),
    Case(
        "grades not listed highest first are refused",
        {"rubric.yaml": edited("rubric.yaml", "{grade: B, min: 50}", "{grade: B, min: 90}")},
        "rubric.yaml:5:21",
        "grades must be listed highest first",
    ),
    Case(
        "a last grade above zero is refused",
        {"rubric.yaml": edited("rubric.yaml", "{grade: F, min: 0}", "{grade: F, min: 10}")},
        "rubric.yaml:6:21",
        "the last grade must have min: 0",
    ),
    Case(
        "a lab file name with capitals and underscores is refused",
        {"labs/Lab_C.yaml": LAB_B},
        "labs/Lab_C.yaml:1:1",
        "is not a valid lab slug",
    ),
    Case(
        "a lab file named like a page of the site is refused",
        {"labs/compare.yaml": LAB_B},
        "labs/compare.yaml:1:1",
        "'compare' is reserved",
    ),
    Case(
        "a lab file ending in .yml is refused with the right name",
        {"labs/lab-c.yml": LAB_B},
        "labs/lab-c.yml:1:1",
        "rename it to lab-c.yaml",
    ),
    Case(
        "a folder inside data/labs is refused",
        {"labs/drafts/lab-c.yaml": LAB_B},
        "labs/drafts:1:1",
        "is not a lab file",
    ),
    Case(
        "an unexpected file in the data folder is refused",
        {"notes.txt": "remember to check sources\n"},
        "notes.txt:1:1",
        "is not a file the scorecard expects here",
    ),
    Case(
        "a missing rubric is reported",
        {"rubric.yaml": None},
        "rubric.yaml:1:1",
        "is missing",
    ),
    Case(
        "an as_of after the reference date is refused",
        lab_b(
            "as_of: 2024-03-02\n    summary: Lab B shared",
            "as_of: 2024-06-02\n    summary: Lab B shared",
        ),
        "labs/lab-b.yaml:5:12",
        "2024-06-02 is after 2024-06-01",
    ),
    Case(
        "an accessed date after the reference date is refused",
        {
            "sources.yaml": edited(
                "sources.yaml",
                "accessed: 2024-05-01\n    kind: lab",
                "accessed: 2030-01-01\n    kind: lab",
            )
        },
        "sources.yaml:7:15",
        "2030-01-01 is after 2024-06-01",
    ),
    Case(
        "a release date after the reference date is refused",
        {
            "evaluations.yaml": edited(
                "evaluations.yaml", "released: 2024-02-01", "released: 2025-02-01"
            )
        },
        "evaluations.yaml:5:15",
        "2025-02-01 is after 2024-06-01",
    ),
    Case(
        "a history entry not older than the state after it is refused",
        {"labs/lab-a.yaml": edited("labs/lab-a.yaml", "as_of: 2023-06-01", "as_of: 2024-02-01")},
        "labs/lab-a.yaml:12:16",
        "history entry dated 2024-02-01 is not older than the state after it (2024-02-01)",
    ),
    Case(
        "an archive_url that is not a Wayback Machine capture is refused",
        {
            "sources.yaml": edited(
                "sources.yaml",
                "archive_url: https://web.archive.org/web/20240501000000/",
                "archive_url: https://archive.ph/20240501000000/",
            )
        },
        "sources.yaml:16:18",
        "archive_url must look like https://web.archive.org/web/<timestamp>/<original address>",
    ),
    Case(
        "an archive_url with a three-digit timestamp is refused",
        {"sources.yaml": edited("sources.yaml", "web/20240501000000/", "web/202/")},
        "sources.yaml:16:18",
        "archive_url must look like",
    ),
    Case(
        "a website on a private address is refused",
        lab_b("name: Lab B\n", "name: Lab B\nwebsite: http://192.168.1.1/admin\n"),
        "labs/lab-b.yaml:2:10",
        "points at a private, loopback or reserved address",
    ),
    Case(
        "a javascript: address is refused",
        {
            "evaluators.yaml": edited(
                "evaluators.yaml", "https://evals.example.org", "javascript:alert(1)"
            )
        },
        "evaluators.yaml:2:64",
        "is not a web address",
    ),
    Case(
        "a published month that does not exist is refused",
        {"sources.yaml": edited("sources.yaml", "published: 2024-01", "published: 2024-13")},
        "sources.yaml:6:16",
        "'2024-13' is not a real date",
    ),
]


def case_id(case: Case) -> str:
    return case.id.replace(" ", "_")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_bad_input_is_reported_with_file_line_and_column(case: Case, data_folder, scorecard):
    data = data_folder(case.files)
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1, run.err
    assert "Traceback" not in run.err + run.out
    assert run.out == ""  # nothing but problems, on stderr
    prefix = f"data/{case.where}: error: "
    matching = [line for line in run.error_lines if line.startswith(prefix)]
    assert matching, f"no error starting {prefix!r} in:\n{run.err}"
    assert any(case.message in line for line in matching), (
        f"expected {case.message!r} in:\n" + "\n".join(matching)
    )
    if case.field is not None:
        assert any(line.startswith(f"{prefix}{case.field}: ") for line in matching), matching
    for other in case.extra:
        assert any(line.startswith(f"data/{other}: error: ") for line in run.error_lines), (
            f"no error at {other} in:\n{run.err}"
        )
    assert run.err.rstrip().endswith("nothing was written")


def test_the_corpus_covers_at_least_thirty_cases():
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)


def test_every_problem_in_a_folder_with_several_bad_files_is_reported(data_folder, scorecard):
    data = data_folder(
        {
            # strict YAML: stops this file at loading
            "labs/lab-a.yaml": original("labs/lab-a.yaml") + "name: Lab A again\n",
            # schema: two problems in one file
            "labs/lab-b.yaml": LAB_B.replace("level: partial", "level: [partial]").replace(
                "    summary: No framework", "    sumary: No framework"
            ),
            # rules: a reference and a date
            "evaluations.yaml": original("evaluations.yaml")
            .replace("evaluator: evals-org", "evaluator: aisi")
            .replace("released: 2024-02-01", "released: 2024-07-01"),
            # file names
            "labs/Lab_C.yaml": LAB_B,
            "notes.txt": "todo\n",
            # not UTF-8
            "evaluators.yaml": original("evaluators.yaml").encode("utf-16"),
        }
    )
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1
    assert "Traceback" not in run.err
    positions = [line.split(": error: ")[0] for line in run.error_lines]
    assert positions == [
        # (no "no evaluator 'aisi'": evaluators.yaml did not load, so its ids are unknown and
        # a reference into it is not reported a second time)
        "data/evaluations.yaml:5:15",  # released after the reference date
        "data/evaluators.yaml:1:1",  # not UTF-8
        "data/labs/Lab_C.yaml:1:1",  # not a slug
        "data/labs/lab-a.yaml:25:1",  # duplicate key
        "data/labs/lab-b.yaml:4:12",  # level is a list
        "data/labs/lab-b.yaml:13:5",  # framework (the mapping from line 13) lacks summary
        "data/labs/lab-b.yaml:15:5",  # unknown field sumary
        "data/notes.txt:1:1",  # unexpected file
    ], run.err
    assert run.err.splitlines()[-1] == "8 errors in 6 files; nothing was written"
