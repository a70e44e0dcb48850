"""The reader's first screen and wide tables, at 390 px (a phone) and 1280 px (a laptop).

The leaderboard's first screen holds every lab's rank, name, score out of 100 and grade, with its
one-line reason; tables wider than their column scroll inside it, and their sticky lab or
criterion column (and caption) stay in view however far they are scrolled. (That no page
scrolls sideways is checked for every kind of page in test_browser_pages.py.)
"""

from __future__ import annotations

import pytest

from tests.browser.browsing import DESKTOP, PHONE
from tests.support import ROOT

pytestmark = pytest.mark.browser

# The first screen: a phone held upright, and a laptop's 720 px high window.
FIRST_SCREENS = {"phone": PHONE, "laptop": {"width": 1280, "height": 720}}
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}

REPORT_CARD = """() => [...document.querySelectorAll('ol.sc-report > li')].map(li => {
  const parts = ['.sc-report__rank', '.sc-report__name', '.sc-report__score', '.sc-report__grade',
                 '.sc-report__reason'].map(s => li.querySelector(s));
  const boxes = parts.filter(Boolean).map(el => el.getBoundingClientRect());
  return {
    found: parts.every(Boolean),
    top: Math.min(...boxes.map(b => b.top)),
    bottom: Math.max(...boxes.map(b => b.bottom)),
    left: Math.min(...boxes.map(b => b.left)),
    right: Math.max(...boxes.map(b => b.right)),
    score: li.querySelector('.sc-report__score').textContent.trim(),
    reason: li.querySelector('.sc-report__reason').textContent.trim(),
  };
})"""

# Scroll every table that has a sticky column to its far right edge, then report, per table,
# whether it scrolls and where its sticky cells and caption are against the visible box.
STICKY = """() => [...document.querySelectorAll('.md-typeset table')]
  .filter(t => t.querySelector('.sc-sticky'))
  .map(table => {
    const wrap = table.closest('.md-typeset__scrollwrap') || table.parentElement;
    const scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.scrollLeft = wrap.scrollWidth;
    const view = wrap.getBoundingClientRect();
    const inView = (el) => {
      const b = el.getBoundingClientRect();
      return b.left >= view.left - 1 && b.right <= view.right + 1;
    };
    const sticky = [...table.querySelectorAll('.sc-sticky')];
    const caption = table.querySelector('caption');
    return {
      table: (table.querySelector('caption') || table).textContent.slice(0, 60),
      scrolls,
      scrolled: wrap.scrollLeft,
      sticky: sticky.length,
      hidden: sticky.filter(el => !inView(el)).map(el => el.textContent.trim().slice(0, 40)),
      caption: caption ? inView(caption) : true,
    };
  })"""


def lab_count() -> int:
    return len(list((ROOT / "data" / "labs").glob("*.yaml")))


@pytest.mark.parametrize("screen", FIRST_SCREENS)
def test_the_first_screen_holds_every_labs_score(served, open_tab, screen) -> None:
    site = served["data"]
    viewport = FIRST_SCREENS[screen]
    tab = open_tab(site, viewport)
    tab.goto(site.url(""))
    cards = tab.page.evaluate(REPORT_CARD)
    assert len(cards) == lab_count()
    for card in cards:
        assert card["found"], card
        assert card["top"] >= 0 and card["bottom"] <= viewport["height"], (screen, card)
        assert card["left"] >= 0 and card["right"] <= viewport["width"], (screen, card)
        assert card["score"].endswith("/100"), card
        assert card["reason"].startswith(("Earns", "No ", "Full")), card
    assert not tab.errors


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["", "compare/", "labs/openai/"])
def test_sticky_columns_stay_in_view_when_a_table_scrolls(served, open_tab, path, width) -> None:
    site = served["data"]
    tab = open_tab(site, WIDTHS[width])
    tab.goto(site.url(path))
    tables = tab.page.evaluate(STICKY)
    assert tables, f"{path}: no table with a sticky column"
    for table in tables:
        assert table["sticky"] > 0
        assert not table["hidden"], (path, width, table)
        assert table["caption"], (path, width, table)
        if table["scrolls"]:
            assert table["scrolled"] > 0, table
    if width == "phone" and path in ("", "compare/"):
        # At phone width these tables are wider than the column, so the check above has bite.
        assert any(t["scrolls"] for t in tables), (path, tables)
