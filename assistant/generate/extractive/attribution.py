"""Who says what: sentence units of an article with their speakers resolved.

News attributes a quote once ("Peskov said, ...") and then carries on with
"He added, ..." or a bare continuation. Resolving those back to the named person
is what keeps the answer from handing one official's words to another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...types import RetrievedChunk
from ...ingest.sentences import merge_quoted, split_sentences

SPEECH_VERBS = (
    r"said|says|saying|stressed|stressing|noted|noting|added|adding|emphasi[sz]ed|reiterated|questioned|insisted|"
    r"wrote|warned|warning|stated|stating|told|explained|suggested|mentioned|alleged|anticipated|threatened|"
    r"reacted|slammed|slamming|clarified|commented|inferred|argued|claimed|asked|replied|responded|announced|"
    r"urged|described|declared|remarked|acknowledged|confirmed|denied|expressed|reaffirmed|repeated|"
    r"quoted|cautioned|criticized|criticised|called|accused|vowed|pledged|affirmed|speculated|"
    r"say|state|clarify|stress|note|warn|add|emphasi[sz]e|explain|insist|reiterate|question|comment"
)
_VERB = rf"(?:{SPEECH_VERBS})"
_ADVERBS = r"(?:(?:also|further|then|has|had|have|promptly|strongly|reportedly|later|again|continued to|went on to)\s+)*"
_NAME = r"(?:[A-Z][\w’'-]+\s+){0,3}[A-Z][\w’'-]+"
_NAME_THEN_VERB = re.compile(rf"(?P<name>{_NAME})\s*,?\s+{_ADVERBS}{_VERB}\b")
_VERB_THEN_NAME = re.compile(rf"\b(?:said|says|added|wrote|stressed|noted|insisted|asked)\s+(?P<name>{_NAME})\b")
_ROLE_WORDS = (
    r"he|she|they|it|the (?:[\w’'-]+ ){0,2}?(?:diplomat|ambassador|envoy|minister|ministry|"
    r"spokesman|spokeswoman|spokesperson|president|leader|official|government|newspaper|chairman|kremlin)"
)
_ORG_THEN_VERB = re.compile(
    rf"(?P<org>(?:[A-Z][\w’'-]*\s+){{1,3}}(?:foreign |defense |defence |unification )?(?:ministry|government|office))\s+{_ADVERBS}{_VERB}\b"
)
_ROLE_THEN_VERB = re.compile(rf"\b(?P<role>{_ROLE_WORDS})\s*,?\s+{_ADVERBS}{_VERB}\b", re.I)
_VERB_THEN_ROLE = re.compile(rf"\b(?:said|says|added|wrote|stressed|noted|quoted)\s+(?P<role>{_ROLE_WORDS})\b", re.I)

# Capitalised words that name places, bodies or titles, never a speaker by themselves.
NOT_PEOPLE = frozenset("""
russia russian russians moscow kremlin seoul south north korea korean koreans ukraine ukrainian kyiv kiev us u.s
united states washington pyongyang nato un u.n west western europe european china chinese japan italy dprk
security council foreign ministry defense defence president minister ambassador chairman spokesman spokeswoman
spokesperson deputy national prime government the a an in on at for and but if as it its this that these those
there their they he she we our his her unfortunately however meanwhile regarding since when while after before
during such last earlier later then also according reuters tass sputnik newspaper news agency daily times
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december comprehensive strategic partnership agreement special military operation
international economic forum treaty organization republic democratic people's people’s peninsula asia pacific
state affairs committee business aju bbc cnn ap afp yonhap iraqi al hamdaniyah statement interview summit
""".split())

_ROLE_SYNONYMS = {
    "diplomat": ("ambassador", "envoy", "diplomat"), "envoy": ("ambassador", "envoy", "diplomat"),
    "ambassador": ("ambassador", "envoy", "diplomat"), "president": ("president",), "minister": ("minister",),
    "ministry": ("ministry",), "spokesman": ("spokesman", "spokesperson", "spokeswoman"),
    "spokeswoman": ("spokeswoman", "spokesperson"), "spokesperson": ("spokesperson", "spokesman", "spokeswoman"),
    "chairman": ("chairman",), "kremlin": ("kremlin",), "leader": ("leader",),
}


@dataclass
class Unit:
    """One sentence (or one whole quotation) of an article, with its speaker if any."""

    source: str
    start: int
    end: int
    text: str
    speaker: str | None = None  # resolved name or body ("Dmitry Peskov", "Seoul's foreign ministry")
    explicit: bool = False  # the speaker is named in this very sentence
    is_quote: bool = False  # contains quoted speech
    chunk: RetrievedChunk | None = None
    speaker_desc: str = ""  # the speaker's name and how the article describes them ("kremlin spokesperson ...")
    context: str = ""  # the sentences just before and after (what "this" and "he" refer to)


def is_person_token(word: str) -> bool:
    word = word.strip("’'.,")
    return bool(word) and word[0].isupper() and word.lower().rstrip("’'s") not in NOT_PEOPLE and word.lower() not in NOT_PEOPLE


def _person_name(phrase: str) -> str | None:
    """The trailing run of person-like words in a phrase ('Kremlin spokesman Dmitry Peskov' -> 'Dmitry Peskov')."""
    words = phrase.split()
    run: list[str] = []
    for word in reversed(words):
        if is_person_token(word):
            run.insert(0, word.strip(",.’'"))
        elif run:
            break
    return " ".join(run) if run else None


_TITLE_WORDS = frozenset("""spokesperson spokesman spokeswoman minister ministry ambassador envoy president chairman deputy
leader official foreign defense defence national security council kremlin russian korean south north of the to prime
secretary general chief head senior former vice""".split())


def _title_before(text: str, start: int) -> str:
    """The title words right before a name ('Kremlin spokesperson' in 'Kremlin spokesperson Dmitry Peskov')."""
    words = re.findall(r"[\w’'-]+", text[max(0, start - 80):start])
    title: list[str] = []
    for word in reversed(words):
        if word[0].isupper() or word.lower() in _TITLE_WORDS:
            title.insert(0, word)
        else:
            break
    return " ".join(title)


class PeopleRegistry:
    """Names seen in an article: full names by any of their words, and their descriptors."""

    _FULL = re.compile(r"((?:[A-Z][\w-]*\s+){0,4})((?:[A-Z][\w-]+)(?:\s+[A-Z][\w-]+){1,2})")

    def __init__(self) -> None:
        self.by_token: dict[str, str] = {}
        self.descriptor: dict[str, str] = {}
        self.order: list[str] = []  # mentions in reading order

    def observe(self, text: str) -> list[str]:
        """Record people named in a sentence; return them in order of appearance."""
        found: list[tuple[int, str]] = []
        for match in self._FULL.finditer(text):
            name = _person_name(match.group(2))
            if name and " " in name:
                full = self.by_token.get(name.split()[-1].lower(), name) if len(name.split()) < 2 else name
                for token in name.replace("-", " ").split():
                    self.by_token.setdefault(token.lower(), full)
                self.descriptor[full] = (self.descriptor.get(full, "") + " " + _title_before(text, match.start(2))).lower()
                found.append((match.start(2), full))
        for match in re.finditer(r"\b[A-Z][\w-]+\b", text):
            full = self.lookup(match.group(0)) if is_person_token(match.group(0)) else None
            if full and is_person_token(match.group(0)):
                found.append((match.start(), full))
        found.sort()
        names = []
        for _, name in found:
            if name not in names:
                names.append(name)
        self.order.extend(names)
        return names

    def lookup(self, token: str) -> str | None:
        """Full name for one word of it; a prefix works too ('Putin' finds 'Vladimir Putinhas')."""
        token = token.lower()
        if token in self.by_token:
            return self.by_token[token]
        if len(token) >= 4:
            for known, full in self.by_token.items():
                if known.startswith(token):
                    return full
        return None

    def resolve(self, phrase: str) -> str | None:
        name = _person_name(phrase)
        if not name:
            return None
        return self.lookup(name.split()[-1]) or self.lookup(name.split()[0]) or name

    def by_role(self, role: str) -> str | None:
        """The most recently mentioned person whose descriptor fits a role noun ('the diplomat')."""
        noun = role.lower().split()[-1]
        wanted = _ROLE_SYNONYMS.get(noun)
        if not wanted:
            return None
        for name in reversed(self.order):
            descriptor = self.descriptor.get(name, "")
            if any(w in descriptor for w in wanted):
                return name
        return None


def _has_quote(text: str) -> bool:
    return any(c in text for c in "“”\"«»")


_DATELINE_ONLY = re.compile(r"^[A-Z][A-Z .'-]+,\s*\w+\.? \d{1,2}\.?\s*(?:/[^/]{1,30}/\.?|\([^)]{1,30}\)\s*[-–—]?)?$")


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a chunk, paragraph by paragraph, with datelines and fragments attached."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"\S(?:.*?\S)?(?=\s*(?:\n\s*\n|$))", text, re.S):
        pieces = merge_quoted(text, split_sentences(text, para.start(), para.end()))
        merged: list[tuple[int, int]] = []
        carry: int | None = None
        for a, b in pieces:
            if carry is not None:
                a, carry = carry, None
            piece = text[a:b]
            if _DATELINE_ONLY.match(piece):  # "SEOUL, May 10. /TASS/." belongs to the sentence after it
                carry = a
                continue
            if len(piece) < 20 and merged and piece[:1].isupper() and piece.endswith("."):
                merged[-1] = (merged[-1][0], b)  # a stray fragment ("South Koreans.") joins the sentence before
                continue
            merged.append((a, b))
        if carry is not None:
            merged.append((carry, pieces[-1][1]))
        spans.extend(merged)
    return spans


def article_units(chunks: list[RetrievedChunk]) -> list[Unit]:
    """Sentence units of one article's chunks (reading order, overlap removed), speakers resolved."""
    units: list[Unit] = []
    seen: set[int] = set()
    people = PeopleRegistry()
    last_speaker: str | None = None
    last_org: str | None = None
    last_end = -1
    for chunk in sorted(chunks, key=lambda c: c.start):
        for a, b in _sentence_spans(chunk.text):
            start = chunk.start + a
            if start in seen or start < last_end:
                continue
            seen.add(start)
            text = chunk.text[a:b]
            paragraph_break = "\n\n" in chunk.text[max(0, a - 3):a] or start - last_end > 3
            last_end = chunk.start + b
            mentioned = people.observe(text)
            speaker, explicit = _speaker_of(text, people, last_speaker, last_org)
            if speaker is None and _has_quote(text) and text.lstrip()[:1] in "“\"«" and not paragraph_break:
                speaker = last_speaker  # a bare continuation of the previous quotation
            unit = Unit(chunk.source, start, last_end, text, speaker, explicit, _has_quote(text), chunk)
            units.append(unit)
            if speaker and speaker[0].isupper() and not _is_body(speaker):
                last_speaker = speaker
            elif speaker:
                last_org = speaker
            elif mentioned:
                last_speaker = mentioned[-1] if not _has_quote(text) else last_speaker
    for i, unit in enumerate(units):
        unit.context = " ".join(u.text for u in units[max(0, i - 1):i + 2] if u is not unit)
        unit.speaker_desc = " ".join(filter(None, [unit.speaker, people.descriptor.get(unit.speaker or "", "")])).lower()
    return units


