"""How texts become words: what a person typing a question, or a catalogue author, notices."""

from __future__ import annotations

import pytest

from bot import text


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("fine\ntuning", ["fine", "tuning"]),  # a message pasted over two lines
        ("fine\r\ntuning\tnow", ["fine", "tuning", "now"]),
        ("line one\u2028line two", ["line", "one", "line", "two"]),
        ("fine\u00a0tune", ["fine", "tune"]),  # a no-break space
    ],
)
def test_line_breaks_and_tabs_part_words(written: str, expected: list[str]) -> None:
    assert text.surface_words(written) == expected


def test_invisible_characters_do_not_part_words() -> None:
    assert text.surface_words("fine\u200btune and\u00adlora") == ["finetune", "andlora"]


def test_words_are_lower_case_and_split_at_digits() -> None:
    assert text.surface_words("GPT-3.5 Turbo 16k") == ["gpt", "35", "turbo", "16", "k"]
