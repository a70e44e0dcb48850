"""Pages from the scored model: one jinja2 template per page type, rendered to Markdown.

The output is plain Markdown with raw HTML blocks, so any MkDocs-compatible builder can read
it: headings are Markdown (they feed the table of contents and the page title), everything
else is HTML. Templates get numbers already rounded and formatted, and escape every value:
autoescape is on for every template, and the `md` filter escapes text inside Markdown headings.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import charts, escape, export, history, paths
from generator.export import number
from generator.model import NO_DISCLOSURE, NOT_APPLICABLE, Evidence, Source
from generator.score import CriterionResult, LabScore, Scorecard, round_score
from generator.urls import is_safe_link

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Provenance:
    """Where the data came from, for citations: the data commit and its date, if known."""

    commit: str | None  # full hash of the last commit touching the data folder
    commit_date: dt.date | None
    site_url: str | None  # the published site's root URL, if configured (ends with /)

    @property
    def short_commit(self) -> str | None:
        return self.commit[:12] if self.commit else None


@dataclass(frozen=True)
class EditionRef:
    """A published edition as other pages see it: for banners and "cite this page" blocks."""

    name: str
    date: dt.date
    version: str  # methodology version
    commit: str | None  # data commit at the edition's tag
    # Unprefixed page URL -> fingerprint of what the page says (see Renderer.fingerprints).
    fingerprints: Mapping[str, str]

    @property
    def prefix(self) -> str:
        return paths.edition(self.name)

    @property
    def short_commit(self) -> str | None:
        return self.commit[:12] if self.commit else None


@dataclass(frozen=True)
class Page:
    url: str  # site URL of the page, e.g. 'labs/openai/'
    markdown: str

    @property
    def source(self) -> str:
        return paths.source_file(self.url)


@functools.cache
def _environment() -> jinja2.Environment:
    """One environment per process, so each template is compiled once for all renderers."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # for .md templates too: data text lands in raw HTML blocks
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = escape.markdown_inline
    env.filters["json_attr"] = escape.json_attribute
    env.filters["json_script"] = escape.json_script
    env.filters["bibtex"] = escape.bibtex
    env.filters["one_line"] = escape.one_line
    env.filters["safe_url"] = lambda url: url if is_safe_link(url) else None
    return env


def heading_id(anchor: str, *, search: bool = True) -> Markup:
    """attr_list's `{#id}` after a Markdown heading. Ids are validated slugs, or the generator's
    own, which contain `_` so they never collide with a data id. `search=False` leaves the
    section out of the search index (text repeated on every page, or shown in full elsewhere):
    the index is one file every first visit loads, whatever the page."""
    if not re.fullmatch(r"[a-z0-9_]+(-[a-z0-9_]+)*", anchor):
        raise ValueError(f"unsafe heading id {anchor!r}")
    return Markup("{#" + anchor + ("" if search else " data-search-exclude") + "}")


def score_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}"


def points_text(points: Any) -> str:
    return "excluded" if points is None else f"{number(points)}"


