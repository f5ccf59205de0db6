"""The index's terms and their ids, compact: one bytes blob and two numpy arrays.

A large catalogue has hundreds of thousands of terms, most of them in one resource only
(neighbouring words joined). As a dict of strings they were half the index's memory, and a
restart built the dict again. Here every term is in one UTF-8 blob, each followed by a NUL
(the catalogue refuses text with NUL in it), in id order, and an open-addressing hash table
(linear probing) maps `zlib.crc32` of a term's bytes to its id. crc32 is stable across
processes, unlike `hash()`, so the table is saved in the index cache as it is. A question
looks up tens of terms; each lookup compares the blob's bytes, so a hash collision is
never a hit.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping

import numpy as np

_EMPTY = -1  # a free slot of the table
_NUL = b"\x00"
_ID_BITS = 31  # ids are int32
_SPOT_CHECKS = 64  # terms looked up on restore: a table of other terms is refused


class TermTable:
    """Term -> id, where ids are the terms' positions in the list it was built from."""

    def __init__(self, blob: bytes, slots: np.ndarray) -> None:
        """Over `blob` (the terms, each followed by NUL) and `slots` (the hash table:
        ids, or -1 where free; a power of two long)."""
        ends = np.flatnonzero(np.frombuffer(blob, dtype=np.uint8) == 0)
        starts = np.zeros(len(ends) + 1, dtype=np.uint32)
        starts[1:] = ends + 1
        self._set(blob, slots, starts)

    def _set(self, blob: bytes, slots: np.ndarray, starts: np.ndarray) -> None:
        self._blob = blob
        self._slots = slots
        self._starts = starts  # term i is blob[starts[i] : starts[i + 1] - 1]
        self._mask = len(slots) - 1
        # memoryviews index to plain ints, several times faster than numpy scalars
        self._slot_view = memoryview(slots)
        self._start_view = memoryview(starts)

    # Pickled (to the bot from the rebuild worker, `bot.handover`) without the memoryviews,
    # which cannot be; the arrays may arrive empty and be filled in place afterwards.
    def __getstate__(self) -> tuple[bytes, np.ndarray, np.ndarray]:
        return self._blob, self._slots, self._starts

    def __setstate__(self, state: tuple[bytes, np.ndarray, np.ndarray]) -> None:
        self._set(*state)

    @classmethod
    def build(cls, terms: list[str]) -> TermTable:
        """The table of `terms` (distinct, none holding NUL), numbered in order."""
        count = len(terms)
        if count >= 1 << _ID_BITS:
            raise ValueError("too many terms for the table's int32 ids")
        blob = _encoded("\x00".join(terms) + "\x00") if terms else b""
        keys = blob[:-1].split(_NUL) if terms else []
        hashes = np.fromiter(map(zlib.crc32, keys), np.int64, count)
        size = 8
        while size < 2 * count:  # at most half full: a miss probes ~2.5 slots
            size *= 2
        return cls(blob, _placed(hashes & (size - 1), size))

    def get(self, term: str) -> int | None:
        """The id of `term`, or None when it is not one of the terms."""
        return self._find(term.encode("utf-8", "surrogatepass"))  # as `_encoded`, inline

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and self.get(term) is not None

    def __len__(self) -> int:
        return len(self._starts) - 1

    def stored(self) -> dict[str, np.ndarray]:
        """The table as arrays only (for the index cache): the blob, as
        `arrays.pack_strings` packs the terms, and the slots."""
        return {"terms": np.frombuffer(self._blob, dtype=np.uint8), "term_slots": self._slots}

    @classmethod
    def restored(cls, stored: Mapping[str, np.ndarray]) -> TermTable:
        """The table that `stored` gave; ValueError when the arrays are not one."""
        packed, slots = stored["terms"], stored["term_slots"]
        if packed.dtype != np.uint8 or packed.ndim != 1 or len(packed) >= 2**32:
            raise ValueError("the stored terms must be a one-dimensional array of bytes")
        if len(packed) and packed[-1] != 0:
            raise ValueError("the stored terms are cut short")
        if slots.dtype != np.int32 or slots.ndim != 1 or len(slots) & (len(slots) - 1):
            raise ValueError("the stored term slots are not a table")
        table = cls(packed.tobytes(), slots)
        count = len(table)
        taken = slots[slots != _EMPTY]
        if (
            len(slots) <= count  # a lookup of a missing term would never end
            or len(taken) != count
            or not (len(taken) == 0 or (int(taken.min()) >= 0 and int(taken.max()) < count))
            or np.any(np.bincount(taken, minlength=count) != 1)
        ):
            raise ValueError("the stored term slots do not fit the terms")
        blob = table._blob
        for term in range(0, count, max(count // _SPOT_CHECKS, 1)):
            start, end = int(table._starts[term]), int(table._starts[term + 1]) - 1
            if table._find(blob[start:end]) != term:
                raise ValueError("the stored term slots are of other terms")
        return table

    def _find(self, key: bytes) -> int | None:
        """The id of the term whose UTF-8 bytes are `key`, or None."""
        slots, starts, blob, mask = self._slot_view, self._start_view, self._blob, self._mask
        slot = zlib.crc32(key) & mask
        while (found := slots[slot]) != _EMPTY:
            start = starts[found]
            if starts[found + 1] - start == len(key) + 1 and blob.startswith(key, start):
                return found
            slot = (slot + 1) & mask
        return None


def _encoded(term: str) -> bytes:
    """`term` in UTF-8, a lone surrogate (JSON can carry one) kept rather than refused:
    any string can be looked up, and distinct strings stay distinct bytes."""
    return term.encode("utf-8", "surrogatepass")


def _placed(homes: np.ndarray, size: int) -> np.ndarray:
    """The linear-probing table of `size` slots holding ids `0 .. len(homes) - 1`, each
    wanting slot `homes[id]`, built without a Python loop.

    In order of home slot, a term takes its home or the slot after the previous term's,
    whichever is later: slot = max over earlier terms j of (home_j + the terms since j),
    a running maximum. Terms pushed past the end wrap around to the first free slots,
    in order, as inserting them one by one would."""
    keys = np.sort((homes << _ID_BITS) | np.arange(len(homes)))  # by home, then id
    order, homes = keys & ((1 << _ID_BITS) - 1), keys >> _ID_BITS
    steps = np.arange(len(order))
    wanted = np.maximum.accumulate(homes - steps) + steps if len(order) else steps
    slots = np.full(size, _EMPTY, dtype=np.int32)
    inside = wanted < size
    slots[wanted[inside]] = order[inside]
    over = order[~inside]
    if len(over):
        slots[np.flatnonzero(slots == _EMPTY)[: len(over)]] = over
    return slots
