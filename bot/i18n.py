"""Every text a Discord user sees, in English and Swedish.

Replies follow the asker's Discord language: Swedish for `sv-SE`, English otherwise.
Command, option and choice names and descriptions, in both languages by key, are in
`bot.command_texts`; `bot.discord.translator` hands them to Discord.
This module imports nothing from discord, so the pure card rendering can use it.
"""

from __future__ import annotations

from bot.command_texts import COMMAND_TEXT_EN, COMMAND_TEXT_SV

LANGUAGES = ("en", "sv")
DEFAULT_LANGUAGE = "en"

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        # cards
        "card.asked": "Answer to: {question}",
        "card.kind": "Kind",
        "card.provider": "Provider",
        "card.topics": "Topics",
        "card.see_also": "Also relevant",
        "card.footer": "{section} · Was this helpful? Tell us with the buttons below.",
        # buttons and menus
        "button.open": "Open",
        "button.helpful": "Helpful",
        "button.not_helpful": "Not helpful",
        "button.delete": "Delete",
        "button.previous": "Previous",
        "button.next": "Next",
        "select.topic": "Filter by topic",
        "select.all_topics": "All topics",
        # answers
        "nomatch.title": "No resource fits “{question}” well enough.",
        "nomatch.near": "These come closest:",
        "nomatch.browse": "See every resource with `/resources browse`, or ask in other words.",
        "ask.empty": "Type a question, for example “when should I fine-tune?”.",
        "context.empty": "That message has no text to search for.",
        "context.replied": "Answered in a reply to that message: {link}",
        "show.unknown": (
            "There is no resource “{resource}”. Start typing its name and pick it from the list."
        ),
        "cooldown.recent": "{title} was posted here {seconds} s ago: {link}",
        "cooldown.pending": "{title} is being posted here right now; look just above.",
        "ratelimit.slow": (
            "You are asking faster than I can keep up. Please wait {seconds} s and ask again."
        ),
        # feedback and delete
        "feedback.thanks": "Thanks! Your vote is counted.",
        "feedback.changed": "Thanks! Your vote is changed.",
        "feedback.already": (
            "You already voted this way on this resource; the other button changes your vote."
        ),
        "feedback.unsaved": "Your vote could not be saved right now. Please try again in a minute.",
        "delete.refused": "Only the person who asked, or a moderator, can delete this answer.",
        # browse
        "browse.title": "Resources",
        "browse.title_topic": "Resources: {topic}",
        "browse.footer": "Page {page} of {pages} · {count} resources",
        "browse.empty": "No resource has this topic.",
        "browse.unknown_topic": "There is no topic “{topic}”. Pick one from the list.",
        "browse.recent": (
            "A list was posted here {seconds} s ago: {link}. Here is yours, visible only to you."
        ),
        "browse.pending": (
            "A list is being posted here right now; here is yours, visible only to you."
        ),
        "browse.not_owner": (
            "Only the person who opened this list can turn its pages. "
            "Open your own with `/resources browse`."
        ),
        # moderators
        "mod.refused": "Only moderators can use this command.",
        "mod.guild_only": "This command works in a server, not in direct messages.",
        "reload.busy": "A reload or upload is already running; try again in a moment.",
        "reload.done": "Catalogue reloaded: {total} resources.",
        "rebuild.stopped": (
            "Building the new catalogue stopped before it finished, so nothing was changed and "
            "the previous catalogue is still served. Please try again; if it keeps happening, "
            "tell the bot's operator."
        ),
        "reload.failed": (
            "The catalogue file has {count} problem(s), so I kept serving the previous "
            "catalogue. Fix these lines and reload:"
        ),
        "upload.done": (
            "New catalogue saved and live: {total} resources. "
            "The previous file was kept as a backup."
        ),
        "upload.failed": "The uploaded file has {count} problem(s); nothing was changed:",
        "upload.too_big": "That file is too large: a catalogue can be at most {megabytes} MB.",
        "upload.unreadable": "I could not download the attachment; please try again.",
        "upload.server_done": (
            "This server's own catalogue is saved and live: {total} resources. Other servers "
            "are not affected; `/resources-admin reset` goes back to the default catalogue."
        ),
        "upload.too_many": (
            "That catalogue has {count} resources; a server's own catalogue may hold at most "
            "{limit}. Nothing was changed."
        ),
        "reload.operator": (
            "This server is answered from the default catalogue, which is managed by the bot's "
            "operator. To manage this server's resources, upload a catalogue of its own with "
            "`/resources-admin upload`."
        ),
        "reset.done": (
            "This server is answered from the default catalogue again: {total} resources. "
            "Its own catalogue was kept as a backup."
        ),
        "reset.none": "This server already uses the default catalogue; nothing was changed.",
        "diff.added": "Added",
        "diff.removed": "Removed",
        "diff.changed": "Changed",
        "diff.none": "No resource changed.",
        "diff.more": "… and {count} more",
        "problems.more": "… and {count} more problem(s)",
        # stats
        "stats.title": "Questions and feedback: {period}",
        "stats.summary": "Questions asked: {count}.",
        "stats.most_asked": "Most asked",
        "stats.unanswered": "No confident answer (gaps in the catalogue)",
        "stats.feedback": "Helpful / not helpful per resource",
        "stats.nothing": "Nothing yet.",
        "stats.unavailable": "The database is unavailable, so nothing has been recorded.",
        "period.day": "last 24 hours",
        "period.week": "last 7 days",
        "period.month": "last 30 days",
        "period.all": "all time",
        # privacy
        "about.text": (
            "**What this bot stores about you**\n"
            "• Each question you ask (with /ask or Find resources): its text, when, in which "
            "server and channel, your Discord id and language, and which resource answered.\n"
            "• Your Helpful / Not helpful vote on each resource: which, in which server, your "
            "Discord id and when.\n"
            "A server's moderators see that server's most asked and unanswered questions, word "
            "for word (private ones too), and its vote counts, not who asked or voted. {kept}\n"
            "`/resources forget-me` deletes your questions and votes in every server now. "
            "Answers posted in a channel stay there until someone deletes them with their "
            "Delete button."
        ),
        "about.kept_days": "Questions and votes are deleted after {days} days.",
        "about.kept_forever": "Questions and votes are kept until someone deletes them.",
        "forget.me_done": (
            "Done: I deleted {questions} question(s) and {votes} vote(s) of yours. "
            "Answers already posted stay until deleted with their Delete button."
        ),
        "forget.user_done": "Deleted {questions} question(s) and {votes} vote(s) by {user}.",
        "forget.unavailable": (
            "The database cannot be reached right now, so nothing was deleted. "
            "Please try again later."
        ),
        # the command line (terminal cards and chat)
        "terminal.score": "score {score}",
        "terminal.matched": "matched: {words}",
        "chat.intro": "Ask about the catalogue; Ctrl-D to quit.",
        # errors
        "error.generic": "Something went wrong on my side. Please try again in a moment.",
    },
    "sv": {
        "card.asked": "Svar på: {question}",
        "card.kind": "Typ",
        "card.provider": "Utgivare",
        "card.topics": "Ämnen",
        "card.see_also": "Också relevant",
        "card.footer": "{section} · Var detta till hjälp? Säg till med knapparna nedan.",
        "button.open": "Öppna",
        "button.helpful": "Till hjälp",
        "button.not_helpful": "Inte till hjälp",
        "button.delete": "Ta bort",
        "button.previous": "Föregående",
        "button.next": "Nästa",
        "select.topic": "Filtrera på ämne",
        "select.all_topics": "Alla ämnen",
        "nomatch.title": "Ingen resurs passar “{question}” tillräckligt bra.",
        "nomatch.near": "Dessa kommer närmast:",
        "nomatch.browse": "Se alla resurser med `/resurser bläddra`, eller fråga med andra ord.",
        "ask.empty": "Skriv en fråga, till exempel “när ska jag finjustera?”.",
        "context.empty": "Meddelandet har ingen text att söka efter.",
        "context.replied": "Besvarat i ett svar på meddelandet: {link}",
        "show.unknown": (
            "Det finns ingen resurs “{resource}”. Börja skriva namnet och välj i listan."
        ),
        "cooldown.recent": "{title} postades här för {seconds} s sedan: {link}",
        "cooldown.pending": "{title} postas här just nu; titta precis ovanför.",
        "ratelimit.slow": "Du frågar snabbare än jag hinner med. Vänta {seconds} s och fråga igen.",
        "feedback.thanks": "Tack! Din röst är räknad.",
        "feedback.changed": "Tack! Din röst är ändrad.",
        "feedback.already": (
            "Du har redan röstat så på den här resursen; den andra knappen ändrar din röst."
        ),
        "feedback.unsaved": "Din röst kunde inte sparas just nu. Försök igen om en stund.",
        "delete.refused": "Bara den som frågade, eller en moderator, kan ta bort svaret.",
        "browse.title": "Resurser",
        "browse.title_topic": "Resurser: {topic}",
        "browse.footer": "Sida {page} av {pages} · {count} resurser",
        "browse.empty": "Ingen resurs har det här ämnet.",
        "browse.unknown_topic": "Det finns inget ämne “{topic}”. Välj ett i listan.",
        "browse.recent": (
            "En lista postades här för {seconds} s sedan: {link}. Här är din, synlig bara för dig."
        ),
        "browse.pending": "En lista postas här just nu; här är din, synlig bara för dig.",
        "browse.not_owner": (
            "Bara den som öppnade listan kan bläddra i den. Öppna din egen med `/resurser bläddra`."
        ),
        "mod.refused": "Bara moderatorer kan använda det här kommandot.",
        "mod.guild_only": "Kommandot fungerar i en server, inte i direktmeddelanden.",
        "reload.busy": "En omladdning eller uppladdning pågår redan; försök igen om en stund.",
        "reload.done": "Katalogen är omladdad: {total} resurser.",
        "rebuild.stopped": (
            "Bygget av den nya katalogen avbröts innan det blev klart, så inget ändrades och "
            "den tidigare katalogen används fortfarande. Försök igen; händer det igen, säg till "
            "botens operatör."
        ),
        "reload.failed": (
            "Katalogfilen har {count} problem, så jag fortsätter med den tidigare "
            "katalogen. Rätta raderna och ladda om:"
        ),
        "upload.done": (
            "Den nya katalogen är sparad och i bruk: {total} resurser. "
            "Den tidigare filen sparades som säkerhetskopia."
        ),
        "upload.failed": "Den uppladdade filen har {count} problem; inget ändrades:",
        "upload.too_big": "Filen är för stor: en katalog får vara högst {megabytes} MB.",
        "upload.unreadable": "Jag kunde inte hämta bilagan; försök igen.",
        "upload.server_done": (
            "Serverns egen katalog är sparad och i bruk: {total} resurser. Andra servrar "
            "påverkas inte; `/resurser-admin återställ` går tillbaka till standardkatalogen."
        ),
        "upload.too_many": (
            "Katalogen har {count} resurser; en servers egen katalog får ha högst {limit}. "
            "Inget ändrades."
        ),
        "reload.operator": (
            "Den här servern besvaras från standardkatalogen, som sköts av botens operatör. "
            "Ladda upp en egen katalog för servern med `/resurser-admin ladda-upp` för att "
            "sköta dess resurser."
        ),
        "reset.done": (
            "Den här servern besvaras från standardkatalogen igen: {total} resurser. "
            "Dess egen katalog sparades som säkerhetskopia."
        ),
        "reset.none": "Den här servern använder redan standardkatalogen; inget ändrades.",
        "diff.added": "Tillagda",
        "diff.removed": "Borttagna",
        "diff.changed": "Ändrade",
        "diff.none": "Ingen resurs ändrades.",
        "diff.more": "… och {count} till",
        "problems.more": "… och {count} problem till",
        "stats.title": "Frågor och återkoppling: {period}",
        "stats.summary": "Antal frågor: {count}.",
        "stats.most_asked": "Vanligaste frågorna",
        "stats.unanswered": "Utan säkert svar (luckor i katalogen)",
        "stats.feedback": "Till hjälp / inte till hjälp per resurs",
        "stats.nothing": "Inget än.",
        "stats.unavailable": "Databasen är inte tillgänglig, så inget har sparats.",
        "period.day": "senaste dygnet",
        "period.week": "senaste 7 dagarna",
        "period.month": "senaste 30 dagarna",
        "period.all": "hela tiden",
        "about.text": (
            "**Vad boten sparar om dig**\n"
            "• Varje fråga du ställer (med /fråga eller Hitta resurser): texten, när, i vilken "
            "server och kanal, ditt Discord-id och språk, och vilken resurs som svarade.\n"
            "• Din röst Till hjälp / Inte till hjälp på varje resurs: vilken, i vilken server, "
            "ditt Discord-id och när.\n"
            "En servers moderatorer ser serverns vanligaste och obesvarade frågor, ordagrant "
            "(även privata), och dess antal röster, inte vem som frågade eller röstade. {kept}\n"
            "`/resurser glöm-mig` raderar dina frågor och röster i alla servrar direkt. "
            "Svar som postats i en kanal ligger kvar tills någon tar bort dem med deras "
            "Ta bort-knapp."
        ),
        "about.kept_days": "Frågor och röster raderas efter {days} dagar.",
        "about.kept_forever": "Frågor och röster sparas tills någon raderar dem.",
        "forget.me_done": (
            "Klart: jag raderade {questions} fråga/frågor och {votes} röst(er) från dig. "
            "Svar som redan postats ligger kvar tills de tas bort med sin Ta bort-knapp."
        ),
        "forget.user_done": "Raderade {questions} fråga/frågor och {votes} röst(er) från {user}.",
        "forget.unavailable": (
            "Databasen går inte att nå just nu, så inget raderades. Försök igen senare."
        ),
        "terminal.score": "poäng {score}",
        "terminal.matched": "matchade ord: {words}",
        "chat.intro": "Fråga om katalogen; Ctrl-D avslutar.",
        "error.generic": "Något gick fel hos mig. Försök igen om en stund.",
    },
}


