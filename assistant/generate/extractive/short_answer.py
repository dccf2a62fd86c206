"""Typed short answers: the entity of the expected kind that the best evidence holds.

A reader (in the Haystack sense) over the few best sentences: each entity of an accepted
label that the question does not already name is a candidate; candidates that are the
same thing ("Humphries", "Luke Humphries") are merged; a candidate scores by its best
sentence and by how many retrieved passages agree on it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ...ingest.patterns import AGENCY_DATELINE, DATELINE, PHOTO_CREDIT
from ...language.demonyms import formed_from, place_spellings, shaped_like_a_demonym
from ...language.words import (BODY_NOUNS, CALENDAR_WORDS, CAPITALISED_FUNCTION_WORDS, FREQUENCY_NOUNS, GENERIC_ROLES,
                               HONORIFICS, LOCATIVE_WORDS, NAME_LABELS, NUMBER_WORDS, ROLE_NOUNS, SITE_WORDS,
                               TITLE_WORDS, VALUE_LABELS, VENUE_PHRASES)
from ...retrieve.text import fold, terms
from ...types import Entity, RetrievedChunk
from .attribution import Unit
from .evidence import ScoredUnit, name_words, names_match, same_family
from .expected import ExpectedAnswer

# Extra weight per further sentence that names the same candidate, per further article that does
# (independent reports agreeing say more than one article repeating itself), and their cap.
_AGREEMENT_WEIGHT = 0.05
_ARTICLE_AGREEMENT_WEIGHT = 0.03
_AGREEMENT_CAP = 0.15
# How fast an entity's weight falls with its distance (in characters) from the question's words.
_PROXIMITY_CHARS = 60.0
_PROXIMITY_SHARE = 0.3
# A candidate mentioned in a weaker sentence counts this much less than one in the best.
_MIN_SHARE_OF_BEST = 0.8
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
# "in Paris", "at the stadium": a place that is where something happened, not just mentioned.
_LOCATIVE_BEFORE = re.compile(rf"\b(?:{'|'.join(LOCATIVE_WORDS)})\s+(?:the\s+)?$", re.I)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_NAME_OR_PLACE = frozenset({"PERSON", "ORG", "GPE", "LOC"})
_SITE_BEFORE = re.compile(rf"\b(?:{'|'.join(sorted(SITE_WORDS))})\s+(?:the\s+)?$", re.I)
_VENUE_BEFORE = re.compile(rf"\b(?:{'|'.join(VENUE_PHRASES)})\s+(?:the\s+)?$", re.I)
_COUNT_LABELS = frozenset({"CARDINAL", "QUANTITY"})
_MENTION_WEIGHT = 0.75  # a place named without a locative preposition
# "How long": a span of time ('over 30 years', 'six months') answers; a point in time ('1990') counts this much.
_DURATION = re.compile(r"\b(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|century|centuries)\b", re.I)
_POINT_IN_TIME_WEIGHT = 0.5
# "$6 out of $10", "three out of four": the two figures make a share, neither is an amount or a count
_SHARE_AFTER = re.compile(r"\s+out\s+of\s", re.I)  # matched at the figure's end
_SHARE_BEFORE = re.compile(r"\bout\s+of\s+[$€£¥]?$", re.I)
# "Rival foreign ministry spokeswoman Ada Roe": a nationality or place a few plain words before a
# name, with no comma or verb between, is part of how the sentence describes that person.
_DESCRIPTOR_GAP = re.compile(r"^\s+(?:[\w’'-]+\s+){0,4}$")
# "The Rival president, Ada Roe": a role and a comma before the name describe that person too.
_APPOSITIVE_ROLE = re.compile(rf"^\s+(?:[\w’'-]+\s+){{0,3}}(?:{'|'.join(ROLE_NOUNS)})s?,\s+$", re.I)
_ORIGIN_LABELS = frozenset({"NORP", "GPE"})
_CURRENCY_SIGNS = "$€£¥₩"


# Number words that count ('eight years'); 'one day', 'half a century' are manners of speaking.
_COUNTING_WORDS = frozenset(NUMBER_WORDS) - {"one", "half"}
_NUMBER_TERMS = frozenset(terms(" ".join(NUMBER_WORDS)))
_FREQUENCY_TERMS = frozenset(terms(" ".join(FREQUENCY_NOUNS)))


def _vague(ent: Entity) -> bool:
    """'a day', 'recent years': a date or figure with no digit, number word or capitalised name says nothing."""
    if ent.label not in ("DATE", "TIME", "CARDINAL", "QUANTITY"):
        return False
    words = _LEADING_ARTICLE.sub("", ent.text).split()
    named = re.search(r"\d", ent.text) or any(w[:1].isupper() or w.lower() in _COUNTING_WORDS for w in words)
    return not named and ent.label in ("DATE", "TIME")




def _calendar_only(ent: Entity) -> bool:
    """'September', 'last Monday': a date that names no day of its own, unlike 'Labor Day', so no
    answer when the question asks for a name (a holiday, an event)."""
    words = [w for w in re.findall(r"[A-Za-z][\w.’'-]*", ent.text) if w[:1].isupper()]
    return ent.label in ("DATE", "TIME") and all(w.lower().rstrip(".") in CALENDAR_WORDS for w in words)


@dataclass
class Candidate:
    """One possible short answer and the sentences that hold it."""

    text: str
    label: str
    key: frozenset[str]
    score: float = 0.0
    support: list[ScoredUnit] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    located: bool = False  # named as where something happened ('launched from X', 'on the sidelines of X')

    @property
    def best(self) -> ScoredUnit:
        return self.support[0]


def _display(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:")
    if text.endswith(".") and not re.search(r"(?:^|[\s.])(?:\w|[A-Z]\w{1,2})\.$", text):
        text = text.rstrip(".")  # a sentence's full stop, not the last dot of "U.S." or "Jr."
    return re.sub(r"(?:’s|'s)$", "", text)


def _states(text: str, answer: str) -> bool:
    """Does a sentence hold the short answer as it is shown, as words of its own ('Brazil', not 'Brazilian')?"""
    shown = re.escape(" ".join(answer.lower().split()))
    return re.search(rf"(?<!\w){shown}(?!\w)", " ".join(text.lower().split())) is not None


def shows_answer(unit: Unit, answer: str) -> bool:
    """Does the quote as shown hold the answer: in its words, or as the speaker it is labelled with?"""
    return _states(unit.text, answer) or bool(unit.speaker and not unit.explicit and _states(unit.speaker, answer))


def _key(text: str) -> frozenset[str]:
    """What a name is compared by: its words, stemmed, without articles or the dots of 'U.K.' ('UK')."""
    return frozenset(t.replace(".", "") for t in terms(_LEADING_ARTICLE.sub("", fold(text)), keep_stopwords=False))


def _same_class(a: str, b: str) -> bool:
    """Both places, or neither: 'Ostvale' the town is not 'Ostvale Rovers' the club."""
    return (a in _PLACE_LABELS) == (b in _PLACE_LABELS)


def _named_in_question(key: frozenset[str], question_terms: set[str]) -> bool:
    """The question already names it ('Littler' when it asks who beat Littler; 'French' when it names France)."""
    asked = {q.replace(".", "") for q in question_terms}  # "U.S." in the question is "US" in the answer
    return bool(key) and all(t.replace(".", "") in asked or any(same_family(t, q) for q in asked) for t in key)


def _abbreviated_in_question(name: str, question_terms: set[str]) -> bool:
    """The question names it by its initials ('the VDA' for 'the Valdor Drug Authority')."""
    capitals = [w for w in re.findall(r"[\w’'-]+", name) if w[:1].isupper() and w.lower() not in _LINKING_WORDS]
    return len(capitals) >= 2 and "".join(w[0] for w in capitals).lower() in question_terms


_LINKING_WORDS = frozenset({"a", "an", "the", "of", "and", "for", "on"})


def _question_word_positions(text: str, question_terms: set[str]) -> list[int]:
    """Where the question's own words occur in a sentence (character offsets)."""
    return [m.start() for m in re.finditer(r"\w[\w'’-]*", text)
            if (found := terms(m.group(0))) and found[0] in question_terms]


