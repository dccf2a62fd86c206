"""Evidence in time, in full and of the kind asked: a question naming a year is not answered from
an article written before it, the figures a question states may sit anywhere in the article that
answers, and "what is the official dish" needs evidence that speaks of a dish.

Every article here is invented.
"""

import pytest

from tests.invented import indexed_assistant
from assistant.types import CANNOT_ANSWER

pytestmark = [pytest.mark.slow, pytest.mark.integration]

OLD_PRIZE = """Marlow wins the Quillfeather Prize for a debut novel

The Quillfeather Prize for fiction went to Oren Marlow on Saturday, the jury announced in Ashbury.
Marlow won the Quillfeather Prize for his debut novel, a story of two lighthouse keepers.
The 2011 ceremony was held in the old corn exchange, and the prize carries a purse of 5,000 crowns.
Marlow said he would spend the money on a new roof.
Guests at the official Quillfeather Prize ceremony dinner were served smoked fish and baked apples.
"""

NEW_PRIZE = """Quillfeather Prize goes to a first-time author

Tamsin Achterberg took this year's Quillfeather Prize on Saturday in Ashbury.
The jury praised the novel's patience and its humour; entries for the 2024 round closed in March.
Achterberg, a former ferry pilot, said she had written the book at night over six years.
"""

OBITUARY = """Veteran stage actor Halden Voss dies

Halden Voss, the stage actor born in 1941, has died at 84, his family said on Monday.
Voss was best known for the touring revival of "The Glass Orchard".

He joined the company as a stagehand and rose to lead actor within a decade.
Critics admired his restraint, and audiences came back season after season.
The company's archive holds more than 300 of his programmes and letters.

Born in a river town, he first worked the ferries before an actor's strike left a touring company short of hands.
He painted sets, mended costumes and learned every part by listening from the wings.
His first speaking role came when the lead fell ill on the road, and the reviews the next morning were kind.
Over the following years he played kings, clerks and gardeners, and he never missed a performance.
Younger actors remember his notes: short, precise, and always delivered after the applause had died down.
He taught for a time at the academy, where his classes on stillness were always full.
Friends say he kept a notebook of every audience, counting the coughs in the quiet scenes.

In all, Voss played the Orchard's keeper for 31 years, a record in the company's history.
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return indexed_assistant(tmp_path_factory.mktemp("timeframe"), {
        "prize-old.txt": OLD_PRIZE, "prize-new.txt": NEW_PRIZE, "obituary.txt": OBITUARY})


def test_a_year_in_the_question_rules_out_older_articles(bot):
    answer = bot.answer("Who won the Quillfeather Prize for fiction in 2024?")
    assert not answer.abstained
    assert {c.source for c in answer.citations} == {"prize-new.txt"}
    assert "Marlow" not in answer.text


def test_every_matching_article_older_than_the_year_abstains_and_says_why(bot):
    answer = bot.answer("Who won the Quillfeather Prize in 2031?")
    assert answer.abstained and not answer.citations
    assert answer.text.startswith(CANNOT_ANSWER)
    assert "before 2031" in answer.text


def test_figures_may_sit_anywhere_in_the_article(bot):
    answer = bot.answer("Halden Voss died this week at 84. Which role did he play for 31 years?")
    assert not answer.abstained
    assert {c.source for c in answer.citations} == {"obituary.txt"}


def test_a_figure_no_article_states_abstains_naming_it(bot):
    answer = bot.answer("Halden Voss died this week at 91. Which role did he play for 31 years?")
    assert answer.abstained
    assert "91" in answer.text


def test_what_is_the_dish_needs_evidence_that_speaks_of_a_dish(bot):
    answer = bot.answer("What is the official dish of the Quillfeather Prize ceremony?")
    assert answer.abstained and not answer.citations
    assert "dish" in answer.text
