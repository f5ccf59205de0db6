"""The files beside the live catalogue: start-up clears only the bot's own interrupted writes,
and an upload to a symlinked catalogue writes through to the link's target."""

from __future__ import annotations

import os
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from fake_discord import FakeDiscord, Upload

from bot.config import Settings
from bot.discord.client import ResourceBot
from bot.index_cache import IndexCache
from bot.library import PARTIAL_WRITE_SUFFIX

StartBot = Callable[..., Awaitable[ResourceBot]]  # the start_bot fixture

QUESTION = "when should I fine-tune"


async def test_start_removes_its_own_interrupted_writes_and_nothing_else(
    fake_discord: FakeDiscord, start_bot: StartBot, settings: Settings, catalog_file: Path
) -> None:
    live = settings.live_catalog_path
    live.parent.mkdir(parents=True)
    live.write_bytes(catalog_file.read_bytes())
    swap = live.with_name(f".{live.name}.swp")  # vim, with the catalogue open
    swap.write_bytes(b"b0VIM 9.0 someone's unsaved edits")
    backup_by_hand = live.with_name(f".{live.name}.old")
    backup_by_hand.write_bytes(b"version: 1\n")
    interrupted = live.with_name(f".{live.name}.x7k2q9ab{PARTIAL_WRITE_SUFFIX}")
    interrupted.write_bytes(b"version: 1\nresources:\n  - id: half-writ")
    # An upload's index is saved under a staged name, itself through a temporary file.
    staged = IndexCache.beside(live, live.read_bytes()).staged().path
    interrupted_index = staged.with_name(f".{staged.name}.0wf95j6c{PARTIAL_WRITE_SUFFIX}")
    interrupted_index.write_bytes(b"PK\x03\x04 half an index")

    await start_bot(settings)
    reply = await fake_discord.slash(fake_discord.member("alice"), "ask", question=QUESTION)

    assert reply.embeds, "the bot answers from the live catalogue"
    assert swap.read_bytes() == b"b0VIM 9.0 someone's unsaved edits"
    assert backup_by_hand.read_bytes() == b"version: 1\n"
    assert not interrupted.exists(), "the write a crash cut short is cleared"
    assert not interrupted_index.exists(), "so is an upload's index a crash cut short"


async def test_an_upload_to_a_symlinked_catalogue_replaces_the_target(
    fake_discord: FakeDiscord,
    start_bot: StartBot,
    settings: Settings,
    catalog_file: Path,
    tmp_path: Path,
) -> None:
    shared = tmp_path / "shared" / "catalogue.yaml"
    shared.parent.mkdir()
    before = catalog_file.read_bytes()
    shared.write_bytes(before)
    live = settings.live_catalog_path
    live.parent.mkdir(parents=True)
    live.symlink_to(shared)
    await start_bot(settings)

    new = before.replace(b"Fine-tuning OpenAI models", b"Fine-tuning OpenAI models, revised", 1)
    assert new != before
    moderator = fake_discord.moderator("mo")
    reply = await fake_discord.slash(
        moderator, "resources-admin", "upload", file=Upload("resources.yaml", new)
    )
    assert "New catalogue saved and live" in reply.content

    assert live.is_symlink() and os.readlink(live) == str(shared), "the link is kept"
    assert shared.read_bytes() == new, "the link's target holds the upload"
    assert [p.name for p in shared.parent.iterdir()] == ["catalogue.yaml"], "no temp file left"
    [backup] = live.parent.glob(f"{live.name}.*.bak")
    assert backup.read_bytes() == before
    await fake_discord.slash(moderator, "resources-admin", "reload")  # reads through the link
    card = await fake_discord.slash(
        fake_discord.member("alice"), "resources", "show", resource="openai-fine-tuning-guide"
    )
    assert card.embeds[0]["title"] == "Fine-tuning OpenAI models, revised"


MASKED_TITLE = "Fine-tuning [the official guide](https://evil.example/login) **now**"
MASKED_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")  # [text]( not escaped: Discord links it


def as_shown(markdown: str) -> str:
    """What Discord shows of escaped text: each backslash escape is its character."""
    return re.sub(r"\\(.)", r"\1", markdown)


async def test_markdown_in_catalogue_text_shows_as_written_on_cards(
    fake_discord: FakeDiscord, bot: ResourceBot, catalog_file: Path
) -> None:
    source = catalog_file.read_text(encoding="utf-8")
    first_line = (
        "        Fine-tuning improves on few-shot learning by training on many more examples\n"
    )
    hostile = source.replace(
        "      en: Fine-tuning OpenAI models\n", f"      en: '{MASKED_TITLE}'\n", 1
    ).replace(
        first_line,
        "        Read [OpenAI's docs](https://evil.example/steal) first.\n\n"
        "        # Big heading\n\n" + first_line,
        1,
    )
    assert hostile.count("evil.example") == 2
    moderator = fake_discord.moderator("mo")
    saved = await fake_discord.slash(
        moderator, "resources-admin", "upload", file=Upload("resources.yaml", hostile.encode())
    )
    assert "New catalogue saved and live" in saved.content, saved.content

    alice = fake_discord.member("alice")
    card = await fake_discord.slash(alice, "resources", "show", resource="openai-fine-tuning-guide")
    embed = card.embeds[0]
    assert not MASKED_LINK.search(embed["title"]) and not MASKED_LINK.search(embed["description"])
    assert as_shown(embed["title"]) == MASKED_TITLE
    assert as_shown(embed["description"]).startswith("Read [OpenAI's docs](https://evil.example")
    assert "\n\\# Big heading" in embed["description"], "no heading either"
