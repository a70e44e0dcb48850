"""The script that posts the score diff on a pull request (.github/scripts/post_score_diff.py),
run against `workflow_run` payloads in GitHub's shape (tests/fixtures/github/, trimmed to the
fields the script reads and written from GitHub's documented payload, not captured from a live
run) and a fake API: nothing here leaves the machine."""

from __future__ import annotations

import importlib.util
import io
import json
import zipfile
from typing import Any

import pytest

from tests.support import FIXTURES, ROOT

SCRIPT = ROOT / ".github" / "scripts" / "post_score_diff.py"
_spec = importlib.util.spec_from_file_location("post_score_diff", SCRIPT)
assert _spec and _spec.loader
post_score_diff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(post_score_diff)

REPO = "scorecard/scorecard"
FORK_SHA = "f1e2d3c4b5a69788796a5b4c3d2e1f0011223344"
DIFF = "| Lab | Before | After |\n| --- | --- | --- |\n| Example Lab | - | 23 |\n"


def event(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "github" / f"{name}.json").read_text(encoding="utf-8"))


def zipped(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


class FakeGitHub:
    """Answers the calls the script makes; records the writes."""

    def __init__(self, *, artifact: bytes, pulls: list[dict], comments: list[dict]) -> None:
        self.artifact = artifact
        self.pulls = pulls
        self.comments = comments
        self.calls: list[tuple[str, str]] = []
        self.writes: list[tuple[str, str, Any]] = []

    def __call__(self, method: str, path: str, body: Any) -> Any:
        self.calls.append((method, path))
        if method != "GET":
            self.writes.append((method, path, body))
            return {}
        if path.endswith("/artifacts"):
            return {"artifacts": [{"id": 7, "name": "score-diff", "expired": False}]}
        if path == f"/repos/{REPO}/actions/artifacts/7/zip":
            return self.artifact
        if path.startswith(f"/repos/{REPO}/pulls?"):
            return self.pulls
        if "/comments?" in path:
            return self.comments
        raise AssertionError(f"unexpected call {method} {path}")


def fork_pull(sha: str = FORK_SHA) -> dict:
    return {"number": 31, "state": "open", "head": {"sha": sha}}


def test_a_fork_pull_request_gets_one_new_comment_found_from_the_events_own_facts():
    github = FakeGitHub(artifact=zipped({"score-diff.md": DIFF}), pulls=[fork_pull()], comments=[])
    said = post_score_diff.post(event("workflow_run-fork"), REPO, github)
    assert said == "posted the score diff on #31"
    assert ("GET", f"/repos/{REPO}/actions/runs/30433642/artifacts") in github.calls
    # The pull request is looked up by the fork's owner and branch, as the event names them.
    assert ("GET", f"/repos/{REPO}/pulls?head=contributor%3Aadd-example-lab&state=open") in (
        github.calls
    )
    [(method, path, body)] = github.writes
    assert (method, path) == ("POST", f"/repos/{REPO}/issues/31/comments")
    assert body["body"].startswith(post_score_diff.MARKER + "\n## Score changes\n\n| Lab |")
    assert "https://github.com/scorecard/scorecard/actions/runs/30433642" in body["body"]


def test_the_next_push_updates_the_bots_comment_instead_of_adding_one():
    comments = [
        {"id": 5, "user": {"login": "contributor"}, "body": post_score_diff.MARKER + " copied"},
        {"id": 6, "user": {"login": "github-actions[bot]"}, "body": "## Preview ready"},
        {"id": 8, "user": {"login": "github-actions[bot]"}, "body": post_score_diff.MARKER},
    ]
    github = FakeGitHub(
        artifact=zipped({"score-diff.md": DIFF}), pulls=[fork_pull()], comments=comments
    )
    assert post_score_diff.post(event("workflow_run-fork"), REPO, github) == (
        "updated the score diff comment on #31"
    )
    [(method, path, _body)] = github.writes
    assert (method, path) == ("PATCH", f"/repos/{REPO}/issues/comments/8")


def test_a_same_repository_pull_request_is_taken_from_the_event():
    github = FakeGitHub(artifact=zipped({"score-diff.md": DIFF}), pulls=[], comments=[])
    assert post_score_diff.post(event("workflow_run-same-repo"), REPO, github) == (
        "posted the score diff on #12"
    )
    assert not [call for call in github.calls if "/pulls?" in call[1]]


def test_a_pull_request_that_moved_on_to_a_newer_commit_gets_nothing():
    github = FakeGitHub(
        artifact=zipped({"score-diff.md": DIFF}), pulls=[fork_pull("0" * 40)], comments=[]
    )
    said = post_score_diff.post(event("workflow_run-fork"), REPO, github)
    assert said.startswith("no open pull request has the commit the run tested")
    assert github.writes == []


@pytest.mark.parametrize(
    "files",
    [
        {"score-diff.md": DIFF, "pr-number": "1"},  # nothing but the diff is read, or expected
        {"../score-diff.md": DIFF},
        {},
    ],
)
def test_an_artifact_that_is_not_what_check_writes_is_refused(files):
    github = FakeGitHub(artifact=zipped(files), pulls=[fork_pull()], comments=[])
    with pytest.raises(post_score_diff.Refused):
        post_score_diff.post(event("workflow_run-fork"), REPO, github)
    assert github.writes == []


def test_a_huge_diff_is_cut_to_what_github_accepts():
    body = post_score_diff.comment_body("x" * 100_000, "https://example.org/run")
    assert len(body) < 65_536
    assert "(cut: the whole diff is in the run's summary)" in body


def test_a_run_for_a_push_to_main_posts_nothing():
    payload = event("workflow_run-fork")
    payload["workflow_run"]["event"] = "push"
    github = FakeGitHub(artifact=b"", pulls=[], comments=[])
    assert post_score_diff.post(payload, REPO, github).endswith("nothing to do")
    assert github.calls == []