def _proximity(ent: Entity, positions: list[int]) -> float:
    """1 next to the question's words, falling towards 1 - _PROXIMITY_SHARE far from them."""
    if not positions:
        return 1.0 - _PROXIMITY_SHARE
    distance = min(min(abs(p - ent.start), abs(p - ent.end)) for p in positions)
    return 1.0 - _PROXIMITY_SHARE + _PROXIMITY_SHARE * math.exp(-distance / _PROXIMITY_CHARS)


_NOT_NAME_WORDS = CAPITALISED_FUNCTION_WORDS | HONORIFICS | TITLE_WORDS | frozenset(BODY_NOUNS)
# The capitalised word right after a name, on the same line ('Marrowdale| Okafor').
_NEXT_CAPITALISED = re.compile(r" ([A-Z][\w’'-]*)(\.?)")


def _name_runs_on(text: str, end: int, ents: tuple[Entity, ...]) -> bool:
    """Does a name go on past where the model ended it? 'Marrowdale' tagged a place in 'Marrowdale Okafor' is
    the first word of a longer name; a title after a place ('Valdor President', 'Valdor Gov.') is not,
    nor is a name the model tells apart ('Valdor Republican Bo Lind')."""
    match = _NEXT_CAPITALISED.match(text, end)
    if not match or match.group(2):  # no capitalised word next, or an abbreviated title ('Gov.')
        return False
    if any(e.start == match.start(1) for e in ents):
        return False
    return match.group(1).lower() not in _NOT_NAME_WORDS


