"""Anti-spam: the same resource is not posted publicly twice in one channel within a while."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_ENTRIES = 10_000


@dataclass
class Posting:
    """A public answer: when it was posted and where to find it (None while being sent)."""

    posted_at: float
    jump_url: str | None = None
    message_id: int | None = None


class Cooldowns:
    """Recent public answers per (channel, resource). Claim before posting, then `posted`."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._recent: dict[tuple[int, str], Posting] = {}

    def claim(self, channel_id: int, resource_id: str) -> Posting | None:
        """Reserve the right to post `resource_id` in the channel. Returns None when granted,
        or the earlier posting that is still within the cooldown."""
        if self.seconds <= 0:
            return None
        now = self._clock()
        key = (channel_id, resource_id)
        earlier = self._recent.get(key)
        if earlier is not None and now - earlier.posted_at < self.seconds:
            return earlier
        if len(self._recent) >= MAX_ENTRIES:
            self._forget_expired(now)
        self._recent[key] = Posting(now)
        return None

    def posted(self, channel_id: int, resource_id: str, message_id: int, jump_url: str) -> None:
        """Say where the claimed answer ended up."""
        posting = self._recent.get((channel_id, resource_id))
        if posting is not None:
            posting.message_id = message_id
            posting.jump_url = jump_url

    def release(self, channel_id: int, resource_id: str) -> None:
        """Give up a claim (the answer was not posted)."""
        self._recent.pop((channel_id, resource_id), None)

    def forget_message(self, channel_id: int, message_id: int) -> None:
        """A public answer was deleted: the resource may be posted again at once."""
        for key, posting in list(self._recent.items()):
            if key[0] == channel_id and posting.message_id == message_id:
                del self._recent[key]

    def seconds_since(self, posting: Posting) -> int:
        return max(0, round(self._clock() - posting.posted_at))

    def _forget_expired(self, now: float) -> None:
        for key, posting in list(self._recent.items()):
            if now - posting.posted_at >= self.seconds:
                del self._recent[key]
