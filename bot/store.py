"""What must survive a restart: questions asked, feedback votes, the last synced command tree.

Questions and votes are personal data: they are deleted after the retention period
(`purge_older_than`) or when a person asks (`forget_user`).

A SQLite file (the embedded default), or a PostgreSQL server that several bot processes share
(DATABASE_URL, see bot.postgres), behind one small async interface; each call runs in a worker
thread so the event loop never waits on the database, and never longer than about two
seconds, so a button is answered within Discord's three. A store that cannot be opened or
written degrades: the bot keeps answering without recording, and the log says so once. A
database file deleted or replaced while the bot runs is noticed and opened (or made) again;
a PostgreSQL server that went away is connected to again when it is back.
"""

from __future__ import annotations

import asyncio
import enum
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from bot.config import ConfigError
from bot.database import Connection, Place, SqliteFile, reason
from bot.usage import FeedbackCount, Stats, read_stats

__all__ = ["Deleted", "FeedbackCount", "QuestionRecord", "Stats", "Store", "Vote"]

# How long a call waits for this store's own lock; with the file's busy timeout
# (bot.database) well under Discord's 3-second deadline for answering a button.
LOCK_WAIT_SECONDS = 1.0
STATS_ROWS = 10
MAX_QUESTION_CHARS = 2000

T = TypeVar("T")
Rows = list[tuple[object, ...]]


class Vote(enum.Enum):
    """What became of a feedback press."""

    COUNTED = "counted"
    CHANGED = "changed"  # the person had voted the other way on this resource
    ALREADY_COUNTED = "already counted"
    NOT_RECORDED = "not recorded"  # the store is unavailable


@dataclass(frozen=True)
class QuestionRecord:
    """One question someone asked, and how it was answered."""

    user_id: int
    locale: str
    question: str
    confident: bool
    best_id: str | None
    guild_id: int | None = None
    channel_id: int | None = None
    asked_at: float | None = None  # seconds since the epoch; None = now


@dataclass(frozen=True)
class Deleted:
    """How many questions and votes a purge or a forget request deleted."""

    questions: int
    votes: int
    available: bool = True  # False: the store is unavailable and nothing was deleted


def normalize_question(question: str) -> str:
    """The form questions are grouped by: case and spacing ignored."""
    return re.sub(r"\s+", " ", question).strip().casefold()


