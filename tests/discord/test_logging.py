"""What `python -m bot run` writes to stderr, read as an operator's log collector reads it.

The real start-up path runs in its own process (the fake's launcher) against an address where
nothing listens, so it logs its start and then the one error that stops it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fake_discord import process

from bot.config import SETTING_NAMES

SEED = Path(__file__).parents[2] / "data" / "resources.yaml"
TOKEN = "MTIz.logging-test.secret"
NOWHERE = "http://127.0.0.1:9/api/v10"  # the discard port: connection refused


def start_and_fail(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES and k != "NO_COLOR"}
    env.update(
        DISCORD_TOKEN=TOKEN,
        RESOURCE_BOT_DATA=str(SEED),
        RESOURCE_BOT_DB=str(tmp_path / "bot.sqlite3"),
        FAKE_DISCORD_API=NOWHERE,
        FAKE_DISCORD_GATEWAY="ws://127.0.0.1:9",
        **settings,
    )
    return subprocess.run(
        [sys.executable, str(process.LAUNCHER)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_json_logs_are_one_object_a_line_to_the_last(tmp_path: Path) -> None:
    result = start_and_fail(tmp_path, LOG_FORMAT="json")
    assert result.returncode == 3  # Discord unreachable: try again later
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert records[-1]["level"] == "ERROR"
    assert records[-1]["message"].startswith("cannot reach Discord")
    assert TOKEN not in result.stderr


@pytest.mark.parametrize("log_format", [None, "text"])
def test_text_logs_have_no_colour_codes_when_stderr_is_not_a_terminal(
    tmp_path: Path, log_format: str | None
) -> None:
    result = start_and_fail(tmp_path, **({"LOG_FORMAT": log_format} if log_format else {}))
    assert result.returncode == 3  # Discord unreachable: try again later
    lines = result.stderr.splitlines()
    assert "\x1b[" not in result.stderr
    assert lines[0].startswith("[") and "INFO" in result.stderr
    assert lines[-1].startswith("error: cannot reach Discord")
    assert TOKEN not in result.stderr
