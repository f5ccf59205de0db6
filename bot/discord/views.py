"""The buttons under a card: "Open" (a link), "Helpful" / "Not helpful", and "Delete".

The feedback and delete buttons are `DynamicItem`s whose custom ids carry what they need (the
resource id, the asker's id), so they keep working after the bot restarts.
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache
from typing import Any

import discord

from bot import limits
from bot.cards import web_url
from bot.catalog import ID_TEXT, Resource
from bot.discord.common import guarded, is_moderator, language, log, services_of, tell
from bot.i18n import text
from bot.store import Vote

FEEDBACK_TEMPLATE = rf"rb:fb:(?P<helpful>[01]):(?P<resource>{ID_TEXT})"
DELETE_TEMPLATE = r"rb:del:(?P<asker>[0-9]{1,20})"
PLACEHOLDER = "rb:placeholder"  # stands for a link or id in the buttons made beforehand


def feedback_custom_id(resource_id: str, helpful: bool) -> str:
    """The custom id of a Helpful / Not helpful button: the vote and what it is about."""
    return f"rb:fb:{int(helpful)}:{resource_id}"


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button], template=FEEDBACK_TEMPLATE):
    """ "Helpful" or "Not helpful": one vote per person per resource and server, stored;
    the other button changes it."""

    def __init__(self, resource_id: str, helpful: bool, label: str | None = None) -> None:
        style = discord.ButtonStyle.success if helpful else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=label or ("Helpful" if helpful else "Not helpful"),
                style=style,
                emoji="👍" if helpful else "👎",
                custom_id=feedback_custom_id(resource_id, helpful),
            )
        )
        self.resource_id = resource_id
        self.helpful = helpful

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str], /
    ) -> FeedbackButton:
        return cls(match["resource"], match["helpful"] == "1", getattr(item, "label", None))

    async def callback(self, interaction: discord.Interaction) -> None:
        async def vote() -> None:
            assert interaction.message is not None
            outcome = await services_of(interaction).store.record_vote(
                self.resource_id, interaction.user.id, self.helpful, interaction.guild_id
            )
            key = {
                Vote.COUNTED: "feedback.thanks",
                Vote.CHANGED: "feedback.changed",
                Vote.ALREADY_COUNTED: "feedback.already",
                Vote.NOT_RECORDED: "feedback.unsaved",
            }[outcome]
            await tell(interaction, text(language(interaction), key))

        await guarded(interaction, vote, "feedback")


def delete_custom_id(asker_id: int) -> str:
    """The custom id of a Delete button: who asked, so only they (or a moderator) may."""
    return f"rb:del:{asker_id}"


class DeleteButton(discord.ui.DynamicItem[discord.ui.Button], template=DELETE_TEMPLATE):
    """Deletes a public answer; only the person who asked or a moderator may."""

    def __init__(self, asker_id: int, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or "Delete",
                style=discord.ButtonStyle.danger,
                emoji="🗑️",
                custom_id=delete_custom_id(asker_id),
            )
        )
        self.asker_id = asker_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str], /
    ) -> DeleteButton:
        return cls(int(match["asker"]), getattr(item, "label", None))

    async def callback(self, interaction: discord.Interaction) -> None:
        async def delete() -> None:
            message = interaction.message
            assert message is not None
            if interaction.user.id != self.asker_id and not is_moderator(interaction):
                await tell(interaction, text(language(interaction), "delete.refused"))
                return
            await interaction.response.defer()
            with contextlib.suppress(discord.NotFound):  # someone else deleted it first
                await message.delete()
            log.info("answer %s deleted by user %s", message.id, interaction.user.id)
            services_of(interaction).cooldowns.forget_message(message.channel.id, message.id)

        await guarded(interaction, delete, "delete")


class CardButtons(discord.ui.View):
    """The buttons under a card, as Discord's component JSON made ready beforehand.

    Every button is a link or a `DynamicItem` the client routes by its custom id (registered
    once at start-up), so a sent card needs no view kept for it: `is_finished` says so and
    discord.py stores nothing per message."""

    def __init__(self, buttons: list[dict[str, Any]]) -> None:
        super().__init__(timeout=None)
        self._rows = [{"type": discord.ComponentType.action_row.value, "components": buttons}]

    def to_components(self) -> list[dict[str, Any]]:
        return self._rows

    def is_finished(self) -> bool:
        return True


@lru_cache(maxsize=4)
def _button_templates(language: str) -> dict[str, dict[str, Any]]:
    """Each button of a card as JSON, made once per language by discord.py itself; a card
    then only fills in its link and custom ids, instead of building four buttons each time."""
    buttons: dict[str, discord.ui.Item[Any]] = {
        "open": discord.ui.Button(label=text(language, "button.open"), url=PLACEHOLDER, emoji="🔗"),
        "helpful": FeedbackButton(PLACEHOLDER, True, text(language, "button.helpful")),
        "not_helpful": FeedbackButton(PLACEHOLDER, False, text(language, "button.not_helpful")),
        "delete": DeleteButton(0, text(language, "button.delete")),
    }
    return {name: button.to_component_dict() for name, button in buttons.items()}


def card_view(resource: Resource, language: str, asker_id: int | None) -> discord.ui.View:
    """The buttons under a card. `asker_id` is None for private answers (no Delete button)."""
    templates = _button_templates(language)
    buttons = []
    url = web_url(resource.url)
    if len(url) <= limits.BUTTON_URL:
        buttons.append(dict(templates["open"], url=url))
    for helpful, name in ((True, "helpful"), (False, "not_helpful")):
        buttons.append(dict(templates[name], custom_id=feedback_custom_id(resource.id, helpful)))
    if asker_id is not None:
        buttons.append(dict(templates["delete"], custom_id=delete_custom_id(asker_id)))
    return CardButtons(buttons)


DYNAMIC_ITEMS = (FeedbackButton, DeleteButton)
