"""Discord's published API description as a contract for everything the bot sends.

Each request is matched (method + path template) to an operation of ``openapi.json`` and its
body validated against that operation's request schema (JSON Schema 2020-12, ``$ref``s resolved
with ``referencing``, ``format: uri`` checked because ``rfc3987`` is installed). On top of the
schema, the checks Discord enforces but the description leaves out: the 6000-character total of
a message's embeds, 2000 characters of message content, component custom ids, and command names
(``^[-_\\p{L}\\p{N}]{1,32}$``, lowercase for chat-input commands), localized names included.

A violation is reported with its JSON path and the schema's message, and can be turned into the
error body Discord answers with (HTTP 400, code 50035 "Invalid Form Body").
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

try:  # the `regex` module knows \p{L}; fall back to unicodedata categories without it
    import regex as _regex
except ImportError:  # pragma: no cover - depends on the environment
    _regex = None

SPEC_ENV_VAR = "DISCORD_OPENAPI_SPEC"
SPEC_URI = "urn:discord:openapi"
HTTP_METHODS = ("get", "put", "post", "patch", "delete")

MAX_EMBED_TOTAL = 6000
MAX_MESSAGE_CONTENT = 2000
MAX_COMMAND_TOTAL = 4000
COMMAND_NAME_PATTERN = r"^[-_\p{L}\p{N}]{1,32}$"
CHAT_INPUT = 1
SUBCOMMAND_TYPES = (1, 2)
EPHEMERAL = 1 << 6

# Operations whose body is (or, for interaction callbacks, carries) a message.
MESSAGE_OPERATIONS = frozenset(
    {
        "create_message",
        "update_message",
        "execute_webhook",
        "update_webhook_message",
        "update_original_webhook_message",
        "create_interaction_response",
    }
)
COMMAND_LIST_OPERATIONS = frozenset(
    {"bulk_set_application_commands", "bulk_set_guild_application_commands"}
)
COMMAND_OPERATIONS = frozenset(
    {
        "create_application_command",
        "create_guild_application_command",
        "update_application_command",
        "update_guild_application_command",
    }
)

# What Discord says for each kind of schema failure (code, message template).
_DISCORD_ERRORS: dict[str, tuple[str, str]] = {
    "maxLength": ("BASE_TYPE_MAX_LENGTH", "Must be {limit} or fewer in length."),
    "minLength": ("BASE_TYPE_MIN_LENGTH", "Must be {limit} or more in length."),
    "maxItems": ("BASE_TYPE_MAX_LENGTH", "Must be {limit} or fewer in length."),
    "minItems": ("BASE_TYPE_MIN_LENGTH", "Must be {limit} or more in length."),
    "maxProperties": ("BASE_TYPE_MAX_LENGTH", "Must be {limit} or fewer in length."),
    "required": ("BASE_TYPE_REQUIRED", "This field is required"),
    "enum": ("BASE_TYPE_CHOICES", "Value must be one of {limit}."),
    "const": ("BASE_TYPE_CHOICES", "Value must be one of ({limit},)."),
    "minimum": ("NUMBER_TYPE_MIN", "Value should be greater than or equal to {limit}."),
    "maximum": ("NUMBER_TYPE_MAX", "Value should be less than or equal to {limit}."),
    "format": ("URL_TYPE_INVALID_URL", "Not a well formed URL."),
    "pattern": ("STRING_TYPE_REGEX", "String value did not match validation regex."),
    "uniqueItems": ("LIST_ITEM_VALUE_DUPLICATE", "List item values must be unique."),
    "type": ("BASE_TYPE_BAD_TYPE", "Value is not of type {limit}."),
}


class SpecNotFound(FileNotFoundError):
    """Discord's openapi.json is not where the tests look for it."""


