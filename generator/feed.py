"""The change feed: /feed.xml (Atom) and /feed.json (JSON Feed) from the git history of data/.

One entry per commit that changed a level, a score, a lab or the rubric, read along first
parents: its id is the commit's (stable across rebuilds), its date the commit date, its reason
the commit message, and its content every old → new value with links to the pages. Each
commit's data comes from `generator.revisions` and is compared with the last valid state before
it by `changes.compare`, the comparison of `scorecard diff`.

A commit whose data did not validate is skipped, and what changed across it is credited to the
commit that made each change: a lab's changes to the last commit in the skipped run (or the
valid commit after it) that changed that lab's file, the rubric's to the last that changed the
rubric, and so on. Each commit's entries are kept in the revision cache, so a build describes a
commit once. Outside git, or in a shallow clone, there is no feed and the build says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from generator import display, paths
from generator.changes import ScoreDiff, compare, lab_slugs, part
from generator.escape import html_lines, html_link, html_list, shown_text
from generator.gitinfo import LogEntry
from generator.revisions import Repository
from generator.score import score_dataset

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 200


@dataclass(frozen=True)
class Link:
    url: str  # site URL, e.g. labs/openai/#pre-deployment-evals
    label: str


@dataclass(frozen=True)
class Description:
    """What one commit changed, in words: the part of an entry that the cache keeps."""

    sha: str
    title: str
    lines: tuple[str, ...]  # each old → new value, plain text
    links: tuple[Link, ...]


@dataclass(frozen=True)
class FeedEntry:
    sha: str
    date: dt.datetime  # commit date, UTC
    title: str
    reason: str  # the commit message
    lines: tuple[str, ...]
    links: tuple[Link, ...]

    @property
    def id(self) -> str:
        return f"urn:scorecard:change:{self.sha}"

    @property
    def summary(self) -> str:
        """The message's first line ('' for a commit made with --allow-empty-message)."""
        return self.reason.split("\n", 1)[0]


@dataclass(frozen=True)
class History:
    entries: tuple[FeedEntry, ...]  # newest first
    notes: tuple[str, ...]


def describe(diff: ScoreDiff) -> tuple[str, tuple[str, ...], tuple[Link, ...]]:
    """A title, one plain-text line per change, and links to the pages concerned."""
    lines: list[str] = []
    links: dict[str, Link] = {}
    for lab in diff.added_labs:
        lines.append(f"Lab added: {lab.title}")
        links.setdefault(paths.lab(lab.id), Link(paths.lab(lab.id), lab.title))
    for lab in diff.removed_labs:
        lines.append(f"Lab removed: {lab.title}")
    for change in diff.standings:
        if change.old and change.new:
            old, new = display.score(change.old.score), display.score(change.new.score)
            lines.append(
                f"{change.lab_name}: score {old}{display.ARROW}{new}, "
                f"rank {change.old.rank}{display.ARROW}{change.new.rank}"
            )
            links.setdefault(
                paths.lab(change.lab_slug), Link(paths.lab(change.lab_slug), change.lab_name)
            )
    for change in diff.levels:
        old = (
            f"{change.old.level_id} ({display.points(change.old.points)})"
            if change.old
            else display.MISSING
        )
        new = (
            f"{change.new.level_id} ({display.points(change.new.points)})"
            if change.new
            else display.MISSING
        )
        lines.append(f"{change.lab_name}, {change.criterion_title}: {old}{display.ARROW}{new}")
        url = paths.lab(change.lab_slug) + "#" + change.criterion_id
        links.setdefault(url, Link(url, f"{change.lab_name}: {change.criterion_title}"))
    for criterion in diff.added_criteria:
        lines.append(f"Criterion added: {criterion.title}")
    for criterion in diff.removed_criteria:
        lines.append(f"Criterion removed: {criterion.title}")
    for weight in diff.weights:
        lines.append(
            f"Weight of {weight.title}: "
            f"{display.number(weight.old)}{display.ARROW}{display.number(weight.new)}"
        )
    if diff.grades_changed:
        lines.append("Grade thresholds changed")
    if diff.rubric_versions[0] != diff.rubric_versions[1]:
        lines.append(
            f"Methodology {diff.rubric_versions[0]}{display.ARROW}{diff.rubric_versions[1]}"
        )
    labs = sorted({c.lab_name for c in diff.levels} | {c.lab_name for c in diff.standings})
    if diff.added_labs and not labs:
        title = "Added " + ", ".join(lab.title for lab in diff.added_labs)
    elif labs:
        title = f"{', '.join(labs)}: {display.plural(len(diff.levels), 'level change')}"
    else:
        title = "Rubric changed"
    return title, tuple(lines), tuple(links.values())


