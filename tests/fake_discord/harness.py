"""Test helpers that read like what a person does in Discord, and what the bot answered.

``await discord.slash(alice, "ask", question="when should I fine-tune", locale="sv-SE")``
sends the INTERACTION_CREATE Discord would send when alice runs the command, waits (never
longer than ``timeout``) until the bot has answered, and returns a :class:`Reply`.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .contract import Violation
from .payloads import BOT_PERMISSIONS, EPHEMERAL, LOADING, Guild, Person, Upload
from .server import (
    APPLICATION_COMMAND,
    ATTACHMENT_SIZE_LIMIT,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    Deletion,
    FakeDiscordServer,
    InteractionRecord,
    RecordedRequest,
)

if TYPE_CHECKING:
    import discord

ANSWER_TIMEOUT = 3.0  # Discord shows "The application did not respond" after 3 seconds
QUIET_PERIOD = 0.05  # an answer is complete once the bot has been quiet this long
SUBCOMMAND, SUBCOMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3
BUTTON, STRING_SELECT = 2, 3
LINK_STYLE = 5


class NoAnswer(AssertionError):
    """The bot did not answer an interaction in time (Discord would show an error)."""


class SentMessage:
    """A message as people see it now: reads the fake's store, so edits show up."""

    def __init__(self, server: FakeDiscordServer, message: Mapping[str, Any]) -> None:
        self._server = server
        self.id = int(message["id"])
        self._last = dict(message)

    @property
    def raw(self) -> dict[str, Any]:
        """The message object as Discord would return it now (or last seen, if deleted)."""
        current = self._server.messages.get(self.id) or self._server.deleted_messages.get(self.id)
        if current is not None:
            self._last = current
        return self._last

    @property
    def deleted(self) -> bool:
        """True once the message is gone."""
        return self.id not in self._server.messages

    @property
    def content(self) -> str:
        """The text of the message."""
        return self.raw["content"]

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """The embeds (cards), as Discord stores them."""
        return self.raw["embeds"]

    @property
    def components(self) -> list[dict[str, Any]]:
        """Top-level components (action rows)."""
        return self.raw["components"]

    @property
    def attachments(self) -> list[dict[str, Any]]:
        """Attached files (``self.file_bytes(i)`` for their content)."""
        return self.raw["attachments"]

    def file_bytes(self, index: int = 0) -> bytes:
        """The uploaded content of an attachment."""
        return self._server.uploads[int(self.attachments[index]["id"])]

    @property
    def flags(self) -> int:
        """Message flags."""
        return self.raw["flags"]

    @property
    def ephemeral(self) -> bool:
        """Only the person who used the command sees it."""
        return bool(self.flags & EPHEMERAL)

    @property
    def loading(self) -> bool:
        """Still shows "<bot> is thinking..."."""
        return bool(self.flags & LOADING)

    @property
    def pings_everyone(self) -> bool:
        """Would notify @everyone/@here (``allowed_mentions`` permitting it)."""
        return self.raw["mention_everyone"]

    @property
    def mentions(self) -> list[dict[str, Any]]:
        """Users the message would ping."""
        return self.raw["mentions"]

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every button, in reading order."""
        return [c for c in _walk(self.components) if c.get("type") == BUTTON]

    @property
    def selects(self) -> list[dict[str, Any]]:
        """Every select menu, in reading order."""
        return [c for c in _walk(self.components) if c.get("type") in (3, 5, 6, 7, 8)]

    def button(self, label: str | None = None, *, custom_id: str | None = None) -> dict[str, Any]:
        """The button with this label (or custom id); a helpful error if there is none."""
        for button in self.buttons:
            if (label is None or button.get("label") == label) and (
                custom_id is None or button.get("custom_id") == custom_id
            ):
                return button
        shown = [b.get("label") or b.get("custom_id") for b in self.buttons]
        raise LookupError(f"no button {label or custom_id!r} on the message; buttons: {shown}")

    def __repr__(self) -> str:
        return f"<SentMessage {self.id} {self.content[:40]!r} embeds={len(self.embeds)}>"


class Reply:
    """What the bot answered to one interaction: the callback, the message, followups, edits."""

    def __init__(self, server: FakeDiscordServer, interaction: InteractionRecord) -> None:
        self._server = server
        self.interaction = interaction

    def _view(self, message_id: int) -> SentMessage | None:
        stored = self._server.messages.get(message_id)
        if stored is None:
            stored = self._server.deleted_messages.get(message_id)
        return None if stored is None else SentMessage(self._server, stored)

    @property
    def callback(self) -> dict[str, Any] | None:
        """The interaction callback body (``{"type": 4, "data": {...}}``), if the bot sent one."""
        return self.interaction.callback

    @property
    def type(self) -> int | None:
        """The callback type: 4 message, 5 deferred, 6 deferred update, 7 update, 8, 9 modal."""
        return self.interaction.callback_type

    @property
    def answered(self) -> bool:
        """The bot acknowledged the interaction."""
        return self.callback is not None

    @property
    def deferred(self) -> bool:
        """The bot deferred (type 5 "thinking", or 6 for components)."""
        return self.type in (5, 6)

    @property
    def updated(self) -> bool:
        """The bot edited the message the component was on (type 7, or 6 then an edit)."""
        return self.type == 7 or (self.type == 6 and bool(self.interaction.edits))

    @property
    def message(self) -> SentMessage | None:
        """The original response (for components answered with 6/7: the message updated)."""
        original = self.interaction.original_id
        return None if original is None else self._view(original)

    @property
    def followups(self) -> list[SentMessage]:
        """Followup messages, in order (after a defer the first one is the original)."""
        found = (self._view(message_id) for message_id in self.interaction.followup_ids)
        return [message for message in found if message is not None]

    @property
    def edits(self) -> list[dict[str, Any]]:
        """Bodies of every edit of the original response."""
        return self.interaction.edits

    @property
    def shown(self) -> SentMessage:
        """The message a person reads as the answer: the original, else the last followup."""
        shown = self.message or (self.followups[-1] if self.followups else None)
        if shown is None:
            raise AssertionError(f"the bot showed no message for {self.interaction.label}")
        return shown

    @property
    def content(self) -> str:
        """Text of the answer."""
        return self.shown.content

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """Embeds of the answer."""
        return self.shown.embeds

    @property
    def components(self) -> list[dict[str, Any]]:
        """Components of the answer."""
        return self.shown.components

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Buttons of the answer."""
        return self.shown.buttons

    @property
    def selects(self) -> list[dict[str, Any]]:
        """Select menus of the answer."""
        return self.shown.selects

    @property
    def ephemeral(self) -> bool:
        """Only the person who asked sees the answer."""
        return self.shown.ephemeral

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Autocomplete suggestions (``{"name": ..., "value": ...}``)."""
        if self.type != 8 or self.callback is None:
            raise AssertionError(f"the bot answered {self.interaction.label} with type {self.type}")
        return self.callback["data"]["choices"]

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal the bot opened (callback type 9), if any."""
        return self.callback["data"] if self.type == 9 and self.callback else None

    @property
    def refused(self) -> list[RecordedRequest]:
        """Requests for this interaction that Discord refused (4xx other than 429)."""
        return [r for r in self.interaction.requests if 400 <= r.status < 500 and r.status != 429]

    async def wait_for_followups(self, count: int = 1, timeout: float = ANSWER_TIMEOUT) -> None:
        """Wait until the bot has sent ``count`` followups in all."""
        await self._server.wait_until(
            lambda: len(self.interaction.followup_ids) >= count,
            timeout,
            f"{count} followup(s) to {self.interaction.label}",
        )

    async def wait_until(self, predicate: Any, timeout: float = ANSWER_TIMEOUT) -> None:
        """Wait until ``predicate(reply)`` holds, e.g. ``lambda r: len(r.edits) == 2``."""
        await self._server.wait_until(lambda: predicate(self), timeout, "the expected answer")

    def __repr__(self) -> str:
        return f"<Reply to {self.interaction.label} type={self.type}>"


