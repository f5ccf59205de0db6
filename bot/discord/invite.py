"""The link that adds the bot to a server, asking for exactly the permissions the bot uses.

Replies to interactions (slash commands, buttons, autocomplete) need no channel permission;
what does is "Find resources", which posts its card as a reply to the chosen message in that
channel. Deleting a card needs none either: the bot deletes only its own messages.
"""

from __future__ import annotations

import discord

SCOPES = ("bot", "applications.commands")
PERMISSIONS = discord.Permissions(
    view_channel=True,  # see the channel a message is picked in
    send_messages=True,  # post the "Find resources" card in that channel
    send_messages_in_threads=True,  # ... also when the message is in a thread
    embed_links=True,  # a card is an embed
    read_message_history=True,  # a reply must reference the earlier message
)


def invite_url(application_id: int) -> str:
    """The OAuth2 URL a server admin opens to add the bot with its commands."""
    return discord.utils.oauth_url(application_id, permissions=PERMISSIONS, scopes=SCOPES)
