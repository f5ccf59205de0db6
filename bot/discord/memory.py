"""Keeping Python's garbage collector off the catalogue.

A loaded catalogue and its index are long-lived objects by the hundred thousand. The cyclic
garbage collector walks every one of them on each of its full passes, which start by
themselves as answering allocates: at 10,000 resources one pass stalls the event loop for
50-150 ms, in the middle of a burst of questions. Nothing in a loaded catalogue becomes garbage
before the next reload, so the bot freezes what is alive once the catalogue is loaded, and
the collector skips frozen objects. Reference counting still frees them at once when a reload
drops them; the reload first unfreezes, so that one full pass finds any cycles left behind.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect what is garbage now, then freeze everything alive. Call it after (re)loading
    the catalogue; it takes one full collection, about as long as a single one of the pauses
    it saves."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
