"""Validation: a parsed document becomes a `Catalog`, or every problem with it is reported
at once, each on the line it is on. The limits it keeps (`bot.limits`) are the ones every
card and menu must fit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot import limits
from bot.catalog.links import link_problem
from bot.catalog.model import ID_PATTERN, Catalog, Problem, Resource
from bot.catalog.yaml_lines import item, line_of

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
_RESOURCE_FIELDS = frozenset(REQUIRED_RESOURCE_FIELDS + OPTIONAL_RESOURCE_FIELDS)
TOP_LEVEL_FIELDS = ("version", "languages", "sections", "kinds", "topics", "resources")


class Checker:
    """Collects problems while a parsed document is turned into a `Catalog`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def report(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def text(self, container: Any, key: Any, what: str, max_length: int, line: int) -> str | None:
        """A required, non-empty string of at most `max_length` characters."""
        value = item(container, key)
        if type(value) is str and 0 < len(stripped := value.strip()) <= max_length:
            return stripped  # fine: the common case, checked at once
        if value is None:
            self.report(line_of(container, key, line), f"{what} is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(line_of(container, key, line), f"{what} must be text")
            return None
        value = str(value).strip()
        if not value:
            self.report(line_of(container, key, line), f"{what} is empty")
            return None
        if len(value) > max_length:
            self.report(
                line_of(container, key, line),
                f"{what} is {len(value)} characters long; at most {max_length} fit",
            )
            return None
        return value

    def texts(self, items: list, what: str, max_length: int, line: int) -> tuple[str, ...]:
        """Each of `items` as `text` checks it, leaving out the ones it reports."""
        try:
            stripped = tuple(map(str.strip, items))
        except TypeError:  # an item is not text: reported below
            pass
        else:
            if "" not in stripped and max(map(len, stripped), default=0) <= max_length:
                return stripped  # all fine: the common case, checked at once
        return tuple(
            text
            for index in range(len(items))
            if (text := self.text(items, index, what, max_length, line))
        )

    def identifier(self, container: Any, key: Any, what: str, line: int) -> str | None:
        value = self.text(container, key, what, 64, line)
        if value is not None and not ID_PATTERN.match(value):
            self.report(
                line_of(container, key, line),
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
        if isinstance(value, dict) and len(value) == len(languages):
            result = _all_texts(value, languages, max_length)
            if result is not None:
                return result  # all fine: the common case, checked at once
        where = line_of(container, key, line)
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
                    line_of(value, language, where),
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
        where = line_of(document, key, 1)
        if value is None:
            self.report(where, f"'{key}' is missing")
            return {}
        if not isinstance(value, dict) or not value:
            self.report(where, f"'{key}' must map each id to its name in every language")
            return {}
        result: dict[str, dict[str, str]] = {}
        for category_id in value:
            line = line_of(value, category_id, where)
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


def _all_texts(value: dict, languages: tuple[str, ...], max_length: int) -> dict[str, str] | None:
    """`value`'s text in each of `languages`, when every one is there and fits; else None."""
    result: dict[str, str] = {}
    for language in languages:
        text = value.get(language)
        if type(text) is not str or not 0 < len(stripped := text.strip()) <= max_length:
            return None
        result[language] = stripped
    return result


def _check_url(checker: Checker, container: dict, label: str, line: int) -> str | None:
    url = checker.text(container, "url", f"{label}: url", limits.URL, line)
    if url is None:
        return None
    problem = link_problem(url)
    if problem is not None:
        checker.report(line_of(container, "url", line), f"{label}: url {url!r} {problem}")
        return None
    return url


def _check_resource(
    checker: Checker,
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
        if key not in _RESOURCE_FIELDS:
            checker.report(line_of(entry, key, line), f"{label}: unknown field {key!r}")

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
    checker: Checker, entry: dict, key: str, known: Mapping[str, Any], label: str, line: int
) -> str | None:
    value = checker.text(entry, key, f"{label}: {key}", 64, line)
    if value is not None and known and value not in known:
        checker.report(
            line_of(entry, key, line),
            f"{label}: unknown {key} {value!r} (known: {', '.join(sorted(known))})",
        )
        return None
    return value


def _check_topics(
    checker: Checker, entry: dict, topics: Mapping[str, Any], label: str, line: int
) -> tuple[str, ...]:
    value = entry.get("topics")
    where = line_of(entry, "topics", line)
    if value is None:
        checker.report(where, f"{label}: topics is missing")
        return ()
    if not isinstance(value, list) or not value:
        checker.report(where, f"{label}: topics must be a list of topic ids")
        return ()
    result: list[str] = []
    for index, topic in enumerate(value):
        if not isinstance(topic, str):
            checker.report(line_of(value, index, where), f"{label}: a topic must be a topic id")
        elif topics and topic not in topics:
            checker.report(
                line_of(value, index, where),
                f"{label}: unknown topic {topic!r} (known: {', '.join(sorted(topics))})",
            )
        elif topic not in result:
            result.append(topic)
    return tuple(result)


def _check_keywords(checker: Checker, entry: dict, label: str, line: int) -> tuple[str, ...]:
    value = entry.get("keywords")
    if value is None:
        return ()
    where = line_of(entry, "keywords", line)
    if not isinstance(value, list):
        checker.report(where, f"{label}: keywords must be a list of words or phrases")
        return ()
    if len(value) > limits.KEYWORDS_PER_RESOURCE:
        checker.report(
            where, f"{label}: {len(value)} keywords; at most {limits.KEYWORDS_PER_RESOURCE}"
        )
    return checker.texts(value, f"{label}: keyword", limits.KEYWORD, where)


def _check_questions(
    checker: Checker, entry: dict, label: str, languages: tuple[str, ...], line: int
) -> dict[str, tuple[str, ...]]:
    value = entry.get("questions")
    if value is None:
        return {}
    where = line_of(entry, "questions", line)
    if not isinstance(value, dict):
        checker.report(where, f"{label}: questions must map a language to a list of questions")
        return {}
    result: dict[str, tuple[str, ...]] = {}
    for language, items in value.items():
        item_line = line_of(value, language, where)
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


def _check_languages(checker: Checker, document: dict) -> tuple[str, ...]:
    value = document.get("languages")
    where = line_of(document, "languages", 1)
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


def check_document(checker: Checker, document: Any) -> Catalog | None:
    if not isinstance(document, dict):
        checker.report(
            getattr(document, "line", 1),
            "the catalogue must be a mapping with version, languages, sections, kinds, "
            "topics and resources",
        )
        return None
    for key in document:
        if key not in TOP_LEVEL_FIELDS:
            checker.report(line_of(document, key, 1), f"unknown top-level field {key!r}")

    version = document.get("version")
    if version is None:
        checker.report(1, f"'version' is missing (write: version: {SUPPORTED_VERSION})")
    elif version != SUPPORTED_VERSION or isinstance(version, bool):
        checker.report(
            line_of(document, "version", 1),
            f"version {version!r} is not supported (this bot reads version {SUPPORTED_VERSION})",
        )
    languages = _check_languages(checker, document)
    if not languages:
        return None
    sections = checker.categories(document, "sections", languages)
    kinds = checker.categories(document, "kinds", languages)
    topics = checker.categories(document, "topics", languages)

    entries = document.get("resources")
    where = line_of(document, "resources", 1)
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
        line = line_of(entries, index, where)
        resource = _check_resource(checker, entry, line, languages, sections, kinds, topics)
        resource_id = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(resource_id, str) and resource_id in first_line_of:
            checker.report(
                line_of(entry, "id", line),
                f"duplicate id {resource_id!r} (first used on line {first_line_of[resource_id]})",
            )
        elif isinstance(resource_id, str):
            first_line_of[resource_id] = line_of(entry, "id", line)
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
