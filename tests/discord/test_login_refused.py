"""Discord answering the bot's login with an error, in the bot's own process as in production:
one line saying what to do and an exit code the service manager acts on, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_discord import FakeDiscord, bot_exit

EXIT_TIMEOUT = 60.0


@pytest.mark.parametrize(
    ("status", "code", "says"),
    [
        (503, 3, "Discord answered with an error (HTTP 503)"),
        (403, 2, "Discord refused the bot access (HTTP 403)"),
    ],
)
async def test_an_error_at_login_is_one_line(
    fake_discord: FakeDiscord,
    catalog_file: Path,
    tmp_path: Path,
    status: int,
    code: int,
    says: str,
) -> None:
    fake_discord.fail_next("get_my_user", status=status)
    exit_code, stderr = await bot_exit(
        fake_discord,
        workdir=tmp_path / "bot",
        timeout=EXIT_TIMEOUT,
        RESOURCE_BOT_DATA=str(catalog_file),
    )
    assert exit_code == code, stderr
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert errors == [stderr.splitlines()[-1]], stderr
    assert says in errors[0]
    if status == 403:
        assert "Reset Token" in errors[0] and "Intents" in errors[0]
