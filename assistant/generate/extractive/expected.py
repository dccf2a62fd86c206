"""What kind of thing a question asks for, as entity labels: "which team" wants an ORG.

The wh-word and the head noun decide it. Head nouns listed in the language data map
straight to a label; any other noun is matched to those lists by meaning (MiniLM), so
"which retailer" or "which quarterback" need no entry of their own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from ...language.kinds import KIND_LABEL, KindLexicon
from ...language.words import (ABSTRACT_NOUNS, DESCRIPTION_NOUNS, FRAMING_NOUNS, HEAD_NOUN_LABELS, LABEL_NEIGHBOURS,
                               WH_LABELS, WH_WORDS)

# A noun must be this close in meaning to a listed head noun to take its label: near-synonyms
# ("novelist" ~ "writer" 0.82, "smartphone" ~ "phone" 0.71) do; mere neighbours do not ("vegetable" ~ "chef"
# 0.51, "sport" ~ "athlete" 0.68), and a question asking for a common noun gets no typed answer.
_MIN_NOUN_SIMILARITY = 0.7
_PERSON_NOUN = "person"  # WordNet's noun above every kind of person
_LABEL_NOUNS = {"PERSON": "person", "ORG": "organisation", "GPE": "place", "LOC": "place", "FAC": "place",
                "NORP": "group", "WORK_OF_ART": "title", "EVENT": "event", "PRODUCT": "product", "LAW": "law",
                "LANGUAGE": "language", "DATE": "date", "TIME": "time", "MONEY": "amount", "PERCENT": "percentage",
                "QUANTITY": "quantity", "CARDINAL": "number"}


@dataclass(frozen=True)
class ExpectedAnswer:
    """The entity labels that can answer a question, best first, and how sure that is."""

    labels: tuple[str, ...]
    head: str | None = None  # the question's head noun ("team" in "which team")
    firm: bool = True  # from the wh-word or a listed noun; False when only matched by meaning
    noun: str = "answer"  # how an abstention names what is missing ("team", "date")
    wh: str = ""  # the question word ("where", "which" ...)
    only: bool = False  # no neighbouring label will do ('Who is the envoy?' is a person, never a firm)

    def accepts(self, label: str) -> float:
        """1 for the expected label, less for each later alternative, 0.5 for a neighbour, else 0."""
        if label in self.labels:
            return max(0.6, 1.0 - 0.2 * self.labels.index(label))
        if not self.only and any(label in LABEL_NEIGHBOURS.get(wanted, ()) for wanted in self.labels[:1]):
            return 0.5
        return 0.0


class HeadNounLabels:
    """Maps a head noun to an entity label: the data table first, then nearest listed noun by meaning,
    then, for a kind of person WordNet knows ('envoy', 'premier'), PERSON."""

    def __init__(self, embeddings=None, kinds: KindLexicon | None = None):
        self.embeddings = embeddings
        self.kinds = kinds  # for nouns no entity label covers: their kinds, from WordNet
        self._table = {noun: label for label, nouns in HEAD_NOUN_LABELS.items() for noun in nouns.split()}
        self._nouns = list(self._table)
        self._matrix: np.ndarray | None = None
        self._lock = threading.Lock()
        self._memo: dict[str, tuple[str | None, bool]] = {}

    def label(self, noun: str) -> tuple[str | None, bool]:
        """(label, firm) for a noun; (None, False) when nothing fits."""
        noun = noun.lower().strip()
        if noun in self._table:
            return self._table[noun], True
        singular = noun[:-1] if noun.endswith("s") and noun[:-1] in self._table else None
        if singular:
            return self._table[singular], True
        with self._lock:
            if noun in self._memo:
                return self._memo[noun]
            found: tuple[str | None, bool] = (None, False)
            if self.embeddings is not None:
                if self._matrix is None:
                    self._matrix = np.asarray(self.embeddings.embed_array(self._nouns), dtype=np.float32)
                vector = np.asarray(self.embeddings.embed_array([noun])[0], dtype=np.float32)
                sims = self._matrix @ vector
                best = int(np.argmax(sims))
                if sims[best] >= _MIN_NOUN_SIMILARITY:
                    found = (self._table[self._nouns[best]], False)
            if found[0] is None and self.kinds is not None and self.kinds.is_a(noun, _PERSON_NOUN):
                found = ("PERSON", False)  # 'which envoy', 'which minister': a kind of person, by WordNet
            self._memo[noun] = found
            return found

    def common_kind(self, noun: str) -> ExpectedAnswer | None:
        """'which vegetable': a common noun that names kinds of it ('turnip') answers."""
        if self.kinds is None or noun in ABSTRACT_NOUNS or not self.kinds.names_kinds(noun):
            return None
        return ExpectedAnswer((KIND_LABEL,), head=noun, firm=False, noun=noun)


def names_its_kind(doc, head: str) -> bool:
    """'What is the current debt limit?': the question's own compound names which one it asks about, so
    another compound of the same noun ('the borrowing limit') is a second name for it, not an answer."""
    return any(_head_noun(t) == head and any(c.dep_ == "compound" for c in t.children) for t in doc)


def _head_noun(token) -> str:
    """The noun with its compound modifiers ('home goods chain' -> 'chain', kept as the head)."""
    return token.lemma_.lower() if token.lemma_ else token.text.lower()


def expected_answer(doc, nouns: HeadNounLabels) -> ExpectedAnswer | None:
    """The expected answer of a parsed question, or None when it asks for no particular kind of thing."""
    lower = doc.text.lower()
    for phrase in ("how many", "how much", "how long", "how old", "how far"):
        if phrase in lower:
            labels = WH_LABELS[phrase]
            start = next((t.i for t in doc if t.text.lower() == phrase.split()[1] and t.i > 0
                          and doc[t.i - 1].text.lower() == "how"), None)
            head_token = _noun_phrase_head(doc, start + 1) if start is not None else None
            head = _head_noun(head_token) if head_token is not None else None
            if phrase == "how many" and head in ("year", "decade", "month", "day", "week"):
                labels = ("DATE", "CARDINAL")
            return ExpectedAnswer(labels, head=head, noun=_LABEL_NOUNS[labels[0]], wh=phrase)
    for token in doc:
        word = token.text.lower()
        if word == "how":
            return None  # "how did X react": a manner, not a thing (the figures are handled above)
        if word in ("which", "who") and _relative(token):
            continue  # "A balloon, which officials said ...": a relative pronoun asks nothing
        if word in ("which", "what", "whose"):
            head = _noun_phrase_head(doc, token.i + 1)
            if head is None and word == "what" and token.dep_ in ("attr", "nsubj"):
                head = _noun_after_copula(token)
            if head is not None:
                noun = _head_noun(head)
                if noun in DESCRIPTION_NOUNS:  # 'which type of energy': one of its kinds, else a description
                    inner = _object_of(head)
                    return nouns.common_kind(_head_noun(inner)) if inner is not None else None
                if noun in FRAMING_NOUNS:
                    inner = _object_of(head)
                    noun = _head_noun(inner) if inner is not None else noun
                if _member_of_group(head):
                    return ExpectedAnswer(("PERSON",), firm=False, noun="person")
                label, firm = nouns.label(noun)
                if not label and noun == _head_noun(head):  # 'political figure': the noun means little alone
                    label, firm = nouns.label(_with_modifiers(head))
                if label:
                    labels = (label,) + tuple(x for x in LABEL_NEIGHBOURS.get(label, ())[:1])
                    return ExpectedAnswer(labels, head=noun, firm=firm, noun=noun)
                return nouns.common_kind(noun)
            if word == "what":
                return None  # a bare "what" ("what did X say"): no particular kind of thing
            if word == "whose":
                return ExpectedAnswer(WH_LABELS["whose"], noun="person")
            if word == "which" and doc[token.i + 1:token.i + 2].text.lower() == "of":
                inner = _object_of(token)
                if inner is not None:
                    label, firm = nouns.label(_head_noun(inner))
                    if label:
                        return ExpectedAnswer((label,), head=_head_noun(inner), firm=False, noun=_head_noun(inner))
                return None
        if word == "who" and asks_who_someone_is(doc):
            return None  # 'Who is Ada Okafor?': a description of her, not another person's name
        if word == "who" and token.head.lemma_ == "be":
            role = _noun_after_copula(token)  # 'Who is the country's envoy?': a person, never a firm or place
            if role is not None and nouns.label(_head_noun(role))[0] == "PERSON":
                return ExpectedAnswer(("PERSON",), head=_head_noun(role), noun="person", wh=word, only=True)
        if word in ("who", "whom", "where", "when"):
            labels = WH_LABELS[word]
            return ExpectedAnswer(labels, noun=_LABEL_NOUNS[labels[0]], wh=word)
        if word in ("why", "whether"):
            return None
    return _quiz_frame(doc, nouns)


def _member_of_group(token) -> bool:
    """'Which Republican lost ...', 'this Democrat': a party, faith or nationality standing alone as the
    head noun asks for one of its members, a person."""
    return token.ent_type_ == "NORP" and token.pos_ in ("PROPN", "NOUN")


def _with_modifiers(token) -> str:
    """The noun with the adjectives and nouns right before it ('political figure')."""
    words = [t.lower_ for t in token.lefts if t.dep_ in ("amod", "compound") and t.i >= token.i - 2] + [token.lower_]
    return " ".join(words)


def asks_who_someone_is(doc) -> str | None:
    """'Who is Ada Okafor?', 'Who was Okafor?': the person's name, when the question is 'who', a form of
    'be', then only a name (it asks for a description of them, not for another name); else None."""
    words = [t for t in doc if not t.is_punct]
    if len(words) < 3 or words[0].lower_ != "who" or words[1].lemma_ != "be":
        return None
    name = [t for t in words[2:] if t.lower_ not in ("the", "a")]
    # proper nouns: on a question this short the model may tag a person's name as a place
    return " ".join(t.text for t in name) if name and all(
        t.ent_type_ == "PERSON" or t.pos_ == "PROPN" for t in name) else None


def _relative(token) -> bool:
    """'the balloon, which ...', 'people who ...': a wh-word right after a comma or a noun opens a
    relative clause; the question's own wh-word comes later ('... off the coast of which state?').
    A wh-word that determines a noun, or the question's last one, asks for something ('In addition to
    the US, which country said ...': the parser may still read a relative clause)."""
    if token.i == 0 or token.dep_ == "det" or not any(t.lower_ in WH_WORDS for t in token.doc[token.i + 1:]):
        return False
    before = token.doc[token.i - 1]
    opens_clause = any(t.dep_ == "relcl" for t in (token.head, token.head.head))
    return opens_clause and (before.text == "," or before.pos_ in ("NOUN", "PROPN", "PRON"))


