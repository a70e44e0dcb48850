"""`scorecard diff BASE [HEAD]` (SPEC 6): levels and scores compared between folders and revisions.

The command tests build small git repositories in a temporary folder (git isolated from the
user's configuration), with tests/fixtures/minimal as the data folder. The comparison and the
Markdown are also tested as pure functions of two scorecards.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from generator import changes as diff
from generator import revisions, validate
from generator.escape import markdown_code_span, markdown_table_cell
from generator.revisions import Repository
from generator.score import Scorecard, score_dataset
from generator.validate import validate_folder
from tests.support import DATE, FIXTURES, REFERENCE, edit

MINIMAL = FIXTURES / "minimal"
LAB_A = "labs/lab-a.yaml"
LAB_B = "labs/lab-b.yaml"


# --- helpers ----------------------------------------------------------------------------------


@pytest.fixture
def temporary_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where tempfile puts folders during the test, so a test can see that none are left."""
    folder = tmp_path / "tempfiles"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def working_files(root: Path) -> dict[Path, bytes]:
    """The work tree's files, but git's own and the revision cache (which ignores itself)."""
    skip = {".git", ".scorecard-cache"}
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not skip & set(p.parts)}


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ")]


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def scorecard_of(folder: Path) -> Scorecard:
    result = validate_folder(folder, latest=REFERENCE, reference=REFERENCE)
    assert result.dataset is not None, [p.format() for p in result.errors]
    return score_dataset(result.dataset, REFERENCE)


@pytest.fixture
def folders(tmp_path: Path):
    """Copies of the minimal fixture, one per name, to edit and compare."""

    def copy(name: str) -> Path:
        return shutil.copytree(MINIMAL, tmp_path / name)

    return copy


LEVEL_ROW = "| Lab A | Framework | Weak (weak) → Commitment (full) | 0.25 → 1 |"
SCORE_ROW = "| Lab A | 56.3 → 75.0 | 1 | B |"


# --- the command on git repositories ----------------------------------------------------------


def test_a_level_change_shows_the_old_and_new_level_points_and_score(repo, scorecard):
    edit(repo.data / LAB_A, "level: weak", "level: full")
    repo.commit("Lab A commits to external evaluation")

    run = scorecard("diff", "HEAD~1", "HEAD", "--date", DATE)

    assert run.code == 0, run.err
    assert run.err == ""
    rows = table_rows(run.out)
    assert LEVEL_ROW in rows
    assert SCORE_ROW in rows
    assert "Lab B" not in run.out  # nothing about Lab B changed
    lines = run.out.splitlines()
    assert lines[0].startswith("## Score diff: `HEAD~1` (")
    assert lines[2] == "1 level changed, 1 lab's score, rank or grade changed."
    assert "Scored with reference date 2024-06-01 on both sides; rubric version 0.1." in lines


def test_an_added_lab_is_listed_with_its_score_and_the_ranks_it_shifts(repo, scorecard):
    lab_c = (repo.data / LAB_A).read_text(encoding="utf-8").replace("name: Lab A", "name: Lab C")
    (repo.data / "labs" / "lab-c.yaml").write_text(
        lab_c.replace("level: weak", "level: full"), encoding="utf-8"
    )
    repo.commit("Assess Lab C")

    run = scorecard("diff", "HEAD~1", "HEAD", "--date", DATE)

    assert run.code == 0, run.err
    assert table_rows(run.out)[1:] == [
        "| Lab A | 56.3 | 1 → 2 | B |",
        "| Lab B | 37.5 | 2 → 3 | F |",
        "| Lab C (added) | — → 75.0 | — → 1 | — → B |",
    ]
    assert "- added: `lab-c` Lab C" in run.out.splitlines()
    assert "### Levels" not in run.out  # a new lab's levels are not changes of a level
    assert run.out.splitlines()[2] == "2 labs' scores, ranks or grades changed, 1 lab added."


