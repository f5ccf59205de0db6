"""Through the bot at scale: 200 /ask arriving together on a 10,000-resource catalogue.

Run by `make test-load` (`pytest -m load`); skipped otherwise. It prints the time from
the fake Discord dispatching each interaction to the bot's callback reaching it.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from fake_discord import FakeDiscord

from bot import synthetic
from bot.catalog import parse_catalog
from bot.config import Settings
from bot.discord.client import ResourceBot

RESOURCES = 10_000
AT_ONCE = 200
TARGET_MEDIAN_MS = 50.0  # issue 5: the median from dispatch to callback

pytestmark = pytest.mark.load


@pytest.fixture(autouse=True)
def only_when_asked(request: pytest.FixtureRequest) -> None:
    if "load" not in (request.config.option.markexpr or ""):
        pytest.skip("a load test: run it with `make test-load`")


async def test_200_questions_at_once_on_10000_resources(
    fake_discord: FakeDiscord,
    start_bot: Callable[..., Awaitable[ResourceBot]],
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = synthetic.catalog_yaml(RESOURCES, seed=7)
    catalogue = tmp_path / "large.yaml"
    catalogue.write_text(text, encoding="utf-8")
    questions = [q.text for q in synthetic.questions(parse_catalog(text.encode()), AT_ONCE)]
    started = time.perf_counter()
    await start_bot(settings, data_path=catalogue)
    ready = time.perf_counter() - started

    dispatched: dict[str, float] = {}
    answered: dict[str, float] = {}
    dispatch = fake_discord.dispatch

    async def timed_dispatch(event: str, data: dict[str, Any]) -> None:
        if event == "INTERACTION_CREATE":
            dispatched[data["token"]] = time.perf_counter()
        await dispatch(event, data)

    respond = fake_discord._handlers["create_interaction_response"]

    async def timed_response(call: Any) -> Any:
        answered.setdefault(call.params["interaction_token"], time.perf_counter())
        return await respond(call)

    monkeypatch.setattr(fake_discord, "dispatch", timed_dispatch)
    monkeypatch.setitem(fake_discord._handlers, "create_interaction_response", timed_response)

    people = [fake_discord.member(f"asker{n}") for n in range(AT_ONCE)]
    replies = await asyncio.gather(
        *(fake_discord.slash(p, "ask", question=q) for p, q in zip(people, questions, strict=True))
    )

    assert all(reply.answered for reply in replies)
    assert set(answered) == set(dispatched) and len(answered) == AT_ONCE
    waits = sorted(1000 * (answered[token] - dispatched[token]) for token in dispatched)
    median = statistics.median(waits)
    with capsys.disabled():
        print(
            f"\n{AT_ONCE} /ask at once on {RESOURCES:,} resources (bot ready in {ready:.1f} s): "
            f"dispatch -> callback median {median:.1f} ms, "
            f"p90 {waits[int(0.9 * len(waits))]:.1f} ms, max {waits[-1]:.1f} ms "
            f"(target: median under {TARGET_MEDIAN_MS:.0f} ms)"
        )
