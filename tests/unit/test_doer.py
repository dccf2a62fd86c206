"""'Which country said it will send ships?': the candidate that does the asked action comes first."""

import pytest

from assistant.generate.extractive.doer import asked_actions, doers_first, does
from assistant.generate.extractive.short_answer import Candidate


@pytest.fixture(scope="module")
def nlp():
    from assistant.language.nlp import shared_nlp

    return shared_nlp()


@pytest.mark.slow
def test_the_actions_a_question_asks_a_doer_of(nlp):
    assert asked_actions(nlp.parse("Which country said it will send ships to Harbourton?")) == {"say", "send"}
    assert "flood" in asked_actions(nlp.parse("Which town was flooded by the storm this week?"))
    assert asked_actions(nlp.parse("Which town did the storm flood?")) == frozenset()  # asks for what it was done to


@pytest.mark.slow
def test_a_name_does_an_action_as_the_subject_of_its_verb_or_of_one_leading_to_it(nlp):
    actions = frozenset({"say", "send"})
    agreed = "After months of hesitancy, Valdor this week agreed to send 14 ships to Harbourton."
    warned = "As the allies prepared to send ships, Norland warned that the allies would regret it."
    assert does(nlp.parse(agreed), agreed.index("Valdor"), agreed.index("Valdor") + 6, actions)
    assert not does(nlp.parse(warned), warned.index("Norland"), warned.index("Norland") + 7, actions)


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
