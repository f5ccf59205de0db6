"""/ask, its autocomplete, and the message context menu "Find resources"."""

from __future__ import annotations

from dataclasses import replace

import discord
from discord import app_commands

from bot import cards, limits
from bot.discord.common import language, library_of, services_of, tell
from bot.discord.delivery import deliver, slowed_down
from bot.discord.suggestions import resource_suggestions, searchable
from bot.discord.translator import command_str
from bot.i18n import text
from bot.library import Snapshot
from bot.store import QuestionRecord


async def answer(
    interaction: discord.Interaction,
    question: str,
    *,
    private: bool = False,
    reply_to: discord.Message | None = None,
) -> None:
    """Answer `question` for the user: the resource it names exactly (a picked autocomplete
    suggestion), else the best match, else the near misses. The question is recorded.
    Someone asking faster than QUESTIONS_PER_MINUTE allows is told when to ask again.
    Answers are computed in turns (see `bot.discord.turns`)."""
    lang = language(interaction)
    services = services_of(interaction)
    if await slowed_down(interaction):
        return
    snapshot: Snapshot = library_of(interaction).current  # live when the question came
    await services.answer_turns.take()  # many questions at once: the first answers leave first
    question = question.strip()
    picked = snapshot.catalog.get(question)
    if picked is not None:
        reply = cards.resource_reply(picked, snapshot.catalog, lang)
        confident, best_id = True, picked.id
    else:
        result = snapshot.index.ask(searchable(question))
        if result.query != question:
            result = replace(result, query=question)  # quote what the user wrote
        reply = cards.answer_reply(result, snapshot.catalog, lang)
        confident, best_id = result.confident, result.best.resource.id if result.best else None
    await deliver(interaction, reply, private=private, reply_to=reply_to)
    await services.store.record_question(
        QuestionRecord(
            user_id=interaction.user.id,
            locale=str(interaction.locale),
            question=question,
            confident=confident,
            best_id=best_id,
            guild_id=interaction.guild_id,
            channel_id=interaction.channel_id,
        )
    )


def setup(tree: app_commands.CommandTree) -> None:
    """Add /ask and the "Find resources" message menu to `tree`."""

    @app_commands.command(name=command_str("ask"), description=command_str("ask.description"))
    @app_commands.rename(question=command_str("ask.question"), private=command_str("ask.private"))
    @app_commands.describe(
        question=command_str("ask.question.description"),
        private=command_str("ask.private.description"),
    )
    @app_commands.autocomplete(question=resource_suggestions)
    async def ask(
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, limits.QUESTION_TYPED],
        private: bool = False,
    ) -> None:
        if not question.strip():
            await tell(interaction, text(language(interaction), "ask.empty"))
            return
        await answer(interaction, question, private=private)

    async def find_resources(interaction: discord.Interaction, message: discord.Message) -> None:
        question = message.content.strip()
        if not question:
            question = " ".join(
                part
                for embed in message.embeds
                for part in (embed.title, embed.description)
                if part
            ).strip()
        if not question:
            await tell(interaction, text(language(interaction), "context.empty"))
            return
        await answer(interaction, question, reply_to=message)

    tree.add_command(ask)
    tree.add_command(
        app_commands.ContextMenu(name=command_str("find-resources"), callback=find_resources)
    )
