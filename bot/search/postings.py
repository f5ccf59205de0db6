"""Postings: which resources hold each term, how much it weighs there, and how rare it is.

A resource's texts are grouped in fields; a term found in the title says more about the
resource than one found in its description (`FIELD_WEIGHTS`).
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Mapping
from urllib.parse import unquote, urlsplit

import numpy as np

from bot import arrays, tokenizer
from bot.catalog import Catalog, Resource
from bot.search.terms import TermTable

# Field weights: how much a term found in that field says about the resource.
FIELD_WEIGHTS = {
    "title": 1.0,
    "keywords": 0.9,
    "questions": 0.75,
    "description": 0.55,
    "labels": 0.7,  # section, kind, topics, provider and id: what the resource is about
    "address": 0.5,  # the words of its link's path and anchor ("...#define-the-output-format")
}
_ADDRESS_PIECE = re.compile(r"[0-9A-Za-zÀ-ÿ]+")
_DIGIT = re.compile(r"[0-9]")
FILE_EXTENSIONS = frozenset({"html", "htm", "pdf", "php", "aspx", "md", "ipynb", "txt"})
MULTI_FIELD_BONUS = 0.05  # per extra field a term also appears in


class Postings:
    """Term ids (`terms`), and each term's postings (documents and weights) and idf, built
    from the texts of every (document, field) at once."""

    def __init__(
        self,
        count: int,
        tokens: tokenizer.Tokenized,
        occurrences: np.ndarray,
        sizes: np.ndarray,
    ) -> None:
        """`count` documents; `occurrences` are the text numbers (in `tokens`) of every
        (document, field), in order, and `sizes` how many texts each (document, field) has.

        numpy expands each text into its terms, giving (term, document, field) rows, and
        sorts them once: a term's weight in a document is its best field's weight plus a
        bonus for every other field it is in.
        """
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
        self.terms = TermTable.build([tokens.terms[old] for old in kept.tolist()])
        term_count = len(kept)

        # One sorted key per (term, document, field rank); then one row per (term, document).
        doc_bits = max(count.bit_length(), 1)
        rank_bits = max(len(ranked).bit_length(), 1)
        new_term = np.cumsum(used) - 1
        keys = arrays.distinct(
            (((new_term[row_terms] << doc_bits) | row_docs) << rank_bits) | row_ranks
        )
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

        # Postings by term, documents ascending; a term's weight in a document is one of a
        # few field weights, kept as its code (a byte) rather than a float.
        self.starts = np.searchsorted(post_terms, np.arange(term_count + 1)).astype(np.int64)
        self.docs = post_docs.astype(_doc_dtype(count))
        self.codes = weight_codes.astype(np.uint8)
        self.weight_of = weight_of
        frequencies = np.diff(self.starts)
        idf_of = {int(f): idf(int(f), count) for f in arrays.distinct(frequencies)}
        self.idf: np.ndarray = np.array([idf_of[f] for f in frequencies.tolist()], dtype=np.float64)
        self.unknown_weight = idf(1, max(count, 2))
        self.largest_idf = self.unknown_weight  # of a term that one resource has

    # The arrays `stored` gives and `restored` takes: what answering needs, nothing derived.
    def stored(self) -> dict[str, np.ndarray]:
        """The postings as arrays only (for the index cache: no Python objects)."""
        return {
            **self.terms.stored(),  # "terms" and "term_slots"
            "starts": self.starts,
            "docs": self.docs,
            "codes": self.codes,
            "weight_of": self.weight_of,
            "idf": self.idf,
            "scalars": np.array([self.unknown_weight, self.largest_idf]),
        }

    @classmethod
    def restored(cls, stored: Mapping[str, np.ndarray], count: int) -> Postings:
        """The postings of `count` documents that `stored` gave; ValueError when the arrays
        do not fit together."""
        postings = cls.__new__(cls)
        postings.terms = terms = TermTable.restored(stored)
        postings.starts = starts = stored["starts"]
        postings.docs = stored["docs"]
        postings.codes = stored["codes"]
        postings.weight_of = stored["weight_of"]
        postings.idf = stored["idf"]
        postings.unknown_weight, postings.largest_idf = stored["scalars"].tolist()
        if (
            len(starts) != len(terms) + 1
            or starts.dtype != np.int64
            or len(postings.idf) != len(terms)
            or not len(postings.docs) == len(postings.codes) == starts[-1]
            or (len(starts) and starts[0] != 0)
            or np.any(np.diff(starts) < 0)
            or postings.docs.dtype != _doc_dtype(count)
            or postings.codes.dtype != np.uint8
            or not arrays.indexes_within(postings.docs, count)
            or not arrays.indexes_within(postings.codes, len(postings.weight_of))
        ):
            raise ValueError("the stored postings do not fit together")
        return postings

    def term_earned(self, term_id: int, similarity: float) -> tuple[np.ndarray, np.ndarray]:
        """The documents (ascending) holding the term, and what a word reaching it with
        `similarity` earns each: by similarity, idf and field weight."""
        start, end = self.starts[term_id], self.starts[term_id + 1]
        weight_of = (similarity * self.idf[term_id]) * self.weight_of
        # `take`, not `weight_of[codes]`: indexing by uint8 is about three times slower
        return self.docs[start:end], weight_of.take(self.codes[start:end])

    def word_scores(self, expansions: tuple[tuple[int, float], ...], count: int) -> np.ndarray:
        """What a word reaching `expansions` (term, similarity) earns each of `count`
        documents: the best of its terms there (0 where it has none)."""
        best = np.zeros(count)
        for number, (term_id, similarity) in enumerate(expansions):
            docs, earned = self.term_earned(term_id, similarity)
            docs = docs.astype(np.intp)  # numpy scatters by small integer types slowly
            if number == 0:  # a term's documents are distinct: a plain scatter
                best[docs] = earned
            else:
                np.maximum.at(best, docs, earned)
        return best

    def held(self, doc: int, terms: set[int]) -> set[int]:
        """Which of `terms` document `doc` holds: a binary search in each term's postings
        (documents ascending), so no list of each document's terms is kept. `bisect` over
        memoryviews: a few terms, for which numpy's calls would cost more than the search."""
        docs, starts = memoryview(self.docs), memoryview(self.starts)
        found = set()
        for term in terms:
            end = starts[term + 1]
            at = bisect.bisect_left(docs, doc, starts[term], end)
            if at < end and docs[at] == doc:
                found.add(term)
        return found


