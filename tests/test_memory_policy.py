"""The catalogue is kept out of the garbage collector's way: paused while it is built, frozen
once it is in place."""

from __future__ import annotations

import gc

from bot import memory


def test_settle_freezes_what_is_alive_and_collects_what_is_not() -> None:
    cycle: list[object] = []
    cycle.append(cycle)
    gone = id(cycle)
    del cycle
    memory.settle()
    try:
        assert gc.get_freeze_count() > 0
        assert all(id(thing) != gone for thing in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()


def test_paused_gc_pauses_the_collector_and_restores_it_as_it_was() -> None:
    assert gc.isenabled()
    with memory.paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with memory.paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # left off, as it was
    finally:
        gc.enable()
