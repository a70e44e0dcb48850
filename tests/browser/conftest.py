"""Real-browser tests: Debian's Chromium driven by Playwright against fixture sites on 127.0.0.1.

Once per test session (per xdist worker), two sites are built and served by one HTTP server on
127.0.0.1 at a free port, each under its own path, as the published site is under its site URL:

    /data/     the bundled data/ (real text, real widths)
    /fixture/  tests/fixtures/minimal (not-applicable, no-disclosure, history, stale)

Each is built with `site_url` set to where it is served, as the published site is: the theme's
instant navigation only takes over links found in sitemap.xml, which needs the site URL.

Playwright never downloads a browser here: it launches /usr/bin/chromium (Debian's `chromium`
package, which .ci/run installs). Without it the tests are skipped on a developer's machine and
fail in CI (CI=true), so a green CI run always means the browser tests ran.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from sitebuild import FIXTURES, ROOT, build

CHROMIUM = Path("/usr/bin/chromium")
# What Chromium needs here besides headless mode (which Playwright adds): no sandbox as root, no
# GPU, and none of its own background traffic (update checks, sync, QUIC probes), which a closed
# network answers with a flood of errors. Playwright gives each launch a fresh profile.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A reference date after every date in data/, so the bundled data always validates.
DATA_DATE = "2099-12-31"
FIXTURE_DATE = "2024-06-01"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Site:
    name: str
    root: Path  # the built site on disk
    base: str  # where it is served, ending with '/'

    def url(self, path: str) -> str:
        return self.base + path

    @property
    def origin(self) -> str:
        parts = urlsplit(self.base)
        return f"{parts.scheme}://{parts.netloc}"

    def page_kinds(self) -> dict[str, str]:
        """One page of each kind the site has: kind -> page path. A page's kind is the first
        part of its URL ('labs', 'criteria', ...); the home page is 'home', 404.html is '404'."""
        kinds: dict[str, str] = {}
        for html in sorted(self.root.rglob("*.html")):
            rel = html.relative_to(self.root).as_posix()
            if rel == "index.html":
                kind, path = "home", ""
            elif rel == "404.html":
                kind, path = "404", rel
            else:
                kind, path = rel.split("/")[0], rel.removesuffix("index.html")
            kinds.setdefault(kind, path)
        return kinds


def _config_with_site_url(folder: Path, site_url: str) -> Path:
    """The project's mkdocs.yml with `site_url` set and docs_dir made absolute."""
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    config["site_url"] = site_url
    config["docs_dir"] = str(ROOT / config.get("docs_dir", "docs"))
    folder.mkdir(parents=True)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    """Both sites, built and served; the server stops at the end of the session."""
    top = tmp_path_factory.mktemp("browser")
    public = top / "public"
    public.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(public))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    origin = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        sites = {}
        for name, data, date in (
            ("data", ROOT / "data", DATA_DATE),
            ("fixture", FIXTURES / "minimal", FIXTURE_DATE),
        ):
            base = f"{origin}{name}/"
            config = _config_with_site_url(top / "config" / name, base)
            build(data, public / name, date, config=config)
            sites[name] = Site(name, public / name, base)
        yield sites
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium for the session (per xdist worker); each test opens its own context."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install Debian's chromium package (.ci/run does)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + "; CI=true, so the browser tests must run", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class Tab:
    """A page in a fresh browser context, with what it did recorded: every request, every
    console error and uncaught exception. Requests to any host but the site's own are blocked
    (and recorded), so a test can never reach the network."""

    page: object
    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, url: str) -> object:
        return self.page.goto(url, wait_until="load")

    def wait_for_charts(self, timeout: float = 15_000) -> int:
        """Wait until every chart on the page is drawn; returns how many there are."""
        self.page.wait_for_function(
            """() => [...document.querySelectorAll('.sc-chart[data-figure]')]
                   .every(el => el.getAttribute('data-drawn') && el.querySelector('.main-svg'))""",
            timeout=timeout,
        )
        return self.page.locator(".sc-chart[data-figure]").count()


@pytest.fixture
def open_tab(browser: object, served: dict[str, Site]) -> Iterator[object]:
    """open_tab(site, viewport, color_scheme='light') -> Tab. Contexts close after the test."""
    contexts = []

    def open_(site: Site, viewport: dict[str, int], color_scheme: str = "light") -> Tab:
        context = browser.new_context(viewport=viewport, color_scheme=color_scheme)
        contexts.append(context)
        page = context.new_page()
        tab = Tab(page, site.origin)

        def route(route: object) -> None:
            url = route.request.url
            if url.startswith(site.origin + "/") or url.startswith("data:"):
                route.continue_()
            else:
                tab.foreign.append(url)
                route.abort()

        context.route("**/*", route)
        page.on("request", lambda request: tab.requests.append(request.url))
        page.on(
            "console",
            lambda message: (
                tab.errors.append(f"console: {message.text}") if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: tab.errors.append(f"uncaught: {error}"))
        return tab

    yield open_
    for context in contexts:
        context.close()
