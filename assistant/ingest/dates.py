"""Publication dates as ISO days: "May 10" in a dateline is read against the year it belongs to.

A dateline ("HARBOURTON, May 10 /AGENCY/") rarely carries a year. dateparser reads it relative
to the article's own full date when the file gives one, else to the end of the file's
year (from the file's metadata or a year in its path), preferring the past, so
"Dec 30" in a story filed in early January is not pushed into the future.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")


def _iso_prefix(text: str) -> str | None:
    match = _ISO.match(text.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _parse(text: str, base: date | None) -> str | None:
    import dateparser

    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"], "RETURN_AS_TIMEZONE_AWARE": False}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day, 23, 59)
    try:
        got = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises on odd inputs (overflowing numbers, bad settings)
        return None
    return got.date().isoformat() if got else None


def year_in(text: str | None) -> int | None:
    """A plausible year written in a text or path ("2024/05/story.html" -> 2024)."""
    found = _YEAR.findall(text or "")
    return int(found[-1]) if found else None


def to_iso(text: str | None, reference: str | None = None, year: int | None = None) -> str | None:
    """An ISO date (YYYY-MM-DD) for a written date, or None when it is not one.

    `reference` is a full ISO date the text is read against (the article's own date);
    without one, `year` places a date that has no year of its own.
    """
    if not text or not str(text).strip():
        return None
    text = re.sub(r"\s+", " ", str(text)).strip().rstrip(".")
    iso = _iso_prefix(text)
    if iso:
        return iso
    base: date | None = None
    if reference and _iso_prefix(reference):
        base = date.fromisoformat(_iso_prefix(reference))
    elif year:
        base = date(year, 12, 31)
    if base is None and not year_in(text):
        return None  # "May 10" with no year anywhere: leave it undated rather than guess this year
    return _parse(text[:80], base)


def day_number(iso: str | None) -> int | None:
    """YYYYMMDD as an int, the form Chroma can compare ($gte/$lte work on numbers only)."""
    if not iso or not _iso_prefix(iso):
        return None
    return int(iso[:10].replace("-", ""))
