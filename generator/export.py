"""Exports of the scored model: the JSON document, the CSV table and the terminal table.

`scorecard scores` prints these and the site publishes the same bytes as downloads (SPEC 7), so
there is exactly one definition of each document.
"""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from typing import Any

import orjson

from generator import access, display
from generator.display import number
from generator.escape import spreadsheet_safe
from generator.model import (
    Contested,
    Correction,
    Evaluation,
    Evidence,
    Lab,
    Model,
    Response,
    Source,
    State,
)
from generator.score import CriterionResult, LabScore, Scorecard

CSV_COLUMNS = ("lab", "criterion", "category", "level", "points", "as_of", "stale")


class _Writer:
    """Builds the parts of the document; what many assessments share (a source's details, a
    level's label and points) is looked up once."""

    def __init__(self, card: Scorecard) -> None:
        self.card = card
        self.sources = {
            s.id: (s.title, s.publisher, s.url, s.archive_url) for s in card.dataset.sources
        }
        self.levels = {
            c.id: {lv.id: (lv.label, number(lv.points)) for lv in c.levels}
            for c in card.dataset.rubric.criteria
        }

    def evidence(self, items: tuple[Evidence, ...]) -> list[dict[str, Any]]:
        out = []
        for item in items:
            title, publisher, url, archive_url = self.sources[item.source_id]
            out.append(
                {
                    "source": item.source_id,
                    "title": title,
                    "publisher": publisher,
                    "url": url,
                    "archive_url": archive_url,
                    "quote": item.quote,
                    "status": item.status,
                    "via": item.via,
                    "locator": item.locator,
                    "note": item.note,
                }
            )
        return out

    def model(self, lab: Lab, model: Model) -> dict[str, Any]:
        latest = lab.latest_frontier_model(self.card.reference_date)
        return {
            "lab": lab.slug,
            "id": model.id,
            "name": model.name,
            "released": model.released,
            "frontier": model.frontier,
            "latest_frontier": latest is not None and latest.id == model.id,
            "open_weights": model.open_weights,
            "availability": model.availability,
            "card": model.card,
            "evidence": self.evidence(model.evidence),
            "note": model.note,
        }

    def event(self, event: Evaluation) -> dict[str, Any]:
        a, w, terms = event.access, event.window, event.terms
        return {
            "lab": event.lab,
            "model": event.model,
            "model_name": event.model_name,
            "evaluator": event.evaluator,
            "stage": event.stage,
            "released": event.released,
            "pre_deployment": _tri(event.pre_deployment),
            "window": {
                "first_access": w.first_access,
                "days": w.days,
                "business_days": w.business_days,
                "business_days_before_release": access.window_business_days(w, event.released),
            },
            "access": {
                "level": access.access_level(event),
                "model_given": a.model_given,
                "final_model": _tri(a.final_model),
                "no_safety_filters": _tri(a.no_safety_filters),
                "helpful_only": _tri(a.helpful_only),
                "fine_tuning": _tri(a.fine_tuning),
                "reasoning_traces": a.reasoning_traces,
                "internal_information": {
                    "context": _tri(a.internal.context),
                    "internal_eval_results": _tri(a.internal.internal_eval_results),
                    "incident_reports": _tri(a.internal.incident_reports),
                },
                "weights": _tri(a.weights),
            },
            "terms": {
                "nda": _tri(terms.nda),
                "lab_review": terms.lab_review,
                "paid": _tri(terms.paid),
            },
            "publication": event.publication,
            "risk_domains": list(event.risk_domains),
            "evidence": self.evidence(event.evidence),
            "note": event.note,
        }

    def state(self, criterion_id: str, state: State) -> dict[str, Any]:
        label, points = self.levels[criterion_id][state.level_id]
        return {
            "level": state.level_id,
            "label": label,
            "points": points,
            "as_of": state.as_of,  # orjson writes dates as YYYY-MM-DD
            "summary": state.summary,
            "evidence": self.evidence(state.evidence),
        }

    def assessment(self, result: CriterionResult) -> dict[str, Any]:
        criterion = result.criterion
        return {
            "criterion": criterion.id,
            "category": criterion.category_id,
            **self.state(criterion.id, result.assessment.current),
            "max_points": 1,
            "stale": result.stale,
            "history": [self.state(criterion.id, s) for s in result.assessment.history],
            "response": self.response(result.assessment.response),
            "contested": _contested(result.assessment.contested),
        }

    def response(self, response: Response | None) -> dict[str, Any] | None:
        if response is None:
            return None
        return {
            "date": response.date,
            "summary": response.summary,
            "evidence": self.evidence(response.evidence),
        }

    def lab(self, lab_score: LabScore) -> dict[str, Any]:
        lab = lab_score.lab
        return {
            "slug": lab.slug,
            "name": lab.name,
            "website": lab.website,
            "rank": lab_score.rank,
            "score": number(lab_score.rounded),
            "grade": lab_score.grade,
            "categories": [
                {"id": c.category.id, "score": number(c.rounded)}
                for c in lab_score.categories
                if c.score is not None
            ],
            "assessments": [self.assessment(r) for r in lab_score.results],
        }


