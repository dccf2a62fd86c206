"""Place adjectives by form and meaning: 'Scottish' speaks of Scotland, 'Austrian' not of Australia."""

import pytest

from assistant.language.demonyms import PlaceAdjectives, formed_from
from assistant.generate.extractive.question import uncovered_subjects


@pytest.mark.parametrize("adjective, place, formed", [
    ("Scottish", "Scotland", True), ("Israeli", "Israel", True), ("Chinese", "China", True),
    ("Icelandic", "Iceland", True), ("Austrian", "Australia", True),  # the form alone cannot tell these apart
    ("Australian", "Austria", False), ("Iraqi", "Iran", False), ("Scotland", "Scotland", False),
])
def test_an_adjective_formed_from_a_place_name(adjective, place, formed):
    assert formed_from(adjective, place) is formed


def test_without_a_model_the_form_decides():
    adjectives = PlaceAdjectives()
    assert adjectives.named_in("Scotland", "Scottish leader Ada Roe said she would resign.")
    assert not adjectives.named_in("Scotland", "The leader said she would resign.")
    assert not adjectives.named_in("South Korea", "South Korean officials said.")  # several words: by its words


@pytest.mark.slow
def test_the_meaning_tells_look_alikes_apart(real_embeddings):
    adjectives = PlaceAdjectives(real_embeddings)
    assert adjectives.same("Scottish", "Scotland") and adjectives.same("German", "Germany")
    assert not adjectives.same("Austrian", "Australia") and not adjectives.same("Indian", "Indiana")


def test_a_subject_named_by_its_adjective_is_covered():
    text = "Scottish leader Ada Roe, head of the movement for eight years, plans to resign."
    assert uncovered_subjects(["Scotland"], text) == ["Scotland"]  # no adjectives given: by words only
    assert uncovered_subjects(["Scotland"], text, PlaceAdjectives()) == []
