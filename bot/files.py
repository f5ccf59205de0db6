"""Writing the bot's files so that a crash leaves the old file or the new one, never a mix."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

# The end of the name of a write in progress: only the bot makes such names, so at start it
# removes those a crash left behind and nothing else (an editor's swap file stays).
PARTIAL_WRITE_SUFFIX = ".resource-bot-partial"


def write_atomically(path: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write `data` to `path` so that a crash leaves the old file or the new one, never a mix.
    `data` is the bytes, or what writes them to the open file (no copy of a large file in
    memory first): a temporary file in the same folder, then `os.replace`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=PARTIAL_WRITE_SUFFIX, dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            if isinstance(data, bytes):
                file.write(data)
            else:
                data(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
