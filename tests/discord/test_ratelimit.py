"""Questions per person per minute: a burst within the allowance is answered, a flood is told
privately when to ask again (in the asker's language), and other people are not affected."""

from __future__ import annotations

import asyncio

import pytest
from fake_discord import FakeDiscord

from bot.config import DEFAULT_QUESTIONS_PER_MINUTE, Settings
from bot.discord.client import ResourceBot
from bot.discord.ratelimit import MAX_PEOPLE, QuestionLimiter

QUESTIONS = ["when should I fine-tune", "qlora tutorial", "hugging face", "prepare training data"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_minutes_worth_at_once_then_one_at_the_allowed_pace() -> None:
    clock = Clock()
    limiter = QuestionLimiter(10, clock)
    assert [limiter.take(1) for _ in range(10)] == [0.0] * 10
    assert limiter.take(1) == pytest.approx(6.0)  # 10 a minute: the next in 6 s
    clock.now += 3
    assert limiter.take(1) == pytest.approx(3.0)  # refused asks do not count
    clock.now += 3
    assert limiter.take(1) == 0.0
    assert limiter.take(2) == 0.0, "someone else is not slowed"
    clock.now += 3600
    assert [limiter.take(1) for _ in range(11)].count(0.0) == 10, (
        "the allowance never exceeds a minute's worth"
    )


def test_no_limit_when_set_to_zero() -> None:
    limiter = QuestionLimiter(0, Clock())
    assert all(limiter.take(1) == 0.0 for _ in range(1000))


def test_people_who_went_quiet_are_forgotten() -> None:
    clock = Clock()
    limiter = QuestionLimiter(10, clock)
    for user_id in range(MAX_PEOPLE):
        limiter.take(user_id)
    clock.now += 60
    limiter.take(MAX_PEOPLE)
    assert len(limiter._buckets) == 1


@pytest.mark.parametrize(
    ("locale", "notice"),
    [
        ("en-US", "You are asking faster than I can keep up. Please wait 6 s and ask again."),
        ("sv-SE", "Du frågar snabbare än jag hinner med. Vänta 6 s och fråga igen."),
    ],
)
async def test_a_flood_of_questions_is_slowed_and_others_are_unaffected(
    fake_discord: FakeDiscord, bot: ResourceBot, locale: str, notice: str
) -> None:
    assert bot.question_limits.per_minute == DEFAULT_QUESTIONS_PER_MINUTE == 10
    clock = Clock()  # time stands still: however slow the machine, the flood is "at once"
    bot.question_limits = QuestionLimiter(DEFAULT_QUESTIONS_PER_MINUTE, clock)
    flooder = fake_discord.member("flooder", locale=locale)
    others = [fake_discord.member(f"person{n}") for n in range(5)]

    async def ask(person, question: str):
        return await fake_discord.slash(person, "ask", question=question, private=True)

    flood = [ask(flooder, QUESTIONS[n % 4]) for n in range(30)]
    calm = [ask(person, QUESTIONS[n % 4]) for n, person in enumerate(others * 2)]
    replies = await asyncio.gather(*flood, *calm)
    flooded, answered = replies[:30], replies[30:]

    assert sum(bool(r.embeds) for r in flooded) == 10
    slowed = [r for r in flooded if not r.embeds]
    assert len(slowed) == 20
    assert all(r.ephemeral and r.content == notice for r in slowed)
    assert all(r.embeds for r in answered), "other people are answered as usual"
    # Only the answered questions are recorded for the moderators' statistics.
    assert (await bot.store.stats()).questions == 10 + len(answered)


async def test_find_resources_counts_too_and_the_limit_is_a_setting(
    fake_discord: FakeDiscord, start_bot, settings: Settings
) -> None:
    bot = await start_bot(settings, questions_per_minute=2)
    helper = fake_discord.member("helper")
    first = await fake_discord.slash(helper, "ask", question=QUESTIONS[0], private=True)
    second = await fake_discord.context_menu(helper, "Find resources", message=QUESTIONS[1])
    third = await fake_discord.context_menu(helper, "Find resources", message=QUESTIONS[2])
    assert first.embeds and "Answered in a reply" in second.content
    assert third.ephemeral and third.content.startswith("You are asking faster")
    assert len(fake_discord.channel_messages) == 1
    assert bot.question_limits.per_minute == 2


async def test_a_flood_of_lists_posts_one_in_the_channel(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    bot.question_limits = QuestionLimiter(DEFAULT_QUESTIONS_PER_MINUTE, Clock())
    flooder = fake_discord.member("flooder")
    listings = await asyncio.gather(
        *(fake_discord.slash(flooder, "resources", "browse") for _ in range(30))
    )
    public = [r for r in listings if not r.ephemeral]
    private_lists = [r for r in listings if r.ephemeral and r.embeds]
    slowed = [r for r in listings if r.ephemeral and not r.embeds]
    assert len(public) == 1, "one list in the channel within the cooldown"
    assert len(private_lists) == 9, "the rest of the minute's allowance: lists only they see"
    assert len(slowed) == 20
    assert all(r.content.startswith("You are asking faster") for r in slowed)

    others = fake_discord.member("other")
    theirs = await fake_discord.slash(others, "resources", "browse")
    assert theirs.ephemeral and theirs.embeds, "someone else still gets a list, privately"
    assert "A list was posted here" in theirs.content and "discord.com/channels/" in theirs.content
    turned = await fake_discord.press(others, theirs, "Next")
    assert turned.updated and "Page 2 of" in turned.embeds[0]["footer"]["text"]


async def test_a_flood_of_different_cards_is_slowed(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    bot.question_limits = QuestionLimiter(DEFAULT_QUESTIONS_PER_MINUTE, Clock())
    flooder = fake_discord.member("flooder", locale="sv-SE")
    resources = [r.id for r in bot.library.current.catalog][:20]
    assert len(resources) == 20
    cards = await asyncio.gather(
        *(fake_discord.slash(flooder, "resources", "show", resource=r) for r in resources)
    )
    public = [r for r in cards if not r.ephemeral]
    slowed = [r for r in cards if r.ephemeral]
    assert len(public) == DEFAULT_QUESTIONS_PER_MINUTE
    assert len(slowed) == 10
    assert all(r.content.startswith("Du frågar snabbare") for r in slowed)
    # Cards and questions share one allowance: switching commands does not get round it.
    asked = await fake_discord.slash(flooder, "ask", question=QUESTIONS[0])
    assert asked.ephemeral and asked.content.startswith("Du frågar snabbare")
