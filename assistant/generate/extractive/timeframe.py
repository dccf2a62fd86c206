"""When an article can be about: a question naming a year needs evidence written no earlier.

An archive holds old stories on the same subjects as new ones ("the Harbourton Awards" every
January). A question that names a year ("Who won Best Director at the 2023 Harbourton Awards?")
cannot be answered from an article whose newest date or year mention is older than that
year: such an article was written before the event. Articles that mention no year at all
are kept, since nothing shows when they were written.
"""

from __future__ import annotations

import re

from ...types import RetrievedChunk

# A four-digit year of the last two centuries, not part of a longer number or an amount.
_YEAR = re.compile(r"(?<![\w$€£.,])(?:19|20)\d\d(?![\w%]|[.,]\d)")


def years_in(text: str) -> list[int]:
    """The years a text names ('in 2019', 'the 2023 Harbourton Awards', '2018-19')."""
    return [int(y) for y in _YEAR.findall(text)]


def question_year(question: str) -> int | None:
    """The earliest year a question names: evidence must be at least that recent."""
    found = years_in(question)
    return min(found) if found else None


def latest_year(article: list[RetrievedChunk]) -> int | None:
    """The newest year an article shows, by its publication date or the years its text names."""
    found = [y for chunk in article for y in years_in(chunk.text)]
    found += [y for chunk in article[:1] for y in years_in(chunk.published or "")]
    found += [y for chunk in article[:1] for y in years_in(chunk.title or "")]
    return max(found) if found else None


def predates(article: list[RetrievedChunk], year: int | None) -> bool:
    """True when the article was plainly written before the year the question is about."""
    if year is None or not article:
        return False
    newest = latest_year(article)
    return newest is not None and newest < year


def dated_by_older_headline(chunks: list[RetrievedChunk]) -> set[str]:
    """The articles whose headline names an older year than another retrieved headline does.

    A headline's year dates the story's own event ('2022 Ostmark Cup final', 'Harbourton Awards 2023
    nominations'), unlike the years a body recalls; for a question about now, the story of an
    earlier year's edition is the weaker witness. Headlines naming no year date nothing.
    """
    headline_years: dict[str, int] = {}
    for chunk in chunks:
        found = years_in(chunk.title or "")
        if found:
            headline_years[chunk.source] = max(found)
    if not headline_years:
        return set()
    newest = max(headline_years.values())
    return {source for source, year in headline_years.items() if year < newest}
