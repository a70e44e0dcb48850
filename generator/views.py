"""What each page shows, prepared: the one place that says what a template may use.

Every page's template receives exactly one value, `v`: a frozen dataclass from this module (the
`*Page` classes below), built from the scored model by `PageViews`. Its fields are strings,
numbers, booleans and tuples of further dataclasses from here: numbers already rounded and
written out, links already made relative to the page and checked (`urls.is_safe_link`), figures
already serialised to JSON. Templates hold presentation only: they loop, branch, and escape with
the filters listed in `render.FILTERS`; they call nothing else.

Because a view holds everything its page shows, two equal views render the same Markdown: the
renderer keeps pages by view, and `scorecard serve` re-renders only the pages an edit changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator import charts, display, paths, timeline
from generator.escape import bibtex, json_script
from generator.export import assessment_document, json_text, lab_document
from generator.model import NO_DISCLOSURE, NOT_APPLICABLE, Evidence, Level, Source
from generator.score import CriterionResult, LabScore, Scorecard, round_score
from generator.urls import is_safe_link

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
CREATOR = "Scorecard contributors"


# -- inputs besides the scorecard ----------------------------------------------------------


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
    commit: str | None  # the last data commit of the edition
    # Unprefixed page URL -> fingerprint of what the page says (see PageViews.fingerprints).
    fingerprints: Mapping[str, str]

    @property
    def prefix(self) -> str:
        return paths.edition(self.name)

    @property
    def short_commit(self) -> str | None:
        return self.commit[:12] if self.commit else None


# -- pieces shared by pages ----------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    href: str  # relative to the page, or an absolute URL that passed urls.is_safe_link
    text: str


@dataclass(frozen=True)
class Badge:
    """A level as shown: its label, always written out, and a colour class that repeats it."""

    label: str
    css: str


@dataclass(frozen=True)
class EvidenceItem:
    source: Link  # the source's entry on the sources page
    publisher: str
    published: str | None
    locator: str | None
    quote: str | None
    original: str | None  # the source's address, when safe to link
    archived: str | None  # its archived copy, when safe to link
    note: str | None


@dataclass(frozen=True)
class Banner:
    """The banner of an edition's page."""

    name: str
    date: str
    version: str
    short_commit: str | None
    current: str  # href of the current page about the same thing
    editions: str  # href of the editions index


@dataclass(frozen=True)
class EditionNote:
    """What a "cite this page" block says about editions.

    kind: "edition" (this page is an edition's), "matches" or "changed" (the latest edition has
    this page, and says the same or not), "absent" (the latest edition lacks this page)."""

    kind: str
    name: str
    date: str
    version: str
    short_commit: str | None
    href: str  # the edition's page
    address: str  # its permanent address, to cite


@dataclass(frozen=True)
class Citation:
    note: EditionNote | None
    plain: str
    bibtex: str


@dataclass(frozen=True)
class Meta:
    """The data's version line shown under a page's title."""

    version: str
    reference_date: str
    short_commit: str | None


# -- the pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryHead:
    title: str
    href: str  # its section on the methodology page
    weight: str


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    lab: Link
    score: str
    grade: str
    categories: tuple[str, ...]  # category scores, in rubric order
    stale: int


@dataclass(frozen=True)
class LeaderboardPage:
    template = "leaderboard.md.j2"
    url: str
    title: str
    banner: Banner | None
    meta: Meta
    labs: int
    criteria: int
    methodology: str
    figure: str
    categories: tuple[CategoryHead, ...]
    rows: tuple[LeaderRow, ...]
    json: str
    csv: str
    jsonld: str


@dataclass(frozen=True)
class HistoryItem:
    date: str
    badge: Badge
    points: str
    summary: str
    evidence: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class Section:
    """One criterion on a lab's page."""

    anchor: str  # the criterion id: the section's id (SPEC 7)
    title: str
    badge: Badge
    points: str
    left_out: bool  # not-applicable: left out of the score
    weight: str
    category: str
    as_of: str
    stale: str | None  # e.g. "Stale: 700 days old"
    stale_limit: str | None  # e.g. "Older than 540 days on the reference date"
    question: str
    criterion: str  # href of the criterion's page
    summary: str
    evidence: tuple[EvidenceItem, ...]
    no_evidence: str  # what to say when there is none
    history: tuple[HistoryItem, ...]


