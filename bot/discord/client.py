"""The Discord client: start-up (catalogue, store, purge of old questions, translator, sync
when the tree changed), the command tree with its error handler, and the command modules."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot import rebuild
from bot.config import Settings
from bot.discord import admin, ask, browse, memory, privacy, views
from bot.discord.common import (
    GuildOnly,
    NotModerator,
    expired,
    language,
    log_expired,
    quiet_expired_autocomplete,
    tell,
)
from bot.discord.cooldown import Cooldowns
from bot.discord.invite import invite_url
from bot.discord.ratelimit import QuestionLimiter
from bot.discord.services import Services
from bot.discord.translator import CommandTranslator
from bot.i18n import text
from bot.library import Library
from bot.servers import Catalogues
from bot.store import Store

if TYPE_CHECKING:
    from bot.shared_catalogues import SharedCatalogues

log = logging.getLogger("bot.discord")


class ResourceTree(app_commands.CommandTree):
    """The command tree; its `on_error` answers the user ephemerally and logs the cause."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        lang = language(interaction)
        command = interaction.command.qualified_name if interaction.command else "?"
        cause = getattr(error, "original", error)
        if expired(cause):
            log_expired(interaction, f"/{command}")
            return
        if isinstance(error, NotModerator):
            message = text(lang, "mod.refused")
        elif isinstance(error, GuildOnly | app_commands.NoPrivateMessage):
            message = text(lang, "mod.guild_only")
        elif isinstance(error, app_commands.CheckFailure):
            message = text(lang, "mod.refused")
        else:
            log.error("/%s failed for user %s", command, interaction.user.id, exc_info=cause)
            message = text(lang, "error.generic")
        try:
            await tell(interaction, message)
        except discord.HTTPException:
            log.warning("could not tell user %s why the command failed", interaction.user.id)


