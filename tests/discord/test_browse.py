"""/resources show and /resources browse: cards by id, pages, the topic menu, and lists that
only their opener can page."""

from __future__ import annotations

import pytest
from fake_discord import FakeDiscord

from bot.discord.client import ResourceBot


async def test_show_picks_a_resource_by_autocomplete(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice = fake_discord.member("alice")
    choices = await fake_discord.autocomplete(
        alice, "resources", "show", focused="resource", value="qdrant"
    )
    assert 1 <= len(choices) <= 25
    resource = bot.library.current.catalog.get(choices[0]["value"])
    assert "qdrant" in resource.id
    reply = await fake_discord.slash(alice, "resources", "show", resource=resource.id)
    assert not reply.ephemeral
    assert reply.embeds[0]["title"] == resource.title_in("en")
    assert [b.get("label") for b in reply.buttons] == ["Open", "Helpful", "Not helpful", "Delete"]


async def test_show_in_swedish(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    sven = fake_discord.member("sven", locale="sv-SE")
    resource = bot.library.current.catalog.resources[0]
    reply = await fake_discord.slash(sven, "resurser", "visa", resource=resource.id)
    assert reply.embeds[0]["title"] == resource.title_in("sv")
    assert [f["name"] for f in reply.embeds[0]["fields"]] == ["Typ", "Utgivare", "Ämnen"]


async def test_show_an_unknown_resource(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    alice = fake_discord.member("alice")
    reply = await fake_discord.slash(alice, "resources", "show", resource="zzzz-qqqq")
    assert reply.ephemeral and "There is no resource" in reply.content


async def test_browse_pages_through_every_resource(
    fake_discord: FakeDiscord, bot: ResourceBot
) -> None:
    alice = fake_discord.member("alice")
    listing = await fake_discord.slash(alice, "resources", "browse")
    assert not listing.ephemeral
    total = len(bot.library.current.catalog)
    pages = -(-total // 5)
    assert listing.embeds[0]["footer"]["text"] == f"Page 1 of {pages} · {total} resources"
    assert listing.shown.button("Previous")["disabled"]
    seen = set()
    for page in range(1, pages + 1):
        text = listing.shown.embeds[0]["description"]
        seen.update(r.id for r in bot.library.current.catalog if r.url in text)
        assert listing.shown.embeds[0]["footer"]["text"].startswith(f"Page {page} of {pages}")
        if page < pages:
            turned = await fake_discord.press(alice, listing, "Next")
            assert turned.updated and not turned.refused
    assert len(seen) == total
    assert listing.shown.button("Next").get("disabled")
    back = await fake_discord.press(alice, listing, "Previous")
    assert back.updated
    assert listing.shown.embeds[0]["footer"]["text"].startswith(f"Page {pages - 1} of")


@pytest.mark.parametrize(
    ("locale", "title"),
    [("en-US", "Resources: RAG (retrieval)"), ("sv-SE", "Resurser: RAG (hämtning)")],
)
async def test_topic_menu_filters_the_list(
    fake_discord: FakeDiscord, bot: ResourceBot, locale: str, title: str
) -> None:
    alice = fake_discord.member("alice", locale=locale)
    listing = await fake_discord.slash(alice, "resources", "browse")
    await fake_discord.select(alice, listing, "rag")
    embed = listing.shown.embeds[0]
    assert embed["title"] == title
    for resource in bot.library.current.catalog.with_topic("rag"):
        assert resource.url in embed["description"]
    await fake_discord.select(alice, listing, "*")
    assert listing.shown.embeds[0]["title"] in ("Resources", "Resurser")


async def test_browse_by_topic_option(fake_discord: FakeDiscord, bot: ResourceBot) -> None:
    sven = fake_discord.member("sven", locale="sv-SE")
    choices = await fake_discord.autocomplete(
        sven, "resurser", "bläddra", focused="topic", value="data"
    )
    assert {"name": "Dataförberedelse", "value": "data-preparation"} in choices
    listing = await fake_discord.slash(sven, "resurser", "bläddra", topic="data-preparation")
    assert listing.embeds[0]["title"] == "Resurser: Dataförberedelse"
    typed = await fake_discord.slash(sven, "resurser", "bläddra", topic="Dataförberedelse")
    assert typed.embeds[0]["title"] == "Resurser: Dataförberedelse"
    unknown = await fake_discord.slash(sven, "resurser", "bläddra", topic="baking")
    assert unknown.ephemeral and "Det finns inget ämne" in unknown.content


@pytest.mark.parametrize(
    ("locale", "refusal"),
    [("en-US", "Only the person who opened this list"), ("sv-SE", "Bara den som öppnade listan")],
)
async def test_only_the_opener_can_page(
    fake_discord: FakeDiscord, bot: ResourceBot, locale: str, refusal: str
) -> None:
    alice = fake_discord.member("alice")
    listing = await fake_discord.slash(alice, "resources", "browse")
    bob = fake_discord.member("bob", locale=locale)
    refused = await fake_discord.press(bob, listing, "Next")
    assert refused.ephemeral and refusal in refused.content
    picked = await fake_discord.select(bob, listing, "rag")
    assert picked.ephemeral and refusal in picked.content
    assert listing.shown.embeds[0]["footer"]["text"].startswith("Page 1 of")
    assert listing.shown.embeds[0]["title"] == "Resources"