@dataclass(frozen=True)
class CategoryRow:
    title: str
    href: str
    weight: str
    score: str  # or "not applicable"


@dataclass(frozen=True)
class ScoreRow:
    date: str
    score: str


@dataclass(frozen=True)
class ChangeRow:
    date: str
    criterion: Link
    change: str  # "partial (0.5) → full (1)", or "first reading: full (1)"
    evidence: tuple[Link, ...]


@dataclass(frozen=True)
class EventRow:
    model: str
    evaluator: str
    released: str
    before_release: str
    publication: str


@dataclass(frozen=True)
class LabPage:
    template = "lab.md.j2"
    url: str
    name: str
    banner: Banner | None
    meta: Meta
    score: str
    grade: str | None
    rank: int
    of: int
    stale: int
    assessed: int
    description: str | None
    website: str | None
    figure: str
    categories: tuple[CategoryRow, ...]
    sections: tuple[Section, ...]
    timeline: tuple[ScoreRow, ...]
    history_figure: str | None  # only with more than one point
    changes: tuple[ChangeRow, ...]
    events: tuple[EventRow, ...]
    evaluations: str
    methodology: str
    contributing: str
    cite: Citation
    jsonld: str


@dataclass(frozen=True)
class LevelRow:
    badge: Badge
    level_id: str
    points: str
    description: str


@dataclass(frozen=True)
class CriterionRow:
    anchor: str  # the lab's slug: stable anchor of its row
    lab: Link  # the lab page's section on this criterion, where the evidence is
    badge: Badge
    points: str
    as_of: str
    stale: bool
    summary: str


@dataclass(frozen=True)
class CriterionPage:
    template = "criterion.md.j2"
    url: str
    title: str
    banner: Banner | None
    question: str
    why: str
    category: Link
    weight: str
    stale_after: str
    version: str
    levels: tuple[LevelRow, ...]
    rows: tuple[CriterionRow, ...]
    cite: Citation


@dataclass(frozen=True)
class Cell:
    href: str
    level_id: str
    css: str
    points: str
    stale: bool


@dataclass(frozen=True)
class CompareRow:
    lab: Link
    score: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class ColumnGroup:
    title: str
    span: int


@dataclass(frozen=True)
class ComparePage:
    template = "compare.md.j2"
    url: str
    banner: Banner | None
    meta: Meta
    groups: tuple[ColumnGroup, ...]
    criteria: tuple[Link, ...]
    rows: tuple[CompareRow, ...]
    methodology: str


@dataclass(frozen=True)
class LogEvent:
    lab: Link
    model: str
    evaluator: str
    released: str
    before_release: str
    final_model: str
    no_safety_filters: str
    helpful_only: str
    fine_tuning: str
    publication: str
    note: str | None
    evidence: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class EvaluatorItem:
    anchor: str
    name: str
    kind: str
    formerly: str | None
    description: str | None
    website: str | None


@dataclass(frozen=True)
class EvaluationsPage:
    template = "evaluations.md.j2"
    url: str
    banner: Banner | None
    reference_date: str
    figure: str
    events: tuple[LogEvent, ...]
    evaluators: tuple[EvaluatorItem, ...]


@dataclass(frozen=True)
class MethodCriterion:
    anchor: str
    title: str
    href: str
    weight: str
    question: str
    why: str
    levels: tuple[LevelRow, ...]  # declared levels only


@dataclass(frozen=True)
class MethodCategory:
    anchor: str
    title: str
    description: str
    weight: str
    share: str
    criteria: tuple[MethodCriterion, ...]


@dataclass(frozen=True)
class MethodologyPage:
    template = "methodology.md.j2"
    url: str
    banner: Banner | None
    title: str
    version: str
    description: str
    grades: str | None  # "A from 80, B from 60, ..."
    stale_rule: str
    reference_date: str
    categories: tuple[MethodCategory, ...]


