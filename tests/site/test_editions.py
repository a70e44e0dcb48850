"""Editions, citations and the change feed, on temporary git repositories with real history."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from tests.support import FIXTURES, ROOT, tree_bytes

from generator import gitinfo

ATOM = "{http://www.w3.org/2005/Atom}"


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = None
    if date:
        import os

        env = dict(
            os.environ, GIT_AUTHOR_DATE=f"{date}T12:00:00Z", GIT_COMMITTER_DATE=f"{date}T12:00:00Z"
        )
    return subprocess.run(
        ["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env
    ).stdout


@pytest.fixture
def isolated_git(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.invalid")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def history_repo(tmp_path: Path, isolated_git, scorecard, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three data commits: the fixture (edition 2024.05), lab-b partial -> full (edition
    2024.06), then lab-a's framework weak -> none (no edition yet).

    Scores: lab-b 37.5 -> 75.0 (access 100, its depth is not applicable; commitments 0);
    lab-a 56.3 -> 50.0 (access 66.7 x 3, commitments 0 x 1, over 4)."""
    return make_history(tmp_path / "repo", scorecard)


def make_history(repo: Path, scorecard) -> Path:
    """The repository of `history_repo`, made at `repo` (git's identity set by the caller)."""
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copytree(FIXTURES / "minimal", repo / "data")
    git(repo, "add", "data")
    git(repo, "commit", "-q", "-m", "Seed data", date="2024-05-20")
    # A release declares the edition in editions.yaml, published on the --date given, and the
    # maintainer commits that file (it touches no data, so the feed and the dates ignore it).
    assert (
        scorecard("release", "2024.05", "--data", repo / "data", "--date", "2024-05-21").code == 0
    )
    git(repo, "add", "editions.yaml")
    git(repo, "commit", "-q", "-m", "Edition 2024.05", date="2024-05-21")
    edit(repo / "data/labs/lab-b.yaml", "level: partial", "level: full")
    git(repo, "commit", "-q", "-am", "Lab B: named evaluator found", date="2024-06-10")
    assert (
        scorecard("release", "2024.06", "--data", repo / "data", "--date", "2024-06-11").code == 0
    )
    git(repo, "commit", "-q", "-am", "Edition 2024.06", date="2024-06-11")
    edit(repo / "data/labs/lab-a.yaml", "level: weak", "level: none")
    git(
        repo,
        "commit",
        "-q",
        "-am",
        "Lab A: framework no longer mentions external evals",
        date="2024-07-01",
    )
    return repo


def build(scorecard, data: Path, out: Path) -> None:
    run = scorecard(
        "build",
        "--data",
        data,
        "--out",
        out,
        "--date",
        "2024-07-02",
        "--config",
        ROOT / "mkdocs.yml",
    )
    assert run.code == 0, run.err


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_release_declares_the_edition_in_a_tracked_file_and_mirrors_it_in_a_tag(
    history_repo: Path,
) -> None:
    declared = gitinfo.run_git(["show", "HEAD:editions.yaml"], history_repo)
    data_commits = git(history_repo, "log", "--format=%H", "--", "data").split()
    # oldest first: the seed data, then lab B's change
    assert f'name: "2024.05"\n    date: 2024-05-21\n    commit: {data_commits[2]}' in declared
    assert f'name: "2024.06"\n    date: 2024-06-11\n    commit: {data_commits[1]}' in declared
    assert "Methodology 0.1, data as of 2024-05-20." in declared
    tags = git(history_repo, "tag", "--list", "edition-*").split()
    assert tags == ["edition-2024.05", "edition-2024.06"]
    assert git(history_repo, "rev-parse", "edition-2024.05^{commit}").strip() == data_commits[2]


def test_a_clone_without_tags_renders_every_declared_edition(
    history_repo: Path, scorecard, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--no-tags", f"file://{history_repo}", str(clone)],
        check=True,
        capture_output=True,
    )
    assert git(clone, "tag", "--list") == ""
    build(scorecard, clone / "data", tmp_path / "site")
    assert "Snapshot: edition 2024.05" in page(tmp_path / "site", "editions/2024.05/labs/lab-b")
    assert "Snapshot: edition 2024.06" in page(tmp_path / "site", "editions/2024.06/labs/lab-b")