class FakeDiscord(FakeDiscordServer):
    """The fake Discord with helpers that act like people in the test guild."""

    # --- people ------------------------------------------------------------------------------

    def member(
        self,
        name: str,
        *,
        roles: Sequence[int] | None = None,
        permissions: int | None = None,
        locale: str | None = None,
        guild: Guild | None = None,
    ) -> Person:
        """A member of the test guild, or of ``guild`` (from :meth:`add_guild`): the same
        person (id) each time the name is used, in every server, with roles of their own in
        each. What they do as this member happens in that server.

        ``roles`` are role ids (``moderator_role``, or ones from :meth:`add_role`);
        ``permissions`` overrides what the roles give; ``locale`` is their client's language
        (default en-US). Arguments not given keep what the person had.
        """
        guild = guild or self.guild
        unknown = [role for role in roles or () if role not in guild.roles]
        if unknown:
            raise LookupError(f"no roles {unknown} in the guild; create them with add_role()")
        people = self.people if guild is self.guild else self.guild_people[guild.id]
        known = people.get(name)
        if known is None:
            elsewhere = [self.people, *self.guild_people.values()]
            same = next((p[name] for p in elsewhere if name in p), None)
            known = Person(name, same.id if same else self.new_id())
            if same is not None:
                known = replace(known, locale=same.locale)
            if guild is not self.guild:
                known = replace(known, guild_id=guild.id)
        changes: dict[str, Any] = {"roles": None if roles is None else tuple(roles)}
        changes |= {"permissions": permissions, "locale": locale}
        person = replace(
            known, **{key: value for key, value in changes.items() if value is not None}
        )
        people[name] = person
        return person

    def moderator(
        self, name: str, *, locale: str | None = None, guild: Guild | None = None
    ) -> Person:
        """A member with the Moderator role (Manage Server and Manage Messages) of the test
        guild, or of ``guild``."""
        guild = guild or self.guild
        return self.member(name, roles=[guild.moderator_role], locale=locale, guild=guild)

    def guild_of(self, person: Person) -> Guild:
        """The server this membership of the person is in."""
        return self.guild if person.guild_id is None else self.guilds[person.guild_id]

    def permissions_of(self, person: Person) -> int:
        """The permissions Discord would send for this person in an interaction."""
        return self.guild_of(person).permissions_of(person)

    async def post(self, user: Person, content: str, *, channel: str = "general") -> SentMessage:
        """``user`` writes a message in a channel (the bot gets MESSAGE_CREATE)."""
        message = self._new_message(self.channel(channel), {"content": content}, [], author=user)
        message["member"] = user.member_payload()
        await self._tell_gateway("MESSAGE_CREATE", {**message, "guild_id": str(self.guild.id)})
        return SentMessage(self, message)

    # --- what people do ------------------------------------------------------------------------

    async def slash(
        self,
        user: Person,
        command: str,
        *subcommands: str,
        options: Mapping[str, Any] | None = None,
        locale: str | None = None,
        guild_locale: str | None = None,
        channel: str = "general",
        timeout: float = ANSWER_TIMEOUT,
        **values: Any,
    ) -> Reply:
        """``user`` runs ``/command [group] [sub] option:value ...`` and reads the answer.

        The command is looked up among those the bot registered, by its name or its name in
        ``locale``; options are typed and checked as Discord's client would before sending.
        """
        locale = locale or user.locale
        given = {**(options or {}), **values}
        names = [*command.removeprefix("/").split(), *subcommands]
        data, leaf = self._command_data(names, CHAT_INPUT, locale, self.guild_of(user))
        leaf["options"] = self._option_values(leaf["_schema"], given, user, data, focused=None)
        del leaf["_schema"]
        label = "/" + " ".join(names)
        return await self._interact(
            APPLICATION_COMMAND, user, data, label, locale, guild_locale, channel, timeout
        )

    async def slash_at_once(
        self,
        command: str,
        asks: Sequence[tuple[Person, Mapping[str, Any]]],
        *,
        locale: str | None = None,
        channel: str = "general",
        timeout: float = ANSWER_TIMEOUT,
    ) -> list[Reply]:
        """Many people run ``/command`` at the same moment, each with their option values.

        Every INTERACTION_CREATE is built first and then all are sent back to back, each
        time-stamped as it is sent (``reply.interaction.dispatched_at``; the callback's
        arrival is ``answered_at``). Waits until every one is answered (never longer than
        ``timeout`` after the last was sent) and then for a quiet moment, so a late second
        answer would be seen. Raises :class:`NoAnswer` saying how many were left unanswered.
        """
        names = command.removeprefix("/").split()
        interactions = []
        for user, values in asks:
            user_locale = locale or user.locale
            data, leaf = self._command_data(names, CHAT_INPUT, user_locale, self.guild_of(user))
            leaf["options"] = self._option_values(leaf["_schema"], values, user, data, focused=None)
            del leaf["_schema"]
            interactions.append(
                self._new_interaction(
                    APPLICATION_COMMAND, user, data, "/" + command, user_locale, None, channel
                )
            )
        for interaction in interactions:
            await self._send_interaction(interaction)
        replies = [Reply(self, interaction) for interaction in interactions]
        try:
            await self.wait_until(
                lambda: all(reply.answered or reply.refused for reply in replies),
                timeout,
                f"the bot answering all {len(replies)} of /{command}",
            )
        except TimeoutError as error:
            missing = sum(not reply.answered for reply in replies)
            raise NoAnswer(f"{error}: {missing} unanswered") from None
        await self._quiet(QUIET_PERIOD)
        return replies

    async def _quiet(self, period: float) -> None:
        """Wait until nothing has reached the fake for ``period`` seconds."""
        while True:
            seen = len(self.requests)
            await asyncio.sleep(period)
            if len(self.requests) == seen:
                return

    async def autocomplete(
        self,
        user: Person,
        command: str,
        *subcommands: str,
        focused: str,
        value: str,
        options: Mapping[str, Any] | None = None,
        locale: str | None = None,
        guild_locale: str | None = None,
        channel: str = "general",
        timeout: float = ANSWER_TIMEOUT,
        **values: Any,
    ) -> list[dict[str, Any]]:
        """``user`` types ``value`` into option ``focused``; returns the suggestions shown."""
        locale = locale or user.locale
        given = {**(options or {}), **values, focused: value}
        names = [*command.removeprefix("/").split(), *subcommands]
        data, leaf = self._command_data(names, CHAT_INPUT, locale, self.guild_of(user))
        leaf["options"] = self._option_values(leaf["_schema"], given, user, data, focused=focused)
        del leaf["_schema"]
        label = f"autocomplete of /{' '.join(names)} {focused}={value!r}"
        reply = await self._interact(
            AUTOCOMPLETE, user, data, label, locale, guild_locale, channel, timeout
        )
        return reply.choices

    async def context_menu(
        self,
        user: Person,
        name: str,
        *,
        message: SentMessage | str | None = None,
        target: Person | None = None,
        locale: str | None = None,
        guild_locale: str | None = None,
        channel: str = "general",
        timeout: float = ANSWER_TIMEOUT,
    ) -> Reply:
        """``user`` picks Apps > ``name`` on a message (or, with ``target``, on a member).

        ``message`` may be a :class:`SentMessage` (see :meth:`post`) or text, which ``user``
        is taken to have posted first.
        """
        locale = locale or user.locale
        if isinstance(message, str):
            message = await self.post(user, message, channel=channel)
        kind = MESSAGE_COMMAND if message is not None else USER_COMMAND
        data, _ = self._command_data([name], kind, locale)
        del data["_schema"]
        if message is not None:
            data["target_id"] = str(message.id)
            data["resolved"] = {"messages": {str(message.id): message.raw}}
        elif target is not None:
            data["target_id"] = str(target.id)
            data["resolved"] = _resolved_people([target])
        else:
            raise TypeError("context_menu needs a message= or a target= member")
        return await self._interact(
            APPLICATION_COMMAND, user, data, name, locale, guild_locale, channel, timeout
        )

    async def press(
        self,
        user: Person,
        on: Reply | SentMessage,
        label: str | None = None,
        *,
        custom_id: str | None = None,
        locale: str | None = None,
        guild_locale: str | None = None,
        timeout: float = ANSWER_TIMEOUT,
    ) -> Reply:
        """``user`` presses the button with ``label`` (or ``custom_id``) on a message."""
        message = self._visible_message(user, on)
        button = message.button(label, custom_id=custom_id)
        if button.get("style") == LINK_STYLE:
            raise ValueError(f"{label!r} is a link button: Discord opens {button.get('url')}")
        if button.get("disabled"):
            raise ValueError(f"the button {label or custom_id!r} is disabled")
        data = {"custom_id": button["custom_id"], "component_type": BUTTON, "id": button["id"]}
        return await self._component(
            user, message, data, f"button {label or custom_id!r}", locale, guild_locale, timeout
        )

    async def select(
        self,
        user: Person,
        on: Reply | SentMessage,
        values: str | Sequence[str],
        *,
        custom_id: str | None = None,
        locale: str | None = None,
        guild_locale: str | None = None,
        timeout: float = ANSWER_TIMEOUT,
    ) -> Reply:
        """``user`` picks ``values`` in a string select menu (the only one, or ``custom_id``)."""
        message = self._visible_message(user, on)
        picked = [values] if isinstance(values, str) else list(values)
        menus = [m for m in message.selects if custom_id in (None, m.get("custom_id"))]
        if len(menus) != 1:
            found = [m.get("custom_id") for m in message.selects]
            raise LookupError(f"expected one select menu {custom_id or ''}; found {found}")
        menu = menus[0]
        if menu["type"] != STRING_SELECT:
            raise NotImplementedError("only string selects are simulated")
        offered = [option["value"] for option in menu["options"]]
        if any(value not in offered for value in picked):
            raise ValueError(f"{picked} are not all among the options {offered}")
        low, high = menu.get("min_values", 1), menu.get("max_values", 1)
        if not low <= len(picked) <= high or menu.get("disabled"):
            raise ValueError(f"Discord lets people pick {low} to {high} values, not {picked}")
        data = {
            "custom_id": menu["custom_id"],
            "component_type": STRING_SELECT,
            "id": menu["id"],
            "values": picked,
        }
        label = f"select {menu['custom_id']!r} = {picked}"
        return await self._component(user, message, data, label, locale, guild_locale, timeout)

    def register_commands(
        self, commands: list[dict[str, Any]], *, guild_id: int | None = None
    ) -> list[dict[str, Any]]:
        """Commands registered earlier (the bot skips a sync when nothing changed).

        The payload is checked against the contract like a real registration; a violation
        raises at once. Not counted in ``registrations``, which are what the bot sent.
        """
        scope = f"/guilds/{guild_id}" if guild_id else ""
        path = f"/applications/{self.application_id}{scope}/commands"
        found = self.contract.match("PUT", path)
        assert found is not None
        violations = self.contract.check_request(found[0], path, commands)
        if violations:
            raise AssertionError("\n".join(map(str, violations)))
        known = self.commands.get(guild_id, [])
        self.commands[guild_id] = [self._stored_command(c, guild_id, known) for c in commands]
        return self.commands[guild_id]

    # --- what the bot did ----------------------------------------------------------------------

    @property
    def registered_commands(self) -> list[dict[str, Any]]:
        """Global commands as registered (with the ids Discord gave them)."""
        return self.commands.get(None, [])

    @property
    def guild_commands(self) -> list[dict[str, Any]]:
        """Commands registered for the test guild."""
        return self.commands.get(self.guild.id, [])

    @property
    def channel_messages(self) -> list[SentMessage]:
        """Messages the bot posted in channels (not interaction responses), oldest first."""
        return [
            SentMessage(self, self.messages.get(message_id) or self.deleted_messages[message_id])
            for message_id in self.channel_message_ids
        ]

    @property
    def deleted(self) -> list[Deletion]:
        """Messages the bot deleted."""
        return self.deletions

    def take_violations(self) -> list[Violation]:
        """Contract violations so far, removed so the test does not fail on them."""
        taken, self.violations[:] = list(self.violations), []
        return taken

    @contextlib.contextmanager
    def expect_violations(self) -> Iterator[list[Violation]]:
        """``with discord.expect_violations() as found:`` — the block must break the contract."""
        before = len(self.violations)
        found: list[Violation] = []
        yield found
        found.extend(self.violations[before:])
        del self.violations[before:]
        if not found:
            raise AssertionError("expected the bot to break Discord's contract, but it did not")

    def take_unknown_routes(self) -> list[RecordedRequest]:
        """Requests the fake could not serve (404), removed from the record."""
        taken, self.unknown_routes[:] = list(self.unknown_routes), []
        return taken

    def take_refused(self) -> list[RecordedRequest]:
        """Requests Discord refused (4xx, not contract violations), removed from the record."""
        taken, self.refused[:] = list(self.refused), []
        return taken

    def problems(self) -> list[str]:
        """Everything that should fail a test: violations, unknown routes, refusals, fake bugs."""
        return [
            *(f"contract violation: {violation}" for violation in self.violations),
            *(f"route the fake does not serve (404): {record}" for record in self.unknown_routes),
            *(f"Discord refused: {record} {record.response}" for record in self.refused),
            *(f"the fake's own answer breaks the spec: {error}" for error in self.fake_errors),
        ]

    # --- building interactions ---------------------------------------------------------------

    def _command_data(
        self, names: list[str], kind: int, locale: str, guild: Guild | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Find a registered command (by name or localized name) and start its data."""
        wanted = names[0]
        for guild_id in ((guild or self.guild).id, None):
            for command in self.commands.get(guild_id, []):
                localized = (command.get("name_localizations") or {}).get(locale)
                if command["type"] == kind and wanted in (command["name"], localized):
                    data: dict[str, Any] = {
                        "id": command["id"],
                        "name": command["name"],
                        "type": kind,
                        "_schema": command.get("options", []),
                    }
                    if guild_id is not None:
                        data["guild_id"] = str(guild_id)
                    return data, self._descend(data, names[1:], locale)
        known = [
            f"{c['name']} (type {c['type']})"
            for commands in self.commands.values()
            for c in commands
        ]
        raise LookupError(f"{wanted!r} is not a registered command; registered: {known}")

    def _descend(self, node: dict[str, Any], names: list[str], locale: str) -> dict[str, Any]:
        """Walk subcommand groups and subcommands; returns the node that takes the values."""
        for name in names:
            schema = node.pop("_schema")
            match = next(
                (
                    option
                    for option in schema
                    if option["type"] in (SUBCOMMAND, SUBCOMMAND_GROUP)
                    and name
                    in (option["name"], (option.get("name_localizations") or {}).get(locale))
                ),
                None,
            )
            if match is None:
                subs = [o["name"] for o in schema if o["type"] in (SUBCOMMAND, SUBCOMMAND_GROUP)]
                raise LookupError(f"no subcommand {name!r}; there are {subs}")
            child = {
                "name": match["name"],
                "type": match["type"],
                "_schema": match.get("options", []),
            }
            node["options"] = [child]
            node = child
        if any(o["type"] in (SUBCOMMAND, SUBCOMMAND_GROUP) for o in node["_schema"]):
            subs = [o["name"] for o in node["_schema"]]
            raise LookupError(f"this command needs a subcommand: one of {subs}")
        return node

    def _option_values(
        self,
        schema: list[dict[str, Any]],
        given: Mapping[str, Any],
        user: Person,
        data: dict[str, Any],
        *,
        focused: str | None,
    ) -> list[dict[str, Any]]:
        """Options as Discord sends them, refusing what its client would not let a user send."""
        by_name = {option["name"]: option for option in schema}
        unknown = set(given) - set(by_name)
        if unknown:
            raise ValueError(f"no options {sorted(unknown)}; the command has {sorted(by_name)}")
        sent = []
        for option in schema:
            name = option["name"]
            if name not in given:
                if option.get("required") and focused is None:
                    raise ValueError(f"Discord requires the option {name!r}")
                continue
            if name == focused:
                if not option.get("autocomplete"):
                    raise ValueError(f"option {name!r} was not registered with autocomplete")
                sent.append(
                    {
                        "name": name,
                        "type": option["type"],
                        "value": str(given[name]),
                        "focused": True,
                    }
                )
                continue
            value = self._typed_value(option, given[name], data)
            sent.append({"name": name, "type": option["type"], "value": value})
        return sent

    def _typed_value(self, option: dict[str, Any], value: Any, data: dict[str, Any]) -> Any:
        kind, name = option["type"], option["name"]
        if kind == STRING:
            value = str(value)
            if not option.get("min_length", 0) <= len(value) <= option.get("max_length", 6000):
                raise ValueError(
                    f"{name!r} must be {option.get('min_length', 0)} to "
                    f"{option.get('max_length', 6000)} characters"
                )
        elif kind in (INTEGER, NUMBER):
            value = int(value) if kind == INTEGER else float(value)
            low, high = option.get("min_value"), option.get("max_value")
            if (low is not None and value < low) or (high is not None and value > high):
                raise ValueError(f"{name!r} must be between {low} and {high}")
        elif kind == BOOLEAN:
            value = bool(value)
        elif kind in (USER, MENTIONABLE) and isinstance(value, Person):
            _merge(data.setdefault("resolved", {}), _resolved_people([value]))
            return str(value.id)
        elif kind in (ROLE, MENTIONABLE):
            role = self.guild.roles[int(value)]
            data.setdefault("resolved", {}).setdefault("roles", {})[str(role.id)] = role.payload()
            return str(role.id)
        elif kind == CHANNEL:
            channel_id = self.channel(value) if isinstance(value, str) else int(value)
            channel = {
                **self.guild.channel_payload(channel_id),
                "permissions": str(BOT_PERMISSIONS),
            }
            data.setdefault("resolved", {}).setdefault("channels", {})[str(channel_id)] = channel
            return str(channel_id)
        elif kind == ATTACHMENT:
            upload = _as_upload(value)
            attachment_id = self.new_id()
            self.uploads[attachment_id] = upload.data
            if upload.chunked:
                self.chunked_uploads.add(attachment_id)
            url = self.attachment_url(attachment_id, upload.filename)
            data.setdefault("resolved", {}).setdefault("attachments", {})[str(attachment_id)] = {
                "id": str(attachment_id),
                "filename": upload.filename,
                "size": len(upload.data) if upload.declared_size is None else upload.declared_size,
                "url": url,
                "proxy_url": url,
                "content_type": upload.content_type,
                "ephemeral": True,
            }
            return str(attachment_id)
        else:
            raise NotImplementedError(f"option type {kind} ({name!r}) is not simulated")
        choices = [choice["value"] for choice in option.get("choices") or []]
        if choices and value not in choices:
            raise ValueError(f"{name!r} must be one of the choices {choices}, not {value!r}")
        return value

    def _visible_message(self, user: Person, on: Reply | SentMessage) -> SentMessage:
        message = on.shown if isinstance(on, Reply) else on
        if message.deleted:
            raise LookupError(f"{message!r} was deleted")
        owner = self._owner_of(message.id)
        if message.ephemeral and owner is not None and owner.id != user.id:
            raise PermissionError(f"{user.name} cannot see {owner.name}'s ephemeral message")
        return message

    def _owner_of(self, message_id: int) -> Person | None:
        for interaction in self.interactions.values():
            if message_id == interaction.original_id or message_id in interaction.followup_ids:
                return interaction.user
        return None

    async def _component(
        self,
        user: Person,
        message: SentMessage,
        data: dict[str, Any],
        label: str,
        locale: str | None,
        guild_locale: str | None,
        timeout: float,
    ) -> Reply:
        channel = next(
            n
            for n, i in self.guild_of(user).channels.items()
            if str(i) == message.raw["channel_id"]
        )
        return await self._interact(
            MESSAGE_COMPONENT,
            user,
            data,
            label,
            locale or user.locale,
            guild_locale,
            channel,
            timeout,
            message=message,
        )

    async def _interact(
        self,
        kind: int,
        user: Person,
        data: dict[str, Any],
        label: str,
        locale: str,
        guild_locale: str | None,
        channel: str,
        timeout: float,
        *,
        message: SentMessage | None = None,
    ) -> Reply:
        """Send INTERACTION_CREATE and wait for the bot's answer."""
        interaction = self._new_interaction(
            kind, user, data, label, locale, guild_locale, channel, message=message
        )
        await self._send_interaction(interaction)
        reply = Reply(self, interaction)
        await self._settle(reply, timeout)
        return reply

    def _new_interaction(
        self,
        kind: int,
        user: Person,
        data: dict[str, Any],
        label: str,
        locale: str,
        guild_locale: str | None,
        channel: str,
        *,
        message: SentMessage | None = None,
    ) -> InteractionRecord:
        """An interaction as Discord would send it, known to the fake but not sent yet."""
        guild = self.guild_of(user)
        channel_id = guild.channels.setdefault(channel, self.new_id())
        permissions = self.permissions_of(user)
        interaction_id, token = self.new_id(), f"aW50ZXJhY3Rpb246{secrets.token_urlsafe(48)}"
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "guild_id": str(guild.id),
            "guild": {
                "id": str(guild.id),
                "locale": guild_locale or guild.preferred_locale,
                "features": [],
            },
            "channel_id": str(channel_id),
            "channel": {
                **guild.channel_payload(channel_id),
                "permissions": str(permissions),
            },
            "member": user.member_payload(permissions=permissions),
            "token": token,
            "version": 1,
            "app_permissions": str(BOT_PERMISSIONS),
            "locale": locale,
            "guild_locale": guild_locale or guild.preferred_locale,
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(guild.id)},
            "context": 0,
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if message is not None:
            payload["message"] = message.raw
        interaction = InteractionRecord(
            id=interaction_id,
            token=token,
            type=kind,
            user=user,
            channel_id=channel_id,
            payload=payload,
            label=label,
            message_id=message.id if message is not None else None,
        )
        if self.interactions_to_expire > 0:
            self.interactions_to_expire -= 1
            interaction.expired = True
        self.interactions[token] = interaction
        return interaction

    async def _send_interaction(self, interaction: InteractionRecord) -> None:
        interaction.dispatched_at = time.perf_counter()
        await self.dispatch("INTERACTION_CREATE", interaction.payload)

    async def _settle(self, reply: Reply, timeout: float) -> None:
        """Wait for the answer, the end of a "thinking" state, and then a quiet moment."""
        interaction = reply.interaction
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            await self.wait_until(
                lambda: reply.answered or reply.refused,
                timeout,
                f"the bot answering {label_of(reply)}",
            )
            if reply.type == 5:
                await self.wait_until(
                    lambda: reply.message is None or not reply.message.loading or reply.refused,
                    max(0.0, deadline - loop.time()),
                    f"the bot finishing {label_of(reply)} (it still shows 'thinking...')",
                )
        except TimeoutError as error:
            raise NoAnswer(
                f"{error}; Discord would tell {interaction.user.name} "
                "the application did not respond"
            ) from None
        while loop.time() < deadline:
            try:
                await self.wait_until(
                    partial(_version_changed, interaction, interaction.version), QUIET_PERIOD, ""
                )
            except TimeoutError:
                return

    # --- running a client against the fake ----------------------------------------------------


