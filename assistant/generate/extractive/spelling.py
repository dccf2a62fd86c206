"""A name the question misspells, read as the retrieved articles spell it.

'What did Okafr say?' of an archive that writes 'Okafor': retrieval still finds her (the
embedding model reads word pieces), but the name itself is then unknown, and an unknown name
means the articles do not mention her. A capitalised word of the question that the archive never
uses is read as the one name of the retrieved articles that is a single slip away (a letter
dropped, added, changed, or two swapped; two slips for a long name), begins with the same letter,
ends with the same letter unless the name is long (a short name the archive lacks, 'Lindo', is
more often another name than a slip of one it has, 'Lind'), and is the only such name, or by far
the commonest. A possessive typed without its apostrophe ('Okafors port', of an archive that writes
'Okafor' but never 'Okafors') is read as one. The answer notes the reading.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

_CAPITALISED = re.compile(r"(?<![\w-])[A-Z][a-z]+(?![\w-])")  # a plain name: no compound ('Ost-Vale')
_SHORTEST = 4  # a shorter word is too easily one slip from another name
_LONG = 8  # from this length on, two slips are allowed
_CLEARLY_COMMONER = 3  # a second candidate must be used this many times less to be passed over


def slips(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) from a to b, or limit + 1 when more."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before, row = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (a[i - 1] != b[j - 1]))
            if before is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


def respelled(question: str, texts: Iterable[str], known: Callable[[str], bool]) -> tuple[str, list[tuple[str, str]]]:
    """The question with each capitalised word the archive never uses (`known`) written as the retrieved
    articles spell the name it misspells, and the (typed, read) pairs."""
    words = [w for w in dict.fromkeys(_CAPITALISED.findall(question)) if len(w) >= _SHORTEST]
    bare = [w for w in words if len(w) > _SHORTEST and w.endswith("s")]  # a possessive without its apostrophe?
    unknown = [w for w in words if not known(w)]
    if not bare and not unknown:
        return question, []  # (the articles' names are counted only when a word may need them)
    names = Counter(w for text in texts for w in _CAPITALISED.findall(text))
    readings = [(w, w[:-1] + "'s") for w in bare if w not in names and w[:-1] in names]  # 'Okafors port'
    unknown = [w for w in unknown if w not in dict(readings)]
    for typed in unknown:
        limit = 2 if len(typed) >= _LONG else 1
        near = Counter({name: n for name, n in names.items() if name != typed and name[0] == typed[0]
                        and (len(typed) >= _LONG or name[-1] == typed[-1])
                        and slips(typed.lower(), name.lower(), limit) <= limit})
        ranked = near.most_common(2)
        if ranked and (len(ranked) == 1 or ranked[0][1] >= _CLEARLY_COMMONER * ranked[1][1]):
            readings.append((typed, ranked[0][0]))
    for typed, name in readings:
        question = re.sub(rf"\b{re.escape(typed)}\b", name, question)
    return question, readings
