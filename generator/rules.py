"""Cross-file rules (SPEC 4, step 3): what a schema cannot say about one file alone.

Each check reads documents that passed their schema and reports `Problem`s at the offending key
or value. A reference into a file that failed to load is not reported again as missing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.load import Document, field_path
from generator.model import (
    IMPLICIT_LEVELS,
    INTERNAL,
    LONG_DOCUMENT_KINDS,
    NO_DISCLOSURE,
    NOT_APPLICABLE,
    PARAPHRASE,
    POST_RELEASE,
    PRE_DEPLOYMENT,
    RELAYED,
    SEEN,
    UNKNOWN,
    earliest_day,
    parse_date,
    stage_of,
)
from generator.placeholder import advice, is_placeholder, may_hold_placeholder
from generator.problems import ERROR, NOTICE, WARNING, Problem
from generator.score import is_stale
from generator.urls import archive_problem, url_problem


@dataclass
class Loaded:
    """The documents of one data folder that passed their schema, and what is known of the rest."""

    rubric: Document | None = None
    sources: Document | None = None
    evaluators: Document | None = None
    evaluations: Document | None = None
    corrections: Document | None = None
    labs: dict[str, Document] = field(default_factory=dict)
    rubrics: dict[str, Document] = field(default_factory=dict)  # superseded, by version
    # Ids that exist even where their file failed its schema, so references are still checked.
    source_ids: set[str] | None = None
    evaluator_ids: set[str] | None = None
    lab_slugs: set[str] = field(default_factory=set)
    complete: bool = True  # every file loaded and passed its schema


def _problem(
    doc: Document,
    where: tuple,
    message: str,
    hint: str = "",
    *,
    key: bool = False,
    severity: str = ERROR,
) -> Problem:
    line, col = doc.position(where, key=key)
    return Problem(doc.path, line, col, severity, field_path(where), message, hint)


# "Did you mean" compares the word with every option. A pull request citing thousands of
# unknown ids among thousands of sources would spend minutes on suggestions, so each check_all
# run gets a budget of comparisons: the first problems, the ones a contributor reads, get a
# suggestion; the rest are reported without one.
SUGGESTION_COMPARISONS = 20_000
_comparisons_left = [SUGGESTION_COMPARISONS]


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    options = list(options)
    if len(options) > _comparisons_left[0]:
        return ""
    _comparisons_left[0] -= len(options)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def lenient_ids(doc: Document | None, list_key: str) -> set[str] | None:
    """Ids in a list file, read even when the file failed its schema."""
    if doc is None or not isinstance(doc.value, dict):
        return None
    items = doc.value.get(list_key)
    if not isinstance(items, list):
        return None
    return {
        item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)
    }


def check_all(
    loaded: Loaded, latest: dt.date, reference: dt.date, *, publishing: bool = False
) -> list[Problem]:
    """Every rule over the folder. `latest`: no date may be after it; `reference`: for staleness.
    `publishing`: a placeholder is an error (the site would show it), not a warning."""
    _comparisons_left[0] = SUGGESTION_COMPARISONS
    problems: list[Problem] = []
    levels: dict[str, tuple[str, ...]] | None = None
    stale_days: dict[str, int | None] = {}
    if loaded.rubric is not None:
        problems += _rubric(loaded.rubric)
        for archived in loaded.rubrics.values():
            problems += _rubric(archived)
        problems += _rubric_versions(loaded)
        levels, stale_days = _criteria_levels(loaded.rubric.value)
    cited: set[str] = set()
    for _slug, doc in sorted(loaded.labs.items()):
        problems += _lab(doc, levels, stale_days, loaded.source_ids, latest, reference, cited)
    problems += _unique_lab_names(loaded.labs)
    if loaded.sources is not None:
        problems += _sources(loaded.sources, latest)
    if loaded.evaluators is not None:
        problems += _unique_ids(loaded.evaluators, "evaluators")
        for i, item in enumerate(loaded.evaluators.value["evaluators"]):
            problems += _url_field(loaded.evaluators, ("evaluators", i, "website"), item)
    if loaded.evaluations is not None:
        problems += _evaluations(loaded, latest, cited)
    if loaded.corrections is not None:
        rubrics = [d.value for d in (loaded.rubric, *loaded.rubrics.values()) if d is not None]
        problems += _corrections(
            loaded.corrections, loaded.lab_slugs, rubrics, loaded.source_ids, latest, cited
        )
    for doc in _documents(loaded):
        if may_hold_placeholder(doc.text):
            problems += _placeholders(doc, doc.value, (), publishing)
    if loaded.sources is not None and loaded.complete:
        for i, source in enumerate(loaded.sources.value["sources"]):
            if source["id"] not in cited:
                problems.append(
                    _problem(
                        loaded.sources,
                        ("sources", i, "id"),
                        f"source '{source['id']}' is not cited anywhere",
                        "cite it as evidence or remove it",
                        severity=WARNING,
                    )
                )
    return problems


def _documents(loaded: Loaded) -> Iterator[Document]:
    for doc in (
        loaded.rubric,
        loaded.sources,
        loaded.evaluators,
        loaded.evaluations,
        loaded.corrections,
    ):
        if doc is not None:
            yield doc
    for _slug, doc in sorted(loaded.labs.items()):
        yield doc


def _placeholders(doc: Document, value: Any, where: tuple, publishing: bool) -> Iterator[Problem]:
    """Every text value that is still a placeholder (see generator.placeholder)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(doc, item, (*where, key), publishing)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _placeholders(doc, item, (*where, i), publishing)
    elif isinstance(value, str) and is_placeholder(value):
        name = where[-1] if where and isinstance(where[-1], str) else "text"
        said = f"the {name} still starts with TODO: it is a placeholder"
        if publishing:
            yield _problem(doc, where, f"{said}, and the site would publish it", f"{advice(name)}")
        else:
            yield _problem(
                doc,
                where,
                said,
                f"{advice(name)}; `scorecard build` will not publish a placeholder",
                severity=WARNING,
            )


