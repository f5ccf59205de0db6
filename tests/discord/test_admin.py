"""/resources-admin reload, upload and stats: refused to members, and what moderators see."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_discord import FakeDiscord, Upload

from bot.config import Settings
from bot.discord.client import ResourceBot

QUESTION = "when should I fine-tune"
BROKEN_TOPIC = "topics: [concepts, when-to-fine-tune, openai]"


def edited(catalog_file: Path, old: str, new: str, count: int = 1) -> bytes:
    text = catalog_file.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, count).encode("utf-8")


def line_of(data: bytes, needle: str) -> int:
    return data.decode("utf-8")[: data.decode("utf-8").index(needle)].count("\n") + 1


@pytest.mark.parametrize(
    ("locale", "refusal"),
    [
        ("en-US", "Only moderators can use this command."),
        ("sv-SE", "Bara moderatorer kan använda det här kommandot."),
    ],
)
@pytest.mark.parametrize("command", ["reload", "stats"])
async def test_members_are_refused(
    fake_discord: FakeDiscord, bot: ResourceBot, locale: str, refusal: str, command: str
) -> None:
    # Discord hides the group from members without Manage Server; a server admin can show it
    # to anyone, so the bot checks too.
    alice = fake_discord.member("alice", locale=locale)
    reply = await fake_discord.slash(alice, "resources-admin", command)
    assert reply.ephemeral and reply.content == refusal


async def test_member_upload_is_refused_and_changes_nothing(
    fake_discord: FakeDiscord, bot: ResourceBot, live_file: Path
) -> None:
    before = live_file.read_bytes()
    alice = fake_discord.member("alice")
    reply = await fake_discord.slash(
        alice, "resources-admin", "upload", file=Upload("resources.yaml", b"version: 1\n")
    )
    assert reply.ephemeral and reply.content == "Only moderators can use this command."
    assert live_file.read_bytes() == before


async def test_moderator_reload_shows_what_changed(
    fake_discord: FakeDiscord, bot: ResourceBot, live_file: Path
) -> None:
    catalog = bot.library.current.catalog
    first, second = catalog.resources[0], catalog.resources[1]
    data = edited(live_file, first.title["en"], "Fine-tuning OpenAI models, the guide")
    data = data.replace(f"- id: {second.id}\n".encode(), b"- id: renamed-resource\n")
    live_file.write_bytes(data)
    moderator = fake_discord.moderator("mo")
    reply = await fake_discord.slash(moderator, "resources-admin", "reload")
    assert reply.ephemeral
    assert reply.content.startswith(f"Catalogue reloaded: {len(catalog)} resources.")
    assert "**Added (1):** `renamed-resource`" in reply.content
    assert f"**Removed (1):** `{second.id}`" in reply.content
    assert f"**Changed (1):** `{first.id}`" in reply.content
    shown = await fake_discord.slash(moderator, "resources", "show", resource=first.id)
    assert shown.embeds[0]["title"] == "Fine-tuning OpenAI models, the guide"


async def test_moderator_reload_in_swedish_with_nothing_changed(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    moderator = fake_discord.moderator("mo", locale="sv-SE")
    reply = await fake_discord.slash(moderator, "resurser-admin", "ladda-om")
    assert reply.ephemeral
    assert "Katalogen är omladdad" in reply.content and "Ingen resurs ändrades." in reply.content


async def test_members_with_a_moderator_role_may_reload(
    fake_discord: FakeDiscord, start_bot, settings: Settings
) -> None:
    helpers = fake_discord.add_role("Helpers")
    await start_bot(settings, mod_role_ids=frozenset({helpers}))
    helper = fake_discord.member("hana", roles=[helpers])
    reply = await fake_discord.slash(helper, "resources-admin", "reload")
    assert "Catalogue reloaded" in reply.content


async def test_broken_reload_shows_the_errors_and_keeps_answering(
    fake_discord: FakeDiscord, bot: ResourceBot, live_file: Path
) -> None:
    data = edited(live_file, BROKEN_TOPIC, "topics: [concepts, tracking]")
    live_file.write_bytes(data)
    moderator = fake_discord.moderator("mo")
    reply = await fake_discord.slash(moderator, "resources-admin", "reload")
    assert reply.ephemeral
    assert "kept serving the previous catalogue" in reply.content
    line = line_of(data, "topics: [concepts, tracking]")
    assert f"{live_file}:{line}: " in reply.content and "unknown topic 'tracking'" in reply.content
    alice = fake_discord.member("alice")
    answer = await fake_discord.slash(alice, "ask", question=QUESTION)
    assert answer.embeds, "the previous catalogue still answers"


async def test_moderator_uploads_a_valid_catalogue(
    fake_discord: FakeDiscord, bot: ResourceBot, catalog_file: Path, live_file: Path
) -> None:
    catalog = bot.library.current.catalog
    first = catalog.resources[0]
    data = edited(live_file, first.title["sv"], "Finjustering med OpenAI, guiden")
    before = live_file.read_bytes()
    moderator = fake_discord.moderator("mo", locale="sv-SE")
    reply = await fake_discord.slash(
        moderator, "resurser-admin", "ladda-upp", file=Upload("resources.yaml", data)
    )
    assert reply.ephemeral
    assert "Den nya katalogen är sparad och i bruk" in reply.content
    assert f"**Ändrade (1):** `{first.id}`" in reply.content
    assert live_file.read_bytes() == data
    backups = list(live_file.parent.glob("resources.yaml.*.bak"))
    assert [b.read_bytes() for b in backups] == [before]
    assert catalog_file.read_bytes() == before, "the default catalogue is left as it was"
    assert not list(catalog_file.parent.glob("*.bak"))
    sven = fake_discord.member("sven", locale="sv-SE")
    shown = await fake_discord.slash(sven, "resurser", "visa", resource=first.id)
    assert shown.embeds[0]["title"] == "Finjustering med OpenAI, guiden"


async def test_invalid_upload_shows_errors_and_changes_nothing(
    fake_discord: FakeDiscord, bot: ResourceBot, live_file: Path
) -> None:
    before = live_file.read_bytes()
    data = edited(live_file, BROKEN_TOPIC, "topics: [concepts, tracking]")
    moderator = fake_discord.moderator("mo")
    reply = await fake_discord.slash(
        moderator, "resources-admin", "upload", file=Upload("new.yaml", data)
    )
    assert reply.ephemeral
    assert "nothing was changed" in reply.content
    assert f"new.yaml:{line_of(data, 'tracking]')}: " in reply.content
    assert live_file.read_bytes() == before
    assert not list(live_file.parent.glob("*.bak"))
    answer = await fake_discord.slash(moderator, "ask", question=QUESTION)
    assert answer.embeds


async def test_upload_of_something_that_is_not_yaml(
    fake_discord: FakeDiscord, bot: ResourceBot, live_file: Path
) -> None:
    before = live_file.read_bytes()
    moderator = fake_discord.moderator("mo")
    reply = await fake_discord.slash(
        moderator, "resources-admin", "upload", file=Upload("cat.png", b"\x89PNG\r\n\x1a\n\x00")
    )
    assert reply.ephemeral and "nothing was changed" in reply.content
    assert live_file.read_bytes() == before


async def test_an_uploaded_catalogue_is_served_after_a_restart(
    fake_discord: FakeDiscord, start_bot, settings: Settings, catalog_file: Path
) -> None:
    bot = await start_bot(settings)
    first = bot.library.current.catalog.resources[0]
    data = edited(catalog_file, first.title["en"], "Fine-tuning OpenAI models, uploaded")
    moderator = fake_discord.moderator("mo")
    await fake_discord.slash(
        moderator, "resources-admin", "upload", file=Upload("resources.yaml", data)
    )
    await bot.close()
    await start_bot(settings)
    alice = fake_discord.member("alice")
    shown = await fake_discord.slash(alice, "resources", "show", resource=first.id)
    assert shown.embeds[0]["title"] == "Fine-tuning OpenAI models, uploaded"
    reloaded = await fake_discord.slash(moderator, "resources-admin", "reload")
    assert "No resource changed." in reloaded.content  # reload reads the uploaded file too


@pytest.mark.parametrize(
    ("locale", "title", "asked", "gaps"),
    [
        ("en-US", "Questions and feedback: last 7 days", "Most asked", "No confident answer"),
        ("sv-SE", "Frågor och återkoppling: senaste 7 dagarna", "Vanligaste", "Utan säkert svar"),
    ],
)
async def test_stats_show_questions_gaps_and_feedback(
    fake_discord: FakeDiscord, bot: ResourceBot, locale: str, title: str, asked: str, gaps: str
) -> None:
    alice, bob = fake_discord.member("alice"), fake_discord.member("bob")
    answer = await fake_discord.slash(alice, "ask", question=QUESTION)
    await fake_discord.slash(bob, "ask", question=QUESTION, private=True)
    await fake_discord.slash(alice, "ask", question="how do I bake @everyone bread")
    await fake_discord.press(alice, answer, "Helpful")
    await fake_discord.press(bob, answer, "Not helpful")
    moderator = fake_discord.moderator("mo", locale=locale)
    reply = await fake_discord.slash(moderator, "resources-admin", "stats")
    assert reply.ephemeral
    [embed] = reply.embeds
    assert embed["title"] == title
    most, unanswered, votes = embed["fields"]
    assert most["name"].startswith(asked) and unanswered["name"].startswith(gaps)
    assert most["value"].startswith("**2×** when should I fine\\-tune")
    assert "bake" in unanswered["value"] and "@everyone" not in unanswered["value"]
    assert "fine-tune" not in unanswered["value"]
    assert votes["value"].startswith("👍 1 · 👎 1 · ")


async def test_stats_for_a_chosen_period(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    moderator = fake_discord.moderator("mo")
    reply = await fake_discord.slash(moderator, "resources-admin", "stats", period="all")
    assert reply.embeds[0]["title"] == "Questions and feedback: all time"
    assert [f["value"] for f in reply.embeds[0]["fields"]] == ["Nothing yet."] * 3


async def test_long_work_shows_thinking_first(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    moderator = fake_discord.moderator("mo")
    reply = await fake_discord.slash(moderator, "resources-admin", "reload")
    assert reply.type == 5  # "is thinking…" at once, the answer follows
    assert reply.ephemeral and not reply.shown.loading


async def test_a_second_reload_while_one_runs_is_turned_away(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    moderator = fake_discord.moderator("mo")
    async with bot.library._lock:  # a reload or upload under way
        reply = await fake_discord.slash(moderator, "resources-admin", "reload")
        upload = await fake_discord.slash(
            moderator, "resources-admin", "upload", file=Upload("resources.yaml", b"x")
        )
    assert reply.ephemeral and "already running" in reply.content
    assert upload.ephemeral and "already running" in upload.content
