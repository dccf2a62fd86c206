"""Turn an LLM's answer with [n] markers into an Answer whose citations are exact quotes.

The prompt numbers the retrieved articles 1..n (``group_sources``). The model's
markers are checked against that numbering: a marker to a number that was not
given (an invented "[7]", or one copied out of an article's text) is dropped.
Each kept marker becomes a Citation whose quote is found in the cited article's
chunks, and citations are renumbered 1..m in order of first use, so the text
the user reads and the citation list always agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..types import CANNOT_ANSWER
from ..ingest.sentences import split_sentences
from .locate import Located, best_sentence, locate_quote
from .markers import MARKER, PARTIAL_MARKER, marker_numbers  # noqa: F401  (marker_numbers: re-exported)
from ..types import Answer, Citation, RetrievedChunk

_MAX_PARTIAL = 32
_QUOTATION = re.compile(r"“([^“”]+)”|\"([^\"]+)\"|«([^«»]+)»|‘([^‘’]+)’")
_LEADING_JUNK = " \t\r\n.,;:!?)]-–—"
# Local reasoning models (Qwen3, DeepSeek-R1) may put their thinking in the answer text.
_REASONING = re.compile(r"<think>.*?(?:</think>|\Z)", re.DOTALL | re.IGNORECASE)
UNGROUNDED_NOTE = "The model's answer cites none of the retrieved articles; treat it as unverified."


def group_sources(chunks: Sequence[RetrievedChunk]) -> list[list[RetrievedChunk]]:
    """Chunks grouped by article in order of first retrieval: group i is source number i + 1."""
    groups: dict[str, list[RetrievedChunk]] = {}
    for chunk in chunks:
        groups.setdefault(chunk.source, []).append(chunk)
    return list(groups.values())


def strip_reasoning(text: str) -> str:
    """Remove <think>...</think> blocks; an unclosed one hides everything after it."""
    return _REASONING.sub("", text)


def is_cannot_answer(text: str) -> bool:
    """True when an answer is (or starts with) the cannot-answer sentence."""
    def norm(s: str) -> str:
        return s.replace("’", "'").replace("‘", "'").strip().strip("\"'“”*_ ").lower()

    return norm(text).startswith(norm(CANNOT_ANSWER).rstrip("."))


def rewrite_markers(text: str, n_sources: int) -> tuple[str, list[int]]:
    """Drop markers to sources that were not given and renumber the rest by first use.

    Returns the new text (each kept number as its own "[m]") and the original
    source numbers in order of first use, so ``order[m - 1]`` is the source of [m].
    """
    order: list[int] = []
    out: list[str] = []
    pos = 0
    for match in MARKER.finditer(text):
        out.append(text[pos:match.start()])
        pos = match.end()
        kept: list[int] = []
        for n in marker_numbers(match.group(1)):
            if 1 <= n <= n_sources and n not in kept:
                kept.append(n)
        for n in kept:
            if n not in order:
                order.append(n)
        if kept:
            out.append("".join(f"[{order.index(n) + 1}]" for n in kept))
        else:  # remove the marker and the space that led to it
            out[-1] = out[-1].rstrip(" \t")
    out.append(text[pos:])
    return "".join(out), order


def drop_stray_markers(text: str, valid: set[int] | frozenset[int]) -> tuple[str, int]:
    """Remove [n] markers that name no citation, keeping the valid numbers of mixed ones.

    An answer may quote an article whose own text holds "[7]" or a fake "Sources: [1] ..."
    list; a bracketed number the user could follow to nothing is dropped, as
    ``rewrite_markers`` does for LLM answers (without renumbering). Returns the text and
    how many numbers were dropped.
    """
    out: list[str] = []
    pos = dropped = 0
    for match in MARKER.finditer(text):
        numbers = marker_numbers(match.group(1))
        kept = [n for n in dict.fromkeys(numbers) if n in valid]
        if kept and len(kept) == len(numbers) and match.group(0) == f"[{', '.join(map(str, kept))}]":
            continue  # already a clean, valid marker: leave the text as it is
        out.append(text[pos:match.start()])
        pos = match.end()
        dropped += len([n for n in numbers if n not in valid])
        if kept:
            out.append("".join(f"[{n}]" for n in kept))
        else:
            out[-1] = out[-1].rstrip(" \t")
    if not out:
        return text, 0
    out.append(text[pos:])
    return "".join(out), dropped


@dataclass
class _Use:
    """One marker group: the answer text it follows and the sources it names."""

    claim: str
    numbers: list[int]


def _uses(text: str) -> list[_Use]:
    uses: list[_Use] = []
    claim_start = 0
    matches = list(MARKER.finditer(text))
    i = 0
    while i < len(matches):
        group = [matches[i]]
        while i + 1 < len(matches) and not text[group[-1].end():matches[i + 1].start()].strip():
            i += 1
            group.append(matches[i])
        numbers = [n for m in group for n in marker_numbers(m.group(1))]
        uses.append(_Use(text[claim_start:group[0].start()].lstrip(_LEADING_JUNK).strip(), numbers))
        claim_start = group[-1].end()
        i += 1
    return uses


def _candidates(claim: str) -> list[str]:
    """What to look for in the source: quotations first (longest first), then the last sentence."""
    quoted = [next(g for g in m.groups() if g) for m in _QUOTATION.finditer(claim)]
    found = sorted((q.strip() for q in quoted if q.strip()), key=len, reverse=True)
    spans = split_sentences(claim)
    if spans:
        a, b = spans[-1]
        found.append(claim[a:b])
    found.append(claim)
    return list(dict.fromkeys(c for c in found if c))


def _support(claim: str, chunks: list[RetrievedChunk]) -> tuple[int, Located] | None:
    """(quality, location): 0 when the claim's own words were found, 1 for the best-sentence fallback."""
    for candidate in _candidates(claim):
        hit = locate_quote(candidate, chunks)
        if hit is not None:
            return 0, hit
    hit = best_sentence(claim, chunks)
    return (1, hit) if hit is not None else None