def _unique_lab_names(labs: dict[str, Document]) -> Iterator[Problem]:
    """Two labs with one name would read as one lab in tables and charts."""
    seen: dict[str, str] = {}
    for slug, doc in sorted(labs.items()):
        key = " ".join(doc.value["name"].casefold().split())
        if key in seen:
            yield _problem(
                doc,
                ("name",),
                f"another lab is already named '{doc.value['name']}'",
                f"see data/labs/{seen[key]}.yaml; lab names must differ",
            )
        else:
            seen[key] = slug


def _criteria_levels(
    rubric: dict[str, Any],
) -> tuple[dict[str, tuple[str, ...]], dict[str, int | None]]:
    levels: dict[str, tuple[str, ...]] = {}
    stale: dict[str, int | None] = {}
    for category in rubric["categories"]:
        for criterion in category["criteria"]:
            declared = tuple(level["id"] for level in criterion["levels"])
            levels[criterion["id"]] = declared + IMPLICIT_LEVELS
            stale[criterion["id"]] = criterion.get(
                "stale_after_days", rubric.get("stale_after_days")
            )
    return levels, stale


def _rubric(doc: Document) -> Iterator[Problem]:
    rubric = doc.value
    seen_categories: set[str] = set()
    seen_criteria: dict[str, tuple] = {}
    for ci, category in enumerate(rubric["categories"]):
        where = ("categories", ci)
        if category["id"] in seen_categories:
            yield _problem(doc, (*where, "id"), f"category id '{category['id']}' is used twice")
        seen_categories.add(category["id"])
        for ki, criterion in enumerate(category["criteria"]):
            cwhere = (*where, "criteria", ki)
            if criterion["id"] in seen_criteria:
                yield _problem(
                    doc,
                    (*cwhere, "id"),
                    f"criterion id '{criterion['id']}' is used twice",
                    "criterion ids must be unique across all categories",
                )
            seen_criteria[criterion["id"]] = cwhere
            yield from _levels(doc, criterion, cwhere)
    grades = rubric.get("grades", [])
    for gi in range(1, len(grades)):
        if grades[gi]["min"] >= grades[gi - 1]["min"]:
            yield _problem(
                doc,
                ("grades", gi, "min"),
                "grades must be listed highest first",
                f"this min ({grades[gi]['min']}) is not below the one before "
                f"({grades[gi - 1]['min']})",
            )
    categories = {c["id"]: {k["id"] for k in c["criteria"]} for c in rubric["categories"]}
    criteria = {k for ks in categories.values() for k in ks}
    seen_presets: set[str] = set()
    for pi, preset in enumerate(rubric.get("presets", [])):
        where = ("presets", pi)
        if preset["id"] in seen_presets:
            yield _problem(doc, (*where, "id"), f"preset id '{preset['id']}' is used twice")
        seen_presets.add(preset["id"])
        for key, noun, known in (
            ("categories", "category", categories),
            ("criteria", "criterion", criteria),
        ):
            for name in preset.get(key, {}):
                if name not in known:
                    yield _problem(
                        doc,
                        (*where, key, name),
                        f"the rubric has no {noun} '{name}'",
                        _did_you_mean(name, known) or f"use ids of the rubric's {key}",
                        key=True,
                    )
    if grades and grades[-1]["min"] != 0:
        yield _problem(
            doc,
            ("grades", len(grades) - 1, "min"),
            "the last grade must have min: 0",
            "otherwise a low score gets no grade",
        )


