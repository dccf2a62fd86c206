"""A question typed in lower case gets back the capitals the articles give its names."""

import pytest

from assistant.generate.extractive.truecase import case_tells_nothing, restore_case, with_capitals

ARTICLE = """Ostmark Warns Valdoria Over Border Aid

The envoy of Ostmark, Ada Okafor, met the Security Council on Monday.
Okafor told reporters that the VLD had moved troops to the border.
The council will meet again, Okafor said, and the president of the council agreed.
Harbourton officials declined to comment. The Agreement on grain was signed in Harbourton.
Borders were closed, said a spokesman for the agreement's signatories.
"""


@pytest.mark.parametrize("question, lowered", [
    ("what did okafor say about the border?", True),
    ("What did okafor say?", True),
    ("did i see what okafor said?", True),
    ("What did Okafor say?", False),
    ("what did okafor say about VLD?", False),
    ("?", False),
    ("WHAT DID OKAFOR SAY ABOUT THE BORDER?", True),
    ("What Did Okafor Say About The Border?", True),
    ("What did The Harbourton Times say about Ada Okafor?", False),
])
def test_a_question_whose_capitals_tell_no_names_is_recognised(question, lowered):
    assert case_tells_nothing(question) is lowered


def test_names_the_articles_always_capitalise_get_their_capitals():
    assert restore_case("what did okafor say about the vld troops?", [ARTICLE]) == \
        "What did Okafor say about the VLD troops?"


def test_words_the_articles_also_write_in_lower_case_stay_as_typed():
    # 'council' is capitalised in 'the Security Council' but written in lower case twice more
    assert restore_case("who is the president of the council?", [ARTICLE]) == "Who is the president of the council?"


def test_a_word_capitalised_only_inside_a_longer_name_needs_the_rest_of_that_name():
    assert restore_case("when did okafor meet the security council?", [ARTICLE]) == \
        "When did Okafor meet the Security Council?"
    # 'Agreement' is capitalised once, inside 'The Agreement on grain' at a sentence's start: not a name
    assert restore_case("what agreement did harbourton sign?", [ARTICLE]) == "What agreement did Harbourton sign?"


def test_headlines_in_title_case_and_first_words_of_sentences_do_not_count():
    # 'Aid' and 'Over' are capitalised only in the headline, 'Borders' only where a sentence starts
    assert restore_case("did the border aid go over the borders?", [ARTICLE]) == \
        "Did the border aid go over the borders?"


def test_a_word_the_articles_never_use_stays_as_typed():
    assert restore_case("what did norland say?", [ARTICLE]) == "What did norland say?"


def test_each_sentence_of_the_question_starts_with_a_capital():
    assert restore_case("okafor met the council. what did the u.s. envoy say?", [ARTICLE]) == \
        "Okafor met the council. What did the u.s. envoy say?"


def test_a_surname_written_only_after_a_first_name_is_still_a_name_but_a_common_noun_is_not():
    text = "Officials met Bo Lind on Monday. Later, the envoy Bo Lind spoke to the Port Services office."
    common_noun = {"services", "port"}.__contains__
    assert restore_case("what did lind say to the services?", [text], common_noun) == \
        "What did Lind say to the services?"
    assert restore_case("what did lind say to the services?", [text]) == "What did Lind say to the Services?"


def test_the_words_asked_for_are_capitalised_as_names():
    assert with_capitals("what did marrowdale say about the border?", {"marrowdale"}) == \
        "what did Marrowdale say about the border?"


def test_a_question_in_capitals_or_title_case_is_read_in_the_articles_case():
    expected = "What did Okafor say about the border?"
    assert restore_case("WHAT DID OKAFOR SAY ABOUT THE BORDER?", [ARTICLE]) == expected
    assert restore_case("What Did Okafor Say About The Border?", [ARTICLE]) == expected


def test_a_possessive_typed_without_its_apostrophe_is_read_as_one():
    assert restore_case("who is okafors envoy?", [ARTICLE]) == "Who is Okafor's envoy?"
    assert restore_case("which borders were closed?", [ARTICLE]) == "Which borders were closed?"  # a plural
