"""Scoring article sentences as evidence for a question.

Three signals, each cheap: meaning (MiniLM cosine), the question's words weighted
by rarity, and the people it names, with the speaker of each sentence counted as
named in it. A question asking what someone said only takes that person's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ...retrieve.text import synonyms, terms
from .attribution import Unit
from .question import QuestionAnalysis

_AMOUNT = re.compile(r"[$€£₩¥]\s?\d|\d[\d,.]*\s*(?:%|percent|per cent|million|billion|trillion|dollars?|euros?|won|"
                     r"rubles?|roubles?|yuan|yen)\b|\b(?:million|billion|trillion)\b", re.I)
_COUNT = re.compile(r"\b(?!(?:19|20)\d\d\b)\d[\d,.]*(?:mm|km|m|kg|s)?\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                    r"hundred|thousand|million|billion|dozen|half)\b", re.I)
_NUMBER = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
                     r"hundred|thousand|million|billion|dozen|half)\b", re.I)
_DATE = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|"
    r"jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"tomorrow|last (?:week|month|year)|next (?:week|month|year)|previous day|day before|a day after|ago|"
    r"(?:19|20)\d\d|\d{1,2}(?:st|nd|rd|th))\b", re.I,
)


@dataclass
class ScoredUnit:
    unit: Unit
    score: float
    dense: float
    lexical: float
    speaker_match: float


def names_in(unit: Unit) -> set[str]:
    words = re.findall(r"[A-Za-z][\w-]+", unit.text + " " + (unit.speaker or ""))
    out = set()
    for w in words:
        out.add(w.lower())
        out.update(p.lower() for p in w.split("-"))
    return out


def _matches(name: str, words: set[str]) -> bool:
    return name in words or (len(name) >= 4 and any(w.startswith(name) for w in words))


def speaker_match(unit: Unit, target_names: list[str]) -> float:
    """1 when the unit's speaker is the target, 0.5 when the target is only mentioned, else 0."""
    if not target_names:
        return 0.0
    speaker_words = set(re.findall(r"[a-z][\w-]+", (unit.speaker or "").lower()))
    speaker_words |= {p for w in list(speaker_words) for p in w.split("-")}
    if any(_matches(n, speaker_words) for n in target_names):
        return 1.0
    text_words = set(re.findall(r"[a-z][\w-]+", unit.text.lower()))
    return 0.5 if any(_matches(n, text_words) for n in target_names) else 0.0


def fits_answer_type(unit: Unit, answer_type: str | None) -> bool:
    if answer_type == "amount":
        return bool(_AMOUNT.search(unit.text))
    if answer_type == "number":
        return bool(_COUNT.search(unit.text))
    if answer_type == "date":
        return bool(_DATE.search(unit.text))
    return True


def score_units(analysis: QuestionAnalysis, units: list[Unit], question_vec, unit_vecs, idf) -> list[ScoredUnit]:
    """Score every unit; higher is better, roughly in [0, 1]."""
    dense = (np.asarray(unit_vecs) @ np.asarray(question_vec)) if len(units) else np.zeros(0)
    topic = analysis.topic_terms or analysis.terms
    topic_weight = sum(idf(t) for t in set(topic)) or 1.0
    scored = []
    for unit, sim in zip(units, dense):
        unit_terms = set(terms(unit.text + " " + (unit.speaker or "")))
        lexical = sum(idf(t) for t in set(topic)
                      if t in unit_terms or any(s in unit_terms for s in synonyms(t))) / topic_weight
        match = speaker_match(unit, analysis.target_names)
        if analysis.target_names:
            score = 0.45 * float(sim) + 0.25 * lexical + 0.30 * match
        else:
            words = names_in(unit)
            people = [n for n in analysis.person_names]
            named = sum(_matches(n, words) for n in people) / len(people) if people else 0.0
            speaking = 0.05 if analysis.target and unit.speaker else 0.0
            score = 0.55 * float(sim) + 0.35 * lexical + 0.10 * named + speaking
        scored.append(ScoredUnit(unit, score, float(sim), lexical, match))
    return scored
