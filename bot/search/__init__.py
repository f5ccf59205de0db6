"""The matcher: finds the resources that answer a question, and says when none does.

- `vocabulary`: the question's words, the index terms each reaches, and their weights.
- `bounded`: the cache the vocabulary keeps question words in, emptied past a budget.
- `terms`: the index's terms and their ids, compactly (a bytes blob and a hash table).
- `postings`: which resources hold each term, in which field, and how rare it is.
- `lengths`: how much a resource's long text tempers what its words earn (BM25's b).
- `phrases`: the bonus for reading like a resource's title or example question.
- `confidence`: whether the best resource answers the question at all.
- `index`: the `Index` of one catalogue, which puts them together (`ask`, `autocomplete`).
- `answers`: what it returns (`Answer`, `Match`).
"""

from bot.search.answers import NEAR_MISS_SCORE, Answer, Match
from bot.search.index import Index

__all__ = ["NEAR_MISS_SCORE", "Answer", "Index", "Match"]
