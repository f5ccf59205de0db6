"""The buttons under a card: one vote per person per resource, which the other button changes
(also after a restart), and Delete for the asker or a moderator only."""

from __future__ import annotations

import pytest
from fake_discord import FakeDiscord

from bot.config import Settings
from bot.discord.client import ResourceBot

QUESTION = "when should I fine-tune"


@pytest.mark.parametrize(
    ("locale", "helpful", "thanks", "already", "changed"),
    [
        (
            "en-US",
            "Helpful",
            "Thanks! Your vote is counted.",
            "You already voted",
            "Thanks! Your vote is changed.",
        ),
        (
            "sv-SE",
            "Till hjälp",
            "Tack! Din röst är räknad.",
            "Du har redan röstat",
            "Tack! Din röst är ändrad.",
        ),
    ],
)
async def test_feedback_counts_once_per_person_and_can_be_changed(
    fake_discord: FakeDiscord,
    bot: ResourceBot,
    locale: str,
    helpful: str,
    thanks: str,
    already: str,
    changed: str,
) -> None:
    asker = fake_discord.member("asker", locale=locale)
    answer = await fake_discord.slash(asker, "ask", question=QUESTION)
    first = await fake_discord.press(asker, answer, helpful)
    assert first.ephemeral and first.content == thanks
    second = await fake_discord.press(asker, answer, helpful)
    assert second.ephemeral and already in second.content
    other = await fake_discord.press(fake_discord.member("other"), answer, helpful)
    assert other.content == "Thanks! Your vote is counted."  # the presser's language
    resource_id = answer.buttons[1]["custom_id"].rsplit(":", 1)[1]
    stats = await bot.store.stats()
    assert [(f.resource_id, f.helpful, f.not_helpful) for f in stats.feedback] == [
        (resource_id, 2, 0)
    ]
    mind_changed = await fake_discord.press(asker, answer, custom_id=answer.buttons[2]["custom_id"])
    assert mind_changed.ephemeral and mind_changed.content == changed
    stats = await bot.store.stats()
    assert [(f.helpful, f.not_helpful) for f in stats.feedback] == [(1, 1)]


async def test_one_vote_per_person_per_resource_however_many_answers_show_it(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice = fake_discord.member("alice")
    answers = [
        await fake_discord.slash(alice, "ask", question=QUESTION, private=True) for _ in range(5)
    ]
    assert len({answer.buttons[1]["custom_id"] for answer in answers}) == 1  # one resource
    votes = [await fake_discord.press(alice, answer, "Not helpful") for answer in answers]
    assert votes[0].content == "Thanks! Your vote is counted."
    assert all("You already voted" in vote.content for vote in votes[1:])
    changed = await fake_discord.press(alice, answers[3], "Helpful")
    assert changed.content == "Thanks! Your vote is changed."
    stats = await bot.store.stats()
    assert [(f.helpful, f.not_helpful) for f in stats.feedback] == [(1, 0)]


async def test_feedback_buttons_work_after_a_restart(
    fake_discord: FakeDiscord, start_bot, settings: Settings
) -> None:
    before = await start_bot(settings)
    alice = fake_discord.member("alice")
    answer = await fake_discord.slash(alice, "ask", question=QUESTION)
    await before.close()
    after = await start_bot(settings)
    vote = await fake_discord.press(alice, answer, "Not helpful")
    assert vote.content == "Thanks! Your vote is counted."
    await after.close()
    again = await start_bot(settings)
    same = await fake_discord.press(alice, answer, "Not helpful")
    assert "already voted" in same.content
    stats = await again.store.stats()
    assert [(f.helpful, f.not_helpful) for f in stats.feedback] == [(0, 1)]


async def test_asker_can_delete_the_answer(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    alice = fake_discord.member("alice")
    answer = await fake_discord.slash(alice, "ask", question=QUESTION)
    await fake_discord.press(alice, answer, "Delete")
    assert answer.shown.deleted
    again = await fake_discord.slash(alice, "ask", question=QUESTION)
    assert again.embeds and not again.ephemeral, "a deleted answer may be asked for again"


@pytest.mark.parametrize("locale", ["en-US", "sv-SE"])
async def test_moderator_can_delete_someone_elses_answer(
    fake_discord: FakeDiscord, bot: ResourceBot, locale: str
) -> None:
    alice = fake_discord.member("alice")
    answer = await fake_discord.slash(alice, "ask", question=QUESTION)
    moderator = fake_discord.moderator("mo", locale=locale)
    await fake_discord.press(moderator, answer, "Delete")
    assert answer.shown.deleted


async def test_members_with_a_moderator_role_can_delete(
    fake_discord: FakeDiscord, start_bot, settings: Settings
) -> None:
    helpers = fake_discord.add_role("Helpers")
    await start_bot(settings, mod_role_ids=frozenset({helpers}))
    alice = fake_discord.member("alice")
    answer = await fake_discord.slash(alice, "ask", question=QUESTION)
    helper = fake_discord.member("hana", roles=[helpers])
    await fake_discord.press(helper, answer, "Delete")
    assert answer.shown.deleted


@pytest.mark.parametrize(
    ("locale", "refusal"),
    [
        ("en-US", "Only the person who asked, or a moderator, can delete this answer."),
        ("sv-SE", "Bara den som frågade, eller en moderator, kan ta bort svaret."),
    ],
)
async def test_others_cannot_delete(
    fake_discord: FakeDiscord, bot: ResourceBot, locale: str, refusal: str
) -> None:
    alice = fake_discord.member("alice")
    answer = await fake_discord.slash(alice, "ask", question=QUESTION)
    bob = fake_discord.member("bob", locale=locale)
    refused = await fake_discord.press(bob, answer, "Delete")
    assert refused.ephemeral and refused.content == refusal
    assert not answer.shown.deleted
