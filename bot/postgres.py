"""The store on a PostgreSQL server (DATABASE_URL), shared by several bot processes.

Every wait is bounded well under Discord's 3-second deadline: connecting, each statement,
each lock. A server that cannot be reached makes the store degrade as a broken SQLite file
does (answers go on, nothing is recorded, one warning); the store tries to connect again
every few seconds and says so when it can. The URL's password never reaches a log line.

Needs psycopg (`pip install .[postgres]`), imported only when DATABASE_URL is set.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg.pq import TransactionStatus

from bot.database import Connection, Place, reason
from bot.migrations import POSTGRES_MIGRATIONS, SCHEMA_VERSION, check_version

log = logging.getLogger("bot.store")

CONNECT_TIMEOUT_SECONDS = 2  # libpq's smallest
STATEMENT_TIMEOUT_MS = 1500
LOCK_TIMEOUT_MS = 1000
# A dead peer is noticed after this long without an acknowledgement, not after minutes.
TCP_USER_TIMEOUT_MS = 2000
RECONNECT_SECONDS = 5.0  # how often a store without a connection tries again
CALL_DEADLINE_SECONDS = 2.0
# Migrating may wait for another process's migration and take longer than one statement.
MIGRATION_TIMEOUT = "60s"
# pg_advisory_xact_lock's key for migrating: any number no other program on the server uses.
MIGRATION_LOCK = 0x7265_736F_7572_6365  # "resource"

_SQLITE_ONLY = {"BEGIN IMMEDIATE": "BEGIN"}  # PostgreSQL takes row locks as it writes


class PostgresConnection:
    """A psycopg connection that takes the store's SQL as written for SQLite: `?`
    placeholders (the store's SQL holds no other `?` and no `%`), BEGIN IMMEDIATE."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status in (
            TransactionStatus.INTRANS,
            TransactionStatus.INERROR,
            TransactionStatus.ACTIVE,
        )

    @property
    def broken(self) -> bool:
        return self.raw.closed or self.raw.broken

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> psycopg.Cursor[Any]:
        return self.raw.execute(_dialect(sql), parameters)  # type: ignore[arg-type]

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], /) -> psycopg.Cursor[Any]:
        """One statement per row: psycopg's own executemany pipelines them, and logs a
        warning of its own when one fails (the store logs its one warning itself)."""
        cursor = self.raw.cursor()
        for row in rows:
            cursor.execute(_dialect(sql), row)  # type: ignore[arg-type]
        return cursor

    def close(self) -> None:
        self.raw.close()


def _dialect(sql: str) -> str:
    return _SQLITE_ONLY.get(sql, sql).replace("?", "%s")


class PostgresServer(Place):
    """A database on a PostgreSQL server, which other bot processes may use at once."""

    errors = (psycopg.Error,)
    reconnects = True
    deadline = CALL_DEADLINE_SECONDS

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = url
        self._next_attempt = 0.0

    def describe(self) -> str:
        try:
            parts = urlsplit(self._url)
            where = f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
        except ValueError:
            return "at DATABASE_URL"
        return f"{parts.path.lstrip('/') or '(default)'} on {where}"

    def open(self) -> Connection | None:
        connection = self._connect()
        if connection is None:
            self._warned = True
            log.warning(
                "Cannot use the PostgreSQL database %s (%s); answering without recording "
                "questions, feedback or the synced command tree, and trying again every %d "
                "s. Check DATABASE_URL and the server.",
                self.describe(),
                self._last_reason,
                RECONNECT_SECONDS,
            )
        return connection

    def current(self, connection: Connection | None) -> Connection | None:
        """The connection, or a new one when it was lost (at most one try every few
        seconds, so calls while the server is away return at once)."""
        if connection is not None and not getattr(connection, "broken", False):
            return connection
        if connection is not None:
            connection.close()
        if time.monotonic() < self._next_attempt:
            return None
        fresh = self._connect()
        if fresh is None:
            self.warn_once(self._last_reason)
        elif self._warned:
            self._warned = False  # a later failure is a new incident
            log.info("The PostgreSQL database %s can be used again.", self.describe())
        return fresh

    def _connect(self) -> PostgresConnection | None:
        self._next_attempt = time.monotonic() + RECONNECT_SECONDS
        try:
            raw = psycopg.connect(
                self._url,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                tcp_user_timeout=TCP_USER_TIMEOUT_MS,
                application_name="resource-bot",
                options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}"
                f" -c lock_timeout={LOCK_TIMEOUT_MS}",
            )
        except psycopg.Error as error:
            self._last_reason = self._redact(reason(error))
            return None
        connection = PostgresConnection(raw)
        try:
            migrate(connection, self.describe())
        except psycopg.Error as error:
            connection.close()
            self._last_reason = self._redact(reason(error))
            return None
        except BaseException:  # StoreVersionError: not ours to use
            connection.close()
            raise
        return connection

    def _redact(self, text: str) -> str:
        return redact(self._url, text)

    _last_reason = "not connected yet"


def redact(url: str, text: str) -> str:
    """`text` without the URL's password, should a message ever quote it."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    return text.replace(password, "***") if password else text


def migrate(db: PostgresConnection, database: str) -> int:
    """Apply the migrations the database lacks, in one transaction, and record the version;
    returns the version it had. An advisory lock makes a second process that starts at the
    same time wait, then find nothing left to do. A newer database raises
    `StoreVersionError` before anything is written."""
    db.execute("BEGIN")
    try:
        db.execute(f"SET LOCAL lock_timeout = '{MIGRATION_TIMEOUT}'")
        db.execute(f"SET LOCAL statement_timeout = '{MIGRATION_TIMEOUT}'")
        db.execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
        found = 0
        if db.execute("SELECT to_regclass('schema_version')").fetchone()[0] is not None:
            row = db.execute("SELECT version FROM schema_version").fetchone()
            found = row[0] if row else 0
        check_version(found, database, "set DATABASE_URL to another database")
        for statement in (s for step in POSTGRES_MIGRATIONS[found:] for s in step):
            db.execute(statement)
        db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), version INTEGER NOT NULL)"
        )
        # Written even when unchanged: a database that cannot be written fails at start.
        db.execute(
            "INSERT INTO schema_version (version) VALUES (?)"
            " ON CONFLICT (one) DO UPDATE SET version = excluded.version",
            (SCHEMA_VERSION,),
        )
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction and not db.broken:
            db.execute("ROLLBACK")
        raise
    if found != SCHEMA_VERSION:
        log.info("database %s migrated from version %d to %d", database, found, SCHEMA_VERSION)
    return found
