"""How values are shown, in one vocabulary for the site, the score diff, the change feed and
the terminal: a reader sees the same word for the same thing everywhere."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

MISSING = "—"  # no value: a lab with no score, the side of a change where a thing does not exist
NOT_APPLICABLE = "not applicable"  # the points of a not-applicable reading, left out of the score
UNKNOWN = "unknown"  # a fact the sources do not state
ARROW = " → "


def number(value: Fraction | Decimal | None) -> int | float | None:
    """An exact value as a JSON number: whole numbers as integers, others as short decimals."""
    if value is None:
        return None
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    if (
        isinstance(value, Decimal)
        and value == value.to_integral_value()
        and value.as_tuple().exponent == 0
    ):
        return int(value)
    return float(value)


def score(value: Decimal | None) -> str:
    """A rounded score (one decimal place), or MISSING when nothing applies."""
    return MISSING if value is None else str(value)


def points(value: Fraction | None) -> str:
    """A level's points, or NOT_APPLICABLE for a reading left out of the score."""
    return NOT_APPLICABLE if value is None else str(number(value))


def tri(value: bool | None) -> str:
    """A tri-state fact: yes, no, or UNKNOWN."""
    return UNKNOWN if value is None else ("yes" if value else "no")


# A symbol repeating a tri-state value, always shown beside the word (never alone).
TRI_ICONS = {True: "✓", False: "✗", None: "?"}


def tri_icon(value: bool | None) -> str:
    return TRI_ICONS[value]


def words(identifier: str) -> str:
    """An enumeration value as words: `approval-required` -> `approval required`."""
    return identifier.replace("-", " ").replace("_", " ")


def level(label: str, level_id: str) -> str:
    """A level as words and id, e.g. "Some of it (partial)"."""
    return f"{label} ({level_id})"


def change(old: str, new: str) -> str:
    """`old → new`, or just the value when it did not change."""
    return old if old == new else f"{old}{ARROW}{new}"


# The outcome of the last automated check of a source (its `check`), as a reader reads it.
ADDRESS_CHECK = {
    "ok": "the address answered",
    "redirected": "the address now leads elsewhere (the page moved)",
    "gone": "the address no longer has the document",
    "error": "the address could not be reached",
    "blocked": "the publisher's site turned the automated check away",
}
ARCHIVE_CHECK = {
    "ok": "the archived copy answered",
    "redirected": "the archived copy answered",  # the archive serves its nearest capture
    "gone": "the archived copy is gone",
    "error": "the archived copy could not be reached",
    "blocked": "the archive turned the automated check away",
}
QUOTES_CHECK = {
    "found": "every quote citing it was found in it",
    "missing": "not every quote citing it was found",
    "unreadable": "its text could not be read, so its quotes were not checked",
    "none": "no quote cites it",
}


def source_check(status: str, archive: str | None, quotes: str) -> str:
    """The last check of a source in one sentence, without the final full stop."""
    parts = [ADDRESS_CHECK[status]]
    if archive is not None:
        parts.append(ARCHIVE_CHECK[archive])
    parts.append(QUOTES_CHECK[quotes])
    return "; ".join(parts)


def quotes_not_found(missing: int | None) -> str:
    """The flag on a source whose last check did not find every quote citing it."""
    count = missing or 1
    return (
        f"the last check did not find {plural(count, 'quote')} citing this source in it. "
        "The document may have changed since it was quoted: see its archived copy."
    )


def plural(count: int, one: str, many: str | None = None) -> str:
    """`1 lab`, `2 labs`; `many` where the plural is not `one` + s."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
