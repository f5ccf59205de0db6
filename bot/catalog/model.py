"""What a catalogue holds: resources with their text in every language, and the named
sections, kinds and topics they belong to. Frozen data, built only by validation
(`bot.catalog.validation`), so a `Catalog` in hand is always a whole, valid one."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

# A resource, section, kind or topic id: also what buttons and menus carry in their custom ids.
ID_TEXT = r"[a-z0-9][a-z0-9-]{0,63}"
ID_PATTERN = re.compile(rf"^{ID_TEXT}$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalogue file, with the line it is on."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CatalogError(Exception):
    """A catalogue could not be loaded; `problems` says every reason at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def __reduce__(self) -> tuple[type[CatalogError], tuple[list[Problem]]]:
        # whole, with its problems, when raised in the rebuild worker (`bot.rebuild`)
        return (type(self), (self.problems,))


Localized = Mapping[str, str]


@dataclass(frozen=True)
class Resource:
    """One learning resource, with its text in every catalogue language."""

    id: str
    url: str
    kind: str
    provider: str
    section: str
    topics: tuple[str, ...]
    title: Localized
    description: Localized
    keywords: tuple[str, ...] = ()
    questions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def title_in(self, language: str) -> str:
        """The title in `language`, or in the first language that has one."""
        return _pick(self.title, language)

    def description_in(self, language: str) -> str:
        """The description in `language`, or in the first language that has one."""
        return _pick(self.description, language)


@dataclass(frozen=True)
class Catalog:
    """A whole, validated catalogue."""

    version: int
    languages: tuple[str, ...]
    sections: Mapping[str, Localized]
    kinds: Mapping[str, Localized]
    topics: Mapping[str, Localized]
    resources: tuple[Resource, ...]
    _by_id: Mapping[str, Resource] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {r.id: r for r in self.resources})

    def get(self, resource_id: str) -> Resource | None:
        """The resource with this id, if any."""
        return self._by_id.get(resource_id)

    def __len__(self) -> int:
        return len(self.resources)

    def __iter__(self) -> Iterator[Resource]:
        return iter(self.resources)

    def with_topic(self, topic: str | None) -> list[Resource]:
        """Resources tagged with `topic` (all of them when `topic` is None)."""
        if topic is None:
            return list(self.resources)
        return [r for r in self.resources if topic in r.topics]

    def without_hints(self) -> Catalog:
        """The same catalogue with no keywords or example questions: what a catalogue of
        titles and descriptions alone gives the matcher (`python -m bot eval --plain`)."""
        plain = tuple(replace(r, keywords=(), questions={}) for r in self.resources)
        return replace(self, resources=plain)

    def name_of(self, category: Mapping[str, Localized], key: str, language: str) -> str:
        """The localized name of a section, kind or topic id (the id if unnamed)."""
        names = category.get(key)
        return _pick(names, language) if names else key


def _pick(texts: Localized, language: str) -> str:
    if language in texts:
        return texts[language]
    return next(iter(texts.values()), "")
