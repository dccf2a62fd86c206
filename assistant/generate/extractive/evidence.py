"""Scoring article sentences as evidence for a question.

Three signals, each cheap: meaning (MiniLM cosine), the question's words weighted
by rarity (a multi-word name counts once), and who is speaking. A question asking
what a person said only takes that person's words, or reports of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ...ingest.patterns import PHOTO_CREDIT
from ...language.words import (BYLINE_WORDS, GENERIC_SPEAKERS, IRREGULAR_VERBS, NUMBER_WORDS, ROLE_EQUIVALENTS,
                               SPEAKER_ROLE_WORDS)
from ...retrieve.text import STOPWORDS, terms
from .attribution import SPEECH_VERBS, Unit
from .question import QuestionAnalysis

_AMOUNT = re.compile(r"[$€£₩¥]\s?\d|\d[\d,.]*\s*(?:%|percent|per cent|million|billion|trillion|dollars?|euros?|won|"
                     r"rubles?|roubles?|yuan|yen)\b|\b(?:million|billion|trillion)\b", re.I)
_COUNT = re.compile(rf"\b(?!(?:19|20)\d\d\b)\d[\d,.]*(?:mm|km|m|kg|s)?\b|\b({'|'.join(NUMBER_WORDS)})\b", re.I)
_DATE = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|"
    r"jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"tomorrow|last (?:week|month|year)|next (?:week|month|year)|previous day|day before|a day after|ago|"
    r"(?:19|20)\d\d|\d{1,2}(?:st|nd|rd|th))\b", re.I,
)
_PLACE = re.compile(r"\b(?:in|at|on the sidelines of|held in|held at|visit(?:ed)? to|visited)\s+(?:the\s+)?(?:[a-z]+\s+)?[A-Z]")
_OUTLET = re.compile(
    r"\b(?:news agency|newspaper|agency|outlet|broadcaster|daily)\s+(?:the\s+)?[A-Z]|"
    r"\b[A-Z][\w&]+(?:\s[A-Z][\w&]+)*\s(?:Daily|Times|Post|Herald|News|Journal|Gazette|Tribune|Chronicle|Telegraph)\b")
_ROLE_WORDS = frozenset(terms(SPEAKER_ROLE_WORDS))
_BYLINE = re.compile(r"^[-–—•\s]*by\s+[A-Z]", re.I)


@dataclass
class ScoredUnit:
    unit: Unit
    score: float
    dense: float
    lexical: float
    speaker_match: float


def _words(text: str) -> set[str]:
    found = set(re.findall(r"[a-z][\w-]*", text.lower().replace("’", "'")))
    return found | {part for w in found for part in w.split("-") if part}


def _same(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a)))


def name_words(name: str) -> list[str]:
    """A name's words as names_match compares them ("Okafor's" -> ['okafor'])."""
    return [w for w in _words(re.sub(r"[’']s\b", "", name)) if w not in STOPWORDS]


def names_match(target: list[str], speaker: str) -> bool:
    """'Okafor' ~ 'Ada Okafor', 'Lee Min Ha' ~ 'Lee'; never 'Ada Halvorsen' ~ 'Ada Okafor'."""
    spoken = [w for w in _words(speaker) if w not in STOPWORDS]
    if not spoken or not target:
        return False
    target_left = [t for t in target if not any(_same(t, w) for w in spoken)]
    speaker_left = [w for w in spoken if not any(_same(w, t) for t in target)]
    matched = len(target_left) < len(target)
    return matched and not (target_left and speaker_left)


def _reported(unit: Unit, target: list[str]) -> bool:
    """The target is named next to a speech verb ('Halvorsen, who threatened that ...', 'According to Okafor')."""
    for name in target:
        if re.search(rf"\b{re.escape(name)}\w*\W+(?:\w+\W+){{0,3}}?(?:{SPEECH_VERBS})\b", unit.text, re.I):
            return True
        if re.search(rf"\baccording to (?:\w+\s+){{0,3}}?{re.escape(name)}", unit.text, re.I):
            return True
    return False


def names_a_role(target: str | None) -> bool:
    """Does a described speaker name a role ("Valdoria's top diplomat"), not only a body ("Valdoria")?"""
    return any(t in _ROLE_WORDS or _covered(t, _ROLE_WORDS) for t in terms(target or "") if t not in GENERIC_SPEAKERS)


