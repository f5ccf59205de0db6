"""The question's words: which index terms each reaches, and how much each weighs.

Each word matches index terms exactly (its English or Swedish stem, with å/ä/ö folded as a
fallback), or, when it is not in the catalogue's vocabulary, through rapidfuzz: a close
spelling ("fintune"), a longer known word it is the short form of ("math"), or a known word
it begins or ends with (Swedish compounds). Neighbouring words written apart ("fine tune")
meet their joined form, and everyday phrases reach the catalogue's words through the
lexicon ("graphics card" -> gpu). Each word weighs as much as it tells resources apart (its
idf); everyday words weigh little and count neither for nor against a match.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from bot import arrays, lexicon, limits, text, tokenizer
from bot.search.bounded import BoundedCache
from bot.search.postings import Postings

FUNCTION_WORD_FACTOR = 0.25  # "how", "the", "jag": kept, but weighing little
COMMON_WORD_FACTOR = 0.4  # everyday words ("when", "keep") tell resources apart a little
UNKNOWN_WORD_MIN_LENGTH = 3  # shorter unknown words ("xd", "ok") do not count against a match
FUZZY_MIN_LENGTH = 4
FUZZY_CUTOFFS = ((4, 88.0), (6, 85.0))  # short words need a closer spelling; longer: 80
FUZZY_CUTOFF = 80.0
FUZZY_LIMIT = 3
SWAPPED_SIMILARITY = 0.9  # a known word with two neighbouring letters swapped ("turnig")
AFFIX_MIN_LENGTH = 5  # a known word inside a compound must be at least this long
COMPOUND_MIN_LENGTH = 8  # only words this long are looked into as compounds
COMPOUND_REST_MIN_LENGTH = 4  # a compound's other half this long counts by its own meaning
AFFIX_SIMILARITY = 0.7
SYNONYM_SIMILARITY = 0.8  # a word reached through the lexicon ("graphics card" -> gpu)
MAX_QUESTION_CHARACTERS = limits.STRING_OPTION  # Discord's longest option value
MAX_QUESTION_WORDS = 80  # a longer text (a pasted message) is judged by its first words
PREFIX_SIMILARITY = 0.9  # a word being typed that a known word begins with
PREFIX_EXPANSIONS = 40
SHORT_FORM_EXPANSIONS = 3  # known words an unknown word may be the beginning of
SHORT_FORM_SIMILARITY = 0.7
EVIDENCE_FLOOR = 1.0  # a known word proves the topic even if every resource has it
# What each of the question-word caches may hold (entries plus the expansions in them),
# about 6 MB at most, after which it is emptied: at the 0.6-1 KB measured per cached word,
# 100,000 entries could have grown past 100 MB.
CACHE_BUDGET = 50_000


@dataclass(frozen=True)
class QueryWord:
    """A word of the question, with the terms it reaches and how much it weighs."""

    surface: str
    expansions: tuple[tuple[int, float], ...]  # (term id, similarity)
    weight: float  # what the word is worth in the denominator
    evidence: float  # how much matching it shows the question is about the catalogue


class Vocabulary:
    """The catalogue's written words, and the analysis of a question's words against them."""

    def __init__(
        self, postings: Postings, tokens: tokenizer.Tokenized, written: np.ndarray
    ) -> None:
        """The words of the texts marked `written` (a mask over `tokens`' texts), for
        spelling and prefix lookups, and the postings' terms they reach."""
        self._terms = postings.terms
        self._idf = postings.idf
        self._unknown_weight = postings.unknown_weight
        in_written = np.repeat(written, np.diff(tokens.word_starts))
        ids = np.flatnonzero(np.bincount(tokens.word_ids[in_written], minlength=len(tokens.words)))
        words = [tokens.words[w] for w in ids.tolist()]
        surfaces: dict[str, tuple[int, ...]] = {}
        # Not through `text.stems`'s cache: a large catalogue's words would crowd out the
        # questions' words there, and stay.
        for surface, stems in zip(words, text.stems_of_all(words), strict=True):
            found = tuple(i for i in map(self._terms.get, stems) if i is not None)
            if found:
                surfaces[surface] = found
        self._know(surfaces)

    def stored(self) -> dict[str, np.ndarray]:
        """The written words and the terms each reaches, as arrays only (for the index
        cache); the rest is derived from them again."""
        reached = list(self._surface_terms.values())
        return {
            "surfaces": arrays.pack_strings(list(self._surface_terms)),
            "term_counts": np.array([len(terms) for terms in reached], dtype=np.int64),
            "terms": np.array([t for terms in reached for t in terms], dtype=np.int64),
        }

    @classmethod
    def restored(cls, postings: Postings, stored: Mapping[str, np.ndarray]) -> Vocabulary:
        """The vocabulary that `stored` gave, over `postings`; ValueError when the arrays do
        not fit together."""
        vocabulary = cls.__new__(cls)
        vocabulary._terms = postings.terms
        vocabulary._idf = postings.idf
        vocabulary._unknown_weight = postings.unknown_weight
        surfaces = arrays.unpack_strings(stored["surfaces"])
        counts, terms = stored["term_counts"], stored["terms"]
        if (
            len(counts) != len(surfaces)
            or int(counts.sum()) != len(terms)
            or (len(counts) and int(counts.min()) < 1)
            or not arrays.indexes_within(terms, len(postings.idf))
        ):
            raise ValueError("the stored vocabulary does not fit its postings")
        ends = np.cumsum(counts).tolist()
        flat = terms.tolist()
        vocabulary._know(
            {
                surface: tuple(flat[end - size : end])
                for surface, size, end in zip(surfaces, counts.tolist(), ends, strict=True)
            }
        )
        return vocabulary

    def _know(self, surfaces: dict[str, tuple[int, ...]]) -> None:
        """Take `surfaces` (written word -> the terms it reaches) as the known words."""
        self._surface_terms = surfaces
        self._word_terms = {term for ids in surfaces.values() for term in ids}
        self._sorted_surfaces = sorted(surfaces)
        by_initial: dict[str, list[str]] = defaultdict(list)
        for surface in self._sorted_surfaces:
            if len(surface) >= FUZZY_MIN_LENGTH - 1:
                by_initial[surface[0]].append(surface)
        self._by_initial = dict(by_initial)

        self._expansion_cache: BoundedCache[str, tuple[tuple[int, float], ...]]
        self._expansion_cache = BoundedCache(CACHE_BUDGET)
        self._word_cache: BoundedCache[tuple[str, tuple[str, ...], bool], QueryWord]
        self._word_cache = BoundedCache(CACHE_BUDGET)
        self._join_cache: BoundedCache[str, bool] = BoundedCache(CACHE_BUDGET)

    def query_words(self, question: str, partial: bool) -> tuple[tuple[QueryWord, ...], float]:
        """The question's words, each with its expansions and weight, and the total weight."""
        found = text.words(question[:MAX_QUESTION_CHARACTERS])[:MAX_QUESTION_WORDS]
        words: list[QueryWord] = []
        seen: set[str] = set()
        total = 0.0
        for parts, synonyms in self._group(found):
            surface = " ".join(p.surface for p in parts)
            if surface in seen:
                continue
            seen.add(surface)
            unfinished = partial and parts[-1] is found[-1]
            # A unit's word depends on nothing else: its surface gives its parts (words hold
            # no spaces), and the vocabulary does not change.
            key = (surface, synonyms, unfinished)
            word = self._word_cache.get(key)
            if word is None:
                word = self._query_word(surface, parts, synonyms, unfinished)
                self._word_cache.remember(key, word, len(word.expansions))
            total += word.weight
            words.append(word)
        return tuple(words), total

    def _query_word(
        self, surface: str, parts: list[text.Word], synonyms: tuple[str, ...], unfinished: bool
    ) -> QueryWord:
        """One unit of the question (`_group`) with its expansions and weight."""
        expansions = self._expand_group(parts, synonyms, unfinished)
        # a phrase of everyday words can name an idea ("hittar på": makes things up)
        phrase = len(parts) > 1 and bool(synonyms)
        common = (not phrase and all(text.is_common(p.surface) for p in parts)) or (
            not expansions and text.is_misspelt_common(surface)
        )
        if expansions:
            weight = max(self._idf[t] * sim for t, sim in expansions.items())
        elif len(surface) >= UNKNOWN_WORD_MIN_LENGTH and not unfinished and not common:
            weight = self._unknown_weight  # a word no resource has: against every match
        else:
            weight = 0.0  # an everyday word the catalogue happens not to use says nothing
        evidence = 0.0 if common else max(weight, EVIDENCE_FLOOR)
        damping = (
            FUNCTION_WORD_FACTOR
            if all(p.surface in text.FUNCTION_WORDS for p in parts)
            else COMMON_WORD_FACTOR
            if common
            else 1.0
        )
        if damping != 1.0:
            weight *= damping
            expansions = {t: s * damping for t, s in expansions.items()}
        return QueryWord(surface, tuple(expansions.items()), weight, evidence)

    def _group(self, found: list[text.Word]) -> list[tuple[list[text.Word], tuple[str, ...]]]:
        """Split the words into units: everyday phrases from the lexicon, neighbours the
        catalogue writes as one word ("fine tune"), and single words."""
        units: list[tuple[list[text.Word], tuple[str, ...]]] = []
        keys = [lexicon.key_of([word])[0] for word in found]  # a phrase's key is a run of them
        index = 0
        while index < len(found):
            size, synonyms = self._phrase_at(found, keys, index)
            if size:
                units.append((found[index : index + size], synonyms))
                index += size
                continue
            if index + 1 < len(found):
                pair = self._joined(found[index], found[index + 1])
                if pair is not None:
                    units.append(([pair], ()))
                    index += 2
                    continue
            units.append(([found[index]], ()))
            index += 1
        return units

    def _phrase_at(
        self, found: list[text.Word], keys: list[str], index: int
    ) -> tuple[int, tuple[str, ...]]:
        """The longest everyday phrase of the lexicon that starts at word `index` (`keys`:
        the words' `lexicon.key_of`), as its length and synonyms; (0, ()) when none does.
        A translation counts only where the catalogue lacks the words themselves."""
        if keys[index] in lexicon.PHRASE_STARTS:
            for size in range(min(lexicon.LONGEST_PHRASE, len(keys) - index), 0, -1):
                key = tuple(keys[index : index + size])
                synonyms = lexicon.PHRASES.get(key)
                run = found[index : index + size]
                if synonyms is None and key in lexicon.TRANSLATED and not self._any_known(run):
                    synonyms = lexicon.TRANSLATED[key]
                if synonyms is not None:
                    return size, synonyms
        return 0, ()

    def _any_known(self, words: list[text.Word]) -> bool:
        """Whether the catalogue has any of `words` that is not an everyday word."""
        return any(
            not text.is_common(word.surface) and any(t in self._terms for t in word.terms)
            for word in words
        )

    def _joined(self, left: text.Word, right: text.Word) -> text.Word | None:
        """The two neighbours as one word ("fine" "tune" -> "finetune"), when the catalogue
        writes them so."""
        pair = text.joined(left, right)
        if pair is None:
            return None
        known = self._join_cache.get(pair.surface)
        if known is None:
            known = any(self._terms.get(t) in self._word_terms for t in pair.terms)
            self._join_cache.remember(pair.surface, known)
        return pair if known else None

    def _expand_group(
        self, parts: list[text.Word], synonyms: tuple[str, ...], unfinished: bool
    ) -> dict[int, float]:
        """The terms a unit reaches: its own words' and, a little less, its synonyms'."""
        found: dict[int, float] = {}
        for position, part in enumerate(parts):
            if len(parts) > 1 and part.surface in text.FUNCTION_WORDS:
                continue
            last = unfinished and position == len(parts) - 1
            for term, similarity in self._expand(part, last):
                found[term] = max(found.get(term, 0.0), similarity)
        # A synonym never weighs more than the unit's own words where the catalogue has them.
        own_weight = max((self._idf[t] * s for t, s in found.items()), default=0.0)
        for synonym in synonyms:
            for word in text.words(synonym):
                if text.is_common(word.surface):
                    continue  # "getting" of "getting started" says nothing alone
                for term in word.terms:
                    term_id = self._terms.get(term)
                    if term_id is None:
                        continue
                    similarity = SYNONYM_SIMILARITY
                    if own_weight:
                        similarity = min(similarity, own_weight / self._idf[term_id])
                    found[term_id] = max(found.get(term_id, 0.0), similarity)
        return found

    def _expand(self, word: text.Word, unfinished: bool) -> tuple[tuple[int, float], ...]:
        """The index terms `word` reaches, with a similarity in (0, 1]."""
        key = f"{word.surface}\x00{unfinished}"
        cached = self._expansion_cache.get(key)
        if cached is not None:
            return cached
        # Letters folded (å -> a) are a fallback, for a word the catalogue lacks as written.
        known = [(t, i) for t in word.terms if (i := self._terms.get(t)) is not None]
        exact = [i for t, i in known if not t.startswith(text.FOLDED)]
        folded = [i for t, i in known if t.startswith(text.FOLDED)]
        found: dict[int, float] = dict.fromkeys(exact or folded, 1.0)
        if unfinished:
            for surface in self.with_prefix(word.surface):
                for term in self._surface_terms[surface]:
                    found.setdefault(term, PREFIX_SIMILARITY)
        if not found and len(word.surface) >= FUZZY_MIN_LENGTH and not word.surface.isdigit():
            found = self._fuzzy(word.surface)
        exact_weight = max((self._idf[t] for t in exact), default=0.0)
        if exact_weight:  # a looser form never weighs more than the word as written
            found = {t: min(s, s * exact_weight / self._idf[t]) for t, s in found.items()}
        result = tuple(sorted(found.items()))
        self._expansion_cache.remember(key, result, len(result))
        return result

    def with_prefix(self, prefix: str) -> list[str]:
        """Known words that begin with `prefix`, at most PREFIX_EXPANSIONS of them."""
        start = bisect.bisect_left(self._sorted_surfaces, prefix)
        end = bisect.bisect_left(self._sorted_surfaces, prefix + "\U0010ffff")
        return self._sorted_surfaces[start : min(end, start + PREFIX_EXPANSIONS)]

    def _fuzzy(self, surface: str) -> dict[int, float]:
        """Close spellings of an unknown word, known words it is the beginning of, and known
        words it is a compound of."""
        found: dict[int, float] = {}
        candidates = self._by_initial.get(surface[0], [])
        for other, similarity, _ in process.extract(
            surface,
            candidates,
            scorer=fuzz.ratio,
            score_cutoff=_fuzzy_cutoff(surface),
            limit=FUZZY_LIMIT,
        ):
            for term in self._surface_terms[other]:
                found[term] = max(found.get(term, 0.0), similarity / 100.0)
        for term in self._swapped(surface):
            found[term] = max(found.get(term, 0.0), SWAPPED_SIMILARITY)
        if not found and len(surface) >= FUZZY_MIN_LENGTH:
            # a short form of a longer known word ("math" for "mathematical")
            for other in self.with_prefix(surface)[:SHORT_FORM_EXPANSIONS]:
                for term in self._surface_terms[other]:
                    found.setdefault(term, SHORT_FORM_SIMILARITY)
        if found or len(surface) < COMPOUND_MIN_LENGTH:
            return found
        for size in range(len(surface) - 1, AFFIX_MIN_LENGTH - 1, -1):
            # (the known word, the rest, the letter a compound joins them with if any)
            for part, rest, joint in (
                (surface[:size], surface[size:], surface[size : size + 1]),
                (surface[-size:], surface[:-size], surface[-size - 1 : -size]),
            ):
                part_terms = self._surface_terms.get(part, ())
                if not part_terms:
                    continue
                rest_terms = self._stem_terms(rest)
                if not rest_terms and not self._compound_rest(rest, joint):
                    continue
                for term in (*part_terms, *rest_terms):
                    found.setdefault(term, AFFIX_SIMILARITY)
            if found:
                return found
        return found

    def _swapped(self, surface: str) -> list[int]:
        """The terms of known words that are `surface` with two neighbouring letters swapped
        back: the commonest slip of typing, which a spelling ratio scores as two edits."""
        found: list[int] = []
        for at in range(len(surface) - 1):
            if surface[at] != surface[at + 1]:
                swapped = surface[:at] + surface[at + 1] + surface[at] + surface[at + 2 :]
                found.extend(self._surface_terms.get(swapped, ()))
        return found

    def _stem_terms(self, word: str) -> tuple[int, ...]:
        """The terms a compound's other half reaches by its stems ("testet" -> test), so
        both halves count: "turingtestet" is about Turing and about tests."""
        if len(word) < COMPOUND_REST_MIN_LENGTH:
            return ()
        # the Swedish stemmer keeps the definite -et ("testet"), which compounds often end in
        forms = (word, word[:-2]) if word.endswith("et") else (word,)
        found = (self._terms.get(t) for form in forms for t in text.stems(form))
        return tuple(term for term in found if term is not None)

    def _compound_rest(self, rest: str, joint: str) -> bool:
        """Whether `rest`, the word beside a known word inside a longer one, reads like the
        other half of a Swedish compound: joined by a linking s ("tränings|exempel"),
        written with å/ä/ö ("hyperparameter|inställningar"), or itself a known word. So
        "javascript" does not become "script"."""
        return joint == "s" or rest in self._surface_terms or not rest.isascii()


def _fuzzy_cutoff(word: str) -> float:
    """How close a spelling must be (rapidfuzz ratio) to count as the same word."""
    return next((cut for length, cut in FUZZY_CUTOFFS if len(word) <= length), FUZZY_CUTOFF)
