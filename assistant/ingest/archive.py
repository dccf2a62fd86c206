"""JSONL / JSON news archives: one citable article per record, read as a stream.

A JSONL file is read line by line, never loaded whole, so a dump of hundreds of
megabytes costs the memory of one record at a time; a bad line is skipped with its
line number and the rest of the file is indexed. A .json file holds one array of
records (or an object with an "articles"/"records"/"data"/"items" array) and is
loaded whole, so it is held to the file-size limit.

Fields are found by the first name present, case-insensitively (README, "Archives"):
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .dates import year_in
from .document import Document, record_source

# The field mapping: what each article attribute is called in common news dumps, first match wins.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "content", "body", "article", "maintext"),
    "url": ("url", "link"),
    "published": ("published", "date", "published_at", "publish_date", "date_publish"),
    "outlet": ("outlet", "source", "site", "site_name", "publisher"),
    "author": ("author", "byline", "authors"),
}
_LIST_KEYS = ("articles", "records", "data", "items")


@dataclass(frozen=True)
class Skipped:
    """A record (or file) not taken: the warning, and the source id it would have had."""

    message: str
    source: str | None = None


def _value(record: dict, attribute: str) -> str | None:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in FIELD_NAMES[attribute]:
        value = lowered.get(name)
        if isinstance(value, dict):  # {"source": {"id": ..., "name": "..."}}
            value = value.get("name") or value.get("title")
        if isinstance(value, list):  # ["A. Writer", "B. Writer"]
            value = ", ".join(str(v) for v in value if v)
        if value not in (None, ""):
            return str(value) if attribute == "text" else " ".join(str(value).split())
    return None


def record_document(record, file_source: str, number: int, where: str, max_chars: int) -> Document | Skipped:
    """One archive record as a Document, or why it is skipped (`where` names file and line)."""
    source = record_source(file_source, number)
    if not isinstance(record, dict):
        return Skipped(f"skipped {where}: a {type(record).__name__}, not a JSON object", source)
    text = _value(record, "text")
    if not text or not text.strip():
        names = "/".join(FIELD_NAMES["text"])
        return Skipped(f"skipped {where}: no article text (none of the fields {names})", source)
    if len(text) > max_chars:
        return Skipped(f"skipped {where}: {len(text):,} characters of text is over the {max_chars:,} limit", source)
    published = _value(record, "published")
    return Document(
        source=source, text=text, title=_value(record, "title"), outlet=_value(record, "outlet"),
        author=_value(record, "author"), published=published, url=_value(record, "url"), from_markup=True,
        year_hint=year_in(published) or year_in(file_source),
    )


def read_jsonl(path: Path, file_source: str, max_chars: int) -> Iterator[Document | Skipped]:
    """Stream the records of a JSONL file, one line at a time."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            where = f"{path} line {number}"
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as exc:
                yield Skipped(f"skipped {where}: not UTF-8 (byte {exc.start})", record_source(file_source, number))
                continue
            except json.JSONDecodeError as exc:
                yield Skipped(f"skipped {where}: not JSON ({exc.msg} at column {exc.colno})",
                              record_source(file_source, number))
                continue
            yield record_document(record, file_source, number, where, max_chars)


def read_json(text: str, path: Path, file_source: str, max_chars: int) -> Iterator[Document | Skipped]:
    """The records of a .json file: an array, or an object holding one (or one article object)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skipped(f"skipped {path}: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")
        return
    if isinstance(data, dict):
        listed = next((data[k] for k in _LIST_KEYS if isinstance(data.get(k), list)), None)
        data = listed if listed is not None else [data]
    if not isinstance(data, list):
        yield Skipped(f"skipped {path}: a JSON {type(data).__name__}, not a list of articles")
        return
    for number, record in enumerate(data, start=1):
        yield record_document(record, file_source, number, f"{path} record {number}", max_chars)
