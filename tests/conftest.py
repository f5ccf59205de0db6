"""Shared fixtures: the loopback fake Discord, and connecting a discord.py client to it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import discord
import discord.gateway
import discord.http
import pytest
import yarl
from fake_discord import Contract, FakeDiscord, connected, load_for_tests, summary_lines
from postgres_cluster import Cluster, require_bin

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTRACT = pytest.StashKey[Contract]()


@pytest.fixture(scope="session")
def discord_contract(pytestconfig: pytest.Config) -> Contract:
    """Discord's API description, loaded once (missing fails the run)."""
    contract = load_for_tests(REPO_ROOT)
    pytestconfig.stash[CONTRACT] = contract
    return contract


@pytest.fixture
async def fake_discord(
    discord_contract: Contract, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FakeDiscord]:
    """A fake Discord on 127.0.0.1, with discord.py pointed at it for this test only."""
    fake = FakeDiscord(discord_contract)
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
    )
    try:
        yield fake
    finally:
        await fake.close()
    problems = fake.problems()
    if problems:
        pytest.fail(
            "The bot sent what Discord would refuse:\n  " + "\n  ".join(problems), pytrace=False
        )


@pytest.fixture
async def connect_client(
    fake_discord: FakeDiscord,
) -> AsyncIterator[Callable[..., Awaitable[discord.Client]]]:
    """``await connect_client(client)``: run a client against the fake until the test ends."""
    async with contextlib.AsyncExitStack() as running:

        async def connect(client: discord.Client, **options: Any) -> discord.Client:
            return await running.enter_async_context(connected(client, fake_discord, **options))

        yield connect


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Say how many requests of which operations the run checked against Discord's contract."""
    contract = config.stash.get(CONTRACT, None)
    if contract is None or not contract.matched:
        return
    terminalreporter.section("Discord API contract")
    for line in summary_lines(contract):
        terminalreporter.write_line(line)


def _running_cluster() -> Iterator[Cluster]:
    cluster = Cluster(require_bin())
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """One PostgreSQL server for the whole run (skipped without PostgreSQL, except in CI)."""
    yield from _running_cluster()


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    """A PostgreSQL server of the test's own, which it may stop."""
    yield from _running_cluster()


@pytest.fixture
def postgres_url(postgres_cluster: Cluster) -> str:
    """The DATABASE_URL of a new, empty database on the test server."""
    return postgres_cluster.new_database()
