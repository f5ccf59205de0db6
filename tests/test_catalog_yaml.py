"""Reading YAML with line numbers (`bot.catalog.yaml_lines`): what the one-pass construction
gives for the rare shapes as well as the common ones."""

from __future__ import annotations

import pytest
import yaml

from bot.catalog import CatalogError, parse_catalog
from bot.catalog.yaml_lines import (
    MAX_DEPTH,
    LineDict,
    LineList,
    LineLoader,
    NestedTooDeeply,
    read_document,
)


def test_mappings_and_lists_know_their_lines() -> None:
    document = read_document("a: 1\nb:\n  - x\n  - [y, 2]\n")
    assert document == {"a": 1, "b": ["x", ["y", 2]]}
    assert isinstance(document, LineDict) and isinstance(document["b"], LineList)
    assert (document.line, document.key_lines) == (1, {"a": 1, "b": 2})
    assert (document["b"].line, document["b"].item_lines) == (3, [3, 4])
    assert document["b"][1].item_lines == [4, 4]


def test_a_merge_key_is_merged() -> None:
    document = read_document("<<: {a: x}\nb: y\n")
    assert document == {"a": "x", "b": "y"}
    assert document.key_lines == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    ("text", "problem", "line"),
    [
        ("a: 1\n? [k]\n: v\n", "a key must be plain text", 2),
        ("a: x\nb: y\na: z\n", "duplicate key 'a'", 3),
        ("<<: {a: x}\na: y\n", "duplicate key 'a'", 2),
    ],
)
def test_bad_keys_are_refused_on_their_line(text: str, problem: str, line: int) -> None:
    with pytest.raises(yaml.YAMLError) as caught:
        read_document(text)
    assert caught.value.problem == problem  # type: ignore[attr-defined]
    assert caught.value.problem_mark.line + 1 == line  # type: ignore[attr-defined]


def test_tagged_values_are_built_by_the_safe_loader() -> None:
    document = read_document("s: !!set {p, q}\nn: !!str 1\nd: [1, 2.5, true, null]\n")
    assert document == {"s": {"p", "q"}, "n": "1", "d": [1, 2.5, True, None]}


def test_the_loader_has_no_path_resolvers() -> None:
    """The loader skips the resolver's path bookkeeping: it must have nothing to keep."""
    assert not LineLoader.yaml_path_resolvers


@pytest.mark.parametrize("opening", ["[", "{a: ", "- "])
def test_nesting_is_refused_past_the_same_depth_for_every_caller(opening: str) -> None:
    def nested(depth: int) -> str:
        if opening == "- ":
            return "".join("  " * level + "-\n" for level in range(depth)) + "  " * depth + "x"
        closing = "]" if opening == "[" else "}"
        return opening * depth + "x" + closing * depth

    assert read_document(nested(MAX_DEPTH)) is not None
    with pytest.raises(NestedTooDeeply):
        read_document(nested(MAX_DEPTH + 1))
    (problem,) = problems_of(nested(MAX_DEPTH + 1))
    assert problem == "upload.yaml:1: the document is nested too deeply"


def problems_of(text: str) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text.encode(), "upload.yaml")
    return [str(problem) for problem in caught.value.problems]
