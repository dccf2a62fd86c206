"""Reading the question: who it asks about, what kind of answer it wants, and its topic words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping, Protocol

from ...ingest.patterns import DATE_TEXT
from ...language.words import (HOW_MEASURES, IS_IT_TRUE, NAME_LABELS, POLAR_OPENERS, QUESTION_WORDS, RANKING_ADJECTIVES,
                               RECENCY_WORDS, REPORTING_VERBS, TRUE_OR_FALSE, WH_WORDS)
from ...retrieve.text import STOPWORDS, terms
from ...types import Entity
from .attribution import _NEVER_NAMES


class NamesPlaces(Protocol):
    """Knows other names of a place (PlaceAdjectives, place_kind.PlaceNames)."""

    def named_in(self, place: str, text: str) -> bool: ...


_TARGET_PATTERNS = [
    re.compile(r"\bwhat (?:did|does|has|had|have|do|would) (?P<x>.+?) (?:say|said|tell|told|think|claim|state|warn|mean|argue|write|wrote|"
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
    # "according to Harbourton's envoy," / "according to the Vantor Board's spokesman": a possessor and its role words
    # (and "according to Harbourton's top diplomat in Valdor?": the place the role is held in)
    re.compile(r"\b(?i:according to) (?P<x>(?:the )?[A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+)*"
               r"(?:(?<=’s|'s)(?: [a-z]+){1,3}?(?: (?:in|to|at) [A-Z][\w.’'-]+(?: [A-Z][\w.’'-]+)?)?(?=[,.;:?]))?)"),
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
_QUESTION_WORDS = QUESTION_WORDS
_OUTLET_Q = re.compile(r"\b(?:which|what) (?:news ?agency|agency|newspaper|paper|outlet|media outlet|publication|news outlet|"
                       r"wire service|broadcaster|daily)\b", re.I)


@dataclass
class QuestionAnalysis:
    """The parts of a question that decide which sentences answer it."""

    text: str
    target: str | None = None  # the speaker asked about ("Okafor"), when the question asks what someone said
    target_names: list[str] = field(default_factory=list)  # person words of the target ("okafor")
    target_people: list[list[str]] = field(default_factory=list)  # one list per person ("Okafor and Halvorsen")
    entities: list[str] = field(default_factory=list)  # named people/things the question mentions
    person_names: list[str] = field(default_factory=list)  # entities that look like people
    answer_type: str | None = None  # "amount", "number", "date", "place", "byline", "outlet" or None
    terms: list[str] = field(default_factory=list)  # stemmed content words
    topic_terms: list[str] = field(default_factory=list)  # content words minus the target's
    groups: list[list[str]] = field(default_factory=list)  # topic terms, a multi-word name as one group
    asking_groups: list[list[str]] = field(default_factory=list)  # those of the asking sentence after a preamble
    broad: bool = False  # asks for a survey across articles rather than one fact
    explains: bool = False  # asks how or why something happened: an account several reports may each add to
    not_people: frozenset[str] = frozenset()  # question words the NLP model knows are places or bodies
    # speaker descriptions -> the target's place words they name otherwise ('the ambassador of turkey to
    # japan' names 'ankara' and 'tokyo' of "Ankara's top diplomat in Tokyo")
    place_terms_by_speaker: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def asks_what_said(self) -> bool:
        return self.target is not None


def _entities(question: str, doc=None) -> list[str]:
    """Runs of capitalised words (possessive stripped), skipping a capitalised question word and a
    sentence's first word that the parse does not read as a proper noun ('Hi!', 'Please tell me')."""
    opening = {t.idx for sent in doc.sents for t in sent[:1] if t.pos_ != "PROPN"} if doc is not None else set()
    found = []
    for match in re.finditer(r"(?:[A-Z][\w.-]*(?:’s|'s)?)(?:\s+(?:[A-Z][\w.-]*(?:’s|'s)?))*", question):
        spans = [(m.start() + match.start(), m.group(0)) for m in re.finditer(r"\S+", match.group(0))]
        words = [re.sub(r"(’s|'s)$", "", w).strip(".") for start, w in spans if start not in opening]
        words = [w for w in words if w and w.lower() not in _QUESTION_WORDS]
        if words:
            found.append(" ".join(words))
    return found


