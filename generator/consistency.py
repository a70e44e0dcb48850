"""Assessments read against the access log: where a level says one thing and the log another.

These are warnings, not errors: the log may be incomplete, and the assessment's own evidence
may be right. They apply once a lab lists its models (the log then names them), and they read
the rubric's own criteria by id: `pre-deployment-evals` and `access-window`. Each finding is
shown beside the assessment on the site, and by `scorecard validate` at the level's line.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator import access
from generator.model import Dataset, Lab

PRE_DEPLOYMENT_EVALS = "pre-deployment-evals"
ACCESS_WINDOW = "access-window"


@dataclass(frozen=True)
class Finding:
    lab: str  # slug
    criterion: str
    message: str
    hint: str


def findings(dataset: Dataset) -> list[Finding]:
    criteria = {c.id for c in dataset.rubric.criteria}
    out: list[Finding] = []
    for lab in dataset.labs:
        if not lab.models:
            continue
        if PRE_DEPLOYMENT_EVALS in criteria:
            out += _pre_deployment(dataset, lab)
        if ACCESS_WINDOW in criteria:
            out += _window(dataset, lab)
    return out


def _pre_deployment(dataset: Dataset, lab: Lab) -> list[Finding]:
    assessment = lab.assessment(PRE_DEPLOYMENT_EVALS)
    level, as_of = assessment.level_id, assessment.as_of
    tested = access.testing(dataset, lab, as_of)
    if tested is None:
        if level in ("full", "unnamed"):
            return [
                Finding(
                    lab.slug,
                    PRE_DEPLOYMENT_EVALS,
                    f"level '{level}' but the lab lists no frontier model released by {as_of}",
                    "add the model to the lab's models, or check the as_of date",
                )
            ]
        return []
    named = tested.named_pre_deployment(dataset)
    name = tested.model.name
    if level == "full" and not named:
        return [
            Finding(
                lab.slug,
                PRE_DEPLOYMENT_EVALS,
                f"level 'full' but the access log has no named pre-deployment event for {name}, "
                f"the lab's latest frontier model on {as_of}",
                "add the event to data/evaluations.yaml, or correct the level",
            )
        ]
    if level == "past-only" and named:
        return [
            Finding(
                lab.slug,
                PRE_DEPLOYMENT_EVALS,
                f"level 'past-only' but the access log has a named pre-deployment event for "
                f"{name}, the lab's latest frontier model on {as_of}",
                "the level may be full; check the event and the level",
            )
        ]
    if level == "unnamed" and named:
        return [
            Finding(
                lab.slug,
                PRE_DEPLOYMENT_EVALS,
                f"level 'unnamed' but the access log names a pre-deployment evaluator of {name}",
                "the level may be full; check the event and the level",
            )
        ]
    return []


def _window(dataset: Dataset, lab: Lab) -> list[Finding]:
    assessment = lab.assessment(ACCESS_WINDOW)
    level, as_of = assessment.level_id, assessment.as_of
    tested = access.testing(dataset, lab, as_of)
    if tested is None:
        return []
    days = tested.longest_window()
    if days is None:
        return []
    expected = access.window_level(days)
    name = tested.model.name
    if level in ("full", "partial", "minimal", "none", "no-disclosure") and level != expected:
        return [
            Finding(
                lab.slug,
                ACCESS_WINDOW,
                f"level '{level}' but the access log's longest pre-release window for {name} is "
                f"{days} business days, which reads as '{expected}'",
                "correct the level, or the event's window",
            )
        ]
    return []
