"""What `scorecard serve` keeps between rebuilds must be exactly what a fresh build makes: lab
page views (views.LabViews), after any change to the data, equal fresh ones, and an unchanged
lab's view is the kept object itself; the same holds for the kept access-log chart and score
timelines."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest

from generator import charts, timeline
from generator import views as views_module
from generator.model import Dataset
from generator.score import Scorecard, score_dataset
from generator.validate import validate_folder
from generator.views import EditionRef, LabPage, LabViews, PageViews, Provenance
from tests.support import ROOT

REFERENCE = dt.date(2026, 12, 2)  # the bundled data's edition date: some readings are stale
PROVENANCE = Provenance("a" * 40, dt.date(2026, 11, 1), "https://scorecard.test/", None)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    result = validate_folder(ROOT / "data", latest=REFERENCE, reference=REFERENCE)
    assert result.dataset is not None
    return result.dataset


def views(
    card: Scorecard,
    kept: LabViews | None,
    provenance: Provenance = PROVENANCE,
    latest: EditionRef | None = None,
) -> list[LabPage]:
    pages = PageViews(card, provenance, latest=latest, lab_views=kept)
    out = [pages.lab(ls) for ls in card.labs]
    if kept is not None:
        kept.forget_unused()
    return out


def first_lab_summary(data: Dataset, text: str) -> Dataset:
    lab = data.labs[0]
    first = lab.assessments[0]
    current = dataclasses.replace(first.current, summary=text)
    assessments = (dataclasses.replace(first, current=current), *lab.assessments[1:])
    labs = (dataclasses.replace(lab, assessments=assessments), *data.labs[1:])
    return dataclasses.replace(data, labs=labs)


def first_lab_level(data: Dataset) -> Dataset:
    """The first lab's first reading raised to the criterion's top level: its score and maybe
    every lab's rank move."""
    lab = data.labs[0]
    first = lab.assessments[0]
    top = data.rubric.criterion(first.criterion_id).levels[0].id
    current = dataclasses.replace(first.current, level_id=top)
    assessments = (dataclasses.replace(first, current=current), *lab.assessments[1:])
    labs = (dataclasses.replace(lab, assessments=assessments), *data.labs[1:])
    return dataclasses.replace(data, labs=labs)


def retitled_source(data: Dataset) -> Dataset:
    cited = data.labs[1].assessments[0].current.evidence[0].source_id
    sources = tuple(
        dataclasses.replace(s, title=s.title + " (retitled)") if s.id == cited else s
        for s in data.sources
    )
    return dataclasses.replace(data, sources=sources)


def renamed_evaluator(data: Dataset) -> Dataset:
    evaluators = tuple(dataclasses.replace(e, name=e.name + " Institute") for e in data.evaluators)
    return dataclasses.replace(data, evaluators=evaluators)


def renamed_model(data: Dataset) -> Dataset:
    lab = next(lab for lab in data.labs if lab.models)
    models = (dataclasses.replace(lab.models[0], name=lab.models[0].name + " Pro"), *lab.models[1:])
    changed = dataclasses.replace(lab, models=models)
    return dataclasses.replace(data, labs=tuple(changed if x is lab else x for x in data.labs))


def fewer_events(data: Dataset) -> Dataset:
    return dataclasses.replace(data, evaluations=data.evaluations[1:])


def reworded_level(data: Dataset) -> Dataset:
    rubric = data.rubric
    criterion = rubric.criteria[0]
    level = dataclasses.replace(criterion.levels[0], description="Reworded.")
    changed = dataclasses.replace(criterion, levels=(level, *criterion.levels[1:]))
    categories = tuple(
        dataclasses.replace(
            c, criteria=tuple(changed if x.id == criterion.id else x for x in c.criteria)
        )
        for c in rubric.categories
    )
    return dataclasses.replace(data, rubric=dataclasses.replace(rubric, categories=categories))


CHANGES: dict[str, Callable[[Dataset], Dataset]] = {
    "a summary": lambda data: first_lab_summary(data, "Edited."),
    "a level (score and ranks)": first_lab_level,
    "a source's title": retitled_source,
    "the evaluators' names": renamed_evaluator,
    "a model's name": renamed_model,
    "the access log": fewer_events,
    "a level's meaning": reworded_level,
}


def test_an_unchanged_lab_is_looked_up_not_made_again(dataset):
    kept = LabViews()
    card = score_dataset(dataset, REFERENCE)
    before = views(card, kept)
    again = views(score_dataset(dataset, REFERENCE), kept)  # new objects, equal content
    assert all(a is b for a, b in zip(before, again, strict=True))
    assert again == views(card, None)


@pytest.mark.parametrize("change", CHANGES)
def test_after_a_change_every_kept_view_is_the_fresh_view(dataset, change):
    kept = LabViews()
    views(score_dataset(dataset, REFERENCE), kept)
    changed = CHANGES[change](dataset)
    assert changed != dataset
    card = score_dataset(changed, REFERENCE)
    assert views(card, kept) == views(card, None)


LATEST = EditionRef("2026.12", dt.date(2026, 12, 1), "2.0", "c" * 40, {})
OTHER = dataclasses.replace(PROVENANCE, commit="b" * 40, repository="https://github.com/o/r")


@pytest.mark.parametrize(
    "date, provenance, latest",
    [
        (REFERENCE + dt.timedelta(days=900), PROVENANCE, None),  # staleness, the meta line
        (REFERENCE, OTHER, None),  # citations and correction links
        (REFERENCE, PROVENANCE, LATEST),  # citations name the latest edition
        (REFERENCE, PROVENANCE, "matching"),  # ... and say whether the page still matches it
    ],
    ids=["reference date", "provenance", "latest edition", "matching edition"],
)
def test_the_shared_inputs_are_in_the_key(dataset, date, provenance, latest):
    # These reach every lab page without changing any lab.
    kept = LabViews()
    views(score_dataset(dataset, REFERENCE), kept)
    card = score_dataset(dataset, date)
    if latest == "matching":  # an edition whose pages say what the current ones say
        prints = PageViews(card, provenance).fingerprints()
        latest = dataclasses.replace(LATEST, fingerprints=prints)
    fresh = views(card, None, provenance, latest)
    assert fresh != views(score_dataset(dataset, REFERENCE), None)
    assert views(card, kept, provenance, latest) == fresh


@pytest.mark.parametrize("change", ["the evaluators' names", "the access log"])
def test_the_access_log_chart_is_kept_only_while_what_it_shows_is_unchanged(dataset, change):
    before = PageViews(score_dataset(dataset, REFERENCE), PROVENANCE).evaluations().figure
    card = score_dataset(CHANGES[change](dataset), REFERENCE)
    after = PageViews(card, PROVENANCE).evaluations().figure
    assert after != before
    assert after == views_module._figure(charts.evaluations_timeline(card))


def test_a_score_timeline_is_kept_only_while_the_readings_are_unchanged(dataset):
    lab = dataset.labs[0]
    before = timeline.score_timeline(lab, dataset.rubric)
    changed = first_lab_level(dataset)
    after = timeline.score_timeline(changed.labs[0], changed.rubric)
    assert after == timeline._score_timeline(changed.labs[0], changed.rubric)
    assert after != before
    reworded = first_lab_summary(dataset, "Edited.").labs[0]  # a summary moves no score
    assert timeline.score_timeline(reworded, dataset.rubric) == before