# Labels the small model gives reliably to places and groups; a lone unknown surname it often
# calls ORG, so a one-word ORG in a question is settled by the evidence instead (see not_people_in).
_SURE_NOT_PEOPLE = frozenset("GPE LOC NORP FAC".split())


def not_people(doc) -> frozenset[str]:
    """Lower-cased words of a question the NLP model surely tagged as places or groups, not people."""
    entities = [tuple(Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents)]
    return not_people_in([doc.text], entities, one_word_orgs=False)


def not_people_in(texts: list[str], entities, one_word_orgs: bool = True) -> frozenset[str]:
    """Words the evidence shows are places or bodies: tagged so, never tagged PERSON.

    A one-word ORG counts only when the text says "the X" (people are not "the Smith"), and
    not at all with one_word_orgs=False (a question's lone ORG is settled by the evidence).
    """
    person_words = {w.lower() for ents in entities for e in ents if e.label == "PERSON" for w in e.text.split()}
    words: set[str] = set()
    for text, ents in zip(texts, entities):
        for e in ents:
            sure = e.label in _SURE_NOT_PEOPLE or (e.label == "ORG" and " " in e.text.strip())
            if e.label == "ORG" and not sure and one_word_orgs:
                sure = text[max(0, e.start - 4):e.start].lower() == "the "
            if sure:
                words.update(re.sub(r"(?:’s|'s)$", "", w).lower().strip(".,") for w in e.text.split())
    return frozenset(w for w in words if w and w not in person_words)


def person_words(entities) -> frozenset[str]:
    """Lower-cased words of PERSON entities in annotated sentences."""
    return frozenset(w.lower() for ents in entities for e in ents if e.label == "PERSON" for w in e.text.split())


def question_bodies(doc) -> frozenset[str]:
    """One-word ORGs of a question ('the Board', but the model also says so of lone surnames):
    a body unless the evidence shows the word in a person's name."""
    return frozenset(e.text.lower() for e in doc.ents if e.label_ == "ORG" and len(e) == 1)


def analyse(question: str, doc=None, learned: frozenset[str] = frozenset()) -> QuestionAnalysis:
    """Read a question; doc is its spaCy parse (made here when not given).

    learned: words the evidence showed are places or bodies (see not_people_in).
    """
    if doc is None:
        from ...language.nlp import shared_nlp

        doc = shared_nlp().parse(question)
    never_names = _NEVER_NAMES | not_people(doc) | learned
    scoring_text = _ARTICLE_CLAUSE.sub("", question) or question
    analysis = QuestionAnalysis(text=question, terms=terms(scoring_text))
    analysis.not_people = never_names - _NEVER_NAMES
    analysis.entities = _entities(question, doc)
    analysis.person_names = [
        w.lower() for e in analysis.entities for w in e.replace("-", " ").split()
        if w.lower() not in never_names and w.lower() not in STOPWORDS and len(w) > 1
    ]
    frame: set[str] = set()  # the words that ask how the target spoke ('describe', 'react to')
    for pattern in ([] if _NOT_SAID.match(question) else _TARGET_PATTERNS):
        match = pattern.search(question)
        if match:
            target = match.group("x").strip(" ,")
            if 0 < len(target.split()) <= 8:
                analysis.target = target
                frame = set(terms(match.group(0)[match.end("x") - match.start():]))
                break
    if analysis.target:
        analysis.target_names = [
            w.lower() for w in re.findall(r"[A-Z][\w-]+", analysis.target)
            if w.lower() not in never_names and w.lower() not in STOPWORDS
        ]
        for part in re.split(r",| and | or |&", analysis.target):
            names = [w.lower() for w in re.findall(r"[A-Z][\w-]+", part)
                     if w.lower() not in never_names and w.lower() not in STOPWORDS]
            if names:
                analysis.target_people.append(names)
        target_terms = set(terms(analysis.target))
        if analysis.target_people:  # 'how did Okafor describe ...': the way a person speaks is no topic
            target_terms |= frame
        analysis.topic_terms = [t for t in analysis.terms if t not in target_terms]
    else:
        analysis.topic_terms = list(analysis.terms)
    analysis.groups = _term_groups(analysis)
    analysis.asking_groups = _asking_groups(question, analysis.groups)
    analysis.broad = bool(_BROAD.search(question))
    analysis.explains = any(m.group(2) is None or m.group(2).lower() not in HOW_MEASURES
                            for m in _HOW_OR_WHY.finditer(question))
    analysis.answer_type = next((kind for kind, pattern in _ANSWER_TYPES if pattern.search(question)), None)
    return analysis


