"""Login and command registration against the fake Discord, Swedish names included."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from fake_discord import FakeDiscord

from bot import i18n
from bot.config import Settings
from bot.discord import runner

StartBot = Callable[..., Awaitable[Any]]  # the start_bot fixture


def names(commands: list[dict]) -> dict[str, dict]:
    return {command["name"]: command for command in commands}


async def test_first_start_registers_the_commands_with_swedish_names(
    fake_discord: FakeDiscord, start_bot: StartBot, settings: Settings
) -> None:
    await start_bot(settings)
    assert len(fake_discord.registrations) == 1
    commands = names(fake_discord.registered_commands)
    assert set(commands) == {"ask", "resources", "resources-admin", "Find resources"}
    assert commands["ask"]["name_localizations"]["sv-SE"] == "fråga"
    assert commands["Find resources"]["name_localizations"]["sv-SE"] == "Hitta resurser"
    subcommands = {o["name"]: o for o in commands["resources"]["options"]}
    assert subcommands["browse"]["name_localizations"]["sv-SE"] == "bläddra"
    # Moderator commands are hidden from members without Manage Server.
    assert commands["resources-admin"]["default_member_permissions"] == str(1 << 5)
    assert commands["resources"]["default_member_permissions"] is None


async def test_restart_with_the_same_commands_does_not_register_again(
    fake_discord: FakeDiscord, start_bot: StartBot, settings: Settings
) -> None:
    first = await start_bot(settings)
    await first.close()
    second = await start_bot(settings)
    assert len(fake_discord.registrations) == 1
    alice = fake_discord.member("alice")
    reply = await fake_discord.slash(alice, "ask", question="when should I fine-tune")
    assert reply.embeds, "the commands registered before still work"
    await second.close()


async def test_a_changed_tree_is_registered_again(
    fake_discord: FakeDiscord, start_bot: StartBot, settings: Settings, monkeypatch
) -> None:
    first = await start_bot(settings)
    await first.close()
    # A new Swedish name changes what a sync would send.
    monkeypatch.setitem(i18n.COMMAND_TEXT_SV, "ask", "fråga-nu")
    await start_bot(settings)
    assert len(fake_discord.registrations) == 2
    assert names(fake_discord.registered_commands)["ask"]["name_localizations"]["sv-SE"] == (
        "fråga-nu"
    )


async def test_development_server_gets_the_commands_at_once(
    fake_discord: FakeDiscord, start_bot: StartBot, settings: Settings
) -> None:
    await start_bot(settings, guild_id=fake_discord.guild.id)
    assert [r.guild_id for r in fake_discord.registrations] == [fake_discord.guild.id]
    assert "ask" in names(fake_discord.guild_commands)
    alice = fake_discord.member("alice")
    reply = await fake_discord.slash(alice, "ask", question="when should I fine-tune")
    assert reply.embeds


async def test_bot_without_a_database_still_answers(
    fake_discord: FakeDiscord, start_bot: StartBot, settings: Settings, tmp_path: Path, caplog
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with caplog.at_level(logging.WARNING, logger="bot.store"):
        await start_bot(settings, db_path=blocker / "bot.sqlite3")
    alice = fake_discord.member("alice")
    reply = await fake_discord.slash(alice, "ask", question="when should I fine-tune")
    assert reply.embeds
    vote = await fake_discord.press(alice, reply, "Helpful")
    assert "could not be saved" in vote.content
    assert sum("RESOURCE_BOT_DB" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.usefixtures("keep_root_logging")
async def test_sync_command_registers_now(
    fake_discord: FakeDiscord, catalog_file: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", fake_discord.token)
    monkeypatch.setenv("RESOURCE_BOT_DATA", str(catalog_file))
    monkeypatch.setenv("RESOURCE_BOT_DB", str(tmp_path / "bot.sqlite3"))
    code = await asyncio.to_thread(runner.sync, fake_discord.guild.id)
    assert code == 0
    assert f"to server {fake_discord.guild.id}" in capsys.readouterr().out
    assert [r.guild_id for r in fake_discord.registrations] == [fake_discord.guild.id]


@pytest.mark.usefixtures("keep_root_logging")
@pytest.mark.parametrize("command", ["run", "sync"])
async def test_rejected_token_says_what_to_set(
    fake_discord: FakeDiscord,
    catalog_file: Path,
    tmp_path: Path,
    monkeypatch,
    capsys,
    command: str,
) -> None:
    wrong = "MTEx.wrong.token-that-discord-refuses"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", wrong)
    monkeypatch.setenv("RESOURCE_BOT_DATA", str(catalog_file))
    monkeypatch.setenv("RESOURCE_BOT_DB", str(tmp_path / "bot.sqlite3"))
    work = runner.run if command == "run" else lambda: runner.sync(None)
    code = await asyncio.to_thread(work)
    captured = capsys.readouterr()
    assert code == 2
    assert "Discord rejected DISCORD_TOKEN" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert wrong not in captured.err + captured.out
    refused = fake_discord.take_refused()
    assert [r.status for r in refused] == [401]  # Discord said no to the token


@pytest.mark.usefixtures("keep_root_logging")
async def test_broken_catalogue_at_start_lists_its_problems(
    fake_discord: FakeDiscord, catalog_file: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    text = catalog_file.read_text(encoding="utf-8")
    catalog_file.write_text(text.replace("kind: guide", "kind: pamphlet", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", fake_discord.token)
    monkeypatch.setenv("RESOURCE_BOT_DATA", str(catalog_file))
    monkeypatch.setenv("RESOURCE_BOT_DB", str(tmp_path / "bot.sqlite3"))
    code = await asyncio.to_thread(runner.run)
    err = capsys.readouterr().err
    assert code == 1
    assert "the catalogue is not valid" in err
    assert f"{catalog_file}:" in err and "unknown kind 'pamphlet'" in err
    assert "Traceback" not in err


@pytest.mark.usefixtures("keep_root_logging")
async def test_an_unusable_state_folder_stops_the_start_with_one_line(
    fake_discord: FakeDiscord, catalog_file: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the state folder should be")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", fake_discord.token)
    monkeypatch.setenv("RESOURCE_BOT_DATA", str(catalog_file))
    monkeypatch.setenv("RESOURCE_BOT_STATE", str(blocker))
    monkeypatch.setenv("RESOURCE_BOT_DB", str(tmp_path / "bot.sqlite3"))
    code = await asyncio.to_thread(runner.run)
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines()[-1].startswith(f"error: RESOURCE_BOT_STATE: the state folder {blocker}")
    assert "Traceback" not in err


@pytest.mark.usefixtures("keep_root_logging")
async def test_a_database_from_a_newer_version_stops_the_start_with_one_line(
    fake_discord: FakeDiscord, catalog_file: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    database = tmp_path / "bot.sqlite3"
    with contextlib.closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA user_version = 99")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", fake_discord.token)
    monkeypatch.setenv("RESOURCE_BOT_DATA", str(catalog_file))
    monkeypatch.setenv("RESOURCE_BOT_DB", str(database))
    code = await asyncio.to_thread(runner.run)
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines()[-1].startswith(f"error: the database {database} was written by a newer")
    assert "Traceback" not in err