def _counts_the_head(ent: Entity, text: str, head_terms: set[str]) -> bool:
    """'How many companies': '40 companies' counts them, 'the two countries' does not."""
    following = terms(ent.text + " " + text[ent.end:ent.end + 40])[:4]
    return any(t in head_terms or any(same_family(t, h) for h in head_terms) for t in following)


def _with_currency(ent: Entity, text: str) -> Entity:
    """'$500' where the model's amount left its currency sign outside ('500')."""
    if ent.label == "MONEY" and ent.start > 0 and text[ent.start - 1] in _CURRENCY_SIGNS:
        return Entity(text[ent.start - 1:ent.end], ent.label, ent.start - 1, ent.end)
    return ent


def _without_named_tail(ent: Entity, question_terms: set[str]) -> Entity:
    """'Mira of Northwind' -> 'Mira' when the question names Northwind: the answer is what it does not already say."""
    head, sep, tail = ent.text.partition(" of ")
    if sep and head.strip() and _named_in_question(_key(tail), question_terms):
        return Entity(head.rstrip(), ent.label, ent.start, ent.start + len(head.rstrip()))
    return ent


_PERSON_ROLES = frozenset(ROLE_NOUNS) - frozenset(BODY_NOUNS) - {"newspaper"}  # roles a person holds
SPECIFIC_ROLES = _PERSON_ROLES - GENERIC_ROLES  # asked for one of these, a title naming another is someone else
_TITLE_OPENERS = _PERSON_ROLES | {"deputy", "vice", "former", "acting", "senior"}  # not 'Lady', 'The'
_TITLE_REACH = 80  # characters read back from a name for its title
_TITLE_INNER_WORDS = frozenset({"of", "to", "for", "the", "and"})  # 'Ambassador to Norland Bo Lind'


