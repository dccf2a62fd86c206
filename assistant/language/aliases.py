"""Other names of a named place or thing: a country's short name, its full name, its abbreviation (WordNet).

A question names a country by its short name, the article by its abbreviation: the passage is
about the question's subject all the same. WordNet 3.0 lists the names of each named thing it
knows (its "instance" senses) together; only a name's commonest sense is read (a name shared by
a capital, a state and a president stands for the capital), and only other names written as
names (each word capitalised: 'Kingdom of Valdor' is a phrase, 'VLD' a name), so a description
such as 'capital of Valdor' is never looked for in a text. It tells instead that the city is
Valdor's capital: a capital counts as a name of its country and back ('Harbourton said' speaks
for Valdor), unless the country's name is shared by two places (it has two capitals, or is itself
the name of a capital). The names are read from WordNet's noun data on first use (about 0.3 s);
most questions never need them.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from .kinds import wordnet_folder
from .words import CAPITALISED_FUNCTION_WORDS


def _first_senses(folder: Path, lemmas: set[str]) -> dict[str, int]:
    """The offset of the commonest sense of each of these lemmas (index.noun lists senses by frequency)."""
    first: dict[str, int] = {}
    with open(folder / "index.noun", encoding="utf-8") as index:
        for line in index:
            if line[:line.find(" ")] in lemmas:  # the licence header's lines start with a space
                fields = line.split()
                first[fields[0]] = int(fields[-int(fields[2])])
    return first


_CAPITALISED_NEXT = re.compile(r" [A-Z]")
_CAPITAL_OF = re.compile(r"capital of (?:the )?(.+)$", re.I)


def _written_as_a_name(name: str) -> bool:
    return all(word[:1].isupper() for word in name.split())


class NameAliases:
    """'Is this place named in that text by another of its names?'"""

    def __init__(self, folder: Path | None = None):
        self._folder = folder
        self._names: dict[str, tuple[str, ...]] | None = None
        self._lock = threading.Lock()

    def _loaded(self) -> dict[str, tuple[str, ...]]:
        if self._names is None:
            with self._lock:
                if self._names is None:
                    folder = self._folder or wordnet_folder()
                    self._names = self._read(folder) if folder else {}
        return self._names

    @staticmethod
    def _read(folder: Path) -> dict[str, tuple[str, ...]]:
        """Names written as names of the commonest sense of each lemma, when that sense is a named thing; a
        capital's names include its country's (WordNet names it 'capital of X'), and a country's its capital's."""
        by_offset: dict[int, tuple[str, ...]] = {}
        with open(folder / "data.noun", encoding="utf-8") as data:
            for line in data:
                if line.startswith(" ") or " @i " not in line:  # licence header; not an instance of a kind
                    continue
                fields = line.split(" | ", 1)[0].split()
                count = int(fields[3], 16)
                by_offset[int(fields[0])] = tuple(fields[4 + 2 * i] for i in range(count))  # 'United_Kingdom'
        first = _first_senses(folder, {name.lower() for names in by_offset.values() for name in names})
        by_offset = {offset: tuple(name.replace("_", " ") for name in names) for offset, names in by_offset.items()}
        sense = {lemma.replace("_", " "): offset for lemma, offset in first.items() if offset in by_offset}
        capitals: dict[int, list[int]] = {}  # a country's sense -> the senses named its capital
        for offset, names in by_offset.items():
            for name in names:
                country = _CAPITAL_OF.match(name)
                if country and country.group(1).lower() in sense:
                    capitals.setdefault(sense[country.group(1).lower()], []).append(offset)
        # a capital <-> its country, unless the name read as the country names two places: it has two
        # capitals (a state's and a country's), or it is itself a capital (the capital of a state of that name)
        seats = {city for cities in capitals.values() for city in cities}
        seat_of: dict[int, int] = {}
        for country, cities in capitals.items():
            if len(cities) == 1 and country not in seats:
                seat_of[country], seat_of[cities[0]] = cities[0], country
        written = {offset: tuple(filter(_written_as_a_name, names)) for offset, names in by_offset.items()}
        return {lemma: written[offset] + (written[seat_of[offset]] if offset in seat_of else ())
                for lemma, offset in sense.items()}

    def aliases(self, name: str) -> list[str]:
        """The other names written as names of the thing `name` most commonly is ('Valdor' -> 'Valdoria', 'VLD')."""
        own = " ".join(name.split()).lower()
        return [other for other in self._loaded().get(own, ()) if other.lower() != own]

    def named_in(self, name: str, text: str) -> bool:
        """Another of the name's names in the text, standing alone: not part of a longer name (a
        capitalised word right before or after it: 'North Valdor' is another place than 'Valdor')."""
        for other in self.aliases(name):
            for match in re.finditer(rf"(?<![\w.]){re.escape(other)}(?!\w)", text):
                before = text[:match.start()].split()[-1:]
                longer = before and before[0][:1].isupper() and before[0].lower() not in CAPITALISED_FUNCTION_WORDS
                if not longer and not _CAPITALISED_NEXT.match(text, match.end()):
                    return True
        return False


_SHARED = NameAliases()


def shared_aliases() -> NameAliases:
    """The process's aliases: WordNet's names are read once, by whichever question first needs them."""
    return _SHARED
