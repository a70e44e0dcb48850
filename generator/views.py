"""What each page shows, prepared: the one place that says what a template may use.

Every page's template receives exactly one value, `v`: a frozen dataclass from this module (the
`*Page` classes below), built from the scored model by `PageViews`. Its fields are strings,
numbers, booleans and tuples of further dataclasses from here: numbers already rounded and
written out, links already made relative to the page and checked (`urls.is_safe_link`), figures
already serialised to JSON with the height they draw at (`Figure`). Templates hold presentation
only: they loop, branch, and escape with the filters listed in `render.FILTERS`; they call
nothing else.

Because a view holds everything its page shows, two equal views render the same Markdown: the
renderer keeps pages by view, and `scorecard serve` re-renders only the pages an edit changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any
from urllib.parse import quote, urlencode

from generator import access, charts, citation, display, paths, timeline, verdict, versions
from generator.citation import CitationFacts
from generator.escape import json_script
from generator.export import assessment_document, json_text, lab_document
from generator.kept import Kept, Memo
from generator.model import (
    NO_DISCLOSURE,
    NOT_APPLICABLE,
    PRE_DEPLOYMENT,
    Criterion,
    Dataset,
    Evaluation,
    Evaluator,
    Evidence,
    Lab,
    Level,
    Model,
    Source,
)
from generator.score import CriterionResult, LabScore, Scorecard, round_score
from generator.urls import is_safe_link

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
SCHEMA_DESCRIBES = {
    "lab": "data/labs/<slug>.yaml",
    "scorecard": "the download scorecard.json",
    "models": "the download models.json",
    "events": "the download events.json",
}
CREATOR = "Scorecard contributors"
CORRECTION_FORM = "correction.yml"  # .github/ISSUE_TEMPLATE/, its fields prefilled by id


# -- inputs besides the scorecard ----------------------------------------------------------


@dataclass(frozen=True)
class Provenance:
    """Where the data came from, for citations: the data commit and its date, if known."""

    commit: str | None  # full hash of the last commit touching the data folder
    commit_date: dt.date | None
    site_url: str | None  # the published site's root URL, if configured (ends with /)
    repository: str | None = None  # the project's GitHub repository (no trailing /), if known
    maintainers: tuple[tuple[str, str | None], ...] = ()  # (name, contact) from mkdocs.yml

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
class Figure:
    """A chart: plotly's figure as JSON, and its height in CSS pixels, which charts.js reserves
    before plotly draws it, so the text below does not move when it does."""

    json: str
    height: int


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
    via: Link | None = None  # the document the words were read in, when not the source
    status: str | None = None  # seen | relayed | paraphrase


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
    """A page's "cite this page" block. `address` is what the citation names: the latest
    edition's permanent address when this page says the same as that edition, else the page's
    own; `current` is the moving page, offered second, when the edition is cited."""

    note: EditionNote | None
    plain: str
    bibtex: str
    address: str = ""
    current: str | None = None
    urldate: str = ""  # the date the cited data was current (the data's date, not the clock)
    edition: str | None = None  # the edition cited, if any
    relative: bool = False  # the addresses are site paths: no site URL was configured


@dataclass(frozen=True)
class Meta:
    """The data's version line shown under a page's title: how current the evidence is, when
    the sources were last checked, and how many readings are past their rubric's age limit."""

    version: str
    reference_date: str  # the date staleness is judged on (SPEC 5)
    short_commit: str | None
    evidence_to: str = display.MISSING  # the newest as_of of the readings shown
    checked: str = display.MISSING  # the newest date a cited source was checked
    stale: int = 0
    readings: int = 0


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
class ReportCard:
    """One lab on the report card: the verdict first, then the one generated line behind it."""

    rank: int
    lab: Link
    score: str
    grade: str
    grade_css: str  # the grade's colour class (repeats the letter)
    reason: str  # generated from the readings (verdict.reason), without its level
    reason_level: str | None  # the level where the lab loses most
    gap: str | None  # distance to a grade line between close neighbours
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
    figure: Figure
    categories: tuple[CategoryHead, ...]
    rows: tuple[LeaderRow, ...]
    cards: tuple[ReportCard, ...]
    grades: str  # the grade lines in words, e.g. "A from 80, B from 60, ..."
    json: str
    csv: str
    jsonld: str
    explore: str


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
    level_id: str = ""
    meaning: str = ""  # what the level means (the rubric's description of it)
    silent: bool = False  # no-disclosure: "searched to" rather than "as of"
    correction: str = ""  # href: suggest a correction to this reading
    response: ResponseView | None = None
    contested: ContestedView | None = None


@dataclass(frozen=True)
class ResponseView:
    """A lab's public response, shown beside the reading it answers; never scored."""

    date: str
    summary: str
    evidence: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class ContestedView:
    since: str
    note: str
    link: str | None  # the public discussion, when safe to link


@dataclass(frozen=True)
class OverviewRow:
    href: str  # the criterion's section on this page
    title: str
    badge: Badge
    points: str
    as_of: str
    stale: bool
    silent: bool
    contested: bool
    responded: bool


@dataclass(frozen=True)
class OverviewGroup:
    title: str
    score: str
    rows: tuple[OverviewRow, ...]


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
    figure: Figure
    categories: tuple[CategoryRow, ...]
    sections: tuple[Section, ...]
    timeline: tuple[ScoreRow, ...]
    history_figure: Figure | None  # only with more than one point
    changes: tuple[ChangeRow, ...]
    models: tuple[ModelRow, ...]  # the lab's models and their external testing, newest first
    events: tuple[EventRow, ...]
    evaluations: str
    methodology: str
    contributing: str
    cite: Citation
    jsonld: str
    reason: str = ""  # the report card's line for this lab
    gap: str | None = None
    overview: tuple[OverviewGroup, ...] = ()
    correction: str = ""  # href: suggest a correction to this page
    corrections: str = ""  # href: the corrections page


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
    jsonld: str = ""  # a WebPage, part of the Dataset (escape.json_script's output)


@dataclass(frozen=True)
class Cell:
    href: str
    level_id: str
    label: str  # the level's label: the text of the cell, the colour only repeats it
    css: str
    points: str
    stale: bool
    contested: bool = False


