"""The index of one catalogue, and how it answers: ranking, confidence, autocomplete.

A resource earns each question word's weight times how well the word matched it times the
field it was found in (`bot.search.postings`); its score is what it earned divided by what
the whole question weighs, so words the catalogue has never seen pull every score down. The
best candidates get a bonus for reading like one of the resource's titles or example
questions (`bot.search.phrases`). Whether to answer at all is the confidence model's call
(`bot.search.confidence`).

The scores come from numpy over posting lists; one partition finds the PHRASE_RERANK_DEPTH
best, and the phrase bonus of those holding a telling word is one rapidfuzz call.
`tests/oracles.py` computes the same ranking resource by resource, and the two agree
(tests/search/test_equivalence.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from bot import arrays, text, tokenizer
from bot.catalog import Catalog
from bot.memory import paused_gc
from bot.search import confidence, lengths
from bot.search.answers import NEAR_MISS_SCORE, NEAR_MISSES, Answer, Match
from bot.search.phrases import PHRASE_BONUS, PHRASE_RERANK_DEPTH, Phrases, phrase_of, phrases_of
from bot.search.postings import FIELD_WEIGHTS, Postings, field_texts, written_texts
from bot.search.vocabulary import QueryWord, Vocabulary

# The version of what `Index.stored` holds. Bump it whenever the stored layout changes or
# any rule that shapes the built index does (tokenizing, stemming, field weights, idf, which
# texts are phrases or written words...): a cached index of another version is rebuilt.
MATCHER_VERSION = 9
SCORE_SCALE = 1.0 + PHRASE_BONUS  # keeps every score within [0, 1]


@dataclass(frozen=True)
class _Scored:
    question: str
    scores: np.ndarray  # scores of every document, by id
    words: tuple[QueryWord, ...]
    total_weight: float
    # for each word, the documents it matched: their numbers ascending (a word of one
    # term), or what it earned every document, > 0 where it matched (several terms)
    word_hits: tuple[np.ndarray | None, ...] = field(default=(), repr=False)

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
        field_sizes = np.array(sizes, np.int64)
        self.postings = Postings(len(self.resources), tokens, occurrences, field_sizes)
        counts = lengths.word_counts(tokens, occurrences, field_sizes, list(FIELD_WEIGHTS))
        self._know_lengths(counts)
        written = np.zeros(len(position), bool)
        written[[position[raw] for r in self.resources for raw in written_texts(r)]] = True
        self.vocabulary = Vocabulary(self.postings, tokens, written)
        phrase_texts = [[position[raw] for raw in phrases_of(r)] for r in self.resources]
        flat = np.fromiter(itertools.chain.from_iterable(phrase_texts), np.int64)
        spaced = iter(tokens.spaced(flat))
        self.phrases = Phrases([[next(spaced) for _ in texts] for texts in phrase_texts])

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
            "lengths": {"words": self.word_counts},
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
        counts = stored["lengths.words"]
        if counts.dtype != np.int32 or len(counts) != count or (count and counts.min() < 0):
            raise ValueError("the stored lengths are not one count per resource")
        self._know_lengths(counts)

    def _know_lengths(self, counts: np.ndarray) -> None:
        """Each resource's words in its title and description, and what that leaves its
        words to earn (`bot.search.lengths`)."""
        self.word_counts = counts
        self.length_factors = lengths.factors(counts)

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
        """Every document's score: what each word earned it, over what the whole question
        weighs. A word of one term earns its postings (summed, for all such words, in one
        `bincount`); a word of several earns the best of them in each document, which is
        a dense array (`Postings.word_scores`)."""
        words, total = self.vocabulary.query_words(question, partial)
        count = len(self.resources)
        word_hits: list[np.ndarray | None] = []
        sparse_docs, sparse_earned, dense = [], [], []
        for word in words:
            if not word.expansions:
                word_hits.append(None)
            elif len(word.expansions) == 1:
                docs, earned = self.postings.term_earned(*word.expansions[0])
                word_hits.append(docs)
                sparse_docs.append(docs)
                sparse_earned.append(earned)
            else:
                best = self.postings.word_scores(word.expansions, count)
                word_hits.append(best)
                dense.append(best)
        if sparse_docs:
            scores = np.bincount(
                np.concatenate(sparse_docs), np.concatenate(sparse_earned), minlength=count
            )
        else:
            scores = np.zeros(count)
        for best in dense:
            scores += best
        scores *= self.length_factors
        if total:
            scores /= total
        return _Scored(question, scores, words, total, tuple(word_hits))

    def _top(self, scored: _Scored, limit: int, with_phrases: bool) -> list[Match]:
        """The `limit` best resources, best first, ties to the earlier one. A phrase bonus
        only ever goes to one of the PHRASE_RERANK_DEPTH best by score that holds a telling
        word, so the final best are among those: everything past the one partition is done
        on them alone."""
        if len(scored.scores) == 0 or limit <= 0:
            return []
        depth = max(limit, PHRASE_RERANK_DEPTH) if with_phrases else limit
        docs = _best_by_score(scored.scores, depth)
        final = scored.scores[docs]  # a copy
        held = _holders(scored.word_hits, docs)  # [word, position in docs]
        query = phrase_of(scored.question) if with_phrases else ""
        if query and held.size:
            telling = np.array([w.evidence > 0 for w in scored.words])
            allowed = np.flatnonzero(held[telling].any(axis=0)[:PHRASE_RERANK_DEPTH])
            if len(allowed):
                final[allowed] += self.phrases.bonuses(query, docs[allowed])
        final = final / SCORE_SCALE
        order = np.lexsort((docs, -final))[:limit]
        surfaces = [w.surface for w in scored.words]
        return [
            Match(
                self.resources[doc],
                score,
                tuple(surface for surface, has in zip(surfaces, has_word, strict=True) if has),
            )
            for doc, score, has_word in zip(
                docs[order].tolist(), final[order].tolist(), held[:, order].T.tolist(), strict=True
            )
        ]

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


def _holders(word_hits: tuple[np.ndarray | None, ...], docs: np.ndarray) -> np.ndarray:
    """For each word (its hits, as `_Scored.word_hits`) and each of `docs`: whether the
    document holds the word."""
    held = np.zeros((len(word_hits), len(docs)), bool)
    as_hits: np.ndarray | None = None  # `docs` in the postings' type: no cast of `hits`
    for row, hits in enumerate(word_hits):
        if hits is None or not len(hits):
            continue
        if hits.dtype.kind == "f":  # what it earned every document (numbers are integers)
            held[row] = hits[docs] > 0
        else:  # the documents it matched, ascending
            if as_hits is None or as_hits.dtype != hits.dtype:
                as_hits = docs.astype(hits.dtype)
            held[row] = arrays.in_sorted(hits, as_hits)
    return held


def _best_by_score(scores: np.ndarray, depth: int) -> np.ndarray:
    """The `depth` best documents by score, best first, ties to the earlier document.

    The best of each of `depth` groups of documents are `depth` different documents, so
    the `depth`-th best score is at least the lowest of them: only the few documents that
    reach it are partitioned. Scores are never negative: when that lowest is 0, the
    documents that scored at all are looked at, and if they are too few, the first that
    scored nothing fill up."""
    count = len(scores)
    if count <= depth:
        docs = np.arange(count)
    else:
        floor = _lowest_group_best(scores, depth)
        docs = np.flatnonzero(scores >= floor if floor > 0 else scores > 0)
        if len(docs) <= depth:
            docs = np.concatenate([docs, _first_equal(scores, 0.0, depth - len(docs))])
        else:
            values = scores[docs]
            cut = np.partition(values, len(values) - depth)[len(values) - depth]
            kept = values >= cut
            docs, values = docs[kept], values[kept]
            if len(docs) > depth:  # ties at the cut: the earlier documents
                above = values > cut
                docs = np.concatenate([docs[above], docs[~above][: depth - int(above.sum())]])
    return docs[np.lexsort((docs, -scores[docs]))]


def _lowest_group_best(scores: np.ndarray, groups: int) -> float:
    """The lowest of the best scores of `groups` groups of documents (document `i` is in
    group `i % groups`; the last few may be left out), each group's best being another
    document. Rows of `groups` are first folded `fold` at a time with whole-array maxima:
    numpy reduces rows that short slowly."""
    fold = max(len(scores) // (groups * 16), 1)
    size = len(scores) - len(scores) % (groups * fold)
    folded = scores[:size].reshape(fold, -1).max(axis=0)  # position i: best of i + k * len
    return float(folded.reshape(-1, groups).max(axis=0).min())


def _first_equal(values: np.ndarray, value: float, wanted: int, chunk: int = 4096) -> np.ndarray:
    """The first `wanted` positions holding `value`, looked for a chunk at a time: most
    documents often scored nothing, and only a few of them are wanted."""
    found: list[np.ndarray] = []
    for start in range(0, len(values), chunk):
        if wanted <= 0:
            break
        here = np.flatnonzero(values[start : start + chunk] == value)[:wanted] + start
        found.append(here)
        wanted -= len(here)
    return np.concatenate(found) if found else np.zeros(0, np.int64)
