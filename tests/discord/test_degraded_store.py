"""The bot with a store that stops working while it runs (the disk fills up or is remounted
read-only, the file is deleted, another process locks it): questions are still answered in
time, a vote that cannot be saved is said to be so, and the log says so exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_discord import FakeDiscord, bot_process

from bot.config import Settings
from bot.discord.client import ResourceBot

THANKS = "Thanks! Your vote is counted."
UNSAVED = "Your vote could not be saved right now. Please try again in a minute."
QUESTIONS = ["when should I fine-tune", "qlora tutorial", "hugging face", "prepare training data"]


class FullDisk:
    """A database connection on a full disk: reads work, every write fails as SQLite says."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def execute(self, sql: str, *parameters: Any) -> sqlite3.Cursor:
        self._refuse_writes(sql)
        return self._connection.execute(sql, *parameters)

    def executemany(self, sql: str, *parameters: Any) -> sqlite3.Cursor:
        self._refuse_writes(sql)
        return self._connection.executemany(sql, *parameters)

    def __getattr__(self, name: str) -> Any:  # in_transaction, close, ...
        return getattr(self._connection, name)

    @staticmethod
    def _refuse_writes(sql: str) -> None:
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
            raise sqlite3.OperationalError("database or disk is full")


async def test_a_full_disk_never_fails_an_answer_and_is_logged_once(
    fake_discord: FakeDiscord,
    bot: ResourceBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    alice, bob = fake_discord.member("alice"), fake_discord.member("bob", locale="sv-SE")
    before = await fake_discord.slash(alice, "ask", question=QUESTIONS[0], channel="resources")
    assert (await fake_discord.press(bob, before, "Helpful")).content.startswith("Tack!")
    assert bot.store is not None
    monkeypatch.setattr(bot.store, "_connection", FullDisk(bot.store._connection))

    with caplog.at_level(logging.WARNING):
        for number, question in enumerate(QUESTIONS * 3):
            asker = alice if number % 2 else bob
            reply = await fake_discord.slash(asker, "ask", question=question, private=True)
            assert reply.embeds, f"{question!r} was not answered"
        card = await fake_discord.slash(alice, "ask", question=QUESTIONS[1])
        vote = await fake_discord.press(alice, card, "Helpful")
        same = await fake_discord.press(bob, before, "Not helpful")
        stats = await fake_discord.slash(fake_discord.moderator("mo"), "resources-admin", "stats")

    assert vote.content == UNSAVED
    assert same.content == "Din röst kunde inte sparas just nu. Försök igen om en stund."
    assert stats.embeds[0]["fields"][2]["value"].startswith("👍 1 · 👎 0 · ")  # kept from before
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in problems] == ["bot.store"], [r.getMessage() for r in problems]
    assert "database or disk is full" in problems[0].getMessage()
    assert "answers go on" in problems[0].getMessage()


QUESTION = QUESTIONS[0]
LOCKER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()  # until the test closes our stdin
db.execute("ROLLBACK")
"""


@contextlib.contextmanager
def unmappable(path: Path) -> Iterator[None]:
    """`path` cut to nothing under anyone who mapped it, then made read-only and immutable,
    as when the disk is remounted read-only."""
    with path.open("ab") as file:
        file.truncate(0)
    path.chmod(0o444)
    chattr = shutil.which("chattr")
    immutable = chattr is not None and subprocess.run([chattr, "+i", str(path)]).returncode == 0
    try:
        yield
    finally:
        if immutable:
            subprocess.run([chattr, "-i", str(path)], check=True)


async def test_a_shared_memory_file_that_cannot_be_mapped_never_kills_the_bot(
    fake_discord: FakeDiscord, catalog_file: Path, tmp_path: Path
) -> None:
    database = tmp_path / "var" / "bot.sqlite3"
    async with bot_process(
        fake_discord,
        workdir=tmp_path / "bot",
        RESOURCE_BOT_DATA=str(catalog_file),
        RESOURCE_BOT_DB=str(database),
    ) as bot:
        alice, bob = fake_discord.member("alice"), fake_discord.member("bob")
        answer = await fake_discord.slash(alice, "ask", question=QUESTION, channel="resources")
        assert (await fake_discord.press(alice, answer, "Helpful")).content == THANKS
        with unmappable(database.with_name(database.name + "-shm")):
            vote = await fake_discord.press(bob, answer, "Not helpful")
            later = await fake_discord.slash(bob, "ask", question=QUESTIONS[1], private=True)
        assert bot.process.returncode is None, bot.log_tail()
        assert vote.content == THANKS
        assert later.embeds, "the bot stopped answering"


async def test_a_database_deleted_while_running_is_made_again_and_keeps_new_votes(
    fake_discord: FakeDiscord,
    start_bot: Any,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = await start_bot(settings)
    alice, bob, carol = (fake_discord.member(name) for name in ("alice", "bob", "carol"))
    answer = await fake_discord.slash(alice, "ask", question=QUESTION, channel="resources")
    assert (await fake_discord.press(alice, answer, "Helpful")).content == THANKS
    settings.db_path.unlink()
    with caplog.at_level(logging.WARNING):
        votes = [
            await fake_discord.press(bob, answer, "Not helpful"),
            await fake_discord.press(carol, answer, "Helpful"),
        ]
    assert [vote.content for vote in votes] == [THANKS, THANKS]
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(problems) == 1 and str(settings.db_path) in problems[0], problems
    await bot.close()

    after = await start_bot(settings)
    stats = await after.store.stats()
    assert [(f.helpful, f.not_helpful) for f in stats.feedback] == [(1, 1)]  # bob's, carol's


async def test_a_locked_database_answers_a_vote_in_time_and_counts_it_once_unlocked(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice, bob = fake_discord.member("alice"), fake_discord.member("bob", locale="sv-SE")
    answer = await fake_discord.slash(alice, "ask", question=QUESTION, channel="resources")
    locker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        LOCKER,
        str(bot.settings.db_path),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert locker.stdout is not None and locker.stdin is not None
        assert await locker.stdout.readline() == b"locked\n"
        started = time.perf_counter()
        refused = await fake_discord.press(alice, answer, "Helpful")  # NoAnswer after 3 s
        waited = time.perf_counter() - started
        swedish = await fake_discord.press(bob, answer, "Helpful")
        asked = await fake_discord.slash(bob, "ask", question=QUESTIONS[1], private=True)
    finally:
        if locker.stdin is not None:
            locker.stdin.close()
        await locker.wait()
    assert refused.content == UNSAVED and waited < 2.5, (refused.content, waited)
    assert swedish.content == "Din röst kunde inte sparas just nu. Försök igen om en stund."
    assert asked.embeds
    counted = await fake_discord.press(alice, answer, "Helpful")
    assert counted.content == THANKS
    assert [(f.helpful, f.not_helpful) for f in (await bot.store.stats()).feedback] == [(1, 0)]
