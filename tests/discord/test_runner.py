"""Start-up mistakes end in one clear line and exit code 2; the token never reaches a log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.config import SETTING_NAMES as SETTINGS
from bot.discord import runner


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No settings in the environment and an empty working folder (no .env)."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", ["run", "sync"])
def test_missing_token_says_what_to_set(
    clean_env: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code = runner.run() if command == "run" else runner.sync(None)
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1, err  # one line, no traceback
    assert "DISCORD_TOKEN is not set" in err and ".env" in err


def test_bad_setting_in_env_file_is_one_line(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (clean_env / ".env").write_text("DISCORD_TOKEN=abc.def.ghi\nDISCORD_GUILD_ID=general\n")
    assert runner.run() == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "DISCORD_GUILD_ID" in err
    assert "abc.def.ghi" not in err


PASTED_TOKEN = "MTIz.fake.token-value"


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("DISCORD_GUILD_ID", "15 to 21 digits"),
        ("DISCORD_MOD_ROLE_IDS", "15 to 21 digits"),
        ("DISCORD_APPLICATION_ID", "15 to 21 digits"),
        ("ANSWER_COOLDOWN_SECONDS", "a number of seconds"),
        ("QUESTIONS_PER_MINUTE", "a whole number"),
        ("QUESTION_RETENTION_DAYS", "a whole number of days"),
        ("LOG_LEVEL", "one of DEBUG"),
        ("LOG_FORMAT", "text (for people) or json"),
    ],
)
@pytest.mark.parametrize(
    "pasted", [PASTED_TOKEN, "x" * 80], ids=["token in the wrong setting", "a long value"]
)
def test_a_token_or_long_value_in_a_setting_is_not_repeated(
    clean_env: Path, capsys: pytest.CaptureFixture[str], name: str, shape: str, pasted: str
) -> None:
    (clean_env / ".env").write_text(f"DISCORD_TOKEN=abc.def.ghi\n{name}={pasted}\n")
    assert runner.run() == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert name in err and shape in err, err
    assert pasted not in err and pasted[:12] not in err, err
    assert f"{len(pasted)} characters" in err


def test_a_short_wrong_value_is_quoted_to_help_find_it(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (clean_env / ".env").write_text("DISCORD_TOKEN=abc.def.ghi\nLOG_LEVEL=LOUD\n")
    assert runner.run() == 2
    assert "'LOUD'" in capsys.readouterr().err


def test_token_is_redacted_from_log_lines_and_tracebacks() -> None:
    secret = "MTIz.secret.token"
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Collect()
    handler.addFilter(runner.RedactSecret(secret))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("connecting with %s", secret)
        try:
            raise RuntimeError(f"bad token {secret}")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert len(records) == 2
    assert all(secret not in line for line in records)
    assert "[DISCORD_TOKEN]" in records[0] and "[DISCORD_TOKEN]" in records[1]


@pytest.mark.usefixtures("keep_root_logging")
@pytest.mark.parametrize("command", ["run", "sync"])
def test_unreachable_discord_is_one_line_not_a_traceback(
    clean_env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    import discord.http

    repo = Path(__file__).resolve().parents[2]
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.unreachable.token")
    monkeypatch.setenv("RESOURCE_BOT_DATA", str(repo / "data" / "resources.yaml"))
    monkeypatch.setenv("RESOURCE_BOT_DB", str(clean_env / "bot.sqlite3"))
    monkeypatch.setattr(discord.http.Route, "BASE", "http://127.0.0.1:9/api/v10")
    code = runner.run() if command == "run" else runner.sync(None)
    err = capsys.readouterr().err
    assert code == 3  # Discord unreachable: try again later
    assert err.splitlines()[-1].startswith("error: cannot reach Discord"), err
    assert "Traceback" not in err
    assert "MTIz.unreachable.token" not in err
