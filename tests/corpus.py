"""Building blocks of the bad-input corpora: the minimal fixture's files, edited in one place."""

from __future__ import annotations

from tests.support import FIXTURES

MINIMAL = FIXTURES / "minimal"


def original(name: str) -> str:
    return (MINIMAL / name).read_text(encoding="utf-8")


def edited(name: str, old: str, new: str) -> str:
    """The fixture file `name` with the one occurrence of `old` replaced by `new`."""
    text = original(name)
    assert text.count(old) == 1, f"{old!r} should occur once in {name}"
    return text.replace(old, new)


LAB_B = original("labs/lab-b.yaml")  # 15 lines; see tests/fixtures/minimal/labs/lab-b.yaml


def lab_b(old: str, new: str) -> dict[str, str]:
    return {"labs/lab-b.yaml": edited("labs/lab-b.yaml", old, new)}
