"""Every kind of page, in Chromium, at desktop and phone width, in the light and dark schemes.

For one page of each kind on the bundled data's site, and for the minimal fixture's generated
pages: HTTP 200, no console error or uncaught exception, no request to any host but the site's
own, no sideways scrolling of the page, every chart drawn (plotly's SVG present), chart text
readable on the page's background, and no axe-core violation of the WCAG 2.2 AA rules (tags
wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) in either scheme.
No rule is disabled: what fails is fixed in the theme overrides, our CSS or our markup.
"""

from __future__ import annotations

import pytest

from tests.browser.browsing import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# Every kind of page the sites have (see Site.page_kinds); test_every_kind_is_covered fails when
# a new kind appears, so it gets added here and checked like the others.
KINDS = (
    "home",
    "labs",
    "criteria",
    "compare",
    "evaluations",
    "models",
    "evaluators",
    "explore",
    "methodology",
    "sources",
    "corrections",
    "downloads",
    "editions",
    "about",
    "contributing",
    "licence",
    "404",
)
# The minimal fixture's generated pages, for what the bundled data may not have: a lab with
# history (lab-a), a lab with not-applicable and no-disclosure levels (lab-b), a criterion
# where one lab is not-applicable (depth).
FIXTURE_PAGES = (
    "",
    "labs/lab-a/",
    "labs/lab-b/",
    "criteria/depth/",
    "compare/",
    "evaluations/",
    "methodology/",
    "sources/",
)
# The access-log fixture's pages: models listed by a lab, events 2.0, relays, a version history.
ACCESS_LOG_PAGES = (
    "models/",
    "models/lab-a/model-two/",
    "evaluators/",
    "evaluators/evals-org/",
    "labs/lab-a/",
    "evaluations/",
    "methodology/",
)
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
    "resultTypes": ["violations"],
}

# The lowest contrast between any text plotly drew (ticks, axis titles, legend) and the page's
# background. Plotly draws SVG text, which axe does not check.
CHART_TEXT_CONTRAST = """() => {
  const rgb = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    return m ? m[1].split(',').map(Number) : null;
  };
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const bg = rgb(getComputedStyle(document.body).backgroundColor);
  let lowest = 21;
  const texts = document.querySelectorAll(
    '.sc-chart .xtick text, .sc-chart .ytick text, .sc-chart .g-xtitle text, ' +
    '.sc-chart .g-ytitle text, .sc-chart .legendtext');
  for (const text of texts) {
    const fill = rgb(getComputedStyle(text).fill);
    if (fill) lowest = Math.min(lowest, ratio(fill, bg));
  }
  return texts.length ? lowest : null;
}"""


def axe_violations(page: object) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in results.response["violations"]
    ]


def switch_scheme(page: object) -> str:
    """Click the theme's light/dark toggle, as a reader would; returns the new scheme."""
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:not([hidden])").click()
    page.wait_for_function(
        f"document.body.getAttribute('data-md-color-scheme') !== {before!r}", timeout=5_000
    )
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


def charts_in_file(site: object, path: str) -> int:
    file = site.root / (path if path.endswith(".html") else path + "index.html")
    return file.read_text(encoding="utf-8").count('class="sc-chart"')