@dataclass(frozen=True)
class CompareRow:
    lab: Link
    score: str  # the lab's score in this category
    overall: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class CompareSection:
    """One category as a heat map: labs down, its criteria across."""

    anchor: str
    title: str
    weight: str
    criteria: tuple[Link, ...]
    rows: tuple[CompareRow, ...]


@dataclass(frozen=True)
class LegendItem:
    css: str
    label: str
    meaning: str


@dataclass(frozen=True)
class ComparePage:
    template = "compare.md.j2"
    url: str
    banner: Banner | None
    meta: Meta
    sections: tuple[CompareSection, ...]
    legend: tuple[LegendItem, ...]
    methodology: str


@dataclass(frozen=True)
class LogEvent:
    lab_slug: str  # for the lab filter
    lab: Link
    model: Link  # the model's page, or no href when the lab lists no models
    evaluator: Link
    released: str
    stage: str
    window: str
    level: str
    model_given: str
    no_safety_filters: str
    helpful_only: str
    fine_tuning: str
    reasoning_traces: str
    lab_review: str
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
    page: str  # href of the evaluator's page


@dataclass(frozen=True)
class EvaluationsPage:
    template = "evaluations.md.j2"
    url: str
    banner: Banner | None
    reference_date: str
    figure: Figure
    events: tuple[LogEvent, ...]
    evaluators: tuple[EvaluatorItem, ...]
    labs: tuple[Link, ...]  # for the filter: text is the name, href the lab's slug
    methodology: str
    models: str
    evaluators_href: str


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
class VersionRow:
    version: str
    date: str
    changes: str
    why: str | None
    previous: str | None


@dataclass(frozen=True)
class EffectRow:
    """One lab's score under the previous methodology and under the current one."""

    lab: Link
    previous: str
    current: str
    change: str  # e.g. "+4.5", "−2.0", "0.0"


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
    evaluations: str  # href of the access log
    explore: str
    access_levels: tuple[Fact, ...]  # AL1..AL3 and what earns each
    full_window: int  # business days for a full access window
    partial_window: int
    versions: tuple[VersionRow, ...]
    effect_of: str | None  # "2.0 against 1.0", when the effect can be shown
    effect: tuple[EffectRow, ...]


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
    meta: Meta | None = None


@dataclass(frozen=True)
class CorrectionItem:
    date: str
    lab: Link
    criterion: Link | None  # the lab page's section on it
    change: str | None  # "Some of it (partial) → None (none)", when the level changed
    reason: str
    requested_by: str | None
    sources: tuple[Link, ...]
    link: str | None  # the public discussion, when safe to link


@dataclass(frozen=True)
class ContestedItem:
    lab: Link
    criterion: Link
    since: str
    note: str
    link: str | None


@dataclass(frozen=True)
class Maintainer:
    name: str
    contact: str | None


@dataclass(frozen=True)
class CorrectionsPage:
    template = "corrections.md.j2"
    url: str
    meta: Meta
    form: str | None  # the correction form (absolute), when the repository is known
    repository: str | None
    contributing: str
    methodology: str
    maintainers: tuple[Maintainer, ...]
    corrections: tuple[CorrectionItem, ...]
    contested: tuple[ContestedItem, ...]
    responses: tuple[ContestedItem, ...]  # readings with a lab's response (since = its date)


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
    models_json: str
    models_csv: str
    events_json: str
    events_csv: str
    schemas: tuple[SchemaLink, ...]
    licence: str
    jsonld: str = ""  # the Dataset, with every download (escape.json_script's output)


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


@dataclass(frozen=True)
class Fact:
    """One fact about an access event: its name, its value in words, and a symbol repeating a
    yes / no / unknown value (empty for other values)."""

    name: str
    value: str
    icon: str = ""


@dataclass(frozen=True)
class EventDetail:
    """One access event, as a model's and an evaluator's pages show it."""

    anchor: str
    lab: Link
    model: Link
    evaluator: Link
    released: str
    stage: str
    level: str  # AL1, AL2 or AL3
    window: str  # business days before release, or what is known of the window
    facts: tuple[Fact, ...]  # depth and terms
    publication: str
    domains: str
    note: str | None
    evidence: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class ModelRow:
    """One model release in a table: who tested it before release, how long, how deep, on
    what terms (the strongest documented across its pre-deployment events)."""

    anchor: str
    lab_slug: str  # for the lab filter
    lab: Link
    model: Link
    released: str
    frontier: bool
    tested: str  # the evaluators with pre-deployment access, or "none documented"
    tested_icon: str
    window: str
    depth: str
    terms: str


@dataclass(frozen=True)
class ModelsPage:
    template = "models.md.j2"
    url: str
    banner: Banner | None
    meta: Meta
    labs: tuple[Link, ...]  # for the filter: text is the name, href the lab's slug
    rows: tuple[ModelRow, ...]
    json: str
    csv: str
    methodology: str


@dataclass(frozen=True)
class ModelPage:
    template = "model.md.j2"
    url: str
    banner: Banner | None
    meta: Meta
    name: str
    lab: Link
    released: str
    frontier: str
    latest: bool  # the lab's latest frontier model on the reference date
    open_weights: str
    availability: str
    card: Link | None
    evidence: tuple[EvidenceItem, ...]
    note: str | None
    events: tuple[EventDetail, ...]
    models: str  # href of /models/
    methodology: str


@dataclass(frozen=True)
class EvaluatorRow:
    evaluator: Link
    kind: str
    events: int
    before_release: int
    labs: str


@dataclass(frozen=True)
class EvaluatorsPage:
    template = "evaluators.md.j2"
    url: str
    banner: Banner | None
    meta: Meta
    rows: tuple[EvaluatorRow, ...]


@dataclass(frozen=True)
class TermsRow:
    """An evaluator's terms on one event, in time order."""

    released: str
    model: Link
    lab_review: str
    nda: str
    paid: str
    publication: str


@dataclass(frozen=True)
class EvaluatorPage:
    template = "evaluator.md.j2"
    url: str
    banner: Banner | None
    meta: Meta
    name: str
    kind: str
    formerly: str | None
    description: str | None
    website: str | None
    unnamed: bool
    terms: tuple[TermsRow, ...]
    events: tuple[EventDetail, ...]
    evaluators: str