def test_a_removed_source_is_listed_and_its_citations_count_as_evidence_changes(repo, scorecard):
    sources = repo.data / "sources.yaml"
    kept = sources.read_text(encoding="utf-8").split("  - id: news-b")[0]
    sources.write_text(kept, encoding="utf-8")
    edit(repo.data / LAB_A, "evidence: [{source: news-b}]", "evidence: [{source: report-a}]")
    edit(repo.data / LAB_B, "evidence: [{source: news-b}]", "evidence: [{source: report-a}]")
    repo.commit("Drop the news story about Lab B")

    run = scorecard("diff", "HEAD~1", "HEAD", "--date", DATE)

    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[2] == "No score changes."
    assert "- removed: `news-b` News about B" in lines
    assert table_rows(run.out) == [
        "| Lab | Criterion | Changed |",
        "| Lab A | Pre-deployment access | history |",
        "| Lab B | Pre-deployment access | evidence |",
        # What the change took from the record, which a reviewer must see with no score change.
        "| Lab | Criterion | What |",
        "| Lab A | Pre-deployment access | the history entry of 2023-06-01 was rewritten |",
        "| Lab A | Pre-deployment access | evidence from news-b was removed "
        "(history, 2023-06-01) |",
        "| Lab B | Pre-deployment access | evidence from news-b was removed |",
    ]
    assert "### Text or evidence changed without a level change" in lines


def test_no_change_prints_exactly_no_score_changes(repo, scorecard):
    (repo.root / "README.md").write_text("Not data.\n", encoding="utf-8")
    repo.commit("A change outside the data folder")

    run = scorecard("diff", "HEAD~1", "HEAD", "--date", DATE)

    assert run.code == 0
    base, head = repo.short("HEAD~1"), repo.short("HEAD")
    assert run.out == (
        f"## Score diff: `HEAD~1` ({base}) → `HEAD` ({head})\n"
        "\n"
        "No score changes.\n"
        "\n"
        "Scored with reference date 2024-06-01 on both sides; rubric version 0.1.\n"
    )


def test_head_defaults_to_the_working_tree_with_its_uncommitted_edits(repo, scorecard):
    edit(repo.data / LAB_A, "level: weak", "level: full")

    run = scorecard("diff", "HEAD", "--date", DATE)

    assert run.code == 0, run.err
    assert run.out.splitlines()[0].endswith("→ `data` (working tree)")
    assert LEVEL_ROW in table_rows(run.out)


def test_the_working_tree_and_index_are_untouched_by_a_diff_against_an_old_revision(
    repo, scorecard, temporary_files
):
    edit(repo.data / LAB_A, "level: weak", "level: full")
    repo.commit("Lab A commits")
    edit(repo.data / LAB_B, "level: partial", "level: full")
    repo.git("add", "data/labs/lab-b.yaml")  # staged
    edit(repo.data / LAB_A, "could not fine-tune", "could not fine-tune either")  # unstaged
    (repo.root / "notes.txt").write_text("untracked\n", encoding="utf-8")
    before = repo.state()
    head_before = repo.git("rev-parse", "HEAD")
    index = repo.root / ".git" / "index"
    index_before = index.read_bytes(), index.stat().st_mtime_ns
    files_before = working_files(repo.root)

    run = scorecard("diff", "HEAD~1", "--date", DATE)

    assert run.code == 0, run.err
    assert (index.read_bytes(), index.stat().st_mtime_ns) == index_before
    assert working_files(repo.root) == files_before
    assert repo.state() == before
    assert repo.git("rev-parse", "HEAD") == head_before
    assert repo.git("rev-parse", "--abbrev-ref", "HEAD").strip() == "main"
    assert list(temporary_files.iterdir()) == []  # the extracted revision is gone


def test_two_revisions_can_be_compared_from_a_subfolder_with_a_relative_data_path(
    repo, scorecard, monkeypatch
):
    edit(repo.data / LAB_A, "level: weak", "level: full")
    repo.commit("Lab A commits")
    monkeypatch.chdir(repo.data / "labs")

    run = scorecard("diff", "HEAD~1", "HEAD", "--data", "..", "--date", DATE)

    assert run.code == 0, run.err
    assert LEVEL_ROW in table_rows(run.out)


