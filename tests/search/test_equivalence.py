"""The fast matcher gives exactly the answers of scoring every resource one by one.

`Index.rank` (and so `ask`) takes shortcuts: postings instead of every resource, one
partition for the best, and the phrase bonus of many at once. `oracles.rank_exhaustively`
computes the same scoring function resource by resource. Both must rank the same resources
in the same order with the same scores, on the real catalogue and on a generated one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from oracles import rank_exhaustively, terms_by_document

from benchmarks import synthetic
from bot.catalog import Catalog, load_catalog, parse_catalog
from bot.search import Index, Match
from bot.search.index import _best_by_score

REPO = Path(__file__).resolve().parents[2]
QUESTION_SETS = [
    REPO / "eval" / "dev.yaml",
    REPO / "tests/data/more_questions.yaml",
]
OWN_QUESTIONS = [
    "when should I fine-tune",
    "fintune gpt 3.5 on azur",
    "vilka modeller kan finjusteras",
    "hur förbereder jag träningsdata",
    "Hyperparametrar för LoRA?",
    "W&B",
    "c++ or c#",
    "GPT-3.5-Turbo 16k",
    "how do I reset my password",
    "best hiking trails near stockholm",
    "lol",
    "???",
    "",
    "fine tune fine tune fine tune",
    "the the the a a of",
    "ÖVERSIKT ÖVER FINJUSTERING",
    "overvaga finjustering",
    "a question that rambles on about many things " * 8,
]
LIMITS = (1, 3, 5, 12)


def _questions_from_sets() -> list[str]:
    found: list[str] = []
    for path in QUESTION_SETS:
        if path.exists():
            found.extend(str(q["q"]) for q in yaml.safe_load(path.read_text())["queries"])
    return found


@pytest.fixture(scope="module")
def real() -> Index:
    return Index.build(load_catalog(REPO / "data" / "resources.yaml"))


@pytest.fixture(scope="module")
def generated() -> tuple[Index, list[str]]:
    catalog: Catalog = parse_catalog(synthetic.catalog_yaml(400, seed=11).encode())
    stream = synthetic.questions(catalog, 120, seed=11)
    return Index.build(catalog), [q.text for q in stream]


def _as_rows(matches: list[Match]) -> list[tuple[str, float, tuple[str, ...]]]:
    return [(m.resource.id, m.score, m.matched) for m in matches]


def _assert_same(fast: list[Match], exhaustive: list[Match], question: str) -> None:
    fast_rows, exhaustive_rows = _as_rows(fast), _as_rows(exhaustive)
    assert [r[0] for r in fast_rows] == [r[0] for r in exhaustive_rows], question
    for (_, fast_score, fast_words), (_, score, words) in zip(
        fast_rows, exhaustive_rows, strict=True
    ):
        assert fast_score == pytest.approx(score, abs=1e-9), question
        assert fast_words == words, question


def _check(index: Index, questions: list[str]) -> None:
    for question in questions:
        exhaustive = rank_exhaustively(index, question, max(LIMITS))
        for limit in LIMITS:
            _assert_same(index.rank(question, limit), exhaustive[:limit], question)
        answer = index.ask(question)
        if answer.confident:  # ask answers with the ranking as it is
            _assert_same(list(answer.results), exhaustive[: len(answer.results)], question)


def test_real_catalogue_fast_path_equals_exhaustive(real: Index) -> None:
    _check(real, _questions_from_sets() + OWN_QUESTIONS)


def test_generated_catalogue_fast_path_equals_exhaustive(
    generated: tuple[Index, list[str]],
) -> None:
    index, questions = generated
    _check(index, questions + OWN_QUESTIONS)


def test_the_real_questions_are_there() -> None:
    """The real-catalogue check above runs on the team's questions, not only ours."""
    assert len(_questions_from_sets()) >= 20


def test_which_question_terms_a_resource_holds_matches_its_full_term_list(
    generated: tuple[Index, list[str]],
) -> None:
    index, questions = generated
    for question in questions[:40]:
        words, _ = index.vocabulary.query_words(question, partial=False)
        terms = {t for word in words for t, _ in word.expansions}
        for doc in range(0, len(index.resources), 7):
            all_terms = terms_by_document(index)[doc]
            assert index.postings.held(doc, terms) == {t for t in terms if t in all_terms}


@pytest.mark.parametrize("count", [1, 49, 50, 51, 800, 1_601, 10_007])
def test_the_best_by_score_are_the_first_of_a_full_sort(count: int) -> None:
    """`_best_by_score` partitions a few documents only; a sort of all of them agrees, with
    ties (many documents score alike) and documents that scored nothing."""
    rng = np.random.default_rng(count)
    rare = rng.random(count) < 0.006
    for scores in (
        rng.random(count),
        rng.integers(0, 3, count).astype(float),
        np.zeros(count),
        np.where(rare, rng.random(count), 0.0),
        np.where(rare, 1.0, 0.0),
        np.round(rng.random(count), 1) * (rng.random(count) < 0.5),
    ):
        for depth in (1, 5, 50):
            expected = sorted(range(count), key=lambda doc: (-scores[doc], doc))[:depth]
            assert _best_by_score(scores, depth).tolist() == expected