def test_edition_pages_keep_their_old_scores_while_current_pages_move(
    history_repo: Path, scorecard, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build(scorecard, history_repo / "data", site)
    old = page(site, "editions/2024.05/labs/lab-b")
    new = page(site, "labs/lab-b")
    assert "37.5" in old and "Snapshot: edition 2024.05" in old
    assert "75.0" in new and "Snapshot" not in new
    assert 'href="../../../../labs/lab-b/"' in old  # the banner links to the current page
    # The 2024.06 edition has lab B's change but not lab A's later one.
    assert "56.3" in page(site, "editions/2024.06/labs/lab-a")
    assert "50.0" in page(site, "labs/lab-a")
    assert (
        json.loads((site / "editions/2024.05/data/scorecard.json").read_text())["labs"][1]["score"]
        == 37.5
    )


def test_the_editions_page_lists_editions_with_dates_and_versions(
    history_repo: Path, scorecard, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build(scorecard, history_repo / "data", site)
    listing = page(site, "editions")
    assert listing.index(">2024.06<") < listing.index(">2024.05<")
    # published on the date declared; data as of the last data commit of the edition
    assert "<td>2024-06-11</td><td>0.1</td><td>2024-06-10</td>" in listing


def test_citations_name_the_latest_edition_and_say_when_the_page_differs(
    history_repo: Path, scorecard, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build(scorecard, history_repo / "data", site)
    lab_b, lab_a = page(site, "labs/lab-b"), page(site, "labs/lab-a")
    for text in (lab_a, lab_b, page(site, "criteria/framework")):
        assert "Latest edition: <a" in text and ">2024.06</a>" in text
        assert "<code>/editions/2024.06/" in text
    assert "This page says the same as that edition." in lab_b
    assert "This page has changed since that edition" in lab_a
    assert "This page has changed since that edition" in page(site, "criteria/framework")
    assert "You are reading edition 2024.05" in page(site, "editions/2024.05/labs/lab-a")


def test_the_feed_has_one_entry_per_data_change_with_stable_ids(
    history_repo: Path, scorecard, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build(scorecard, history_repo / "data", site)
    commits = git(history_repo, "log", "--format=%H", "--", "data").split()  # newest first
    atom = ET.fromstring((site / "feed.xml").read_text(encoding="utf-8"))
    entries = atom.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"urn:scorecard:change:{sha}" for sha in commits
    ]
    newest = entries[0]
    assert newest.findtext(f"{ATOM}updated") == "2024-07-01T12:00:00+00:00"
    assert newest.findtext(f"{ATOM}summary") == "Lab A: framework no longer mentions external evals"
    content = newest.findtext(f"{ATOM}content")
    assert "Lab A, Framework: weak (0.25) → none (0)" in content
    assert "Lab A: score 56.3 → 50.0" in content
    assert 'href="labs/lab-a/#framework"' in content  # relative to the feed, at the root
    items = json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]
    assert [i["id"] for i in items] == [e.findtext(f"{ATOM}id") for e in entries]
    again = tmp_path / "again"
    build(scorecard, history_repo / "data", again)
    assert tree_bytes(again) == tree_bytes(site)


def test_a_shallow_clone_builds_without_history_and_says_so(
    history_repo: Path, scorecard, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{history_repo}", str(clone)],
        check=True,
        capture_output=True,
    )
    run = scorecard(
        "build",
        "--data",
        clone / "data",
        "--out",
        tmp_path / "site",
        "--date",
        "2024-07-02",
        "--config",
        ROOT / "mkdocs.yml",
    )
    assert run.code == 0, run.err
    assert "shallow clone" in run.err
    assert not (tmp_path / "site" / "feed.xml").exists()
    assert "No edition has been published yet" in page(tmp_path / "site", "editions")


def test_a_folder_outside_git_builds_without_history(scorecard, tmp_path: Path) -> None:
    data = shutil.copytree(FIXTURES / "minimal", tmp_path / "data")
    run = scorecard(
        "build",
        "--data",
        data,
        "--out",
        tmp_path / "site",
        "--date",
        "2024-06-01",
        "--config",
        ROOT / "mkdocs.yml",
    )
    assert run.code == 0, run.err
    assert "not in a git repository" in run.err
    assert not (tmp_path / "site" / "feed.xml").exists()


@pytest.mark.parametrize(
    ("name", "code", "message"),
    [
        ("2024-05", 2, "expected YYYY.MM or YYYY.MM.N"),
        ("2024.13", 2, "expected YYYY.MM or YYYY.MM.N"),
        ("2024.05", 2, "exists already"),
    ],
    ids=["a name that is not YYYY.MM", "a month that does not exist", "an existing edition"],
)
def test_release_refuses(history_repo: Path, scorecard, name: str, code: int, message: str) -> None:
    run = scorecard("release", name, "--data", history_repo / "data", "--date", "2024-07-02")
    assert run.code == code
    assert message in run.err


def test_release_refuses_uncommitted_data(history_repo: Path, scorecard) -> None:
    edit(history_repo / "data/labs/lab-a.yaml", "name: Lab A", "name: Lab A2")
    run = scorecard("release", "2024.07", "--data", history_repo / "data", "--date", "2024-07-02")
    assert run.code == 2
    assert "uncommitted changes" in run.err


def test_a_commit_message_with_any_character_git_allows_is_read_whole(
    history_repo: Path, tmp_path: Path
) -> None:
    message = tmp_path / "message"
    message.write_bytes(b"Lab A: back to weak\n\nrecord \x1e and unit \x1f separators\n")
    edit(history_repo / "data/labs/lab-a.yaml", "level: none", "level: weak")
    git(history_repo, "commit", "-q", "-a", "-F", str(message), date="2024-07-02")
    newest = gitinfo.log(history_repo, "data")[-1]
    assert newest.subject == "Lab A: back to weak"
    assert newest.body == "record \x1e and unit \x1f separators"
    assert len(gitinfo.log(history_repo, "data")) == 4


def test_a_commit_with_an_empty_message_gets_a_feed_entry_with_an_empty_summary(
    history_repo: Path, scorecard, tmp_path: Path
) -> None:
    lab = history_repo / "data/labs/lab-a.yaml"
    edit(lab, "framework:\n    level: none", "framework:\n    level: weak")
    git(history_repo, "commit", "-q", "-a", "--allow-empty-message", "-m", "", date="2024-07-02")
    site = tmp_path / "site"
    build(scorecard, history_repo / "data", site)
    newest = ET.fromstring((site / "feed.xml").read_text(encoding="utf-8")).find(f"{ATOM}entry")
    assert newest is not None and newest.findtext(f"{ATOM}summary") == ""
    items = json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]
    assert items[0]["summary"] == ""


def test_edition_snapshots_stay_out_of_the_search_index(
    history_repo: Path, scorecard, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build(scorecard, history_repo / "data", site)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    assert any(loc.startswith("labs/lab-b/") for loc in locations)
    assert not [loc for loc in locations if loc.startswith("editions/2024")]
