"""True-or-false questions: the claim they ask about, and when one sentence confirms it."""

import pytest

from assistant.generate.extractive.attribution import Unit
from assistant.generate.extractive.evidence import ScoredUnit
from assistant.generate.extractive.question import claim_of, search_text
from assistant.generate.extractive.verdict import confirming


def scored(text: str, score: float = 0.7) -> ScoredUnit:
    return ScoredUnit(Unit("a.txt", 0, len(text), text), score, score, 0.0, 0.0)


@pytest.mark.parametrize("question, claim", [
    ("True or false: The Orvale council approved the budget.", "The Orvale council approved the budget."),
    ("The Orvale council approved the budget this week. True or False?", "The Orvale council approved the budget this week"),
    ("Is it true that the Orvale council approved the budget?", "the Orvale council approved the budget"),
    ("Who approved the budget?", None),
    ("Was the claim (true or false) checked by the council?", None),
])
def test_the_claim_of_a_true_or_false_question(question, claim):
    assert claim_of(question) == claim


def test_the_search_leaves_out_the_quiz_words():
    assert search_text("True or false: the council approved the budget.") == "the council approved the budget."


CLAIM = "The Orvale council approved the harbour budget"


def test_a_sentence_restating_the_claim_confirms_it():
    best = scored("On Tuesday the Orvale council approved the harbour budget by nine votes to two.")
    assert confirming(CLAIM, [best], lambda t: 1.0, lambda item: True) is best


@pytest.mark.parametrize("text", [
    "The Orvale council did not approve the harbour budget on Tuesday.",  # negated
    "The Orvale council met on Tuesday to discuss the school calendar.",  # too few of the claim's words
])
def test_no_verdict_from_a_denial_or_a_sentence_about_something_else(text):
    assert confirming(CLAIM, [scored(text)], lambda t: 1.0, lambda item: True) is None


def test_no_verdict_when_the_sentence_does_not_name_the_claims_subject():
    sentence = scored("The council approved the harbour budget.")
    assert confirming(CLAIM, [sentence], lambda t: 1.0, lambda item: False) is None
