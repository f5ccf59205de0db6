"""Limits named once: Discord's, and the ones the catalogue keeps so every card fits them."""

# Discord (https://discord.com/developers/docs): what a message, card or choice can hold.
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELD_NAME = 256
EMBED_FIELD_VALUE = 1024
EMBED_FOOTER = 2048
EMBED_TOTAL = 6000
EMBED_URL = 2048
EMBEDS_PER_MESSAGE = 10
MESSAGE_CONTENT = 2000
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
BUTTON_LABEL = 80
BUTTON_URL = 512
SELECT_OPTIONS = 25
SELECT_OPTION_LABEL = 100
STRING_OPTION = 6000

# The catalogue: each text must fit the card that shows it.
TITLE = EMBED_TITLE
DESCRIPTION = 2000
URL = BUTTON_URL
PROVIDER = 100
CATEGORY_NAME = SELECT_OPTION_LABEL
KEYWORD = 100
KEYWORDS_PER_RESOURCE = 60
QUESTION = 200
QUESTIONS_PER_LANGUAGE = 20
RESOURCES_PER_CATALOG = 100_000
CATALOG_FILE_BYTES = 32 * 1024 * 1024

# The Discord bot's own limits (bot/discord/).
QUESTION_TYPED = 1000  # the longest question /ask accepts
CUSTOM_ID = 100  # Discord's limit for a button's or menu's custom id
