"""Page-weight budgets, measured on the built files of the bundled data's site.

A page's weight is what a first visit transfers: the page itself plus every file it loads (its
stylesheets, scripts and icon, the theme's search worker and the sitemap its navigation reads,
and plotly.js on a page with a chart, which charts.js loads), each gzipped at level 6, the
default of gzip and of most servers' compression. Bytes are deterministic, so this is exact.

Budgets: 120 KB for a page without a chart, 550 KB for a page with one, theme assets included.
The search index, which the theme also fetches on a first visit, is one file for the whole site
and is measured by the benchmark (bench/README.md), not here.
"""

from __future__ import annotations

import gzip
import html
import html.parser
import json
import posixpath
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.support import ROOT, build_site

KB = 1000
BUDGET_PLAIN = 120 * KB
BUDGET_CHARTS = 550 * KB
PLOTLY = "assets/javascripts/vendor/plotly-basic.min.js"  # loaded by charts.js, not by a tag
SITEMAP = "sitemap.xml"  # read by the theme's instant navigation on every page load


class _Loads(html.parser.HTMLParser):
    """The files a page's markup makes the browser fetch, as written in the page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.config: dict | None = None
        self.has_chart = False
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and a.get("href") and a.get("rel") in ("stylesheet", "icon"):
            self.refs.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.refs.append(a["src"])
        elif tag == "script" and a.get("id") == "__config":
            self._in_config = True
        if "data-figure" in a:
            self.has_chart = True

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config = json.loads(data)


@cache
def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def page_files(site: Path, page: Path) -> tuple[list[Path], bool]:
    """The page and every file it loads, as paths in the built site; and whether it has a
    chart."""
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    folder = page.parent.relative_to(site).as_posix()
    refs = list(parser.refs)
    base = "."
    if parser.config:
        base = parser.config.get("base", ".")
        if parser.config.get("search"):  # relative to the page, like the tags' references
            refs.append(parser.config["search"])
    refs.append(posixpath.join(base, SITEMAP))
    if parser.has_chart:
        refs.append(posixpath.join(base, PLOTLY))
    files = [page]
    for ref in refs:
        parts = urlsplit(ref)
        assert not parts.scheme and not parts.netloc, f"{page}: loads {ref} from another host"
        # 404.html, served at any depth, uses paths from the site root.
        path = (
            parts.path.lstrip("/")
            if parts.path.startswith("/")
            else posixpath.join(folder, parts.path)
        )
        target = site / posixpath.normpath(path)
        assert target.is_file(), f"{page.relative_to(site)} loads {ref}, which was not built"
        files.append(target)
    return files, parser.has_chart


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A reference date after every date in data/, so the bundled data always validates.
    return build_site(ROOT / "data", tmp_path_factory.mktemp("budget") / "site", "2099-12-31")


def test_every_page_is_within_its_budget(site: Path) -> None:
    over = []
    weights: dict[bool, list[int]] = {False: [], True: []}
    for page in sorted(site.rglob("*.html")):
        files, has_chart = page_files(site, page)
        weight = sum(gzipped(f) for f in dict.fromkeys(files))
        weights[has_chart].append(weight)
        budget = BUDGET_CHARTS if has_chart else BUDGET_PLAIN
        if weight > budget:
            detail = ", ".join(f"{f.relative_to(site)} {gzipped(f) / KB:.1f}" for f in files)
            over.append(
                f"{page.relative_to(site)}: {weight / KB:.1f} KB > {budget // KB} ({detail})"
            )
    assert not over, "pages over budget (KB, gzip -6):\n" + "\n".join(over)
    assert weights[True], "no page with a chart was measured"
    assert weights[False], "no page without a chart was measured"


def test_plotly_is_loaded_only_by_charts_js(site: Path) -> None:
    """No page names plotly.js in a tag: charts.js fetches it only when the page has a chart."""
    for page in sorted(site.rglob("*.html")):
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        assert not any("plotly" in ref for ref in parser.refs), page.relative_to(site)


def test_the_search_index_holds_each_quote_where_it_is_cited_and_no_copies(site: Path) -> None:
    """The search index is one file for the whole site, so it holds each text in one place:
    a current reading's quotes on its lab page (so a quoted phrase finds the reading), an
    access event's quotes on its model's page; no criterion page's copy of each lab's reading, no older
    readings, no edition's snapshot, no citation block or repeated criterion question."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    card = json.loads((site / "data" / "scorecard.json").read_text(encoding="utf-8"))

    def where(quote: str) -> set[str]:
        shown = html.escape(quote, quote=False)
        return {d["location"].split("/")[0] for d in docs if shown in d["text"] or quote in d["text"]}

    quotes = {
        ev["quote"]
        for lab in card["labs"]
        for assessment in lab["assessments"]
        for ev in assessment["evidence"]
        if ev.get("quote")
    }
    assert quotes, "the bundled data has no quotes to look for"
    assert all("labs" in where(q) for q in quotes)
    # (a short phrase may also be in a title or a note elsewhere)
    assert all(where(q) <= {"labs", "models"} for q in quotes if len(q) > 80)
    slugs = {lab["slug"] for lab in card["labs"]}
    locations = [doc["location"] for doc in docs]
    assert not [
        loc for loc in locations if loc.startswith("criteria/") and loc.split("#")[-1] in slugs
    ]
    assert not [loc for loc in locations if loc.startswith("compare/")]
    assert not [loc for loc in locations if loc.startswith("editions/") and loc != "editions/"]
    assert not [loc for loc in locations if loc.endswith(("#sc_cite", "#sc_corrections"))]
