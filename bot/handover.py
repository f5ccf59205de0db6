"""Handing a large object graph (a built snapshot) from the rebuild worker to the bot, in
pieces the event loop takes between answers.

Unpickling a snapshot of 10,000 resources in one `pickle.loads` creates about a million
objects and holds the interpreter for a few hundred milliseconds: every question asked
meanwhile waits. So the worker writes the graph as a series of small pickles through one
`Pickler` (its memo spans them, so shared objects stay shared), and `unpack` loads them one
at a time, giving the event loop its turn every `SLICE_SECONDS`:

1. the items of every large tuple first (e.g. the catalogue's resources), so that the tuple
   itself later costs only memo look-ups;
2. the root, in which every large list, dict, set and numeric array is only a reference:
   `unpack` gives it an empty one of the same kind;
3. the contents of those containers, a piece at a time, until each is whole.

Only containers reached through attributes and items are split, found by a walk of the
graph before pickling; anything a `__reduce__` makes on the fly is pickled whole, so every
object is rebuilt exactly as pickle would. The data comes from the bot's own worker process
only: pickle is never used on anything a person sent or a file on disk.
"""

from __future__ import annotations

import asyncio
import gc
import io
import pickle
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.memory import paused_gc

LARGE_ITEMS = 2048  # containers with more items than this are sent in pieces
LARGE_ARRAY_BYTES = 1 << 20  # numeric arrays larger than this too
PIECE_BYTES = 64 * 1024  # a piece of about this much pickle takes well under a millisecond
SLICE_SECONDS = 0.002  # the longest `unpack` works before letting the event loop run
_LEAVES = (str, bytes, int, float, bool, type(None))
_SPLIT_KINDS = (list, dict, set)
_EMPTY: dict[str, type] = {"list": list, "dict": dict, "set": set}


@dataclass(frozen=True)
class Packed:
    """A graph written as `pieces` consecutive pickles in `data`."""

    data: bytes
    pieces: int


def pack(root: object) -> Packed:
    """Write `root` as small pickles for `unpack` (see the module's docstring)."""
    large, tuples = _large_parts(root)
    buffer = io.BytesIO()
    pickler = _Pickler(buffer, large)
    pieces = 0

    def emit(piece: object) -> int:
        nonlocal pieces
        start = buffer.tell()
        pickler.dump(piece)
        pieces += 1
        return buffer.tell() - start

    def emit_items(number: int | None, items: list[Any]) -> None:
        """`items` in pieces of about PIECE_BYTES: warm-ups (`number` None) or fillings."""
        step, start = 64, 0
        while start < len(items):
            chunk = items[start : start + step]
            size = emit(("warm", chunk) if number is None else ("fill", number, chunk))
            start += step
            if size < PIECE_BYTES // 4:
                step *= 2
            elif size > PIECE_BYTES:
                step = max(1, step // 2)

    for items in tuples:
        emit_items(None, list(items))
    emit(("root", root))
    number = 0
    while number < len(pickler.order):  # filling one may reach more large containers
        container = pickler.order[number]
        if isinstance(container, np.ndarray):
            flat = container.reshape(-1)
            step = max(1, LARGE_ARRAY_BYTES // container.itemsize)
            for start in range(0, len(flat), step):
                emit(("fill", number, (start, flat[start : start + step].copy())))
        elif isinstance(container, dict):
            emit_items(number, list(container.items()))
        else:
            emit_items(number, list(container))
        number += 1
    return Packed(buffer.getvalue(), pieces)


async def unpack(packed: Packed) -> Any:
    """The graph `pack` wrote, rebuilt on the event loop without holding it more than about
    SLICE_SECONDS at a time."""
    unpickler = _Unpickler(io.BytesIO(packed.data))
    root: Any = None
    with paused_gc():  # a million objects that all stay alive: nothing for it to find
        slice_start = time.perf_counter()
        for _ in range(packed.pieces):
            kind, *rest = unpickler.load()
            if kind == "root":
                root = rest[0]
            elif kind == "fill":
                number, payload = rest
                _fill(unpickler.made[number], payload)
            if time.perf_counter() - slice_start > SLICE_SECONDS:
                await asyncio.sleep(0)
                slice_start = time.perf_counter()
        # Long-lived until the next reload: kept out of the collector's full passes, which
        # would otherwise soon walk them all at once (see `bot.memory`).
        gc.freeze()
    return root


def _fill(container: Any, payload: Any) -> None:
    if isinstance(container, np.ndarray):
        start, values = payload
        container.reshape(-1)[start : start + len(values)] = values
    elif isinstance(container, list):
        container.extend(payload)
    else:  # dict (from its pairs) or set
        container.update(payload)


class _Pickler(pickle.Pickler):
    """Pickles the containers found by `_large_parts` as references, numbered in the order
    they are first met; `order` lists them for filling."""

    def __init__(self, file: io.BytesIO, large: dict[int, Any]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.large = large
        self.numbers: dict[int, int] = {}
        self.order: list[Any] = []

    def persistent_id(self, obj: Any) -> Any:
        key = id(obj)
        if key not in self.large:
            return None
        number = self.numbers.get(key)
        if number is None:
            number = self.numbers[key] = len(self.order)
            self.order.append(obj)
        if isinstance(obj, np.ndarray):
            return (number, "array", obj.shape, obj.dtype.str)
        return (number, type(obj).__name__, None, None)


class _Unpickler(pickle.Unpickler):
    """Gives each reference an empty container of its kind, to be filled piece by piece."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file)
        self.made: dict[int, Any] = {}

    def persistent_load(self, pid: Any) -> Any:
        number, kind, shape, dtype = pid
        if number not in self.made:
            if kind == "array":
                self.made[number] = np.empty(shape, dtype=np.dtype(dtype))
            else:
                self.made[number] = _EMPTY[kind]()
        return self.made[number]


def _large_parts(root: object) -> tuple[dict[int, Any], list[tuple[Any, ...] | frozenset[Any]]]:
    """The large lists, dicts, sets and numeric arrays reachable from `root` through
    attributes and items (by id), and the large tuples and frozensets, whose items are sent
    ahead."""
    large: dict[int, Any] = {}
    tuples: list[tuple[Any, ...] | frozenset[Any]] = []
    seen: set[int] = set()
    stack: list[Any] = [root]
    while stack:
        obj = stack.pop()
        kind = type(obj)
        if kind in _LEAVES or id(obj) in seen:
            continue
        seen.add(id(obj))
        if kind is np.ndarray:
            if (
                obj.nbytes > LARGE_ARRAY_BYTES
                and not obj.dtype.hasobject
                and obj.dtype.fields is None
                and obj.flags.c_contiguous
            ):
                large[id(obj)] = obj
            continue
        if kind in _SPLIT_KINDS or kind in (tuple, frozenset):
            if len(obj) > LARGE_ITEMS:
                if kind in _SPLIT_KINDS:
                    large[id(obj)] = obj
                else:
                    tuples.append(obj)
            values = obj.values() if kind is dict else obj
            stack.extend(value for value in values if type(value) not in _LEAVES)
            continue
        state = getattr(obj, "__dict__", None)
        if isinstance(state, dict):
            stack.extend(value for value in state.values() if type(value) not in _LEAVES)
        for slot in getattr(kind, "__slots__", ()):
            value = getattr(obj, slot, None)
            if type(value) not in _LEAVES:
                stack.append(value)
    return large, tuples
