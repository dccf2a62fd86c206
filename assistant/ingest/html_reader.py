"""Saved web pages: the story text and its metadata through trafilatura.

trafilatura finds the main text of a page (dropping menus, footers, related links and
comments) and reads the title, author, date and site name from the page's own markup
(meta tags, JSON-LD). Offsets of a quote refer to the extracted text, paragraphs
separated by a blank line. A page with no prose (only navigation) is refused by name.
"""

from __future__ import annotations

import re
from pathlib import Path

from .dates import year_in
from .document import Document

_PROSE = re.compile(r"[.!?…][\"'”’»)]*$")
MIN_PROSE_WORDS = 8  # a paragraph this long ending like a sentence is story text, not a menu


class NotAnArticle(Exception):
    """The page parsed but holds no article; the message says why."""


def has_prose(text: str) -> bool:
    """True when some paragraph reads like story text: a sentence of several words."""
    return any(len(p.split()) >= MIN_PROSE_WORDS and _PROSE.search(p.strip()) for p in re.split(r"\n\s*\n", text))


def _paragraphs(text: str) -> str:
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line) + "\n"


def read_html(markup: str, source: str, path: Path | None = None) -> Document:
    """The article of one HTML page; raises NotAnArticle for a page that is only navigation."""
    import trafilatura

    got = trafilatura.bare_extraction(
        markup, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = _paragraphs(got.text or "") if got is not None else ""
    if not text.strip() or not has_prose(text):
        raise NotAnArticle("no text of an article (the page is only navigation or links)")
    return Document(
        source=source, text=text, title=_clean(got.title), outlet=_clean(got.sitename),
        author=_clean(got.author), published=_clean(got.date), url=_clean(got.url), from_markup=True,
        year_hint=year_in(got.date) or year_in(source),
    )


def _clean(value) -> str | None:
    if value is None:
        return None
    value = re.sub(r"\s+", " ", str(value)).strip()
    return value or None