def _affects_feed(diff: ScoreDiff) -> bool:
    return bool(
        diff.changes_scores
        or diff.added_labs
        or diff.removed_labs
        or diff.rubric_versions[0] != diff.rubric_versions[1]
    )


def data_history(repository: Repository | None) -> History:
    if repository is None:
        return History((), ("change feed: the data folder is not in a git repository",))
    if repository.is_shallow():
        return History((), ("change feed: shallow clone; fetch the full history to build it",))
    log = repository.log()
    by_sha = {commit.sha: commit for commit in log}
    trees = repository.trees(list(by_sha))
    described: list[Description] = []
    previous: LogEntry | None = None
    skipped: list[LogEntry] = []
    skipped_count = 0
    for commit in log:
        if not repository.is_valid(commit.sha, trees[commit.sha]):
            skipped.append(commit)
            skipped_count += 1
            continue
        if previous is None:
            described.append(_published(repository, commit, trees))
        else:
            described += _changes(repository, previous, skipped, commit, trees)
        previous, skipped = commit, []
    entries = [_entry(by_sha[d.sha], d) for d in described]
    notes = (
        (f"change feed: {skipped_count} commit(s) with invalid data skipped",)
        if skipped_count
        else ()
    )
    return History(tuple(reversed(entries))[:MAX_ENTRIES], notes)


def _day(commit: LogEntry) -> dt.date:
    return dt.datetime.fromtimestamp(commit.timestamp, tz=dt.UTC).date()


def _published(repository: Repository, commit: LogEntry, trees: dict) -> Description:
    key = _key("published", trees[commit.sha], _day(commit).isoformat())
    cached = _read(repository, key)
    if cached is not None:
        return cached[0]
    snapshot = repository.at(commit.sha, tree=trees[commit.sha], date=_day(commit))
    assert snapshot.dataset is not None
    card = score_dataset(snapshot.dataset, snapshot.date)
    description = Description(
        commit.sha,
        f"Scorecard published with {display.plural(len(card.labs), 'lab')}",
        tuple(f"{ls.lab.name}: score {display.score(ls.rounded)}" for ls in card.labs),
        tuple(Link(paths.lab(ls.lab.slug), ls.lab.name) for ls in card.labs),
    )
    _write(repository, key, [description])
    return description


def _changes(
    repository: Repository,
    previous: LogEntry,
    skipped: list[LogEntry],
    commit: LogEntry,
    trees: dict,
) -> list[Description]:
    """What `commit` (and the invalid commits just before it) changed since `previous`."""
    run = [*skipped, commit]
    key = _key(
        "changes",
        trees[previous.sha],
        trees[commit.sha],
        _day(commit).isoformat(),
        *(c.sha for c in run),
    )
    cached = _read(repository, key)
    if cached is not None:
        return cached
    date = _day(commit)
    base = repository.at(previous.sha, tree=trees[previous.sha], date=_day(previous))
    head = repository.at(commit.sha, tree=trees[commit.sha], date=date)
    assert base.dataset is not None and head.dataset is not None
    diff = compare(score_dataset(base.dataset, date), score_dataset(head.dataset, date))
    parts = [(commit.sha, diff)] if not skipped else _credit(repository, diff, previous, run)
    out = []
    for sha, piece in parts:
        if _affects_feed(piece):
            title, lines, links = describe(piece)
            out.append(Description(sha, title, lines, links))
    _write(repository, key, out)
    return out


def _credit(
    repository: Repository, diff: ScoreDiff, previous: LogEntry, run: list[LogEntry]
) -> list[tuple[str, ScoreDiff]]:
    """`diff` split by the commit in `run` that made each part (see the module docstring)."""
    files = {c.sha: repository.blobs(c.sha) for c in (previous, *run)}
    last = run[-1].sha

    def changed_by(name: str) -> str | None:
        """The last commit of the run that changed the file `name`."""
        responsible, before = None, files[previous.sha].get(name)
        for c in run:
            now = files[c.sha].get(name)
            if now != before:
                responsible, before = c.sha, now
        return responsible

    rubric = changed_by("rubric.yaml")
    labs: dict[str, set[str]] = {}
    rescored = {
        s.lab_slug for s in diff.standings if not s.old or not s.new or s.old.score != s.new.score
    }
    rescored |= {c.lab_slug for c in diff.levels}
    unexplained = []
    for slug in sorted(lab_slugs(diff)):
        sha = changed_by(f"labs/{slug}.yaml") or rubric
        if sha is None:
            unexplained.append(slug)  # e.g. a rank moved by another lab's change
        else:
            labs.setdefault(sha, set()).add(slug)
    order = [c.sha for c in run]
    movers = [sha for sha, slugs in labs.items() if slugs & rescored]
    fallback = max(movers, key=order.index) if movers else (rubric or last)
    for slug in unexplained:
        labs.setdefault(fallback, set()).add(slug)
    sources = changed_by("sources.yaml") or last
    evaluations = changed_by("evaluations.yaml") or last
    rubric = rubric or last
    out = []
    for sha in order:
        piece = part(
            diff,
            frozenset(labs.get(sha, ())),
            rubric=sha == rubric,
            sources=sha == sources,
            evaluations=sha == evaluations,
        )
        out.append((sha, piece))
    return out


