"""What the commands work with: the settings, the catalogues, the store and the in-memory
guards (cooldowns, per-person limits, answer turns).

The client builds one `Services` in `setup_hook`, once the catalogues are loaded and the store
is open, and the commands reach it with `bot.discord.common.services_of(interaction)`. So
no command module needs the client's class, and the client imports them, never the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.config import Settings
from bot.discord.cooldown import Cooldowns
from bot.discord.ratelimit import QuestionLimiter
from bot.discord.turns import Turns
from bot.library import Library
from bot.servers import Catalogues
from bot.store import Store


@dataclass
class Services:
    """The bot's working state, opened at start-up and closed with the bot."""

    settings: Settings
    catalogues: Catalogues
    store: Store
    cooldowns: Cooldowns
    question_limits: QuestionLimiter
    answer_turns: Turns

    @classmethod
    def start(cls, settings: Settings, catalogues: Catalogues, store: Store) -> Services:
        """Services over loaded catalogues and an open store, with fresh guards configured
        by the settings."""
        return cls(
            settings=settings,
            catalogues=catalogues,
            store=store,
            cooldowns=Cooldowns(settings.answer_cooldown_seconds),
            question_limits=QuestionLimiter(settings.questions_per_minute),
            answer_turns=Turns(),
        )

    @property
    def library(self) -> Library:
        """The operator's default catalogue (what direct messages and most servers see)."""
        return self.catalogues.default


class Serving(Protocol):
    """A client that carries `Services` (the `ResourceBot`, seen from a command)."""

    @property
    def services(self) -> Services: ...
