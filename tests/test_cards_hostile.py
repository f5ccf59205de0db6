"""Cards built from hostile text: whatever the catalogue holds (within the loader's limits) and
whatever people ask, every payload the bot renders passes Discord's own checks (its API
description plus the 6000-character total, via the fake Discord's contract) and mentions no one.

Property-based (hypothesis): resources, questions, near misses, pages, reports and problem lists
are drawn from any unicode, seasoned with mentions, Markdown, zero-width and right-to-left marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fake_discord import Contract
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import cards, limits
from bot.catalog import ID_PATTERN, Catalog, CatalogError, Problem, Resource
from bot.library import CatalogDiff
from bot.search import Answer, Match
from bot.store import FeedbackCount, Stats

LIVE_MENTION = re.compile(r"@everyone|@here|<@[!&]?[0-9]+>")
NOT_SHOWN = frozenset({"url", "custom_id", "value", "color", "type"})  # keys Discord never renders
NO_MENTIONS = {"parse": []}  # what the client sets on every message (bot/discord/client.py)

HOSTILE_PIECES = [
    "@everyone",
    "@here",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&123456789012345678>",
    "@",
    "<@",
    ">",
    "&",
    "```",
    "**",
    "[x](https://evil.example)",
    "\\",
    "\u200b",
    "\u202e",
    "\u2066",
    "\n",
    "🙂",
    "👨‍👩‍👧",
    "é",
]
pieces = st.one_of(st.text(max_size=30), st.sampled_from(HOSTILE_PIECES))
HYPOTHESIS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def catalog_text(limit: int) -> st.SearchStrategy[str]:
    """Text the loader accepts for a field of at most `limit` characters: non-empty, stripped,
    often as long as allowed."""

    def fit(parts: list[str], repeat: int) -> str:
        joined = "".join(parts) or "x"
        return (joined * repeat)[:limit].strip() or "x"

    short = st.lists(pieces, min_size=1, max_size=6)
    return st.builds(fit, short, st.sampled_from([1, 1, 2, 50, limit]))


def question_text() -> st.SearchStrategy[str]:
    """What someone may type or post: any unicode, up to Discord's option length."""
    return st.builds(
        lambda parts, repeat: ("".join(parts) * repeat)[: limits.STRING_OPTION],
        st.lists(pieces, max_size=8),
        st.sampled_from([1, 1, 3, 1000]),
    )


def url_text() -> st.SearchStrategy[str]:
    """URLs the loader accepts: http(s), a host, no space, at most one '?' and none after '#'."""
    path_alphabet = st.characters(blacklist_characters=" ?#", blacklist_categories=("Cs",))
    path = st.one_of(st.text(path_alphabet, max_size=40), st.sampled_from(HOSTILE_PIECES))
    host = st.sampled_from(["example.org", "learn.microsoft.com", "xn--smrgs-gra.se", "a.b:8080"])

    def build(scheme: str, host: str, parts: list[str], query: str, fragment: str) -> str:
        url = f"{scheme}://{host}/" + "/".join(p.replace(" ", "").strip() for p in parts)
        url += f"?{query}" if query else ""
        url += f"#{fragment}" if fragment else ""
        return url.strip()[: limits.URL]

    query = st.text(path_alphabet, max_size=20)
    return st.builds(
        build, st.sampled_from(["http", "https"]), host, st.lists(path, max_size=5), query, query
    )


identifiers = st.from_regex(ID_PATTERN, fullmatch=True)


def localized(limit: int) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({"en": catalog_text(limit), "sv": catalog_text(limit)})


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """A whole catalogue as the loader would return it, with hostile text everywhere."""
    topic_ids = draw(st.lists(identifiers, min_size=1, max_size=4, unique=True))
    names = localized(limits.CATEGORY_NAME)
    topics = {topic: draw(names) for topic in topic_ids}
    resource_ids = draw(st.lists(identifiers, min_size=1, max_size=6, unique=True))
    resources = tuple(
        Resource(
            id=resource_id,
            url=draw(url_text()),
            kind="kind",
            provider=draw(catalog_text(limits.PROVIDER)),
            section=draw(st.sampled_from(["primary", "secondary", "other"])),
            topics=tuple(draw(st.lists(st.sampled_from(topic_ids), min_size=1, unique=True))),
            title=draw(localized(limits.TITLE)),
            description=draw(localized(limits.DESCRIPTION)),
        )
        for resource_id in resource_ids
    )
    sections = {s: draw(names) for s in ("primary", "secondary", "other")}
    return Catalog(1, ("en", "sv"), sections, {"kind": draw(names)}, topics, resources)


