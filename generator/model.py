"""The dataset as frozen values: rubric, labs, sources and the access log. No I/O here.

`build_dataset` turns documents that passed validation into these types; every later stage
(scoring, pages, charts, exports, diffs) reads only this model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
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
class Rubric:
    title: str
    version: str
    description: str
    grades: tuple[Grade, ...]
    stale_after_days: int | None
    categories: tuple[Category, ...]

    @cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for category in self.categories for c in category.criteria)

    @cached_property
    def _criteria_by_id(self) -> dict[str, Criterion]:
        return {criterion.id: criterion for criterion in self.criteria}

    def criterion(self, criterion_id: str) -> Criterion:
        return self._criteria_by_id[criterion_id]


@dataclass(frozen=True)
class Evidence:
    source_id: str
    quote: str | None
    locator: str | None
    note: str | None


@dataclass(frozen=True)
class State:
    """One reading of one criterion at a date: the current one, or one from its history."""

    level_id: str
    as_of: dt.date
    summary: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Assessment:
    criterion_id: str
    current: State
    history: tuple[State, ...]  # newest first, each older than the one before

    @property
    def level_id(self) -> str:
        return self.current.level_id

    @property
    def as_of(self) -> dt.date:
        return self.current.as_of


@dataclass(frozen=True)
class Lab:
    slug: str
    name: str
    website: str | None
    description: str | None
    assessments: tuple[Assessment, ...]  # in rubric order

    @cached_property
    def _assessments_by_criterion(self) -> dict[str, Assessment]:
        return {assessment.criterion_id: assessment for assessment in self.assessments}

    def assessment(self, criterion_id: str) -> Assessment:
        return self._assessments_by_criterion[criterion_id]


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    url: str
    published: str | None  # YYYY, YYYY-MM or YYYY-MM-DD
    accessed: dt.date
    archive_url: str | None
    kind: str
    note: str | None


@dataclass(frozen=True)
class Evaluator:
    id: str
    name: str
    kind: str
    website: str | None
    formerly: str | None
    description: str | None


@dataclass(frozen=True)
class Access:
    """Tri-state facts: True, False, or None when the sources do not say."""

    final_model: bool | None
    no_safety_filters: bool | None
    helpful_only: bool | None
    fine_tuning: bool | None


@dataclass(frozen=True)
class Evaluation:
    lab: str
    model: str
    evaluator: str
    released: dt.date | None
    pre_deployment: bool | None
    access: Access
    publication: str
    evidence: tuple[Evidence, ...]
    note: str | None


@dataclass(frozen=True)
class Dataset:
    rubric: Rubric
    labs: tuple[Lab, ...]  # sorted by slug
    sources: tuple[Source, ...]
    evaluators: tuple[Evaluator, ...]
    evaluations: tuple[Evaluation, ...]

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


def _tri(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _evidence(items: list[Mapping[str, Any]] | None) -> tuple[Evidence, ...]:
    return tuple(
        Evidence(item["source"], item.get("quote"), item.get("locator"), item.get("note"))
        for item in items or ()
    )


def _state(raw: Mapping[str, Any]) -> State:
    return State(
        raw["level"], parse_date(raw["as_of"]), raw["summary"], _evidence(raw.get("evidence"))
    )


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
    )


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
            )
            for criterion in rubric.criteria
        ),
    )


def build_dataset(
    rubric_raw: Mapping[str, Any],
    labs_raw: Mapping[str, Mapping[str, Any]],
    sources_raw: Mapping[str, Any] | None,
    evaluators_raw: Mapping[str, Any] | None,
    evaluations_raw: Mapping[str, Any] | None,
) -> Dataset:
    rubric = build_rubric(rubric_raw)
    sources = tuple(
        Source(
            s["id"],
            s["title"],
            s["publisher"],
            s["url"],
            s.get("published"),
            parse_date(s["accessed"]),
            s.get("archive_url"),
            s["kind"],
            s.get("note"),
        )
        for s in (sources_raw or {}).get("sources", ())
    )
    evaluators = tuple(
        Evaluator(
            e["id"], e["name"], e["kind"], e.get("website"), e.get("formerly"), e.get("description")
        )
        for e in (evaluators_raw or {}).get("evaluators", ())
    )
    evaluations = tuple(
        Evaluation(
            lab=e["lab"],
            model=e["model"],
            evaluator=e["evaluator"],
            released=parse_date(e["released"]) if "released" in e else None,
            pre_deployment=_tri(e["pre_deployment"]),
            access=Access(**{k: _tri(e.get("access", {}).get(k)) for k in Access.__annotations__}),
            publication=e.get("publication", UNKNOWN),
            evidence=_evidence(e["evidence"]),
            note=e.get("note"),
        )
        for e in (evaluations_raw or {}).get("evaluations", ())
    )
    labs = tuple(build_lab(slug, labs_raw[slug], rubric) for slug in sorted(labs_raw))
    return Dataset(rubric, labs, sources, evaluators, evaluations)