def default_spec_path(repo_root: Path) -> Path:
    """Where the API description lives: ``$DISCORD_OPENAPI_SPEC`` or the copy beside this file."""
    configured = os.environ.get(SPEC_ENV_VAR)
    if configured:
        return Path(configured)
    return repo_root / "tests" / "fake_discord" / "discord-api-spec" / "openapi.json"


@dataclass(frozen=True)
class Violation:
    """One way a request breaks Discord's contract."""

    operation_id: str
    method: str
    path: str
    json_path: str  # slash-separated, e.g. "data/embeds/0/title"; "" for the whole body
    message: str  # the schema's (or rule's) own words
    rule: str  # e.g. "maxLength 256", "embed total 6000"
    discord_code: str = "BASE_TYPE_INVALID"
    discord_message: str = "Invalid value."

    def __str__(self) -> str:
        where = self.json_path or "<body>"
        route = f"{self.method} {self.path} ({self.operation_id})"
        return f"{route}: {where}: {self.message} [{self.rule}]"


@dataclass(frozen=True)
class Operation:
    """An operation of the API description, found by method and path template."""

    operation_id: str
    method: str
    template: str
    pattern: re.Pattern[str]
    literal_chars: int
    request_pointers: Mapping[str, str]  # content type -> JSON pointer of the schema
    response_pointers: Mapping[str, str]  # status ("200", "4XX") -> JSON pointer of the schema

    def match(self, path: str) -> dict[str, str] | None:
        """The path parameters if ``path`` fits this template, else None."""
        found = self.pattern.fullmatch(path)
        return found.groupdict() if found else None


