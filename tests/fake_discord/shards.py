"""Gateway sharding as Discord does it: which shard a guild's events go to, and what an
IDENTIFY's ``shard`` field must hold.

Discord sends a guild's events to shard ``(guild_id >> 22) % shard_count`` only, and direct
messages to shard 0. A session that identifies with a shard id out of range is closed with
4010; one that asks for fewer shards than the bot needs (or for none) with 4011.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

INVALID_SHARD = 4010
SHARDING_REQUIRED = 4011

ID_LOW_BITS = 22  # below the milliseconds of a snowflake


class ShardRefused(Exception):
    """The IDENTIFY's shard field is one Discord refuses; ``code`` closes the socket."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard a guild's events go to."""
    return (guild_id >> ID_LOW_BITS) % shard_count


def id_on_shard(new_id: Callable[[], int], shard: int, shard_count: int) -> int:
    """A new snowflake whose guild would live on ``shard``: its milliseconds moved forward
    (less than ``shard_count`` ms) until they fall there."""
    if not 0 <= shard < shard_count:
        raise ValueError(f"shard {shard} is not one of the {shard_count} shards")
    fresh = new_id()
    milliseconds = fresh >> ID_LOW_BITS
    milliseconds += (shard - milliseconds) % shard_count
    return (milliseconds << ID_LOW_BITS) | (fresh & ((1 << ID_LOW_BITS) - 1))


def identified_shard(data: dict[str, Any], shard_count: int) -> tuple[int, int]:
    """``(shard_id, shard_count)`` from an IDENTIFY's data (none given: shard 0 of 1), or
    ``ShardRefused`` as Discord would refuse it for a bot that needs ``shard_count``."""
    shard = data.get("shard")
    if shard is None:
        shard = [0, 1]
    if (
        not isinstance(shard, list)
        or len(shard) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in shard)
    ):
        raise ShardRefused(INVALID_SHARD, f"shard must be [shard_id, shard_count], got {shard!r}")
    shard_id, count = shard
    if count < 1 or not 0 <= shard_id < count:
        raise ShardRefused(INVALID_SHARD, f"shard {shard_id} of {count} does not exist")
    if count < shard_count:
        raise ShardRefused(
            SHARDING_REQUIRED, f"{count} shard(s) asked for; this bot needs {shard_count}"
        )
    return shard_id, count
