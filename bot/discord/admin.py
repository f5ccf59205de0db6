"""/resources-admin reload, upload, reset, stats and forget: moderators manage their server's
catalogue, see its usage, and delete one person's questions and votes there.

Every command acts on the server it is used in and nothing else (see `bot.servers` for which
catalogue that is); a member's rights in one server count for nothing in another.

Discord only hides whole top-level commands (`default_permissions` is ignored on
subcommands), so the moderator commands are their own group, hidden from members without
Manage Server; every command also checks in code, which is the real guard.
"""

from __future__ import annotations

import time

import aiohttp
import discord
from discord import app_commands

from bot import cards, limits
from bot.catalog import CatalogError
from bot.discord import memory
from bot.discord.common import language, library_of, log, moderators_only, services_of
from bot.discord.privacy import deleted_text
from bot.discord.translator import command_str
from bot.i18n import text
from bot.library import TooManyResources
from bot.rebuild import RebuildFailed
from bot.servers import Catalogues, OperatorManaged

PERIOD_CHOICES = [
    app_commands.Choice(name=command_str(f"resources-admin.stats.period.{key}"), value=key)
    for key in cards.PERIOD_SECONDS
]
DEFAULT_PERIOD = "week"
DOWNLOAD_CHUNK = 64 * 1024
DOWNLOAD_SECONDS = 60.0  # an upload's download gives up after this


class DownloadFailed(Exception):
    """The attachment could not be downloaded."""


