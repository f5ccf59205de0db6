"""What must survive a restart: questions asked, feedback votes, the last synced command tree.

Questions and votes are personal data: they are deleted after the retention period
(`purge_older_than`) or when a person asks (`forget_user`).

SQLite with a rollback journal behind a small async interface; each call runs in a worker
thread so the event loop never waits on the disk, and never longer than about two seconds, so
a button is answered within Discord's three. A store that cannot be opened or written
degrades: the bot keeps answering without recording, and the log says so once. A database
file deleted or replaced while the bot runs is noticed and opened (or made) again.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

from bot.database import connect, file_identity
from bot.migrations import StoreVersionError
from bot.usage import FeedbackCount, Stats, read_stats

__all__ = ["Deleted", "FeedbackCount", "QuestionRecord", "Stats", "Store", "Vote"]

log = logging.getLogger(__name__)

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

    def __init__(self, path: Path, connection: sqlite3.Connection | None) -> None:
        self.path = path
        self._connection = connection
        self._identity = file_identity(path) if connection is not None else None
        self._lock = threading.Lock()
        self._warned = connection is None
        self._questions = _GroupWrite(self, Store._insert_questions)

    @classmethod
    def open(cls, path: str | Path) -> Store:
        """Open (creating if needed) the database at `path` and apply the migrations it
        lacks. A store that cannot be opened logs one warning and records nothing; a database
        from a newer version of the bot raises `StoreVersionError` and is not touched."""
        path = Path(path)
        try:
            connection = connect(path)
        except (sqlite3.Error, OSError) as error:
            log.warning(
                "Cannot open the database %s (%s); answering without recording questions, "
                "feedback or the synced command tree. Set RESOURCE_BOT_DB to a writable path.",
                path,
                _reason(error),
            )
            return cls(path, None)
        return cls(path, connection)

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
    def _insert_questions(db: sqlite3.Connection, rows: Rows) -> bool:
        db.execute("BEGIN")
        try:
            db.executemany(
                "INSERT INTO questions (asked_at, guild_id, channel_id, user_id, locale,"
                " question, normalized, confident, best_id) VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return True

    async def record_vote(
        self, resource_id: str, user_id: int, helpful: bool, guild_id: int | None = None
    ) -> Vote:
        """One vote per person per resource in a server (`guild_id` None: direct messages),
        however many answers show the resource: the same press again is `ALREADY_COUNTED`,
        the other one `CHANGED`."""

        def vote(db: sqlite3.Connection) -> Vote:
            key = (resource_id, user_id, guild_id)
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "SELECT helpful FROM feedback"
                    " WHERE resource_id = ? AND user_id = ? AND guild_id IS ?",
                    key,
                ).fetchone()
                if row is None:
                    db.execute(
                        "INSERT INTO feedback (resource_id, user_id, guild_id, helpful,"
                        " voted_at) VALUES (?,?,?,?,?)",
                        (*key, int(helpful), time.time()),
                    )
                    outcome = Vote.COUNTED
                elif row[0] == int(helpful):
                    outcome = Vote.ALREADY_COUNTED
                else:
                    db.execute(
                        "UPDATE feedback SET helpful = ?, voted_at = ?"
                        " WHERE resource_id = ? AND user_id = ? AND guild_id IS ?",
                        (int(helpful), time.time(), *key),
                    )
                    outcome = Vote.CHANGED
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            return outcome

        return await self._run(vote, Vote.NOT_RECORDED)

    async def synced_tree_hash(self, scope: str) -> str | None:
        """The hash of the command tree last synced to `scope` ("global" or a guild)."""

        def select(db: sqlite3.Connection) -> str | None:
            row = db.execute(
                "SELECT tree_hash FROM synced_trees WHERE scope = ?", (scope,)
            ).fetchone()
            return row[0] if row else None

        return await self._run(select, None)

    async def remember_synced_tree(self, scope: str, tree_hash: str) -> bool:
        def upsert(db: sqlite3.Connection) -> bool:
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

        def delete(db: sqlite3.Connection) -> Deleted:
            return _delete_in_one_transaction(
                db,
                ("DELETE FROM questions WHERE asked_at < ?", (cutoff,)),
                ("DELETE FROM feedback WHERE voted_at < ?", (cutoff,)),
            )

        return await self._run(delete, Deleted(0, 0, available=False))

    async def forget_user(self, user_id: int) -> Deleted:
        """Delete every question and vote of one person in every server (their request)."""

        def delete(db: sqlite3.Connection) -> Deleted:
            return _delete_in_one_transaction(
                db,
                ("DELETE FROM questions WHERE user_id = ?", (user_id,)),
                ("DELETE FROM feedback WHERE user_id = ?", (user_id,)),
            )

        return await self._run(delete, Deleted(0, 0, available=False))

    async def forget_user_in(self, guild_id: int, user_id: int) -> Deleted:
        """Delete one person's questions and votes in one server only: a server's moderators
        act on what was asked there, not on what the person did elsewhere."""

        def delete(db: sqlite3.Connection) -> Deleted:
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

    async def _run(self, work: Callable[[sqlite3.Connection], T], fallback: T) -> T:
        if self._connection is None:
            return fallback
        return await asyncio.to_thread(self._run_locked, work, fallback)

    def _run_locked(self, work: Callable[[sqlite3.Connection], T], fallback: T) -> T:
        if not self._lock.acquire(timeout=LOCK_WAIT_SECONDS):
            self._warn_once("the store is busy")
            return fallback
        try:
            self._follow_the_file()
            if self._connection is None:
                return fallback
            return work(self._connection)
        except sqlite3.Error as error:
            self._warn_once(_reason(error))
            return fallback
        finally:
            self._lock.release()

    def _follow_the_file(self) -> None:
        """Writes to a database file that was deleted or replaced would vanish unseen: if
        the file at `path` is no longer the one opened, open (or make) it again."""
        if self._connection is None or file_identity(self.path) == self._identity:
            return
        log.warning(
            "The database %s was deleted or replaced while the bot ran; opening the file now "
            "at that path (a new, empty one if there is none). Votes and questions recorded "
            "since it changed may be lost.",
            self.path,
        )
        self._warned = True  # the failures this causes are the same incident
        self._connection.close()
        self._connection = None
        try:
            self._connection = connect(self.path)
        except (sqlite3.Error, OSError, StoreVersionError) as error:
            log.warning(
                "Cannot open the database %s again (%s); answering without recording.",
                self.path,
                _reason(error),
            )
            return
        self._identity = file_identity(self.path)

    def _warn_once(self, reason: str) -> None:
        if not self._warned:
            self._warned = True
            log.warning(
                "The database %s failed (%s); answers go on, but this is not "
                "recorded (the next failures are not logged).",
                self.path,
                reason,
            )


class _GroupWrite:
    """Rows written by one writer at a time: rows that come while a write is under way wait
    for it and are then written together, so a burst of questions costs a few transactions
    and worker-thread hand-offs instead of one each. `add` returns once its row is committed
    (True) or could not be (False)."""

    def __init__(self, store: Store, write: Callable[[sqlite3.Connection, Rows], bool]) -> None:
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


def _delete_in_one_transaction(
    db: sqlite3.Connection,
    questions: tuple[str, tuple[object, ...]],
    votes: tuple[str, tuple[object, ...]],
) -> Deleted:
    db.execute("BEGIN")
    try:
        deleted = Deleted(db.execute(*questions).rowcount, db.execute(*votes).rowcount)
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return deleted


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
