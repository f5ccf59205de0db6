"""Privacy: what /resources about tells people, forgetting a person on their own request or a
moderator's, and questions older than the retention period disappearing."""

from __future__ import annotations

import asyncio
import time

import pytest
from fake_discord import FakeDiscord

from bot.config import Settings
from bot.discord import privacy
from bot.discord.client import ResourceBot
from bot.store import QuestionRecord, Store

ALICE_ASKS = "when should I fine-tune"
BOB_ASKS = "what is LoRA"
DAY = 24 * 3600


async def stats_text(fake: FakeDiscord) -> str:
    """Everything a moderator's all-time statistics show, as one text."""
    moderator = fake.moderator("mo")
    reply = await fake.slash(moderator, "resources-admin", "stats", period="all")
    [embed] = reply.embeds
    return "\n".join(field["value"] for field in embed["fields"])


async def alice_and_bob_ask_and_vote(fake: FakeDiscord) -> None:
    alice, bob = fake.member("alice"), fake.member("bob")
    answer = await fake.slash(alice, "ask", question=ALICE_ASKS)
    await fake.press(alice, answer, "Helpful")
    await fake.slash(bob, "ask", question=BOB_ASKS, private=True)
    await fake.press(bob, answer, "Not helpful")


async def test_a_member_forgets_themself(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    await alice_and_bob_ask_and_vote(fake_discord)
    before = await stats_text(fake_discord)
    assert "when should I fine\\-tune" in before and "👍 1 · 👎 1" in before
    alice = fake_discord.member("alice")
    reply = await fake_discord.slash(alice, "resources", "forget-me")
    assert reply.ephemeral
    assert reply.content.startswith("Done: I deleted 1 question(s) and 1 vote(s) of yours.")
    after = await stats_text(fake_discord)
    assert "fine\\-tune" not in after and "fine-tune" not in after
    assert "what is LoRA" in after and "👍 0 · 👎 1" in after  # bob's are kept
    again = await fake_discord.slash(alice, "resources", "forget-me")
    assert again.content.startswith("Done: I deleted 0 question(s) and 0 vote(s)")


async def test_forget_me_in_swedish(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    sven = fake_discord.member("sven", locale="sv-SE")
    await fake_discord.slash(sven, "fråga", question="när ska jag finjustera")
    reply = await fake_discord.slash(sven, "resurser", "glöm-mig")
    assert reply.ephemeral
    assert reply.content.startswith("Klart: jag raderade 1 fråga/frågor och 0 röst(er)")
    assert "finjustera" not in await stats_text(fake_discord)


async def test_a_moderator_forgets_a_member(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    await alice_and_bob_ask_and_vote(fake_discord)
    alice = fake_discord.member("alice")
    moderator = fake_discord.moderator("mo")
    reply = await fake_discord.slash(
        moderator, "resources-admin", "forget", options={"user": alice}
    )
    assert reply.ephemeral
    assert reply.content == f"Deleted 1 question(s) and 1 vote(s) by <@{alice.id}>."
    after = await stats_text(fake_discord)
    assert "fine\\-tune" not in after and "what is LoRA" in after


async def test_a_moderator_forgets_a_member_in_swedish(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    bob = fake_discord.member("bob")
    await fake_discord.slash(bob, "ask", question=BOB_ASKS, private=True)
    moderator = fake_discord.moderator("mo", locale="sv-SE")
    reply = await fake_discord.slash(moderator, "resurser-admin", "glöm", options={"user": bob})
    assert reply.content == f"Raderade 1 fråga/frågor och 0 röst(er) från <@{bob.id}>."


async def test_members_may_not_forget_others(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    await alice_and_bob_ask_and_vote(fake_discord)
    bob = fake_discord.member("bob")
    reply = await fake_discord.slash(
        bob, "resources-admin", "forget", options={"user": fake_discord.member("alice")}
    )
    assert reply.ephemeral and reply.content == "Only moderators can use this command."
    assert "when should I fine\\-tune" in await stats_text(fake_discord)


@pytest.mark.parametrize(
    ("locale", "group", "command", "says"),
    [
        ("en-US", "resources", "about", "Questions and votes are deleted after 90 days."),
        ("sv-SE", "resurser", "om", "Frågor och röster raderas efter 90 dagar."),
    ],
)
async def test_about_says_what_is_stored_and_for_how_long(
    fake_discord: FakeDiscord, bot: ResourceBot, locale: str, group: str, command: str, says: str
) -> None:
    alice = fake_discord.member("alice", locale=locale)
    reply = await fake_discord.slash(alice, group, command)
    assert reply.ephemeral
    assert says in reply.content
    assert "forget-me" in reply.content or "glöm-mig" in reply.content
    # moderators' stats quote questions word for word, private ones too: people are told
    assert "private ones too" in reply.content or "även privata" in reply.content


async def test_about_when_questions_are_kept_forever(
    fake_discord: FakeDiscord, start_bot, settings: Settings
) -> None:
    await start_bot(settings, question_retention_days=0)
    reply = await fake_discord.slash(fake_discord.member("alice"), "resources", "about")
    assert "Questions and votes are kept until someone deletes them." in reply.content


def old_and_new_questions(settings: Settings, guild_id: int) -> None:
    """Before the bot starts: one question 100 days old and one from yesterday, asked in
    the server `guild_id`."""

    async def record() -> None:
        store = Store.open(settings.db_path)
        for text, age in (("an old question", 100 * DAY), ("a recent question", DAY)):
            asked_at = time.time() - age
            record = QuestionRecord(7, "en-US", text, True, "a", guild_id, asked_at=asked_at)
            await store.record_question(record)
        store.close()

    asyncio.run(record())


async def test_questions_older_than_the_retention_are_deleted_at_start(
    fake_discord: FakeDiscord, start_bot, settings: Settings
) -> None:
    await asyncio.to_thread(old_and_new_questions, settings, fake_discord.guild.id)
    await start_bot(settings)
    shown = await stats_text(fake_discord)
    assert "a recent question" in shown and "an old question" not in shown


async def test_nothing_is_deleted_when_kept_forever(
    fake_discord: FakeDiscord, start_bot, settings: Settings
) -> None:
    await asyncio.to_thread(old_and_new_questions, settings, fake_discord.guild.id)
    await start_bot(settings, question_retention_days=0)
    shown = await stats_text(fake_discord)
    assert "a recent question" in shown and "an old question" in shown


async def test_the_purge_runs_again_while_the_bot_runs(
    fake_discord: FakeDiscord, start_bot, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(privacy, "PURGE_INTERVAL_SECONDS", 0.05)  # a day, sped up
    bot = await start_bot(settings, question_retention_days=30)
    old = QuestionRecord(7, "en-US", "an old question", True, "a", asked_at=time.time() - 31 * DAY)
    await bot.store.record_question(old)
    deadline = time.monotonic() + 3
    while (await bot.store.stats()).questions and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    assert (await bot.store.stats()).questions == 0
