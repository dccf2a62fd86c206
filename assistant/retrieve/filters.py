"""Which chunks a question may be answered from (dates, outlets) and which are newer.

Filters are applied to both rankings before fusion, so k results still come back when
they are selective: the dense search asks Chroma for matching chunks only (a `where`
on `published_day` and `outlet`), and BM25 scores of rows outside the filter are zeroed.
An article with no known date never passes a date filter (it cannot be shown to be in
range). Outlets are matched case-insensitively against the outlets the index holds.

Questions about "now" (the words are `language.words.RECENCY_WORDS`) get a recency
boost: among the candidates both rankings found, newer articles move up.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidQuestionError
from ..ingest.dates import day_number, to_iso
from ..language.words import HEAD_NOUN_LABELS, RECENCY_WORDS
from ..types import SearchFilters

# Calendar units ("week", "year"): a time word only after "this", as in "this week".
_UNITS = frozenset(HEAD_NOUN_LABELS.get("DATE", "").split())
_ALONE = frozenset(w for w in RECENCY_WORDS if w not in _UNITS and w != "this")
_WORD = re.compile(r"[a-z]+")


def wants_recent(question: str) -> bool:
    """Does the question ask about the present ("latest", "currently", "this week", "next")?"""
    words = _WORD.findall(question.lower())
    if any(w in _ALONE for w in words):
        return True
    return any(a == "this" and b in _UNITS and b in RECENCY_WORDS for a, b in zip(words, words[1:]))


def row_day(meta: dict) -> int | None:
    """A chunk's publication day as YYYYMMDD (older indexes hold only the ISO text)."""
    day = meta.get("published_day")
    if isinstance(day, int):
        return day
    return day_number(meta.get("published"))


def _bound(text: str | None, last: bool) -> str | None:
    """An ISO day for a filter bound: "2024-05-10", "10 May 2024", or a month/year ("2024-05",
    "2024"), which stands for its first day as `since` and its last day as `until`."""
    if not text:
        return None
    text = str(text).strip()
    whole = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?", text)
    if whole:
        year, month = int(whole[1]), int(whole[2] or (12 if last else 1))
        if not 1 <= month <= 12:
            return None
        day = calendar.monthrange(year, month)[1] if last else 1
        return f"{year:04d}-{month:02d}-{day:02d}"
    return to_iso(text)


def normalise(filters: SearchFilters | None) -> SearchFilters | None:
    """Dates made ISO; None when nothing filters. Raises InvalidQuestionError for a bound that is no date."""
    if filters is None or not filters.active:
        return None
    since, until = _bound(filters.since, last=False), _bound(filters.until, last=True)
    for given, got in ((filters.since, since), (filters.until, until)):
        if given and not got:
            raise InvalidQuestionError(f"Not a date: {given!r} (use YYYY-MM-DD, YYYY-MM or YYYY).")
    outlets = tuple(o.strip() for o in filters.outlets if o and o.strip())
    return SearchFilters(since=since, until=until, outlets=outlets)


@dataclass
class RowFilter:
    """The rows of one snapshot a filter lets through, and the same filter as a Chroma `where`."""

    mask: np.ndarray
    where: dict | None

    @property
    def empty(self) -> bool:
        return not bool(self.mask.any())


def build(snapshot, filters: SearchFilters) -> RowFilter:
    """Evaluate a (normalised) filter on a snapshot's metadata; cached per snapshot."""
    cache = snapshot.__dict__.setdefault("_filters", {})
    if filters in cache:
        return cache[filters]
    lo, hi = day_number(filters.since), day_number(filters.until)
    wanted = {o.casefold() for o in filters.outlets}
    exact = sorted({m.get("outlet") for m in snapshot.metadatas if m.get("outlet")
                    and m["outlet"].casefold() in wanted}) if wanted else []
    mask = np.ones(len(snapshot.ids), dtype=bool)
    for i, meta in enumerate(snapshot.metadatas):
        if wanted and meta.get("outlet") not in exact:
            mask[i] = False
        elif lo or hi:
            day = row_day(meta)
            mask[i] = day is not None and (not lo or day >= lo) and (not hi or day <= hi)
    clauses: list[dict] = []
    if lo:
        clauses.append({"published_day": {"$gte": lo}})
    if hi:
        clauses.append({"published_day": {"$lte": hi}})
    if wanted:
        clauses.append({"outlet": {"$in": exact or ["\x00none"]}})
    where = None if not clauses else clauses[0] if len(clauses) == 1 else {"$and": clauses}
    cache[filters] = got = RowFilter(mask, where)
    return got


def recency_bonus(rows: list[int], snapshot) -> dict[int, float]:
    """0..1 per candidate row: 1 for the newest publication day among them, 0 for the oldest
    (and for undated rows), by rank, so one outlier date does not flatten the rest."""
    days = {row: row_day(snapshot.metadatas[row]) for row in rows}
    distinct = sorted({d for d in days.values() if d is not None})
    if len(distinct) < 2:
        return {}
    rank = {d: i / (len(distinct) - 1) for i, d in enumerate(distinct)}
    return {row: rank[d] for row, d in days.items() if d is not None}
