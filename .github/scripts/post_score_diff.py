"""Post the score diff of a pull request's Check run on the pull request, as one comment that
each new run updates (a "sticky" comment).

Run by .github/workflows/score-diff-comment.yml on `workflow_run` (the Check workflow
completed), with a token that may write pull request comments. That job runs the default
branch's copy of this script and never checks out or runs the pull request's code: everything
it reads from the Check run's artifact (`score-diff`, one file `score-diff.md`) was made by code
the pull request controls, so it is only ever the body of a comment: never a command, a path, an
expression or a pull request number. The pull request is found from the event GitHub wrote (the
run's head repository, branch and commit), and must be the open one whose head is the commit
the run tested, so no artifact can make the bot comment on someone else's pull request. The
artifact is read in memory, with a size limit, and the body cut to a size GitHub accepts.

    python .github/scripts/post_score_diff.py   # reads GITHUB_EVENT_PATH, GITHUB_REPOSITORY,
                                                 # GITHUB_API_URL and GH_TOKEN

Needs only the standard library. Exit status 0 when there is nothing to do (no artifact, the
run was not for a pull request, the pull request has moved on); 1 when the artifact is not
what the Check workflow writes.
"""

from __future__ import annotations

import io
import json
import os
import sys
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from typing import Any

ARTIFACT = "score-diff"
MARKER = "<!-- scorecard-score-diff -->"  # finds the comment to update on the next push
MAX_ARTIFACT_BYTES = 2_000_000
MAX_BODY = 60_000  # GitHub refuses comments over 65,536 characters
BOT = "github-actions[bot]"

# (method, path, body or None) -> (decoded JSON or bytes). Tests give a fake one.
Api = Callable[[str, str, Any], Any]


class Refused(Exception):
    """The artifact does not belong to the run, or is not what the Check workflow writes."""


class _NoTokenOnRedirect(urllib.request.HTTPRedirectHandler):
    """The artifact's zip is a redirect to a storage address: send it no token."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.remove_header("Authorization")
        return new


def http_api(base: str, token: str) -> Api:
    opener = urllib.request.build_opener(_NoTokenOnRedirect)

    def call(method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            base.rstrip("/") + path,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": "scorecard-score-diff-comment",
            },
        )
        with opener.open(request, timeout=60) as response:
            if "json" in response.headers.get("Content-Type", ""):
                return json.loads(response.read())
            return response.read(MAX_ARTIFACT_BYTES + 1)

    return call


def read_artifact(archive: bytes) -> str:
    """The diff's Markdown from the artifact's zip."""
    if len(archive) > MAX_ARTIFACT_BYTES:
        raise Refused("the artifact is larger than a score diff can be")
    try:
        with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
            infos = zipped.infolist()
            if [i.filename for i in infos] != ["score-diff.md"]:
                raise Refused(f"unexpected files in the artifact: {[i.filename for i in infos]}")
            if infos[0].file_size > MAX_ARTIFACT_BYTES:
                raise Refused("the score diff is larger than a score diff can be")
            return zipped.read("score-diff.md").decode("utf-8", "replace")
    except zipfile.BadZipFile as error:
        raise Refused(f"unreadable artifact: {error}") from None


def pull_request_number(run: dict[str, Any], repository: str, api: Api) -> int | None:
    """The open pull request whose head is the commit the run tested, from the event's facts."""
    for pull in run.get("pull_requests") or []:  # empty for a pull request from a fork
        if pull.get("head", {}).get("sha") == run["head_sha"]:
            return int(pull["number"])
    owner = run["head_repository"]["owner"]["login"]
    query = urllib.parse.urlencode({"head": f"{owner}:{run['head_branch']}", "state": "open"})
    for pull in api("GET", f"/repos/{repository}/pulls?{query}", None):
        if pull.get("head", {}).get("sha") == run["head_sha"]:
            return int(pull["number"])
    return None


def comment_body(markdown: str, run_url: str) -> str:
    if len(markdown) > MAX_BODY:
        markdown = markdown[:MAX_BODY] + "\n\n… (cut: the whole diff is in the run's summary)"
    return (
        f"{MARKER}\n## Score changes\n\n{markdown.rstrip()}\n\n"
        f"<sub>From the [Check run]({run_url}) of this pull request's latest push; "
        "updated on every push.</sub>\n"
    )


def post(event: dict[str, Any], repository: str, api: Api) -> str:
    """Post or update the comment; returns what was done, for the log."""
    run = event["workflow_run"]
    if run.get("event") != "pull_request":
        return "not a pull request run: nothing to do"
    artifacts = api("GET", f"/repos/{repository}/actions/runs/{run['id']}/artifacts", None)
    found = [a for a in artifacts.get("artifacts", []) if a.get("name") == ARTIFACT]
    if not found or found[0].get("expired"):
        return "the run left no score diff: nothing to do"
    number = pull_request_number(run, repository, api)
    if number is None:
        return "no open pull request has the commit the run tested (a newer push?): nothing to do"
    markdown = read_artifact(
        api("GET", f"/repos/{repository}/actions/artifacts/{int(found[0]['id'])}/zip", None)
    )
    body = comment_body(markdown, run["html_url"])
    comments_path = f"/repos/{repository}/issues/{number}/comments"
    page = 1
    while True:
        comments = api("GET", f"{comments_path}?per_page=100&page={page}", None)
        for comment in comments:
            if comment.get("user", {}).get("login") == BOT and MARKER in comment.get("body", ""):
                api(
                    "PATCH",
                    f"/repos/{repository}/issues/comments/{int(comment['id'])}",
                    {"body": body},
                )
                return f"updated the score diff comment on #{number}"
        if len(comments) < 100:
            break
        page += 1
    api("POST", comments_path, {"body": body})
    return f"posted the score diff on #{number}"


def main() -> int:
    with open(os.environ["GITHUB_EVENT_PATH"], encoding="utf-8") as handle:
        event = json.load(handle)
    api = http_api(
        os.environ.get("GITHUB_API_URL", "https://api.github.com"), os.environ["GH_TOKEN"]
    )
    try:
        print(post(event, os.environ["GITHUB_REPOSITORY"], api))
    except Refused as error:
        print(f"::error title=Score diff comment::{error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
