"""Reading YAML with line numbers: every mapping and list of a document remembers the line
of itself and of each key or item, so each problem can be reported as `PATH:LINE`.

One loader, PyYAML's safe one (in C when available). It composes the node tree, and
`construct` turns that into values in one pass of its own: mappings, lists and text (nearly
all of a catalogue) directly, the rest by the loader's constructors. Aliases (`*name`) are
refused before anything is built from them: an alias of an alias of ... expands
exponentially (a "billion laughs").
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from bot.catalog.model import Problem

# What may come just before an alias (`*name`): a line start, a space or a flow indicator.
_BEFORE_ALIAS = frozenset("\n\r\t \x85\u2028\u2029\ufeff[]{},:") | {
    ch for ch in map(chr, range(0x3000)) if ch.isspace()
}
# Mappings and lists nested deeper than this are refused (a catalogue nests 5 deep): the
# same for every caller, rather than wherever Python's own recursion limit happens to fall.
MAX_DEPTH = 100
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
# The keys `flatten_mapping` rewrites: `<<` (merge) and `=` (value).
_FLATTENED_KEY_TAGS = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})


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

    # The composer calls these two around each node for path resolvers, which a safe loader
    # has none of: builtins that take the same arguments and do nothing cost less than the
    # Python methods that return at once (about 8% of reading a large catalogue).
    descend_resolver = staticmethod(slice)
    ascend_resolver = staticmethod(tuple)

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.plain_tags: dict[str, str] = {}
        self.depth = 0  # of the mapping or list being built

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        """The safe loader's tag for a node, called for each one it composes. A safe loader
        has no path resolvers, so only a plain scalar's text matters, and a catalogue
        repeats its keys thousands of times: each text is resolved once."""
        if kind is ScalarNode:
            if implicit[0]:
                tag = self.plain_tags.get(value)
                if tag is None:
                    tag = self.plain_tags[value] = super().resolve(kind, value, implicit)
                return tag
            return _STR_TAG
        return _SEQ_TAG if kind is SequenceNode else _MAP_TAG


def construct(loader: LineLoader, node: yaml.Node) -> Any:
    """A node's value, with line numbers: mappings, lists and text (nearly all of a
    catalogue) in one pass here, other values (numbers, dates, ...) by the loader."""
    kind = type(node)
    tag = node.tag
    if kind is MappingNode and tag == _MAP_TAG:
        return _construct_mapping(loader, node)
    if kind is SequenceNode and tag == _SEQ_TAG:
        return _construct_sequence(loader, node)
    if kind is ScalarNode and tag == _STR_TAG:
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.depth += 1
    if loader.depth > MAX_DEPTH:
        raise NestedTooDeeply
    result = LineDict()
    result.line = node.start_mark.line + 1
    key_lines: dict[Any, int] = {}
    result.key_lines = key_lines
    for key_node, _ in node.value:
        if key_node.tag in _FLATTENED_KEY_TAGS:
            loader.flatten_mapping(node)
            break
    for key_node, value_node in node.value:
        if type(key_node) is ScalarNode and key_node.tag == _STR_TAG:
            key = key_node.value
        else:
            key = construct(loader, key_node)
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
        if type(value_node) is ScalarNode and value_node.tag == _STR_TAG:
            result[key] = value_node.value
        else:
            result[key] = construct(loader, value_node)
        key_lines[key] = key_node.start_mark.line + 1
    loader.depth -= 1
    return result


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> LineList:
    loader.depth += 1
    if loader.depth > MAX_DEPTH:
        raise NestedTooDeeply
    children = node.value
    result = LineList(
        child.value
        if type(child) is ScalarNode and child.tag == _STR_TAG
        else construct(loader, child)
        for child in children
    )
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in children]
    loader.depth -= 1
    return result


# What the loader builds itself (a `!!set`, an `!!omap`, ...) holds mappings and lists
# with line numbers too.
LineLoader.add_constructor(_MAP_TAG, _construct_mapping)
LineLoader.add_constructor(_SEQ_TAG, _construct_sequence)


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
        return construct(loader, node)
    finally:
        loader.dispose()


class AliasFound(Exception):
    """The document uses an alias (`*name`)."""


class NestedTooDeeply(Exception):
    """The document nests mappings and lists more than `MAX_DEPTH` deep."""


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
