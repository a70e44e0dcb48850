"""The post-build scanner: finds anything in a built site that could run code or send a reader
somewhere unexpected, other than what the theme and our templates put there on purpose.

It reads every HTML page, the search index (the theme shows search results as HTML) and the
change feeds (readers show their content as HTML), and reports scripts, event-handler
attributes, `style` (element or attribute), frames, objects and other active elements, and URLs
whose scheme is not http(s). It also reads the JSON of every chart (`data-figure`), which
plotly renders with its own small HTML dialect, and requires the Atom feed to be well-formed.

What is allowed, and why (everything else is a finding):
- `<script src>` or `<script defer src>` for exactly the theme's bundle
  (`assets/javascripts/bundle.<hash>.min.js`), our chart drawer (`assets/javascripts/charts.js`)
  and the search index's gate (`assets/javascripts/search-on-open.js`); plotly.js is loaded by
  charts.js, not by a tag. Nothing else may be loaded.
- The theme's inline scripts, by their exact text (`THEME_INLINE_SCRIPTS`): the `__md_scope`
  storage helpers (whose only variable part is the relative path to the site root), the colour
  palette restorer and the content-tabs anchor fix. A theme upgrade that changes them fails
  here on purpose: read the new script, then update the list.
- `<script id="__config" type="application/json">`: the theme's configuration, JSON that the
  theme parses (never executes); it must parse and hold no `<`.
- `<script type="application/ld+json">`: our citation metadata, JSON with `<`, `>` and `&` as
  `\\u` escapes (escape.json_script); it must parse and hold no `<`.
- In chart JSON, plotly's `<br>` and `<extra>` in our own hover templates.

Use `scan_site(root)` in tests; each finding names the file, the line and what was found.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

# Elements that load or run something, restyle the page, or change where links go.
FORBIDDEN_TAGS = frozenset(
    {
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "style",
        "portal",
        "foreignobject",
        "animate",
        "set",
        "handler",
        "listener",
    }
)
# Attributes whose value is fetched or followed as a URL.
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "data",
        "poster",
        "cite",
        "background",
        "longdesc",
        "ping",
        "manifest",
        "icon",
        "lowsrc",
        "dynsrc",
        "codebase",
        "xlink:href",
        "srcset",
        "imagesrcset",
    }
)
SAFE_SCHEMES = frozenset({"http", "https"})

ALLOWED_SCRIPT_SRC = re.compile(
    r"(?:/|(?:\.\./)*)assets/javascripts/(?:bundle\.[0-9a-f]{8}\.min\.js|charts\.js|search-on-open\.js)"
)
# Exact text of the theme's inline scripts (mkdocs-material 9.8); `{root}` is the page's
# relative path to the site root, the only part that differs between pages.
THEME_INLINE_SCRIPTS = (
    '__md_scope=new URL("{root}",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+'
    "_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem("
    't.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{{try{{t.setItem('
    'a.pathname+"."+e,JSON.stringify(_))}}catch(e){{}}}}',
    'var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"'
    '===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input='
    "document.querySelector(media.matches?\"[data-md-color-media='(prefers-color-scheme: "
    "light)']\":\"[data-md-color-media='(prefers-color-scheme: dark)']\");palette.color.media="
    'input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute('
    '"data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary")'
    ',palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of '
    'Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}',
    "var target=document.getElementById(location.hash.slice(1));target&&target.name&&"
    '(target.checked=target.name.startsWith("__tabbed_"))',
)
_ROOT_IN_SCOPE = re.compile(r'^__md_scope=new URL\("((?:\.\./)*\.\.|\.|/)",location\)')
# plotly's text dialect: only these tags, from our own hover templates, may appear in a figure.
ALLOWED_FIGURE_TAGS = frozenset({"<br>", "<extra>", "</extra>"})
_FIGURE_TAG = re.compile(r"<[^<>]*>")
# Browsers drop ASCII whitespace and C0 controls around a URL and tabs/newlines inside it.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def url_scheme(value: str) -> str | None:
    """The scheme a browser would read from an attribute value (lowercase), or None when the
    URL is relative."""
    cleaned = _URL_IGNORED.sub("", value)
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else None


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]


class _PageScanner(HTMLParser):
    def __init__(self, path: str, *, fragment: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.fragment = fragment  # search-index text: no script of any kind is allowed
        self.findings: list[Finding] = []
        self._script: tuple[dict[str, str | None], int] | None = None
        self._script_text: list[str] = []

    def _find(self, what: str) -> None:
        self.findings.append(Finding(self.path, self.getpos()[0], what))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag == "script":
            self._script = (dict(attrs), self.getpos()[0])
            self._script_text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag == "script":
            self._check_script(dict(attrs), "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            attrs, _line = self._script
            self._check_script(attrs, "".join(self._script_text))
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self._find(f"<{tag}> element")
        if tag == "meta":
            http_equiv = (dict(attrs).get("http-equiv") or "").lower()
            if http_equiv in ("refresh", "set-cookie", "content-security-policy"):
                self._find(f'<meta http-equiv="{http_equiv}">')
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self._find(f"event handler {name}= on <{tag}>")
            elif name == "style":
                self._find(f"style= attribute on <{tag}>")
            elif name == "srcdoc":
                self._find(f"srcdoc= attribute on <{tag}>")
            elif name in URL_ATTRIBUTES:
                urls = _srcset_urls(value) if name.endswith("srcset") else [value]
                for url in urls:
                    scheme = url_scheme(url)
                    if scheme is not None and scheme not in SAFE_SCHEMES:
                        self._find(f"{scheme}: URL in {name}= on <{tag}>: {value[:80]!r}")
            elif name == "data-figure":
                self._check_figure(value)

    def _check_script(self, attrs: dict[str, str | None], text: str) -> None:
        if self.fragment:
            self._find("<script> element in search-index text")
            return
        src = attrs.get("src")
        kind = attrs.get("type")
        if src is not None:
            if set(attrs) - {"defer"} != {"src"} or not ALLOWED_SCRIPT_SRC.fullmatch(src):
                self._find(f"<script> loading {src!r} with {sorted(attrs)}")
            elif text.strip():
                self._find("<script src> with inline text")
        elif kind == "application/ld+json" and set(attrs) == {"type"}:
            self._check_json_script(text, "ld+json")
        elif kind == "application/json" and attrs == {"id": "__config", "type": kind}:
            self._check_json_script(text, "theme configuration")
        elif attrs:
            self._find(f"<script> with attributes {sorted(attrs)}")
        elif not _is_theme_script(text):
            self._find(f"inline <script>: {text[:80]!r}")

    def _check_json_script(self, text: str, what: str) -> None:
        if "<" in text:
            self._find(f"{what} script contains '<'")
        try:
            json.loads(text)
        except ValueError:
            self._find(f"{what} script is not JSON")

    def _check_figure(self, value: str) -> None:
        try:
            figure = json.loads(value)
        except ValueError:
            self._find("data-figure is not JSON")
            return
        for text in _strings(figure):
            for tag in _FIGURE_TAG.findall(text):
                if tag not in ALLOWED_FIGURE_TAGS:
                    self._find(f"markup {tag[:60]!r} in chart text")


def theme_scripts(root: str) -> set[str]:
    """The theme's inline scripts on a page whose relative path to the site root is `root`."""
    return {
        script.format(root=root) if "{root}" in script else script
        for script in THEME_INLINE_SCRIPTS
    }


