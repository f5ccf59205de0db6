"""The Discord side of the bot: the client, one module per command group, and the runner."""

from bot.discord.client import ResourceBot, create_bot

__all__ = ["ResourceBot", "create_bot"]