def test_a_revision_that_does_not_exist_is_a_usage_error(repo, scorecard):
    run = scorecard("diff", "no-such-branch", "--date", DATE)

    assert run.code == 2
    assert run.out == ""
    assert (
        "usage error: BASE: expected a data folder or a git revision, but 'no-such-branch' is "
        "neither" in run.err
    )


def test_an_argument_that_looks_like_an_option_is_never_passed_to_git(repo, scorecard):
    run = scorecard("diff", "--date", DATE, "--", "--output=x")

    assert run.code == 2
    assert "'--output=x' is neither" in run.err
    assert not (repo.root / "x").exists()


def test_a_revision_without_the_data_folder_is_a_usage_error(repo, scorecard):
    run = scorecard("diff", "HEAD", "--data", "elsewhere", "--date", DATE)

    assert run.code == 2
    assert "BASE: revision 'HEAD' has no data folder 'elsewhere'" in run.err


def test_outside_git_a_revision_is_a_usage_error_that_says_so(
    data_folder, scorecard, monkeypatch, tmp_path
):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    data_folder()

    run = scorecard("diff", "HEAD", "--date", DATE)

    assert run.code == 2
    assert "(and 'data' is not in a git repository)" in run.err


def test_invalid_data_at_a_revision_exits_1_with_its_problems_at_rev_colon_path(repo, scorecard):
    edit(repo.data / LAB_B, "name: Lab B", "name: Lab B\nsumary: typo")
    repo.commit("A typo")

    run = scorecard("diff", "HEAD~1", "HEAD", "--date", DATE)

    assert run.code == 1
    assert run.out == ""
    assert f"scorecard diff: HEAD (HEAD, {repo.short('HEAD')}) is not valid data:" in run.err
    assert "BASE" not in run.err
    [error] = run.error_lines
    assert error.startswith("HEAD:data/labs/lab-b.yaml:2:1: error: ")
    assert "sumary" in error


def test_invalid_data_in_the_working_tree_exits_1_and_names_that_side(repo, scorecard):
    edit(repo.data / LAB_A, "level: weak", "level: great")

    run = scorecard("diff", "HEAD", "--date", DATE)

    assert run.code == 1
    assert "scorecard diff: HEAD (data, working tree) is not valid data:" in run.err
    [error] = run.error_lines
    assert error.startswith("data/labs/lab-a.yaml:")


def test_a_link_in_a_revisions_data_folder_is_refused_not_followed(repo, scorecard):
    (repo.data / "labs" / "lab-c.yaml").symlink_to("/etc/passwd")
    repo.commit("A link")

    run = scorecard("diff", "HEAD~1", "HEAD", "--date", DATE)

    assert run.code == 1
    assert "data/labs/lab-c.yaml: is a link (commit the file itself)" in run.err


def test_the_reference_date_defaults_to_the_head_revisions_last_data_commit(repo):
    edit(repo.data / LAB_A, "level: weak", "level: full")
    repo.commit("Lab A commits", day="2024-05-20")
    (repo.root / "README.md").write_text("Not data.\n", encoding="utf-8")
    repo.commit("Not data", day="2024-05-30")
    repository = Repository.of(Path("data"), cache=False)
    assert repository is not None
    assert repository.data_path == "data"
    snapshot = repository.at(repo.sha("HEAD"))

    assert snapshot.date == dt.date(2024, 5, 20)


# --- the command on folders -------------------------------------------------------------------


def test_two_folders_are_compared_without_git(folders, scorecard, monkeypatch, tmp_path):
    base, head = folders("base"), folders("head")
    edit(head / LAB_A, "level: weak", "level: full")
    monkeypatch.chdir(tmp_path)

    run = scorecard("diff", "base", "head", "--date", DATE)

    assert run.code == 0, run.err
    assert run.out.splitlines()[0] == "## Score diff: `base` (folder) → `head` (folder)"
    assert LEVEL_ROW in table_rows(run.out)
    assert base.is_dir()


