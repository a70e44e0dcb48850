"""The text of a fetched document, and whether a quote is in it. No network here.

HTML is read with the standard library's parser (what a reader sees: no scripts, styles or
templates), PDF with pypdf page by page, plain text as it is. Text and quotes are compared
normalised: compatibility forms (ligatures, non-breaking spaces, `…`), one kind of quote mark
and of dash, whitespace collapsed, case ignored; `...` in a quote stands for omitted words.
When a quote is not there, `nearest_passage` finds the run of words most like it (difflib).
"""

from __future__ import annotations

import difflib
import email.message
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser

import pypdf

MAX_PDF_PAGES = 3000


def _flat(error: object) -> str:
    text = str(error).strip() or type(error).__name__
    return " ".join(text.split())[:200]


@dataclass(frozen=True)
class Text:
    """A document's text, normalised for matching (case kept, for showing passages).

    `variants`: the pages as read, then (for a PDF) with words broken at line ends joined, so
    a quote is found in either."""

    kind: str  # "html" | "pdf" | "text"
    variants: tuple[tuple[str, ...], ...]

    @property
    def pages(self) -> tuple[str, ...]:
        return self.variants[0]


_BLOCK_TAGS = frozenset(
    (
        *("address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div"),
        *("dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary"),
        *("table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"),
    )
)
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "title", "svg"})
# A page with scripts and fewer words than this shows its text only with JavaScript.
_JS_PAGE_WORDS = 50
NEEDS_JAVASCRIPT = "the page shows its text only with JavaScript"


class _HTMLText(HTMLParser):
    """The text a reader sees: no scripts, styles or templates; blocks apart, inline joined."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "script":
            self.scripts += 1
        if tag in _HIDDEN_TAGS:
            self.hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def read_text(body: bytes, content_type: str | None) -> tuple[Text | None, str | None]:
    """The text of a document, or None and why it cannot be read."""
    header = email.message.Message()
    if content_type:
        header["Content-Type"] = content_type
    kind = header.get_content_type() if content_type else ""
    start = body[:1024].lstrip().lower()
    if kind == "application/pdf" or body.startswith(b"%PDF-"):
        return _pdf_text(body)
    charset = header.get_content_charset() if content_type else None
    if kind in ("text/html", "application/xhtml+xml") or (
        kind in ("", "application/octet-stream")
        and (start.startswith(b"<!doctype html") or start.startswith(b"<html"))
    ):
        parser = _HTMLText()
        try:
            parser.feed(_decode(body, charset or _meta_charset(body)))
            parser.close()
        except (AssertionError, ValueError) as error:  # html.parser gives up on very bad markup
            return None, f"the HTML could not be read: {_flat(error)}"
        text = normalise("".join(parser.parts))
        if parser.scripts and len(text.split()) < _JS_PAGE_WORDS:
            return Text("html", ((text,),)), NEEDS_JAVASCRIPT
        return Text("html", ((text,),)), None
    if kind == "text/plain":
        return Text("text", ((normalise(_decode(body, charset)),),)), None
    shown = f"a file of type {kind}" if kind else "a file of unknown type"
    return None, f"{shown}: only HTML, PDF and plain text are read"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.I)
# Browsers read these labels as windows-1252 (WHATWG Encoding), which Latin-1 pages rely on.
_AS_WINDOWS_1252 = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"})


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def _decode(body: bytes, charset: str | None) -> str:
    if body.startswith(b"\xef\xbb\xbf"):
        return body[3:].decode("utf-8", "replace")
    label = (charset or "").strip().lower()
    if label in _AS_WINDOWS_1252:
        label = "cp1252"
    if label:
        try:
            return body.decode(label, "replace")
        except LookupError:
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", "replace")


_LINE_END_HYPHEN = re.compile(r"(\w)-[ \t]*\r?\n\s*(\w)")


def _pdf_text(body: bytes) -> tuple[Text | None, str | None]:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are about the file's form
    try:
        reader = pypdf.PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            reader.decrypt("")
        raw = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
    except Exception as error:  # pypdf raises many kinds on a damaged file
        return None, f"the PDF could not be read: {_flat(error)}"
    pages = tuple(normalise(page) for page in raw)
    joined = tuple(normalise(_LINE_END_HYPHEN.sub(r"\1\2", page)) for page in raw)
    if not any(pages):
        return None, "the PDF has no text layer (a scan?)"
    return Text("pdf", (pages, joined)), None


# --- Matching quotes -----------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SAME = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc\u00b4\u2039\u203a", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63", "-"),
    }
)
_SPACE = re.compile(r"\s+")
_SPACED_DASH = re.compile(r" ?- ?")
_OMISSION = re.compile(r"\s*(?:\[\s*\.\s*\.\s*\.\s*\]|\.\s*\.\s*\.)\s*")


def normalise(text: str) -> str:
    """Text as compared: compatibility forms (ligatures, non-breaking spaces, `…`), one kind
    of quote mark and of dash, spaces around dashes dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_SAME)
    return _SPACED_DASH.sub("-", _SPACE.sub(" ", text)).strip()


