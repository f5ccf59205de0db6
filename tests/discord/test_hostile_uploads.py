"""Hostile catalogue uploads through /resources-admin upload: a YAML bomb, a 50 MB file, binary
data, YAML of the wrong shape. Each is refused with a clear message in bounded time and memory;
the live catalogue answers as before, the file on disk is byte for byte what it was, and no
backup is made (nothing was replaced)."""

from __future__ import annotations

import random
import time
import tracemalloc
from pathlib import Path

import pytest
from fake_discord import FakeDiscord, Reply, Upload

from bot import limits
from bot.discord.client import ResourceBot

QUESTION = "when should I fine-tune"
ANSWER_DEADLINE = 3.0  # Discord's: after this it shows "The application did not respond"
MEMORY_BUDGET = 32 * 1024 * 1024  # what refusing one upload may allocate at its peak


def billion_laughs(levels: int = 10, width: int = 10) -> bytes:
    """Anchors and aliases that expand to width**levels items when resolved."""
    lines = ['lol: &a0 ["lol"]']
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"l{level}: &a{level} [{aliases}]")
    lines.append(f"resources: *a{levels - 1}")
    return "\n".join(lines).encode()


NOT_UTF8 = "the file is not UTF-8 text"
WRONG_SHAPE = "new.yaml:1: the catalogue must be a mapping with version, languages"
HOSTILE_UPLOADS = {  # what is uploaded, and what the refusal says
    "yaml bomb": (billion_laughs(), "new.yaml:1: YAML anchors and aliases"),
    "binary": (random.Random(6).randbytes(64 * 1024), NOT_UTF8),
    "binary after a yaml start": (b"version: 1\n\x00\xff\xfe" + bytes(range(256)) * 8, NOT_UTF8),
    "png": (b"\x89PNG\r\n\x1a\n" + bytes(2048), NOT_UTF8),
    "a list": (b"- just\n- a list\n", WRONG_SHAPE),
    "a number": (b"42\n", WRONG_SHAPE),
    "empty": (b"", "new.yaml:1: the file is empty"),
    "resources not a list": (b"version: 1\nresources: {a: b}\n", "'languages' is missing"),
    "json of the wrong shape": (b'{"version": 1, "resources": [1]}', "'languages' is missing"),
    # refused with its line; the words are PyYAML's or, on older releases, the bot's own
    "deep nesting": (b"[" * 10_000 + b"]" * 10_000, "new.yaml:1: "),
    "python tag": (b"!!python/object/apply:os.system ['touch /tmp/x']\n", "YAML syntax error"),
}


async def snapshot(fake: FakeDiscord, who: str) -> tuple[str, str]:
    """What the live catalogue answers to the reference question (privately: no cooldown)."""
    asker = fake.member(who)
    reply = await fake.slash(asker, "ask", question=QUESTION, private=True)
    return reply.embeds[0]["title"], reply.embeds[0]["url"]


def backups(live_file: Path) -> list[Path]:
    return sorted(live_file.parent.glob(f"{live_file.name}.*.bak"))


async def upload(fake: FakeDiscord, data: bytes, filename: str = "new.yaml") -> tuple[Reply, float]:
    """A moderator uploads `data`; the answer and the seconds it took."""
    moderator = fake.moderator("mo")
    started = time.monotonic()
    reply = await fake.slash(
        moderator, "resources-admin", "upload", file=Upload(filename, data), timeout=10
    )
    return reply, time.monotonic() - started


