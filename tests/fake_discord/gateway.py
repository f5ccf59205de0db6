"""The fake gateway: sessions, sequence numbers, resuming, and zlib-stream compression."""

from __future__ import annotations

import asyncio
import json
import secrets
import zlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

# Opcodes (https://discord.com/developers/docs/topics/opcodes-and-status-codes)
DISPATCH = 0
HEARTBEAT = 1
IDENTIFY = 2
PRESENCE_UPDATE = 3
VOICE_STATE_UPDATE = 4
RESUME = 6
RECONNECT = 7
REQUEST_GUILD_MEMBERS = 8
INVALID_SESSION = 9
HELLO = 10
HEARTBEAT_ACK = 11

# Close codes
UNKNOWN_ERROR = 4000
UNKNOWN_OPCODE = 4001
DECODE_ERROR = 4002
AUTHENTICATION_FAILED = 4004
ALREADY_AUTHENTICATED = 4005
INVALID_API_VERSION = 4012

ZLIB_SUFFIX = b"\x00\x00\xff\xff"

# Events Discord sends only to sessions that asked for their intent (guild channels only: the
# fake has no direct messages).
GUILD_MESSAGES = 1 << 9
INTENT_OF_EVENT = {
    "MESSAGE_CREATE": GUILD_MESSAGES,
    "MESSAGE_UPDATE": GUILD_MESSAGES,
    "MESSAGE_DELETE": GUILD_MESSAGES,
    "MESSAGE_DELETE_BULK": GUILD_MESSAGES,
}


class GatewayConnection:
    """One websocket from the client, JSON text or zlib-stream binary as it asked."""

    def __init__(self, request: web.Request, socket: web.WebSocketResponse, compress: bool) -> None:
        self.request = request
        self.socket = socket
        self.path = request.path
        self._compressor = zlib.compressobj() if compress else None
        self._lock = asyncio.Lock()

    @property
    def closed(self) -> bool:
        """True once the socket is gone."""
        return self.socket.closed

    async def send(self, payload: dict[str, Any]) -> None:
        """Send one gateway payload; compressed frames are split to test reassembly."""
        text = json.dumps(payload, separators=(",", ":"))
        async with self._lock:
            if self.socket.closed:
                return
            try:
                if self._compressor is None:
                    await self.socket.send_str(text)
                    return
                data = self._compressor.compress(text.encode()) + self._compressor.flush(
                    zlib.Z_SYNC_FLUSH
                )
                if len(data) > 64:  # a message may arrive in several frames; only the last ends
                    middle = len(data) // 2
                    await self.socket.send_bytes(data[:middle])
                    data = data[middle:]
                await self.socket.send_bytes(data)
            except ConnectionError:
                pass  # the client went away; the session keeps the event for a resume

    async def close(self, code: int) -> None:
        """Close the websocket with a close code the client can read."""
        async with asyncio.timeout(2):
            await self.socket.close(code=code)

    def abort(self) -> None:
        """Cut the TCP connection without a close frame, like a network failure."""
        if self.request.transport is not None:
            self.request.transport.abort()


@dataclass
class GatewaySession:
    """A gateway session: what was dispatched, so a resumed client gets what it missed."""

    token: str
    intents: int
    session_id: str = field(default_factory=lambda: secrets.token_hex(16))
    sequence: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    connection: GatewayConnection | None = None
    invalid: bool = False
    shard_id: int = 0
    shard_count: int = 1

    def wants(self, event: str) -> bool:
        """Whether the session's intents ask for this event."""
        intent = INTENT_OF_EVENT.get(event)
        return intent is None or bool(self.intents & intent)

    async def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Number and keep an event, and send it if the client is connected."""
        self.sequence += 1
        payload = {"op": DISPATCH, "t": event, "s": self.sequence, "d": data}
        self.events.append(payload)
        if self.connection is not None and not self.connection.closed:
            await self.connection.send(payload)
        return self.sequence

    async def replay_after(self, sequence: int) -> int:
        """Send every event after ``sequence`` again (on RESUME); returns how many."""
        missed = [event for event in self.events if event["s"] > sequence]
        for event in missed:
            assert self.connection is not None
            await self.connection.send(event)
        return len(missed)
