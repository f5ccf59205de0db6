"""Which catalogue answers each server, and who may change it.

Every server is answered from the operator's default catalogue (the live copy in the state
folder) until its moderators upload one of their own; that one lives in
`<state>/servers/<guild id>/resources.yaml`, answers that server only, and `reset` retires it
(kept as a backup) so the default answers again. Servers on the default share its one
`Library`, so memory grows with the servers that have their own catalogue, not with all.

The default is changed only from the home servers (HOME_GUILD_IDS) or by the operator on the
machine; elsewhere a reload of it is refused with `OperatorManaged`. Direct messages (no
server) are answered from the default.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from bot.catalog import CatalogError
from bot.config import DEFAULT_SERVER_CATALOG_MAX_RESOURCES, LIVE_CATALOG_NAME
from bot.index_cache import cache_path
from bot.library import (
    CatalogDiff,
    Library,
    TooManyResources,
    backup_path,
    keep_newest_backups,
)

log = logging.getLogger(__name__)

SERVERS_FOLDER = "servers"

# Told of every change made here: the server (None: the default) and its new catalogue file
# (None: the server went back to the default). Several processes share changes through it.
Announce = Callable[[int | None, bytes | None], Awaitable[None]]


class OperatorManaged(Exception):
    """The default catalogue may be changed only from a home server or on the machine."""


@dataclass(frozen=True)
class Reset:
    """What `Catalogues.reset` did: the diff from the server's catalogue back to the default
    (None: the server had none of its own) and where its file was kept."""

    diff: CatalogDiff | None
    backup: Path | None = None


class Catalogues:
    """The default catalogue and the servers' own, looked up by server id."""

    def __init__(
        self,
        default: Library,
        state_dir: Path,
        home_guild_ids: frozenset[int],
        max_resources: int,
        own: dict[int, Library] | None = None,
    ) -> None:
        self.default = default
        self.servers_dir = Path(state_dir) / SERVERS_FOLDER
        self.home_guild_ids = home_guild_ids
        self.max_resources = max_resources
        self._own: dict[int, Library] = dict(own or {})
        # One lock per server that changes its catalogue: an upload and a reset of the same
        # server never interleave; other servers are not held up.
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.announce: Announce | None = None

    @classmethod
    def open(
        cls,
        state_dir: str | Path,
        source: str | Path,
        home_guild_ids: frozenset[int] = frozenset(),
        max_resources: int | None = None,
    ) -> Catalogues:
        """The default (see `Library.open_live`) and every server catalogue in the state
        folder. A server's catalogue that no longer loads is logged and that server is
        answered from the default until its moderators reload or upload a good one."""
        limit = max_resources or DEFAULT_SERVER_CATALOG_MAX_RESOURCES
        default = Library.open_live(state_dir, source)
        catalogues = cls(default, Path(state_dir), home_guild_ids, limit)
        for guild_id, path in server_files(catalogues.servers_dir):
            try:
                catalogues._own[guild_id] = Library.open(path, limit)
            except (CatalogError, TooManyResources, OSError) as error:
                log.error(
                    "the catalogue of server %s (%s) does not load, so that server is answered "
                    "from the default until it is fixed: %s",
                    guild_id,
                    path,
                    error,
                )
        return catalogues

    def path_of(self, guild_id: int) -> Path:
        """Where a server's own catalogue is kept."""
        return self.servers_dir / str(guild_id) / LIVE_CATALOG_NAME

    def for_guild(self, guild_id: int | None) -> Library:
        """The catalogue that answers in `guild_id` (None: direct messages)."""
        if guild_id is None:
            return self.default
        return self._own.get(guild_id, self.default)

    def has_own(self, guild_id: int) -> bool:
        return guild_id in self._own

    @property
    def own_count(self) -> int:
        """How many servers are answered from a catalogue of their own."""
        return len(self._own)

    def manages_default(self, guild_id: int) -> bool:
        """True in a home server: its moderators' reload and upload change the default."""
        return guild_id in self.home_guild_ids

    def busy(self, guild_id: int) -> bool:
        """True while a reload, upload or reset that concerns this server is under way."""
        lock = self._locks.get(guild_id)
        return (lock is not None and lock.locked()) or self.for_guild(guild_id).busy

    async def reload(self, guild_id: int) -> CatalogDiff:
        """Re-read this server's catalogue file: its own, or the default in a home server.
        Raises `OperatorManaged` elsewhere, `CatalogError` or `TooManyResources` when the
        file is not valid, `RebuildFailed` when the worker building it stopped (what was
        served stays)."""
        async with self._locks[guild_id]:
            own = self._own.get(guild_id)
            if own is not None:
                diff = await own.reload()
                await self._announce(guild_id, own.path)
                return diff
            path = self.path_of(guild_id)
            if path.exists():  # it did not load at start: try it again
                library = await Library.load(path, self.max_resources)
                self._own[guild_id] = library
                await self._announce(guild_id, path)
                return CatalogDiff.between(self.default.current.catalog, library.current.catalog)
            if not self.manages_default(guild_id):
                raise OperatorManaged()
            diff = await self.default.reload()
            await self._announce(None, self.default.path)
            return diff

    async def upload(self, guild_id: int, data: bytes, filename: str) -> CatalogDiff:
        """Validate `data` and make it this server's catalogue (in a home server: the
        default). Raises `CatalogError`, `TooManyResources` or `RebuildFailed`, and then
        nothing changes."""
        async with self._locks[guild_id]:
            if guild_id not in self._own and self.manages_default(guild_id):
                diff = await self.default.replace(data, filename)
                await self._announce(None, data)
                return diff
            diff = await self._replace_own(guild_id, data, filename)
            await self._announce(guild_id, data)
            return diff

    async def _replace_own(self, guild_id: int, data: bytes, filename: str) -> CatalogDiff:
        library = self._own.get(guild_id)
        if library is None:  # the diff is against the default the server saw so far
            library = Library(self.path_of(guild_id), self.default.current, self.max_resources)
        diff = await library.replace(data, filename)
        self._own[guild_id] = library
        return diff

    async def adopt(self, guild_id: int | None, data: bytes | None) -> bool:
        """Serve a change another process made (see bot.shared_catalogues): `data` as the
        catalogue of `guild_id` (None: the default), or with `data` None the default again
        there. Not announced again; False when this process serves exactly that already.
        Raises `CatalogError` or `TooManyResources` as an upload does."""
        if guild_id is None:
            if await _same_file(self.default.path, data) or data is None:
                return False
            await self.default.replace(data, "shared catalogue")
            return True
        async with self._locks[guild_id]:
            own = self._own.get(guild_id)
            if data is None:
                if own is None and not self.path_of(guild_id).exists():
                    return False
                await self._reset(guild_id)
                return True
            if own is not None and await _same_file(own.path, data):
                return False
            await self._replace_own(guild_id, data, "shared catalogue")
            return True

    async def _announce(self, guild_id: int | None, what: bytes | Path | None) -> None:
        if self.announce is None:
            return
        if isinstance(what, Path):
            what = await asyncio.to_thread(what.read_bytes)
        await self.announce(guild_id, what)

    async def reset(self, guild_id: int) -> Reset:
        """Answer this server from the default again; its file is kept as a backup."""
        async with self._locks[guild_id]:
            reset = await self._reset(guild_id)
            if reset.diff is not None:
                await self._announce(guild_id, None)
            return reset

    async def _reset(self, guild_id: int) -> Reset:
        own = self._own.get(guild_id)
        path = self.path_of(guild_id)
        if own is None and not path.exists():
            return Reset(None)
        backup = None
        if path.exists() or path.is_symlink():
            backup = backup_path(path)
            await asyncio.to_thread(os.replace, path, backup)
            keep_newest_backups(path)
        cache_path(path).unlink(missing_ok=True)  # its index: of no catalogue now
        self._own.pop(guild_id, None)
        previous = own.current.catalog if own is not None else self.default.current.catalog
        return Reset(CatalogDiff.between(previous, self.default.current.catalog), backup)


async def _same_file(path: Path, data: bytes | None) -> bool:
    """True when the file at `path` holds exactly `data`."""
    try:
        return data is not None and await asyncio.to_thread(path.read_bytes) == data
    except OSError:
        return False


def server_files(servers_dir: Path) -> list[tuple[int, Path]]:
    """The servers' own catalogues kept in `servers_dir`, by guild id (a broken link too:
    loading it says what is wrong)."""
    if not servers_dir.is_dir():
        return []
    found = []
    for folder in sorted(servers_dir.iterdir()):
        path = folder / LIVE_CATALOG_NAME
        if folder.name.isdigit() and (path.exists() or path.is_symlink()):
            found.append((int(folder.name), path))
    return found
