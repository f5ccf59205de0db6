"""The confidence model: what makes the bot answer, and that its weights are current."""

from __future__ import annotations

from dataclasses import replace

import pytest

from benchmarks import calibrate
from bot.search import confidence
from bot.search.confidence import Signals

CLEAR = Signals(
    best_score=0.8,
    margin=0.5,
    telling_share=1.0,
    unknown_share=0.0,
    telling_words=2,
    unknown_words=0,
    rarest_match=0.9,
    matched_telling_words=2,
)
OFF_TOPIC = Signals(
    best_score=0.1,
    margin=0.1,
    telling_share=0.2,
    unknown_share=0.8,
    telling_words=4,
    unknown_words=3,
    rarest_match=0.4,
    matched_telling_words=1,
)


def test_a_clear_match_is_answered_and_an_off_topic_one_is_not() -> None:
    assert confidence.is_confident(CLEAR)
    assert not confidence.is_confident(OFF_TOPIC)


@pytest.mark.parametrize(
    "weaker",
    [
        {"telling_share": 0.3},
        {"best_score": 0.2},
        {"unknown_share": 0.6, "unknown_words": 3},
    ],
)
def test_weaker_evidence_never_makes_the_bot_more_sure(weaker: dict) -> None:
    assert confidence.probability(replace(CLEAR, **weaker)) < confidence.probability(CLEAR)


def test_the_weights_are_the_ones_calibration_fits_today() -> None:
    """A matcher change that shifts the signals must refit the model
    (`python -m benchmarks.calibrate`), or the bot answers by a stale rule."""
    examples = calibrate.collect()
    names = set(examples.set_names)
    fitted = calibrate.fit(examples, names)
    assert tuple(fitted[:-1]) == pytest.approx(confidence.WEIGHTS, abs=0.02)
    assert fitted[-1] == pytest.approx(confidence.BIAS, abs=0.02)
