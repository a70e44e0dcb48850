"""The change feed's history: one description per commit that changed scores, each change
credited to the commit that made it, and each commit described once (the revision cache)."""

from __future__ import annotations

from generator import feed, revisions
from generator.revisions import Repository
from tests.support import GitRepo, edit

LAB_A, LAB_B, SOURCES = "labs/lab-a.yaml", "labs/lab-b.yaml", "sources.yaml"


def history(repo: GitRepo) -> dict[str, tuple[str, ...]]:
    """The feed's entries as {commit: their lines}."""
    found = feed.data_history(Repository.of(repo.data))
    return {entry.sha: entry.lines for entry in found.entries}


def test_each_commit_that_changes_a_level_gets_one_entry_with_its_lines(repo: GitRepo) -> None:
    edit(repo.data / LAB_B, "level: partial", "level: full")
    change = repo.commit("Lab B: named evaluator", day="2024-05-10")
    edit(repo.data / SOURCES, "title:", "title: Renamed")  # no score changes: no entry
    quiet = repo.commit("Retitle a source", day="2024-05-11")
    entries = history(repo)
    assert quiet not in entries
    assert any(
        "Lab B, Pre-deployment access: partial (0.5) → full (1)" in line for line in entries[change]
    )


def test_changes_across_a_commit_with_invalid_data_are_credited_to_the_commit_that_made_them(
    repo: GitRepo,
) -> None:
    edit(repo.data / LAB_B, "level: partial", "level: full")
    edit(repo.data / SOURCES, "sources:", "sources: [")  # and breaks another file
    made = repo.commit("Lab B: named evaluator (breaks sources.yaml)", day="2024-05-10")
    edit(repo.data / SOURCES, "sources: [", "sources:")
    fixed = repo.commit("Fix sources.yaml", day="2024-05-11")
    edit(repo.data / LAB_A, "level: weak", "level: full")
    later = repo.commit("Lab A: framework commits", day="2024-05-12")
    entries = history(repo)
    assert fixed not in entries  # it only repaired the file
    assert "Lab B, Pre-deployment access: partial (0.5) → full (1)" in entries[made]
    # Lab A's rank moved because Lab B overtook it: that is the same commit's doing.
    assert "Lab A: score 56.3 → 56.3, rank 1 → 2" in entries[made]
    assert "Lab A, Framework: weak (0.25) → full (1)" in entries[later]


def test_a_lab_changed_twice_across_invalid_commits_is_credited_to_its_last_change(
    repo: GitRepo,
) -> None:
    edit(repo.data / LAB_B, "level: partial", "level: full")
    edit(repo.data / SOURCES, "sources:", "sources: [")
    repo.commit("Lab B full, sources broken", day="2024-05-10")
    edit(repo.data / LAB_A, "level: weak", "level: full")
    lab_a = repo.commit("Lab A full, sources still broken", day="2024-05-11")
    edit(repo.data / SOURCES, "sources: [", "sources:")
    repo.commit("Fix sources.yaml", day="2024-05-12")
    entries = history(repo)
    assert "Lab A, Framework: weak (0.25) → full (1)" in entries[lab_a]


def test_a_second_history_describes_nothing_again(repo: GitRepo, monkeypatch) -> None:
    edit(repo.data / LAB_B, "level: partial", "level: full")
    repo.commit("Lab B full", day="2024-05-10")
    edit(repo.data / LAB_A, "level: weak", "level: full")
    repo.commit("Lab A full", day="2024-05-11")
    first = history(repo)

    def forbidden(*args, **kwargs):
        raise AssertionError("validated again")

    monkeypatch.setattr(revisions, "validate_folder", forbidden)
    monkeypatch.setattr(feed, "compare", forbidden)
    assert history(repo) == first


def test_a_shallow_clone_has_no_feed_and_says_why(repo: GitRepo, tmp_path) -> None:
    clone = GitRepo(tmp_path / "clone")
    repo.git("clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone.root))
    found = feed.data_history(Repository.of(clone.data))
    assert not found.entries and "shallow clone" in found.notes[0]
