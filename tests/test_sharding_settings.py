"""SHARD_COUNT and SHARD_IDS: which gateway shards a process runs, and clear errors."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings
from bot.sharding import ShardPlan, format_ids, shard_of

DATABASE = {"DATABASE_URL": "postgresql://bot:pw@db.example/resources"}


def plan(**values: str) -> ShardPlan:
    return Settings.from_values(values).shards


def test_nothing_set_lets_discord_decide_and_runs_every_shard_here() -> None:
    shards = plan()
    assert shards.automatic and not shards.partial
    assert "Discord recommends" in shards.describe()


def test_a_count_alone_runs_every_shard_in_this_process() -> None:
    shards = plan(SHARD_COUNT="4")
    assert shards == ShardPlan(4, None) and not shards.partial
    assert shards.describe() == "shards 0-3 of 4"


def test_ids_are_read_as_numbers_and_ranges() -> None:
    shards = plan(SHARD_COUNT="8", SHARD_IDS="0-2, 5,7", **DATABASE)
    assert shards.ids == (0, 1, 2, 5, 7) and shards.partial
    assert shards.describe() == "shards 0-2,5,7 of 8"


def test_running_some_shards_needs_the_shared_database() -> None:
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        plan(SHARD_COUNT="2", SHARD_IDS="1")
    # All of them in one process needs nothing shared.
    assert plan(SHARD_COUNT="2", SHARD_IDS="0-1").ids == (0, 1)


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_COUNT": "-1"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_COUNT": "99999"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "shard 2 does not exist with SHARD_COUNT=2"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "1-9"}, "shard 9 does not exist"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "3-1"}, "runs backwards"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "one"}, "SHARD_IDS must list shard numbers"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "1,,2"}, "SHARD_IDS must list shard numbers"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "-1"}, "SHARD_IDS must list shard numbers"),
    ],
)
def test_a_bad_shard_setting_says_what_to_write(values: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        Settings.from_values({**values, **DATABASE})


def test_the_shard_of_a_server_is_discords_formula() -> None:
    guild_id = 81384788765712384  # Discord's documentation example
    assert shard_of(guild_id, 1) == 0
    assert shard_of(guild_id, 2) == (guild_id >> 22) % 2
    assert format_ids((0, 1, 2, 4)) == "0-2,4"
