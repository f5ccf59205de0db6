"""Where the store keeps its rows: a SQLite file (the embedded default) or, in bot.postgres,
a PostgreSQL server that several bot processes share.

Kept apart from bot.store, which holds the rules (one vote per person, what a purge deletes);
this decides how the database is opened, watched and reopened, and how its failures are told.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from bot.migrations import StoreVersionError, migrate, refuse_newer

log = logging.getLogger("bot.store")

# How long a statement waits for another process's lock on the file before failing.
BUSY_TIMEOUT_MS = 1000


class Connection(Protocol):
    """What the store's SQL needs of a connection: sqlite3's, or bot.postgres's wrapper,
    which takes the same `?` placeholders."""

    @property
    def in_transaction(self) -> bool: ...

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], /) -> Any: ...

    def close(self) -> None: ...


class Place:
    """A database the store can open, and the one warning its failures are logged with."""

    # What a failing call raises; the store answers with its fallback instead.
    errors: tuple[type[Exception], ...] = ()
    # Whether a store that could not open, or lost its connection, tries again by itself.
    reconnects = False
    # The longest a call may take before the store answers with its fallback (None: the
    # database's own timeouts bound it).
    deadline: float | None = None

    def __init__(self) -> None:
        self._warned = False

    def describe(self) -> str:
        """The database as log lines name it: never with a password."""
        raise NotImplementedError

    def open(self) -> Connection | None:
        """A connection with every migration applied, or None (logged once) when the
        database cannot be used. Raises `StoreVersionError` for a newer database."""
        raise NotImplementedError

    def current(self, connection: Connection | None) -> Connection | None:
        """The connection the next call uses: `connection`, or a new one if it went stale."""
        return connection

    def warn_once(self, reason: str) -> None:
        """Log a failure, unless this incident was logged already."""
        if not self._warned:
            self._warned = True
            log.warning(
                "The database %s failed (%s); answers go on, but this is not "
                "recorded (the next failures are not logged).",
                self.describe(),
                reason,
            )


class SqliteFile(Place):
    """The embedded default: one file, written by one bot process."""

    errors = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self._identity: tuple[int, int] | None = None

    def describe(self) -> str:
        return str(self.path)

    def open(self) -> Connection | None:
        try:
            connection = connect(self.path)
        except (sqlite3.Error, OSError) as error:
            self._warned = True
            log.warning(
                "Cannot open the database %s (%s); answering without recording questions, "
                "feedback or the synced command tree. Set RESOURCE_BOT_DB to a writable path.",
                self.path,
                reason(error),
            )
            return None
        self._identity = file_identity(self.path)
        return connection

    def current(self, connection: Connection | None) -> Connection | None:
        """Writes to a database file that was deleted or replaced would vanish unseen: if
        the file at `path` is no longer the one opened, open (or make) it again."""
        if connection is None or file_identity(self.path) == self._identity:
            return connection
        log.warning(
            "The database %s was deleted or replaced while the bot ran; opening the file now "
            "at that path (a new, empty one if there is none). Votes and questions recorded "
            "since it changed may be lost.",
            self.path,
        )
        self._warned = True  # the failures this causes are the same incident
        connection.close()
        try:
            connection = connect(self.path)
        except (sqlite3.Error, OSError, StoreVersionError) as error:
            log.warning(
                "Cannot open the database %s again (%s); answering without recording.",
                self.path,
                reason(error),
            )
            return None
        self._identity = file_identity(self.path)
        return connection


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the database at `path`, made if missing, with every migration applied.

    A rollback journal rather than WAL: WAL keeps its index in a memory-mapped -shm file,
    and a fault on that file (a disk remounted read-only) kills the whole process with
    SIGBUS instead of failing a call. One bot process writes the file, so WAL's concurrent
    readers buy nothing, and other processes (a backup, an operator's sqlite3) can still
    read it, which WAL's exclusive locking mode would forbid."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        refuse_newer(connection, path)  # before anything writes to the file
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("PRAGMA synchronous = FULL")
        migrate(connection, path)
    except BaseException:
        connection.close()
        raise
    return connection


def file_identity(path: Path) -> tuple[int, int] | None:
    """Which file is at `path` (None: none), to notice it being deleted or replaced."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


def reason(error: BaseException) -> str:
    """What went wrong, in a few words for a log line."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    lines = str(error).strip().splitlines()  # PostgreSQL adds the statement's text
    return lines[0] if lines else type(error).__name__
