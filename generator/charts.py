"""Chart figures, built with plotly's figure objects and serialised as plain JSON.

Each function returns a figure dict for the page's `data-figure` attribute (drawn by
assets/javascripts/charts.js). No template (`template: none`), no random ids, no share or logo
buttons; labels are passed through `escape.chart_text`. Every chart on the site also has its
numbers in a table next to it, so the figures carry no information the page lacks.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from generator.display import number
from generator.escape import chart_text
from generator.score import LabScore, Scorecard

# plotly.js options for every chart: no mode bar (no cloud "share" button, no logo), responsive.
CONFIG = {
    "displaylogo": False,
    "showSendToCloud": False,
    "displayModeBar": False,
    "responsive": True,
}
# Colours with at least 3:1 contrast on both the light and the dark page background.
PALETTE = ("#1f6fb2", "#c2571a", "#2e7d32", "#8e44ad", "#a07800", "#00838f", "#c2185b", "#5d6d7e")
_FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "template": "none",
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": dict(_FONT),
        "showlegend": False,
    }
    layout.update(extra)
    return layout


def _figure(data: list[Any], layout: dict[str, Any]) -> dict[str, Any]:
    fig = go.Figure(data=data, layout=layout).to_plotly_json()
    fig["config"] = dict(CONFIG)
    return fig


def leaderboard(card: Scorecard) -> dict[str, Any]:
    """Overall score per lab, split into each category's weighted contribution."""
    labs = [ls for ls in card.labs if ls.score is not None]
    names = [chart_text(ls.lab.name) for ls in reversed(labs)]  # best at the top
    traces = []
    for i, category in enumerate(card.dataset.rubric.categories):
        values = [_contribution(ls, category.id) for ls in reversed(labs)]
        traces.append(
            go.Bar(
                x=values,
                y=names,
                orientation="h",
                name=chart_text(category.title),
                marker={"color": PALETTE[i % len(PALETTE)]},
                hovertemplate="%{y}: %{x:.1f} points<extra>%{fullData.name}</extra>",
            )
        )
    layout = _layout(
        110 + 36 * max(len(labs), 1),
        barmode="stack",
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        xaxis={"range": [0, 100], "title": {"text": "Overall score (0–100)"}, "fixedrange": True},
        yaxis={"automargin": True, "fixedrange": True},
        margin={"l": 10, "r": 10, "t": 40, "b": 50},
    )
    return _figure(traces, layout)


def _contribution(lab_score: LabScore, category_id: str) -> float:
    """The points a category adds to the overall score (weight share × category score)."""
    applicable = [c for c in lab_score.categories if c.score is not None]
    total_weight = sum(c.category.weight for c in applicable)
    for c in applicable:
        if c.category.id == category_id:
            return float(c.category.weight * c.score / total_weight)  # type: ignore[operator]
    return 0.0


def lab_categories(card: Scorecard, lab_score: LabScore) -> dict[str, Any]:
    cats = [c for c in lab_score.categories if c.score is not None]
    titles = [chart_text(c.category.title) for c in reversed(cats)]
    scores = [number(c.rounded) for c in reversed(cats)]
    bar = go.Bar(
        x=scores,
        y=titles,
        orientation="h",
        marker={"color": PALETTE[0]},
        text=[f"{s}" for s in scores],
        textposition="auto",
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    layout = _layout(
        70 + 40 * max(len(cats), 1),
        xaxis={"range": [0, 100], "title": {"text": "Category score (0–100)"}, "fixedrange": True},
        yaxis={"automargin": True, "fixedrange": True},
    )
    return _figure([bar], layout)


# One colour per lab in the access-log timeline (12 hues, each at least 3:1 against both page
# backgrounds); a lab beyond the twelfth repeats a colour and keeps its own legend entry.
LAB_COLOURS = (
    "#1f6fb2",
    "#c2571a",
    "#6a4c93",
    "#00838f",
    "#a07800",
    "#c2185b",
    "#4e6e2e",
    "#8d5524",
    "#3949ab",
    "#ad1457",
    "#00695c",
    "#6d6d6d",
)
STAGE_SYMBOLS = {
    "pre-deployment": ("circle", "before release"),
    "post-release": ("circle-open", "after release"),
    "internal-deployment": ("diamond", "internal model"),
}


def evaluations_timeline(card: Scorecard) -> dict[str, Any]:
    """Each access event at its model's release date, one row per evaluator, coloured by lab
    (one trace and legend entry per lab); the mark says the stage (filled before release, open
    after, a diamond for an internal model, a cross when unknown)."""
    events = [e for e in card.dataset.evaluations if e.released is not None]
    names = {e.id: e.name for e in card.dataset.evaluators}
    traces = []
    for index, lab in enumerate(card.dataset.labs):
        chosen = [e for e in events if e.lab == lab.slug]
        if not chosen:
            continue
        colour = LAB_COLOURS[index % len(LAB_COLOURS)]
        symbols = [STAGE_SYMBOLS.get(e.stage, ("x", "timing unknown")) for e in chosen]
        traces.append(
            go.Scatter(
                x=[e.released.isoformat() for e in chosen],  # type: ignore[union-attr]
                y=[chart_text(names.get(e.evaluator, e.evaluator)) for e in chosen],
                mode="markers",
                name=chart_text(lab.name),
                marker={
                    "symbol": [symbol for symbol, _ in symbols],
                    "size": 11,
                    "color": colour,
                    "line": {"width": 2, "color": colour},
                },
                text=[
                    chart_text(f"{lab.name} {e.model_name} ({stage})")
                    for e, (_, stage) in zip(chosen, symbols, strict=True)
                ],
                hovertemplate="%{text}<br>released %{x}<extra></extra>",
            )
        )
    rows = len({e.evaluator for e in events})
    layout = _layout(
        140 + 28 * max(rows, 1),
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        xaxis={"type": "date", "title": {"text": "Model release date"}, "fixedrange": True},
        yaxis={"automargin": True, "fixedrange": True},
        margin={"l": 10, "r": 10, "t": 60, "b": 50},
    )
    return _figure(traces, layout)


def score_history(points: list[tuple[str, float | None]], reference_date: str) -> dict[str, Any]:
    """The overall score as a step line over the dates the evidence describes, held level up to
    the reference date."""
    known = [(date, score) for date, score in points if score is not None]
    dates = [date for date, _ in known]
    scores = [score for _, score in known]
    if known and dates[-1] < reference_date:
        dates.append(reference_date)
        scores.append(scores[-1])
    line = go.Scatter(
        x=dates,
        y=scores,
        mode="lines+markers",
        line={"shape": "hv", "color": PALETTE[0], "width": 2},
        marker={"size": 7, "color": PALETTE[0]},
        hovertemplate="%{x}: %{y}<extra></extra>",
    )
    layout = _layout(
        220,
        xaxis={
            "type": "date",
            "title": {"text": "Date the evidence describes"},
            "fixedrange": True,
        },
        yaxis={"range": [0, 100], "title": {"text": "Overall score"}, "fixedrange": True},
        margin={"l": 50, "r": 10, "t": 10, "b": 50},
    )
    return _figure([line], layout)
