"""The index of one catalogue, and how it answers: ranking, confidence, autocomplete.

A resource earns each question word's weight times how well the word matched it times the
field it was found in (`bot.search.postings`); its score is what it earned divided by what
the whole question weighs, so words the catalogue has never seen pull every score down. The
best candidates get a bonus for reading like one of the resource's titles or example
questions (`bot.search.phrases`). Whether to answer at all is the confidence model's call
(`bot.search.confidence`).

The scores come from numpy over posting lists, and the phrase bonus is computed only for
resources that could still reach the top: best candidates first, stopping when no other can
enter; with many candidates, a cheap upper bound of each one's bonus (characters in common)
rules most out, and the rest are scored in one rapidfuzz call. `tests/oracles.py` computes
the same ranking resource by resource, and the two agree (tests/test_search_equivalence.py).
"""

from __future__ import annotations

import bisect
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from bot import text, tokenizer
from bot.catalog import Catalog
from bot.memory import paused_gc
from bot.search import confidence
from bot.search.answers import NEAR_MISS_SCORE, NEAR_MISSES, Answer, Match
from bot.search.phrases import PHRASE_BONUS, PHRASE_RERANK_DEPTH, Phrases, phrase_of, phrases_of
from bot.search.postings import Postings, field_texts, written_texts
from bot.search.vocabulary import QueryWord, Vocabulary

# The version of what `Index.stored` holds. Bump it whenever the stored layout changes or
# any rule that shapes the built index does (tokenizing, stemming, field weights, idf, which
# texts are phrases or written words...): a cached index of another version is rebuilt.
MATCHER_VERSION = 3
SCORE_SCALE = 1.0 + PHRASE_BONUS  # keeps every score within [0, 1]
BOUND_PHRASES_FROM = 256  # with more candidates than this, bound their phrase bonus first
ONE_BY_ONE_UP_TO = 256  # up to this many, candidates' phrase bonus is computed one by one


@dataclass(frozen=True)
class _Scored:
    question: str
    scores: np.ndarray  # scores of every document, by id
    words: tuple[QueryWord, ...]
    total_weight: float
    # for each word, what it earned each document (None: nothing); > 0 where it matched
    word_scores: tuple[np.ndarray | None, ...] = field(default=(), repr=False)
    # documents that may earn a phrase bonus: among the PHRASE_RERANK_DEPTH best by score,
    # and containing a telling word of the question
    phrase_eligible: np.ndarray = field(default_factory=lambda: np.zeros(0, bool), repr=False)

    @cached_property
    def terms(self) -> set[int]:
        """Every index term the question's words reach."""
        return {t for word in self.words for t, _ in word.expansions}


