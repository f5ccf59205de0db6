"""The matcher: finds the resources that answer a question, and says when none does.

How a question is scored against a resource:
- The question is split into words (`bot.text`); each word matches index terms exactly
  (its English or Swedish stem), or, when it is not in the catalogue's vocabulary, through
  rapidfuzz: a close spelling ("fintune"), or a known word it begins or ends with (Swedish
  compounds). Neighbouring words written apart ("fine tune") meet their joined form.
- Each word weighs as much as it tells apart (its inverse document frequency). A resource
  earns a word's weight times how well the word matched times the field it was found in
  (title and keywords count most, description least). The score is what the resource
  earned divided by what the whole question weighs, so words the catalogue has never seen
  ("hiking", "password") pull every score down: that is how off-topic questions are refused.
- The best candidates get a bonus for how closely the whole question reads like one of the
  resource's titles or example questions (rapidfuzz on the phrase).

The fast path scores resources with numpy over posting lists and computes the phrase bonus
only for resources that could still reach the top; `rank_exhaustively` computes the same
function for every resource one by one, and the two agree (see the tests).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from bot import lexicon, text
from bot.catalog import Catalog, Resource

# Field weights: how much a term found in that field says about the resource.
FIELD_WEIGHTS = {
    "title": 1.0,
    "keywords": 0.9,
    "questions": 0.75,
    "description": 0.55,
    "labels": 0.5,
}
MULTI_FIELD_BONUS = 0.05  # per extra field a term also appears in
FUNCTION_WORD_FACTOR = 0.25  # "how", "the", "jag": kept, but weighing little
UNKNOWN_WORD_MIN_LENGTH = 3  # shorter unknown words ("xd", "ok") do not count against a match
PHRASE_BONUS = 0.25  # at most this much for reading like a title or example question
PHRASE_FLOOR = 55.0  # rapidfuzz ratio below which a phrase earns nothing
FUZZY_MIN_LENGTH = 4
FUZZY_CUTOFFS = ((4, 88.0), (6, 85.0))  # short words need a closer spelling; longer: 80
FUZZY_CUTOFF = 80.0
FUZZY_LIMIT = 3
AFFIX_MIN_LENGTH = 5  # a known word inside a compound must be at least this long
COMPOUND_MIN_LENGTH = 8  # only words this long are looked into as compounds
AFFIX_SIMILARITY = 0.7
SYNONYM_SIMILARITY = 0.8  # a word reached through the lexicon ("graphics card" -> gpu)
MAX_QUESTION_CHARACTERS = 6000  # Discord's longest option value
MAX_QUESTION_WORDS = 80  # a longer text (a pasted message) is judged by its first words
PREFIX_SIMILARITY = 0.9  # a word being typed that a known word begins with
PREFIX_EXPANSIONS = 40
SCORE_SCALE = 1.0 + PHRASE_BONUS  # keeps every score within [0, 1]
EVIDENCE_FLOOR = 1.0  # a known word proves the topic even if every resource has it
CONFIDENT_EVIDENCE = 0.45
NEAR_MISS_SCORE = 0.1
NEAR_MISSES = 3


@dataclass(frozen=True)
class Match:
    """A resource and how well it fits; `matched` are the question's words it contains."""

    resource: Resource
    score: float
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """The reply to one question: confident results, or near misses when none fits."""

    query: str
    confident: bool
    results: tuple[Match, ...]
    suggestions: tuple[Match, ...]

    @property
    def best(self) -> Match | None:
        return self.results[0] if self.results else None


@dataclass(frozen=True)
class _QueryWord:
    """A word of the question, with the terms it reaches and how much it weighs."""

    surface: str
    expansions: tuple[tuple[int, float], ...]  # (term id, similarity)
    weight: float  # what the word is worth in the denominator
    evidence: float  # how much matching it shows the question is about the catalogue


@dataclass(frozen=True)
class _Scored:
    question: str
    scores: np.ndarray  # scores of every document, by id
    words: tuple[_QueryWord, ...]
    total_weight: float


