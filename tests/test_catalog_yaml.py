"""The loader reads a plain catalogue straight from the parser's events, for speed; what it
reads, line numbers included, is what the full safe loader builds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import synthetic
from bot.catalog import _LineDict, _LineList, _LineLoader, _load_document

SEED = Path(__file__).parents[1] / "data" / "resources.yaml"


def _with_lines(value: Any) -> Any:
    """`value` with the lines its mappings and lists remember, for comparing."""
    if isinstance(value, _LineDict):
        items = {key: _with_lines(item) for key, item in value.items()}
        return ("mapping", value.line, value.key_lines, items)
    if isinstance(value, _LineList):
        return ("list", value.line, value.item_lines, [_with_lines(item) for item in value])
    return (type(value).__name__, value)


def _assert_read_as_the_full_loader(document: str) -> None:
    expected = yaml.load(document, Loader=_LineLoader)  # a safe loader
    assert _with_lines(_load_document(document)) == _with_lines(expected)


def test_the_real_catalogue_reads_as_with_the_full_loader() -> None:
    _assert_read_as_the_full_loader(SEED.read_text(encoding="utf-8"))


def test_a_generated_catalogue_reads_as_with_the_full_loader() -> None:
    _assert_read_as_the_full_loader(synthetic.catalog_yaml(50, seed=5))


def test_scalars_that_are_not_text_read_as_with_the_full_loader() -> None:
    _assert_read_as_the_full_loader(
        'a: yes\nb: "yes"\nc: 3\nd: 3.5\ne: null\nf: ~\ng: 2024-01-01\nh: [1, "1", one]\n'
        "i: ! 12\nj: 'single'\nk: |\n  block\n  text\n"
    )


_SCALARS = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
    st.sampled_from(["yes", "no", "on", "off", "~", "null", "1e3", "0x1f", "2020-02-02", "<<"]),
)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=6) | st.integers(), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(_DOCUMENTS, st.booleans(), st.sampled_from([None, '"', "'"]))
def test_any_plain_document_reads_as_with_the_full_loader(
    value: Any, flow: bool, style: str | None
) -> None:
    _assert_read_as_the_full_loader(
        yaml.safe_dump(value, default_flow_style=flow, default_style=style, allow_unicode=True)
    )
