"""A reload whose worker process is killed: the moderator is told, and the catalogue served
before keeps answering."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

from fake_discord import FakeDiscord

from benchmarks import synthetic
from bot.discord.client import ResourceBot
from bot.rebuild import WORKER

LARGE = 4000  # resources: seconds of work for the worker, so there is time to kill it


async def test_a_killed_worker_is_reported_and_the_old_catalogue_keeps_answering(
    fake_discord: FakeDiscord, bot: ResourceBot, live_file: Path
) -> None:
    before = bot.library.current
    live_file.write_bytes(synthetic.catalog_yaml(LARGE, seed=3).encode())
    moderator = fake_discord.moderator("mo")
    pid = await WORKER.pid()
    reload = asyncio.create_task(
        fake_discord.slash(moderator, "resources-admin", "reload", timeout=120)
    )
    while not bot.library.busy:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # the job reaches the worker; its build takes seconds
    assert not reload.done()
    os.kill(pid, signal.SIGKILL)
    reply = await reload
    assert reply.ephemeral
    assert reply.content.startswith("Building the new catalogue stopped before it finished")
    assert "previous catalogue is still served" in reply.content
    assert bot.library.current is before
    alice = fake_discord.member("alice")
    answer = await fake_discord.slash(alice, "ask", question="when should I fine-tune")
    assert answer.embeds and answer.embeds[0]["title"] in {
        r.title["en"] for r in before.catalog.resources
    }