_HOW_OR_WHY = re.compile(r"\b(how|why)\b(?:\s+(\w+))?", re.I)

# The kind of answer a question wants, first match wins.
_ANSWER_TYPES = [("byline", _BYLINE_Q), ("outlet", _OUTLET_Q), ("place", _PLACE_Q), ("amount", _AMOUNT_Q),
                 ("number", _NUMBER_Q), ("date", _DATE_Q)]


# "Context sentence. Asking sentence?": a quiz question often sets the scene before it asks.
_SENTENCE_BREAK = re.compile(r"(?<=[.!])\s+(?=[A-Z“\"])")


def _asking_groups(question: str, groups: list[list[str]]) -> list[list[str]]:
    """The term groups of the sentence that asks, when a preamble sentence comes first ('The House was
    stuck over electing a speaker this week. Which Republican lost vote after vote?'); [] otherwise.

    The answer sits beside the asking words; the preamble's are often said again only elsewhere."""
    parts = [p for p in _SENTENCE_BREAK.split(question.strip()) if p.strip()]
    if len(parts) < 2:
        return []
    asked = set(terms(parts[-1]))
    kept = [g for g in groups if any(t in asked for t in g)]
    return kept if 2 <= len(kept) < len(groups) else []


def _term_groups(analysis: QuestionAnalysis) -> list[list[str]]:
    """Topic terms grouped so that 'Lee Min Ha' counts once, found if any of its words is."""
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
    """The question as a search query: a clause that only names the article is left out, and so
    is a quiz's "True or false"."""
    question = claim_of(question) or question
    return _ARTICLE_CLAUSE.sub("", question).strip() or question


_TRUE_OR_FALSE_MARKER = re.compile(
    rf"^\s*(?:{TRUE_OR_FALSE})\s*[:?,.–—-]*\s*|[\s,.:;–—-]*\(?(?:{TRUE_OR_FALSE})\)?\s*[?.!]*\s*$"
    rf"|^\s*{IS_IT_TRUE}\s+", re.I)


_QUOTED = re.compile(r"[“\"]([^”\"]{3,60})[”\"]")


def quoted_phrases(question: str) -> list[str]:
    """The words a question puts in quotation marks ('said it has “substantial doubt”'), lower-cased
    with straight apostrophes: the articles it asks about use those very words."""
    found = (m.group(1).strip(" ,.?!;:").lower().replace("’", "'") for m in _QUOTED.finditer(question))
    return [p for p in found if p]


def claim_of(question: str) -> str | None:
    """The claim a true-or-false question asks about ("True or false: X", "X. True or false?",
    "Is it true that X?"), or None for any other question."""
    claim = _TRUE_OR_FALSE_MARKER.sub(" ", question)
    if claim == question:
        return None
    claim = re.sub(r"\s+", " ", claim).strip(" ?")
    return claim or None




def polar_claim(question: str) -> str | None:
    """The claim a one-sentence yes-or-no question asks about ('Did the council approve the budget?' ->
    'the council approve the budget'), or None: its words are what a sentence must restate."""
    words = question.strip().split()
    if len(words) < 3 or words[0].lower() not in POLAR_OPENERS or not question.rstrip().endswith("?") \
            or _SENTENCE_BREAK.search(question.strip()) or any(w.lower().strip(",?") in WH_WORDS for w in words):
        return None
    return " ".join(words[1:]).rstrip(" ?") or None


