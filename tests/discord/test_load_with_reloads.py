"""Load through the fake Discord: 1,000 interactions (/ask, autocomplete, feedback presses) from
100 people at once, while a moderator reloads the catalogue three times, alternating between
two versions that differ in every title and link.

Every interaction is answered exactly once and in time, every answer comes from one whole
catalogue version (never a mix), and every feedback press is in the store exactly once.
Run by `make test-load` (`pytest -m load`); it prints the figures. The same run across two
bot processes is in test_load_with_reloads_shards.py; what both share in reload_load.py.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from fake_discord import FakeDiscord, Reply
from reload_load import (
    ACTS_PER_PERSON,
    MARK,
    PEOPLE,
    RELOADS,
    Reload,
    Tally,
    catalogue_version,
    check_answered_once_in_time,
    check_versions,
    crowd,
    figures,
    moderate,
)

from bot.catalog import parse_catalog
from bot.config import Settings
from bot.discord.client import ResourceBot

pytestmark = pytest.mark.load


async def test_1000_interactions_from_100_people_while_the_catalogue_is_reloaded(
    fake_discord: FakeDiscord,
    start_bot: Any,
    settings: Settings,
    catalog_file: Path,
    live_file: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seed = catalog_file.read_text(encoding="utf-8")
    versions = {name: catalogue_version(seed, name) for name in MARK}
    catalogs = {name: parse_catalog(data) for name, data in versions.items()}
    catalog_file.write_bytes(versions["A"])
    bot: ResourceBot = await start_bot(settings)
    assert bot.question_limits.per_minute >= ACTS_PER_PERSON, "the default rate limit holds"

    people = [
        fake_discord.member(f"person{n}", locale="sv-SE" if n % 3 == 0 else "en-US")
        for n in range(PEOPLE)
    ]
    moderator = fake_discord.moderator("mo")

    async def reload(number: int, version: str) -> Reply:
        live_file.write_bytes(versions[version])
        return await fake_discord.slash(moderator, "resources-admin", "reload")

    tally = Tally()
    started = time.perf_counter()
    reloading = asyncio.create_task(moderate(tally, reload))
    await crowd(fake_discord, people, tally)
    reloads: list[Reload] = await reloading
    elapsed = time.perf_counter() - started

    # Every interaction answered, exactly once, in time.
    assert len(tally.replies) == PEOPLE * ACTS_PER_PERSON
    interactions = PEOPLE * ACTS_PER_PERSON + RELOADS
    waits = check_answered_once_in_time(fake_discord, interactions)

    # The reloads went through and alternated the versions.
    reported = [r.reply.content.split("\n")[0] for r in reloads]
    assert reported == ["Catalogue reloaded: 20 resources."] * RELOADS
    assert bot.library.current.catalog.get("openai-fine-tuning-guide").title_in("en") == (
        catalogs["B"].get("openai-fine-tuning-guide").title_in("en")
    )

    # Every answer from one whole version, the one live when it was sent.
    by_version = check_versions(tally, catalogs, reloads, lambda reply, r: r.finished)

    # Every feedback press in the store exactly once; every question recorded.
    with sqlite3.connect(settings.db_path) as db:
        stored = {
            (r, u): bool(h)
            for r, u, h in db.execute("SELECT resource_id, user_id, helpful FROM feedback")
        }
        questions_stored = db.execute("SELECT COUNT(*) FROM questions").fetchone()[0]
    lost_votes = set(tally.votes) - set(stored)
    extra_votes = set(stored) - set(tally.votes)
    assert stored == tally.votes
    assert questions_stored == tally.asked

    with capsys.disabled():
        print(
            figures(
                "one process (SQLite)",
                interactions,
                elapsed,
                tally,
                f"{RELOADS} reloads",
                waits,
                by_version,
                len(stored),
                len(lost_votes),
                len(extra_votes),
                questions_stored,
            )
        )
