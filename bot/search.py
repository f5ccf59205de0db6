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
only for resources that could still reach the top: best candidates first, stopping when no
other can enter; with many candidates, a cheap upper bound of each one's bonus (characters
in common) rules most out, and the rest are scored in one rapidfuzz call.
`rank_exhaustively` computes the same function for every resource one by one, and the two
agree (tests/test_search_equivalence.py). `python -m bot bench` measures the speed.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from bot import arrays, confidence, lexicon, text, tokenizer
from bot.catalog import Catalog, Resource, paused_gc

# Field weights: how much a term found in that field says about the resource.
FIELD_WEIGHTS = {
    "title": 1.0,
    "keywords": 0.9,
    "questions": 0.75,
    "description": 0.55,
    "labels": 0.7,  # section, kind, topics, provider and id: what the resource is about
}
MULTI_FIELD_BONUS = 0.05  # per extra field a term also appears in
FUNCTION_WORD_FACTOR = 0.25  # "how", "the", "jag": kept, but weighing little
COMMON_WORD_FACTOR = 0.4  # everyday words ("when", "keep") tell resources apart a little
UNKNOWN_WORD_MIN_LENGTH = 3  # shorter unknown words ("xd", "ok") do not count against a match
PHRASE_BONUS = 0.25  # at most this much for reading like a title or example question
PHRASE_RERANK_DEPTH = 200  # only this many best resources by score may earn a phrase bonus
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
SHORT_FORM_EXPANSIONS = 3  # known words an unknown word may be the beginning of
SHORT_FORM_SIMILARITY = 0.7
SCORE_SCALE = 1.0 + PHRASE_BONUS  # keeps every score within [0, 1]
EVIDENCE_FLOOR = 1.0  # a known word proves the topic even if every resource has it
NEAR_MISS_SCORE = 0.1
NEAR_MISSES = 3
BOUND_PHRASES_FROM = 256  # with more candidates than this, bound their phrase bonus first
ONE_BY_ONE_UP_TO = 256  # up to this many, candidates' phrase bonus is computed one by one


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
    # for each word, what it earned each document (None: nothing); > 0 where it matched
    word_scores: tuple[np.ndarray | None, ...] = field(default=(), repr=False)
    # documents that may earn a phrase bonus: among the PHRASE_RERANK_DEPTH best by score,
    # and containing a telling word of the question
    phrase_eligible: np.ndarray = field(default_factory=lambda: np.zeros(0, bool), repr=False)