class Index:
    """A searchable index of one catalogue. Build it once per catalogue; it is read-only."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.resources = catalog.resources
        self._position = {resource.id: doc for doc, resource in enumerate(self.resources)}
        field_terms = [self._fields_of(resource) for resource in self.resources]

        term_ids: dict[str, int] = {}
        postings: dict[int, dict[int, float]] = defaultdict(dict)
        for doc, fields in enumerate(field_terms):
            seen_in: dict[int, list[float]] = defaultdict(list)
            for field, terms in fields.items():
                for term in terms:
                    term_id = term_ids.setdefault(term, len(term_ids))
                    seen_in[term_id].append(FIELD_WEIGHTS[field])
            for term_id, weights in seen_in.items():
                postings[term_id][doc] = max(weights) + MULTI_FIELD_BONUS * (len(weights) - 1)

        self._term_ids = term_ids
        count = len(self.resources)
        self._idf = np.zeros(len(term_ids))
        self._post_docs: list[np.ndarray] = [np.empty(0, np.int32)] * len(term_ids)
        self._post_weights: list[np.ndarray] = [np.empty(0)] * len(term_ids)
        self._doc_terms: list[dict[int, float]] = [{} for _ in range(count)]
        for term_id, docs in postings.items():
            self._idf[term_id] = _idf(len(docs), count)
            self._post_docs[term_id] = np.fromiter(docs.keys(), np.int32, len(docs))
            self._post_weights[term_id] = np.fromiter(docs.values(), np.float64, len(docs))
            for doc, weight in docs.items():
                self._doc_terms[doc][term_id] = weight
        self._unknown_weight = _idf(1, max(count, 2))

        surfaces: dict[str, tuple[int, ...]] = {}
        for resource in self.resources:
            for phrase in self._texts_of(resource):
                for word in text.words(phrase):
                    if word.surface not in surfaces:
                        ids = tuple(term_ids[t] for t in word.terms if t in term_ids)
                        if ids:
                            surfaces[word.surface] = ids
        self._surface_terms = surfaces
        self._word_terms = {term for ids in surfaces.values() for term in ids}
        self._sorted_surfaces = sorted(surfaces)
        by_initial: dict[str, list[str]] = defaultdict(list)
        for surface in self._sorted_surfaces:
            if len(surface) >= FUZZY_MIN_LENGTH - 1:
                by_initial[surface[0]].append(surface)
        self._by_initial = dict(by_initial)
        self._phrases = [
            [_phrase(p) for p in self._phrases_of(resource)] for resource in self.resources
        ]
        self._expansion_cache: dict[str, tuple[tuple[int, float], ...]] = {}

    @classmethod
    def build(cls, catalog: Catalog) -> Index:
        """Index every resource of `catalog`."""
        return cls(catalog)

    # --- public API ------------------------------------------------------------------------

    def ask(self, question: str, limit: int = 5) -> Answer:
        """The best resources for `question`, or near misses when no answer is confident."""
        scored = self._score(question, partial=False)
        matches = self._top(scored, max(limit, NEAR_MISSES), with_phrases=True)
        best = matches[0] if matches else None
        if best and self._evidence(scored.words, best) >= CONFIDENT_EVIDENCE:
            return Answer(question, True, tuple(matches[:limit]), ())
        near = tuple(m for m in matches[:NEAR_MISSES] if m.score >= NEAR_MISS_SCORE)
        return Answer(question, False, (), near)

    def autocomplete(self, partial: str, limit: int = 25) -> list[Match]:
        """Resources for a question still being typed; its last word may be unfinished."""
        if not text.surface_words(partial):
            return [Match(r, 0.0, ()) for r in self.resources[:limit]]
        scored = self._score(partial, partial=not partial[-1:].isspace())
        return [m for m in self._top(scored, limit, with_phrases=False) if m.score > 0]

    def rank_exhaustively(self, question: str, limit: int = 5) -> list[Match]:
        """`ask`'s ranking computed resource by resource, without the index's shortcuts."""
        words, total = self._query_words(question, partial=False)
        ranked = []
        for doc in range(len(self.resources)):
            terms = self._doc_terms[doc]
            earned = 0.0
            for word in words:
                earned += max(
                    (sim * self._idf[t] * terms[t] for t, sim in word.expansions if t in terms),
                    default=0.0,
                )
            score = earned / total if total else 0.0
            score += self._phrase_bonus(question, doc)
            ranked.append((-score / SCORE_SCALE, doc))
        ranked.sort()
        return [
            Match(self.resources[doc], -negative, self._matched_words(words, doc))
            for negative, doc in ranked[:limit]
        ]

    # --- scoring ---------------------------------------------------------------------------

    def _score(self, question: str, partial: bool) -> _Scored:
        words, total = self._query_words(question, partial)
        scores = np.zeros(len(self.resources))
        for word in words:
            best = np.zeros(len(self.resources))
            for term_id, similarity in word.expansions:
                docs = self._post_docs[term_id]
                np.maximum.at(
                    best, docs, similarity * self._idf[term_id] * self._post_weights[term_id]
                )
            scores += best
        if total:
            scores /= total
        return _Scored(question, scores, words, total)

    def _top(self, scored: _Scored, limit: int, with_phrases: bool) -> list[Match]:
        scores = scored.scores
        count = len(scores)
        if count == 0 or limit <= 0:
            return []
        if with_phrases:
            # Only resources within PHRASE_BONUS of the limit-th best can still reach the top.
            kth = min(limit, count)
            threshold = np.partition(scores, count - kth)[count - kth] - PHRASE_BONUS
            candidates = np.flatnonzero(scores >= threshold)
            final = scores[candidates] + np.array(
                [self._phrase_bonus(scored.question, int(doc)) for doc in candidates]
            )
        else:
            kth = min(limit, count)
            candidates = (
                np.argpartition(-scores, kth - 1)[:kth] if kth < count else np.arange(count)
            )
            final = scores[candidates]
        final = final / SCORE_SCALE if with_phrases else final
        order = np.lexsort((candidates, -final))[:limit]
        return [
            Match(
                self.resources[int(candidates[i])],
                float(final[i]),
                self._matched_words(scored.words, int(candidates[i])),
            )
            for i in order
        ]

    def _phrase_bonus(self, question: str, doc: int) -> float:
        query = _phrase(question)
        if not query:
            return 0.0
        best = process.extractOne(query, self._phrases[doc], scorer=fuzz.ratio)
        if best is None or best[1] <= PHRASE_FLOOR:
            return 0.0
        return PHRASE_BONUS * (best[1] - PHRASE_FLOOR) / (100.0 - PHRASE_FLOOR)

    def _evidence(self, words: tuple[_QueryWord, ...], match: Match) -> float:
        """The share of the question's telling words that `match`'s resource contains."""
        total = sum(w.evidence for w in words)
        if not total:
            return 0.0
        terms = self._doc_terms[self._position[match.resource.id]]
        found = sum(
            w.evidence * max((s for t, s in w.expansions if t in terms), default=0.0) for w in words
        )
        return found / total

    def _matched_words(self, words: Iterable[_QueryWord], doc: int) -> tuple[str, ...]:
        terms = self._doc_terms[doc]
        return tuple(w.surface for w in words if any(t in terms for t, _ in w.expansions))

    # --- the question's words -------------------------------------------------------------

    def _query_words(self, question: str, partial: bool) -> tuple[tuple[_QueryWord, ...], float]:
        """The question's words, each with its expansions and weight, and the total weight."""
        found = text.words(question[:MAX_QUESTION_CHARACTERS])[:MAX_QUESTION_WORDS]
        words: list[_QueryWord] = []
        seen: set[str] = set()
        total = 0.0
        for parts, synonyms in self._group(found):
            surface = " ".join(p.surface for p in parts)
            if surface in seen:
                continue
            seen.add(surface)
            unfinished = partial and parts[-1] is found[-1]
            expansions = self._expand_group(parts, synonyms, unfinished)
            if expansions:
                weight = max(self._idf[t] * sim for t, sim in expansions.items())
            elif len(surface) >= UNKNOWN_WORD_MIN_LENGTH and not unfinished:
                weight = self._unknown_weight
            else:
                weight = 0.0
            common = all(p.surface in text.COMMON_WORDS for p in parts)
            evidence = 0.0 if common else max(weight, EVIDENCE_FLOOR)
            if all(p.surface in text.FUNCTION_WORDS for p in parts):
                weight *= FUNCTION_WORD_FACTOR
                expansions = {t: s * FUNCTION_WORD_FACTOR for t, s in expansions.items()}
            total += weight
            words.append(_QueryWord(surface, tuple(expansions.items()), weight, evidence))
        return tuple(words), total

    def _group(self, found: list[text.Word]) -> list[tuple[list[text.Word], tuple[str, ...]]]:
        """Split the words into units: everyday phrases from the lexicon, neighbours the
        catalogue writes as one word ("fine tune"), and single words."""
        units: list[tuple[list[text.Word], tuple[str, ...]]] = []
        index = 0
        while index < len(found):
            for size in range(min(lexicon.LONGEST_PHRASE, len(found) - index), 0, -1):
                key = lexicon.key_of(found[index : index + size])
                if key in lexicon.PHRASES:
                    units.append((found[index : index + size], lexicon.PHRASES[key]))
                    index += size
                    break
            else:
                if index + 1 < len(found):
                    pair = text.joined(found[index], found[index + 1])
                    if pair is not None and any(
                        self._term_ids.get(t) in self._word_terms for t in pair.terms
                    ):
                        units.append(([pair], ()))
                        index += 2
                        continue
                units.append(([found[index]], ()))
                index += 1
        return units

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
        for synonym in synonyms:
            for word in text.words(synonym):
                for term in word.terms:
                    term_id = self._term_ids.get(term)
                    if term_id is not None:
                        found[term_id] = max(found.get(term_id, 0.0), SYNONYM_SIMILARITY)
        return found

    def _expand(self, word: text.Word, unfinished: bool) -> tuple[tuple[int, float], ...]:
        """The index terms `word` reaches, with a similarity in (0, 1]."""
        key = f"{word.surface}\x00{unfinished}"
        cached = self._expansion_cache.get(key)
        if cached is not None:
            return cached
        found: dict[int, float] = {
            t: 1.0 for t in (self._term_ids.get(x) for x in word.terms) if t is not None
        }
        if unfinished:
            for surface in self._with_prefix(word.surface):
                for term in self._surface_terms[surface]:
                    found.setdefault(term, PREFIX_SIMILARITY)
        if not found and len(word.surface) >= FUZZY_MIN_LENGTH and not word.surface.isdigit():
            found = self._fuzzy(word.surface)
        result = tuple(sorted(found.items()))
        if len(self._expansion_cache) > 100_000:
            self._expansion_cache.clear()
        self._expansion_cache[key] = result
        return result

    def _with_prefix(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self._sorted_surfaces, prefix)
        end = bisect.bisect_left(self._sorted_surfaces, prefix + "\U0010ffff")
        return self._sorted_surfaces[start : min(end, start + PREFIX_EXPANSIONS)]

    def _fuzzy(self, surface: str) -> dict[int, float]:
        """Close spellings of an unknown word, and known words it is a compound of."""
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
        if found or len(surface) < COMPOUND_MIN_LENGTH:
            return found
        for size in range(len(surface) - 1, AFFIX_MIN_LENGTH - 1, -1):
            for part in (surface[:size], surface[-size:]):
                for term in self._surface_terms.get(part, ()):
                    found.setdefault(term, AFFIX_SIMILARITY)
            if found:
                return found
        return found

    # --- what a resource is made of --------------------------------------------------------

    def _fields_of(self, resource: Resource) -> dict[str, set[str]]:
        def terms(texts: Iterable[str]) -> set[str]:
            return set().union(*(text.index_terms(t) for t in texts))

        labels = [resource.provider, resource.id.replace("-", " ")]
        for category, key in (
            (self.catalog.kinds, resource.kind),
            (self.catalog.sections, resource.section),
            *((self.catalog.topics, topic) for topic in resource.topics),
        ):
            labels.extend(category.get(key, {}).values())
        return {
            "title": terms(resource.title.values()),
            "keywords": terms(resource.keywords),
            "questions": terms(q for qs in resource.questions.values() for q in qs),
            "description": terms(resource.description.values()),
            "labels": terms(labels),
        }

    def _texts_of(self, resource: Resource) -> list[str]:
        fields = [*resource.title.values(), *resource.keywords, *resource.description.values()]
        fields.extend(q for qs in resource.questions.values() for q in qs)
        fields.append(resource.provider)
        return fields

    @staticmethod
    def _phrases_of(resource: Resource) -> list[str]:
        return [
            *resource.title.values(),
            *(q for qs in resource.questions.values() for q in qs),
        ]


def _idf(document_frequency: int, document_count: int) -> float:
    """BM25's inverse document frequency: rare terms weigh more."""
    return math.log(1.0 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))


def _fuzzy_cutoff(word: str) -> float:
    """How close a spelling must be (rapidfuzz ratio) to count as the same word."""
    return next((cut for length, cut in FUZZY_CUTOFFS if len(word) <= length), FUZZY_CUTOFF)


def _phrase(raw: str) -> str:
    return " ".join(text.surface_words(raw))