@dataclass(frozen=True)
class Match:
    found: bool
    page: int | None = None  # 1-based page of a PDF where the quote starts
    nearest: str | None = None  # the passage most like the quote, when it was not found
    similarity: float | None = None  # 0..1


def quote_parts(quote: str) -> list[str]:
    """The quote's words as compared, split where `...` marks an omission."""
    return [part for part in _OMISSION.split(normalise(quote).casefold()) if part.strip()]


def find_quote(quote: str, text: Text) -> Match:
    """Whether the quote is in the text (its parts in order, when it has omissions); if not,
    the nearest passage."""
    parts = quote_parts(quote)
    if not parts:
        return Match(True)
    for pages in text.variants:
        folded = [page.casefold() for page in pages]
        joined = " ".join(folded)
        start = _find_parts(parts, joined)
        if start is not None:
            page = None
            if text.kind == "pdf":
                offset = 0
                for number, content in enumerate(folded, 1):
                    if start < offset + len(content) + 1:
                        page = number
                        break
                    offset += len(content) + 1
            return Match(True, page)
    nearest, similarity = nearest_passage(" ".join(parts), " ".join(text.pages))
    return Match(False, None, nearest, similarity)


def _find_parts(parts: list[str], text: str) -> int | None:
    start = text.find(parts[0])
    if start < 0:
        return None
    position = start + len(parts[0])
    for part in parts[1:]:
        found = text.find(part, position)
        if found < 0:
            return None
        position = found + len(part)
    return start


def nearest_passage(quote: str, text: str) -> tuple[str | None, float | None]:
    """The run of words in `text` most like `quote` (as long as the quote), and how alike they
    are (difflib's ratio, 0 to 1). Windows are tried a few words apart, then word by word
    around the best, with difflib's cheap upper bounds skipping hopeless ones."""
    words = text.split(" ")
    folded = [word.casefold() for word in words]
    size = len(quote.split(" "))
    if not text or not size:
        return None, None
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote)
    best = (-1.0, 0)

    def consider(i: int) -> None:
        nonlocal best
        matcher.set_seq1(" ".join(folded[i : i + size]))
        if matcher.real_quick_ratio() <= best[0] or matcher.quick_ratio() <= best[0]:
            return
        ratio = matcher.ratio()
        if ratio > best[0]:
            best = (ratio, i)

    last = max(0, len(words) - size)
    step = max(1, size // 4)
    for i in range(0, last + 1, step):
        consider(i)
    around = best[1]
    for i in range(max(0, around - step), min(last, around + step) + 1):
        consider(i)
    ratio, i = best
    return " ".join(words[i : i + size]), round(max(ratio, 0.0), 3)
