"""The bot's settings: read from the environment and a `.env` file (the environment wins).

Every setting is described in `.env.example`. A bad value raises `ConfigError` with a message
that names the setting and says what to write instead; the token's value is never shown.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.sharding import AUTOMATIC_SHARDS, ShardPlan, ShardSettingError, parse_shard_plan

DEFAULT_DATA = Path("data/resources.yaml")
DEFAULT_STATE = Path("var")
DB_NAME = "resource-bot.sqlite3"
DEFAULT_DB = DEFAULT_STATE / DB_NAME
LIVE_CATALOG_NAME = "resources.yaml"
DEFAULT_ENV_FILE = Path(".env")
DEFAULT_COOLDOWN_SECONDS = 60.0
DEFAULT_QUESTIONS_PER_MINUTE = 10
MAX_QUESTIONS_PER_MINUTE = 600
DEFAULT_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 100 * 366
DEFAULT_LOG_LEVEL = "INFO"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_LOG_FORMAT = "text"
LOG_FORMATS = ("text", "json")
MAX_COOLDOWN_SECONDS = 24 * 60 * 60
DEFAULT_SERVER_CATALOG_MAX_RESOURCES = 2000
MAX_SERVER_CATALOG_MAX_RESOURCES = 100_000

SETTING_NAMES = (
    "DISCORD_TOKEN",
    "DISCORD_APPLICATION_ID",
    "RESOURCE_BOT_DATA",
    "RESOURCE_BOT_STATE",
    "RESOURCE_BOT_DB",
    "DATABASE_URL",
    "DISCORD_GUILD_ID",
    "DISCORD_MOD_ROLE_IDS",
    "HOME_GUILD_IDS",
    "SERVER_CATALOG_MAX_RESOURCES",
    "ANSWER_COOLDOWN_SECONDS",
    "QUESTIONS_PER_MINUTE",
    "QUESTION_RETENTION_DAYS",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "SHARD_COUNT",
    "SHARD_IDS",
)

SHOWN_VALUE = 24  # a wrong value longer than this is described, not repeated
_TOKEN_LIKE = re.compile(r"[\w-]+\.[\w-]+\.[\w-]+")  # three dotted parts, as a bot token has
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
_SNOWFLAKE = re.compile(r"^[0-9]{15,21}$")


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it and says what to do."""


