"""Who says what: sentence units of an article with their speakers resolved.

News attributes a quote once ("Okafor said, ...") and then carries on with
"He added, ..." or a bare continuation. Resolving those back to the named person
is what keeps the answer from handing one official's words to another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...ingest.sentences import merge_quoted, split_sentences
from ...language.words import (
    BODY_NOUNS,
    CAPITALISED_FUNCTION_WORDS,
    HONORIFICS,
    REPORTING_VERBS,
    REPORTING_VERBS_BEFORE_NAME,
    ROLE_EQUIVALENTS,
    ROLE_NOUNS,
    SPEECH_ADVERBS,
    TITLE_WORDS,
)
from ...types import RetrievedChunk

def _alternation(words) -> str:
    return "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True))


SPEECH_VERBS = _alternation(REPORTING_VERBS)
_VERB = rf"(?:{SPEECH_VERBS})"
_ADVERBS = rf"(?:(?:{_alternation(SPEECH_ADVERBS)})\s+)*"
_NAME = r"(?:[A-Z][\w’'-]+\s+){0,3}[A-Z][\w’'-]+"
_NAME_THEN_VERB = re.compile(rf"(?P<name>{_NAME})\s*,?\s+{_ADVERBS}{_VERB}\b")
_VERB_THEN_NAME = re.compile(rf"\b(?:{_alternation(REPORTING_VERBS_BEFORE_NAME)})\s+(?P<name>{_NAME})\b")
_ROLES = _alternation(ROLE_NOUNS)
_BODIES = _alternation(BODY_NOUNS)
_ROLE_WORDS = rf"he|she|they|it|the (?:[\w’'-]+ ){{0,2}}?(?:{_ROLES}|{_BODIES})"
_ORG_THEN_VERB = re.compile(
    rf"(?P<org>(?:[A-Z][\w’'-]*\s+){{1,3}}(?:[a-z]+ )?(?:{_BODIES}))\s+{_ADVERBS}{_VERB}\b"
)
_ROLE_THEN_VERB = re.compile(rf"\b(?P<role>{_ROLE_WORDS})\s*,?\s+{_ADVERBS}{_VERB}\b", re.I)
_VERB_THEN_ROLE = re.compile(rf"\b(?:said|says|added|wrote|stressed|noted|quoted)\s+(?P<role>{_ROLE_WORDS})\b", re.I)

# Capitalised words that are never a speaker's name by themselves: function words and titles.
# Which other capitalised words name places or bodies comes from the NLP model (see NameKinds).
_NEVER_NAMES = CAPITALISED_FUNCTION_WORDS | TITLE_WORDS | frozenset(BODY_NOUNS) | HONORIFICS


@dataclass
class Unit:
    """One sentence (or one whole quotation) of an article, with its speaker if any."""

    source: str
    start: int
    end: int
    text: str
    speaker: str | None = None  # resolved name or body ("Ada Okafor", "Riverton's foreign ministry")
    explicit: bool = False  # the speaker is named in this very sentence
    is_quote: bool = False  # contains quoted speech
    chunk: RetrievedChunk | None = None
    speaker_desc: str = ""  # the speaker's name and how the article describes them ("board spokesperson ...")
    context: str = ""  # the sentences just before and after (what "this" and "he" refer to)


# A sentence that starts this close after another (a space or a line break between) continues it.
_ADJACENT_CHARS = 4


def follows(unit: Unit, before: Unit) -> bool:
    """Is `unit` the sentence right after `before` in the same article?"""
    return unit.source == before.source and 0 <= unit.start - before.end <= _ADJACENT_CHARS


def is_person_token(word: str, not_names: frozenset[str] = _NEVER_NAMES) -> bool:
    """A capitalised word that may be part of a person's name (not a function word, title or known place)."""
    word = word.strip("’'.,")
    if not word or not word[0].isupper():
        return False
    lower = word.lower()
    return lower not in not_names and lower.removesuffix("’s").removesuffix("'s") not in not_names


