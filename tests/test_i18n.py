"""Texts: every English text has a Swedish one, and the Swedish command names are valid."""

from __future__ import annotations

import re
import string

import pytest
from discord import Locale, app_commands

from bot import i18n
from bot.config import Settings
from bot.discord.client import create_bot
from bot.discord.translator import CommandTranslator

# Discord's rule for chat-input command and option names; \w in Python is \p{L}\p{N}_.
NAME = re.compile(r"^[-_\w]{1,32}$")


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    english, swedish = i18n.MESSAGES["en"], i18n.MESSAGES["sv"]
    assert set(english) == set(swedish)
    for key, template in english.items():
        assert swedish[key].strip(), key
        assert placeholders(template) == placeholders(swedish[key]), key


@pytest.mark.parametrize(
    ("locale", "language"),
    [("sv-SE", "sv"), ("en-US", "en"), ("en-GB", "en"), ("de", "en"), (None, "en")],
)
def test_reply_language_follows_the_locale(locale: str | None, language: str) -> None:
    assert i18n.language_of(locale) == language


def test_text_falls_back_to_english() -> None:
    assert i18n.text("fi", "button.open") == "Open"
    assert i18n.text("sv", "button.open") == "Öppna"


async def translated_tree() -> list[dict]:
    bot = create_bot(Settings())
    await bot.tree.set_translator(CommandTranslator())
    return await bot.command_payload(None)


def walk(payload: list[dict]):
    for item in payload:
        yield item
        yield from walk(item.get("options", []))


async def test_every_command_option_and_choice_is_translated_and_valid() -> None:
    payload = await translated_tree()
    for item in walk(payload):
        if item.get("type") == 3 and "value" in item:  # a choice
            continue
        name_sv = item["name_localizations"]["sv-SE"]
        description_sv = item.get("description_localizations", {}).get("sv-SE")
        is_context_menu = item.get("type") == 3 and "description" not in item
        if is_context_menu:
            assert 1 <= len(name_sv) <= 32
            continue
        assert NAME.match(item["name"]) and item["name"] == item["name"].lower()
        assert NAME.match(name_sv), name_sv
        assert name_sv == name_sv.lower(), name_sv
        assert description_sv and 1 <= len(description_sv) <= 100, item["name"]
        assert 1 <= len(item["description"]) <= 100
        for choice in item.get("choices", []):
            assert 1 <= len(choice["name_localizations"]["sv-SE"]) <= 100


async def test_swedish_names_are_distinct_within_each_level() -> None:
    payload = await translated_tree()

    def check(items: list[dict]) -> None:
        names = [i["name_localizations"]["sv-SE"] for i in items if "name_localizations" in i]
        assert len(names) == len(set(names)), names
        for item in items:
            check([o for o in item.get("options", []) if o.get("type") in (1, 2)])
            check([o for o in item.get("options", []) if o.get("type", 0) > 2])

    check([i for i in payload if i.get("type", 1) == 1])


async def test_the_swedish_command_names() -> None:
    payload = {item["name"]: item for item in await translated_tree()}
    assert payload["ask"]["name_localizations"]["sv-SE"] == "fråga"
    assert payload["resources"]["name_localizations"]["sv-SE"] == "resurser"
    assert payload["Find resources"]["name_localizations"]["sv-SE"] == "Hitta resurser"
    assert payload["resources-admin"]["default_member_permissions"] == 1 << 5  # Manage Server


async def test_translator_leaves_other_languages_alone() -> None:
    translator = CommandTranslator()
    context = app_commands.TranslationContext(app_commands.TranslationContextLocation.other, None)
    ask = app_commands.locale_str("ask")
    assert await translator.translate(ask, Locale.german, context) is None
    assert await translator.translate(ask, Locale.american_english, context) is None
    assert await translator.translate(ask, Locale.swedish, context) == "fråga"


def test_every_command_text_exists_in_both_languages() -> None:
    english, swedish = i18n.COMMAND_TEXT_EN, i18n.COMMAND_TEXT_SV
    assert set(english) == set(swedish)
    for key in english:
        assert english[key].strip() and swedish[key].strip(), key


class RecordingTranslator(CommandTranslator):
    """The product's translator, noting every text the command tree asks it for."""

    def __init__(self) -> None:
        self.asked: list[app_commands.locale_str] = []

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        self.asked.append(string)
        return await super().translate(string, locale, context)


async def test_every_text_of_the_command_tree_has_a_key_in_both_languages() -> None:
    bot = create_bot(Settings())
    translator = RecordingTranslator()
    await bot.tree.set_translator(translator)
    await bot.command_payload(None)
    assert translator.asked
    for declared in translator.asked:
        key = declared.extras.get("key")
        assert key is not None, f"{declared.message!r} is declared without a key"
        assert key in i18n.COMMAND_TEXT_EN and key in i18n.COMMAND_TEXT_SV, key
        assert declared.message == i18n.COMMAND_TEXT_EN[key], key


async def test_an_edited_english_text_keeps_its_swedish() -> None:
    translator = CommandTranslator()
    context = app_commands.TranslationContext(app_commands.TranslationContextLocation.other, None)
    edited = app_commands.locale_str("Ask a question", key="ask.description")
    assert (
        await translator.translate(edited, Locale.swedish, context)
        == (i18n.COMMAND_TEXT_SV["ask.description"])
    )
