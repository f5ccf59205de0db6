"""Nasty questions, end to end: asked with /ask and pointed at with "Find resources", each gets
a safe answer. Nobody is pinged, every card passes Discord's checks (the fake refuses what
Discord would), nothing fails; and every message the bot posts turns mentions off."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from fake_discord import FakeDiscord, RecordedRequest, Reply, Upload

from bot import limits
from bot.discord.client import ResourceBot

LIVE_MENTION = re.compile(r"@everyone|@here|<@[!&]?[0-9]+>")
APOLOGY = "Something went wrong"
FINE_TUNE_WHEN = "when should I fine-tune"
MESSAGE_OPERATIONS = {
    "create_interaction_response",
    "execute_webhook",
    "update_original_webhook_message",
    "update_webhook_message",
    "create_message",
    "update_message",
}

# {user} and {role} become a real member's and the Moderator role's mentions.
NASTY_QUESTIONS = {
    "everyone": "@everyone when should I fine-tune",
    "here": "@here",
    "role mention": "{role} when should I fine-tune",
    "user mention": "{user} can you help {user}",
    "mentions only": "{user}{role}@everyone@here",
    "markdown": "**when** _should_ I ~~fine~~-`tune` > [click](https://evil.example) ||x||",
    "code fence": "```py\nimport os; os.system('rm -rf /')\n``` fine-tune",
    "zero-width": "when\u200b should\u200d I fine\u200b-\u200btune\ufeff",
    "right-to-left": "\u202eenut-enif I dluohs nehw\u202c \u2067مرحبا\u2069",
    "longest /ask": "fine-tune " * (limits.QUESTION_TYPED // 10),
    "only emoji": "🙂🔥👨‍👩‍👧🇸🇪" * 20,
    "only punctuation": "?!.,;:-_()[]{}<>'\"/\\|*&^%$#@~`",
    "sql": "'; DROP TABLE feedback; -- when should I fine-tune",
    "yaml": "resources: [&a [*a, *a]]\n!!python/object:os.system ['ls']",
    "control characters": "\x00\x01\x1b[31mred\x7f",
    "lonely surrogate-like": "\ufffd\ufffe\U0010ffff",
}
LONG_MESSAGE = "when should I fine-tune @everyone " * (6000 // 34)  # 6000 characters


def bot_messages(fake: FakeDiscord) -> list[dict[str, Any]]:
    """Every message the bot has posted, deleted ones included."""
    everything = {**fake.deleted_messages, **fake.messages}
    return [m for m in everything.values() if m["author"]["id"] == str(fake.bot.id)]


def shown_text(message: dict[str, Any]) -> list[str]:
    texts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        texts += [embed.get("title") or "", embed.get("description") or ""]
        texts += [(embed.get("footer") or {}).get("text") or ""]
        texts += [f["name"] + "\n" + f["value"] for f in embed.get("fields") or []]
    return texts


def assert_nobody_pinged(fake: FakeDiscord) -> None:
    """No message of the bot notifies anyone, or could if it were sent without allowed
    mentions."""
    for message in bot_messages(fake):
        assert not message["mention_everyone"], message["content"]
        assert message["mentions"] == [] and message["mention_roles"] == []
        for text in shown_text(message):
            assert not LIVE_MENTION.search(text), f"live mention in {text[:200]!r}"


def message_body(request: RecordedRequest) -> dict[str, Any] | None:
    """The message a request posts or edits, if it carries one."""
    if request.operation_id not in MESSAGE_OPERATIONS or not isinstance(request.body, dict):
        return None
    body = request.body
    if request.operation_id == "create_interaction_response":
        body = body.get("data") or {}
    keys = ("content", "embeds", "components", "attachments")
    return body if any(key in body for key in keys) else None


def assert_answered_safely(reply: Reply) -> None:
    assert reply.answered
    assert APOLOGY not in reply.content, "the bot failed on this question"
    if reply.embeds:
        assert not reply.ephemeral, "a card is posted for everyone"
    else:
        assert reply.ephemeral, "a note without a card goes only to the asker"


@pytest.mark.parametrize("question", NASTY_QUESTIONS.values(), ids=NASTY_QUESTIONS.keys())
async def test_a_nasty_question_gets_a_safe_answer(
    fake_discord: FakeDiscord,
    bot: ResourceBot,
    caplog: pytest.LogCaptureFixture,
    question: str,
) -> None:
    alice, bob = fake_discord.member("alice"), fake_discord.member("bob", locale="sv-SE")
    question = question.replace("{user}", f"<@{bob.id}>")
    question = question.replace("{role}", f"<@&{fake_discord.moderator_role}>")
    with caplog.at_level(logging.WARNING):
        asked = await fake_discord.slash(alice, "ask", question=question)
        assert_answered_safely(asked)
        pointed = await fake_discord.context_menu(
            bob, "Find resources", message=question, channel="resources"
        )
        if fake_discord.channel_messages:  # answered in a reply under the message
            [posted] = fake_discord.channel_messages
            assert posted.embeds and not posted.ephemeral
            assert pointed.ephemeral and APOLOGY not in pointed.content
        else:
            assert_answered_safely(pointed)
        typed = await fake_discord.autocomplete(
            alice, "ask", focused="question", value=question[:100]
        )
    assert len(typed) <= limits.AUTOCOMPLETE_CHOICES
    assert_nobody_pinged(fake_discord)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_questions_that_mention_still_find_their_answer(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice = fake_discord.member("alice")
    role = fake_discord.moderator_role
    plain = await fake_discord.slash(alice, "ask", question=FINE_TUNE_WHEN, channel="resources")
    question = f"@everyone <@&{role}> {FINE_TUNE_WHEN} @here"
    noisy = await fake_discord.slash(alice, "ask", question=question)
    assert noisy.embeds[0]["title"] == plain.embeds[0]["title"]
    # The question is quoted as written, with its mentions and Markdown defused.
    assert noisy.content.replace("\u200b", "").replace("\\", "") == f"Answer to: {question}"
    assert_nobody_pinged(fake_discord)


async def test_direction_marks_in_a_question_cannot_turn_the_answer_around(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice = fake_discord.member("alice")
    reply = await fake_discord.slash(alice, "ask", question="\u202eenut-enif \u2067bake\x1b[0m")
    assert reply.content.startswith("No resource fits “enut\\-enif bake\\[0m”")


async def test_a_6000_character_message_is_answered_within_limits(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    carol, helper = fake_discord.member("carol"), fake_discord.member("helper")
    message = await fake_discord.post(carol, LONG_MESSAGE[: limits.STRING_OPTION])
    assert len(message.content) > 5900
    reply = await fake_discord.context_menu(helper, "Find resources", message=message)
    assert reply.ephemeral and APOLOGY not in reply.content
    [posted] = fake_discord.channel_messages
    assert posted.embeds and len(posted.content) <= 2000
    assert_nobody_pinged(fake_discord)


async def test_every_message_the_bot_posts_turns_mentions_off(
    fake_discord: FakeDiscord, bot: ResourceBot, catalog_file
) -> None:
    alice, mo = fake_discord.member("alice"), fake_discord.moderator("mo")
    everyone = "@everyone "
    card = await fake_discord.slash(alice, "ask", question=everyone + FINE_TUNE_WHEN)
    await fake_discord.slash(alice, "ask", question=everyone + FINE_TUNE_WHEN)  # cooldown note
    await fake_discord.slash(alice, "ask", question=everyone + "bake bread", private=True)
    await fake_discord.slash(alice, "ask", question=everyone + FINE_TUNE_WHEN, private=True)
    await fake_discord.press(alice, card, "Helpful")
    listing = await fake_discord.slash(alice, "resources", "browse")
    await fake_discord.press(alice, listing, "Next")
    await fake_discord.slash(alice, "resources", "show", resource=card.buttons[1]["custom_id"][8:])
    await fake_discord.context_menu(mo, "Find resources", message=everyone + "qlora tutorial")
    await fake_discord.slash(mo, "resources-admin", "reload")
    await fake_discord.slash(mo, "resources-admin", "stats")
    upload = Upload("resources.yaml", b"@everyone: [1")
    await fake_discord.slash(mo, "resources-admin", "upload", file=upload)
    await fake_discord.press(alice, card, "Delete")

    posted = [(r, body) for r in fake_discord.requests if (body := message_body(r)) is not None]
    operations = {r.operation_id for r, _ in posted}
    assert {"create_interaction_response", "execute_webhook", "create_message"} <= operations
    for request, body in posted:
        allowed = body.get("allowed_mentions")
        assert allowed is not None, f"{request} sent without allowed_mentions"
        assert allowed.get("parse") == [], f"{request} allows {allowed}"
        assert not allowed.get("users") and not allowed.get("roles")
        assert not allowed.get("replied_user")
    assert_nobody_pinged(fake_discord)
