"""Posting in the channel, shared by every command that does it (/ask, "Find resources",
/resources show and /resources browse): the per-person limit (QUESTIONS_PER_MINUTE), the
per-channel cooldown (ANSWER_COOLDOWN_SECONDS), and sending a rendered card publicly,
privately, or as a reply to a message."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable

import discord

from bot import cards
from bot.cards import Reply
from bot.discord.common import embeds_of, language, services_of, tell
from bot.discord.cooldown import Posting
from bot.discord.views import card_view
from bot.i18n import text

COOLDOWN_TITLE = 120  # how much of the title the cooldown note quotes


def jump_url(guild_id: int | None, channel_id: int, message_id: int) -> str:
    """The link to a message, as Discord's "Copy Message Link" gives it."""
    return f"https://discord.com/channels/{guild_id or '@me'}/{channel_id}/{message_id}"


async def slowed_down(interaction: discord.Interaction) -> bool:
    """Count one request of the user against QUESTIONS_PER_MINUTE; when over it, tell them
    when to try again and return True. Every command that may post in the channel (a
    question, a card, a list) counts, so no one floods a channel by switching commands."""
    wait = services_of(interaction).question_limits.take(interaction.user.id)
    if wait <= 0:
        return False
    await tell(interaction, text(language(interaction), "ratelimit.slow", seconds=math.ceil(wait)))
    return True


async def sent_id(
    interaction: discord.Interaction, callback: discord.InteractionCallbackResponse
) -> int:
    """The id of the message an interaction's answer created."""
    if callback.message_id is not None:
        return callback.message_id
    return (await interaction.original_response()).id


async def post_once(
    interaction: discord.Interaction, key: str, post: Callable[[], Awaitable[int]]
) -> Posting | None:
    """Post `key` (a resource, or a list) publicly in the channel with `post`, which returns
    the message id, unless it was posted there within ANSWER_COOLDOWN_SECONDS: then nothing
    is sent and the earlier posting is returned, for a link to it."""
    cooldowns = services_of(interaction).cooldowns
    channel_id = interaction.channel_id or 0
    earlier = cooldowns.claim(channel_id, key)
    if earlier is not None:
        return earlier
    try:
        message_id = await post()
    except BaseException:
        cooldowns.release(channel_id, key)
        raise
    link = jump_url(interaction.guild_id, channel_id, message_id)
    cooldowns.posted(channel_id, key, message_id, link)
    return None


async def deliver(
    interaction: discord.Interaction,
    reply: Reply,
    *,
    private: bool = False,
    reply_to: discord.Message | None = None,
) -> None:
    """Send a rendered answer. A card goes out publicly (unless `private`) with its buttons,
    at most once per channel and resource within the cooldown; text without a card (nothing
    fits) goes only to the asker."""
    lang = language(interaction)
    resource = reply.resource
    if resource is None:
        await tell(interaction, reply.content or "")
        return
    if private:
        await interaction.response.send_message(
            content=reply.content,
            embeds=embeds_of(reply),
            view=card_view(resource, lang, asker_id=None),
            ephemeral=True,
        )
        return

    view = card_view(resource, lang, asker_id=interaction.user.id)

    async def post() -> int:
        if reply_to is not None:
            return await _reply_to_message(interaction, reply, view, reply_to)
        callback = await interaction.response.send_message(
            content=reply.content, embeds=embeds_of(reply), view=view
        )
        return await sent_id(interaction, callback)

    earlier = await post_once(interaction, resource.id, post)
    if earlier is None:
        return
    title = cards.echo(resource.title_in(lang), COOLDOWN_TITLE)
    if earlier.jump_url is None:
        await tell(interaction, text(lang, "cooldown.pending", title=title))
    else:
        seconds = services_of(interaction).cooldowns.seconds_since(earlier)
        await tell(
            interaction,
            text(lang, "cooldown.recent", title=title, seconds=seconds, link=earlier.jump_url),
        )


class _Reference(discord.MessageReference):
    """A reply's reference with its ids as strings, as Discord's API description types them
    (discord.py sends numbers, which Discord accepts but its description does not)."""

    @classmethod
    def to(cls, message: discord.Message) -> _Reference:
        return cls(
            message_id=message.id,
            channel_id=message.channel.id,
            guild_id=message.guild.id if message.guild else None,
            fail_if_not_exists=False,
        )

    def to_dict(self) -> dict:
        return {
            key: str(value) if key.endswith("_id") and value is not None else value
            for key, value in super().to_dict().items()
        }

    to_message_reference_dict = to_dict


async def _reply_to_message(
    interaction: discord.Interaction,
    reply: Reply,
    view: discord.ui.View,
    target: discord.Message,
) -> int:
    """Post the answer as a reply to `target`, so it sits under the question; where the bot
    cannot post in the channel, answer the interaction with the card instead."""
    try:
        message = await target.channel.send(
            content=reply.content,
            embeds=embeds_of(reply),
            view=view,
            reference=_Reference.to(target),
            mention_author=False,
        )
    except discord.Forbidden:
        callback = await interaction.response.send_message(
            content=reply.content, embeds=embeds_of(reply), view=view
        )
        return await sent_id(interaction, callback)
    await interaction.response.send_message(
        text(language(interaction), "context.replied", link=message.jump_url), ephemeral=True
    )
    return message.id