@dataclass(frozen=True)
class ExploreRow:
    rank: int
    lab: Link
    score: str
    grade: str


@dataclass(frozen=True)
class ExplorePage:
    """The reader-weighted scorecard: the published ranking for readers without JavaScript,
    and the data the page's script scores exactly as score.py does (points and weights as
    exact fractions "n/d")."""

    template = "explore.md.j2"
    url: str
    banner: Banner | None
    meta: Meta
    rows: tuple[ExploreRow, ...]
    data: str  # JSON for the script
    methodology: str


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


# What each colour of a level means, for the legends; the text of a cell always says the level.
LEGEND = (
    LegendItem("sc-level--full", "Full marks", "the criterion's best level (1 point)"),
    LegendItem("sc-level--partial", "Part marks", "a level between (more than 0, less than 1)"),
    LegendItem("sc-level--none", "No marks", "a level worth 0 points: the practice is absent"),
    LegendItem("sc-level--silent", "No public information", "nothing was found (0 points)"),
    LegendItem("sc-level--na", "Not applicable", "left out of the score"),
)


def _level_words(criterion: Criterion, level_id: str) -> str:
    """A level of a criterion as words and id; an id the rubric no longer has, as written."""
    known = {level.id: level for level in criterion.levels}
    return display.level(known[level_id].label, level_id) if level_id in known else level_id


def grade_css(grade: str | None) -> str:
    """A colour class for a grade letter: it repeats the letter, never replaces it."""
    return f"sc-grade--{grade.lower()}" if grade and grade.isalpha() else "sc-grade--none"


def badge(level: Level) -> Badge:
    return Badge(level.label, level_css(level))


def weight_text(value: Any) -> str:
    return str(display.number(value))


def _figure(figure: dict[str, Any]) -> Figure:
    return Figure(
        json.dumps(figure, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        int(figure["layout"]["height"]),
    )


# A lab page's figures by what they show: building one with plotly's validating objects costs
# about 20 ms, and `scorecard serve` asks for every lab's after each edit.
_FIGURES: Memo[tuple[Any, ...], Figure] = Memo()


def _memo_figure(key: tuple[Any, ...], build: Any) -> Figure:
    return _FIGURES.get(key, lambda: _figure(build()))


class _Hashed:
    """A tuple of inputs with its hash computed once (a tuple hashes its items on every call,
    and a frozen dataclass its fields, all the way down)."""

    __slots__ = ("_hash", "value")

    def __init__(self, value: tuple[Any, ...]) -> None:
        self.value = value
        self._hash = hash(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, _Hashed) and self.value == other.value)


