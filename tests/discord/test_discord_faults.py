"""Discord failing under the bot: an interaction that arrives after its token expired, a server
error on a follow-up. Each is logged, the bot stays connected (no crash, no reconnect loop)
and the next command works."""

from __future__ import annotations

import logging

import pytest
from fake_discord import FakeDiscord

from bot.discord.client import ResourceBot

QUESTION = "when should I fine-tune"


def warnings_and_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def assert_still_connected(fake: FakeDiscord, bot: ResourceBot) -> None:
    """One gateway session from start to end: the bot never crashed or reconnected."""
    assert not bot.is_closed()
    assert [entry for entry in fake.gateway_log if entry.startswith(("IDENTIFY", "RESUME"))] == [
        "IDENTIFY /gateway"
    ]


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
async def test_an_expired_question_is_logged_once_and_the_next_one_is_answered(
    fake_discord: FakeDiscord, bot: ResourceBot, caplog: pytest.LogCaptureFixture, private: bool
) -> None:
    alice = fake_discord.member("alice")
    fake_discord.expire_next_interactions(1)
    with caplog.at_level(logging.WARNING):
        late = await fake_discord.slash(alice, "ask", question=QUESTION, private=private)
    assert not late.answered
    assert [r.response["code"] for r in late.interaction.requests] == [10062]  # no retry
    [logged] = warnings_and_errors(caplog)
    assert logged.levelno == logging.WARNING and logged.exc_info is None
    assert "/ask" in logged.getMessage() and "expired" in logged.getMessage()

    again = await fake_discord.slash(alice, "ask", question=QUESTION, private=private)
    assert again.embeds and again.ephemeral == private  # not held back by a cooldown
    assert_still_connected(fake_discord, bot)


async def test_an_expired_button_press_is_logged_once(
    fake_discord: FakeDiscord, bot: ResourceBot, caplog: pytest.LogCaptureFixture
) -> None:
    alice, bob = fake_discord.member("alice"), fake_discord.member("bob")
    card = await fake_discord.slash(alice, "ask", question=QUESTION)
    listing = await fake_discord.slash(alice, "resources", "browse")
    fake_discord.expire_next_interactions(2)
    with caplog.at_level(logging.WARNING):
        late_vote = await fake_discord.press(bob, card, "Helpful")
        late_page = await fake_discord.press(alice, listing, "Next")
    assert not late_vote.answered and not late_page.answered
    logged = warnings_and_errors(caplog)
    assert [r.levelno for r in logged] == [logging.WARNING, logging.WARNING]
    assert all("expired" in r.getMessage() and r.exc_info is None for r in logged)

    page = await fake_discord.press(alice, listing, "Next")
    assert page.updated and "Page 2 of" in page.embeds[0]["footer"]["text"]
    assert_still_connected(fake_discord, bot)


async def test_an_expired_moderator_command_gives_up_quietly(
    fake_discord: FakeDiscord, bot: ResourceBot, caplog: pytest.LogCaptureFixture
) -> None:
    moderator = fake_discord.moderator("mo")
    fake_discord.expire_next_interactions(1)
    with caplog.at_level(logging.WARNING):
        late = await fake_discord.slash(moderator, "resources-admin", "stats")
    assert not late.answered
    [logged] = warnings_and_errors(caplog)
    assert "/resources-admin stats" in logged.getMessage() and logged.exc_info is None
    report = await fake_discord.slash(moderator, "resources-admin", "stats")
    assert report.embeds
    assert_still_connected(fake_discord, bot)


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_server_error_on_a_follow_up_is_retried(
    fake_discord: FakeDiscord, bot: ResourceBot, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    moderator = fake_discord.moderator("mo")
    fake_discord.fail_next("execute_webhook", status=status)
    with caplog.at_level(logging.ERROR):
        reply = await fake_discord.slash(moderator, "resources-admin", "reload", timeout=5)
    assert reply.deferred and reply.content.startswith("Catalogue reloaded")
    assert [r.status for r in fake_discord.faults_served] == [status]
    assert warnings_and_errors(caplog) == []
    assert (await fake_discord.slash(moderator, "ask", question=QUESTION)).embeds
    assert_still_connected(fake_discord, bot)


async def test_a_server_error_on_the_reply_under_a_message_is_retried(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    carol = fake_discord.member("carol")
    fake_discord.fail_next("create_message", status=502)
    reply = await fake_discord.context_menu(
        carol, "Find resources", message="how do I prepare training data?", timeout=5
    )
    assert reply.ephemeral and "Answered in a reply" in reply.content
    [posted] = fake_discord.channel_messages
    assert posted.embeds
    assert_still_connected(fake_discord, bot)


async def test_an_expired_autocomplete_is_one_warning_line(
    fake_discord: FakeDiscord, bot: ResourceBot, caplog: pytest.LogCaptureFixture
) -> None:
    alice = fake_discord.member("alice")
    fake_discord.expire_next_interactions(1)
    with (
        caplog.at_level(logging.WARNING),
        pytest.raises(AssertionError, match="with type None"),  # no suggestions shown
    ):
        await fake_discord.autocomplete(alice, "ask", focused="question", value="fine")
    [logged] = warnings_and_errors(caplog)
    assert logged.levelno == logging.WARNING and logged.exc_info is None  # no traceback
    assert "autocomplete" in logged.getMessage() and "expired" in logged.getMessage()

    typed_on = await fake_discord.autocomplete(alice, "ask", focused="question", value="fine-t")
    assert typed_on
    assert_still_connected(fake_discord, bot)