def _levels(doc: Document, criterion: dict[str, Any], where: tuple) -> Iterator[Problem]:
    levels = criterion["levels"]
    seen: set[str] = set()
    for li, level in enumerate(levels):
        if level["id"] in IMPLICIT_LEVELS:
            yield _problem(
                doc,
                (*where, "levels", li, "id"),
                f"'{level['id']}' exists for every criterion and must not be declared",
                "remove this level",
            )
        elif level["id"] in seen:
            yield _problem(
                doc, (*where, "levels", li, "id"), f"level id '{level['id']}' is used twice"
            )
        seen.add(level["id"])
        if li and level["points"] > levels[li - 1]["points"]:
            yield _problem(
                doc,
                (*where, "levels", li, "points"),
                "levels must be listed best first",
                "order them by points, highest first",
            )
    points = [level["points"] for level in levels]
    if 1 not in points or 0 not in points:
        yield _problem(
            doc,
            (*where, "levels"),
            "one level must have points: 1 and one must have points: 0",
            f"points here: {', '.join(str(p) for p in points)}",
        )


def _dates_not_after(doc: Document, where: tuple, text: str, latest: dt.date) -> Iterator[Problem]:
    if parse_date(text) > latest:
        yield _problem(
            doc,
            where,
            f"{text} is after {latest.isoformat()}",
            "dates cannot be in the future (or after the reference date given with --date)",
        )


def _evidence_sources(
    doc: Document, items: list[dict], where: tuple, source_ids: set[str] | None, cited: set[str]
) -> Iterator[Problem]:
    for ei, item in enumerate(items):
        for key in ("source", "via"):
            if key not in item:
                continue
            cited.add(item[key])
            if source_ids is not None and item[key] not in source_ids:
                yield _problem(
                    doc,
                    (*where, ei, key),
                    f"no source with id '{item[key]}' in sources.yaml",
                    _did_you_mean(item[key], source_ids) or "add the document to data/sources.yaml",
                )
        yield from _quote_status(doc, item, (*where, ei))


def _quote_status(doc: Document, item: dict, where: tuple) -> Iterator[Problem]:
    """Relayed words name their relay; a paraphrase quotes nothing; seen words need none."""
    status = item.get("status")
    if status in (RELAYED, PARAPHRASE) and "via" not in item:
        yield _problem(
            doc,
            (*where, "status"),
            f"a {status} quote must name the document it was read in",
            "add `via:` with that document's source id",
        )
    if status == PARAPHRASE and "quote" in item:
        yield _problem(
            doc,
            (*where, "quote"),
            "a paraphrase has no quote: the words are the relay's, not the source's",
            "remove the quote and say in `note` what the relay says",
        )
    if status == SEEN and "via" in item:
        yield _problem(
            doc,
            (*where, "via"),
            "a quote seen in the source itself is not relayed",
            "remove `via`, or set `status: relayed`",
        )
    if status == RELAYED and "quote" not in item:
        yield _problem(
            doc,
            (*where, "status"),
            "a relayed quote needs the quote",
            "add the words as the relay gives them, or use `status: paraphrase`",
        )


