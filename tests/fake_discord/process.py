"""The real bot in its own OS process, as in production, connected to a fake Discord.

``async with bot_process(fake, workdir=tmp_path, RESOURCE_BOT_DATA=str(path)) as bot:`` starts
``bot_launcher.py`` (``python -m bot run``'s code, pointed at the fake), waits until the bot
is connected and ready, and always stops the process at the end: stdin is closed so the bot
closes cleanly, and it is killed if it has not exited soon after. The fake and the test stay
in the test's process, so the fake's own work does not take the bot's CPU time.

The token goes to the bot in its environment, never on its command line, and is replaced by
``[DISCORD_TOKEN]`` in any of its output a test shows.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

from bot.config import SETTING_NAMES

from . import bot_launcher
from .server import FakeDiscordServer

LAUNCHER = Path(bot_launcher.__file__)
READY_TIMEOUT = 120.0  # loading and indexing a large catalogue on a slow, shared machine
ANSWER_TIMEOUT = 10.0
STOP_TIMEOUT = 5.0


class BotProcessFailed(AssertionError):
    """The bot process exited, or did not answer, when the test needed it."""


class BotProcess:
    """A running bot process: its CPU time, a profile of its event loop, its log."""

    def __init__(self, process: asyncio.subprocess.Process, log_path: Path, token: str) -> None:
        self.process = process
        self.log_path = log_path
        self._token = token
        self.ready_after = 0.0  # seconds from starting the process to the bot being ready

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        """What the bot logged so far, with the token blotted out."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return text.replace(self._token, "[DISCORD_TOKEN]")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    async def cpu_seconds(self) -> float:
        """CPU time (user + system, all threads) the bot process has used so far."""
        answer = await self._ask("cpu")
        return float(answer.removeprefix("cpu "))

    async def profile_on(self) -> None:
        """Start cProfile in the bot's event loop thread."""
        await self._ask("profile on", expect="profiling")

    async def profile_off(self, path: Path) -> None:
        """Stop profiling and write the statistics (pstats format) to ``path``."""
        await self._ask(f"profile off {path}", expect="profiled")

    async def wait_ready(self, timeout: float) -> None:
        started = time.perf_counter()
        line = await self._line(timeout, "ready")
        if line != bot_launcher.READY:
            raise BotProcessFailed(f"the bot said {line!r} instead of {bot_launcher.READY!r}")
        self.ready_after = time.perf_counter() - started

    async def _ask(self, command: str, expect: str | None = None) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(command.encode() + b"\n")
        await self.process.stdin.drain()
        answer = await self._line(ANSWER_TIMEOUT, command)
        if expect is not None and answer != expect:
            raise BotProcessFailed(f"the bot answered {command!r} with {answer!r}")
        return answer

    async def _line(self, timeout: float, waiting_for: str) -> str:
        assert self.process.stdout is not None
        try:
            async with asyncio.timeout(timeout):
                line = await self.process.stdout.readline()
        except TimeoutError:
            raise BotProcessFailed(
                f"the bot process did not answer {waiting_for!r} within {timeout:.0f} s; "
                f"its log ends:\n{self.log_tail()}"
            ) from None
        if not line:
            code = await self.process.wait()
            raise BotProcessFailed(
                f"the bot process exited with code {code} while the test waited for "
                f"{waiting_for!r}; its log ends:\n{self.log_tail()}"
            )
        return line.decode().strip()

    async def stop(self) -> int:
        """Close stdin (the bot closes itself); kill the process if it lingers."""
        process = self.process
        try:
            if process.stdin is not None and not process.stdin.is_closing():
                process.stdin.close()
            for escalate in (None, process.terminate, process.kill):
                if escalate is not None and process.returncode is None:
                    escalate()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(STOP_TIMEOUT):
                        return await process.wait()
        finally:
            if process.returncode is None:  # cancelled while stopping: still never leak it
                process.kill()
        return await process.wait()


def bot_environment(fake: FakeDiscordServer, **settings: str) -> dict[str, str]:
    """The bot process's environment: the test's without its bot settings (a developer's
    DISCORD_TOKEN must not leak in), plus the fake's token, where the fake listens and
    ``settings`` (``RESOURCE_BOT_DATA="..."``, ...)."""
    environment = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    environment.update(settings)
    environment["DISCORD_TOKEN"] = fake.token
    environment[bot_launcher.API_VARIABLE] = fake.api_base
    environment[bot_launcher.GATEWAY_VARIABLE] = fake.gateway_url
    environment["PYTHONUNBUFFERED"] = "1"
    return environment


async def _launch(fake: FakeDiscordServer, workdir: Path, settings: dict[str, str]) -> BotProcess:
    """Start ``bot_launcher.py`` in ``workdir``, logging to ``workdir / "bot.log"``."""
    workdir.mkdir(parents=True, exist_ok=True)
    log_path = workdir / "bot.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(LAUNCHER),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            cwd=workdir,
            env=bot_environment(fake, **settings),
        )
    return BotProcess(process, log_path, fake.token)


@contextlib.asynccontextmanager
async def bot_process(
    fake: FakeDiscordServer,
    *,
    workdir: Path,
    ready_timeout: float = READY_TIMEOUT,
    **settings: str,
) -> AsyncIterator[BotProcess]:
    """The real bot in its own process, connected to ``fake`` and ready; stopped at the end.

    ``settings`` are the bot's environment settings, e.g. ``RESOURCE_BOT_DATA=str(path)``.
    It runs in ``workdir`` (so no ``.env`` of the developer's is read) and logs to
    ``workdir / "bot.log"``.
    """
    bot = await _launch(fake, workdir, settings)
    try:
        await bot.wait_ready(ready_timeout)
        yield bot
    finally:
        await bot.stop()


async def bot_exit(
    fake: FakeDiscordServer, *, workdir: Path, timeout: float = READY_TIMEOUT, **settings: str
) -> tuple[int, str]:
    """Start the real bot in its own process and wait for it to exit by itself (a start
    that must fail): its exit code and what it wrote to stderr, token blotted out. A bot
    that is still running after ``timeout`` is stopped and fails the test."""
    bot = await _launch(fake, workdir, settings)
    try:
        async with asyncio.timeout(timeout):
            code = await bot.process.wait()
    except TimeoutError:
        await bot.stop()
        raise BotProcessFailed(
            f"the bot was still running after {timeout:.0f} s; its log ends:\n{bot.log_tail()}"
        ) from None
    return code, bot.log()
