"""Sentence vectors with a bounded cache: an article's sentences are embedded once, not per question."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

from .attribution import Unit


class SentenceVectors:
    """Embeds the question and the candidate sentences, reusing vectors of sentences seen before.

    Keys name the article version (the chunk id prefix hashes source and content) and the
    sentence offsets, so an edited article never reuses a stale vector.
    """

    def __init__(self, embeddings, capacity: int = 20_000):
        self.embeddings = embeddings
        self.capacity = capacity
        self._cache: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(unit: Unit) -> tuple:
        version = unit.chunk.chunk_id.rsplit("-", 1)[0] if unit.chunk and unit.chunk.chunk_id else unit.source
        return (version, unit.start, unit.end)

    def embed(self, question: str, units: list[Unit]) -> tuple[np.ndarray, np.ndarray]:
        keys = [self.key(u) for u in units]
        with self._lock:
            cached = {k: self._cache[k] for k in keys if k in self._cache}
            for k in cached:
                self._cache.move_to_end(k)
            question_vec = self._cache.get(("question", question))
        missing = [i for i, k in enumerate(keys) if k not in cached]
        # Each text alone: an int8 graph quantises each batch with its own scale, so a sentence's vector
        # would depend on its batch-mates (and an answer on what was cached); alone, it never does.
        texts = ([] if question_vec is not None else [question]) + [units[i].text for i in missing]
        fresh = np.asarray(self.embeddings.embed_each(texts)) if texts else np.zeros((0, 0))
        if question_vec is None:
            question_vec, fresh = fresh[0], fresh[1:]
        with self._lock:
            self._cache[("question", question)] = question_vec  # read again by the second reading
            for row, i in enumerate(missing):
                self._cache[keys[i]] = fresh[row]
            while len(self._cache) > self.capacity:
                self._cache.popitem(last=False)
        position = {i: row for row, i in enumerate(missing)}
        dims = question_vec.shape[0]
        matrix = np.empty((len(units), dims), dtype=np.float32)
        for i, key in enumerate(keys):
            matrix[i] = cached[key] if key in cached else fresh[position[i]]
        return question_vec, matrix
