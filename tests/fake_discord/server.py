"""A loopback Discord: REST under /api/v10 and the gateway, on 127.0.0.1 with a random port.

Every request is recorded, matched to an operation of Discord's API description and checked
against it (see contract.py); a request Discord would refuse is answered as Discord answers it.
The person-like helpers that drive it (``slash``, ``press``, ...) are in harness.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import secrets
import socket
import time
import traceback
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from aiohttp import WSMsgType, web

from .contract import Contract, Operation, Violation, discord_error_body
from .gateway import (
    ALREADY_AUTHENTICATED,
    AUTHENTICATION_FAILED,
    DECODE_ERROR,
    HEARTBEAT,
    HEARTBEAT_ACK,
    HELLO,
    IDENTIFY,
    INVALID_API_VERSION,
    INVALID_SESSION,
    PRESENCE_UPDATE,
    RECONNECT,
    REQUEST_GUILD_MEMBERS,
    RESUME,
    UNKNOWN_ERROR,
    UNKNOWN_OPCODE,
    VOICE_STATE_UPDATE,
    GatewayConnection,
    GatewaySession,
)
from .payloads import (
    BOT_PERMISSIONS,
    EPHEMERAL,
    EVERYONE_PERMISSIONS,
    LOADING,
    MODERATOR_PERMISSIONS,
    Guild,
    Person,
    Role,
    Snowflakes,
    iso_now,
    response_components,
    response_embed,
    without_nulls,
)
from .shards import ShardRefused, id_on_shard, identified_shard, shard_of

API_PREFIX = "/api/v10"
DEFAULT_TOKEN = "fake-bot-token.for-tests-only"
DEFAULT_HEARTBEAT_MS = 41_250
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
DOWNLOAD_SLICE = 256 * 1024  # attachments are served this much at a time
# Interaction types, and the callback types Discord accepts for each.
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
CALLBACKS_ALLOWED = {
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    AUTOCOMPLETE: {8},
    MODAL_SUBMIT: {4, 5, 6, 7},
}
EDITABLE_FLAGS = 1 << 2  # SUPPRESS_EMBEDS
SENDABLE_FLAGS = EPHEMERAL | (1 << 2) | (1 << 12) | (1 << 15)  # + SUPPRESS_NOTIFICATIONS, V2
# Routes that authenticate with the interaction token instead of the bot token.
TOKEN_AUTH_PREFIXES = ("/interactions/", "/webhooks/")

Handler = Callable[["Call"], Awaitable[tuple[int, Any]]]


class DiscordError(Exception):
    """Answer the current request with Discord's error body."""

    def __init__(
        self, status: int, code: int, message: str, body: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.body = body or {"message": message, "code": code}


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    """One request the client made, and how the fake answered."""

    method: str
    path: str
    query: dict[str, str]
    operation_id: str | None
    body: Any
    files: list[UploadedFile]
    status: int = 0
    response: Any = None
    arrived_at: float = 0.0  # time.perf_counter() when the request reached the fake

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status} ({self.operation_id or 'unknown'})"


@dataclass
class DeferredChecks:
    """Requests (and the fake's own answers) whose check waits until a burst is over."""

    requests: list[tuple[Operation, RecordedRequest]] = field(default_factory=list)
    answers: list[tuple[Operation, int, bytes]] = field(default_factory=list)
    bodies_checked: int = 0  # request bodies validated when the block ended
    violations: list[Violation] = field(default_factory=list)


@dataclass
class Call:
    """What a REST handler gets: the request, its path parameters and its body."""

    request: RecordedRequest
    params: dict[str, str]
    body: Any
    files: list[UploadedFile]

    @property
    def query(self) -> dict[str, str]:
        """Query string parameters."""
        return self.request.query


@dataclass
class Fault:
    """An error to answer instead of the real response, for the next ``remaining`` calls."""

    operation_id: str | None  # None: any request
    status: int
    remaining: int
    retry_after: float
    is_global: bool


@dataclass(frozen=True)
class Registration:
    """One command registration the bot sent (bulk overwrite or single upsert)."""

    operation_id: str
    guild_id: int | None
    payload: Any


@dataclass(frozen=True)
class Deletion:
    """A message the bot deleted."""

    channel_id: int
    message_id: int
    route: str  # "channel" or "webhook"


@dataclass
class InteractionRecord:
    """An interaction the fake sent, and everything the bot did with its token."""

    id: int
    token: str
    type: int
    user: Person
    channel_id: int
    payload: dict[str, Any]
    label: str
    message_id: int | None = None  # components: the message the component is on
    callback: dict[str, Any] | None = None
    original_id: int | None = None
    loading: bool = False  # deferred with "thinking": the first followup takes its place
    followup_ids: list[int] = field(default_factory=list)
    edits: list[dict[str, Any]] = field(default_factory=list)
    requests: list[RecordedRequest] = field(default_factory=list)
    version: int = 0
    expired: bool = False  # arrived after its token expired: Discord no longer knows it
    dispatched_at: float = 0.0  # time.perf_counter() when INTERACTION_CREATE was sent
    answered_at: float | None = None  # ... and when the bot's callback arrived

    @property
    def callback_type(self) -> int | None:
        """The interaction callback type the bot answered with, if it has."""
        return None if self.callback is None else self.callback.get("type")