_REPORTING = frozenset(REPORTING_VERBS)


def asks_who_said(doc) -> bool:
    """'Which officials warned that ...', 'Who said ...': the answer is whoever is speaking, whom a
    quoted sentence may name only in the sentences around it ('..., the diplomat stressed')."""
    return any(t.pos_ in ("VERB", "AUX") and t.text.lower() in _REPORTING for t in doc)


def kind_modifiers(doc) -> list[str]:
    """The nationalities that narrow what a question asks for or about ('which Spanish city', 'his
    Mexican counterpart', 'which South Asian country'): evidence that never names them answers
    about some other place's city or counterpart."""
    return [ent.text for ent in doc.ents if ent.label_ == "NORP" and ent.root.head.pos_ == "NOUN"
            and ent.root.dep_ in ("amod", "compound", "nmod")]


def ranking_words(doc) -> list[str]:
    """The superlatives and ordinals of the sentence that asks ('the first harvest parade', 'the most
    nominations'), by the model's tags: a sentence that never ranks the same way answers another question.
    A preamble's ('For the first time in years, ... Which color is it?') set the scene and do not count."""
    asking = list(doc.sents)[-1] if doc.has_annotation("SENT_START") else doc
    return [t.lower_ for t in asking if (t.tag_ in ("JJS", "RBS") or t.ent_type_ == "ORDINAL"
                                         or (t.pos_ == "ADJ" and t.lower_ in RANKING_ADJECTIVES))
            and t.ent_type_ in ("", "ORDINAL") and t.lower_ not in RECENCY_WORDS and _after_the(t)]


def _after_the(token) -> bool:
    """'the first celebration', 'the most nominations' and 'her first award' (the first of her own) rank;
    'Scotland's first minister' names a title."""
    before = token.doc[token.i - 1] if token.i > 0 else None
    return (before is not None and (before.lower_ == "the" or before.tag_ == "PRP$")) or any(
        (c.dep_ == "det" and c.lower_ == "the") or (c.dep_ == "poss" and c.tag_ == "PRP$")
        for c in token.head.children)


def subject_entities(doc) -> list[str]:
    """What a question is about, by name: the model's named entities plus runs of proper nouns.

    'What is the name of Panama's newly elected president?' is about Panama: evidence that
    never names it cannot answer, however close its wording.
    """
    found: list[str] = []
    covered: set[int] = set()
    clause = _ARTICLE_CLAUSE.search(doc.text)  # "according to the report on X" names the article, not the subject
    if clause:
        covered.update(t.i for t in doc if clause.start() <= t.idx < clause.end())
    for ent in doc.ents:
        if ent.start in covered:
            continue
        # A nationality ("British man") or a place used as a modifier ("which US state") frames the
        # question; articles say it other ways ("UK", "in Texas"), so it is not required evidence.
        modifier = ent.label_ == "NORP" or (ent.label_ == "GPE" and ent.root.dep_ in ("compound", "amod", "nmod"))
        if ent.label_ in NAME_LABELS and not modifier:
            found.append(ent.text)
        covered.update(range(ent.start, ent.end))  # a date's "Jan." is no subject either
    run: list[str] = []
    for token in list(doc) + [None]:
        if token is not None and token.pos_ == "PROPN" and token.i not in covered and token.text.lower() not in QUESTION_WORDS:
            run.append(token.text)
            continue
        if run:
            found.append(" ".join(run))
            run = []
    names = [re.sub(r"(?:’s|'s)$", "", name).strip() for name in found]
    return [name for name in names if name[:1].isupper() and terms(name)]  # "155mm" splits into a lower-case "mm"


# Figures a question states (not years: an article need not repeat the year it is about).
_QUESTION_FIGURE = re.compile(r"(?<![\w.,$€£])(?!(?:19|20)\d\d\b)\d[\d,]*(?:\.\d+)?(?![\w])")
# "on Jan. 8": a calendar date's day is no figure the evidence must repeat (articles write "Sunday").
_CALENDAR_DATE = re.compile(DATE_TEXT)


