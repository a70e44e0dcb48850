"""Values kept between the rebuilds of `scorecard serve` (and across the two folders `scorecard
diff` reads), each under everything it is made from: asked for again, a value is looked up, not
made again. `Kept.forget_unused` drops what was not asked for since its last call, so the values
of an edited file's old versions do not pile up. `Memo` keeps values for the whole process
instead, and empties itself at a limit."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING = object()


class Memo(Generic[K, V]):
    """Values kept for the whole process under everything they are made from, for work that
    `scorecard serve` asks for again after each edit. Emptied when it holds `limit` values (more
    than any dataset here needs), so a long session does not grow without bound."""

    def __init__(self, limit: int = 8192) -> None:
        self._values: dict[K, V] = {}
        self._limit = limit

    def get(self, key: K, make: Callable[[], V]) -> V:
        value = self._values.get(key, _MISSING)
        if value is _MISSING:
            if len(self._values) >= self._limit:
                self._values.clear()
            value = self._values[key] = make()
        return value  # type: ignore[return-value]


class Kept(Generic[K, V]):
    def __init__(self) -> None:
        self._values: dict[K, V] = {}
        self._used: set[K] = set()
        self._made = 0

    def get(self, key: K, make: Callable[[], V]) -> V:
        self._used.add(key)
        value = self._values.get(key, _MISSING)
        if value is _MISSING:
            value = self._values[key] = make()
            self._made += 1
        return value  # type: ignore[return-value]

    def forget_unused(self) -> int:
        """Keep only the values asked for since the last call; returns how many were made."""
        self._values = {key: self._values[key] for key in self._used if key in self._values}
        self._used = set()
        made, self._made = self._made, 0
        return made
