"""The words of a "cite this page" block: the plain-text citation and the BibTeX entry.

Both say the same things: who, the year (and month), the page's title, the site, the edition
cited (if any), the methodology, the data's date and commit, the address cited and the date its
data was current (`urldate`: the data's date, never the clock, so rebuilds stay identical).
When an edition is cited, the current (moving) page is named second. BibTeX titles are wrapped
in an extra pair of braces so that styles which change case (most do, for titles) print the
lab names as written: "OpenAI", not "Openai".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.escape import bibtex

CREATOR = "Scorecard contributors"
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class CitationFacts:
    title: str  # the page's title, as shown
    site: str  # the site's (the rubric's) title
    version: str  # the methodology version of what is cited
    address: str  # the address cited: an edition's permanent page, or this page
    current: str | None  # the current, moving page, when an edition's page is cited
    edition: str | None  # the edition cited, if any
    published: dt.date  # the date of the work cited: the edition's, else the data's
    data_date: dt.date  # the reference date of the data shown
    urldate: dt.date  # the date the data at `address` was current
    commit: str | None  # the data commit (short), if known
    key: str  # the page's unprefixed site URL, for the BibTeX key
    newer_than: str | None = None  # the latest edition, when this page is newer than it


def _edition_words(facts: CitationFacts) -> str:
    return f", edition {facts.edition}" if facts.edition else ""


def _data_words(facts: CitationFacts) -> str:
    if facts.edition and facts.current is not None:  # the latest edition, cited for this page
        words = f"published {facts.published.isoformat()}"
    else:
        words = f"data as of {facts.data_date.isoformat()}"
    return words + (f", data commit {facts.commit}" if facts.commit else "")


def plain(facts: CitationFacts) -> str:
    """The plain-text citation."""
    newer = (
        f" This page is newer than the latest edition, {facts.newer_than}."
        if facts.newer_than
        else ""
    )
    current = f"; current version: {facts.current}" if facts.current else ""
    return (
        f"{CREATOR} ({facts.published.year}). {facts.title}. {facts.site}{_edition_words(facts)}, "
        f"methodology {facts.version}, {_data_words(facts)}.{newer} {facts.address} "
        f"(version of {facts.urldate.isoformat()}{current})."
    )


def key(facts: CitationFacts) -> str:
    page = facts.key.replace("/", "-").strip("-") or "leaderboard"
    suffix = facts.edition or facts.data_date.isoformat()
    return f"scorecard-{page}-{suffix}"


def bibtex_entry(facts: CitationFacts) -> str:
    """A BibTeX @misc entry: title brace-protected, urldate and edition given."""
    note = _data_words(facts)
    note = note[0].upper() + note[1:]
    if facts.newer_than:
        note += f"; newer than the latest edition, {facts.newer_than}"
    if facts.current:
        note += f"; current version: {facts.current}"
    edition = _edition_words(facts)
    lines = [
        f"@misc{{{key(facts)},",
        f"  author = {{{{{CREATOR}}}}},",
        f"  title = {{{{{bibtex(facts.title)}}}}},",
        f"  howpublished = {{{{{bibtex(facts.site)}}}{bibtex(edition)}, methodology "
        f"{bibtex(facts.version)}}},",
    ]
    if facts.edition:
        lines.append(f"  edition = {{{bibtex(facts.edition)}}},")
    lines += [
        f"  year = {{{facts.published.year}}},",
        f"  month = {MONTHS[facts.published.month - 1]},",
        f"  note = {{{bibtex(note)}}},",
        f"  url = {{{bibtex_url(facts.address)}}},",
        f"  urldate = {{{facts.urldate.isoformat()}}}",
        "}",
    ]
    return "\n".join(lines)


def bibtex_url(address: str) -> str:
    """A URL in a BibTeX field: kept as written (url fields are verbatim in biblatex), with the
    characters that would unbalance or end the field percent-encoded."""
    return address.replace("%", "%25").replace("{", "%7B").replace("}", "%7D")
