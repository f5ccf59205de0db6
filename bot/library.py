"""The live catalogue: the current (catalogue, index) pair, swapped whole on reload.

A query takes `library.current` once and uses that snapshot throughout, so it sees the
old pair or the new pair, never a mix. A failed reload or upload leaves everything as it was.

The bot serves a live copy kept in its state folder, not the file in the checkout: uploads
and their backups are written there, so the checkout stays as git has it and an upload
survives a restart or an update of the code.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot import limits, rebuild
from bot.catalog import Catalog, CatalogError, Problem, parse_catalog, read_catalog_file
from bot.config import LIVE_CATALOG_NAME, ConfigError
from bot.files import PARTIAL_WRITE_SUFFIX, write_atomically
from bot.index_cache import IndexCache
from bot.search import Index

BACKUPS_KEPT = 20  # the newest backups of the catalogue file kept beside it
STATE_SETTING = "RESOURCE_BOT_STATE"


class StateError(ConfigError):
    """The state folder cannot hold the live catalogue; the message says what to do."""


class TooManyResources(Exception):
    """A server's own catalogue holds more resources than SERVER_CATALOG_MAX_RESOURCES."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(f"{count} resources; a server's catalogue may hold at most {limit}")
        self.count = count
        self.limit = limit

    def __reduce__(self) -> tuple[type[TooManyResources], tuple[int, int]]:
        # whole when raised in the rebuild worker (`bot.rebuild`)
        return (type(self), (self.count, self.limit))


@dataclass(frozen=True)
class Snapshot:
    """A catalogue and the index built from it, as one unit."""

    catalog: Catalog
    index: Index
    loaded_at: datetime

    @classmethod
    def build(cls, catalog: Catalog) -> Snapshot:
        """Index `catalog` (CPU work: call it off the event loop for large catalogues)."""
        return cls(catalog, Index.build(catalog), datetime.now(UTC))


@dataclass(frozen=True)
class CatalogDiff:
    """What a reload or upload changed, by resource id."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    total: int

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @classmethod
    def between(cls, old: Catalog, new: Catalog) -> CatalogDiff:
        old_ids = {r.id: r for r in old}
        new_ids = {r.id: r for r in new}
        return cls(
            added=tuple(i for i in new_ids if i not in old_ids),
            removed=tuple(i for i in old_ids if i not in new_ids),
            changed=tuple(i for i, r in new_ids.items() if i in old_ids and old_ids[i] != r),
            total=len(new),
        )


def served_catalogue(state_dir: Path, source: Path) -> Path:
    """The catalogue the bot serves: the live copy in `state_dir` once there is one (a link
    to one counts), else the default `source`."""
    live = state_dir / LIVE_CATALOG_NAME
    return live if live.exists() or live.is_symlink() else source


class Library:
    """Holds the catalogue being served and replaces it safely."""

    def __init__(self, path: Path, snapshot: Snapshot, max_resources: int | None = None) -> None:
        self.path = path
        self.max_resources = max_resources  # None: no limit (the operator's default)
        self._current = snapshot
        self._lock = asyncio.Lock()

    @classmethod
    def open(cls, path: str | Path, max_resources: int | None = None) -> Library:
        """Load the catalogue at `path`; raises `CatalogError` when it is not valid and
        `TooManyResources` when it holds more than `max_resources`."""
        path = Path(path)
        _remove_interrupted_writes(path)
        if path.is_symlink():  # uploads write beside the link's target
            _remove_interrupted_writes(path.resolve())
        return cls(path, load_snapshot(path, max_resources), max_resources)

    @classmethod
    def open_live(cls, state_dir: str | Path, source: str | Path) -> Library:
        """Serve the live catalogue in `state_dir`. When it does not exist yet (first start),
        copy `source` there first, after validating it, so a broken source is never copied.

        Raises `StateError` when the folder cannot be created, read or written, and
        `CatalogError` when the catalogue is not valid."""
        state_dir, source = Path(state_dir), Path(source)
        _check_state_folder(state_dir)
        live = state_dir / LIVE_CATALOG_NAME
        if served_catalogue(state_dir, source) == live:
            return cls.open(live)
        try:
            with source.open("rb") as file:
                data = file.read(limits.CATALOG_FILE_BYTES + 1)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise CatalogError(
                [Problem(str(source), 1, f"cannot read the default catalogue: {reason}")]
            ) from None
        snapshot = Snapshot.build(parse_catalog(data, str(source)))
        try:
            write_atomically(live, data)
        except OSError as error:
            raise StateError(_state_problem(state_dir, "cannot write to it", error)) from None
        IndexCache.beside(live, data).save(snapshot.index)
        return cls(live, snapshot)

    @property
    def current(self) -> Snapshot:
        """The snapshot to answer with; take it once per request."""
        return self._current

    @property
    def busy(self) -> bool:
        """True while a reload or upload is under way."""
        return self._lock.locked()

    @classmethod
    async def load(cls, path: str | Path, max_resources: int | None = None) -> Library:
        """`open`, with the catalogue built in the rebuild worker (`bot.rebuild`): for a
        catalogue opened while the bot answers. Raises as `open` does, and `RebuildFailed`
        when the worker stopped."""
        path = Path(path)
        _remove_interrupted_writes(path)
        snapshot = await rebuild.WORKER.run(rebuild.load_file, str(path), max_resources)
        return cls(path, snapshot, max_resources)

    async def reload(self) -> CatalogDiff:
        """Re-read the catalogue file; on `CatalogError` (or `TooManyResources`, or
        `RebuildFailed` when the worker building it stopped) the old catalogue stays live.
        The work is done in the rebuild worker, so answers keep their speed meanwhile."""
        async with self._lock:
            snapshot = await rebuild.WORKER.run(
                rebuild.load_file, str(self.path), self.max_resources
            )
            return self._swap(snapshot)

    async def replace(self, data: bytes, filename: str = "upload") -> CatalogDiff:
        """Validate `data` as a new catalogue file; if valid, back up the old file,
        write the new one atomically and serve it. Invalid: raises `CatalogError` (or
        `TooManyResources`, or `RebuildFailed` when the worker building it stopped), and
        nothing on disk or in memory changes."""
        async with self._lock:
            cache = IndexCache.beside(self.path, data)
            staged = cache.staged()
            try:
                snapshot = await rebuild.WORKER.run(
                    rebuild.parse_upload, data, filename, self.max_resources, str(staged.path)
                )
                try:
                    await asyncio.to_thread(self._write_with_backup, data)
                except OSError as error:
                    reason = error.strerror or type(error).__name__
                    raise CatalogError(
                        [Problem(str(self.path), 1, f"cannot save the catalogue: {reason}")]
                    ) from None
            except BaseException:
                staged.path.unlink(missing_ok=True)
                raise
            # after the file it is keyed by: a failed upload leaves the old cache in place
            cache.commit(staged)
            return self._swap(snapshot)

    def _swap(self, snapshot: Snapshot) -> CatalogDiff:
        diff = CatalogDiff.between(self._current.catalog, snapshot.catalog)
        self._current = snapshot
        return diff

    def _write_with_backup(self, data: bytes) -> Path | None:
        """Keep the current file as `<name>.<UTC time>.bak`, then replace it atomically.
        A symlinked catalogue stays a symlink: its target is replaced, so whatever else
        reads the target sees the upload too."""
        backup = None
        if self.path.exists():
            backup = backup_path(self.path)
            write_atomically(backup, self.path.read_bytes())
        write_atomically(self.path.resolve(), data)
        keep_newest_backups(self.path)
        return backup


def backup_path(path: Path) -> Path:
    """Where the file at `path` is kept as a backup now: `<name>.<UTC time>.bak` beside it."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return path.with_name(f"{path.name}.{stamp}.bak")


