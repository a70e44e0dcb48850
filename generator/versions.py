"""The same data under another version of the methodology: what a rubric change did to a score.

A rubric's version history (`versions` in data/rubric.yaml) names the version each replaced,
whose rubric is kept in data/rubrics/<version>.yaml, and says how a reading under the new
version reads under the old one where levels changed (`reads_as`). Scoring the current data
under the previous rubric then shows, lab by lab, what the methodology alone changed; the
score diff uses the same reading to split a change into its methodology and data parts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from generator.model import NO_DISCLOSURE, Assessment, Dataset, Lab, Rubric, State, Version
from generator.score import Scorecard, score_dataset


def read_under(dataset: Dataset, rubric: Rubric, reads_as: dict | None = None) -> Dataset:
    """`dataset`'s labs read under `rubric`: a criterion both rubrics have keeps its reading
    (a level renamed by `reads_as` {criterion: {new level: old level}} is read as the old one);
    a criterion only `rubric` has reads no-disclosure, as silence does; criteria `rubric` lacks
    are left out. The access log and sources are kept."""
    reads_as = reads_as or {}
    labs = []
    for lab in dataset.labs:
        current = {a.criterion_id: a for a in lab.assessments}
        newest = max((a.as_of for a in lab.assessments), default=dt.date.min)
        assessments = []
        for criterion in rubric.criteria:
            found = current.get(criterion.id)
            if found is None:
                silent = State(NO_DISCLOSURE, newest, "", ())
                assessments.append(Assessment(criterion.id, silent, ()))
                continue
            mapping = reads_as.get(criterion.id, {})
            level = mapping.get(found.level_id, found.level_id)
            if level not in {lv.id for lv in criterion.levels}:
                level = NO_DISCLOSURE  # not readable under that version (validation warns)
            assessments.append(Assessment(criterion.id, replace(found.current, level_id=level), ()))
        labs.append(_with_assessments(lab, tuple(assessments)))
    return replace(dataset, rubric=rubric, labs=tuple(labs))


def _with_assessments(lab: Lab, assessments: tuple[Assessment, ...]) -> Lab:
    return Lab(lab.slug, lab.name, lab.website, lab.description, assessments, lab.models)


@dataclass(frozen=True)
class VersionEffect:
    """What one version did to the scores: the same data under it and under its predecessor."""

    version: Version
    previous: Scorecard  # the current data scored under the previous version
    current: Scorecard  # the current data scored under this version


def effect(dataset: Dataset, reference_date: dt.date) -> VersionEffect | None:
    """The current version's effect, when the history names a previous version whose rubric
    is kept; None otherwise."""
    version = dataset.rubric.current_version
    if version is None or version.previous is None:
        return None
    rubric = dataset.previous_rubrics.get(version.previous)
    if rubric is None:
        return None
    earlier = read_under(dataset, rubric, dict(version.reads_as))
    return VersionEffect(
        version, score_dataset(earlier, reference_date), score_dataset(dataset, reference_date)
    )


def reading_of(head: Rubric, base_version: str) -> dict | None:
    """How `head`'s readings read under `base_version`, when its history says so: the
    `reads_as` of the entry whose previous version is `base_version`."""
    for version in head.versions:
        if version.previous == base_version:
            return dict(version.reads_as)
    return None
