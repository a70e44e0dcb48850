"""The sources page and the JSON download show each source's last automated check."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest

from generator.render import Renderer
from generator.score import score_dataset
from generator.validate import validate_folder
from generator.views import Provenance
from tests.support import DATE, FIXTURES, REFERENCE, build_site

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
CHECKS = {
    "report-a": (
        "    checked: 2024-05-20\n"
        f"    sha256: {SHA}\n"
        "    check: {status: ok, archive: ok, quotes: missing, missing: 2}\n"
    ),
    "news-b": "    checked: 2024-05-21\n    check: {status: gone, archive: ok, quotes: found}\n",
}


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    folder = shutil.copytree(FIXTURES / "minimal", tmp_path_factory.mktemp("data") / "data")
    sources = folder / "sources.yaml"
    text = sources.read_text(encoding="utf-8")
    for url, fields in (("https://example.org/a", CHECKS["report-a"]),
                        ("https://news.example.org/b", CHECKS["news-b"])):  # fmt: skip
        old = f"    url: {url}\n"
        text = text.replace(old, old + fields, 1)
    # A third source, never checked and never archived.
    text += (
        "  - {id: plain, title: Plain, publisher: P, url: 'https://example.org/p',"
        " accessed: 2024-05-01, kind: news}\n"
    )
    sources.write_text(text, encoding="utf-8")
    lab = folder / "labs" / "lab-b.yaml"
    lab.write_text(
        lab.read_text(encoding="utf-8").replace(
            "evidence: [{source: news-b}]", "evidence: [{source: news-b}, {source: plain}]"
        ),
        encoding="utf-8",
    )
    return folder


@pytest.fixture(scope="module")
def sources_markdown(data) -> str:
    validation = validate_folder(data, latest=REFERENCE, reference=REFERENCE)
    assert validation.dataset is not None, [p.format() for p in validation.errors]
    card = score_dataset(validation.dataset, REFERENCE)
    renderer = Renderer(card, Provenance("0" * 40, None, "https://scorecard.test/"))
    return renderer.render(renderer.views.sources_page()).markdown


def entry(markdown: str, source_id: str) -> str:
    start = markdown.index(f'<li id="{source_id}">')
    return markdown[start : markdown.index("</li>", start)]


def test_a_checked_source_shows_the_date_the_outcome_and_the_hash(sources_markdown):
    text = entry(sources_markdown, "report-a")
    assert (
        '<p class="sc-check" data-search-exclude>Last checked 2024-05-20: the address answered; the archived copy '
        "answered; not every quote citing it was found."
    ) in text
    assert f'<code class="sc-hash">{SHA}</code>' in text


def test_a_source_whose_quotes_were_not_all_found_is_flagged(sources_markdown):
    text = entry(sources_markdown, "report-a")
    assert '<p class="sc-flag"><strong>Quote not found:</strong> the last check did not find 2' in (
        html.unescape(text)
    )
    assert "sc-flag" not in entry(sources_markdown, "news-b")


def test_a_gone_address_is_said_in_words(sources_markdown):
    text = entry(sources_markdown, "news-b")
    assert "Last checked 2024-05-21: the address no longer has the document;" in text
    assert "sc-hash" not in text


def test_a_source_never_checked_says_nothing_of_a_check_and_has_no_archived_copy(
    sources_markdown,
):
    text = entry(sources_markdown, "plain")
    assert "Last checked" not in text
    assert "no archived copy yet" in text
    assert "Archived copy</a>" in entry(sources_markdown, "report-a")


def test_the_built_site_and_its_json_carry_the_checks(data, tmp_path):
    site = build_site(data, tmp_path / "site", DATE)
    page = (site / "sources" / "index.html").read_text(encoding="utf-8")
    assert "Last checked 2024-05-20" in page
    assert "Quote not found:" in page
    document = json.loads((site / "data" / "scorecard.json").read_text(encoding="utf-8"))
    by_id = {source["id"]: source for source in document["sources"]}
    assert by_id["report-a"]["checked"] == "2024-05-20"
    assert by_id["report-a"]["sha256"] == SHA
    assert by_id["report-a"]["check"] == {
        "status": "ok",
        "archive": "ok",
        "quotes": "missing",
        "missing": 2,
    }
    assert by_id["plain"]["check"] is None


def test_sources_checked_on_the_meta_line_is_the_newest_check_or_reading(sources_markdown):
    # Every source was read by a person on 2024-05-01; the automated check last ran on
    # 2024-05-21 (news-b), so the sources were last checked then.
    assert 'sources checked <time datetime="2024-05-21">2024-05-21</time>' in sources_markdown
