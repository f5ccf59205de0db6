"""Stopping the bot as systemd, `docker stop` or Ctrl-C does: a signal to its own process.

The bot must close its gateway connection as Discord expects, close the store, and exit 0,
with every vote it acknowledged in the database file."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path

import pytest
from fake_discord import FakeDiscord, Reply, bot_process

QUESTION = "when should I fine-tune"
EXIT_TIMEOUT = 15.0
CUT = 1006  # the connection ended without a close frame


def card_resource(card: Reply) -> str:
    """The resource a card's Helpful button votes for."""
    [helpful] = [b for b in card.buttons if b.get("label") == "Helpful"]
    return helpful["custom_id"].rsplit(":", 1)[1]


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
async def test_a_stop_signal_closes_cleanly_and_keeps_the_vote(
    fake_discord: FakeDiscord, catalog_file: Path, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    database = tmp_path / "state" / "resource-bot.sqlite3"
    async with bot_process(
        fake_discord,
        workdir=tmp_path / "bot",
        RESOURCE_BOT_DATA=str(catalog_file),
        RESOURCE_BOT_DB=str(database),
    ) as bot:
        alice = fake_discord.member("alice")
        card = await fake_discord.slash(alice, "ask", question=QUESTION)
        vote = await fake_discord.press(alice, card, "Helpful")
        assert vote.content.startswith("Thanks!")
        bot.process.send_signal(stop_signal)
        async with asyncio.timeout(EXIT_TIMEOUT):
            code = await bot.process.wait()
            while fake_discord.gateway_close_codes[-1] is None:
                await asyncio.sleep(0.01)
    assert code == 0, bot.log_tail()
    assert fake_discord.gateway_close_codes[-1] != CUT  # a close frame, not a dropped line
    assert "Traceback" not in bot.log()
    with sqlite3.connect(database) as db:
        votes = db.execute("SELECT user_id, resource_id, helpful FROM feedback").fetchall()
    assert votes == [(alice.id, card_resource(card), 1)]
