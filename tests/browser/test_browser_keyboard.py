"""Keyboard: Tab reaches every interactive element a reader can see, and focus is always visible.

For one page of each kind at desktop width, and the main kinds at phone width: list every
visible link, button, input, summary and focusable region, press Tab until each has had focus,
and check that whatever has focus shows it (an outline or a box shadow, on the element or, for
the theme's visually hidden toggle inputs, on the label beside them).
"""

from __future__ import annotations

import pytest
from test_browser_pages import KINDS

from tests.browser.browsing import DESKTOP, PHONE

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
# At phone width the header and navigation change; the page bodies do not, so a few kinds with
# the most varied bodies are enough there.
PHONE_KINDS = ("home", "labs", "compare", "evaluations")
CASES = [(kind, "desktop") for kind in KINDS] + [(kind, "phone") for kind in PHONE_KINDS]

# Everything interactive a reader can see now, kept in window.__sc_targets.
TARGETS = """() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, ' +
                   '[tabindex]';
  const targets = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.matches('[tabindex="-1"], :disabled') || el.closest('[hidden], [inert]')) continue;
    if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0) continue;
    if (style.visibility !== 'visible' || style.opacity === '0') continue;
    targets.push(el);
  }
  window.__sc_targets = targets;
  return targets.length;
}"""

# What has focus now: its index in the targets (-1: not a target), a description, and whether
# a focus indicator is drawn.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const drawn = (node) => {
    if (!node) return false;
    const s = getComputedStyle(node);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  };
  // The theme's palette toggle is a hidden radio input whose ring is drawn on the label
  // right after it (.md-option.focus-visible + label).
  const next = el.nextElementSibling;
  const labels = [...(el.labels || []), ...(next && next.tagName === 'LABEL' ? [next] : [])];
  return {
    index: window.__sc_targets.indexOf(el),
    what: el.outerHTML.slice(0, 120),
    visible: drawn(el) || labels.some(drawn),
  };
}"""


@pytest.mark.parametrize(("kind", "viewport"), CASES)
def test_tab_reaches_everything_with_visible_focus(
    served: dict, open_tab: object, kind: str, viewport: str
) -> None:
    site = served["data"]
    path = site.page_kinds().get(kind)
    if path is None:
        pytest.skip(f"the data site has no page of kind {kind}")
    tab = open_tab(site, VIEWPORTS[viewport])
    page = tab.page
    tab.goto(site.url(path))
    tab.wait_for_charts()
    count = page.evaluate(TARGETS)
    assert count > 0

    reached: set[int] = set()
    unmarked: list[str] = []
    # Each target once, plus the theme's own extras (the search results, the hidden toggles).
    for _ in range(count + 40):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            continue
        if focused["index"] >= 0:
            reached.add(focused["index"])
        if not focused["visible"]:
            unmarked.append(focused["what"])
        if len(reached) == count:
            break
    missed = page.evaluate(
        "(reached) => window.__sc_targets.filter((el, i) => !reached.includes(i))"
        ".map(el => el.outerHTML.slice(0, 120))",
        sorted(reached),
    )
    assert not missed, f"{path} at {viewport}: Tab never reaches {missed}"
    assert not unmarked, f"{path} at {viewport}: focus not visible on {sorted(set(unmarked))}"
