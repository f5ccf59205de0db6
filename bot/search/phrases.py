"""The phrase bonus: a question that reads like a resource's title or example question."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from rapidfuzz import fuzz, process

from bot import arrays, text
from bot.catalog import Resource

PHRASE_BONUS = 0.25  # at most this much for reading like a title or example question
PHRASE_RERANK_DEPTH = 50  # only this many best resources by score may earn a phrase bonus
PHRASE_FLOOR = 55.0  # rapidfuzz ratio below which a phrase earns nothing


def phrases_of(resource: Resource) -> list[str]:
    """The texts a question may read like: the titles and the example questions."""
    return [
        *resource.title.values(),
        *(q for qs in resource.questions.values() for q in qs),
    ]


def phrase_of(raw: str) -> str:
    """A question as the phrases are written: its words joined by single spaces."""
    return " ".join(text.surface_words(raw))


class Phrases:
    """Each resource's phrases (its titles and example questions, as words joined by spaces)
    and the bonus a question earns for reading like one of them. Resources share phrases
    ("What is fine-tuning?"): each distinct one is kept, and scored, once."""

    def __init__(self, phrases: list[list[str]]) -> None:
        flat = [phrase for doc_phrases in phrases for phrase in doc_phrases]
        position: dict[str, int] = {}
        distinct_of = [position.setdefault(phrase, len(position)) for phrase in flat]
        self._set(
            list(position),
            np.array(distinct_of, dtype=np.int64),
            np.array([len(doc_phrases) for doc_phrases in phrases], dtype=np.int64),
        )

    def _set(self, distinct: list[str], distinct_of: np.ndarray, sizes: np.ndarray) -> None:
        self._distinct = distinct
        self._distinct_array = np.array(distinct, dtype=object)  # gathered in C
        self._distinct_of = distinct_of  # each document's phrases, documents in order
        self._sizes = sizes
        self._starts = np.cumsum(sizes) - sizes

    def stored(self) -> dict[str, np.ndarray]:
        """The phrases as arrays only (for the index cache)."""
        return {
            "distinct": arrays.pack_strings(self._distinct),
            "distinct_of": self._distinct_of,
            "sizes": self._sizes,
        }

    @classmethod
    def restored(cls, stored: Mapping[str, np.ndarray], count: int) -> Phrases:
        """The phrases of `count` documents that `stored` gave; ValueError when the arrays
        do not fit together."""
        distinct = arrays.unpack_strings(stored["distinct"])
        distinct_of, sizes = stored["distinct_of"], stored["sizes"]
        if (
            len(sizes) != count
            or sizes.dtype != np.int64
            or distinct_of.dtype != np.int64
            or (len(sizes) and int(sizes.min()) < 0)
            or int(sizes.sum()) != len(distinct_of)
            or not arrays.indexes_within(distinct_of, len(distinct))
        ):
            raise ValueError("the stored phrases do not fit together")
        phrases = cls.__new__(cls)
        phrases._set(distinct, distinct_of, sizes)
        return phrases

    def bonuses(self, query: str, docs: np.ndarray) -> np.ndarray:
        """The bonus of each of `docs` for reading like one of its phrases (`query` is
        `phrase_of(question)`), in one rapidfuzz call over their phrases."""
        sizes = self._sizes[docs]
        picked = self._distinct_of[arrays.ranges(self._starts[docs], sizes)]
        ratios = process.cdist(
            [query],
            self._distinct_array[picked],
            scorer=fuzz.ratio,
            score_cutoff=PHRASE_FLOOR,
            dtype=np.float64,
        )[0]
        best = _max_per_run(ratios, np.cumsum(sizes) - sizes, sizes)
        return np.where(
            best > PHRASE_FLOOR, PHRASE_BONUS * (best - PHRASE_FLOOR) / (100.0 - PHRASE_FLOOR), 0.0
        )


def _max_per_run(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The largest of each run `values[start : start + size]` (0 for an empty run); the runs
    follow each other."""
    best = np.zeros(len(starts))
    filled = sizes > 0
    if filled.any():
        best[filled] = np.maximum.reduceat(values, starts[filled])
    return best
