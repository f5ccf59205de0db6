"""/ask, its autocomplete, the "Find resources" menu, and the cooldown, as people use them."""

from __future__ import annotations

import re

import pytest
from fake_discord import FakeDiscord

from bot.discord.client import ResourceBot
from bot.shown import shown

FINE_TUNE_WHEN = "when should I fine-tune"


def labels(reply) -> list[str]:
    return [button.get("label") for button in reply.buttons]


@pytest.mark.parametrize(
    ("locale", "question", "asked", "buttons"),
    [
        ("en-US", FINE_TUNE_WHEN, "Answer to:", ["Open", "Helpful", "Not helpful", "Delete"]),
        (
            "sv-SE",
            "när ska jag finjustera",
            "Svar på:",
            ["Öppna", "Till hjälp", "Inte till hjälp", "Ta bort"],
        ),
    ],
)
async def test_confident_answer_is_a_public_card(
    fake_discord: FakeDiscord,
    bot: ResourceBot,
    locale: str,
    question: str,
    asked: str,
    buttons: list[str],
) -> None:
    alice = fake_discord.member("alice", locale=locale)
    reply = await fake_discord.slash(alice, "ask", question=question)
    assert not reply.ephemeral
    assert reply.content.startswith(asked)
    card = reply.embeds[0]
    language = locale[:2]
    chosen = shown(bot.library.current.index.ask(question))
    best = chosen.best.resource
    assert card["title"] == best.title_in(language) and card["url"] == best.url
    assert card["description"] == best.description_in(language)
    assert len(card["fields"]) == 4  # kind, provider, topics, and the other resources
    also = card["fields"][3]["value"].splitlines()
    assert chosen.see_also and len(also) == len(chosen.see_also)
    assert all(m.resource.url in line for m, line in zip(chosen.see_also, also, strict=True))
    assert labels(reply) == buttons
    assert reply.shown.button(buttons[0])["url"] == best.url


