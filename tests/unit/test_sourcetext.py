"""Reading a document's text and finding a quote in it (generator.sourcetext): no network."""

from __future__ import annotations

import pytest

from generator.sourcetext import (
    NEEDS_JAVASCRIPT,
    find_quote,
    nearest_passage,
    normalise,
    quote_parts,
    read_text,
)
from tests.sourceserver import pdf_document


def html_text(markup: str, content_type: str = "text/html; charset=utf-8"):
    text, reading = read_text(markup.encode("utf-8"), content_type)
    assert text is not None, reading
    return text


@pytest.mark.parametrize(
    ("written", "compared"),
    [
        ("\u201cQuoted\u201d and \u2018single\u2019", "\"Quoted\" and 'single'"),
        ("pre\u2011deployment \u2014 tested", "pre-deployment-tested"),
        ("two\u00a0weeks\n\t and  more", "two weeks and more"),
        ("\ufb01ne-tuning", "fine-tuning"),  # the "fi" ligature of a PDF
        ("wait\u2026", "wait..."),
        ("soft\u00adhyphen and zero\u200bwidth", "softhyphen and zerowidth"),
    ],
)
def test_normalising_sees_through_typography(written, compared):
    assert normalise(written) == compared


def test_a_quote_is_found_whatever_its_case_marks_and_dashes():
    text = html_text("<p>We \u201cAlways\u201d test \u2014 before release.</p>")
    assert find_quote('we "always" test - before release', text).found


def test_an_ellipsis_stands_for_omitted_words_in_order():
    text = html_text("<p>We gave the evaluator access, for two weeks, before release.</p>")
    assert quote_parts("We gave ... access [...] before release.") == [
        "we gave",
        "access",
        "before release.",
    ]
    assert find_quote("We gave ... before release.", text).found
    assert find_quote("We gave … before release.", text).found
    assert not find_quote("before release ... We gave", text).found


def test_scripts_styles_and_templates_are_not_text_but_inline_markup_is():
    text = html_text(
        "<html><head><title>Title words</title><style>p{}</style></head><body>"
        "<script>var quote = 'hidden words';</script><template>template words</template>"
        "<p>visible <b>bo</b>ld</p><div>next</div></body></html>"
    )
    assert text.pages == ("visible bold next",)


def test_a_page_with_scripts_and_almost_no_text_needs_javascript():
    _, reading = read_text(
        b"<html><script src=app.js></script><div id=root></div>"
        b"<noscript>Enable JavaScript to see this page.</noscript></html>",
        "text/html",
    )
    assert reading == NEEDS_JAVASCRIPT
    _, reading = read_text(b"<html><script></script><p>" + b"word " * 60 + b"</p>", "text/html")
    assert reading is None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<p>Caf\xe9</p>".encode("latin-1"), "text/html; charset=ISO-8859-1"),
        (b'<meta charset="windows-1252"><p>Caf\xe9</p>', "text/html"),
        ("<p>Café</p>".encode(), "text/html"),  # no charset: UTF-8
        (b"<p>Caf\xe9</p>", "text/html"),  # no charset and not UTF-8: windows-1252
        ("\ufeff<p>Café</p>".encode(), "text/html; charset=latin-1"),  # a BOM wins
    ],
)
def test_encodings_are_read_as_a_browser_reads_them(body, content_type):
    text, _ = read_text(body, content_type)
    assert text is not None and text.pages == ("Café",)


def test_an_html_document_without_a_content_type_is_recognised():
    text, _ = read_text(b"<!DOCTYPE html><p>hello</p>", None)
    assert text is not None and text.kind == "html"


def test_plain_text_is_read_and_other_types_are_not():
    text, _ = read_text(b"Plain  words.", "text/plain; charset=utf-8")
    assert text is not None and text.pages == ("Plain words.",)
    text, reading = read_text(b"\x89PNG...", "image/png")
    assert text is None
    assert reading == "a file of type image/png: only HTML, PDF and plain text are read"


def test_a_pdf_is_read_page_by_page_and_a_word_broken_at_a_line_end_is_joined():
    pdf = pdf_document([["First page."], ["Second page with an evalu-", "ation in it."]])
    text, reading = read_text(pdf, "application/octet-stream")
    assert reading is None and text is not None and text.kind == "pdf"
    assert len(text.pages) == 2
    match = find_quote("an evaluation in it", text)
    assert (match.found, match.page) == (True, 2)
    # A hyphenated compound broken at a line end is found as written, too.
    pdf = pdf_document([["a pre-", "deployment test"]])
    text, _ = read_text(pdf, "application/pdf")
    assert find_quote("a pre-deployment test", text).found


def test_a_damaged_pdf_is_unreadable_not_an_exception():
    text, reading = read_text(b"%PDF-1.4\nnot really a pdf", "application/pdf")
    assert text is None
    assert reading.startswith("the PDF could not be read")


def test_a_pdf_without_a_text_layer_is_unreadable():
    text, reading = read_text(pdf_document([[]]), "application/pdf")
    assert text is None
    assert reading == "the PDF has no text layer (a scan?)"


def test_the_nearest_passage_is_the_run_of_words_most_like_the_quote():
    words = " ".join(f"filler{i}" for i in range(3000))
    text = f"{words} We gave METR access to a near-final model for one week. {words}"
    passage, similarity = nearest_passage(
        "we gave metr access to the final model for two weeks.", text
    )
    assert passage == "We gave METR access to a near-final model for one week."
    assert 0.7 < similarity < 1


def test_a_missing_quote_reports_its_nearest_passage():
    text = html_text("<p>Intro.</p><p>Outside testers had the model for one week.</p>")
    match = find_quote("Outside testers had the model for two weeks.", text)
    assert not match.found
    assert match.nearest == "Outside testers had the model for one week."
    assert match.similarity is not None and match.similarity > 0.8