@dataclass(frozen=True)
class SourceItem:
    anchor: str
    title: str
    publisher: str
    published: str | None
    kind: str
    url: str
    link: bool  # whether `url` may be a link
    archived: str | None
    accessed: str
    note: str | None
    cited_by: tuple[Link, ...]
    # The last automated check (`scorecard sources check --update`), when there was one.
    checked: str | None = None  # its date
    check_summary: str | None = None  # what it found, in words
    quote_flag: str | None = None  # set when it did not find every quote
    sha256: str | None = None  # of the document fetched then


def _last_check(source: Source) -> dict[str, str | None]:
    """The SourceItem fields about the source's last automated check."""
    check = source.check
    if source.checked is None or check is None:
        return {}
    return {
        "checked": source.checked.isoformat(),
        "check_summary": display.source_check(check.status, check.archive, check.quotes),
        "quote_flag": (
            display.quotes_not_found(check.missing) if check.quotes == "missing" else None
        ),
        "sha256": source.sha256,
    }


@dataclass(frozen=True)
class SourcesPage:
    template = "sources.md.j2"
    url: str
    banner: Banner | None
    sources: tuple[SourceItem, ...]


@dataclass(frozen=True)
class SchemaLink:
    href: str
    name: str
    describes: str


@dataclass(frozen=True)
class DownloadsPage:
    template = "downloads.md.j2"
    url: str
    banner: Banner | None
    meta: Meta
    json: str
    csv: str
    schemas: tuple[SchemaLink, ...]
    licence: str


@dataclass(frozen=True)
class EditionRow:
    name: Link
    date: str
    version: str
    reference_date: str
    labs: int
    short_commit: str | None


@dataclass(frozen=True)
class EditionsPage:
    template = "editions.md.j2"
    url: str
    editions: tuple[EditionRow, ...]
    notes: str  # why there is no feed or no edition, "" when there is nothing to say
    feed: tuple[Link, ...]  # the Atom and JSON feeds, when there are any


# -- building the views --------------------------------------------------------------------


def level_css(level: Level) -> str:
    """The colour class of a level; the level is always also written as text."""
    if level.id == NO_DISCLOSURE:
        return "sc-level--silent"
    if level.id == NOT_APPLICABLE:
        return "sc-level--na"
    if level.points == 1:
        return "sc-level--full"
    if level.points == 0:
        return "sc-level--none"
    return "sc-level--partial"


def badge(level: Level) -> Badge:
    return Badge(level.label, level_css(level))


def weight_text(value: Any) -> str:
    return str(display.number(value))