class FakeDiscordServer:
    """The fake Discord's state, REST API and gateway."""

    def __init__(
        self,
        contract: Contract,
        *,
        token: str = DEFAULT_TOKEN,
        heartbeat_interval_ms: int = DEFAULT_HEARTBEAT_MS,
        shard_count: int = 1,
    ) -> None:
        self.contract = contract
        # How many gateway shards the bot needs (/gateway/bot advertises it); a guild's
        # events go to the session of its shard only (see shards.py).
        self.shard_count = shard_count
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.new_id = Snowflakes()
        self.application_id = self.new_id()
        self.bot = Person("resource-bot", self.application_id, bot=True)
        self.owner = Person("owner", self.new_id())
        guild_id = self.new_id()
        self.guild = Guild(id=guild_id, name="Learning Hub", owner_id=self.owner.id)
        self.guild.roles[guild_id] = Role(guild_id, "@everyone", EVERYONE_PERMISSIONS)
        self.moderator_role = self._add_role("Moderator", MODERATOR_PERMISSIONS, 1)
        self.guild.moderator_role = self.moderator_role
        self.bot_role = self._add_role("resource-bot", BOT_PERMISSIONS, 2, managed=True)
        self.bot = Person(self.bot.name, self.bot.id, roles=(self.bot_role,), bot=True)
        for name in ("general", "resources", "mod-log"):
            self.guild.channels[name] = self.new_id()
        self.people: dict[str, Person] = {}
        # Further servers the bot is in (add_guild), and their members by name.
        self.guilds: dict[int, Guild] = {guild_id: self.guild}
        self.guild_people: dict[int, dict[str, Person]] = {}

        self.requests: list[RecordedRequest] = []
        self.violations: list[Violation] = []
        self.unknown_routes: list[RecordedRequest] = []
        self.refused: list[RecordedRequest] = []  # other 4xx answers: the bot did it wrong
        self.fake_errors: list[str] = []
        self.faults: list[Fault] = []
        self.interactions_to_expire = 0
        self.faults_served: list[RecordedRequest] = []
        self.registrations: list[Registration] = []
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self.deleted_messages: dict[int, dict[str, Any]] = {}
        self.channel_message_ids: list[int] = []
        self.deletions: list[Deletion] = []
        self.uploads: dict[int, bytes] = {}
        self.chunked_uploads: set[int] = set()  # served without a Content-Length
        self.downloads: list[int] = []  # attachment ids, each time one was downloaded
        self.interactions: dict[str, InteractionRecord] = {}

        self.sessions: dict[int, GatewaySession] = {}  # by shard id
        self.gateway_log: list[str] = []
        self.heartbeats = 0
        self._connections: list[GatewayConnection] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._deferred: DeferredChecks | None = None
        self.port = 0
        self._handlers = self._rest_handlers()

    # --- lifecycle -----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:<port>"""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """What discord.py's ``Route.BASE`` must be to talk to this fake."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """The gateway URL handed out by /gateway and used as discord.py's default."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        """Where READY tells the client to resume (a different path, to see it is used)."""
        return f"ws://127.0.0.1:{self.port}/resume"

    async def start(self) -> None:
        """Listen on 127.0.0.1, on a free port chosen by the OS."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/resume", self._gateway)
        app.router.add_get("/attachments/{attachment_id}/{filename}", self._download)
        app.router.add_route("*", "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    def attachment_url(self, attachment_id: int, filename: str) -> str:
        """Where an uploaded file can be downloaded (served by the fake, not Discord's CDN)."""
        return f"{self.base_url}/attachments/{attachment_id}/{quote(filename)}"

    async def _download(self, request: web.Request) -> web.StreamResponse:
        attachment_id = int(request.match_info["attachment_id"])
        self.downloads.append(attachment_id)
        data = self.uploads.get(attachment_id)
        if data is None:
            return web.Response(status=404, text="Not Found")
        # Streamed a slice at a time, so a large file is not copied into the send buffer.
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        if attachment_id in self.chunked_uploads:
            response.enable_chunked_encoding()
        else:
            response.content_length = len(data)
        await response.prepare(request)
        view = memoryview(data)
        try:
            for start in range(0, len(data), DOWNLOAD_SLICE):
                await response.write(view[start : start + DOWNLOAD_SLICE])
            await response.write_eof()
        except ConnectionError:  # the client stopped reading: its choice
            pass
        return response

    @property
    def gateway_close_codes(self) -> list[int | None]:
        """Each gateway connection's close code, oldest first: None while it is open, 1000
        when the client closed it as Discord expects, 1006 when it was cut."""
        return [c.socket.close_code if c.closed else None for c in self._connections]

    async def close(self) -> None:
        """Close gateway connections and stop listening."""
        for connection in self._connections:
            if not connection.closed:
                with contextlib.suppress(Exception):
                    await connection.close(1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- waiting ---------------------------------------------------------------------------

    async def changed(self) -> None:
        """Wake everyone waiting for the fake's state to change."""
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float, what: str) -> Any:
        """Wait until ``predicate()`` is truthy; raise TimeoutError naming ``what`` if not."""
        try:
            async with asyncio.timeout(timeout):
                async with self._changed:
                    return await self._changed.wait_for(predicate)
        except TimeoutError:
            raise TimeoutError(f"{what} did not happen within {timeout:.1f} s") from None

    # --- people and places -------------------------------------------------------------------

    def _add_role(self, name: str, permissions: int, position: int, managed: bool = False) -> int:
        role_id = self.new_id()
        self.guild.roles[role_id] = Role(role_id, name, permissions, position, managed)
        return role_id

    def add_role(self, name: str, permissions: int = 0) -> int:
        """Create a guild role; returns its id, for ``member(..., roles=[id])``."""
        return self._add_role(name, permissions, len(self.guild.roles))

    def add_guild(self, name: str, *, shard: int | None = None) -> Guild:
        """Another server the bot is in, with @everyone, a Moderator role (Manage Server),
        the bot's role and a #general channel. Add servers before the bot connects: the
        gateway announces them at IDENTIFY."""
        guild_id = (
            self.new_id() if shard is None else id_on_shard(self.new_id, shard, self.shard_count)
        )
        guild = Guild(id=guild_id, name=name, owner_id=self.owner.id)
        guild.roles[guild_id] = Role(guild_id, "@everyone", EVERYONE_PERMISSIONS)
        guild.moderator_role = self.new_id()
        guild.roles[guild.moderator_role] = Role(
            guild.moderator_role, "Moderator", MODERATOR_PERMISSIONS, 1
        )
        guild.roles[self.bot_role] = self.guild.roles[self.bot_role]
        guild.channels["general"] = self.new_id()
        self.guilds[guild_id] = guild
        self.guild_people[guild_id] = {}
        return guild

    def guild_of_channel(self, channel_id: int) -> Guild | None:
        """The server a channel belongs to (None: no such channel)."""
        return next((g for g in self.guilds.values() if channel_id in g.channels.values()), None)

    def channel(self, name: str = "general") -> int:
        """The id of a text channel of the test guild (created on first use)."""
        if name not in self.guild.channels:
            self.guild.channels[name] = self.new_id()
        return self.guild.channels[name]

    # --- fault injection ---------------------------------------------------------------------

    def fail_next(
        self,
        operation_id: str | None,
        *,
        status: int = 429,
        times: int = 1,
        retry_after: float = 0.05,
        is_global: bool = False,
    ) -> None:
        """Answer the next ``times`` requests of an operation (None: any) with ``status``."""
        self.faults.append(Fault(operation_id, status, times, retry_after, is_global))

    def fail_next_callbacks(self, times: int = 1, *, status: int = 429, retry_after: float = 0.05):
        """Answer the next interaction callbacks with 429 (rate limited) or a 5xx."""
        self.fail_next(
            "create_interaction_response", status=status, times=times, retry_after=retry_after
        )

    def expire_next_interactions(self, times: int = 1) -> None:
        """The next interactions reach the bot after their token expired (Discord allows 3 s
        for the first answer): every use of their token is answered 404, Unknown interaction
        for the callback and Unknown Webhook for follow-ups, as Discord does."""
        self.interactions_to_expire += times

    def _expired_answer(
        self, record: RecordedRequest, params: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]] | None:
        token = params.get("interaction_token") or params.get("webhook_token")
        interaction = self.interactions.get(token or "")
        if interaction is None or not interaction.expired:
            return None
        self.faults_served.append(record)
        if "interaction_token" in params:
            return 404, {"message": "Unknown interaction", "code": 10062}, {}
        return 404, {"message": "Unknown Webhook", "code": 10015}, {}

    def _take_fault(self, operation_id: str | None) -> Fault | None:
        for fault in self.faults:
            if fault.remaining > 0 and fault.operation_id in (None, operation_id):
                fault.remaining -= 1
                return fault
        return None

    # --- REST --------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        arrived_at = time.perf_counter()  # before reading, matching or checking anything
        path = request.path.removeprefix(API_PREFIX)
        found = self.contract.match(request.method, path) if request.path != path else None
        operation, params = found if found else (None, {})
        body, files = await _read_body(request)
        record = RecordedRequest(
            request.method,
            path if found else request.path,
            dict(request.query),
            operation.operation_id if operation else None,
            body,
            files,
            arrived_at=arrived_at,
        )
        self.requests.append(record)
        try:
            try:
                status, answer, headers = await self._answer(request, record, operation, params)
            except Exception as error:  # a bug in the fake: say so, and answer at once
                self.fake_errors.append(f"{record}: {traceback.format_exc()}")
                message = f"fake Discord failed: {error!r}"
                status, answer, headers = 400, {"message": message, "code": 0}, {}
            record.status, record.response = status, answer
            token = params.get("interaction_token") or params.get("webhook_token")
            if token in self.interactions:
                self.interactions[token].requests.append(record)
                self.interactions[token].version += 1
        finally:
            await self.changed()
        data = _json_body(status, answer)
        if operation is not None:  # the fake's own answers must match the description too
            if self._deferred is not None:
                self._deferred.answers.append((operation, status, data))
            else:
                self.fake_errors.extend(self.contract.check_response(operation, status, answer))
        return _json_response(status, data, {**_ratelimit_headers(record), **headers})

    @contextlib.contextmanager
    def checks_deferred(self) -> Iterator[DeferredChecks]:
        """Check request bodies when the block ends instead of as they arrive.

        For bursts: the fake answers each request at once, and the body is validated against
        the contract afterwards, every one of them. A body that breaks the contract is
        answered as if it were valid inside the block (Discord would have answered 400); its
        violations are recorded when the block ends, so the test still fails on them.
        Refusals that do not need the schema (a second callback, an empty message) are
        still answered at once.
        """
        if self._deferred is not None:
            raise RuntimeError("checks are already deferred")
        deferred = self._deferred = DeferredChecks()
        try:
            yield deferred
        finally:
            self._deferred = None
            before = self.contract.validated.total()
            for operation, record in deferred.requests:
                found = self.contract.check_request(operation, record.path, record.body)
                deferred.violations.extend(found)
            deferred.bodies_checked = self.contract.validated.total() - before
            for operation, status, data in deferred.answers:
                answer = json.loads(data) if data else None
                self.fake_errors.extend(self.contract.check_response(operation, status, answer))
            self.violations.extend(deferred.violations)

    async def _answer(
        self,
        request: web.Request,
        record: RecordedRequest,
        operation: Operation | None,
        params: dict[str, str],
    ) -> tuple[int, Any, dict[str, str]]:
        authorization = request.headers.get("Authorization")
        if not record.path.startswith(TOKEN_AUTH_PREFIXES) and authorization != f"Bot {self.token}":
            self.refused.append(record)
            return 401, {"message": "401: Unauthorized", "code": 0}, {}
        fault = self._take_fault(record.operation_id)
        if fault is not None:
            self.faults_served.append(record)
            return _fault_answer(fault)
        expired = self._expired_answer(record, params)
        if expired is not None:
            return expired
        if operation is None:
            self.unknown_routes.append(record)
            return 404, {"message": "404: Not Found", "code": 0}, {}
        if self._deferred is not None:
            self._deferred.requests.append((operation, record))
            violations = []
        else:
            violations = self.contract.check_request(operation, record.path, record.body)
        if violations:
            self.violations.extend(violations)
            return 400, discord_error_body(violations), {}
        handler = self._handlers.get(operation.operation_id)
        if handler is None:
            self.unknown_routes.append(record)
            return 404, {"message": "404: Not Found", "code": 0}, {}
        try:
            status, answer = await handler(Call(record, params, record.body, record.files))
        except DiscordError as error:
            if error.code not in (50035, 50006):  # contract violations are recorded already
                self.refused.append(record)
            return error.status, error.body, {}
        return status, answer, {}

    def _rest_handlers(self) -> dict[str, Handler]:
        return {
            "get_my_user": self._get_my_user,
            "get_my_oauth2_application": self._get_application,
            "get_gateway": self._get_gateway,
            "get_bot_gateway": self._get_gateway,
            "bulk_set_application_commands": self._bulk_set_commands,
            "bulk_set_guild_application_commands": self._bulk_set_commands,
            "list_application_commands": self._list_commands,
            "list_guild_application_commands": self._list_commands,
            "create_application_command": self._upsert_command,
            "create_guild_application_command": self._upsert_command,
            "get_application_command": self._get_command,
            "get_guild_application_command": self._get_command,
            "update_application_command": self._update_command,
            "update_guild_application_command": self._update_command,
            "delete_application_command": self._delete_command,
            "delete_guild_application_command": self._delete_command,
            "create_interaction_response": self._interaction_callback,
            "execute_webhook": self._followup,
            "get_original_webhook_message": self._get_webhook_message,
            "get_webhook_message": self._get_webhook_message,
            "update_original_webhook_message": self._edit_webhook_message,
            "update_webhook_message": self._edit_webhook_message,
            "delete_original_webhook_message": self._delete_webhook_message,
            "delete_webhook_message": self._delete_webhook_message,
            "get_channel": self._get_channel,
            "create_message": self._create_message,
            "get_message": self._get_message,
            "update_message": self._update_message,
            "delete_message": self._delete_message,
        }

    async def _get_my_user(self, call: Call) -> tuple[int, Any]:
        return 200, self._bot_user_payload()

    def _bot_user_payload(self) -> dict[str, Any]:
        return {
            **self.bot.user_payload(),
            "mfa_enabled": True,
            "locale": "en-US",
            "verified": True,
            "email": None,
            "premium_type": 0,
            "banner": None,
            "accent_color": None,
        }

    async def _get_application(self, call: Call) -> tuple[int, Any]:
        return 200, {
            "id": str(self.application_id),
            "name": self.bot.name,
            "icon": None,
            "description": "Recommends learning resources.",
            "summary": "",
            "type": None,
            "bot": self.bot.user_payload(),
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": secrets.token_hex(32),
            "flags": 0,
            "flags_new": "0",
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "owner": self.owner.user_payload(),
            "team": None,
            "approximate_guild_count": len(self.guilds),
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "eligible_oauth2_scopes": [],
            "rpc_origins": [],
            "tags": [],
        }

    async def _get_gateway(self, call: Call) -> tuple[int, Any]:
        answer: dict[str, Any] = {"url": self.gateway_url}
        if call.request.operation_id == "get_bot_gateway":
            answer["shards"] = self.shard_count
            answer["session_start_limit"] = {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            }
        return 200, answer

    # commands

    def _check_application(self, call: Call) -> int | None:
        if call.params.get("application_id") != str(self.application_id):
            raise DiscordError(403, 50001, "Missing Access")
        guild_id = call.params.get("guild_id")
        if guild_id is not None and int(guild_id) not in self.guilds:
            raise DiscordError(403, 50001, "Missing Access")
        return None if guild_id is None else int(guild_id)

    def _stored_command(
        self, command: dict[str, Any], guild_id: int | None, known: list[dict[str, Any]]
    ) -> dict[str, Any]:
        kind = command.get("type") or 1
        same = next((c for c in known if c["type"] == kind and c["name"] == command["name"]), None)
        permissions = command.get("default_member_permissions")
        stored = without_nulls(
            {
                "id": same["id"] if same else str(self.new_id()),
                "application_id": str(self.application_id),
                "version": str(self.new_id()),
                "type": kind,
                "name": command["name"],
                "name_localizations": command.get("name_localizations"),
                "description": command.get("description") or "",
                "description_localizations": command.get("description_localizations"),
                "options": command.get("options") or [],
                "dm_permission": command.get("dm_permission", True),
                "contexts": command.get("contexts"),
                "integration_types": command.get("integration_types") or [0],
                "nsfw": bool(command.get("nsfw")),
                "guild_id": None if guild_id is None else str(guild_id),
            }
        )
        stored["default_member_permissions"] = None if permissions is None else str(permissions)
        return stored

    async def _bulk_set_commands(self, call: Call) -> tuple[int, Any]:
        guild_id = self._check_application(call)
        known = self.commands.get(guild_id, [])
        stored = [self._stored_command(command, guild_id, known) for command in call.body or []]
        self.commands[guild_id] = stored
        self.registrations.append(
            Registration(call.request.operation_id or "", guild_id, call.body)
        )
        return 200, stored

    async def _list_commands(self, call: Call) -> tuple[int, Any]:
        return 200, self.commands.get(self._check_application(call), [])

    def _find_command(self, call: Call) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        commands = self.commands.setdefault(self._check_application(call), [])
        for command in commands:
            if command["id"] == call.params["command_id"]:
                return commands, command
        raise DiscordError(404, 10063, "Unknown application command")

    async def _upsert_command(self, call: Call) -> tuple[int, Any]:
        guild_id = self._check_application(call)
        commands = self.commands.setdefault(guild_id, [])
        stored = self._stored_command(call.body, guild_id, commands)
        commands[:] = [c for c in commands if c["id"] != stored["id"]] + [stored]
        self.registrations.append(
            Registration(call.request.operation_id or "", guild_id, call.body)
        )
        return 200, stored

    async def _get_command(self, call: Call) -> tuple[int, Any]:
        return 200, self._find_command(call)[1]

    async def _update_command(self, call: Call) -> tuple[int, Any]:
        commands, command = self._find_command(call)
        merged = {**command, **call.body}
        stored = self._stored_command(merged, self._check_application(call), commands)
        commands[commands.index(command)] = stored
        return 200, stored

    async def _delete_command(self, call: Call) -> tuple[int, Any]:
        commands, command = self._find_command(call)
        commands.remove(command)
        return 204, None

    # interactions

    def _interaction(self, call: Call) -> InteractionRecord:
        interaction = self.interactions.get(call.params["interaction_token"])
        if interaction is None or str(interaction.id) != call.params["interaction_id"]:
            raise DiscordError(404, 10062, "Unknown interaction")
        return interaction

    async def _interaction_callback(self, call: Call) -> tuple[int, Any]:
        interaction = self._interaction(call)
        if interaction.callback is not None:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        kind = call.body.get("type")
        if kind not in CALLBACKS_ALLOWED.get(interaction.type, set()):
            self._refuse(
                call,
                "type",
                f"callback type {kind} cannot answer an interaction of type {interaction.type} "
                f"(allowed: {sorted(CALLBACKS_ALLOWED[interaction.type])})",
                "callback type for interaction type",
            )
        data = call.body.get("data") or {}
        message: dict[str, Any] | None = None
        if kind == 4:
            self._refuse_empty(call, data, "data/")
            message = self._new_message(
                interaction.channel_id, data, call.files, interaction=interaction
            )
            interaction.original_id = int(message["id"])
            await self._announce("MESSAGE_CREATE", message)
        elif kind == 5:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            message = self._new_message(
                interaction.channel_id, {}, [], interaction=interaction, flags=flags
            )
            interaction.original_id = int(message["id"])
            interaction.loading = True
            await self._announce("MESSAGE_CREATE", message)
        elif kind in (6, 7):
            interaction.original_id = interaction.message_id
            if kind == 7 and interaction.message_id is not None:
                message = await self._edit_message(interaction.message_id, data, call.files)
        interaction.callback = call.body
        interaction.answered_at = call.request.arrived_at
        interaction.version += 1
        if call.query.get("with_response", "").lower() not in ("1", "true"):
            return 204, None
        return 200, self._callback_answer(interaction, kind, message)

    def _callback_answer(
        self, interaction: InteractionRecord, kind: int, message: dict[str, Any] | None
    ) -> dict[str, Any]:
        """What Discord answers to ``?with_response=true``: the interaction and its message."""
        about: dict[str, Any] = {"id": str(interaction.id), "type": interaction.type}
        original = self.messages.get(interaction.original_id or 0)
        if original is not None:
            about["response_message_id"] = original["id"]
            about["response_message_loading"] = bool(original["flags"] & LOADING)
            about["response_message_ephemeral"] = bool(original["flags"] & EPHEMERAL)
        answer: dict[str, Any] = {"interaction": about}
        if kind in (4, 7) and message is not None:
            answer["resource"] = {"type": kind, "message": message}
        return answer

    def _refuse(self, call: Call, json_path: str, message: str, rule: str) -> None:
        """Record a contract violation found by a handler and answer 400 like Discord."""
        request = call.request
        violation = Violation(
            request.operation_id or "", request.method, request.path, json_path, message, rule
        )
        self.violations.append(violation)
        self.contract.violations_seen[violation.operation_id] += 1
        raise DiscordError(400, 50035, "Invalid Form Body", discord_error_body([violation]))

    def _refuse_empty(self, call: Call, data: dict[str, Any], prefix: str) -> None:
        keys = ("content", "embeds", "components", "attachments", "poll", "sticker_ids")
        if not any(data.get(key) for key in keys) and not call.files:
            violation = Violation(
                call.request.operation_id or "",
                call.request.method,
                call.request.path,
                prefix.rstrip("/"),
                "a message needs content, embeds, components, files or a poll",
                "non-empty message",
            )
            self.violations.append(violation)
            self.contract.violations_seen[violation.operation_id] += 1
            raise DiscordError(400, 50006, "Cannot send an empty message")

    def _webhook_interaction(self, call: Call) -> InteractionRecord:
        if call.params.get("webhook_id") != str(self.application_id):
            raise DiscordError(404, 10015, "Unknown Webhook")
        interaction = self.interactions.get(call.params["webhook_token"])
        if interaction is None:
            raise DiscordError(401, 50027, "Invalid Webhook Token")
        if interaction.callback is None:
            raise DiscordError(404, 10015, "Unknown Webhook")
        return interaction

    def _webhook_message_id(self, call: Call, interaction: InteractionRecord) -> int:
        wanted = call.params.get("message_id")
        message_id = interaction.original_id if wanted is None else int(wanted)
        own = {interaction.original_id, *interaction.followup_ids}
        if message_id is None or message_id not in own or message_id not in self.messages:
            raise DiscordError(404, 10008, "Unknown Message")
        return message_id

    async def _followup(self, call: Call) -> tuple[int, Any]:
        interaction = self._webhook_interaction(call)
        self._refuse_empty(call, call.body or {}, "")
        if interaction.loading and interaction.original_id is not None:
            # After a "thinking" defer the first followup replaces the loading message,
            # keeping the ephemerality chosen when deferring.
            message = await self._edit_message(interaction.original_id, call.body, call.files)
            interaction.loading = False
        else:
            message = self._new_message(
                interaction.channel_id, call.body, call.files, interaction=interaction
            )
            await self._announce("MESSAGE_CREATE", message)
        interaction.followup_ids.append(int(message["id"]))
        interaction.version += 1
        if call.query.get("wait", "").lower() not in ("1", "true"):
            return 204, None
        return 200, message

    async def _get_webhook_message(self, call: Call) -> tuple[int, Any]:
        interaction = self._webhook_interaction(call)
        return 200, self.messages[self._webhook_message_id(call, interaction)]

    async def _edit_webhook_message(self, call: Call) -> tuple[int, Any]:
        interaction = self._webhook_interaction(call)
        message_id = self._webhook_message_id(call, interaction)
        message = await self._edit_message(message_id, call.body or {}, call.files)
        if message_id == interaction.original_id:
            interaction.loading = False
        interaction.edits.append(call.body or {})
        interaction.version += 1
        return 200, message

    async def _delete_webhook_message(self, call: Call) -> tuple[int, Any]:
        interaction = self._webhook_interaction(call)
        message_id = self._webhook_message_id(call, interaction)
        await self._delete(message_id, "webhook")
        interaction.version += 1
        return 204, None

    # channels and messages

    def _channel_id(self, call: Call) -> int:
        channel_id = int(call.params["channel_id"])
        if self.guild_of_channel(channel_id) is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        return channel_id

    def _channel_message(self, call: Call) -> dict[str, Any]:
        channel_id = self._channel_id(call)
        message = self.messages.get(int(call.params["message_id"]))
        if message is None or message["channel_id"] != str(channel_id):
            raise DiscordError(404, 10008, "Unknown Message")
        if message["flags"] & EPHEMERAL:
            raise DiscordError(404, 10008, "Unknown Message")  # only the interaction token sees it
        return message

    async def _get_channel(self, call: Call) -> tuple[int, Any]:
        channel_id = self._channel_id(call)
        guild = self.guild_of_channel(channel_id)
        assert guild is not None
        return 200, guild.channel_payload(channel_id)

    async def _create_message(self, call: Call) -> tuple[int, Any]:
        channel_id = self._channel_id(call)
        self._refuse_empty(call, call.body or {}, "")
        message = self._new_message(channel_id, call.body, call.files)
        self.channel_message_ids.append(int(message["id"]))
        await self._announce("MESSAGE_CREATE", message)
        return 200, message

    async def _get_message(self, call: Call) -> tuple[int, Any]:
        return 200, self._channel_message(call)

    async def _update_message(self, call: Call) -> tuple[int, Any]:
        message = self._channel_message(call)
        if message["author"]["id"] != str(self.bot.id):
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        return 200, await self._edit_message(int(message["id"]), call.body or {}, call.files)

    async def _delete_message(self, call: Call) -> tuple[int, Any]:
        message = self._channel_message(call)
        await self._delete(int(message["id"]), "channel")
        return 204, None

    # --- messages ----------------------------------------------------------------------------

    def _new_message(
        self,
        channel_id: int,
        data: dict[str, Any] | None,
        files: list[UploadedFile],
        *,
        interaction: InteractionRecord | None = None,
        flags: int | None = None,
        author: Person | None = None,
    ) -> dict[str, Any]:
        data = data or {}
        message_id = self.new_id()
        message: dict[str, Any] = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": (author or self.bot).user_payload(),
            "content": "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": bool(data.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": (int(data.get("flags") or 0) & SENDABLE_FLAGS) if flags is None else flags,
        }
        if interaction is not None:
            message["type"] = 20 if interaction.type == APPLICATION_COMMAND else 0
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
            message["interaction_metadata"] = self._interaction_metadata(interaction)
        self._apply(message, data, files)
        self.messages[message_id] = message
        return message

    def _interaction_metadata(self, interaction: InteractionRecord) -> dict[str, Any]:
        metadata: dict[str, Any] = {
            "id": str(interaction.id),
            "type": interaction.type,
            "user": interaction.user.user_payload(),
            "authorizing_integration_owners": {"0": str(self.guild.id)},
        }
        if interaction.message_id is not None:
            metadata["interacted_message_id"] = str(interaction.message_id)
        return metadata

    def _apply(self, message: dict[str, Any], data: dict[str, Any], files: list[UploadedFile]):
        """Set the fields a create or edit carries, as Discord stores them."""
        if "content" in data:
            message["content"] = data["content"] or ""
        if "embeds" in data:
            message["embeds"] = [response_embed(embed) for embed in data["embeds"] or []]
        if "components" in data:
            message["components"] = response_components(data["components"] or [])
        if "attachments" in data or files:
            message["attachments"] = self._attachments(message, data.get("attachments"), files)
        allowed = data.get("allowed_mentions")
        message["mention_everyone"], message["mentions"], message["mention_roles"] = self._mentions(
            message["content"], allowed
        )

    def _attachments(
        self, message: dict[str, Any], wanted: list[Any] | None, files: list[UploadedFile]
    ) -> list[dict[str, Any]]:
        kept = {item["id"]: item for item in message["attachments"]}
        by_index = {
            int(match.group(1)): upload
            for upload in files
            if (match := re.fullmatch(r"files\[(\d+)\]", upload.field))
        }
        if wanted is None:
            wanted = [{"id": index} for index in sorted(by_index)] + list(kept.values())
        shown = []
        for item in wanted:
            item_id = str(item.get("id"))
            if item_id in kept:
                shown.append(kept[item_id])
                continue
            upload = by_index.get(int(item_id)) if item_id.isdigit() else None
            if upload is None:
                continue
            attachment_id = self.new_id()
            self.uploads[attachment_id] = upload.data
            shown.append(
                without_nulls(
                    {
                        "id": str(attachment_id),
                        "filename": item.get("filename") or upload.filename,
                        "description": item.get("description"),
                        "size": len(upload.data),
                        "url": self.attachment_url(attachment_id, upload.filename),
                        "proxy_url": self.attachment_url(attachment_id, upload.filename),
                        "content_type": upload.content_type,
                    }
                )
            )
        return shown

    def _mentions(
        self, content: str, allowed: dict[str, Any] | None
    ) -> tuple[bool, list[dict[str, Any]], list[str]]:
        """Who the message would ping, given its ``allowed_mentions`` (default: everything)."""
        parse = ["everyone", "users", "roles"] if allowed is None else allowed.get("parse") or []
        allowed_users = {str(user) for user in (allowed or {}).get("users") or []}
        allowed_roles = {str(role) for role in (allowed or {}).get("roles") or []}
        everyone = "everyone" in parse and ("@everyone" in content or "@here" in content)
        people = {str(person.id): person for person in self.people.values()}
        users = [
            people[user_id].user_payload()
            for user_id in re.findall(r"<@!?(\d+)>", content)
            if user_id in people and ("users" in parse or user_id in allowed_users)
        ]
        roles = [
            role_id
            for role_id in re.findall(r"<@&(\d+)>", content)
            if "roles" in parse or role_id in allowed_roles
        ]
        return everyone, users, roles

    async def _edit_message(
        self, message_id: int, data: dict[str, Any], files: list[UploadedFile]
    ) -> dict[str, Any]:
        message = self.messages.get(message_id)
        if message is None:
            raise DiscordError(404, 10008, "Unknown Message")
        self._apply(message, data, files)
        if "flags" in data and data["flags"] is not None:
            keep = message["flags"] & ~EDITABLE_FLAGS & ~LOADING
            message["flags"] = keep | (int(data["flags"]) & EDITABLE_FLAGS)
        else:
            message["flags"] &= ~LOADING
        message["edited_timestamp"] = iso_now()
        await self._announce("MESSAGE_UPDATE", message)
        return message

    async def _delete(self, message_id: int, route: str) -> None:
        message = self.messages.pop(message_id)
        self.deleted_messages[message_id] = message
        channel_id = int(message["channel_id"])
        self.deletions.append(Deletion(channel_id, message_id, route))
        if not message["flags"] & EPHEMERAL:
            deleted = {"id": str(message_id), "channel_id": str(channel_id)}
            guild = self.guild_of_channel(channel_id) or self.guild
            await self._tell_gateway("MESSAGE_DELETE", {**deleted, "guild_id": str(guild.id)})

    async def _announce(self, event: str, message: dict[str, Any]) -> None:
        """Tell the gateway about a message everyone can see (not ephemeral ones)."""
        if not message["flags"] & EPHEMERAL:
            guild = self.guild_of_channel(int(message["channel_id"])) or self.guild
            await self._tell_gateway(event, {**message, "guild_id": str(guild.id)})

    async def _tell_gateway(self, event: str, data: dict[str, Any]) -> None:
        """Dispatch if there is a session that asked for the event's intent, without waiting
        for one (REST must answer now)."""
        session = self.session_for(_guild_in(data))
        if session is not None and not session.invalid and session.wants(event):
            await session.dispatch(event, data)

    # --- gateway ---------------------------------------------------------------------------

    @property
    def session(self) -> GatewaySession | None:
        """The session of the shard the home guild (``self.guild``) lives on."""
        return self.session_for(self.guild.id)

    def shard_of_guild(self, guild_id: int | None) -> int:
        """The shard a guild's events go to (direct messages: shard 0)."""
        return 0 if guild_id is None else shard_of(guild_id, self.shard_count)

    def session_for(self, guild_id: int | None) -> GatewaySession | None:
        """The session that receives a guild's events, if its shard has identified."""
        return self.sessions.get(self.shard_of_guild(guild_id))

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH to the session of the event's guild (kept for replay if it is
        reconnecting), waiting for that shard to connect if it has not."""
        guild_id = _guild_in(data)
        session = self.session_for(guild_id)
        if session is None or session.invalid:
            session = await self.wait_for_session(shard=self.shard_of_guild(guild_id))
        await session.dispatch(event, data)

    async def wait_for_session(
        self, timeout: float = 10.0, *, shard: int | None = None
    ) -> GatewaySession:
        """Wait until the client has identified (or resumed) on the gateway, on ``shard``
        (default: the home guild's)."""
        if shard is None:
            shard = self.shard_of_guild(self.guild.id)

        def ready() -> GatewaySession | None:
            session = self.sessions.get(shard)
            if session is None or session.invalid or session.connection is None:
                return None
            return session

        return await self.wait_until(ready, timeout, f"the bot connecting shard {shard}")

    async def drop_gateway(self, *, how: str = "close", resumable: bool = True) -> None:
        """Cut the bot's gateway connection mid-session.

        ``how``: "close" (close code 4000), "abort" (TCP reset, no close frame) or
        "reconnect" (opcode 7, Discord asking the client to reconnect). With
        ``resumable=False`` the session is invalidated, so the client must identify again.
        """
        session = await self.wait_for_session()
        connection = session.connection
        assert connection is not None
        if not resumable:
            session.invalid = True
        self.gateway_log.append(f"DROP {how}")
        if how == "abort":
            connection.abort()
        elif how == "reconnect":
            await connection.send({"op": RECONNECT, "d": None})
        elif how == "close":
            with contextlib.suppress(TimeoutError, ConnectionError):
                await connection.close(UNKNOWN_ERROR)
        else:
            raise ValueError(f"unknown way to drop the gateway: {how!r}")
        if session.connection is connection:
            session.connection = None

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        socket_ = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await socket_.prepare(request)
        query = request.query
        connection = GatewayConnection(request, socket_, query.get("compress") == "zlib-stream")
        self._connections.append(connection)
        if query.get("v") != "10":
            await connection.close(INVALID_API_VERSION)
            return socket_
        if query.get("encoding", "json") != "json" or query.get("compress") not in (
            None,
            "zlib-stream",
        ):
            # discord.py asks for zstd-stream when the zstandard module is installed
            self.gateway_log.append(f"REFUSED {query.get('encoding')} {query.get('compress')}")
            await connection.close(DECODE_ERROR)
            return socket_
        await connection.send(
            {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}
        )
        session: GatewaySession | None = None
        try:
            async for frame in socket_:
                if frame.type is not WSMsgType.TEXT:
                    await connection.close(DECODE_ERROR)
                    break
                payload = json.loads(frame.data)
                session = await self._gateway_op(connection, session, payload) or session
        finally:
            if session is not None and session.connection is connection:
                session.connection = None
            await self.changed()
        return socket_

    async def _gateway_op(
        self,
        connection: GatewayConnection,
        session: GatewaySession | None,
        payload: dict[str, Any],
    ) -> GatewaySession | None:
        op, data = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            self.heartbeats += 1
            await connection.send({"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            if session is not None:
                await connection.close(ALREADY_AUTHENTICATED)
            elif data.get("token") != self.token:
                await connection.close(AUTHENTICATION_FAILED)
            else:
                return await self._identify(connection, data)
        elif op == RESUME:
            return await self._resume(connection, data)
        elif op == REQUEST_GUILD_MEMBERS:
            await self._send_members(data)
        elif op not in (PRESENCE_UPDATE, VOICE_STATE_UPDATE):
            await connection.close(UNKNOWN_OPCODE)
        return None

    async def _identify(
        self, connection: GatewayConnection, data: dict[str, Any]
    ) -> GatewaySession | None:
        try:
            shard_id, shard_count = identified_shard(data, self.shard_count)
        except ShardRefused as refused:
            self.gateway_log.append(f"IDENTIFY refused {refused.code}: {refused}")
            await connection.close(refused.code)
            return None
        session = GatewaySession(
            token=data["token"],
            intents=int(data.get("intents") or 0),
            shard_id=shard_id,
            shard_count=shard_count,
        )
        session.connection = connection
        self.sessions[shard_id] = session
        sharded = f" shard {shard_id}/{shard_count}" if shard_count > 1 else ""
        self.gateway_log.append(f"IDENTIFY {connection.path}{sharded}")
        here = [g for g in self.guilds if self.shard_of_guild(g) == shard_id]
        await session.dispatch(
            "READY",
            {
                "v": 10,
                "user": self._bot_user_payload(),
                "guilds": [{"id": str(g), "unavailable": True} for g in here],
                "session_id": session.session_id,
                "session_type": "normal",
                "resume_gateway_url": self.resume_gateway_url,
                "application": {"id": str(self.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "geo_ordered_rtc_regions": ["stockholm"],
                **({"shard": data["shard"]} if "shard" in data else {}),
            },
        )
        if self.guild.id in here:
            await session.dispatch("GUILD_CREATE", self.guild.create_payload(self._members()))
        for guild_id, people in self.guild_people.items():
            if guild_id not in here:
                continue
            members = [self.bot, self.owner, *people.values()]
            await session.dispatch("GUILD_CREATE", self.guilds[guild_id].create_payload(members))
        await self.changed()
        return session

    async def _resume(
        self, connection: GatewayConnection, data: dict[str, Any]
    ) -> GatewaySession | None:
        session = next(
            (s for s in self.sessions.values() if s.session_id == data.get("session_id")), None
        )
        if session is None or session.invalid or data.get("token") != self.token:
            self.gateway_log.append(f"RESUME refused {connection.path}")
            await connection.send({"op": INVALID_SESSION, "d": False})
            return None
        session.connection = connection
        missed = await session.replay_after(int(data.get("seq") or 0))
        self.gateway_log.append(f"RESUME {connection.path} replayed {missed}")
        await session.dispatch("RESUMED", {})
        await self.changed()
        return session

    async def _send_members(self, data: dict[str, Any]) -> None:
        await self.dispatch(
            "GUILD_MEMBERS_CHUNK",
            {
                "guild_id": str(self.guild.id),
                "members": [person.member_payload() for person in self._members()],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
                **({"nonce": data["nonce"]} if data.get("nonce") else {}),
            },
        )

    def _members(self) -> list[Person]:
        return [self.bot, self.owner, *self.people.values()]

    # --- recordings ------------------------------------------------------------------------

    def requests_for(self, operation_id: str) -> Iterator[RecordedRequest]:
        """Recorded requests of one operation, e.g. ``"create_message"``."""
        return (r for r in self.requests if r.operation_id == operation_id)


# --- helpers -----------------------------------------------------------------------------------


def _guild_in(data: dict[str, Any]) -> int | None:
    """The guild an event belongs to (None: a direct message, or not a guild's event)."""
    guild_id = data.get("guild_id")
    return int(guild_id) if guild_id else None


async def _read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    """The JSON body, or ``payload_json`` and the files of a multipart body."""
    if not request.can_read_body:
        return None, []
    if request.content_type == "multipart/form-data":
        body: Any = None
        files: list[UploadedFile] = []
        reader = await request.multipart()
        async for part in reader:
            data = await part.read()  # type: ignore[union-attr]
            if part.name == "payload_json":
                body = json.loads(data)
            else:
                files.append(
                    UploadedFile(
                        part.name or "",
                        part.filename or "",
                        part.headers.get("Content-Type", "application/octet-stream"),
                        bytes(data),
                    )
                )
        return body, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode(errors="replace"), []


def _ratelimit_headers(record: RecordedRequest) -> dict[str, str]:
    """Headers Discord sends on every answer (``Via``: discord.py trusts 429s only with it)."""
    return {
        "Via": "1.1 google",
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": f"fake-{record.operation_id or 'unknown'}",
    }


def _fault_answer(fault: Fault) -> tuple[int, Any, dict[str, str]]:
    if fault.status == 429:
        headers = {
            "Retry-After": str(max(1, round(fault.retry_after))),
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
            "X-RateLimit-Scope": "global" if fault.is_global else "user",
        }
        if fault.is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": fault.retry_after,
            "global": fault.is_global,
            "code": 0,
        }
        return 429, body, headers
    return fault.status, {"message": f"{fault.status}: Internal Server Error", "code": 0}, {}


def _json_body(status: int, body: Any) -> bytes:
    """An answer's JSON, or nothing for 204 and empty answers."""
    if status == 204 or body is None:
        return b""
    return json.dumps(body).encode()


def _json_response(status: int, data: bytes, headers: dict[str, str]) -> web.Response:
    """A response with ``Content-Type: application/json`` exactly, as Discord sends."""
    if not data:
        return web.Response(status=204, headers=headers)
    return web.Response(
        status=status, body=data, headers={**headers, "Content-Type": "application/json"}
    )
