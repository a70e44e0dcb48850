"""What a placeholder is: the one rule behind new-lab's TODO text, validate's warning and the
refusal to publish one (`scorecard build`, `scorecard release`).

`scorecard new-lab` writes a summary starting with `TODO:` for every criterion; a contributor
replaces it as they research the lab. Any text value of a data file that starts with the word
TODO (in any case, with or without the colon) is still a placeholder.
"""

from __future__ import annotations

import re

MARKER = "TODO:"  # what new-lab writes at the start of each summary
_PLACEHOLDER = re.compile(r"\s*todo(?![\w-])", re.IGNORECASE)  # not an id like todo-app


def is_placeholder(text: str) -> bool:
    """Whether a text value is a placeholder still to be replaced."""
    return _PLACEHOLDER.match(text) is not None


def may_hold_placeholder(text: str) -> bool:
    """Whether a file's text could hold a placeholder value: it spells "todo" somewhere, or has
    a backslash (a double-quoted YAML escape could spell it). Most files do not, and are not
    walked value by value. (Lowering the text and looking for the word is several times faster
    than a case-blind search, and no other letter lowers to t, o or d.)"""
    return "\\" in text or "todo" in text.lower()


def advice(field: str) -> str:
    """What to write instead, for the field (the last part of its slash path)."""
    if field == "summary":
        return "replace it with what was searched for and found: documents, sites, dates"
    return "replace the TODO text with the real text"