def tri_text(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def level_class(result_level_id: str, points: Any) -> str:
    """A CSS class giving the level a colour; the level is always also written as text."""
    if result_level_id == NO_DISCLOSURE:
        return "sc-level--silent"
    if result_level_id == NOT_APPLICABLE:
        return "sc-level--na"
    if points == 1:
        return "sc-level--full"
    if points == 0:
        return "sc-level--none"
    return "sc-level--partial"


class Renderer:
    """Renders every page of one scorecard. Work shared by pages (the citation index, figure
    JSON) is computed once here, not per page."""

    def __init__(
        self,
        card: Scorecard,
        provenance: Provenance,
        *,
        edition: EditionRef | None = None,
        latest: EditionRef | None = None,
        current_urls: frozenset[str] = frozenset(),
    ) -> None:
        """`edition`: render this card as that edition's snapshot, under its prefix.
        `latest`: the newest edition, named in citations of the current pages.
        `current_urls`: the current site's pages, for an edition's links back to them."""
        self.card = card
        self.provenance = provenance
        self.edition = edition
        self.latest = latest
        self.current_urls = current_urls
        self.paths = paths.SitePaths(edition.prefix if edition else "")
        self._fingerprints: dict[str, str] | None = None
        self.env = _environment()
        self.sources = {s.id: s for s in card.dataset.sources}
        self.citations = self._citations()
        self.events_by_lab: dict[str, list[Any]] = {}
        for event in card.dataset.evaluations:
            self.events_by_lab.setdefault(event.lab, []).append(event)

    # -- shared helpers exposed to templates --------------------------------------------------

    def link(self, from_page: str, to: str) -> str:
        return paths.relative(from_page, to)

    def source(self, source_id: str) -> Source:
        return self.sources[source_id]

    def evidence_view(self, item: Evidence) -> dict[str, Any]:
        source = self.sources[item.source_id]
        return {
            "source": source,
            "quote": item.quote,
            "locator": item.locator,
            "note": item.note,
            "url": source.url if is_safe_link(source.url) else None,
            "archive_url": source.archive_url if is_safe_link(source.archive_url) else None,
        }

    def _citations(self) -> dict[str, list[tuple[str, str]]]:
        """For each source, every place it is cited: (page URL with anchor, label)."""
        cited: dict[str, list[tuple[str, str]]] = {s.id: [] for s in self.card.dataset.sources}
        for lab_score in sorted(self.card.labs, key=lambda ls: ls.lab.slug):
            for result in lab_score.results:
                states = (result.assessment.current, *result.assessment.history)
                ids = sorted({e.source_id for s in states for e in s.evidence})
                for source_id in ids:
                    cited[source_id].append(
                        (
                            self.paths.lab(lab_score.lab.slug) + "#" + result.criterion.id,
                            f"{lab_score.lab.name}: {result.criterion.title}",
                        )
                    )
        for event in self.card.dataset.evaluations:
            for source_id in sorted({e.source_id for e in event.evidence}):
                entry = (self.paths.EVALUATIONS + "#access-log", f"Access log: {event.model}")
                if entry not in cited[source_id]:
                    cited[source_id].append(entry)
        return cited

    # -- pages --------------------------------------------------------------------------------

    def _render(self, template: str, url: str, **context: Any) -> Page:
        text = self.env.get_template(template).render(
            page_url=url,
            card=self.card,
            rubric=self.card.dataset.rubric,
            provenance=self.provenance,
            r=self,
            paths=self.paths,
            edition=self.edition,
            latest=self.latest,
            score_text=score_text,
            points_text=points_text,
            tri_text=tri_text,
            level_class=level_class,
            num=number,
            hid=heading_id,
            **context,
        )
        return Page(url, text)

    def leaderboard(self) -> Page:
        return self._render(
            "leaderboard.md.j2", self.paths.HOME, figure=charts.leaderboard(self.card)
        )

    def lab(self, lab_score: LabScore) -> Page:
        rubric = self.card.dataset.rubric
        timeline = history.score_timeline(lab_score.lab, rubric)
        return self._render(
            "lab.md.j2",
            self.paths.lab(lab_score.lab.slug),
            ls=lab_score,
            lab=lab_score.lab,
            events=self.events_by_lab.get(lab_score.lab.slug, []),
            figure=charts.lab_categories(self.card, lab_score),
            timeline=timeline,
            changes=list(reversed(history.level_changes(lab_score.lab, rubric))),
            history_figure=charts.score_history(
                [(p.date.isoformat(), number(p.score)) for p in timeline],
                self.card.reference_date.isoformat(),
            ),
            jsonld=self._lab_jsonld(lab_score),
        )

    def criterion(self, criterion_id: str) -> Page:
        criterion = self.card.dataset.rubric.criterion(criterion_id)
        rows: list[tuple[LabScore, CriterionResult]] = [
            (ls, next(r for r in ls.results if r.criterion.id == criterion_id))
            for ls in self.card.labs
        ]
        return self._render(
            "criterion.md.j2", self.paths.criterion(criterion_id), criterion=criterion, rows=rows
        )

    def compare(self) -> Page:
        return self._render("compare.md.j2", self.paths.COMPARE)

    def evaluations(self) -> Page:
        return self._render(
            "evaluations.md.j2",
            self.paths.EVALUATIONS,
            figure=charts.evaluations_timeline(self.card),
            events_sorted=sorted(
                self.card.dataset.evaluations,
                key=lambda e: (e.released or dt.date.max, e.lab, e.model, e.evaluator),
            ),
            evaluators={e.id: e for e in self.card.dataset.evaluators},
            lab_names={lab.slug: lab.name for lab in self.card.dataset.labs},
        )

    def methodology(self) -> Page:
        total = sum(c.weight for c in self.card.dataset.rubric.categories)
        shares = {
            c.id: f"{round_score(100 * c.weight / total)}%"
            for c in self.card.dataset.rubric.categories
        }
        return self._render("methodology.md.j2", self.paths.METHODOLOGY, shares=shares)

    def sources_page(self) -> Page:
        return self._render("sources.md.j2", self.paths.SOURCES, citations=self.citations)

    def downloads(self, schema_kinds: tuple[str, ...]) -> Page:
        return self._render("downloads.md.j2", self.paths.DOWNLOADS, schema_kinds=schema_kinds)

    def editions_page(
        self, editions: list[dict[str, Any]], notes: tuple[str, ...], has_feed: bool
    ) -> Page:
        return self._render(
            "editions.md.j2", paths.EDITIONS, editions=editions, notes=notes, has_feed=has_feed
        )

    def pages(self, schema_kinds: tuple[str, ...]) -> Iterator[Page]:
        yield self.leaderboard()
        for lab_score in self.card.labs:
            yield self.lab(lab_score)
        for criterion in self.card.dataset.rubric.criteria:
            yield self.criterion(criterion.id)
        yield self.compare()
        yield self.evaluations()
        yield self.methodology()
        yield self.sources_page()
        yield self.downloads(schema_kinds)

    # -- editions ------------------------------------------------------------------------------

    def fingerprints(self) -> dict[str, str]:
        """What each lab and criterion page says, as comparable text, by unprefixed URL: two
        renderings of a page match when these are equal. Staleness is left out: it follows
        from the reference date, not from what the data says."""
        out: dict[str, str] = {}
        for ls in self.card.labs:
            document = export.lab_document(self.card, ls)
            for assessment in document["assessments"]:
                del assessment["stale"]
            out[paths.lab(ls.lab.slug)] = json.dumps(document, sort_keys=True)
        for criterion in self.card.dataset.rubric.criteria:
            rows = []
            for ls in self.card.labs:
                result = next(r for r in ls.results if r.criterion.id == criterion.id)
                document = export.assessment_document(self.card, result)
                del document["stale"]
                rows.append((ls.lab.slug, ls.rank, document))
            out[paths.criterion(criterion.id)] = json.dumps(rows, sort_keys=True)
        return out

    def matches_latest(self, page_url: str) -> bool:
        """Whether this (current) page says what it said in the latest edition."""
        if self.latest is None:
            return False
        if self._fingerprints is None:
            self._fingerprints = self.fingerprints()
        mine = self._fingerprints.get(page_url)
        return mine is not None and self.latest.fingerprints.get(page_url) == mine

    def current_url(self, page_url: str) -> str:
        """For an edition's page, the current site's page about the same thing, if it exists."""
        url = self.paths.unprefixed(page_url)
        return url if url in self.current_urls else paths.HOME

    # -- citation data ------------------------------------------------------------------------

    def page_address(self, url: str) -> str:
        """The address to cite: absolute when the site URL is configured, else the site path."""
        root = self.provenance.site_url
        return f"{root}{url}" if root else f"/{url}"

    def _lab_jsonld(self, lab_score: LabScore) -> dict[str, Any]:
        rubric = self.card.dataset.rubric
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": f"{rubric.title}: {lab_score.lab.name}",
            "description": f"Assessment of {lab_score.lab.name} on {len(rubric.criteria)} "
            f"criteria of external model evaluation, methodology {rubric.version}, "
            f"data as of {self.card.reference_date.isoformat()}.",
            "version": rubric.version,
            "dateModified": self.card.reference_date.isoformat(),
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "creator": {"@type": "Organization", "name": "Scorecard contributors"},
            "isAccessibleForFree": True,
        }
        if self.provenance.site_url:
            data["url"] = self.page_address(self.paths.lab(lab_score.lab.slug))
        return data

    def site_jsonld(self) -> dict[str, Any]:
        rubric = self.card.dataset.rubric
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": rubric.title,
            "description": rubric.description
            or "A cited scorecard of how frontier AI labs open their models to independent "
            "evaluators before release.",
            "version": rubric.version,
            "dateModified": self.card.reference_date.isoformat(),
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "creator": {"@type": "Organization", "name": "Scorecard contributors"},
            "isAccessibleForFree": True,
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": "application/json",
                    "contentUrl": self.page_address(self.paths.SCORECARD_JSON),
                },
                {
                    "@type": "DataDownload",
                    "encodingFormat": "text/csv",
                    "contentUrl": self.page_address(self.paths.SCORES_CSV),
                },
            ],
        }
        return data
