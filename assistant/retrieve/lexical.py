"""BM25 over chunk texts, with the same term normalisation as the answer composer.

The scores are bm25s's "lucene" BM25 (k1=1.5, b=0.75), computed here with vectorised
numpy so the index scales to 100k+ chunks: building it from term ids takes a fraction of
a second, a query adds up only the posting lists of its terms, and the arrays can be saved
next to the store and loaded back (memory-mapped) instead of re-tokenising every chunk at
start-up. Rankings are the same as bm25s's on the same texts.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from .text import expand_terms, terms

K1 = 1.5
B = 0.75
_EMPTY = "_empty_"  # the one token of a chunk with no content words, as before


class Vocabulary:
    """Term -> id, only ever growing (ids stay valid across incremental rebuilds)."""

    def __init__(self, words: Iterable[str] = ()):
        self.words: list[str] = []
        self.ids: dict[str, int] = {}
        for word in words:
            self.add(word)

    def add(self, word: str) -> int:
        got = self.ids.get(word)
        if got is None:
            got = self.ids[word] = len(self.words)
            self.words.append(word)
        return got

    def encode(self, tokens: list[str]) -> np.ndarray:
        add = self.add
        return np.fromiter((add(t) for t in tokens), dtype=np.int32, count=len(tokens))

    def __len__(self) -> int:
        return len(self.words)


class _DocFreq(Mapping):
    """Read-only term -> number of chunks holding it (terms in no chunk are absent)."""

    def __init__(self, vocab: Vocabulary, df: np.ndarray):
        self._vocab, self._df = vocab, df

    def __getitem__(self, term: str) -> int:
        i = self._vocab.ids.get(term)
        if i is None or i >= len(self._df) or not self._df[i]:
            raise KeyError(term)
        return int(self._df[i])

    def get(self, term, default=None):
        try:
            return self[term]
        except KeyError:
            return default

    def __contains__(self, term) -> bool:
        i = self._vocab.ids.get(term)
        return i is not None and i < len(self._df) and bool(self._df[i])

    def __iter__(self):
        return (w for w, n in zip(self._vocab.words, self._df) if n)

    def __len__(self) -> int:
        return int(np.count_nonzero(self._df))


def tokenize(texts: Iterable[str], vocab: Vocabulary) -> list[np.ndarray]:
    """Term ids of each text (a text with no content words becomes the one token '_empty_')."""
    return [vocab.encode(terms(t) or [_EMPTY]) for t in texts]


_IDF_MEMO = 50_000  # remembered term weights; an index never changes once built


class LexicalIndex:
    """A BM25 index of a fixed list of texts; rows are positions in that list."""

    def __init__(self, texts: list[str] | None = None, *, _arrays: dict | None = None):
        if _arrays is None:
            vocab = Vocabulary()
            _arrays = build_arrays(tokenize(texts or [], vocab), vocab)
        self.vocab: Vocabulary = _arrays["vocab"]
        self.size: int = int(_arrays["size"])
        self._data: np.ndarray = _arrays["data"]  # BM25 weight of (term, chunk), grouped by term
        self._rows: np.ndarray = _arrays["rows"]  # chunk of each weight
        self._indptr: np.ndarray = _arrays["indptr"]  # term t's postings: [indptr[t], indptr[t+1])
        self._df = np.diff(self._indptr)
        self.doc_freq: Mapping[str, int] = _DocFreq(self.vocab, self._df)
        self._idf: dict[str, float] = {}  # answering weighs the same few question words thousands of times

    # -- building -------------------------------------------------------------
    @classmethod
    def from_token_ids(cls, docs: list[np.ndarray], vocab: Vocabulary) -> "LexicalIndex":
        """From each chunk's term ids (see tokenize): no re-tokenising on incremental updates."""
        return cls(_arrays=build_arrays(docs, vocab))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.save(folder / "bm25_data.npy", np.asarray(self._data))
        np.save(folder / "bm25_rows.npy", np.asarray(self._rows))
        np.save(folder / "bm25_indptr.npy", np.asarray(self._indptr))
        (folder / "bm25_vocab.json").write_text(json.dumps({"size": self.size, "words": self.vocab.words}),
                                                encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, vocab: Vocabulary | None = None, mmap: bool = True) -> "LexicalIndex":
        mode = "r" if mmap else None
        meta = json.loads((folder / "bm25_vocab.json").read_text(encoding="utf-8"))
        return cls(_arrays={
            "vocab": vocab if vocab is not None else Vocabulary(meta["words"]), "size": meta["size"],
            "data": np.load(folder / "bm25_data.npy", mmap_mode=mode),
            "rows": np.load(folder / "bm25_rows.npy", mmap_mode=mode),
            "indptr": np.load(folder / "bm25_indptr.npy", mmap_mode=mode),
        })

    # -- reading --------------------------------------------------------------
    def idf(self, term: str) -> float:
        """BM25-style inverse document frequency; unseen terms get the highest weight."""
        weight = self._idf.get(term)
        if weight is None:
            df = self.doc_freq.get(term, 0)
            weight = math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))
            if len(self._idf) >= _IDF_MEMO:
                self._idf.clear()
            self._idf[term] = weight
        return weight

    def knows(self, term: str) -> bool:
        return term in self.doc_freq

    def scores(self, query_terms: list[str]) -> np.ndarray:
        """BM25 score of every row for these (already normalised) terms."""
        scores = np.zeros(self.size, dtype=np.float32)
        ids = self.vocab.ids
        for term in query_terms:
            t = ids.get(term)
            if t is None or t + 1 >= len(self._indptr):
                continue
            start, end = int(self._indptr[t]), int(self._indptr[t + 1])
            if end > start:  # a chunk appears once per term: plain fancy-index addition is exact
                scores[self._rows[start:end]] += self._data[start:end]
        return scores

    def search(self, query: str, n: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(row, BM25 score) best first; rows with score 0, or outside `allowed` (a boolean mask
        of rows a filter lets through), are left out."""
        query_terms = expand_terms(terms(query))
        if not self.size or not query_terms:
            return []
        scores = self.scores(query_terms)
        if allowed is not None:
            scores[~allowed] = 0.0
        k = min(n, self.size)
        top = np.argpartition(scores, -k)[-k:]
        top_scores = scores[top]
        order = np.flip(np.argsort(top_scores))  # the same selection as bm25s: same order on ties
        return [(int(r), float(s)) for r, s in zip(top[order], top_scores[order]) if s > 0]


def build_arrays(docs: list[np.ndarray], vocab: Vocabulary, block: int = 8192) -> dict:
    """bm25s 'lucene' weights for term-id documents, as term-grouped posting arrays.

    Works through the documents in blocks, so the transient memory stays a few tens of MB
    at 100k+ chunks; the arithmetic is bm25s's, step for step, so scores match bit for bit.
    """
    n_docs = len(docs)
    n_vocab = len(vocab)
    if not n_docs:
        return {"vocab": vocab, "size": 0, "data": np.zeros(0, np.float32), "rows": np.zeros(0, np.int32),
                "indptr": np.zeros(n_vocab + 1, np.int64)}
    lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=n_docs)
    # 1. (chunk, term, term frequency) of every distinct pair, block by block.
    pair_doc, pair_term, pair_tf = [], [], []
    for lo in range(0, n_docs, block):
        part = docs[lo:lo + block]
        counts = np.fromiter((len(d) for d in part), dtype=np.int64, count=len(part))
        flat = np.concatenate(part).astype(np.int64)
        local = np.repeat(np.arange(len(part), dtype=np.int64), counts)
        keys, tf = np.unique(local * n_vocab + flat, return_counts=True)
        pair_doc.append((keys // n_vocab + lo).astype(np.int32))
        pair_term.append((keys % n_vocab).astype(np.int32))
        pair_tf.append(tf.astype(np.int32))
        del flat, local, keys, tf
    docs_of = np.concatenate(pair_doc)
    terms_of = np.concatenate(pair_term)
    tfs = np.concatenate(pair_tf)
    del pair_doc, pair_term, pair_tf
    df = np.bincount(terms_of, minlength=n_vocab)
    # 2. idf as bm25s computes it: Python floats, stored as float32.
    idf = np.array([math.log(1 + (n_docs - d + 0.5) / (d + 0.5)) if d else 0.0 for d in df.tolist()],
                   dtype=np.float32)
    avg_len = lengths.mean()
    # 3. weights, in float64 like bm25s, stored as float32; then grouped by term (stable: by chunk within a term).
    weights = np.empty(len(tfs), dtype=np.float32)
    for lo in range(0, len(tfs), 1 << 20):
        hi = lo + (1 << 20)
        tf = tfs[lo:hi].astype(np.float32).astype(np.float64)
        denom = K1 * ((1 - B) + (B * lengths[docs_of[lo:hi]].astype(np.float64)) / avg_len)
        weights[lo:hi] = idf[terms_of[lo:hi]].astype(np.float64) * (tf / (denom + tf))
    del tfs
    order = np.argsort(terms_of, kind="stable")
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return {"vocab": vocab, "size": n_docs, "data": weights[order], "rows": docs_of[order], "indptr": indptr}