def _lab(
    doc: Document,
    levels: dict[str, tuple[str, ...]] | None,
    stale_days: dict[str, int | None],
    source_ids: set[str] | None,
    latest: dt.date,
    reference: dt.date,
    cited: set[str],
) -> Iterator[Problem]:
    lab = doc.value
    yield from _url_field(doc, ("website",), lab)
    yield from _models(doc, lab.get("models", []), source_ids, latest, cited)
    assessments: dict[str, Any] = lab["assessments"]
    if levels is not None:
        for criterion_id in levels:
            if criterion_id not in assessments:
                yield _problem(
                    doc,
                    ("assessments",),
                    f"criterion '{criterion_id}' is not assessed",
                    f"add `{criterion_id}:` with level: no-disclosure if nothing public was found",
                    key=True,
                )
    for criterion_id, assessment in assessments.items():
        where = ("assessments", criterion_id)
        if levels is not None and criterion_id not in levels:
            yield _problem(
                doc,
                where,
                f"the rubric has no criterion '{criterion_id}'",
                _did_you_mean(criterion_id, levels) or "check data/rubric.yaml for the ids",
                key=True,
            )
            continue
        states = [(where, assessment)] + [
            ((*where, "history", hi), state)
            for hi, state in enumerate(assessment.get("history", []))
        ]
        for swhere, state in states:
            yield from _state(
                doc, swhere, state, levels and levels.get(criterion_id), source_ids, latest, cited
            )
        yield from _answer(doc, where, assessment, source_ids, latest, cited)
        for (_newer_where, newer), (older_where, older) in itertools.pairwise(states):
            if older["as_of"] >= newer["as_of"]:
                yield _problem(
                    doc,
                    (*older_where, "as_of"),
                    f"history entry dated {older['as_of']} is not older than the state after it "
                    f"({newer['as_of']})",
                    "history lists earlier states, newest first",
                )
        days = stale_days.get(criterion_id)
        if levels is not None and is_stale(parse_date(assessment["as_of"]), days, reference):
            age = (reference - parse_date(assessment["as_of"])).days
            yield _problem(
                doc,
                (*where, "as_of"),
                f"assessment is stale: {age} days old on {reference.isoformat()} "
                f"(stale after {days} days)",
                "look for newer evidence and update as_of",
                severity=WARNING,
            )


def _answer(
    doc: Document,
    where: tuple,
    assessment: dict[str, Any],
    source_ids: set[str] | None,
    latest: dt.date,
    cited: set[str],
) -> Iterator[Problem]:
    """A lab's response to a reading and a correction under review: cited, dated, not ahead."""
    response = assessment.get("response")
    if response is not None:
        rwhere = (*where, "response")
        yield from _evidence_sources(
            doc, response["evidence"], (*rwhere, "evidence"), source_ids, cited
        )
        yield from _dates_not_after(doc, (*rwhere, "date"), response["date"], latest)
    contested = assessment.get("contested")
    if contested is not None:
        cwhere = (*where, "contested")
        yield from _dates_not_after(doc, (*cwhere, "since"), contested["since"], latest)
        yield from _url_field(doc, (*cwhere, "link"), contested)