def _contested(contested: Contested | None) -> dict[str, Any] | None:
    if contested is None:
        return None
    return {"since": contested.since, "note": contested.note, "link": contested.link}


def _correction(c: Correction) -> dict[str, Any]:
    return {
        "date": c.date,
        "lab": c.lab,
        "criterion": c.criterion,
        "was": c.was,
        "now": c.now,
        "reason": c.reason,
        "requested_by": c.requested_by,
        "sources": list(c.sources),
        "link": c.link,
    }


def assessment_document(card: Scorecard, result: CriterionResult) -> dict[str, Any]:
    """One assessment as the JSON download has it (its dates as date objects)."""
    return _Writer(card).assessment(result)


def lab_document(card: Scorecard, lab_score: LabScore) -> dict[str, Any]:
    """One lab as the JSON download has it (its dates as date objects)."""
    return _Writer(card).lab(lab_score)


def _rubric(card: Scorecard) -> dict[str, Any]:
    rubric = card.dataset.rubric
    return {
        "title": rubric.title,
        "version": rubric.version,
        "stale_after_days": rubric.stale_after_days,
        "grades": [{"grade": g.grade, "min": number(g.min)} for g in rubric.grades],
        "categories": [
            {
                "id": category.id,
                "title": category.title,
                "weight": number(category.weight),
                "criteria": [
                    {
                        "id": c.id,
                        "title": c.title,
                        "weight": number(c.weight),
                        "stale_after_days": c.stale_after_days,
                        "levels": [
                            {"id": lv.id, "label": lv.label, "points": number(lv.points)}
                            for lv in c.levels
                        ],
                    }
                    for c in category.criteria
                ],
            }
            for category in rubric.categories
        ],
    }


def scorecard_document(card: Scorecard) -> dict[str, Any]:
    """The document of data/scorecard.json (SPEC 7): rankings, every assessment, the rubric
    needed to recompute every score, the sources and the access log."""
    data = card.dataset
    writer = _Writer(card)
    return {
        "title": data.rubric.title,
        "rubric_version": data.rubric.version,
        "reference_date": card.reference_date.isoformat(),
        "scoring": "category = 100 × Σ(weight × points) / Σ(weight) over applicable criteria; "
        "overall = Σ(category weight × category score) / Σ(category weight); "
        "rounded once to one decimal, half away from zero",
        "labs": [writer.lab(lab_score) for lab_score in card.labs],
        "rubric": _rubric(card),
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "url": s.url,
                "published": s.published,
                "accessed": s.accessed.isoformat(),
                "archive_url": s.archive_url,
                "kind": s.kind,
                "checked": s.checked.isoformat() if s.checked else None,
                "sha256": s.sha256,
                "check": _source_check(s),
            }
            for s in data.sources
        ],
        "evaluators": [
            {
                "id": e.id,
                "name": e.name,
                "kind": e.kind,
                "website": e.website,
                "formerly": e.formerly,
            }
            for e in data.evaluators
        ],
        "models": [writer.model(lab, model) for lab in data.labs for model in lab.models],
        "evaluations": [writer.event(e) for e in data.evaluations],
        "corrections": [_correction(c) for c in data.corrections],
    }


def _source_check(source: Source) -> dict[str, Any] | None:
    """The outcome of the source's last automated check, as in sources.yaml; None without one."""
    check = source.check
    if check is None:
        return None
    return {
        "status": check.status,
        "archive": check.archive,
        "quotes": check.quotes,
        "missing": check.missing,
    }


def models_document(card: Scorecard) -> dict[str, Any]:
    """data/models.json: every model release the labs list, with the reference date."""
    writer = _Writer(card)
    return {
        "reference_date": card.reference_date,
        "models": [writer.model(lab, m) for lab in card.dataset.labs for m in lab.models],
    }


def events_document(card: Scorecard) -> dict[str, Any]:
    """data/events.json: the access log, every event with its window, depth and terms."""
    writer = _Writer(card)
    return {
        "reference_date": card.reference_date,
        "events": [writer.event(e) for e in card.dataset.evaluations],
    }


