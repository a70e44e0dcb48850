"""The dataset as frozen values: rubric, labs, sources and the access log. No I/O here.

`build_dataset` turns documents that passed validation into these types; every later stage
(scoring, pages, charts, exports, diffs) reads only this model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

NO_DISCLOSURE = "no-disclosure"
NOT_APPLICABLE = "not-applicable"
IMPLICIT_LEVELS = (NO_DISCLOSURE, NOT_APPLICABLE)
UNKNOWN = "unknown"


def exact(number: int | float) -> Fraction:
    """The number as written in the file: 0.1 is one tenth, not the nearest binary float."""
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


@dataclass(frozen=True)
class Level:
    id: str
    label: str
    points: Fraction | None  # None: not-applicable, left out of every denominator
    description: str
    declared: bool = True  # False for the two implicit levels


IMPLICIT = (
    Level(
        NO_DISCLOSURE,
        "No public information",
        Fraction(0),
        "No public information was found. Silence scores 0 points but is not read as a 'no'.",
        declared=False,
    ),
    Level(
        NOT_APPLICABLE,
        "Not applicable",
        None,
        "The criterion does not apply to this lab; it is left out of the score. "
        "The summary says why.",
        declared=False,
    ),
)


@dataclass(frozen=True)
class Criterion:
    id: str
    category_id: str
    title: str
    question: str
    why: str
    weight: Fraction
    stale_after_days: int | None
    levels: tuple[Level, ...]  # declared levels best first, then the implicit ones

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    @property
    def declared_levels(self) -> tuple[Level, ...]:
        return tuple(level for level in self.levels if level.declared)


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    weight: Fraction
    description: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Grade:
    grade: str
    min: Fraction


@dataclass(frozen=True)
class Version:
    """One entry of the methodology's version history."""

    version: str
    date: dt.date
    changes: str
    why: str | None
    previous: str | None  # the version it replaced (its rubric is in data/rubrics/)
    # criterion id -> {level id under this version: level id under the previous one}
    reads_as: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Preset:
    """A named emphasis for the explore page: other weights for some categories or criteria."""

    id: str
    title: str
    description: str
    categories: Mapping[str, Fraction] = field(default_factory=dict, compare=False)
    criteria: Mapping[str, Fraction] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Rubric:
    title: str
    version: str
    description: str
    grades: tuple[Grade, ...]
    stale_after_days: int | None
    categories: tuple[Category, ...]
    versions: tuple[Version, ...] = ()  # newest first
    presets: tuple[Preset, ...] = ()

    @property
    def current_version(self) -> Version | None:
        return next((v for v in self.versions if v.version == self.version), None)

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for category in self.categories for c in category.criteria)

    @cached_property
    def _criteria_by_id(self) -> dict[str, Criterion]:
        return {criterion.id: criterion for criterion in self.criteria}

    def criterion(self, criterion_id: str) -> Criterion:
        return self._criteria_by_id[criterion_id]


SEEN, RELAYED, PARAPHRASE = "seen", "relayed", "paraphrase"


@dataclass(frozen=True)
class Evidence:
    source_id: str
    quote: str | None
    locator: str | None
    note: str | None
    via: str | None = None  # the source in which the quote or paraphrase was read
    status: str | None = None  # seen | relayed | paraphrase; None: no quote to qualify


@dataclass(frozen=True)
class State:
    """One reading of one criterion at a date: the current one, or one from its history."""

    level_id: str
    as_of: dt.date
    summary: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Response:
    """A lab's public response to a reading: shown beside it, never scored."""

    date: dt.date
    summary: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Contested:
    """A correction to a reading under review."""

    since: dt.date
    note: str
    link: str | None


@dataclass(frozen=True)
class Assessment:
    criterion_id: str
    current: State
    history: tuple[State, ...]  # newest first, each older than the one before
    response: Response | None = None
    contested: Contested | None = None

    @property
    def level_id(self) -> str:
        return self.current.level_id

    @property
    def as_of(self) -> dt.date:
        return self.current.as_of


