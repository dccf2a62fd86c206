"""Deterministic follow-up resolution for the offline generator.

"And what did Halvorsen say?" after "What did Okafor say about Lee's remarks?"
becomes "What did Halvorsen say about Lee's remarks?": the topic of the previous
turn is carried over and the person replaced. Pronouns ("What did he say ...")
take the previous turn's person. LLM backends use the condense prompt instead.
"""

from __future__ import annotations

import re

from .question import analyse

_ELLIPTICAL = re.compile(r"^\W*(?:and|what about|how about|what of|and what about|same for|also|but|then|so)\b", re.I)
_SUBJECT_PRONOUN = re.compile(r"\b(he|she|they)\b", re.I)
_OBJECT_PRONOUN = re.compile(r"\b(him|them)\b", re.I)
_POSSESSIVE = re.compile(r"\b(his|their)\b|\bher(?=\s+[a-z])", re.I)
_OBJECT_HER = re.compile(r"\bher\b", re.I)


_THING_PRONOUN = re.compile(r"\b(it|its|this|that|they|them|there)\b(?!\s+(?:is|was)\b\s+(?:the|a)\b)", re.I)
_DEMONSTRATIVE = re.compile(r"\b(?:to|about|of|on|with|by) (that|this|it|those|these)\b(?!\s+[a-z]{3,})", re.I)
_NO_OBJECT = re.compile(r"\b(react|respond|reply|answer|say)\s*\??$", re.I)
_SPEECH = re.compile(r"\b(?:say|said|tell|told|think|claim|state|warn|argue|write|stress|add|note|suggest|threaten|explain)\b(.*)$", re.I)


def _subject(question: str, answer: str = "") -> str | None:
    """Who the turn was about: its speaker or person, else the first person its answer names."""
    analysis = analyse(question)
    if analysis.target:
        return analysis.target
    for entity in analysis.entities:
        if any(w.lower() in analysis.person_names for w in entity.split()):
            return entity
    people = re.findall(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z-]+){1,2})\b", answer)
    named = [p for p in people if any(w.lower() in analyse(p).person_names for w in p.split())]
    return named[0] if named else None


def _remarks(previous: str, subject: str) -> str:
    """'Jo Roe's remarks about the ferry plan' from 'What did Jo Roe say about the ferry plan?'"""
    topic = _SPEECH.search(previous)
    rest = topic.group(1).strip(" ?") if topic else ""
    return f"{subject}'s remarks {rest}".strip()


def resolve_followup(question: str, history: list[tuple[str, str]] | list[list[str]]) -> str:
    """The standalone form of a follow-up question (unchanged when it stands alone)."""
    question = question.strip()
    if not history:
        return question
    previous = resolve_followup(str(history[-1][0]), list(history[:-1]))
    subject = _subject(previous, str(history[-1][1]))
    current = analyse(question)
    previous_entities = set(analyse(previous).entities)
    new_people = [e for e in current.entities
                  if e not in previous_entities and any(w.lower() in current.person_names for w in e.split())]
    elliptical = bool(_ELLIPTICAL.match(question)) or len(current.topic_terms) <= 1

    if new_people and elliptical and subject:
        replacement = current.target or new_people[0]
        if not current.target or not current.topic_terms:
            return re.sub(re.escape(subject), replacement, previous, count=1)
        return question
    if subject and current.target and not current.target_people and (
            _DEMONSTRATIVE.search(question) or _NO_OBJECT.search(question)):
        # "How did the council respond to that?" -> "... respond to Jo Roe's remarks about the ferry plan?"
        remarks = _remarks(previous, subject)
        if _DEMONSTRATIVE.search(question):
            return _DEMONSTRATIVE.sub(lambda m: m.group(0).split()[0] + " " + remarks, question, count=1)
        return question.rstrip(" ?") + f" to {remarks}?"
    has_pronoun = _SUBJECT_PRONOUN.search(question) or _OBJECT_PRONOUN.search(question) or _POSSESSIVE.search(question) or _OBJECT_HER.search(question)
    if has_pronoun and subject and not current.person_names:
        resolved = _POSSESSIVE.sub(f"{subject}'s", question)
        resolved = _SUBJECT_PRONOUN.sub(subject, resolved)
        resolved = _OBJECT_PRONOUN.sub(subject, resolved)
        resolved = _OBJECT_HER.sub(subject, resolved)
        return resolved
    if _THING_PRONOUN.search(question) and not current.entities:
        # "How many people will it employ?" after a question about the ferry terminal: keep its subject.
        return f"{question.rstrip()} ({previous.rstrip('?')})"
    if elliptical and not current.person_names:
        stripped = _ELLIPTICAL.sub("", question).strip(" ,?") or question
        return f"{stripped[:1].upper()}{stripped[1:]}? ({previous.rstrip('?')})"
    return question
