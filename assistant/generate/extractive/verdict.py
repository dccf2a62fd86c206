"""True-or-false and yes-or-no questions: "True"/"Yes" only when a sentence restates the claim as a
fact, never a guessed "False".

A quiz-style question ("True or false: the council approved the budget.") asks whether the
articles bear a claim out. The extractive generator cannot weigh a contradiction, so it
answers "True" only when one sentence states the claim itself: it names what the claim
names, holds most of the claim's words, and does not negate what the claim asserts (or
assert what it negates). Otherwise it quotes the closest evidence without a verdict.
"""

from __future__ import annotations

import re

from ...language.words import HEDGES, NEGATIONS
from ...retrieve.text import terms
from .evidence import ScoredUnit, coverage, unit_terms

# A sentence restating the claim holds at least this (idf-weighted) share of the claim's words.
_RESTATES = 0.6
_WORD = re.compile(r"[a-z]+(?:n't)?", re.I)


def _negated(text: str) -> bool:
    return any(w.lower() in NEGATIONS or w.lower().endswith("n't") for w in _WORD.findall(text))


def _hedged(text: str) -> bool:
    return any(w.lower() in HEDGES for w in _WORD.findall(text))


def confirming(claim: str, scored: list[ScoredUnit], idf, covers) -> ScoredUnit | None:
    """The best sentence that restates the claim (`covers` says whether it names the claim's subjects),
    as a fact: one that only reports it as possible, planned or suggested confirms nothing, unless the
    claim is hedged alike."""
    groups = [[t] for t in dict.fromkeys(terms(claim))]
    negated, hedged = _negated(claim), _hedged(claim)
    for item in scored:
        if coverage(groups, unit_terms(item.unit), idf) < _RESTATES:
            continue
        if _negated(item.unit.text) != negated or (_hedged(item.unit.text) and not hedged) or not covers(item):
            continue
        return item
    return None

