"""Which of Discord's gateway shards this process runs (SHARD_COUNT, SHARD_IDS).

Discord splits a bot's servers into shards, server `g` belonging to shard
`(g >> 22) % shard_count`, and asks for sharding from 2,500 servers. One process may run all
shards, or several processes (on one machine or many) each run their own range and share one
PostgreSQL store. Nothing set: discord.py asks Discord how many shards to run and runs them
all in this process.
"""

from __future__ import annotations

from dataclasses import dataclass

# Discord's largest bots run some thousands of shards; a bigger number is a typo.
MAX_SHARD_COUNT = 16_384


class ShardSettingError(ValueError):
    """SHARD_COUNT or SHARD_IDS is malformed; the message names the setting
    (`bot.config` turns it into a `ConfigError`)."""


@dataclass(frozen=True)
class ShardPlan:
    """The shards this process runs: `count` None means Discord's recommendation, all of
    them here; `ids` None means every shard of `count`."""

    count: int | None = None
    ids: tuple[int, ...] | None = None

    @property
    def automatic(self) -> bool:
        """True when Discord decides how many shards there are (nothing configured)."""
        return self.count is None

    @property
    def partial(self) -> bool:
        """True when other processes run the remaining shards (they must share a store)."""
        return self.count is not None and self.ids is not None and len(self.ids) < self.count

    def describe(self) -> str:
        """For the log at start: which shards and of how many."""
        if self.count is None:
            return "shards: as many as Discord recommends, all in this process"
        ids = self.ids if self.ids is not None else tuple(range(self.count))
        return f"shards {format_ids(ids)} of {self.count}"


AUTOMATIC_SHARDS = ShardPlan()


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard that Discord sends a server's events to."""
    return (guild_id >> 22) % shard_count


def format_ids(ids: tuple[int, ...]) -> str:
    """`0-3,7` for (0, 1, 2, 3, 7): how SHARD_IDS is written."""
    parts: list[str] = []
    start = previous = None
    for shard in (*ids, None):
        if shard is not None and previous is not None and shard == previous + 1:
            previous = shard
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = shard
    return ",".join(parts)


def parse_shard_plan(count_text: str | None, ids_text: str | None) -> ShardPlan:
    """The plan from SHARD_COUNT and SHARD_IDS as written (None: not set);
    `ShardSettingError` naming the setting when a value is malformed or an id is not below
    the count."""
    if count_text is None:
        if ids_text is not None:
            raise ShardSettingError(
                "SHARD_IDS needs SHARD_COUNT: set SHARD_COUNT to the number of shards all "
                "processes run together, or leave both empty to run every shard here"
            )
        return AUTOMATIC_SHARDS
    count = _count(count_text)
    if ids_text is None:
        return ShardPlan(count)
    return ShardPlan(count, _ids(ids_text, count))


def _count(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_SHARD_COUNT:
        raise ShardSettingError(
            f"SHARD_COUNT must be a whole number of shards from 1 to {MAX_SHARD_COUNT} (the "
            f"same in every process), got {_shown(text)}; leave it empty to let Discord decide"
        )
    return int(text)


def _ids(text: str, count: int) -> tuple[int, ...]:
    ids: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        first, dash, last = part.partition("-")
        numbers = (first.strip(), last.strip()) if dash else (first.strip(),)
        if not part or not all(n.isascii() and n.isdigit() for n in numbers):
            raise ShardSettingError(
                "SHARD_IDS must list shard numbers and ranges, such as 0,1 or 0-3, "
                f"got {_shown(text)}"
            )
        low, high = int(numbers[0]), int(numbers[-1])
        if low > high:
            raise ShardSettingError(
                f"SHARD_IDS: the range {part} runs backwards; write {high}-{low}"
            )
        if high >= count:
            raise ShardSettingError(
                f"SHARD_IDS: shard {high} does not exist with SHARD_COUNT={count}; shards are "
                f"numbered 0 to {count - 1}"
            )
        ids.update(range(low, high + 1))
    return tuple(sorted(ids))


def _shown(text: str) -> str:
    return repr(text) if len(text) <= 24 and text.isprintable() else f"{len(text)} characters"
