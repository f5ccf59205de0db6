"""What the bot shows, as plain data: answers, cards, pages and reports shaped like Discord's
message JSON, in the reader's language.

Pure functions of their arguments; nothing here imports discord, so every card can be checked
against Discord's limits in a unit test. Every text shown goes through `bot.markdown` first:
what a user typed cannot format, link or ping, nor can the catalogue's text.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot import limits
from bot.catalog import Catalog, CatalogError, Resource
from bot.i18n import text
from bot.library import CatalogDiff
from bot.markdown import (
    ELLIPSIS,
    WHITESPACE,
    echo,
    link,
    neutralize_mentions,
    plain_text,
    shorten,
    web_url,
    within,
)
from bot.search import Answer, Match
from bot.shown import shown
from bot.store import Stats

NEAR_MISS_TITLE = 120
BROWSE_PAGE_SIZE = 5
BROWSE_TITLE = 120
STATS_LINE = 90
DIFF_IDS_SHOWN = 30
PROBLEMS_SHOWN = 15

SECTION_COLOURS = {"primary": 0x5865F2, "secondary": 0x3BA55C}
PALETTE = (0x5865F2, 0x3BA55C, 0xFAA61A, 0xEB459E, 0x1ABC9C, 0x9B59B6, 0xE67E22, 0x3498DB)
NEUTRAL_COLOUR = 0x99AAB5


def _code_block(lines: Iterable[str]) -> str:
    body = "\n".join(lines).replace("```", "ˋˋˋ")
    return f"```\n{body}\n```"


# --- limits -------------------------------------------------------------------------------


def embed_length(embed: Mapping[str, Any]) -> int:
    """The characters Discord counts towards its total per message (`limits.EMBED_TOTAL`)."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    total += len(embed.get("author", {}).get("name", ""))
    for field in embed.get("fields", ()):
        total += len(field["name"]) + len(field["value"])
    return total


def _fit(embed: dict[str, Any]) -> dict[str, Any]:
    """Shorten the description so the whole embed fits Discord's total."""
    excess = embed_length(embed) - limits.EMBED_TOTAL
    if excess > 0 and "description" in embed:
        description = embed["description"]
        embed["description"] = shorten(description, max(1, len(description) - excess))
    return embed


def _field(name: str, value: str, inline: bool = False) -> dict[str, Any]:
    return {
        "name": shorten(name, limits.EMBED_FIELD_NAME),
        "value": shorten(value or "-", limits.EMBED_FIELD_VALUE),
        "inline": inline,
    }