def _is_theme_script(text: str) -> bool:
    match = _ROOT_IN_SCOPE.match(text)
    return text in theme_scripts(match.group(1) if match else "")


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def scan_html(text: str, path: str = "<html>", *, fragment: bool = False) -> list[Finding]:
    scanner = _PageScanner(path, fragment=fragment)
    scanner.feed(text)
    scanner.close()
    if scanner._script is not None:
        scanner._find("<script> element that is never closed")
    return scanner.findings


def scan_search_index(text: str, path: str) -> list[Finding]:
    """The theme renders each search result's title and text as HTML."""
    findings: list[Finding] = []
    for i, doc in enumerate(json.loads(text).get("docs", [])):
        for key in ("title", "text"):
            for finding in scan_html(doc.get(key, ""), f"{path}#docs/{i}/{key}", fragment=True):
                findings.append(finding)
        scheme = url_scheme(doc.get("location", ""))
        if scheme is not None and scheme not in SAFE_SCHEMES:
            findings.append(Finding(f"{path}#docs/{i}/location", 1, f"{scheme}: location"))
    return findings


def _scan_url(value: str, where: str) -> list[Finding]:
    scheme = url_scheme(value)
    if scheme is not None and scheme not in SAFE_SCHEMES:
        return [Finding(where, 1, f"{scheme}: URL {value[:80]!r}")]
    return []


def scan_atom(text: str, path: str) -> list[Finding]:
    """An Atom feed: well-formed XML, HTML content without active elements, http(s) links."""
    try:
        feed = ET.fromstring(text)
    except ET.ParseError as error:
        return [Finding(path, error.position[0], f"not well-formed XML: {error}")]
    findings: list[Finding] = []
    for i, node in enumerate(feed.iter()):
        tag = node.tag.rsplit("}", 1)[-1]
        if tag == "content" and node.get("type") == "html":
            findings += scan_html(node.text or "", f"{path}#element-{i}", fragment=True)
        elif tag == "link":
            findings += _scan_url(node.get("href", ""), f"{path}#element-{i}")
    return findings


def scan_json_feed(text: str, path: str) -> list[Finding]:
    """A JSON Feed: HTML content without active elements, http(s) addresses."""
    feed = json.loads(text)
    findings = _scan_url(feed.get("home_page_url", ""), path)
    findings += _scan_url(feed.get("feed_url", ""), path)
    for i, item in enumerate(feed.get("items", [])):
        where = f"{path}#items/{i}"
        findings += scan_html(item.get("content_html", ""), where, fragment=True)
        findings += _scan_url(item.get("url", ""), where)
    return findings


def scan_site(root: Path) -> list[Finding]:
    """Every finding in the built site at `root`."""
    findings: list[Finding] = []
    for path in sorted(root.rglob("*")):
        shown = path.relative_to(root).as_posix()
        if path.suffix == ".html":
            findings += scan_html(path.read_text(encoding="utf-8"), shown)
        elif shown == "search/search_index.json":
            findings += scan_search_index(path.read_text(encoding="utf-8"), shown)
        elif shown == "feed.xml":
            findings += scan_atom(path.read_text(encoding="utf-8"), shown)
        elif shown == "feed.json":
            findings += scan_json_feed(path.read_text(encoding="utf-8"), shown)
    return findings
