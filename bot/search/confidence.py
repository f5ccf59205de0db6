"""When the matcher answers: a small logistic model over signals of the ranking.

A fixed cut on one number (the share of the question a resource covers) collapses on long,
chatty messages and on catalogues with thin texts: every extra word lowers the share. The
model weighs several signals that search engines use to judge a result, each normalised so
that it means the same on any catalogue and any length of question. Its weights are fitted
by `python -m benchmarks.calibrate` on every public set at once (catalogues with and without hand
hints), and checked catalogue against catalogue before they are kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Signals:
    """What the ranking says about its best resource for one question."""

    best_score: float  # the best resource's score, in [0, 1]
    margin: float  # how far ahead of the second it is, as a share of its score
    telling_share: float  # share of the question's telling words the best resource holds
    unknown_share: float  # share of the question's weight in words no resource has
    telling_words: int  # words of the question that are not everyday words
    unknown_words: int  # words of the question that no resource has
    rarest_match: float  # the rarest telling word the best holds: its idf / the largest idf
    matched_telling_words: int  # telling words of the question the best resource holds

    def features(self) -> tuple[float, ...]:
        """The model's inputs, in field order: counts are taken as log(1 + n), so the fifth
        word counts less than the first."""
        return (
            self.best_score,
            self.margin,
            self.telling_share,
            self.unknown_share,
            math.log1p(self.telling_words),
            math.log1p(self.unknown_words),
            self.rarest_match,
            math.log1p(self.matched_telling_words),
        )


# Fitted by benchmarks/calibrate.py (one weight per feature of Signals, in order, then a bias).
WEIGHTS = (1.06, 0.23, 1.38, -1.12, 0.68, -2.14, 0.04, 2.22)
BIAS = -2.39
ANSWER_PROBABILITY = 0.5  # answer when the model says the question is this likely on topic


def probability(signals: Signals) -> float:
    """How likely the question is one the catalogue answers, by the fitted model."""
    z = BIAS + sum(w * x for w, x in zip(WEIGHTS, signals.features(), strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def is_confident(signals: Signals) -> bool:
    """Whether to answer with the best resource rather than offer near misses."""
    return probability(signals) >= ANSWER_PROBABILITY