async def test_swedish_command_name_works(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    sven = fake_discord.member("sven", locale="sv-SE")
    reply = await fake_discord.slash(sven, "fråga", question="när ska jag finjustera")
    assert reply.content.startswith("Svar på:") and reply.embeds


@pytest.mark.parametrize(
    ("locale", "says", "points_to"),
    [
        ("en-US", "No resource fits", "/resources browse"),
        ("sv-SE", "Ingen resurs passar", "/resurser bläddra"),
    ],
)
async def test_no_confident_answer_is_private_with_near_misses(
    fake_discord: FakeDiscord, bot: ResourceBot, locale: str, says: str, points_to: str
) -> None:
    alice = fake_discord.member("alice", locale=locale)
    reply = await fake_discord.slash(alice, "ask", question="how do I bake sourdough bread")
    assert reply.ephemeral
    assert says in reply.content and points_to in reply.content
    assert not reply.embeds and not reply.buttons


async def test_near_misses_are_listed(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    question = "my dog ate my jsonl dataset"
    answer = bot.library.current.index.ask(question)
    assert not answer.confident and answer.suggestions, "the example must be a near miss"
    alice = fake_discord.member("alice")
    reply = await fake_discord.slash(alice, "ask", question=question)
    for match in answer.suggestions:
        assert match.resource.url in reply.content


async def test_private_answer_is_only_for_the_asker(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice = fake_discord.member("alice")
    reply = await fake_discord.slash(alice, "ask", question=FINE_TUNE_WHEN, private=True)
    assert reply.ephemeral and reply.embeds
    assert "Delete" not in labels(reply)  # nothing public to clean up
    again = await fake_discord.slash(alice, "ask", question=FINE_TUNE_WHEN, private=True)
    assert again.embeds, "private answers are not held back by the cooldown"


@pytest.mark.parametrize(
    "typed",
    ["", "f", "fine", "x" * 100, "🙂 <@&123> @everyone **", "\t\n", "när ska jag fi", "!!!"],
)
async def test_autocomplete_never_fails_and_fits(
    fake_discord: FakeDiscord, bot: ResourceBot, typed: str
) -> None:
    alice = fake_discord.member("alice")
    choices = await fake_discord.autocomplete(alice, "ask", focused="question", value=typed)
    assert len(choices) <= 25
    ids = {r.id for r in bot.library.current.catalog}
    for choice in choices:
        assert 1 <= len(choice["name"]) <= 100
        assert choice["value"] in ids


async def test_autocomplete_suggests_matching_titles_in_the_users_language(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    sven = fake_discord.member("sven", locale="sv-SE")
    choices = await fake_discord.autocomplete(sven, "ask", focused="question", value="hugging fa")
    catalog = bot.library.current.catalog
    first = catalog.get(choices[0]["value"])
    assert "hugging-face" in first.topics
    assert choices[0]["name"] == first.title_in("sv")


async def test_picking_a_suggestion_answers_with_exactly_that_resource(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice = fake_discord.member("alice")
    choices = await fake_discord.autocomplete(alice, "ask", focused="question", value="cook")
    picked = choices[-1]
    reply = await fake_discord.slash(alice, "ask", question=picked["value"])
    resource = bot.library.current.catalog.get(picked["value"])
    assert reply.embeds[0]["title"] == resource.title_in("en")
    assert reply.embeds[0]["url"] == resource.url


async def test_question_with_everyone_and_markdown_cannot_ping_or_break_the_card(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice = fake_discord.member("alice")
    role = fake_discord.moderator_role
    question = f"@everyone <@&{role}> when should I **fine-tune**? `now`"
    reply = await fake_discord.slash(alice, "ask", question=question)
    assert reply.embeds, "the question still gets its answer"
    shown = reply.shown
    assert not shown.pings_everyone and not shown.mentions
    assert shown.raw.get("mention_roles", []) == []
    assert "@everyone" not in reply.content
    assert not re.search(r"<@&\d", reply.content)
    assert "**fine" not in reply.content and "`now`" not in reply.content
    request = next(
        r
        for r in fake_discord.requests_for("create_interaction_response")
        if r.body and r.body.get("data", {}).get("embeds")
    )
    assert request.body["data"]["allowed_mentions"] == {"parse": []}


async def test_same_resource_is_not_posted_twice_in_a_channel_within_the_cooldown(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice, bob = fake_discord.member("alice"), fake_discord.member("bob", locale="sv-SE")
    first = await fake_discord.slash(alice, "ask", question=FINE_TUNE_WHEN)
    repeat = await fake_discord.slash(bob, "ask", question=FINE_TUNE_WHEN)
    assert repeat.ephemeral and not repeat.embeds
    assert "postades här för" in repeat.content
    link = f"/channels/{fake_discord.guild.id}/{fake_discord.channel('general')}/{first.shown.id}"
    assert link in repeat.content
    elsewhere = await fake_discord.slash(bob, "ask", question=FINE_TUNE_WHEN, channel="resources")
    assert elsewhere.embeds and not elsewhere.ephemeral


async def test_cooldown_ends(fake_discord: FakeDiscord, start_bot, settings) -> None:
    bot = await start_bot(settings, answer_cooldown_seconds=0.2)
    alice = fake_discord.member("alice")
    await fake_discord.slash(alice, "ask", question=FINE_TUNE_WHEN)
    import asyncio

    await asyncio.sleep(0.3)
    again = await fake_discord.slash(alice, "ask", question=FINE_TUNE_WHEN)
    assert again.embeds and not again.ephemeral
    assert bot.cooldowns.seconds == 0.2


@pytest.mark.parametrize(("locale", "asked"), [("en-US", "Answer to:"), ("sv-SE", "Svar på:")])
async def test_find_resources_replies_to_the_message(
    fake_discord: FakeDiscord, bot: ResourceBot, locale: str, asked: str
) -> None:
    carol = fake_discord.member("carol")
    helper = fake_discord.member("helper", locale=locale)
    question = await fake_discord.post(carol, "how do I prepare my training data for fine-tuning?")
    reply = await fake_discord.context_menu(helper, "Find resources", message=question)
    assert reply.ephemeral  # the helper gets a note; the answer is in the channel
    [posted] = fake_discord.channel_messages
    [sent] = fake_discord.requests_for("create_message")
    assert sent.body["message_reference"]["message_id"] == str(question.id)  # shown as a reply
    assert posted.content.startswith(asked) and posted.embeds
    assert not posted.mentions  # the author is not pinged
    assert str(posted.id) in reply.content


async def test_find_resources_on_an_unanswerable_message(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    carol = fake_discord.member("carol")
    reply = await fake_discord.context_menu(carol, "Find resources", message="lunch anyone?")
    assert reply.ephemeral and "No resource fits" in reply.content
    assert fake_discord.channel_messages == []


async def test_rate_limited_callback_is_retried(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice = fake_discord.member("alice")
    fake_discord.fail_next_callbacks(1, status=429, retry_after=0.1)
    reply = await fake_discord.slash(alice, "ask", question=FINE_TUNE_WHEN, timeout=5)
    assert reply.embeds


async def test_server_error_on_callback_is_retried(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice = fake_discord.member("alice")
    fake_discord.fail_next_callbacks(1, status=500)
    reply = await fake_discord.slash(alice, "ask", question=FINE_TUNE_WHEN, timeout=5)
    assert reply.embeds


@pytest.mark.parametrize(
    ("how", "resumable"), [("abort", True), ("close", False), ("reconnect", True)]
)
async def test_bot_recovers_when_the_gateway_drops(
    fake_discord: FakeDiscord, bot: ResourceBot, how: str, resumable: bool
) -> None:
    alice = fake_discord.member("alice")
    await fake_discord.drop_gateway(how=how, resumable=resumable)
    reply = await fake_discord.slash(alice, "ask", question=FINE_TUNE_WHEN, timeout=8)
    assert reply.embeds


async def test_find_resources_where_the_bot_cannot_post_answers_in_place(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    carol = fake_discord.member("carol")
    question = await fake_discord.post(carol, "how do I prepare my training data for fine-tuning?")
    fake_discord.fail_next("create_message", status=403)
    reply = await fake_discord.context_menu(carol, "Find resources", message=question)
    assert not reply.ephemeral and reply.embeds
    assert reply.content.startswith("Answer to:")
    assert [r.status for r in fake_discord.faults_served] == [403]


async def test_autocomplete_ignores_mentions_in_what_is_typed(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice = fake_discord.member("alice")
    plain = await fake_discord.autocomplete(alice, "ask", focused="question", value="hugging fa")
    marked = await fake_discord.autocomplete(
        alice, "ask", focused="question", value="@everyone <@&123456789012345678> hugging fa"
    )
    assert marked == plain
