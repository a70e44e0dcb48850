"""Scoring (SPEC 5): pure functions of the model, exact arithmetic, one rounding at the end.

Scores are Fractions until `round_score` turns them into one-decimal Decimals, half away from
zero. Ranking and grades use the rounded score, so what a reader sees is what was ranked.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from generator.model import Assessment, Category, Criterion, Dataset, Grade, Lab, Level, Rubric

_TENTH = Decimal("0.1")


def round_score(value: Fraction) -> Decimal:
    """One decimal place, half away from zero, decided exactly on the Fraction (no float)."""
    scaled = abs(value) * 10
    whole, remainder = divmod(scaled.numerator, scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        whole += 1
    signed = -whole if value < 0 else whole
    return (Decimal(signed) / 10).quantize(_TENTH)


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    assessment: Assessment
    level: Level
    stale: bool
    age_days: int

    @property
    def points(self) -> Fraction | None:
        return self.level.points

    @property
    def applicable(self) -> bool:
        return self.level.points is not None


@dataclass(frozen=True)
class CategoryResult:
    category: Category
    score: Fraction | None  # None when no criterion of the category applies
    results: tuple[CriterionResult, ...]

    @property
    def rounded(self) -> Decimal | None:
        return None if self.score is None else round_score(self.score)


@dataclass(frozen=True)
class LabScore:
    lab: Lab
    rank: int
    score: Fraction | None
    grade: str | None
    categories: tuple[CategoryResult, ...]

    @cached_property  # asked for on every page that ranks or names the lab
    def rounded(self) -> Decimal | None:
        return None if self.score is None else round_score(self.score)

    @property
    def results(self) -> tuple[CriterionResult, ...]:
        return tuple(r for category in self.categories for r in category.results)

    @property
    def stale_count(self) -> int:
        return sum(r.stale for r in self.results)

    def result(self, criterion_id: str) -> CriterionResult:
        for category in self.categories:
            for result in category.results:
                if result.criterion.id == criterion_id:
                    return result
        raise KeyError(criterion_id)


@dataclass(frozen=True)
class Scorecard:
    dataset: Dataset
    reference_date: dt.date
    labs: tuple[LabScore, ...]  # ranked

    def lab(self, slug: str) -> LabScore:
        for lab_score in self.labs:
            if lab_score.lab.slug == slug:
                return lab_score
        raise KeyError(slug)


def is_stale(as_of: dt.date, stale_after_days: int | None, reference_date: dt.date) -> bool:
    """More than stale_after_days before the reference date; never stale without a limit."""
    return stale_after_days is not None and (reference_date - as_of).days > stale_after_days


def weighted_mean(pairs: Iterable[tuple[Fraction, Fraction]]) -> Fraction | None:
    """Σ(weight × value) / Σ(weight), or None when there is nothing to average.

    Exact: the sums are kept as integer numerators over a common denominator, and made a
    Fraction once (adding Fractions one by one reduces every partial sum, which made scoring
    a quarter of `scorecard scores`)."""
    total_num, total_den, weight_num, weight_den = 0, 1, 0, 1
    for weight, value in pairs:
        num, den = weight.numerator * value.numerator, weight.denominator * value.denominator
        if den != total_den:
            common = math.lcm(den, total_den)
            total_num *= common // total_den
            num *= common // den
            total_den = common
        total_num += num
        if weight.denominator != weight_den:
            common = math.lcm(weight.denominator, weight_den)
            weight_num *= common // weight_den
            weight_num += weight.numerator * (common // weight.denominator)
            weight_den = common
        else:
            weight_num += weight.numerator
    if weight_num == 0:
        return None
    return Fraction(total_num * weight_den, total_den * weight_num)


def category_formula(pairs: Iterable[tuple[Fraction, Fraction | None]]) -> Fraction | None:
    """100 × Σ(weight × points) / Σ(weight) over (criterion weight, points) pairs, leaving out
    not-applicable (None) points; None when nothing applies."""
    mean = weighted_mean((w, p) for w, p in pairs if p is not None)
    return None if mean is None else 100 * mean


def overall_formula(pairs: Iterable[tuple[Fraction, Fraction | None]]) -> Fraction | None:
    """Σ(weight × score) / Σ(weight) over (category weight, score) pairs with a score."""
    return weighted_mean((w, s) for w, s in pairs if s is not None)


def category_score(results: Iterable[CriterionResult]) -> Fraction | None:
    return category_formula((r.criterion.weight, r.points) for r in results)


def overall_score(categories: Iterable[CategoryResult]) -> Fraction | None:
    return overall_formula((c.category.weight, c.score) for c in categories)


def grade_for(rounded: Decimal | None, grades: Iterable[Grade]) -> str | None:
    if rounded is None:
        return None
    score = Fraction(rounded)
    return next((g.grade for g in grades if g.min <= score), None)


def score_criterion(
    criterion: Criterion, assessment: Assessment, reference_date: dt.date
) -> CriterionResult:
    age = (reference_date - assessment.as_of).days
    return CriterionResult(
        criterion=criterion,
        assessment=assessment,
        level=criterion.level(assessment.level_id),
        stale=is_stale(assessment.as_of, criterion.stale_after_days, reference_date),
        age_days=age,
    )


def score_categories(
    lab: Lab, categories: Iterable[Category], reference_date: dt.date
) -> tuple[CategoryResult, ...]:
    out = []
    for category in categories:
        results = tuple(
            score_criterion(c, lab.assessment(c.id), reference_date) for c in category.criteria
        )
        out.append(CategoryResult(category, category_score(results), results))
    return tuple(out)


def with_weights(
    rubric: Rubric,
    categories: Mapping[str, Fraction] | None = None,
    criteria: Mapping[str, Fraction] | None = None,
) -> Rubric:
    """The rubric with some weights replaced, as a reader's emphasis (the explore page): a
    weight of 0 leaves its category or criterion out of every sum, as not-applicable does."""
    categories, criteria = categories or {}, criteria or {}
    return replace(
        rubric,
        categories=tuple(
            replace(
                category,
                weight=categories.get(category.id, category.weight),
                criteria=tuple(
                    replace(c, weight=criteria.get(c.id, c.weight)) for c in category.criteria
                ),
            )
            for category in rubric.categories
        ),
    )


def score_dataset(dataset: Dataset, reference_date: dt.date) -> Scorecard:
    unranked = []
    for lab in dataset.labs:
        categories = score_categories(lab, dataset.rubric.categories, reference_date)
        unranked.append((lab, overall_score(categories), categories))

    def order(item: tuple) -> tuple:
        lab, score, _ = item
        rounded = None if score is None else round_score(score)
        # Higher rounded score first; labs with no applicable criterion last; ties by slug.
        return (rounded is None, -(rounded or 0), lab.slug)

    ranked = []
    for rank, (lab, score, categories) in enumerate(sorted(unranked, key=order), start=1):
        rounded = None if score is None else round_score(score)
        ranked.append(
            LabScore(lab, rank, score, grade_for(rounded, dataset.rubric.grades), categories)
        )
    return Scorecard(dataset, reference_date, tuple(ranked))