# --- the comparison as a pure function --------------------------------------------------------


def test_a_scorecard_compared_with_itself_has_no_changes():
    card = scorecard_of(MINIMAL)

    result = diff.compare(card, card)

    assert not result.changes_scores
    assert result.levels == result.standings == result.text == ()
    assert diff.summary_line(result) == "No score changes."


def test_a_level_change_carries_the_old_and_new_level_ids_labels_and_points(folders):
    head = folders("head")
    edit(head / LAB_A, "level: weak", "level: full")

    result = diff.compare(scorecard_of(MINIMAL), scorecard_of(head))

    [change] = result.levels
    assert (change.lab_slug, change.criterion_id) == ("lab-a", "framework")
    assert change.old == diff.LevelReading("weak", "Weak", Fraction(1, 4))
    assert change.new == diff.LevelReading("full", "Commitment", Fraction(1))
    [standing] = result.standings
    assert standing.old == diff.Standing(Decimal("56.3"), 1, "B")
    assert standing.new == diff.Standing(Decimal("75.0"), 1, "B")
    assert result.text == ()  # a level change is not also a text change


def test_a_summary_edit_without_a_level_change_is_a_text_change_not_a_score_change(folders):
    head = folders("head")
    edit(head / LAB_B, "No framework was found.", "No framework was found in 2024.")

    result = diff.compare(scorecard_of(MINIMAL), scorecard_of(head))

    assert not result.changes_scores
    assert [(t.lab_slug, t.criterion_id, t.parts) for t in result.text] == [
        ("lab-b", "framework", ("summary",))
    ]


def test_a_new_criterion_shows_each_lab_going_from_absent_to_its_level(folders):
    head = folders("head")
    edit(
        head / "rubric.yaml",
        "          - {id: none, label: None, points: 0, description: No mention.}\n",
        "          - {id: none, label: None, points: 0, description: No mention.}\n"
        "      - id: thresholds\n"
        "        title: Thresholds\n"
        "        question: Are there thresholds?\n"
        "        why: Thresholds make promises checkable.\n"
        "        weight: 1\n"
        "        levels:\n"
        "          - {id: full, label: Yes, points: 1, description: There are.}\n"
        "          - {id: none, label: No, points: 0, description: There are not.}\n",
    )
    for lab in (LAB_A, LAB_B):
        text = (head / lab).read_text(encoding="utf-8")
        (head / lab).write_text(
            text + "  thresholds:\n    level: no-disclosure\n    as_of: 2024-03-02\n"
            "    summary: None found.\n",
            encoding="utf-8",
        )

    result = diff.compare(scorecard_of(MINIMAL), scorecard_of(head))

    assert [e.id for e in result.added_criteria] == ["thresholds"]
    assert [(c.lab_slug, c.criterion_id, c.old) for c in result.levels] == [
        ("lab-a", "thresholds", None),
        ("lab-b", "thresholds", None),
    ]
    markdown = diff.render_markdown(
        result, diff.SideLabel("a", "folder"), diff.SideLabel("b", "folder")
    )
    assert "| Lab A | Thresholds | — → No public information (no-disclosure) | — → 0 |" in markdown
    assert "- added: `thresholds` Thresholds" in markdown


def test_a_weight_change_is_a_score_change_even_without_a_level_change(folders):
    head = folders("head")
    edit(head / "rubric.yaml", "    weight: 3\n", "    weight: 1\n")

    result = diff.compare(scorecard_of(MINIMAL), scorecard_of(head))

    assert result.changes_scores
    assert [(w.kind, w.id, w.old, w.new) for w in result.weights] == [("category", "access", 3, 1)]
    assert result.levels == ()


