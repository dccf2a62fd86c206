"""PDF articles through pypdf: the text of every page, with page numbers kept for citations.

Pages are joined by a blank line and `Document.page_starts` records where each begins,
so a quote's offsets say which page it is on ("p. 3"). Encrypted PDFs that need a
password and PDFs with no text layer (scans) are refused by name, never guessed at.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from .dates import year_in
from .document import Document

PAGE_JOIN = "\n\n"


class UnreadablePdf(Exception):
    """The PDF cannot give text; the message says why."""


def _page_text(raw: str) -> str:
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = re.sub(r"[ \t\f\v]+", " ", text)
    return re.sub(r" *\n *", "\n", text).strip()


def _meta(reader, key: str) -> str | None:
    try:
        value = (reader.metadata or {}).get(key)
    except Exception:  # damaged info dictionary: the text is still worth having
        return None
    value = str(value).strip() if value else ""
    return value or None


def _created(reader) -> str | None:
    try:
        created = reader.metadata.creation_date if reader.metadata else None
    except Exception:
        return None
    return created.date().isoformat() if created else None


def read_pdf(path: Path, source: str) -> Document:
    """The text of a PDF, page by page; raises UnreadablePdf for encrypted or scanned files."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about odd files are not ours
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadablePdf("encrypted PDF (it needs a password; save an unprotected copy)")
        pages = [_page_text(page.extract_text() or "") for page in reader.pages]
    except UnreadablePdf:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadablePdf(f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # pypdf raises bare errors for missing crypto support and odd streams
        if "crypt" in str(exc).lower() or "AES" in str(exc):
            raise UnreadablePdf(f"encrypted PDF that cannot be opened ({exc})") from exc
        raise UnreadablePdf(f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
    if not any(pages):
        raise UnreadablePdf(f"no text layer in its {len(pages)} page(s) (a scan? run OCR on it first)")
    text, starts = "", []
    for page in pages:
        if text:
            text += PAGE_JOIN
        starts.append(len(text))
        text += page
    created = _created(reader)
    return Document(
        source=source, text=text + "\n", title=_meta(reader, "/Title"), author=_meta(reader, "/Author"),
        published=None, page_starts=starts, from_markup=True,
        year_hint=year_in(created) or year_in(source),
    )