@dataclass(frozen=True)
class Settings:
    """Everything the bot is configured with. `repr` never shows the token."""

    token: str | None = field(default=None, repr=False)
    data_path: Path = DEFAULT_DATA  # the default catalogue: copied to the state folder once
    state_dir: Path = DEFAULT_STATE  # what the bot changes: the live catalogue, backups
    db_path: Path = DEFAULT_DB
    # A PostgreSQL server shared by several bot processes (None: the SQLite file db_path).
    # It may hold a password: never shown, like the token.
    database_url: str | None = field(default=None, repr=False)
    guild_id: int | None = None
    mod_role_ids: frozenset[int] = frozenset()
    answer_cooldown_seconds: float = DEFAULT_COOLDOWN_SECONDS
    questions_per_minute: int = DEFAULT_QUESTIONS_PER_MINUTE
    question_retention_days: int = DEFAULT_RETENTION_DAYS  # 0: keep forever
    log_level: str = DEFAULT_LOG_LEVEL
    log_format: str = DEFAULT_LOG_FORMAT
    application_id: int | None = None
    # The servers whose moderators manage the operator's default catalogue.
    home_guild_ids: frozenset[int] = frozenset()
    server_catalog_max_resources: int = DEFAULT_SERVER_CATALOG_MAX_RESOURCES
    shards: ShardPlan = AUTOMATIC_SHARDS  # which gateway shards this process runs

    def __repr__(self) -> str:
        token = "<set>" if self.token else "<not set>"
        database = "<set>" if self.database_url else "<not set>"
        return (
            f"Settings(token={token}, data_path={str(self.data_path)!r}, "
            f"state_dir={str(self.state_dir)!r}, db_path={str(self.db_path)!r}, "
            f"database_url={database}, guild_id={self.guild_id!r}, "
            f"mod_role_ids={sorted(self.mod_role_ids)!r}, "
            f"answer_cooldown_seconds={self.answer_cooldown_seconds!r}, "
            f"questions_per_minute={self.questions_per_minute!r}, "
            f"question_retention_days={self.question_retention_days!r}, "
            f"log_level={self.log_level!r}, log_format={self.log_format!r}, "
            f"application_id={self.application_id!r}, "
            f"home_guild_ids={sorted(self.home_guild_ids)!r}, "
            f"server_catalog_max_resources={self.server_catalog_max_resources!r}, "
            f"shards={self.shards!r})"
        )

    @property
    def live_catalog_path(self) -> Path:
        """The catalogue the bot serves, reloads and replaces on upload."""
        return self.state_dir / LIVE_CATALOG_NAME

    @property
    def log_level_number(self) -> int:
        """The log level as the `logging` module's number."""
        return logging.getLevelName(self.log_level)

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        env_file: str | Path | None = DEFAULT_ENV_FILE,
    ) -> Settings:
        """Settings from `env_file` (if it exists) overridden by `environ` (default:
        `os.environ`). Raises `ConfigError` for a malformed value or `.env` line."""
        values: dict[str, str] = {}
        if env_file is not None:
            values.update(read_env_file(Path(env_file)))
        values.update((k, v) for k, v in (os.environ if environ is None else environ).items() if k)
        return cls.from_values(values)

    @classmethod
    def from_values(cls, values: Mapping[str, str]) -> Settings:
        """Settings from a mapping of setting name to raw text (missing or empty: default)."""

        def get(name: str) -> str | None:
            value = values.get(name)
            if value is None:
                return None
            value = value.strip()
            return value or None

        state_dir = Path(get("RESOURCE_BOT_STATE") or DEFAULT_STATE)
        database_url = _database_url(get("DATABASE_URL"))
        shards = _shards(get("SHARD_COUNT"), get("SHARD_IDS"), database_url is not None)
        return cls(
            token=_token(get("DISCORD_TOKEN")),
            data_path=Path(get("RESOURCE_BOT_DATA") or DEFAULT_DATA),
            state_dir=state_dir,
            db_path=Path(get("RESOURCE_BOT_DB") or state_dir / DB_NAME),
            database_url=database_url,
            guild_id=_snowflake("DISCORD_GUILD_ID", get("DISCORD_GUILD_ID")),
            mod_role_ids=_snowflakes("DISCORD_MOD_ROLE_IDS", get("DISCORD_MOD_ROLE_IDS")),
            answer_cooldown_seconds=_seconds(
                "ANSWER_COOLDOWN_SECONDS", get("ANSWER_COOLDOWN_SECONDS")
            ),
            questions_per_minute=_per_minute("QUESTIONS_PER_MINUTE", get("QUESTIONS_PER_MINUTE")),
            question_retention_days=_days(
                "QUESTION_RETENTION_DAYS", get("QUESTION_RETENTION_DAYS")
            ),
            log_level=_log_level(get("LOG_LEVEL")),
            log_format=_log_format(get("LOG_FORMAT")),
            application_id=parse_snowflake("DISCORD_APPLICATION_ID", get("DISCORD_APPLICATION_ID")),
            home_guild_ids=_snowflakes("HOME_GUILD_IDS", get("HOME_GUILD_IDS")),
            server_catalog_max_resources=_max_resources(
                "SERVER_CATALOG_MAX_RESOURCES", get("SERVER_CATALOG_MAX_RESOURCES")
            ),
            shards=shards,
        )