@dataclass
class Contract:
    """Discord's API description, ready to match and validate requests."""

    spec: dict[str, Any]
    source: Path
    validated: Counter[str] = field(default_factory=Counter)  # bodies checked per operation
    matched: Counter[str] = field(default_factory=Counter)  # all requests per operation
    violations_seen: Counter[str] = field(default_factory=Counter)
    errata_applied: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._registry = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(self.spec))
        self._validators: dict[str, Draft202012Validator] = {}
        self._format_checker = FormatChecker()
        self.operations = list(_operations(self.spec))
        self.locales = frozenset(_locales(self.spec))

    @classmethod
    def load(cls, path: Path) -> Contract:
        """Read the description, or raise SpecNotFound saying where it was looked for."""
        if not path.is_file():
            raise SpecNotFound(
                f"Discord's API description was not found at {path}. Set {SPEC_ENV_VAR} to the "
                "path of openapi.json (discord/discord-api-spec, specs/openapi.json)."
            )
        return cls(spec=json.loads(path.read_text(encoding="utf-8")), source=path)

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        """The operation for a request; the most literal template wins (``@original``)."""
        candidates = [
            (operation, params)
            for operation in self.operations
            if operation.method == method.lower() and (params := operation.match(path)) is not None
        ]
        if not candidates:
            return None
        return max(candidates, key=lambda found: found[0].literal_chars)

    def check_request(
        self, operation: Operation, path: str, body: Any, content_type: str = "application/json"
    ) -> list[Violation]:
        """Validate a request body against the schema and Discord's unwritten rules (counted)."""
        self.matched[operation.operation_id] += 1
        found = self._validate(operation, path, body, content_type)
        if found is not None:
            self.validated[operation.operation_id] += 1
            for violation in found:
                self.violations_seen[violation.operation_id] += 1
        return found or []

    def _validate(
        self, operation: Operation, path: str, body: Any, content_type: str = "application/json"
    ) -> list[Violation] | None:
        """The violations of a body; None if the operation takes no body."""
        pointer = operation.request_pointers.get(content_type) or operation.request_pointers.get(
            "application/json"
        )
        if pointer is None or body is None:
            return None
        body = self._errata(operation.operation_id, body)
        found = [
            _violation_from_error(operation, path, error)
            for error in self._validator(pointer).iter_errors(body)
            for error in _leaf_errors(error)
        ]
        schema_paths = {violation.json_path for violation in found}
        found.extend(
            extra
            for extra in self._extra_rules(operation, path, body)
            if extra.json_path not in schema_paths  # the schema already said it
        )
        return found

    def check(self, operation_id: str, body: Any) -> list[Violation]:
        """Validate a body for an operation by id, without a server.

        For tests of pure functions, e.g. ``contract.check("create_interaction_response",
        {"type": 4, "data": render(answer)})`` or ``contract.check(
        "bulk_set_application_commands", payload)``.
        """
        operation = next((op for op in self.operations if op.operation_id == operation_id), None)
        if operation is None:
            raise KeyError(f"no operation {operation_id!r} in {self.source}")
        return self._validate(operation, operation.template, body) or []

    def check_response(self, operation: Operation, status: int, body: Any) -> list[str]:
        """Problems with a response of the fake itself (a bug in the fake, not the bot)."""
        pointer = operation.response_pointers.get(str(status)) or operation.response_pointers.get(
            f"{str(status)[0]}XX"
        )
        if pointer is None or body is None:
            return []
        return [
            f"{operation.operation_id} {status}: {_slash_path(leaf.absolute_path)}: {leaf.message}"
            for error in self._validator(pointer).iter_errors(body)
            for leaf in _leaf_errors(error)
        ]

    def _validator(self, pointer: str) -> Draft202012Validator:
        validator = self._validators.get(pointer)
        if validator is None:
            validator = Draft202012Validator(
                {"$ref": f"{SPEC_URI}#{pointer}"},
                registry=self._registry,
                format_checker=self._format_checker,
            )
            self._validators[pointer] = validator
        return validator

    def _errata(self, operation_id: str, body: Any) -> Any:
        """Where the description is stricter than Discord, read the body as Discord does.

        Uploads: discord.py (like Discord's own docs) names a new attachment by its file
        index, ``{"id": 0}``, which Discord accepts; the description types it as a snowflake
        string. Only that is relaxed, and each use is counted in the run's summary.
        """
        if operation_id not in MESSAGE_OPERATIONS or not isinstance(body, dict):
            return body
        message = body.get("data") if operation_id == "create_interaction_response" else body
        attachments = message.get("attachments") if isinstance(message, dict) else None
        if not isinstance(attachments, list) or not any(
            isinstance(item, dict) and type(item.get("id")) is int for item in attachments
        ):
            return body
        self.errata_applied["attachment id given as file index"] += 1
        fixed = [
            {**item, "id": str(item["id"])}
            if isinstance(item, dict) and type(item.get("id")) is int
            else item
            for item in attachments
        ]
        if operation_id == "create_interaction_response":
            return {**body, "data": {**message, "attachments": fixed}}
        return {**body, "attachments": fixed}

    def _extra_rules(self, operation: Operation, path: str, body: Any) -> Iterator[Violation]:
        op_id = operation.operation_id

        def violation(json_path: str, message: str, rule: str, code: str, said: str) -> Violation:
            return Violation(
                op_id, operation.method.upper(), path, json_path, message, rule, code, said
            )

        if op_id in MESSAGE_OPERATIONS:
            message, prefix = body, ""
            if op_id == "create_interaction_response" and isinstance(body, dict):
                message = body.get("data") if body.get("type") in (4, 7) else None
                prefix = "data/"
            if isinstance(message, dict):
                for json_path, text, rule, code, said in _message_problems(message):
                    yield violation(prefix + json_path, text, rule, code, said)
        if op_id in COMMAND_LIST_OPERATIONS and isinstance(body, list):
            for json_path, text, rule, code, said in _command_list_problems(body, self.locales):
                yield violation(json_path, text, rule, code, said)
        if op_id in COMMAND_OPERATIONS and isinstance(body, dict):
            for json_path, text, rule, code, said in _command_problems(body, self.locales, ""):
                yield violation(json_path, text, rule, code, said)


# --- the API description ---------------------------------------------------------------------


