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
    re.compile(r"\bwh(?:at|ich) \w+(?: \w+)? (?:did|does|has|had) (?P<x>.+?) (?:say|said|warn|claim|predict|expect|suggest|threaten|mention)\b", re.I),
    re.compile(r"^\W*(?:and |so |but )?(?:did|has) (?P<x>.+?) (?:say|mention|comment|warn|threaten|criticize|criticise)\b", re.I),
    re.compile(r"\bwhy did (?P<x>.+?) (?:say|warn|threaten|criticize|criticise|object|oppose)\b", re.I),
    re.compile(r"\b(?i:according to) (?P<x>[A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+)*)"),
]
_AMOUNT_Q = re.compile(r"\b(how much (?:money|aid|funding|financial|assistance|did|has|have|was|is|in)|what (?:amount|sum|value|budget|cost)|"
                       r"how much .{0,40}(?:cost|worth|spend|spent|pay|paid|give|gave|given|provide|provided|allocate))\b", re.I)
_NUMBER_Q = re.compile(r"\b(how (?:many|much|long|far|old)|what (?:number|percentage|share|amount|quantity|size|calibre|caliber)|"
                       r"which (?:calibre|caliber)|for how many)\b", re.I)
_DATE_Q = re.compile(r"(^\W*(?:and |so |but )?when\b|\b(?:what (?:date|day|year|month|time)|which (?:date|day|year|month)|since when|on what day|in what year)\b)", re.I)
_BYLINE_Q = re.compile(r"\bwho (?:wrote|reported|authored|filed|is the (?:author|reporter|writer))\b|\bwhose byline\b", re.I)
_PLACE_Q = re.compile(r"^\W*(?:and |so |but )?(?:where|in what (?:city|place|country)|at what (?:event|place|venue))\b", re.I)
# "..., according to the report on X": names the article, not the topic.
_ARTICLE_CLAUSE = re.compile(r",?\s*(?:according to|in|from) (?:the|a|this) (?:report|article|story|piece)s?(?: (?:on|about)[^?,]*)?", re.I)
_NOT_SAID = re.compile(r"^\W*(?:and |so |but )?(?:where|when|who|whom|which|to whom|on what|in what|at what)\b", re.I)
_BROAD = re.compile(r"\b(officials|each time|how (?:have|has) .{0,60}(?:changed|evolved|developed)|which \w+ (?:officials|leaders|people|countries) have|"
                    r"compare[ds]?|than|both|various|different|over time|what conditions|under what|reactions|responses)\b", re.I)
_QUESTION_WORDS = frozenset("what who whom whose which when where why how did does do is are was were has have had can could "
                            "would should will and or but about the a an according on in at for to from by under since as if "
                            "after before during between".split())
_OUTLET_Q = re.compile(r"\b(?:which|what) (?:news ?agency|agency|newspaper|paper|outlet|media outlet|publication|news outlet|"
                       r"wire service|broadcaster|daily)\b", re.I)


@dataclass
class QuestionAnalysis:
    """The parts of a question that decide which sentences answer it."""

    text: str
    target: str | None = None  # the speaker asked about ("Peskov"), when the question asks what someone said
    target_names: list[str] = field(default_factory=list)  # person words of the target ("peskov")
    target_people: list[list[str]] = field(default_factory=list)  # one list per person ("Putin and Kulik")
    entities: list[str] = field(default_factory=list)  # named people/things the question mentions
    person_names: list[str] = field(default_factory=list)  # entities that look like people
    answer_type: str | None = None  # "amount", "number", "date", "place", "byline", "outlet" or None
    terms: list[str] = field(default_factory=list)  # stemmed content words
    topic_terms: list[str] = field(default_factory=list)  # content words minus the target's
    groups: list[list[str]] = field(default_factory=list)  # topic terms, a multi-word name as one group
    broad: bool = False  # asks for a survey across articles rather than one fact

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
    scoring_text = _ARTICLE_CLAUSE.sub("", question) or question
    analysis = QuestionAnalysis(text=question, terms=terms(scoring_text))
    analysis.entities = _entities(question)
    analysis.person_names = [
        w.lower() for e in analysis.entities for w in e.replace("-", " ").split()
        if w.lower() not in NOT_PEOPLE and w.lower() not in STOPWORDS and len(w) > 1
    ]
    for pattern in ([] if _NOT_SAID.match(question) else _TARGET_PATTERNS):
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
        for part in re.split(r",| and | or |&", analysis.target):
            names = [w.lower() for w in re.findall(r"[A-Z][\w-]+", part)
                     if w.lower() not in NOT_PEOPLE and w.lower() not in STOPWORDS]
            if names:
                analysis.target_people.append(names)
        target_terms = set(terms(analysis.target))
        analysis.topic_terms = [t for t in analysis.terms if t not in target_terms]
    else:
        analysis.topic_terms = list(analysis.terms)
    analysis.groups = _term_groups(analysis)
    analysis.broad = bool(_BROAD.search(question))
    analysis.answer_type = next((kind for kind, pattern in _ANSWER_TYPES if pattern.search(question)), None)
    return analysis


# The kind of answer a question wants, first match wins.
_ANSWER_TYPES = [("byline", _BYLINE_Q), ("outlet", _OUTLET_Q), ("place", _PLACE_Q), ("amount", _AMOUNT_Q),
                 ("number", _NUMBER_Q), ("date", _DATE_Q)]


def _term_groups(analysis: QuestionAnalysis) -> list[list[str]]:
    """Topic terms grouped so that 'Yoon Suk Yeol' counts once, found if any of its words is."""
    groups: list[list[str]] = []
    used: set[str] = set()
    for entity in analysis.entities:
        words = [t for t in terms(entity) if t in analysis.topic_terms]
        if len(words) > 1:
            groups.append(words)
            used.update(words)
    groups.extend([t] for t in analysis.topic_terms if t not in used)
    return groups


def search_text(question: str) -> str:
    """The question as a search query: a clause that only names the article is left out."""
    return _ARTICLE_CLAUSE.sub("", question).strip() or question