class ResourceBot(discord.AutoShardedClient):
    """The resource bot. Made by `create_bot`; `start` (or `run`) connects it.

    It runs the gateway shards its settings name (SHARD_COUNT, SHARD_IDS), or as many as
    Discord recommends, all in this process, when they name none."""

    def __init__(self, settings: Settings) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        shards = settings.shards
        super().__init__(
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=shards.count,
            shard_ids=list(shards.ids) if shards.ids is not None else None,
        )
        quiet_expired_autocomplete()
        self.settings = settings
        self.tree = ResourceTree(self)
        self._services: Services | None = None  # opened in setup_hook
        self.sync_on_start = True
        self._purging: asyncio.Task[None] | None = None
        self._shared: SharedCatalogues | None = None  # with DATABASE_URL, from setup_hook
        self._gc_before: tuple[int, int, int] | None = None  # the collector's, before serving
        ask.setup(self.tree)
        browse.setup(self.tree)
        privacy.setup(self.tree)
        admin.setup(self.tree)
        self.add_dynamic_items(*views.DYNAMIC_ITEMS, *browse.DYNAMIC_ITEMS)

    async def setup_hook(self) -> None:
        """Load the catalogue (a broken one stops start-up with its problems), open the
        store, and sync the commands if they changed since the last sync."""
        settings = self.settings
        # The store first: with PostgreSQL it holds the shared catalogues (its migrations
        # make their table), which are written to this process's files before they load.
        store = await asyncio.to_thread(Store.open, settings.db_path, settings.database_url)
        seen = 0
        if settings.database_url:
            from bot import shared_catalogues  # psycopg: only with DATABASE_URL

            seen = await asyncio.to_thread(
                shared_catalogues.pull,
                settings.database_url,
                settings.state_dir,
                settings.data_path,
            )
        catalogues = await asyncio.to_thread(
            Catalogues.open,
            settings.state_dir,
            settings.data_path,
            settings.home_guild_ids,
            settings.server_catalog_max_resources,
        )
        if settings.database_url:
            self._shared = shared_catalogues.SharedCatalogues(
                settings.database_url, catalogues, seen
            )
            self._shared.start()
            # A change made through another process is built in the rebuild worker: started
            # before the bot is ready rather than by the first such change, which would then
            # take seconds to be served here instead of under one.
            await _start_rebuild_worker()
        log.info("gateway: %s", settings.shards.describe())
        log.info(
            "catalogue %s: %d resources (default catalogue: %s); %d server(s) with their own",
            catalogues.default.path,
            len(catalogues.default.current.catalog),
            settings.data_path,
            catalogues.own_count,
        )
        self._services = Services.start(settings, catalogues, store)
        await privacy.purge_old(store, settings.question_retention_days)
        if settings.question_retention_days:
            self._purging = asyncio.create_task(
                privacy.purge_daily(store, settings.question_retention_days)
            )
        memory.settle()
        if self._gc_before is None:
            self._gc_before = memory.serve()
        self._log_invite()
        await self.tree.set_translator(CommandTranslator())
        if self.sync_on_start:
            try:
                await self.sync_commands(self.settings.guild_id, force=False)
            except discord.HTTPException as error:
                log.error(
                    "could not register the commands (HTTP %s); the ones registered before "
                    "stay in use. Retry with: python -m bot sync",
                    error.status,
                )

    @property
    def services(self) -> Services:
        """What the commands work with; opened by `setup_hook` (that is, at login)."""
        if self._services is None:
            raise RuntimeError("the bot has not started: its services open at login")
        return self._services

    # Shortcuts to `services` for code that holds the bot (the command line, tests).

    @property
    def catalogues(self) -> Catalogues:
        return self.services.catalogues

    @property
    def library(self) -> Library:
        """The operator's default catalogue (what direct messages and most servers see)."""
        return self.services.library

    @property
    def store(self) -> Store:
        return self.services.store

    @property
    def cooldowns(self) -> Cooldowns:
        return self.services.cooldowns

    @property
    def question_limits(self) -> QuestionLimiter:
        return self.services.question_limits

    @question_limits.setter
    def question_limits(self, limiter: QuestionLimiter) -> None:
        self.services.question_limits = limiter

    def _log_invite(self) -> None:
        """Log the link that adds the bot to a server, now that Discord has told its id."""
        if self.application_id is None:
            return
        configured = self.settings.application_id
        if configured is not None and configured != self.application_id:
            log.warning(
                "DISCORD_APPLICATION_ID is %s but the token belongs to application %s; "
                "python -m bot invite prints a link for the wrong application",
                configured,
                self.application_id,
            )
        log.info("invite link: %s", invite_url(self.application_id))

    async def command_payload(self, guild_id: int | None) -> list[dict]:
        """The command tree exactly as a sync would send it, Swedish texts included."""
        guild = discord.Object(guild_id) if guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        translator = self.tree.translator or CommandTranslator()
        return [
            await command.get_translated_payload(self.tree, translator)
            for command in self.tree.get_commands(guild=guild)
        ]

    async def sync_commands(self, guild_id: int | None, *, force: bool) -> int | None:
        """Register the commands with Discord (one server, or globally when `guild_id` is
        None), unless `force` is false and the same tree was synced before. Returns how many
        commands were sent, or None when nothing needed syncing. Needs the bot logged in (the
        store holds the last synced tree)."""
        payload = await self.command_payload(guild_id)
        digest = tree_hash(payload)
        scope = f"guild:{guild_id}" if guild_id else "global"
        store = self.services.store
        if not force and await store.synced_tree_hash(scope) == digest:
            log.info("commands unchanged since the last sync (%s); not syncing", scope)
            return None
        guild = discord.Object(guild_id) if guild_id else None
        synced = await self.tree.sync(guild=guild)
        await store.remember_synced_tree(scope, digest)
        log.info("synced %d commands (%s)", len(synced), scope)
        return len(synced)

    async def close(self) -> None:
        if self._purging is not None:
            self._purging.cancel()
        await super().close()
        if self._shared is not None:
            await asyncio.to_thread(self._shared.stop)
        await asyncio.to_thread(rebuild.WORKER.shutdown)
        if self._services is not None:
            self._services.store.close()
        if self._gc_before is not None:
            memory.stop_serving(self._gc_before)
            self._gc_before = None


def tree_hash(payload: list[dict]) -> str:
    """A fingerprint of a command tree payload that ignores key order."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def create_bot(settings: Settings | None = None) -> ResourceBot:
    """The configured bot, not yet started (settings from the environment and `.env` unless
    given)."""
    return ResourceBot(settings if settings is not None else Settings.load())


async def _start_rebuild_worker() -> None:
    """Start the rebuild worker ahead of the first rebuild; one that cannot start now is
    started by that rebuild, as without this."""
    try:
        await rebuild.WORKER.pid()
    except (BrokenProcessPool, OSError, RuntimeError) as error:
        log.info("the rebuild worker did not start ahead of a change: %s", error)
