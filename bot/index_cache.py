"""The parsed catalogue and its index, kept beside the catalogue file so a restart need not
parse, validate and index it again.

`<catalogue>.index.npz` holds the arrays of `Index.stored`, the catalogue as
`bot.catalog.stored` writes it (JSON bytes), the sha256 of the catalogue file they were made
from, and the versions of the matcher (`MATCHER_VERSION`) and of the parsed form
(`CATALOG_FORMAT`). It is read with `allow_pickle=False`: it holds numbers and bytes only, so
reading it runs no code. It is used only when every key matches; otherwise (missing, stale,
corrupt, cut short, not ours) the catalogue is parsed and indexed again and the file
rewritten atomically. Deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from bot.catalog import Catalog
from bot.catalog.stored import CATALOG_FORMAT, restored, stored
from bot.files import PARTIAL_WRITE_SUFFIX, write_atomically
from bot.search import Index
from bot.search.index import MATCHER_VERSION

log = logging.getLogger(__name__)

CACHE_SUFFIX = ".index.npz"
_KEY = "cache.key"  # the catalogue file's sha256 and the matcher version, as text bytes
_RESOURCES = "cache.resources"  # how many resources the index is of
_CATALOG = "cache.catalog"  # the parsed catalogue (`bot.catalog.stored`)
# What reading a damaged or foreign file may raise; the file is then only ignored.
_UNREADABLE = (
    OSError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    EOFError,
    zipfile.BadZipFile,
)


def cache_path(catalog_path: Path) -> Path:
    """Where the index of the catalogue file at `catalog_path` is kept: beside it."""
    return catalog_path.with_name(catalog_path.name + CACHE_SUFFIX)


@dataclass(frozen=True)
class IndexCache:
    """The cached index of one catalogue file's contents (`sha256`), at `path`."""

    path: Path
    sha256: str

    @classmethod
    def beside(cls, catalog_path: Path, data: bytes) -> IndexCache:
        """The cache for the catalogue file at `catalog_path` holding `data`."""
        return cls(cache_path(catalog_path), hashlib.sha256(data).hexdigest())

    @property
    def key(self) -> str:
        return f"{self.sha256} matcher {MATCHER_VERSION} catalogue {CATALOG_FORMAT}"

    def load(self, catalog: Catalog | None = None) -> Index | None:
        """The cached index (its `catalog` is the cached parse of the file, or `catalog` when
        given), or None when there is none that matches: a stale one silently, a damaged or
        foreign one with a warning."""
        try:
            with np.load(self.path, allow_pickle=False) as cached:
                if _KEY not in cached.files:
                    raise KeyError(f"no {_KEY}: not an index cache")
                if bytes(cached[_KEY]).decode() != self.key:
                    log.info("the cached index %s is of another catalogue: rebuilt", self.path)
                    return None
                if catalog is None:
                    catalog = restored(cached[_CATALOG].tobytes())
                if int(cached[_RESOURCES]) != len(catalog):
                    raise ValueError("it is of another number of resources")
                arrays = {name: cached[name] for name in cached.files}
            return Index.restored(catalog, arrays)
        except FileNotFoundError:
            log.info("no cached index at %s yet: building it", self.path)
        except _UNREADABLE as error:
            log.warning(
                "the cached index %s cannot be used (%s: %s); building the index again",
                self.path,
                type(error).__name__,
                error,
            )
        return None

    def save(self, index: Index) -> None:
        """Keep `index` for the next start, atomically. A failure is logged, not raised:
        the bot answers without the cache, it only starts slower."""
        arrays = index.stored()
        arrays[_KEY] = np.frombuffer(self.key.encode(), dtype=np.uint8)
        arrays[_RESOURCES] = np.array(len(index.resources), dtype=np.int64)
        arrays[_CATALOG] = np.frombuffer(stored(index.catalog), dtype=np.uint8)

        def write(file: BinaryIO) -> None:
            np.savez(file, **arrays)

        try:
            write_atomically(self.path, write)
        except OSError as error:
            log.warning(
                "cannot save the index beside the catalogue (%s: %s); the next start builds "
                "it again",
                self.path,
                error.strerror or type(error).__name__,
            )

    def staged(self) -> IndexCache:
        """The same cache under a fresh name beside this one, for an index saved before its
        catalogue file is written (an upload); `commit` puts it in place. A crash leaves a
        name the start-up clean-up removes."""
        token = secrets.token_hex(6)
        name = f".{self.path.name}.{token}{PARTIAL_WRITE_SUFFIX}"
        return IndexCache(self.path.with_name(name), self.sha256)

    def commit(self, staged: IndexCache) -> None:
        """Put the index saved in `staged` (see `staged`) in place, once its catalogue file
        is written. Nothing happens when it was not saved."""
        try:
            os.replace(staged.path, self.path)
        except FileNotFoundError:
            pass
        except OSError as error:
            staged.path.unlink(missing_ok=True)
            log.warning(
                "cannot put the index beside the catalogue (%s: %s); the next start builds "
                "it again",
                self.path,
                error.strerror or type(error).__name__,
            )