class LabViews:
    """Lab page views by everything they are made from, kept across the builds of `scorecard
    serve`: after an edit to one lab file, the other labs' pages are looked up, not made again
    (their ranks, the grade lines and every shared input are part of the key). Only the
    current site's pages are kept; an edition's are made once per build anyway."""

    def __init__(self) -> None:
        self._views: Kept[_Hashed, tuple[EditionRef | None, LabPage]] = Kept()
        self._context: _Hashed | None = None

    def shared(self, context: tuple[Any, ...]) -> _Hashed:
        """The inputs every lab page shares, as one object for as long as they stay equal:
        hashed once, and compared by identity inside every key."""
        if self._context is None or self._context.value != context:
            self._context = _Hashed(context)
        return self._context

    def get(self, key: _Hashed, latest: EditionRef | None, make: Any) -> LabPage:
        # The latest edition is in the key by identity: holding it keeps that id unused.
        return self._views.get(key, lambda: (latest, make()))[1]

    def forget_unused(self) -> None:
        """Keep only the views asked for since the last call (one build's labs)."""
        self._views.forget_unused()


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
        lab_views: LabViews | None = None,
    ) -> None:
        """`edition`: show this card as that edition's snapshot, under its prefix.
        `latest`: the newest edition, named in citations of the current pages.
        `current_urls`: the current site's pages, for an edition's links back to them.
        `lab_views`: lab pages kept from an earlier build (`scorecard serve`), see LabViews."""
        self.card = card
        self.lab_views = lab_views if edition is None else None
        self.rubric = card.dataset.rubric
        self.provenance = provenance
        self.edition = edition
        self.latest = latest
        self.current_urls = current_urls
        self.paths = paths.SitePaths(edition.prefix if edition else "")
        self.sources = {s.id: s for s in card.dataset.sources}
        self._fingerprints: dict[str, str] | None = None
        # A source was last read by a person (accessed) or by `scorecard sources check`: one
        # date for the whole site, on every page's meta line.
        self._checked = max(
            (max(s.accessed, s.checked or s.accessed) for s in card.dataset.sources),
            default=None,
        )
        self.meta = self._meta([r for ls in card.labs for r in ls.results])
        # Every lab's distance to a close grade line: the leaderboard and each lab page show it.
        self.gaps = verdict.grade_gaps(card.labs, self.rubric.grades)
        self.reasons = {ls.lab.slug: verdict.reason(ls) for ls in card.labs}

    # -- helpers ---------------------------------------------------------------------------

    def _meta(self, results: list[CriterionResult]) -> Meta:
        # The newest reading that rests on evidence: a no-disclosure reading is dated by when
        # the search for evidence ended, and "evidence current to" that day would overstate
        # what was found. With nothing but silence, the search date is all there is.
        found = [r.assessment.as_of for r in results if r.assessment.level_id != NO_DISCLOSURE]
        newest = max(found or [r.assessment.as_of for r in results], default=None)
        checked = self._checked
        return Meta(
            self.rubric.version,
            self.card.reference_date.isoformat(),
            self.provenance.short_commit,
            newest.isoformat() if newest else display.MISSING,
            checked.isoformat() if checked else display.MISSING,
            sum(r.stale for r in results),
            len(results),
        )

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
                    via=(
                        Link(
                            paths.relative(page, self.paths.SOURCES + "#" + item.via),
                            self.sources[item.via].title,
                        )
                        if item.via
                        else None
                    ),
                    status=item.status,
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
        """Cite the latest edition's permanent address when this page matches it (the current,
        moving page second), else this page: an edition's page cites that edition."""
        note = self._edition_note(page)
        own = self.address(page)
        if note is not None and note.kind == "matches":
            return citation_text(
                CitationFacts(
                    title=title,
                    site=self.rubric.title,
                    version=note.version,
                    address=note.address,
                    current=own,
                    edition=note.name,
                    published=dt.date.fromisoformat(note.date),
                    data_date=self.card.reference_date,
                    urldate=self._urldate(),
                    commit=note.short_commit,
                    key=self.paths.unprefixed(page),
                ),
                note,
                relative=not self.provenance.site_url,
            )
        ed = self.edition
        return citation_text(
            CitationFacts(
                title=title,
                site=self.rubric.title,
                version=self.rubric.version,
                address=own,
                current=None,
                edition=ed.name if ed else None,
                published=ed.date if ed else self.card.reference_date,
                data_date=self.card.reference_date,
                urldate=self._urldate(),
                commit=self.provenance.short_commit,
                key=self.paths.unprefixed(page),
                newer_than=(
                    note.name if note is not None and note.kind in ("changed", "absent") else None
                ),
            ),
            note,
            relative=not self.provenance.site_url,
        )

    def _urldate(self) -> dt.date:
        """The date the page's data was current: the data's last commit (an edition's date for
        an edition), else the reference date; never the clock, so rebuilds stay identical."""
        return self.provenance.commit_date or self.card.reference_date

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
            jsonld=str(json_script(self.site_jsonld(page))),
            explore=paths.relative(page, self.paths.EXPLORE),
            cards=self._report_cards(page),
            grades=", ".join(f"{g.grade} from {display.number(g.min)}" for g in self.rubric.grades),
        )

    def _report_cards(self, page: str) -> tuple[ReportCard, ...]:
        gaps = self.gaps
        return tuple(
            ReportCard(
                ls.rank,
                Link(paths.relative(page, self.paths.lab(ls.lab.slug)), ls.lab.name),
                display.score(ls.rounded),
                ls.grade or display.MISSING,
                grade_css(ls.grade),
                (line := self.reasons[ls.lab.slug]).lead,
                line.level,
                gaps.get(ls.lab.slug),
                ls.stale_count,
            )
            for ls in self.card.labs
        )

    def lab(self, ls: LabScore) -> LabPage:
        if self.lab_views is None:
            return self._lab(ls)
        slug = ls.lab.slug
        shared = self.lab_views.shared(self._lab_context())
        # A lab's score follows from the lab, the rubric and the reference date (in `shared`)
        # and its rank; the scores are in the key too, should a card be scored otherwise.
        scores = (ls.rank, ls.score, ls.grade, tuple(c.score for c in ls.categories))
        key = _Hashed((ls.lab, scores, self.reasons[slug], self.gaps.get(slug), shared))
        return self.lab_views.get(key, self.latest, lambda: self._lab(ls))

    def _lab_context(self) -> tuple[Any, ...]:
        """Everything a current lab page reads besides its lab, score, report-card line and
        grade gap (the rest of the key in `lab`): if a lab page is made to show anything else,
        it belongs here; tests/unit/test_lab_views.py checks kept views against fresh ones."""
        data = self.card.dataset
        return (
            self.card.reference_date,
            self.rubric,
            self.provenance,
            id(self.latest),  # an EditionRef holds a dict; LabViews keeps it alive
            self._checked,
            len(self.card.labs),
            data.evaluations,
            data.evaluators,
            data.sources,
        )

    def _lab(self, ls: LabScore) -> LabPage:
        page = self.paths.lab(ls.lab.slug)
        points = timeline.score_timeline(ls.lab, self.rubric)
        history_figure = None
        if len(points) > 1:
            steps = tuple((p.date.isoformat(), display.number(p.score)) for p in points)
            day = self.card.reference_date.isoformat()
            history_figure = _memo_figure(
                ("history", steps, day), lambda: charts.score_history(list(steps), day)
            )
        events = [e for e in self.card.dataset.evaluations if e.lab == ls.lab.slug]
        return LabPage(
            url=page,
            name=ls.lab.name,
            banner=self._banner(page),
            meta=self._meta(list(ls.results)),
            score=display.score(ls.rounded),
            grade=ls.grade,
            rank=ls.rank,
            of=len(self.card.labs),
            stale=ls.stale_count,
            assessed=len(ls.results),
            description=ls.lab.description,
            website=ls.lab.website if is_safe_link(ls.lab.website) else None,
            figure=_memo_figure(
                # everything lab_categories reads: each applicable category and its score
                (
                    "categories",
                    *(
                        (c.category.id, c.category.title, c.rounded)
                        for c in ls.categories
                        if c.score is not None
                    ),
                ),
                lambda: charts.lab_categories(self.card, ls),
            ),
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
                self._section(page, c.category.title, r, ls.lab.name)
                for c in ls.categories
                for r in c.results
            ),
            timeline=tuple(ScoreRow(p.date.isoformat(), display.score(p.score)) for p in points),
            history_figure=history_figure,
            changes=tuple(
                self._change_row(page, change)
                for change in reversed(timeline.level_changes(ls.lab, self.rubric))
            ),
            models=tuple(
                self._model_row(page, ls.lab, model) for model in _newest_first(ls.lab.models)
            ),
            events=tuple(
                EventRow(
                    e.model_name,
                    self.card.dataset.evaluator(e.evaluator).name,
                    e.released.isoformat() if e.released else display.UNKNOWN,
                    display.tri(e.pre_deployment),
                    display.words(e.publication),
                )
                for e in events
            ),
            evaluations=paths.relative(page, self.paths.EVALUATIONS + "#access-log"),
            methodology=paths.relative(page, self.paths.METHODOLOGY),
            contributing=paths.relative(page, paths.CONTRIBUTING),
            cite=self._citation(f"{ls.lab.name}: external evaluation scorecard", page),
            jsonld=str(json_script(self._lab_jsonld(ls))),
            reason=self.reasons[ls.lab.slug].text,
            gap=self.gaps.get(ls.lab.slug),
            overview=tuple(
                OverviewGroup(
                    c.category.title,
                    display.score(c.rounded) if c.score is not None else display.NOT_APPLICABLE,
                    tuple(self._overview_row(r) for r in c.results),
                )
                for c in ls.categories
            ),
            correction=self.correction_link(page, ls.lab.name),
            corrections=paths.relative(page, self.paths.CORRECTIONS),
        )

    def _overview_row(self, result: CriterionResult) -> OverviewRow:
        assessment = result.assessment
        return OverviewRow(
            "#" + result.criterion.id,
            result.criterion.title,
            badge(result.level),
            display.points(result.points),
            assessment.as_of.isoformat(),
            result.stale,
            assessment.level_id == NO_DISCLOSURE,
            assessment.contested is not None,
            assessment.response is not None,
        )

    def correction_link(self, page: str, lab: str, criterion: Criterion | None = None) -> str:
        """Where to ask for a correction: the repository's correction form, prefilled with the
        lab, the criterion and the page's address; without a known repository, the corrections
        page, which says how."""
        repository = self.provenance.repository
        if repository is None:
            return paths.relative(page, self.paths.CORRECTIONS) + "#ask"
        fields = {"template": CORRECTION_FORM}
        if lab:
            anchor = f"#{criterion.id}" if criterion else ""
            fields["title"] = f"Correction: {lab}" + (f", {criterion.id}" if criterion else "")
            fields["entry"] = (
                f"{lab}, criterion {criterion.id} ({criterion.title})" if criterion else lab
            )
            fields["page"] = self.address(page) + anchor
        url = f"{repository}/issues/new?" + urlencode(fields, quote_via=quote)
        return url if is_safe_link(url) else paths.relative(page, self.paths.CORRECTIONS) + "#ask"

    def _section(
        self, page: str, category: str, result: CriterionResult, lab_name: str = ""
    ) -> Section:
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
                f"older than {criterion.stale_after_days} days on the reference date"
                if result.stale
                else None
            ),
            question=criterion.question,
            criterion=paths.relative(page, self.paths.criterion(criterion.id)),
            summary=assessment.current.summary,
            evidence=self._evidence(page, assessment.current.evidence),
            no_evidence=(
                f"No evidence is cited: no public information was found, searched to "
                f"{assessment.as_of.isoformat()}."
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
            level_id=result.level.id,
            meaning=result.level.description,
            silent=silent,
            correction=self.correction_link(page, lab_name, criterion),
            response=(
                ResponseView(
                    assessment.response.date.isoformat(),
                    assessment.response.summary,
                    self._evidence(page, assessment.response.evidence),
                )
                if assessment.response
                else None
            ),
            contested=(
                ContestedView(
                    assessment.contested.since.isoformat(),
                    assessment.contested.note,
                    assessment.contested.link if is_safe_link(assessment.contested.link) else None,
                )
                if assessment.contested
                else None
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
            jsonld=str(json_script(self.criterion_jsonld(criterion, page))),
        )

    def compare(self) -> ComparePage:
        page = self.paths.COMPARE
        sections = []
        for category in self.rubric.categories:
            rows = []
            for ls in self.card.labs:
                result = next(c for c in ls.categories if c.category.id == category.id)
                rows.append(
                    CompareRow(
                        Link(paths.relative(page, self.paths.lab(ls.lab.slug)), ls.lab.name),
                        display.score(result.rounded)
                        if result.score is not None
                        else display.NOT_APPLICABLE,
                        display.score(ls.rounded),
                        tuple(
                            Cell(
                                paths.relative(
                                    page, self.paths.lab(ls.lab.slug) + "#" + r.criterion.id
                                ),
                                r.level.id,
                                r.level.label,
                                level_css(r.level),
                                display.points(r.points),
                                r.stale,
                                r.assessment.contested is not None,
                            )
                            for r in result.results
                        ),
                    )
                )
            sections.append(
                CompareSection(
                    category.id,
                    category.title,
                    weight_text(category.weight),
                    tuple(
                        Link(paths.relative(page, self.paths.criterion(c.id)), c.title)
                        for c in category.criteria
                    ),
                    tuple(rows),
                )
            )
        return ComparePage(
            url=page,
            banner=self._banner(page),
            meta=self.meta,
            sections=tuple(sections),
            legend=LEGEND,
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
            figure=_memo_figure(
                # everything evaluations_timeline reads: the events, the evaluators, the labs
                (
                    "evaluations",
                    data.evaluations,
                    data.evaluators,
                    tuple((lab.slug, lab.name) for lab in data.labs),
                ),
                lambda: charts.evaluations_timeline(self.card),
            ),
            events=tuple(
                LogEvent(
                    lab_slug=e.lab,
                    lab=Link(paths.relative(page, self.paths.lab(e.lab)), names[e.lab]),
                    model=self._model_link(page, e),
                    evaluator=Link(
                        paths.relative(page, self.paths.evaluator(e.evaluator)),
                        data.evaluator(e.evaluator).name,
                    ),
                    released=e.released.isoformat() if e.released else display.UNKNOWN,
                    stage=display.words(e.stage),
                    window=_window_text(e),
                    level=access.access_level(e),
                    model_given=display.words(e.access.model_given),
                    no_safety_filters=display.tri(e.access.no_safety_filters),
                    helpful_only=display.tri(e.access.helpful_only),
                    fine_tuning=display.tri(e.access.fine_tuning),
                    reasoning_traces=display.words(e.access.reasoning_traces),
                    lab_review=display.words(e.terms.lab_review),
                    publication=display.words(e.publication),
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
                    paths.relative(page, self.paths.evaluator(ev.id)),
                )
                for ev in data.evaluators
            ),
            labs=tuple(Link(lab.slug, lab.name) for lab in data.labs),
            methodology=paths.relative(page, self.paths.METHODOLOGY + "#sc_access-levels"),
            models=paths.relative(page, self.paths.MODELS),
            evaluators_href=paths.relative(page, self.paths.EVALUATORS),
        )

    # -- the access log's models and evaluators --------------------------------------------

    def _model_link(self, page: str, event: Evaluation) -> Link:
        lab = self.card.dataset.lab(event.lab)
        if lab.model(event.model) is None:
            return Link("", event.model_name)
        return Link(
            paths.relative(page, self.paths.model(event.lab, event.model)), event.model_name
        )

    def _model_row(self, page: str, lab: Lab, model: Model) -> ModelRow:
        data = self.card.dataset
        events = access.events_of(data, lab, model)
        before = [e for e in events if e.stage == PRE_DEPLOYMENT]
        tested = ", ".join(dict.fromkeys(data.evaluator(e.evaluator).name for e in before))
        windows = [access.window_business_days(e.window, model.release_day) for e in before]
        known = [d for d in windows if d is not None]
        return ModelRow(
            anchor=f"{lab.slug}-{model.id}",
            lab_slug=lab.slug,
            lab=Link(paths.relative(page, self.paths.lab(lab.slug)), lab.name),
            model=Link(paths.relative(page, self.paths.model(lab.slug, model.id)), model.name),
            released=model.released or display.UNKNOWN,
            frontier=model.frontier,
            tested=tested or "none documented",
            tested_icon=display.tri_icon(True) if before else "",
            window=f"{max(known)} business days" if known else display.MISSING,
            depth=_depth_text(before),
            terms=_terms_text(data, before),
        )

    def models_page(self) -> ModelsPage:
        page = self.paths.MODELS
        labs = self.card.dataset.labs
        rows = [
            (model.release_day or dt.date.min, lab.slug, model.id, lab, model)
            for lab in labs
            for model in lab.models
            if model.frontier
        ]
        rows.sort(key=lambda r: (r[0], r[1], r[2]), reverse=True)
        return ModelsPage(
            url=page,
            banner=self._banner(page),
            meta=self.meta,
            labs=tuple(Link(lab.slug, lab.name) for lab in labs if lab.models),
            rows=tuple(self._model_row(page, lab, model) for *_, lab, model in rows),
            json=paths.relative(page, self.paths.MODELS_JSON),
            csv=paths.relative(page, self.paths.MODELS_CSV),
            methodology=paths.relative(page, self.paths.METHODOLOGY + "#sc_access-levels"),
        )

    def model_page(self, lab: Lab, model: Model) -> ModelPage:
        page = self.paths.model(lab.slug, model.id)
        latest = lab.latest_frontier_model(self.card.reference_date)
        card = self.sources.get(model.card) if model.card else None
        return ModelPage(
            url=page,
            banner=self._banner(page),
            meta=self.meta,
            name=model.name,
            lab=Link(paths.relative(page, self.paths.lab(lab.slug)), lab.name),
            released=model.released or display.UNKNOWN,
            frontier=display.tri(model.frontier),
            latest=latest is not None and latest.id == model.id,
            open_weights=display.tri(model.open_weights),
            availability=model.availability,
            card=(
                Link(paths.relative(page, self.paths.SOURCES + "#" + card.id), card.title)
                if card
                else None
            ),
            evidence=self._evidence(page, model.evidence),
            note=model.note,
            events=tuple(
                self._event_detail(page, e) for e in access.events_of(self.card.dataset, lab, model)
            ),
            models=paths.relative(page, self.paths.MODELS),
            methodology=paths.relative(page, self.paths.METHODOLOGY + "#sc_access-levels"),
        )

    def _event_detail(self, page: str, e: Evaluation) -> EventDetail:
        data = self.card.dataset
        a, terms = e.access, e.terms
        facts = (
            Fact("Model given", display.words(a.model_given)),
            Fact(
                "Safety filters off",
                display.tri(a.no_safety_filters),
                display.tri_icon(a.no_safety_filters),
            ),
            Fact(
                "Helpful-only or least-mitigated version",
                display.tri(a.helpful_only),
                display.tri_icon(a.helpful_only),
            ),
            Fact("Fine-tuning", display.tri(a.fine_tuning), display.tri_icon(a.fine_tuning)),
            Fact("Reasoning traces", display.words(a.reasoning_traces)),
            Fact("Weights", display.tri(a.weights), display.tri_icon(a.weights)),
            Fact(
                "Context shared",
                display.tri(a.internal.context),
                display.tri_icon(a.internal.context),
            ),
            Fact(
                "Internal evaluation results shared",
                display.tri(a.internal.internal_eval_results),
                display.tri_icon(a.internal.internal_eval_results),
            ),
            Fact(
                "Incident reports shared",
                display.tri(a.internal.incident_reports),
                display.tri_icon(a.internal.incident_reports),
            ),
            Fact("Non-disclosure agreement", display.tri(terms.nda), display.tri_icon(terms.nda)),
            Fact("Lab review of the write-up", display.words(terms.lab_review)),
            Fact("Paid by the lab", display.tri(terms.paid), display.tri_icon(terms.paid)),
        )
        return EventDetail(
            anchor=f"{e.evaluator}-{e.stage}",
            lab=Link(paths.relative(page, self.paths.lab(e.lab)), data.lab(e.lab).name),
            model=self._model_link(page, e),
            evaluator=Link(
                paths.relative(page, self.paths.evaluator(e.evaluator)),
                data.evaluator(e.evaluator).name,
            ),
            released=e.released.isoformat() if e.released else display.UNKNOWN,
            stage=display.words(e.stage),
            level=access.access_level(e),
            window=_window_text(e),
            facts=facts,
            publication=display.words(e.publication),
            domains=", ".join(e.risk_domains) or display.UNKNOWN,
            note=e.note,
            evidence=self._evidence(page, e.evidence),
        )

    def evaluators_page(self) -> EvaluatorsPage:
        page = self.paths.EVALUATORS
        data = self.card.dataset
        rows = []
        for ev in data.evaluators:
            events = [e for e in data.evaluations if e.evaluator == ev.id]
            labs = sorted({data.lab(e.lab).name for e in events})
            rows.append(
                EvaluatorRow(
                    Link(paths.relative(page, self.paths.evaluator(ev.id)), ev.name),
                    ev.kind,
                    len(events),
                    sum(e.stage == PRE_DEPLOYMENT for e in events),
                    ", ".join(labs) or display.MISSING,
                )
            )
        return EvaluatorsPage(page, self._banner(page), self.meta, tuple(rows))

    def evaluator_page(self, evaluator: Evaluator) -> EvaluatorPage:
        page = self.paths.evaluator(evaluator.id)
        data = self.card.dataset
        events = sorted(
            (e for e in data.evaluations if e.evaluator == evaluator.id),
            key=lambda e: (e.released or dt.date.max, e.lab, e.model, e.stage),
        )
        return EvaluatorPage(
            url=page,
            banner=self._banner(page),
            meta=self.meta,
            name=evaluator.name,
            kind=evaluator.kind,
            formerly=evaluator.formerly,
            description=evaluator.description,
            website=evaluator.website if is_safe_link(evaluator.website) else None,
            unnamed=evaluator.unnamed,
            terms=tuple(
                TermsRow(
                    e.released.isoformat() if e.released else display.UNKNOWN,
                    self._model_link(page, e),
                    display.words(e.terms.lab_review),
                    display.tri(e.terms.nda),
                    display.tri(e.terms.paid),
                    display.words(e.publication),
                )
                for e in events
            ),
            events=tuple(self._event_detail(page, e) for e in events),
            evaluators=paths.relative(page, self.paths.EVALUATORS),
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
            evaluations=paths.relative(page, self.paths.EVALUATIONS),
            explore=paths.relative(page, self.paths.EXPLORE),
            access_levels=tuple(Fact(level, text) for level, text in access.ACCESS_LEVELS.items()),
            full_window=access.FULL_WINDOW,
            partial_window=access.PARTIAL_WINDOW,
            versions=tuple(
                VersionRow(v.version, v.date.isoformat(), v.changes, v.why, v.previous)
                for v in rubric.versions
            ),
            **self._version_effect(page),
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

    def _version_effect(self, page: str) -> dict[str, Any]:
        found = versions.effect(self.card.dataset, self.card.reference_date)
        if found is None:
            return {"effect_of": None, "effect": ()}
        before = {ls.lab.slug: ls for ls in found.previous.labs}
        rows = []
        for ls in found.current.labs:
            old = before[ls.lab.slug]
            change = (
                display.MISSING
                if ls.rounded is None or old.rounded is None
                else f"{ls.rounded - old.rounded:+}".replace("-", "−")
            )
            rows.append(
                EffectRow(
                    Link(paths.relative(page, self.paths.lab(ls.lab.slug)), ls.lab.name),
                    display.score(old.rounded),
                    display.score(ls.rounded),
                    change,
                )
            )
        return {
            "effect_of": f"{found.version.version} against {found.version.previous}",
            "effect": tuple(rows),
        }

    def explore(self) -> ExplorePage:
        page = self.paths.EXPLORE
        rubric = self.rubric

        def ratio(value: Any) -> str | None:
            if value is None:
                return None
            value = Fraction(value)
            return f"{value.numerator}/{value.denominator}"

        data = {
            "categories": [
                {
                    "id": c.id,
                    "title": c.title,
                    "weight": ratio(c.weight),
                    "criteria": [
                        {"id": k.id, "title": k.title, "weight": ratio(k.weight)}
                        for k in c.criteria
                    ],
                }
                for c in rubric.categories
            ],
            "grades": [{"grade": g.grade, "min": ratio(g.min)} for g in rubric.grades],
            "presets": [
                {
                    "id": p.id,
                    "title": p.title,
                    "description": p.description,
                    "categories": {k: ratio(v) for k, v in p.categories.items()},
                    "criteria": {k: ratio(v) for k, v in p.criteria.items()},
                }
                for p in rubric.presets
            ],
            "labs": [
                {
                    "slug": ls.lab.slug,
                    "name": ls.lab.name,
                    "href": paths.relative(page, self.paths.lab(ls.lab.slug)),
                    "published": display.score(ls.rounded),
                    "points": {r.criterion.id: ratio(r.points) for r in ls.results},
                }
                for ls in sorted(self.card.labs, key=lambda ls: ls.lab.slug)
            ],
        }
        return ExplorePage(
            url=page,
            banner=self._banner(page),
            meta=self.meta,
            rows=tuple(
                ExploreRow(
                    ls.rank,
                    Link(paths.relative(page, self.paths.lab(ls.lab.slug)), ls.lab.name),
                    display.score(ls.rounded),
                    ls.grade or display.MISSING,
                )
                for ls in self.card.labs
            ),
            data=json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
            methodology=paths.relative(page, self.paths.METHODOLOGY),
        )

    def sources_page(self) -> SourcesPage:
        page = self.paths.SOURCES
        cited = self._citations()
        return SourcesPage(
            url=page,
            banner=self._banner(page),
            meta=self.meta,
            sources=tuple(
                SourceItem(
                    anchor=s.id,
                    title=s.title,
                    publisher=s.publisher,
                    published=s.published,
                    kind=s.kind,
                    url=s.url or "No public address is known; see the note.",
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

    def corrections_page(self) -> CorrectionsPage:
        page = self.paths.CORRECTIONS
        data = self.card.dataset
        names = {lab.slug: lab.name for lab in data.labs}
        items = []
        for c in data.corrections:
            lab_href = paths.relative(page, self.paths.lab(c.lab))
            criterion = None
            change = None
            if c.criterion is not None:
                title = c.criterion
                if c.criterion in {k.id for k in self.rubric.criteria}:
                    known = self.rubric.criterion(c.criterion)
                    title = known.title
                    if c.was is not None and c.now is not None:
                        change = display.change(
                            _level_words(known, c.was), _level_words(known, c.now)
                        )
                elif c.was is not None and c.now is not None:
                    change = display.change(c.was, c.now)
                criterion = Link(f"{lab_href}#{c.criterion}", title)
            items.append(
                CorrectionItem(
                    c.date.isoformat(),
                    Link(lab_href, names.get(c.lab, c.lab)),
                    criterion,
                    change,
                    c.reason,
                    c.requested_by,
                    tuple(
                        Link(
                            paths.relative(page, self.paths.SOURCES + "#" + source_id),
                            self.sources[source_id].title,
                        )
                        for source_id in c.sources
                    ),
                    c.link if is_safe_link(c.link) else None,
                )
            )
        contested, responses = [], []
        for ls in self.card.labs:
            for r in ls.results:
                a = r.assessment
                lab = Link(paths.relative(page, self.paths.lab(ls.lab.slug)), ls.lab.name)
                where = Link(
                    paths.relative(page, self.paths.lab(ls.lab.slug) + "#" + r.criterion.id),
                    r.criterion.title,
                )
                if a.contested is not None:
                    link = a.contested.link if is_safe_link(a.contested.link) else None
                    contested.append(
                        ContestedItem(
                            lab, where, a.contested.since.isoformat(), a.contested.note, link
                        )
                    )
                if a.response is not None:
                    responses.append(
                        ContestedItem(
                            lab, where, a.response.date.isoformat(), a.response.summary, None
                        )
                    )
        repository = self.provenance.repository
        return CorrectionsPage(
            url=page,
            meta=self.meta,
            form=self.correction_link(page, "") if repository else None,
            repository=repository,
            contributing=paths.relative(page, paths.CONTRIBUTING),
            methodology=paths.relative(page, self.paths.METHODOLOGY),
            maintainers=tuple(Maintainer(n, c) for n, c in self.provenance.maintainers),
            corrections=tuple(items),
            contested=tuple(contested),
            responses=tuple(responses),
        )

    def _citations(self) -> dict[str, list[tuple[str, str]]]:
        """For each source, every place it is cited: (page URL with anchor, label)."""
        cited: dict[str, list[tuple[str, str]]] = {s.id: [] for s in self.card.dataset.sources}
        for ls in sorted(self.card.labs, key=lambda ls: ls.lab.slug):
            for result in ls.results:
                states = (result.assessment.current, *result.assessment.history)
                evidence = [e for state in states for e in state.evidence]
                if result.assessment.response is not None:
                    evidence += result.assessment.response.evidence
                for source_id in sorted({e.source_id for e in evidence}):
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
        for correction in self.card.dataset.corrections:
            for source_id in correction.sources:
                entry = (self.paths.CORRECTIONS, "Corrections")
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
            models_json=paths.relative(page, self.paths.MODELS_JSON),
            models_csv=paths.relative(page, self.paths.MODELS_CSV),
            events_json=paths.relative(page, self.paths.EVENTS_JSON),
            events_csv=paths.relative(page, self.paths.EVENTS_CSV),
            schemas=tuple(
                SchemaLink(
                    paths.relative(page, self.paths.schema(kind)),
                    f"{kind}.schema.json",
                    SCHEMA_DESCRIBES.get(kind, f"data/{kind}.yaml"),
                )
                for kind in schema_kinds
            ),
            licence=paths.relative(page, paths.LICENCE),
            jsonld=str(json_script(self.site_jsonld(page))),
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

    def _linked(self, page: str, url: str) -> str:
        """An address in JSON-LD: absolute with a site URL, else relative to the page (JSON-LD
        resolves URL values against the page's own address)."""
        return self.address(url) if self.provenance.site_url else paths.relative(page, url)

    def site_jsonld(self, page: str = "") -> dict[str, Any]:
        """The dataset, as schema.org's Dataset: its address and every download."""
        rubric = self.rubric
        data: dict[str, Any] = {
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
        }
        if self.provenance.site_url:
            data["url"] = self.address(self.paths.HOME)
        data["distribution"] = [
            {
                "@type": "DataDownload",
                "name": name,
                "encodingFormat": media,
                "contentUrl": self._linked(page, url),
            }
            for name, media, url in (
                ("Scores and readings (JSON)", "application/json", self.paths.SCORECARD_JSON),
                ("Scores (CSV)", "text/csv", self.paths.SCORES_CSV),
                ("Models (JSON)", "application/json", self.paths.MODELS_JSON),
                ("Models (CSV)", "text/csv", self.paths.MODELS_CSV),
                ("Evaluation events (JSON)", "application/json", self.paths.EVENTS_JSON),
                ("Evaluation events (CSV)", "text/csv", self.paths.EVENTS_CSV),
            )
        ]
        return data

    def criterion_jsonld(self, criterion: Criterion, page: str) -> dict[str, Any]:
        """A criterion page, as schema.org's WebPage, part of the dataset."""
        dataset: dict[str, Any] = {"@type": "Dataset", "name": self.rubric.title}
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": f"{criterion.title}: every lab",
            "description": criterion.question,
            "dateModified": self.card.reference_date.isoformat(),
            "license": CC_BY,
            "isPartOf": dataset,
        }
        if self.provenance.site_url:
            data["url"] = self.address(page)
            dataset["url"] = self.address(self.paths.HOME)
        return data


def citation_text(facts: CitationFacts, note: EditionNote | None, *, relative: bool) -> Citation:
    """A page's citation block from what it cites."""
    return Citation(
        note,
        citation.plain(facts),
        citation.bibtex_entry(facts),
        facts.address,
        facts.current,
        facts.urldate.isoformat(),
        facts.edition,
        relative,
    )


def _newest_first(models: Iterable[Model]) -> list[Model]:
    return sorted(models, key=lambda m: m.release_day or dt.date.min, reverse=True)


def _window_text(event: Evaluation) -> str:
    days = access.window_business_days(event.window, event.released)
    if days is not None:
        return f"{days} business days"
    if event.window.first_access:
        return f"from {event.window.first_access}"
    return display.UNKNOWN


_FEATURES = (
    ("weights", lambda a: a.weights),
    ("fine-tuning", lambda a: a.fine_tuning),
    ("raw chain of thought", lambda a: a.reasoning_traces == "full"),
    ("reasoning summaries or some traces", lambda a: a.reasoning_traces == "partial"),
    ("helpful-only version", lambda a: a.helpful_only),
    ("safety filters off", lambda a: a.no_safety_filters),
    ("internal evaluation results", lambda a: a.internal.internal_eval_results),
    ("incident reports", lambda a: a.internal.incident_reports),
)


def _depth_text(events: list[Evaluation]) -> str:
    """The deepest access documented across events, in words."""
    if not events:
        return display.MISSING
    level = max(access.access_level(e) for e in events)
    found = [name for name, test in _FEATURES if any(test(e.access) for e in events)]
    return level + (
        ": " + ", ".join(found) if found else ": nothing deeper than queries documented"
    )


def _terms_text(data: Dataset, events: list[Evaluation]) -> str:
    parts = []
    for e in events:
        bits = []
        if e.terms.lab_review != "unknown":
            bits.append(f"lab review: {display.words(e.terms.lab_review)}")
        if e.terms.nda:
            bits.append("NDA")
        if e.terms.paid is not None:
            bits.append("paid" if e.terms.paid else "unpaid")
        if bits:
            parts.append(f"{data.evaluator(e.evaluator).name}: {', '.join(bits)}")
    return "; ".join(parts) or (display.UNKNOWN if events else display.MISSING)


def _level_row(level: Level) -> LevelRow:
    return LevelRow(badge(level), level.id, display.points(level.points), level.description)
