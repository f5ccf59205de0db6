"""Command, option and choice names and descriptions in Swedish, for Swedish Discord clients.

The texts live in `bot.i18n`; this adapter hands them to discord.py when the tree is synced.
"""

from __future__ import annotations

from discord import Locale, app_commands

from bot.i18n import command_text_sv

TRANSLATED_LOCALES = (Locale.swedish,)


class CommandTranslator(app_commands.Translator):
    """Translates what the commands declare in English into Swedish (sv-SE)."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        if locale not in TRANSLATED_LOCALES:
            return None
        return command_text_sv(string.message)