def _operations(spec: Mapping[str, Any]) -> Iterator[Operation]:
    for template, item in spec["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            escaped = template.replace("~", "~0").replace("/", "~1")
            base = f"/paths/{escaped}/{method}"
            content = (operation.get("requestBody") or {}).get("content", {})
            responses = operation.get("responses", {})
            yield Operation(
                operation_id=operation["operationId"],
                method=method,
                template=template,
                pattern=_template_pattern(template),
                literal_chars=len(re.sub(r"\{[^}]+\}", "", template)),
                request_pointers={
                    kind: f"{base}/requestBody/content/{kind.replace('/', '~1')}/schema"
                    for kind in content
                },
                response_pointers={
                    status: f"{base}/responses/{status}/content/application~1json/schema"
                    for status, answer in responses.items()
                    if "application/json" in answer.get("content", {})
                },
            )


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    regex = "".join(
        f"(?P<{part[1:-1]}>[^/]+)" if part.startswith("{") else re.escape(part) for part in parts
    )
    return re.compile(regex)


def _locales(spec: Mapping[str, Any]) -> Iterator[str]:
    for choice in spec["components"]["schemas"].get("AvailableLocalesEnum", {}).get("oneOf", []):
        if "const" in choice:
            yield choice["const"]


# --- turning jsonschema errors into what a person can act on ----------------------------------


def _leaf_errors(error: ValidationError) -> list[ValidationError]:
    """Descend unions (anyOf/oneOf) into the branch the body meant, by its ``type`` field."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    if error.validator == "oneOf" and len(branches) < len(error.validator_value):
        return [error]  # some branch matched: the failure is "matched more than one"
    meant = [errors for errors in branches.values() if not any(map(_rules_branch_out, errors))]
    if len(meant) > 1:  # no discriminator: the branch the body came closest to
        fewest = min(map(len, meant))
        meant = [errors for errors in meant if len(errors) == fewest]
    if len(meant) == 1:
        return [leaf for sub in meant[0] for leaf in _leaf_errors(sub)]
    return [error]


def _rules_branch_out(error: ValidationError) -> bool:
    """True if this error shows the value is of another kind than the branch describes."""
    path = list(error.relative_path)
    if not path and error.validator == "type":
        return True  # e.g. {"type": "null"} against an object
    return path == ["type"] and error.validator in ("enum", "const")


def _slash_path(path: Iterable[Any]) -> str:
    return "/".join(str(part) for part in path)


def _short(value: Any, limit: int = 60) -> str:
    """A repr that stays readable for a 300-character title."""
    text = repr(value)
    if len(text) <= limit:
        return text
    if isinstance(value, str):
        return f"{text[:limit]}…' ({len(value)} chars)"
    if isinstance(value, list | dict):
        return f"{text[:limit]}… ({len(value)} items)"
    return text[:limit] + "…"


def _violation_from_error(operation: Operation, path: str, error: ValidationError) -> Violation:
    message = error.message
    if isinstance(error.instance, str | list | dict):
        message = message.replace(repr(error.instance), _short(error.instance))
    limit = error.validator_value
    json_path = list(error.absolute_path)
    if error.validator == "required":
        missing = re.match(r"'([^']+)'", error.message)
        if missing:
            json_path.append(missing.group(1))
    if error.validator in ("anyOf", "oneOf"):
        rule, code, said = error.validator, "UNION_TYPE_CHOICES", "Value is not of a valid type."
    else:
        rule = f"{error.validator} {_short(limit, 80)}"
        code, template = _DISCORD_ERRORS.get(error.validator, ("BASE_TYPE_INVALID", "Invalid."))
        said = template.format(limit=limit)
    return Violation(
        operation.operation_id,
        operation.method.upper(),
        path,
        _slash_path(json_path),
        message,
        rule,
        code,
        said,
    )


def discord_error_body(violations: Iterable[Violation]) -> dict[str, Any]:
    """The body Discord answers an invalid request with (code 50035, errors by field)."""
    errors: dict[str, Any] = {}
    for violation in violations:
        node = errors
        for part in filter(None, violation.json_path.split("/")):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append(
            {"code": violation.discord_code, "message": violation.discord_message}
        )
    return {"code": 50035, "errors": errors, "message": "Invalid Form Body"}


# --- rules Discord enforces that the description does not state ------------------------------

Problem = tuple[str, str, str, str, str]  # json path, message, rule, Discord code, Discord message


def embed_size(embed: Mapping[str, Any]) -> int:
    """Characters that count toward Discord's 6000 total for one embed."""
    parts: list[Any] = [embed.get("title"), embed.get("description")]
    parts += [(embed.get("footer") or {}).get("text"), (embed.get("author") or {}).get("name")]
    for embed_field in embed.get("fields") or []:
        parts += [embed_field.get("name"), embed_field.get("value")]
    return sum(len(part) for part in parts if isinstance(part, str))


def _message_problems(message: Mapping[str, Any]) -> Iterator[Problem]:
    embeds = [embed for embed in message.get("embeds") or [] if isinstance(embed, dict)]
    total = sum(map(embed_size, embeds))
    if total > MAX_EMBED_TOTAL:
        yield (
            "embeds",
            f"embeds hold {total} characters in title, description, fields, footer and author; "
            f"Discord allows {MAX_EMBED_TOTAL} across a message",
            f"embed total {MAX_EMBED_TOTAL}",
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {MAX_EMBED_TOTAL}",
        )
    content = message.get("content")
    if isinstance(content, str) and len(content) > MAX_MESSAGE_CONTENT:
        yield (
            "content",
            f"{_short(content)} is too long ({len(content)} > {MAX_MESSAGE_CONTENT})",
            f"content {MAX_MESSAGE_CONTENT}",
            "BASE_TYPE_MAX_LENGTH",
            f"Must be {MAX_MESSAGE_CONTENT} or fewer in length.",
        )
    yield from _component_problems(message.get("components") or [])


def _component_problems(rows: list[Any]) -> Iterator[Problem]:
    seen: set[str] = set()
    for row_index, row in enumerate(rows):
        if not isinstance(row, dict) or row.get("type") != 1:
            continue
        children = [child for child in row.get("components") or [] if isinstance(child, dict)]
        if len(children) > 1 and any(child.get("type") != 2 for child in children):
            yield (
                f"components/{row_index}/components",
                "a select menu must be alone in its action row",
                "select alone in row",
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "The specified component exceeds the maximum width",
            )
        for index, child in enumerate(children):
            where = f"components/{row_index}/components/{index}"
            custom_id = child.get("custom_id")
            if child.get("type") == 2 and child.get("style") == 5:
                if not child.get("url") or custom_id:
                    yield (
                        where,
                        "a link button needs a url and no custom_id",
                        "link button",
                        "BUTTON_COMPONENT_URL_REQUIRED",
                        "A url is required",
                    )
                continue
            if child.get("type") == 2 and child.get("style") == 6:
                continue  # premium buttons carry a sku_id instead
            if not custom_id:
                yield (
                    f"{where}/custom_id",
                    "an interactive component needs a custom_id",
                    "custom_id required",
                    "BASE_TYPE_REQUIRED",
                    "This field is required",
                )
            elif custom_id in seen:
                yield (
                    f"{where}/custom_id",
                    f"custom_id {custom_id!r} is used twice in one message",
                    "unique custom_id",
                    "COMPONENT_CUSTOM_ID_DUPLICATED",
                    "Component custom id cannot be duplicated",
                )
            else:
                seen.add(custom_id)
            if child.get("type") == 3:
                options = child.get("options") or []
                low, high = child.get("min_values", 1), child.get("max_values", 1)
                if (
                    isinstance(low, int)
                    and isinstance(high, int)
                    and not low <= high <= len(options)
                ):
                    yield (
                        where,
                        f"min_values {low} <= max_values {high} <= {len(options)} options fails",
                        "select value counts",
                        "SELECT_COMPONENT_TOO_MANY_VALUES",
                        "Invalid number of values",
                    )


def is_valid_command_name(name: str) -> bool:
    """Discord's ``^[-_\\p{L}\\p{N}]{1,32}$`` for chat-input commands and options."""
    if _regex is not None:
        return _regex.match(COMMAND_NAME_PATTERN, name) is not None
    return 1 <= len(name) <= 32 and all(
        char in "-_" or unicodedata.category(char)[0] in "LN" for char in name
    )


def _name_problems(name: Any, json_path: str, *, chat_input: bool) -> Iterator[Problem]:
    if not isinstance(name, str):
        return
    if chat_input and not is_valid_command_name(name):
        yield (
            json_path,
            f"{name!r} does not match {COMMAND_NAME_PATTERN}",
            "command name pattern",
            "APPLICATION_COMMAND_INVALID_NAME",
            "Command name is invalid",
        )
    elif chat_input and name != name.lower():
        yield (
            json_path,
            f"{name!r} must be lowercase",
            "command name lowercase",
            "APPLICATION_COMMAND_INVALID_NAME",
            "Command name is invalid",
        )
    elif not 1 <= len(name) <= 32:
        yield (
            json_path,
            f"{_short(name)} must be 1 to 32 characters",
            "name length 32",
            "BASE_TYPE_BAD_LENGTH",
            "Must be between 1 and 32 in length.",
        )


def _localized(
    node: Mapping[str, Any], key: str, json_path: str, locales: frozenset[str], *, chat_input: bool
) -> Iterator[Problem]:
    """Localized names obey the same rules as default ones (lengths are in the schema)."""
    translations = node.get(f"{key}_localizations")
    if not isinstance(translations, dict):
        return
    for locale, text in translations.items():
        where = f"{json_path}{key}_localizations/{locale}"
        if locales and locale not in locales:
            yield (
                where,
                f"{locale!r} is not a locale Discord knows",
                "locale",
                "BASE_TYPE_CHOICES",
                f"Value must be one of {sorted(locales)}.",
            )
        if key == "name":
            yield from _name_problems(text, where, chat_input=chat_input)


def _command_list_problems(commands: list[Any], locales: frozenset[str]) -> Iterator[Problem]:
    seen: set[tuple[Any, Any]] = set()
    for index, command in enumerate(commands):
        if not isinstance(command, dict):
            continue
        key = (command.get("type", CHAT_INPUT), command.get("name"))
        if key in seen:
            yield (
                f"{index}/name",
                f"two commands of type {key[0]} are named {key[1]!r}",
                "unique command names",
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique: {key[1]}",
            )
        seen.add(key)
        yield from _command_problems(command, locales, f"{index}/")


def _command_problems(
    command: Mapping[str, Any], locales: frozenset[str], prefix: str
) -> Iterator[Problem]:
    chat_input = command.get("type", CHAT_INPUT) == CHAT_INPUT
    yield from _name_problems(command.get("name"), f"{prefix}name", chat_input=chat_input)
    yield from _localized(command, "name", prefix, locales, chat_input=chat_input)
    yield from _localized(command, "description", prefix, locales, chat_input=chat_input)
    if chat_input:
        description = command.get("description")
        if not isinstance(description, str) or not 1 <= len(description) <= 100:
            yield (
                f"{prefix}description",
                "a chat-input command needs a description of 1 to 100 characters",
                "description length 100",
                "BASE_TYPE_BAD_LENGTH",
                "Must be between 1 and 100 in length.",
            )
        yield from _option_problems(command.get("options") or [], locales, f"{prefix}options/")
        for locale, total in _command_sizes(command, locales).items():
            if total > MAX_COMMAND_TOTAL:
                yield (
                    f"{prefix}name",
                    f"names, descriptions and choices add up to {total} characters in {locale}; "
                    f"Discord allows {MAX_COMMAND_TOTAL}",
                    f"command total {MAX_COMMAND_TOTAL}",
                    "APPLICATION_COMMAND_TOO_LARGE",
                    "Command exceeds maximum size (4000)",
                )


def _option_problems(options: list[Any], locales: frozenset[str], prefix: str) -> Iterator[Problem]:
    names: set[Any] = set()
    optional_seen = False
    for index, option in enumerate(options):
        if not isinstance(option, dict):
            continue
        where = f"{prefix}{index}/"
        yield from _name_problems(option.get("name"), f"{where}name", chat_input=True)
        yield from _localized(option, "name", where, locales, chat_input=True)
        yield from _localized(option, "description", where, locales, chat_input=True)
        if option.get("name") in names:
            yield (
                f"{where}name",
                f"option name {option.get('name')!r} is used twice",
                "unique option names",
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        names.add(option.get("name"))
        if option.get("type") in SUBCOMMAND_TYPES:
            yield from _option_problems(option.get("options") or [], locales, f"{where}options/")
            continue
        if option.get("required"):
            if optional_seen:
                yield (
                    f"{where}required",
                    "a required option comes after an optional one",
                    "required options first",
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        if option.get("autocomplete") and option.get("choices"):
            yield (
                f"{where}autocomplete",
                "an option cannot have both choices and autocomplete",
                "choices or autocomplete",
                "APPLICATION_COMMAND_AUTOCOMPLETE_AND_CHOICES",
                "Autocomplete cannot be set for options with choices",
            )
        for choice_index, choice in enumerate(option.get("choices") or []):
            if isinstance(choice, dict):
                choice_where = f"{where}choices/{choice_index}/"
                yield from _localized(choice, "name", choice_where, locales, chat_input=False)


def _command_sizes(command: Mapping[str, Any], locales: frozenset[str]) -> dict[str, int]:
    """Characters per locale of names, descriptions and choice names/values of a command."""
    used = {"default"}

    def texts(node: Mapping[str, Any], locale: str) -> Iterator[str]:
        for key in ("name", "description"):
            translated = (node.get(f"{key}_localizations") or {}).get(locale)
            if translated:
                used.add(locale)
            yield translated or node.get(key) or ""
        for choice in node.get("choices") or []:
            translated = (choice.get("name_localizations") or {}).get(locale)
            yield translated or choice.get("name") or ""
            yield str(choice.get("value", ""))
        for option in node.get("options") or []:
            yield from texts(option, locale)

    sizes = {locale: sum(map(len, texts(command, locale))) for locale in ("default", *locales)}
    return {locale: size for locale, size in sizes.items() if locale in used}


def load_for_tests(repo_root: Path) -> Contract:
    """Load the description for a test run; the repo ships it, so missing is a failure."""
    import pytest

    try:
        return Contract.load(default_spec_path(repo_root))
    except SpecNotFound as missing:
        pytest.fail(str(missing), pytrace=False)


def summary_lines(contract: Contract) -> list[str]:
    """The closing report: how many requests of which operations were validated."""
    total = sum(contract.validated.values())
    matched = sum(contract.matched.values())
    lines = [
        f"{total} request bodies validated against {contract.source.name} "
        f"({len(contract.validated)} operations; {matched} requests matched to operations), "
        f"{sum(contract.violations_seen.values())} refused as Discord would (400)"
    ]
    for operation_id, count in contract.validated.most_common():
        refused = contract.violations_seen.get(operation_id, 0)
        note = f"  ({refused} refused)" if refused else ""
        lines.append(f"  {count:5d}  {operation_id}{note}")
    for erratum, count in contract.errata_applied.items():
        lines.append(
            f"  relaxed {count}x where the description is stricter than Discord: {erratum}"
        )
    return lines
