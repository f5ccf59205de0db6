"""The resource catalogue: loading `resources.yaml`, validating it, and the data it holds.

Loading either returns a whole, valid `Catalog` or raises `CatalogError` listing every
problem as `PATH:LINE: message`. A catalogue is never half-loaded.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot import limits

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
SUPPORTED_VERSION = 1
REQUIRED_RESOURCE_FIELDS = (
    "id",
    "url",
    "kind",
    "provider",
    "section",
    "topics",
    "title",
    "description",
)
OPTIONAL_RESOURCE_FIELDS = ("keywords", "questions")
TOP_LEVEL_FIELDS = ("version", "languages", "sections", "kinds", "topics", "resources")
# What may come just before an alias (`*name`): a line start, a space or a flow indicator.
_BEFORE_ALIAS = frozenset("\n\r\t \x85\u2028\u2029\ufeff[]{},:") | {
    ch for ch in map(chr, range(0x3000)) if ch.isspace()
}
_STR_TAG = "tag:yaml.org,2002:str"


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


# --- reading YAML with line numbers -------------------------------------------------------


class _LineDict(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int
    key_lines: dict[Any, int]


class _LineList(list):
    """A sequence that remembers the line of itself and of each item."""

    line: int
    item_lines: list[int]


class _LineLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """A safe YAML loader whose mappings and lists know their line numbers."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.plain_tags: dict[str, str] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """The safe loader's tag for a node. A plain scalar's tag depends on its text only,
        and a catalogue repeats its keys thousands of times: each text is resolved once."""
        if kind is yaml.ScalarNode and implicit[0]:
            tag = self.plain_tags.get(value)
            if tag is None:
                tag = self.plain_tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


def _construct(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A node's value: plain text directly (most of a catalogue), the rest by the loader."""
    if node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _LineDict:
    result = _LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark
            ) from None
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        result[key] = _construct(loader, value_node)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> _LineList:
    result = _LineList(_construct(loader, child) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _read_document(text: str) -> Any:
    """The document with line numbers, or `_AliasFound` before anything is built from an
    alias: an alias of an alias of ... expands exponentially (a "billion laughs")."""
    loader = _LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _may_hold_alias(text) and _has_alias(node):
            raise _AliasFound
        return loader.construct_document(node)
    finally:
        loader.dispose()


class _AliasFound(Exception):
    """The document uses an alias (`*name`)."""


def _may_hold_alias(text: str) -> bool:
    """Whether a `*` in `text` could start an alias: a catalogue without one (nearly all)
    skips walking its whole tree."""
    star = text.find("*")
    while star != -1:
        if star == 0 or text[star - 1] in _BEFORE_ALIAS:
            return True
        star = text.find("*", star + 1)
    return False


def _has_alias(root: yaml.Node) -> bool:
    """Whether a node appears twice in the tree: that is what an alias composes to."""
    seen: set[int] = set()
    pending = [root]
    while pending:
        node = pending.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                pending.append(key)
                pending.append(value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
    return False


def _item(container: Any, key: Any) -> Any:
    """`container[key]` for a mapping or a list, None when absent."""
    if isinstance(container, dict):
        return container.get(key)
    if isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container):
        return container[key]
    return None


def _line_of(container: Any, key: Any, default: int) -> int:
    if isinstance(container, _LineDict):
        return container.key_lines.get(key, container.line)
    if isinstance(container, _LineList) and isinstance(key, int) and key < len(container):
        return container.item_lines[key]
    return default


# --- validation ---------------------------------------------------------------------------


class _Checker:
    """Collects problems while a parsed document is turned into a `Catalog`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def text(self, container: Any, key: Any, what: str, max_length: int, line: int) -> str | None:
        """A required, non-empty string of at most `max_length` characters."""
        value = _item(container, key)
        if value is None:
            self.report(_line_of(container, key, line), f"{what} is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(_line_of(container, key, line), f"{what} must be text")
            return None
        value = str(value).strip()
        if not value:
            self.report(_line_of(container, key, line), f"{what} is empty")
            return None
        if len(value) > max_length:
            self.report(
                _line_of(container, key, line),
                f"{what} is {len(value)} characters long; at most {max_length} fit",
            )
            return None
        return value

    def texts(self, items: list, what: str, max_length: int, line: int) -> tuple[str, ...]:
        """Each of `items` as `text` checks it, leaving out the ones it reports."""
        stripped = [item.strip() for item in items if type(item) is str]
        if len(stripped) == len(items) and all(0 < len(t) <= max_length for t in stripped):
            return tuple(stripped)  # all fine: the common case, checked at once
        return tuple(
            text
            for index in range(len(items))
            if (text := self.text(items, index, what, max_length, line))
        )

    def identifier(self, container: Any, key: Any, what: str, line: int) -> str | None:
        value = self.text(container, key, what, 64, line)
        if value is not None and not ID_PATTERN.match(value):
            self.report(
                _line_of(container, key, line),
                f"{what} {value!r} must be lowercase letters, digits and dashes",
            )
            return None
        return value

    def localized(
        self,
        container: Any,
        key: str,
        what: str,
        languages: tuple[str, ...],
        max_length: int,
        line: int,
    ) -> dict[str, str] | None:
        """A mapping language -> text with every catalogue language present."""
        value = container.get(key) if isinstance(container, dict) else None
        where = _line_of(container, key, line)
        if value is None:
            self.report(where, f"{what} is missing")
            return None
        if not isinstance(value, dict):
            self.report(where, f"{what} must map each language ({', '.join(languages)}) to text")
            return None
        result: dict[str, str] = {}
        for language in value:
            if language not in languages:
                self.report(
                    _line_of(value, language, where),
                    f"{what} has unknown language {language!r} "
                    f"(the catalogue's languages are {', '.join(languages)})",
                )
        for language in languages:
            if language not in value:
                self.report(where, f"{what} is missing language {language!r}")
                continue
            text = self.text(value, language, f"{what} ({language})", max_length, where)
            if text is not None:
                result[language] = text
        return result if len(result) == len(languages) else None

    def categories(
        self, document: dict, key: str, languages: tuple[str, ...]
    ) -> dict[str, dict[str, str]]:
        """A category map: id -> localized name (sections, kinds, topics)."""
        value = document.get(key)
        where = _line_of(document, key, 1)
        if value is None:
            self.report(where, f"'{key}' is missing")
            return {}
        if not isinstance(value, dict) or not value:
            self.report(where, f"'{key}' must map each id to its name in every language")
            return {}
        result: dict[str, dict[str, str]] = {}
        for category_id in value:
            line = _line_of(value, category_id, where)
            if not isinstance(category_id, str) or not ID_PATTERN.match(category_id):
                self.report(
                    line, f"{key} id {category_id!r} must be lowercase letters, digits and dashes"
                )
                continue
            names = self.localized(
                value, category_id, f"{key}.{category_id}", languages, limits.CATEGORY_NAME, line
            )
            if names is not None:
                result[category_id] = names
        return result


def _check_url(checker: _Checker, container: dict, label: str, line: int) -> str | None:
    url = checker.text(container, "url", f"{label}: url", limits.URL, line)
    if url is None:
        return None
    where = _line_of(container, "url", line)
    try:
        parts = urlsplit(url)
        host = parts.hostname  # parses the host: a bracketed one must be an IPv6 address
    except ValueError:
        checker.report(where, f"{label}: url {url!r} has a malformed host")
        return None
    if parts.scheme not in ("http", "https") or not host or " " in url:
        checker.report(where, f"{label}: url {url!r} must be an http(s) link")
        return None
    if "@" in parts.netloc:
        # 'https://good.example@evil.example/' shows one host and opens another
        checker.report(where, f"{label}: url {url!r} must not carry a user name or password")
        return None
    if url.count("?") > 1 or (parts.fragment and "?" in parts.fragment):
        checker.report(
            _line_of(container, "url", line),
            f"{label}: url {url!r} has a '?' after the query or '#': the link would break",
        )
        return None
    return url


def _check_resource(
    checker: _Checker,
    entry: Any,
    line: int,
    languages: tuple[str, ...],
    sections: Mapping[str, Any],
    kinds: Mapping[str, Any],
    topics: Mapping[str, Any],
) -> Resource | None:
    if not isinstance(entry, dict):
        checker.report(line, "a resource must be a mapping of fields (id, url, title, ...)")
        return None
    before = len(checker.problems)
    label = f"resource {entry.get('id')!r}" if isinstance(entry.get("id"), str) else "resource"
    for key in entry:
        if key not in REQUIRED_RESOURCE_FIELDS and key not in OPTIONAL_RESOURCE_FIELDS:
            checker.report(_line_of(entry, key, line), f"{label}: unknown field {key!r}")

    resource_id = checker.identifier(entry, "id", f"{label}: id", line)
    url = _check_url(checker, entry, label, line)
    provider = checker.text(entry, "provider", f"{label}: provider", limits.PROVIDER, line)
    kind = _check_category(checker, entry, "kind", kinds, label, line)
    section = _check_category(checker, entry, "section", sections, label, line)
    title = checker.localized(entry, "title", f"{label}: title", languages, limits.TITLE, line)
    description = checker.localized(
        entry, "description", f"{label}: description", languages, limits.DESCRIPTION, line
    )
    resource_topics = _check_topics(checker, entry, topics, label, line)
    keywords = _check_keywords(checker, entry, label, line)
    questions = _check_questions(checker, entry, label, languages, line)

    if len(checker.problems) > before:
        return None
    return Resource(
        id=resource_id,
        url=url,
        kind=kind,
        provider=provider,
        section=section,
        topics=resource_topics,
        title=title,
        description=description,
        keywords=keywords,
        questions=questions,
    )  # type: ignore[arg-type]


def _check_category(
    checker: _Checker, entry: dict, key: str, known: Mapping[str, Any], label: str, line: int
) -> str | None:
    value = checker.text(entry, key, f"{label}: {key}", 64, line)
    if value is not None and known and value not in known:
        checker.report(
            _line_of(entry, key, line),
            f"{label}: unknown {key} {value!r} (known: {', '.join(sorted(known))})",
        )
        return None
    return value


def _check_topics(
    checker: _Checker, entry: dict, topics: Mapping[str, Any], label: str, line: int
) -> tuple[str, ...]:
    value = entry.get("topics")
    where = _line_of(entry, "topics", line)
    if value is None:
        checker.report(where, f"{label}: topics is missing")
        return ()
    if not isinstance(value, list) or not value:
        checker.report(where, f"{label}: topics must be a list of topic ids")
        return ()
    result: list[str] = []
    for index, topic in enumerate(value):
        topic_line = _line_of(value, index, where)
        if not isinstance(topic, str):
            checker.report(topic_line, f"{label}: a topic must be a topic id")
        elif topics and topic not in topics:
            checker.report(
                topic_line,
                f"{label}: unknown topic {topic!r} (known: {', '.join(sorted(topics))})",
            )
        elif topic not in result:
            result.append(topic)
    return tuple(result)


def _check_keywords(checker: _Checker, entry: dict, label: str, line: int) -> tuple[str, ...]:
    value = entry.get("keywords")
    if value is None:
        return ()
    where = _line_of(entry, "keywords", line)
    if not isinstance(value, list):
        checker.report(where, f"{label}: keywords must be a list of words or phrases")
        return ()
    if len(value) > limits.KEYWORDS_PER_RESOURCE:
        checker.report(
            where, f"{label}: {len(value)} keywords; at most {limits.KEYWORDS_PER_RESOURCE}"
        )
    return checker.texts(value, f"{label}: keyword", limits.KEYWORD, where)


def _check_questions(
    checker: _Checker, entry: dict, label: str, languages: tuple[str, ...], line: int
) -> dict[str, tuple[str, ...]]:
    value = entry.get("questions")
    if value is None:
        return {}
    where = _line_of(entry, "questions", line)
    if not isinstance(value, dict):
        checker.report(where, f"{label}: questions must map a language to a list of questions")
        return {}
    result: dict[str, tuple[str, ...]] = {}
    for language, items in value.items():
        item_line = _line_of(value, language, where)
        if language not in languages:
            checker.report(
                item_line,
                f"{label}: questions in unknown language {language!r} "
                f"(the catalogue's languages are {', '.join(languages)})",
            )
            continue
        if not isinstance(items, list):
            checker.report(item_line, f"{label}: questions ({language}) must be a list")
            continue
        if len(items) > limits.QUESTIONS_PER_LANGUAGE:
            checker.report(
                item_line,
                f"{label}: {len(items)} questions ({language}); "
                f"at most {limits.QUESTIONS_PER_LANGUAGE}",
            )
        result[language] = checker.texts(
            items, f"{label}: question ({language})", limits.QUESTION, item_line
        )
    return result


def _check_languages(checker: _Checker, document: dict) -> tuple[str, ...]:
    value = document.get("languages")
    where = _line_of(document, "languages", 1)
    if value is None:
        checker.report(where, "'languages' is missing (e.g. languages: [en, sv])")
        return ()
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(x, str) and re.fullmatch(r"[a-z]{2}", x) for x in value)
    ):
        checker.report(where, "'languages' must be a list of two-letter codes, e.g. [en, sv]")
        return ()
    if len(set(value)) != len(value):
        checker.report(where, "'languages' lists a language twice")
    return tuple(dict.fromkeys(value))


def _check_document(checker: _Checker, document: Any) -> Catalog | None:
    if not isinstance(document, dict):
        checker.report(
            getattr(document, "line", 1),
            "the catalogue must be a mapping with version, languages, sections, kinds, "
            "topics and resources",
        )
        return None
    for key in document:
        if key not in TOP_LEVEL_FIELDS:
            checker.report(_line_of(document, key, 1), f"unknown top-level field {key!r}")

    version = document.get("version")
    if version is None:
        checker.report(1, f"'version' is missing (write: version: {SUPPORTED_VERSION})")
    elif version != SUPPORTED_VERSION or isinstance(version, bool):
        checker.report(
            _line_of(document, "version", 1),
            f"version {version!r} is not supported (this bot reads version {SUPPORTED_VERSION})",
        )
    languages = _check_languages(checker, document)
    if not languages:
        return None
    sections = checker.categories(document, "sections", languages)
    kinds = checker.categories(document, "kinds", languages)
    topics = checker.categories(document, "topics", languages)

    entries = document.get("resources")
    where = _line_of(document, "resources", 1)
    if entries is None:
        checker.report(where, "'resources' is missing")
        return None
    if not isinstance(entries, list) or not entries:
        checker.report(where, "'resources' must be a non-empty list of resources")
        return None
    if len(entries) > limits.RESOURCES_PER_CATALOG:
        checker.report(
            where, f"{len(entries)} resources; at most {limits.RESOURCES_PER_CATALOG} are served"
        )
        return None

    resources: list[Resource] = []
    first_line_of: dict[str, int] = {}
    for index, entry in enumerate(entries):
        line = _line_of(entries, index, where)
        resource = _check_resource(checker, entry, line, languages, sections, kinds, topics)
        resource_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(resource_id, str) and resource_id in first_line_of:
            checker.report(
                _line_of(entry, "id", line),
                f"duplicate id {resource_id!r} (first used on line {first_line_of[resource_id]})",
            )
        elif isinstance(resource_id, str):
            first_line_of[resource_id] = _line_of(entry, "id", line)
        if resource is not None:
            resources.append(resource)

    if checker.problems:
        checker.problems.sort(key=lambda problem: problem.line)
        return None
    return Catalog(
        version=SUPPORTED_VERSION,
        languages=languages,
        sections=sections,
        kinds=kinds,
        topics=topics,
        resources=tuple(resources),
    )


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector while a large catalogue or index is built.

    The collector runs after every few hundred new objects and rescans what is alive, so
    building hundreds of thousands of objects that all stay alive costs several times more
    with it on. Nothing built here needs it: the collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _yaml_problem(path: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return Problem(path, line, message)


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
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise CatalogError([Problem(path, 1, "the file is empty")])
    if "\x00" in text:
        raise CatalogError(
            [Problem(path, text[: text.index("\x00")].count("\n") + 1, "the file is binary")]
        )
    with paused_gc():
        try:
            document = _read_document(text)
        except _AliasFound:
            raise CatalogError(
                [Problem(path, 1, "YAML anchors and aliases (&name, *name) are not allowed")]
            ) from None
        except yaml.YAMLError as error:
            raise CatalogError([_yaml_problem(path, error)]) from None
        except RecursionError:
            raise CatalogError([Problem(path, 1, "the document is nested too deeply")]) from None

        checker = _Checker(path)
        catalog = _check_document(checker, document)
    if catalog is None:
        raise CatalogError(checker.problems or [Problem(path, 1, "the catalogue has no resources")])
    return catalog


def load_catalog(path: str | Path) -> Catalog:
    """Read and validate the catalogue file at `path`, or raise `CatalogError`."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            data = file.read(limits.CATALOG_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CatalogError([Problem(str(path), 1, f"cannot read the file: {reason}")]) from None
    return parse_catalog(data, str(path))