def _lines_within(lines: Sequence[str], limit: int, more: str = ELLIPSIS) -> str:
    """As many whole lines as fit in `limit` characters, then `more` if some were left."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        remaining = len(lines) - index - 1
        cost = len(line) + (1 if kept else 0)
        reserve = len(more) + 1 if remaining else 0
        if used + cost + reserve > limit:
            kept.append(more)
            break
        kept.append(line)
        used += cost
    return "\n".join(kept)[:limit]


# --- cards --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    """A message to send: its text, its embeds, and the resource its buttons are for."""

    content: str | None
    embeds: tuple[dict[str, Any], ...] = ()
    resource: Resource | None = None


def colour_of(resource: Resource) -> int:
    """The card colour: fixed for the known sections, stable per section otherwise."""
    if resource.section in SECTION_COLOURS:
        return SECTION_COLOURS[resource.section]
    return PALETTE[zlib.crc32(resource.section.encode()) % len(PALETTE)]


def resource_card(
    resource: Resource,
    catalog: Catalog,
    language: str,
    *,
    see_also: Sequence[Resource] = (),
) -> dict[str, Any]:
    """The card of one resource: linked title, description, kind, provider, topics, a colour
    per section, and compact lines for `see_also`."""
    topics = ", ".join(catalog.name_of(catalog.topics, t, language) for t in resource.topics)
    kind = catalog.name_of(catalog.kinds, resource.kind, language)
    fields = [
        _field(text(language, "card.kind"), neutralize_mentions(kind), True),
        _field(text(language, "card.provider"), neutralize_mentions(resource.provider), True),
        _field(text(language, "card.topics"), neutralize_mentions(topics), True),
    ]
    if see_also:
        lines = [compact_line(other, catalog, language) for other in see_also]
        fields.append(
            _field(text(language, "card.see_also"), _lines_within(lines, limits.EMBED_FIELD_VALUE))
        )
    section = neutralize_mentions(catalog.name_of(catalog.sections, resource.section, language))
    footer = text(language, "card.footer", section=section)
    card: dict[str, Any] = {
        "title": within(resource.title_in(language), limits.EMBED_TITLE, plain_text),
        "description": within(
            resource.description_in(language), limits.EMBED_DESCRIPTION, plain_text
        ),
        "color": colour_of(resource),
        "fields": fields,
        "footer": {"text": shorten(footer, limits.EMBED_FOOTER)},
    }
    url = web_url(resource.url)
    if len(url) <= limits.EMBED_URL:
        card["url"] = url
    return _fit(card)


def compact_line(resource: Resource, catalog: Catalog, language: str) -> str:
    """One resource on one line: linked title, kind and provider."""
    kind = neutralize_mentions(catalog.name_of(catalog.kinds, resource.kind, language))
    title = shorten(resource.title_in(language), BROWSE_TITLE)
    provider = neutralize_mentions(shorten(resource.provider, 60))
    return f"• {link(title, resource.url)} · {kind} · {provider}"


def answer_reply(answer: Answer, catalog: Catalog, language: str) -> Reply:
    """The reply to a question: the best card and the resources `bot.shown` picks to go with
    it when the answer is confident, otherwise the text saying nothing fits, with the near
    misses."""
    choice = shown(answer)
    if choice.best is None:
        return Reply(near_miss_text(answer, language))
    best = choice.best.resource
    others = [m.resource for m in choice.see_also]
    return Reply(
        text(language, "card.asked", question=echo(answer.query)),
        (resource_card(best, catalog, language, see_also=others),),
        best,
    )


def resource_reply(resource: Resource, catalog: Catalog, language: str) -> Reply:
    """The reply that shows exactly one resource."""
    return Reply(None, (resource_card(resource, catalog, language),), resource)


def near_miss_text(answer: Answer, language: str) -> str:
    """Says no resource fits the question, lists the near misses, points to browsing."""
    lines = [text(language, "nomatch.title", question=echo(answer.query))]
    near = shown(answer).near_misses
    if near:
        lines.append(text(language, "nomatch.near"))
        lines.extend(_near_miss_line(m.resource, language) for m in near)
    lines.append(text(language, "nomatch.browse"))
    return shorten("\n".join(lines), limits.MESSAGE_CONTENT)


def _near_miss_line(resource: Resource, language: str) -> str:
    title = shorten(resource.title_in(language), NEAR_MISS_TITLE)
    return f"• {link(title, resource.url, preview=False)}"  # no preview of every near miss


def autocomplete_choices(
    matches: Iterable[Match], language: str, limit: int = limits.AUTOCOMPLETE_CHOICES
) -> list[tuple[str, str]]:
    """(name, value) pairs for Discord's autocomplete: the title (at most 100 characters) and
    the resource id, at most 25, without duplicates."""
    choices: list[tuple[str, str]] = []
    seen: set[str] = set()
    for match in matches:
        resource = match.resource
        if resource.id in seen or len(resource.id) > limits.CHOICE_VALUE:
            continue
        seen.add(resource.id)
        name = WHITESPACE.sub(" ", resource.title_in(language)).strip() or resource.id
        choices.append((shorten(name, limits.CHOICE_NAME), resource.id))
        if len(choices) >= limit:
            break
    return choices


# --- browsing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page of the browse list."""

    embed: dict[str, Any]
    page: int  # 0-based, clamped to the pages there are
    pages: int
    topic: str | None


