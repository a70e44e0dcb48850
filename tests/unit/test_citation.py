"""The citation's words: BibTeX that a real BibTeX parser reads back with its capitals, braces
balanced whatever the title holds, and the same facts in the plain text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.backends.plaintext import Backend
from pybtex.database import parse_string
from pybtex.style.formatting.unsrt import Style

from generator import citation
from generator.citation import CitationFacts

FACTS = CitationFacts(
    title="OpenAI: external evaluation scorecard",
    site="Frontier AI External Evaluation Scorecard",
    version="1.0",
    address="https://example.org/sc/editions/2026.12/labs/openai/",
    current="https://example.org/sc/labs/openai/",
    edition="2026.12",
    published=dt.date(2026, 12, 1),
    data_date=dt.date(2026, 11, 26),
    urldate=dt.date(2026, 11, 26),
    commit="0123456789ab",
    key="labs/openai/",
)


def rendered(entry: str) -> str:
    data = parse_string(entry, "bibtex")
    return next(Style().format_entries(data.entries.values())).text.render(Backend())


def fields(entry: str):
    (only,) = parse_string(entry, "bibtex").entries.values()
    return only.fields


@pytest.mark.parametrize(
    "title", ["OpenAI: external evaluation scorecard", "Google DeepMind: external evaluation"]
)
def test_pybtex_prints_lab_names_as_written(title: str) -> None:
    entry = citation.bibtex_entry(CitationFacts(**{**FACTS.__dict__, "title": title}))
    assert title in rendered(entry)
    # what the unprotected title used to give
    bare = entry.replace(f"{{{{{title}}}}}", f"{{{title}}}")
    assert title not in rendered(bare)


def test_an_edition_citation_has_every_field_and_the_current_page_second() -> None:
    entry = citation.bibtex_entry(FACTS)
    got = fields(entry)
    assert got["url"] == FACTS.address
    assert got["urldate"] == "2026-11-26"
    assert got["edition"] == "2026.12" and "edition 2026.12" in got["howpublished"]
    assert got["year"] == "2026" and got["month"] == "December"
    assert FACTS.current in got["note"]
    plain = citation.plain(FACTS)
    assert plain.index(FACTS.address) < plain.index(FACTS.current)
    for words in ("(2026)", "edition 2026.12", "methodology 1.0", "0123456789ab", "2026-11-26"):
        assert words in plain


def test_a_page_newer_than_the_edition_says_so_and_has_no_edition_field() -> None:
    facts = CitationFacts(
        **{
            **FACTS.__dict__,
            "address": FACTS.current,
            "current": None,
            "edition": None,
            "published": FACTS.data_date,
            "newer_than": "2026.12",
        }
    )
    got = fields(citation.bibtex_entry(facts))
    assert "edition" not in got and got["month"] == "November"
    assert "newer than the latest edition, 2026.12" in got["note"]
    assert "newer than the latest edition, 2026.12" in citation.plain(facts)


@settings(deadline=None, max_examples=60)
@given(st.text(min_size=1, max_size=40))
def test_any_title_gives_an_entry_bibtex_reads_back(title: str) -> None:
    entry = citation.bibtex_entry(CitationFacts(**{**FACTS.__dict__, "title": title}))
    got = fields(entry)
    assert got["url"] == FACTS.address and got["urldate"] == "2026-11-26"