@st.composite
def answers(draw: st.DrawFn, catalog: Catalog) -> Answer:
    """An answer to a hostile question: confident with ranked results, or near misses."""
    question = draw(question_text())
    picked = draw(st.lists(st.sampled_from(catalog.resources), min_size=1, max_size=5))
    scores = sorted(draw(st.lists(st.floats(0, 1), min_size=len(picked), max_size=len(picked))))
    matches = tuple(Match(r, s, ()) for r, s in zip(picked, reversed(scores), strict=True))
    if draw(st.booleans()):
        return Answer(question, True, matches, ())
    return Answer(question, False, (), matches[:3])


def shown_texts(payload: Any, key: str = "") -> Iterator[str]:
    """Every string of a payload that Discord shows people (not URLs, ids or values)."""
    if isinstance(payload, str):
        if key not in NOT_SHOWN:
            yield payload
    elif isinstance(payload, dict):
        for name, value in payload.items():
            yield from shown_texts(value, name)
    elif isinstance(payload, list | tuple):
        for item in payload:
            yield from shown_texts(item, key)


def assert_safe(contract: Contract, operation_id: str, body: dict[str, Any]) -> None:
    """Discord would take `body`, and nothing in it could ping anyone."""
    violations = contract.check(operation_id, body)
    assert not violations, "\n".join(map(str, violations))
    for shown in shown_texts(body):
        assert not LIVE_MENTION.search(shown), f"live mention in {shown[:300]!r}"


def message(reply: cards.Reply) -> dict[str, Any]:
    body: dict[str, Any] = {"embeds": list(reply.embeds), "allowed_mentions": NO_MENTIONS}
    if reply.content is not None:
        body["content"] = reply.content
    return body


def answered(data: dict[str, Any]) -> dict[str, Any]:
    return {"type": 4, "data": data}


@HYPOTHESIS
@given(catalog=catalogs(), data=st.data())
def test_everything_shown_from_a_hostile_catalogue_fits_and_cannot_ping(
    discord_contract: Contract, catalog: Catalog, data: st.DataObject
) -> None:
    for language in ("en", "sv"):
        answer = data.draw(answers(catalog))
        reply = cards.answer_reply(answer, catalog, language)
        assert_safe(discord_contract, "create_interaction_response", answered(message(reply)))
        if answer.confident:
            assert reply.embeds, "a confident answer shows its card"
        else:
            assert not reply.embeds and reply.content, "no card, but a note with near misses"

        for resource in catalog:
            reply = cards.resource_reply(resource, catalog, language)
            assert_safe(discord_contract, "create_interaction_response", answered(message(reply)))

        options = cards.topic_options(catalog, language)
        menu = {
            "type": 1,
            "components": [
                {
                    "type": 3,
                    "custom_id": "rb:tp:1",
                    "options": [{"label": label, "value": value} for label, value in options],
                }
            ],
        }
        for topic in (None, *catalog.topics):
            page = cards.browse_page(catalog, language, topic, data.draw(st.integers(-1, 3)))
            body = {"embeds": [page.embed], "components": [menu], "allowed_mentions": NO_MENTIONS}
            assert_safe(discord_contract, "create_interaction_response", answered(body))

        matches = [Match(resource, 1.0, ()) for resource in catalog]
        choices = cards.autocomplete_choices(matches, language)
        suggestions = [{"name": name, "value": value} for name, value in choices]
        body = {"type": 8, "data": {"choices": suggestions}}
        violations = discord_contract.check("create_interaction_response", body)
        assert not violations, "\n".join(map(str, violations))


