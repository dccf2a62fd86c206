"""The live corpus: every chunk the manifest names, kept in memory with a BM25 index.

Readers take a snapshot per question; the snapshot is swapped (never edited) when
the manifest's version changes, so a question is answered from one consistent index
even while `assistant index` runs beside it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from ..cite.models import RetrievedChunk
from ..index.manifest import Manifest, ManifestStore
from ..index.store import chunk_collection
from .lexical import LexicalIndex

_PAGE = 5000


@dataclass
class CorpusSnapshot:
    """One manifest version's chunks, their BM25 index, and lookups by id and article."""

    manifest: Manifest
    ids: list[str]
    texts: list[str]
    metadatas: list[dict]
    lexical: LexicalIndex
    position: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self):
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        for i, meta in enumerate(self.metadatas):
            self.by_source.setdefault(meta["source"], []).append(i)
        for rows in self.by_source.values():
            rows.sort(key=lambda i: self.metadatas[i].get("start", 0))

    def chunk(self, i: int, score: float = 0.0) -> RetrievedChunk:
        meta = self.metadatas[i]
        return RetrievedChunk(
            source=meta["source"], chunk_id=self.ids[i], score=float(score), text=self.texts[i],
            start=int(meta.get("start", 0)), end=int(meta.get("end", 0)),
            title=meta.get("title"), outlet=meta.get("outlet"), published=meta.get("published"),
        )

    def article_chunks(self, source: str) -> list[RetrievedChunk]:
        """All chunks of one article in reading order (for attribution context)."""
        return [self.chunk(i) for i in self.by_source.get(source, [])]


class LiveCorpus:
    """Loads and refreshes the snapshot of one collection."""

    def __init__(self, client, collection_name: str):
        self.collection = chunk_collection(client, collection_name)
        self.manifests = ManifestStore(client, collection_name)
        self._snapshot: CorpusSnapshot | None = None
        self._lock = threading.Lock()

    def snapshot(self) -> CorpusSnapshot:
        """The current snapshot, reloaded first if the manifest moved on."""
        version = self.manifests.version()
        current = self._snapshot
        if current is not None and current.manifest.version == version:
            return current
        with self._lock:
            if self._snapshot is None or self._snapshot.manifest.version != version:
                self._snapshot = self._load()
            return self._snapshot

    def _load(self) -> CorpusSnapshot:
        manifest = self.manifests.load()
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict] = []
        offset = 0
        while True:
            got = self.collection.get(include=["documents", "metadatas"], limit=_PAGE, offset=offset)
            if not got["ids"]:
                break
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                if meta and manifest.is_live(meta.get("source", ""), meta.get("article_hash", "")):
                    ids.append(cid)
                    texts.append(text)
                    metas.append(meta)
            offset += len(got["ids"])
            if len(got["ids"]) < _PAGE:
                break
        return CorpusSnapshot(manifest, ids, texts, metas, LexicalIndex(texts))

    def dense_search(self, snapshot: CorpusSnapshot, vector, n: int) -> list[tuple[int, float]]:
        """Nearest live chunks by cosine similarity: (snapshot row, similarity) best first."""
        if not snapshot.ids:
            return []
        got = self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=min(n + 8, max(1, self.collection.count())), include=["distances"],
        )
        hits = []
        for cid, distance in zip(got["ids"][0], got["distances"][0]):
            row = snapshot.position.get(cid)
            if row is not None:  # not live in this snapshot: written after it, or on its way out
                hits.append((row, 1.0 - float(distance)))
        return hits[:n]
