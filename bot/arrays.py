"""Small numpy helpers for runs of values, shared by the index build and the matcher."""

from __future__ import annotations

import numpy as np


def starts_of_runs(values: np.ndarray) -> np.ndarray:
    """True where a run of equal values begins (`values` sorted)."""
    starts = np.empty(len(values), dtype=bool)
    starts[:1] = True
    np.not_equal(values[1:], values[:-1], out=starts[1:])
    return starts


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, ascending: `np.unique` without its hash table, which numpy 2
    uses for integers and which is many times slower than a sort on mostly distinct ones."""
    ordered = np.sort(values)
    return ordered[starts_of_runs(ordered)]


def ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The positions `start, start + 1, ..., start + size - 1` of each run, one after another."""
    offsets = np.cumsum(sizes) - sizes
    return np.repeat(starts - offsets, sizes) + np.arange(int(sizes.sum()))


def in_sorted(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each of `wanted`, whether `values` (sorted ascending) holds it."""
    if not len(values):
        return np.zeros(len(wanted), dtype=bool)
    at = np.minimum(np.searchsorted(values, wanted), len(values) - 1)
    return values[at] == wanted


def indexes_within(values: np.ndarray, size: int) -> bool:
    """Whether every one of `values` is a position in an array of `size` elements."""
    return not len(values) or (int(values.min()) >= 0 and int(values.max()) < size)


# Between two packed strings: the catalogue refuses text with NUL in it, so no word, term
# or phrase holds one.
_STRING_SEPARATOR = "\x00"


def pack_strings(strings: list[str]) -> np.ndarray:
    """`strings` as one array of UTF-8 bytes, for a file that must not hold Python objects."""
    joined = _STRING_SEPARATOR.join(strings) + _STRING_SEPARATOR if strings else ""
    return np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)


def unpack_strings(packed: np.ndarray) -> list[str]:
    """The strings `pack_strings` packed; ValueError when `packed` is not such an array."""
    if packed.dtype != np.uint8 or packed.ndim != 1:
        raise ValueError("packed strings must be a one-dimensional array of bytes")
    joined = packed.tobytes().decode("utf-8")
    if not joined:
        return []
    if not joined.endswith(_STRING_SEPARATOR):
        raise ValueError("packed strings are cut short")
    return joined[:-1].split(_STRING_SEPARATOR)
