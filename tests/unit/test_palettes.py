"""One colour meaning per site: the chart palettes in generator/charts.py against the level
colours of scorecard.css."""

from __future__ import annotations

import colorsys
import datetime as dt
import functools
import re

from generator import charts
from generator.score import score_dataset
from generator.validate import validate_folder
from tests.support import ROOT

CSS = ROOT / "generator" / "assets" / "stylesheets" / "scorecard.css"
LIGHT_BACKGROUND = "#ffffff"
DARK_BACKGROUND = "#1e2129"  # the theme's slate scheme: hsla(232, 15%, 14%)


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    low, high = sorted((_luminance(a), _luminance(b)))
    return (high + 0.05) / (low + 0.05)


def _hue_saturation(colour: str) -> tuple[float, float]:
    hue, _lightness, saturation = colorsys.rgb_to_hls(*_rgb(colour))
    return hue * 360, saturation


def _hue_distance(a: float, b: float) -> float:
    d = abs(a - b) % 360
    return min(d, 360 - d)


def test_level_colours_are_the_stylesheets() -> None:
    """charts.LEVEL_COLOURS is the light scheme's level text colours, as scorecard.css has them."""
    css = CSS.read_text(encoding="utf-8")
    light = css[: css.index("[data-md-color-scheme")]
    found = dict(re.findall(r"--sc-(full|partial|none|silent|na|stale):\s*(#[0-9a-f]{6})", light))
    assert found == charts.LEVEL_COLOURS


def test_category_colours_never_reuse_a_level_colour() -> None:
    category = {c.lower() for c in charts.CATEGORY_COLOURS}
    assert len(category) == len(charts.CATEGORY_COLOURS)
    assert not category & {c.lower() for c in charts.LEVEL_COLOURS.values()}
    # Nor a level's hue: each category colour is saturated (not grey) and at least 30 degrees
    # from the hue of every saturated level colour (green, amber, red, brown).
    level_hues = [h for h, s in map(_hue_saturation, charts.LEVEL_COLOURS.values()) if s > 0.4]
    assert len(level_hues) == 4
    for colour in charts.CATEGORY_COLOURS:
        hue, saturation = _hue_saturation(colour)
        assert saturation > 0.4, colour
        assert min(_hue_distance(hue, h) for h in level_hues) >= 30, colour


def test_category_colours_are_visible_on_both_schemes() -> None:
    for colour in charts.CATEGORY_COLOURS:
        assert _contrast(colour, LIGHT_BACKGROUND) >= 3, colour
        assert _contrast(colour, DARK_BACKGROUND) >= 3, colour


def test_each_category_has_a_cue_besides_its_colour() -> None:
    """Colour-blind readers tell categories apart by fill pattern, not hue alone."""
    assert len(set(charts.CATEGORY_PATTERNS)) == len(charts.CATEGORY_PATTERNS)
    assert len(charts.CATEGORY_PATTERNS) >= len(charts.CATEGORY_COLOURS)


@functools.cache
def _card():
    day = dt.date(2099, 12, 31)  # after every date in data/
    result = validate_folder(ROOT / "data", latest=day, reference=day)
    assert result.dataset is not None
    return score_dataset(result.dataset, result.reference_date)


def test_the_leaderboard_chart_uses_the_category_palette() -> None:
    card = _card()
    figure = charts.leaderboard(card)
    assert len(figure["data"]) == len(card.dataset.rubric.categories)
    assert len(card.dataset.rubric.categories) <= len(charts.CATEGORY_COLOURS)
    for i, trace in enumerate(figure["data"]):
        assert trace["marker"]["color"] == charts.CATEGORY_COLOURS[i]
        assert trace["marker"]["pattern"]["shape"] == charts.CATEGORY_PATTERNS[i]


def test_each_lab_gets_a_stable_colour() -> None:
    slugs = ["openai", "anthropic", "google-deepmind", "meta", "xai"]
    colours = charts.lab_colours(slugs)
    assert colours == charts.lab_colours(list(reversed(slugs)))  # not by input order
    assert len(set(colours.values())) == len(slugs)  # distinct up to twelve labs
    assert set(colours.values()) <= set(charts.LAB_COLOURS)


def test_the_timeline_colours_each_lab_and_names_it_in_the_legend() -> None:
    card = _card()
    figure = charts.evaluations_timeline(card)
    expected = charts.lab_colours([lab.slug for lab in card.dataset.labs])
    names = {lab.name: lab.slug for lab in card.dataset.labs}
    assert figure["layout"]["showlegend"] is True
    assert len(figure["data"]) >= 2
    for trace in figure["data"]:
        assert trace["marker"]["color"] == expected[names[trace["name"]]]
    assert len({trace["marker"]["color"] for trace in figure["data"]}) == len(figure["data"])
