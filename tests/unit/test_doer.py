"""'Which country said it will send ships?': the candidate that does the asked action comes first."""

import pytest

from assistant.generate.extractive.doer import another_doer, asked_role, doers_first, does
from assistant.generate.extractive.short_answer import Candidate


@pytest.fixture(scope="module")
def nlp():
    from assistant.language.nlp import shared_nlp

    return shared_nlp()


@pytest.mark.slow
def test_the_actions_a_question_asks_a_doer_of(nlp):
    assert asked_role(nlp.parse("Which country said it will send ships to Harbourton?"))[0] == {"say", "send"}
    assert "flood" in asked_role(nlp.parse("Which town was flooded by the storm this week?"))[0]
    assert asked_role(nlp.parse("Which town did the storm flood?"))[0] == frozenset()  # asks for what it was done to


@pytest.mark.slow
def test_a_name_does_an_action_as_the_subject_of_its_verb_or_of_one_leading_to_it(nlp):
    actions = frozenset({"say", "send"})
    agreed = "After months of hesitancy, Valdor this week agreed to send 14 ships to Harbourton."
    warned = "As the allies prepared to send ships, Norland warned that the allies would regret it."
    assert does(nlp.parse(agreed), agreed.index("Valdor"), agreed.index("Valdor") + 6, actions)
    assert not does(nlp.parse(warned), warned.index("Norland"), warned.index("Norland") + 7, actions)


@pytest.mark.slow
def test_an_infinitive_of_result_is_done_by_the_main_verbs_subject(nlp):
    became = frozenset({"become"})
    beat = "Ada Roe beat Jo Okafor-Bell in the final to become champion."  # 'to become': an adverbial clause
    doc = nlp.parse(beat)
    assert does(doc, 0, 7, became)
    assert not does(doc, beat.index("Jo Okafor-Bell"), beat.index("Jo Okafor-Bell") + 14, became)
    waited = "Ada Roe waited until Jo Okafor left to become the captain."  # a clause with its own subject
    assert not does(nlp.parse(waited), 0, 7, frozenset({"leave"}))


@pytest.mark.slow
def test_the_part_asked_for_follows_the_voice_of_the_question(nlp):
    assert asked_role(nlp.parse("Which town was flooded by the storm this week?")) == (frozenset({"flood"}), "patient")
    assert asked_role(nlp.parse("Which country invaded its neighbour?")) == (frozenset({"invade"}), "agent")


@pytest.mark.slow
def test_who_did_it_and_to_whom_are_told_apart_in_either_voice(nlp):
    invaded = frozenset({"invade"})
    for sentence in ("Norland invaded Valdor last spring.", "Valdor was invaded by Norland last spring."):
        doc = nlp.parse(sentence)

        def at(name):
            return sentence.index(name), sentence.index(name) + len(name)

        assert does(doc, *at("Norland"), invaded, "agent") and not does(doc, *at("Norland"), invaded, "patient")
        assert does(doc, *at("Valdor"), invaded, "patient") and not does(doc, *at("Valdor"), invaded, "agent")


@pytest.mark.slow
def test_a_close_candidate_that_does_the_action_comes_first(nlp):
    from assistant.generate.extractive.attribution import Unit
    from assistant.generate.extractive.evidence import ScoredUnit

    warned = "As the allies prepared to send ships, Norland warned that the allies would regret it."
    agreed = "After months of hesitancy, Valdor this week agreed to send 14 ships to Harbourton."

    def candidate(name, text, score):
        unit = ScoredUnit(Unit("a.txt", 0, len(text), text), score, score, 0.0, 0.0)
        return Candidate(name, "GPE", frozenset({name.lower()}), score=score, support=[unit])

    def locate(c):
        text = c.best.unit.text
        return text, text.index(c.text), text.index(c.text) + len(c.text)

    actions = frozenset({"say", "send"})
    found = [candidate("Norland", warned, 0.60), candidate("Valdor", agreed, 0.50)]
    assert [c.text for c in doers_first(found, actions, nlp.parse, locate)] == ["Valdor", "Norland"]
    far = [candidate("Norland", warned, 0.60), candidate("Valdor", agreed, 0.30)]  # not a close call
    assert [c.text for c in doers_first(far, actions, nlp.parse, locate)] == ["Norland", "Valdor"]
    assert doers_first(found, frozenset(), nlp.parse, locate) == found  # the question asks for no doer
    # the doer may rank fourth among close calls ('Roe passed Okafor to become the leading scorer')
    crowd = [candidate("Norland", warned, 0.60), candidate("Ostmark", warned, 0.58), candidate("Marrowdale", warned, 0.56),
             candidate("Valdor", agreed, 0.50)]
    crowd[1].support[0].unit.text = crowd[2].support[0].unit.text = "Ostmark and Marrowdale watched the allies."
    assert doers_first(crowd, actions, nlp.parse, locate)[0].text == "Valdor"

    # 'which town was invaded': the invader, though the subject of its sentence, is not what was invaded
    invader = "Norland invaded the town of Harbourton in the spring."
    invaded = "The army later moved on and Valdor was invaded too."
    found = [candidate("Norland", invader, 0.60), candidate("Valdor", invaded, 0.50)]
    assert [c.text for c in doers_first(found, frozenset({"invade"}), nlp.parse, locate, "patient")] == \
        ["Valdor", "Norland"]


@pytest.mark.slow
@pytest.mark.parametrize("question, sentence, other", [
    ("When did Okafor visit Harbourton?", "Relations soured after Bo Lind visited Marrowdale on the 19th.", True),
    ("When did Okafor visit Harbourton?", "Ties improved after Ada Okafor visited Harbourton on the 19th.", False),
    ("When did Okafor visit Harbourton?", "Okafor's visit to Harbourton on the 19th went well.", False),  # no such verb
    ("When did the talks begin?", "Lind said the talks began on the 19th.", False),  # no named subject asked
])
def test_a_sentence_where_someone_else_does_the_asked_action(nlp, question, sentence, other):
    assert another_doer(nlp.parse(question), nlp.parse(sentence)) is other


@pytest.mark.slow
def test_a_coordinated_verb_shares_its_subject(nlp):
    question = nlp.parse("When did Okafor sign the Harbour Pact?")
    assert another_doer(question, nlp.parse("Since Ada Roe visited Marrowdale and signed the Harbour Pact, talks stalled."))
    assert not another_doer(question, nlp.parse("Since Okafor visited Marrowdale and signed the Harbour Pact, talks stalled."))
