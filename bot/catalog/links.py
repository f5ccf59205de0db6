"""The links a catalogue may hold: http(s) links that open the host they show and that
Discord's link buttons keep whole (`link_problem`)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A link that has none of `link_problem`'s problems, as nearly all have: http(s), a plain
# host name and port, no whitespace, one '?' at most and none after a '#'. It is let
# through without parsing; any other link is parsed in full.
PLAIN_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[^?#\s]*)?(?:\?[^?#\s]*)?(?:#[^?\s]*)?"
)


def link_problem(url: str) -> str | None:
    """What is wrong with `url` as a resource's link, said after "url '...'", or None."""
    if PLAIN_URL.fullmatch(url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname  # parses the host: a bracketed one must be an IPv6 address
    except ValueError:
        return "has a malformed host"
    if parts.scheme not in ("http", "https") or not host or " " in url:
        return "must be an http(s) link"
    if "@" in parts.netloc:
        # 'https://good.example@evil.example/' shows one host and opens another
        return "must not carry a user name or password"
    if url.count("?") > 1 or (parts.fragment and "?" in parts.fragment):
        return "has a '?' after the query or '#': the link would break"
    return None
