"""Readers for newsroom inputs: HTML, PDF, JSONL/JSON archives, front matter, and what each refuses.

All files are made here (tests/newsroom.py); every offset a chunk carries must slice its own
text out of the document the reader returned.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.ingest.archive import Skipped
from assistant.ingest.chunk import chunk_article
from assistant.ingest.dates import to_iso
from assistant.ingest.document import Document, container
from assistant.ingest.load import article_text, read_documents
from assistant.ingest.parse import parse_article
from assistant.ingest.readers import SourceFile
from tests.newsroom import (ARCHIVE_RECORDS, NAV_ONLY_PAGE, PDF_PAGES, article_page, encrypt_pdf, write_jsonl,
                            write_pdf)

PAGE = article_page(
    "Port reopens its northern berth", "Danube Courier", "Jane Roe", "2024-04-02", "https://example.org/a/1",
    ["IZMAIL, April 2 (Danube Courier) - The harbour master said the northern berth will reopen to barges "
     "on April 14 after repairs that took most of the winter.",
     "He added that inspectors had cleared the quay walls for loading, and that traffic should double by summer."])


def _read(path: Path, max_bytes: int = 5_000_000) -> list[Document | Skipped]:
    return list(read_documents(SourceFile(path, path.name), max_bytes))


def _article(doc: Document):
    article = parse_article(doc.source, doc.text, doc)
    chunks = chunk_article(article)
    assert chunks
    for c in chunks:
        assert doc.text[c.start:c.end] == c.text
    return article, chunks


def test_html_page_gives_story_and_metadata(tmp_path):
    path = tmp_path / "berth.html"
    path.write_text(PAGE, encoding="utf-8")
    [doc] = _read(path)
    article, chunks = _article(doc)
    assert (article.title, article.outlet, article.author, article.published, article.url) == (
        "Port reopens its northern berth", "Danube Courier", "Jane Roe", "2024-04-02", "https://example.org/a/1")
    joined = " ".join(c.text for c in chunks)
    assert "reopen to barges on April 14" in joined
    for furniture in ("Home", "Sport", "Most read", "Subscribe", "Copyright"):
        assert furniture not in doc.text
    meta = chunks[0].metadata
    assert meta["published_day"] == 20240402 and meta["author"] == "Jane Roe" and "page" not in meta


def test_html_that_is_only_navigation_is_named_with_why(tmp_path):
    path = tmp_path / "sections.html"
    path.write_text(NAV_ONLY_PAGE, encoding="utf-8")
    [skipped] = _read(path)
    assert isinstance(skipped, Skipped) and str(path) in skipped.message and "navigation" in skipped.message


def test_pdf_pages_are_kept_and_no_chunk_spans_two(tmp_path):
    path = write_pdf(tmp_path / "report.pdf", PDF_PAGES, title="Harbour authority report", author="Port Desk")
    [doc] = _read(path)
    assert len(doc.page_starts) == 2 and doc.page_at(0) == 1 and doc.page_at(len(doc.text) - 2) == 2
    article, chunks = _article(doc)
    assert article.title == "Harbour authority report" and article.author == "Port Desk"
    pages = {c.metadata["page"] for c in chunks}
    assert pages == {1, 2}
    for c in chunks:
        assert doc.page_at(c.start) == doc.page_at(c.end - 1) == c.metadata["page"]
    second = next(c for c in chunks if "twelve million dollars" in c.text)
    assert second.metadata["page"] == 2
    assert article_text(tmp_path, "report.pdf") == doc.text


def test_encrypted_and_scanned_pdfs_are_refused_by_name(tmp_path):
    plain = write_pdf(tmp_path / "plain.pdf", PDF_PAGES)
    locked = encrypt_pdf(plain, tmp_path / "locked.pdf")
    scan = write_pdf(tmp_path / "scan.pdf", [[], []])
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n garbage")
    for path, why in ((locked, "encrypted"), (scan, "no text layer"), (broken, "not a readable PDF")):
        [skipped] = _read(path)
        assert isinstance(skipped, Skipped), path
        assert str(path) in skipped.message and why in skipped.message, skipped.message


def test_jsonl_records_are_articles_and_a_bad_line_is_named(tmp_path):
    path = write_jsonl(tmp_path / "dump.jsonl", [ARCHIVE_RECORDS[0], "{not json", ARCHIVE_RECORDS[1],
                                                 {"title": "No body"}, "[1, 2]"])
    items = _read(path)
    docs = [i for i in items if isinstance(i, Document)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert [d.source for d in docs] == ["dump.jsonl#1", "dump.jsonl#3"]
    assert [s.source for s in skipped] == ["dump.jsonl#2", "dump.jsonl#4", "dump.jsonl#5"]
    assert f"{path} line 2: not JSON" in skipped[0].message
    assert "line 4: no article text" in skipped[1].message and "line 5: a list" in skipped[2].message
    first, _ = _article(docs[0])
    assert (first.title, first.outlet, first.author, first.published, first.url) == (
        "Library opens a second floor", "Riverside Herald", "Ana Field", "2023-03-07", "https://news.example/library")
    second, _ = _article(docs[1])
    assert (second.title, second.outlet, second.author, second.published) == (
        "Bridge toll to rise", "Valley Post", "Ben Stone, Cy Reed", "2024-03-10")
    assert docs[0].text == ARCHIVE_RECORDS[0]["content"]  # offsets point into the record's own text
    assert container("dump.jsonl#3") == "dump.jsonl" and container("notes#1.txt") == "notes#1.txt"
    assert article_text(tmp_path, "dump.jsonl#3") == ARCHIVE_RECORDS[1]["body"]
    assert article_text(tmp_path, "dump.jsonl#2") is None


def test_jsonl_larger_than_the_file_limit_streams(tmp_path, monkeypatch):
    record = {"title": "Rain", "text": "It rained in the valley on Monday, the weather office said. " * 3}
    path = write_jsonl(tmp_path / "big.jsonl", [record] * 400)
    assert path.stat().st_size > 50_000
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("a JSONL file was loaded whole"))
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: pytest.fail("a JSONL file was loaded whole"))
    items = list(read_documents(SourceFile(path, "big.jsonl"), max_bytes=5_000))
    assert len(items) == 400 and all(isinstance(i, Document) for i in items)
    too_long = list(read_documents(SourceFile(path, "big.jsonl"), max_bytes=50))
    assert all(isinstance(i, Skipped) and "over the 50 limit" in i.message for i in too_long)


def test_json_array_file(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"articles": ARCHIVE_RECORDS}), encoding="utf-8")
    docs = _read(path)
    assert [d.source for d in docs] == ["export.json#1", "export.json#2"]


def test_markdown_front_matter_is_kept(tmp_path):
    path = tmp_path / "note.md"
    path.write_text("---\ntitle: Ferry timetable changes\noutlet: Harbour Gazette\nauthor: Dee Lane\n"
                    "date: 2024-06-08\nurl: https://harbour.example/ferry\n---\n\nPIER TOWN, June 8 - The ferry "
                    "company said crossings would run every hour from Monday, a spokesman said.\n", encoding="utf-8")
    [doc] = _read(path)
    article, chunks = _article(doc)
    assert (article.title, article.outlet, article.author, article.published, article.url) == (
        "Ferry timetable changes", "Harbour Gazette", "Dee Lane", "2024-06-08", "https://harbour.example/ferry")


def test_markdown_heading_is_the_title_without_its_marks(tmp_path):
    article = parse_article("h.md", "# Orchard harvest\n\nFarmers said on Monday that the harvest was the largest "
                                    "in ten years. Prices fell by a third.\n")
    assert article.title == "Orchard harvest"


def test_datelines_are_read_against_the_articles_year(tmp_path):
    assert to_iso("May 10", year=2024) == "2024-05-10"
    assert to_iso("May 10") is None  # no year anywhere: not guessed
    assert to_iso("Dec 30", reference="2025-01-02") == "2024-12-30"  # the past, not the future
    assert to_iso("June 8, 2024") == "2024-06-08" and to_iso("2024-06-08T10:00:00Z") == "2024-06-08"
    folder = tmp_path / "2023" / "wire"
    folder.mkdir(parents=True)
    path = folder / "story.txt"
    path.write_text("Dam opens\n\nSEOUL, May 10 /TASS/ - The new dam opened on Friday, officials said. "
                    "It will power ten thousand homes.\n", encoding="utf-8")
    [doc] = list(read_documents(SourceFile(path, "2023/wire/story.txt"), 5_000_000))
    article = parse_article(doc.source, doc.text, doc)
    assert article.published == "2023-05-10" and article.outlet == "TASS"


def test_headline_less_article_is_untitled_not_its_first_sentence():
    from assistant.cite.labels import article_heading

    text = "The council said on Monday that the library would open in June. It will hold many books.\n"
    article = parse_article("a.txt", text)
    assert article.title is None
    assert article_heading(article.title, "Valley Post", "2024-06-08") == "untitled · Valley Post · 8 June 2024"
