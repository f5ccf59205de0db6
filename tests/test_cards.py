"""Cards: what a reader sees, in English and Swedish, always within Discord's limits, and
user text that cannot ping, format or break the card."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import cards, limits
from bot.catalog import Catalog, CatalogError, Problem, Resource, load_catalog
from bot.library import CatalogDiff
from bot.search import Answer, Index, Match
from bot.store import FeedbackCount, Stats

DATA = Path(__file__).parents[1] / "data" / "resources.yaml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DATA)


@pytest.fixture(scope="module")
def index(catalog: Catalog) -> Index:
    return Index.build(catalog)


def longest_catalog(count: int = 3) -> Catalog:
    """A catalogue whose every text is as long as the catalogue rules allow."""
    name = {"en": "N" * limits.CATEGORY_NAME, "sv": "Å" * limits.CATEGORY_NAME}
    topics = {f"topic-{i}": dict(name) for i in range(30)}
    resources = tuple(
        Resource(
            id=f"r{i}-" + "x" * 60,
            url="https://example.com/" + "p" * (limits.URL - 30) + f"({i})",
            kind="kind",
            provider="P" * limits.PROVIDER,
            section="section",
            topics=tuple(f"topic-{t}" for t in range(4)),
            title={"en": "T" * limits.TITLE, "sv": "Ä" * limits.TITLE},
            description={"en": "D" * limits.DESCRIPTION, "sv": "Ö" * limits.DESCRIPTION},
        )
        for i in range(count)
    )
    return Catalog(1, ("en", "sv"), {"section": name}, {"kind": name}, topics, resources)


def assert_fits(embed: dict) -> None:
    assert cards.embed_length(embed) <= limits.EMBED_TOTAL
    assert len(embed.get("title", "")) <= limits.EMBED_TITLE
    assert len(embed.get("description", "")) <= limits.EMBED_DESCRIPTION
    assert len(embed.get("footer", {}).get("text", "")) <= limits.EMBED_FOOTER
    for field in embed.get("fields", ()):
        assert 0 < len(field["name"]) <= limits.EMBED_FIELD_NAME
        assert 0 < len(field["value"]) <= limits.EMBED_FIELD_VALUE


def confident(catalog: Catalog, ids: list[str], query: str = "q") -> Answer:
    matches = tuple(Match(catalog.get(i), 1.0, ()) for i in ids)
    return Answer(query, True, matches, ())


@pytest.mark.parametrize("language", ["en", "sv"])
def test_card_has_linked_title_fields_and_colour(catalog: Catalog, language: str) -> None:
    resource = catalog.resources[0]
    embed = cards.resource_card(resource, catalog, language)
    assert embed["title"] == resource.title_in(language)
    assert embed["url"] == resource.url
    assert embed["description"] == resource.description_in(language)
    names = [f["name"] for f in embed["fields"]]
    assert names == (
        ["Kind", "Provider", "Topics"] if language == "en" else ["Typ", "Utgivare", "Ämnen"]
    )
    topics = embed["fields"][2]["value"]
    for topic in resource.topics:
        assert catalog.name_of(catalog.topics, topic, language) in topics
    assert isinstance(embed["color"], int)
    assert_fits(embed)


def test_sections_get_different_colours(catalog: Catalog) -> None:
    colours = {cards.colour_of(r) for r in catalog}
    assert len(colours) == len({r.section for r in catalog})


def test_answer_shows_best_card_and_two_more_as_lines(catalog: Catalog) -> None:
    ids = [r.id for r in catalog.resources[:4]]
    reply = cards.answer_reply(confident(catalog, ids, "when to fine-tune"), catalog, "en")
    assert reply.resource is catalog.resources[0]
    assert reply.content == "Answer to: when to fine\\-tune"
    see_also = reply.embeds[0]["fields"][-1]
    assert see_also["name"] == "Also relevant"
    assert see_also["value"].count("\n") == 1  # two lines, not three
    for other in catalog.resources[1:3]:
        assert other.url in see_also["value"]
    assert catalog.resources[3].url not in see_also["value"]


def test_swedish_answer(catalog: Catalog, index: Index) -> None:
    answer = index.ask("vilka modeller kan finjusteras")
    assert answer.confident
    reply = cards.answer_reply(answer, catalog, "sv")
    assert reply.content.startswith("Svar på: ")
    assert reply.embeds[0]["title"] == answer.best.resource.title_in("sv")
    assert "Var detta till hjälp?" in reply.embeds[0]["footer"]["text"]


@pytest.mark.parametrize("language", ["en", "sv"])
def test_longest_possible_texts_still_fit(language: str) -> None:
    catalog = longest_catalog()
    answer = confident(catalog, [r.id for r in catalog], "?" * 6000)
    reply = cards.answer_reply(answer, catalog, language)
    for embed in reply.embeds:
        assert_fits(embed)
    assert len(reply.content) <= limits.MESSAGE_CONTENT
    page = cards.browse_page(catalog, language, None, 0)
    assert_fits(page.embed)


def test_a_card_over_the_limit_is_shortened_with_an_ellipsis() -> None:
    catalog = longest_catalog()
    resource = catalog.resources[0]
    bigger = Resource(**{**resource.__dict__, "description": {"en": "D" * 9000, "sv": "x"}})
    embed = cards.resource_card(bigger, catalog, "en")
    assert_fits(embed)
    assert embed["description"].endswith("…")


def test_question_cannot_ping_or_format() -> None:
    hostile = (
        "@everyone @here <@123456789012345678> <@&987654321098765432> **bold** "
        "[x](https://evil) `code` ||spoiler||\n# header"
    )
    echoed = cards.echo(hostile)
    assert "@everyone" not in echoed and "@here" not in echoed
    assert not re.search(r"<@[!&]?\d", echoed)  # no user or role mention survives
    assert "**" not in echoed.replace("\\*", "")
    assert "](" not in echoed
    assert "\n" not in echoed
    assert "\\`code\\`" in echoed


def test_long_question_is_shortened_within_its_budget() -> None:
    echoed = cards.echo("_" * 5000, 200)
    assert len(echoed) <= 200
    assert echoed.endswith("…")


def test_near_misses_say_nothing_fits_and_point_to_browse(catalog: Catalog) -> None:
    near = tuple(Match(r, 0.2, ()) for r in catalog.resources[:3])
    answer = Answer("@everyone how do I bake *bread*", False, (), near)
    reply = cards.answer_reply(answer, catalog, "en")
    assert reply.resource is None and not reply.embeds
    assert "No resource fits" in reply.content
    assert "@everyone" not in reply.content
    assert "/resources browse" in reply.content
    for resource in catalog.resources[:3]:
        assert f"<{resource.url}>" in reply.content  # listed without a preview
    swedish = cards.answer_reply(answer, catalog, "sv")
    assert "Ingen resurs passar" in swedish.content and "/resurser bläddra" in swedish.content


def test_autocomplete_choices_fit(catalog: Catalog) -> None:
    long = longest_catalog(40)
    matches = [Match(r, 1.0, ()) for r in long] * 2
    choices = cards.autocomplete_choices(matches, "en")
    assert len(choices) == limits.AUTOCOMPLETE_CHOICES
    assert len({value for _, value in choices}) == len(choices)
    assert all(len(name) <= limits.CHOICE_NAME for name, _ in choices)
    assert all(len(value) <= limits.CHOICE_VALUE for _, value in choices)
    sv = cards.autocomplete_choices([Match(catalog.resources[0], 1, ())], "sv")
    assert sv == [(catalog.resources[0].title_in("sv"), catalog.resources[0].id)]


def test_browse_pages_cover_every_resource_once(catalog: Catalog) -> None:
    seen = []
    first = cards.browse_page(catalog, "en", None, 0)
    for page in range(first.pages):
        rendered = cards.browse_page(catalog, "en", None, page)
        assert rendered.embed["footer"]["text"].startswith(f"Page {page + 1} of {first.pages}")
        seen.extend(r.url for r in catalog if r.url in rendered.embed["description"])
    assert len(set(seen)) == len({r.url for r in catalog})
    assert cards.browse_page(catalog, "en", None, 999).page == first.pages - 1


def test_browse_by_topic_in_swedish(catalog: Catalog) -> None:
    page = cards.browse_page(catalog, "sv", "rag", 0)
    assert page.embed["title"] == "Resurser: RAG (hämtning)"
    assert page.embed["footer"]["text"].startswith("Sida 1 av 1")
    for resource in catalog.with_topic("rag"):
        assert resource.url in page.embed["description"]


def test_topic_menu_options(catalog: Catalog) -> None:
    options = cards.topic_options(catalog, "sv")
    assert options[0] == ("Alla ämnen", "*")
    assert len(options) <= limits.SELECT_OPTIONS
    assert ("Dataförberedelse", "data-preparation") in options
    many = cards.topic_options(longest_catalog(), "en")
    assert len(many) <= limits.SELECT_OPTIONS


def test_diff_text_lists_ids() -> None:
    diff = CatalogDiff(("new-one",), ("old-one",), ("changed-one",), 20)
    message = cards.diff_text(diff, "en")
    assert message.startswith("Catalogue reloaded: 20 resources.")
    assert "**Added (1):** `new-one`" in message
    assert "**Removed (1):** `old-one`" in message
    assert "**Changed (1):** `changed-one`" in message
    unchanged = cards.diff_text(CatalogDiff((), (), (), 20), "sv")
    assert "Ingen resurs ändrades." in unchanged
    huge = CatalogDiff(tuple(f"id-{i}-" + "x" * 50 for i in range(500)), (), (), 500)
    assert len(cards.diff_text(huge, "en")) <= limits.MESSAGE_CONTENT


def test_problems_text_keeps_line_numbers_and_fits() -> None:
    error = CatalogError([Problem("data/resources.yaml", 12, "unknown topic 'tracking'")])
    message = cards.problems_text(error, "en")
    assert "1 problem(s)" in message and "previous" in message
    assert "data/resources.yaml:12: unknown topic 'tracking'" in message
    many = CatalogError([Problem("f.yaml", i, "```" + "y" * 400) for i in range(200)])
    message = cards.problems_text(many, "en", "upload.failed")
    assert len(message) <= limits.MESSAGE_CONTENT
    assert message.count("```") == 2  # the file's text cannot close the code block
    assert "more problem(s)" in message


def test_stats_embed(catalog: Catalog) -> None:
    stats = Stats(
        since=None,
        questions=3,
        most_asked=(("when should I fine-tune", 2),),
        unanswered=(("@everyone bake **bread**", 1),),
        feedback=(FeedbackCount(catalog.resources[0].id, 4, 1),),
    )
    embed = cards.stats_embed(stats, "en", "all", catalog)
    assert embed["title"] == "Questions and feedback: all time"
    most, gaps, votes = (f["value"] for f in embed["fields"])
    assert "**2×** when should I fine\\-tune" in most
    assert "@everyone" not in gaps
    assert "👍 4 · 👎 1" in votes and "OpenAI models" in votes
    assert_fits(embed)
    empty = cards.stats_embed(Stats(None, 0, (), (), ()), "sv", "week", catalog)
    assert [f["value"] for f in empty["fields"]] == ["Inget än."] * 3
    rows = tuple(("q" * 2000, 1) for _ in range(50))
    assert_fits(cards.stats_embed(Stats(None, 50, rows, rows, ()), "en", "day", catalog))


def test_the_core_and_the_cards_do_not_import_discord() -> None:
    import subprocess
    import sys

    code = (
        "import sys, bot, bot.cards, bot.i18n, bot.store, bot.config, bot.library;"
        "assert 'discord' not in sys.modules, 'discord was imported'"
    )
    root = Path(__file__).parents[1]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_only_relevant_resources_are_listed_under_the_card(catalog: Catalog, index: Index) -> None:
    best, weak, unrelated = catalog.resources[:3]
    answer = Answer(
        "q", True, (Match(best, 0.9, ()), Match(weak, 0.3, ()), Match(unrelated, 0.0, ())), ()
    )
    reply = cards.answer_reply(answer, catalog, "en")
    assert [f["name"] for f in reply.embeds[0]["fields"]] == ["Kind", "Provider", "Topics"]
    single = index.ask("qdrant")
    assert single.confident
    fields = cards.answer_reply(single, catalog, "en").embeds[0]["fields"]
    assert "Also relevant" not in [f["name"] for f in fields]


def _sharing_a_link(catalog: Catalog) -> tuple[Resource, Resource]:
    """Two resources of the real catalogue that are parts of one page."""
    by_url: dict[str, Resource] = {}
    for resource in catalog:
        if resource.url in by_url:
            return by_url[resource.url], resource
        by_url[resource.url] = resource
    raise AssertionError("the catalogue has no two resources on one page")


def test_a_link_is_shown_once_under_the_card(catalog: Catalog) -> None:
    first, second = _sharing_a_link(catalog)
    others = [r for r in catalog if r.url != first.url][:2]
    ids = [first.id, second.id, *(r.id for r in others)]
    reply = cards.answer_reply(confident(catalog, ids), catalog, "en")
    see_also = reply.embeds[0]["fields"][-1]["value"]
    assert first.url not in see_also  # the card itself links to that page
    assert all(r.url in see_also for r in others)


def test_a_link_is_shown_once_among_near_misses(catalog: Catalog) -> None:
    first, second = _sharing_a_link(catalog)
    other = next(r for r in catalog if r.url != first.url)
    near = tuple(Match(r, 0.2, ()) for r in (first, second, other))
    reply = cards.answer_reply(Answer("q", False, (), near), catalog, "en")
    assert reply.content.count(f"<{first.url}>") == 1
    assert f"<{other.url}>" in reply.content
