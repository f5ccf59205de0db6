"""Which resources a reply shows: one rule for every renderer (the Discord card and the
terminal card), so a question gets the same resources wherever it is asked.

A confident answer shows its best resource and up to `SEE_ALSO` more, each scoring at least
`SEE_ALSO_SHARE` of the best (and at least the near-miss bar): a weak runner-up would only
distract. An answer that is not confident shows its near misses. Either way a link is shown
once: two parts of one page can be two resources, and the reader should not see the page twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.search import NEAR_MISS_SCORE, Answer, Match

SEE_ALSO = 2  # compact lines under the best card
SEE_ALSO_SHARE = 0.5  # ...each scoring at least this share of the best one


@dataclass(frozen=True)
class Shown:
    """The resources one reply shows: the best match and its runners-up when confident,
    otherwise only the near misses."""

    best: Match | None
    see_also: tuple[Match, ...]
    near_misses: tuple[Match, ...]


def shown(answer: Answer) -> Shown:
    """The resources a reply to `answer` shows, in the order it shows them."""
    best = answer.best
    if best is None:
        return Shown(None, (), tuple(one_per_link(answer.suggestions)))
    bar = max(NEAR_MISS_SCORE, best.score * SEE_ALSO_SHARE)
    fitting = [m for m in answer.results if m.score >= bar]
    # The best card is the first; a runner-up on its page is left out with the rest.
    others = one_per_link([best, *fitting])[1 : SEE_ALSO + 1]
    return Shown(best, tuple(others), ())


def one_per_link(matches: Iterable[Match]) -> list[Match]:
    """`matches` in order, less those whose link an earlier one already shows."""
    seen: set[str] = set()
    kept = []
    for match in matches:
        if match.resource.url not in seen:
            seen.add(match.resource.url)
            kept.append(match)
    return kept
