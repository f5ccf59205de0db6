"""Two bot processes, each running its own gateway shards, against the fake Discord and one
PostgreSQL database: each answers its own servers only, a catalogue changed through one is
served by the other within a second, votes through both are counted once, and a process
killed outright (SIGKILL) loses nothing it had committed."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from fake_discord import BotProcess, FakeDiscord, NoAnswer, Upload, bot_exit, bot_process
from fake_discord.payloads import Guild

from bot.catalog import parse_catalog

QUESTION = "when should I fine-tune"
WITHIN = 1.0  # seconds from an upload's answer to the other process serving it


class Shards:
    """The fake with two shards and a server on each; the home server is on shard 0."""

    def __init__(self, fake: FakeDiscord) -> None:
        fake.shard_count = 2
        self.fake = fake
        self.home = fake.add_guild("Home", shard=0)
        self.away = fake.add_guild("Away", shard=1)

    def settings(self, postgres_url: str, catalog_file: Path, shard: int) -> dict[str, str]:
        return {
            "RESOURCE_BOT_DATA": str(catalog_file),
            "DATABASE_URL": postgres_url,
            "SHARD_COUNT": "2",
            "SHARD_IDS": str(shard),
            "HOME_GUILD_IDS": str(self.home.id),
            "ANSWER_COOLDOWN_SECONDS": "0",
        }


async def start(
    running: AsyncExitStack, shards: Shards, workdir: Path, settings: dict[str, str]
) -> BotProcess:
    return await running.enter_async_context(bot_process(shards.fake, workdir=workdir, **settings))


async def title_in(fake: FakeDiscord, guild: Guild, resource_id: str) -> str:
    person = fake.member(f"reader{guild.id % 10_000}", guild=guild)
    reply = await fake.slash(person, "resources", "show", resource=resource_id)
    return reply.embeds[0]["title"]


async def stats_votes(fake: FakeDiscord, guild: Guild) -> str:
    moderator = fake.moderator(f"mod{guild.id % 10_000}", guild=guild)
    reply = await fake.slash(moderator, "resources-admin", "stats", period="all")
    return reply.embeds[0]["fields"][2]["value"]


async def test_two_processes_share_one_database_and_each_answers_its_own_shard(
    fake_discord: FakeDiscord, catalog_file: Path, postgres_url: str, tmp_path: Path
) -> None:
    shards = Shards(fake_discord)
    fake = fake_discord
    async with AsyncExitStack() as running:
        first = await start(
            running, shards, tmp_path / "one", shards.settings(postgres_url, catalog_file, 0)
        )
        second_settings = shards.settings(postgres_url, catalog_file, 1)
        second = await start(running, shards, tmp_path / "two", second_settings)
        assert sorted(fake.sessions) == [0, 1]
        assert "shards 0 of 2" in first.log() and "shards 1 of 2" in second.log()

        # Each server is answered, by the process running its shard.
        answers = {}
        for guild in (shards.home, shards.away):
            asker = fake.member(f"asker{guild.id % 10_000}", guild=guild)
            answers[guild.id] = (asker, await fake.slash(asker, "ask", question=QUESTION))
            assert answers[guild.id][1].embeds, "answered"
            token = answers[guild.id][1].interaction.token
            session = fake.sessions[fake.shard_of_guild(guild.id)]
            assert any(
                e["t"] == "INTERACTION_CREATE" and e["d"]["token"] == token for e in session.events
            )

        # The default changed from the home server (process one) reaches process two.
        text = catalog_file.read_text(encoding="utf-8")
        first = parse_catalog(text.encode(), "resources.yaml").resources[0]
        first_id, first_title = first.id, first.title["en"]
        assert await title_in(fake, shards.away, first_id) == first_title
        changed = text.replace(first_title, "Shared across shards", 1).encode()
        operator = fake.moderator("operator", guild=shards.home)
        uploaded = await fake.slash(
            operator, "resources-admin", "upload", file=Upload("resources.yaml", changed)
        )
        assert "live" in uploaded.content
        started = time.perf_counter()
        while await title_in(fake, shards.away, first_id) != "Shared across shards":
            assert time.perf_counter() - started < WITHIN, "not served by the other process"
            await asyncio.sleep(0.02)
        print(
            f"\nupload through one process served by the other after "
            f"{time.perf_counter() - started:.3f} s"
        )

        # Votes through both processes, each counted once (pressing again changes nothing).
        for asker, answer in answers.values():
            counted = await fake.press(asker, answer, "Helpful")
            again = await fake.press(asker, answer, "Helpful")
            assert "counted" in counted.content and "already" in again.content
        for guild in (shards.home, shards.away):
            assert (await stats_votes(fake, guild)).startswith("👍 1 · 👎 0")

        # Process two is killed outright: its servers go unanswered, the others do not.
        os.kill(second.pid, signal.SIGKILL)
        assert await second.process.wait() == -signal.SIGKILL
        with pytest.raises(NoAnswer):
            await fake.slash(answers[shards.away.id][0], "ask", question=QUESTION, timeout=1.0)
        assert (await fake.slash(answers[shards.home.id][0], "ask", question=QUESTION)).embeds

        # Started again, it has lost nothing that was committed: the vote, the catalogue.
        fake.sessions.pop(1)
        await start(running, shards, tmp_path / "two", second_settings)
        assert (await stats_votes(fake, shards.away)).startswith("👍 1 · 👎 0")
        assert await title_in(fake, shards.away, first_id) == "Shared across shards"


async def test_too_few_shards_for_discord_stop_the_bot_with_what_to_set(
    fake_discord: FakeDiscord, catalog_file: Path, tmp_path: Path
) -> None:
    fake_discord.shard_count = 2  # Discord wants two; the bot is told to run one
    code, log = await bot_exit(
        fake_discord, workdir=tmp_path / "bot", RESOURCE_BOT_DATA=str(catalog_file), SHARD_COUNT="1"
    )
    assert code == 2
    assert "SHARD_COUNT" in log and "Traceback" not in log


async def test_shard_ids_without_a_shared_database_stop_the_bot_at_start(
    fake_discord: FakeDiscord, catalog_file: Path, tmp_path: Path
) -> None:
    code, log = await bot_exit(
        fake_discord,
        workdir=tmp_path / "bot",
        RESOURCE_BOT_DATA=str(catalog_file),
        SHARD_COUNT="2",
        SHARD_IDS="1",
    )
    assert code == 2 and "DATABASE_URL" in log
