"""Fit the confidence model's weights: `python -m benchmarks.calibrate`.

For every question of every public set, the matcher's signals (`Index.signals`) and whether
the question is on topic. A logistic regression (Newton's method, a little L2) is fitted with
each set and each class weighing the same, so no catalogue and neither kind of question
dominates. Before the weights are printed, the fit is checked catalogue against catalogue: for each
catalogue, trained on the other catalogues' sets and measured on its own. Copy the printed
WEIGHTS and BIAS into `bot/search/confidence.py` only if those checks hold.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from benchmarks.quality import PUBLIC_SETS, QualitySet
from bot.search import Index, confidence

L2 = 1.0
NEWTON_STEPS = 50


@dataclass
class Examples:
    """Features, labels (1: on topic) and the set each question comes from."""

    features: np.ndarray
    on_topic: np.ndarray
    set_names: list[str]


def collect(sets: tuple[QualitySet, ...] = PUBLIC_SETS) -> Examples:
    """The signals of every question of `sets` (questions nothing matches are left out: the
    matcher refuses them before the model is asked)."""
    rows, labels, names = [], [], []
    for quality_set in sets:
        index = Index.build(quality_set.catalog())
        for query in quality_set.queries():
            signals = index.signals(query.text)
            if signals is not None:
                rows.append(signals.features())
                labels.append(0.0 if query.off_topic else 1.0)
                names.append(quality_set.name)
    return Examples(np.array(rows), np.array(labels), names)


def fit(examples: Examples, keep: set[str]) -> np.ndarray:
    """Logistic regression weights (bias last) on the sets named in `keep`."""
    chosen = np.array([name in keep for name in examples.set_names])
    x = np.c_[examples.features[chosen], np.ones(int(chosen.sum()))]
    y = examples.on_topic[chosen]
    names = np.array(examples.set_names)[chosen]
    sample_weight = np.zeros(len(y))
    for name in keep:  # each set, and each class within it, weighs the same
        for label in (0.0, 1.0):
            cell = (names == name) & (y == label)
            if cell.any():
                sample_weight[cell] = 1.0 / cell.sum()
    penalty = L2 * np.diag(np.r_[np.ones(x.shape[1] - 1), 0.0]) / len(keep)
    weights = np.zeros(x.shape[1])
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-x @ weights))
        gradient = x.T @ (sample_weight * (p - y)) + penalty @ weights
        hessian = (x.T * (sample_weight * p * (1 - p))) @ x + penalty
        weights -= np.linalg.solve(hessian, gradient)
    return weights


def accuracy(examples: Examples, weights: np.ndarray, name: str) -> tuple[float, float]:
    """On set `name`: the share of on-topic questions the model lets through, and the share
    of off-topic ones it stops."""
    chosen = np.array([n == name for n in examples.set_names])
    z = np.c_[examples.features[chosen], np.ones(int(chosen.sum()))] @ weights
    answers = 1.0 / (1.0 + np.exp(-z)) >= confidence.ANSWER_PROBABILITY
    on = examples.on_topic[chosen] == 1.0
    return float(answers[on].mean()), float((~answers[~on]).mean()) if (~on).any() else 1.0


def main() -> int:
    """Check the fit catalogue against catalogue (trained without one catalogue's sets,
    measured on them), then print the weights fitted on every set."""
    examples = collect()
    catalogues: dict[object, set[str]] = {}
    for quality_set in PUBLIC_SETS:
        catalogues.setdefault(quality_set.catalog_path, set()).add(quality_set.name)
    everything = {s.name for s in PUBLIC_SETS}
    for left_out in catalogues.values():
        weights = fit(examples, everything - left_out)
        print(f"trained without {sorted(left_out)}:")
        for name in sorted(left_out):
            through, stopped = accuracy(examples, weights, name)
            print(f"  {name:<18} on-topic answered {through:.2f}, off-topic refused {stopped:.2f}")
    weights = fit(examples, everything)
    print("trained on every set:")
    for name in sorted(everything):
        through, stopped = accuracy(examples, weights, name)
        print(f"  {name:<18} on-topic answered {through:.2f}, off-topic refused {stopped:.2f}")
    print(f"WEIGHTS = {tuple(round(float(w), 2) for w in weights[:-1])}")
    print(f"BIAS = {round(float(weights[-1]), 2)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
