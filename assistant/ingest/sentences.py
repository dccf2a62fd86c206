"""Sentence splitting with character offsets, tuned for news prose.

Both the chunker and the extractive generator need sentences as exact spans of
the original text, so this returns (start, end) pairs instead of strings.
"""

from __future__ import annotations

import re

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "capt", "rep", "sen", "gov",
    "st", "jr", "sr", "inc", "ltd", "co", "corp", "no", "vs", "etc", "approx", "dept",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u", "s", "n", "e", "w", "d", "c", "k", "v", "p", "j", "a", "b", "f", "g", "h", "i", "l", "m", "o", "r", "t", "y", "z",
}

_ATTRIBUTION_AFTER = re.compile(
    r"(?:[A-Z][\w’'-]+\s+){0,3}?(?:[A-Z][\w’'-]+|he|she|they)\s+(?:said|says|wrote|asked|added|stressed|noted|insisted|told|warned)\b"
)
_OPENERS = "\"'“‘«(["
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, whitespace.
_BOUNDARY = re.compile(r"([.!?…]+)([\"'”’»)\]]*)(\s+)")


def _is_boundary(text: str, match: re.Match) -> bool:
    nxt = match.end()
    if nxt >= len(text):
        return True
    following = text[nxt]
    if following in _OPENERS:
        following = text[nxt + 1] if nxt + 1 < len(text) else ""
    if not following or not (following.isupper() or following.isdigit()):
        return False
    if match.group(1)[-1] in "?!" and match.group(2) and _ATTRIBUTION_AFTER.match(text, nxt):
        return False  # '“... really?” Halvorsen wrote on social media.' is one sentence
    if match.group(1) == "." and not match.group(2):
        word = re.search(r"([A-Za-z]+)$", text[: match.start()])
        if word and word.group(1).lower() in _ABBREVIATIONS and len(word.group(1)) <= 5:
            # "Gen. Okafor", "Mr. Roe", "D.C. summit": an abbreviation, unless a line break follows.
            if "\n" not in match.group(3):
                return False
    return True


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) offsets of the sentences in text[start:end], whitespace trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    segment = text[start:end]
    for match in _BOUNDARY.finditer(segment):
        if not _is_boundary(segment, match):
            continue
        stop = start + match.end(2)
        _append_trimmed(text, cursor, stop, spans)
        cursor = start + match.end()
    _append_trimmed(text, cursor, end, spans)
    return spans


_QUOTE_OPEN = "“«"
_QUOTE_CLOSE = "”»"


def _quote_depth(fragment: str) -> int:
    depth = sum(fragment.count(c) for c in _QUOTE_OPEN) - sum(fragment.count(c) for c in _QUOTE_CLOSE)
    return depth + (fragment.count('"') % 2)


def merge_quoted(text: str, spans: list[tuple[int, int]], max_merge: int = 4) -> list[tuple[int, int]]:
    """Join sentences that sit inside one open quotation, so a quote keeps its speaker.

    '“We oppose this approach. We do not agree with this approach at all.”' is one
    statement; quoting only its second half would lose who said it.
    """
    merged: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        a, b = spans[i]
        depth = _quote_depth(text[a:b])
        j = i
        while depth > 0 and j + 1 < len(spans) and j - i + 1 < max_merge:
            j += 1
            b = spans[j][1]
            depth = _quote_depth(text[a:b])
        if depth > 0 and j > i:  # never closed: keep the sentences apart
            merged.extend(spans[i:j + 1])
        else:
            merged.append((a, b))
        i = j + 1
    return merged


def _append_trimmed(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append((a, b))
