"""Page-weight budgets, measured on the built files of the bundled data's site.

A page's weight is what a visit transfers: the page itself plus every file it loads (its
stylesheets, scripts and icon, the theme's search worker and the sitemap its navigation reads),
each gzipped at level 6, the default of gzip and of most servers' compression. Bytes are
deterministic, so this is exact.

Two figures per page with a chart: its first visit, before the reader scrolls (charts.js fetches
plotly.js only when a chart nears the viewport: tests/browser/test_browser_weight.py), and the
page with its charts drawn, plotly.js included.

Budgets: 120 KB for a page without a chart; for a page with one, 150 KB for the first visit and
550 KB with its charts drawn, theme assets included. The search index is fetched only when a
reader opens search (charts.js holds the theme's request back; tested in the browser), so no
first visit includes it; its size is measured by the benchmark (bench/README.md).
"""

from __future__ import annotations

import gzip
import html
import html.parser
import json
import posixpath
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from tests.support import ROOT, build_site

KB = 1000
BUDGET_PLAIN = 120 * KB
BUDGET_CHARTS = 550 * KB
BUDGET_CHARTS_FIRST_VISIT = 150 * KB
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
        files = list(dict.fromkeys(files))
        first = [f for f in files if f != site / PLOTLY]
        checks = [(files, BUDGET_CHARTS if has_chart else BUDGET_PLAIN, "")]
        if has_chart:
            checks.append((first, BUDGET_CHARTS_FIRST_VISIT, " first visit"))
        for chosen, budget, what in checks:
            weight = sum(gzipped(f) for f in chosen)
            if not what:
                weights[has_chart].append(weight)
            if weight > budget:
                detail = ", ".join(f"{f.relative_to(site)} {gzipped(f) / KB:.1f}" for f in chosen)
                over.append(
                    f"{page.relative_to(site)}{what}: {weight / KB:.1f} KB > {budget // KB} "
                    f"({detail})"
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
        return {
            d["location"].split("/")[0] for d in docs if shown in d["text"] or quote in d["text"]
        }

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


def test_the_search_index_leaves_out_what_every_page_repeats_and_what_tables_list(
    site: Path,
) -> None:
    """What search finds is prose and quotes: not the provenance line every page opens with, not
    the tables of terms and levels (mostly "unknown"; each row is a page of its own), not the
    access log's copies of the model and evaluator pages, not sources' addresses and hashes. The
    provenance line holds a <span> and the theme's parser matches an excluded element by its tag
    name, so a leak of its tail (" on 2026-…") is looked for too."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    texts = {doc["location"]: doc["text"] for doc in docs}
    assert not [loc for loc, text in texts.items() if "readings stale" in text]
    assert not [loc for loc, text in texts.items() if text.startswith("<p> on ")]
    # an event's terms table, a model's release table, the lists of models and evaluators
    for phrase in ("Safety filters off?", "Frontier model at release", "Tested before release by"):
        assert not [loc for loc, text in texts.items() if phrase in text], phrase
    assert "evaluations/#sc_event-sources" not in texts
    assert "evaluations/#sc_evaluators" not in texts
    assert not [loc for loc in texts if loc.endswith(("#sc_models", "#sc_terms"))]
    # a quote's citation line (its source's title is found once, on the sources page), and an
    # evaluator page's copy of each event (found on the model's page)
    card = json.loads((site / "data" / "scorecard.json").read_text(encoding="utf-8"))
    evidence = [ev for lab in card["labs"] for a in lab["assessments"] for ev in a["evidence"]]
    citations = {html.escape(f"{ev['title']}, {ev['publisher']}", quote=False) for ev in evidence}
    assert citations, "the bundled data cites nothing"
    everything = " ".join(texts.values())
    assert "Original</p>" not in everything
    assert not [citation for citation in citations if citation in everything]
    # nor the line naming the source a relayed quote was read in (also on the sources page)
    assert any(ev.get("via") for ev in evidence), "the bundled data relays no quote"
    assert "not read in the source itself" not in everything
    assert not [loc for loc in texts if re.fullmatch(r"evaluators/[^/]+/#sc_\w+", loc)]
    source_titles = [source["title"] for source in card["sources"]]
    assert source_titles and all(
        html.escape(title, quote=False) in texts["sources/"] for title in source_titles
    )
    # (a source's note may give an address in its prose; the address line and the hash are out)
    assert not re.search(r"\b[0-9a-f]{64}\b", texts["sources/"])
    assert " · accessed " not in texts["sources/"] and "Last checked" not in texts["sources/"]
    # what stays findable: an event's note on its model's page, an evaluator's description
    assert card["labs"], "the bundled data has no labs"
    assert any("METR" in text for loc, text in texts.items() if loc.startswith("models/"))
    assert any(
        text for loc, text in texts.items() if loc.startswith("evaluators/") and "/#" not in loc
    )
