"""The question itself, without what frames it in a chat.

People ask an assistant as they would ask a colleague: 'Hi! Who won?', 'Can you tell me who won?',
'I'd like to know what the envoy said.', 'Who won? I need it for a report.' The frame holds no content,
yet the answerer would read it as part of the question: a greeting as a quiz's scene-setting
sentence, a lead-in as words the evidence must restate, an embedded question's statement order
('what Okafor said') as a statement. The NLP model's parse tells the frame from the question.
"""

from __future__ import annotations

import re

from ...language.words import QUESTION_WORDS, WH_WORDS

_OPENING_CLAUSE = re.compile(r"^\W*((?:[\w’'-]+\s+){0,3}[\w’'-]+)\s*[!,.:;—–-]+\s+(?=\S)")
_CLOSING_CLAUSE = re.compile(r"\?\s+((?:[\w’'-]+\s+){0,11}[\w’'-]+)\s*[!.]*\s*$")  # 'Who won? Thanks!'
_SHORT_CLOSING = 3  # words: a closing this short that names nothing is thanks ('Thank you so much')
_WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})
_LEAD_IN_PARTS = frozenset({"PRON", "AUX", "VERB", "PART", "INTJ", "ADV"})
_PHRASE_PARTS = frozenset({"ADJ", "NOUN", "NUM"})  # 'which national holiday', 'how many rounds'
_BARE_WH_CONTRACTION = re.compile(r"\b(" + "|".join(sorted(WH_WORDS)) + r")s\b", re.IGNORECASE)
_DO_SUPPORT = {"VBD": "did", "VBZ": "does", "VBP": "do"}


def asked_directly(question: str, parse) -> str:
    """The question without an opening greeting ('Hi!', 'Hello there,', 'Please tell me:': a short clause
    the NLP model, `parse`, reads as led by an interjection), a lead-in before the question it embeds
    ('I'd like to know what …', 'Can you tell me who …'), or a closing after the question mark that asks
    nothing ('Thanks!', 'I need it for a report.': a few words, or the asker speaking), none naming
    anything. A wh-word's contraction typed bare ('whats') gets its apostrophe; an embedded question is
    put back in a question's order ('what Okafor said' -> 'what did Okafor say')."""
    question = _BARE_WH_CONTRACTION.sub(lambda m: m.group(1) + "'s", question)  # 'whats' -> "what's"
    opening = _OPENING_CLAUSE.match(question)
    if opening is not None:
        tokens = parse(opening.group(1))
        if len(tokens) and tokens[0].pos_ == "INTJ" and _names_nothing(tokens):
            question = question[opening.end():]
    closing = _CLOSING_CLAUSE.search(question)
    if closing is not None and _asks_nothing(parse(closing.group(1))):
        question = question[:closing.start() + 1]
    doc = parse(question)
    lead_in = _lead_in_length(doc)
    return _in_question_order(doc, lead_in) if lead_in else question


def _names_nothing(tokens) -> bool:
    return not any(t.pos_ in ("PROPN", "NUM") or t.lower_ in QUESTION_WORDS for t in tokens)


def _asks_nothing(tokens) -> bool:
    """A closing that is thanks ('Thanks!', 'Thank you so much') or the asker speaking ('I need it for a
    report.', 'We're writing a story.'): naming nothing, asking nothing."""
    if len([t for t in tokens if not t.is_punct]) <= _SHORT_CLOSING:
        return _names_nothing(tokens)
    return (not any(t.pos_ in ("PROPN", "NUM") or t.lower_ in WH_WORDS for t in tokens)
            and any(t.dep_ == "nsubj" and _speaker_or_listener(t) for t in tokens))


def _speaker_or_listener(token) -> bool:
    """'I', 'me', 'we', 'you': the person asking or the one asked, never what the question is about."""
    return token.pos_ == "PRON" and bool(set(token.morph.get("Person")) & {"1", "2"})


def _lead_in_length(doc) -> int:
    """How many tokens open the sentence before the question it embeds ('I'd like to know', 'Can you tell
    me', 'Tell me', 'Do you know' before a wh-word or its preposition): only verbs, auxiliaries and the
    asker or the asked, naming nothing. 0 when the sentence opens with its question ('Did Okafor say when …'
    names someone)."""
    for i, token in enumerate(doc):
        if token.tag_ in _WH_TAGS:
            if i and doc[i - 1].pos_ == "ADP" and doc[i - 1].dep_ != "prt":
                i -= 1  # the question's own preposition: 'I'd like to know on what date …'
            lead_in = doc[:i]
            fitting = all(t.pos_ in _LEAD_IN_PARTS and (t.pos_ != "PRON" or _speaker_or_listener(t))
                          or t.dep_ == "prt" for t in lead_in)
            return i if i and fitting and any(t.pos_ == "VERB" for t in lead_in) else 0
    return 0


def _in_question_order(doc, start: int) -> str:
    """The embedded question from token `start` on, its subject and verb in a question's order: the
    auxiliary before the subject ('where the summit was held' -> 'where was the summit held'), or 'did',
    'does', 'do' with the verb's lemma ('what Okafor said' -> 'what did Okafor say'). Left as it is when
    the wh-phrase is the subject ('which team won') or the parse finds no clear subject and verb."""
    text = re.sub(r"\.$", "?", doc.text.rstrip())
    embedded = text[doc[start].idx:]
    wh = next(t.i for t in doc[start:] if t.tag_ in _WH_TAGS)
    end = wh + 1
    if doc[wh].tag_ != "WP":  # 'which team', 'how many people'; not 'what', 'who'
        while end < len(doc) and doc[end].pos_ in _PHRASE_PARTS:
            end += 1
    subject = next((t for t in doc[end:] if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.left_edge.i != end or subject.head.i <= subject.i:
        return embedded
    verb = subject.head
    moved = next((t for t in verb.children if t.dep_ in ("aux", "auxpass") and subject.i < t.i < verb.i), None)
    if moved is None and verb.pos_ == "AUX":
        moved = verb  # the copula: 'who the envoy is' -> 'who is the envoy'
    front = doc[end].idx
    if moved is not None:
        rest = text[front:moved.idx].rstrip() + text[moved.idx + len(moved.text):]
        return text[doc[start].idx:front] + moved.text + " " + rest
    if verb.tag_ not in _DO_SUPPORT:
        return embedded
    verbs = [verb] + [t for t in verb.children if t.dep_ == "conj" and t.tag_ == verb.tag_]  # 'visited … and signed'
    words = text[doc[start].idx:front] + _DO_SUPPORT[verb.tag_] + " "
    at = front
    for each in verbs:
        words += text[at:each.idx] + each.lemma_
        at = each.idx + len(each.text)
    return words + text[at:]
