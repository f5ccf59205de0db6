"""Reading YAML with line numbers: every mapping and list of a document remembers the line
of itself and of each key or item, so each problem can be reported as `PATH:LINE`.

One loader, PyYAML's safe one (in C when available) with its own constructors. Aliases
(`*name`) are refused before anything is built from them: an alias of an alias of ...
expands exponentially (a "billion laughs").
"""

from __future__ import annotations

from typing import Any

import yaml

from bot.catalog.model import Problem

# What may come just before an alias (`*name`): a line start, a space or a flow indicator.
_BEFORE_ALIAS = frozenset("\n\r\t \x85\u2028\u2029\ufeff[]{},:") | {
    ch for ch in map(chr, range(0x3000)) if ch.isspace()
}
_STR_TAG = "tag:yaml.org,2002:str"


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key."""

    line: int
    key_lines: dict[Any, int]


class LineList(list):
    """A sequence that remembers the line of itself and of each item."""

    line: int
    item_lines: list[int]


class LineLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
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


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
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


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(_construct(loader, child) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def read_document(text: str) -> Any:
    """The document with line numbers, or `AliasFound` before anything is built from an
    alias: an alias of an alias of ... expands exponentially (a "billion laughs")."""
    loader = LineLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if _may_hold_alias(text) and _has_alias(node):
            raise AliasFound
        return loader.construct_document(node)
    finally:
        loader.dispose()


class AliasFound(Exception):
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


def item(container: Any, key: Any) -> Any:
    """`container[key]` for a mapping or a list, None when absent."""
    if isinstance(container, dict):
        return container.get(key)
    if isinstance(container, list) and isinstance(key, int) and 0 <= key < len(container):
        return container[key]
    return None


def line_of(container: Any, key: Any, default: int) -> int:
    if isinstance(container, LineDict):
        return container.key_lines.get(key, container.line)
    if isinstance(container, LineList) and isinstance(key, int) and key < len(container):
        return container.item_lines[key]
    return default


def yaml_problem(path: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return Problem(path, line, message)