def _without_title(ent: Entity) -> Entity:
    """'Spokeswoman Ada Roe' -> 'Ada Roe': the NER model may take a title into a person's name."""
    if ent.label != "PERSON":
        return ent
    words = ent.text.split()
    dropped = 0
    while dropped < len(words) - 1 and words[dropped].lower() in _TITLE_OPENERS:
        dropped += 1
    if not dropped:
        return ent
    rest = " ".join(words[dropped:])
    return Entity(rest, ent.label, ent.end - len(rest), ent.end) if ent.text.endswith(rest) else ent


def title_roles(candidate: Candidate) -> set[str]:
    """The roles the candidate's sentences give it in a title right before its name ('Foreign Ministry
    Spokeswoman Ada Roe' -> 'spokeswoman', 'Ambassador to Norland Bo Lind' -> 'ambassador')."""
    roles = set()
    for item in candidate.support:
        text = item.unit.text
        at = text.find(candidate.text)
        if at < 0:
            continue
        for word in reversed(re.findall(r"[\w’'-]+|[^\w\s]", text[max(0, at - _TITLE_REACH):at])[-6:]):
            if word.lower() in _PERSON_ROLES:
                roles.add(word.lower())
                break
            if not word[:1].isupper() and word.lower() not in _TITLE_INNER_WORDS:
                break  # a comma, a verb: the title, if any, is over
    return roles


def _person_at_the_end(ent: Entity, people: list[frozenset[str]]) -> Entity:
    """'the Valdorian Security Council Bo Lind' (one body to the NER model, which ends it with a person
    it tags as such elsewhere) -> 'Bo Lind': the body's name is that person's title, not the answer."""
    if ent.label != "ORG":
        return ent
    words = ent.text.split()
    for size in range(min(3, len(words) - 1), 0, -1):  # the longest such tail
        tail = " ".join(words[-size:])
        if _key(tail) in people:
            return Entity(tail, "PERSON", ent.end - len(tail), ent.end)
    return ent


def _headline(item: ScoredUnit) -> bool:
    """Is the sentence its article's headline (the model reads a headline's few words out of context)?"""
    chunk = item.unit.chunk
    return chunk is not None and bool(chunk.title) and item.unit.text.strip() == chunk.title.strip()


def _same_place(a: str, b: str) -> bool:
    """'North Valdorian' ~ 'North Valdoria', 'Ostmarkian' ~ 'Ostmark': every word of one in the other's family."""
    if formed_from(a, b) or formed_from(b, a):  # 'Scottish' ~ 'Scotland'
        return True
    ta, tb = terms(fold(a)), terms(fold(b))
    return bool(ta and tb) and all(any(x == y or same_family(x, y) for y in tb) for x in ta)


def _described_elsewhere(ent: Entity, ents: tuple[Entity, ...], text: str, places: list[str],
                         named_otherwise: Callable[[str, str], bool] | None = None, owners: list[str] = ()) -> bool:
    """A person the sentence describes by a place or nationality the question does not name:
    asked for one country's minister, 'Rival ministry spokeswoman Ada Roe' is another country's.
    A description naming a place the question names fits ('Rival envoy to Norland Bo Lind', asked
    for the envoy to Norland), unless the question says whose the person is (`owners`: 'Norland's
    envoy', 'the Norlandic envoy') and the place before the title says otherwise ('Valdorian Envoy to
    Norland Bo Lind' is Valdor's envoy, not Norland's)."""
    if ent.label != "PERSON" or not places:
        return False
    gaps = [(other.text, text[other.end:ent.start]) for other in ents
            if other.label in _ORIGIN_LABELS and other.end <= ent.start]
    describing = [(place, gap) for place, gap in gaps if _DESCRIPTOR_GAP.match(gap) or _APPOSITIVE_ROLE.match(gap)]

    def fits(description: str, place: str) -> bool:
        return _same_place(description, place) or bool(named_otherwise and named_otherwise(place, description))

    whose = [description for description, gap in describing if _ROLE_WORD.search(gap)]  # before the title
    if owners and whose:
        return not any(fits(description, owner) for description in whose for owner in owners)
    return bool(describing) and not any(fits(description, place) for description, _ in describing for place in places)


