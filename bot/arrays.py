"""Small numpy helpers for runs of values, shared by the index build and the matcher."""

from __future__ import annotations

import numpy as np


def starts_of_runs(values: np.ndarray) -> np.ndarray:
    """True where a run of equal values begins (`values` sorted)."""
    starts = np.empty(len(values), dtype=bool)
    starts[:1] = True
    np.not_equal(values[1:], values[:-1], out=starts[1:])
    return starts


def ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The positions `start, start + 1, ..., start + size - 1` of each run, one after another."""
    offsets = np.cumsum(sizes) - sizes
    return np.repeat(starts - offsets, sizes) + np.arange(int(sizes.sum()))