def test_labs_are_ordered_by_slug_whatever_their_rank(folders):
    head = folders("head")
    edit(head / LAB_A, "level: weak", "level: none")
    edit(head / LAB_B, "level: partial", "level: full")

    result = diff.compare(scorecard_of(MINIMAL), scorecard_of(head))

    assert [s.lab_slug for s in result.standings] == ["lab-a", "lab-b"]
    assert [(c.lab_slug, c.criterion_id) for c in result.levels] == [
        ("lab-a", "framework"),
        ("lab-b", "pre-deployment"),
    ]


def test_contributor_text_cannot_break_a_table_or_add_a_link(folders):
    head = folders("head")
    name = "Evil | Lab <img src=x onerror=alert(1)> [click](javascript:alert(1)) *x* `c` www.x.io"
    edit(head / LAB_A, "name: Lab A", f"name: '{name}'")
    edit(head / LAB_A, "level: weak", "level: full")

    result = diff.compare(scorecard_of(MINIMAL), scorecard_of(head))
    markdown = diff.render_markdown(
        result, diff.SideLabel("a`b", "folder"), diff.SideLabel("b", "folder")
    )

    rows = [row for row in table_rows(markdown) if row.startswith("| Evil")]
    assert len(rows) == 3  # its score, its level, and its new name
    for row in rows[:2]:
        assert unescaped_pipes(row) == 5, row  # four cells, however the name is written
    assert unescaped_pipes(rows[2]) == 4  # three cells
    # Every character that could open an element, a link or an image is escaped.
    assert not re.search(r"(?<!\\)[<>\[\]]", markdown.replace("## Score diff: ``a`b``", ""))
    assert "\\[click\\]" in markdown and "javascript\\:" in markdown
    assert markdown.startswith("## Score diff: ``a`b`` (folder)")