_ROLE_WORD = re.compile(rf"\b(?:{'|'.join(ROLE_NOUNS)})s?\b", re.I)


# A nationality standing for its country ('the Chinese balloon' for 'which country') counts this much.
_ADJECTIVE_PLACE_WEIGHT = 0.8
# A name the model tags as a person, body or place in a headline and as another of them in an article's
# sentences counts this much: out of context, in a headline's few words, the small model misreads names.
_TAGGED_OTHERWISE_WEIGHT = 0.5
# A mention the model tags otherwise than it tags the same name in another sentence of the story, which is
# of the kind asked for, counts as that kind at this weight ('Brightmart' a person here, a company there).
_RETAGGED_WEIGHT = 0.8
_PLACE_WORD = re.compile(r"\b[A-Z][a-z]{3,}\b")


# Names the small NER model often misses: a treaty, an event, a title, a product.
NER_WEAK_LABELS = frozenset({"LAW", "EVENT", "WORK_OF_ART", "PRODUCT"})
# Two or more capitalised words in a row, 'of'/'and'/'for'/'the' allowed inside ('Treaty of Valdor').
_TITLE_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:(?:of|and|for|the|on)\s+)?[A-Z][\w’'-]*)+")


def title_case_names(text: str, ents: tuple[Entity, ...], label: str) -> tuple[Entity, ...]:
    """A sentence's runs of capitalised words that the model tagged as nothing ('signed the Comprehensive
    Partnership Agreement'), as names of `label`, when it found no name of that label there. A
    capitalised function word opening a sentence ('When', 'The') is no part of the name."""
    if any(e.label == label for e in ents):
        return ()
    found = []
    for match in _TITLE_RUN.finditer(text):
        start, name = match.start(), match.group(0)
        first = name.split()[0]
        if first.lower() in CAPITALISED_FUNCTION_WORDS:
            rest = name[len(first):].lstrip()
            start, name = match.end() - len(rest), rest
        if len(name.split()) < 2 or any(e.start < start + len(name) and start < e.end for e in ents):
            continue
        found.append(Entity(name, label, start, start + len(name)))
    return tuple(found)


def places_by_adjective(ents: tuple[Entity, ...], article_text: str, same, known=None) -> tuple[Entity, ...]:
    """The places a sentence names by their adjective: 'Chinese' -> 'China' where the article writes
    'China' somewhere, judged by same(adjective, place) (form and meaning); each keeps the adjective's
    offsets, so it is weighed where the sentence says it. The article decides the spelling: no list.
    Where it never writes the place, a spelling the corpus knows (`known(word)`) may stand in."""
    found = []
    words = {m.group(0) for m in _PLACE_WORD.finditer(article_text)}
    for ent in ents:
        if ent.label != "NORP" or " " in ent.text.strip():
            continue
        place = next((w for w in sorted(words) if formed_from(ent.text, w) and same(ent.text, w)), None)
        if place is None and known is not None:
            place = next((w for w in place_spellings(ent.text)  # not a form the stemmer reads as the adjective
                          if _key(w) != _key(ent.text) and known(w) and same(ent.text, w)), None)
        if place:
            found.append(Entity(place, "GPE", ent.start, ent.end))
    return tuple(found)


def candidates(
    expected: ExpectedAnswer, scored: list[ScoredUnit], entities: list[tuple[Entity, ...]],
    question_terms: set[str], question_places: list[str] = (), question_people: list[str] = (),
    named_otherwise: Callable[[str, str], bool] | None = None, owners: list[str] = (),
) -> list[Candidate]:
    """Merge the accepted entities of the scored sentences into ranked candidates.

    question_places: the places and nationalities the question names; a person described by
    another one is not the person asked for. question_people: the people the question names; none
    of them answers it, under a fuller name either ('Luke Littler' when it asks who beat Littler).
    named_otherwise(question_place, text): whether the text names the place by another name (its capital).
    owners: the places the question says the person asked for is of ('Norland's envoy'), with their aliases."""
    named_people = [name_words(name) for name in question_people]
    found: list[Candidate] = []
    head_terms = set(terms(expected.head)) if expected.wh == "how many" and expected.head else set()
    if head_terms & _FREQUENCY_TERMS:
        # 'how many times did she lead it to the Final Four': 'five Final Four trips' counts them
        head_terms = head_terms | (question_terms - _NUMBER_TERMS)
    elsewhere: list[frozenset[str]] = []  # people described as another country's
    people = [_key(ent.text) for ents in entities for ent in ents if ent.label == "PERSON"]
    entities = [tuple(_without_title(_person_at_the_end(ent, people)) for ent in ents) for ents in entities]
    in_body: dict[frozenset[str], set[str]] = {}  # how the model tags each name outside headlines
    for item, ents in zip(scored, entities):
        if not _headline(item):
            for ent in ents:
                in_body.setdefault(_key(ent.text), set()).add(ent.label)
    for item, ents in zip(scored, entities):
        seen_here: set[int] = set()
        text = item.unit.text
        positions = _question_word_positions(text, question_terms)
        # "CITY, May 10." and "CITY (Wire) —" date the story, not what it reports; "Jo Roe/Wire/Agency" credits a photo
        lead = DATELINE.match(text) or AGENCY_DATELINE.match(text) or PHOTO_CREDIT.match(text)
        dateline_end = lead.end() if lead else 0
        for ent in ents:
            before = text[max(0, ent.start - 24):ent.start]
            if expected.wh == "where" and ent.label == "NORP" and " " not in ent.text.strip() \
                    and not shaped_like_a_demonym(ent.text) and _SITE_BEFORE.search(before):
                ent = replace(ent, label="GPE")  # 'launched from Ostvale': one word tagged as a nationality
            if ent.label in _PLACE_LABELS and _name_runs_on(text, ent.end, ents):
                continue  # 'Marrowdale' of 'Marrowdale Okafor', 'Ostvale' of 'Ostvale Rovers': not a place here
            fit = expected.accepts(ent.label)
            if not fit and ent.label in _NAME_OR_PLACE:
                # 'Brightmart' a person here, a company in another sentence of the story: read as the company
                told = max(in_body.get(_key(ent.text), set()) & _NAME_OR_PLACE, key=expected.accepts, default=None)
                if told is not None and (told_fit := expected.accepts(told)):
                    fit, ent = told_fit * _RETAGGED_WEIGHT, replace(ent, label=told)
            if ent.label in _NAME_OR_PLACE and _headline(item) and \
                    (in_body.get(_key(ent.text), set()) & _NAME_OR_PLACE) - {ent.label}:
                fit *= _TAGGED_OTHERWISE_WEIGHT  # 'Ostvale' a person in a headline, a place in the story
            if ent.label == "GPE" and item.unit.text[ent.start:ent.end] != ent.text:
                fit *= _ADJECTIVE_PLACE_WEIGHT  # a place the sentence names by its adjective
            if not fit or _vague(ent) or ent.start < dateline_end:
                continue
            if expected.labels[0] in NAME_LABELS and _calendar_only(ent):
                continue
            if head_terms and ent.label in _COUNT_LABELS and not _counts_the_head(ent, item.unit.text, head_terms):
                continue
            if ent.label in VALUE_LABELS and (_SHARE_AFTER.match(text, ent.end)
                                              or _SHARE_BEFORE.search(text, 0, ent.start)):
                continue
            if expected.wh == "how long" and not _DURATION.search(ent.text):
                fit *= _POINT_IN_TIME_WEIGHT  # 'since 1990' says when it began, 'over 30 years' how long
            if _described_elsewhere(ent, ents, item.unit.text, list(question_places), named_otherwise, list(owners)):
                elsewhere.append(_key(ent.text))
                continue
            located = expected.wh == "where" and (_VENUE_BEFORE.search(before) is not None or (
                ent.label in _PLACE_LABELS and _SITE_BEFORE.search(before) is not None))
            if expected.wh == "where" and ent.label in _PLACE_LABELS and not _LOCATIVE_BEFORE.search(before[-12:]):
                fit *= _MENTION_WEIGHT
            ent = _without_named_tail(_with_currency(ent, item.unit.text), question_terms)
            key = _key(ent.text)
            if not key or _named_in_question(key, question_terms) or _abbreviated_in_question(ent.text, question_terms):
                continue
            if ent.label == "PERSON" and any(names_match(person, ent.text) for person in named_people):
                continue
            weight = item.score * fit * _proximity(ent, positions)
            match = next((c for c in found if (c.key <= key or key <= c.key) and _same_class(c.label, ent.label)), None)
            if match is None:
                match = Candidate(_display(ent.text), ent.label, key)
                found.append(match)
            elif len(key) > len(match.key) and key >= match.key:
                match.text, match.key = _display(ent.text), key  # keep the fullest name
            if id(match) in seen_here:
                continue
            seen_here.add(id(match))
            if weight > match.score:
                match.score, match.label = weight, ent.label
            match.located = match.located or located
            match.support.append(item)
            match.sources.add(item.unit.source)
    # 'Xi' in one sentence is the 'Rival President Xi Jinping' of another
    found = [c for c in found if not any(c.key <= k or k <= c.key for k in elsewhere if k)]
    for cand in found:
        # best first, and the first one states the answer as shown ('Luke Humphries', not only 'Humphries')
        cand.support.sort(key=lambda s: (not shows_answer(s.unit, cand.text), -s.score))
        agreement = _AGREEMENT_WEIGHT * (len(cand.support) - 1) + _ARTICLE_AGREEMENT_WEIGHT * (len(cand.sources) - 1)
        cand.score += min(_AGREEMENT_CAP, agreement)
    found.sort(key=lambda c: -c.score)
    return found


# A capitalised word that may open a longer name ("Ostvale" before "Rovers").
_NAME_WORD = re.compile(r"^[A-Z](?:[\w&-]|[’'](?=\w{3}))*$|^(?:[A-Z]\.)+$")  # not "Musk's", "I’m"
_EXPANDABLE_LABELS = frozenset({"ORG", "PERSON"})


def fullest_form(answer: str, label: str, text: str) -> str:
    """The longest way the article writes a name: 'Rovers' -> 'Ostvale Rovers', 'Okafor' ->
    'Ada Okafor', by the capitalised words that precede it there (most often, then longest).

    Titles, honorifics and function words end the name ('Gov. Ada Okafor' -> 'Ada Okafor'), as
    does punctuation, so a sentence's last word never joins the next one's first."""
    if label not in _EXPANDABLE_LABELS or not answer[:1].isupper() or (label == "PERSON" and " " in answer):
        return answer  # a person's full name is one the model already found whole
    forms: Counter[str] = Counter()
    for match in re.finditer(rf"(?<![\w’'-])((?:\S+ ){{1,3}}){re.escape(answer)}(?![\w’'-])", text):
        words: list[str] = []
        for word in reversed(match.group(1).split()):
            if word.isdigit():  # inside a name ('Club 6 Ostvale'), never at its start
                words.insert(0, word)
                continue
            if not _NAME_WORD.match(word) or word.lower().strip(".") in _NOT_NAME_WORDS \
                    or not terms(word, keep_stopwords=False):  # "Is", "No": a function word ends it
                break
            words.insert(0, word)
        while words and words[0].isdigit():
            words.pop(0)
        if words:
            forms[" ".join(words + [answer])] += 1
    if not forms:
        return answer
    # most often; on a tie, the form the others hold ('Bo Lind' over 'Norland Bo Lind', after
    # 'Ambassador to Norland'), then the longest
    held = {form: sum(n for other, n in forms.items() if other == form or other.endswith(" " + form)) for form in forms}
    return max(forms, key=lambda form: (forms[form], held[form], len(form)))


# Sentences holding the same short answer this close to the best one's score are as good a source;
# the one from the article retrieval ranked highest (the most about the question) is cited.
_EQUALLY_GOOD_SOURCE = 0.9


def cited_from_best_retrieved(candidate: Candidate, retrieved_articles: list[str]) -> Candidate:
    """The candidate with its support reordered so the sentence cited first comes from the best-retrieved
    article among those that state the answer about as strongly (and as plainly) as the best sentence."""
    rank = {source: i for i, source in enumerate(retrieved_articles)}
    lead = candidate.best
    near = [s for s in candidate.support if s.score >= _EQUALLY_GOOD_SOURCE * lead.score
            and shows_answer(s.unit, candidate.text) == shows_answer(lead.unit, candidate.text)]
    chosen = min(near, key=lambda s: rank.get(s.unit.source, len(rank)))
    if chosen is lead:
        return candidate
    return replace(candidate, support=[chosen] + [s for s in candidate.support if s is not chosen])


def ranked_alike(items: list[ScoredUnit], ranking: list[str]) -> list[ScoredUnit]:
    """The sentences that rank as the question does ('the first harvest parade': a sentence saying
    'first'), when any does; else all. 'The grandest parades are held in X' answers another question."""
    wanted = set(ranking)
    alike = [item for item in items if wanted & set(re.findall(r"[a-z]+", item.unit.text.lower()))]
    return alike or items


_ROLE = re.compile(rf"\b(?:{'|'.join(ROLE_NOUNS)})s?\b", re.I)
_DESCRIPTION_REACH = 60  # characters around a name where its role may be written


def describing(items: list[ScoredUnit], name: str) -> list[ScoredUnit]:
    """For 'who is Ada Okafor?': the sentences that give her role beside her name ('Valdorian foreign
    ministry spokeswoman Ada Okafor', 'Okafor, the port's director,') first, each group best first."""
    surname = re.escape(name.split()[-1])

    def describes(text: str) -> bool:
        for match in re.finditer(rf"\b{surname}\b", text):
            before = text[max(0, match.start() - _DESCRIPTION_REACH):match.start()]
            after = text[match.end():match.end() + _DESCRIPTION_REACH]
            if _ROLE.search(re.split(r"[.;:!?”\"]", before)[-1]) or (
                    after.startswith(",") and _ROLE.search(after[1:].split(",")[0])):
                return True
        return False

    found = [item for item in items if describes(item.unit.text)]
    return found + [item for item in items if item not in found]


def located_first(wider: list[Candidate], found: list[Candidate]) -> list[Candidate]:
    """The candidates a wider reading names as where it happened, ahead of what the best sentences found."""
    located = [c for c in wider if c.located]
    return located + [c for c in found if all(c.key != place.key for place in located)]


def naming_articles(candidate: Candidate, chunks: list[RetrievedChunk]) -> set[str]:
    """The articles that name the candidate: those of its best sentences, and those whose retrieved
    passages state it in words of their own (a passage the question retrieved names the same thing,
    though none of its sentences scored among the best)."""
    return set(candidate.sources) | {c.source for c in chunks if _states(c.text, candidate.text)}


def agreeing_support(candidate: Candidate, cap: int = 2) -> list[ScoredUnit]:
    """The candidate's best sentence and, from other articles, its strongest confirmations."""
    chosen = [candidate.best]
    floor = _MIN_SHARE_OF_BEST * candidate.best.score
    for item in candidate.support[1:]:
        if len(chosen) >= cap:
            break
        if item.score >= floor and item.unit.source not in {c.unit.source for c in chosen}:
            chosen.append(item)
    return chosen
