"""The default generator end to end on the seed index: cited, verbatim, attributed, and honest."""

from pathlib import Path

import pytest

from assistant import Assistant, Settings
from assistant.errors import InvalidQuestionError
from assistant.types import CANNOT_ANSWER

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    root = tmp_path_factory.mktemp("extractive")
    return Assistant(Settings(index_dir=root / "index", corpus_dir=SEEDS, data_dir=root / "data"))


def assert_verbatim(answer):
    for c in answer.citations:
        text = (SEEDS / c.source).read_text(encoding="utf-8")
        assert text[c.start:c.end] == c.quote
        assert f"[{c.n}]" in answer.text
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_peskov_on_both_occasions(bot):
    answer = bot.answer("What did Peskov say about Yoon's remarks?")
    assert not answer.abstained
    assert {c.source for c in answer.citations} == {"002_82abdcb3608312cc.txt", "004_32c6785b4f59bc36.txt"}
    assert "We oppose this approach" in answer.text and "unfriendly stance" in answer.text
    assert "Peskov" in answer.text.splitlines()[0]
    assert_verbatim(answer)


def test_medvedev_is_not_peskov(bot):
    answer = bot.answer("What did Dmitry Medvedev say about South Korea arming Ukraine?")
    assert answer.citations and all(c.source == "004_32c6785b4f59bc36.txt" for c in answer.citations)
    assert "DPRK" in answer.text or "North Korea" in answer.text
    assert "unfriendly stance" not in answer.text  # Peskov's words, never handed to Medvedev
    assert_verbatim(answer)


@pytest.mark.parametrize("question, reason", [
    ("What did Xi Jinping say about the talks?", "Xi Jinping"),
    ("What did Kim Jong Un say about South Korea's support for Ukraine?", "Kim Jong Un"),
    ("How much financial aid has South Korea given Ukraine?", "no amount"),
    ("What will the weather be like in Seoul tomorrow?", ""),
])
def test_abstains_with_what_the_articles_cover(bot, question, reason):
    answer = bot.answer(question)
    assert answer.abstained and not answer.citations
    assert answer.text.startswith(CANNOT_ANSWER)
    assert reason in answer.text
    assert "closest articles" in answer.text


def test_followup_keeps_the_topic(bot):
    history = [("What did Peskov say about Yoon's remarks?", "...")]
    answer = bot.answer("And what did Zakharova say?", history=history)
    assert not answer.abstained
    assert "Zakharova" in answer.text.splitlines()[0]
    assert any("Read as:" in note for note in answer.notes)
    assert_verbatim(answer)


def test_numbers_and_dates_as_written(bot):
    answer = bot.answer("How many rounds of 155mm ammunition did Seoul consider loaning to the US?")
    assert "500,000" in answer.text and "155mm" in answer.text
    answer = bot.answer("On what date did TASS report the Russian ambassador's interview?")
    assert "May 10" in answer.text


def test_bad_questions(bot):
    with pytest.raises(InvalidQuestionError):
        bot.answer("   ")
    with pytest.raises(InvalidQuestionError):
        bot.answer("?!?!")
    long = bot.answer("What did Peskov say about Yoon's remarks? " + "padding " * 3000)
    assert any("characters long" in note for note in long.notes)


def test_stream_ends_with_the_same_answer(bot):
    events = list(bot.stream("What did Medvedev threaten?"))
    assert events[-1].kind == "answer"
    tokens = [e.text for e in events if e.kind == "token"]
    assert len(tokens) > 1 and tokens[-1] == events[-1].answer.text


def test_calibration_reports_both_sides_of_the_threshold(bot):
    """Calibration on dev data scores answerable and unanswerable questions and suggests a threshold
    between the weakest and strongest evidence it saw (the default is chosen from it and news-dev)."""
    from assistant.evaluation.calibrate import calibrate

    report = calibrate(bot.settings, Path(__file__).resolve().parents[2] / "eval" / "gold-dev.jsonl")
    scores = [s for s, _ in report["weakest_answerable"] + report["strongest_unanswerable"]]
    assert report["weakest_answerable"] and min(scores) <= report["suggested_threshold"] <= max(scores)
