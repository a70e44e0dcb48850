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
from pathlib import Path

import pytest
import yaml

from tests.browser.browsing import CHROMIUM, DATA_DATE, FIXTURE_DATE, LAUNCH_ARGS, Site, Tab
from tests.support import FIXTURES, ROOT, build_site


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
            ("access-log", FIXTURES / "access-log", "2024-06-10"),
        ):
            base = f"{origin}{name}/"
            config = _config_with_site_url(top / "config" / name, base)
            build_site(data, public / name, date, config=config)
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