def _doc_dtype(count: int) -> type[np.unsignedinteger]:
    """The smallest type that numbers `count` documents: postings are most of the index."""
    return np.uint16 if count <= np.iinfo(np.uint16).max + 1 else np.uint32


def field_texts(catalog: Catalog, resource: Resource) -> dict[str, list[str]]:
    """The texts of each field of `resource`, fields in `FIELD_WEIGHTS` order."""
    labels = [resource.provider, resource.id.replace("-", " ")]
    for category, key in (
        (catalog.kinds, resource.kind),
        (catalog.sections, resource.section),
        *((catalog.topics, topic) for topic in resource.topics),
    ):
        labels.extend(category.get(key, {}).values())
    return {
        "title": list(resource.title.values()),
        "keywords": list(resource.keywords),
        "questions": [q for qs in resource.questions.values() for q in qs],
        "description": list(resource.description.values()),
        "labels": labels,
        "address": [address_words(resource.url)],
    }


def address_words(url: str) -> str:
    """The words of a link's path and anchor: pages are often named after what they hold.
    The host (the provider says it), the query (settings) and parts with digits (ids,
    hashes, dates) are left out, and so are file extensions."""
    parts = urlsplit(url)
    pieces = _ADDRESS_PIECE.findall(unquote(f"{parts.path} {parts.fragment}"))
    return " ".join(
        piece
        for piece in pieces
        if piece.lower() not in FILE_EXTENSIONS and (len(piece) <= 3 or not _DIGIT.search(piece))
    )


def written_texts(resource: Resource) -> list[str]:
    """The texts whose words count as written in the catalogue (for spelling and prefix
    lookups): not the section, kind and topic names, nor the id."""
    fields = [*resource.title.values(), *resource.keywords, *resource.description.values()]
    fields.extend(q for qs in resource.questions.values() for q in qs)
    fields.append(resource.provider)
    return fields


def idf(document_frequency: int, document_count: int) -> float:
    """BM25's inverse document frequency: rare terms weigh more."""
    return math.log(1.0 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))