def _period_choices(messages: dict[str, str]) -> dict[str, str]:
    """The stats command's period menu shows the reports' period names, capitalised."""
    return {
        f"resources-admin.stats.{key}": message.capitalize()
        for key, message in messages.items()
        if key.startswith("period.")
    }


COMMAND_TEXT_EN.update(_period_choices(MESSAGES["en"]))
COMMAND_TEXT_SV.update(_period_choices(MESSAGES["sv"]))
COMMAND_TEXTS = {"en": COMMAND_TEXT_EN, "sv": COMMAND_TEXT_SV}


def language_of(locale: object) -> str:
    """The reply language for a Discord locale (`discord.Locale` or its text): "sv" for
    Swedish, "en" for everything else."""
    value = str(getattr(locale, "value", locale) or "")
    return "sv" if value.lower().startswith("sv") else DEFAULT_LANGUAGE


def text(language: str, key: str, **values: object) -> str:
    """The message `key` in `language` (English if the language is unknown), filled in."""
    messages = MESSAGES.get(language, MESSAGES[DEFAULT_LANGUAGE])
    template = messages.get(key) or MESSAGES[DEFAULT_LANGUAGE][key]
    return template.format(**values) if values else template


def command_text(language: str, key: str) -> str | None:
    """A command, option or choice name or description by its key, if `language` has it."""
    return COMMAND_TEXTS.get(language, {}).get(key)
