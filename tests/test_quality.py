"""Answer quality floors on every public set, and the product ahead of plain BM25.

The floors sit just under today's figures (`python -m benchmarks.quality`), so a change that
quietly undoes the matcher's generality fails here, on each catalogue separately.
"""

from __future__ import annotations

import pytest

from benchmarks.quality import COLUMNS, PUBLIC_SETS, Report, measure

# set -> (right first >=, top 3 >=, off-topic refused >=, wrongly refused <=)
FLOORS = {
    "seed, dev": (0.95, 0.98, 0.95, 0.03),
    "seed, team": (0.92, 0.97, 0.92, 0.03),
    "seed plain, dev": (0.82, 0.92, 0.95, 0.06),
    "seed plain, team": (0.81, 0.87, 0.94, 0.09),
    "course, dev": (0.78, 0.88, 0.87, 0.05),
    "course, team": (0.56, 0.66, 0.95, 0.15),
    "other course": (0.77, 0.85, 0.92, 0.08),
    "course en, dev": (0.69, 0.80, 0.87, 0.11),
    "other en": (0.64, 0.70, 0.92, 0.25),
}


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, Report]]:
    return measure()


def figures(report: Report) -> tuple[float, ...]:
    return tuple(column(report) for _, column in COLUMNS)


def test_every_public_set_has_floors() -> None:
    assert set(FLOORS) == {s.name for s in PUBLIC_SETS}


@pytest.mark.parametrize("name", FLOORS)
def test_quality_floors_hold(reports: dict[str, dict[str, Report]], name: str) -> None:
    first, top3, refused, wrongly = figures(reports[name]["product"])
    least_first, least_top3, least_refused, most_wrongly = FLOORS[name]
    misses = reports[name]["product"].render()
    assert first >= least_first, misses
    assert top3 >= least_top3, misses
    assert refused >= least_refused, misses
    assert wrongly <= most_wrongly, misses


@pytest.mark.parametrize("name", FLOORS)
def test_the_product_is_ahead_of_plain_bm25(
    reports: dict[str, dict[str, Report]], name: str
) -> None:
    product, bm25 = reports[name]["product"], reports[name]["bm25"]
    # right first and off-topic refused: never behind BM25
    assert product.right_first >= bm25.right_first
    assert product.refused_off_topic >= bm25.refused_off_topic
    # together: more questions handled right (answered right, or off-topic and refused)
    assert (
        product.right_first + product.refused_off_topic > bm25.right_first + bm25.refused_off_topic
    )
