"""The bot with a store that stops working while it runs (the disk fills up): questions are
still answered, votes are thanked without being saved, and the log says so exactly once."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

import pytest
from fake_discord import FakeDiscord

from bot.discord.client import ResourceBot

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

    assert vote.content == "Thanks! (Votes cannot be saved right now.)"
    assert same.content == "Tack! (Röster kan inte sparas just nu.)"
    assert stats.embeds[0]["fields"][2]["value"].startswith("👍 1 · 👎 0 · ")  # kept from before
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.name for r in problems] == ["bot.store"], [r.getMessage() for r in problems]
    assert "database or disk is full" in problems[0].getMessage()
    assert "answers go on" in problems[0].getMessage()
