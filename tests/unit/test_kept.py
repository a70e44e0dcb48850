"""The process-wide memo behind score timelines and lab figures: a value is made once per key,
and the memo empties itself at its limit rather than growing through a long serve session."""

from __future__ import annotations

from generator.kept import Memo


def test_a_value_is_made_once_per_key() -> None:
    memo: Memo[str, list[str]] = Memo()
    made: list[str] = []

    def make(key: str) -> list[str]:
        made.append(key)
        return [key]

    first = memo.get("a", lambda: make("a"))
    assert memo.get("a", lambda: make("a")) is first
    assert memo.get("b", lambda: make("b")) == ["b"]
    assert made == ["a", "b"]


def test_a_memo_at_its_limit_starts_again_empty() -> None:
    memo: Memo[int, int] = Memo(limit=3)
    made: list[int] = []
    for key in (1, 2, 3, 4):
        memo.get(key, lambda key=key: made.append(key) or key)
    assert made == [1, 2, 3, 4]
    memo.get(4, lambda: made.append(-4) or -4)  # 4 was kept after the memo emptied
    memo.get(1, lambda: made.append(-1) or -1)  # 1 was dropped with the rest
    assert made == [1, 2, 3, 4, -1]


def test_a_falsy_value_is_kept_too() -> None:
    memo: Memo[str, tuple[()]] = Memo()
    calls = []
    for _ in range(2):
        memo.get("empty", lambda: calls.append(1) or ())
    assert calls == [1]
