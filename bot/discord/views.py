"""The buttons under a card: "Open" (a link), "Helpful" / "Not helpful", and "Delete".

The feedback and delete buttons are `DynamicItem`s whose custom ids carry what they need (the
resource id, the asker's id), so they keep working after the bot restarts.
"""

from __future__ import annotations

import contextlib
import re

import discord

from bot import limits
from bot.cards import web_url
from bot.catalog import ID_TEXT, Resource
from bot.discord.common import guarded, is_moderator, language, log, services_of, tell
from bot.i18n import text
from bot.store import Vote

FEEDBACK_TEMPLATE = rf"rb:fb:(?P<helpful>[01]):(?P<resource>{ID_TEXT})"
DELETE_TEMPLATE = r"rb:del:(?P<asker>[0-9]{1,20})"


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
                custom_id=f"rb:fb:{int(helpful)}:{resource_id}",
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


class DeleteButton(discord.ui.DynamicItem[discord.ui.Button], template=DELETE_TEMPLATE):
    """Deletes a public answer; only the person who asked or a moderator may."""

    def __init__(self, asker_id: int, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or "Delete",
                style=discord.ButtonStyle.danger,
                emoji="🗑️",
                custom_id=f"rb:del:{asker_id}",
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


def card_view(resource: Resource, language: str, asker_id: int | None) -> discord.ui.View:
    """The buttons under a card. `asker_id` is None for private answers (no Delete button)."""
    view = discord.ui.View(timeout=None)
    url = web_url(resource.url)
    if len(url) <= limits.BUTTON_URL:
        view.add_item(discord.ui.Button(label=text(language, "button.open"), url=url, emoji="🔗"))
    view.add_item(FeedbackButton(resource.id, True, text(language, "button.helpful")))
    view.add_item(FeedbackButton(resource.id, False, text(language, "button.not_helpful")))
    if asker_id is not None:
        view.add_item(DeleteButton(asker_id, text(language, "button.delete")))
    return view


DYNAMIC_ITEMS = (FeedbackButton, DeleteButton)
