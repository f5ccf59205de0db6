"""The store on a shared PostgreSQL server: several processes migrating and voting at once, a
newer database refused, the server stopped while the bot runs (degraded, then back), and the
URL's password never in a log line or an error."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from postgres_cluster import PASSWORD, Cluster, free_port

import bot.postgres
from bot.config import ConfigError
from bot.migrations import POSTGRES_MIGRATIONS, SCHEMA_VERSION, StoreVersionError
from bot.store import QuestionRecord, Store, Vote

UNUSED = Path("/nonexistent/unused.sqlite3")  # the SQLite path, not used with a URL


def tables(url: str) -> dict[str, list[str]]:
    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public' ORDER BY table_name, column_name"
        ).fetchall()
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    return found


def test_both_databases_number_their_migrations_alike_and_have_the_same_columns(
    postgres_url: str, tmp_path: Path
) -> None:
    assert len(POSTGRES_MIGRATIONS) == SCHEMA_VERSION
    Store.open(UNUSED, postgres_url).close()
    Store.open(tmp_path / "bot.sqlite3").close()
    with contextlib.closing(sqlite3.connect(tmp_path / "bot.sqlite3")) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        sqlite = {n: sorted(r[1] for r in db.execute(f"PRAGMA table_info({n})")) for n in names}
    postgres = tables(postgres_url)
    assert postgres.pop("schema_version") == ["one", "version"]
    assert postgres == sqlite


def test_two_processes_starting_at_once_migrate_once(postgres_url: str) -> None:
    """The second waits for the first's migration (the advisory lock), then finds nothing
    to do; without the lock both would create the tables and one would fail."""
    holder = psycopg.connect(postgres_url, autocommit=True)
    holder.execute("SELECT pg_advisory_lock(%s)", (bot.postgres.MIGRATION_LOCK,))
    opened: list[Store] = []
    starts = [threading.Thread(target=lambda: opened.append(Store.open(UNUSED, postgres_url)))]
    starts.append(threading.Thread(target=lambda: opened.append(Store.open(UNUSED, postgres_url))))
    for start in starts:
        start.start()
    time.sleep(0.5)
    assert opened == [], "a store migrated while another process held the migration lock"
    holder.execute("SELECT pg_advisory_unlock(%s)", (bot.postgres.MIGRATION_LOCK,))
    holder.close()
    for start in starts:
        start.join(timeout=30)
    try:
        assert len(opened) == 2 and all(store.available for store in opened)
        with psycopg.connect(postgres_url) as db:
            assert db.execute("SELECT version FROM schema_version").fetchall() == [
                (SCHEMA_VERSION,)
            ]
    finally:
        for store in opened:
            store.close()


async def test_two_processes_voting_at_once_count_each_vote_once(postgres_url: str) -> None:
    stores = [Store.open(UNUSED, postgres_url) for _ in range(2)]
    try:
        for person in range(20):  # both press the same button at the same moment
            outcomes = await asyncio.gather(
                *(store.record_vote("guide", person, True, guild_id=1) for store in stores)
            )
            assert sorted(o.value for o in outcomes) == ["already counted", "counted"]
        stats = await stores[0].stats(guild_id=1)
        assert [(f.helpful, f.not_helpful) for f in stats.feedback] == [(20, 0)]
    finally:
        for store in stores:
            store.close()


def test_a_database_from_a_newer_version_is_refused_and_left_unchanged(
    postgres_url: str,
) -> None:
    with psycopg.connect(postgres_url) as db:
        db.execute("CREATE TABLE schema_version (one BOOLEAN PRIMARY KEY, version INTEGER)")
        db.execute("INSERT INTO schema_version VALUES (TRUE, %s)", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreVersionError) as caught:
        Store.open(UNUSED, postgres_url)
    message = str(caught.value)
    assert f"database version {SCHEMA_VERSION + 1}" in message and "DATABASE_URL" in message
    assert PASSWORD not in message
    assert tables(postgres_url) == {"schema_version": ["one", "version"]}


def test_an_unreachable_server_degrades_at_start_with_one_warning_and_no_password(
    postgres_cluster: Cluster, caplog: pytest.LogCaptureFixture
) -> None:
    nobody_there = f"postgresql://resource_bot:{PASSWORD}@127.0.0.1:{free_port()}/x"
    wrong_password = postgres_cluster.url(password=PASSWORD + "-wrong")
    for url in (nobody_there, wrong_password):
        caplog.clear()
        with caplog.at_level(logging.DEBUG):
            started = time.perf_counter()
            store = Store.open(UNUSED, url)
            assert time.perf_counter() - started < 2.5
        assert not store.available
        [warning] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert "DATABASE_URL" in warning and "answering without recording" in warning
        assert PASSWORD not in caplog.text
        store.close()


async def test_a_server_stopped_mid_run_degrades_and_is_used_again_when_back(
    own_cluster: Cluster, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.postgres, "RECONNECT_SECONDS", 0.5)
    store = Store.open(UNUSED, own_cluster.new_database())
    assert await store.record_vote("guide", 1, True, guild_id=1) is Vote.COUNTED
    own_cluster.stop()
    with caplog.at_level(logging.INFO, logger="bot.store"):
        waits = []
        for person in (2, 3, 4):
            started = time.perf_counter()
            assert await store.record_vote("guide", person, True, guild_id=1) is Vote.NOT_RECORDED
            waits.append(time.perf_counter() - started)
        asked = QuestionRecord(2, "en-US", "still answered?", True, "guide", guild_id=1)
        assert await store.record_question(asked) is False
        assert not (await store.stats()).available
        assert max(waits) < 2.5, waits
        warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(warnings) == 1 and "answers go on" in warnings[0], warnings

        own_cluster.start()
        await asyncio.sleep(0.6)
        assert await store.record_vote("guide", 5, False, guild_id=1) is Vote.COUNTED
    assert "can be used again" in caplog.text
    assert PASSWORD not in caplog.text
    stats = await store.stats(guild_id=1)
    assert [(f.helpful, f.not_helpful) for f in stats.feedback] == [(1, 1)]  # kept, and new
    store.close()


def test_without_psycopg_a_database_url_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    monkeypatch.delitem(sys.modules, "bot.postgres")
    with pytest.raises(ConfigError, match=r"pip install '\.\[postgres\]'") as caught:
        Store.open(UNUSED, f"postgresql://resource_bot:{PASSWORD}@127.0.0.1:1/x")
    assert PASSWORD not in str(caught.value)
