"""What a reader hands the indexer: one citable article's text and what the file said about it.

A file can hold one article (.txt, .md, .html, .pdf) or many (a .jsonl/.json archive).
Every article is known by a source id and its text is the exact string the index stores,
so a citation's `start`/`end` are offsets into `Document.text`:

| format | source id | `text` (what offsets point into) |
| --- | --- | --- |
| .txt / .md | the path relative to the corpus folder | the file's UTF-8 text, front matter included |
| .html | the path | the main text trafilatura extracts, paragraphs separated by a blank line |
| .pdf | the path | the text of each page, pages joined by a blank line; `page_starts` maps offsets to pages |
| .jsonl / .json | path + "#" + record number (line number for JSONL, 1-based) | the record's text field, as is |
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

ARCHIVE_SUFFIXES = (".jsonl", ".json", ".ndjson")


@dataclass
class Document:
    """One article read from a file: its text and the metadata the file itself carries."""

    source: str
    text: str
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # as the file gives it (ISO or free text); parse makes it ISO
    url: str | None = None
    year_hint: int | None = None  # the year a dateline without one belongs to (file date, path)
    page_starts: list[int] = field(default_factory=list)  # offset where page i + 1 begins (PDF only)
    from_markup: bool = False  # text extracted from HTML/PDF/JSON, not a plain-text file

    def page_at(self, offset: int) -> int | None:
        """1-based page holding this offset (None when the document has no pages)."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


def record_source(file_source: str, number: int) -> str:
    """The source id of record `number` (1-based) of an archive file."""
    return f"{file_source}#{number}"


def container(source: str) -> str:
    """The file a source id lives in: "archive.jsonl#12" -> "archive.jsonl"; others unchanged."""
    head, hash_sign, tail = source.rpartition("#")
    if hash_sign and tail.isdigit() and head.lower().endswith(ARCHIVE_SUFFIXES):
        return head
    return source
