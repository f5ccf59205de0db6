"""The load with reloads of test_load_with_reloads.py across two shards: one PostgreSQL
database, two servers on each shard (the operator's home server on shard 0) and the 100
people spread over the four; served by two bot processes with a shard each, and for
comparison by one process running both.

The moderator changes the shared default three times through the process of the home server
(a reload of its file, an upload, a reload); the process of shard 1 learns of each change
from the database (bot.shared_catalogues). Every interaction is answered exactly once within
Discord's deadline, every answer comes from one whole catalogue version (the old one or the
new one while a change spreads, never a mix), each process serves the final version at the
end, and every vote is stored exactly once in the shared database.
Run by `make test-load` (`pytest -m load`); it prints the figures beside the one-process
run's of test_load_with_reloads.py (in-process bot, SQLite).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from contextlib import AsyncExitStack
from pathlib import Path

import psycopg
import pytest
from fake_discord import BotProcess, FakeDiscord, Reply, Upload, bot_process
from fake_discord.payloads import Guild
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
    versions_shown,
)

from bot.catalog import parse_catalog
from bot.config import LIVE_CATALOG_NAME
from bot.i18n import text

pytestmark = pytest.mark.load

SHARDS = (0, 1)
SERVERS_PER_SHARD = 2
# The processes and the shards each runs (None: all of them, in one process).
LAYOUTS = {
    "two processes (shard 0 and shard 1)": [0, 1],
    "one process running shards 0 and 1": [None],
}
PROBED = "openai-fine-tuning-guide"  # the resource whose title tells which version serves
# Seconds from the moderator's answer to shard 1 serving the change, at most. Under a
# second with a warm rebuild worker (printed, with the probe's own answer time in it);
# generous for a busy shared 2-core machine.
SPREAD_WAIT = 10.0
PROBE_PAUSE = 0.02
MODERATOR_WAIT = 30.0  # a reload may finish after the first answer's deadline (deferred)


@pytest.mark.parametrize("layout", list(LAYOUTS))
async def test_1000_interactions_on_two_shards_while_the_shared_catalogue_changes(
    layout: str,
    fake_discord: FakeDiscord,
    catalog_file: Path,
    postgres_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake = fake_discord
    seed = catalog_file.read_text(encoding="utf-8")
    versions = {name: catalogue_version(seed, name) for name in MARK}
    catalogs = {name: parse_catalog(data) for name, data in versions.items()}
    catalog_file.write_bytes(versions["A"])

    fake.shard_count = len(SHARDS)
    servers = [
        fake.add_guild("Home" if n == 0 else f"Server {n}", shard=n // SERVERS_PER_SHARD)
        for n in range(len(SHARDS) * SERVERS_PER_SHARD)
    ]
    home, elsewhere = servers[0], servers[SERVERS_PER_SHARD]
    processes = LAYOUTS[layout]
    states = [tmp_path / f"process{n}" / "var" for n in range(len(processes))]
    people = [
        fake.member(
            f"person{n}",
            locale="sv-SE" if n % 3 == 0 else "en-US",
            guild=servers[n % len(servers)],
        )
        for n in range(PEOPLE)
    ]
    server_of = {person.id: person.guild_id for person in people}
    assert len(server_of) == PEOPLE, "each person in one server: a vote is theirs there"
    moderator = fake.moderator("mo", guild=home)
    probes = 0

    async def title_in(server: Guild) -> tuple[str, Reply]:
        nonlocal probes
        reader = fake.member(f"reader{server.id % 10_000}", guild=server)
        # a channel of its own each time: a card shown again in one channel is only linked
        channel = f"probe{probes}"
        reply = await fake.slash(reader, "resources", "show", resource=PROBED, channel=channel)
        probes += 1
        assert reply.embeds, reply.content
        return reply.embeds[0]["title"], reply

    async def change(number: int, version: str) -> Reply:
        """Reload the home process's file, or upload the version (the second change)."""
        if number == 1:
            upload = Upload(LIVE_CATALOG_NAME, versions[version])
            return await fake.slash(
                moderator, "resources-admin", "upload", file=upload, timeout=MODERATOR_WAIT
            )
        (states[0] / LIVE_CATALOG_NAME).write_bytes(versions[version])
        return await fake.slash(moderator, "resources-admin", "reload", timeout=MODERATOR_WAIT)

    async def spread(version: str) -> float:
        """When the process of shard 1 was seen serving `version`."""
        asked = time.perf_counter()
        while True:
            title, reply = await title_in(elsewhere)
            if title.startswith(MARK[version]):
                assert reply.interaction.answered_at is not None
                return reply.interaction.answered_at
            assert time.perf_counter() - asked < SPREAD_WAIT, "shard 1 lags"
            await asyncio.sleep(PROBE_PAUSE)

    common = {
        "RESOURCE_BOT_DATA": str(catalog_file),
        "DATABASE_URL": postgres_url,
        "SHARD_COUNT": str(len(SHARDS)),
        "HOME_GUILD_IDS": str(home.id),
    }
    async with AsyncExitStack() as running:
        bots: list[BotProcess] = []
        for state, shard in zip(states, processes, strict=True):
            # one after the other: the first offers its default (A) to the database
            settings = {**common, "RESOURCE_BOT_STATE": str(state)}
            if shard is not None:
                settings["SHARD_IDS"] = str(shard)
            started_bot = bot_process(fake, workdir=state.parent, **settings)
            bots.append(await running.enter_async_context(started_bot))
        assert sorted(fake.sessions) == list(SHARDS)
        cpu_before = [await bot.cpu_seconds() for bot in bots]

        tally = Tally()
        started = time.perf_counter()
        changing = asyncio.create_task(moderate(tally, change, spread))
        await crowd(fake, people, tally)
        reloads: list[Reload] = await changing
        elapsed = time.perf_counter() - started
        cpu_after = [await bot.cpu_seconds() for bot in bots]
        cpu = sum(cpu_after) - sum(cpu_before)

        # Every process ends up serving the final version, in every server.
        final = reloads[-1].version
        for server in servers:
            title, _ = await title_in(server)
            assert title == catalogs[final].get(PROBED).title_in("en")

    # Every interaction answered, exactly once, in time.
    assert len(tally.replies) == PEOPLE * ACTS_PER_PERSON
    interactions = PEOPLE * ACTS_PER_PERSON + RELOADS + probes
    waits = check_answered_once_in_time(fake, interactions)

    # The changes went through the home server's process and alternated the versions.
    reported = [r.reply.content.split("\n")[0] for r in reloads]
    assert reported == [
        text("en", "reload.done", total=20),
        text("en", "upload.done", total=20).split("\n")[0],
        text("en", "reload.done", total=20),
    ]
    assert [r.version for r in reloads] == ["B", "A", "B"]

    # Every answer from one whole version: the one its shard served when it was sent.
    def shard_of(reply: Reply) -> int:
        return fake.shard_of_guild(int(reply.interaction.payload["guild_id"]))

    def served(reply: Reply, reload: Reload) -> float:
        return reload.finished if shard_of(reply) == 0 else reload.everywhere

    by_version = check_versions(tally, catalogs, reloads, served)
    per_shard: dict[int, Counter[str]] = {shard: Counter() for shard in SHARDS}
    for _, reply in tally.replies:
        if isinstance(reply, Reply):
            per_shard[shard_of(reply)].update(versions_shown(reply))
    assert all(set(seen) == set(MARK) for seen in per_shard.values()), "both on each shard"

    # Every vote in the shared database exactly once, in its voter's server; every question
    # recorded; the database holds the final version.
    with psycopg.connect(postgres_url) as db:
        rows = db.execute("SELECT resource_id, user_id, guild_id, helpful FROM feedback").fetchall()
        questions_stored = db.execute("SELECT COUNT(*) FROM questions").fetchone()[0]
        shared = db.execute("SELECT data FROM catalogues WHERE guild_id = 0").fetchone()[0]
    stored = {(r, u): bool(h) for r, u, _, h in rows}
    assert len(stored) == len(rows)
    assert all(g == server_of[u] for _, u, g, _ in rows), "a vote stored in another server"
    lost_votes = set(tally.votes) - set(stored)
    extra_votes = set(stored) - set(tally.votes)
    assert stored == tally.votes
    assert questions_stored == tally.asked
    assert bytes(shared) == versions[final]

    took = ", ".join(f"{1000 * (r.finished - r.started):.0f}" for r in reloads)
    lags = ", ".join(f"{1000 * (r.everywhere - r.finished):.0f}" for r in reloads)
    with capsys.disabled():
        print(
            figures(
                f"{layout}, PostgreSQL",
                interactions,
                elapsed,
                tally,
                f"{RELOADS} changes (reload, upload, reload), {probes} probes of the version",
                waits,
                by_version,
                len(stored),
                len(lost_votes),
                len(extra_votes),
                questions_stored,
            )
            + "\n  messages from A and B by shard: "
            + "; ".join(f"{s}: {c['A']} and {c['B']}" for s, c in per_shard.items())
            + f"\n  changes done after {took} ms; the first probe of shard 1 showing each "
            f"answered {lags} ms later; "
            f"bots' CPU {cpu:.1f} s"
        )
