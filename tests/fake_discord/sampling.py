"""Where a bot process spends its time, sampled with py-spy (when it is installed).

``async with sampled(bot.pid, path):`` records the process (every thread, ``--nonblocking``
so it is not paused) into ``path`` as collapsed stacks; ``time_by_part(path)`` then adds the
samples up by the part of the program they were in.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

SAMPLES_PER_SECOND = 1000
ATTACH_SECONDS = 1.0  # py-spy needs a moment to attach before the first sample
PARTS = (  # in this order, against each frame's file (or, for methods, function) name
    ("recording the question (SQLite)", ("bot/store.py",)),
    ("matching", ("bot/search/", "bot/text.py", "bot/lexicon.py")),
    ("rendering (cards, buttons)", ("bot/cards.py", "bot/i18n.py", "bot/discord/views.py")),
    (
        "sending the answer (discord.py, aiohttp)",
        (
            *("discord/webhook/", "aiohttp/client", "aiohttp/connector.py"),
            *("aiohttp/http_writer.py", "InteractionResponse.", "InteractionCallbackResponse"),
        ),
    ),
    ("reading the gateway (discord.py)", ("discord/gateway.py", "discord/state.py")),
    ("command tree: options, checks (discord.py)", ("discord/app_commands/",)),
)
OTHER = "event loop and the rest"


def py_spy() -> str | None:
    """The py-spy program: ``$PY_SPY``, else on the PATH."""
    return os.environ.get("PY_SPY") or shutil.which("py-spy")


@contextlib.asynccontextmanager
async def sampled(pid: int, path: Path, rate: int = SAMPLES_PER_SECOND) -> AsyncIterator[None]:
    """Sample process ``pid`` with py-spy during the block (raises if py-spy is missing)."""
    program = py_spy()
    if program is None:
        raise FileNotFoundError("py-spy is not installed (pip install py-spy, or set PY_SPY)")
    recorder = await asyncio.create_subprocess_exec(
        program,
        *("record", "--pid", str(pid), "--rate", str(rate), "--nonblocking"),
        *("--format", "raw", "--output", str(path)),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await asyncio.sleep(ATTACH_SECONDS)
        yield
    finally:
        if recorder.returncode is None:
            recorder.send_signal(signal.SIGINT)  # py-spy writes its file and exits
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(10):
                await recorder.wait()
        if recorder.returncode is None:
            recorder.kill()
            await recorder.wait()


def part_of(stack: str) -> str:
    """The part of the program a collapsed stack was in: the first part of ``PARTS`` that
    any of its frames belongs to (numpy under the matcher is matching, a socket write
    under discord.py's request is sending)."""
    frames = stack.split(";")
    names = [name for frame in frames for name in (frame, frame.rpartition(" (")[2])]
    for part, prefixes in PARTS:
        if any(name.startswith(prefixes) for name in names):
            return part
    return OTHER


def time_by_part(path: Path, rate: int = SAMPLES_PER_SECOND) -> Counter[str]:
    """Seconds of samples per part of the program, from a py-spy ``raw`` file."""
    seconds: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if count.isdigit():
            seconds[part_of(stack)] += int(count) / rate
    return seconds