class Index:
    """A searchable index of one catalogue. Build it once per catalogue; it is read-only."""

    def __init__(self, catalog: Catalog, stored: Mapping[str, np.ndarray] | None = None) -> None:
        """Index `catalog`, or take the index of it that `stored` (see `stored`) holds."""
        self.catalog = catalog
        self.resources = catalog.resources
        self._position = {resource.id: doc for doc, resource in enumerate(self.resources)}
        with paused_gc():
            if stored is None:
                self._build()
            else:
                self._restore(stored)

    def _build(self) -> None:
        """Postings, vocabulary and phrases of every resource. Each distinct text is split
        into words and terms once, all texts at once (`bot.tokenizer`)."""
        texts: list[str] = []  # the texts of each (document, field), documents in order
        sizes: list[int] = []  # texts per (document, field)
        for resource in self.resources:
            for one_field in field_texts(self.catalog, resource).values():
                texts += one_field
                sizes.append(len(one_field))
        position = {raw: number for number, raw in enumerate(dict.fromkeys(texts))}
        occurrences = np.fromiter(map(position.__getitem__, texts), np.int64, len(texts))
        tokens = tokenizer.tokenize(list(position))
        self.postings = Postings(
            len(self.resources), tokens, occurrences, np.array(sizes, np.int64)
        )
        written = np.zeros(len(position), bool)
        written[[position[raw] for r in self.resources for raw in written_texts(r)]] = True
        self.vocabulary = Vocabulary(self.postings, tokens, written)
        self.phrases = Phrases(
            [
                [" ".join(tokens.words_of(position[p])) for p in phrases_of(resource)]
                for resource in self.resources
            ]
        )

    @classmethod
    def build(cls, catalog: Catalog) -> Index:
        """Index every resource of `catalog`."""
        return cls(catalog)

    @classmethod
    def restored(cls, catalog: Catalog, stored: Mapping[str, np.ndarray]) -> Index:
        """The index of `catalog` that `stored` holds, answering exactly as one built again.
        Raises ValueError or KeyError when the arrays are not an index of that many
        resources (whether they are of this catalogue is the caller's to know)."""
        return cls(catalog, stored)

    def stored(self) -> dict[str, np.ndarray]:
        """Everything the index answers from, as named numpy arrays of numbers and bytes:
        saved with `np.savez` and read with `allow_pickle=False`, it runs no code."""
        parts = {
            "postings": self.postings.stored(),
            "vocabulary": self.vocabulary.stored(),
            "phrases": self.phrases.stored(),
        }
        return {
            f"{part}.{name}": array
            for part, named in parts.items()
            for name, array in named.items()
        }

    def _restore(self, stored: Mapping[str, np.ndarray]) -> None:
        def part(prefix: str) -> dict[str, np.ndarray]:
            start = f"{prefix}."
            return {k[len(start) :]: v for k, v in stored.items() if k.startswith(start)}

        count = len(self.resources)
        self.postings = Postings.restored(part("postings"), count)
        self.vocabulary = Vocabulary.restored(self.postings, part("vocabulary"))
        self.phrases = Phrases.restored(part("phrases"), count)

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
            and self._evidence(scored.words, self._held_terms(scored, m)) > 0
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

    # --- scoring ---------------------------------------------------------------------------

    def _score(self, question: str, partial: bool) -> _Scored:
        words, total = self.vocabulary.query_words(question, partial)
        count = len(self.resources)
        scores = np.zeros(count)
        shares_telling_word = np.zeros(count, bool)
        word_scores: list[np.ndarray | None] = []
        for word in words:
            if not word.expansions:
                word_scores.append(None)
                continue
            best = self.postings.word_scores(word.expansions, count)
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
        query = phrase_of(scored.question)
        allowed = scored.phrase_eligible
        if not query or not allowed.any():
            order = np.lexsort((candidates, -base))[:limit]
            return [(float(base[i] / SCORE_SCALE), int(candidates[i])) for i in order]
        if len(candidates) > BOUND_PHRASES_FROM:
            # only the eligible few (PHRASE_RERANK_DEPTH at most) can earn a bonus
            eligible = allowed[candidates]
            bonus_bound = np.zeros(len(candidates))
            bonus_bound[eligible] = self.phrases.bonus_bounds(query, candidates[eligible])
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
                bonus = self.phrases.bonuses(query, docs) * allowed[docs]
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
            bonus = self.phrases.bonus(query, doc) if allowed[doc] else 0.0
            score = float((base[i] + bonus) / SCORE_SCALE)
            if len(best) < limit or (-score, doc) < (-best[-1][0], best[-1][1]):
                bisect.insort(best, (score, doc), key=lambda pair: (-pair[0], pair[1]))
                del best[limit:]
        return best

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
        terms = self._held_terms(scored, best)
        telling = [w for w in scored.words if w.evidence > 0]
        unknown = [w for w in scored.words if not w.expansions and w.weight > 0]
        rarest = max(
            (self.postings.idf[t] * s for w in telling for t, s in w.expansions if t in terms),
            default=0.0,
        )
        return confidence.Signals(
            best_score=best.score,
            margin=(best.score - second) / best.score,
            telling_share=self._evidence(telling, terms),
            unknown_share=sum(w.weight for w in unknown) / (scored.total_weight or 1.0),
            telling_words=len(telling),
            unknown_words=len(unknown),
            rarest_match=rarest / self.postings.largest_idf,
            matched_telling_words=sum(1 for w in telling if _held(w, terms) > 0),
        )

    def _held_terms(self, scored: _Scored, match: Match) -> set[int]:
        """The question's terms that `match`'s resource holds."""
        return self.postings.held(self._position[match.resource.id], scored.terms)

    def _evidence(self, words: Iterable[QueryWord], terms: Container[int]) -> float:
        """The share of the question's telling words that a resource holds (`terms`: those
        of its terms the question reaches)."""
        total = sum(w.evidence for w in words)
        if not total:
            return 0.0
        return sum(w.evidence * _held(w, terms) for w in words) / total


def _held(word: QueryWord, terms: Container[int]) -> float:
    """How closely a resource holding `terms` holds `word`: its best expansion there, or 0."""
    return max((s for t, s in word.expansions if t in terms), default=0.0)


def _best_by_score(scores: np.ndarray, depth: int) -> np.ndarray:
    """A mask of the `depth` best documents by score, ties to the earlier document."""
    count = len(scores)
    if count <= depth:
        return np.ones(count, bool)
    cut = np.partition(scores, count - depth)[count - depth]
    mask = scores > cut
    mask[np.flatnonzero(scores == cut)[: depth - int(np.count_nonzero(mask))]] = True
    return mask
