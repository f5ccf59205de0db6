"""The store: questions, one vote per person per resource, the synced tree, stats, degrading.

The behaviour tests run on both databases: the SQLite file and a PostgreSQL server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.migrations import SCHEMA_VERSION, StoreVersionError
from bot.store import QuestionRecord, Store, Vote


@pytest.fixture(params=["sqlite", "postgres"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """Opens the test's one database, again at each call: a SQLite file or a PostgreSQL
    database."""
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else None
    opened: list[Store] = []

    def open_again() -> Store:
        opened.append(Store.open(tmp_path / "state" / "bot.sqlite3", url))
        return opened[-1]

    yield open_again
    for store in opened:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], Store]) -> Store:
    return open_store()


def question(text: str, confident: bool = True, best: str | None = "a", at: float | None = None):
    return QuestionRecord(
        user_id=1, locale="en-US", question=text, confident=confident, best_id=best, asked_at=at
    )


async def test_opens_without_shared_memory_and_creates_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "bot.sqlite3"
    store = Store.open(path)
    assert store.available and path.exists()
    assert await store.record_vote("guide", 7, helpful=True) is Vote.COUNTED
    assert not path.with_name("bot.sqlite3-shm").exists()  # no memory-mapped file to fault
    store.close()


async def test_questions_asked_together_are_written_together(
    open_store: Callable[[], Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    insert = Store._insert_questions

    def counted(db: sqlite3.Connection, rows: list) -> bool:
        batches.append(len(rows))
        return insert(db, rows)

    monkeypatch.setattr(Store, "_insert_questions", staticmethod(counted))
    store = open_store()
    asked = [store.record_question(question(f"question {n}")) for n in range(50)]
    assert await asyncio.gather(*asked) == [True] * 50  # each returns once committed
    assert sum(batches) == 50 and len(batches) < 10
    assert (await store.stats()).questions == 50


async def test_one_vote_per_person_per_resource_and_server_which_can_change(
    store: Store,
) -> None:
    assert await store.record_vote("guide", 7, helpful=True, guild_id=1) is Vote.COUNTED
    assert await store.record_vote("guide", 7, helpful=True, guild_id=1) is Vote.ALREADY_COUNTED
    assert await store.record_vote("guide", 7, helpful=False, guild_id=1) is Vote.CHANGED
    assert await store.record_vote("guide", 7, helpful=False, guild_id=1) is Vote.ALREADY_COUNTED
    assert await store.record_vote("guide", 8, helpful=False, guild_id=1) is Vote.COUNTED
    assert await store.record_vote("guide", 7, helpful=True, guild_id=2) is Vote.COUNTED
    assert await store.record_vote("guide", 7, helpful=True) is Vote.COUNTED  # a DM
    assert await store.record_vote("guide", 7, helpful=True) is Vote.ALREADY_COUNTED
    assert await store.record_vote("lora", 7, helpful=True, guild_id=1) is Vote.COUNTED
    stats = await store.stats()
    assert [(f.resource_id, f.helpful, f.not_helpful) for f in stats.feedback] == [
        ("guide", 2, 2),
        ("lora", 1, 0),
    ]


async def test_stats_group_questions_and_list_the_unanswered(store: Store) -> None:
    for text in ("When should I fine-tune?", "when should i   FINE-TUNE?", "What is LoRA?"):
        await store.record_question(question(text))
    await store.record_question(question("how do I bake bread", confident=False, best=None))
    stats = await store.stats()
    assert stats.questions == 4
    assert stats.most_asked[0][1] == 2
    assert stats.most_asked[0][0].casefold().startswith("when should i")
    assert stats.unanswered == (("how do I bake bread", 1),)


async def test_stats_since_leave_out_older_questions(store: Store) -> None:
    await store.record_question(question("old question", at=time.time() - 10 * 86400))
    await store.record_question(question("new question"))
    recent = await store.stats(since=time.time() - 86400)
    assert [q for q, _ in recent.most_asked] == ["new question"]
    assert len((await store.stats()).most_asked) == 2


async def test_synced_tree_hash_survives_reopening(open_store: Callable[[], Store]) -> None:
    store = open_store()
    assert await store.synced_tree_hash("global") is None
    await store.remember_synced_tree("global", "abc")
    await store.remember_synced_tree("global", "def")
    store.close()
    reopened = open_store()
    assert await reopened.synced_tree_hash("global") == "def"
    assert await reopened.synced_tree_hash("guild:1") is None


async def test_unopenable_store_answers_without_recording_and_warns_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        store = Store.open(blocker / "bot.sqlite3")
        assert not store.available
        assert await store.record_question(question("anything")) is False
        assert await store.record_vote("guide", 1, True) is Vote.NOT_RECORDED
        assert await store.synced_tree_hash("global") is None
        assert not (await store.stats()).available
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "RESOURCE_BOT_DB" in warnings[0].getMessage()


async def test_store_that_fails_later_warns_once(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    store._connection.execute("DROP TABLE questions")  # the database is damaged under us
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        assert await store.record_question(question("one")) is False
        assert await store.record_question(question("two")) is False
        together = [store.record_question(question(f"q{n}")) for n in range(5)]
        assert await asyncio.gather(*together) == [False] * 5
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
    assert await store.record_vote("guide", 1, True) is Vote.COUNTED  # the rest still works


async def test_not_a_database_file_degrades(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    store = Store.open(path)
    assert not store.available
    assert await store.record_vote("guide", 1, True) is Vote.NOT_RECORDED


# --- migrations -------------------------------------------------------------------------------

# The schema the bot created before its migrations were numbered (it set user_version 1).
# A copy, kept here as written then: the migrations must recognise databases made with it.
SCHEMA_BEFORE_MIGRATIONS = """
CREATE TABLE IF NOT EXISTS questions (
    id          INTEGER PRIMARY KEY,
    asked_at    REAL    NOT NULL,
    guild_id    INTEGER,
    channel_id  INTEGER,
    user_id     INTEGER NOT NULL,
    locale      TEXT    NOT NULL,
    question    TEXT    NOT NULL,
    normalized  TEXT    NOT NULL,
    confident   INTEGER NOT NULL,
    best_id     TEXT
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
CREATE TABLE IF NOT EXISTS feedback (
    message_id  INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    resource_id TEXT    NOT NULL,
    helpful     INTEGER NOT NULL,
    voted_at    REAL    NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
CREATE INDEX IF NOT EXISTS feedback_voted_at ON feedback (voted_at);
CREATE TABLE IF NOT EXISTS synced_trees (
    scope       TEXT PRIMARY KEY,
    tree_hash   TEXT NOT NULL,
    synced_at   REAL NOT NULL
);
"""


def database_before_migrations(path: Path, user_version: int) -> None:
    """A database as the bot made it before migrations, with a few rows in every table."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript(SCHEMA_BEFORE_MIGRATIONS)
        db.execute(f"PRAGMA user_version = {user_version}")
        now = time.time()
        db.executemany(
            "INSERT INTO questions (asked_at, guild_id, channel_id, user_id, locale, question,"
            " normalized, confident, best_id) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (now - 60, 1, 2, 7, "en-US", "What is LoRA?", "what is lora?", 1, "lora"),
                (now - 30, 1, 2, 8, "sv-SE", "Baka bröd?", "baka bröd?", 0, None),
            ],
        )
        db.executemany(  # person 7 voted on two answers showing 'lora', then changed mind
            "INSERT INTO feedback VALUES (?, 7, 'lora', ?, ?)",
            [(10, 0, now - 20), (11, 1, now - 10), (12, 1, now - 5)],
        )
        db.execute("INSERT INTO synced_trees VALUES ('global', 'abc', ?)", (now,))
        db.commit()


@pytest.mark.parametrize("user_version", [1, 0])
async def test_a_database_from_before_migrations_keeps_its_rows(
    tmp_path: Path, user_version: int
) -> None:
    path = tmp_path / "bot.sqlite3"
    database_before_migrations(path, user_version)
    store = Store.open(path)
    assert store.available
    stats = await store.stats()
    assert stats.questions == 2
    assert stats.unanswered == (("Baka bröd?", 1),)
    assert [(f.resource_id, f.helpful, f.not_helpful) for f in stats.feedback] == [("lora", 1, 0)]
    assert await store.record_vote("lora", 7, helpful=True) is Vote.ALREADY_COUNTED
    assert await store.synced_tree_hash("global") == "abc"
    assert await store.record_question(question("a new one")) is True
    store.close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"questions_user_id", "feedback_user_id"} <= indexes
    reopened = Store.open(path)  # nothing left to apply: opens as it is
    assert (await reopened.stats()).questions == 3
    reopened.close()