def read_env_file(path: Path) -> dict[str, str]:
    """The `NAME=value` lines of a `.env` file (none if it does not exist).

    Blank lines and `#` comments are skipped, `export ` is allowed, a value may be quoted
    with '...' or "..." (then kept as written), and an unquoted value ends at ` #`.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it ({type(error).__name__})") from None
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _ENV_LINE.match(line)
        if match is None:
            raise ConfigError(f"{path}:{number}: expected NAME=value")
        name, raw = match.groups()
        values[name] = _env_value(raw, path, number, name)
    return values


def _env_value(raw: str, path: Path, number: int, name: str) -> str:
    if raw[:1] in ("'", '"'):
        quote = raw[0]
        end = raw.find(quote, 1)
        rest = raw[end + 1 :].strip() if end > 0 else ""
        if end < 0 or (rest and not rest.startswith("#")):
            raise ConfigError(f"{path}:{number}: the quote in {name}'s value is not closed")
        return raw[1:end]
    return re.split(r"\s+#", raw, maxsplit=1)[0].strip()


def _got(value: str) -> str:
    """How an error quotes a wrong value: short ones as written; one that looks like a token
    (pasted into the wrong setting) or any long one only by its length, so no secret is
    repeated in a terminal or a log."""
    if _TOKEN_LIKE.search(value):
        return f"got a value of {len(value)} characters that looks like a token (not shown)"
    if len(value) > SHOWN_VALUE or not value.isprintable():
        return f"got a value of {len(value)} characters (not shown)"
    return f"got {value!r}"


def _token(value: str | None) -> str | None:
    if value is None:
        return None
    if any(c.isspace() for c in value) or not value.isprintable():
        raise ConfigError(
            "DISCORD_TOKEN contains spaces or invisible characters: paste the token alone, "
            "as the Developer Portal shows it (Bot → Reset Token)"
        )
    return value


def _database_url(value: str | None) -> str | None:
    if value is None:
        return None
    if not value.startswith(("postgresql://", "postgres://")) or not value.isprintable():
        # Not even the scheme is repeated: the value may hold a password.
        raise ConfigError(
            "DATABASE_URL must be a PostgreSQL URL, postgresql://USER:PASSWORD@HOST:PORT/DATABASE "
            f"(the value of {len(value)} characters is not shown), or empty for the SQLite file"
        )
    return value


def _shards(count: str | None, ids: str | None, shared_store: bool) -> ShardPlan:
    try:
        plan = parse_shard_plan(count, ids)
    except ShardSettingError as error:
        raise ConfigError(str(error)) from None
    if plan.partial and not shared_store:
        # Each process would count its own questions and votes in its own SQLite file, and
        # a catalogue uploaded through one would never reach the others.
        raise ConfigError(
            "SHARD_IDS runs only some of the shards here, so other processes run the rest: "
            "they must share one database, so set DATABASE_URL (PostgreSQL) in every process, "
            "or leave SHARD_IDS empty to run every shard in this process"
        )
    return plan


def _snowflake(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    if not _SNOWFLAKE.match(value):
        raise ConfigError(
            f"{name} must be a Discord id (15 to 21 digits; in Discord turn on Developer Mode "
            f"and use Copy ID), {_got(value)}"
        )
    return int(value)


def _snowflakes(name: str, value: str | None) -> frozenset[int]:
    if value is None:
        return frozenset()
    ids = set()
    for part in value.split(","):
        part = part.strip()
        if part:
            ids.add(_snowflake(name, part))
    return frozenset(ids)  # type: ignore[arg-type]


def _seconds(name: str, value: str | None) -> float:
    if value is None:
        return DEFAULT_COOLDOWN_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= MAX_COOLDOWN_SECONDS or seconds != seconds:
        raise ConfigError(
            f"{name} must be a number of seconds from 0 (no cooldown) to "
            f"{MAX_COOLDOWN_SECONDS}, {_got(value)}"
        )
    return seconds


def _per_minute(name: str, value: str | None) -> int:
    if value is None:
        return DEFAULT_QUESTIONS_PER_MINUTE
    if not value.isdigit() or int(value) > MAX_QUESTIONS_PER_MINUTE:
        raise ConfigError(
            f"{name} must be a whole number from 0 (no limit) to {MAX_QUESTIONS_PER_MINUTE}, "
            f"{_got(value)}"
        )
    return int(value)


def _days(name: str, value: str | None) -> int:
    if value is None:
        return DEFAULT_RETENTION_DAYS
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_RETENTION_DAYS:
        raise ConfigError(
            f"{name} must be a whole number of days from 0 (keep forever) to "
            f"{MAX_RETENTION_DAYS}, {_got(value)}"
        )
    return int(value)


def _max_resources(name: str, value: str | None) -> int:
    if value is None:
        return DEFAULT_SERVER_CATALOG_MAX_RESOURCES
    limit = MAX_SERVER_CATALOG_MAX_RESOURCES
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= limit:
        raise ConfigError(
            f"{name} must be a whole number of resources from 1 to {limit}, {_got(value)}"
        )
    return int(value)


def _log_level(value: str | None) -> str:
    if value is None:
        return DEFAULT_LOG_LEVEL
    level = value.upper()
    if level not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, {_got(value)}")
    return level


def parse_snowflake(name: str, value: str | None) -> int | None:
    """A Discord id given as `name` (None when not given); `ConfigError` when malformed."""
    return _snowflake(name, value)


def _log_format(value: str | None) -> str:
    if value is None:
        return DEFAULT_LOG_FORMAT
    log_format = value.lower()
    if log_format not in LOG_FORMATS:
        raise ConfigError(
            f"LOG_FORMAT must be text (for people) or json (one JSON object a line, for log "
            f"collectors), {_got(value)}"
        )
    return log_format