def reports_body(unit: Unit, analysis: QuestionAnalysis) -> bool:
    """A body the question asks about is the sentence's speaker ('Harbourton interpreted this ... and warned')."""
    wanted = [t for t in terms(analysis.target or "") if t not in GENERIC_SPEAKERS]
    if names_a_role(analysis.target):
        return False  # "Valdoria's top diplomat" is a person, not the country speaking
    names = set(wanted)
    for match in re.finditer(r"\b[A-Z][\w’'-]+", unit.text[:80]):
        if set(terms(match.group(0))) & names and re.search(
                rf"{re.escape(match.group(0))}\W+(?:\w+\W+){{0,12}}?(?:{SPEECH_VERBS}|interpreted)\b", unit.text):
            return True
    return False


def speaker_match(unit: Unit, target_people: list[list[str]]) -> float:
    """1 when the unit's speaker is (one of) the target(s), 0.5 when it reports their words, else 0."""
    if not target_people:
        return 0.0
    if unit.speaker and any(names_match(person, unit.speaker) for person in target_people):
        return 1.0
    if not unit.speaker and any(_reported(unit, person) for person in target_people):
        return 0.5
    return 0.0


def fits_answer_type(unit: Unit, answer_type: str | None) -> bool:
    """Does the sentence hold the kind of thing asked for (a date, a figure, a place ...)?"""
    if answer_type is None:
        return True
    if answer_type == "byline":
        return bool(_BYLINE.match(unit.text))
    pattern = {"amount": _AMOUNT, "number": _COUNT, "date": _DATE, "place": _PLACE, "outlet": _OUTLET}[answer_type]
    return bool(pattern.search(unit.text))


def unit_terms(unit: Unit, with_context: bool = False) -> frozenset[str]:
    """The words of a sentence and its speaker (and its neighbours, with_context); a byline holds the byline words."""
    return _text_terms(unit.text + " " + (unit.speaker or "") + (" " + unit.context if with_context else ""))


@lru_cache(maxsize=4096)  # a few answers' sentences, read alone and with their neighbours
def _text_terms(text: str) -> frozenset[str]:
    """Cached: one answer reads the same sentence's words four or five times (selection, scoring, checks)."""
    found = frozenset(terms(text))
    return found | BYLINE_WORDS if _BYLINE.match(text) else found


def lexical_score(groups: list[list[str]], unit: Unit, idf) -> float:
    """Coverage by the unit itself, or (discounted) by the unit read with its neighbours."""
    own = coverage(groups, unit_terms(unit), idf)
    if not unit.context:
        return own
    return max(own, 0.8 * coverage(groups, unit_terms(unit, with_context=True), idf))


# A photo credit and its caption ("Jo Roe/Wire/Agency Crowds gather ...") count for this share.
_CAPTION_SHARE = 0.85

_SHARED_PREFIX = 5  # 'respond'/'response', 'react'/'reaction': one word family


def same_family(a: str, b: str) -> bool:
    """Two stems of one word family: a common start of at least five letters, all but the endings."""
    n = max(_SHARED_PREFIX, min(len(a), len(b)) - 2)
    return len(a) >= _SHARED_PREFIX and len(b) >= _SHARED_PREFIX and a[:n] == b[:n]


def _verb_forms() -> dict[str, frozenset[str]]:
    """Each stemmed form of an irregular verb -> its other forms ('won' -> 'win', 'won')."""
    forms: dict[str, frozenset[str]] = {}
    for line in IRREGULAR_VERBS.replace("|", "\n").splitlines():
        stems = frozenset(t for w in line.split() for t in terms(w, keep_stopwords=True))
        for form in stems:
            forms[form] = forms.get(form, frozenset()) | (stems - {form})
    return forms


_VERB_FORMS = _verb_forms()


def _short_forms(term: str) -> tuple[str, ...]:
    """Inflections of a short word that the stemmer leaves whole ('die' -> 'died', 'dies'; 'use' -> 'used'),
    and the word a short past form is of ('died' -> 'die')."""
    if len(term) < 3 or not term.isalpha():
        return ()  # 'us' is no verb ('used' is no form of 'US')
    if term.endswith("ed") and len(term) == 4:
        return (term[:-1], term[:-2])
    return (term + "d", term + "s") if term.endswith("e") else (term + "ed", term + "s")


