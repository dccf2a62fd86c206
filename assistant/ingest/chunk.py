"""Sentence-aware chunking with overlap; every chunk is an exact slice of the article file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .parse import Article
from .sentences import merge_quoted, split_sentences


@dataclass(frozen=True)
class Chunk:
    """A retrievable piece of an article with its place in the original text."""

    chunk_id: str
    source: str
    index: int
    text: str
    start: int
    end: int
    metadata: dict


def article_sentences(article: Article) -> list[list[tuple[int, int]]]:
    """Sentence spans of the story, one list per run (quotes kept whole)."""
    runs = []
    for run in article.body_runs:
        spans: list[tuple[int, int]] = []
        for a, b in run:
            spans.extend(merge_quoted(article.text, split_sentences(article.text, a, b)))
        runs.append(spans)
    return runs


def chunk_id(source: str, article_hash: str, index: int) -> str:
    """Stable id: the same article content always yields the same ids, so re-indexing never duplicates."""
    digest = hashlib.sha1(f"{source}\x00{article_hash}".encode("utf-8")).hexdigest()[:16]
    return f"{digest}-{index:05d}"


def chunk_article(article: Article, target_chars: int = 700, overlap_sentences: int = 1) -> list[Chunk]:
    """Pack consecutive sentences up to about target_chars, repeating the last few in the next chunk."""
    chunks: list[Chunk] = []
    base_meta = article.metadata()
    for sentences in article_sentences(article):
        i = 0
        fresh = 0  # the first sentence no chunk holds yet: every chunk takes at least one
        while i < len(sentences):
            # Keep only as much overlap as fits with the next new sentence, so a chunk is never
            # just a repeat of (a part of) the one before it.
            while i < fresh and sentences[fresh][1] - sentences[i][0] > target_chars:
                i += 1
            j = max(i, fresh)
            while j + 1 < len(sentences) and sentences[j + 1][1] - sentences[i][0] <= target_chars:
                j += 1
            start, end = sentences[i][0], sentences[j][1]
            index = len(chunks)
            meta = {**base_meta, "start": start, "end": end, "chunk_index": index}
            page = article.page_at(start)
            if page is not None:  # runs break at pages, so the whole chunk is on this page
                meta["page"] = page
            chunks.append(Chunk(chunk_id(article.source, article.content_hash, index), article.source,
                                index, article.text[start:end], start, end, meta))
            if j + 1 >= len(sentences):
                break
            fresh = j + 1
            i = max(j + 1 - overlap_sentences, i + 1)
    return chunks
