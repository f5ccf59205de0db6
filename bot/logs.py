"""How the bot's log lines look on stderr: plain text for people, or one JSON object a line
(`LOG_FORMAT=json`) for log collectors such as journald, Docker or Loki.

Colour only when stderr is a terminal and NO_COLOR is unset. discord.py's own
`setup_logging` also colours whenever it guesses it runs in Docker, which fills `docker logs`
and files with escape codes; this module is used instead.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import TextIO

TEXT_FORMAT = "[{asctime}] [{levelname:<8}] {name}: {message}"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
LEVEL_COLOURS = {
    logging.DEBUG: "\x1b[40;1m",
    logging.INFO: "\x1b[34;1m",
    logging.WARNING: "\x1b[33;1m",
    logging.ERROR: "\x1b[31m",
    logging.CRITICAL: "\x1b[41m",
}
RESET = "\x1b[0m"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line: time (UTC, ISO 8601), level, logger, message,
    and `exception` (the traceback text) when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, str] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


class ColourFormatter(logging.Formatter):
    """The text format with the level name coloured, for a terminal."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT, DATE_FORMAT, style="{")

    def format(self, record: logging.LogRecord) -> str:
        plain = record.levelname
        colour = LEVEL_COLOURS.get(record.levelno, "")
        record.levelname = f"{colour}{plain:<8}{RESET}"
        try:
            return super().format(record)
        finally:
            record.levelname = plain


def wants_colour(stream: TextIO) -> bool:
    """True when `stream` is a terminal and the user did not ask for no colour."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def formatter_for(log_format: str, stream: TextIO) -> logging.Formatter:
    """The formatter for `LOG_FORMAT` (`text` or `json`) writing to `stream`."""
    if log_format == "json":
        return JsonFormatter()
    if wants_colour(stream):
        return ColourFormatter()
    return logging.Formatter(TEXT_FORMAT, DATE_FORMAT, style="{")


def configure(level: int, log_format: str, stream: TextIO | None = None) -> logging.Handler:
    """Send every log record at `level` or above to `stream` (stderr) in `log_format`.
    Returns the handler, so the caller can add filters (e.g. the token's redaction)."""
    stream = sys.stderr if stream is None else stream
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter_for(log_format, stream))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    return handler
