"""The numpy helpers the index build and the matcher share."""

from __future__ import annotations

import numpy as np
import pytest

from bot import arrays


@pytest.mark.parametrize("high", [3, 1_000, 10**12])
def test_distinct_is_every_value_once_ascending(high: int) -> None:
    values = np.random.default_rng(high).integers(0, high, 5_000)
    assert arrays.distinct(values).tolist() == sorted(set(values.tolist()))


def test_distinct_of_nothing_is_nothing() -> None:
    assert arrays.distinct(np.zeros(0, np.int64)).tolist() == []