def _chunk_at(chunks: list[RetrievedChunk], offset: int) -> str | None:
    for chunk in chunks:
        if chunk.start <= offset < chunk.start + len(chunk.text):
            return chunk.chunk_id
    return chunks[0].chunk_id if chunks else None


def _page_at(chunks: list[RetrievedChunk], offset: int, default: int | None) -> int | None:
    """The PDF page of the chunk holding the quote (chunks never span two pages)."""
    for chunk in chunks:
        if chunk.start <= offset < chunk.end:
            return chunk.page
    return default


def postprocess_answer(
    text: str,
    chunks: Sequence[RetrievedChunk],
    question: str = "",
    generator: str = "llm",
) -> Answer:
    """Check, locate and renumber the [n] markers of an LLM answer (see the module docstring)."""
    chunks = list(chunks)
    text = strip_reasoning(text or "").strip()
    if is_cannot_answer(text):
        return Answer(text=CANNOT_ANSWER, abstained=True, retrieved=chunks, question=question, generator=generator)

    sources = group_sources(chunks)
    best: dict[int, tuple[int, Located]] = {}
    dropped = 0
    for use in _uses(text):
        for n in use.numbers:
            if not 1 <= n <= len(sources):
                dropped += 1
                continue
            if n in best and best[n][0] == 0:
                continue
            found = _support(use.claim, sources[n - 1])
            if found is not None and (n not in best or found[0] < best[n][0]):
                best[n] = found

    new_text, order = rewrite_markers(text, len(sources))
    citations = []
    for m, n in enumerate(order, start=1):
        group = sources[n - 1]
        head = group[0]
        _, where = best.get(n) or (1, Located(head.start, head.start + len(head.text), head.text))
        citations.append(Citation(
            n=m, source=head.source, title=head.title, outlet=head.outlet, published=head.published,
            quote=where.text, start=where.start, end=where.end, chunk_id=_chunk_at(group, where.start),
            author=head.author, url=head.url, page=_page_at(group, where.start, head.page),
        ))

    notes: list[str] = []
    if dropped:
        notes.append(f"Dropped {dropped} citation marker(s) that pointed to no retrieved article.")
    grounded = bool(citations)
    if not grounded:
        notes.append(UNGROUNDED_NOTE)
    return Answer(text=new_text.strip(), citations=citations, retrieved=chunks, question=question,
                  notes=notes, grounded=grounded, generator=generator)


class MarkerStreamer:
    """Rewrites markers in a growing stream the same way ``postprocess_answer`` will.

    ``feed(delta)`` returns the display text so far: complete markers already
    carry their final numbers, invalid ones are gone, and a marker still being
    typed ("[1") is held back until its "]" arrives.
    """

    def __init__(self, n_sources: int):
        self.n_sources = n_sources
        self.raw = ""

    def feed(self, delta: str) -> str:
        self.raw += delta or ""
        return self.display()

    def display(self) -> str:
        visible = strip_reasoning(self.raw).lstrip()
        for k in range(min(6, len(visible)), 0, -1):  # hold what may become "<think>"
            if "<think>".startswith(visible[-k:].lower()):
                visible = visible[:-k]
                break
        cut = len(visible)
        partial = PARTIAL_MARKER.search(visible, max(0, cut - _MAX_PARTIAL))
        if partial is not None:
            cut = partial.start()
        return rewrite_markers(visible[:cut], self.n_sources)[0]

    def finish(self) -> str:
        """The display text once the stream has ended (nothing held back)."""
        return rewrite_markers(strip_reasoning(self.raw).strip(), self.n_sources)[0]
