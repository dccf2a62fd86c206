"""Turn an article's raw text into metadata and the spans that are the article itself.

News pages carry a header (outlet, headline, byline, dateline), the story, and
site furniture ("Leave a Reply", "Check Also", related headlines). Only the story
is chunked; everything is kept as offsets into the original text so a quote can be
shown in place.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from .dates import day_number, to_iso, year_in
from .document import Document

from .patterns import BYLINE as _BYLINE, DATED_LINE as _DATED_LINE, DATELINE as _DATELINE, paragraph_spans

# Lines that are site furniture, wherever they appear.
_FURNITURE = re.compile(
    r"^(all news|latest news|advertisement|share( this( article)?)?|print|email|subscribe( now)?|"
    r"follow us.*|read more.*|related( articles| stories)?:?|most read|trending( now)?|"
    r"your email address will not be published.*|required fields are marked.*|newspapers from .*)$",
    re.I,
)
# Lines after which nothing belongs to the article.
_TAIL_MARKERS = re.compile(
    r"^(check also|leave a reply|leave a comment|comments|newspapers in english|related articles|"
    r"related posts|you may also like|more from .*|recommended( for you)?|about the author)$",
    re.I,
)
_OUTLET_PATTERN = re.compile(
    r"^(the )?([A-Z][\w.&'-]*\s){0,4}(times|post|herald|news|journal|daily|tribune|gazette|telegraph|"
    r"guardian|observer|agency|press|wire|chronicle|review|express|today|insider|monitor)$",
    re.I,
)
_EMAIL = re.compile(r"\s*\S+@\S+\.\w+")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)]*$")


@dataclass
class Article:
    """A parsed article: who published it, what it is called, and where its story text lies."""

    source: str
    text: str
    content_hash: str
    title: str | None = None
    outlet: str | None = None
    byline: str | None = None
    dateline: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) when one could be resolved
    url: str | None = None
    body_runs: list[list[tuple[int, int]]] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)  # PDF: offset where page i + 1 begins

    @property
    def author(self) -> str | None:
        return self.byline

    def metadata(self) -> dict[str, str | int]:
        """Article-level metadata for the store (None values left out, as Chroma requires).

        `published_day` is the date as YYYYMMDD, because Chroma compares numbers only.
        """
        fields = {
            "source": self.source, "title": self.title, "outlet": self.outlet, "byline": self.byline,
            "author": self.byline, "dateline": self.dateline, "published": self.published, "url": self.url,
            "published_day": day_number(self.published), "article_hash": self.content_hash,
        }
        return {k: v for k, v in fields.items() if v}

    def page_at(self, offset: int) -> int | None:
        """1-based PDF page holding this offset (None for sources without pages)."""
        if not self.page_starts:
            return None
        return max(1, sum(1 for start in self.page_starts if start <= offset))

    def body_text(self) -> str:
        return "\n\n".join(self.text[a:b] for run in self.body_runs for a, b in run)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def paragraphs(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Spans of the blank-line separated blocks of text[start:], whitespace trimmed."""
    return paragraph_spans(text, start)


def _front_matter(text: str) -> tuple[dict, int]:
    """YAML front matter ('---' block at the top) and where the article starts after it."""
    match = re.match(r"\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", text, re.S)
    if not match:
        return {}, 0
    import yaml  # here: answering imports this module (chunk ids) but reads no front matter

    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        return {}, 0
    return (data if isinstance(data, dict) else {}), match.end()


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip()


def _is_story_paragraph(chunk: str) -> bool:
    return bool(_TERMINAL.search(chunk)) and (len(chunk) > 100 or chunk.count(". ") >= 1)


def _known_outlet(line: str) -> str | None:
    """A header line that names a publication by its form ('The Daily Ledger', 'Metro News Agency')."""
    if _OUTLET_PATTERN.match(line) and len(line) <= 40:
        return line
    return None