def _corrections(
    doc: Document,
    lab_slugs: set[str],
    rubrics: list[dict[str, Any]],
    source_ids: set[str] | None,
    latest: dt.date,
    cited: set[str],
) -> Iterator[Problem]:
    """Each correction names a lab, a criterion and levels that exist (in this rubric or an
    earlier one: a published reading may predate the current methodology), newest first."""
    levels: dict[str, set[str]] = {}
    for rubric in rubrics:
        for criterion_id, ids in _criteria_levels(rubric)[0].items():
            levels.setdefault(criterion_id, set()).update(ids)
    items = doc.value["corrections"]
    for i, item in enumerate(items):
        where = ("corrections", i)
        yield from _dates_not_after(doc, (*where, "date"), item["date"], latest)
        if i and item["date"] > items[i - 1]["date"]:
            yield _problem(
                doc,
                (*where, "date"),
                f"correction dated {item['date']} comes after one dated {items[i - 1]['date']}",
                "list corrections newest first",
            )
        if item["lab"] not in lab_slugs:
            yield _problem(
                doc,
                (*where, "lab"),
                f"no lab file data/labs/{item['lab']}.yaml",
                _did_you_mean(item["lab"], lab_slugs) or "use the lab's slug (its file name)",
            )
        criterion_id = item.get("criterion")
        if criterion_id is not None and rubrics and criterion_id not in levels:
            yield _problem(
                doc,
                (*where, "criterion"),
                f"the rubric has no criterion '{criterion_id}'",
                _did_you_mean(criterion_id, levels) or "check data/rubric.yaml for the ids",
            )
        elif criterion_id is not None and rubrics:
            for key in ("was", "now"):
                if key in item and item[key] not in levels[criterion_id]:
                    yield _problem(
                        doc,
                        (*where, key),
                        f"'{item[key]}' is not a level of criterion '{criterion_id}'",
                        f"levels: {', '.join(sorted(levels[criterion_id]))}",
                    )
        elif criterion_id is None and "was" in item:
            yield _problem(
                doc,
                (*where, "was"),
                "a level change needs the criterion it belongs to",
                "add `criterion:`, or remove `was` and `now`",
            )
        for si, source_id in enumerate(item.get("sources", [])):
            cited.add(source_id)
            if source_ids is not None and source_id not in source_ids:
                yield _problem(
                    doc,
                    (*where, "sources", si),
                    f"no source with id '{source_id}' in sources.yaml",
                    _did_you_mean(source_id, source_ids) or "add the document to data/sources.yaml",
                )
        yield from _url_field(doc, (*where, "link"), item)


def _state(
    doc: Document,
    where: tuple,
    state: dict[str, Any],
    levels: tuple[str, ...] | None,
    source_ids: set[str] | None,
    latest: dt.date,
    cited: set[str],
) -> Iterator[Problem]:
    level = state["level"]
    if levels is not None and level not in levels:
        yield _problem(
            doc,
            (*where, "level"),
            f"'{level}' is not a level of this criterion",
            (f"{suggestion} " if (suggestion := _did_you_mean(level, levels)) else "")
            + f"levels of this criterion: {', '.join(levels)}",
        )
    evidence = state.get("evidence", [])
    if level not in (NO_DISCLOSURE, NOT_APPLICABLE) and not evidence:
        yield _problem(
            doc,
            (*where, "level"),
            f"level '{level}' needs evidence",
            "add `evidence:` with at least one source, or use no-disclosure",
        )
    yield from _evidence_sources(doc, evidence, (*where, "evidence"), source_ids, cited)
    yield from _dates_not_after(doc, (*where, "as_of"), state["as_of"], latest)


def _models(
    doc: Document,
    models: list[dict[str, Any]],
    source_ids: set[str] | None,
    latest: dt.date,
    cited: set[str],
) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for mi, model in enumerate(models):
        where = ("models", mi)
        if model["id"] in seen:
            first = doc.position(("models", seen[model["id"]], "id"))[0]
            yield _problem(
                doc,
                (*where, "id"),
                f"model id '{model['id']}' is used twice",
                f"first on line {first}; one entry per model",
            )
        seen.setdefault(model["id"], mi)
        if "released" in model:
            day = earliest_day(model["released"])
            if day is None:
                yield _problem(
                    doc,
                    (*where, "released"),
                    f"'{model['released']}' is not a real date",
                    "write YYYY-MM-DD, or YYYY-MM when only the month is known",
                )
            elif day > latest:
                yield _problem(
                    doc, (*where, "released"), f"{model['released']} is after {latest.isoformat()}"
                )
            if model.get("availability") == INTERNAL:
                yield _problem(
                    doc,
                    (*where, "released"),
                    "a model with availability: internal was never released",
                    "remove `released`, or change the availability",
                )
        if "card" in model:
            cited.add(model["card"])
            if source_ids is not None and model["card"] not in source_ids:
                yield _problem(
                    doc,
                    (*where, "card"),
                    f"no source with id '{model['card']}' in sources.yaml",
                    _did_you_mean(model["card"], source_ids) or "add the card to data/sources.yaml",
                )
        yield from _evidence_sources(
            doc, model.get("evidence", []), (*where, "evidence"), source_ids, cited
        )


