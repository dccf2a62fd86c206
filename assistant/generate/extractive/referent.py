"""Who 'the singer' is: a sentence that names its subject only by a pronoun or a description
('She showed off ...', 'The singer and entrepreneur showed off ...', 'The company said ...') speaks
of the person or body the article names most just before it, as news writing names someone once and
then describes them."""

from __future__ import annotations

import re

from ...language.words import CAPITALISED_FUNCTION_WORDS
from ...types import Entity, RetrievedChunk
from .attribution import _ADVERBS, SPEECH_VERBS, Unit

# A sentence opening with 'He'/'She' (or 'His'/'Her' remarks), or with 'The' and a few lower-case words
# before its verb.
_PRONOUN_SUBJECT = re.compile(r"^\s*(?:He|She|His|Her)\b")
_DESCRIBED_SUBJECT = re.compile(r"^\s*The\s+((?:[a-z][\w’'-]*\s+){0,5}?[a-z][\w’'-]*)\s+"
                                r"(?:[a-z]+ed|[a-z]+s|is|was|has|had|will|would|said)\b")
# How far back the person is looked for: a few sentences, not the whole article.
_WINDOW_CHARS = 600


def described_subject(text: str, label: str = "PERSON") -> str | None:
    """'he'/'she'/'his'/'her' (for a person: "person"), or the description a sentence opens with ('singer and beauty
    entrepreneur', 'company'); None when the sentence names its subject otherwise."""
    if label == "PERSON" and _PRONOUN_SUBJECT.match(text):
        return "person"
    match = _DESCRIBED_SUBJECT.match(text)
    return match.group(1) if match else None


def text_before(article: list[RetrievedChunk], end: int, length: int = _WINDOW_CHARS) -> tuple[int, str]:
    """(start, text) of the article's last `length` characters before offset `end`, from its first
    whole word: where the person a description stands for was last named. Chunks are slices of the
    file in reading order that may overlap; each adds only what the ones before it did not cover."""
    start = pos = max(0, end - length)
    text = ""
    for chunk in sorted(article, key=lambda c: c.start):
        lo, hi = max(pos, chunk.start), min(end, chunk.end)
        if hi <= lo:
            continue
        text += " " * (lo - pos) + chunk.text[lo - chunk.start:hi - chunk.start]
        pos = hi
    if not text.strip():
        return end, ""
    cut = 0 if start == 0 else (re.search(r"\s", text) or re.search(r"$", text)).end()  # no half word
    return start + cut, text[cut:]


# A capitalised name (one or two words) followed by a reporting verb: 'Okafor then went on to clarify'.
_SPEAKING_NAME = re.compile(rf"\b([A-Z][a-z’'-]+(?: [A-Z][a-z’'-]+)?)\W+{_ADVERBS}(?:{SPEECH_VERBS})\b")
# Labels that say a name is no person ('Harbourton warned' is a government speaking).
_NOT_PERSON_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC"})


def speaking_names(entities: tuple[Entity, ...], text: str) -> list[Entity]:
    """People a text shows speaking whom the model did not tag as people ('Okafor insisted' tagged as
    an organisation, or not at all): a personal pronoun's referent is a person, and such a name may be it.
    Names the model knows as places or nationalities, and capitalised function words, are not."""
    places = {e.text for e in entities if e.label in _NOT_PERSON_LABELS}
    found = []
    for match in _SPEAKING_NAME.finditer(text):
        name = match.group(1)
        if name in places or name.split()[0].lower() in CAPITALISED_FUNCTION_WORDS:
            continue
        found.append(Entity(name, "PERSON", match.start(1), match.end(1)))
    return found


def main_named(entities: tuple[Entity, ...], text: str, label: str = "PERSON") -> Entity | None:
    """The person (or body) a stretch of text names most often, in its fullest form: the one a following
    description refers to. Mentions are counted in the text itself by the name's last word ('Ada Okafor'
    and 'Okafor' alike; the model may tag one mention and miss the next). None when two are named equally
    often ('Roe beat Okafor. She won ...' could be either): a wrong guess is worse than none."""
    forms: dict[str, list[Entity]] = {}
    speaking = speaking_names(entities, text) if label == "PERSON" else []
    for ent in list(entities) + speaking:
        if ent.label == label and ent.text.strip():
            forms.setdefault(ent.text.split()[-1], []).append(ent)
    counts = {key: len(re.findall(rf"(?<![\w’'-]){re.escape(key)}(?![\w-])", text)) for key in forms}
    ranked = sorted(counts, key=counts.get, reverse=True)
    if not ranked or (len(ranked) > 1 and counts[ranked[0]] == counts[ranked[1]]):
        return None
    return max(forms[ranked[0]], key=lambda e: len(e.text))


def referent(unit: Unit, article: list[RetrievedChunk], entities_of, label: str = "PERSON") -> Entity | None:
    """The person or body a sentence's pronoun or description refers to, as an entity at no offset;
    `entities_of(text)` annotates a text (the NLP model's cache is keyed by the text itself, so an
    edited article is never read through its old entities)."""
    _, before = text_before(article, unit.start)
    if not before.strip():
        return None
    named = main_named(entities_of(before), before, label)
    return Entity(named.text, label, 0, 0) if named else None
