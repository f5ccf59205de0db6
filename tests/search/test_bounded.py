"""The question-word caches stay within their budget, and forgetting changes no answer."""

from __future__ import annotations

import pytest

from benchmarks import synthetic
from bot.catalog import parse_catalog
from bot.search import Index, vocabulary
from bot.search.bounded import BoundedCache


def test_a_cache_past_its_budget_starts_again_with_the_newest() -> None:
    cache: BoundedCache[str, int] = BoundedCache(budget=10)
    cache.remember("a", 1, size=4)  # 5 units
    cache.remember("b", 2, size=3)  # 9
    assert cache == {"a": 1, "b": 2}
    cache.remember("c", 3, size=1)  # 11: over, so only "c" is kept
    assert cache == {"c": 3}
    assert cache.used == 2


def test_an_entry_larger_than_the_budget_is_still_answered_from() -> None:
    cache: BoundedCache[str, int] = BoundedCache(budget=3)
    cache.remember("big", 1, size=10)
    assert cache["big"] == 1


def test_many_new_words_keep_every_cache_within_its_budget_and_answers_unchanged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalog = parse_catalog(synthetic.catalog_yaml(300, seed=5).encode())
    stream = synthetic.questions(catalog, 150, seed=5)
    roomy = Index.build(catalog)
    monkeypatch.setattr(vocabulary, "CACHE_BUDGET", 60)
    tight = Index.build(catalog)
    caches = [tight.vocabulary._word_cache, tight.vocabulary._expansion_cache]
    emptied = 0
    for question in stream:
        before = sum(len(cache) for cache in caches)
        assert tight.ask(question.text) == roomy.ask(question.text)
        for prefix in question.prefixes:
            assert tight.autocomplete(prefix) == roomy.autocomplete(prefix)
        emptied += sum(len(cache) for cache in caches) < before
        assert all(cache.used <= 60 or len(cache) == 1 for cache in caches)
    assert emptied, "the stream never filled a cache: the test shows nothing"
