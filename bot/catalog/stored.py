"""A validated catalogue as JSON bytes and back, for the cache beside a catalogue file
(`bot.index_cache`): a restart reads it instead of parsing and validating the YAML again,
which is most of a large catalogue's start.

Only what `parse_catalog` made is ever stored, and only under the sha256 of the file it
was parsed from and `CATALOG_FORMAT`: bump that whenever parsing or validation changes what
a `Catalog` holds, and every cache is parsed afresh. JSON cannot run code when read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from bot.catalog.model import Catalog, Resource
from bot.memory import paused_gc

CATALOG_FORMAT = 1


def stored(catalog: Catalog) -> bytes:
    """`catalog` as JSON bytes, resources as rows in `Resource`'s field order."""
    document = {
        "version": catalog.version,
        "languages": catalog.languages,
        "sections": catalog.sections,
        "kinds": catalog.kinds,
        "topics": catalog.topics,
        "resources": [
            [
                r.id,
                r.url,
                r.kind,
                r.provider,
                r.section,
                r.topics,
                r.title,
                r.description,
                r.keywords,
                r.questions,
            ]
            for r in catalog.resources
        ],
    }
    return json.dumps(document, ensure_ascii=False, default=dict).encode()


def restored(data: bytes) -> Catalog:
    """The catalogue `stored` gave. Raises ValueError, KeyError or TypeError when `data` is
    not one (damaged, or not ours)."""
    with paused_gc():  # tens of thousands of objects that all stay alive
        return _catalog_of(json.loads(data))


def _catalog_of(document: dict) -> Catalog:
    resources = tuple(
        Resource(
            id,
            url,
            kind,
            provider,
            section,
            tuple(topics),
            _texts(title),
            _texts(description),
            tuple(keywords),
            {language: tuple(texts) for language, texts in questions.items()},
        )
        for id, url, kind, provider, section, topics, title, description, keywords, questions in (
            document["resources"]
        )
    )
    return Catalog(
        document["version"],
        tuple(document["languages"]),
        {key: _texts(names) for key, names in document["sections"].items()},
        {key: _texts(names) for key, names in document["kinds"].items()},
        {key: _texts(names) for key, names in document["topics"].items()},
        resources,
    )


def _texts(value: Mapping[str, str]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise TypeError("a text in every language was expected")
    return value
