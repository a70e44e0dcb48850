"""The post-build scanner (tests/scanner.py): it passes the sites we build and fails on every
kind of active content the theme does not put there itself."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from tests.scanner import (
    THEME_INLINE_SCRIPTS,
    scan_atom,
    scan_html,
    scan_json_feed,
    scan_search_index,
    scan_site,
    theme_scripts,
    url_scheme,
)
from tests.support import FIXTURES, ROOT, build_site

# --- real sites --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The bundled data carries dates up to its last edit; today's date admits all of them.
    today = dt.datetime.now(dt.UTC).date().isoformat()
    return build_site(ROOT / "data", tmp_path_factory.mktemp("bundled") / "site", today)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(FIXTURES / "hostile", tmp_path_factory.mktemp("hostile") / "site", "2024-06-01")


def test_the_site_built_from_the_bundled_data_is_clean(bundled_site):
    assert [str(f) for f in scan_site(bundled_site)] == []


def test_the_site_built_from_the_hostile_fixture_is_clean(hostile_site):
    assert [str(f) for f in scan_site(hostile_site)] == []


def test_the_scanner_reads_every_page_and_the_search_index(bundled_site, tmp_path):
    # A copy of the site with one bad element on one page, and one in the search index.
    pages = sorted(bundled_site.rglob("*.html"))
    assert len(pages) >= 10
    copy = tmp_path / "site"
    for path in [*pages, bundled_site / "search" / "search_index.json"]:
        target = copy / path.relative_to(bundled_site)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    lab = copy / "labs" / "openai" / "index.html"
    lab.write_text(lab.read_text().replace("</article>", "<img src=x onerror=alert(1)></article>"))
    index_path = copy / "search" / "search_index.json"
    index = json.loads(index_path.read_text())
    index["docs"][1]["text"] += "<script>alert(1)</script>"
    index_path.write_text(json.dumps(index))
    found = [str(f) for f in scan_site(copy)]
    assert any(f.startswith("labs/openai/index.html:") and "onerror" in f for f in found), found
    assert any(f.startswith("search/search_index.json#docs/1/text") for f in found), found


def test_every_theme_inline_script_is_on_the_built_pages(hostile_site):
    """The allow-list holds only scripts the theme really emits (none left over)."""
    page = (hostile_site / "labs" / "lab-a" / "index.html").read_text()
    for script in theme_scripts("../.."):
        assert f"<script>{script}</script>" in page


# --- what the scanner finds --------------------------------------------------------------------

HEAD = '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>'

FOUND = {
    "an inline script": "<script>alert(1)</script>",
    "a script with a type": '<script type="text/javascript">alert(1)</script>',
    "a module script": '<script type="module">alert(1)</script>',
    "a script from another host": '<script src="https://cdn.example/x.js"></script>',
    "a script from an unknown file": '<script src="../assets/javascripts/x.js"></script>',
    "a known script with extra attributes": (
        '<script src="../assets/javascripts/charts.js" onload="alert(1)"></script>'
    ),
    "json-ld that closes early": (
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>'
    ),
    "json-ld that is not json": '<script type="application/ld+json">alert(1)</script>',
    "an event handler": "<img src=x onerror=alert(1)>",
    "an upper-case event handler": '<div ONMOUSEOVER="alert(1)">x</div>',
    "a style attribute": '<p style="background:url(x)">x</p>',
    "a style element": "<style>body{display:none}</style>",
    "an iframe": '<iframe src="https://example.org"></iframe>',
    "an object": '<object data="x.swf"></object>',
    "an embed": '<embed src="x.swf">',
    "a base element": '<base href="https://evil.example/">',
    "a refresh meta tag": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "a javascript link": '<a href="javascript:alert(1)">x</a>',
    "a javascript link in capitals": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "a javascript link behind whitespace": '<a href=" \tjavascript:alert(1)">x</a>',
    "a javascript link split by a tab": '<a href="java\tscript:alert(1)">x</a>',
    "a javascript link written with entities": ('<a href="&#106;avascript&#x3A;alert(1)">x</a>'),
    "a data url image": '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    "a vbscript link": '<a href="vbscript:msgbox(1)">x</a>',
    "a file link": '<a href="file:///etc/passwd">x</a>',
    "a form posting to javascript": '<form action="javascript:alert(1)"></form>',
    "an svg link": '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "a javascript url in a srcset": '<img srcset="x.png 1x, javascript:alert(1) 2x">',
    "an srcdoc frame": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "a link in chart text": (
        '<div class="sc-chart" data-figure="{&#34;data&#34;: [{&#34;y&#34;: '
        "[&#34;<a href='https://evil.example'>x</a>&#34;]}]}\"></div>"
    ),
    "bold markup in chart text": (
        '<div class="sc-chart" data-figure="{&#34;data&#34;: [{&#34;name&#34;: '
        '&#34;<b>x</b>&#34;}]}"></div>'
    ),
    "chart json that does not parse": '<div data-figure="{not json"></div>',
    "a script that is never closed": "<script>alert(1)",
}


@pytest.mark.parametrize("markup", FOUND.values(), ids=FOUND.keys())
def test_the_scanner_finds(markup):
    found = scan_html(f"<html><head>{HEAD}</head><body>{markup}</body></html>", "page.html")
    assert found, markup


PASSED = {
    "the theme's bundle": HEAD,
    "our chart script": '<script src="../../assets/javascripts/charts.js"></script>',
    "the 404 page's absolute script path": '<script src="/assets/javascripts/charts.js"></script>',
    "json-ld with escaped markup": (
        '<script type="application/ld+json">{"name": "\\u003cscript\\u003e"}</script>'
    ),
    "the theme's configuration": (
        '<script id="__config" type="application/json">{"base": ".."}</script>'
    ),
    "the theme's scope script": f"<script>{THEME_INLINE_SCRIPTS[0].format(root='../..')}</script>",
    "the theme's scope script at the root": (
        f"<script>{THEME_INLINE_SCRIPTS[0].format(root='.')}</script>"
    ),
    "an https link": '<a href="https://example.org/a?b=1&amp;c=2">x</a>',
    "an http link": '<a href="http://example.org/">x</a>',
    "a relative link": '<a href="../sources/#report-a">x</a>',
    "a fragment link": '<a href="#pre-deployment">x</a>',
    "a link whose path holds a colon": '<a href="./a:b">x</a>',
    "escaped markup as text": "<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p>",
    "a chart with our hover template": (
        '<div class="sc-chart" data-figure="{&#34;data&#34;: [{&#34;hovertemplate&#34;: '
        '&#34;%{y}<br>%{x}<extra></extra>&#34;, &#34;y&#34;: [&#34;&amp;lt;b&amp;gt;&#34;]}]}">'
        "</div>"
    ),
    "svg icons": '<svg xmlns="http://www.w3.org/2000/svg"><path d="M1 1"/></svg>',
}


@pytest.mark.parametrize("markup", PASSED.values(), ids=PASSED.keys())
def test_the_scanner_passes(markup):
    assert scan_html(f"<html><head></head><body>{markup}</body></html>", "page.html") == []


def test_a_script_tag_in_search_index_text_is_found_even_when_allowed_on_pages():
    index = {"docs": [{"location": "x/", "title": "t", "text": HEAD}]}
    assert scan_search_index(json.dumps(index), "search_index.json")


def test_a_javascript_location_in_the_search_index_is_found():
    index = {"docs": [{"location": "javascript:alert(1)", "title": "t", "text": ""}]}
    assert scan_search_index(json.dumps(index), "search_index.json")


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://example.org", "https"),
        ("../x/", None),
        ("#a", None),
        ("  JAVASCRIPT:alert(1)", "javascript"),
        ("java\nscript:x", "javascript"),
        ("\x01javascript:x", "javascript"),
        ("mailto:a@example.org", "mailto"),
    ],
)
def test_url_schemes_are_read_as_a_browser_reads_them(url, scheme):
    assert url_scheme(url) == scheme


# --- feeds ---------------------------------------------------------------------------------------

ATOM = '<feed xmlns="http://www.w3.org/2005/Atom"><entry>{}</entry></feed>'


def test_an_atom_feed_that_is_not_well_formed_is_found():
    assert scan_atom(ATOM.format("<title>a \x1b b</title>"), "feed.xml")


def test_active_markup_in_atom_content_is_found():
    content = '<content type="html">&lt;img src=x onerror=alert(1)&gt;</content>'
    assert scan_atom(ATOM.format(content), "feed.xml")


def test_escaped_markup_in_atom_content_passes():
    content = '<content type="html">&lt;p&gt;&amp;lt;script&amp;gt;&lt;/p&gt;</content>'
    assert scan_atom(ATOM.format(content), "feed.xml") == []


def test_a_javascript_link_in_a_json_feed_is_found():
    feed = {"items": [{"url": "javascript:alert(1)", "content_html": "<p>x</p>"}]}
    assert scan_json_feed(json.dumps(feed), "feed.json")
    feed = {"items": [{"url": "/labs/a/", "content_html": "<script>alert(1)</script>"}]}
    assert scan_json_feed(json.dumps(feed), "feed.json")
