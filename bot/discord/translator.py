"""Command, option and choice names and descriptions in Swedish, for Swedish Discord clients.

The commands declare their texts by key (`command_str("ask.description")`); the texts, in
English and Swedish, live in `bot.i18n`, and this adapter hands the Swedish to discord.py
when the tree is synced. A key, not the English sentence, finds the translation, so editing
an English text never silently drops its Swedish.
"""

from __future__ import annotations

from discord import Locale, app_commands

from bot.i18n import DEFAULT_LANGUAGE, command_text, language_of

TRANSLATED_LOCALES = (Locale.swedish,)


def command_str(key: str) -> app_commands.locale_str:
    """The text `key` as a command declares it: its English (what Discord shows by default),
    carrying the key the translator looks up."""
    english = command_text(DEFAULT_LANGUAGE, key)
    if english is None:
        raise KeyError(f"no English command text {key!r} in bot.i18n")
    return app_commands.locale_str(english, key=key)


class CommandTranslator(app_commands.Translator):
    """Translates the commands' texts into Swedish (sv-SE) by their keys. A text declared
    without a key is taken as its own key (a top-level command's key is its name)."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale not in TRANSLATED_LOCALES:
            return None
        return command_text(language_of(locale), string.extras.get("key", string.message))
