"""Reading the question: who it asks about, what kind of answer it wants, and its topic words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...retrieve.text import STOPWORDS, terms
from .attribution import NOT_PEOPLE

_TARGET_PATTERNS = [
    re.compile(r"\bwhat (?:did|does|has|had|do|would) (?P<x>.+?) (?:say|said|tell|told|think|claim|state|warn|mean|argue|write|wrote|"
               r"stress|emphasi[sz]e|add|note|suggest|reply|respond|reiterate|announce|allege|threaten|explain|"
               r"insist|caution|remark|comment|anticipate|appreciate|question|call|describe)\b", re.I),
    re.compile(r"\bhow (?:did|does|has) (?P<x>.+?) (?:react|respond|reply|describe|characteri[sz]e|view|see|explain|justify|"
               r"answer|frame|put it)\b", re.I),
    re.compile(r"\bwhat (?:was|is|were|are) (?P<x>.+?)(?:'s|’s|') (?:reaction|response|position|view|stance|message|warning|"
               r"comment|statement|argument|reply|answer|remarks?|words|criticism|threat)\b", re.I),
    re.compile(r"\bwhat (?:warning|message|threat|comment|remark|statement|point) did (?P<x>.+?) (?:give|issue|make|send|deliver|raise)\b", re.I),
    re.compile(r"\b(?:did|has) (?P<x>.+?) (?:say|mention|comment|warn|threaten|criticize|criticise)\b", re.I),
    re.compile(r"\bwhy did (?P<x>.+?) (?:say|warn|threaten|criticize|criticise|object|oppose)\b", re.I),
    re.compile(r"\b(?i:according to) (?P<x>[A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+)*)"),
]
_AMOUNT_Q = re.compile(r"\b(how much (?:money|aid|funding|financial|assistance|did|has|have|was|is|in)|what (?:amount|sum|value|budget|cost)|"
                       r"how much .{0,40}(?:cost|worth|spend|spent|pay|paid|give|gave|given|provide|provided|allocate))\b", re.I)
_NUMBER_Q = re.compile(r"\b(how (?:many|much|long|far|old)|what (?:number|percentage|share|amount|quantity|size|calibre|caliber)|"
                       r"which (?:calibre|caliber)|for how many)\b", re.I)
_DATE_Q = re.compile(r"(^\W*(?:and |so |but )?when\b|\b(?:what (?:date|day|year|month|time)|which (?:date|day|year|month)|since when|on what day|in what year)\b)", re.I)
_QUESTION_WORDS = frozenset("what who whom whose which when where why how did does do is are was were has have had can could "
                            "would should will and or but about the a an according".split())


@dataclass
class QuestionAnalysis:
    """The parts of a question that decide which sentences answer it."""

    text: str
    target: str | None = None  # the speaker asked about ("Peskov"), when the question asks what someone said
    target_names: list[str] = field(default_factory=list)  # person words of the target ("peskov")
    entities: list[str] = field(default_factory=list)  # named people/things the question mentions
    person_names: list[str] = field(default_factory=list)  # entities that look like people
    answer_type: str | None = None  # "amount", "number", "date" or None
    terms: list[str] = field(default_factory=list)  # stemmed content words
    topic_terms: list[str] = field(default_factory=list)  # content words minus the target's

    @property
    def asks_what_said(self) -> bool:
        return self.target is not None


def _entities(question: str) -> list[str]:
    """Runs of capitalised words (possessive stripped), skipping a capitalised question word."""
    found = []
    for match in re.finditer(r"(?:[A-Z][\w.-]*(?:’s|'s)?)(?:\s+(?:[A-Z][\w.-]*(?:’s|'s)?))*", question):
        words = [re.sub(r"(’s|'s)$", "", w).strip(".") for w in match.group(0).split()]
        words = [w for w in words if w and w.lower() not in _QUESTION_WORDS]
        if words:
            found.append(" ".join(words))
    return found


def analyse(question: str) -> QuestionAnalysis:
    analysis = QuestionAnalysis(text=question, terms=terms(question))
    analysis.entities = _entities(question)
    analysis.person_names = [
        w.lower() for e in analysis.entities for w in e.replace("-", " ").split()
        if w.lower() not in NOT_PEOPLE and w.lower() not in STOPWORDS and len(w) > 1
    ]
    for pattern in _TARGET_PATTERNS:
        match = pattern.search(question)
        if match:
            target = match.group("x").strip(" ,")
            if 0 < len(target.split()) <= 8:
                analysis.target = target
                break
    if analysis.target:
        analysis.target_names = [
            w.lower() for w in re.findall(r"[A-Z][\w-]+", analysis.target)
            if w.lower() not in NOT_PEOPLE and w.lower() not in STOPWORDS
        ]
        target_terms = set(terms(analysis.target))
        analysis.topic_terms = [t for t in analysis.terms if t not in target_terms]
    else:
        analysis.topic_terms = list(analysis.terms)
    if _AMOUNT_Q.search(question):
        analysis.answer_type = "amount"
    elif _NUMBER_Q.search(question):
        analysis.answer_type = "number"
    elif _DATE_Q.search(question):
        analysis.answer_type = "date"
    return analysis
