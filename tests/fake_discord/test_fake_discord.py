"""The fake Discord, proven with a small stand-in discord.py bot (the real bot has its own tests).

The stand-in uses what the real bot uses: slash commands with options, choices, autocomplete
and a subcommand group, a message context menu, a view with buttons and a select, ephemeral
replies, defer + followup + edit, a channel message with an embed and its deletion, a file,
and Swedish command names through an ``app_commands.Translator``.
"""

from __future__ import annotations

import asyncio
import io
import json
import zlib
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.app_commands import Choice, locale_str
from discord.ext import commands

from fake_discord import (
    Contract,
    FakeDiscord,
    NoAnswer,
    SpecNotFound,
    Upload,
    connected,
    default_spec_path,
    load_for_tests,
)

Connect = Callable[..., Awaitable[discord.Client]]

QUESTIONS = [f"when should I fine-tune model {n}" for n in range(40)] + ["what is LoRA"]
SWEDISH = {
    "ask": "fråga",
    "Ask for a learning resource": "Be om en lärresurs",
    "What you want to learn": "Vad du vill lära dig",
}


class SwedishTranslator(app_commands.Translator):
    """Command names and descriptions in Swedish, from a small table."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table

    async def translate(
        self, string: locale_str, locale: discord.Locale, context: app_commands.TranslationContext
    ) -> str | None:
        """Swedish for sv-SE, nothing (the default) otherwise."""
        return self.table.get(string.message) if locale is discord.Locale.swedish else None


class CardView(discord.ui.View):
    """Buttons under a resource card: feedback, paging, delete, and a link."""

    def __init__(self, asker_id: int) -> None:
        super().__init__(timeout=None)
        self.asker_id = asker_id
        self.add_item(discord.ui.Button(label="Open", url="https://example.org/fine-tuning"))

    @discord.ui.button(label="Helpful", style=discord.ButtonStyle.success)
    async def helpful(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Thank the person, on the card itself."""
        await interaction.response.edit_message(content="Thanks for the feedback!")

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next_page(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """Show the next card."""
        embed = discord.Embed(title="LoRA: cheaper fine-tuning", description="Page 2 of 2")
        await interaction.response.edit_message(embed=embed)

    @discord.ui.button(label="Delete", style=discord.ButtonStyle.danger)
    async def delete(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        """The asker or a moderator removes the card; anyone else is told so, privately."""
        allowed = interaction.user.id == self.asker_id or interaction.permissions.manage_messages
        if not allowed:
            await interaction.response.send_message(
                "Only the asker or a moderator can delete this.", ephemeral=True
            )
            return
        await interaction.response.send_message("Deleted.", ephemeral=True)
        assert interaction.message is not None
        await interaction.message.delete()


class TopicView(discord.ui.View):
    """A topic select menu for browsing."""

    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.select(
        custom_id="topic",
        placeholder="Pick a topic",
        options=[
            discord.SelectOption(label="Azure", value="azure"),
            discord.SelectOption(label="OpenAI", value="openai"),
        ],
    )
    async def topic(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        """Show the chosen topic."""
        await interaction.response.edit_message(content=f"Topic: {select.values[0]}, page 1")


class StandInBot(commands.Bot):
    """A small bot with the shapes of the real one."""

    def __init__(self, *, card_title: str = "Fine-tuning: when and why") -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=discord.Intents.default(),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.card_title = card_title
        self.card_description = "Lesson 18 of Generative AI for Beginners."
        self.card_fields: list[tuple[str, str]] = []
        self.translations = dict(SWEDISH)
        self.posted: list[discord.Message] = []
        add_commands(self)

    async def setup_hook(self) -> None:
        """Register the command tree, with its Swedish names."""
        await self.tree.set_translator(SwedishTranslator(self.translations))
        await self.tree.sync()


def add_commands(bot: StandInBot) -> None:
    """The stand-in's command tree."""
    tree = bot.tree

    @tree.command(name=locale_str("ask"), description=locale_str("Ask for a learning resource"))
    @app_commands.describe(question=locale_str("What you want to learn"), private="Only for you")
    async def ask(interaction: discord.Interaction, question: str, private: bool = False) -> None:
        swedish = interaction.locale is discord.Locale.swedish
        embed = discord.Embed(
            title=bot.card_title,
            url="https://example.org/fine-tuning",
            description=f"{'Svar' if swedish else 'Answer'} to {question}: {bot.card_description}",
        )
        embed.set_footer(text="Generative AI for Beginners")
        for name, value in bot.card_fields:
            embed.add_field(name=name, value=value)
        view = CardView(interaction.user.id)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=private)

    @ask.autocomplete("question")
    async def suggest(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        found = [q for q in QUESTIONS if current.lower() in q.lower()]
        return [Choice(name=q, value=q) for q in found[:25]]

    resources = app_commands.Group(name="resources", description="Browse the catalogue")
    admin = app_commands.Group(name="admin", description="For moderators", parent=resources)

    @resources.command(name="browse", description="List resources on a topic")
    @app_commands.choices(
        topic=[Choice(name="Azure", value="azure"), Choice(name="OpenAI", value="openai")]
    )
    async def browse(
        interaction: discord.Interaction,
        topic: Choice[str],
        page: app_commands.Range[int, 1, 10] = 1,
    ) -> None:
        await interaction.response.send_message(
            f"Topic: {topic.value}, page {page}", view=TopicView()
        )

    @admin.command(name="reload", description="Reload the catalogue")
    async def reload(interaction: discord.Interaction) -> None:
        if not interaction.permissions.manage_guild:
            await interaction.response.send_message("Only moderators can reload.", ephemeral=True)
            return
        await interaction.response.defer(thinking=True, ephemeral=True)
        await asyncio.sleep(0.05)  # the work that made deferring worthwhile
        await interaction.followup.send("Reloaded 20 resources.", ephemeral=True)
        await interaction.edit_original_response(content="Reloaded 20 resources: +1 −0.")

    tree.add_command(resources)

    @tree.context_menu(name="Find resources")
    async def find(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(f"Resources for: {message.content}", ephemeral=True)

    @tree.command(name="announce", description="Post a card in this channel")
    async def announce(interaction: discord.Interaction, title: str) -> None:
        await interaction.response.send_message("Posted.", ephemeral=True)
        assert isinstance(interaction.channel, discord.TextChannel)
        embed = discord.Embed(title=title, description="Pinned by the resource bot.")
        bot.posted.append(await interaction.channel.send(embed=embed))

    @tree.command(name="retract", description="Remove the last posted card")
    async def retract(interaction: discord.Interaction) -> None:
        await bot.posted.pop().delete()
        await interaction.response.send_message("Removed.", ephemeral=True)

    @tree.command(name="export", description="The catalogue as a file")
    async def export(interaction: discord.Interaction) -> None:
        data = io.BytesIO(b"title,url\nFine-tuning,https://example.org/fine-tuning\n")
        await interaction.response.send_message(
            "Here it is.", file=discord.File(data, filename="resources.csv")
        )

    @tree.command(name="import", description="Read a catalogue file")
    async def import_(interaction: discord.Interaction, file: discord.Attachment) -> None:
        data = await file.read()  # downloaded from the fake, as from Discord's CDN
        await interaction.response.send_message(f"{file.filename}: {len(data)} bytes")

    @tree.context_menu(name="Resources asked")
    async def asked(interaction: discord.Interaction, member: discord.Member) -> None:
        await interaction.response.send_message(f"{member.name} asked 0 questions.")

    @tree.command(name="tidy", description="Show progress, then clean up")
    async def tidy(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Working…")
        step = await interaction.followup.send("Step 1", wait=True)
        await step.edit(content="Step 1 done")
        await interaction.delete_original_response()

    @tree.command(name="silent", description="Never answers (a bug on purpose)")
    async def silent(interaction: discord.Interaction) -> None:
        return None


@pytest.fixture
async def bot(fake_discord: FakeDiscord, connect_client: Connect) -> StandInBot:
    """The stand-in bot, logged in to the fake and ready."""
    client = StandInBot()
    await connect_client(client)
    return client


# --- login, registration, contract -------------------------------------------------------------


async def test_login_registers_the_command_tree_and_it_is_validated(
    bot: StandInBot, fake_discord: FakeDiscord, discord_contract: Contract
) -> None:
    names = {(c["type"], c["name"]) for c in fake_discord.registered_commands}
    assert names == {
        (1, "ask"),
        (1, "resources"),
        (1, "announce"),
        (1, "retract"),
        (1, "export"),
        (1, "silent"),
        (1, "import"),
        (1, "tidy"),
        (2, "Resources asked"),
        (3, "Find resources"),
    }
    ask = next(c for c in fake_discord.registered_commands if c["name"] == "ask")
    assert ask["name_localizations"] == {"sv-SE": "fråga"}
    assert ask["options"][0]["description_localizations"] == {"sv-SE": "Vad du vill lära dig"}
    assert [r.operation_id for r in fake_discord.registrations] == ["bulk_set_application_commands"]
    assert discord_contract.validated["bulk_set_application_commands"] >= 1
    assert bot.user is not None and bot.user.id == fake_discord.bot.id
    assert bot.get_guild(fake_discord.guild.id) is not None
    assert fake_discord.gateway_log == ["IDENTIFY /gateway"]
    assert fake_discord.heartbeats >= 1  # discord.py beats at once after HELLO


async def test_the_fake_answers_with_json_exactly_and_404_for_unknown_routes(
    fake_discord: FakeDiscord,
) -> None:
    headers = {"Authorization": f"Bot {fake_discord.token}"}
    async with aiohttp.ClientSession(headers=headers) as http:
        async with http.get(f"{fake_discord.api_base}/users/@me") as answer:
            assert answer.headers["Content-Type"] == "application/json"
            assert (await answer.json())["id"] == str(fake_discord.bot.id)
        for path in ("/guilds/1/audit-logs", "/no/such/route"):
            async with http.get(fake_discord.api_base + path) as answer:
                assert answer.status == 404
                assert await answer.json() == {"message": "404: Not Found", "code": 0}
    assert [str(r) for r in fake_discord.take_unknown_routes()] == [
        "GET /guilds/1/audit-logs -> 404 (list_guild_audit_log_entries)",
        "GET /api/v10/no/such/route -> 404 (unknown)",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ask", "'Ask' must be lowercase"),
        ("a" * 33, "is too long"),
        ("ask me", "does not match"),
    ],
)
async def test_a_registration_with_a_bad_command_name_is_refused(
    fake_discord: FakeDiscord, name: str, expected: str
) -> None:
    url = f"{fake_discord.api_base}/applications/{fake_discord.application_id}/commands"
    commands_ = [{"name": name, "description": "Ask for a learning resource", "type": 1}]
    headers = {"Authorization": f"Bot {fake_discord.token}"}
    with fake_discord.expect_violations() as found:
        async with (
            aiohttp.ClientSession(headers=headers) as http,
            http.put(url, json=commands_) as answer,
        ):
            assert answer.status == 400
            body = await answer.json()
    assert body["code"] == 50035 and body["message"] == "Invalid Form Body"
    assert "_errors" in body["errors"]["0"]["name"]
    assert [v.json_path for v in found] == ["0/name"]
    assert expected in found[0].message
    assert fake_discord.registered_commands == []


async def test_an_uppercase_swedish_command_name_is_refused(fake_discord: FakeDiscord) -> None:
    client = StandInBot()
    client.translations["ask"] = "Fråga"
    with fake_discord.expect_violations() as found, pytest.raises(discord.HTTPException) as refused:
        async with connected(client, fake_discord):
            pass
    assert refused.value.status == 400 and refused.value.code == 50035
    assert [str(v).split(": ", 1)[1] for v in found] == [
        "0/name_localizations/sv-SE: 'Fråga' must be lowercase [command name lowercase]"
    ]


async def test_a_300_character_card_title_fails_with_the_schema_message(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    bot.card_title = "A" * 300
    alice = fake_discord.member("alice")
    with fake_discord.expect_violations() as found:
        reply = await fake_discord.slash(alice, "ask", question="when should I fine-tune")
    assert not reply.answered and reply.refused[0].status == 400
    assert len(found) == 1
    assert found[0].json_path == "data/embeds/0/title"
    assert "is too long" in found[0].message and found[0].rule == "maxLength 256"
    assert "data/embeds/0/title" in str(found[0])
    body = reply.refused[0].response
    assert body["errors"]["data"]["embeds"]["0"]["title"]["_errors"][0] == {
        "code": "BASE_TYPE_MAX_LENGTH",
        "message": "Must be 256 or fewer in length.",
    }


async def test_embeds_over_6000_characters_in_total_are_refused(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    bot.card_description = "x" * 4000  # within 4096, and each field within 1024 ...
    bot.card_fields = [("More", "y" * 1024), ("Even more", "z" * 1024)]  # ... but 6000 in all
    with fake_discord.expect_violations() as found:
        reply = await fake_discord.slash(fake_discord.member("alice"), "ask", question="q")
    assert not reply.answered
    assert [(v.json_path, v.rule) for v in found] == [("data/embeds", "embed total 6000")]
    assert "Discord allows 6000 across a message" in found[0].message


# --- what people do ------------------------------------------------------------------------------


async def test_a_slash_command_answers_with_a_card(bot: StandInBot, fake_discord: FakeDiscord):
    alice = fake_discord.member("alice")
    reply = await fake_discord.slash(alice, "ask", question="when should I fine-tune")
    assert reply.type == 4 and not reply.ephemeral and not reply.deferred
    assert reply.embeds[0]["title"] == "Fine-tuning: when and why"
    assert reply.embeds[0]["url"] == "https://example.org/fine-tuning"
    assert "Answer to when should I fine-tune" in reply.embeds[0]["description"]
    assert [b.get("label") for b in reply.buttons] == ["Helpful", "Next", "Delete", "Open"]
    assert reply.message is not None and not reply.message.pings_everyone


async def test_a_swedish_member_can_use_the_swedish_command_name(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    sven = fake_discord.member("sven", locale="sv-SE")
    reply = await fake_discord.slash(sven, "fråga", question="när ska jag finjustera")
    assert reply.embeds[0]["description"].startswith("Svar to när ska jag finjustera")
    payload = reply.interaction.payload
    assert payload["locale"] == "sv-SE" and payload["data"]["name"] == "ask"
    english = await fake_discord.slash(
        sven, "ask", question="q", locale="en-GB", guild_locale="sv-SE"
    )
    assert english.embeds[0]["description"].startswith("Answer")
    assert english.interaction.payload["guild_locale"] == "sv-SE"


async def test_autocomplete_returns_the_suggestions(bot: StandInBot, fake_discord: FakeDiscord):
    alice = fake_discord.member("alice")
    many = await fake_discord.autocomplete(alice, "ask", focused="question", value="fine")
    assert len(many) == 25
    few = await fake_discord.autocomplete(alice, "ask", focused="question", value="lora")
    assert few == [{"name": "what is LoRA", "value": "what is LoRA"}]


async def test_a_subcommand_with_choices_and_a_ranged_integer(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    alice = fake_discord.member("alice")
    reply = await fake_discord.slash(alice, "resources browse", topic="azure", page=3)
    assert reply.content == "Topic: azure, page 3"
    with pytest.raises(ValueError, match="must be one of the choices"):
        await fake_discord.slash(alice, "resources", "browse", topic="gcp")
    with pytest.raises(ValueError, match="between 1 and 10"):
        await fake_discord.slash(alice, "resources", "browse", topic="azure", page=11)


async def test_a_member_cannot_reload_but_a_moderator_can_with_defer_followup_and_edit(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    refused = await fake_discord.slash(fake_discord.member("alice"), "resources admin reload")
    assert refused.ephemeral and refused.content == "Only moderators can reload."

    reply = await fake_discord.slash(fake_discord.moderator("mo"), "resources", "admin", "reload")
    assert reply.deferred and reply.ephemeral
    assert reply.content == "Reloaded 20 resources: +1 −0."
    assert reply.followups[0].id == reply.message.id  # the first followup took the "thinking" spot
    assert [edit["content"] for edit in reply.edits] == ["Reloaded 20 resources: +1 −0."]


async def test_the_context_menu_on_a_message(bot: StandInBot, fake_discord: FakeDiscord):
    alice = fake_discord.member("alice")
    question = await fake_discord.post(alice, "how do I fine-tune a small model?")
    reply = await fake_discord.context_menu(
        fake_discord.member("bob"), "Find resources", message=question
    )
    assert reply.ephemeral
    assert reply.content == "Resources for: how do I fine-tune a small model?"


async def test_the_context_menu_on_a_member(bot: StandInBot, fake_discord: FakeDiscord):
    alice = fake_discord.member("alice")
    reply = await fake_discord.context_menu(
        fake_discord.moderator("mo"), "Resources asked", target=alice
    )
    assert reply.content == "alice asked 0 questions."


async def test_an_attachment_option_is_uploaded_and_downloadable(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    upload = Upload("resources.yaml", b"resources: []\n", "application/x-yaml")
    reply = await fake_discord.slash(fake_discord.moderator("mo"), "import", file=upload)
    assert reply.content == "resources.yaml: 14 bytes"


async def test_buttons_and_a_select_update_the_message(bot: StandInBot, fake_discord: FakeDiscord):
    alice = fake_discord.member("alice")
    card = await fake_discord.slash(alice, "ask", question="when should I fine-tune")
    thanks = await fake_discord.press(alice, card, "Helpful")
    assert thanks.type == 7 and thanks.message.id == card.message.id
    assert card.content == "Thanks for the feedback!"  # the card itself changed
    turned = await fake_discord.press(alice, card, "Next")
    assert card.embeds[0]["title"] == "LoRA: cheaper fine-tuning"
    assert turned.updated

    browse = await fake_discord.slash(alice, "resources", "browse", topic="azure")
    picked = await fake_discord.select(alice, browse, "openai")
    assert picked.content == browse.content == "Topic: openai, page 1"
    with pytest.raises(ValueError, match="not all among the options"):
        await fake_discord.select(alice, browse, "gcp")


async def test_only_the_asker_or_a_moderator_deletes_a_card(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    alice, bob = fake_discord.member("alice"), fake_discord.member("bob")
    card = await fake_discord.slash(alice, "ask", question="when should I fine-tune")
    refused = await fake_discord.press(bob, card, "Delete")
    assert refused.ephemeral and "Only the asker" in refused.content
    assert not card.message.deleted

    done = await fake_discord.press(fake_discord.moderator("mo"), card, "Delete")
    assert done.content == "Deleted."
    await done.wait_until(lambda _: card.message.deleted, timeout=1)
    assert [d.message_id for d in fake_discord.deleted] == [card.message.id]


async def test_a_private_answer_is_ephemeral_and_invisible_to_others(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    alice, bob = fake_discord.member("alice"), fake_discord.member("bob")
    reply = await fake_discord.slash(alice, "ask", question="what is LoRA", private=True)
    assert reply.ephemeral
    assert reply.callback["data"]["flags"] & 64
    with pytest.raises(PermissionError, match="cannot see alice's ephemeral message"):
        await fake_discord.press(bob, reply, "Helpful")


async def test_a_channel_message_with_an_embed_and_its_deletion(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    mo = fake_discord.moderator("mo")
    await fake_discord.slash(mo, "announce", title="New: LoRA lesson")
    await fake_discord.wait_until(lambda: fake_discord.channel_messages, 1, "the posted card")
    posted = fake_discord.channel_messages[0]
    assert posted.embeds[0]["title"] == "New: LoRA lesson" and not posted.ephemeral
    removed = await fake_discord.slash(mo, "retract")
    assert removed.content == "Removed."
    assert posted.deleted and fake_discord.deleted[0].route == "channel"


async def test_followups_are_edited_and_the_original_deleted_through_the_webhook(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    reply = await fake_discord.slash(fake_discord.member("alice"), "tidy")
    await reply.wait_until(lambda r: r.message.deleted)
    assert [m.content for m in reply.followups] == ["Step 1 done"]
    assert fake_discord.deleted[0].route == "webhook"
    operations = [r.operation_id for r in reply.interaction.requests]
    assert operations == [
        "create_interaction_response",
        "execute_webhook",
        "update_webhook_message",
        "delete_original_webhook_message",
    ]


async def test_a_file_is_sent_as_multipart(bot: StandInBot, fake_discord: FakeDiscord):
    reply = await fake_discord.slash(fake_discord.member("alice"), "export")
    assert reply.content == "Here it is."
    assert reply.shown.attachments[0]["filename"] == "resources.csv"
    assert reply.shown.file_bytes(0).startswith(b"title,url\n")


async def test_a_bot_that_does_not_answer_is_reported_quickly(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    with pytest.raises(NoAnswer, match="did not respond"):
        await fake_discord.slash(fake_discord.member("alice"), "silent", timeout=0.3)


async def test_unknown_commands_and_options_are_test_mistakes(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    alice = fake_discord.member("alice")
    with pytest.raises(LookupError, match="'nope' is not a registered command"):
        await fake_discord.slash(alice, "nope")
    with pytest.raises(ValueError, match="no options"):
        await fake_discord.slash(alice, "ask", question="x", colour="red")
    with pytest.raises(ValueError, match="requires the option 'question'"):
        await fake_discord.slash(alice, "ask")


async def test_a_burst_is_answered_at_once_and_every_body_checked_after_it(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    people = [fake_discord.member(name) for name in ("alice", "bob", "carol")]
    asks = [(person, {"question": f"what is LoRA, {person.name}?"}) for person in people]
    replies = await fake_discord.slash_at_once("ask", asks)
    assert [reply.embeds[0]["title"] for reply in replies] == ["Fine-tuning: when and why"] * 3
    for reply in replies:
        sent, arrived = reply.interaction.dispatched_at, reply.interaction.answered_at
        assert arrived is not None and sent < arrived
        assert arrived == reply.interaction.requests[0].arrived_at

    bot.card_title = "A" * 300
    with fake_discord.expect_violations() as found, fake_discord.checks_deferred() as checks:
        replies = await fake_discord.slash_at_once("ask", asks)
        assert all(reply.answered for reply in replies)  # not checked yet: answered
        assert not fake_discord.violations
    assert checks.bodies_checked == 3
    assert checks.violations == found
    assert [v.json_path for v in found] == ["data/embeds/0/title"] * 3


# --- faults ----------------------------------------------------------------------------------


async def test_a_rate_limited_callback_is_retried(bot: StandInBot, fake_discord: FakeDiscord):
    fake_discord.fail_next_callbacks(1, status=429, retry_after=0.05)
    reply = await fake_discord.slash(fake_discord.member("alice"), "ask", question="what is LoRA")
    assert reply.embeds[0]["title"] == "Fine-tuning: when and why"
    assert [r.status for r in fake_discord.faults_served] == [429]
    tries = [r.status for r in fake_discord.requests_for("create_interaction_response")]
    assert tries == [429, 200]


async def test_a_server_error_on_the_callback_is_retried(
    bot: StandInBot, fake_discord: FakeDiscord
) -> None:
    fake_discord.fail_next_callbacks(1, status=500)
    reply = await fake_discord.slash(fake_discord.member("alice"), "ask", question="what is LoRA")
    assert reply.answered  # discord.py waits 1 s after a 5xx, then tries again
    tries = [r.status for r in fake_discord.requests_for("create_interaction_response")]
    assert tries == [500, 200]


@pytest.mark.parametrize("how", ["close", "abort", "reconnect"])
async def test_after_a_gateway_drop_the_next_command_works(
    bot: StandInBot, fake_discord: FakeDiscord, how: str
) -> None:
    alice = fake_discord.member("alice")
    await fake_discord.drop_gateway(how=how)
    reply = await fake_discord.slash(alice, "ask", question="what is LoRA")  # sent while away
    assert reply.embeds
    assert fake_discord.gateway_log[0] == "IDENTIFY /gateway"
    assert fake_discord.gateway_log[1] == f"DROP {how}"
    assert fake_discord.gateway_log[2].startswith("RESUME /resume replayed")


async def test_after_an_invalidated_session_the_bot_identifies_again(
    bot: StandInBot, fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def identify_at_once(shard_id: int | None, *, initial: bool) -> None:
        """discord.py waits 5 s before identifying again; the stand-in need not."""

    monkeypatch.setattr(bot, "before_identify_hook", identify_at_once)
    await fake_discord.drop_gateway(resumable=False)
    reply = await fake_discord.slash(fake_discord.member("alice"), "ask", question="what is LoRA")
    assert reply.embeds
    assert fake_discord.gateway_log == [
        "IDENTIFY /gateway",
        "DROP close",
        "RESUME refused /resume",
        "IDENTIFY /resume",  # discord.py keeps the resume URL; Discord accepts either
    ]


# --- the API description itself ---------------------------------------------------------------


def test_a_missing_description_fails_the_run_instead_of_skipping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISCORD_OPENAPI_SPEC", str(tmp_path / "missing.json"))
    assert default_spec_path(tmp_path) == tmp_path / "missing.json"
    with pytest.raises(pytest.fail.Exception, match="DISCORD_OPENAPI_SPEC"):
        load_for_tests(tmp_path)
    with pytest.raises(SpecNotFound):
        Contract.load(tmp_path / "missing.json")


def test_the_description_is_read_from_the_copy_in_the_repo_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DISCORD_OPENAPI_SPEC", raising=False)
    root = Path(__file__).resolve().parents[2]
    expected = root / "tests" / "fake_discord" / "discord-api-spec" / "openapi.json"
    assert default_spec_path(root) == expected
    assert expected.is_file()


def test_bodies_can_be_checked_without_a_server(discord_contract: Contract) -> None:
    card = {"title": "T" * 257, "url": "https://example.org/x", "description": "d"}
    found = discord_contract.check(
        "create_interaction_response", {"type": 4, "data": {"embeds": [card]}}
    )
    assert [(v.json_path, v.rule) for v in found] == [("data/embeds/0/title", "maxLength 256")]
    commands_ = [{"name": "ask", "description": "Ask", "name_localizations": {"sv-SE": "Fråga"}}]
    found = discord_contract.check("bulk_set_application_commands", commands_)
    assert [v.json_path for v in found] == ["0/name_localizations/sv-SE"]


def test_the_fakes_own_answers_are_checked_too(discord_contract: Contract) -> None:
    found = discord_contract.match("GET", "/users/@me")
    assert found is not None
    problems = discord_contract.check_response(found[0], 200, {"id": "1"})
    assert any("'username' is a required property" in p for p in problems)


class NoSyncBot(StandInBot):
    """A restart with an unchanged tree: the bot does not register its commands again."""

    async def setup_hook(self) -> None:
        """Only the translator; no sync."""
        await self.tree.set_translator(SwedishTranslator(self.translations))


async def test_commands_registered_before_start_can_be_used(fake_discord: FakeDiscord) -> None:
    client = NoSyncBot()
    translator = SwedishTranslator(SWEDISH)
    payload = [
        await command.get_translated_payload(client.tree, translator)
        for command in client.tree.get_commands()
    ]
    fake_discord.register_commands(payload)
    async with connected(client, fake_discord):
        reply = await fake_discord.slash(fake_discord.member("alice"), "ask", question="q")
    assert reply.embeds and fake_discord.registrations == []


async def test_the_gateway_speaks_plain_json_or_zlib_stream_as_asked(
    fake_discord: FakeDiscord,
) -> None:
    identify = {"op": 2, "d": {"token": fake_discord.token, "intents": 1, "properties": {}}}
    async with aiohttp.ClientSession() as http:
        async with http.ws_connect(f"{fake_discord.gateway_url}?v=10&encoding=json") as ws:
            hello = await ws.receive_json(timeout=2)
            assert hello == {"op": 10, "d": {"heartbeat_interval": 41_250}}
            await ws.send_json({"op": 1, "d": None})
            assert await ws.receive_json(timeout=2) == {"op": 11}
            await ws.send_json(identify)
            ready = await ws.receive_json(timeout=2)
            guild = await ws.receive_json(timeout=2)
        assert (ready["t"], ready["s"], guild["t"], guild["s"]) == ("READY", 1, "GUILD_CREATE", 2)
        assert {"general", "resources"} <= {c["name"] for c in guild["d"]["channels"]}

        url = f"{fake_discord.gateway_url}?v=10&encoding=json&compress=zlib-stream"
        async with http.ws_connect(url) as ws:
            inflate, buffer, events = zlib.decompressobj(), b"", []
            await ws.send_json(identify)
            while len(events) < 3:  # HELLO, READY, GUILD_CREATE, maybe in several frames
                buffer += await ws.receive_bytes(timeout=2)
                if buffer.endswith(b"\x00\x00\xff\xff"):
                    events.append(json.loads(inflate.decompress(buffer)))
                    buffer = b""
        assert [event["op"] for event in events] == [10, 0, 0]

        async with http.ws_connect(f"{fake_discord.gateway_url}?v=10&encoding=json") as ws:
            await ws.receive_json(timeout=2)
            await ws.send_json({**identify, "d": {**identify["d"], "token": "stolen"}})
            closed = await ws.receive(timeout=2)
        assert (closed.type, closed.data) == (aiohttp.WSMsgType.CLOSE, 4004)


@pytest.mark.parametrize(("intents", "told"), [(1, False), (1 | 1 << 9, True)])
async def test_message_events_go_only_to_sessions_with_the_guild_messages_intent(
    fake_discord: FakeDiscord, intents: int, told: bool
) -> None:
    identify = {"op": 2, "d": {"token": fake_discord.token, "intents": intents, "properties": {}}}
    url = f"{fake_discord.gateway_url}?v=10&encoding=json"
    async with aiohttp.ClientSession() as http, http.ws_connect(url) as ws:
        await ws.receive_json(timeout=2)  # HELLO
        await ws.send_json(identify)
        session = await fake_discord.wait_for_session()
        await fake_discord.post(fake_discord.member("alice"), "hello")
        events = [event["t"] for event in session.events]
    assert events[:2] == ["READY", "GUILD_CREATE"]
    assert ("MESSAGE_CREATE" in events) is told
