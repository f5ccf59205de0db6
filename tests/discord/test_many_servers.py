"""Many servers: each server's moderators act on their own server only, a server may be
answered from its own catalogue, and the default is managed from the home server."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_discord import FakeDiscord, Upload
from fake_discord.payloads import Guild

from bot.config import Settings
from bot.discord.client import ResourceBot

QUESTION = "when should I fine-tune"
REFUSED = "Only moderators can use this command."


@pytest.fixture
def other(fake_discord: FakeDiscord) -> Guild:
    """A second server, not a home server (the fake's first server is the home)."""
    return fake_discord.add_guild("Other Server")


@pytest.fixture
async def bot(start_bot, settings: Settings, other: Guild) -> ResourceBot:
    return await start_bot(settings)


def retitled(catalog_file: Path, bot: ResourceBot, title: str) -> tuple[str, bytes]:
    """The default catalogue with its first resource's English title changed."""
    first = bot.library.current.catalog.resources[0]
    text = catalog_file.read_text(encoding="utf-8")
    assert first.title["en"] in text
    return first.id, text.replace(first.title["en"], title, 1).encode("utf-8")


async def shown_title(fake_discord: FakeDiscord, person, resource_id: str) -> str:
    reply = await fake_discord.slash(person, "resources", "show", resource=resource_id)
    return reply.embeds[0]["title"]


async def test_a_servers_upload_answers_that_server_only(
    fake_discord: FakeDiscord, bot: ResourceBot, other: Guild, catalog_file: Path, live_file: Path
) -> None:
    default_before = live_file.read_bytes()
    resource_id, data = retitled(catalog_file, bot, "Fine-tuning, our server's guide")
    moderator = fake_discord.moderator("olga", guild=other)
    reply = await fake_discord.slash(
        moderator, "resources-admin", "upload", file=Upload("resources.yaml", data)
    )
    assert reply.content.startswith("This server's own catalogue is saved and live")
    assert f"**Changed (1):** `{resource_id}`" in reply.content

    there = fake_discord.member("otto", guild=other)
    here = fake_discord.member("alice")
    assert await shown_title(fake_discord, there, resource_id) == "Fine-tuning, our server's guide"
    assert await shown_title(fake_discord, here, resource_id) != "Fine-tuning, our server's guide"
    typed = await fake_discord.autocomplete(there, "ask", focused="question", value="our server")
    assert any("our server's guide" in choice["name"] for choice in typed)
    listed = await fake_discord.autocomplete(here, "ask", focused="question", value="our server")
    assert not any("our server's guide" in choice["name"] for choice in listed)
    assert live_file.read_bytes() == default_before, "the default catalogue is untouched"
    assert (live_file.parent / "servers" / str(other.id) / "resources.yaml").read_bytes() == data


async def test_a_moderator_elsewhere_can_neither_change_nor_read_the_home_server(
    fake_discord: FakeDiscord, bot: ResourceBot, other: Guild, live_file: Path
) -> None:
    alice = fake_discord.member("alice")
    answer = await fake_discord.slash(alice, "ask", question=QUESTION)
    await fake_discord.slash(alice, "ask", question="how do I bake sourdough bread")
    await fake_discord.press(alice, answer, "Helpful")

    olga = fake_discord.moderator("olga", guild=other)
    reload = await fake_discord.slash(olga, "resources-admin", "reload")
    assert "managed by the bot's operator" in reload.content
    stats = await fake_discord.slash(olga, "resources-admin", "stats", period="all")
    assert [f["value"] for f in stats.embeds[0]["fields"]] == ["Nothing yet."] * 3
    forgot = await fake_discord.slash(olga, "resources-admin", "forget", options={"user": alice})
    assert forgot.content.startswith("Deleted 0 question(s) and 0 vote(s)")

    home = fake_discord.moderator("mo")
    shown = await fake_discord.slash(home, "resources-admin", "stats", period="all")
    most, unanswered, votes = shown.embeds[0]["fields"]
    assert "fine\\-tune" in most["value"] and "sourdough" in unanswered["value"]
    assert votes["value"].startswith("👍 1 · 👎 0")
    assert (
        "Catalogue reloaded"
        in (await fake_discord.slash(home, "resources-admin", "reload")).content
    )


async def test_an_admin_of_one_server_gets_nothing_of_anothers_admin_commands(
    fake_discord: FakeDiscord, bot: ResourceBot, other: Guild, live_file: Path
) -> None:
    before = live_file.read_bytes()
    fake_discord.moderator("bea", guild=other)  # Manage Server there...
    bea = fake_discord.member("bea")  # ...and a plain member here
    for command in ("reload", "stats", "reset"):
        reply = await fake_discord.slash(bea, "resources-admin", command)
        assert reply.content == REFUSED, command
    reply = await fake_discord.slash(
        bea, "resources-admin", "upload", file=Upload("resources.yaml", before)
    )
    assert reply.content == REFUSED
    reply = await fake_discord.slash(bea, "resources-admin", "forget", options={"user": bea})
    assert reply.content == REFUSED
    assert live_file.read_bytes() == before


async def test_reset_goes_back_to_the_default_and_keeps_the_servers_file(
    fake_discord: FakeDiscord, bot: ResourceBot, other: Guild, catalog_file: Path
) -> None:
    resource_id, data = retitled(catalog_file, bot, "Fine-tuning, our server's guide")
    moderator = fake_discord.moderator("olga", guild=other, locale="sv-SE")
    none = await fake_discord.slash(moderator, "resurser-admin", "återställ")
    assert none.content == "Den här servern använder redan standardkatalogen; inget ändrades."
    await fake_discord.slash(
        moderator, "resources-admin", "upload", file=Upload("resources.yaml", data)
    )
    reset = await fake_discord.slash(moderator, "resurser-admin", "återställ")
    assert reset.content.startswith("Den här servern besvaras från standardkatalogen igen")
    assert f"**Ändrade (1):** `{resource_id}`" in reset.content
    otto = fake_discord.member("otto", guild=other)
    default_title = bot.library.current.catalog.get(resource_id).title["en"]
    assert await shown_title(fake_discord, otto, resource_id) == default_title
    folder = Path(bot.settings.state_dir) / "servers" / str(other.id)
    assert not (folder / "resources.yaml").exists()
    assert [b.read_bytes() for b in folder.glob("resources.yaml.*.bak")] == [data]
    reload = await fake_discord.slash(moderator, "resources-admin", "reload", locale="en-US")
    assert "managed by the bot's operator" in reload.content


async def test_servers_on_the_default_share_one_index(
    fake_discord: FakeDiscord, bot: ResourceBot, other: Guild, catalog_file: Path
) -> None:
    asked = [
        await fake_discord.slash(fake_discord.member("alice"), "ask", question=QUESTION),
        await fake_discord.slash(
            fake_discord.member("otto", guild=other), "ask", question=QUESTION
        ),
    ]
    assert all(reply.embeds for reply in asked)
    home, elsewhere = (bot.catalogues.for_guild(g) for g in (fake_discord.guild.id, other.id))
    assert home is elsewhere is bot.library
    assert home.current.index is elsewhere.current.index
    _, data = retitled(catalog_file, bot, "Fine-tuning, our server's guide")
    moderator = fake_discord.moderator("olga", guild=other)
    await fake_discord.slash(
        moderator, "resources-admin", "upload", file=Upload("resources.yaml", data)
    )
    assert bot.catalogues.for_guild(other.id).current.index is not bot.library.current.index


async def test_a_server_catalogue_over_the_limit_is_refused(
    fake_discord: FakeDiscord, start_bot, settings: Settings, other: Guild, catalog_file: Path
) -> None:
    bot = await start_bot(settings, server_catalog_max_resources=3)
    count = len(bot.library.current.catalog)
    moderator = fake_discord.moderator("olga", guild=other, locale="sv-SE")
    reply = await fake_discord.slash(
        moderator,
        "resources-admin",
        "upload",
        file=Upload("resources.yaml", catalog_file.read_bytes()),
    )
    assert reply.ephemeral
    assert reply.content == (
        f"Katalogen har {count} resurser; en servers egen katalog får ha högst 3. Inget ändrades."
    )
    assert not (Path(settings.state_dir) / "servers").exists()
    assert not bot.catalogues.has_own(other.id)


async def test_a_restart_keeps_each_servers_catalogue(
    fake_discord: FakeDiscord, start_bot, settings: Settings, other: Guild, catalog_file: Path
) -> None:
    bot = await start_bot(settings)
    resource_id, data = retitled(catalog_file, bot, "Fine-tuning, our server's guide")
    moderator = fake_discord.moderator("olga", guild=other)
    await fake_discord.slash(
        moderator, "resources-admin", "upload", file=Upload("resources.yaml", data)
    )
    await bot.close()
    await start_bot(settings)
    otto, alice = fake_discord.member("otto", guild=other), fake_discord.member("alice")
    assert await shown_title(fake_discord, otto, resource_id) == "Fine-tuning, our server's guide"
    assert await shown_title(fake_discord, alice, resource_id) != "Fine-tuning, our server's guide"
    reload = await fake_discord.slash(moderator, "resources-admin", "reload")
    assert "No resource changed." in reload.content  # its reload reads its own file
