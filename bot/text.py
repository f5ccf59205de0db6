"""Text processing shared by indexing and search: words, stems, and spelling variants.

A text becomes a list of `Word`s. Each word carries the surface form people type and the
terms it can match in the index: its English and Swedish stems, folded so that å/ä/ö and
their plain-letter spellings meet. Neighbouring words also form joined terms, so that
"fine tuning", "fine-tuning" and "finetuning" all meet in one term.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_ENGLISH = snowballstemmer.stemmer("english")
_SWEDISH = snowballstemmer.stemmer("swedish")

# Letters or digits, optionally joined by & or + inside a word ("w&b", "c++" stays "c").
_WORD = re.compile(r"[^\W_]+(?:[&+][^\W_]+)*")
_DIGITS_WITH_DOT = re.compile(r"(?<=\d)[.,](?=\d)")
_LETTER_DIGIT_BOUNDARY = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "a", "ø": "o", "é": "e", "ü": "u"})
_BRITISH_ISE = re.compile(r"(?<=\w{3})is(e|es|ed|ing|ation|ations)$")

# Stems that name one idea across spellings and the two languages.
_CANONICAL_STEMS = {
    "finjuster": "finetun",
    "finjusteringsjobb": "finetun",
    "finetunn": "finetun",
    "hyperparametr": "hyperparamet",
    "hyperparamet": "hyperparamet",
    "hyperparamt": "hyperparamet",
}

# Words so common in questions that they only say "this is a question".
# They still count in a phrase ("when should I"), but weigh little on their own.
FUNCTION_WORDS = frozenset(
    """a an the of to in on for and or with by at from is are be i my me you your it this that
    do does can could how what which who where me we our och att en ett den det de i på för med
    av till om är jag du man min mitt mina kan hur vad vilka vilken som""".split()
)


@dataclass(frozen=True)
class Word:
    """One word of a text: what was typed, and the index terms it may match."""

    surface: str
    terms: tuple[str, ...]


def normalize(text: str) -> str:
    """Unicode-normalized, lower-case text with invisible characters removed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc", "Co"))


def fold(term: str) -> str:
    """Fold Nordic and accented letters to plain ones (ä -> a)."""
    return term.translate(_FOLD)


@lru_cache(maxsize=65536)
def stems(word: str) -> tuple[str, ...]:
    """The distinct folded English and Swedish stems of one lower-case word."""
    american = _BRITISH_ISE.sub(r"iz\1", word)
    found: list[str] = []
    for stem in (_ENGLISH.stemWord(american), _SWEDISH.stemWord(word), word):
        stem = fold(stem)
        stem = _CANONICAL_STEMS.get(stem, stem)
        if stem and stem not in found:
            found.append(stem)
    return tuple(found)


def surface_words(text: str) -> list[str]:
    """The words of `text` as typed, normalized: 'GPT-3.5 Turbo' -> ['gpt', '35', 'turbo']."""
    text = _DIGITS_WITH_DOT.sub("", normalize(text))
    words: list[str] = []
    for match in _WORD.finditer(text):
        token = match.group()
        if "&" in token or "+" in token:
            words.append(token)
            continue
        words.extend(part for part in _LETTER_DIGIT_BOUNDARY.split(token) if part)
    return words


def words(text: str) -> list[Word]:
    """The words of `text` with the index terms each may match."""
    return [Word(surface, stems(surface)) for surface in surface_words(text)]


def joined(left: Word, right: Word) -> Word | None:
    """Two neighbouring words written as one ("fine" "tune" -> "finetune"), if they can be."""
    if left.surface in FUNCTION_WORDS or right.surface in FUNCTION_WORDS:
        return None
    surface = left.surface + right.surface
    return Word(surface, stems(surface))


def index_terms(text: str) -> set[str]:
    """Every term `text` puts into the index: its words' stems and joined neighbours'."""
    found = words(text)
    terms = {term for word in found for term in word.terms}
    for left, right in itertools.pairwise(found):
        pair = joined(left, right)
        if pair is not None:
            terms.update(pair.terms)
    return terms
