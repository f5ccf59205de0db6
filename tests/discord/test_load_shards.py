"""The burst of tests/discord/test_load.py (200 /ask at once on 10,000 resources) across
two shards: served by one process running both, then by two processes with a shard each,
both on one PostgreSQL database. Prints the figures side by side; asserts only that every
question is answered exactly once by the process of its server's shard.

Run by `make test-load` (`pytest -m load`); skipped otherwise.
"""

from __future__ import annotations

import statistics
from contextlib import AsyncExitStack
from pathlib import Path

import pytest
from fake_discord import FakeDiscord, bot_process

from benchmarks import synthetic
from bot.catalog import parse_catalog

RESOURCES = 10_000
AT_ONCE = 200

pytestmark = pytest.mark.load


@pytest.fixture(autouse=True)
def only_when_asked(request: pytest.FixtureRequest) -> None:
    if "load" not in (request.config.option.markexpr or ""):
        pytest.skip("a load test: run it with `make test-load`")


async def burst(fake: FakeDiscord, asks: list, processes: list) -> list[str]:
    """Send the burst, check it, and describe the waits and the bots' CPU time."""
    cpu_before = [await bot.cpu_seconds() for bot in processes]
    with fake.checks_deferred() as checks:
        replies = await fake.slash_at_once("ask", asks)
    cpu = sum(
        [
            await bot.cpu_seconds() - before
            for bot, before in zip(processes, cpu_before, strict=True)
        ]
    )
    assert not checks.violations, "\n".join(map(str, checks.violations))
    calls = [
        sum(r.operation_id == "create_interaction_response" for r in reply.interaction.requests)
        for reply in replies
    ]
    assert calls == [1] * AT_ONCE, "each answered exactly once"
    waits = sorted(
        1000 * (r.interaction.answered_at - r.interaction.dispatched_at)  # type: ignore[operator]
        for r in replies
    )
    return [
        f"median {statistics.median(waits):.1f} ms, p90 {waits[int(0.9 * len(waits))]:.1f} ms, "
        f"max {waits[-1]:.1f} ms; bots' CPU {1000 * cpu / AT_ONCE:.2f} ms per question"
    ]


async def test_200_questions_at_once_on_two_shards_one_process_and_two(
    fake_discord: FakeDiscord,
    tmp_path: Path,
    postgres_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_discord.shard_count = 2
    guilds = [fake_discord.add_guild(f"Shard {n}", shard=n) for n in (0, 1)]
    text = synthetic.catalog_yaml(RESOURCES, seed=7)
    catalogue = tmp_path / "large.yaml"
    catalogue.write_text(text, encoding="utf-8")
    questions = [q.text for q in synthetic.questions(parse_catalog(text.encode()), AT_ONCE)]
    asks = [
        (fake_discord.member(f"asker{n}", guild=guilds[n % 2]), {"question": q})
        for n, q in enumerate(questions)
    ]
    common = {
        "RESOURCE_BOT_DATA": str(catalogue),
        "DATABASE_URL": postgres_url,
        "SHARD_COUNT": "2",
    }
    figures = {}
    async with bot_process(fake_discord, workdir=tmp_path / "both", **common) as both:
        figures["one process, shards 0-1"] = await burst(fake_discord, asks[:], [both])
    fake_discord.sessions.clear()
    async with AsyncExitStack() as running:
        bots = [
            await running.enter_async_context(
                bot_process(
                    fake_discord, workdir=tmp_path / f"shard{n}", SHARD_IDS=str(n), **common
                )
            )
            for n in (0, 1)
        ]
        # Fresh askers: the first burst's people would meet their per-minute limit.
        again = [
            (fake_discord.member(f"second{n}", guild=guilds[n % 2]), values)
            for n, (_, values) in enumerate(asks)
        ]
        figures["two processes, a shard each"] = await burst(fake_discord, again, bots)
    with capsys.disabled():
        print(
            f"\n{AT_ONCE} /ask at once on {RESOURCES:,} resources, half on each of 2 shards, "
            "PostgreSQL store (dispatch -> callback):"
        )
        for setup, lines in figures.items():
            print(f"  {setup}: " + "; ".join(lines))
