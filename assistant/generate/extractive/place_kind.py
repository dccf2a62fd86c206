"""Which kind of place a name is: 'which country' is not answered by a state or a city.

The entity model calls all three GPE. MiniLM tells them apart by meaning with no list of
places: a name is of the kind whose noun it is closest to ('Ohio' ~ 'state' 0.62 against
'country' 0.50), and is ruled out only when another kind is clearly closer.
"""

from __future__ import annotations

import threading

import numpy as np

from ...language.words import PLACE_KINDS, WH_WORDS

# Another kind must be this much closer than the asked one to rule a place out ('New York' is
# 0.60 city, 0.54 state: both; 'South Carolina' 0.57 state, 0.40 country: not a country).
_MARGIN = 0.08


def _asked_by_wh_word(token) -> bool:
    """'which country', 'which South Asian country': the wh-word, then only modifiers of the noun."""
    for before in reversed(token.doc[max(0, token.i - 4):token.i]):
        if before.lower_ in WH_WORDS:
            return True
        if before.pos_ not in ("ADJ", "PROPN") and before.dep_ not in ("amod", "compound"):
            return False
    return False


class PlaceKinds:
    """The place kind a question's head noun asks for, and whether a candidate is of it."""

    def __init__(self, embeddings):
        self.embeddings = embeddings
        self._kind_of_noun = {noun: kind for kind, nouns in PLACE_KINDS.items() for noun in nouns.split()}
        self._kinds = list(PLACE_KINDS)
        self._matrix: np.ndarray | None = None
        self._memo: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def asked(self, head: str | None, doc) -> str | None:
        """'country' for 'which country' or 'which nation'; None for nouns that name no kind, and
        where the wh-word asks for something else ('which part of the state')."""
        kind = self._kind_of_noun.get((head or "").lower().strip())
        return kind if kind and any(token.lower_ == head.lower() and _asked_by_wh_word(token) for token in doc) else None

    def fits(self, name: str, kind: str) -> bool:
        """False when the name is clearly closer in meaning to another kind of place."""
        with self._lock:
            if self._matrix is None:
                self._matrix = np.asarray(self.embeddings.embed_array(self._kinds), dtype=np.float32)
            sims = self._memo.get(name)
            if sims is None:
                vector = np.asarray(self.embeddings.embed_array([name])[0], dtype=np.float32)
                sims = self._memo[name] = self._matrix @ vector
        return float(sims[self._kinds.index(kind)]) >= float(sims.max()) - _MARGIN
