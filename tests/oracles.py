"""Simple forms of the product's fast rules, for the tests to check the fast ones against.

`rank_exhaustively` is `Index.rank` computed resource by resource: every resource's score
from its own terms, the phrase bonus for each of the best that holds a telling word, no
postings, partitions or batches. `terms_of_texts` is the tokenizer's terms, text by text.
"""

from __future__ import annotations

import itertools
from collections import Counter
from functools import cache

import numpy as np

from bot import text
from bot.search import Index, Match
from bot.search.index import SCORE_SCALE
from bot.search.phrases import PHRASE_RERANK_DEPTH, phrase_of
from bot.tokenizer import JOIN_MIN_TEXTS


@cache
def terms_by_document(index: Index) -> list[dict[int, float]]:
    """Each document's terms and their weights, read off the postings term by term."""
    postings = index.postings
    found: list[dict[int, float]] = [{} for _ in index.resources]
    weights = postings.weight_of[postings.codes].tolist()
    docs = postings.docs.tolist()
    starts = postings.starts.tolist()
    for term in range(len(starts) - 1):
        for at in range(starts[term], starts[term + 1]):
            found[docs[at]][term] = weights[at]
    return found


def rank_exhaustively(index: Index, question: str, limit: int = 5) -> list[Match]:
    """`index.rank(question, limit)`, computed the slow, obvious way."""
    words, total = index.vocabulary.query_words(question, partial=False)
    query = phrase_of(question)
    idf = index.postings.idf
    base: list[tuple[float, int, bool]] = []
    for doc in range(len(index.resources)):
        terms = terms_by_document(index)[doc]
        earned = 0.0
        for word in words:
            earned += max(
                (sim * idf[t] * terms[t] for t, sim in word.expansions if t in terms),
                default=0.0,
            )
        telling = any(w.evidence > 0 and any(t in terms for t, _ in w.expansions) for w in words)
        earned *= index.length_factors[doc]
        base.append((earned / total if total else 0.0, doc, telling))
    by_score = sorted(base, key=lambda item: (-item[0], item[1]))
    ranked = []
    for position, (score, doc, telling) in enumerate(by_score):
        if telling and position < PHRASE_RERANK_DEPTH:
            score += float(index.phrases.bonuses(query, np.array([doc]))[0])
        ranked.append((-score / SCORE_SCALE, doc))
    ranked.sort()
    matches = []
    for negative, doc in ranked[:limit]:
        terms = terms_by_document(index)[doc]
        matched = tuple(w.surface for w in words if any(t in terms for t, _ in w.expansions))
        matches.append(Match(index.resources[doc], -negative, matched))
    return matches


def terms_of_texts(texts: list[list[str]]) -> list[set[str]]:
    """The terms each text (split into `text.surface_words`) puts into the index: its words'
    stems, and its joined neighbours' where the pair is a term of the catalogue (written as
    one word in some text, or found in `tokenizer.JOIN_MIN_TEXTS` texts or more)."""
    pairs_of = [
        {left + right for left, right in itertools.pairwise(words) if text.joinable(left, right)}
        for words in texts
    ]
    texts_with = Counter(pair for pairs in pairs_of for pair in pairs)
    written = {word for words in texts for word in words}
    found = []
    for words, pairs in zip(texts, pairs_of, strict=True):
        kept = [p for p in pairs if p in written or texts_with[p] >= JOIN_MIN_TEXTS]
        terms = {t for word in [*words, *kept] for t in text.stems(word)}
        # A folded term equal to an unfolded one adds nothing: a question reaches it anyway.
        found.append({t for t in terms if not (t[:1] == text.FOLDED and t[1:] in terms)})
    return found