class Store:
    """The bot's persistent state. Use `Store.open`; every method is safe to await."""

    def __init__(self, place: Place, connection: Connection | None) -> None:
        self._place = place
        self._connection = connection
        self._lock = threading.Lock()
        self._questions = _GroupWrite(self, Store._insert_questions)

    @classmethod
    def open(cls, path: str | Path, database_url: str | None = None) -> Store:
        """Open the PostgreSQL database at `database_url` if given, else the SQLite file at
        `path` (made if needed), and apply the migrations it lacks. A store that cannot be
        opened logs one warning and records nothing (a PostgreSQL one tries again later); a
        database from a newer version of the bot raises `StoreVersionError` and is not
        touched."""
        place: Place
        if database_url:
            try:
                from bot.postgres import PostgresServer  # psycopg: only with DATABASE_URL
            except ImportError:
                raise ConfigError(
                    "DATABASE_URL is set but psycopg is not installed: "
                    "pip install '.[postgres]', or leave DATABASE_URL empty for SQLite"
                ) from None
            place = PostgresServer(database_url)
        else:
            place = SqliteFile(Path(path))
        return cls(place, place.open())

    @property
    def available(self) -> bool:
        """False when the database could not be opened or has failed."""
        return self._connection is not None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    # --- writes ----------------------------------------------------------------------------

    async def record_question(self, record: QuestionRecord) -> bool:
        """Log a question; False if it could not be recorded. Questions that come while
        earlier ones are being written are written next, together, in one transaction."""
        if self._connection is None:
            return False
        asked_at = time.time() if record.asked_at is None else record.asked_at
        question = record.question[:MAX_QUESTION_CHARS]
        row = (
            asked_at,
            record.guild_id,
            record.channel_id,
            record.user_id,
            record.locale,
            question,
            normalize_question(question),
            int(record.confident),
            record.best_id,
        )
        return await self._questions.add(row)

    @staticmethod
    def _insert_questions(db: Connection, rows: Rows) -> bool:
        with _transaction(db):
            db.executemany(
                "INSERT INTO questions (asked_at, guild_id, channel_id, user_id, locale,"
                " question, normalized, confident, best_id) VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )
        return True

    async def record_vote(
        self, resource_id: str, user_id: int, helpful: bool, guild_id: int | None = None
    ) -> Vote:
        """One vote per person per resource in a server (`guild_id` None: direct messages),
        however many answers show the resource: the same press again is `ALREADY_COUNTED`,
        the other one `CHANGED`."""
        # The key as the unique index has it: 0 stands for "no server" (no Discord id is 0).
        key = (resource_id, user_id, guild_id or 0)
        where = "resource_id = ? AND user_id = ? AND coalesce(guild_id, 0) = ?"

        def vote(db: Connection) -> Vote:
            # Another process may insert the same vote between our read and our insert
            # (SQLite's BEGIN IMMEDIATE forbids it; PostgreSQL does not): then read again.
            for _ in range(2):
                with _transaction(db, "BEGIN IMMEDIATE"):
                    row = db.execute(f"SELECT helpful FROM feedback WHERE {where}", key)
                    row = row.fetchone()
                    if row is None:
                        inserted = db.execute(
                            "INSERT INTO feedback (resource_id, user_id, guild_id, helpful,"
                            " voted_at) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING",
                            (resource_id, user_id, guild_id, int(helpful), time.time()),
                        )
                        if inserted.rowcount == 1:
                            return Vote.COUNTED
                        continue
                    if row[0] == int(helpful):
                        return Vote.ALREADY_COUNTED
                    db.execute(
                        f"UPDATE feedback SET helpful = ?, voted_at = ? WHERE {where}",
                        (int(helpful), time.time(), *key),
                    )
                    return Vote.CHANGED
            return Vote.NOT_RECORDED

        return await self._run(vote, Vote.NOT_RECORDED)

    async def synced_tree_hash(self, scope: str) -> str | None:
        """The hash of the command tree last synced to `scope` ("global" or a guild)."""

        def select(db: Connection) -> str | None:
            row = db.execute(
                "SELECT tree_hash FROM synced_trees WHERE scope = ?", (scope,)
            ).fetchone()
            return row[0] if row else None

        return await self._run(select, None)

    async def remember_synced_tree(self, scope: str, tree_hash: str) -> bool:
        def upsert(db: Connection) -> bool:
            db.execute(
                "INSERT INTO synced_trees (scope, tree_hash, synced_at) VALUES (?,?,?)"
                " ON CONFLICT(scope) DO UPDATE SET tree_hash = excluded.tree_hash,"
                " synced_at = excluded.synced_at",
                (scope, tree_hash, time.time()),
            )
            return True

        return await self._run(upsert, False)

    # --- privacy ---------------------------------------------------------------------------

    async def purge_older_than(self, cutoff: float) -> Deleted:
        """Delete questions asked and votes cast before `cutoff` (seconds since the epoch),
        so nothing personal is kept longer than the retention period."""

        def delete(db: Connection) -> Deleted:
            return _delete_in_one_transaction(
                db,
                ("DELETE FROM questions WHERE asked_at < ?", (cutoff,)),
                ("DELETE FROM feedback WHERE voted_at < ?", (cutoff,)),
            )

        return await self._run(delete, Deleted(0, 0, available=False))

    async def forget_user(self, user_id: int) -> Deleted:
        """Delete every question and vote of one person in every server (their request)."""

        def delete(db: Connection) -> Deleted:
            return _delete_in_one_transaction(
                db,
                ("DELETE FROM questions WHERE user_id = ?", (user_id,)),
                ("DELETE FROM feedback WHERE user_id = ?", (user_id,)),
            )

        return await self._run(delete, Deleted(0, 0, available=False))

    async def forget_user_in(self, guild_id: int, user_id: int) -> Deleted:
        """Delete one person's questions and votes in one server only: a server's moderators
        act on what was asked there, not on what the person did elsewhere."""

        def delete(db: Connection) -> Deleted:
            key = (user_id, guild_id)
            return _delete_in_one_transaction(
                db,
                ("DELETE FROM questions WHERE user_id = ? AND guild_id = ?", key),
                ("DELETE FROM feedback WHERE user_id = ? AND guild_id = ?", key),
            )

        return await self._run(delete, Deleted(0, 0, available=False))

    # --- reads -----------------------------------------------------------------------------

    async def stats(
        self, since: float | None = None, limit: int = STATS_ROWS, guild_id: int | None = None
    ) -> Stats:
        """Most asked questions, questions without a confident answer, and the votes per
        resource, since `since` (seconds since the epoch; None = ever), in the server
        `guild_id` (None: every server, the operator's view)."""
        empty = Stats(since, 0, (), (), (), available=False)
        return await self._run(
            partial(read_stats, since=since, limit=limit, guild_id=guild_id), empty
        )

    # --- plumbing --------------------------------------------------------------------------

    async def _run(self, work: Callable[[Connection], T], fallback: T) -> T:
        if self._connection is None and not self._place.reconnects:
            return fallback
        call = asyncio.to_thread(self._run_locked, work, fallback)
        if self._place.deadline is None:
            return await call
        try:
            return await asyncio.wait_for(call, self._place.deadline)
        except TimeoutError:  # the call goes on in its thread; its answer comes too late
            self._place.warn_once(f"no answer within {self._place.deadline:g} s")
            return fallback

    def _run_locked(self, work: Callable[[Connection], T], fallback: T) -> T:
        if not self._lock.acquire(timeout=LOCK_WAIT_SECONDS):
            self._place.warn_once("the store is busy")
            return fallback
        try:
            self._connection = self._place.current(self._connection)
            if self._connection is None:
                return fallback
            return work(self._connection)
        except self._place.errors as error:
            self._place.warn_once(reason(error))
            return fallback
        finally:
            self._lock.release()


class _GroupWrite:
    """Rows written by one writer at a time: rows that come while a write is under way wait
    for it and are then written together, so a burst of questions costs a few transactions
    and worker-thread hand-offs instead of one each. `add` returns once its row is committed
    (True) or could not be (False)."""

    def __init__(self, store: Store, write: Callable[[Connection, Rows], bool]) -> None:
        self._store = store
        self._write = write
        self._pending: list[tuple[tuple[object, ...], asyncio.Future[bool]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def add(self, row: tuple[object, ...]) -> bool:
        loop = asyncio.get_running_loop()
        written: asyncio.Future[bool] = loop.create_future()
        self._pending.append((row, written))
        writer = self._writer
        if writer is None or writer.done() or writer.get_loop() is not loop:
            self._writer = loop.create_task(self._write_pending())
        return await written

    async def _write_pending(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            rows = [row for row, _ in batch]
            try:
                ok = await self._store._run(partial(self._write, rows=rows), False)
            except BaseException as error:  # the loop is closing under us
                for _, written in batch:
                    if written.done():
                        continue
                    if isinstance(error, asyncio.CancelledError):
                        written.cancel()
                    else:
                        written.set_exception(error)
                raise
            for _, written in batch:
                if not written.done():  # a caller cancelled while waiting needs no answer
                    written.set_result(ok)


@contextmanager
def _transaction(db: Connection, begin: str = "BEGIN") -> Iterator[None]:
    """Commit what the block did, or roll it all back if it raised."""
    db.execute(begin)
    try:
        yield
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _delete_in_one_transaction(
    db: Connection,
    questions: tuple[str, tuple[object, ...]],
    votes: tuple[str, tuple[object, ...]],
) -> Deleted:
    with _transaction(db):
        return Deleted(db.execute(*questions).rowcount, db.execute(*votes).rowcount)
