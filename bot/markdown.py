"""Text made safe to show in Discord Markdown (and, for `one_line`, in a terminal).

Text a user typed is escaped (it cannot format, link or ping) and shortened before it is
echoed; the catalogue's text cannot ping or hide where a link leads, and its links are
percent-encoded into URLs Discord accepts. Used by the cards (`bot.cards`) and the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote, urlsplit, urlunsplit

ELLIPSIS = "…"
# How many links `web_url` remembers: a card and its buttons encode the same few links again
# and again (the most asked resources), and parsing a URL is most of a card's rendering.
URLS_REMEMBERED = 4096
QUESTION_ECHO = 200  # how much of a question is quoted back

_MARKDOWN = re.compile(r"([\\*_~`|>#\-\[\]()<:])")
# Catalogue text: what formats or links anywhere in a line, and what does at a line's start.
_INLINE_MARKDOWN = re.compile(r"([\\*_~`|\[\]])")
_LINE_MARKDOWN = re.compile(r"^(\s*)([#>\-])", re.MULTILINE)
_MENTION = re.compile(r"@(?=\S)")
_LINK_MENTION = re.compile(r"@(?=everyone|here)")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# What RFC 3986 allows unescaped in each part of a URL, besides letters, digits and "-._~".
_AUTHORITY_CHARS = "!$&'()*+,;=:@[]"
_PATH_CHARS = "!$&'()*+,;=:@/"
_QUERY_CHARS = _PATH_CHARS + "?"
WHITESPACE = re.compile(r"\s+")
# Control characters, and the marks that turn text right-to-left until they are closed: quoted
# user text loses them, so it cannot turn the bot's own words around.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shorten(value: str, limit: int) -> str:
    """`value` cut to at most `limit` characters, ending in "…" when cut."""
    if len(value) <= limit:
        return value
    if limit <= 0:
        return ""
    return value[: limit - 1].rstrip() + ELLIPSIS


def escape_markdown(value: str) -> str:
    """`value` with every Markdown character escaped, so it shows exactly as typed."""
    return _MARKDOWN.sub(r"\\\1", value)


def plain_text(value: str) -> str:
    """Catalogue text shown as written: a masked link (`[text](https://elsewhere)`), bold,
    spoilers, headings and quotes are escaped, so no moderator's text can hide where a link
    leads; what cannot format (a hyphen inside a word) is left alone, and nothing can ping."""
    escaped = _LINE_MARKDOWN.sub(r"\1\\\2", _INLINE_MARKDOWN.sub(r"\\\1", value))
    return neutralize_mentions(escaped)


def within(value: str, limit: int, make_safe: Callable[[str], str]) -> str:
    """`make_safe(value)` at most `limit` characters long, cut before the escaping so no
    escape is cut in half."""
    size = limit
    while True:
        safe = make_safe(shorten(value, size))
        if len(safe) <= limit or size <= 1:
            return safe[:limit]
        size -= max(1, (len(safe) - limit + 1) // 2)


def neutralize_mentions(value: str) -> str:
    """`value` with a zero-width space after every "@", so nothing in it can mention anyone
    (`@everyone`, `@here`, `<@id>`, `<@&role>`), even where allowed mentions are not set."""
    return _MENTION.sub("@\u200b", value)


def one_line(value: str) -> str:
    """`value` on one line, without control characters or direction marks: what any
    renderer shows of text it did not write."""
    return _CONTROLS.sub("", WHITESPACE.sub(" ", value)).strip()


def echo(value: str, limit: int = QUESTION_ECHO) -> str:
    """User text made safe to quote back: one line without control or direction marks,
    escaped, mention-proof, at most `limit`."""
    return within(one_line(value), limit, lambda part: neutralize_mentions(escape_markdown(part)))


@lru_cache(maxsize=URLS_REMEMBERED)
def web_url(url: str) -> str:
    """`url` as Discord accepts it in a card or a button: characters a URL may not hold
    (letters outside ASCII, spaces, `<`, `>`, ...) percent-encoded, existing escapes kept."""

    def escape(part: str, allowed: str) -> str:
        return quote(_BAD_PERCENT.sub("%25", part), safe=allowed + "%")

    parts = urlsplit(url)
    return urlunsplit(
        (
            parts.scheme,
            escape(parts.netloc, _AUTHORITY_CHARS),
            escape(parts.path, _PATH_CHARS),
            escape(parts.query, _QUERY_CHARS),
            escape(parts.fragment, _QUERY_CHARS),
        )
    )


def link(label: str, url: str, *, preview: bool = True) -> str:
    """A Markdown link whose label cannot close early or ping, and whose target cannot break
    or ping. Without `preview`, Discord shows no preview of the page under the message."""
    target = _LINK_MENTION.sub("%40", web_url(url)).replace("(", "%28").replace(")", "%29")
    if not preview:
        target = f"<{target}>"
    return f"[{plain_text(label)}]({target})"
