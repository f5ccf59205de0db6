"""Loading a catalogue: `parse_catalog` for bytes (an upload), `load_catalog` for a file
(`read_catalog_file` reads it).

Either returns a whole, valid `Catalog` or raises `CatalogError` listing every problem as
`PATH:LINE: message`. A catalogue is never half-loaded.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot import limits
from bot.catalog.model import Catalog, CatalogError, Problem
from bot.catalog.validation import Checker, check_document
from bot.catalog.yaml_lines import AliasFound, NestedTooDeeply, read_document, yaml_problem
from bot.memory import paused_gc


def parse_catalog(data: bytes, path: str = "<catalogue>") -> Catalog:
    """Validate catalogue bytes and return the `Catalog`, or raise `CatalogError`."""
    if len(data) > limits.CATALOG_FILE_BYTES:
        raise CatalogError(
            [
                Problem(
                    path,
                    1,
                    f"the file is {len(data) / 1_048_576:.1f} MiB; "
                    f"at most {limits.CATALOG_FILE_BYTES // 1_048_576} MiB is read",
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogError(
            [Problem(path, line, "the file is not UTF-8 text (save it as UTF-8)")]
        ) from None
    if _holds_nothing(text):
        raise CatalogError([Problem(path, 1, "the file is empty")])
    if "\x00" in text:
        raise CatalogError(
            [Problem(path, text[: text.index("\x00")].count("\n") + 1, "the file is binary")]
        )
    with paused_gc():
        try:
            document = read_document(text)
        except AliasFound:
            raise CatalogError(
                [Problem(path, 1, "YAML anchors and aliases (&name, *name) are not allowed")]
            ) from None
        except yaml.YAMLError as error:
            raise CatalogError([yaml_problem(path, error)]) from None
        except (NestedTooDeeply, RecursionError):
            raise CatalogError([Problem(path, 1, "the document is nested too deeply")]) from None

        checker = Checker(path)
        catalog = check_document(checker, document)
    if catalog is None:
        raise CatalogError(checker.problems or [Problem(path, 1, "the catalogue has no resources")])
    return catalog


def _holds_nothing(text: str) -> bool:
    """Whether `text` has only blank lines and comments. A catalogue says something on one
    of its first lines, so those are looked at first, not every line of a large file."""
    head = text[:4096]  # a line cut short here holds something if the whole line does
    return not any(map(_says_something, head.splitlines())) and not any(
        map(_says_something, text.splitlines())
    )


def _says_something(line: str) -> bool:
    """Whether a line is neither blank nor a comment."""
    stripped = line.lstrip()
    return bool(stripped) and not stripped.startswith("#")


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate the catalogue file at `path`, or raise `CatalogError`."""
    return parse_catalog(read_catalog_file(path), str(path))


def read_catalog_file(path: str | Path) -> bytes:
    """The bytes of the catalogue file at `path` (at most one byte over the size cap, so
    `parse_catalog` can refuse it), or `CatalogError` when it cannot be read."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            return file.read(limits.CATALOG_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CatalogError([Problem(str(path), 1, f"cannot read the file: {reason}")]) from None
