"""The objects of the fake Discord (people, the guild, messages), shaped as Discord sends them."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permission bits (https://discord.com/developers/docs/topics/permissions)
ADD_REACTIONS = 1 << 6
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
ALL_PERMISSIONS = (1 << 51) - 1

EVERYONE_PERMISSIONS = (
    ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_APPLICATION_COMMANDS
)
MODERATOR_PERMISSIONS = MANAGE_GUILD | MANAGE_MESSAGES
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | MANAGE_MESSAGES

# Message flags
EPHEMERAL = 1 << 6
LOADING = 1 << 7

GUILD_TEXT = 0


class Snowflakes:
    """Discord-style ids: milliseconds since 2015 in the high bits, a counter in the low ones."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def __call__(self) -> int:
        milliseconds = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (milliseconds << 22) | (next(self._counter) & 0x3FFFFF)


def iso_now() -> str:
    """Timestamps as Discord writes them."""
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class Role:
    """A guild role."""

    id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False

    def payload(self) -> dict[str, Any]:
        """The role object of GUILD_CREATE and resolved data."""
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": self.managed,
            "mentionable": False,
            "flags": 0,
        }


@dataclass(frozen=True)
class Person:
    """Someone in the test guild: a name, an id, roles, and the locale their client uses."""

    name: str
    id: int
    roles: tuple[int, ...] = ()
    permissions: int | None = None  # None: computed from @everyone and the roles
    locale: str = "en-US"
    bot: bool = False
    guild_id: int | None = None  # the server this membership is in (None: the test guild)

    def user_payload(self) -> dict[str, Any]:
        """The user object."""
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": None if self.bot else self.name.title(),
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "bot": self.bot,
            "primary_guild": None,
            "avatar_decoration_data": None,
            "collectibles": None,
        }

    def member_payload(self, *, permissions: int | None = None) -> dict[str, Any]:
        """The guild member object; with ``permissions`` as in an interaction."""
        member: dict[str, Any] = {
            "user": self.user_payload(),
            "nick": None,
            "avatar": None,
            "banner": None,
            "roles": [str(role) for role in self.roles],
            "joined_at": "2024-01-01T00:00:00+00:00",
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if permissions is not None:
            member["permissions"] = str(permissions)
        return member


@dataclass
class Guild:
    """The test guild: its channels, roles and members."""

    id: int
    name: str
    owner_id: int
    preferred_locale: str = "en-US"
    channels: dict[str, int] = field(default_factory=dict)
    roles: dict[int, Role] = field(default_factory=dict)
    moderator_role: int = 0  # the id of its "Moderator" role (Manage Server)

    def permissions_of(self, person: Person) -> int:
        """What a member may do: explicit permissions, or @everyone plus their roles."""
        if person.permissions is not None:
            return person.permissions
        total = self.roles[self.id].permissions
        for role_id in person.roles:
            total |= self.roles[role_id].permissions
        return ALL_PERMISSIONS if total & ADMINISTRATOR else total

    def channel_payload(self, channel_id: int) -> dict[str, Any]:
        """A text channel of the guild."""
        name = next(name for name, known in self.channels.items() if known == channel_id)
        return {
            "id": str(channel_id),
            "type": GUILD_TEXT,
            "guild_id": str(self.id),
            "name": name,
            "position": list(self.channels.values()).index(channel_id),
            "permission_overwrites": [],
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }

    def create_payload(self, members: Iterable[Person]) -> dict[str, Any]:
        """The GUILD_CREATE event data."""
        listed = list(members)
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "region": "deprecated",
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": self.preferred_locale,
            "features": [],
            "roles": [role.payload() for role in self.roles.values()],
            "emojis": [],
            "stickers": [],
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "max_members": 500_000,
            "max_video_channel_users": 25,
            "vanity_url_code": None,
            "application_id": None,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "large": False,
            "unavailable": False,
            "lazy": True,
            "member_count": len(listed),
            "members": [person.member_payload() for person in listed],
            "channels": [self.channel_payload(channel_id) for channel_id in self.channels.values()],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


@dataclass(frozen=True)
class Upload:
    """A file a person attaches to a command option (``file=Upload("a.yaml", data)``);
    ``declared_size`` makes the attachment lie about its size, as a hostile client can, and
    ``chunked`` serves it without a Content-Length."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"
    declared_size: int | None = None  # the size the attachment claims (default: the true one)
    chunked: bool = False  # downloaded without a Content-Length: its size shows only as it is read


def without_nulls(value: Any) -> Any:
    """A copy with every ``None`` dropped: how a stored message reads back from Discord."""
    if isinstance(value, Mapping):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def response_embed(embed: Mapping[str, Any]) -> dict[str, Any]:
    """A sent embed as Discord returns it (``type`` rich, fields with ``inline``)."""
    shown = without_nulls(embed)
    shown.setdefault("type", "rich")
    if "fields" in shown:
        shown["fields"] = [{"inline": False, **item} for item in shown["fields"]]
    return shown


def response_components(components: list[Any], ids: Iterable[int] | None = None) -> list[Any]:
    """Sent components as Discord returns them: numbered, selects with their value counts."""
    numbers = iter(ids) if ids is not None else itertools.count(1)
    shown = []
    for component in without_nulls(components):
        component = {"id": next(numbers), **component}
        if component.get("type") == 3:
            component.setdefault("min_values", 1)
            component.setdefault("max_values", 1)
        if "components" in component:
            component["components"] = response_components(component["components"], numbers)
        shown.append(component)
    return shown
