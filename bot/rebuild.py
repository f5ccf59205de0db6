"""Building a new snapshot in a worker process, so answers keep their speed meanwhile.

Parsing and validating a catalogue of 10,000 resources and indexing it is seconds of Python
that, in a thread, would hold the interpreter lock the whole time and slow every answer. One
worker process (started lazily with `spawn`, so it
inherits nothing of the bot: no sockets, no threads) does that work, saves the index cache,
and sends the snapshot back; `bot.handover` rebuilds it here in pieces between answers.

What the worker raises (`CatalogError` with its problems, `TooManyResources`) reaches the
caller as itself. A worker that dies (killed, out of memory) raises `RebuildFailed`, and the
next rebuild starts a new one; what was served stays served.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot import handover

log = logging.getLogger(__name__)

BOT_CHECK_SECONDS = 0.5  # how often the worker checks that the bot is still there
PR_SET_PDEATHSIG = 1  # Linux's prctl option: a signal for this process when its parent dies


class RebuildFailed(Exception):
    """The worker building the new catalogue stopped before it finished (killed, out of
    memory); nothing changed and the old catalogue is still served."""


@dataclass(frozen=True)
class _Built:
    """What the worker sends back: the snapshot packed for `handover`, and what it logged."""

    packed: handover.Packed
    logged: tuple[tuple[str, int, str], ...]  # logger name, level, message


class RebuildWorker:
    """One worker process for rebuilds, started on first use and again after it died."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None
        self._guard = threading.Lock()  # shutdown may come from another thread

    def _pool(self) -> ProcessPoolExecutor:
        with self._guard:
            if self._executor is None:
                # spawn: a child of the bot itself (not of a forkserver), so that on Linux
                # the kernel ends it with the bot (see `_exit_with`)
                context = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=context,
                    initializer=_exit_with,
                    initargs=(os.getpid(),),
                )
            return self._executor

    async def run(self, job: Any, *args: Any) -> Any:
        """What `job(*args)` returns in the worker (a `_Built`, unpacked here); what it
        raises is raised here, and `RebuildFailed` when the worker died."""
        loop = asyncio.get_running_loop()
        pool = self._pool()
        try:
            running = loop.run_in_executor(pool, job, *args)
        except BrokenProcessPool:  # it died while idle, and that is known: ask a new one
            self._forget(pool)
            pool = self._pool()
            running = loop.run_in_executor(pool, job, *args)
        try:
            built: _Built = await running
        except BrokenProcessPool:
            self._forget(pool)
            log.error("the worker rebuilding the catalogue stopped; the old one is still served")
            raise RebuildFailed() from None
        for name, level, message in built.logged:
            logging.getLogger(name).log(level, "%s", message)
        return await handover.unpack(built.packed)

    async def pid(self) -> int:
        """The worker's process id (starting it if needed): for tests and diagnostics."""
        pool = self._pool()
        return await asyncio.get_running_loop().run_in_executor(pool, _process_id)

    def _forget(self, pool: ProcessPoolExecutor) -> None:
        with self._guard:
            if self._executor is pool:
                self._executor = None
        pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        """Stop the worker (a rebuild under way finishes first); the next rebuild starts
        another. Call it when the bot closes."""
        with self._guard:
            pool, self._executor = self._executor, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


WORKER = RebuildWorker()  # the bot's one worker, shared by every catalogue


# --- what runs in the worker -----------------------------------------------------------------


def _process_id() -> int:
    return os.getpid()


def _exit_with(bot_pid: int) -> None:
    """End this worker with the bot. A bot killed outright (SIGKILL, out of memory) cannot
    stop its worker, which would wait for work forever, holding the bot's output open, or
    finish a rebuild and write files after the bot was restarted. On Linux the kernel kills
    it the moment the bot dies (the worker is the bot's child); elsewhere it checks every
    BOT_CHECK_SECONDS."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            if os.getppid() != bot_pid:  # the bot died before the signal was asked for
                os._exit(0)
            return

    def watch() -> None:
        while _running(bot_pid):
            time.sleep(BOT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="watch-bot", daemon=True).start()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone's process has that number: not ours to judge
        return True
    return True


def load_file(path: str, max_resources: int | None) -> _Built:
    """The snapshot of the catalogue file at `path`, its index from the cache beside it when
    that is of this very file, else built and saved there."""
    from bot.library import load_snapshot

    return _packed(load_snapshot, Path(path), max_resources)


def parse_upload(data: bytes, filename: str, max_resources: int | None, staged: str) -> _Built:
    """The snapshot of an uploaded catalogue, its index saved at `staged` for the caller to
    put in place once the file is written."""
    from bot.library import upload_snapshot

    return _packed(upload_snapshot, data, filename, max_resources, Path(staged))


def _packed(build: Any, *args: Any) -> _Built:
    """Run `build`, keeping what it logs at INFO and above to be logged by the bot."""
    records: list[logging.LogRecord] = []
    handler = _Keep(records)
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    try:
        snapshot = build(*args)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    logged = tuple((r.name, r.levelno, r.getMessage()) for r in records)
    return _Built(handover.pack(snapshot), logged)


class _Keep(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.INFO)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
