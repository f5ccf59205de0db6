"""Log lines as an operator reads them: plain text, or one JSON object a line for a collector."""

from __future__ import annotations

import io
import json
import logging
import os
import pty
import select
import time
from collections.abc import Iterator

import pytest

from bot import logs


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    """A logger of its own, so a test's handler sees only the test's records."""
    logger = logging.getLogger("test.logs")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger
    logger.handlers.clear()


def emit(logger: logging.Logger, log_format: str, stream: io.TextIOBase) -> None:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter_for(log_format, stream))
    logger.addHandler(handler)
    logger.info("catalogue %s: %d resources", "data/resources.yaml", 20)
    try:
        raise ValueError("the store is gone\nsecond line")
    except ValueError:
        logger.exception("vote not saved")


def test_json_gives_one_object_a_line_with_the_exception(logger: logging.Logger) -> None:
    out = io.StringIO()
    emit(logger, "json", out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2  # the multi-line traceback stays inside its record
    info, error = (json.loads(line) for line in lines)
    assert info["level"] == "INFO" and info["logger"] == "test.logs"
    assert info["message"] == "catalogue data/resources.yaml: 20 resources"
    assert "exception" not in info
    assert info["time"].endswith("+00:00") and "T" in info["time"]
    assert error["level"] == "ERROR" and error["message"] == "vote not saved"
    assert "ValueError: the store is gone" in error["exception"]
    assert "Traceback" in error["exception"]


def test_text_is_the_default_and_has_no_colour_off_a_terminal(logger: logging.Logger) -> None:
    out = io.StringIO()
    emit(logger, "text", out)
    text = out.getvalue()
    assert "\x1b[" not in text
    first = text.splitlines()[0]
    assert first.startswith("[") and "INFO" in first and "test.logs: catalogue" in first
    assert "ValueError: the store is gone" in text


def read_until(fd: int, last_text: str, seconds: float = 5.0) -> str:
    """What a terminal shows, read until `last_text` has come (a read may return part)."""
    shown = ""
    deadline = time.monotonic() + seconds
    while last_text not in shown and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            shown += os.read(fd, 65536).decode()
    return shown


def test_text_on_a_terminal_is_coloured_unless_no_color(
    logger: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    leader, follower = pty.openpty()
    shown: list[str] = []
    try:
        with open(follower, "w", closefd=False) as terminal:
            for no_color in ("", "1"):
                monkeypatch.setenv("NO_COLOR", no_color)
                logger.handlers.clear()
                emit(logger, "text", terminal)
                terminal.flush()
                shown.append(read_until(leader, "second line"))
    finally:
        os.close(leader)
        os.close(follower)
    coloured, plain = shown
    assert "\x1b[" in coloured and "catalogue data/resources.yaml" in coloured
    assert "\x1b[" not in plain and "vote not saved" in plain
