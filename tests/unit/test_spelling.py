"""A misspelt name is read as the retrieved articles spell it, when one name is clearly meant."""

import pytest

from assistant.generate.extractive.spelling import respelled, slips

ARTICLES = [
    "Ostmark's envoy Ada Okafor met Bo Lind in Harbourton. Okafor said the talks went well.",
    "Okafor later flew to Marrowdale, where Lind joined her. Harbourton officials welcomed them.",
]
KNOWN = {"ostmark", "envoy", "ada", "okafor", "bo", "lind", "harbourton", "marrowdale", "what", "say"}


def known(word: str) -> bool:
    return word.lower() in KNOWN


@pytest.mark.parametrize("a, b, limit, expected", [
    ("okafor", "okafor", 1, 0),
    ("okfor", "okafor", 1, 1),       # a letter dropped
    ("okaffor", "okafor", 1, 1),     # one added
    ("okafer", "okafor", 1, 1),      # one changed
    ("okaofr", "okafor", 1, 1),      # two swapped
    ("ofakor", "okafor", 1, 2),      # two changed: more than the limit
    ("harbortn", "harbourton", 2, 2),
])
def test_slips_count_the_edits_up_to_the_limit(a, b, limit, expected):
    assert slips(a, b, limit) == expected


def test_a_name_one_slip_away_is_read_as_the_articles_spell_it():
    assert respelled("What did Okfor say in Harbortn?", ARTICLES, known) == (
        "What did Okafor say in Harbourton?", [("Okfor", "Okafor"), ("Harbortn", "Harbourton")])


def test_a_name_nowhere_near_any_of_the_articles_stays_as_typed():
    assert respelled("What did Valdoria say?", ARTICLES, known) == ("What did Valdoria say?", [])


def test_two_names_equally_near_leave_the_word_as_typed():
    texts = ["Bo Lind met Bo Lint at the port.", "Lind and Lint spoke."]
    assert respelled("What did Linn say?", texts, lambda word: False) == ("What did Linn say?", [])


def test_a_short_word_is_never_respelled():
    assert respelled("What did Lnd say?", ARTICLES, known) == ("What did Lnd say?", [])


def test_a_short_name_that_differs_at_its_end_is_another_name_not_a_slip():
    texts = ["Harbourton's Ada Lind opened the gallery.", "Lind said it would stay open."]
    assert respelled("What did Lindo paint?", texts, known) == ("What did Lindo paint?", [])


def test_a_compound_name_is_never_respelled():
    assert respelled("What did Bo-Lindd say?", ARTICLES, known) == ("What did Bo-Lindd say?", [])


def test_a_possessive_typed_without_its_apostrophe_is_read_as_one():
    assert respelled("Who is Okafors envoy?", ARTICLES, known) == ("Who is Okafor's envoy?", [("Okafors", "Okafor's")])
    assert respelled("Who is Okafor's envoy?", ARTICLES, known) == ("Who is Okafor's envoy?", [])


def test_a_misspelt_name_with_a_possessive_is_read_as_the_articles_spell_it():
    assert respelled("Who is Okfor's deputy?", ARTICLES, known) == ("Who is Okafor's deputy?", [("Okfor", "Okafor")])