def test_every_kind_is_covered(served: dict) -> None:
    kinds = set(served["data"].page_kinds())
    assert kinds <= set(KINDS), f"pages of untested kinds: {kinds - set(KINDS)}"
    assert {"home", "labs", "criteria", "compare", "evaluations"} <= kinds
    fixture = served["fixture"]
    for path in FIXTURE_PAGES:
        assert (fixture.root / path / "index.html").is_file(), path
    for path in ACCESS_LOG_PAGES:
        assert (served["access-log"].root / path / "index.html").is_file(), path


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(
    ("site_name", "page_id"),
    [("data", kind) for kind in KINDS]
    + [("fixture", path) for path in FIXTURE_PAGES]
    + [("access-log", path) for path in ACCESS_LOG_PAGES],
)
def test_page(served: dict, open_tab: object, site_name: str, page_id: str, viewport: str) -> None:
    site = served[site_name]
    if site_name in ("fixture", "access-log"):
        path = page_id
    elif (path := site.page_kinds().get(page_id)) is None:
        pytest.skip(f"the {site_name} site has no page of kind {page_id}")
    tab = open_tab(site, VIEWPORTS[viewport])
    page = tab.page

    response = tab.goto(site.url(path))
    assert response is not None and response.status == 200, f"{path}: HTTP {response.status}"
    expected_charts = charts_in_file(site, path)
    assert tab.wait_for_charts() == expected_charts
    if expected_charts:
        assert page.locator(".sc-chart .main-svg").count() >= expected_charts

    overflow = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert overflow[0] <= overflow[1], f"{path} scrolls sideways at {viewport}: {overflow}"

    problems = {}
    for scheme in ("default", "slate"):
        if scheme == "slate":
            assert switch_scheme(page) == "slate"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
        if expected_charts:
            # charts.js redraws the text in the scheme's colour when the scheme changes.
            page.wait_for_function(f"({CHART_TEXT_CONTRAST})() >= 4.5", timeout=5_000)
        if violations := axe_violations(page):
            problems[scheme] = violations
    assert not problems, f"{site_name}/{path} at {viewport}: axe violations {problems}"

    assert not tab.errors, f"{path}: {tab.errors}"
    assert not tab.foreign, f"{path} asked other hosts for {tab.foreign}"
    assert all(url.startswith(site.origin + "/") for url in tab.requests), tab.requests


def test_dark_preference_on_first_visit(served: dict, open_tab: object) -> None:
    """A reader whose system prefers dark gets the dark scheme, charts included."""
    site = served["data"]
    tab = open_tab(site, DESKTOP, color_scheme="dark")
    tab.goto(site.url(""))
    assert tab.page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert tab.wait_for_charts() >= 1
    assert tab.page.evaluate(f"({CHART_TEXT_CONTRAST})()") >= 4.5
    assert not tab.errors


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_instant_navigation_draws_charts(served: dict, open_tab: object, viewport: str) -> None:
    """Following links inside the site replaces the page without reloading it (the theme's
    instant navigation); charts.js must then load plotly.js if it has not yet, and draw."""
    site = served["data"]
    tab = open_tab(site, VIEWPORTS[viewport])
    page = tab.page
    tab.goto(site.url("compare/"))  # no chart: plotly.js is not loaded yet
    assert tab.wait_for_charts() == 0
    assert not any("plotly" in url for url in tab.requests)
    page.evaluate("window.__sc_no_reload = true")

    # A lab in the comparison table (a chart page), then the access log (another) from there.
    page.locator(".md-typeset table th a[href*='labs/']").first.click()
    page.wait_for_url("**/labs/**")
    page.locator(".sc-lab-head").wait_for()
    assert tab.wait_for_charts() >= 1
    page.locator(".md-typeset a[href$='evaluations/#access-log']").first.click()
    page.wait_for_url("**/evaluations/**")
    page.locator("#access-log").wait_for()
    assert tab.wait_for_charts() >= 1
    assert page.locator(".sc-chart .main-svg").count() >= 1
    assert page.evaluate("window.__sc_no_reload === true"), "the page was reloaded"
    assert not tab.errors
    assert not tab.foreign


def test_search_dialog_is_named_and_works_offline(served: dict, open_tab: object) -> None:
    site = served["data"]
    tab = open_tab(site, DESKTOP)
    page = tab.page
    tab.goto(site.url(""))
    assert page.get_by_role("dialog", name="Search").count() == 1
    page.locator("input.md-search__input").click()
    page.keyboard.type("pre-deployment")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert not tab.foreign
    assert not tab.errors
