"""The bot settles the garbage collector after every load: at start-up, reload and upload."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from fake_discord import FakeDiscord, Upload

from bot.discord import memory
from bot.discord.client import ResourceBot


async def test_the_catalogue_is_frozen_once_loaded_and_again_after_a_reload_or_upload(
    fake_discord: FakeDiscord,
    bot: ResourceBot,
    catalog_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert gc.get_freeze_count() > 0  # by start-up
    settled: list[None] = []
    monkeypatch.setattr(memory, "settle", lambda: settled.append(None))
    moderator = fake_discord.moderator("mo")
    await fake_discord.slash(moderator, "resources-admin", "reload")
    upload = Upload("resources.yaml", catalog_file.read_bytes())
    await fake_discord.slash(moderator, "resources-admin", "upload", file=upload)
    assert len(settled) == 2
    await fake_discord.slash(
        moderator, "resources-admin", "upload", file=Upload("resources.yaml", b"version: 1\n")
    )
    assert len(settled) == 2  # a refused upload loads nothing