async def read_capped(url: str, cap: int, http: discord.http.HTTPClient) -> bytes | None:
    """The file at `url`, or None when it holds more than `cap` bytes. Reading stops at the
    cap whatever size the attachment declared, so a file that lies about its size costs at
    most `cap` bytes of memory. Uses the client's proxy, as discord.py's own downloads do."""
    timeout = aiohttp.ClientTimeout(total=DOWNLOAD_SECONDS)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.get(url, proxy=http.proxy, proxy_auth=http.proxy_auth) as response,
        ):
            if response.status != 200:
                raise DownloadFailed(f"HTTP {response.status}")
            if response.content_length is not None and response.content_length > cap:
                return None
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.content.iter_chunked(DOWNLOAD_CHUNK):
                size += len(chunk)
                if size > cap:
                    return None
                chunks.append(chunk)
            return b"".join(chunks)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise DownloadFailed(type(error).__name__) from None


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class AdminGroup(app_commands.Group):
    """/resources-admin: moderators manage the resource catalogue."""

    def __init__(self) -> None:
        super().__init__(
            name=command_str("resources-admin"),
            description=command_str("resources-admin.description"),
        )

    @app_commands.command(
        name=command_str("resources-admin.reload"),
        description=command_str("resources-admin.reload.description"),
    )
    @moderators_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        catalogues = services_of(interaction).catalogues
        guild_id = _guild(interaction)
        lang = language(interaction)
        if not await _start_change(interaction, catalogues, guild_id):
            return
        try:
            diff = await catalogues.reload(guild_id)
        except OperatorManaged:
            await interaction.followup.send(text(lang, "reload.operator"), ephemeral=True)
            return
        except TooManyResources as error:
            await interaction.followup.send(_too_many(lang, error), ephemeral=True)
            return
        except RebuildFailed:
            await interaction.followup.send(text(lang, "rebuild.stopped"), ephemeral=True)
            return
        except CatalogError as error:
            log.warning(
                "reload by %s refused: %d problem(s)", interaction.user.id, len(error.problems)
            )
            await interaction.followup.send(cards.problems_text(error, lang), ephemeral=True)
            return
        memory.settle()
        log.info(
            "catalogue of server %s reloaded by %s: +%d -%d ~%d",
            guild_id,
            interaction.user.id,
            len(diff.added),
            len(diff.removed),
            len(diff.changed),
        )
        await interaction.followup.send(cards.diff_text(diff, lang), ephemeral=True)

    @app_commands.command(
        name=command_str("resources-admin.upload"),
        description=command_str("resources-admin.upload.description"),
    )
    @app_commands.rename(file=command_str("resources-admin.upload.file"))
    @app_commands.describe(file=command_str("resources-admin.upload.file.description"))
    @moderators_only()
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        catalogues = services_of(interaction).catalogues
        guild_id = _guild(interaction)
        lang = language(interaction)
        too_big = text(lang, "upload.too_big", megabytes=limits.CATALOG_FILE_BYTES // 2**20)
        if file.size > limits.CATALOG_FILE_BYTES:  # what it declares: refused without a download
            await interaction.response.send_message(too_big, ephemeral=True)
            return
        if not await _start_change(interaction, catalogues, guild_id):
            return
        try:
            data = await read_capped(file.url, limits.CATALOG_FILE_BYTES, interaction.client.http)
        except DownloadFailed as error:
            log.warning("could not download the uploaded catalogue: %s", error)
            await interaction.followup.send(text(lang, "upload.unreadable"), ephemeral=True)
            return
        if data is None:
            log.warning("upload by %s refused: larger than it said", interaction.user.id)
            await interaction.followup.send(too_big, ephemeral=True)
            return
        try:
            diff = await catalogues.upload(guild_id, data, file.filename)
        except TooManyResources as error:
            log.warning("upload by %s refused: %s", interaction.user.id, error)
            await interaction.followup.send(_too_many(lang, error), ephemeral=True)
            return
        except RebuildFailed:
            await interaction.followup.send(text(lang, "rebuild.stopped"), ephemeral=True)
            return
        except CatalogError as error:
            log.warning(
                "upload by %s refused: %d problem(s)", interaction.user.id, len(error.problems)
            )
            await interaction.followup.send(
                cards.problems_text(error, lang, "upload.failed"), ephemeral=True
            )
            return
        memory.settle()
        own = catalogues.has_own(guild_id)
        log.info(
            "%s catalogue replaced by an upload from %s in server %s (%d resources)",
            "the server's" if own else "the default",
            interaction.user.id,
            guild_id,
            diff.total,
        )
        key = "upload.server_done" if own else "upload.done"
        await interaction.followup.send(cards.diff_text(diff, lang, key), ephemeral=True)

    @app_commands.command(
        name=command_str("resources-admin.reset"),
        description=command_str("resources-admin.reset.description"),
    )
    @moderators_only()
    async def reset(self, interaction: discord.Interaction) -> None:
        catalogues = services_of(interaction).catalogues
        guild_id = _guild(interaction)
        lang = language(interaction)
        if not await _start_change(interaction, catalogues, guild_id):
            return
        reset = await catalogues.reset(guild_id)
        if reset.diff is None:
            await interaction.followup.send(text(lang, "reset.none"), ephemeral=True)
            return
        memory.settle()
        log.info(
            "server %s back on the default catalogue (reset by %s; kept as %s)",
            guild_id,
            interaction.user.id,
            reset.backup,
        )
        await interaction.followup.send(
            cards.diff_text(reset.diff, lang, "reset.done"), ephemeral=True
        )

    @app_commands.command(
        name=command_str("resources-admin.stats"),
        description=command_str("resources-admin.stats.description"),
    )
    @app_commands.rename(period=command_str("resources-admin.stats.period"))
    @app_commands.describe(period=command_str("resources-admin.stats.period.description"))
    @app_commands.choices(period=PERIOD_CHOICES)
    @moderators_only()
    async def stats(
        self, interaction: discord.Interaction, period: app_commands.Choice[str] | None = None
    ) -> None:
        store = services_of(interaction).store
        key = period.value if period is not None else DEFAULT_PERIOD
        await interaction.response.defer(ephemeral=True, thinking=True)
        seconds = cards.PERIOD_SECONDS[key]
        since = None if seconds is None else time.time() - seconds
        report = await store.stats(since, guild_id=_guild(interaction))
        catalog = library_of(interaction).current.catalog
        embed = cards.stats_embed(report, language(interaction), key, catalog)
        await interaction.followup.send(embed=discord.Embed.from_dict(embed), ephemeral=True)

    @app_commands.command(
        name=command_str("resources-admin.forget"),
        description=command_str("resources-admin.forget.description"),
    )
    @app_commands.rename(user=command_str("resources-admin.forget.user"))
    @app_commands.describe(user=command_str("resources-admin.forget.user.description"))
    @moderators_only()
    async def forget(self, interaction: discord.Interaction, user: discord.User) -> None:
        store = services_of(interaction).store
        await interaction.response.defer(ephemeral=True, thinking=True)
        deleted = await store.forget_user_in(_guild(interaction), user.id)
        if deleted.available:
            log.info(
                "forgot user %s in server %s at the request of %s",
                user.id,
                interaction.guild_id,
                interaction.user.id,
            )
        message = deleted_text(
            language(interaction), deleted, "forget.user_done", user=user.mention
        )
        await interaction.followup.send(message, ephemeral=True)


async def _start_change(
    interaction: discord.Interaction, catalogues: Catalogues, guild_id: int
) -> bool:
    """Acknowledge a change to a server's catalogue while it is thought over, or say that
    another change of it is under way (False: nothing to do)."""
    if catalogues.busy(guild_id):
        await interaction.response.send_message(
            text(language(interaction), "reload.busy"), ephemeral=True
        )
        return False
    await interaction.response.defer(ephemeral=True, thinking=True)
    return True


def _guild(interaction: discord.Interaction) -> int:
    """The server a moderator command acts on (`moderators_only` refuses direct messages)."""
    assert interaction.guild_id is not None
    return interaction.guild_id


def _too_many(lang: str, error: TooManyResources) -> str:
    return text(lang, "upload.too_many", count=error.count, limit=error.limit)


def setup(tree: app_commands.CommandTree) -> None:
    """Add /resources-admin reload, upload, reset, stats and forget to `tree`."""
    tree.add_command(AdminGroup())