GENERAL, LIMITED, INTERNAL = "general", "limited", "internal"


@dataclass(frozen=True)
class Model:
    """One model release of a lab."""

    id: str
    name: str
    released: str | None  # YYYY-MM-DD or YYYY-MM as written; None: unknown or never released
    frontier: bool
    open_weights: bool
    availability: str  # general | limited | internal
    card: str | None  # source id of its system or model card
    evidence: tuple[Evidence, ...]
    note: str | None

    @property
    def release_day(self) -> dt.date | None:
        """The first day the release date can mean (a month-only date counts from the 1st)."""
        return earliest_day(self.released) if self.released else None


@dataclass(frozen=True)
class Lab:
    slug: str
    name: str
    website: str | None
    description: str | None
    assessments: tuple[Assessment, ...]  # in rubric order
    models: tuple[Model, ...] = ()  # as listed, oldest first

    @cached_property
    def _assessments_by_criterion(self) -> dict[str, Assessment]:
        return {assessment.criterion_id: assessment for assessment in self.assessments}

    def assessment(self, criterion_id: str) -> Assessment:
        return self._assessments_by_criterion[criterion_id]

    @cached_property
    def _models_by_id(self) -> dict[str, Model]:
        return {model.id: model for model in self.models}

    def model(self, model_id: str) -> Model | None:
        return self._models_by_id.get(model_id)

    def latest_frontier_model(self, on: dt.date) -> Model | None:
        """The lab's latest frontier model on a date: the newest model marked frontier whose
        release date (a month-only date counting from its first day) is on or before `on`.
        Models never released, or with no release date, are never it; of two released on the
        same day, the one listed last."""
        latest: Model | None = None
        for model in self.models:
            day = model.release_day
            if not model.frontier or model.availability == INTERNAL or day is None or day > on:
                continue
            if latest is None or day >= latest.release_day:  # type: ignore[operator]
                latest = model
        return latest


# Source kinds that are long documents: evidence citing them should say where (a locator).
LONG_DOCUMENT_KINDS = ("system-card", "framework", "government")


@dataclass(frozen=True)
class SourceCheck:
    """What `scorecard sources check --update` found at its last run (the source's `check`)."""

    status: str  # the url: ok | redirected | gone | error | blocked
    archive: str | None  # the archive_url, in the same words; None without one
    quotes: str  # found | missing | unreadable | none
    missing: int | None  # how many quotes were not found, with quotes == "missing"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str | None  # None: no public address is known (the note says where it was read)
    published: str | None  # YYYY, YYYY-MM or YYYY-MM-DD
    accessed: dt.date
    archive_url: str | None
    kind: str
    note: str | None
    checked: dt.date | None = None  # the date of the last automated check
    sha256: str | None = None  # of the bytes fetched from `url` then
    check: SourceCheck | None = None  # its outcome


@dataclass(frozen=True)
class Evaluator:
    id: str
    name: str
    kind: str
    website: str | None
    formerly: str | None
    description: str | None
    unnamed: bool = False  # a placeholder for external groups a lab does not name


PRE_DEPLOYMENT, POST_RELEASE, INTERNAL_DEPLOYMENT = (
    "pre-deployment",
    "post-release",
    "internal-deployment",
)


@dataclass(frozen=True)
class Window:
    """How long an evaluator had the model before release, as the sources state it."""

    first_access: str | None = None  # YYYY-MM-DD or YYYY-MM
    days: int | None = None  # calendar days before release
    business_days: int | None = None  # business or working days before release


@dataclass(frozen=True)
class InternalInformation:
    context: bool | None = None
    internal_eval_results: bool | None = None
    incident_reports: bool | None = None


