"""Place adjectives: 'Scottish' speaks of Scotland, 'Israeli' of Israel, with no list of places.

The form must fit first (the adjective is the place's own stem plus an English demonym ending,
'Scot' + 'tish'), then the meaning (MiniLM), which tells 'Austrian' from 'Australia' where the
form alone cannot. Each pair is judged once per process.
"""

from __future__ import annotations

import re
import threading

import numpy as np

from .words import DEMONYM_ENDINGS, PLACE_NAME_ENDINGS

# An adjective and its place must be at least this close in meaning ('English' ~ 'England' is 0.59,
# 'Austrian' ~ 'Australia' 0.51; 'Scottish' ~ 'Scotland' 0.81, 'German' ~ 'Germany' 0.66).
_MIN_SIMILARITY = 0.65
_MIN_STEM = 4
_ADJECTIVE = re.compile(rf"\b[A-Z][a-z]+(?:{'|'.join(DEMONYM_ENDINGS)})\b")


def _stems(adjective: str) -> set[str]:
    """'Scottish' -> {'scott', 'scot'}: the adjective without its ending (and a doubled last letter)."""
    word = adjective.lower()
    stems = set()
    for ending in DEMONYM_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            stem = word[: -len(ending)]
            stems.add(stem)
            if len(stem) > _MIN_STEM and stem[-1] == stem[-2]:
                stems.add(stem[:-1])
    return stems


def formed_from(adjective: str, place: str) -> bool:
    """Could the adjective be made from the place's name ('Scottish' / 'Scotland', 'Chinese' / 'China')?"""
    name = place.lower()
    return adjective.lower() != name and any(name.startswith(stem) for stem in _stems(adjective))


def shaped_like_a_demonym(word: str) -> bool:
    """'Scottish', 'Israelis', 'Democrats': a word a nationality or group tag fits (a demonym ending, or a
    plural); 'Ostvale' is not one, whatever the small NER model tagged it."""
    return bool(_ADJECTIVE.fullmatch(word)) or word.endswith("s")


def place_spellings(adjective: str) -> list[str]:
    """The names the adjective's place may have, by form alone ('Valdorese' -> 'Valdora', 'Valdor',
    ...; 'Norlandian' -> 'Norlandia', ...): to be checked against a corpus's words and by meaning."""
    stems = sorted(_stems(adjective) | {adjective.lower()}, key=len, reverse=True)
    return list(dict.fromkeys((stem + ending).capitalize() for stem in stems for ending in PLACE_NAME_ENDINGS
                              if (stem + ending) != adjective.lower()))


class PlaceAdjectives:
    """Judges whether a text's adjective names a place ('Scottish leader' is about Scotland)."""

    def __init__(self, embeddings=None):
        self.embeddings = embeddings
        self._memo: dict[tuple[str, str], bool] = {}
        self._lock = threading.Lock()

    def same(self, adjective: str, place: str) -> bool:
        if not formed_from(adjective, place):
            return False
        if self.embeddings is None:
            return True
        key = (adjective.lower(), place.lower())
        with self._lock:
            if key not in self._memo:
                vectors = np.asarray(self.embeddings.embed_array([adjective, place]), dtype=np.float32)
                self._memo[key] = float(vectors[0] @ vectors[1]) >= _MIN_SIMILARITY
            return self._memo[key]

    def named_in(self, place: str, text: str) -> bool:
        """Does the text speak of a one-word place by its adjective?"""
        if " " in place.strip() or not place[:1].isupper():
            return False
        return any(self.same(m.group(0), place) for m in _ADJECTIVE.finditer(text)
                   if m.group(0)[:_MIN_STEM].lower() == place[:_MIN_STEM].lower())
