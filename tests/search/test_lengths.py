"""Resource length: a long text shares words with any question, and must not win on that."""

from __future__ import annotations

import numpy as np

from bot.catalog import parse_catalog
from bot.search import Index
from bot.search.lengths import factors

LONG = (
    "This long guide walks through data preparation, hyperparameters, evaluation, costs, "
    "deployment, monitoring, safety reviews, prompt design, tokenizers, model choice, "
    "regions, quotas, notebooks, the command line and vector search, with many examples "
    "of each and links to further reading for every step along the way."
)
CATALOGUE = f"""version: 1
languages: [en]
sections: {{docs: {{en: Docs}}}}
kinds: {{page: {{en: Page}}}}
topics: {{misc: {{en: Misc}}}}
resources:
  - id: guide
    url: https://example.com/1
    kind: page
    provider: Example
    section: docs
    topics: [misc]
    title: {{en: The complete guide}}
    description: {{en: "{LONG}"}}
  - id: practice
    url: https://example.com/2
    kind: page
    provider: Example
    section: docs
    topics: [misc]
    title: {{en: In practice}}
    description: {{en: Vector search in practice.}}
"""


def test_a_short_text_beats_a_long_one_holding_the_same_words() -> None:
    index = Index.build(parse_catalog(CATALOGUE.encode()))
    assert [m.resource.id for m in index.rank("vector search", 2)] == ["practice", "guide"]


def test_length_only_ever_lowers_what_words_earn() -> None:
    counts = np.array([0, 5, 20, 80], dtype=np.int32)
    found = factors(counts)
    assert found[0] == 1.0
    assert np.all(np.diff(found) < 0)
    assert np.all((found > 0) & (found <= 1.0))


def test_a_catalogue_of_equal_lengths_keeps_its_order() -> None:
    found = factors(np.array([12, 12, 12], dtype=np.int32))
    assert len(set(found.tolist())) == 1