@pytest.mark.parametrize(("data", "says"), HOSTILE_UPLOADS.values(), ids=HOSTILE_UPLOADS.keys())
async def test_a_hostile_upload_is_refused_and_changes_nothing(
    fake_discord: FakeDiscord, bot: ResourceBot, live_file: Path, data: bytes, says: str
) -> None:
    before = live_file.read_bytes()
    answered_before = await snapshot(fake_discord, "alice")
    live = bot.library.current

    tracemalloc.start()
    try:
        reply, seconds = await upload(fake_discord, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert reply.ephemeral
    assert reply.content.startswith("The uploaded file has ")
    assert "problem(s); nothing was changed:" in reply.content
    assert says in reply.content
    assert "Traceback" not in reply.content and len(reply.content) <= 2000
    assert seconds < ANSWER_DEADLINE, f"refusing took {seconds:.1f} s"
    assert peak < MEMORY_BUDGET, f"refusing took {peak / 2**20:.0f} MiB"
    assert bot.library.current is live, "the live catalogue was not replaced"
    assert await snapshot(fake_discord, "bob") == answered_before
    assert live_file.read_bytes() == before
    assert backups(live_file) == []


async def test_a_50_mb_file_is_refused_before_it_is_downloaded(
    fake_discord: FakeDiscord, bot: ResourceBot, live_file: Path
) -> None:
    before = live_file.read_bytes()
    answered_before = await snapshot(fake_discord, "alice")
    huge = b"# " + b"x" * (50 * 1024 * 1024)
    reply, seconds = await upload(fake_discord, huge, "resources.yaml")
    assert reply.ephemeral and not reply.deferred  # answered at once, nothing to wait for
    megabytes = limits.CATALOG_FILE_BYTES // 2**20
    assert reply.content == f"That file is too large: a catalogue can be at most {megabytes} MB."
    assert fake_discord.downloads == [], "the bot downloaded a file it had to refuse"
    assert seconds < ANSWER_DEADLINE
    assert await snapshot(fake_discord, "bob") == answered_before
    assert live_file.read_bytes() == before
    assert backups(live_file) == []


async def test_a_file_just_within_the_limit_is_read_and_checked(
    fake_discord: FakeDiscord, bot: ResourceBot, catalog_file: Path, live_file: Path
) -> None:
    before = live_file.read_bytes()
    padded = before + b"\n# " + b"x" * (limits.CATALOG_FILE_BYTES - len(before) - 4) + b"\n"
    assert len(padded) == limits.CATALOG_FILE_BYTES
    reply, _ = await upload(fake_discord, padded, "resources.yaml")
    assert len(fake_discord.downloads) == 1
    assert "New catalogue saved and live: 20 resources" in reply.content
    assert live_file.read_bytes() == padded
    assert [b.read_bytes() for b in backups(live_file)] == [before]
    assert catalog_file.read_bytes() == before, "the default catalogue is left as it was"


@pytest.mark.parametrize(
    ("locale", "says"),
    [
        ("en-US", "a catalogue can be at most 32 MB"),
        ("sv-SE", "en katalog får vara högst 32 MB"),
    ],
)
async def test_the_size_limit_is_explained_in_the_moderators_language(
    fake_discord: FakeDiscord, bot: ResourceBot, locale: str, says: str
) -> None:
    moderator = fake_discord.moderator("mo", locale=locale)
    too_big = Upload("resources.yaml", bytes(limits.CATALOG_FILE_BYTES + 1))
    reply = await fake_discord.slash(moderator, "resources-admin", "upload", file=too_big)
    assert reply.ephemeral and says in reply.content
    assert fake_discord.downloads == []


@pytest.mark.parametrize("chunked", [False, True], ids=["with its length", "without a length"])
async def test_a_file_larger_than_it_says_is_read_only_up_to_the_limit(
    fake_discord: FakeDiscord, bot: ResourceBot, live_file: Path, chunked: bool
) -> None:
    before = live_file.read_bytes()
    answered_before = await snapshot(fake_discord, "alice")
    body = b"# " + b"x" * (96 * 2**20)  # made before measuring: it is the sender's memory
    liar = Upload("resources.yaml", body, declared_size=1024, chunked=chunked)

    tracemalloc.start()
    try:
        moderator = fake_discord.moderator("mo")
        reply = await fake_discord.slash(
            moderator, "resources-admin", "upload", file=liar, timeout=30
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    budget = limits.CATALOG_FILE_BYTES + MEMORY_BUDGET // 4  # at most the limit is read
    assert peak < budget, f"refusing took {peak / 2**20:.0f} MiB"
    megabytes = limits.CATALOG_FILE_BYTES // 2**20
    assert reply.ephemeral
    assert reply.content == f"That file is too large: a catalogue can be at most {megabytes} MB."
    assert await snapshot(fake_discord, "bob") == answered_before
    assert live_file.read_bytes() == before
    assert backups(live_file) == []
