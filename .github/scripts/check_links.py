"""Ask every URL cited in data/sources.yaml whether it still answers, and report in Markdown.

Run weekly by .github/workflows/links.yml; the report goes to stdout (the run summary) and,
under GitHub Actions, each dead link also becomes a warning annotation. The exit status is 0
whatever the links say: a publisher's site going down is news for a maintainer, not a failure.

    python .github/scripts/check_links.py [data/sources.yaml] [--timeout S] [--dry-run]

Needs only the standard library and PyYAML. --dry-run lists the URLs without any network.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml

USER_AGENT = "scorecard-link-check/1.0 (weekly check of cited sources)"
# Statuses that prove the server is there but declines an automated client (bot walls, rate
# limits, logins). Reported apart from dead links: a person with a browser usually gets through.
REFUSED = frozenset({401, 403, 429})
MAX_WORKERS = 8


@dataclass(frozen=True)
class Link:
    source: str  # the source id in data/sources.yaml
    field: str  # "url" or "archive_url"
    url: str


@dataclass(frozen=True)
class Outcome:
    link: Link
    status: int | None  # the final HTTP status after redirects, or None when no answer came
    detail: str  # a short reason, for the report

    @property
    def verdict(self) -> str:
        if self.status is not None and 200 <= self.status < 300:
            return "ok"
        if self.status in REFUSED:
            return "refused"
        return "dead"


class _SameMethodRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects with the original method (HEAD stays HEAD) and only to http(s)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.URLError(f"redirected to a non-HTTP URL: {newurl}")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.method = req.get_method()
        return new


_OPENER = urllib.request.build_opener(_SameMethodRedirects())


def links_in(sources_file: Path) -> list[Link]:
    """Every url and archive_url in the sources file, in file order, without repeats."""
    document = yaml.safe_load(sources_file.read_text(encoding="utf-8")) or {}
    entries = document.get("sources") if isinstance(document, dict) else None
    links: list[Link] = []
    seen: set[str] = set()
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        for field in ("url", "archive_url"):
            url = entry.get(field)
            if isinstance(url, str) and url not in seen:
                seen.add(url)
                links.append(Link(str(entry.get("id", "?")), field, url))
    return links


def _request(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(1024)  # enough to know the body starts; never the whole file
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check(link: Link, timeout: float) -> Outcome:
    """HEAD first (cheap); if that fails in any way, GET, since many servers mishandle HEAD."""
    if urllib.parse.urlsplit(link.url).scheme not in ("http", "https"):
        return Outcome(link, None, "not an http(s) URL")
    detail = ""
    status: int | None = None
    for method in ("HEAD", "GET"):
        try:
            status = _request(link.url, method, timeout)
            detail = f"{method} {status}"
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            status, detail = None, f"{method}: {reason}"
        if status is not None and 200 <= status < 300:
            break
    return Outcome(link, status, detail)


def _cell(text: str) -> str:
    """Text made safe for one cell of a Markdown table, shown as code."""
    flat = " ".join(text.split()).replace("`", "'").replace("|", "%7C")
    return f"`{flat}`"


def report(outcomes: list[Outcome]) -> str:
    dead = [o for o in outcomes if o.verdict == "dead"]
    refused = [o for o in outcomes if o.verdict == "refused"]
    lines = [
        "## Cited links",
        "",
        f"{len(outcomes)} checked: {len(outcomes) - len(dead) - len(refused)} answered, "
        f"{len(refused)} refused an automated client, {len(dead)} did not answer.",
    ]
    for title, group in (("Did not answer", dead), ("Refused an automated client", refused)):
        if group:
            lines += ["", f"### {title}", ""]
            lines += ["| source | field | URL | result |", "|---|---|---|---|"]
            lines += [
                f"| {_cell(o.link.source)} | {o.link.field} | {_cell(o.link.url)} | "
                f"{_cell(o.detail)} |"
                for o in group
            ]
    if dead:
        lines += [
            "",
            "For each dead `url`, find the document's new address or rely on its `archive_url`;",
            "for a dead `archive_url`, take a new snapshot. Change data/sources.yaml in a PR.",
        ]
    return "\n".join(lines) + "\n"


def _annotate(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        if outcome.verdict == "dead":
            link = outcome.link
            message = f"{link.source} {link.field} {link.url}: {outcome.detail}"
            message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            print(f"::warning title=Dead link::{message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="?", default="data/sources.yaml", type=Path)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per request")
    parser.add_argument("--dry-run", action="store_true", help="list the URLs; no network")
    args = parser.parse_args(argv)

    try:
        links = links_in(args.sources)
    except (OSError, yaml.YAMLError) as error:
        print(f"## Cited links\n\nCould not read {args.sources}: {error}")
        return 0

    if args.dry_run:
        for link in links:
            print(f"{link.source}\t{link.field}\t{link.url}")
        return 0

    with concurrent.futures.ThreadPoolExecutor(MAX_WORKERS) as pool:
        outcomes = list(pool.map(lambda link: check(link, args.timeout), links))
    print(report(outcomes), end="")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        _annotate(outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
