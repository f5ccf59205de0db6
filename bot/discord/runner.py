"""`python -m bot run` and `python -m bot sync`: start the bot, or register its commands.

Mistakes in the settings end in one line saying what to set, and exit code 2; the token never
appears in output or logs.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import aiohttp
import discord

from bot import logs
from bot.catalog import CatalogError
from bot.config import ConfigError, Settings
from bot.discord.client import ResourceBot, create_bot
from bot.exitcodes import EXIT_CONFIG, EXIT_INVALID, EXIT_OK, EXIT_REFUSED, EXIT_UNREACHABLE

UNREACHABLE = "cannot reach Discord ({reason}): check the network connection and try again"
TOKEN_MISSING = (
    "DISCORD_TOKEN is not set: put the bot's token (Developer Portal → your application → "
    "Bot → Reset Token) in .env or the environment; see .env.example"
)
TOKEN_REJECTED = (
    "Discord rejected DISCORD_TOKEN: set it to the bot's current token (Developer Portal → "
    "your application → Bot → Reset Token) in .env or the environment"
)
INTENTS_REFUSED = (
    "Discord refused the gateway intents the bot asks for: check the Privileged Gateway "
    "Intents on the Developer Portal's Bot page"
)
ACCESS_REFUSED = (
    "Discord refused the bot access (HTTP {status}): the token may have been revoked or the "
    "application or bot disabled; reset the token (Developer Portal → your application → "
    "Bot → Reset Token), put it in .env, and check the Privileged Gateway Intents there"
)
SHARDS_REFUSED = (
    "Discord refused the gateway shards (close code {code}): {why}. Set SHARD_COUNT to the "
    "same number in every process, at least the number Discord recommends for the bot, and "
    "SHARD_IDS below it; or leave both empty to let Discord decide"
)
SHARD_REFUSALS = {
    4010: "a shard id that does not exist",
    4011: "the bot is in too many servers for so few shards",
}
DISCORD_FAILING = (
    "Discord answered with an error (HTTP {status}) while the bot connected; it may be down "
    "(https://discordstatus.com): try again in a few minutes"
)

log = logging.getLogger("bot.discord")


class RedactSecret(logging.Filter):
    """Replaces a secret in every log record that passes, wherever it appears."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secret:
            return True
        message = record.getMessage()
        if self.secret in message:
            record.msg = message.replace(self.secret, "[DISCORD_TOKEN]")
            record.args = ()
        if record.exc_info and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.secret in record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, "[DISCORD_TOKEN]")
        return True


def _say(message: str, settings: Settings | None = None) -> None:
    """Tell the operator why the bot stops: a line on stderr, or with `LOG_FORMAT=json` a log
    record, so that a log collector reading stderr sees JSON only."""
    if settings is not None and settings.log_format == "json":
        log.error(message)
    else:
        print(f"error: {message}", file=sys.stderr)


def _prepare() -> tuple[Settings, str] | int:
    """Settings with a token and logging set up, or the exit code after saying what is wrong."""
    try:
        settings = Settings.load()
    except ConfigError as error:
        _say(str(error))
        return EXIT_CONFIG
    if not settings.token:
        _say(TOKEN_MISSING)
        return EXIT_CONFIG
    logs.configure(settings.log_level_number, settings.log_format)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecret(settings.token))
    return settings, settings.token


def _refused(error: discord.HTTPException, settings: Settings) -> int:
    """One line for Discord answering the start with an error: a refusal (401/403) is for
    the operator to fix, so the service manager should not restart; anything else (5xx)
    may pass, so it should."""
    if error.status in (401, 403):
        _say(ACCESS_REFUSED.format(status=error.status), settings)
        return EXIT_CONFIG
    _say(DISCORD_FAILING.format(status=error.status), settings)
    return EXIT_UNREACHABLE


class LoginRefused(Exception):
    """Discord answered the login with an HTTP error (not a rejected token)."""

    def __init__(self, error: discord.HTTPException) -> None:
        super().__init__(error.status)
        self.error = error


