"""The phrase bonus: a question that reads like a resource's title or example question."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from rapidfuzz import fuzz, process

from bot import arrays, text
from bot.catalog import Resource

PHRASE_BONUS = 0.25  # at most this much for reading like a title or example question
PHRASE_RERANK_DEPTH = 200  # only this many best resources by score may earn a phrase bonus
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
    and the bonus a question earns for reading like one of them.

    For many resources at once there are upper bounds of the bonus: rapidfuzz's ratio is
    200 * LCS / (len(a) + len(b)), and the longest common subsequence cannot be longer than
    the characters the two strings have in common, counted per character. Characters are
    counted in buckets (a-z, å, ä, ö, digits, space, the rest), which only loosens the bound.
    """

    BUCKETS = 32
    _SLACK = 1e-7  # rapidfuzz computes the same ratio in another order of operations

    def __init__(self, phrases: list[list[str]]) -> None:
        self._phrases = phrases
        flat = [phrase for doc_phrases in phrases for phrase in doc_phrases]
        # Resources share phrases ("What is fine-tuning?"): each distinct one is scored once.
        position: dict[str, int] = {}
        self._distinct_of = np.array(
            [position.setdefault(phrase, len(position)) for phrase in flat], dtype=np.int64
        )
        self._distinct = list(position)
        self._distinct_array = np.array(self._distinct, dtype=object)  # gathered in C
        sizes = np.array([len(doc_phrases) for doc_phrases in phrases], dtype=np.int64)
        self._starts = np.r_[0, np.cumsum(sizes)[:-1]] if len(sizes) else sizes
        self._sizes = sizes
        lengths = np.array([len(phrase) for phrase in flat], dtype=np.int64)
        self._lengths = lengths.astype(np.float64)
        owner = np.repeat(np.arange(len(flat)), lengths)
        counts = np.bincount(
            owner * self.BUCKETS + _buckets("".join(flat)), minlength=len(flat) * self.BUCKETS
        )
        # Counts and their sums fit a byte unless a phrase is over 255 characters.
        small = not len(lengths) or lengths.max() <= np.iinfo(np.uint8).max
        self._counts = np.ascontiguousarray(
            counts.reshape(len(flat), self.BUCKETS).T, dtype=np.uint8 if small else np.uint16
        )

    def stored(self) -> dict[str, np.ndarray]:
        """The phrases and their character counts as arrays only (for the index cache)."""
        return {
            "distinct": arrays.pack_strings(self._distinct),
            "distinct_of": self._distinct_of,
            "sizes": self._sizes,
            "counts": self._counts,
        }

    @classmethod
    def restored(cls, stored: Mapping[str, np.ndarray], count: int) -> Phrases:
        """The phrases of `count` documents that `stored` gave; ValueError when the arrays
        do not fit together."""
        phrases = cls.__new__(cls)
        distinct = arrays.unpack_strings(stored["distinct"])
        distinct_of, sizes, counts = stored["distinct_of"], stored["sizes"], stored["counts"]
        if (
            len(sizes) != count
            or sizes.dtype != np.int64
            or distinct_of.dtype != np.int64
            or (len(sizes) and int(sizes.min()) < 0)
            or int(sizes.sum()) != len(distinct_of)
            or counts.shape != (cls.BUCKETS, len(distinct_of))
            or counts.dtype not in (np.uint8, np.uint16)
            or not arrays.indexes_within(distinct_of, len(distinct))
        ):
            raise ValueError("the stored phrases do not fit together")
        phrases._distinct = distinct
        phrases._distinct_of = distinct_of
        phrases._distinct_array = np.array(distinct, dtype=object)
        phrases._sizes = sizes
        phrases._starts = np.r_[0, np.cumsum(sizes)[:-1]] if len(sizes) else sizes
        lengths = np.array([len(phrase) for phrase in distinct], dtype=np.int64)
        phrases._lengths = lengths[distinct_of].astype(np.float64)
        phrases._counts = counts
        flat = [distinct[i] for i in distinct_of.tolist()]
        ends = np.cumsum(sizes).tolist()
        phrases._phrases = [
            flat[end - size : end] for size, end in zip(sizes.tolist(), ends, strict=True)
        ]
        return phrases

    def bonus(self, query: str, doc: int) -> float:
        """The bonus for reading like one of `doc`'s phrases; `query` is `phrase_of(question)`."""
        if not query:
            return 0.0
        best = process.extractOne(query, self._phrases[doc], scorer=fuzz.ratio)
        if best is None or best[1] <= PHRASE_FLOOR:
            return 0.0
        return PHRASE_BONUS * (best[1] - PHRASE_FLOOR) / (100.0 - PHRASE_FLOOR)

    def bonuses(self, query: str, docs: np.ndarray) -> np.ndarray:
        """The exact phrase bonus of each of `docs` (as `bonus`), in one
        rapidfuzz call over their phrases: faster than one call per resource for many."""
        sizes = self._sizes[docs]
        picked = self._distinct_of[arrays.ranges(self._starts[docs], sizes)]
        if len(picked) * 5 > len(self._distinct) * 4:  # nearly all: no gathering
            ratios = self._ratios(query, self._distinct)[picked]
        else:
            ratios = self._ratios(query, self._distinct_array[picked])
        best = _max_per_run(ratios, np.cumsum(sizes) - sizes, sizes)
        return np.where(
            best > PHRASE_FLOOR, PHRASE_BONUS * (best - PHRASE_FLOOR) / (100.0 - PHRASE_FLOOR), 0.0
        )

    @staticmethod
    def _ratios(query: str, phrases: list[str] | np.ndarray) -> np.ndarray:
        # float64: the same numbers `process.extractOne` gives (0 where under the floor)
        return process.cdist(
            [query], phrases, scorer=fuzz.ratio, score_cutoff=PHRASE_FLOOR, dtype=np.float64
        )[0]

    def bonus_bounds(self, query: str, docs: np.ndarray) -> np.ndarray:
        """For each of `docs`, a phrase bonus at least as large as its real one for `query`."""
        wanted = np.bincount(_buckets(query), minlength=self.BUCKETS)
        if len(docs) * 4 < len(self._starts):  # few: their phrases only
            sizes = self._sizes[docs]
            starts = np.cumsum(sizes) - sizes
            picked = arrays.ranges(self._starts[docs], sizes)
            rows = [self._counts[bucket][picked] for bucket in np.flatnonzero(wanted)]
            lengths = self._lengths[picked]
        else:
            starts, sizes = self._starts, self._sizes
            rows = [self._counts[bucket] for bucket in np.flatnonzero(wanted)]
            lengths = self._lengths
        # the characters each phrase has in common with the query, counted per bucket
        common = np.zeros(len(lengths), dtype=self._counts.dtype)
        part = np.empty_like(common)
        most = np.iinfo(self._counts.dtype).max
        for row, bucket in zip(rows, np.flatnonzero(wanted), strict=True):
            np.minimum(row, min(int(wanted[bucket]), most), out=part)
            common += part
        best = _max_per_run(common / (len(query) + lengths), starts, sizes)
        if len(docs) * 4 >= len(self._starts):
            best = best[docs]
        ratio = 200.0 * best + self._SLACK
        return np.where(
            ratio > PHRASE_FLOOR, PHRASE_BONUS * (ratio - PHRASE_FLOOR) / (100.0 - PHRASE_FLOOR), 0
        )


def _max_per_run(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The largest of each run `values[start : start + size]` (0 for an empty run); the runs
    follow each other."""
    best = np.zeros(len(starts))
    filled = sizes > 0
    if filled.any():
        best[filled] = np.maximum.reduceat(values, starts[filled])
    return best


def _bucket_table() -> np.ndarray:
    table = np.full(0x110000, Phrases.BUCKETS - 1, dtype=np.uint8)
    for position, letter in enumerate("abcdefghijklmnopqrstuvwxyz"):
        table[ord(letter)] = position
    table[ord("0") : ord("9") + 1] = 26
    table[ord(" ")] = 27
    for position, letter in enumerate("åäö"):
        table[ord(letter)] = 28 + position
    return table


_BUCKET_OF = _bucket_table()


def _buckets(raw: str) -> np.ndarray:
    """The bucket of each character of `raw`."""
    return _BUCKET_OF[np.frombuffer(raw.encode("utf-32-le"), dtype=np.uint32)]
