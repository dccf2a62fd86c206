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


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    return indexed_assistant(tmp_path_factory.mktemp("people"), {"warning.txt": WARNING})


def test_another_countrys_spokeswoman_is_not_the_minister_asked_for(bot):
    answer = bot.answer("Who is Valdoria's foreign minister?")
    assert answer.abstained and not answer.citations
    assert answer.text.startswith(CANNOT_ANSWER)


def test_the_person_the_evidence_describes_is_named(bot):
    answer = bot.answer("Who is the Ostmarkian foreign ministry spokeswoman?")
    assert not answer.abstained
    assert answer.short_answer is not None and answer.short_answer.text == "Ada Roe"