@dataclass(frozen=True)
class Access:
    """How deep the access was. Tri-state facts are True, False, or None when the sources do
    not say; the enumerations are "unknown" then."""

    final_model: bool | None
    no_safety_filters: bool | None
    helpful_only: bool | None
    fine_tuning: bool | None
    model_given: str = UNKNOWN  # final | checkpoint | earlier-snapshot | unknown
    reasoning_traces: str = UNKNOWN  # full | partial | none | not-applicable | unknown
    internal: InternalInformation = field(default_factory=InternalInformation)
    weights: bool | None = None


@dataclass(frozen=True)
class Terms:
    nda: bool | None = None
    lab_review: str = UNKNOWN  # none | accuracy-and-confidential | approval-required | unknown
    paid: bool | None = None


@dataclass(frozen=True)
class Evaluation:
    lab: str
    model: str  # a model id of the lab's (once it lists models), else the model's name
    evaluator: str
    released: dt.date | None  # the model's release (its first day when only a month is known)
    pre_deployment: bool | None
    access: Access
    publication: str
    evidence: tuple[Evidence, ...]
    note: str | None
    stage: str = UNKNOWN  # pre-deployment | post-release | internal-deployment | unknown
    window: Window = field(default_factory=Window)
    terms: Terms = field(default_factory=Terms)
    risk_domains: tuple[str, ...] = ()
    model_name: str = ""  # the model's name as shown (its record's name, or `model`)


@dataclass(frozen=True)
class Correction:
    """A correction made to a published reading (data/corrections.yaml)."""

    date: dt.date
    lab: str  # lab slug
    criterion: str | None  # None: a correction to the lab's models or the access log
    was: str | None  # level ids, when the level changed
    now: str | None
    reason: str
    requested_by: str | None
    sources: tuple[str, ...]
    link: str | None


@dataclass(frozen=True)
class Dataset:
    rubric: Rubric
    labs: tuple[Lab, ...]  # sorted by slug
    sources: tuple[Source, ...]
    evaluators: tuple[Evaluator, ...]
    evaluations: tuple[Evaluation, ...]
    # Superseded rubrics by version (data/rubrics/), to score the same data under them.
    previous_rubrics: Mapping[str, Rubric] = field(default_factory=dict, compare=False)
    corrections: tuple[Correction, ...] = ()  # newest first

    # Lookups by id are dicts built on first use: a linear search per evidence item made
    # exporting 16,000 citations of 400 sources quadratic.
    @cached_property
    def _labs_by_slug(self) -> dict[str, Lab]:
        return {lab.slug: lab for lab in self.labs}

    @cached_property
    def _sources_by_id(self) -> dict[str, Source]:
        return {source.id: source for source in self.sources}

    @cached_property
    def _evaluators_by_id(self) -> dict[str, Evaluator]:
        return {evaluator.id: evaluator for evaluator in self.evaluators}

    def lab(self, slug: str) -> Lab:
        return self._labs_by_slug[slug]

    def source(self, source_id: str) -> Source:
        return self._sources_by_id[source_id]

    def evaluator(self, evaluator_id: str) -> Evaluator:
        return self._evaluators_by_id[evaluator_id]


def parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def earliest_day(text: str) -> dt.date | None:
    """The first day a date of YYYY, YYYY-MM or YYYY-MM-DD can mean; None if impossible."""
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            return dt.date(int(parts[0]), 1, 1)
        if len(parts) == 2:
            return dt.date(int(parts[0]), int(parts[1]), 1)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _tri(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def quote_status(item: Mapping[str, Any]) -> str | None:
    """The evidence's status: as written, else relayed for a quote with a relay, seen for a
    quote without one, and none at all for a citation without a quote."""
    if "status" in item:
        return item["status"]
    if "quote" not in item:
        return None
    return RELAYED if "via" in item else SEEN


def _evidence(items: list[Mapping[str, Any]] | None) -> tuple[Evidence, ...]:
    # tuple([...]), not tuple(generator): the list is built without resuming a generator per item.
    return tuple(
        [
            Evidence(
                item["source"],
                item.get("quote"),
                item.get("locator"),
                item.get("note"),
                item.get("via"),
                quote_status(item),
            )
            for item in items or ()
        ]
    )


def _state(raw: Mapping[str, Any]) -> State:
    return State(
        raw["level"], parse_date(raw["as_of"]), raw["summary"], _evidence(raw.get("evidence"))
    )


def _source_check(raw: Mapping[str, Any] | None) -> SourceCheck | None:
    if raw is None:
        return None
    return SourceCheck(raw["status"], raw.get("archive"), raw["quotes"], raw.get("missing"))


def build_rubric(raw: Mapping[str, Any]) -> Rubric:
    categories = []
    for cat in raw["categories"]:
        criteria = tuple(
            Criterion(
                id=c["id"],
                category_id=cat["id"],
                title=c["title"],
                question=c["question"],
                why=c["why"],
                weight=exact(c["weight"]),
                stale_after_days=c.get("stale_after_days", raw.get("stale_after_days")),
                levels=tuple(
                    Level(lv["id"], lv["label"], exact(lv["points"]), lv["description"])
                    for lv in c["levels"]
                )
                + IMPLICIT,
            )
            for c in cat["criteria"]
        )
        categories.append(
            Category(
                cat["id"], cat["title"], exact(cat["weight"]), cat.get("description", ""), criteria
            )
        )
    return Rubric(
        title=raw["title"],
        version=raw["version"],
        description=raw.get("description", ""),
        grades=tuple(Grade(g["grade"], exact(g["min"])) for g in raw.get("grades", ())),
        stale_after_days=raw.get("stale_after_days"),
        categories=tuple(categories),
        versions=tuple(
            Version(
                v["version"],
                parse_date(v["date"]),
                v["changes"],
                v.get("why"),
                v.get("previous"),
                v.get("reads_as", {}),
            )
            for v in raw.get("versions", ())
        ),
        presets=tuple(
            Preset(
                p["id"],
                p["title"],
                p["description"],
                {k: exact(w) for k, w in p.get("categories", {}).items()},
                {k: exact(w) for k, w in p.get("criteria", {}).items()},
            )
            for p in raw.get("presets", ())
        ),
    )


def _model(raw: Mapping[str, Any]) -> Model:
    return Model(
        id=raw["id"],
        name=raw["name"],
        released=raw.get("released"),
        frontier=raw["frontier"],
        open_weights=raw["open_weights"],
        availability=raw.get("availability", GENERAL),
        card=raw.get("card"),
        evidence=_evidence(raw.get("evidence")),
        note=raw.get("note"),
    )


def _response(raw: Mapping[str, Any] | None) -> Response | None:
    if raw is None:
        return None
    return Response(parse_date(raw["date"]), raw["summary"], _evidence(raw["evidence"]))


def _contested(raw: Mapping[str, Any] | None) -> Contested | None:
    if raw is None:
        return None
    return Contested(parse_date(raw["since"]), raw["note"], raw.get("link"))


def build_lab(slug: str, raw: Mapping[str, Any], rubric: Rubric) -> Lab:
    assessments = raw["assessments"]
    return Lab(
        slug=slug,
        name=raw["name"],
        website=raw.get("website"),
        description=raw.get("description"),
        assessments=tuple(
            Assessment(
                criterion.id,
                _state(assessments[criterion.id]),
                tuple(_state(h) for h in assessments[criterion.id].get("history", ())),
                _response(assessments[criterion.id].get("response")),
                _contested(assessments[criterion.id].get("contested")),
            )
            for criterion in rubric.criteria
        ),
        models=tuple(_model(m) for m in raw.get("models", ())),
    )


def stage_of(raw: Mapping[str, Any]) -> str:
    """An event's stage: as written, else what its v1 `pre_deployment` says."""
    if "stage" in raw:
        return raw["stage"]
    return {True: PRE_DEPLOYMENT, False: POST_RELEASE}.get(raw.get("pre_deployment"), UNKNOWN)


def _evaluation(raw: Mapping[str, Any], labs: Mapping[str, Lab]) -> Evaluation:
    lab = labs.get(raw["lab"])
    record = lab.model(raw["model"]) if lab is not None else None
    released = parse_date(raw["released"]) if "released" in raw else None
    if released is None and record is not None:
        released = record.release_day
    stage = stage_of(raw)
    access = raw.get("access", {})
    given = access.get("model_given", UNKNOWN)
    final = _tri(access.get("final_model"))
    if final is None and given != UNKNOWN:
        final = given == "final"
    internal = access.get("internal_information", {})
    terms = raw.get("terms", {})
    window = raw.get("window", {})
    return Evaluation(
        lab=raw["lab"],
        model=raw["model"],
        evaluator=raw["evaluator"],
        released=released,
        pre_deployment={PRE_DEPLOYMENT: True, POST_RELEASE: False}.get(stage),
        access=Access(
            final_model=final,
            no_safety_filters=_tri(access.get("no_safety_filters")),
            helpful_only=_tri(access.get("helpful_only")),
            fine_tuning=_tri(access.get("fine_tuning")),
            model_given=given,
            reasoning_traces=access.get("reasoning_traces", UNKNOWN),
            internal=InternalInformation(
                _tri(internal.get("context")),
                _tri(internal.get("internal_eval_results")),
                _tri(internal.get("incident_reports")),
            ),
            weights=_tri(access.get("weights")),
        ),
        publication=raw.get("publication", UNKNOWN),
        evidence=_evidence(raw["evidence"]),
        note=raw.get("note"),
        stage=stage,
        window=Window(window.get("first_access"), window.get("days"), window.get("business_days")),
        terms=Terms(
            _tri(terms.get("nda")), terms.get("lab_review", UNKNOWN), _tri(terms.get("paid"))
        ),
        risk_domains=tuple(raw.get("risk_domains", ())),
        model_name=record.name if record is not None else raw["model"],
    )


def build_dataset(
    rubric_raw: Mapping[str, Any],
    labs_raw: Mapping[str, Mapping[str, Any]],
    sources_raw: Mapping[str, Any] | None,
    evaluators_raw: Mapping[str, Any] | None,
    evaluations_raw: Mapping[str, Any] | None,
    rubrics_raw: Mapping[str, Mapping[str, Any]] | None = None,
    corrections_raw: Mapping[str, Any] | None = None,
) -> Dataset:
    rubric = build_rubric(rubric_raw)
    sources = tuple(
        Source(
            s["id"],
            s["title"],
            s["publisher"],
            s.get("url"),
            s.get("published"),
            parse_date(s["accessed"]),
            s.get("archive_url"),
            s["kind"],
            s.get("note"),
            parse_date(s["checked"]) if "checked" in s else None,
            s.get("sha256"),
            _source_check(s.get("check")),
        )
        for s in (sources_raw or {}).get("sources", ())
    )
    evaluators = tuple(
        Evaluator(
            e["id"],
            e["name"],
            e["kind"],
            e.get("website"),
            e.get("formerly"),
            e.get("description"),
            e.get("unnamed", False),
        )
        for e in (evaluators_raw or {}).get("evaluators", ())
    )
    labs = tuple(build_lab(slug, labs_raw[slug], rubric) for slug in sorted(labs_raw))
    by_slug = {lab.slug: lab for lab in labs}
    evaluations = tuple(
        _evaluation(e, by_slug) for e in (evaluations_raw or {}).get("evaluations", ())
    )
    previous = {version: build_rubric(raw) for version, raw in (rubrics_raw or {}).items()}
    corrections = tuple(
        Correction(
            parse_date(c["date"]),
            c["lab"],
            c.get("criterion"),
            c.get("was"),
            c.get("now"),
            c["reason"],
            c.get("requested_by"),
            tuple(c.get("sources", ())),
            c.get("link"),
        )
        for c in (corrections_raw or {}).get("corrections", ())
    )
    return Dataset(rubric, labs, sources, evaluators, evaluations, previous, corrections)
