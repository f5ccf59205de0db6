"""/resources show and /resources browse: one card, or the whole list page by page.

The list's buttons and topic menu are `DynamicItem`s whose custom ids carry the opener, the
page and the topic: only the opener can turn pages, also after a restart.
"""

from __future__ import annotations

import re

import discord
from discord import app_commands

from bot import cards, limits
from bot.catalog import ID_TEXT, Catalog
from bot.discord.common import guarded, language, library_of, log, services_of, tell
from bot.discord.delivery import deliver, post_once, sent_id, slowed_down
from bot.discord.suggestions import resource_suggestions
from bot.discord.translator import command_str
from bot.i18n import text

PAGE_TEMPLATE = (  # "rb:pn:<owner>:<page>:<topic>" fits Discord's 100 characters
    r"rb:p(?P<step>[pn]):(?P<owner>[0-9]{1,20}):(?P<page>[0-9]{1,6})"
    rf":(?P<topic>(?:{ID_TEXT})?)"
)
TOPIC_TEMPLATE = r"rb:tp:(?P<owner>[0-9]{1,20})"
ALL_TOPICS = "*"
LIST_KEY = "/resources browse"  # the lists' cooldown key: never a resource id, so lists and
# cards have cooldowns of their own


def browse_message(
    catalog: Catalog, lang: str, owner_id: int, topic: str | None, page: int
) -> tuple[discord.Embed, discord.ui.View]:
    """The embed and controls of one page of the list."""
    rendered = cards.browse_page(catalog, lang, topic, page)
    view = discord.ui.View(timeout=None)
    view.add_item(PageButton("prev", owner_id, rendered.page, topic, lang, rendered.page == 0))
    last = rendered.page >= rendered.pages - 1
    view.add_item(PageButton("next", owner_id, rendered.page, topic, lang, last))
    view.add_item(TopicSelect(owner_id, cards.topic_options(catalog, lang), topic, lang))
    return discord.Embed.from_dict(rendered.embed), view


async def _only_the_opener(interaction: discord.Interaction, owner_id: int) -> bool:
    if interaction.user.id == owner_id:
        return True
    await tell(interaction, text(language(interaction), "browse.not_owner"))
    return False


async def _show_page(
    interaction: discord.Interaction, owner_id: int, topic: str | None, page: int
) -> None:
    catalog = library_of(interaction).current.catalog
    if topic is not None and topic not in catalog.topics:
        topic = None  # the topic went away in a reload
    embed, view = browse_message(catalog, language(interaction), owner_id, topic, page)
    await interaction.response.edit_message(embed=embed, view=view)


class PageButton(discord.ui.DynamicItem[discord.ui.Button], template=PAGE_TEMPLATE):
    """ "Previous" or "Next" page of the list."""

    def __init__(
        self,
        step: str,
        owner_id: int,
        page: int,
        topic: str | None,
        lang: str = "en",
        disabled: bool = False,
    ) -> None:
        label = text(lang, "button.previous" if step == "prev" else "button.next")
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji="◀️" if step == "prev" else "▶️",
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=f"rb:p{step[0]}:{owner_id}:{page}:{topic or ''}",
            )
        )
        self.step, self.owner_id, self.page, self.topic = step, owner_id, page, topic

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str], /
    ) -> PageButton:
        step = "prev" if match["step"] == "p" else "next"
        return cls(step, int(match["owner"]), int(match["page"]), match["topic"] or None)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await _only_the_opener(interaction, self.owner_id)

    async def callback(self, interaction: discord.Interaction) -> None:
        target = self.page - 1 if self.step == "prev" else self.page + 1
        await guarded(
            interaction,
            lambda: _show_page(interaction, self.owner_id, self.topic, target),
            "browse page",
        )


class TopicSelect(discord.ui.DynamicItem[discord.ui.Select], template=TOPIC_TEMPLATE):
    """The topic menu of the list; picking a topic shows its first page."""

    def __init__(
        self,
        owner_id: int,
        options: list[tuple[str, str]] | None = None,
        current: str | None = None,
        lang: str = "en",
    ) -> None:
        choices = [
            discord.SelectOption(label=label, value=value, default=value == (current or ALL_TOPICS))
            for label, value in (options or [("*", ALL_TOPICS)])[: limits.SELECT_OPTIONS]
        ]
        super().__init__(
            discord.ui.Select(
                custom_id=f"rb:tp:{owner_id}",
                placeholder=text(lang, "select.topic"),
                options=choices,
                min_values=1,
                max_values=1,
            )
        )
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str], /
    ) -> TopicSelect:
        return cls(int(match["owner"]))

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        return await _only_the_opener(interaction, self.owner_id)

    async def callback(self, interaction: discord.Interaction) -> None:
        values = self.item.values
        topic = values[0] if values and values[0] != ALL_TOPICS else None
        await guarded(
            interaction, lambda: _show_page(interaction, self.owner_id, topic, 0), "topic menu"
        )


