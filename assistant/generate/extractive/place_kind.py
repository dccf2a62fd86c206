"""Which kind of place a name is: 'which country' is not answered by a state or a city, and
'Ankara' can stand for the country whose capital it is.

The entity model calls all three GPE. MiniLM tells them apart by meaning with no list of
places: a name is of the kind whose noun it is closest to ('Ohio' ~ 'state' 0.62 against
'country' 0.50), and is ruled out only when another kind is clearly closer.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

import numpy as np

from ...language.demonyms import formed_from
from ...language.words import CAPITALISED_FUNCTION_WORDS, PLACE_KINDS, WH_WORDS
from ...retrieve.text import STOPWORDS

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

    def _sims(self, name: str) -> np.ndarray:
        with self._lock:
            if self._matrix is None:
                self._matrix = np.asarray(self.embeddings.embed_array(self._kinds), dtype=np.float32)
            sims = self._memo.get(name)
            if sims is None:
                vector = np.asarray(self.embeddings.embed_array([name])[0], dtype=np.float32)
                sims = self._memo[name] = self._matrix @ vector
            return sims

    def fits(self, name: str, kind: str) -> bool:
        """False when the name is clearly closer in meaning to another kind of place."""
        sims = self._sims(name)
        return float(sims[self._kinds.index(kind)]) >= float(sims.max()) - _MARGIN

    def kind_of(self, name: str, floor: float = 0.0) -> str | None:
        """The kind of place the name is closest to in meaning ('Tokyo' -> 'city'), None under `floor`."""
        sims = self._sims(name)
        best = int(np.argmax(sims))
        return self._kinds[best] if sims[best] >= floor else None


# A capital and its country are this close in meaning ('Tokyo' ~ 'Japan' 0.75, 'Dublin' ~ 'Ireland' 0.79),
# and closer by _SEAT_MARGIN than to any other place the text names ('Dublin' ~ 'Britain' 0.47):
# 'Ottawa' (0.52 Canada) or 'Washington' (0.57 United States) stand for nothing.
_MIN_SEAT_SIMILARITY = 0.7
_SEAT_MARGIN = 0.05
# Capitalised runs of one to three words: the names a text may give a place ('United States', 'Tokyo').
_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+){0,2}\b")
_SEAT_KINDS = {"city": "country", "country": "city"}
# A speaker's description names a place by an adjective or its capital/country this alike ('Cairo' ~
# 'Egyptian' 0.66, 'Ankara' ~ 'Turkey' 0.72; 'Beijing' ~ 'Chinese' 0.57 is missed, never mistaken).
_DESCRIPTION_PLACE_SIMILARITY = 0.65
# Words before the place a role is held in ('ambassador to', 'envoy in').
_HOST_WORDS = frozenset({"to", "in", "at"})
# A name is taken for a place only this close to some kind's noun: places 0.5-0.7 ('Berlin' 0.59 city,
# 'China' 0.69 country), people and bodies at most ~0.37 ('Taylor Swift' 0.24, 'Apple' 0.35).
_MIN_PLACE_SIMILARITY = 0.45
# Name vectors kept between questions (~1.5 KB each).
_NAME_VECTORS = 20_000


def _without_function_words(run: str) -> str:
    """'The United States' -> 'United States': a capitalised sentence opening is no part of a name."""
    words = run.replace("-", " - ").split()
    while words and words[0].lower() in CAPITALISED_FUNCTION_WORDS:
        words.pop(0)
    return " ".join(words).replace(" - ", "-")


class CapitalSeats:
    """A capital stands for its country and a country for its capital: news writes 'Ankara warned' for
    Turkey's government. A text names a city-or-country subject when it names the place of the
    other kind that the subject is clearly closest to in meaning; no list of capitals."""

    def __init__(self, embeddings, kinds: PlaceKinds, capacity: int = _NAME_VECTORS):
        self.embeddings = embeddings
        self.kinds = kinds
        self.capacity = capacity
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _embedded(self, names: list[str]) -> np.ndarray:
        """The names' vectors, each embedded alone (an int8 graph quantises a batch with one scale, so a
        vector would depend on its batch-mates and an answer on what was asked before) and kept in a
        bounded cache: a server reads new names with every question."""
        with self._lock:
            for name in names:
                if name in self._vectors:
                    self._vectors.move_to_end(name)
                else:
                    self._vectors[name] = np.asarray(self.embeddings.embed_array([name])[0], dtype=np.float32)
            rows = np.stack([self._vectors[n] for n in names])
            while len(self._vectors) > self.capacity:
                self._vectors.popitem(last=False)
            return rows

    def named_in(self, place: str, text: str) -> bool:
        """Does the text name the country whose capital `place` is, or the capital of country `place`?"""
        wanted = _SEAT_KINDS.get(self.kinds.kind_of(place, _MIN_PLACE_SIMILARITY) or "")
        own = set(place.lower().split())
        names = [n for n in dict.fromkeys(_without_function_words(run) for run in _NAME_RUN.findall(text))
                 if n and not own & set(n.lower().split())]
        if wanted is None or not names:
            return False
        # other places: not the best one's own forms ('Turkish', 'Turkey-Greece')
        best = self._clearly_closest(place, names, _MIN_SEAT_SIMILARITY,
                                     lambda name, best: best in name or formed_from(name, best))
        return best is not None and self.kinds.kind_of(best, _MIN_PLACE_SIMILARITY) == wanted

    def _clearly_closest(self, place: str, names: list[str], floor: float, same) -> str | None:
        """The name closest in meaning to the place when it is at least `floor` alike and _SEAT_MARGIN
        closer than every name that is not `same(name, best)` as it; else None."""
        vectors = self._embedded([place] + names)
        sims = vectors[1:] @ vectors[0]
        best = int(np.argmax(sims))
        rivals = [float(x) for name, x in zip(names, sims) if not same(name, names[best])]
        if sims[best] < floor or (rivals and max(rivals) > sims[best] - _SEAT_MARGIN):
            return None
        return names[best]

    def in_description(self, place: str, description: str, as_owner: bool = False) -> bool:
        """Does a speaker's description name the place in another form: 'the ambassador of turkey to japan'
        names Ankara ('Turkey' 0.72) and Tokyo ('Japan' 0.75)? Its one- and two-word phrases are
        compared with the place, and the closest must be at least _DESCRIPTION_PLACE_SIMILARITY alike and
        _SEAT_MARGIN closer than any phrase not part of it ('board spokesperson' names no Tokyo).
        `as_owner`: the place owns the role ("Tokyo's diplomats"), so a place the role is held in ('ambassador
        to Japan') does not count."""
        tokens = [re.sub(r"[’']s$", "", w) for w in re.findall(r"[a-z][\w’'-]*", description.lower())]
        hosts = [i for i, w in enumerate(tokens) if w in _HOST_WORDS and (i == 0 or tokens[i - 1] != "according")]
        hosted = set(range(hosts[0] + 1, len(tokens))) if as_owner and hosts else set()
        kept = [(i, w) for i, w in enumerate(tokens) if w not in STOPWORDS]
        words = [w for _, w in kept]
        starts = [i for i, _ in kept]
        own = set(place.lower().split())
        grams = list(dict.fromkeys(" ".join(words[i:i + n]).title() for n in (1, 2) for i in range(len(words) - n + 1)
                                   if starts[i] not in hosted))
        grams = [g for g in grams if not own & set(g.lower().split())]
        if not grams:
            return False
        return self._clearly_closest(place, grams, _DESCRIPTION_PLACE_SIMILARITY,
                                     lambda gram, best: bool(set(gram.lower().split()) & set(best.lower().split()))) \
            is not None


class PlaceNames:
    """Every way besides its own name that a text may name a place: another of its names, its adjective,
    its capital or country."""

    def __init__(self, *namers):
        self.namers = namers

    def named_in(self, place: str, text: str) -> bool:
        return any(namer.named_in(place, text) for namer in self.namers)