def _key(*parts: str | None) -> str:
    return hashlib.sha256("\x00".join(p or "-" for p in parts).encode()).hexdigest()[:32]


def _read(repository: Repository, key: str) -> list[Description] | None:
    if repository.cache is None:
        return None
    value = repository.cache.read("feed", key)
    if value is None:
        return None
    return [
        Description(
            d["sha"], d["title"], tuple(d["lines"]), tuple(Link(*link) for link in d["links"])
        )
        for d in value
    ]


def _write(repository: Repository, key: str, descriptions: Iterable[Description]) -> None:
    if repository.cache is None:
        return
    value: list[dict[str, Any]] = [
        {
            "sha": d.sha,
            "title": d.title,
            "lines": list(d.lines),
            "links": [[link.url, link.label] for link in d.links],
        }
        for d in descriptions
    ]
    repository.cache.write("feed", key, value)


def _entry(commit: LogEntry, description: Description) -> FeedEntry:
    date = dt.datetime.fromtimestamp(commit.timestamp, tz=dt.UTC)
    reason = shown_text(commit.subject + (f"\n\n{commit.body}" if commit.body else ""))
    return FeedEntry(
        commit.sha, date, description.title, reason, description.lines, description.links
    )


# -- serialisation ----------------------------------------------------------------------------


def _address(site_url: str | None, url: str) -> str:
    """A page's address in the feed: absolute under the site URL, else relative to the feed
    itself (which is at the site's root), so that it resolves wherever the site is served."""
    return f"{site_url}{url}" if site_url else (url or "./")


def _json_urls(site_url: str | None, **urls: str) -> dict[str, str]:
    """JSON Feed's URL fields: only absolute ones (JSON Feed 1.1 has no relative URLs), so
    none without a site URL."""
    return {name: site_url + url for name, url in urls.items()} if site_url else {}


def _content_html(entry: FeedEntry, site_url: str | None) -> str:
    html = f"<p>{html_lines(entry.reason)}</p>{html_list(entry.lines)}"
    if entry.links:
        pages = [html_link(_address(site_url, link.url), link.label) for link in entry.links]
        html += f"<p>Pages:</p>{html_list(pages)}"
    return html


def to_atom(history: History, title: str, site_url: str | None) -> str:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}title").text = f"{title}: changes"
    ET.SubElement(feed, f"{{{ATOM}}}id").text = "urn:scorecard:changes"
    updated = history.entries[0].date if history.entries else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated.isoformat()
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "Scorecard contributors"
    ET.SubElement(feed, f"{{{ATOM}}}link", {"href": _address(site_url, "")})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": _address(site_url, "feed.xml")})
    for entry in history.entries:
        node = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(node, f"{{{ATOM}}}id").text = entry.id
        ET.SubElement(node, f"{{{ATOM}}}title").text = entry.title
        ET.SubElement(node, f"{{{ATOM}}}updated").text = entry.date.isoformat()
        target = entry.links[0].url if entry.links else ""
        ET.SubElement(node, f"{{{ATOM}}}link", {"href": _address(site_url, target)})
        ET.SubElement(node, f"{{{ATOM}}}summary").text = entry.summary
        ET.SubElement(node, f"{{{ATOM}}}content", {"type": "html"}).text = _content_html(
            entry, site_url
        )
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def to_json_feed(history: History, title: str, site_url: str | None) -> str:
    document: dict = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"{title}: changes",
        **_json_urls(site_url, home_page_url="", feed_url="feed.json"),
        "authors": [{"name": "Scorecard contributors"}],
        "items": [
            {
                "id": entry.id,
                **_json_urls(site_url, url=entry.links[0].url if entry.links else ""),
                "title": entry.title,
                "date_published": entry.date.isoformat(),
                "summary": entry.summary,
                "content_text": entry.reason + "\n\n" + "\n".join(entry.lines),
                "content_html": _content_html(entry, site_url),
                "_scorecard": {
                    "commit": entry.sha,
                    "changes": list(entry.lines),
                    "pages": [link.url for link in entry.links],
                },
            }
            for entry in history.entries
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
