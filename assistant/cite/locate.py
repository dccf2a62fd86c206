"""Find the text an LLM quoted in the article it cited, as exact file offsets.

An LLM rarely copies perfectly: it straightens curly quotes, collapses line
breaks, changes case or drops a word. So a quote is looked for exactly first,
then after normalising whitespace, quote characters and case, then fuzzily.
Whatever matched, the result is always the article file's own text at offsets
in the file, never the LLM's version.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Sequence

from rapidfuzz import fuzz

from ..ingest.sentences import split_sentences
from ..types import RetrievedChunk

FUZZY_THRESHOLD = 90.0
_MIN_FUZZY_CHARS = 12  # a short fragment matches "somewhere" in any article
_CHAR_MAP = str.maketrans({
    "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'",
    "–": "-", "—": "-", "‑": "-", "−": "-",
    "\u00a0": " ",
})
_QUOTE_CHARS = " \t\r\n\"'“”‘’«»"
_END_PUNCT = " \t\r\n\"'“”‘’«»….,;:"
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)\s*")


class Located(NamedTuple):
    """Where a quote sits in the article file, and the file's exact text there."""

    start: int
    end: int
    text: str


class _Segment(NamedTuple):
    start: int  # offset of text[0] in the article file
    text: str


def _segments(chunks: Sequence[RetrievedChunk]) -> list[_Segment]:
    """Merge overlapping chunks of one article into contiguous stretches of file text."""
    merged: list[_Segment] = []
    for chunk in sorted((c for c in chunks if c.text), key=lambda c: c.start):
        if merged:
            prev = merged[-1]
            prev_end = prev.start + len(prev.text)
            overlap = prev_end - chunk.start
            if 0 <= overlap <= len(chunk.text) and prev.text[len(prev.text) - overlap:] == chunk.text[:overlap]:
                merged[-1] = _Segment(prev.start, prev.text + chunk.text[overlap:])
                continue
            if chunk.start + len(chunk.text) <= prev_end and chunk.text in prev.text:
                continue  # wholly inside the previous stretch
        merged.append(_Segment(chunk.start, chunk.text))
    return merged


def _normalise(text: str) -> tuple[str, list[int]]:
    """Fold quotes, dashes, case and whitespace runs; keep a map back to original indices."""
    out: list[str] = []
    index: list[int] = []
    last_space = True
    for i, ch in enumerate(text.translate(_CHAR_MAP)):
        if ch.isspace():
            if not last_space:
                out.append(" ")
                index.append(i)
            last_space = True
            continue
        last_space = False
        folded = ch.lower()
        if len(folded) != 1:  # keep a one-to-one map
            folded = ch
        out.append(folded)
        index.append(i)
    return "".join(out), index


def _clean_quote(quote: str, punctuation: bool = True) -> str:
    """Strip surrounding quote marks and, unless told not to, trailing punctuation too."""
    return quote.strip(_END_PUNCT if punctuation else _QUOTE_CHARS)


def _snap(text: str, a: int, b: int) -> tuple[int, int]:
    """Widen [a, b) to whole words and trim surrounding whitespace."""
    while a > 0 and text[a - 1].isalnum() and text[a].isalnum():
        a -= 1
    while b < len(text) and text[b - 1].isalnum() and text[b].isalnum():
        b += 1
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _found(seg: _Segment, a: int, b: int) -> Located:
    return Located(seg.start + a, seg.start + b, seg.text[a:b])


def _find_normalised(needle: str, seg: _Segment, from_norm: int = 0) -> tuple[int, int, int] | None:
    """(orig_start, orig_end, norm_end) of needle in seg after normalising both, or None."""
    hay, index = _normalise(seg.text)
    norm_needle, _ = _normalise(needle)
    norm_needle = norm_needle.strip()
    if not norm_needle:
        return None
    j = hay.find(norm_needle, from_norm)
    if j < 0:
        return None
    k = j + len(norm_needle)
    return index[j], index[k - 1] + 1, k