def _is_body(speaker: str) -> bool:
    return bool(re.search(r"ministry|government|office|kremlin", speaker, re.I))


def _people_before(text: str, end: int, people: PeopleRegistry) -> list[str]:
    return [full for m in re.finditer(r"\b[A-Z][\w-]+\b", text[:end])
            if is_person_token(m.group(0)) and (full := people.lookup(m.group(0)))]


def _speaker_of(text: str, people: PeopleRegistry, last_speaker: str | None, last_org: str | None):
    """(speaker, explicit) for one sentence, or (None, False) when nobody is speaking in it."""
    for pattern in (_NAME_THEN_VERB, _VERB_THEN_NAME):
        for match in pattern.finditer(text):
            name = people.resolve(match.group("name"))
            if name:
                return name, True
    org = _ORG_THEN_VERB.search(text)
    if org:
        return org.group("org").strip(), True
    for pattern in (_ROLE_THEN_VERB, _VERB_THEN_ROLE):
        match = pattern.search(text)
        if not match:
            continue
        role = match.group("role").lower()
        if role in ("he", "she", "they"):
            earlier = _people_before(text, match.start(), people)
            return (earlier[-1] if earlier else last_speaker), False
        if role == "it" or role.endswith(("ministry", "government", "kremlin")):
            return (last_org if role == "it" or "ministry" in role else None) or match.group("role"), False
        by_role = people.by_role(role)
        return (by_role or last_speaker), False
    return None, False
