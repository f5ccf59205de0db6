"""What the matcher returns: resources with their scores, confident answers and near misses."""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog import Resource

NEAR_MISS_SCORE = 0.1  # a near miss scores at least this
NEAR_MISSES = 3  # offered when no answer is confident


@dataclass(frozen=True)
class Match:
    """A resource and how well it fits; `matched` are the question's words it contains."""

    resource: Resource
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """The reply to one question: confident results, or near misses when none fits."""

    query: str
    confident: bool
    results: tuple[Match, ...]
    suggestions: tuple[Match, ...]

    @property
    def best(self) -> Match | None:
        return self.results[0] if self.results else None
