"""How a news article's text is laid out, written once: paragraphs, bylines, datelines.

Ingestion parses the header with these, and anything later that reads article text
(sentence units, the sources panel) uses the same ones instead of its own copy.
"""

from __future__ import annotations

import re

# A blank-line separated block of text, whitespace trimmed (use with finditer).
PARAGRAPH = re.compile(r"\S(?:.*?\S)?(?=\s*(?:\n\s*\n|$))", re.S)

# "By Jane Doe", "— by Jane Doe": group 1 is the name part.
BYLINE = re.compile(r"^[-–—•\s]*by\s+(.+?)\s*$", re.I)

MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
DATE_TEXT = rf"{MONTHS}\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+{MONTHS}(?:\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}}"

# "HARBOURTON, May 10. /AGENCY/." and "RIVERTON, May 10 (Wire) -" at the start of a story.
DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z .'-]{{1,40}}?),\s*(?P<date>{DATE_TEXT})\.?\s*"
    rf"(?:/(?P<agency>[A-Za-z][\w -]{{1,30}})/\.?|\((?P<agency2>[A-Za-z][\w -]{{1,30}})\)\s*[-–—]?)?"
)

# "RIVERTON (Wire) — ": a wire story's dateline with no date; the agency is no part of the news.
AGENCY_DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{1,40}?\s*\([A-Za-z][\w -]{1,30}\)\s*[-–—]\s*")

# A header line that is only a date: "Published: May 10, 2024 14:05".
DATED_LINE = re.compile(rf"^(?:published|updated|posted|date)?:?\s*(?P<date>{DATE_TEXT})(?:\s+\d{{1,2}}:\d{{2}}.*)?$", re.I)


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of text[start:end], as offsets into text."""
    return [m.span() for m in PARAGRAPH.finditer(text, start, len(text) if end is None else end)]


def is_dateline(text: str) -> bool:
    """True when text is nothing but a dateline ("HARBOURTON, May 10. /AGENCY/.")."""
    match = DATELINE.match(text.strip())
    return bool(match) and match.end() == len(text.strip())

# A photo credit glued to the caption that follows it on a scraped page: "Jane Roe/Wire/Picture
# Agency Crowds gather ...", "Jon Doe for The Paper/Agency The ...". The photographer's name, then
# one or two slash-separated credits of capitalised words. A caption describes a picture, not news.
_CAP = r"[A-Z][\w.'’&-]*"
PHOTO_CREDIT = re.compile(
    rf"^(?!(?:A|An|The)\s){_CAP}(?:\s{_CAP}){{0,3}}(?:\s(?:for|via)\s{_CAP}(?:\s{_CAP}){{0,3}})?"
    rf"(?:/{_CAP}(?:\s{_CAP}){{0,3}}?){{1,3}}?\s"  # as short as it can be: the caption's words are not the credit
)


# A "title" that is only a dateline ("Riverton Wire —"): the headline line above it was not read as one.
_DATELINE_ONLY = re.compile(r"[—–-]\s*$")
# A first line ending in one full stop is the story's first sentence, not a headline ("..." and "?" may be).
_SENTENCE_END = re.compile(r"(?<!\.)\.[\"'”’»)]*$")


def headline(title: str | None, first_text: str | None = None) -> str | None:
    """An article's headline as a reader should see it: its title, or, when the parser kept none (a
    headline ending in '?' or cut off with '...') or kept only a dateline, the article's first line."""
    title = (title or "").strip()
    if title and not _DATELINE_ONLY.search(title):
        return title
    first = (first_text or "").strip().split("\n", 1)[0].strip()
    if first and len(first) <= 200 and not _DATELINE_ONLY.search(first) and not _SENTENCE_END.search(first):
        return first
    return title or None
