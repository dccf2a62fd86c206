"""'Who is X's minister?' names a person only when the evidence describes one of X's people: a
spokeswoman the sentence calls another country's is not the answer, and with nobody fitting the
answer is 'the articles don't say', not a quote about someone else.

Every article here is invented.
"""

import pytest

from tests.invented import indexed_assistant
from assistant.types import CANNOT_ANSWER

pytestmark = [pytest.mark.slow, pytest.mark.integration]

WARNING = """Ostmark warns Valdoria over border aid

Ostmarkian foreign ministry spokeswoman Ada Roe said on Tuesday that Valdoria's army was preparing to send rifles to the border.
Roe said any such shipment would be treated as a hostile step by Ostmark.
Valdoria's defence ministry declined to comment on the claims on Wednesday.
"""

ENVOY = """Envoy cautions Harbourton over grain levy

Ostmark's envoy to Harbourton, Bo Lind, met port officials on Monday to discuss the new grain levy.
"A levy of this kind would ruin the trade between our ports for a decade," the envoy warned.
Port officials said they would reply within a month.
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return indexed_assistant(tmp_path_factory.mktemp("people"), {"warning.txt": WARNING, "envoy.txt": ENVOY})


def test_another_countrys_spokeswoman_is_not_the_minister_asked_for(bot):
    answer = bot.answer("Who is Valdoria's foreign minister?")
    assert answer.abstained and not answer.citations
    assert answer.text.startswith(CANNOT_ANSWER)


def test_the_person_the_evidence_describes_is_named(bot):
    answer = bot.answer("Who is the Ostmarkian foreign ministry spokeswoman?")
    assert not answer.abstained
    assert answer.short_answer is not None and answer.short_answer.text == "Ada Roe"


def test_who_warned_is_the_speaker_even_when_the_quote_does_not_name_him(bot):
    answer = bot.answer("Who warned that the grain levy would ruin the trade between the ports?")
    assert not answer.abstained
    assert answer.short_answer is not None and answer.short_answer.text == "Bo Lind"
    assert any("would ruin the trade" in c.quote for c in answer.citations)


@pytest.mark.parametrize("question", [
    "Who is Valdoria's foreign minister?",
    "Who is the Ostmarkian foreign ministry spokeswoman?",
    "What did Bo Lind say about the grain levy?",
])
@pytest.mark.parametrize("typing", [str.lower, str.upper, str.title])
def test_a_question_typed_in_lower_case_capitals_or_title_case_is_answered_as_if_written_properly(
        bot, question, typing):
    typed = typing(question)
    answer, as_written = bot.answer(typed), bot.answer(question)
    assert answer.text == as_written.text and answer.abstained == as_written.abstained
    assert answer.short_answer == as_written.short_answer
    assert answer.question == typed  # the user's own words are kept


def test_a_name_typed_in_lower_case_that_the_articles_never_use_is_said_to_be_missing(bot):
    answer = bot.answer("what did okafor say about the grain levy?")
    assert answer.abstained and not answer.citations
    assert "They don't mention Okafor." in answer.text


@pytest.mark.parametrize("opening, closing", [("Hi! ", ""), ("Hello there, ", ""), ("Please tell me: ", " Thanks!"),
                                              ("", " I need it for a report.")])
def test_a_greeting_or_thanks_around_the_question_changes_nothing(bot, opening, closing):
    for question in ("Who is Valdoria's foreign minister?", "Who is the Ostmarkian foreign ministry spokeswoman?"):
        answer, plain = bot.answer(opening + question + closing), bot.answer(question)
        assert answer.text == plain.text and answer.short_answer == plain.short_answer
        assert answer.question == opening + question + closing


def test_a_misspelt_name_is_read_as_the_articles_spell_it_and_the_answer_says_so(bot):
    answer, plain = bot.answer("What did Bo Lindd say about the grain levy?"), bot.answer(
        "What did Bo Lind say about the grain levy?")
    assert not answer.abstained and answer.text == plain.text
    assert any("“Lindd” as “Lind”" in note for note in answer.notes)


@pytest.mark.parametrize("embedded, direct", [
    ("Can you tell me who the Ostmarkian foreign ministry spokeswoman is?",
     "Who is the Ostmarkian foreign ministry spokeswoman?"),
    ("I'd like to know what Bo Lind said about the grain levy.", "What did Bo Lind say about the grain levy?"),
])
def test_a_question_embedded_in_a_request_is_answered_as_the_question_itself(bot, embedded, direct):
    answer, plain = bot.answer(embedded), bot.answer(direct)
    assert not plain.abstained
    assert answer.text == plain.text and answer.short_answer == plain.short_answer
    assert answer.question == embedded


def test_a_person_titled_with_another_role_is_not_the_one_asked_for(bot):
    # Ostmark's spokeswoman is named, its foreign minister nowhere: 'Who is Ostmark's foreign minister?'
    answer = bot.answer("Who is Ostmark's foreign minister?")
    assert answer.abstained and not answer.citations
    spokeswoman = bot.answer("Who is Ostmark's foreign ministry spokeswoman?")
    assert spokeswoman.short_answer is not None and spokeswoman.short_answer.text == "Ada Roe"