def _figure(figure: dict[str, Any]) -> str:
    return json.dumps(figure, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


class PageViews:
    """The views of every page of one scorecard, as the current site or as an edition."""

    def __init__(
        self,
        card: Scorecard,
        provenance: Provenance,
        *,
        edition: EditionRef | None = None,
        latest: EditionRef | None = None,
        current_urls: frozenset[str] = frozenset(),
    ) -> None:
        """`edition`: show this card as that edition's snapshot, under its prefix.
        `latest`: the newest edition, named in citations of the current pages.
        `current_urls`: the current site's pages, for an edition's links back to them."""
        self.card = card
        self.rubric = card.dataset.rubric
        self.provenance = provenance
        self.edition = edition
        self.latest = latest
        self.current_urls = current_urls
        self.paths = paths.SitePaths(edition.prefix if edition else "")
        self.sources = {s.id: s for s in card.dataset.sources}
        self._fingerprints: dict[str, str] | None = None
        self.meta = Meta(
            self.rubric.version, card.reference_date.isoformat(), provenance.short_commit
        )

    # -- helpers ---------------------------------------------------------------------------

    def _evidence(self, page: str, items: Iterable[Evidence]) -> tuple[EvidenceItem, ...]:
        out = []
        for item in items:
            source = self.sources[item.source_id]
            out.append(
                EvidenceItem(
                    source=Link(
                        paths.relative(page, self.paths.SOURCES + "#" + source.id), source.title
                    ),
                    publisher=source.publisher,
                    published=source.published,
                    locator=item.locator,
                    quote=item.quote,
                    original=source.url if is_safe_link(source.url) else None,
                    archived=source.archive_url if is_safe_link(source.archive_url) else None,
                    note=item.note,
                )
            )
        return tuple(out)

    def _banner(self, page: str) -> Banner | None:
        if self.edition is None:
            return None
        current = self.paths.unprefixed(page)
        current = current if current in self.current_urls else paths.HOME
        return Banner(
            self.edition.name,
            self.edition.date.isoformat(),
            self.edition.version,
            self.edition.short_commit,
            paths.relative(page, current),
            paths.relative(page, paths.EDITIONS),
        )

    def address(self, url: str) -> str:
        """The address to cite: absolute when the site URL is configured, else the site path."""
        root = self.provenance.site_url
        return f"{root}{url}" if root else f"/{url}"

    def _citation(self, title: str, page: str) -> Citation:
        address = self.address(page)
        date = self.card.reference_date.isoformat()
        year = self.card.reference_date.year
        commit = self.provenance.short_commit
        edition = f", edition {self.edition.name}" if self.edition else ""
        plain = (
            f"{CREATOR} ({year}). {title}. {self.rubric.title}{edition}, methodology "
            f"{self.rubric.version}, data as of {date}"
            + (f", data commit {commit}" if commit else "")
            + f". {address}"
        )
        key = page.replace("/", "-").strip("-") or "leaderboard"
        entry = (
            f"@misc{{scorecard-{key}-{date},\n"
            f"  author = {{{{{CREATOR}}}}},\n"
            f"  title = {{{bibtex(title)}}},\n"
            f"  howpublished = {{{bibtex(self.rubric.title)}{edition}, methodology "
            f"{bibtex(self.rubric.version)}}},\n"
            f"  year = {{{year}}},\n"
            f"  note = {{Data as of {date}" + (f", data commit {commit}" if commit else "") + "},\n"
            f"  url = {{{address}}}\n"
            "}"
        )
        return Citation(self._edition_note(page), plain, entry)

    def _edition_note(self, page: str) -> EditionNote | None:
        if self.edition is not None:
            ed = self.edition
            return EditionNote(
                "edition", ed.name, ed.date.isoformat(), ed.version, ed.short_commit, "", ""
            )
        latest = self.latest
        if latest is None:
            return None
        if page not in latest.fingerprints:
            kind = "absent"
        else:
            kind = "matches" if self.matches_latest(page) else "changed"
        return EditionNote(
            kind,
            latest.name,
            latest.date.isoformat(),
            latest.version,
            latest.short_commit,
            paths.relative(page, latest.prefix + page),
            self.address(latest.prefix + page),
        )

    # -- editions --------------------------------------------------------------------------

    def fingerprints(self) -> dict[str, str]:
        """What each lab and criterion page says, as comparable text, by unprefixed URL: two
        renderings of a page match when these are equal. Staleness is left out: it follows
        from the reference date, not from what the data says."""
        out: dict[str, str] = {}
        for ls in self.card.labs:
            document = lab_document(self.card, ls)
            for assessment in document["assessments"]:
                del assessment["stale"]
            out[paths.lab(ls.lab.slug)] = json_text(document)
        for criterion in self.rubric.criteria:
            rows = []
            for ls in self.card.labs:
                result = ls.result(criterion.id)
                document = assessment_document(self.card, result)
                del document["stale"]
                rows.append((ls.lab.slug, ls.rank, document))
            out[paths.criterion(criterion.id)] = json_text(rows)
        return out

    def matches_latest(self, page: str) -> bool:
        """Whether this (current) page says what it said in the latest edition."""
        if self.latest is None:
            return False
        if self._fingerprints is None:
            self._fingerprints = self.fingerprints()
        mine = self._fingerprints.get(page)
        return mine is not None and self.latest.fingerprints.get(page) == mine

    # -- pages -----------------------------------------------------------------------------

    def leaderboard(self) -> LeaderboardPage:
        page = self.paths.HOME
        return LeaderboardPage(
            url=page,
            title=self.rubric.title,
            banner=self._banner(page),
            meta=self.meta,
            labs=len(self.card.labs),
            criteria=len(self.rubric.criteria),
            methodology=paths.relative(page, self.paths.METHODOLOGY),
            figure=_figure(charts.leaderboard(self.card)),
            categories=tuple(
                CategoryHead(
                    c.title,
                    paths.relative(page, self.paths.METHODOLOGY + "#" + c.id),
                    weight_text(c.weight),
                )
                for c in self.rubric.categories
            ),
            rows=tuple(
                LeaderRow(
                    ls.rank,
                    Link(paths.relative(page, self.paths.lab(ls.lab.slug)), ls.lab.name),
                    display.score(ls.rounded),
                    ls.grade or display.MISSING,
                    tuple(display.score(c.rounded) for c in ls.categories),
                    ls.stale_count,
                )
                for ls in self.card.labs
            ),
            json=paths.relative(page, self.paths.SCORECARD_JSON),
            csv=paths.relative(page, self.paths.SCORES_CSV),
            jsonld=str(json_script(self.site_jsonld())),
        )

    def lab(self, ls: LabScore) -> LabPage:
        page = self.paths.lab(ls.lab.slug)
        points = timeline.score_timeline(ls.lab, self.rubric)
        history_figure = None
        if len(points) > 1:
            history_figure = _figure(
                charts.score_history(
                    [(p.date.isoformat(), display.number(p.score)) for p in points],
                    self.card.reference_date.isoformat(),
                )
            )
        events = [e for e in self.card.dataset.evaluations if e.lab == ls.lab.slug]
        return LabPage(
            url=page,
            name=ls.lab.name,
            banner=self._banner(page),
            meta=self.meta,
            score=display.score(ls.rounded),
            grade=ls.grade,
            rank=ls.rank,
            of=len(self.card.labs),
            stale=ls.stale_count,
            assessed=len(ls.results),
            description=ls.lab.description,
            website=ls.lab.website if is_safe_link(ls.lab.website) else None,
            figure=_figure(charts.lab_categories(self.card, ls)),
            categories=tuple(
                CategoryRow(
                    c.category.title,
                    paths.relative(page, self.paths.METHODOLOGY + "#" + c.category.id),
                    weight_text(c.category.weight),
                    display.score(c.rounded) if c.score is not None else display.NOT_APPLICABLE,
                )
                for c in ls.categories
            ),
            sections=tuple(
                self._section(page, c.category.title, r) for c in ls.categories for r in c.results
            ),
            timeline=tuple(ScoreRow(p.date.isoformat(), display.score(p.score)) for p in points),
            history_figure=history_figure,
            changes=tuple(
                self._change_row(page, change)
                for change in reversed(timeline.level_changes(ls.lab, self.rubric))
            ),
            events=tuple(
                EventRow(
                    e.model,
                    self.card.dataset.evaluator(e.evaluator).name,
                    e.released.isoformat() if e.released else display.UNKNOWN,
                    display.tri(e.pre_deployment),
                    e.publication,
                )
                for e in events
            ),
            evaluations=paths.relative(page, self.paths.EVALUATIONS + "#access-log"),
            methodology=paths.relative(page, self.paths.METHODOLOGY),
            contributing=paths.relative(page, paths.CONTRIBUTING),
            cite=self._citation(f"{ls.lab.name}: external evaluation scorecard", page),
            jsonld=str(json_script(self._lab_jsonld(ls))),
        )

    def _section(self, page: str, category: str, result: CriterionResult) -> Section:
        criterion, assessment = result.criterion, result.assessment
        silent = assessment.level_id == NO_DISCLOSURE
        return Section(
            anchor=criterion.id,
            title=criterion.title,
            badge=badge(result.level),
            points=display.points(result.points),
            left_out=result.points is None,
            weight=weight_text(criterion.weight),
            category=category,
            as_of=assessment.as_of.isoformat(),
            stale=f"Stale: {result.age_days} days old" if result.stale else None,
            stale_limit=(
                f"Older than {criterion.stale_after_days} days on the reference date"
                if result.stale
                else None
            ),
            question=criterion.question,
            criterion=paths.relative(page, self.paths.criterion(criterion.id)),
            summary=assessment.current.summary,
            evidence=self._evidence(page, assessment.current.evidence),
            no_evidence=(
                "No evidence is cited: no public information was found."
                if silent
                else "No evidence is cited."
            ),
            history=tuple(
                HistoryItem(
                    state.as_of.isoformat(),
                    badge(criterion.level(state.level_id)),
                    display.points(criterion.level(state.level_id).points),
                    state.summary,
                    self._evidence(page, state.evidence),
                )
                for state in assessment.history
            ),
        )

    def _change_row(self, page: str, change: timeline.Change) -> ChangeRow:
        criterion = change.criterion

        def reading(level_id: str) -> str:
            return f"{level_id} ({display.points(criterion.level(level_id).points)})"

        new = reading(change.new.level_id)
        text = (
            f"{reading(change.old.level_id)}{display.ARROW}{new}"
            if change.old
            else f"first reading: {new}"
        )
        evidence = tuple(
            Link(
                paths.relative(page, self.paths.SOURCES + "#" + ev.source_id),
                self.sources[ev.source_id].title,
            )
            for ev in change.new.evidence
        )
        return ChangeRow(
            change.date.isoformat(), Link("#" + criterion.id, criterion.title), text, evidence
        )

    def criterion(self, criterion_id: str) -> CriterionPage:
        criterion = self.rubric.criterion(criterion_id)
        page = self.paths.criterion(criterion_id)
        category = next(c for c in self.rubric.categories if c.id == criterion.category_id)
        rows = []
        for ls in self.card.labs:
            result = ls.result(criterion_id)
            rows.append(
                CriterionRow(
                    ls.lab.slug,
                    Link(
                        paths.relative(page, self.paths.lab(ls.lab.slug) + "#" + criterion_id),
                        ls.lab.name,
                    ),
                    badge(result.level),
                    display.points(result.points),
                    result.assessment.as_of.isoformat(),
                    result.stale,
                    result.assessment.current.summary,
                )
            )
        return CriterionPage(
            url=page,
            title=criterion.title,
            banner=self._banner(page),
            question=criterion.question,
            why=criterion.why,
            category=Link(
                paths.relative(page, self.paths.METHODOLOGY + "#" + category.id), category.title
            ),
            weight=weight_text(criterion.weight),
            stale_after=(
                str(criterion.stale_after_days) if criterion.stale_after_days else display.MISSING
            ),
            version=self.rubric.version,
            levels=tuple(_level_row(level) for level in criterion.levels),
            rows=tuple(rows),
            cite=self._citation(f"{criterion.title}: every lab", page),
        )

    def compare(self) -> ComparePage:
        page = self.paths.COMPARE
        return ComparePage(
            url=page,
            banner=self._banner(page),
            meta=self.meta,
            groups=tuple(ColumnGroup(c.title, len(c.criteria)) for c in self.rubric.categories),
            criteria=tuple(
                Link(paths.relative(page, self.paths.criterion(c.id)), c.title)
                for c in self.rubric.criteria
            ),
            rows=tuple(
                CompareRow(
                    Link(paths.relative(page, self.paths.lab(ls.lab.slug)), ls.lab.name),
                    display.score(ls.rounded),
                    tuple(
                        Cell(
                            paths.relative(
                                page, self.paths.lab(ls.lab.slug) + "#" + r.criterion.id
                            ),
                            r.level.id,
                            level_css(r.level),
                            display.points(r.points),
                            r.stale,
                        )
                        for r in ls.results
                    ),
                )
                for ls in self.card.labs
            ),
            methodology=paths.relative(page, self.paths.METHODOLOGY),
        )

    def evaluations(self) -> EvaluationsPage:
        page = self.paths.EVALUATIONS
        data = self.card.dataset
        names = {lab.slug: lab.name for lab in data.labs}
        events = sorted(
            data.evaluations,
            key=lambda e: (e.released or dt.date.max, e.lab, e.model, e.evaluator),
        )
        return EvaluationsPage(
            url=page,
            banner=self._banner(page),
            reference_date=self.card.reference_date.isoformat(),
            figure=_figure(charts.evaluations_timeline(self.card)),
            events=tuple(
                LogEvent(
                    lab=Link(paths.relative(page, self.paths.lab(e.lab)), names[e.lab]),
                    model=e.model,
                    evaluator=data.evaluator(e.evaluator).name,
                    released=e.released.isoformat() if e.released else display.UNKNOWN,
                    before_release=display.tri(e.pre_deployment),
                    final_model=display.tri(e.access.final_model),
                    no_safety_filters=display.tri(e.access.no_safety_filters),
                    helpful_only=display.tri(e.access.helpful_only),
                    fine_tuning=display.tri(e.access.fine_tuning),
                    publication=e.publication,
                    note=e.note,
                    evidence=self._evidence(page, e.evidence),
                )
                for e in events
            ),
            evaluators=tuple(
                EvaluatorItem(
                    f"evaluator-{ev.id}",
                    ev.name,
                    ev.kind,
                    ev.formerly,
                    ev.description,
                    ev.website if is_safe_link(ev.website) else None,
                )
                for ev in data.evaluators
            ),
        )

    def methodology(self) -> MethodologyPage:
        page = self.paths.METHODOLOGY
        rubric = self.rubric
        total = sum(c.weight for c in rubric.categories)
        grades = (
            ", ".join(f"{g.grade} from {display.number(g.min)}" for g in rubric.grades) + "."
            if rubric.grades
            else None
        )
        stale_rule = (
            f"{rubric.stale_after_days} days (unless a criterion sets its own limit)"
            if rubric.stale_after_days
            else "the criterion's limit in days"
        )
        return MethodologyPage(
            url=page,
            banner=self._banner(page),
            title=rubric.title,
            version=rubric.version,
            description=rubric.description,
            grades=grades,
            stale_rule=stale_rule,
            reference_date=self.card.reference_date.isoformat(),
            categories=tuple(
                MethodCategory(
                    c.id,
                    c.title,
                    c.description,
                    weight_text(c.weight),
                    f"{round_score(100 * c.weight / total)}%",
                    tuple(
                        MethodCriterion(
                            f"criterion-{crit.id}",
                            crit.title,
                            paths.relative(page, self.paths.criterion(crit.id)),
                            weight_text(crit.weight),
                            crit.question,
                            crit.why,
                            tuple(_level_row(level) for level in crit.declared_levels),
                        )
                        for crit in c.criteria
                    ),
                )
                for c in rubric.categories
            ),
        )

    def sources_page(self) -> SourcesPage:
        page = self.paths.SOURCES
        cited = self._citations()
        return SourcesPage(
            url=page,
            banner=self._banner(page),
            sources=tuple(
                SourceItem(
                    anchor=s.id,
                    title=s.title,
                    publisher=s.publisher,
                    published=s.published,
                    kind=s.kind,
                    url=s.url,
                    link=is_safe_link(s.url),
                    archived=s.archive_url if is_safe_link(s.archive_url) else None,
                    accessed=s.accessed.isoformat(),
                    note=s.note,
                    cited_by=tuple(
                        Link(paths.relative(page, url), label) for url, label in cited[s.id]
                    ),
                    **_last_check(s),
                )
                for s in self.card.dataset.sources
            ),
        )

    def _citations(self) -> dict[str, list[tuple[str, str]]]:
        """For each source, every place it is cited: (page URL with anchor, label)."""
        cited: dict[str, list[tuple[str, str]]] = {s.id: [] for s in self.card.dataset.sources}
        for ls in sorted(self.card.labs, key=lambda ls: ls.lab.slug):
            for result in ls.results:
                states = (result.assessment.current, *result.assessment.history)
                for source_id in sorted({e.source_id for s in states for e in s.evidence}):
                    cited[source_id].append(
                        (
                            self.paths.lab(ls.lab.slug) + "#" + result.criterion.id,
                            f"{ls.lab.name}: {result.criterion.title}",
                        )
                    )
        for event in self.card.dataset.evaluations:
            for source_id in sorted({e.source_id for e in event.evidence}):
                entry = (self.paths.EVALUATIONS + "#access-log", f"Access log: {event.model}")
                if entry not in cited[source_id]:
                    cited[source_id].append(entry)
        return cited

    def downloads(self, schema_kinds: tuple[str, ...]) -> DownloadsPage:
        page = self.paths.DOWNLOADS
        return DownloadsPage(
            url=page,
            banner=self._banner(page),
            meta=self.meta,
            json=paths.relative(page, self.paths.SCORECARD_JSON),
            csv=paths.relative(page, self.paths.SCORES_CSV),
            schemas=tuple(
                SchemaLink(
                    paths.relative(page, self.paths.schema(kind)),
                    f"{kind}.schema.json",
                    "data/labs/<slug>.yaml" if kind == "lab" else f"data/{kind}.yaml",
                )
                for kind in schema_kinds
            ),
            licence=paths.relative(page, paths.LICENCE),
        )

    def editions_page(
        self, editions: Iterable[EditionRow], notes: tuple[str, ...], has_feed: bool
    ) -> EditionsPage:
        page = paths.EDITIONS
        feed = (
            (
                Link(paths.relative(page, paths.FEED_ATOM), "Atom"),
                Link(paths.relative(page, paths.FEED_JSON), "JSON Feed"),
            )
            if has_feed
            else ()
        )
        return EditionsPage(page, tuple(editions), "; ".join(notes), feed)

    def edition_row(
        self, name: str, date: dt.date, card: Scorecard, short_commit: str | None
    ) -> EditionRow:
        page = paths.EDITIONS
        return EditionRow(
            Link(paths.relative(page, paths.edition(name)), name),
            date.isoformat(),
            card.dataset.rubric.version,
            card.reference_date.isoformat(),
            len(card.labs),
            short_commit,
        )

    # -- structured data -------------------------------------------------------------------

    def _lab_jsonld(self, ls: LabScore) -> dict[str, Any]:
        rubric = self.rubric
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": f"{rubric.title}: {ls.lab.name}",
            "description": f"Assessment of {ls.lab.name} on {len(rubric.criteria)} "
            f"criteria of external model evaluation, methodology {rubric.version}, "
            f"data as of {self.card.reference_date.isoformat()}.",
            "version": rubric.version,
            "dateModified": self.card.reference_date.isoformat(),
            "license": CC_BY,
            "creator": {"@type": "Organization", "name": CREATOR},
            "isAccessibleForFree": True,
        }
        if self.provenance.site_url:
            data["url"] = self.address(self.paths.lab(ls.lab.slug))
        return data

    def site_jsonld(self) -> dict[str, Any]:
        rubric = self.rubric
        return {
            "@context": "https://schema.org",
            "@type": "Dataset",
            "name": rubric.title,
            "description": rubric.description
            or "A cited scorecard of how frontier AI labs open their models to independent "
            "evaluators before release.",
            "version": rubric.version,
            "dateModified": self.card.reference_date.isoformat(),
            "license": CC_BY,
            "creator": {"@type": "Organization", "name": CREATOR},
            "isAccessibleForFree": True,
            "distribution": [
                {
                    "@type": "DataDownload",
                    "encodingFormat": "application/json",
                    "contentUrl": self.address(self.paths.SCORECARD_JSON),
                },
                {
                    "@type": "DataDownload",
                    "encodingFormat": "text/csv",
                    "contentUrl": self.address(self.paths.SCORES_CSV),
                },
            ],
        }


def _level_row(level: Level) -> LevelRow:
    return LevelRow(badge(level), level.id, display.points(level.points), level.description)
