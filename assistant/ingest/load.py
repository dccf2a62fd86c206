"""One entry point for every format: a file in, its citable articles (or why not) out.

The indexer calls `read_documents` for each discovered file; every refusal is a
`Skipped` naming the file (and line, for archives), never an exception, so one bad
file or record never stops a run. `article_text` reads back the exact text a source
id was indexed with, for anything that checks a citation against the file.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from .archive import Skipped, read_json, read_jsonl
from .dates import year_in
from .document import Document, container
from .readers import HTML_SUFFIXES, SkipFile, SourceFile, decode_text, read_bytes, shown

JSONL_SUFFIXES = (".jsonl", ".ndjson")


def _file_year(path: Path, text: str) -> int | None:
    """The year a date with no year of its own belongs to: one in the path ("2024/05/x.txt"),
    else the year the file was last modified (keep it with `cp -p`)."""
    from_path = year_in(str(path))
    if from_path:
        return from_path
    try:
        return time.gmtime(path.stat().st_mtime).tm_year
    except OSError:
        return None


def _stat_check(path: Path) -> None:
    try:
        if path.stat().st_size == 0:
            raise SkipFile(f"skipped {shown(path)}: empty file")
    except OSError as exc:
        raise SkipFile(f"skipped {shown(path)}: cannot be read ({exc.strerror or exc})") from exc


def read_documents(file: SourceFile, max_bytes: int) -> Iterator[Document | Skipped]:
    """The articles of one file; `max_bytes` bounds a file (or, for JSONL, one record's text)."""
    path, suffix = file.path, file.path.suffix.lower()
    try:
        if suffix in JSONL_SUFFIXES:
            _stat_check(path)
            yield from read_jsonl(path, file.source, max_bytes)
            return
        data = read_bytes(path, max_bytes)
        if suffix == ".pdf":
            from .pdf_reader import UnreadablePdf, read_pdf

            try:
                yield read_pdf(path, file.source)
            except UnreadablePdf as exc:
                yield Skipped(f"skipped {shown(path)}: {exc}")
            return
        if suffix == ".json":
            yield from read_json(decode_text(data, path), path, file.source, max_bytes)
            return
        if suffix in HTML_SUFFIXES:
            from .html_reader import NotAnArticle, read_html

            if b"\x00" in data[:8192]:
                raise SkipFile(f"skipped {shown(path)}: binary file")
            try:
                markup = data.decode("utf-8")
            except UnicodeDecodeError:
                markup = data  # trafilatura reads the page's own charset declaration
            try:
                doc = read_html(markup, file.source, path)
            except NotAnArticle as exc:
                yield Skipped(f"skipped {shown(path)}: {exc}")
                return
            doc.year_hint = doc.year_hint or _file_year(path, doc.text)
            yield doc
            return
        text = decode_text(data, path)
        yield Document(source=file.source, text=text, year_hint=_file_year(path, text))
    except SkipFile as exc:
        yield Skipped(str(exc))


def article_text(root: Path, source: str, max_bytes: int = 50_000_000) -> str | None:
    """The exact text a source id was indexed with (None when its file or record is gone)."""
    base = Path(root)
    path = base / container(source)
    if not path.is_file():
        return None
    for item in read_documents(SourceFile(path, container(source), base), max_bytes):
        if isinstance(item, Document) and item.source == source:
            return item.text
    return None
