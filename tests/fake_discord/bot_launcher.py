"""Run the real bot, as ``python -m bot run`` does, in its own process against a fake Discord.

Started by :func:`fake_discord.bot_process`; not meant for people. It reads what
``python -m bot run`` reads (DISCORD_TOKEN, RESOURCE_BOT_DATA, ...) plus where the fake
listens (``FAKE_DISCORD_API``, ``FAKE_DISCORD_GATEWAY``), points discord.py there exactly as
the ``fake_discord`` fixture does, shortens the wait after the guild arrives as ``connected``
does, and then runs ``bot.discord.runner.run()``: the product's own start-up path.

It talks with the test in lines. Stdout: ``ready`` once the bot is connected and ready.
Stdin, each answered with one line: ``cpu`` (``cpu <CPU seconds this process has used>``),
``profile on`` (``profiling``: cProfile of the event loop's thread from now on) and
``profile off <path>`` (``profiled``: the statistics written to ``path``). When stdin closes
(the test is done, or died) the bot closes and the process exits.
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import sys
import time
from collections.abc import Callable

import discord.gateway
import discord.http
import yarl

from bot.config import Settings
from bot.discord import runner
from bot.discord.client import ResourceBot

API_VARIABLE = "FAKE_DISCORD_API"
GATEWAY_VARIABLE = "FAKE_DISCORD_GATEWAY"
GUILD_READY_TIMEOUT = 0.05  # discord.py waits 2 s after the last GUILD_CREATE by default
READY = "ready"


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class Control:
    """Answers the test's commands on stdin; closes the bot when stdin closes."""

    def __init__(self, bot: ResourceBot) -> None:
        self.bot = bot
        self.profiler: cProfile.Profile | None = None

    async def serve(self) -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while line := await reader.readline():
            self.answer(line.decode().strip())
        await self.bot.close()

    def answer(self, line: str) -> None:
        command, _, argument = line.partition(" ")
        if command == "cpu":
            _say(f"cpu {time.process_time():.6f}")
        elif line == "profile on":
            self.profiler = cProfile.Profile()
            self.profiler.enable()
            _say("profiling")
        elif line.startswith("profile off ") and self.profiler is not None:
            self.profiler.disable()
            self.profiler.dump_stats(argument.removeprefix("off "))
            self.profiler = None
            _say("profiled")
        else:
            _say(f"unknown command {line!r}")


def for_the_fake(create: Callable[[Settings | None], ResourceBot]) -> Callable[..., ResourceBot]:
    """``create_bot`` that also says ``ready`` and listens to the test."""

    def create_bot(settings: Settings | None = None) -> ResourceBot:
        bot = create(settings)
        bot._connection.guild_ready_timeout = GUILD_READY_TIMEOUT
        control = Control(bot)
        setup_hook = bot.setup_hook
        tasks: list[asyncio.Task[None]] = []

        async def setup_then_listen() -> None:
            await setup_hook()
            tasks.append(asyncio.create_task(control.serve(), name="test control"))

        async def on_ready() -> None:
            _say(READY)

        bot.setup_hook = setup_then_listen  # type: ignore[method-assign]
        bot.on_ready = on_ready  # type: ignore[attr-defined]
        return bot

    return create_bot


def main() -> int:
    discord.http.Route.BASE = os.environ[API_VARIABLE]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ[GATEWAY_VARIABLE])
    runner.create_bot = for_the_fake(runner.create_bot)
    return runner.run()


if __name__ == "__main__":
    sys.exit(main())
