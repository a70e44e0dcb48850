"""The one place that knows the site's paths (SPEC 7): where each page's Markdown goes, the URL
it gets, and the relative link from one page to another."""

from __future__ import annotations

import functools
import posixpath

HOME = ""
COMPARE = "compare/"
EVALUATIONS = "evaluations/"
METHODOLOGY = "methodology/"
SOURCES = "sources/"
DOWNLOADS = "downloads/"
EDITIONS = "editions/"
CONTRIBUTING = "contributing/"  # a hand-written page (docs/contributing.md)
LICENCE = "licence/"  # a hand-written page (docs/licence.md)
FEED_ATOM = "feed.xml"
FEED_JSON = "feed.json"
EXPLORE = "explore/"
MODELS = "models/"
EVALUATORS = "evaluators/"
CORRECTIONS = "corrections/"
SCORECARD_JSON = "data/scorecard.json"
SCORES_CSV = "data/scores.csv"
MODELS_JSON = "data/models.json"
MODELS_CSV = "data/models.csv"
EVENTS_JSON = "data/events.json"
EVENTS_CSV = "data/events.csv"
ASSETS = "assets/"


def lab(slug: str) -> str:
    return f"labs/{slug}/"


def criterion(criterion_id: str) -> str:
    return f"criteria/{criterion_id}/"


def model(lab_slug: str, model_id: str) -> str:
    return f"{MODELS}{lab_slug}/{model_id}/"


def evaluator(evaluator_id: str) -> str:
    return f"{EVALUATORS}{evaluator_id}/"


def schema(kind: str) -> str:
    return f"schema/{kind}.schema.json"


def source_file(page_url: str) -> str:
    """The Markdown file (relative to docs/) that mkdocs turns into `page_url`."""
    if page_url == HOME:
        return "index.md"
    return page_url.rstrip("/") + ".md"


def relative(from_page: str, to: str) -> str:
    """A link from the page at URL `from_page` (a directory URL such as 'labs/x/') to `to`
    (a page URL, a file path, optionally with '#anchor'), relative so the site works under any
    base path and from the file system."""
    if to.startswith("#"):
        return to
    target, _, anchor = to.partition("#")
    base = from_page if from_page.endswith("/") or from_page == "" else posixpath.dirname(from_page)
    return _relative_path(base, target) + (f"#{anchor}" if anchor else "")


@functools.lru_cache(maxsize=65536)
def _relative_path(base: str, target: str) -> str:
    """Cached: a page links to the same few targets many times (every evidence item links to the
    sources page), and posixpath.relpath asks the operating system for the working directory on
    every call."""
    rel = posixpath.relpath(target or ".", base or ".")
    if rel == ".":
        return "./"
    if target.endswith("/") or target == "":
        return rel + "/"
    return rel


class SitePaths:
    """The same paths under a prefix: the current site has none, an edition lives under
    'editions/<name>/'. Templates use this, so one template renders both."""

    def __init__(self, prefix: str = "") -> None:
        if prefix and not prefix.endswith("/"):
            raise ValueError(f"prefix must end with '/': {prefix!r}")
        self.prefix = prefix
        self.HOME = prefix + HOME
        self.COMPARE = prefix + COMPARE
        self.EVALUATIONS = prefix + EVALUATIONS
        self.METHODOLOGY = prefix + METHODOLOGY
        self.SOURCES = prefix + SOURCES
        self.DOWNLOADS = prefix + DOWNLOADS
        self.EXPLORE = prefix + EXPLORE
        self.MODELS = prefix + MODELS
        self.EVALUATORS = prefix + EVALUATORS
        # One list of corrections, kept current: an edition's pages link to the live one.
        self.CORRECTIONS = CORRECTIONS
        self.SCORECARD_JSON = prefix + SCORECARD_JSON
        self.SCORES_CSV = prefix + SCORES_CSV
        self.MODELS_JSON = prefix + MODELS_JSON
        self.MODELS_CSV = prefix + MODELS_CSV
        self.EVENTS_JSON = prefix + EVENTS_JSON
        self.EVENTS_CSV = prefix + EVENTS_CSV

    def lab(self, slug: str) -> str:
        return self.prefix + lab(slug)

    def criterion(self, criterion_id: str) -> str:
        return self.prefix + criterion(criterion_id)

    def schema(self, kind: str) -> str:
        return self.prefix + schema(kind)

    def model(self, lab_slug: str, model_id: str) -> str:
        return self.prefix + model(lab_slug, model_id)

    def evaluator(self, evaluator_id: str) -> str:
        return self.prefix + evaluator(evaluator_id)

    def unprefixed(self, url: str) -> str:
        """The current site's URL for a URL under this prefix."""
        return url[len(self.prefix) :] if url.startswith(self.prefix) else url


def edition(name: str) -> str:
    return f"{EDITIONS}{name}/"
