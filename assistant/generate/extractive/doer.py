"""Who does what, by the dependency parses: 'Which country said it will send ships?' asks for the one
that sends them, so a close candidate that is the subject of the question's action comes before one
that is only named near it ('Valdor agreed to send ships' over 'Norland warned that the allies send
ships'), and 'which town was invaded' asks for the invaded one, not the invader; 'Did Valdor send
ships?' is a 'Yes' only where Valdor is the one sending."""

from __future__ import annotations

from typing import Callable

_SUBJECTS = ("nsubj", "nsubjpass")
_DOER_ROLES = {"nsubj": "agent", "nsubjpass": "patient"}  # 'which team invited' / 'which team was invited'
_FOLLOWING_VERBS = ("xcomp", "ccomp", "conj")  # 'agreed to send', 'said it will send'
_REACH = 2  # verbs followed from the subject's own verb
_LIGHT_VERBS = frozenset({"be", "have", "do"})
# A candidate this close to the best one may be put first when it does what the question asks.
_CLOSE_CALL = 0.7
_CLOSE_CANDIDATES = 4  # at most this many are parsed (a sentence each) on a close call


def _actions(verb, depth: int = _REACH) -> set[str]:
    found = {verb.lemma_.lower()} if verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() not in _LIGHT_VERBS else set()
    if depth:
        for child in verb.children:
            if (child.dep_ in _FOLLOWING_VERBS or _result_clause(child)) and child.pos_ in ("VERB", "AUX"):
                found |= _actions(child, depth - 1)
    return found


def _result_clause(verb) -> bool:
    """'Roe passed Okafor to become the leading scorer': an infinitive clause with no subject of its own
    says what the main verb's subject did next ('after Roe passed' has its own subject and does not)."""
    return verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) \
        and not any(c.dep_ in _SUBJECTS for c in verb.children)


def asked_role(question_doc) -> tuple[frozenset[str], str]:
    """The verbs the asked-for thing does ('which country said it will send' -> say, send; none when the
    question does not ask for a doer: 'which country did they visit') and its part in them: 'agent'
    ('which team invited them') or 'patient' ('which team was invited'), from the subject's label."""
    for token in question_doc:
        if token.lower_ not in ("which", "what", "who"):
            continue
        asked = token.head if token.dep_ == "det" else token
        if asked.dep_ in _SUBJECTS:
            return frozenset(_actions(asked.head)), _DOER_ROLES[asked.dep_]
        return frozenset(), "agent"
    return frozenset(), "agent"


def does(sentence_doc, start: int, end: int, actions: frozenset[str], role: str = "agent") -> bool:
    """Does the name at [start:end] of the sentence play the asked part in one of the actions (or in a verb
    that leads to one: 'Valdor agreed to send')? An agent is the active verb's subject or a passive one's
    'by' phrase; a patient the passive verb's subject or the active one's object ('Norland invited Valdor')."""
    span = sentence_doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    token = span.root
    while token.dep_ in ("compound", "poss", "amod", "nmod") and token.head is not token:
        token = token.head  # 'Valdor's government', 'the Valdor government'
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        return role == "agent" and bool(_actions(token.head.head) & actions)  # 'was invited by Valdor'
    wanted = ("nsubj",) if role == "agent" else ("nsubjpass", "dobj")
    return token.dep_ in wanted and bool(_actions(token.head) & actions)


def doers_first(found: list, actions: frozenset[str], parse: Callable, locate: Callable, role: str = "agent") -> list:
    """The candidates, with the best-placed one that plays the asked part in the asked action first when the
    best does not and it scores close to it. `locate(candidate)` gives (sentence text, start, end) of its
    best mention."""
    if not actions or len(found) < 2:
        return found
    close = [c for c in found[1:] if c.score >= _CLOSE_CALL * found[0].score][:_CLOSE_CANDIDATES]

    def acts(candidate) -> bool:
        where = locate(candidate)
        return where is not None and does(parse(where[0]), where[1], where[2], actions, role)

    if not close or acts(found[0]):
        return found
    doer = next((c for c in close if acts(c)), None)
    return found if doer is None else [doer] + [c for c in found if c is not doer]


def same_doer(question_doc, sentence_doc) -> bool:
    """Does the sentence say that the question's subject did the question's action ('Did Valdor send
    ships?' -> 'Valdor sent two ships', not 'Norland asked Valdor for ships to send')? By the parses:
    a verb of the question's main verb's lemma whose subject holds the head word of the question's
    subject. A yes-or-no answer needs that much more than the words in common."""
    root = next((t for t in question_doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in ("VERB", "AUX"):
        return False
    asked = [c for c in root.children if c.dep_ in _SUBJECTS]
    if not asked:
        return False
    doer = asked[0].text.lower()
    for token in sentence_doc:
        if token.lemma_.lower() != root.lemma_.lower():
            continue
        for subject in (c for c in token.children if c.dep_ in _SUBJECTS):
            if doer in {t.text.lower() for t in subject.subtree}:
                return True
    return False


def another_doer(question_doc, sentence_doc) -> bool:
    """Does the sentence say someone else did the question's action ('When did Okafor visit Harbourton?'
    -> 'since Lind visited Marrowdale on the 19th')? A verb of the question's main verb's lemma whose
    subjects all leave out the head word of the question's subject: a date or place found there is when
    or where the other one did it. A sentence that never uses the verb says nothing either way."""
    root = next((t for t in question_doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in ("VERB", "AUX") or root.lemma_.lower() in _LIGHT_VERBS:
        return False
    asked = [c for c in root.children if c.dep_ in _SUBJECTS and c.pos_ == "PROPN"]
    if not asked:
        return False
    doer = asked[0].text.lower()
    subjects = [s for t in sentence_doc if t.lemma_.lower() == root.lemma_.lower() for s in _subjects_of(t)]
    return bool(subjects) and not any(doer in {w.text.lower() for w in s.subtree} for s in subjects)


def _subjects_of(verb) -> list:
    """The verb's subjects, or those of the verb it is coordinated with ('Lind visited Marrowdale and
    signed the pact': Lind signed)."""
    while True:
        own = [c for c in verb.children if c.dep_ in _SUBJECTS]
        if own or verb.dep_ != "conj" or verb.head is verb:
            return own
        verb = verb.head
