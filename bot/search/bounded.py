"""A cache that forgets everything at once when it holds too much: the vocabulary's caches
of question words, which a bot that runs for months keeps meeting new ones for."""

from __future__ import annotations

from typing import Generic, TypeVar

Key = TypeVar("Key")
Value = TypeVar("Value")


class BoundedCache(dict[Key, Value], Generic[Key, Value]):
    """A dict that keeps at most `budget` units: each entry costs one, plus what the caller
    says it holds (a word's expansions are most of a cache's memory, and a word being typed
    may reach a hundred). Past the budget it is emptied, not trimmed: the words that come
    back are cached again at once, and nothing has to track which are old."""

    def __init__(self, budget: int) -> None:
        super().__init__()
        self.budget = budget
        self.used = 0

    def remember(self, key: Key, value: Value, size: int = 0) -> None:
        """Keep `value` under `key`; it holds `size` units beside the entry itself."""
        cost = 1 + size
        if self.used + cost > self.budget:
            self.clear()
            self.used = 0
        self[key] = value
        self.used += cost
