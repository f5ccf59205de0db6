"""Keeping Python's garbage collector off the catalogue and its index.

The cyclic garbage collector runs after every few hundred new objects and walks what is alive.
A catalogue and its index are long-lived objects by the hundred thousand, none of which becomes
garbage before the next reload, so the collector only costs time on them: while they are built
it is paused (`paused_gc`), and once they are in place everything alive is frozen (`settle`),
so its full passes skip them. Without that, at 10,000 resources one full pass stalls the event
loop for 50-150 ms in the middle of a burst of questions. Reference counting still frees a
dropped catalogue at once; `settle` unfreezes first, so that one full pass finds any cycles
left behind.

While it serves, the youngest generation is collected after `YOUNG_OBJECTS` new objects
rather than Python's 700 (`serve`): answering a question makes a few hundred short-lived
objects that reference counting frees, so collecting every 700 only rescanned the answers
still in flight, about forty times in a burst of 200 questions (3-5% of the bot's CPU).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_OBJECTS = 20_000  # new objects between collections of the youngest generation


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector while a large catalogue or index is built.

    The collector runs after every few hundred new objects and rescans what is alive, so
    building hundreds of thousands of objects that all stay alive costs several times more
    with it on. Nothing built here needs it: the collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def settle() -> None:
    """Collect what is garbage now, then freeze everything alive. Call it after (re)loading
    the catalogue; it takes one full collection, about as long as a single one of the pauses
    it saves."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def serve() -> tuple[int, int, int]:
    """Collect the youngest generation after `YOUNG_OBJECTS` new objects, not 700: call it
    once when the bot starts serving. Cyclic garbage is still collected, a little later,
    and a young collection of that many objects takes about half a millisecond. Returns the
    thresholds before, for `stop_serving`."""
    before = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, *before[1:])
    return before


def stop_serving(before: tuple[int, int, int]) -> None:
    """Put back the thresholds `serve` replaced, when the bot closes (its process may go on,
    as the command line's and the tests' do)."""
    gc.set_threshold(*before)