def keep_newest_backups(path: Path) -> None:
    """Delete all but the newest BACKUPS_KEPT backups of the file at `path`."""
    for old in sorted(path.parent.glob(f"{path.name}.*.bak"))[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)


def _build(catalog: Catalog, max_resources: int | None) -> Snapshot:
    """The snapshot of `catalog`, refused before indexing when it is over the limit."""
    _check_size(len(catalog), max_resources)
    return Snapshot.build(catalog)


def _check_size(count: int, max_resources: int | None) -> None:
    if max_resources is not None and count > max_resources:
        raise TooManyResources(count, max_resources)


def load_snapshot(path: Path, max_resources: int | None) -> Snapshot:
    """The snapshot of the catalogue file at `path`: parsed and indexed, or, when the cache
    beside it is of this very file, read from there (see `bot.index_cache`)."""
    data = read_catalog_file(path)
    cache = IndexCache.beside(path, data)
    index = cache.load()
    if index is None:
        snapshot = _build(parse_catalog(data, str(path)), max_resources)
        cache.save(snapshot.index)
        return snapshot
    _check_size(len(index.catalog), max_resources)
    return Snapshot(index.catalog, index, datetime.now(UTC))


def upload_snapshot(
    data: bytes, filename: str, max_resources: int | None, staged_cache: Path
) -> Snapshot:
    """The snapshot of an uploaded catalogue, its index saved at `staged_cache` (see
    `IndexCache.staged`) for `Library.replace` to put in place once the file is written."""
    snapshot = _build(parse_catalog(data, filename), max_resources)
    IndexCache(staged_cache, hashlib.sha256(data).hexdigest()).save(snapshot.index)
    return snapshot


def _check_state_folder(state_dir: Path) -> None:
    """Create the state folder if needed; raise `StateError` if the bot cannot use it."""
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StateError(_state_problem(state_dir, "cannot create it", error)) from None
    if not os.access(state_dir, os.R_OK | os.W_OK | os.X_OK):
        raise StateError(
            f"{STATE_SETTING}: the bot cannot read and write the state folder {state_dir}: "
            "give the bot's user access to it, or set RESOURCE_BOT_STATE to another folder"
        )


def _state_problem(state_dir: Path, what: str, error: OSError) -> str:
    if isinstance(error, FileExistsError):
        reason = "a file of that name is in the way"
    else:
        reason = error.strerror or type(error).__name__
    return (
        f"{STATE_SETTING}: the state folder {state_dir} is not usable, {what} ({reason}): "
        "set RESOURCE_BOT_STATE to a folder the bot may write to"
    )


def _remove_interrupted_writes(path: Path) -> None:
    """Delete the bot's own temporary files that a write cut short (a crash) left beside
    `path`; files other programs put there are theirs. An upload's staged index
    (`IndexCache.staged`) is itself written through a temporary file, whose name therefore
    starts with two dots."""
    for prefix in (f".{path.name}.", f"..{path.name}."):
        for leftover in path.parent.glob(f"{prefix}*{PARTIAL_WRITE_SUFFIX}"):
            leftover.unlink(missing_ok=True)
