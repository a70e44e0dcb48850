"""The explore page (issue 15): the scorecard with a reader's weights, computed in the browser
exactly as score.py computes it, kept in the address, safe against hostile addresses, usable by
keyboard alone."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.score import score_dataset, with_weights
from generator.validate import validate_folder
from generator.views import PageViews, Provenance
from tests.browser.browsing import DATA_DATE, DESKTOP
from tests.support import FIXTURES, ROOT

pytestmark = pytest.mark.browser

DATASETS = {
    "data": (ROOT / "data", dt.date.fromisoformat(DATA_DATE)),
    "scoring": (FIXTURES / "scoring", dt.date(2024, 6, 1)),  # .x5 roundings, all not-applicable
    "access-log": (FIXTURES / "access-log", dt.date(2024, 6, 10)),
}


def _load(name: str):
    folder, day = DATASETS[name]
    result = validate_folder(folder, latest=day, reference=day)
    assert result.dataset is not None
    card = score_dataset(result.dataset, day)
    data = json.loads(PageViews(card, Provenance(None, None, None)).explore().data)
    return result.dataset, day, data


LOADED = {name: _load(name) for name in DATASETS}


@pytest.fixture(scope="module")
def explore(served, browser):
    """The bundled data's explore page, loaded once, its script ready."""
    site = served["data"]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site.url("explore/"), wait_until="load")
    page.wait_for_function("() => window.scorecardExplore !== undefined", timeout=15_000)
    yield page
    context.close()


def python_ranking(name: str, categories: dict[str, Fraction], criteria: dict[str, Fraction]):
    dataset, day, _ = LOADED[name]
    rubric = with_weights(dataset.rubric, categories, criteria)
    card = score_dataset(replace(dataset, rubric=rubric), day)
    return [
        [ls.lab.slug, ls.rank, None if ls.rounded is None else str(ls.rounded), ls.grade]
        for ls in card.labs
    ]


BROWSER = """([data, categories, criteria]) => {
  const E = window.scorecardExplore;
  const cw = {}, kw = {};
  for (const [k, v] of Object.entries(categories)) cw[k] = E.parseRatio(v);
  for (const [k, v] of Object.entries(criteria)) kw[k] = E.parseRatio(v);
  return E.compute(data, cw, kw).map(r => [r.lab.slug, r.rank, r.score, r.grade]);
}"""

weights = st.one_of(
    st.just(Fraction(0)),
    st.integers(0, 100).map(Fraction),
    st.integers(1, 400).map(lambda n: Fraction(n, 4)),
    st.integers(1, 9999).map(lambda n: Fraction(n, 100)),
)


def _vector(draw, name: str):
    _, _, data = LOADED[name]
    categories = {c["id"]: draw(weights) for c in data["categories"]}
    criteria = {k["id"]: draw(weights) for c in data["categories"] for k in c["criteria"]}
    return categories, criteria


@st.composite
def cases(draw):
    name = draw(st.sampled_from(sorted(DATASETS)))
    return (name, *_vector(draw, name))


def _ratios(weights: dict[str, Fraction]) -> dict[str, str]:
    return {k: f"{v.numerator}/{v.denominator}" for k, v in weights.items()}


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cases())
def test_the_browser_scores_ranks_and_grades_as_python_does(explore, case) -> None:
    name, categories, criteria = case
    _, _, data = LOADED[name]
    js = explore.evaluate(BROWSER, [data, _ratios(categories), _ratios(criteria)])
    assert js == python_ranking(name, categories, criteria)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_the_published_weights_reproduce_the_published_scores(explore, name) -> None:
    dataset, _, data = LOADED[name]
    published = {c.id: c.weight for c in dataset.rubric.categories}
    criteria = {k.id: k.weight for k in dataset.rubric.criteria}
    js = explore.evaluate(BROWSER, [data, _ratios(published), _ratios(criteria)])
    assert js == python_ranking(name, {}, {})


def _shown(page) -> list[tuple[str, str]]:
    rows = page.locator(".sc-explore-results tbody tr")
    return [
        (rows.nth(i).locator("th a").inner_text(), rows.nth(i).locator("td").nth(1).inner_text())
        for i in range(rows.count())
    ]


def test_a_preset_changes_the_ranking_and_the_link_reproduces_it(served, open_tab) -> None:
    site = served["data"]
    tab = open_tab(site, DESKTOP)
    tab.goto(site.url("explore/"))
    tab.page.wait_for_selector(".sc-explore-controls:not([hidden])")
    before = _shown(tab.page)
    tab.page.select_option("#sc-preset", "depth-only")
    assert "preset=depth-only" in tab.page.url
    after = _shown(tab.page)
    assert after != before
    other = open_tab(site, DESKTOP)
    other.goto(tab.page.url)
    other.page.wait_for_selector(".sc-explore-controls:not([hidden])")
    assert _shown(other.page) == after
    assert other.page.locator("#sc-preset").input_value() == "depth-only"
    assert not tab.errors and not other.errors


