"""Fixtures for running the real bot against the fake Discord: its settings, its catalogue
file, and the bot connected and ready."""

from __future__ import annotations

import logging
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from fake_discord import FakeDiscord, connected

from bot import create_bot
from bot.config import Settings
from bot.discord.client import ResourceBot

SEED = Path(__file__).parents[2] / "data" / "resources.yaml"


@pytest.fixture
def keep_root_logging(monkeypatch: pytest.MonkeyPatch) -> None:
    """`runner.run` and `runner.sync` set up logging with handlers on the root logger;
    they are taken away again when the test ends."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))


@pytest.fixture
def catalog_file(tmp_path: Path) -> Path:
    """A copy of the seed catalogue: the bot's default catalogue in the tests."""
    path = tmp_path / "data" / "resources.yaml"
    path.parent.mkdir()
    shutil.copy(SEED, path)
    return path


@pytest.fixture
def settings(tmp_path: Path, catalog_file: Path, fake_discord: FakeDiscord) -> Settings:
    """The bot's settings for a test: its own default catalogue, state folder and database.
    The fake's first server is the operator's home server: its moderators manage the
    default catalogue, as in a bot that serves one server."""
    return Settings(
        token=None,  # the fake's token is passed by `connected`
        data_path=catalog_file,
        state_dir=tmp_path / "var",
        db_path=tmp_path / "var" / "bot.sqlite3",
        home_guild_ids=frozenset({fake_discord.guild.id}),
    )


@pytest.fixture
def live_file(settings: Settings) -> Path:
    """The catalogue the bot serves: a copy of `catalog_file` made when the bot first starts."""
    return settings.live_catalog_path


StartBot = Callable[..., Awaitable[ResourceBot]]


@pytest.fixture
async def start_bot(fake_discord: FakeDiscord) -> AsyncIterator[StartBot]:
    """``await start_bot(settings)``: the real bot, logged in to the fake and ready; stopped
    when the test ends (or earlier with ``await bot.close()``)."""
    import contextlib

    async with contextlib.AsyncExitStack() as running:

        async def start(settings: Settings, **changes: object) -> ResourceBot:
            if changes:
                settings = Settings(**{**settings.__dict__, **changes})
            bot = create_bot(settings)
            return await running.enter_async_context(connected(bot, fake_discord))

        yield start


@pytest.fixture
async def bot(start_bot: StartBot, settings: Settings) -> ResourceBot:
    """The bot with the test's settings, connected to the fake."""
    return await start_bot(settings)
