"""The resource bot. The core (catalogue, search, cards) never imports discord;
`create_bot` imports the Discord side only when called."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.discord.client import ResourceBot


def create_bot(settings: Settings | None = None) -> ResourceBot:
    """The configured Discord bot, not yet started (settings from the environment and `.env`
    unless given)."""
    from bot.discord.client import create_bot as create

    return create(settings)
