"""The terminal card shows the same resources as the Discord card, with the same labels in
the reader's language, and cannot be turned into terminal control sequences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import cards, terminal
from bot.catalog import Catalog, Resource, load_catalog
from bot.search import Answer, Index, Match

REPO = Path(__file__).parents[1]
QUESTIONS = (
    "when should I fine-tune",
    "vilka modeller kan finjusteras",
    "qlora tutorial",
    "fine-tune phi-2",
    "qdrant rag",
    "function calling",
    "hello",
    "best hiking trails in norway",
    "how much does fine-tuning cost on azure",
    "lora adapters",
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO / "data" / "resources.yaml")


@pytest.fixture(scope="module")
def index(catalog: Catalog) -> Index:
    return Index.build(catalog)


def card_titles(answer: Answer, catalog: Catalog, language: str) -> list[str]:
    """The titles the Discord reply shows, in order: the card, then the lines under it (or
    the near misses)."""
    reply = cards.answer_reply(answer, catalog, language)
    if not reply.embeds:
        return re.findall(r"\[(.+?)\]\(", reply.content or "")
    embed = reply.embeds[0]
    linked = "\n".join(f["value"] for f in embed["fields"])
    return [embed["title"], *re.findall(r"\[(.+?)\]\(", linked)]


def terminal_titles(answer: Answer, catalog: Catalog, language: str) -> list[str]:
    """The titles the terminal card shows, in order."""
    rendered = terminal.render_answer(answer, catalog, language)
    listed = re.findall(r"^  - (.+) \(\S+\)$", rendered, flags=re.MULTILINE)
    return [rendered.splitlines()[0], *listed] if answer.confident else listed


def sharing_a_link(catalog: Catalog) -> tuple[Resource, Resource]:
    by_url: dict[str, Resource] = {}
    for resource in catalog:
        if resource.url in by_url:
            return by_url[resource.url], resource
        by_url[resource.url] = resource
    raise AssertionError("the catalogue has no two resources on one page")


@pytest.mark.parametrize("language", ["en", "sv"])
def test_both_cards_show_the_same_resources_for_real_questions(
    catalog: Catalog, index: Index, language: str
) -> None:
    shown_something = 0
    for question in QUESTIONS:
        answer = index.ask(question)
        titles = terminal_titles(answer, catalog, language)
        assert titles == card_titles(answer, catalog, language), question
        shown_something += len(titles) > 1
    assert shown_something >= 3  # the questions do exercise the lines under the card


def test_a_weak_runner_up_and_a_second_part_of_the_page_are_left_out(catalog: Catalog) -> None:
    first, same_page = sharing_a_link(catalog)
    others = [r for r in catalog if r.url != first.url]
    strong, weak = others[0], others[1]
    answer = Answer(
        "q",
        True,
        (
            Match(first, 0.9, ("fine",)),
            Match(same_page, 0.85, ()),
            Match(weak, 0.2, ()),
            Match(strong, 0.8, ()),
        ),
        (),
    )
    expected = [first.title_in("en"), strong.title_in("en")]
    assert terminal_titles(answer, catalog, "en") == expected
    assert card_titles(answer, catalog, "en") == expected


def test_near_misses_are_listed_once_per_link_in_both(catalog: Catalog) -> None:
    first, same_page = sharing_a_link(catalog)
    other = next(r for r in catalog if r.url != first.url)
    near = tuple(Match(r, 0.2, ()) for r in (first, same_page, other))
    answer = Answer("bake bread", False, (), near)
    expected = [first.title_in("sv"), other.title_in("sv")]
    assert terminal_titles(answer, catalog, "sv") == expected
    assert card_titles(answer, catalog, "sv") == expected


def test_swedish_terminal_card_uses_the_swedish_labels(catalog: Catalog, index: Index) -> None:
    answer = index.ask("vilka modeller kan finjusteras")
    rendered = terminal.render_answer(answer, catalog, "sv")
    assert "Typ: " in rendered and "Utgivare: " in rendered and "Ämnen: " in rendered
    assert "poäng " in rendered and "matchade ord: " in rendered
    assert "Kind:" not in rendered and "score" not in rendered
    best = answer.best.resource
    kind = catalog.name_of(catalog.kinds, best.kind, "sv")
    assert f"Typ: {kind}" in rendered


def test_control_characters_do_not_reach_the_terminal(catalog: Catalog) -> None:
    hostile = "\x1b[2J\x1b]0;pwned\x07 bake \u202ebread"
    rendered = terminal.render_answer(Answer(hostile, False, (), ()), catalog, "en")
    assert "\x1b" not in rendered and "\x07" not in rendered and "\u202e" not in rendered
    assert rendered.startswith("No resource fits “[2J]0;pwned bake bread”")