def parse_article(source: str, text: str, doc: Document | None = None) -> Article:
    """Parse raw article text: metadata from front matter and header, and the story spans.

    `doc` carries what the reader already knows (an HTML page's title and site name, a JSON
    record's fields, a PDF's pages); what it knows wins over what the header suggests.
    """
    meta, body_start = _front_matter(text)
    article = Article(source=source, text=text, content_hash=content_hash(text))
    if doc is not None:
        article.title = doc.title
        article.page_starts = list(doc.page_starts)
    spans = paragraphs(text, body_start)

    # Drop everything from a tail marker on ("Check Also", "Leave a Reply", ...).
    for i, (a, b) in enumerate(spans):
        if _TAIL_MARKERS.match(_clean(text[a:b])):
            spans = spans[:i]
            break
    spans = [(a, b) for a, b in spans if not _FURNITURE.match(_clean(text[a:b]))]

    header_end = next((i for i, (a, b) in enumerate(spans) if _is_story_paragraph(text[a:b])), len(spans))
    standfirst: list[tuple[int, int]] = []
    headline: list[tuple[int, int]] = []  # title and byline: quotable, so they are chunked as their own run
    for a, b in spans[:header_end]:
        line = _clean(text[a:b])
        if byline := _BYLINE.match(line):
            article.byline = article.byline or _EMAIL.sub("", byline.group(1)).strip(" ,-")
            headline.append((a, b))
        elif outlet := (None if article.outlet else _known_outlet(line)):
            article.outlet = outlet
        elif dated := _DATED_LINE.match(line):
            article.published = article.published or dated.group("date")
        elif article.title is not None and line == article.title:
            headline.append((a, b))  # the headline the reader named, repeated in the text
        elif article.title is None and len(line) <= 200 and not _TERMINAL.search(line):
            article.title = re.sub(r"^#{1,6}\s+", "", line) or line  # a Markdown heading's marks are not its title
            headline.append((a, b))
        else:
            standfirst.append((a, b))

    story = spans[header_end:]
    if story:
        first = _clean(text[story[0][0]:story[0][1]])
        if dateline := _DATELINE.match(first):
            article.dateline = dateline.group(0).strip()
            article.published = article.published or dateline.group("date").rstrip(".")
            agency = dateline.group("agency") or dateline.group("agency2")
            article.outlet = article.outlet or (agency.strip() if agency else None)

    body_text = " ".join(_clean(text[a:b]) for a, b in story)
    kept_standfirst = [(a, b) for a, b in standfirst if _clean(text[a:b]) not in body_text]
    article.body_runs = _runs(text, kept_standfirst + story)
    if headline:
        article.body_runs.insert(0, headline)

    for key in ("title", "outlet", "byline", "published", "url"):
        value = _front_matter_value(meta, key)
        if value:
            setattr(article, key, str(value).strip())
    if doc is not None:
        for key, value in (("title", doc.title), ("outlet", doc.outlet), ("byline", doc.author), ("url", doc.url)):
            if value:
                setattr(article, key, value)
    _resolve_date(article, doc, _front_matter_value(meta, "published"))
    if article.page_starts:
        article.body_runs = _split_at_pages(article.body_runs, article.page_starts)
    return article


_FRONT_MATTER_KEYS = {"published": ("published", "date"), "byline": ("author", "byline"),
                      "outlet": ("outlet", "source", "site")}


def _front_matter_value(meta: dict, key: str):
    for name in _FRONT_MATTER_KEYS.get(key, (key,)):
        if meta.get(name):
            return meta[name]
    return None


def _resolve_date(article: Article, doc: Document | None, declared) -> None:
    """Make `published` an ISO day: the file's own date first, else the header or dateline date
    read against the file's year."""
    own = declared if declared else (doc.published if doc is not None else None)
    year = (doc.year_hint if doc is not None else None) or year_in(str(own or ""))
    own_iso = to_iso(str(own), year=year) if own else None
    written = article.published if article.published != (str(own).strip() if own else None) else None
    article.published = own_iso or to_iso(written, reference=own_iso, year=year)


def _split_at_pages(runs: list[list[tuple[int, int]]], page_starts: list[int]) -> list[list[tuple[int, int]]]:
    """Start a new run at every page break, so no chunk (hence no quote) spans two pages."""
    out: list[list[tuple[int, int]]] = []
    for run in runs:
        current: list[tuple[int, int]] = []
        page = None
        for a, b in run:
            here = sum(1 for start in page_starts if start <= a)
            if current and here != page:
                out.append(current)
                current = []
            current.append((a, b))
            page = here
        if current:
            out.append(current)
    return out


def _runs(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Group story paragraphs into runs, cutting out stray headline-like lines (related links).

    A chunk never crosses a removed line, so every chunk is one exact slice of the file.
    """
    runs: list[list[tuple[int, int]]] = [[]]
    for a, b in sorted(spans):
        line = _clean(text[a:b])
        if "\n" not in text[a:b] and len(line) <= 150 and not _TERMINAL.search(line) and not line.endswith(":"):
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((a, b))
    return [run for run in runs if run]
