"""The `scorecard` command (SPEC 6): exit codes, the error format, output formats, new-lab."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import DATE, FIXTURES, ROOT

MINIMAL = FIXTURES / "minimal"
# SPEC 4: PATH:LINE:COL: error: FIELD: MESSAGE (warnings alike).
PROBLEM_LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (error|warning): \S+: .+$")


def problem_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if ": error: " in line or ": warning: " in line]


def bad_lab(name_line: str = "name: Lab B") -> str:
    text = (MINIMAL / "labs" / "lab-b.yaml").read_text(encoding="utf-8")
    return text.replace("name: Lab B", name_line) + "sumary: typo\n"


# --- validate -------------------------------------------------------------------------------


def test_validate_accepts_valid_data_with_a_one_line_summary(scorecard):
    run = scorecard("validate", "--data", MINIMAL, "--date", DATE)
    assert run.code == 0
    assert run.out.count("\n") == 1
    assert "valid: 2 labs, 3 criteria, 2 sources, 1 evaluation event (" in run.out
    assert "reference date 2024-06-01; 1 warning" in run.out


def test_warnings_use_the_problem_format_and_do_not_fail(scorecard):
    run = scorecard("validate", "--data", MINIMAL, "--date", DATE)
    assert run.code == 0
    [warning] = problem_lines(run.err)
    assert PROBLEM_LINE.match(warning)
    assert warning.startswith(f"{MINIMAL.relative_to(Path.cwd())}/labs/lab-a.yaml:17:12: warning:")
    assert "assessments/depth/as_of: assessment is stale: 121 days old" in warning


def test_every_problem_is_one_line_in_the_spec_format(data_folder, scorecard):
    data = data_folder({"labs/lab-b.yaml": bad_lab(), "labs/lab-c.yaml": bad_lab()})
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1
    lines = problem_lines(run.err)
    assert len(lines) == 3  # one error in each bad lab, then lab-a's stale warning
    for line in lines:
        assert PROBLEM_LINE.match(line), line
    assert lines[0] == (
        "data/labs/lab-b.yaml:16:1: error: sumary: unknown field 'sumary' "
        "(fields here: assessments, description, models, name, website)"
    )
    assert " warning: " in lines[2]  # errors come first, whatever the files' order
    assert run.err.splitlines()[-1] == "2 errors in 2 files; nothing was written"


def test_paths_are_shown_relative_to_the_current_directory(data_folder, scorecard, tmp_path):
    data_folder({"labs/lab-b.yaml": bad_lab()})
    absolute = tmp_path / "data"
    run = scorecard("validate", "--data", absolute, "--date", DATE)
    assert "\ndata/labs/lab-b.yaml:16:1: error:" in "\n" + run.err


def test_a_line_break_in_contributor_text_cannot_start_a_new_line(data_folder, scorecard):
    data = data_folder(
        {"labs/lab-b.yaml": bad_lab() + '"x\\n::error file=evil.py,line=1::owned": 1\n'}
    )
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1
    for line in run.err.splitlines():
        assert not line.startswith("::"), line
    assert "data/labs/lab-b.yaml:17:1: error: x\\n::error file=evil.py" in run.err


def test_an_escaped_control_character_in_a_key_is_refused(data_folder, scorecard):
    data = data_folder({"labs/lab-b.yaml": bad_lab() + '"\\e[2J": 1\n'})
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1
    assert "\x1b" not in run.err
    assert (
        "data/labs/lab-b.yaml:17:1: error: (file): a key contains an invisible control "
        "character (U+001B)" in run.err
    )


def test_github_actions_annotations_are_escaped_and_go_to_stderr(
    data_folder, scorecard, monkeypatch
):
    data = data_folder(
        {"labs/lab-b.yaml": bad_lab() + '"a,b\\n::error::c%d": 1\n', "labs/l-1.yaml": bad_lab()}
    )
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    run = scorecard("validate", "--data", data, "--date", DATE)
    assert run.code == 1
    assert run.out == ""
    annotations = [line for line in run.err.splitlines() if line.startswith("::")]
    assert len(annotations) == len(problem_lines(run.err)) == 4
    assert annotations[0].startswith(
        "::error file=data/labs/l-1.yaml,line=16,col=1,title=sumary::unknown field 'sumary'"
    )
    injected = next(a for a in annotations if "a%2Cb" in a)
    # The property escapes `,` and `:`; the message escapes `%` and the line break, so the text
    # stays inside this one command.
    assert injected.startswith(
        "::error file=data/labs/lab-b.yaml,line=17,col=1,title=a%2Cb%0A%3A%3Aerror%3A%3Ac%25d::"
    )
    assert "unknown field 'a,b%0A::error::c%25d'" in injected
    assert "::warning file=data/labs/lab-a.yaml,line=17,col=12,title=assessments/depth/as_of::" in (
        run.err
    )


def test_annotations_never_mix_into_the_json_on_stdout(scorecard, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    run = scorecard("scores", "--data", MINIMAL, "--date", DATE, "--format", "json")
    assert run.code == 0
    assert "::warning " in run.err  # the stale warning, annotated
    assert json.loads(run.out)["reference_date"] == DATE


def test_validate_without_a_date_uses_source_date_epoch(scorecard, monkeypatch):
    epoch = dt.datetime(2024, 6, 1, 12, tzinfo=dt.UTC).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
    run = scorecard("validate", "--data", MINIMAL)
    assert run.code == 0
    assert "reference date 2024-06-01" in run.out


def test_outside_git_the_reference_date_is_the_newest_as_of(data_folder, scorecard):
    data = data_folder()  # a temporary folder, not in any git checkout
    run = scorecard("validate", "--data", data)
    assert run.code == 0
    assert "reference date 2024-03-02" in run.out  # lab-b's as_of, the newest


def test_without_a_date_a_date_after_today_fails(data_folder, scorecard):
    tomorrow = dt.datetime.now(tz=dt.UTC).date() + dt.timedelta(days=2)
    lab = (MINIMAL / "labs" / "lab-b.yaml").read_text(encoding="utf-8")
    data = data_folder({"labs/lab-b.yaml": lab.replace("2024-03-02", tomorrow.isoformat(), 1)})
    run = scorecard("validate", "--data", data)
    assert run.code == 1
    assert f"data/labs/lab-b.yaml:5:12: error: assessments/pre-deployment/as_of: {tomorrow}" in (
        run.err
    )


# --- usage errors (exit 2) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "the following arguments are required: COMMAND"),
        (("publish",), "invalid choice: 'publish'"),
        (("validate", "--data", "no-such-folder"), "--data: expected a data folder"),
        (("validate", "--data", MINIMAL, "--date", "2024-6-1"), "expected a date as YYYY-MM-DD"),
        (("validate", "--data", MINIMAL, "--date", "2024-02-30"), "got '2024-02-30'"),
        (("scores", "--data", MINIMAL, "--format", "xml"), "choose from 'table', 'json', 'csv'"),
        (("new-lab", "some-lab"), "required: --name"),
        (("validate", "--bogus"), "unrecognized arguments: --bogus"),
    ],
    ids=[
        "no command",
        "an unknown command",
        "a data folder that does not exist",
        "a date without leading zeros",
        "a date that does not exist",
        "an unknown output format",
        "new-lab without a name",
        "an unknown option",
    ],
)
def test_usage_errors_exit_2_and_say_what_was_expected(args, expected, scorecard):
    run = scorecard(*args)
    assert run.code == 2
    assert run.out == ""
    first = run.err.splitlines()[0]
    assert first.startswith("scorecard: usage error: ")
    assert expected in first


def test_a_malformed_source_date_epoch_is_a_usage_error(scorecard, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    run = scorecard("validate", "--data", MINIMAL)
    assert run.code == 2
    assert "SOURCE_DATE_EPOCH must be whole seconds since 1970, got 'yesterday'" in run.err


def test_help_exits_0(scorecard):
    with pytest.raises(SystemExit) as raised:
        scorecard("--help")
    assert raised.value.code == 0


def test_an_internal_error_is_one_line_with_exit_3_not_a_traceback(scorecard, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("generator.cli.scores.score_dataset", broken)
    run = scorecard("scores", "--data", MINIMAL, "--date", DATE, debug=False)
    assert run.code == 3
    assert "Traceback" not in run.err
    assert "scorecard: internal error: RuntimeError: simulated bug (please report it;" in run.err


# --- scores ---------------------------------------------------------------------------------


def test_scores_json_has_the_fields_spec_7_requires(scorecard):
    run = scorecard("scores", "--data", MINIMAL, "--date", DATE, "--format", "json")
    assert run.code == 0
    document = json.loads(run.out)
    assert document["rubric_version"] == "0.1"
    assert document["reference_date"] == DATE
    assert [lab["slug"] for lab in document["labs"]] == ["lab-a", "lab-b"]  # ranked
    lab = document["labs"][0]
    assert {"slug", "name", "score", "grade", "categories", "assessments"} <= set(lab)
    assert lab["categories"] == [
        {"id": "access", "score": 66.7},
        {"id": "commitments", "score": 25},
    ]
    assessment = lab["assessments"][0]
    assert {"criterion", "level", "points", "as_of", "stale", "summary", "evidence"} <= set(
        assessment
    )
    assert {"source", "url", "quote", "locator"} <= set(assessment["evidence"][0])
    assert assessment["evidence"][0]["url"] == "https://example.org/a"


def test_scores_json_is_the_same_bytes_on_every_run(scorecard):
    first = scorecard("scores", "--data", MINIMAL, "--date", DATE, "--format", "json").out
    second = scorecard("scores", "--data", MINIMAL, "--date", DATE, "--format", "json").out
    assert first == second
    assert first.endswith("}\n")


def test_scores_csv_has_one_row_per_lab_and_criterion(scorecard):
    run = scorecard("scores", "--data", MINIMAL, "--date", DATE, "--format", "csv")
    assert run.code == 0
    rows = list(csv.reader(io.StringIO(run.out)))
    assert rows[0] == ["lab", "criterion", "category", "level", "points", "as_of", "stale"]
    assert len(rows) == 1 + 2 * 3
    assert rows[1:4] == [
        ["lab-a", "pre-deployment", "access", "full", "1", "2024-02-01", "false"],
        ["lab-a", "depth", "access", "none", "0", "2024-02-01", "true"],
        ["lab-a", "framework", "commitments", "weak", "0.25", "2024-02-01", "false"],
    ]
    # not-applicable has no points: an empty cell, not 0
    assert ["lab-b", "depth", "access", "not-applicable", "", "2024-03-02", "false"] in rows


def test_scores_table_is_the_default_and_ranks_the_labs(scorecard):
    run = scorecard("scores", "--data", MINIMAL, "--date", DATE)
    assert run.code == 0
    lines = run.out.splitlines()
    assert lines[0].split() == ["#", "Lab", "Score", "Grade", "access", "commitments"]
    assert lines[2].split() == ["1", "Lab", "A", "56.3", "B", "66.7", "25.0"]
    assert lines[3].split() == ["2", "Lab", "B", "37.5", "F", "50.0", "0.0"]
    assert lines[-1] == "Test Scorecard, methodology 0.1, reference date 2024-06-01"


def test_scores_on_invalid_data_exits_1_and_prints_no_scores(data_folder, scorecard):
    data = data_folder({"labs/lab-b.yaml": bad_lab()})
    for fmt in ("table", "json", "csv"):
        run = scorecard("scores", "--data", data, "--date", DATE, "--format", fmt)
        assert run.code == 1
        assert run.out == ""
        assert "data/labs/lab-b.yaml:16:1: error: sumary:" in run.err


# --- new-lab --------------------------------------------------------------------------------


def test_new_lab_writes_a_file_that_validates(data_folder, scorecard):
    data = data_folder()
    run = scorecard("new-lab", "example-lab", "--name", 'Example "Lab": Ltd', "--data", data,
                    "--date", DATE)  # fmt: skip
    assert run.code == 0, run.err
    written = data / "labs" / "example-lab.yaml"
    assert f"wrote {written}: 3 criteria, all no-disclosure as of {DATE}" in run.out
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    checked = scorecard("validate", "--data", data, "--date", DATE)
    assert checked.code == 0, checked.err
    assert "3 labs" in checked.out
    # Its TODO summaries are warned about, so nobody publishes them by accident.
    assert checked.err.count("the summary still starts with TODO: it is a placeholder") == 3
    scores = json.loads(scorecard("scores", "--data", data, "--date", DATE, "--format", "json").out)
    new = next(lab for lab in scores["labs"] if lab["slug"] == "example-lab")
    assert new["name"] == 'Example "Lab": Ltd'
    assert new["score"] == 0
    assert {a["level"] for a in new["assessments"]} == {"no-disclosure"}


def test_new_lab_modeline_points_at_the_published_schema(data_folder, scorecard):
    data = data_folder()
    scorecard("new-lab", "example-lab", "--name", "Example", "--data", data, "--date", DATE)
    first = (data / "labs" / "example-lab.yaml").read_text(encoding="utf-8").splitlines()[0]
    # Relative to the file, as in the repository's own data: data/labs/x.yaml -> schema/.
    assert first == "# yaml-language-server: $schema=../../schema/lab.schema.json"


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("compare", "'compare' is reserved for a page of the site"),
        ("index", "'index' is reserved"),
        ("404", "'404' is reserved"),
        ("Example_Lab", "not a valid lab slug"),
        ("example--lab", "not a valid lab slug"),
        ("example-", "not a valid lab slug"),
        ("example.lab", "not a valid lab slug"),
    ],
)
def test_new_lab_refuses_reserved_and_invalid_slugs_with_exit_2(
    slug, expected, data_folder, scorecard
):
    data = data_folder()
    run = scorecard("new-lab", slug, "--name", "Example", "--data", data, "--date", DATE)
    assert run.code == 2
    assert expected in run.err
    assert sorted(p.name for p in (data / "labs").iterdir()) == ["lab-a.yaml", "lab-b.yaml"]


def test_new_lab_suggests_a_slug_for_an_invalid_one(data_folder, scorecard):
    data = data_folder()
    run = scorecard("new-lab", "Example Lab", "--name", "Example", "--data", data, "--date", DATE)
    assert run.code == 2
    assert "(e.g. example-lab)" in run.err


def test_new_lab_refuses_a_name_on_two_lines_with_exit_2(data_folder, scorecard):
    data = data_folder()
    run = scorecard("new-lab", "example", "--name", "Ex\nample", "--data", data, "--date", DATE)
    assert run.code == 2
    assert "--name: expected the lab's name on one line" in run.err


def test_new_lab_refuses_to_overwrite_an_existing_file_with_exit_1(data_folder, scorecard):
    data = data_folder()
    before = (data / "labs" / "lab-a.yaml").read_bytes()
    run = scorecard("new-lab", "lab-a", "--name", "Lab A", "--data", data, "--date", DATE)
    assert run.code == 1
    assert "data/labs/lab-a.yaml:1:1: error: (file): already exists (edit it instead)" in run.err
    assert (data / "labs" / "lab-a.yaml").read_bytes() == before


def test_new_lab_with_a_broken_rubric_exits_1_and_writes_nothing(data_folder, scorecard):
    data = data_folder({"rubric.yaml": "title: [unclosed\n"})
    run = scorecard("new-lab", "example", "--name", "Example", "--data", data, "--date", DATE)
    assert run.code == 1
    assert "data/rubric.yaml:1:8: error: (yaml): invalid YAML" in run.err  # at the `[`
    assert not (data / "labs" / "example.yaml").exists()


# --- the installed entry point --------------------------------------------------------------


def python_m_generator(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.slow  # three interpreter start-ups
def test_python_m_generator_validates_and_exits_with_the_spec_codes(data_folder, tmp_path):
    data_folder({"labs/lab-b.yaml": "name: [\n"})
    invalid = python_m_generator("validate", "--data", "data", "--date", DATE, cwd=tmp_path)
    assert invalid.returncode == 1
    assert "Traceback" not in invalid.stderr
    assert invalid.stderr.startswith("data/labs/lab-b.yaml:1:8: error: (yaml): invalid YAML")
    valid = python_m_generator("validate", "--data", str(MINIMAL), "--date", DATE, cwd=tmp_path)
    assert valid.returncode == 0
    usage = python_m_generator("validate", "--date", "today", cwd=tmp_path)
    assert usage.returncode == 2


# --- --changed: the warnings a change made, the rest summed up ----------------------------------


def test_changed_lists_warnings_only_for_touched_files_and_sums_up_the_rest(
    repo, scorecard, monkeypatch
):
    repo.git("checkout", "-q", "-b", "my-change")
    lab_b = repo.data / "labs" / "lab-b.yaml"
    text = lab_b.read_text(encoding="utf-8")
    lab_b.write_text(
        text.replace("summary: No framework was found.", "summary: 'TODO: look again'"),
        encoding="utf-8",
    )
    everything = scorecard("validate", "--data", "data", "--date", DATE)
    assert len(problem_lines(everything.err)) == 2  # lab-a's stale reading, lab-b's placeholder

    run = scorecard("validate", "--data", "data", "--date", DATE, "--changed", "main")
    assert run.code == 0
    [warning] = problem_lines(run.err)
    assert warning.startswith("data/labs/lab-b.yaml:") and "still starts with TODO" in warning
    assert run.err.splitlines()[-1] == (
        "1 warning about 1 file this change does not touch, not listed "
        "(run without --changed to list them)"
    )
    # The Check workflow sets the base for a pull request's run; the option is the same.
    monkeypatch.setenv("SCORECARD_CHANGED_BASE", "main")
    assert scorecard("validate", "--data", "data", "--date", DATE).err == run.err


def test_changed_never_hides_an_error(repo, scorecard):
    repo.git("checkout", "-q", "-b", "my-change")
    (repo.data / "labs" / "lab-c.yaml").write_text(bad_lab(), encoding="utf-8")
    run = scorecard("validate", "--data", "data", "--date", DATE, "--changed", "main")
    assert run.code == 1
    lines = run.err.splitlines()
    assert lines[0].startswith("data/labs/lab-c.yaml:16:1: error: sumary: unknown field")
    assert "1 warning about 1 file this change does not touch" in lines[-1]


def test_changed_with_an_unknown_base_is_a_usage_error(repo, scorecard):
    run = scorecard("validate", "--data", "data", "--date", DATE, "--changed", "no-such-branch")
    assert run.code == 2
    assert run.err.startswith(
        "scorecard: usage error: --changed no-such-branch: no such branch or commit in this "
        "repository (name the branch your change is based on, e.g. main or origin/main)"
    )
