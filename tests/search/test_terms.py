"""The term table: every term found with its id, nothing else found, and a stored table
refused when its arrays are not one."""

from __future__ import annotations

import asyncio
import pickle
import zlib

import numpy as np
import pytest

from bot import handover
from bot.search.terms import TermTable, _placed

TERMS = [
    "finetun",
    "~overvag",
    "överväg",
    "dataset",
    "datasetsfinetun",
    "gpt",
    "35",
    "w&b",
    "c++",
    "a",
    "naïv",
    "日本語",
    "emoji🤖",
    *(f"term{n}" for n in range(2_000)),
]


def in_taken_slots(terms: list[str], size: int, wanted: int) -> list[str]:
    """Strings not in `terms` whose crc32 leads to a slot a term holds, in a table of
    `size`: a lookup of them meets a term, and must not take it for a hit."""
    homes = {zlib.crc32(term.encode()) % size for term in terms}
    found = []
    for n in range(1_000_000):
        candidate = f"other{n}"
        if zlib.crc32(candidate.encode()) % size in homes and candidate not in terms:
            found.append(candidate)
            if len(found) == wanted:
                break
    return found


@pytest.fixture(scope="module")
def table() -> TermTable:
    return TermTable.build(TERMS)


def test_every_term_is_found_with_its_id(table: TermTable) -> None:
    assert len(table) == len(TERMS)
    for number, term in enumerate(TERMS):
        assert table.get(term) == number, term
        assert term in table


@pytest.mark.parametrize(
    "absent",
    ["", "överväga", "overvag", "finetu", "finetune", "dataset ", "Dataset", "gp", "日本", "\x00"],
)
def test_other_strings_are_not_found(table: TermTable, absent: str) -> None:
    assert table.get(absent) is None
    assert absent not in table


def test_strings_that_meet_a_term_are_not_that_term(table: TermTable) -> None:
    size = len(table.stored()["term_slots"])
    others = in_taken_slots(TERMS, size, 200)
    assert len(others) == 200
    assert [table.get(other) for other in others] == [None] * 200


def test_terms_with_one_crc32_are_told_apart() -> None:
    first, second = "plumless", "buckeroo"  # a known crc32 collision
    assert zlib.crc32(first.encode()) == zlib.crc32(second.encode())
    assert TermTable.build([first]).get(second) is None
    table = TermTable.build([first, "x", second])
    assert (table.get(first), table.get("x"), table.get(second)) == (0, 1, 2)


def test_non_terms_are_not_found() -> None:
    assert "" not in TermTable.build([])
    assert 3 not in TermTable.build(["3"])
    assert TermTable.build(["\ud800"]).get("\ud800") == 0  # a lone surrogate is a string too


def test_terms_pushed_past_the_end_wrap_around() -> None:
    assert _placed(np.array([7, 6, 7, 0]), 8).tolist() == [3, 2, -1, -1, -1, -1, 1, 0]
    assert _placed(np.array([7, 7, 7]), 8).tolist() == [1, 2, -1, -1, -1, -1, -1, 0]


def test_a_table_round_trips_through_its_arrays(table: TermTable) -> None:
    stored = table.stored()
    assert set(stored) == {"terms", "term_slots"}
    assert all(isinstance(array, np.ndarray) for array in stored.values())
    copied = {name: np.array(array) for name, array in stored.items()}  # as a file gives them
    restored = TermTable.restored(copied)
    assert len(restored) == len(TERMS)
    assert [restored.get(term) for term in TERMS] == list(range(len(TERMS)))
    assert restored.get("överväga") is None
    empty = TermTable.restored(TermTable.build([]).stored())
    assert len(empty) == 0
    assert "a" not in empty


def test_a_table_survives_the_handover_from_the_rebuild_worker() -> None:
    terms = [f"t{n}" for n in range(300_000)]  # arrays large enough to be sent in pieces
    table = TermTable.build(terms)
    assert table.stored()["term_slots"].nbytes > handover.LARGE_ARRAY_BYTES
    for copy in (
        pickle.loads(pickle.dumps(table)),
        asyncio.run(handover.unpack(handover.pack(table))),
    ):
        assert len(copy) == len(terms)
        assert [copy.get(t) for t in terms[::997]] == list(range(0, len(terms), 997))
        assert copy.get("t300000") is None


def damaged(table: TermTable, name: str, change) -> dict[str, np.ndarray]:
    stored = {key: np.array(array) for key, array in table.stored().items()}
    stored[name] = change(stored[name])
    return stored


def swapped_slots(slots: np.ndarray) -> np.ndarray:
    """Every id once, but the first term's where a lookup of it does not lead."""
    blob = TermTable.build(TERMS).stored()["terms"].tobytes()
    first = int(np.flatnonzero(slots == 0)[0])
    for other in np.flatnonzero(slots > 0).tolist():
        moved = slots.copy()
        moved[first], moved[other] = slots[other], slots[first]
        if TermTable(blob, moved).get(TERMS[0]) is None:
            return moved
    raise AssertionError("no slot hides the first term")


def with_a_copied_id(slots: np.ndarray) -> np.ndarray:
    taken = np.flatnonzero(slots >= 0)
    slots[taken[0]] = slots[taken[1]]
    return slots


@pytest.mark.parametrize(
    ("name", "change"),
    [
        ("terms", lambda blob: blob[:-1]),  # cut short
        ("terms", lambda blob: blob[:-5]),
        ("terms", lambda blob: blob.astype(np.int16)),
        ("terms", lambda blob: blob.reshape(1, -1)),
        ("terms", lambda blob: np.concatenate([blob, np.frombuffer(b"more\x00", np.uint8)])),
        ("terms", lambda blob: blob[::-1].copy()),
        ("term_slots", lambda slots: slots[:-1]),  # not a power of two
        ("term_slots", lambda slots: slots[: len(slots) // 2]),
        ("term_slots", lambda slots: slots.astype(np.int64)),
        ("term_slots", lambda slots: slots.astype(">i4")),
        ("term_slots", lambda slots: np.where(slots == slots.max(), len(TERMS), slots)),
        ("term_slots", lambda slots: np.where(slots == 0, -2, slots)),
        ("term_slots", with_a_copied_id),
        ("term_slots", swapped_slots),
        ("term_slots", lambda slots: np.full(len(slots), -1, np.int32)),
        ("term_slots", lambda slots: np.zeros(0, np.int32)),
    ],
)
def test_a_damaged_table_is_refused(table: TermTable, name: str, change) -> None:
    with pytest.raises(ValueError):
        TermTable.restored(damaged(table, name, change))


def test_the_slots_of_other_terms_are_refused(table: TermTable) -> None:
    other = TermTable.build([f"x{term}" for term in TERMS])
    stored = {"terms": table.stored()["terms"], "term_slots": other.stored()["term_slots"]}
    with pytest.raises(ValueError):
        TermTable.restored(stored)