def _url_field(doc: Document, where: tuple, container: dict[str, Any]) -> Iterator[Problem]:
    key = where[-1]
    if key in container:
        reason = url_problem(container[key])
        if reason:
            yield _problem(doc, where, f"the address {reason}")


def _unique_ids(doc: Document, list_key: str) -> Iterator[Problem]:
    seen: dict[str, int] = {}
    for i, item in enumerate(doc.value[list_key]):
        if item["id"] in seen:
            first = doc.position((list_key, seen[item["id"]], "id"))[0]
            yield _problem(
                doc,
                (list_key, i, "id"),
                f"id '{item['id']}' is used twice",
                f"first used on line {first}",
            )
        else:
            seen[item["id"]] = i


def _sources(doc: Document, latest: dt.date) -> Iterator[Problem]:
    yield from _unique_ids(doc, "sources")
    for i, source in enumerate(doc.value["sources"]):
        where = ("sources", i)
        yield from _url_field(doc, (*where, "url"), source)
        if "url" not in source and "note" not in source:
            yield _problem(
                doc,
                (*where, "id"),
                f"source '{source['id']}' has no address and no note saying where it was read",
                "add `url:`, or a `note:` naming the stored copy the quotes were read in",
            )
        if "archive_url" in source:
            reason = archive_problem(source["archive_url"])
            if reason:
                yield _problem(doc, (*where, "archive_url"), f"archive_url {reason}")
        yield from _dates_not_after(doc, (*where, "accessed"), source["accessed"], latest)
        if "checked" in source:
            yield from _dates_not_after(doc, (*where, "checked"), source["checked"], latest)
        if "published" in source:
            published = earliest_day(source["published"])
            if published is None:
                yield _problem(
                    doc,
                    (*where, "published"),
                    f"'{source['published']}' is not a real date",
                    "write YYYY-MM-DD, YYYY-MM or YYYY",
                )
            elif published > latest:
                yield _problem(
                    doc, (*where, "published"), f"{source['published']} is in the future"
                )


def find_gaps(loaded: Loaded) -> list[Problem]:
    """What the data still lacks to be checkable, as notices (not warnings: `scorecard
    validate` stays quiet about them, `scorecard sources gaps` lists them): each source without
    an archived copy, and each evidence item without a locator that cites a long document."""
    return [*_archive_gaps(loaded), *_locator_gaps(loaded)]


def _archive_gaps(loaded: Loaded) -> Iterator[Problem]:
    if loaded.sources is None:
        return
    for i, source in enumerate(loaded.sources.value["sources"]):
        if "archive_url" not in source:
            yield _problem(
                loaded.sources,
                ("sources", i, "id"),
                f"source '{source['id']}' has no archived copy",
                "save it at web.archive.org/save and add the address it gives as archive_url",
                severity=NOTICE,
            )


def _locator_gaps(loaded: Loaded) -> Iterator[Problem]:
    """Each evidence item without a locator that cites a long document (the kinds in
    LONG_DOCUMENT_KINDS: system cards, frameworks, government reports), where a reader could
    not find the quote in a minute without a page or section."""
    if loaded.sources is None:
        return
    kinds = {
        source["id"]: source["kind"]
        for source in loaded.sources.value["sources"]
        if source["kind"] in LONG_DOCUMENT_KINDS
    }
    places: list[tuple[Document, tuple, list[dict[str, Any]]]] = []
    for _slug, doc in sorted(loaded.labs.items()):
        for criterion_id, assessment in doc.value["assessments"].items():
            where = ("assessments", criterion_id)
            places.append((doc, (*where, "evidence"), assessment.get("evidence", [])))
            for hi, state in enumerate(assessment.get("history", [])):
                places.append((doc, (*where, "history", hi, "evidence"), state.get("evidence", [])))
    if loaded.evaluations is not None:
        for i, event in enumerate(loaded.evaluations.value["evaluations"]):
            places.append((loaded.evaluations, ("evaluations", i, "evidence"), event["evidence"]))
    for doc, where, items in places:
        for ei, item in enumerate(items):
            kind = kinds.get(item["source"])
            if kind is not None and "locator" not in item:
                yield _problem(
                    doc,
                    (*where, ei, "source"),
                    f"evidence from '{item['source']}' ({kind}, a long document) has no locator",
                    "add locator: the page or section of the quote, e.g. p. 12 or §4.2",
                    severity=NOTICE,
                )


