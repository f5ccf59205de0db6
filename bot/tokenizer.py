"""Many texts into words and index terms at once: the index build's tokenizer.

`bot.text` turns one text (a question) into words and terms. An index of a large catalogue
needs the same for hundreds of thousands of texts, and done text by text in Python that
was most of the build. Here the texts are joined into one string and split by one regular
expression; each distinct word is stemmed once, with the stemmers' list calls; the rest is
numpy over word and term numbers. Text by text, the result is what `text.surface_words`
and `text.terms_of` give (tests/test_tokenizer.py).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot import arrays, text

# Between two texts: printable, not a word character, and left alone by `text.normalize`.
_SEPARATOR = "\ufffc"
JOIN_MIN_TEXTS = 3  # a pair of neighbours in this many texts may be written as one word
_RUN_OR_SEPARATOR = re.compile(f"{text.WORD_CHARACTERS.pattern}|{_SEPARATOR}")


@dataclass(frozen=True)
class Tokenized:
    """The words and terms of texts `0 .. count - 1`, as numbers.

    Text `i`'s words, in order, are `word_ids[word_starts[i] : word_starts[i + 1]]`, and its
    terms, ascending, `term_ids[term_starts[i] : term_starts[i + 1]]`. `words` also holds
    the joined neighbours ("finetune"), which are terms' sources but no text's words.
    """

    words: list[str]  # word number -> word
    word_starts: np.ndarray
    word_ids: np.ndarray
    terms: list[str]  # term number -> term
    term_starts: np.ndarray
    term_ids: np.ndarray

    def words_of(self, position: int) -> list[str]:
        """Text `position`'s words, as `text.surface_words` gives them."""
        ids = self.word_ids[self.word_starts[position] : self.word_starts[position + 1]]
        return [self.words[word] for word in ids.tolist()]

    def spaced(self, positions: np.ndarray) -> list[str]:
        """Each of texts `positions`'s words joined by single spaces, as `" ".join(
        words_of(position))`, all in one join: the index build wants it for every title
        and example question."""
        starts = self.word_starts[positions]
        sizes = self.word_starts[positions + 1] - starts
        filled = np.flatnonzero(sizes)
        ids = self.word_ids[arrays.ranges(starts[filled], sizes[filled])]
        pieces = np.empty(2 * len(ids), dtype=object)
        pieces[0::2] = np.array(self.words, dtype=object)[ids]
        pieces[1::2] = " "
        pieces[2 * np.cumsum(sizes[filled]) - 1] = "\n"  # after each text's last word
        spaced = [""] * len(positions)
        if len(filled):
            texts = "".join(pieces.tolist())[:-1].split("\n")  # no text after the last
            for at, joined in zip(filled.tolist(), texts, strict=True):
                spaced[at] = joined
        return spaced

    def terms_of(self, position: int) -> set[str]:
        """Text `position`'s terms, as `text.terms_of` gives them."""
        ids = self.term_ids[self.term_starts[position] : self.term_starts[position + 1]]
        return {self.terms[term] for term in ids.tolist()}