class Index:
    """A searchable index of one catalogue. Build it once per catalogue; it is read-only."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.resources = catalog.resources
        self._position = {resource.id: doc for doc, resource in enumerate(self.resources)}
        with paused_gc():
            self._build()
        self._expansion_cache: dict[str, tuple[tuple[int, float], ...]] = {}

    def _build(self) -> None:
        """Postings, vocabulary and phrases of every resource. Each distinct text is split
        into words and terms once, all texts at once (`bot.tokenizer`)."""
        texts: list[str] = []  # the texts of each (document, field), documents in order
        sizes: list[int] = []  # texts per (document, field)
        for resource in self.resources:
            for field_texts in self._field_texts(resource).values():
                texts += field_texts
                sizes.append(len(field_texts))
        position = {raw: number for number, raw in enumerate(dict.fromkeys(texts))}
        occurrences = np.fromiter(map(position.__getitem__, texts), np.int64, len(texts))
        tokens = tokenizer.tokenize(list(position))
        self._store_postings(tokens, occurrences, np.array(sizes, np.int64))
        self._store_vocabulary(tokens, position)
        self._phrases = [
            [" ".join(tokens.words_of(position[p])) for p in self._phrases_of(resource)]
            for resource in self.resources
        ]
        self._phrase_bounds = _PhraseBounds(self._phrases)

    def _store_postings(
        self, tokens: tokenizer.Tokenized, occurrences: np.ndarray, sizes: np.ndarray
    ) -> None:
        """Term ids, postings and weights from the texts of every (document, field):
        `occurrences` are their text numbers, `sizes` how many each (document, field) has.

        numpy expands each text into its terms, giving (term, document, field) rows, and
        sorts them once: a term's weight in a document is its best field's weight plus a
        bonus for every other field it is in.
        """
        count = len(self.resources)
        field_weights = list(FIELD_WEIGHTS.values())
        ranked = sorted(range(len(field_weights)), key=lambda field: -field_weights[field])
        rank_of = np.empty(len(ranked), dtype=np.int64)  # field -> rank, 0 the best
        rank_of[ranked] = np.arange(len(ranked))
        terms_per_text = np.diff(tokens.term_starts)
        spread = terms_per_text[occurrences]
        row_terms = tokens.term_ids[arrays.ranges(tokens.term_starts[occurrences], spread)]
        row_docs = np.repeat(np.repeat(np.repeat(np.arange(count), len(ranked)), sizes), spread)
        row_ranks = np.repeat(np.repeat(np.tile(rank_of, count), sizes), spread)

        # Only the terms some text kept are numbered.
        used = np.zeros(len(tokens.terms), dtype=bool)
        used[row_terms] = True
        kept = np.flatnonzero(used)
        self._term_ids = {tokens.terms[old]: new for new, old in enumerate(kept.tolist())}
        term_count = len(kept)

        # One sorted key per (term, document, field rank); then one row per (term, document).
        doc_bits = max(count.bit_length(), 1)
        rank_bits = max(len(ranked).bit_length(), 1)
        new_term = np.cumsum(used) - 1
        keys = np.sort((((new_term[row_terms] << doc_bits) | row_docs) << rank_bits) | row_ranks)
        keys = keys[arrays.starts_of_runs(keys)]
        pairs, best_ranks = keys >> rank_bits, keys & ((1 << rank_bits) - 1)
        firsts = np.flatnonzero(arrays.starts_of_runs(pairs))
        fields_in = np.diff(firsts, append=len(keys))
        weight_of = np.array(  # [best field's rank, fields - 1] -> weight
            [
                [
                    field_weights[field] + MULTI_FIELD_BONUS * (fields - 1)
                    for fields in range(1, len(field_weights) + 1)
                ]
                for field in ranked
            ]
        ).ravel()
        weight_codes = best_ranks[firsts] * len(field_weights) + (fields_in - 1)
        post_terms = pairs[firsts] >> doc_bits
        post_docs = pairs[firsts] & ((1 << doc_bits) - 1)

        # Postings by term (documents ascending) ...
        self._post_start: list[int] = np.searchsorted(
            post_terms, np.arange(term_count + 1)
        ).tolist()
        self._post_docs_all = post_docs.astype(np.int32)
        self._post_weights_all = weight_of[weight_codes]
        frequencies = np.diff(self._post_start)
        idf_of = {int(f): _idf(int(f), count) for f in np.unique(frequencies)}
        self._idf = np.array([idf_of[f] for f in frequencies.tolist()], dtype=np.float64)
        self._unknown_weight = _idf(1, max(count, 2))
        self._largest_idf = self._unknown_weight  # of a term that one resource has
        # ... and the same rows by document (terms ascending), for `_terms_of`.
        code_bits = max((len(field_weights) ** 2).bit_length(), 1)
        term_bits = max(term_count.bit_length(), 1)
        by_doc = np.sort((((post_docs << term_bits) | post_terms) << code_bits) | weight_codes)
        self._doc_start = np.searchsorted(
            by_doc >> (term_bits + code_bits), np.arange(count + 1)
        ).tolist()
        self._doc_term_ids = ((by_doc >> code_bits) & ((1 << term_bits) - 1)).astype(np.int32)
        self._doc_term_codes = (by_doc & ((1 << code_bits) - 1)).astype(np.uint8)
        self._weight_of = weight_of

    def _store_vocabulary(self, tokens: tokenizer.Tokenized, position: dict[str, int]) -> None:
        """The words written in the resources, for spelling and prefix lookups."""
        written = np.zeros(len(position), bool)
        written[
            [position[raw] for resource in self.resources for raw in self._texts_of(resource)]
        ] = True
        in_written = np.repeat(written, np.diff(tokens.word_starts))
        ids = np.flatnonzero(np.bincount(tokens.word_ids[in_written], minlength=len(tokens.words)))
        words = [tokens.words[w] for w in ids.tolist()]
        surfaces: dict[str, tuple[int, ...]] = {}
        # Not through `text.stems`'s cache: a large catalogue's words would crowd out the
        # questions' words there, and stay.
        for surface, stems in zip(words, text.stems_of_all(words), strict=True):
            found = tuple(self._term_ids[t] for t in stems if t in self._term_ids)
            if found:
                surfaces[surface] = found
        self._surface_terms = surfaces
        self._word_terms = {term for ids in surfaces.values() for term in ids}
        self._sorted_surfaces = sorted(surfaces)
        by_initial: dict[str, list[str]] = defaultdict(list)
        for surface in self._sorted_surfaces:
            if len(surface) >= FUZZY_MIN_LENGTH - 1:
                by_initial[surface[0]].append(surface)
        self._by_initial = dict(by_initial)

    @classmethod
    def build(cls, catalog: Catalog) -> Index:
        """Index every resource of `catalog`."""
        return cls(catalog)

    # --- public API ------------------------------------------------------------------------

    def ask(self, question: str, limit: int = 5) -> Answer:
        """The best resources for `question`, or near misses when no answer is confident."""
        scored = self._score(question, partial=False)
        matches = self._top(scored, max(limit, NEAR_MISSES), with_phrases=True)
        matches = [m for m in matches if m.score > 0]
        if matches and confidence.is_confident(self._signals(scored, matches)):
            return Answer(question, True, tuple(matches[:limit]), ())
        # Near misses share at least one telling word with the question, not just "best".
        near = tuple(
            m
            for m in matches[:NEAR_MISSES]
            if m.score >= NEAR_MISS_SCORE
            and self._evidence(scored.words, self._terms_of(self._position[m.resource.id])) > 0
        )
        return Answer(question, False, (), near)

    def signals(self, question: str) -> confidence.Signals | None:
        """What `ask` judges its confidence on (None when no resource matches at all)."""
        scored = self._score(question, partial=False)
        matches = [m for m in self._top(scored, 2, with_phrases=True) if m.score > 0]
        return self._signals(scored, matches) if matches else None

    def autocomplete(self, partial: str, limit: int = 25) -> list[Match]:
        """Resources for a question still being typed; its last word may be unfinished."""
        if not text.surface_words(partial):
            return [Match(r, 0.0, ()) for r in self.resources[:limit]]
        scored = self._score(partial, partial=not partial[-1:].isspace())
        return [m for m in self._top(scored, limit, with_phrases=False) if m.score > 0]

    def rank(self, question: str, limit: int = 5) -> list[Match]:
        """`ask`'s ranking of the `limit` best resources, before it judges confidence."""
        return self._top(self._score(question, partial=False), limit, with_phrases=True)

    def rank_exhaustively(self, question: str, limit: int = 5) -> list[Match]:
        """`ask`'s ranking computed resource by resource, without the index's shortcuts."""
        words, total = self._query_words(question, partial=False)
        query = _phrase(question)
        base: list[tuple[float, int, bool]] = []
        for doc in range(len(self.resources)):
            terms = self._terms_of(doc)
            earned = 0.0
            for word in words:
                earned += max(
                    (sim * self._idf[t] * terms[t] for t, sim in word.expansions if t in terms),
                    default=0.0,
                )
            telling = any(
                w.evidence > 0 and any(t in terms for t, _ in w.expansions) for w in words
            )
            base.append((earned / total if total else 0.0, doc, telling))
        by_score = sorted(base, key=lambda item: (-item[0], item[1]))
        ranked = []
        for position, (score, doc, telling) in enumerate(by_score):
            if telling and position < PHRASE_RERANK_DEPTH:
                score += self._phrase_bonus(query, doc)
            ranked.append((-score / SCORE_SCALE, doc))
        ranked.sort()
        return [
            Match(self.resources[doc], -negative, self._matched_words(words, doc))
            for negative, doc in ranked[:limit]
        ]

    # --- scoring ---------------------------------------------------------------------------

    def _score(self, question: str, partial: bool) -> _Scored:
        words, total = self._query_words(question, partial)
        count = len(self.resources)
        scores = np.zeros(count)
        shares_telling_word = np.zeros(count, bool)
        word_scores: list[np.ndarray | None] = []
        for word in words:
            if not word.expansions:
                word_scores.append(None)
                continue
            best = np.zeros(count)
            for term_id, similarity in word.expansions:
                start, end = self._post_start[term_id], self._post_start[term_id + 1]
                np.maximum.at(
                    best,
                    self._post_docs_all[start:end],
                    similarity * self._idf[term_id] * self._post_weights_all[start:end],
                )
            scores += best
            word_scores.append(best)
            if word.evidence > 0:
                shares_telling_word |= best > 0
        if total:
            scores /= total
        eligible = shares_telling_word & _best_by_score(scores, PHRASE_RERANK_DEPTH)
        return _Scored(question, scores, words, total, tuple(word_scores), eligible)

    def _top(self, scored: _Scored, limit: int, with_phrases: bool) -> list[Match]:
        scores = scored.scores
        count = len(scores)
        if count == 0 or limit <= 0:
            return []
        kth = min(limit, count)
        if with_phrases:
            ranked = self._top_with_phrases(scored, kth)
        else:
            candidates = (
                np.argpartition(-scores, kth - 1)[:kth] if kth < count else np.arange(count)
            )
            final = scores[candidates]
            ranked = [
                (float(final[i]), int(candidates[i]))
                for i in np.lexsort((candidates, -final))[:limit]
            ]
        return [
            Match(self.resources[doc], score, self._matched_in(scored, doc))
            for score, doc in ranked
        ]

    def _top_with_phrases(self, scored: _Scored, limit: int) -> list[tuple[float, int]]:
        """The `limit` best (score, document) pairs once the phrase bonus is added, best first,
        ties to the earlier document: the phrase bonus is computed only where it could matter.

        Candidates are taken in order of the best score they could reach (their score plus
        the largest phrase bonus, or a tighter bound of it), and the search stops at the
        first that could no longer enter the top.
        """
        scores = scored.scores
        count = len(scores)
        # Only resources within PHRASE_BONUS of the limit-th best can still reach the top.
        threshold = np.partition(scores, count - limit)[count - limit] - PHRASE_BONUS
        candidates = np.flatnonzero(scores >= threshold)
        base = scores[candidates]
        query = _phrase(scored.question)
        allowed = scored.phrase_eligible
        if not query or not allowed.any():
            order = np.lexsort((candidates, -base))[:limit]
            return [(float(base[i] / SCORE_SCALE), int(candidates[i])) for i in order]
        if len(candidates) > BOUND_PHRASES_FROM:
            # only the eligible few (PHRASE_RERANK_DEPTH at most) can earn a bonus
            eligible = allowed[candidates]
            bonus_bound = np.zeros(len(candidates))
            bonus_bound[eligible] = self._phrase_bounds.bonus_bounds(query, candidates[eligible])
            reachable = (base + bonus_bound) / SCORE_SCALE
            # The limit best (score, document) pairs without any bonus are a floor for the
            # limit-th final one: a candidate that cannot pass it cannot enter the top.
            floor_base = np.partition(base, len(base) - limit)[len(base) - limit]
            above = int(np.count_nonzero(base > floor_base))
            floor_doc = candidates[base == floor_base][limit - above - 1]
            floor = floor_base / SCORE_SCALE
            kept = (reachable > floor) | ((reachable == floor) & (candidates <= floor_doc))
            if np.count_nonzero(kept) > ONE_BY_ONE_UP_TO:
                docs = candidates[kept]
                bonus = self._phrase_bounds.bonuses(query, docs) * allowed[docs]
                final = (base[kept] + bonus) / SCORE_SCALE
                # the limit best (ties to the earlier document) are among those at or
                # above the limit-th best score: sort those only
                if len(final) > limit:
                    top = final >= np.partition(final, len(final) - limit)[len(final) - limit]
                    docs, final = docs[top], final[top]
                order = np.lexsort((docs, -final))[:limit]
                return [(float(final[i]), int(docs[i])) for i in order]
            candidates, base, reachable = candidates[kept], base[kept], reachable[kept]
        else:
            reachable = (base + PHRASE_BONUS * allowed[candidates]) / SCORE_SCALE
        best: list[tuple[float, int]] = []  # sorted best first, ties by document
        for i in np.lexsort((candidates, -reachable)):
            doc = int(candidates[i])
            if len(best) == limit:
                worst_score, worst_doc = best[-1]
                if reachable[i] < worst_score or (reachable[i] == worst_score and doc > worst_doc):
                    break
            bonus = self._phrase_bonus(query, doc) if allowed[doc] else 0.0
            score = float((base[i] + bonus) / SCORE_SCALE)
            if len(best) < limit or (-score, doc) < (-best[-1][0], best[-1][1]):
                bisect.insort(best, (score, doc), key=lambda pair: (-pair[0], pair[1]))
                del best[limit:]
        return best

    def _phrase_bonus(self, query: str, doc: int) -> float:
        """The bonus for reading like one of `doc`'s phrases; `query` is `_phrase(question)`."""
        if not query:
            return 0.0
        best = process.extractOne(query, self._phrases[doc], scorer=fuzz.ratio)
        if best is None or best[1] <= PHRASE_FLOOR:
            return 0.0
        return PHRASE_BONUS * (best[1] - PHRASE_FLOOR) / (100.0 - PHRASE_FLOOR)

    def _terms_of(self, doc: int) -> dict[int, float]:
        """`doc`'s terms and their weights."""
        start, end = self._doc_start[doc], self._doc_start[doc + 1]
        return dict(
            zip(
                self._doc_term_ids[start:end].tolist(),
                self._weight_of[self._doc_term_codes[start:end]].tolist(),
                strict=True,
            )
        )

    def _matched_in(self, scored: _Scored, doc: int) -> tuple[str, ...]:
        """The question's words that `doc` contains (what each word earned it is > 0)."""
        return tuple(
            word.surface
            for word, earned in zip(scored.words, scored.word_scores, strict=True)
            if earned is not None and earned[doc] > 0
        )

    def _signals(self, scored: _Scored, matches: list[Match]) -> confidence.Signals:
        """The signals of the ranking `matches` (best first) for the confidence model."""
        best = matches[0]
        second = matches[1].score if len(matches) > 1 else 0.0
        terms = self._terms_of(self._position[best.resource.id])
        telling = [w for w in scored.words if w.evidence > 0]
        unknown = [w for w in scored.words if not w.expansions and w.weight > 0]
        rarest = max(
            (self._idf[t] * s for w in telling for t, s in w.expansions if t in terms),
            default=0.0,
        )
        return confidence.Signals(
            best_score=best.score,
            margin=(best.score - second) / best.score,
            telling_share=self._evidence(telling, terms),
            unknown_share=sum(w.weight for w in unknown) / (scored.total_weight or 1.0),
            telling_words=len(telling),
            unknown_words=len(unknown),
            rarest_match=rarest / self._largest_idf,
            matched_telling_words=sum(1 for w in telling if _held(w, terms) > 0),
        )

    def _evidence(self, words: Iterable[_QueryWord], terms: dict[int, float]) -> float:
        """The share of the question's telling words that a resource (its `terms`) holds."""
        total = sum(w.evidence for w in words)
        if not total:
            return 0.0
        return sum(w.evidence * _held(w, terms) for w in words) / total

    def _matched_words(self, words: Iterable[_QueryWord], doc: int) -> tuple[str, ...]:
        terms = self._terms_of(doc)
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
            common = all(text.is_common(p.surface) for p in parts)
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
        # Letters folded (å -> a) are a fallback, for a word the catalogue lacks as written.
        exact = [self._term_ids.get(t) for t in word.terms if not t.startswith(text.FOLDED)]
        folded = [self._term_ids.get(t) for t in word.terms if t.startswith(text.FOLDED)]
        found: dict[int, float] = {
            t: 1.0
            for t in (exact if any(t is not None for t in exact) else folded)
            if t is not None
        }
        if unfinished:
            for surface in self._with_prefix(word.surface):
                for term in self._surface_terms[surface]:
                    found.setdefault(term, PREFIX_SIMILARITY)
        if not found and len(word.surface) >= FUZZY_MIN_LENGTH and not word.surface.isdigit():
            found = self._fuzzy(word.surface)
        exact_weight = max((self._idf[t] for t in exact if t is not None), default=0.0)
        if exact_weight:  # a looser form never weighs more than the word as written
            found = {t: min(s, s * exact_weight / self._idf[t]) for t, s in found.items()}
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
        if not found and len(surface) >= FUZZY_MIN_LENGTH:
            # a short form of a longer known word ("math" for "mathematical")
            for other in self._with_prefix(surface)[:SHORT_FORM_EXPANSIONS]:
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
                if not self._compound_rest(rest, joint):
                    continue
                for term in self._surface_terms.get(part, ()):
                    found.setdefault(term, AFFIX_SIMILARITY)
            if found:
                return found
        return found

    def _compound_rest(self, rest: str, joint: str) -> bool:
        """Whether `rest`, the word beside a known word inside a longer one, reads like the
        other half of a Swedish compound: joined by a linking s ("tränings|exempel"),
        written with å/ä/ö ("hyperparameter|inställningar"), or itself a known word. So
        "javascript" does not become "script"."""
        return joint == "s" or rest in self._surface_terms or not rest.isascii()

    # --- what a resource is made of --------------------------------------------------------

    def _field_texts(self, resource: Resource) -> dict[str, list[str]]:
        """The texts of each field of `resource`, fields in `FIELD_WEIGHTS` order."""
        labels = [resource.provider, resource.id.replace("-", " ")]
        for category, key in (
            (self.catalog.kinds, resource.kind),
            (self.catalog.sections, resource.section),
            *((self.catalog.topics, topic) for topic in resource.topics),
        ):
            labels.extend(category.get(key, {}).values())
        return {
            "title": list(resource.title.values()),
            "keywords": list(resource.keywords),
            "questions": [q for qs in resource.questions.values() for q in qs],
            "description": list(resource.description.values()),
            "labels": labels,
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


class _PhraseBounds:
    """Upper bounds of every resource's phrase bonus for a question, computed at once.

    rapidfuzz's ratio is 200 * LCS / (len(a) + len(b)), and the longest common subsequence
    cannot be longer than the characters the two strings have in common, counted per
    character. Characters are counted in buckets (a-z, å, ä, ö, digits, space, the rest),
    which only loosens the bound.
    """

    BUCKETS = 32
    _SLACK = 1e-7  # rapidfuzz computes the same ratio in another order of operations

    def __init__(self, phrases: list[list[str]]) -> None:
        flat = [phrase for doc_phrases in phrases for phrase in doc_phrases]
        # Resources share phrases ("What is fine-tuning?"): each distinct one is scored once.
        position: dict[str, int] = {}
        self._distinct_of = np.array(
            [position.setdefault(phrase, len(position)) for phrase in flat], dtype=np.int64
        )
        self._distinct = list(position)
        self._distinct_array = np.array(self._distinct, dtype=object)  # gathered in C
        sizes = np.array([len(doc_phrases) for doc_phrases in phrases], dtype=np.int64)
        self._starts = np.r_[0, np.cumsum(sizes)[:-1]] if len(sizes) else sizes
        self._sizes = sizes
        lengths = np.array([len(phrase) for phrase in flat], dtype=np.int64)
        self._lengths = lengths.astype(np.float64)
        owner = np.repeat(np.arange(len(flat)), lengths)
        counts = np.bincount(
            owner * self.BUCKETS + _buckets("".join(flat)), minlength=len(flat) * self.BUCKETS
        )
        # Counts and their sums fit a byte unless a phrase is over 255 characters.
        small = not len(lengths) or lengths.max() <= np.iinfo(np.uint8).max
        self._counts = np.ascontiguousarray(
            counts.reshape(len(flat), self.BUCKETS).T, dtype=np.uint8 if small else np.uint16
        )

    def bonuses(self, query: str, docs: np.ndarray) -> np.ndarray:
        """The exact phrase bonus of each of `docs` (as `Index._phrase_bonus`), in one
        rapidfuzz call over their phrases: faster than one call per resource for many."""
        sizes = self._sizes[docs]
        picked = self._distinct_of[arrays.ranges(self._starts[docs], sizes)]
        if len(picked) * 5 > len(self._distinct) * 4:  # nearly all: no gathering
            ratios = self._ratios(query, self._distinct)[picked]
        else:
            ratios = self._ratios(query, self._distinct_array[picked])
        best = _max_per_run(ratios, np.cumsum(sizes) - sizes, sizes)
        return np.where(
            best > PHRASE_FLOOR, PHRASE_BONUS * (best - PHRASE_FLOOR) / (100.0 - PHRASE_FLOOR), 0.0
        )

    @staticmethod
    def _ratios(query: str, phrases: list[str] | np.ndarray) -> np.ndarray:
        # float64: the same numbers `process.extractOne` gives (0 where under the floor)
        return process.cdist(
            [query], phrases, scorer=fuzz.ratio, score_cutoff=PHRASE_FLOOR, dtype=np.float64
        )[0]

    def bonus_bounds(self, query: str, docs: np.ndarray) -> np.ndarray:
        """For each of `docs`, a phrase bonus at least as large as its real one for `query`."""
        wanted = np.bincount(_buckets(query), minlength=self.BUCKETS)
        if len(docs) * 4 < len(self._starts):  # few: their phrases only
            sizes = self._sizes[docs]
            starts = np.cumsum(sizes) - sizes
            picked = arrays.ranges(self._starts[docs], sizes)
            rows = [self._counts[bucket][picked] for bucket in np.flatnonzero(wanted)]
            lengths = self._lengths[picked]
        else:
            starts, sizes = self._starts, self._sizes
            rows = [self._counts[bucket] for bucket in np.flatnonzero(wanted)]
            lengths = self._lengths
        # the characters each phrase has in common with the query, counted per bucket
        common = np.zeros(len(lengths), dtype=self._counts.dtype)
        part = np.empty_like(common)
        most = np.iinfo(self._counts.dtype).max
        for row, bucket in zip(rows, np.flatnonzero(wanted), strict=True):
            np.minimum(row, min(int(wanted[bucket]), most), out=part)
            common += part
        best = _max_per_run(common / (len(query) + lengths), starts, sizes)
        if len(docs) * 4 >= len(self._starts):
            best = best[docs]
        ratio = 200.0 * best + self._SLACK
        return np.where(
            ratio > PHRASE_FLOOR, PHRASE_BONUS * (ratio - PHRASE_FLOOR) / (100.0 - PHRASE_FLOOR), 0
        )


def _held(word: _QueryWord, terms: dict[int, float]) -> float:
    """How closely a resource with `terms` holds `word`: its best expansion there, or 0."""
    return max((s for t, s in word.expansions if t in terms), default=0.0)


def _max_per_run(values: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """The largest of each run `values[start : start + size]` (0 for an empty run); the runs
    follow each other."""
    best = np.zeros(len(starts))
    filled = sizes > 0
    if filled.any():
        best[filled] = np.maximum.reduceat(values, starts[filled])
    return best


def _bucket_table() -> np.ndarray:
    table = np.full(0x110000, _PhraseBounds.BUCKETS - 1, dtype=np.uint8)
    for position, letter in enumerate("abcdefghijklmnopqrstuvwxyz"):
        table[ord(letter)] = position
    table[ord("0") : ord("9") + 1] = 26
    table[ord(" ")] = 27
    for position, letter in enumerate("åäö"):
        table[ord(letter)] = 28 + position
    return table


_BUCKET_OF = _bucket_table()


def _buckets(raw: str) -> np.ndarray:
    """The bucket of each character of `raw`."""
    return _BUCKET_OF[np.frombuffer(raw.encode("utf-32-le"), dtype=np.uint32)]


def _best_by_score(scores: np.ndarray, depth: int) -> np.ndarray:
    """A mask of the `depth` best documents by score, ties to the earlier document."""
    count = len(scores)
    if count <= depth:
        return np.ones(count, bool)
    cut = np.partition(scores, count - depth)[count - depth]
    mask = scores > cut
    mask[np.flatnonzero(scores == cut)[: depth - int(np.count_nonzero(mask))]] = True
    return mask


def _idf(document_frequency: int, document_count: int) -> float:
    """BM25's inverse document frequency: rare terms weigh more."""
    return math.log(1.0 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))


def _fuzzy_cutoff(word: str) -> float:
    """How close a spelling must be (rapidfuzz ratio) to count as the same word."""
    return next((cut for length, cut in FUZZY_CUTOFFS if len(word) <= length), FUZZY_CUTOFF)


def _phrase(raw: str) -> str:
    return " ".join(text.surface_words(raw))