def _evaluations(loaded: Loaded, latest: dt.date, cited: set[str]) -> Iterator[Problem]:
    doc = loaded.evaluations
    assert doc is not None
    seen: dict[tuple[str, str, str, str], int] = {}
    models = _lab_models(loaded)
    for i, event in enumerate(doc.value["evaluations"]):
        where = ("evaluations", i)
        if event["lab"] not in loaded.lab_slugs:
            yield _problem(
                doc,
                (*where, "lab"),
                f"no lab '{event['lab']}' in data/labs/",
                _did_you_mean(event["lab"], loaded.lab_slugs)
                or "use a lab file's name without .yaml",
            )
        ids = loaded.evaluator_ids
        if ids is not None and event["evaluator"] not in ids:
            yield _problem(
                doc,
                (*where, "evaluator"),
                f"no evaluator '{event['evaluator']}' in evaluators.yaml",
                _did_you_mean(event["evaluator"], ids) or "add it to data/evaluators.yaml",
            )
        stage = stage_of(event)
        if (
            "stage" in event
            and "pre_deployment" in event
            and stage_of({"pre_deployment": event["pre_deployment"]}) not in (stage, UNKNOWN)
        ):
            yield _problem(
                doc,
                (*where, "pre_deployment"),
                f"pre_deployment: {str(event['pre_deployment']).lower()} contradicts "
                f"stage: {stage}",
                "keep `stage` and remove `pre_deployment`",
            )
        key = (event["lab"], event["model"], event["evaluator"], stage)
        if key in seen:
            first = doc.position(("evaluations", seen[key]))[0]
            yield _problem(
                doc,
                where,
                f"{event['model']} by {event['evaluator']} ({stage}) is listed twice",
                f"first on line {first}; one entry per model, evaluator and stage",
            )
        seen.setdefault(key, i)
        yield from _evidence_sources(
            doc, event["evidence"], (*where, "evidence"), loaded.source_ids, cited
        )
        if "released" in event:
            yield from _dates_not_after(doc, (*where, "released"), event["released"], latest)
        listed = models.get(event["lab"])
        release: dt.date | None = parse_date(event["released"]) if "released" in event else None
        release_text: str | None = event.get("released")
        if listed is not None:  # the lab lists its models: the event names one of them
            if event["model"] not in listed:
                yield _problem(
                    doc,
                    (*where, "model"),
                    f"lab '{event['lab']}' lists no model with id '{event['model']}'",
                    _did_you_mean(event["model"], listed)
                    or f"use a model id from data/labs/{event['lab']}.yaml",
                )
            else:
                released = listed[event["model"]].get("released")
                release = earliest_day(released) if released else None
                release_text = released
            if "released" in event:
                yield _problem(
                    doc,
                    (*where, "released"),
                    "the release date is the model's own once the lab lists its models",
                    f"remove it; set `released` on the model in data/labs/{event['lab']}.yaml",
                )
        yield from _window(doc, event, where, stage, release_text if release else None, latest)


def _lab_models(loaded: Loaded) -> dict[str, dict[str, dict[str, Any]]]:
    """For each lab that lists its models, its models by id."""
    return {
        slug: {model["id"]: model for model in doc.value["models"]}
        for slug, doc in loaded.labs.items()
        if doc.value.get("models")
    }


