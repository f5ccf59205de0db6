"""Resources suggested while someone types, shared by /ask and /resources show."""

from __future__ import annotations

import re

import discord
from discord import app_commands

from bot import cards, limits
from bot.discord.common import language, library_of, log

_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:|t:)\d+(?::\w)?>|@(?:everyone|here)\b")
AUTOCOMPLETE_INPUT = 200  # what autocomplete reads of a question still being typed


def searchable(question: str) -> str:
    """The question without Discord markup that is not words: mentions of people, roles and
    channels, @everyone/@here, custom emoji and timestamps."""
    return _DISCORD_MARKUP.sub(" ", question)


async def resource_suggestions(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Resources that match what the user has typed so far; never raises."""
    try:
        snapshot = library_of(interaction).current
        typed = searchable(current[:AUTOCOMPLETE_INPUT])
        matches = snapshot.index.autocomplete(typed, limit=limits.AUTOCOMPLETE_CHOICES)
        choices = cards.autocomplete_choices(
            matches, language(interaction), limits.AUTOCOMPLETE_CHOICES
        )
        return [app_commands.Choice(name=name, value=value) for name, value in choices]
    except Exception:
        log.exception("autocomplete failed for %r", current[:100])
        return []
