"""BM25 over chunk texts (bm25s), with the same term normalisation as the answer composer."""

from __future__ import annotations

import logging
import math
from collections import Counter

import bm25s

from .text import expand_terms, terms

logging.getLogger("bm25s").setLevel(logging.WARNING)


class LexicalIndex:
    """A BM25 index of a fixed list of texts; rows are positions in that list."""

    def __init__(self, texts: list[str]):
        self.size = len(texts)
        self._bm25 = bm25s.BM25()
        tokenized = [terms(t) or ["_empty_"] for t in texts]
        self.doc_freq: Counter[str] = Counter(t for doc in tokenized for t in set(doc))
        if texts:
            self._bm25.index(tokenized, show_progress=False)

    def idf(self, term: str) -> float:
        """BM25-style inverse document frequency; unseen terms get the highest weight."""
        df = self.doc_freq.get(term, 0)
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))

    def knows(self, term: str) -> bool:
        return term in self.doc_freq

    def search(self, query: str, n: int) -> list[tuple[int, float]]:
        """(row, BM25 score) best first; rows with score 0 are left out."""
        query_terms = expand_terms(terms(query))
        if not self.size or not query_terms:
            return []
        rows, scores = self._bm25.retrieve([query_terms], k=min(n, self.size), show_progress=False, n_threads=1)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0]) if s > 0]
