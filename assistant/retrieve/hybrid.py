"""Hybrid retrieval: dense (Chroma) and lexical (BM25) rankings fused by reciprocal rank,
then a per-article cap so an answer spread over several articles reaches all of them.

Date and outlet filters restrict both rankings before fusion (see filters.py); a question
about the present ("latest", "this week") lifts newer articles among the fused candidates."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ..types import RetrievedChunk, SearchFilters
from . import filters as row_filters
from .corpus import CorpusSnapshot, LiveCorpus


def reciprocal_rank_fusion(rankings: list[tuple[list[int], float]], rrf_k: int) -> dict[int, float]:
    """Fuse ranked lists of rows: each contributes weight / (rrf_k + rank)."""
    fused: dict[int, float] = {}
    for rows, weight in rankings:
        for rank, row in enumerate(rows, start=1):
            fused[row] = fused.get(row, 0.0) + weight / (rrf_k + rank)
    return fused


def cap_per_article(ordered: list[int], snapshot: CorpusSnapshot, k: int, cap: int) -> list[int]:
    """Take rows best first, at most `cap` from one article, until k are chosen."""
    taken: list[int] = []
    per_article: dict[str, int] = {}
    for row in ordered:
        source = snapshot.metadatas[row]["source"]
        if per_article.get(source, 0) >= cap:
            continue
        per_article[source] = per_article.get(source, 0) + 1
        taken.append(row)
        if len(taken) == k:
            break
    return taken


class HybridRetriever(BaseRetriever):
    """LangChain retriever over the live corpus; `retrieve()` also returns the snapshot used."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    corpus: Any
    embeddings: Any
    k: int = 6
    candidate_k: int = 24
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.4
    max_chunks_per_article: int = 3
    recency_boost: float = 1.0

    @classmethod
    def from_settings(cls, corpus: LiveCorpus, embeddings, settings) -> "HybridRetriever":
        return cls(
            corpus=corpus, embeddings=embeddings, k=settings.k, candidate_k=settings.candidate_k,
            rrf_k=settings.rrf_k, dense_weight=settings.dense_weight, lexical_weight=settings.lexical_weight,
            max_chunks_per_article=settings.max_chunks_per_article,
            recency_boost=getattr(settings, "recency_boost", 1.0),
        )

    def retrieve(self, query: str, k: int | None = None,
                 filters: SearchFilters | None = None) -> tuple[CorpusSnapshot, list[RetrievedChunk]]:
        k = k or self.k
        snapshot = self.corpus.snapshot()
        if not snapshot.ids:
            return snapshot, []
        wanted = row_filters.normalise(filters)
        only = row_filters.build(snapshot, wanted) if wanted else None
        if only is not None and only.empty:
            return snapshot, []
        mask, where = (only.mask, only.where) if only is not None else (None, None)
        n = max(self.candidate_k, k)
        dense = self.corpus.dense_search(snapshot, self.embeddings.embed_query(query), n, where=where,
                                         allowed=mask) if self.dense_weight else []
        lexical = snapshot.lexical.search(query, n, allowed=mask) if self.lexical_weight else []
        fused = reciprocal_rank_fusion(
            [([r for r, _ in dense], self.dense_weight), ([r for r, _ in lexical], self.lexical_weight)], self.rrf_k,
        )
        if self.recency_boost and row_filters.wants_recent(query):
            # Up to one top-ranked list's worth for the newest candidate: enough to choose the newer of
            # two articles that both answer, not to lift an off-topic one over a relevant one.
            for row, share in row_filters.recency_bonus(list(fused), snapshot).items():
                fused[row] += self.recency_boost * share / (self.rrf_k + 1)
        ordered = sorted(fused, key=lambda row: -fused[row])
        rows = cap_per_article(ordered, snapshot, k, self.max_chunks_per_article)
        return snapshot, [snapshot.chunk(row, fused[row]) for row in rows]

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        _, chunks = self.retrieve(query)
        return [
            Document(
                id=c.chunk_id, page_content=c.text,
                metadata={"source": c.source, "chunk_id": c.chunk_id, "score": c.score, "start": c.start,
                          "end": c.end, "title": c.title, "outlet": c.outlet, "published": c.published,
                          "author": c.author, "url": c.url, "page": c.page},
            )
            for c in chunks
        ]