@HYPOTHESIS
@given(catalog=catalogs(), language=st.sampled_from(["en", "sv"]), data=st.data())
def test_stats_report_fits_and_cannot_ping(
    discord_contract: Contract, catalog: Catalog, language: str, data: st.DataObject
) -> None:
    asked = st.tuples(question_text(), st.integers(1, 10**9))
    ids = st.one_of(st.sampled_from([r.id for r in catalog]), identifiers)
    votes = st.builds(FeedbackCount, ids, st.integers(0, 10**9), st.integers(0, 10**9))
    stats = Stats(
        since=data.draw(st.one_of(st.none(), st.floats(0, 4e9))),
        questions=data.draw(st.integers(0, 10**12)),
        most_asked=tuple(data.draw(st.lists(asked, max_size=10))),
        unanswered=tuple(data.draw(st.lists(asked, max_size=10))),
        feedback=tuple(data.draw(st.lists(votes, max_size=10))),
        available=data.draw(st.booleans()),
    )
    period = data.draw(st.sampled_from(list(cards.PERIOD_SECONDS)))
    embed = cards.stats_embed(stats, language, period, catalog)
    body = {"content": "", "embeds": [embed], "allowed_mentions": NO_MENTIONS, "flags": 64}
    assert_safe(discord_contract, "execute_webhook", body)


@HYPOTHESIS
@given(
    language=st.sampled_from(["en", "sv"]),
    problems=st.lists(
        st.builds(Problem, catalog_text(200), st.integers(1, 10**6), question_text()),
        min_size=1,
        max_size=40,
    ),
    ids=st.lists(identifiers, max_size=80),
)
def test_moderator_reports_fit_and_cannot_ping(
    discord_contract: Contract, language: str, problems: list[Problem], ids: list[str]
) -> None:
    refused = cards.problems_text(CatalogError(problems), language)
    third = len(ids) // 3
    diff = CatalogDiff(
        tuple(ids[:third]), tuple(ids[third : 2 * third]), tuple(ids[2 * third :]), 9
    )
    for content in (refused, cards.diff_text(diff, language, "upload.done")):
        body = {"content": content, "allowed_mentions": NO_MENTIONS, "flags": 64}
        assert_safe(discord_contract, "execute_webhook", body)


def test_the_checks_catch_what_they_look_for(discord_contract: Contract) -> None:
    with pytest.raises(AssertionError, match="live mention"):
        assert_safe(discord_contract, "execute_webhook", {"content": "hi <@&12>"})
    with pytest.raises(AssertionError, match="maxLength 256"):
        assert_safe(
            discord_contract,
            "create_interaction_response",
            answered({"embeds": [{"title": "x" * 257}]}),
        )


def test_links_are_percent_encoded_only_where_a_url_needs_it() -> None:
    swedish = "https://sv.wikipedia.org/wiki/Maskininlärning#Historia"
    assert cards.web_url(swedish) == "https://sv.wikipedia.org/wiki/Maskininl%C3%A4rning#Historia"
    plain = "https://learn.microsoft.com/a/b?tabs=turbo%2Cpython&x=(1)#c"
    assert cards.web_url(plain) == plain
    assert cards.web_url("https://a.example/<@&1>/50%") == "https://a.example/%3C@&1%3E/50%25"


def test_catalogue_text_that_mentions_people_reads_the_same_but_pings_no_one() -> None:
    title = "@everyone: new <@&123456789012345678> course"
    resource = Resource(
        id="r",
        url="https://example.org/@everyone",
        kind="k",
        provider="@here",
        section="s",
        topics=("t",),
        title={"en": title},
        description={"en": "d"},
    )
    catalog = Catalog(1, ("en",), {"s": {"en": "S"}}, {"k": {"en": "K"}}, {"t": {"en": "T"}}, ())
    card = cards.resource_card(resource, catalog, "en", see_also=[resource])
    assert card["title"].replace("\u200b", "") == title
    assert not any(LIVE_MENTION.search(text) for text in shown_texts(card))
    near = cards.near_miss_text(Answer("q", False, (), (Match(resource, 0.2, ()),)), "en")
    assert "https://example.org/%40everyone" in near and not LIVE_MENTION.search(near)