def _covered(term: str, present: set[str], by_prefix: dict[str, list[str]] | None = None) -> bool:
    """A term, its word family, another form of the same verb ('won' for 'win'), or a role noun
    standing for the same role ('envoy' for 'ambassador'). `by_prefix` (present words by their first
    letters) spares comparing the term with words that cannot be of its family."""
    if term in present or any(s in present for s in ROLE_EQUIVALENTS.get(term, ())) \
            or any(s in present for s in _VERB_FORMS.get(term, ())):
        return True
    if len(term) < _SHARED_PREFIX:
        return any(form in present for form in _short_forms(term))
    words = by_prefix.get(term[:_SHARED_PREFIX], ()) if by_prefix is not None else present
    return any(same_family(term, word) for word in words)


@lru_cache(maxsize=2048)
def _by_prefix(present: frozenset[str]) -> dict[str, list[str]]:
    """Words by their first five letters: a word family shares at least those (see same_family).
    Cached and read only: every coverage of the same sentence's words shares one."""
    index: dict[str, list[str]] = {}
    for word in present:
        if len(word) >= _SHARED_PREFIX:
            index.setdefault(word[:_SHARED_PREFIX], []).append(word)
    return index


def coverage(groups: list[list[str]], present: set[str], idf) -> float:
    """Share of the question's (idf-weighted) term groups found in a unit."""
    total = found = 0.0
    by_prefix = _by_prefix(frozenset(present))  # a frozenset (unit_terms) is itself: no copy
    for group in groups:
        weight = max(idf(t) for t in group)
        total += weight
        if any(_covered(t, present, by_prefix) for t in group):
            found += weight
    return found / total if total else 0.0


def target_bonus(analysis: QuestionAnalysis, unit: Unit) -> float:
    """For 'what did Harbourton / the Vantor Board / Riverton's diplomats say': how well the speaker fits."""
    if not analysis.target or analysis.target_people:
        return 0.0
    if not unit.speaker:
        return 1.0 if reports_body(unit, analysis) else 0.0
    wanted = [t for t in terms(analysis.target) if t not in GENERIC_SPEAKERS]
    if not wanted:
        return 0.5
    described = set(terms(unit.speaker_desc or unit.speaker))
    described |= analysis.place_terms_by_speaker.get(unit.speaker_desc or unit.speaker, frozenset())
    return sum(_covered(t, described) for t in wanted) / len(wanted)


_TARGET_PLACE = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?\b")


def target_places(target: str | None) -> list[str]:
    """The capitalised names of a described speaker ('Harbourton', 'Valdor' in "Harbourton's top diplomat in Valdor")."""
    return _TARGET_PLACE.findall(target or "")


def role_fit(analysis: QuestionAnalysis, unit: Unit) -> float:
    """'the Valdorian ambassador's interview': sentences whose speaker holds that role fit better."""
    roles = [t for t in analysis.terms if t in _ROLE_WORDS]
    if not roles or not unit.speaker_desc:
        return 0.0
    described = set(terms(unit.speaker_desc))
    return sum(_covered(t, described) for t in roles) / len(roles)


def score_units(analysis: QuestionAnalysis, units: list[Unit], question_vec, unit_vecs, idf) -> list[ScoredUnit]:
    """Score every unit; higher is better, roughly in [0, 1]."""
    dense = (np.asarray(unit_vecs) @ np.asarray(question_vec)) if len(units) else np.zeros(0)
    groups = analysis.groups or [[t] for t in analysis.terms]
    person_groups = [g for g in groups if any(t in analysis.person_names for t in g)]
    scored = []
    for unit, sim in zip(units, dense):
        lexical = lexical_score(groups, unit, idf)
        if analysis.asking_groups:  # a sentence may answer the question proper without restating its preamble
            lexical = max(lexical, lexical_score(analysis.asking_groups, unit, idf))
        match = speaker_match(unit, analysis.target_people)
        if analysis.target_people:
            score = 0.6 * float(sim) + 0.4 * lexical
        else:
            named = lexical_score(person_groups, unit, idf) if person_groups else 0.0
            score = (0.5 * float(sim) + 0.35 * lexical + 0.15 * named + 0.15 * target_bonus(analysis, unit)
                     + 0.1 * role_fit(analysis, unit))
        if PHOTO_CREDIT.match(unit.text):
            score *= _CAPTION_SHARE  # a photo's credit and caption: about a picture, seldom the news asked about
        scored.append(ScoredUnit(unit, score, float(sim), lexical, match))
    return scored