def _noun_phrase_head(doc, start: int):
    """The last noun of the phrase right after a wh-word ('which US state' -> state), or None.

    A possessor ends the phrase: 'which country's prime minister' asks for the country.
    """
    head = None
    for token in doc[start:start + 6]:
        if token.pos_ in ("NOUN", "PROPN"):
            head = token
            following = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if (following is not None and following.dep_ == "case" and token.tag_ == "NN"
                    and following.text.lower() in ("'s", "’s")):  # not a classifying "children’s author"
                return token
            if token.pos_ == "NOUN" and (following is None or (following.pos_ != "NOUN" and following.dep_ != "case")):
                break
        elif token.pos_ in ("ADJ", "NUM", "PUNCT") or token.dep_ in ("compound", "amod", "nmod", "poss", "case"):
            continue
        else:
            break
    return head


def _noun_after_copula(token):
    """'What is the name ...' / 'What team ...': the noun a bare 'what' stands for."""
    verb = token.head
    for child in verb.children:
        if child is not token and child.dep_ in ("nsubj", "attr") and child.pos_ == "NOUN":
            return child
    return None


def _object_of(token):
    """'the name of the new variant' -> 'variant'."""
    for child in token.children:
        if child.dep_ == "prep" and child.text.lower() == "of":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


def _quiz_frame(doc, nouns: HeadNounLabels) -> ExpectedAnswer | None:
    """Quiz statements with a blank: 'This Republican is set to ...', '..., previously held by:'."""
    for token in doc:
        if token.text.lower() == "this" and token.dep_ == "det" and token.head.pos_ in ("NOUN", "PROPN"):
            if token.head.ent_type_ in ("DATE", "TIME"):
                continue
            if _member_of_group(token.head):
                return ExpectedAnswer(("PERSON",), firm=False, noun="person")
            label, firm = nouns.label(_head_noun(token.head))
            if label:
                return ExpectedAnswer((label,), head=_head_noun(token.head), firm=False, noun=_head_noun(token.head))
    if doc.text.rstrip().endswith(":"):
        last = [t for t in doc if not t.is_punct][-1:]
        if last and last[0].text.lower() in ("by", "with", "from", "to", "for"):
            return ExpectedAnswer(("PERSON", "ORG"), firm=False, noun="name")
    return None


def defined_noun(doc) -> str | None:
    """'What is the official dish of the coronation?' -> 'dish': the concrete noun a definitional
    question asks an instance of (evidence that never speaks of a dish cannot name the dish).
    None for other questions, for frame nouns ('the name of') and for abstract nouns ('the cause')."""
    tokens = list(doc)
    if len(tokens) < 4 or tokens[0].lower_ != "what" or tokens[1].lower_ not in ("is", "was", "are", "were") \
            or tokens[2].lower_ != "the":
        return None
    head = _noun_phrase_head(doc, 3)
    if head is None or head.pos_ != "NOUN":
        return None
    noun = _head_noun(head)
    if noun in FRAMING_NOUNS or noun in DESCRIPTION_NOUNS or noun in ABSTRACT_NOUNS:
        return None
    return noun
