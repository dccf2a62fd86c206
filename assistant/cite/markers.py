"""The citation marker, written once: what "[1]", "[1, 2]", "[1-3]" or "[Source 2]" look like.

Post-processing (cite/), the chat's clickable markers (present/) and the evaluation's
answer text (evaluation/) all read markers with these, so they agree on what one is.
"""

from __future__ import annotations

import re

# [1]  [1, 2]  [1;2]  [1-3]  [Source 2]: group 1 is the body with the numbers.
MARKER = re.compile(r"\[\s*(?:sources?\s*)?(\d{1,3}(?:\s*[,;\-–]\s*\d{1,3})*)\s*\]", re.IGNORECASE)
# What a marker can look like before its "]" has arrived (streaming).
PARTIAL_MARKER = re.compile(r"\[\s*(?:s(?:o(?:u(?:r(?:c(?:es?)?)?)?)?)?)?\s*[\d\s,;\-–]*\Z", re.IGNORECASE)
_SPACED_MARKER = re.compile(r"\s*" + MARKER.pattern, MARKER.flags)
_MAX_RANGE = 20


def marker_numbers(body: str) -> list[int]:
    """The numbers inside one marker's brackets: "1, 2" -> [1, 2]; "1-3" -> [1, 2, 3]."""
    numbers: list[int] = []
    for part in re.split(r"\s*[,;]\s*", body.strip()):
        bounds = re.split(r"\s*[\-–]\s*", part)
        if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
            lo, hi = int(bounds[0]), int(bounds[1])
            if lo <= hi <= lo + _MAX_RANGE:
                numbers.extend(range(lo, hi + 1))
                continue
        numbers.extend(int(b) for b in bounds if b.isdigit())
    return numbers


def strip_markers(text: str) -> str:
    """The text without its markers (and the space before each), e.g. to compare wording."""
    return _SPACED_MARKER.sub("", text or "")
