"""Anti-flood: each person may ask only so many questions a minute (a token bucket each).

A person's bucket holds up to a minute's worth of questions and refills steadily, so a burst
within the allowance is answered at once, and a flood is slowed to the allowed rate without
touching anyone else's.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

SECONDS_PER_MINUTE = 60.0
MAX_PEOPLE = 10_000  # buckets kept before the full ones (people who went quiet) are dropped


@dataclass
class _Bucket:
    questions: float  # how many questions the person may ask right now
    updated: float  # when `questions` was last brought up to date


class QuestionLimiter:
    """How many questions each person may still ask: `per_minute` at most, refilled over a
    minute. `per_minute` 0 means no limit."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._buckets: dict[int, _Bucket] = {}

    def take(self, user_id: int) -> float:
        """Count one question of `user_id`. Returns 0 when it may be asked, else the seconds
        until it may (and then it is not counted)."""
        if self.per_minute <= 0:
            return 0.0
        now = self._clock()
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= MAX_PEOPLE:
                self._forget_the_quiet(now)
            bucket = self._buckets[user_id] = _Bucket(float(self.per_minute), now)
        bucket.questions = self._refilled(bucket, now)
        bucket.updated = now
        if bucket.questions >= 1:
            bucket.questions -= 1
            return 0.0
        return (1 - bucket.questions) / self._per_second

    @property
    def _per_second(self) -> float:
        return self.per_minute / SECONDS_PER_MINUTE

    def _refilled(self, bucket: _Bucket, now: float) -> float:
        gained = (now - bucket.updated) * self._per_second
        return min(float(self.per_minute), bucket.questions + gained)

    def _forget_the_quiet(self, now: float) -> None:
        """Drop the buckets that are full again: they are the same as having none."""
        for user_id, bucket in list(self._buckets.items()):
            if self._refilled(bucket, now) >= self.per_minute:
                del self._buckets[user_id]
