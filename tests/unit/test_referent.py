"""Who a pronoun or a description refers to: the person the article names most just before it."""

import pytest

from assistant.generate.extractive.attribution import Unit
from assistant.generate.extractive.referent import described_subject, main_named, referent, text_before
from assistant.types import Entity, RetrievedChunk


@pytest.mark.parametrize("sentence, subject", [
    ("The singer and beauty entrepreneur showed off her baby bump in Milan.", "singer and beauty entrepreneur"),
    ("She showed off her baby bump in Milan.", "person"),
    ("The storm knocked out power to 40,000 homes.", "storm"),
    ("Ada Okafor showed off her baby bump in Milan.", None),  # named: nothing to resolve
    ("In Milan, the singer showed off her baby bump.", None),  # not the sentence's opening subject
])
def test_the_subject_a_sentence_only_describes(sentence, subject):
    assert described_subject(sentence) == subject


def test_the_text_before_a_sentence_spans_overlapping_chunks():
    text = "Ada Okafor sang on Monday. The crowd cheered. The singer then left the stage."
    chunks = [RetrievedChunk("a.txt", "a:0", 0.0, text[:30], 0, 30),
              RetrievedChunk("a.txt", "a:1", 0.0, text[20:], 20, len(text))]
    end = text.index("The singer")
    start, before = text_before(chunks, end)
    assert (start, before) == (0, text[:end])
    start, before = text_before(chunks, end, length=14)  # from the first whole word on: not "rowd"
    assert before == "cheered. " and text[start:end] == before
    apart = [chunks[0], RetrievedChunk("a.txt", "a:2", 0.0, text[34:], 34, len(text))]  # 30-34 read by neither
    assert text_before(apart, end) == (0, text[:30] + "    " + text[34:end])  # offsets kept across the gap


def test_the_person_named_most_is_the_referent_and_a_tie_names_none():
    ents = (Entity("Ada Okafor", "PERSON", 0, 10), Entity("Riverton", "GPE", 20, 28), Entity("Jo Roe", "PERSON", 30, 36),
            Entity("Okafor", "PERSON", 40, 46))
    text = "Ada Okafor met Jo Roe in Riverton. Okafor spoke first."
    assert main_named(ents, text).text == "Ada Okafor"  # named twice (once by surname), in her fullest form
    assert main_named(ents, "Ada Okafor met Jo Roe in Riverton.") is None  # once each: either could be 'she'
    assert main_named(ents[:3], text + " Okafor left.").text == "Ada Okafor"  # mentions the model left untagged count
    assert main_named((Entity("Riverton", "GPE", 0, 8),), text) is None


def test_a_description_refers_to_the_person_named_before_it():
    text = "Ada Okafor posted a video on Saturday. The singer and entrepreneur showed off her baby bump."
    chunks = [RetrievedChunk("a.txt", "a:0", 0.0, text, 0, len(text))]
    start = text.index("The singer")
    unit = Unit("a.txt", start, len(text), text[start:])

    def entities_of(before):
        assert before == text[:start]
        return (Entity("Ada Okafor", "PERSON", 0, 10),)

    assert referent(unit, chunks, entities_of) == Entity("Ada Okafor", "PERSON", 0, 0)
    # the model found nobody, but the text shows Okafor acting as a speaker ('Okafor posted')
    assert referent(unit, chunks, lambda before: ()) == Entity("Ada Okafor", "PERSON", 0, 0)
    quiet = "The video went up on Saturday. The singer and entrepreneur showed off her baby bump."
    start = quiet.index("The singer")
    unit = Unit("a.txt", start, len(quiet), quiet[start:])
    chunks = [RetrievedChunk("a.txt", "a:0", 0.0, quiet, 0, len(quiet))]
    assert referent(unit, chunks, lambda before: ()) is None  # nobody named before: no guess


@pytest.mark.slow
def test_the_model_finds_the_person_a_description_stands_for():
    from assistant.language.nlp import shared_nlp

    nlp = shared_nlp()
    text = ("Mara Quell is giving fans a first look at her son. \u201cYou want my phone,\u201d Quell says in the video. "
            "The singer and beauty entrepreneur showed off her baby bump in Milan.")
    chunks = [RetrievedChunk("a.txt", "a:0", 0.0, text, 0, len(text))]
    start = text.index("The singer")
    unit = Unit("a.txt", start, len(text), text[start:])
    found = referent(unit, chunks, lambda before: nlp.entities([before])[0])
    assert found is not None and found.text in ("Quell", "Mara Quell")


def test_a_body_described_as_the_company_is_the_one_named_before():
    assert described_subject("The company said it would cut 10,000 jobs.", "ORG") == "company"
    assert described_subject("It said it would cut 10,000 jobs.", "ORG") is None  # 'it' is too loose for a body
    text = "Loomly Inc. opened a plant in Eastvale, where Ada Okafor spoke. The company said it would hire 300."
    chunks = [RetrievedChunk("a.txt", "a:0", 0.0, text, 0, len(text))]
    start = text.index("The company")
    unit = Unit("a.txt", start, len(text), text[start:])
    ents = (Entity("Loomly Inc.", "ORG", 0, 11), Entity("Eastvale", "GPE", 27, 35), Entity("Ada Okafor", "PERSON", 43, 53))
    assert referent(unit, chunks, lambda before: ents, "ORG") == Entity("Loomly Inc.", "ORG", 0, 0)


def test_a_speaking_name_the_model_missed_can_be_the_referent_but_a_place_cannot():
    text = "Officials met on Monday. Okafor then went on to clarify that the port stays shut. Okafor insisted it would."
    # the model tagged nobody as a person: the name that speaks like one is the referent
    assert main_named((Entity("Monday", "DATE", 17, 23),), text).text == "Okafor"
    place = "Harbourton warned on Monday. Harbourton said the port stays shut."
    assert main_named((Entity("Harbourton", "GPE", 0, 10), Entity("Harbourton", "GPE", 29, 39)), place) is None
    assert main_named((), "The ministry said so. It added more.") is None  # function words are nobody


def test_a_possessive_pronoun_opening_speaks_of_a_person():
    assert described_subject("Her remarks came a day after the vote.") == "person"
    assert described_subject("His office declined to comment.") == "person"
    assert described_subject("Hers was the deciding vote.") is None
