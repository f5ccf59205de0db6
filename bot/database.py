"""Opening the store's SQLite file: its settings, its migrations, and which file it is.

Kept apart from bot.store, which reads and writes; this decides how the file is used.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from bot.migrations import migrate, refuse_newer

# How long a statement waits for another process's lock on the file before failing.
BUSY_TIMEOUT_MS = 1000


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