def _catalog_failed(error: CatalogError, settings: Settings) -> int:
    problems = "".join(f"\n  {problem}" for problem in error.problems)
    _say(f"the catalogue is not valid; fix these lines (see data/README.md):{problems}", settings)
    return EXIT_INVALID


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def close_on_signals(bot: ResourceBot) -> None:
    """On SIGTERM (systemd, docker stop) or SIGINT (Ctrl-C), close the bot: the gateway is
    closed as Discord expects, the store is closed, and `bot.start` returns, so the process
    exits 0 instead of dying mid-write."""
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []  # held, so the task is not garbage-collected

    def stop(number: signal.Signals) -> None:
        if closing:
            return
        log.info("%s received: closing the connection and the store", number.name)
        closing.append(loop.create_task(bot.close(), name="close on signal"))

    for number in STOP_SIGNALS:
        try:
            loop.add_signal_handler(number, stop, number)
        except (NotImplementedError, RuntimeError):  # Windows, or not the main thread
            return


def run() -> int:
    """Start the bot and serve until stopped. Returns the process exit code."""
    prepared = _prepare()
    if isinstance(prepared, int):
        return prepared
    settings, token = prepared
    bot = create_bot(settings)

    async def serve() -> None:
        async with bot:
            close_on_signals(bot)
            await bot.start(token)
        log.info("stopped")

    try:
        asyncio.run(serve())
    except discord.LoginFailure:
        _say(TOKEN_REJECTED, settings)
        return EXIT_CONFIG
    except discord.PrivilegedIntentsRequired:
        _say(INTENTS_REFUSED, settings)
        return EXIT_CONFIG
    except discord.ConnectionClosed as error:
        if error.code not in SHARD_REFUSALS:
            raise
        _say(SHARDS_REFUSED.format(code=error.code, why=SHARD_REFUSALS[error.code]), settings)
        return EXIT_CONFIG
    except discord.HTTPException as error:  # 503 at login, 403 for a revoked bot, ...
        return _refused(error, settings)
    except CatalogError as error:
        return _catalog_failed(error, settings)
    except ConfigError as error:  # the state folder or the database cannot be used
        _say(str(error), settings)
        return EXIT_CONFIG
    except (aiohttp.ClientError, OSError) as error:
        _say(UNREACHABLE.format(reason=type(error).__name__), settings)
        return EXIT_UNREACHABLE
    except KeyboardInterrupt:
        log.info("stopped")
    return EXIT_OK


def sync(guild_id: int | None) -> int:
    """Register the commands with Discord now: with one server (`guild_id`, else
    DISCORD_GUILD_ID) or, when neither is given, globally. Returns the exit code."""
    prepared = _prepare()
    if isinstance(prepared, int):
        return prepared
    settings, token = prepared
    bot: ResourceBot = create_bot(settings)
    bot.sync_on_start = False
    target = guild_id if guild_id is not None else settings.guild_id

    async def register() -> int | None:
        async with bot:
            try:
                await bot.login(token)
            except discord.HTTPException as error:
                raise LoginRefused(error) from None
            return await bot.sync_commands(target, force=True)

    try:
        count = asyncio.run(register())
    except discord.LoginFailure:
        _say(TOKEN_REJECTED, settings)
        return EXIT_CONFIG
    except LoginRefused as refused:
        return _refused(refused.error, settings)
    except CatalogError as error:
        return _catalog_failed(error, settings)
    except ConfigError as error:  # the state folder or the database cannot be used
        _say(str(error), settings)
        return EXIT_CONFIG
    except discord.HTTPException as error:
        _say(f"Discord refused the commands (HTTP {error.status}): {error.text[:300]}", settings)
        return EXIT_REFUSED
    except (aiohttp.ClientError, OSError) as error:
        _say(UNREACHABLE.format(reason=type(error).__name__), settings)
        return EXIT_UNREACHABLE
    where = f"to server {target}" if target else "globally (may take a while to show up)"
    print(f"Synced {count} commands {where}.")
    return EXIT_OK
