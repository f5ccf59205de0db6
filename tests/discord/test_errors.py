"""When something breaks inside the bot, people get a short private apology, never silence
and never a traceback; and a card Discord would refuse is caught by the contract check."""

from __future__ import annotations

import logging

import pytest
from fake_discord import FakeDiscord

from bot import cards
from bot.discord.client import ResourceBot


class BrokenLibrary:
    """A library whose catalogue cannot be read."""

    busy = False

    @property
    def current(self):
        raise RuntimeError("disk on fire")


@pytest.mark.parametrize(
    ("locale", "apology"),
    [
        ("en-US", "Something went wrong on my side. Please try again in a moment."),
        ("sv-SE", "Något gick fel hos mig. Försök igen om en stund."),
    ],
)
async def test_a_failing_command_answers_privately_and_logs(
    fake_discord: FakeDiscord,
    bot: ResourceBot,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    locale: str,
    apology: str,
) -> None:
    monkeypatch.setattr(bot.catalogues, "default", BrokenLibrary())
    alice = fake_discord.member("alice", locale=locale)
    with caplog.at_level(logging.ERROR, logger="bot.discord"):
        reply = await fake_discord.slash(alice, "resources", "browse")
    assert reply.ephemeral and reply.content == apology
    assert any(r.exc_info and "disk on fire" in str(r.exc_info[1]) for r in caplog.records)
    assert all(fake_discord.token not in r.getMessage() for r in caplog.records)


async def test_autocomplete_does_not_fail_when_the_bot_does(
    fake_discord: FakeDiscord, bot: ResourceBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.catalogues, "default", BrokenLibrary())
    alice = fake_discord.member("alice")
    choices = await fake_discord.autocomplete(alice, "ask", focused="question", value="fine")
    assert choices == []


async def test_a_button_that_fails_answers_privately(
    fake_discord: FakeDiscord, bot: ResourceBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = fake_discord.member("alice")
    listing = await fake_discord.slash(alice, "resources", "browse")
    monkeypatch.setattr(bot.catalogues, "default", BrokenLibrary())
    reply = await fake_discord.press(alice, listing, "Next")
    assert reply.ephemeral and reply.content.startswith("Something went wrong")


async def test_a_title_over_discords_limit_is_caught_by_the_contract(
    fake_discord: FakeDiscord, bot: ResourceBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    render = cards.resource_card

    def too_long(*args, **kwargs):
        card = render(*args, **kwargs)
        return {**card, "title": "T" * 300}

    monkeypatch.setattr(cards, "resource_card", too_long)
    alice = fake_discord.member("alice")
    with fake_discord.expect_violations() as found:
        reply = await fake_discord.slash(alice, "ask", question="when should I fine-tune")
    assert reply.ephemeral and reply.content.startswith("Something went wrong")
    assert any("embeds/0/title" in str(v) and "maxLength 256" in str(v) for v in found)
    fake_discord.take_refused()
