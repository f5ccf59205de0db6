"""The Discord side of the bot: the client, one module per command group, and the runner.

Commands (Swedish names in brackets, shown to Swedish Discord clients):

- `/ask question [private]` (`/fråga`): the best card, two more as lines; autocomplete.
- Message menu "Find resources" ("Hitta resurser"): answers a message, as a reply to it.
- `/resources show resource` and `/resources browse [topic]` (`/resurser visa|bläddra`).
- `/resources-admin reload|upload|stats` (`/resurser-admin ladda-om|ladda-upp|statistik`):
  moderators only (Manage Server, or a role in DISCORD_MOD_ROLE_IDS). A group of its own
  because Discord can hide only top-level commands from members.

Modules: `client` (start-up, sync, error handler), `ask`, `browse`, `admin`, `delivery`
(posting in the channel: the cooldown and the per-person limit), `views` (the
card's buttons), `services` (what the commands work with, opened at start-up), `common`,
`cooldown`, `ratelimit` (questions per person per minute), `translator`, `runner`
(`python -m bot run|sync`).
"""

from bot.discord.client import ResourceBot, create_bot

__all__ = ["ResourceBot", "create_bot"]