def question_figures(question: str) -> list[str]:
    """The figures evidence must state as the question does ('died at 93', 'cut 87 jobs'); not
    amounts, whose currency and rounding articles vary, nor years or calendar days."""
    return _QUESTION_FIGURE.findall(_CALENDAR_DATE.sub(" ", question))


_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,6}$")
# Capitalised words in a row, "of" allowed between them ("Bank of England").
_CAPITALISED_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*)*")


def _acronyms(text: str) -> set[str]:
    """The acronyms a text writes ('U.S.' -> 'US') and those its capitalised names spell
    ('Major League Baseball' -> 'MLB', 'Bank of England' -> 'BE')."""
    found = set()
    for run in _CAPITALISED_RUN.finditer(text):
        words = [w for w in run.group(0).split() if w != "of"]
        if len(words) == 1 and _ACRONYM.match(words[0].rstrip(",;:")):
            found.add(words[0].rstrip(",;:").replace(".", ""))
        for i in range(len(words)):
            for j in range(i + 2, min(len(words), i + 6) + 1):
                found.add("".join(w[0] for w in words[i:j]))
    return found


def _names_by_acronym(name: str, text: str) -> bool:
    """'MLB' named as 'Major League Baseball', or 'Federal Aviation Administration' as 'FAA'."""
    name = name.strip()
    if _ACRONYM.match(name):
        return name.replace(".", "") in _acronyms(text)
    words = [w for w in name.split() if w != "of"]
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    spelled = "".join(w[0] for w in words)
    return any(_ACRONYM.match(t) and t.replace(".", "") == spelled for t in re.findall(r"[A-Z][A-Z.]+", text))


# People, places: named in part or in other words; a name of these kinds has no one word it needs.
_LOOSELY_NAMED = frozenset({"PERSON", "GPE", "LOC", "NORP"})
# A word this many times rarer (by idf) than the rest of its name is what the name turns on.
_DISTINCTIVE_RATIO = 1.5


def distinctive_words(doc, subjects: list[str], weight: Callable[[str], float]) -> dict[str, str]:
    """For each many-word name that is not a person or a place, the word the corpus uses far more
    rarely than its others (`weight`: a term's idf, 0 for one the corpus never uses): 'FA Cup' does
    not name the 'Carabao Cup'. A person is named by a surname alone, a place in many ways ('the
    South'), and a word the corpus never uses may be misspelt."""
    loose = [e.text for e in doc.ents if e.label_ in _LOOSELY_NAMED]
    found = {}
    for name in subjects:
        if any(name in other or other in name for other in loose):
            continue
        words = sorted({t.replace(".", "") for t in terms(name)}, key=weight, reverse=True)
        if len(words) > 1 and weight(words[1]) > 0 and weight(words[0]) >= _DISTINCTIVE_RATIO * weight(words[1]):
            found[name] = words[0]
    return found


def uncovered_subjects(subjects: list[str], text: str, places: NamesPlaces | None = None,
                       distinctive: Mapping[str, str] | None = None) -> list[str]:
    """The question's named subjects a passage does not name (a multi-word name counts by most of its
    words, its `distinctive` word among them; an acronym by the name it stands for, and the other way
    round; a place, given `places`, by the other names they know: 'Scottish leader' speaks of Scotland)."""
    present = {t.replace(".", "") for t in terms(text)}  # "U.S." and "US" alike
    distinctive = distinctive or {}
    missing = []
    for name in subjects:
        words = [t.replace(".", "") for t in terms(name)]
        by_words = sum(w in present for w in words) * 2 >= len(words)
        if name in distinctive:
            by_words = by_words and distinctive[name] in present
        if not by_words and not _names_by_acronym(name, text) \
                and not (places is not None and places.named_in(name, text)):
            missing.append(name)
    return missing


def subject_coverage(subjects: list[str], text: str, places: NamesPlaces | None = None,
                     distinctive: Mapping[str, str] | None = None) -> float:
    """Share of the question's named subjects that a passage names."""
    if not subjects:
        return 1.0
    return 1.0 - len(uncovered_subjects(subjects, text, places, distinctive)) / len(subjects)