def _version_changed(interaction: InteractionRecord, seen: int) -> bool:
    return interaction.version != seen


def label_of(reply: Reply) -> str:
    """How a person would name what they did."""
    return reply.interaction.label


def _as_upload(value: Any) -> Upload:
    """An attachment option value: an Upload, a path, or ``(filename, bytes)``."""
    if isinstance(value, Upload):
        return value
    if isinstance(value, Path):
        return Upload(value.name, value.read_bytes())
    filename, data = value
    return Upload(filename, bytes(data))


def _walk(components: list[Any]) -> Iterator[dict[str, Any]]:
    for component in components:
        yield component
        yield from _walk(component.get("components") or [])
        if isinstance(component.get("accessory"), dict):
            yield component["accessory"]


def _resolved_people(people: list[Person]) -> dict[str, Any]:
    return {
        "users": {str(p.id): p.user_payload() for p in people},
        "members": {
            str(p.id): {k: v for k, v in p.member_payload().items() if k != "user"} for p in people
        },
    }


def _merge(into: dict[str, Any], more: Mapping[str, Any]) -> None:
    for key, values in more.items():
        into.setdefault(key, {}).update(values)


@contextlib.asynccontextmanager
async def connected(
    client: discord.Client,
    fake: FakeDiscord,
    *,
    timeout: float = 10.0,
    guild_ready_timeout: float = 0.05,
) -> AsyncIterator[discord.Client]:
    """Run a discord.py client against the fake: log in, connect, wait for ready; close after.

    discord.py must already point at the fake (the ``fake_discord`` fixture patches
    ``discord.http.Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY``). discord.py waits
    ``guild_ready_timeout`` (2 s by default) after the last GUILD_CREATE before ``on_ready``;
    it is shortened on this client instance so a test starts at once.
    """
    import discord.gateway
    import discord.http

    if fake.api_base != discord.http.Route.BASE:
        raise RuntimeError(
            "discord.py is not pointed at this fake Discord: use the fake_discord fixture, "
            "which patches Route.BASE and the default gateway URL for the test"
        )
    client._connection.guild_ready_timeout = guild_ready_timeout
    runner = asyncio.create_task(client.start(fake.token), name=f"{type(client).__name__}.start")
    try:
        async with asyncio.timeout(timeout):
            while not client.is_ready():
                if runner.done():
                    runner.result()  # raises what stopped the client
                    raise RuntimeError("the client stopped before it was ready")
                await asyncio.sleep(0.01)
    except TimeoutError:
        seen = "\n  ".join(map(str, fake.requests)) or "(none)"
        raise TimeoutError(
            f"{type(client).__name__} was not ready within {timeout} s. Requests seen:\n  {seen}\n"
            f"Gateway: {fake.gateway_log}"
        ) from None
    except BaseException:
        await _stop(client, runner)
        raise
    try:
        yield client
    finally:
        await _stop(client, runner)


async def _stop(client: discord.Client, runner: asyncio.Task[None]) -> None:
    """Close the client and wait (briefly) for its task to end."""
    with contextlib.suppress(Exception):
        async with asyncio.timeout(5):
            await client.close()
    if not runner.done():
        runner.cancel()
    with contextlib.suppress(BaseException):
        async with asyncio.timeout(5):
            await runner