def models_json(card: Scorecard) -> bytes:
    return json_bytes(models_document(card))


def events_json(card: Scorecard) -> bytes:
    return json_bytes(events_document(card))


MODEL_COLUMNS = (
    "lab",
    "model",
    "name",
    "released",
    "frontier",
    "latest_frontier",
    "open_weights",
    "availability",
    "card",
)
EVENT_COLUMNS = (
    "lab",
    "model",
    "evaluator",
    "stage",
    "released",
    "first_access",
    "business_days_before_release",
    "access_level",
    "model_given",
    "no_safety_filters",
    "helpful_only",
    "fine_tuning",
    "reasoning_traces",
    "weights",
    "nda",
    "lab_review",
    "paid",
    "publication",
    "risk_domains",
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return spreadsheet_safe(str(value))


def _csv(columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def models_csv(card: Scorecard) -> str:
    """data/models.csv: one row per model release."""
    writer = _Writer(card)
    rows = []
    for lab in card.dataset.labs:
        for model in lab.models:
            m = writer.model(lab, model)
            rows.append(
                tuple(
                    m[k]
                    for k in (
                        "lab",
                        "id",
                        "name",
                        "released",
                        "frontier",
                        "latest_frontier",
                        "open_weights",
                        "availability",
                        "card",
                    )
                )
            )
    return _csv(MODEL_COLUMNS, rows)


def events_csv(card: Scorecard) -> str:
    """data/events.csv: one row per access event ("unknown" where the sources do not say)."""
    writer = _Writer(card)
    rows = []
    for event in card.dataset.evaluations:
        e = writer.event(event)
        a, terms = e["access"], e["terms"]
        rows.append(
            (
                e["lab"],
                e["model"],
                e["evaluator"],
                e["stage"],
                event.released.isoformat() if event.released else None,
                e["window"]["first_access"],
                e["window"]["business_days_before_release"],
                a["level"],
                a["model_given"],
                a["no_safety_filters"],
                a["helpful_only"],
                a["fine_tuning"],
                a["reasoning_traces"],
                a["weights"],
                terms["nda"],
                terms["lab_review"],
                terms["paid"],
                e["publication"],
                " ".join(e["risk_domains"]),
            )
        )
    return _csv(EVENT_COLUMNS, rows)


def _tri(value: bool | None) -> bool | str:
    return display.UNKNOWN if value is None else value


def to_json(card: Scorecard) -> bytes:
    """The bytes of data/scorecard.json (and of `scorecard scores --format json`)."""
    return json_bytes(scorecard_document(card))


def json_bytes(value: Any) -> bytes:
    """A document as the downloads write it: UTF-8 JSON, keys sorted, indented by two spaces,
    ending in a newline. orjson writes it (the standard library's indenting encoder is pure
    Python, and took a quarter of `scores --format json`); the bytes depend on nothing but the
    value, so rebuilds are identical on every machine."""
    options = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE
    return orjson.dumps(value, option=options)


def json_text(value: Any) -> str:
    return json_bytes(value).decode("utf-8")


def _points_cell(value: Fraction | None) -> str:
    n = number(value)
    return "" if n is None else str(n)


def to_csv(card: Scorecard) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for lab_score in card.labs:
        for r in lab_score.results:
            row = (
                lab_score.lab.slug,
                r.criterion.id,
                r.criterion.category_id,
                r.assessment.level_id,
                _points_cell(r.points),
                r.assessment.as_of.isoformat(),
                "true" if r.stale else "false",
            )
            writer.writerow([spreadsheet_safe(cell) for cell in row])
    return buffer.getvalue()


def to_table(card: Scorecard) -> str:
    """A plain-text ranking for the terminal."""
    categories = card.dataset.rubric.categories
    header = ["#", "Lab", "Score", "Grade"] + [c.id for c in categories]
    rows = [header]
    for lab_score in card.labs:
        by_id = {c.category.id: c for c in lab_score.categories}
        rows.append(
            [
                str(lab_score.rank),
                lab_score.lab.name,
                display.score(lab_score.rounded),
                lab_score.grade or display.MISSING,
            ]
            + [display.score(by_id[c.id].rounded) for c in categories]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.ljust(widths[i]) if i in (1, 3) else cell.rjust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    lines.append(
        f"{card.dataset.rubric.title}, methodology {card.dataset.rubric.version}, "
        f"reference date {card.reference_date.isoformat()}"
    )
    return "\n".join(lines) + "\n"