def _person_name(phrase: str, not_names: frozenset[str] = _NEVER_NAMES) -> str | None:
    """The trailing run of person-like words in a phrase ('Board spokesman Ada Okafor' -> 'Ada Okafor')."""
    words = phrase.split()
    run: list[str] = []
    for word in reversed(words):
        if is_person_token(word, not_names):
            run.insert(0, word.strip(",.’'"))
        elif run:
            break
    return " ".join(run) if run else None


def _title_before(text: str, start: int) -> str:
    """The title words right before a name ('Board spokesperson' in 'Board spokesperson Ada Okafor')."""
    words = re.findall(r"[\w’'-]+", text[max(0, start - 80):start])
    title: list[str] = []
    for word in reversed(words):
        if word[0].isupper() or word.lower() in TITLE_WORDS:
            title.insert(0, word)
        else:
            break
    return " ".join(title)


_CAPITALISED_RUN = re.compile(r"((?:[A-Z][\w-]*\s+){0,4})((?:[A-Z][\w-]+)(?:\s+[A-Z][\w-]+){1,2})")


@lru_cache(maxsize=8192)  # whole articles are learnt on each reading of each question that retrieves them
def _capitalised_runs(text: str) -> tuple[tuple[int, str, str], ...]:
    """(offset, words, title before them) of each run of two or three capitalised words: where a
    text may write out a full name (which runs are people depends on what is known not to be)."""
    return tuple((m.start(2), m.group(2), _title_before(text, m.start(2)).lower())
                 for m in _CAPITALISED_RUN.finditer(text))


class PeopleRegistry:
    """Names seen in an article: full names by any of their words, and their descriptors."""

    def __init__(self, not_names: frozenset[str] = _NEVER_NAMES) -> None:
        self.not_names = not_names
        self.by_token: dict[str, str] = {}
        self.descriptor: dict[str, str] = {}
        self.order: list[str] = []  # mentions in reading order

    def learn(self, text: str) -> list[tuple[int, str]]:
        """Record the full names a text writes out, with their titles; (offset, name) of each."""
        found: list[tuple[int, str]] = []
        for start, phrase, title in _capitalised_runs(text):
            name = _person_name(phrase, self.not_names)
            if name and " " in name:
                full = self.by_token.get(name.split()[-1].lower(), name) if len(name.split()) < 2 else name
                for token in name.replace("-", " ").split():
                    self.by_token.setdefault(token.lower(), full)
                known = self.descriptor.get(full, "")
                if title not in known:  # a passage read twice (learnt from the whole article, then observed)
                    self.descriptor[full] = (known + " " + title).lower()
                found.append((start, full))
        return found

    def observe(self, text: str) -> list[str]:
        """Record people named in a sentence; return them in order of appearance."""
        found = self.learn(text)
        for match in re.finditer(r"\b[A-Z][\w-]+\b", text):
            full = self.lookup(match.group(0)) if is_person_token(match.group(0), self.not_names) else None
            if full:
                found.append((match.start(), full))
        found.sort()
        names = []
        for _, name in found:
            if name not in names:
                names.append(name)
        self.order.extend(names)
        return names

    def lookup(self, token: str) -> str | None:
        """Full name for one word of it; a prefix works too (a possessive or a typo glued to the name)."""
        token = token.lower()
        if token in self.by_token:
            return self.by_token[token]
        if len(token) >= 4:
            for known, full in self.by_token.items():
                if known.startswith(token):
                    return full
        return None

    def resolve(self, phrase: str) -> str | None:
        name = _person_name(phrase, self.not_names)
        if not name:
            return None
        return self.lookup(name.split()[-1]) or self.lookup(name.split()[0]) or name

    def by_role(self, role: str) -> str | None:
        """The most recently mentioned person whose descriptor fits a role noun ('the diplomat')."""
        noun = role.lower().split()[-1]
        if noun not in ROLE_NOUNS:
            return None
        wanted = ROLE_EQUIVALENTS.get(noun, (noun,))
        for name in reversed(self.order):
            descriptor = self.descriptor.get(name, "")
            if any(w in descriptor for w in wanted):
                return name
        return None


def _has_quote(text: str) -> bool:
    return any(c in text for c in "“”\"«»")


