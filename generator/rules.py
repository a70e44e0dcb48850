"""Cross-file rules (SPEC 4, step 3): what a schema cannot say about one file alone.

Each check reads documents that passed their schema and reports `Problem`s at the offending key
or value. A reference into a file that failed to load is not reported again as missing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from generator.load import Document, field_path
from generator.model import IMPLICIT_LEVELS, NO_DISCLOSURE, NOT_APPLICABLE, parse_date
from generator.placeholder import advice, is_placeholder
from generator.problems import ERROR, WARNING, Problem
from generator.score import is_stale
from generator.urls import archive_problem, url_problem

_PARTIAL_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass
class Loaded:
    """The documents of one data folder that passed their schema, and what is known of the rest."""

    rubric: Document | None = None
    sources: Document | None = None
    evaluators: Document | None = None
    evaluations: Document | None = None
    labs: dict[str, Document] = field(default_factory=dict)
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
    for doc in _documents(loaded):
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
    for doc in (loaded.rubric, loaded.sources, loaded.evaluators, loaded.evaluations):
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
        cited.add(item["source"])
        if source_ids is not None and item["source"] not in source_ids:
            yield _problem(
                doc,
                (*where, ei, "source"),
                f"no source with id '{item['source']}' in sources.yaml",
                _did_you_mean(item["source"], source_ids)
                or "add the document to data/sources.yaml",
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
        if "archive_url" in source:
            reason = archive_problem(source["archive_url"])
            if reason:
                yield _problem(doc, (*where, "archive_url"), f"archive_url {reason}")
        yield from _dates_not_after(doc, (*where, "accessed"), source["accessed"], latest)
        if "published" in source:
            published = _earliest_day(source["published"])
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


def _earliest_day(text: str) -> dt.date | None:
    """The first day a partial date (YYYY, YYYY-MM, YYYY-MM-DD) can mean, or None if impossible."""
    match = _PARTIAL_DATE.fullmatch(text)
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _evaluations(loaded: Loaded, latest: dt.date, cited: set[str]) -> Iterator[Problem]:
    doc = loaded.evaluations
    assert doc is not None
    seen: dict[tuple[str, str, str], int] = {}
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
        key = (event["lab"], event["model"], event["evaluator"])
        if key in seen:
            first = doc.position(("evaluations", seen[key]))[0]
            yield _problem(
                doc,
                where,
                f"{event['model']} by {event['evaluator']} is listed twice",
                f"first on line {first}; one entry per (model, evaluator)",
            )
        seen.setdefault(key, i)
        yield from _evidence_sources(
            doc, event["evidence"], (*where, "evidence"), loaded.source_ids, cited
        )
        if "released" in event:
            yield from _dates_not_after(doc, (*where, "released"), event["released"], latest)