def topic_by_id_or_name(catalog: Catalog, typed: str) -> str | None:
    """The topic id for what was submitted: an id (a picked suggestion) or a name typed out in
    either language."""
    typed = typed.strip()
    if typed in catalog.topics:
        return typed
    wanted = typed.casefold()
    for topic, names in catalog.topics.items():
        if any(name.casefold() == wanted for name in names.values()):
            return topic
    return None


async def topic_suggestions(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Topics whose name or id contains what was typed; never raises."""
    try:
        catalog = library_of(interaction).current.catalog
        lang = language(interaction)
        typed = current.casefold().strip()
        choices = []
        for topic in catalog.topics:
            name = catalog.name_of(catalog.topics, topic, lang)
            if typed in name.casefold() or typed in topic:
                choices.append(
                    app_commands.Choice(name=cards.shorten(name, limits.CHOICE_NAME), value=topic)
                )
        return choices[: limits.AUTOCOMPLETE_CHOICES]
    except Exception:
        log.exception("topic autocomplete failed")
        return []


class ResourcesGroup(app_commands.Group):
    """/resources: show and browse the learning resources (`privacy` adds about, forget-me)."""

    def __init__(self) -> None:
        super().__init__(
            name=command_str("resources"), description=command_str("resources.description")
        )

    @app_commands.command(
        name=command_str("resources.show"), description=command_str("resources.show.description")
    )
    @app_commands.rename(resource=command_str("resources.show.resource"))
    @app_commands.describe(resource=command_str("resources.show.resource.description"))
    @app_commands.autocomplete(resource=resource_suggestions)
    async def show(
        self,
        interaction: discord.Interaction,
        resource: app_commands.Range[str, 1, limits.CHOICE_VALUE],
    ) -> None:
        if await slowed_down(interaction):
            return
        snapshot = library_of(interaction).current
        lang = language(interaction)
        found = snapshot.catalog.get(resource.strip())
        if found is None:
            # Typed text instead of a pick: show the best match if there is a confident one.
            result = snapshot.index.ask(resource)
            if result.best is None:
                shown = cards.echo(resource, limits.CHOICE_NAME)
                await tell(interaction, text(lang, "show.unknown", resource=shown))
                return
            found = result.best.resource
        await deliver(interaction, cards.resource_reply(found, snapshot.catalog, lang))

    @app_commands.command(
        name=command_str("resources.browse"),
        description=command_str("resources.browse.description"),
    )
    @app_commands.rename(topic=command_str("resources.browse.topic"))
    @app_commands.describe(topic=command_str("resources.browse.topic.description"))
    @app_commands.autocomplete(topic=topic_suggestions)
    async def browse(self, interaction: discord.Interaction, topic: str | None = None) -> None:
        if await slowed_down(interaction):
            return
        catalog = library_of(interaction).current.catalog
        lang = language(interaction)
        if topic is not None:
            found = topic_by_id_or_name(catalog, topic)
            if found is None:
                shown = cards.echo(topic, limits.CHOICE_NAME)
                await tell(interaction, text(lang, "browse.unknown_topic", topic=shown))
                return
            topic = found
        embed, view = browse_message(catalog, lang, interaction.user.id, topic, 0)

        async def post() -> int:
            callback = await interaction.response.send_message(embed=embed, view=view)
            return await sent_id(interaction, callback)

        earlier = await post_once(interaction, LIST_KEY, post)
        if earlier is None:
            return
        # A list was posted in this channel moments ago: this one is for the asker alone.
        if earlier.jump_url is None:
            note = text(lang, "browse.pending")
        else:
            seconds = services_of(interaction).cooldowns.seconds_since(earlier)
            note = text(lang, "browse.recent", seconds=seconds, link=earlier.jump_url)
        await interaction.response.send_message(note, embed=embed, view=view, ephemeral=True)


def setup(tree: app_commands.CommandTree) -> None:
    """Add /resources show and /resources browse to `tree`."""
    tree.add_command(ResourcesGroup())


DYNAMIC_ITEMS = (PageButton, TopicSelect)
