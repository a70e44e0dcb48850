"""Pages from the scored model: one view per page (generator/views.py), one jinja2 template per
page type, rendered to Markdown.

The output is plain Markdown with raw HTML blocks, so any MkDocs-compatible builder can read
it: headings are Markdown (they feed the table of contents and the page title), everything
else is HTML. A template receives its page's view as `v` and nothing else; autoescape is on for
every template, and the filters below are the only functions a template can call.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import escape, paths
from generator.kept import Kept
from generator.score import Scorecard
from generator.views import EditionRef, EditionRow, LabViews, PageViews, Provenance

TEMPLATES = Path(__file__).resolve().parent / "templates"


def heading_id(anchor: str, search: bool = True) -> Markup:
    """attr_list's `{#id}` after a Markdown heading. Ids are validated slugs, or the generator's
    own, which contain `_` so they never collide with a data id. `search=False` leaves the
    section out of the search index (text repeated on every page, or shown in full elsewhere)."""
    if not re.fullmatch(r"[a-z0-9_]+(-[a-z0-9_]+)*", anchor):
        raise ValueError(f"unsafe heading id {anchor!r}")
    return Markup("{#" + anchor + ("" if search else " data-search-exclude") + "}")


# Everything a template can call: escaping for its context, and the heading id above.
FILTERS: dict[str, Callable[..., Any]] = {
    "md": escape.markdown_inline,
    "heading_id": heading_id,
}


@functools.cache
def _environment() -> jinja2.Environment:
    """One environment per process, so each template is compiled once for all renderers."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # for .md templates too: data text lands in raw HTML blocks
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def markdown(view: Any) -> str:
    """A page's Markdown: its view through its template."""
    return _environment().get_template(view.template).render(v=view)


@dataclass(frozen=True)
class Page:
    url: str  # site URL of the page, e.g. 'labs/openai/'
    markdown: str

    @property
    def source(self) -> str:
        return paths.source_file(self.url)


class PageCache:
    """Rendered Markdown by view: a page whose view did not change is not rendered again
    (`scorecard serve` keeps one across rebuilds)."""

    def __init__(self) -> None:
        self._pages: Kept[Any, str] = Kept()
        self.lab_views = LabViews()  # and the lab views, which take longest to make
        self.last_rendered = 0  # pages rendered between the last two `forget_unused`

    def markdown(self, view: Any) -> str:
        return self._pages.get(view, lambda: markdown(view))

    def forget_unused(self) -> None:
        """Keep only the pages asked for since the last call (one build's pages)."""
        self.last_rendered = self._pages.forget_unused()
        self.lab_views.forget_unused()


class Renderer:
    """Renders every page of one scorecard, as the current site or as an edition."""

    def __init__(
        self,
        card: Scorecard,
        provenance: Provenance,
        *,
        edition: EditionRef | None = None,
        latest: EditionRef | None = None,
        current_urls: frozenset[str] = frozenset(),
        cache: PageCache | None = None,
    ) -> None:
        self.views = PageViews(
            card,
            provenance,
            edition=edition,
            latest=latest,
            current_urls=current_urls,
            lab_views=cache.lab_views if cache else None,
        )
        self.cache = cache

    def render(self, view: Any) -> Page:
        if self.cache is None:  # one build: nothing is kept
            return Page(view.url, markdown(view))
        return Page(view.url, self.cache.markdown(view))

    def pages(self, schema_kinds: tuple[str, ...]) -> Iterator[Page]:
        views = self.views
        yield self.render(views.leaderboard())
        for lab_score in views.card.labs:
            yield self.render(views.lab(lab_score))
        for criterion in views.rubric.criteria:
            yield self.render(views.criterion(criterion.id))
        yield self.render(views.compare())
        yield self.render(views.evaluations())
        yield self.render(views.models_page())
        for lab in views.card.dataset.labs:
            for model in lab.models:
                yield self.render(views.model_page(lab, model))
        yield self.render(views.evaluators_page())
        for evaluator in views.card.dataset.evaluators:
            yield self.render(views.evaluator_page(evaluator))
        yield self.render(views.methodology())
        yield self.render(views.explore())
        yield self.render(views.sources_page())
        yield self.render(views.downloads(schema_kinds))
        if views.edition is None:  # one list of corrections, kept current
            yield self.render(views.corrections_page())

    def editions_page(
        self, editions: list[EditionRow], notes: tuple[str, ...], has_feed: bool
    ) -> Page:
        return self.render(self.views.editions_page(editions, notes, has_feed))

    def fingerprints(self) -> dict[str, str]:
        return self.views.fingerprints()
