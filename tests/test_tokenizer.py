"""The index build's tokenizer gives every text the words and terms `bot.text` gives it
alone: batching the texts changes nothing a question meets."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import terms_of_texts

from benchmarks import synthetic
from bot import text, tokenizer
from bot.catalog import load_catalog, parse_catalog

SEED = Path(__file__).parents[1] / "data" / "resources.yaml"


def _catalogue_texts(catalog) -> list[str]:  # type: ignore[no-untyped-def]
    texts: list[str] = []
    for resource in catalog:
        texts += [*resource.title.values(), *resource.description.values(), *resource.keywords]
        texts += [q for questions in resource.questions.values() for q in questions]
        texts.append(resource.provider)
    return list(dict.fromkeys(texts))


def _assert_same_as_one_by_one(texts: list[str]) -> None:
    tokens = tokenizer.tokenize(texts)
    words = [text.surface_words(raw) for raw in texts]
    terms = terms_of_texts(words)
    for position, raw in enumerate(texts):
        assert tokens.words_of(position) == words[position], raw
        assert tokens.terms_of(position) == terms[position], raw
    # the titles' and questions' phrases, all at once, in any order
    backwards = np.arange(len(texts))[::-1]
    assert tokens.spaced(backwards) == [" ".join(words[p]) for p in backwards.tolist()]


def test_the_real_catalogue_splits_as_text_by_text() -> None:
    _assert_same_as_one_by_one(_catalogue_texts(load_catalog(SEED)))


def test_a_generated_catalogue_splits_as_text_by_text() -> None:
    catalog = parse_catalog(synthetic.catalog_yaml(300, seed=3).encode())
    _assert_same_as_one_by_one(_catalogue_texts(catalog))


def test_awkward_texts_split_as_text_by_text() -> None:
    _assert_same_as_one_by_one(
        [
            "",
            "fine\ntuning, fine-tuning and finetuning",
            "GPT-3.5 Turbo vs gpt4o, c++ and W&B 1,000 steps",
            "överväga overvaga Överväg",  # a folded term beside its plain form
            "text with the separator \ufffc inside\ufffc",
            "zero\u200bwidth and soft\u00adhyphen",
            "   ",
            "ÅÄÖ ﬁne-tune",  # NFKC: the ligature becomes 'fi'
        ]
    )


_TEXT = st.text(
    st.sampled_from(list("abcdeåäöé 0123456789.,-&+\n\t\u200b\ufffcﬁ_")) | st.characters(),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, max_size=8))
def test_any_texts_split_as_text_by_text(texts: list[str]) -> None:
    _assert_same_as_one_by_one(texts)


def test_no_texts_give_nothing() -> None:
    tokens = tokenizer.tokenize([])
    assert tokens.words == [] or tokens.words == [""]
    assert len(tokens.term_ids) == 0