def _find_pieces(quote: str, seg: _Segment) -> tuple[int, int] | None:
    """A quote with elisions ("a ... b"): every piece in order gives the span from first to last."""
    pieces = [p for p in (_clean_quote(p) for p in _ELLIPSIS.split(quote)) if p]
    if len(pieces) < 2:
        return None
    start = end = None
    cursor = 0
    for piece in pieces:
        hit = _find_normalised(piece, seg, cursor)
        if hit is None:
            return None
        start = hit[0] if start is None else start
        end, cursor = hit[1], hit[2]
    return start, end


def locate_quote(
    quote: str, chunks_for_source: Sequence[RetrievedChunk], threshold: float = FUZZY_THRESHOLD
) -> Located | None:
    """Find quote in one article's retrieved chunks: exact, then normalised, then fuzzy.

    Returns file offsets (chunk.start + offset in the chunk) and the exact file
    text there, or None when nothing matches well enough.
    """
    q = _clean_quote(quote)
    if len(q) < 3:
        return None
    tries = list(dict.fromkeys([_clean_quote(quote, punctuation=False), q]))
    segments = _segments(chunks_for_source)
    for t in tries:
        for seg in segments:
            i = seg.text.find(t)
            if i >= 0:
                return _found(seg, i, i + len(t))
    for t in tries:
        for seg in segments:
            hit = _find_normalised(t, seg)
            if hit is not None:
                return _found(seg, hit[0], hit[1])
    for seg in segments:
        span = _find_pieces(q, seg)
        if span is not None:
            return _found(seg, *span)
    return _fuzzy(q, segments, threshold)


def _fuzzy(q: str, segments: list[_Segment], threshold: float) -> Located | None:
    norm_q, _ = _normalise(q)
    if len(norm_q) < _MIN_FUZZY_CHARS:
        return None
    best: tuple[float, _Segment, int, int] | None = None
    for seg in segments:
        hay, index = _normalise(seg.text)
        if len(norm_q) > len(hay):
            continue
        al = fuzz.partial_ratio_alignment(norm_q, hay, score_cutoff=threshold)
        if al is None or al.dest_end <= al.dest_start:
            continue
        if best is None or al.score > best[0]:
            a, b = _refine(norm_q, hay, al.dest_start, al.dest_end)
            best = (al.score, seg, index[a], index[b - 1] + 1)
    if best is None:
        return None
    _, seg, a, b = best
    a, b = _snap(seg.text, a, b)
    return _found(seg, a, b) if b > a else None


def _refine(needle: str, hay: str, a: int, b: int) -> tuple[int, int]:
    """Move a fixed-width alignment's ends to the word boundaries that best fit the needle.

    partial_ratio aligns a window exactly as long as the needle, so a quote that
    dropped a word ends up shifted; nearby word boundaries are tried instead.
    """
    slack = max(8, len(needle) // 5)
    starts = [i for i in range(max(0, a - slack), min(len(hay), a + slack + 1))
              if hay[i].isalnum() and (i == 0 or not hay[i - 1].isalnum())]
    ends = [j for j in range(max(1, b - slack), min(len(hay), b + slack) + 1)
            if hay[j - 1].isalnum() and (j == len(hay) or not hay[j].isalnum())]
    best = (fuzz.ratio(needle, hay[a:b]), a, b)
    for i in starts or [a]:
        for j in ends or [b]:
            if j > i:
                score = fuzz.ratio(needle, hay[i:j])
                if score > best[0]:
                    best = (score, i, j)
    return best[1], best[2]


def best_sentence(claim: str, chunks_for_source: Sequence[RetrievedChunk]) -> Located | None:
    """The sentence of these chunks that best matches a claim (token_set_ratio); None if no text."""
    best: tuple[float, Located] | None = None
    for seg in _segments(chunks_for_source):
        for a, b in split_sentences(seg.text):
            score = fuzz.token_set_ratio(claim, seg.text[a:b], processor=str.lower) if claim else 0.0
            if best is None or score > best[0]:
                best = (score, _found(seg, a, b))
    return best[1] if best else None
