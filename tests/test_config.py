"""Settings: the environment and .env, defaults, and messages for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, read_env_file

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.secret-part_0123456789"


def test_defaults_when_nothing_is_set(tmp_path: Path) -> None:
    settings = Settings.load(environ={}, env_file=tmp_path / ".env")
    assert settings.token is None
    assert settings.data_path == Path("data/resources.yaml")
    assert settings.state_dir == Path("var")
    assert settings.live_catalog_path == Path("var/resources.yaml")
    assert settings.db_path == Path("var/resource-bot.sqlite3")
    assert settings.guild_id is None
    assert settings.mod_role_ids == frozenset()
    assert settings.answer_cooldown_seconds == 60
    assert settings.questions_per_minute == 10
    assert settings.question_retention_days == 90
    assert settings.log_level == "INFO"
    assert settings.log_format == "text"
    assert settings.application_id is None
    assert settings.home_guild_ids == frozenset()
    assert settings.server_catalog_max_resources == 2000


def test_home_servers_and_the_server_catalogue_limit_are_read() -> None:
    environ = {
        "HOME_GUILD_IDS": "111111111111111111, 222222222222222222",
        "SERVER_CATALOG_MAX_RESOURCES": "50",
    }
    settings = Settings.load(environ=environ, env_file=None)
    assert settings.home_guild_ids == {111111111111111111, 222222222222222222}
    assert settings.server_catalog_max_resources == 50


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text(
        "# comment\n"
        f"DISCORD_TOKEN={TOKEN}\n"
        "export RESOURCE_BOT_DATA='my catalogue.yaml'\n"
        'DISCORD_MOD_ROLE_IDS="111111111111111111, 222222222222222222"\n'
        "ANSWER_COOLDOWN_SECONDS=30  # half a minute\n"
        "\n"
        "LOG_LEVEL=debug\n",
        encoding="utf-8",
    )
    environ = {"ANSWER_COOLDOWN_SECONDS": "5", "QUESTIONS_PER_MINUTE": "0"}
    settings = Settings.load(environ=environ, env_file=env)
    assert settings.token == TOKEN
    assert settings.data_path == Path("my catalogue.yaml")
    assert settings.mod_role_ids == {111111111111111111, 222222222222222222}
    assert settings.answer_cooldown_seconds == 5
    assert settings.questions_per_minute == 0  # no limit
    keep = Settings.load(environ={"QUESTION_RETENTION_DAYS": "0"}, env_file=None)
    assert keep.question_retention_days == 0  # keep forever
    assert settings.log_level == "DEBUG"


def test_log_format_and_application_id_are_read(tmp_path: Path) -> None:
    environ = {"LOG_FORMAT": "JSON", "DISCORD_APPLICATION_ID": "123456789012345678"}
    settings = Settings.load(environ=environ, env_file=None)
    assert settings.log_format == "json"
    assert settings.application_id == 123456789012345678


def test_empty_values_mean_the_default(tmp_path: Path) -> None:
    settings = Settings.load(
        environ={"DISCORD_GUILD_ID": "", "RESOURCE_BOT_DB": "  "}, env_file=None
    )
    assert settings.guild_id is None
    assert settings.db_path == Path("var/resource-bot.sqlite3")


def test_the_state_folder_holds_the_live_catalogue_and_the_database() -> None:
    settings = Settings.load(environ={"RESOURCE_BOT_STATE": "/srv/bot"}, env_file=None)
    assert settings.live_catalog_path == Path("/srv/bot/resources.yaml")
    assert settings.db_path == Path("/srv/bot/resource-bot.sqlite3")
    assert settings.data_path == Path("data/resources.yaml")  # still the default's source
    chosen = {"RESOURCE_BOT_STATE": "/srv/bot", "RESOURCE_BOT_DB": "/db/bot.sqlite3"}
    assert Settings.load(environ=chosen, env_file=None).db_path == Path("/db/bot.sqlite3")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DISCORD_GUILD_ID", "my server"),
        ("DISCORD_MOD_ROLE_IDS", "123456789012345678,moderators"),
        ("ANSWER_COOLDOWN_SECONDS", "soon"),
        ("ANSWER_COOLDOWN_SECONDS", "-1"),
        ("QUESTIONS_PER_MINUTE", "fast"),
        ("QUESTIONS_PER_MINUTE", "-1"),
        ("QUESTIONS_PER_MINUTE", "2.5"),
        ("QUESTIONS_PER_MINUTE", "601"),
        ("QUESTION_RETENTION_DAYS", "forever"),
        ("QUESTION_RETENTION_DAYS", "-1"),
        ("QUESTION_RETENTION_DAYS", "²"),
        ("QUESTION_RETENTION_DAYS", "99999"),
        ("LOG_LEVEL", "LOUD"),
        ("LOG_FORMAT", "xml"),
        ("DISCORD_APPLICATION_ID", "my app"),
        ("HOME_GUILD_IDS", "my server"),
        ("SERVER_CATALOG_MAX_RESOURCES", "0"),
        ("SERVER_CATALOG_MAX_RESOURCES", "lots"),
        ("SERVER_CATALOG_MAX_RESOURCES", "100001"),
    ],
)
def test_bad_value_names_the_setting(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.load(environ={name: value}, env_file=None)


def test_token_with_spaces_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.load(environ={"DISCORD_TOKEN": "abc def-secret"}, env_file=None)
    assert "DISCORD_TOKEN" in str(caught.value)
    assert "secret" not in str(caught.value)


def test_repr_hides_the_token() -> None:
    settings = Settings(token=TOKEN)
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings)
    assert "token=<set>" in repr(settings)


SECRET_URL = "postgresql://bot:s3cret-pass@db.example:5432/resources"


def test_database_url_is_read_and_never_shown() -> None:
    settings = Settings.load(environ={"DATABASE_URL": SECRET_URL}, env_file=None)
    assert settings.database_url == SECRET_URL
    assert "s3cret" not in repr(settings) and "database_url=<set>" in repr(settings)
    assert Settings.load(environ={}, env_file=None).database_url is None


@pytest.mark.parametrize(
    "value",
    ["mysql://bot:s3cret-pass@db/x", "bot:s3cret-pass@db/x", SECRET_URL.replace("@", "\x07@")],
)
def test_a_database_url_that_is_not_postgresql_is_refused_without_showing_it(
    value: str,
) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_values({"DATABASE_URL": value})
    assert "DATABASE_URL" in str(caught.value) and "postgresql://" in str(caught.value)
    assert "s3cret" not in str(caught.value)


def test_malformed_env_line_gives_file_and_line(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("LOG_LEVEL=INFO\nthis is not a setting\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\.env:2: expected NAME=value"):
        read_env_file(env)


def test_unclosed_quote_is_reported(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text('DISCORD_TOKEN="abc\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="not closed"):
        read_env_file(env)


def test_env_example_lists_every_setting_with_a_comment() -> None:
    from bot.config import SETTING_NAMES

    lines = (Path(__file__).parents[1] / ".env.example").read_text(encoding="utf-8").splitlines()
    for name in SETTING_NAMES:
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{name}="))
        assert lines[index - 1].startswith("#"), f"{name} has no comment above it"
    # The example itself loads: every default it shows is valid.
    Settings.load(environ={}, env_file=Path(__file__).parents[1] / ".env.example")