# --- the escaping it uses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("Lab A", "Lab A"),
        ("a|b", "a\\|b"),
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("[x](https://e.org)", "\\[x\\](https\\://e.org)"),
        ("*a* _b_ `c` ~d~ $e$ &amp;", "\\*a\\* \\_b\\_ \\`c\\` \\~d\\~ \\$e\\$ \\&amp;"),
        ("see www.example.org", "see www\\.example.org"),
        ("two\nlines", "two lines"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_a_markdown_table_cell_shows_exactly_the_text(text, cell):
    assert markdown_table_cell(text) == cell


@pytest.mark.parametrize(
    ("text", "span"),
    [("HEAD~1", "`HEAD~1`"), ("a`b", "``a`b``"), ("`x", "`` `x ``"), ("a``b", "```a``b```")],
)
def test_a_code_span_is_fenced_longer_than_any_backtick_run_inside(text, span):
    assert markdown_code_span(text) == span


def test_a_side_label_cannot_add_markup_to_the_heading():
    label = diff.SideLabel("x", "<script>")
    assert label.markdown() == "`x` (\\<script\\>)"


def test_rubric_version_changes_are_shown_as_old_to_new():
    card = scorecard_of(MINIMAL)
    newer = replace(
        card, dataset=replace(card.dataset, rubric=replace(card.dataset.rubric, version="0.2"))
    )

    markdown = diff.render_markdown(
        diff.compare(card, newer), diff.SideLabel("a", "folder"), diff.SideLabel("b", "folder")
    )

    assert "rubric version 0.1 → 0.2." in markdown
    assert "No score changes." in markdown.splitlines()


def test_two_revisions_compare_when_the_data_folder_is_gone_from_the_working_tree(repo, scorecard):
    edit(repo.data / LAB_A, "level: weak", "level: full")
    repo.commit("Lab A commits")
    shutil.rmtree(repo.data)

    run = scorecard("diff", "HEAD~1", "HEAD", "--date", DATE)

    assert run.code == 0, run.err
    assert "Framework" in run.out


def test_a_file_both_sides_hold_unchanged_is_read_once(repo, scorecard, monkeypatch):
    edit(repo.data / LAB_A, "level: weak", "level: full")  # one file differs from HEAD
    loaded: list[str] = []
    real = validate.load_bytes

    def counting(data: bytes, path: str):
        loaded.append(Path(path).name)
        return real(data, path)

    monkeypatch.setattr(validate, "load_bytes", counting)
    run = scorecard("diff", "HEAD", "--date", DATE)
    assert run.code == 0, run.err
    files = sorted(p.name for p in repo.data.rglob("*.yaml"))
    # every file once, and the one edited file a second time (its two versions)
    assert sorted(loaded) == sorted([*files, "lab-a.yaml"])


def test_a_revision_is_validated_once_then_read_from_the_cache(repo, scorecard, monkeypatch):
    calls: list[Path] = []
    real = revisions.validate_folder

    def counting(folder, **kwargs):
        calls.append(folder)
        return real(folder, **kwargs)

    monkeypatch.setattr(revisions, "validate_folder", counting)
    assert scorecard("diff", "HEAD", "--date", DATE).code == 0
    assert len(calls) == 1
    assert scorecard("diff", "HEAD", "--date", DATE).code == 0
    assert len(calls) == 1  # the second process would find it on disk, as this one does
    assert repo.git("status", "--porcelain") == ""  # the cache ignores itself


# --- what a change takes from the record ------------------------------------------------------

NEW_FRAMEWORK = (
    "  framework:\n"
    "    level: full\n"
    "    as_of: 2024-04-01\n"
    "    summary: The framework now commits to external evaluation.\n"
    "    evidence: [{source: report-a}]\n"
)
OLD_FRAMEWORK_AS_HISTORY = (
    "    history:\n"
    "      - level: weak\n"
    "        as_of: 2024-02-01\n"
    "        summary: The framework says it will explore external evaluation.\n"
    "        evidence: [{source: report-a}]\n"
)
TAKEN = "### Taken from the record"


def replace_framework(path: Path, keep_old: bool) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index("  framework:\n")
    after = re.search(r"^  \S", text[start + 3 :], re.M)  # the next criterion, if any
    end = len(text) if after is None else start + 3 + after.start()
    new = NEW_FRAMEWORK + (OLD_FRAMEWORK_AS_HISTORY if keep_old else "")
    path.write_text(text[:start] + new + text[end:], encoding="utf-8")


def test_deleting_a_reading_and_moving_it_to_history_give_different_diffs(repo, scorecard):
    base = repo.sha()
    replace_framework(repo.data / LAB_A, keep_old=True)
    repo.commit("Lab A commits; the old reading goes to history")
    moved = scorecard("diff", base, "HEAD", "--date", DATE)
    assert moved.code == 0, moved.err
    assert TAKEN not in moved.out

    repo.git("checkout", "-q", base, "--", "data")
    replace_framework(repo.data / LAB_A, keep_old=False)
    repo.commit("Lab A commits; the old reading is deleted")
    deleted = scorecard("diff", base, "HEAD", "--date", DATE)
    assert deleted.code == 0, deleted.err
    assert table_rows(moved.out) <= table_rows(deleted.out)  # the same level and score rows
    assert TAKEN in deleted.out
    assert (
        "| Lab A | Framework | the reading of 2024-02-01 (weak) was deleted, not moved to history |"
        in table_rows(deleted.out)
    )


def test_a_removed_history_entry_and_a_changed_quote_are_shown_without_a_score_change(
    repo, scorecard
):
    text = (repo.data / LAB_A).read_text(encoding="utf-8")
    start = text.index("    history:\n", text.index("  pre-deployment:\n"))
    end = text.index("  depth:\n")
    text = text[:start] + text[end:]
    text = text.replace("quote: We shared Model One before release.", "quote: We shared it.")
    (repo.data / LAB_A).write_text(text, encoding="utf-8")
    repo.commit("Trim Lab A")
    run = scorecard("diff", "HEAD~1", "HEAD", "--date", DATE)
    assert run.code == 0, run.err
    rows = table_rows(run.out)
    assert (
        "| Lab A | Pre-deployment access | the history entry of 2023-06-01 (none) was removed |"
        in rows
    )
    assert (
        "| Lab A | Pre-deployment access | a quote from report-a was changed or removed |" in rows
    )
