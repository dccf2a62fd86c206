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


@pytest.mark.parametrize("question, claim", [
    ("Did the Orvale council approve the budget?", "the Orvale council approve the budget"),
    ("Has Valdor labelled Norland a rival?", "Valdor labelled Norland a rival"),
    ("Who approved the budget?", None),
    ("What did the council approve?", None),
    ("The council met. Did it approve the budget?", None),  # a preamble: a quiz, not one claim
    ("Tell me about the budget.", None),
])
def test_the_claim_of_a_yes_or_no_question(question, claim):
    from assistant.generate.extractive.question import polar_claim

    assert polar_claim(question) == claim


def test_a_possibility_or_a_suggestion_confirms_nothing():
    claim = "Valdor sent warships to Norland"
    hedged = scored("Officials suggested that Valdor was considering sending warships to Norland.")
    plain = scored("Valdor sent two warships to Norland on Monday.")
    assert confirming(claim, [hedged], lambda t: 1.0, lambda item: True) is None
    assert confirming(claim, [hedged, plain], lambda t: 1.0, lambda item: True) is plain
    # a hedged claim is confirmed by a sentence hedged alike
    assert confirming("Valdor may send warships to Norland", [hedged], lambda t: 1.0, lambda item: True) is hedged


@pytest.mark.slow
def test_yes_needs_the_question_subject_doing_the_action():
    from assistant.generate.extractive.doer import same_doer
    from assistant.language.nlp import shared_nlp

    nlp = shared_nlp()
    question = nlp.parse("Did Valdor send warships to Norland?")
    assert same_doer(question, nlp.parse("Valdor sent two warships to Norland on Monday."))
    assert not same_doer(question, nlp.parse("Norland asked Valdor for warships to send to the coast."))
    assert same_doer(nlp.parse("Is the budget large?"), nlp.parse("The budget is large."))
    assert not same_doer(nlp.parse("Is the budget large?"), nlp.parse("The deficit is large, unlike the budget."))
