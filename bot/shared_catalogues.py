"""The catalogues several bot processes share through PostgreSQL (DATABASE_URL).

Each process serves catalogue files in its own state folder (bot.servers). With a shared
database every change made through one process (an upload, a reload, a reset) is also
written to the `catalogues` table, one row per server (0: the operator's default), numbered
from one sequence (one writer at a time, so numbers are committed in order), and announced
with NOTIFY. Every process LISTENs, and also reads the
newest number at least every `CHECK_SECONDS`, so a notice lost with a dropped connection is
caught within that time; what is newer than what it serves it writes to its own files and
serves (`Catalogues.adopt`). A process that starts writes the current rows to its files
before it loads them, so it serves the current version from its first answer.

A change that cannot be written to the database (the server is away) is kept and written
when it is back, newest per server; the process that made it serves it meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Iterable
from concurrent.futures import CancelledError as FutureCancelled
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import psycopg

from bot.catalog import CatalogError
from bot.config import LIVE_CATALOG_NAME
from bot.database import reason
from bot.files import write_atomically
from bot.library import TooManyResources, backup_path, served_catalogue
from bot.postgres import CONNECT_TIMEOUT_SECONDS, TCP_USER_TIMEOUT_MS, redact
from bot.rebuild import RebuildFailed
from bot.servers import SERVERS_FOLDER, Catalogues, server_files

log = logging.getLogger("bot.catalogues")

CHANNEL = "resource_bot_catalogues"
DEFAULT_ROW = 0  # the operator's default catalogue's guild_id (no Discord id is 0)
CHECK_SECONDS = 0.5  # the newest version is read at least this often
RECONNECT_SECONDS = 2.0
APPLY_SECONDS = 60.0  # how long serving one batch of changes may take (indexing a catalogue)
# pg_advisory_xact_lock's key for writing a catalogue ("catalogu"): writers take turns, so
# versions are committed in their order and a reader that has seen one has seen all before.
WRITE_LOCK = 0x6361_7461_6C6F_6775

Row = tuple[int, int, bytes | None]  # guild_id, version, data


def _connect(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(
        url,
        autocommit=True,
        connect_timeout=CONNECT_TIMEOUT_SECONDS,
        tcp_user_timeout=TCP_USER_TIMEOUT_MS,
        application_name="resource-bot catalogues",
    )


def _rows_after(db: psycopg.Connection[Any], version: int) -> list[Row]:
    rows = db.execute(
        "SELECT guild_id, version, data FROM catalogues WHERE version > %s ORDER BY version",
        (version,),
    ).fetchall()
    return [(int(g), int(v), None if d is None else bytes(d)) for g, v, d in rows]


def _write(
    db: psycopg.Connection[Any], guild_id: int, data: bytes | None, *, keep: bool
) -> int | None:
    """Store a catalogue with a new version and announce it (on commit); the version, or
    None when with `keep` a row that is there already was left alone (a first process
    offering its default)."""
    conflict = (
        "NOTHING"
        if keep
        else (
            "UPDATE SET version = excluded.version, data = excluded.data,"
            " changed_at = excluded.changed_at"
        )
    )
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
        row = db.execute(
            "INSERT INTO catalogues (guild_id, version, data, changed_at)"
            " VALUES (%s, nextval('catalogue_versions'), %s, %s)"
            f" ON CONFLICT (guild_id) DO {conflict} RETURNING version",
            (guild_id, data, time.time()),
        ).fetchone()
        if row is None:
            return None
        db.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(row[0])))
        return int(row[0])


def pull(url: str, state_dir: Path, source: Path) -> int:
    """Before the catalogues are loaded: write the shared ones into `state_dir` (the first
    process to start offers its default, and every process the servers' own catalogues it
    kept before they were shared), so this process starts with the current versions.
    Returns the newest version written (0 when the database cannot be used: the local files
    are served and the listener catches up once it can connect)."""
    try:
        with _connect(url) as db:
            rows = _rows_after(db, 0)
            shared = {guild_id for guild_id, _, _ in rows}
            offered = [
                (guild_id, path)
                for guild_id, path in server_files(state_dir / SERVERS_FOLDER)
                if guild_id not in shared and path.is_file()  # kept before they were shared
            ]
            if DEFAULT_ROW not in shared:
                offered.append((DEFAULT_ROW, served_catalogue(state_dir, source)))
            for guild_id, path in offered:
                _write(db, guild_id, path.read_bytes(), keep=True)
            if offered:
                rows = _rows_after(db, 0)
    except (psycopg.Error, OSError) as error:
        log.warning(
            "cannot read the shared catalogues (%s); serving this machine's files until the "
            "database can be used",
            redact(url, reason(error)),
        )
        return 0
    for guild_id, _, data in rows:
        _place(state_dir, guild_id, data)
    return max((version for _, version, _ in rows), default=0)


def _place(state_dir: Path, guild_id: int, data: bytes | None) -> None:
    """Make the file of one catalogue hold `data` (None: the server's own is retired and
    kept as a backup), as an upload or reset would have left it."""
    if guild_id == DEFAULT_ROW:
        path = state_dir / LIVE_CATALOG_NAME
    else:
        path = state_dir / SERVERS_FOLDER / str(guild_id) / LIVE_CATALOG_NAME
    current = path.read_bytes() if path.is_file() else None
    if current == data:
        return
    if current is not None:
        os.replace(path, backup_path(path))
    if data is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)


class SharedCatalogues:
    """Keeps one process's catalogues in step with the database: `publish` what changed
    here, and a listener thread that serves what changed elsewhere."""

    def __init__(self, url: str, catalogues: Catalogues, seen: int) -> None:
        self._url = url
        self._catalogues = catalogues
        self._seen = seen  # the newest version this process serves
        self._unpublished: dict[int, bytes | None] = {}  # changes not written yet
        # Versions written by this process: served here already, so never adopted again
        # (a late adoption would undo what was changed here since).
        self._published: set[int] = set()
        self._guard = threading.Lock()
        self._writing = threading.Lock()  # one writer at a time: each change one version
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._warned = False
        catalogues.announce = self.publish

    @property
    def version(self) -> int:
        """The newest catalogue version this process serves."""
        return self._seen

    def start(self) -> None:
        """Listen for changes in a thread of its own (psycopg waits there, not the loop)."""
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._listen, name="catalogues", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=CHECK_SECONDS + CONNECT_TIMEOUT_SECONDS + 1)

    async def publish(self, guild_id: int | None, data: bytes | None) -> None:
        """Share a change made here; if the database cannot take it now it is kept and
        written by the listener when it can."""
        with self._guard:
            self._unpublished[DEFAULT_ROW if guild_id is None else guild_id] = data
        if await asyncio.to_thread(self._write_unpublished) is None:
            log.warning(
                "the catalogue change of %s is served here but not shared yet (%s); it is "
                "written to the database as soon as that can be used",
                _which(guild_id),
                redact(self._url, self._last_failure),
            )

    def _write_unpublished(self) -> int | None:
        """Write the changes not shared yet: how many were written, or None (the reason in
        `_last_failure`) when the database cannot take them now: they stay for the next
        try."""
        with self._writing:
            with self._guard:
                pending = dict(self._unpublished)
            if not pending:
                return 0
            try:
                with _connect(self._url) as db:
                    for guild_id, data in pending.items():
                        version = _write(db, guild_id, data, keep=False)
                        with self._guard:
                            if version is not None:
                                self._published.add(version)
                            if self._unpublished.get(guild_id, b"") is data:
                                del self._unpublished[guild_id]
            except psycopg.Error as error:
                self._last_failure = reason(error)
                return None
            self._last_failure = ""
            return len(pending)

    _last_failure = ""

    def _listen(self) -> None:
        while not self._stopped.is_set():
            try:
                with _connect(self._url) as db:
                    db.execute(f"LISTEN {CHANNEL}")
                    self._recovered()
                    while not self._stopped.is_set():
                        # Only what a publish could not write: the others are being written.
                        if self._unpublished and self._last_failure and self._write_unpublished():
                            log.info("the catalogue changes made meanwhile are shared now")
                        self._serve(_rows_after(db, self._seen))
                        # Wakes at a notice or after CHECK_SECONDS, whichever comes first.
                        for _ in db.notifies(timeout=CHECK_SECONDS, stop_after=1):
                            pass
            except psycopg.Error as error:
                self._warn(f"cannot follow the shared catalogues ({reason(error)})")
                self._stopped.wait(RECONNECT_SECONDS)

    def _serve(self, rows: Iterable[Row]) -> None:
        """Serve each newer catalogue on the event loop; the newest version is noted even
        when one of them is refused, so a bad one is reported once, not forever."""
        for guild_id, version, data in rows:
            if self._stopped.is_set() or self._loop is None:
                return
            with self._guard:
                made_here = version in self._published
                # older ones of this process will not be read again: overwritten since
                self._published = {v for v in self._published if v > version}
            if made_here:
                self._seen = version
                continue
            target = None if guild_id == DEFAULT_ROW else guild_id
            work = asyncio.run_coroutine_threadsafe(
                self._catalogues.adopt(target, data), self._loop
            )
            try:
                if work.result(timeout=APPLY_SECONDS):
                    log.info("serving catalogue version %d (%s)", version, _which(target))
            except (CatalogError, TooManyResources) as error:
                log.error(
                    "catalogue version %d (%s) is refused: %s", version, _which(target), error
                )
            except (FutureTimeout, FutureCancelled, RuntimeError):  # the loop is closing
                return
            except RebuildFailed:  # read again at the next poll, with a new worker
                log.error("catalogue version %d (%s) could not be built", version, _which(target))
                return
            self._seen = version

    def _warn(self, message: str) -> None:
        if not self._warned:
            self._warned = True
            log.warning("%s; trying again", redact(self._url, message))

    def _recovered(self) -> None:
        if self._warned:
            self._warned = False
            log.info("the shared catalogues can be followed again")


def _which(guild_id: int | None) -> str:
    return "the default" if guild_id is None else f"server {guild_id}"
