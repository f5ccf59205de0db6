"""The bot on a PostgreSQL store (DATABASE_URL): votes are saved there, and when the server
stops, questions are still answered and a vote says it could not be saved."""

from __future__ import annotations

from typing import Any

import pytest
from fake_discord import FakeDiscord
from postgres_cluster import PASSWORD, Cluster

from bot.config import Settings

THANKS = "Thanks! Your vote is counted."
UNSAVED = "Your vote could not be saved right now. Please try again in a minute."


async def test_the_bot_saves_votes_on_postgresql_and_answers_when_it_stops(
    fake_discord: FakeDiscord,
    start_bot: Any,
    settings: Settings,
    own_cluster: Cluster,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = await start_bot(settings, database_url=own_cluster.new_database())
    alice, bob = fake_discord.member("alice"), fake_discord.member("bob")
    answer = await fake_discord.slash(alice, "ask", question="qlora tutorial", channel="resources")
    assert (await fake_discord.press(alice, answer, "Helpful")).content == THANKS
    assert not settings.db_path.exists()  # nothing went to the SQLite file

    own_cluster.stop()
    vote = await fake_discord.press(bob, answer, "Helpful")  # NoAnswer after 3 s
    later = await fake_discord.slash(bob, "ask", question="hugging face", private=True)
    assert vote.content == UNSAVED
    assert later.embeds, "the bot stopped answering"
    assert PASSWORD not in caplog.text
    await bot.close()
