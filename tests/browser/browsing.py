"""What the browser tests share: where Chromium is and how it starts, the viewports, the served
sites and an instrumented tab. (A module of its own, not conftest.py: test modules import these
names, and "conftest" in sys.modules is whichever conftest pytest loaded last.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

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
        """Scroll to each chart in turn (charts.js draws a chart only when it nears the
        viewport), wait until every chart on the page is drawn, and scroll back to the top;
        returns how many there are."""
        for chart in self.page.locator(".sc-chart[data-figure]").all():
            chart.scroll_into_view_if_needed()
        self.page.wait_for_function(
            """() => [...document.querySelectorAll('.sc-chart[data-figure]')]
                   .every(el => el.getAttribute('data-drawn') && el.querySelector('.main-svg'))""",
            timeout=timeout,
        )
        self.page.evaluate("window.scrollTo(0, 0)")
        return self.page.locator(".sc-chart[data-figure]").count()