async def test_a_new_database_gets_every_migration(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    Store.open(path).close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5


async def test_a_database_from_a_newer_version_is_refused_and_left_unchanged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    database_before_migrations(path, user_version=SCHEMA_VERSION + 1)
    before = path.read_bytes()
    with pytest.raises(StoreVersionError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert f"database version {SCHEMA_VERSION + 1}" in message
    assert "newer version" in message and "RESOURCE_BOT_DB" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.sqlite3"]


async def test_a_failed_migration_changes_nothing(tmp_path: Path, caplog) -> None:
    path = tmp_path / "bot.sqlite3"
    database_before_migrations(path, user_version=1)
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE INDEX feedback_user_id ON feedback (resource_id)")  # in the way
        db.commit()
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        store = Store.open(path)
    assert not store.available  # answers go on without recording, as for any broken file
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 1
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        assert "questions_user_id" not in names  # the first step was rolled back too
        assert db.execute("SELECT COUNT(*) FROM questions").fetchone()[0] == 2


# --- privacy ----------------------------------------------------------------------------------

DAY = 24 * 3600


async def test_purge_deletes_only_questions_and_votes_older_than_the_cutoff(store: Store) -> None:
    now = time.time()
    await store.record_question(question("a year ago", at=now - 365 * DAY))
    await store.record_question(question("91 days ago", at=now - 91 * DAY))
    await store.record_question(question("89 days ago", at=now - 89 * DAY))
    await store.record_question(question("just now"))
    await store.record_vote("guide", 7, helpful=True)
    store._connection.execute("UPDATE feedback SET voted_at = ?", (now - 100 * DAY,))
    await store.record_vote("lora", 7, helpful=False)

    deleted = await store.purge_older_than(now - 90 * DAY)
    assert (deleted.questions, deleted.votes) == (2, 1)
    stats = await store.stats()
    assert sorted(q for q, _ in stats.most_asked) == ["89 days ago", "just now"]
    assert [(f.helpful, f.not_helpful) for f in stats.feedback] == [(0, 1)]
    again = await store.purge_older_than(now - 90 * DAY)
    assert (again.questions, again.votes) == (0, 0)


async def test_forget_user_deletes_that_persons_questions_and_votes_only(store: Store) -> None:
    mine = QuestionRecord(user_id=7, locale="en-US", question="mine", confident=True, best_id="a")
    theirs = QuestionRecord(
        user_id=8, locale="sv-SE", question="theirs", confident=False, best_id=None
    )
    for record in (mine, mine, theirs):
        await store.record_question(record)
    await store.record_vote("guide", 7, helpful=True)
    await store.record_vote("guide", 8, helpful=False)

    deleted = await store.forget_user(7)
    assert (deleted.questions, deleted.votes, deleted.available) == (2, 1, True)
    stats = await store.stats()
    assert [q for q, _ in stats.most_asked] == ["theirs"]
    assert [(f.helpful, f.not_helpful) for f in stats.feedback] == [(0, 1)]
    assert (await store.forget_user(7)).questions == 0


SERVER_A, SERVER_B = 111111111111111111, 222222222222222222


async def test_a_servers_stats_hold_only_what_was_asked_and_voted_there(store: Store) -> None:
    for guild, text in ((SERVER_A, "asked in a"), (SERVER_B, "asked in b"), (None, "in a dm")):
        await store.record_question(
            QuestionRecord(7, "en-US", text, confident=False, best_id=None, guild_id=guild)
        )
    await store.record_vote("guide", 7, helpful=True, guild_id=SERVER_A)
    await store.record_vote("guide", 8, helpful=False, guild_id=SERVER_B)

    a = await store.stats(guild_id=SERVER_A)
    assert a.questions == 1 and [q for q, _ in a.most_asked] == ["asked in a"]
    assert [q for q, _ in a.unanswered] == ["asked in a"]
    assert [(f.helpful, f.not_helpful) for f in a.feedback] == [(1, 0)]
    b = await store.stats(guild_id=SERVER_B)
    assert [q for q, _ in b.most_asked] == ["asked in b"]
    assert [(f.helpful, f.not_helpful) for f in b.feedback] == [(0, 1)]
    assert (await store.stats()).questions == 3  # the operator's view: every server


async def test_forgetting_in_one_server_leaves_the_persons_rows_elsewhere(store: Store) -> None:
    for guild in (SERVER_A, SERVER_A, SERVER_B):
        await store.record_question(QuestionRecord(7, "en-US", "q", True, "a", guild_id=guild))
    await store.record_vote("guide", 7, helpful=True, guild_id=SERVER_A)
    await store.record_vote("guide", 7, helpful=True, guild_id=SERVER_B)

    deleted = await store.forget_user_in(SERVER_A, 7)
    assert (deleted.questions, deleted.votes) == (2, 1)
    assert (await store.stats(guild_id=SERVER_A)).questions == 0
    b = await store.stats(guild_id=SERVER_B)
    assert b.questions == 1 and len(b.feedback) == 1
    everywhere = await store.forget_user(7)
    assert (everywhere.questions, everywhere.votes) == (1, 1)


async def test_forgetting_without_a_database_says_nothing_was_deleted(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = Store.open(blocker / "bot.sqlite3")
    assert not (await store.forget_user(7)).available
    assert not (await store.purge_older_than(time.time())).available
