"""The store: questions, one vote per person per answer, the synced tree, stats, degrading."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from pathlib import Path

import pytest

from bot.store import QuestionRecord, Store, Vote


@pytest.fixture
def store(tmp_path: Path):
    opened = Store.open(tmp_path / "state" / "bot.sqlite3")
    yield opened
    opened.close()


def question(text: str, confident: bool = True, best: str | None = "a", at: float | None = None):
    return QuestionRecord(
        user_id=1, locale="en-US", question=text, confident=confident, best_id=best, asked_at=at
    )


async def test_opens_in_wal_mode_and_creates_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "bot.sqlite3"
    store = Store.open(path)
    assert store.available and path.exists()
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_questions_asked_together_are_written_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    insert = Store._insert_questions

    def counted(db: sqlite3.Connection, rows: list) -> bool:
        batches.append(len(rows))
        return insert(db, rows)

    monkeypatch.setattr(Store, "_insert_questions", staticmethod(counted))
    store = Store.open(tmp_path / "bot.sqlite3")
    asked = [store.record_question(question(f"question {n}")) for n in range(50)]
    assert await asyncio.gather(*asked) == [True] * 50  # each returns once committed
    assert sum(batches) == 50 and len(batches) < 10
    assert (await store.stats()).questions == 50
    store.close()


async def test_second_vote_on_the_same_answer_is_already_counted(store: Store) -> None:
    assert await store.record_vote("guide", 10, 7, helpful=True) is Vote.COUNTED
    assert await store.record_vote("guide", 10, 7, helpful=False) is Vote.ALREADY_COUNTED
    assert await store.record_vote("guide", 10, 8, helpful=False) is Vote.COUNTED
    assert await store.record_vote("guide", 11, 7, helpful=True) is Vote.COUNTED
    stats = await store.stats()
    assert [(f.resource_id, f.helpful, f.not_helpful) for f in stats.feedback] == [("guide", 2, 1)]


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


async def test_synced_tree_hash_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    store = Store.open(path)
    assert await store.synced_tree_hash("global") is None
    await store.remember_synced_tree("global", "abc")
    await store.remember_synced_tree("global", "def")
    store.close()
    reopened = Store.open(path)
    assert await reopened.synced_tree_hash("global") == "def"
    assert await reopened.synced_tree_hash("guild:1") is None
    reopened.close()


async def test_unopenable_store_answers_without_recording_and_warns_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        store = Store.open(blocker / "bot.sqlite3")
        assert not store.available
        assert await store.record_question(question("anything")) is False
        assert await store.record_vote("guide", 1, 1, True) is Vote.NOT_RECORDED
        assert await store.synced_tree_hash("global") is None
        assert not (await store.stats()).available
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "RESOURCE_BOT_DB" in warnings[0].getMessage()


async def test_store_that_fails_later_warns_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store.open(tmp_path / "bot.sqlite3")
    store._connection.execute("DROP TABLE questions")  # the file is damaged under us
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        assert await store.record_question(question("one")) is False
        assert await store.record_question(question("two")) is False
        together = [store.record_question(question(f"q{n}")) for n in range(5)]
        assert await asyncio.gather(*together) == [False] * 5
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1
    store.close()


async def test_not_a_database_file_degrades(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    store = Store.open(path)
    assert not store.available
    assert await store.record_vote("guide", 1, 1, True) is Vote.NOT_RECORDED
