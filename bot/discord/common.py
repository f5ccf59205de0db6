"""Helpers every command module shares: the reader's language, who is a moderator, sending
ephemeral notes, turning a rendered `Reply` into discord.py objects, and answering errors."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, cast

import discord
from discord import app_commands

from bot.cards import Reply
from bot.discord.services import Services, Serving
from bot.i18n import language_of, text
from bot.library import Library

log = logging.getLogger("bot.discord")

# Discord's codes for a token it no longer knows: the first answer came after its 3 seconds
# (or a follow-up after 15 minutes). Nothing can reach the user through that interaction.
UNKNOWN_INTERACTION = 10062
UNKNOWN_WEBHOOK = 10015


class NotModerator(app_commands.CheckFailure):
    """The user may not run a moderator command."""


class GuildOnly(app_commands.CheckFailure):
    """The command was used outside a server."""


def language(interaction: discord.Interaction) -> str:
    """The reply language for whoever caused this interaction."""
    return language_of(interaction.locale)


def services_of(interaction: discord.Interaction) -> Services:
    """What the commands work with (`bot.discord.services`), opened when the bot started."""
    return cast(Serving, interaction.client).services


def library_of(interaction: discord.Interaction) -> Library:
    """The catalogue that answers where the interaction happened: the server's own, or the
    default (also in direct messages)."""
    return services_of(interaction).catalogues.for_guild(interaction.guild_id)


def role_ids(user: discord.abc.User) -> set[int]:
    """The ids of the member's roles, also when the server's roles are not cached."""
    ids = {role.id for role in getattr(user, "roles", ())}
    # Member.roles drops roles the guild cache does not know; the raw ids are complete.
    ids.update(int(i) for i in getattr(user, "_roles", ()))
    return ids


def is_moderator(interaction: discord.Interaction) -> bool:
    """Members with Manage Server (or Administrator), or with a role in DISCORD_MOD_ROLE_IDS."""
    if interaction.guild_id is None:
        return False
    permissions = interaction.permissions
    if permissions.administrator or permissions.manage_guild:
        return True
    return bool(role_ids(interaction.user) & services_of(interaction).settings.mod_role_ids)


def moderators_only() -> Callable[[Any], Any]:
    """A check for commands only moderators may run (Discord's default_permissions only hides
    them; this is the guard)."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild_id is None:
            raise GuildOnly()
        if not is_moderator(interaction):
            raise NotModerator()
        return True

    return app_commands.check(predicate)


def embeds_of(reply: Reply) -> list[discord.Embed]:
    return [discord.Embed.from_dict(dict(embed)) for embed in reply.embeds]


async def tell(interaction: discord.Interaction, content: str) -> None:
    """An ephemeral note to the user, whether or not the interaction was answered yet."""
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True)
    else:
        await interaction.response.send_message(content, ephemeral=True)


def expired(error: BaseException) -> bool:
    """True when Discord refused an answer because the interaction had expired."""
    return isinstance(error, discord.NotFound) and error.code in (
        UNKNOWN_INTERACTION,
        UNKNOWN_WEBHOOK,
    )


def log_expired(interaction: discord.Interaction, what: str) -> None:
    """One line for an interaction that expired before the bot could answer it."""
    log.warning("%s for user %s expired before the bot could answer it", what, interaction.user.id)


class ExpiredAutocompleteFilter(logging.Filter):
    """discord.py answers autocomplete itself and logs a traceback when the answer comes too
    late (the person typed on, or the bot was slow). That is ordinary: the record becomes one
    warning line, like other expired interactions."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if error is not None and expired(error) and "autocomplete" in str(record.msg):
            record.msg = (
                "autocomplete of %r expired before the bot could answer it (guild %s, user %s)"
            )
            record.levelno, record.levelname = (
                logging.WARNING,
                logging.getLevelName(logging.WARNING),
            )
            record.exc_info = record.exc_text = None
        return True


def quiet_expired_autocomplete() -> None:
    """Install `ExpiredAutocompleteFilter` on discord.py's command tree logger, once."""
    tree_log = logging.getLogger("discord.app_commands.tree")
    if not any(isinstance(f, ExpiredAutocompleteFilter) for f in tree_log.filters):
        tree_log.addFilter(ExpiredAutocompleteFilter())


async def guarded(
    interaction: discord.Interaction, work: Callable[[], Awaitable[None]], what: str
) -> None:
    """Run a button's or menu's work; if it fails, log it and tell the user, ephemerally."""
    try:
        await work()
    except Exception as error:
        if expired(error):
            log_expired(interaction, what)
            return
        log.exception("%s failed (user %s)", what, interaction.user.id)
        await apologize(interaction)


async def apologize(interaction: discord.Interaction) -> None:
    """Tell the user something went wrong, if Discord still lets us."""
    try:
        await tell(interaction, text(language(interaction), "error.generic"))
    except discord.HTTPException:
        log.warning("could not tell user %s about the error", interaction.user.id)
