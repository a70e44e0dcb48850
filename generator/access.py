"""What the access log says, computed: an event's access level and window, and which events
concern a lab's latest frontier model. Pure functions of the model, used by the rules, the
pages and the exports alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.model import (
    PRE_DEPLOYMENT,
    Dataset,
    Evaluation,
    Lab,
    Model,
    Window,
    parse_date,
)

# The EU GPAI Code of Practice's benchmark for pre-release access, and the rubric's bands.
FULL_WINDOW = 20  # business days
PARTIAL_WINDOW = 5

AL1, AL2, AL3 = "AL1", "AL2", "AL3"
ACCESS_LEVELS = {
    AL1: "black-box: queries to the model, little information (or nothing deeper documented)",
    AL2: "grey-box: fine-tuning, the raw chain of thought, or the lab's own evaluation results "
    "or incident reports",
    AL3: "white-box: the model's weights",
}


def access_level(event: Evaluation) -> str:
    """The access level after Charnock et al. (2026, arXiv 2601.11916), from the event's fields:
    AL3 when the evaluator had the weights; AL2 when it could fine-tune, read the raw chain of
    thought, or got the lab's internal evaluation results or incident reports; AL1 otherwise.
    AL1 means no deeper access is documented, not that none was given. Versions with fewer
    safeguards (helpful-only, filters off) are shown beside the level: they change what is
    queried, not how deep the access reaches."""
    access = event.access
    if access.weights:
        return AL3
    if (
        access.fine_tuning
        or access.reasoning_traces == "full"
        or access.internal.internal_eval_results
        or access.internal.incident_reports
    ):
        return AL2
    return AL1


def _full_date(text: str | None) -> dt.date | None:
    if text is None or len(text) != 10:
        return None  # a month-only date is too coarse to count days from
    return parse_date(text)


def weekdays_between(start: dt.date, end: dt.date) -> int:
    """Monday-to-Friday days from `start` (counted) to `end` (not counted); no holidays."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(rest):
        if (start + dt.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def window_business_days(window: Window, released: dt.date | None) -> int | None:
    """How many business days before release the evaluator had the model: as the sources
    state them; else counted Monday to Friday from first access to release (both full dates);
    else from stated calendar days (a week is five business days); None when unknown."""
    if window.business_days is not None:
        return window.business_days
    first = _full_date(window.first_access)
    if first is not None and released is not None:
        return weekdays_between(first, released)
    if window.days is not None:
        weeks, rest = divmod(window.days, 7)
        return weeks * 5 + min(rest, 5)
    return None


def window_level(business_days: int) -> str:
    """The access-window level a number of business days earns."""
    if business_days >= FULL_WINDOW:
        return "full"
    if business_days >= PARTIAL_WINDOW:
        return "partial"
    return "minimal"


@dataclass(frozen=True)
class ModelTesting:
    """A model and its events in the access log."""

    model: Model
    events: tuple[Evaluation, ...]

    @property
    def pre_deployment(self) -> tuple[Evaluation, ...]:
        return tuple(e for e in self.events if e.stage == PRE_DEPLOYMENT)

    def named_pre_deployment(self, dataset: Dataset) -> tuple[Evaluation, ...]:
        return tuple(e for e in self.pre_deployment if not dataset.evaluator(e.evaluator).unnamed)

    def longest_window(self) -> int | None:
        """The longest pre-release window documented for the model, in business days."""
        days = [window_business_days(e.window, self.model.release_day) for e in self.pre_deployment]
        known = [d for d in days if d is not None]
        return max(known, default=None)


def events_of(dataset: Dataset, lab: Lab, model: Model) -> tuple[Evaluation, ...]:
    return tuple(e for e in dataset.evaluations if e.lab == lab.slug and e.model == model.id)


def testing(dataset: Dataset, lab: Lab, on: dt.date) -> ModelTesting | None:
    """The lab's latest frontier model on `on` and its events; None when the lab lists no
    frontier model released by then."""
    model = lab.latest_frontier_model(on)
    if model is None:
        return None
    return ModelTesting(model, events_of(dataset, lab, model))
