"""The invite link: `python -m bot invite` run as an operator runs it, and the link the
running bot logs once Discord has told it its application id."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fake_discord import FakeDiscord

from bot.config import SETTING_NAMES, Settings
from bot.discord.client import ResourceBot

StartBot = Callable[..., Awaitable[ResourceBot]]  # the start_bot fixture
APP_ID = "123456789012345678"
# What the bot does in a channel: read it, post a card (an embed) as a reply to a message,
# there or in a thread. Nothing more: no moderation, no mentions, no administrator.
# Bit positions as Discord documents them (topics/permissions), not as discord.py names them.
NEEDED = {
    "VIEW_CHANNEL": 10,
    "SEND_MESSAGES": 11,
    "EMBED_LINKS": 14,
    "READ_MESSAGE_HISTORY": 16,
    "SEND_MESSAGES_IN_THREADS": 38,
}


def invite(tmp_path: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env.update(settings)
    return subprocess.run(
        [sys.executable, "-m", "bot", "invite", *args],
        cwd=tmp_path,  # no .env of the developer's
        env={**env, "PYTHONPATH": str(Path(__file__).parents[2])},
        capture_output=True,
        text=True,
        timeout=60,
    )


def granted(url: str) -> tuple[str, set[str], dict[str, list[str]]]:
    """The client id, the names of the permission bits asked for, and the whole query."""
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "discord.com", "/oauth2/authorize")
    query = parse_qs(parts.query)
    value = int(query["permissions"][0])
    names = {name for name, bit in NEEDED.items() if value & (1 << bit)}
    assert value == sum(1 << NEEDED[name] for name in names), "a permission nobody needs"
    return query["client_id"][0], names, query


@pytest.mark.parametrize(
    ("args", "settings"),
    [(("--client-id", APP_ID), {}), ((), {"DISCORD_APPLICATION_ID": APP_ID})],
)
def test_invite_prints_the_link_with_exactly_the_permissions_used(
    tmp_path: Path, args: tuple[str, ...], settings: dict[str, str]
) -> None:
    result = invite(tmp_path, *args, **settings)
    assert result.returncode == 0, result.stderr
    client_id, permissions, query = granted(result.stdout.strip())
    assert client_id == APP_ID
    assert query["scope"] == ["bot applications.commands"]
    assert permissions == set(NEEDED)


@pytest.mark.parametrize(
    ("args", "settings", "named"),
    [
        ((), {}, "DISCORD_APPLICATION_ID"),
        (("--client-id", "my-bot"), {}, "--client-id"),
        ((), {"DISCORD_APPLICATION_ID": "12"}, "DISCORD_APPLICATION_ID"),
    ],
)
def test_invite_without_a_usable_id_says_what_to_set(
    tmp_path: Path, args: tuple[str, ...], settings: dict[str, str], named: str
) -> None:
    result = invite(tmp_path, *args, **settings)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and named in result.stderr
    assert "Traceback" not in result.stderr


async def test_the_bot_logs_its_invite_link_at_start(
    fake_discord: FakeDiscord,
    start_bot: StartBot,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="bot.discord"):
        bot: ResourceBot = await start_bot(settings, application_id=int(APP_ID))
    [line] = [r.getMessage() for r in caplog.records if "invite link" in r.getMessage()]
    client_id, permissions, _ = granted(line.split(": ", 1)[1])
    assert client_id == str(bot.application_id) == str(fake_discord.application_id)
    assert permissions == set(NEEDED)
    mismatch = [r for r in caplog.records if "DISCORD_APPLICATION_ID" in r.getMessage()]
    assert len(mismatch) == 1 and mismatch[0].levelno == logging.WARNING