def _window(
    doc: Document,
    event: dict[str, Any],
    where: tuple,
    stage: str,
    released: str | None,
    latest: dt.date,
) -> Iterator[Problem]:
    """An event's first access is in order with the release: before it for a pre-deployment
    event, on or after it otherwise. A date known only to the month is compared by the whole
    month, so only a date certainly out of order is an error."""
    first = event.get("window", {}).get("first_access")
    if first is None:
        return
    wf = (*where, "window", "first_access")
    day = earliest_day(first)
    if day is None:
        yield _problem(doc, wf, f"'{first}' is not a real date", "write YYYY-MM-DD or YYYY-MM")
        return
    if day > latest:
        yield _problem(doc, wf, f"{first} is after {latest.isoformat()}")
    if released is None or earliest_day(released) is None:
        return
    if stage == PRE_DEPLOYMENT and day >= _last_day(released):
        yield _problem(
            doc,
            wf,
            f"a pre-deployment event's access starts before the release ({released}), "
            f"not on {first}",
            "correct the date, or the stage (post-release)",
        )
    if stage == POST_RELEASE and _last_day(first) < earliest_day(released):  # type: ignore[operator]
        yield _problem(
            doc,
            wf,
            f"a post-release event's access starts on or after the release ({released}), "
            f"not on {first}",
            "correct the date, or the stage (pre-deployment)",
        )


def _last_day(text: str) -> dt.date:
    """The last day a YYYY-MM or YYYY-MM-DD date can mean."""
    if len(text) == 10:
        return parse_date(text)
    year, month = (int(part) for part in text.split("-"))
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _rubric_versions(loaded: Loaded) -> Iterator[Problem]:
    """The version history names the current version first, and every previous version it
    compares with is kept in data/rubrics/ and can read this version's levels."""
    doc = loaded.rubric
    assert doc is not None
    rubric = doc.value
    for version, archived in sorted(loaded.rubrics.items()):
        if archived.value["version"] != version:
            yield _problem(
                archived,
                ("version",),
                f"this file holds version {archived.value['version']}, not {version}",
                f"rename it to data/rubrics/{archived.value['version']}.yaml",
            )
    versions = rubric.get("versions")
    if not versions:
        return
    if versions[0]["version"] != rubric["version"]:
        yield _problem(
            doc,
            ("versions", 0, "version"),
            f"the newest entry of the version history must be this rubric's version "
            f"({rubric['version']})",
            "list the versions newest first",
        )
    current, _ = _criteria_levels(rubric)
    for vi, entry in enumerate(versions):
        previous = entry.get("previous")
        if previous is None:
            continue
        if previous not in loaded.rubrics:
            yield _problem(
                doc,
                ("versions", vi, "previous"),
                f"no rubric of version {previous} in data/rubrics/",
                f"keep the previous rubric as data/rubrics/{previous}.yaml",
            )
            continue
        if vi != 0:
            continue  # only the current version is compared with its predecessor
        old, _ = _criteria_levels(loaded.rubrics[previous].value)
        reads_as = entry.get("reads_as", {})
        for criterion, mapping in reads_as.items():
            if criterion not in current or criterion not in old:
                yield _problem(
                    doc,
                    ("versions", vi, "reads_as", criterion),
                    f"criterion '{criterion}' is not in both versions",
                    "map only criteria that both versions have",
                    key=True,
                )
                continue
            for new_level, old_level in mapping.items():
                if new_level not in current[criterion]:
                    yield _problem(
                        doc,
                        ("versions", vi, "reads_as", criterion, new_level),
                        f"'{new_level}' is not a level of {criterion}",
                        key=True,
                    )
                if old_level not in old[criterion]:
                    yield _problem(
                        doc,
                        ("versions", vi, "reads_as", criterion, new_level),
                        f"'{old_level}' is not a level of {criterion} in version {previous}",
                    )
        for criterion, levels in current.items():
            if criterion not in old:
                continue
            for level in levels:
                if level not in old[criterion] and level not in reads_as.get(criterion, {}):
                    yield _problem(
                        doc,
                        ("versions", vi, "previous"),
                        f"level '{level}' of {criterion} has no reading in version {previous}",
                        f"add it under reads_as: {criterion}: {{{level}: <a level of "
                        f"version {previous}>}}",
                    )
