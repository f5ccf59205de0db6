"""Buttons and menus keep their state in custom ids: those must fit Discord's 100 characters
even for the longest ids the catalogue allows, and read back to the same state."""

from __future__ import annotations

import re

from bot import limits
from bot.discord.browse import PageButton, TopicSelect
from bot.discord.views import DeleteButton, FeedbackButton

LONGEST_ID = "r" + "x" * 63  # the catalogue allows ids of 64 characters
LONGEST_USER = 2**64 - 1  # a snowflake has at most 20 digits


def test_custom_ids_fit_and_match_their_templates() -> None:
    items = [
        FeedbackButton(LONGEST_ID, True),
        FeedbackButton(LONGEST_ID, False),
        DeleteButton(LONGEST_USER),
        PageButton("prev", LONGEST_USER, 999_999, LONGEST_ID),
        PageButton("next", LONGEST_USER, 999_999, LONGEST_ID),
        TopicSelect(LONGEST_USER),
    ]
    for item in items:
        assert len(item.custom_id) <= limits.CUSTOM_ID, item.custom_id
        assert re.fullmatch(type(item).__discord_ui_compiled_template__, item.custom_id)


async def test_page_buttons_read_back_their_state() -> None:
    for step in ("prev", "next"):
        button = PageButton(step, LONGEST_USER, 3, LONGEST_ID)
        match = re.fullmatch(PageButton.__discord_ui_compiled_template__, button.custom_id)
        again = await PageButton.from_custom_id(None, button.item, match)
        assert (again.step, again.owner_id, again.page, again.topic) == (
            step,
            LONGEST_USER,
            3,
            LONGEST_ID,
        )
