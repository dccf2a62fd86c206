"""Writing the answer: a lead sentence, then exact quotes grouped by article, each cited."""

from __future__ import annotations

import re

from ...types import Citation, RetrievedChunk
from ...types import CANNOT_ANSWER
from ...cite.labels import article_heading, as_of
from .attribution import Unit, follows
from .evidence import ScoredUnit

_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


def article_label(chunk: RetrievedChunk | None, source: str, first_text: str | None = None) -> str:
    """How an article is named in an answer: 'title · outlet · date' ('untitled · …' without a headline)."""
    if chunk is None:
        return article_heading(None)
    return article_heading(chunk.title, chunk.outlet, chunk.published)


_BULLET = re.compile(r"^[-–—•*]\s+(?=\S)")


def _quote_line(unit: Unit) -> str:
    """The sentence as written (less a list bullet of its own: '- By Jo Roe' under the answer's '- '); a
    speaker label in front when the sentence doesn't name them. The citation keeps the exact text."""
    text = _BULLET.sub("", re.sub(r"\s+", " ", unit.text).strip())
    if unit.speaker and not unit.explicit and unit.speaker[0].isupper():
        return f"{unit.speaker}: {text}"
    return text


def _citation(n: int, unit: Unit) -> Citation:
    chunk = unit.chunk
    return Citation(
        n=n, source=unit.source, title=chunk.title if chunk else None, outlet=chunk.outlet if chunk else None,
        published=chunk.published if chunk else None, quote=unit.text, start=unit.start, end=unit.end,
        chunk_id=chunk.chunk_id if chunk else None, author=chunk.author if chunk else None,
        url=chunk.url if chunk else None, page=chunk.page if chunk else None,
    )


def _as_of(unit: Unit) -> str:
    """' (as of 8 June 2024, per The Daily)' for a dated source, '' otherwise."""
    chunk = unit.chunk
    if chunk is None or not chunk.published:
        return ""
    return f" ({as_of(chunk.published, chunk.outlet)})"


def compose(selected: list[ScoredUnit], speaker: str | None, openings: dict[str, str], *,
            short: str | None = None, dated: bool = False, note: str | None = None) -> tuple[str, list[Citation]]:
    """Lead line plus quotes grouped by article (articles in corpus order, quotes in reading order).

    The lead line is the short answer in bold when there is one, else who is quoted, else the
    `note` (what the quotes are, when they are no answer), else the best sentence itself. dated: the question asks about "now", so the lead says as of when.
    """
    by_article: dict[str, list[Unit]] = {}
    for item in selected:
        by_article.setdefault(item.unit.source, []).append(item.unit)
    sources = sorted(by_article)
    citations: list[Citation] = []
    lines: list[str] = []
    lead = selected[0].unit
    spans_dates = len({i.unit.chunk.published for i in selected if i.unit.chunk and i.unit.chunk.published}) > 1
    when = _as_of(lead) if (dated or spans_dates) else ""

    if short or note:  # the best quote first, under the answer or the note on what the quotes are
        sources = [lead.source] + [s for s in sources if s != lead.source]
        by_article[lead.source] = [lead] + sorted((u for u in by_article[lead.source] if u is not lead),
                                                  key=lambda u: u.start)
    if short:
        lines.append(f"**{short}** [1]{when}")
    elif speaker:
        count = _NUMBER_WORDS.get(len(sources), str(len(sources)))
        plural = "article" if len(sources) == 1 else "articles"
        verb = "are" if " and " in speaker else "is"
        lines.append(f"{speaker} {verb} quoted on this in {count} {plural}:")
    elif note:
        lines.append(note)
    else:
        citations.append(_citation(1, lead))
        line = f"{_quote_line(lead)} [1]"
        shown = [lead]
        for unit in sorted(by_article[lead.source], key=lambda u: u.start):
            if unit is not lead and follows(unit, shown[-1]):
                citations.append(_citation(len(citations) + 1, unit))
                line += f" {_quote_line(unit)} [{len(citations)}]"
                shown.append(unit)
        lines.append(line + when)
        by_article[lead.source] = [u for u in by_article[lead.source] if not any(u is s for s in shown)]
        sources = [s for s in sources if by_article[s]]
        if sources:
            lines.append("")
            lines.append("The articles also report:")

    for source in sources:
        units = by_article[source] if (short or note) and source == lead.source \
            else sorted(by_article[source], key=lambda u: u.start)
        chunk = units[0].chunk
        lines.append("")
        lines.append(f"**{article_label(chunk, source, openings.get(source))}**")
        for unit in units:
            n = len(citations) + 1
            citations.append(_citation(n, unit))
            lines.append(f"- {_quote_line(unit)} [{n}]")
    return "\n".join(lines).strip(), citations


def compose_abstention(reason: str, chunks: list[RetrievedChunk], openings: dict[str, str]) -> str:
    """The honest 'the articles don't say', plus what the closest articles are about."""
    labels: list[str] = []
    for chunk in chunks:
        label = article_label(chunk, chunk.source, openings.get(chunk.source))
        if label not in labels:
            labels.append(label)
    text = f"{CANNOT_ANSWER} {reason}".strip()
    if labels:
        text += "\n\nThe closest articles are about:\n" + "\n".join(f"- {label}" for label in labels[:4])
    return text