_DATELINE_ONLY = re.compile(r"^[A-Z][A-Z .'-]+,\s*\w+\.? \d{1,2}\.?\s*(?:/[^/]{1,30}/\.?|\([^)]{1,30}\)\s*[-–—]?)?$")


@lru_cache(maxsize=4096)  # a chunk is split again on each reading of each question that retrieves it
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
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
            if _DATELINE_ONLY.match(piece):  # "RIVERTON, May 10. /AGENCY/." belongs to the sentence after it
                carry = a
                continue
            if len(piece) < 20 and merged and piece[:1].isupper() and piece.endswith("."):
                merged[-1] = (merged[-1][0], b)  # a stray fragment ("Valdorians.") joins the sentence before
                continue
            merged.append((a, b))
        if carry is not None:
            merged.append((carry, pieces[-1][1]))
        spans.extend(merged)
    return tuple(spans)


def article_units(chunks: list[RetrievedChunk], not_people: frozenset[str] = frozenset(),
                  whole: list[RetrievedChunk] | None = None) -> list[Unit]:
    """Sentence units of one article's chunks (reading order, overlap removed), speakers resolved.

    not_people: lower-cased words the NLP model found naming places, bodies or things, never a speaker.
    whole: all of the article's chunks when only some are read: the full names and titles of its
    people are learnt from all of it ('Okafor said' in a late passage is the 'Valdorian Ambassador
    to Norland Ada Okafor' of the lead, and so 'the Valdorian envoy'), while who was mentioned
    last still counts from the passages read.
    """
    units: list[Unit] = []
    seen: set[int] = set()
    people = PeopleRegistry(_NEVER_NAMES | not_people)
    if whole is not None and len(whole) > len(chunks):
        for chunk in whole:
            people.learn(chunk.text)  # a name ends at punctuation, so sentences need no splitting
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
            if speaker and speaker[0].isupper() and not _is_body(speaker, people.not_names):
                last_speaker = speaker
            elif speaker:
                last_org = speaker
            elif mentioned:
                last_speaker = mentioned[-1] if not _has_quote(text) else last_speaker
    for i, unit in enumerate(units):
        unit.context = " ".join(u.text for u in units[max(0, i - 1):i + 2] if u is not unit)
        unit.speaker_desc = " ".join(filter(None, [unit.speaker, people.descriptor.get(unit.speaker or "", "")])).lower()
    return units


def _is_body(speaker: str, not_names: frozenset[str] = _NEVER_NAMES) -> bool:
    """An institution speaking ('the foreign ministry', or a name the NLP model knows is not a person)."""
    words = speaker.lower().split()
    return any(w in BODY_NOUNS for w in words) or (len(words) == 1 and words[0] in not_names)


# An opening mark, up to the next closing one of any style (articles mix them: «...”).
_QUOTED = re.compile(r"[“«\"][^”»\"]*(?:[”»\"]|$)")


def _outside_quotes(text: str) -> str:
    """The text with quoted words blanked (offsets kept): a name inside a quotation is spoken of,
    not speaking ('“... the United States ...,” she said' is not the United States speaking)."""
    return _QUOTED.sub(lambda m: " " * len(m.group(0)), text)


def _people_before(text: str, end: int, people: PeopleRegistry) -> list[str]:
    """The people named before a pronoun that reports speech, outside any quotation."""
    return [full for m in re.finditer(r"\b[A-Z][\w-]+\b", _outside_quotes(text[:end]))
            if is_person_token(m.group(0), people.not_names) and (full := people.lookup(m.group(0)))]


def _speaker_of(text: str, people: PeopleRegistry, last_speaker: str | None, last_org: str | None):
    """(speaker, explicit) for one sentence, or (None, False) when nobody is speaking in it."""
    text = _outside_quotes(text)  # 'as Okafor said' inside a quotation is not Okafor speaking now
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
        if role == "it" or role.split()[-1] in BODY_NOUNS:
            return (last_org if role == "it" or role.split()[-1] in BODY_NOUNS else None) or match.group("role"), False
        by_role = people.by_role(role)
        return (by_role or last_speaker), False
    return None, False
