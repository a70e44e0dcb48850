"""The one escaping module: contributor text made inert for every context it is written into.

Data text is plain text (SPEC 3). Each function here takes that text and returns something that,
in its target context, shows exactly the text and adds no element, attribute, link or script.
Templates call these through filters; nothing else builds markup from data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape

# Python-Markdown's backslash-escapable characters (its ESCAPED_CHARS). Only extensions that add
# no new syntax characters are enabled in mkdocs.yml (toc, attr_list), so this set is complete;
# `<`, `>`, `&` and quotes are HTML-escaped instead.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
_WHITESPACE = re.compile(r"\s+")


def one_line(text: str) -> str:
    """Collapse all whitespace (including line breaks) to single spaces.

    A line break in a data field must never start a heading, list, table or admonition."""
    return _WHITESPACE.sub(" ", text).strip()


def html(text: Any) -> Markup:
    """Text for an HTML element body or a quoted attribute value."""
    return escape(one_line(str(text)))


def html_lines(text: str) -> Markup:
    """Text of several lines for an HTML body: escaped, each line break a <br>."""
    return Markup("<br>").join(escape(line) for line in text.split("\n"))


def html_list(items: Iterable[str | Markup]) -> Markup:
    """A <ul> of the items: plain text is escaped, Markup (from this module) kept."""
    return Markup("<ul>{}</ul>").format(
        Markup("").join(Markup("<li>{}</li>").format(i) for i in items)
    )


def html_link(href: str, text: str) -> Markup:
    """A link to one of the site's own addresses (never a URL taken from the data: those are
    checked by urls.is_safe_link first), with its text escaped."""
    return Markup('<a href="{}">{}</a>').format(href, one_line(text))


def markdown_inline(text: Any) -> Markup:
    """Text for a Markdown context such as a heading: HTML-escaped, then every character with
    Markdown meaning backslash-escaped, so it renders literally and no extension sees syntax."""
    escaped = str(escape(one_line(str(text))))
    # Escape Markdown specials but not the `&`, `#`, `;` of the entities just produced.
    parts = re.split(r"(&[a-zA-Z]+;|&#[0-9]+;)", escaped)
    return Markup(
        "".join(
            part if i % 2 else _MARKDOWN_SPECIAL.sub(r"\\\1", part) for i, part in enumerate(parts)
        )
    )


def json_attribute(value: Any) -> Markup:
    """A JSON value for a data-* attribute: serialised deterministically, then HTML-escaped."""
    return escape(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def json_script(value: Any) -> Markup:
    """JSON for the body of <script type="application/ld+json">: `<`, `>` and `&` become
    \\u escapes so no text can close the element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


# Characters XML 1.0 forbids (C0 controls other than tab, LF and CR; lone surrogates; U+FFFE and
# U+FFFF), the C1 controls, and bidirectional overrides that make text read differently.
_NOT_SHOWN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def shown_text(text: str) -> str:
    """Text that did not pass the data's checks (a commit message) made fit for any output:
    each character XML cannot hold or a reader cannot see becomes U+FFFD, so an escape
    sequence in a commit message cannot make the Atom feed ill-formed for every reader."""
    return _NOT_SHOWN.sub("\ufffd", text)


def chart_text(text: str) -> str:
    """Text for a plotly label. plotly reads labels as a small HTML dialect (it turns <a href>
    and <b> into elements), so markup characters are sent as entities, which it shows as text."""
    return one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    # BibTeX counts every brace, escaped or not: a lone \{ would unbalance the field.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def bibtex(text: str) -> str:
    """Text for a BibTeX field value in braces."""
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in one_line(text))


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (=, +, -, @, tab, CR first)."""
    if cell and cell[0] in "=+-@\t\r":
        return "'" + cell
    return cell


# GitHub-flavoured Markdown (the score diff is read in pull requests and terminals, not built by
# MkDocs). CommonMark lets any ASCII punctuation be backslash-escaped; these are the characters
# that start inline syntax: code, emphasis, links and images, raw HTML and autolinks, entities,
# table cells, strikethrough, math and emoji shortcodes. `:` and the `.` of `www.` are escaped
# so that a bare URL is not turned into a link at parse time.
_GFM_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~$:])|(?<=[wW]{3})(\.)")


def markdown_table_cell(text: Any) -> str:
    """Text for a cell of a GitHub-flavoured Markdown table (or any inline position that does
    not start a line): one line, every character with inline meaning backslash-escaped, so it
    shows exactly the text and cannot end the cell or add a link, image or element."""
    return _GFM_SPECIAL.sub(lambda m: "\\" + m.group(), one_line(str(text)))


def markdown_code_span(text: Any) -> str:
    """Text as a Markdown code span, shown literally: fenced by one more backtick than its
    longest run of backticks, padded when it starts or ends with a backtick."""
    body = one_line(str(text))
    fence = "`" * (max((len(run) for run in re.findall("`+", body)), default=0) + 1)
    if body.startswith("`") or body.endswith("`"):
        body = f" {body} "
    return f"{fence}{body}{fence}"
