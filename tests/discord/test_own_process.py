"""The real bot in its own process (as the load test runs it): ready, answering, stopped."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_discord import BotProcessFailed, FakeDiscord, bot_process


async def test_the_bot_process_answers_and_is_stopped_at_the_end(
    fake_discord: FakeDiscord, catalog_file: Path, tmp_path: Path
) -> None:
    async with bot_process(
        fake_discord, workdir=tmp_path / "bot", RESOURCE_BOT_DATA=str(catalog_file)
    ) as bot:
        assert fake_discord.registrations  # it synced before it was ready
        reply = await fake_discord.slash(
            fake_discord.member("alice"), "ask", question="when should I fine-tune"
        )
        assert reply.embeds and not reply.ephemeral
        assert await bot.cpu_seconds() > 0
    assert bot.process.returncode == 0  # closed cleanly when its stdin closed
    assert "resources" in bot.log()  # it logs the catalogue it loaded ...
    assert fake_discord.token not in bot.log()  # ... and never the token


async def test_the_bot_process_is_stopped_when_the_test_fails(
    fake_discord: FakeDiscord, catalog_file: Path, tmp_path: Path
) -> None:
    with pytest.raises(ZeroDivisionError):
        async with bot_process(
            fake_discord, workdir=tmp_path / "bot", RESOURCE_BOT_DATA=str(catalog_file)
        ) as bot:
            1 / 0  # noqa: B018
    assert bot.process.returncode is not None


async def test_a_bot_that_cannot_start_fails_the_test_with_its_log(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("resources: [{id: Not An Id}]\n", encoding="utf-8")
    with pytest.raises(BotProcessFailed, match="exited with code 1") as failure:
        async with bot_process(
            fake_discord, workdir=tmp_path / "bot", RESOURCE_BOT_DATA=str(broken)
        ):
            pass
    assert "catalogue is not valid" in str(failure.value)
    assert fake_discord.token not in str(failure.value)