def browse_page(catalog: Catalog, language: str, topic: str | None, page: int) -> Page:
    """Page `page` of the resources (of `topic`, or all), `BROWSE_PAGE_SIZE` a page."""
    resources = catalog.with_topic(topic)
    pages = max(1, math.ceil(len(resources) / BROWSE_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = resources[page * BROWSE_PAGE_SIZE : (page + 1) * BROWSE_PAGE_SIZE]
    if topic is None:
        title = text(language, "browse.title")
    else:
        name = neutralize_mentions(catalog.name_of(catalog.topics, topic, language))
        title = text(language, "browse.title_topic", topic=name)
    entries = []
    for number, resource in enumerate(shown, start=page * BROWSE_PAGE_SIZE + 1):
        entries.append(f"**{number}.** {compact_line(resource, catalog, language)[2:]}")
    description = "\n".join(entries) if entries else text(language, "browse.empty")
    footer = text(language, "browse.footer", page=page + 1, pages=pages, count=len(resources))
    embed = {
        "title": shorten(title, limits.EMBED_TITLE),
        "description": _lines_within(description.split("\n"), limits.EMBED_DESCRIPTION),
        "color": NEUTRAL_COLOUR,
        "footer": {"text": footer},
    }
    return Page(_fit(embed), page, pages, topic)


def topic_options(catalog: Catalog, language: str) -> list[tuple[str, str]]:
    """(label, value) pairs for the topic menu: "All topics" first, then the topics that have
    resources, at most 25 in all. The value of "All topics" is "*"."""
    options = [(text(language, "select.all_topics"), "*")]
    used = {t for r in catalog for t in r.topics}
    for topic in catalog.topics:
        if topic in used and len(options) < limits.SELECT_OPTIONS:
            name = neutralize_mentions(catalog.name_of(catalog.topics, topic, language))
            options.append((shorten(name, limits.SELECT_OPTION_LABEL), topic))
    return options


# --- moderators ---------------------------------------------------------------------------


def diff_text(diff: CatalogDiff, language: str, key: str = "reload.done") -> str:
    """What a reload or upload changed, as a short message."""
    lines = [text(language, key, total=diff.total)]
    if diff.unchanged:
        lines.append(text(language, "diff.none"))
    for label, ids in (
        ("diff.added", diff.added),
        ("diff.removed", diff.removed),
        ("diff.changed", diff.changed),
    ):
        if ids:
            shown = ", ".join(f"`{i}`" for i in ids[:DIFF_IDS_SHOWN])
            if len(ids) > DIFF_IDS_SHOWN:
                shown += " " + text(language, "diff.more", count=len(ids) - DIFF_IDS_SHOWN)
            lines.append(f"**{text(language, label)} ({len(ids)}):** {shown}")
    return _lines_within(lines, limits.MESSAGE_CONTENT)


def problems_text(error: CatalogError, language: str, key: str = "reload.failed") -> str:
    """The validation problems of a catalogue, one `PATH:LINE: message` a line."""
    problems = [shorten(neutralize_mentions(str(p)), 300) for p in error.problems]
    head = text(language, key, count=len(problems))
    shown = problems[:PROBLEMS_SHOWN]
    if len(problems) > PROBLEMS_SHOWN:
        shown.append(text(language, "problems.more", count=len(problems) - PROBLEMS_SHOWN))
    message = f"{head}\n{_code_block(shown)}"
    while len(message) > limits.MESSAGE_CONTENT and len(shown) > 1:
        dropped = len(problems) - len(shown) + 2
        shown = [*shown[:-2], text(language, "problems.more", count=dropped)]
        message = f"{head}\n{_code_block(shown)}"
    return shorten(message, limits.MESSAGE_CONTENT)


# The periods stats look back over, and how many seconds each is (None: all time).
PERIOD_SECONDS = {"day": 24 * 3600, "week": 7 * 24 * 3600, "month": 30 * 24 * 3600, "all": None}


def stats_embed(stats: Stats, language: str, period: str, catalog: Catalog) -> dict[str, Any]:
    """The moderators' report: most asked, unanswered, and votes per resource."""
    nothing = text(language, "stats.nothing")

    def question_lines(rows: Sequence[tuple[str, int]]) -> str:
        lines = [f"**{count}×** {echo(question, STATS_LINE)}" for question, count in rows]
        return _lines_within(lines, limits.EMBED_FIELD_VALUE) if lines else nothing

    vote_lines = []
    for row in stats.feedback:
        resource = catalog.get(row.resource_id)
        name = shorten(resource.title_in(language), 60) if resource else row.resource_id
        vote_lines.append(f"👍 {row.helpful} · 👎 {row.not_helpful} · {echo(name, 120)}")
    if stats.available:
        summary = text(language, "stats.summary", count=stats.questions)
    else:
        summary = text(language, "stats.unavailable")
    since = ""
    if stats.since is not None:
        since = " (" + datetime.fromtimestamp(stats.since, UTC).strftime("%Y-%m-%d %H:%M UTC") + ")"
    return _fit(
        {
            "title": shorten(
                text(language, "stats.title", period=text(language, f"period.{period}")),
                limits.EMBED_TITLE,
            ),
            "description": summary + since,
            "color": NEUTRAL_COLOUR,
            "fields": [
                _field(text(language, "stats.most_asked"), question_lines(stats.most_asked)),
                _field(text(language, "stats.unanswered"), question_lines(stats.unanswered)),
                _field(
                    text(language, "stats.feedback"),
                    _lines_within(vote_lines, limits.EMBED_FIELD_VALUE) if vote_lines else nothing,
                ),
            ],
        }
    )
