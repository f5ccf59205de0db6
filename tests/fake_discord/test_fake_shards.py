"""The fake Discord speaks shards: /gateway/bot advertises how many, IDENTIFY's
[shard_id, shard_count] is honoured, and a guild's events go to its shard's session only."""

from __future__ import annotations

import asyncio

import aiohttp
import discord
import pytest

from fake_discord import FakeDiscord
from fake_discord.shards import INVALID_SHARD, SHARDING_REQUIRED, id_on_shard, shard_of


def intents() -> discord.Intents:
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


class Seen(discord.AutoShardedClient):
    """A sharded client that remembers which shard each interaction came in on."""

    def __init__(self, **options: object) -> None:
        super().__init__(intents=intents(), **options)  # type: ignore[arg-type]
        self.interactions: list[tuple[int, int | None]] = []  # (guild id, shard id)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None
        self.interactions.append((interaction.guild_id, self._connection_shard(interaction)))

    def _connection_shard(self, interaction: discord.Interaction) -> int | None:
        guild = interaction.guild
        return guild.shard_id if guild is not None else None


def test_new_ids_land_on_the_shard_asked_for() -> None:
    from fake_discord.payloads import Snowflakes

    new_id = Snowflakes()
    for count in (1, 2, 5):
        for shard in range(count):
            assert shard_of(id_on_shard(new_id, shard, count), count) == shard
    with pytest.raises(ValueError):
        id_on_shard(new_id, 2, 2)


async def test_gateway_bot_advertises_the_shard_count(fake_discord: FakeDiscord) -> None:
    fake_discord.shard_count = 3
    headers = {"Authorization": f"Bot {fake_discord.token}"}
    async with (
        aiohttp.ClientSession(headers=headers) as http,
        http.get(f"{fake_discord.api_base}/gateway/bot") as answer,
    ):
        assert (await answer.json())["shards"] == 3


async def test_an_automatic_client_runs_every_shard_and_gets_each_guild_on_its_own(
    fake_discord: FakeDiscord, connect_client
) -> None:
    fake_discord.shard_count = 2
    first = fake_discord.add_guild("On shard 0", shard=0)
    second = fake_discord.add_guild("On shard 1", shard=1)
    client = await connect_client(Seen())
    assert client.shard_count == 2
    assert sorted(fake_discord.sessions) == [0, 1]
    for guild in (first, second):
        assert client.get_guild(guild.id).shard_id == fake_discord.shard_of_guild(guild.id)
    # Each session was told of its own shard's guilds only.
    for shard, session in fake_discord.sessions.items():
        created = [e["d"]["id"] for e in session.events if e["t"] == "GUILD_CREATE"]
        assert created and all(fake_discord.shard_of_guild(int(g)) == shard for g in created)


async def test_a_client_running_one_shard_sees_that_shards_guilds_only(
    fake_discord: FakeDiscord, connect_client
) -> None:
    fake_discord.shard_count = 2
    mine = fake_discord.add_guild("Mine", shard=1)
    theirs = fake_discord.add_guild("Theirs", shard=0)
    members = {g.id: fake_discord.member(f"m{g.id % 1000}", guild=g) for g in (mine, theirs)}
    client = await connect_client(Seen(shard_count=2, shard_ids=[1]))
    assert list(fake_discord.sessions) == [1]
    assert client.get_guild(mine.id) is not None and client.get_guild(theirs.id) is None
    interaction = fake_discord._new_interaction(
        2, members[mine.id], {"id": "1", "name": "x", "type": 1}, "x", "en-US", None, "general"
    )
    await fake_discord._send_interaction(interaction)
    async with asyncio.timeout(5):
        while not client.interactions:
            await asyncio.sleep(0.01)
    assert client.interactions == [(mine.id, 1)]
    assert fake_discord.sessions[1].shard_count == 2


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"shard_count": 2, "shard_ids": [2]}, INVALID_SHARD),  # no shard 2 of 2
        ({"shard_count": 1}, SHARDING_REQUIRED),  # the bot needs 2
    ],
)
async def test_an_identify_discord_would_refuse_is_closed_with_its_code(
    fake_discord: FakeDiscord, options: dict[str, object], code: int
) -> None:
    fake_discord.shard_count = 2
    client = Seen(**options)
    with pytest.raises(discord.ConnectionClosed) as closed:
        async with client:
            await client.start(fake_discord.token)
    assert closed.value.code == code
    assert any(entry.startswith(f"IDENTIFY refused {code}") for entry in fake_discord.gateway_log)
