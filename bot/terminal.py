"""Answers rendered as plain-text cards for the terminal (the `ask` and `chat` commands).

The terminal card shows what the Discord card shows (`bot.cards`): the same resources, chosen
by `bot.shown`, with the same labels from `bot.i18n`, in the reader's language. Text from the
catalogue or the question loses control characters, so it cannot move the cursor or recolour
the terminal.
"""

from __future__ import annotations

import textwrap

from bot.catalog import Catalog
from bot.i18n import text
from bot.markdown import QUESTION_ECHO, one_line, shorten
from bot.search import Answer, Match
from bot.shown import shown

WIDTH = 78
INDENT = "   "


def render_match(match: Match, catalog: Catalog, language: str) -> str:
    """One resource as a short card: title, link, description, kind, provider, topics, and
    why it matched."""
    resource = match.resource
    topics = ", ".join(catalog.name_of(catalog.topics, t, language) for t in resource.topics)
    kind = catalog.name_of(catalog.kinds, resource.kind, language)
    facts = [
        f"{text(language, 'card.kind')}: {kind}",
        f"{text(language, 'card.provider')}: {resource.provider}",
        f"{text(language, 'card.topics')}: {topics}",
    ]
    why = ", ".join(match.matched) if match.matched else "-"
    scoring = [
        text(language, "terminal.score", score=f"{match.score:.2f}"),
        text(language, "terminal.matched", words=why),
    ]
    lines = [
        one_line(resource.title_in(language)),
        INDENT + one_line(resource.url),
        textwrap.fill(
            one_line(resource.description_in(language)),
            WIDTH,
            initial_indent=INDENT,
            subsequent_indent=INDENT,
        ),
        INDENT + one_line(" · ".join(facts)),
        INDENT + one_line(" · ".join(scoring)),
    ]
    return "\n".join(lines)


def render_answer(answer: Answer, catalog: Catalog, language: str = "en") -> str:
    """The whole answer: the best card and the runners-up, or the near misses."""
    choice = shown(answer)
    if choice.best is not None:
        parts = [render_match(choice.best, catalog, language)]
        if choice.see_also:
            parts.append(text(language, "card.see_also") + ":")
            parts.extend(_line(m, language) for m in choice.see_also)
        return "\n".join(parts)
    question = shorten(one_line(answer.query), QUESTION_ECHO)
    parts = [text(language, "nomatch.title", question=question)]
    if choice.near_misses:
        parts.append(text(language, "nomatch.near"))
        parts.extend(_line(m, language) for m in choice.near_misses)
    return "\n".join(parts)


def _line(match: Match, language: str) -> str:
    resource = match.resource
    return f"  - {one_line(resource.title_in(language))} ({one_line(resource.url)})"
