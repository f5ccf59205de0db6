"""Privacy: /resources about and /resources forget-me for members, and the purge of questions
and votes older than QUESTION_RETENTION_DAYS, at start and once a day.

(/resources-admin forget, for moderators, is in `admin` with the other moderator commands.)
"""

from __future__ import annotations

import asyncio
import time

import discord
from discord import app_commands

from bot.discord.common import language, log, services_of, tell
from bot.discord.translator import command_str
from bot.i18n import text
from bot.store import Deleted, Store

DAY_SECONDS = 24 * 3600
PURGE_INTERVAL_SECONDS = DAY_SECONDS


def deleted_text(lang: str, deleted: Deleted, key: str, **values: object) -> str:
    """What a forget request did, or that the database could not be reached."""
    if not deleted.available:
        return text(lang, "forget.unavailable")
    return text(lang, key, questions=deleted.questions, votes=deleted.votes, **values)


def about_text(lang: str, retention_days: int) -> str:
    """What the bot stores about people, and for how long."""
    if retention_days:
        kept = text(lang, "about.kept_days", days=retention_days)
    else:
        kept = text(lang, "about.kept_forever")
    return text(lang, "about.text", kept=kept)


async def purge_old(store: Store, retention_days: int) -> Deleted | None:
    """Delete what is older than the retention period (None when everything is kept)."""
    if not retention_days:
        return None
    deleted = await store.purge_older_than(time.time() - retention_days * DAY_SECONDS)
    if deleted.questions or deleted.votes:
        log.info(
            "deleted %d question(s) and %d vote(s) older than %d days",
            deleted.questions,
            deleted.votes,
            retention_days,
        )
    return deleted


async def purge_daily(store: Store, retention_days: int) -> None:
    """Purge once a day until the bot closes (the first purge runs at start)."""
    while True:
        await asyncio.sleep(PURGE_INTERVAL_SECONDS)
        try:
            await purge_old(store, retention_days)
        except Exception:  # the next day tries again
            log.exception("the daily purge of old questions failed")


def setup(tree: app_commands.CommandTree) -> None:
    """Add /resources about and /resources forget-me to the /resources group."""
    group = tree.get_command("resources")
    assert isinstance(group, app_commands.Group), "browse.setup adds /resources first"

    @group.command(
        name=command_str("resources.about"),
        description=command_str("resources.about.description"),
    )
    async def about(interaction: discord.Interaction) -> None:
        days = services_of(interaction).settings.question_retention_days
        await tell(interaction, about_text(language(interaction), days))

    @group.command(
        name=command_str("resources.forget-me"),
        description=command_str("resources.forget-me.description"),
    )
    async def forget_me(interaction: discord.Interaction) -> None:
        store = services_of(interaction).store
        await interaction.response.defer(ephemeral=True, thinking=True)
        deleted = await store.forget_user(interaction.user.id)
        if deleted.available:
            log.info("forgot user %s at their request", interaction.user.id)
        await tell(interaction, deleted_text(language(interaction), deleted, "forget.me_done"))
