"""How long each resource's text is, and how much that tempers what its words earn.

A resource with a long title and description holds many words, so it shares a word or two
with almost any question; on a catalogue of uneven texts the longest win questions about
something else. BM25 answers this with length normalisation: a word found in a long text
says less than one found in a short text. The matcher counts a word once per resource, so
the factor is BM25's for a word found once (term frequency 1), taken per resource.
"""

from __future__ import annotations

import numpy as np

from bot import tokenizer

LENGTH_NORMALISATION = 0.2  # BM25's b: how far a resource's length is held against it
SATURATION = 1.2  # BM25's k1
MEASURED_FIELDS = ("title", "description")  # the resource's own prose; hints are not counted


def word_counts(
    tokens: tokenizer.Tokenized,
    occurrences: np.ndarray,
    sizes: np.ndarray,
    fields: list[str],
) -> np.ndarray:
    """Each resource's number of words in MEASURED_FIELDS. `occurrences` are the text
    numbers (in `tokens`) of every (resource, field), fields in `fields` order, and `sizes`
    how many texts each (resource, field) has."""
    per_text = np.diff(tokens.word_starts)[occurrences]
    row_of_text = np.repeat(np.arange(len(sizes)), sizes)
    by_row = np.bincount(row_of_text, weights=per_text, minlength=len(sizes))
    by_field = by_row.reshape(-1, len(fields))
    measured = [fields.index(name) for name in MEASURED_FIELDS]
    return by_field[:, measured].sum(axis=1).astype(np.int32)


def factors(counts: np.ndarray) -> np.ndarray:
    """What each resource's words earn, as a share of what they would in a text of no
    length: 1 for the shortest, less the longer the text is beside the catalogue's average."""
    if not len(counts):
        return np.ones(0)
    relative = counts / max(float(counts.mean()), 1.0)
    b, k1 = LENGTH_NORMALISATION, SATURATION
    return (1.0 + k1 * (1.0 - b)) / (1.0 + k1 * (1.0 - b + b * relative))