def tokenize(texts: Sequence[str]) -> Tokenized:
    """The words and terms of every text of `texts`."""
    ids, numbers = _numbered_words(texts)
    words = list(numbers)

    # The words of each text, in order ...
    separators = ids == numbers.get(_SEPARATOR, -1)
    text_of = np.cumsum(separators)
    written = ~separators
    word_ids = ids[written]
    word_texts = text_of[written]
    word_starts = np.searchsorted(word_texts, np.arange(len(texts) + 1))

    # ... and their joined neighbours: two words, neither a function word, side by side in
    # one text (a separator is never free, so no pair spans two texts).
    free = np.fromiter(
        (text.may_join(word) and word != _SEPARATOR for word in words),
        bool,
        len(words),
    )[ids]
    left = np.flatnonzero(free[:-1] & free[1:])
    pair_codes = ids[left] * len(words) + ids[left + 1]
    distinct_pairs, pair_of = np.unique(pair_codes, return_inverse=True)
    pair_of = pair_of.ravel()
    as_objects = np.array(words, dtype=object)
    joined = as_objects[distinct_pairs // len(words)] + as_objects[distinct_pairs % len(words)]
    # Only pairs people may write as one word: ones the catalogue writes so somewhere, or
    # that recur ("k means" in several texts). A pair in one text is a phrase, not a term,
    # and such pairs would be most of the index.
    kept = _recurring(pair_of, text_of[left], len(joined)) | _written(joined, numbers, word_ids)
    in_kept = kept[pair_of]
    left, pair_of, joined = left[in_kept], (np.cumsum(kept) - 1)[pair_of[in_kept]], joined[kept]
    for word in joined.tolist():
        numbers.setdefault(word, len(numbers))
    joined_ids = np.fromiter(map(numbers.__getitem__, joined.tolist()), np.int64, len(joined))
    words = list(numbers)
    if _SEPARATOR in numbers:  # numbered, but never a word of a text
        words[numbers[_SEPARATOR]] = ""

    # Every (text, word) that puts terms into the index, and so the terms of each text.
    sources = np.concatenate([word_texts, text_of[left]])
    source_words = np.concatenate([word_ids, joined_ids[pair_of]])
    term_texts, term_ids, terms = _terms(sources, source_words, words)
    term_starts = np.searchsorted(term_texts, np.arange(len(texts) + 1))
    return Tokenized(words, word_starts, word_ids, terms, term_starts, term_ids)


def _written(joined: np.ndarray, numbers: dict[str, int], word_ids: np.ndarray) -> np.ndarray:
    """For each of `joined`: whether some text has it as a word (a run such as "gpt4o" is
    numbered too, but is not a word)."""
    is_word = np.zeros(len(numbers) + 1, bool)  # the last: not numbered at all
    is_word[word_ids] = True
    missing = itertools.repeat(len(numbers))
    return is_word[np.fromiter(map(numbers.get, joined.tolist(), missing), np.int64, len(joined))]


def _recurring(pair_of: np.ndarray, pair_texts: np.ndarray, pairs: int) -> np.ndarray:
    """For each of `pairs` distinct pairs (`pair_of` numbers each occurrence, found in text
    `pair_texts`): whether it occurs in at least JOIN_MIN_TEXTS texts."""
    texts = int(pair_texts.max()) + 1 if len(pair_texts) else 1
    distinct = arrays.distinct(pair_of * texts + pair_texts)
    return np.bincount(distinct // texts, minlength=pairs) >= JOIN_MIN_TEXTS


def _numbered_words(texts: Sequence[str]) -> tuple[np.ndarray, dict[str, int]]:
    """Every word of `texts` in order, as numbers, with a separator between two texts, and
    the numbers. A run of word characters is one word unless it holds digits or & and +
    ("gpt4o"): such a run is numbered too, but stands for its words (`text.run_words`)."""
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != max(len(texts) - 1, 0):  # a text holds one itself
        joined = _SEPARATOR.join(raw.replace(_SEPARATOR, " ") for raw in texts)
    # `normalize` works character by character, and leaves the separator alone.
    runs = _RUN_OR_SEPARATOR.findall(text.without_digit_dots(text.normalize(joined)))
    numbers = {run: number for number, run in enumerate(dict.fromkeys(runs))}
    ids = np.fromiter(map(numbers.__getitem__, runs), np.int64, len(runs))
    odd = [run for run in numbers if not run.isalpha() and run != _SEPARATOR]
    if not odd:
        return ids, numbers
    parts: list[tuple[int, ...]] = [(number,) for number in range(len(numbers))]
    for run in odd:
        parts[numbers[run]] = tuple(
            numbers.setdefault(word, len(numbers)) for word in text.run_words(run)
        )
    parts += [(number,) for number in range(len(parts), len(numbers))]
    sizes = np.fromiter(map(len, parts), np.int64, len(parts))
    flat = np.fromiter(itertools.chain.from_iterable(parts), np.int64, int(sizes.sum()))
    return flat[arrays.ranges((np.cumsum(sizes) - sizes)[ids], sizes[ids])], numbers


def _terms(
    texts: np.ndarray, words: np.ndarray, word_names: list[str]
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The distinct (text, term) pairs the (text, word) pairs give, sorted, and the terms.

    A folded term ("~overvaga") goes from a text that has its plain form ("overvaga"): a
    question reaches the plain one anyway (`text.terms_of`).
    """
    word_stems = text.stems_of_all(word_names, redundant=False)
    flat = [term for stems in word_stems for term in stems]
    term_numbers = {term: number for number, term in enumerate(dict.fromkeys(flat))}
    terms = list(term_numbers)
    per_word = np.fromiter(map(len, word_stems), np.int64, len(word_stems))
    stem_ids = np.fromiter(map(term_numbers.__getitem__, flat), np.int64, len(flat))
    spread = per_word[words]
    positions = arrays.ranges((np.cumsum(per_word) - per_word)[words], spread)
    keys = arrays.distinct(np.repeat(texts, spread) * len(terms) + stem_ids[positions])

    plain = np.full(len(terms), -1, np.int64)
    for number, term in enumerate(terms):
        if term[:1] == text.FOLDED:
            plain[number] = term_numbers.get(term[len(text.FOLDED) :], -1)
    pair_texts, pair_terms = np.divmod(keys, max(len(terms), 1))
    has_plain = plain[pair_terms] >= 0
    wanted = pair_texts[has_plain] * len(terms) + plain[pair_terms[has_plain]]
    redundant = np.zeros(len(keys), bool)
    redundant[np.flatnonzero(has_plain)] = arrays.in_sorted(keys, wanted)
    keep = ~redundant
    return pair_texts[keep], pair_terms[keep], terms
