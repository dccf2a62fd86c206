"""Weak evidence and agreement: below the abstention threshold, a typed short answer is given only
when several articles name the same thing of the kind asked for.

The threshold is raised here so that every sentence counts as weak evidence; what is tested is the
rule, not its calibration (that is measured on news-dev). Every article here is invented.
"""

import pytest

from assistant import Assistant
from tests.invented import indexed_assistant

pytestmark = [pytest.mark.slow, pytest.mark.integration]

ARTICLES = {
    "vote_day_one.txt": """Tuesday at the town hall

Ada Roe suffered a string of defeats in the votes for chair of the Harbour council on Tuesday.
Her allies said the count would resume in the morning.
""",
    "vote_day_two.txt": """Wednesday at the town hall

Ada Roe suffered more defeats in Wednesday's votes for the Harbour council chair.
Members left the chamber without a result.
""",
    "vote_day_three.txt": """Thursday at the town hall

Ada Roe suffered a further string of defeats in Thursday's votes for council chair.
The council's clerk said a seventh ballot was planned.
""",
}

QUESTION = "The Harbour council spent the week unable to pick a chair. Who suffered a string of defeats in the votes?"


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return indexed_assistant(tmp_path_factory.mktemp("agreement"), ARTICLES)


def _with(bot, **overrides) -> Assistant:
    """An assistant over the same index, answering under other settings."""
    return Assistant(bot.settings, **overrides)


def test_the_same_name_in_enough_articles_answers_weak_evidence(bot):
    answer = _with(bot, abstain_threshold=0.99, agreement_floor=0.0, agreeing_articles=3).answer(QUESTION)
    assert not answer.abstained
    assert answer.short_answer is not None and answer.short_answer.text == "Ada Roe"
    assert answer.text.startswith("**Ada Roe** [1]")


def test_fewer_agreeing_articles_than_required_abstains(bot):
    answer = _with(bot, abstain_threshold=0.99, agreement_floor=0.0, agreeing_articles=4).answer(QUESTION)
    assert answer.abstained and answer.short_answer is None


def test_evidence_below_the_agreement_floor_abstains(bot):
    answer = _with(bot, abstain_threshold=0.99, agreement_floor=0.98, agreeing_articles=2).answer(QUESTION)
    assert answer.abstained
