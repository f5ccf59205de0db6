"""The command tree's names and descriptions in English and Swedish (see `bot.i18n`)."""

# Command, option and choice names and descriptions, by key. A name's key is its place in
# the command tree ("resources.show", "ask.question"), a description's is the place and
# ".description"; the commands declare keys (`bot.discord.translator.command_str`), so an
# edited English text keeps its Swedish.
COMMAND_TEXT_EN: dict[str, str] = {
    "ask": "ask",
    "ask.description": "Find the learning resource that best answers a question",
    "ask.question": "question",
    "ask.question.description": "What you want to learn, in your own words",
    "ask.private": "private",
    "ask.private.description": "Show the answer only to you (default: to everyone here)",
    "find-resources": "Find resources",  # the message menu
    "resources": "resources",
    "resources.description": "Show and browse the learning resources",
    "resources.show": "show",
    "resources.show.description": "Show one resource as a card",
    "resources.show.resource": "resource",
    "resources.show.resource.description": "The resource to show: start typing its name",
    "resources.browse": "browse",
    "resources.browse.description": "List the resources, page by page",
    "resources.browse.topic": "topic",
    "resources.browse.topic.description": "Only resources on this topic",
    "resources.about": "about",
    "resources.about.description": "What the bot stores about you, and for how long",
    "resources.forget-me": "forget-me",
    "resources.forget-me.description": (
        "Delete the questions you asked and your votes, in every server"
    ),
    "resources-admin": "resources-admin",
    "resources-admin.description": "Moderators: manage the resource catalogue",
    "resources-admin.reload": "reload",
    "resources-admin.reload.description": "Re-read the catalogue file and show what changed",
    "resources-admin.upload": "upload",
    "resources-admin.upload.description": "Replace the catalogue with an uploaded resources.yaml",
    "resources-admin.upload.file": "file",
    "resources-admin.upload.file.description": (
        "The new resources.yaml (it is checked before it replaces anything)"
    ),
    "resources-admin.reset": "reset",
    "resources-admin.reset.description": "Answer this server from the default catalogue again",
    "resources-admin.stats": "stats",
    "resources-admin.stats.description": (
        "What people asked, what found no answer, and the feedback"
    ),
    "resources-admin.stats.period": "period",
    "resources-admin.stats.period.description": "How far back to look (default: last 7 days)",
    "resources-admin.forget": "forget",
    "resources-admin.forget.description": "Delete one person's questions and votes in this server",
    "resources-admin.forget.user": "user",
    "resources-admin.forget.user.description": (
        "The person whose questions and votes in this server to delete"
    ),
}
COMMAND_TEXT_SV: dict[str, str] = {
    "ask": "fråga",
    "ask.description": "Hitta lärresursen som bäst besvarar en fråga",
    "ask.question": "fråga",
    "ask.question.description": "Vad du vill lära dig, med egna ord",
    "ask.private": "privat",
    "ask.private.description": "Visa svaret bara för dig (annars för alla här)",
    "find-resources": "Hitta resurser",
    "resources": "resurser",
    "resources.description": "Visa och bläddra bland lärresurserna",
    "resources.show": "visa",
    "resources.show.description": "Visa en resurs som kort",
    "resources.show.resource": "resurs",
    "resources.show.resource.description": "Resursen att visa: börja skriva namnet",
    "resources.browse": "bläddra",
    "resources.browse.description": "Lista resurserna, sida för sida",
    "resources.browse.topic": "ämne",
    "resources.browse.topic.description": "Bara resurser inom det här ämnet",
    "resources.about": "om",
    "resources.about.description": "Vad boten sparar om dig, och hur länge",
    "resources.forget-me": "glöm-mig",
    "resources.forget-me.description": "Radera frågorna du ställt och dina röster, i alla servrar",
    "resources-admin": "resurser-admin",
    "resources-admin.description": "Moderatorer: hantera resurskatalogen",
    "resources-admin.reload": "ladda-om",
    "resources-admin.reload.description": "Läs om katalogfilen och visa vad som ändrades",
    "resources-admin.upload": "ladda-upp",
    "resources-admin.upload.description": "Ersätt katalogen med en uppladdad resources.yaml",
    "resources-admin.upload.file": "fil",
    "resources-admin.upload.file.description": (
        "Den nya resources.yaml (den kontrolleras innan något ersätts)"
    ),
    "resources-admin.reset": "återställ",
    "resources-admin.reset.description": "Svara i den här servern från standardkatalogen igen",
    "resources-admin.stats": "statistik",
    "resources-admin.stats.description": (
        "Vad folk frågade, vad som saknade svar, och återkopplingen"
    ),
    "resources-admin.stats.period": "period",
    "resources-admin.stats.period.description": (
        "Hur långt bakåt att titta (annars senaste 7 dagarna)"
    ),
    "resources-admin.forget": "glöm",
    "resources-admin.forget.description": "Radera en persons frågor och röster i den här servern",
    "resources-admin.forget.user": "användare",
    "resources-admin.forget.user.description": (
        "Personen vars frågor och röster i den här servern ska raderas"
    ),
}
