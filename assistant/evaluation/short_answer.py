"""Short-answer exact match: does the answer's typed short answer name the expected thing?

Which questions count
---------------------
Only answerable questions whose expected answer is one entity, date or number:

- a gold item with a ``short_answer`` field (a list of text variants) counts when the list
  is non-empty; ``"short_answer": []`` says explicitly that no short answer applies
  ("what did X say", multi-article summaries);
- a gold item without the field counts when its ``must_include`` has exactly one group
  (a quiz answer, as in news-dev); the variants are that group's.

A counted question whose answer has no short answer (None, or an abstention) is a miss.

Matching (``short_answer_match``)
---------------------------------
Both sides are normalised (SQuAD-style): lower case; curly quotes and dashes straightened;
thousands separators inside numbers removed ("500,000" -> "500000"); every other character
that is not a letter or digit becomes a space; the articles "a", "an", "the" dropped; spaces
collapsed. The prediction matches a variant when the two are equal, or when one's token
sequence occurs contiguously inside the other's and the shorter has at least half as many
tokens as the longer ("Okafor" matches "Ada Okafor"; "Trade Minister Ada Okafor" matches
"Ada Okafor"; "Ada" does not match "Ada Okafor's deputy chief of staff").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

MIN_TOKEN_OVERLAP = 0.5
_ARTICLES = {"a", "an", "the"}
_THOUSANDS = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}\b)")
_NOT_WORD = re.compile(r"[^\w]+|_")


def normalize_answer(text: str) -> str:
    """The comparison form of a short answer (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"'s\b", "", text)  # "Norland's" and "Norland" are the same thing
    text = _THOUSANDS.sub("", text)
    tokens = [t for t in _NOT_WORD.sub(" ", text).split() if t not in _ARTICLES]
    return " ".join(tokens)


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def short_answer_match(predicted: str | None, variants: list[str]) -> bool:
    """Whether the predicted short answer matches any expected variant."""
    pred = normalize_answer(predicted or "").split()
    if not pred:
        return False
    for variant in variants:
        gold = normalize_answer(variant).split()
        if not gold:
            continue
        if pred == gold:
            return True
        shorter, longer = (pred, gold) if len(pred) <= len(gold) else (gold, pred)
        if len(shorter) / len(longer) >= MIN_TOKEN_OVERLAP and _contains(longer, shorter):
            return True
    return False


def expected_short_answers(short_answer: list[str] | None, must_include: list[list[str]],
                           answerable: bool) -> list[str] | None:
    """The variants a question's short answer is checked against; None when it is not counted."""
    if not answerable:
        return None
    if short_answer is not None:
        return list(short_answer) or None
    if len(must_include) == 1:
        return list(must_include[0])
    return None


def predicted_text(result: Mapping) -> str | None:
    """The short answer's text in a results.jsonl line (a dict, a string, or None)."""
    short = result.get("short_answer")
    if isinstance(short, Mapping):
        text = short.get("text")
        return text if isinstance(text, str) else None
    return short if isinstance(short, str) else None
