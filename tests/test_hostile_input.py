"""Hostile input at the places it enters the core: the catalogue loader and the matcher.

Property-based (hypothesis): whatever arrives, the loader either loads a valid catalogue or
reports `PATH:LINE` problems, and the matcher answers in bounded time without raising.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import limits
from bot.catalog import Catalog, CatalogError, load_catalog, parse_catalog
from bot.search import Index

REPO = Path(__file__).resolve().parents[1]
PROBLEM_LINE = re.compile(r"^upload\.yaml:\d+: \S")

yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)
)
yaml_documents = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=12), children, max_size=6),
    ),
    max_leaves=30,
)


@pytest.fixture(scope="module")
def index() -> Index:
    return Index.build(load_catalog(REPO / "data" / "resources.yaml"))


def assert_loads_or_reports(data: bytes) -> None:
    try:
        catalog = parse_catalog(data, "upload.yaml")
    except CatalogError as error:
        assert error.problems, "a refusal must say why"
        for problem in error.problems:
            assert PROBLEM_LINE.match(str(problem)), str(problem)
    else:
        assert isinstance(catalog, Catalog)
        assert len(catalog) > 0


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_loader_survives_any_bytes(data: bytes) -> None:
    assert_loads_or_reports(data)


@settings(max_examples=200, deadline=None)
@given(yaml_documents)
def test_loader_survives_any_yaml_document(document: object) -> None:
    assert_loads_or_reports(yaml.safe_dump(document, allow_unicode=True).encode())


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_loader_survives_a_real_catalogue_with_one_field_broken(data: st.DataObject) -> None:
    document = yaml.safe_load((REPO / "data" / "resources.yaml").read_text(encoding="utf-8"))
    resource = data.draw(st.sampled_from(document["resources"]))
    field = data.draw(st.sampled_from(sorted(resource)))
    resource[field] = data.draw(yaml_documents)
    assert_loads_or_reports(yaml.safe_dump(document, allow_unicode=True).encode())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=limits.STRING_OPTION))
def test_matcher_answers_any_text_quickly(index: Index, question: str) -> None:
    started = time.perf_counter()
    answer = index.ask(question)
    suggestions = index.autocomplete(question)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, f"took {elapsed:.2f} s"
    assert len(answer.results) <= 5 and len(answer.suggestions) <= 3
    assert not (answer.confident and not answer.results)
    assert len(suggestions) <= limits.AUTOCOMPLETE_CHOICES


NASTY_QUESTIONS = [
    "@everyone fine-tune now",
    "@here",
    "<@&123456789012345678> when should I fine-tune",
    "<@123456789012345678>",
    "**bold** _it_ ~~s~~ `code` ```py\nprint(1)\n``` > quote",
    "fine\u200b-\u200btune",
    "\u202eenut-enif\u202c",
    "x" * 6000,
    "🙂" * 2000,
    "?!.,;:-_()[]{}",
    "'; DROP TABLE feedback; --",
    "resources: [&a [*a]]",
    "\x00\x01\x02",
    "",
]


@pytest.mark.parametrize("question", NASTY_QUESTIONS, ids=range(len(NASTY_QUESTIONS)))
def test_nasty_questions_get_a_safe_answer(index: Index, question: str) -> None:
    answer = index.ask(question)
    assert answer.query == question
    assert len(index.autocomplete(question)) <= limits.AUTOCOMPLETE_CHOICES


def test_zero_width_characters_do_not_hide_a_word(index: Index) -> None:
    answer = index.ask("when should I fine\u200b-tune")
    assert answer.best is not None
    assert answer.best.resource.id == "llm-fine-tuning-recommendations"


def test_a_yaml_bomb_is_refused_quickly() -> None:
    bomb = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        refs = ", ".join(f"*{chr(96 + level)}" for _ in range(9))
        bomb.append(f"{chr(97 + level)}: &{chr(97 + level)} [{refs}]")
    started = time.perf_counter()
    with pytest.raises(CatalogError) as caught:
        parse_catalog("\n".join(bomb).encode(), "upload.yaml")
    assert time.perf_counter() - started < 1.0
    assert "anchors and aliases" in str(caught.value)


def test_a_huge_file_is_refused_before_it_is_parsed() -> None:
    huge = b"# " + b"x" * (50 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(CatalogError) as caught:
        parse_catalog(huge, "upload.yaml")
    assert time.perf_counter() - started < 1.0
    assert "MiB" in str(caught.value)


def test_deeply_nested_yaml_is_refused_cleanly() -> None:
    nested = "[" * 5000 + "]" * 5000
    with pytest.raises(CatalogError):
        parse_catalog(nested.encode(), "upload.yaml")