ADDRESS = "#preset=commitments-only&cat.access-depth=12.5&crit.fine-tuning-access=0"


def test_the_address_round_trips_custom_weights(explore) -> None:
    result = explore.evaluate(
        """(address) => {
          const root = document.querySelector('[data-explore]');
          const data = JSON.parse(root.getAttribute('data-explore'));
          const E = window.scorecardExplore;
          const state = E.fromAddress(data, address);
          return [E.toAddress(data, state.weights, state.base), state.ignored];
        }""",
        ADDRESS,
    )
    address, ignored = result
    assert ignored == []
    assert address == ADDRESS


@pytest.mark.parametrize(
    "hostile",
    [
        "#preset=<script>alert(1)</script>",
        "#cat.access-depth=<img src=x onerror=alert(1)>",
        "#cat.<img src=x>=2&crit.__proto__=3&cat.constructor=1",
        "#cat.access-depth=-1&cat.commitments=1e9&cat.accountability=NaN",
    ],
)
def test_a_hostile_address_changes_nothing_but_the_note(served, open_tab, hostile) -> None:
    site = served["data"]
    tab = open_tab(site, DESKTOP)
    tab.goto(site.url("explore/"))
    tab.page.wait_for_selector(".sc-explore-controls:not([hidden])")
    published = _shown(tab.page)
    tab.goto(site.url("explore/") + hostile)
    tab.page.reload()
    tab.page.wait_for_selector(".sc-explore-controls:not([hidden])")
    assert _shown(tab.page) == published
    note = tab.page.locator(".sc-explore-note")
    assert note.is_visible() and "ignored" in note.inner_text()
    assert tab.page.locator("article img, article script:not([type])").count() == 0
    assert not [e for e in tab.errors if "alert" in e]


def test_the_controls_work_by_keyboard_alone(served, open_tab) -> None:
    site = served["data"]
    tab = open_tab(site, DESKTOP)
    tab.goto(site.url("explore/"))
    page = tab.page
    page.wait_for_selector(".sc-explore-controls:not([hidden])")
    before = _shown(page)
    page.focus("#sc-preset")
    page.keyboard.press("End")  # the last option: a named emphasis, or "your own"
    page.keyboard.press("ArrowUp")
    assert page.locator("#sc-preset").input_value() != "published"
    assert _shown(page) != before
    field = page.locator("input[id^='sc-w-cat-']").first
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    page.keyboard.press("Tab")
    assert page.locator("#sc-preset").input_value() == "custom"


@pytest.mark.parametrize(
    ("path", "table"),
    [("", "table[data-sortable]"), ("models/", "#sc-models"), ("evaluations/", "#sc-events")],
)
def test_tables_sort_by_a_column_by_keyboard_with_aria_sort(served, open_tab, path, table) -> None:
    site = served["data"]
    tab = open_tab(site, DESKTOP)
    tab.goto(site.url(path))
    page = tab.page
    page.wait_for_selector(f"{table} button.sc-sort")
    headers = page.locator(f"{table} thead tr:last-child th")
    column = next(i for i in range(headers.count()) if headers.nth(i).locator("a").count() == 0)
    button = headers.nth(column).locator("button.sc-sort")
    button.focus()
    page.keyboard.press("Enter")
    first = headers.nth(column).get_attribute("aria-sort")
    assert first in ("ascending", "descending")
    cells = page.locator(f"{table} tbody tr").evaluate_all(
        f"rows => rows.map(r => r.children[{column}].textContent.trim())"
    )
    page.keyboard.press("Enter")
    assert headers.nth(column).get_attribute("aria-sort") != first
    again = page.locator(f"{table} tbody tr").evaluate_all(
        f"rows => rows.map(r => r.children[{column}].textContent.trim())"
    )
    assert again == list(reversed(cells)) or sorted(again) == sorted(cells)
    assert not tab.errors


def test_the_events_filter_shows_one_labs_events(served, open_tab) -> None:
    site = served["data"]
    tab = open_tab(site, DESKTOP)
    tab.goto(site.url("evaluations/"))
    page = tab.page
    page.wait_for_selector("#sc-event-lab")
    page.select_option("#sc-event-lab", "openai")
    visible = page.locator("#sc-events tbody tr:not([hidden])")
    assert visible.count() > 0
    assert set(visible.evaluate_all("rows => rows.map(r => r.dataset.lab)")) == {"openai"}
