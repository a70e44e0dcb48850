"""The change feed: /feed.xml (Atom) and /feed.json (JSON Feed) from the git history of data/.

One entry per commit that changed a level, a score, a lab or the rubric, read along first
parents: its id is the commit's (stable across rebuilds), its date the commit date, its reason
the commit message, and its content every old → new value with links to the pages. Each
commit's data is read from git (never checked out) and compared with the last valid state
before it using the same comparison as `scorecard diff`. A commit whose data did not validate
is skipped. Outside git, or in a shallow clone, there is no feed and the build says so.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from generator import gitinfo, paths, refdate
from generator.diff import ScoreDiff, compare
from generator.escape import shown_text
from generator.export import number
from generator.score import Scorecard, score_dataset
from generator.validate import validate_folder

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 200


@dataclass(frozen=True)
class Link:
    url: str  # site URL, e.g. labs/openai/#pre-deployment-evals
    label: str


@dataclass(frozen=True)
class FeedEntry:
    sha: str
    date: dt.datetime  # commit date, UTC
    title: str
    reason: str  # the commit message
    lines: tuple[str, ...]  # each old -> new value, plain text
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


def _points(value) -> str:
    return "excluded" if value is None else str(number(value))


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
            lines.append(
                f"{change.lab_name}: score {change.old.score} → {change.new.score}, "
                f"rank {change.old.rank} → {change.new.rank}"
            )
            links.setdefault(
                paths.lab(change.lab_slug), Link(paths.lab(change.lab_slug), change.lab_name)
            )
    for change in diff.levels:
        old = f"{change.old.level_id} ({_points(change.old.points)})" if change.old else "—"
        new = f"{change.new.level_id} ({_points(change.new.points)})" if change.new else "—"
        lines.append(f"{change.lab_name}, {change.criterion_title}: {old} → {new}")
        url = paths.lab(change.lab_slug) + "#" + change.criterion_id
        links.setdefault(url, Link(url, f"{change.lab_name}: {change.criterion_title}"))
    for criterion in diff.added_criteria:
        lines.append(f"Criterion added: {criterion.title}")
    for criterion in diff.removed_criteria:
        lines.append(f"Criterion removed: {criterion.title}")
    for weight in diff.weights:
        lines.append(f"Weight of {weight.title}: {number(weight.old)} → {number(weight.new)}")
    if diff.grades_changed:
        lines.append("Grade thresholds changed")
    if diff.rubric_versions[0] != diff.rubric_versions[1]:
        lines.append(f"Methodology {diff.rubric_versions[0]} → {diff.rubric_versions[1]}")
    labs = sorted({c.lab_name for c in diff.levels} | {c.lab_name for c in diff.standings})
    if diff.added_labs and not labs:
        title = "Added " + ", ".join(lab.title for lab in diff.added_labs)
    elif labs:
        count = len(diff.levels)
        title = f"{', '.join(labs)}: {count} level change{'s' * (count != 1)}"
    else:
        title = "Rubric changed"
    return title, tuple(lines), tuple(links.values())


def _affects_feed(diff: ScoreDiff, versions_differ: bool) -> bool:
    return bool(diff.changes_scores or diff.added_labs or diff.removed_labs or versions_differ)


def data_history(data_dir: Path) -> History:
    located = gitinfo.locate(data_dir)
    if located is None:
        return History((), ("change feed: the data folder is not in a git repository",))
    repo, data_path = located
    if gitinfo.is_shallow(repo):
        return History((), ("change feed: shallow clone; fetch the full history to build it",))
    entries: list[FeedEntry] = []
    skipped = 0
    previous: Scorecard | None = None
    for commit in gitinfo.log(repo, data_path):
        card = _card_at(repo, commit.sha, data_path, commit.timestamp)
        if card is None:
            skipped += 1
            continue
        if previous is not None:
            base = score_dataset(previous.dataset, card.reference_date)
            diff = compare(base, card)
            if _affects_feed(diff, diff.rubric_versions[0] != diff.rubric_versions[1]):
                title, lines, links = describe(diff)
                entries.append(_entry(commit, title, lines, links))
        else:
            title = f"Scorecard published with {len(card.labs)} labs"
            links = tuple(Link(paths.lab(ls.lab.slug), ls.lab.name) for ls in card.labs)
            lines = tuple(f"{ls.lab.name}: score {ls.rounded}" for ls in card.labs)
            entries.append(_entry(commit, title, lines, links))
        previous = card
    notes = (f"change feed: {skipped} commit(s) with invalid data skipped",) if skipped else ()
    return History(tuple(reversed(entries))[:MAX_ENTRIES], notes)


def _entry(commit: gitinfo.LogEntry, title, lines, links) -> FeedEntry:
    date = dt.datetime.fromtimestamp(commit.timestamp, tz=dt.UTC)
    reason = shown_text(commit.subject + (f"\n\n{commit.body}" if commit.body else ""))
    return FeedEntry(commit.sha, date, title, reason, lines, links)


def _card_at(repo: Path, sha: str, data_path: str, timestamp: int) -> Scorecard | None:
    with tempfile.TemporaryDirectory(prefix="scorecard-feed-") as tmp:
        try:
            folder = gitinfo.extract_path(repo, sha, data_path, Path(tmp))
        except gitinfo.GitError:
            return None
        if not folder.is_dir():
            return None
        day = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC).date()
        result = validate_folder(folder, latest=max(day, refdate.today_utc()), reference=day)
        if result.dataset is None:
            return None
        return score_dataset(result.dataset, day)


# -- serialisation ----------------------------------------------------------------------------


def _address(site_url: str | None, url: str) -> str:
    return f"{site_url}{url}" if site_url else f"/{url}"


def _content_html(entry: FeedEntry, site_url: str | None) -> str:
    items = "".join(f"<li>{escape(line)}</li>" for line in entry.lines)
    links = "".join(
        f'<li><a href="{escape(_address(site_url, link.url))}">{escape(link.label)}</a></li>'
        for link in entry.links
    )
    reason = str(escape(entry.reason)).replace("\n", "<br>")
    return f"<p>{reason}</p><ul>{items}</ul>" + (f"<p>Pages:</p><ul>{links}</ul>" if links else "")


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
        "home_page_url": _address(site_url, ""),
        "feed_url": _address(site_url, "feed.json"),
        "authors": [{"name": "Scorecard contributors"}],
        "items": [
            {
                "id": entry.id,
                "url": _address(site_url, entry.links[0].url if entry.links else ""),
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
