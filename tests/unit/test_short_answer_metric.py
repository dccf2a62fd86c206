"""Short-answer exact match, answerable-only strict pass, per-split blocks and lenient citations."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation.runner import run_eval
from assistant.evaluation.short_answer import (
    expected_short_answers,
    normalize_answer,
    short_answer_match,
)
from assistant.types import Answer, Citation, ShortAnswer


@pytest.mark.parametrize("text, expected", [
    ("The Buffalo Bills.", "buffalo bills"),
    ("\u201cSt. Petersburg\u201d", "st petersburg"),
    ("500,000 rounds", "500000 rounds"),
    ("Russia\u2019s attitude", "russia attitude"),
    ("an  Apple  a day", "apple day"),
    ("Shin Won-sik", "shin won sik"),
])
def test_normalize_answer(text, expected):
    assert normalize_answer(text) == expected


@pytest.mark.parametrize("predicted, variants, ok", [
    ("Andrey Kulik", ["Andrey Kulik"], True),
    ("andrey kulik.", ["Andrey Kulik"], True),
    ("Kulik", ["Andrey Kulik"], True),  # 1 of 2 tokens, contained
    ("Russian Ambassador Andrey Kulik", ["Andrey Kulik"], True),  # 2 of 4 tokens, contained
    ("the Russian Ambassador to South Korea Andrey Kulik", ["Andrey Kulik"], False),  # 2 of 7: too loose
    ("Kulik Andrey", ["Andrey Kulik"], False),  # not a contiguous run
    ("Yoon", ["Andrey Kulik", "Kulik"], False),
    ("nearly 500,000", ["500,000"], True),
    ("the 8th", ["8th"], True),
    ("", ["x"], False),
    (None, ["x"], False),
    ("Luke", ["Luke Humphries beat Littler"], False),
])
def test_short_answer_match(predicted, variants, ok):
    assert short_answer_match(predicted, variants) is ok


def test_which_questions_count():
    assert expected_short_answers(["Italy"], [["Italy"]], True) == ["Italy"]
    assert expected_short_answers([], [["red line"]], True) is None  # explicitly not applicable
    assert expected_short_answers(None, [["Buffalo Bills"]], True) == ["Buffalo Bills"]  # news-dev style
    assert expected_short_answers(None, [["a"], ["b"]], True) is None  # two facts: not one entity
    assert expected_short_answers(None, [], False) is None


TEXT = "Kulik said the supplies were a red line. Peskov spoke in Moscow.\n"
GOLD = [
    {"id": "d1", "question": "Who called it a red line?", "category": "single_fact", "answerable": True, "split": "dev",
     "must_include": [["Kulik"]], "short_answer": ["Andrey Kulik"], "sources": ["a.txt"], "relevant": ["a.txt"]},
    {"id": "d2", "question": "Where did Peskov speak?", "category": "single_fact", "answerable": True, "split": "dev",
     "must_include": [["Moscow"]], "sources": ["a.txt"], "relevant": ["a.txt"]},
    {"id": "t1", "question": "What did Kulik say?", "category": "what_said", "answerable": True, "split": "test",
     "must_include": [["red line"]], "short_answer": [], "sources": ["a.txt"], "relevant": ["a.txt"]},
    {"id": "t2", "question": "Who is Lavrov?", "category": "unanswerable", "answerable": False, "split": "test"},
    {"id": "t3", "question": "Who spoke in Moscow?", "category": "single_fact", "answerable": True, "split": "test",
     "must_include": [["Peskov"]], "sources": ["a.txt"], "relevant": ["a.txt"]},
]


def _cite(quote, source="a.txt"):
    start = TEXT.index(quote)
    return Citation(n=1, source=source, title=None, outlet=None, published=None, quote=quote,
                    start=start, end=start + len(quote))


class Bot:
    def answer(self, question, history=None):
        if question.startswith("Who called"):
            return Answer(text="**Kulik** [1]", citations=[_cite("Kulik said")],
                          short_answer=ShortAnswer(text="Kulik", type="PERSON", n=1))
        if question.startswith("Where did"):  # right fact in the text, wrong short answer
            return Answer(text="**Peskov** [1] spoke in Moscow", citations=[_cite("Peskov spoke in Moscow.")],
                          short_answer=ShortAnswer(text="Peskov", type="PERSON", n=1))
        if question.startswith("What did"):
            return Answer(text="A red line [1].", citations=[_cite("a red line")])
        if question.startswith("Who is"):
            return Answer(text="The articles don't say.", abstained=True)
        return Answer(text="The articles don't say.", abstained=True)  # t3: a false abstention


@pytest.fixture()
def files(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "real.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "a.txt").symlink_to(tmp_path / "real.txt")  # subsets are folders of symlinks
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    return gold, corpus, tmp_path


def test_short_answer_metric_splits_and_answerable_strict(files):
    gold, corpus, tmp = files
    metrics = run_eval(gold, tmp / "out", Bot(), corpus, progress=False)
    o = metrics["overall"]
    assert o["n_short_answer"] == 3  # d1 (field), d2 and t3 (single must_include group); t1 says none applies
    assert o["short_answer_em"] == pytest.approx(1 / 3, abs=1e-4)  # d1 matches; d2 wrong entity; t3 abstained
    assert o["answerable_strict_pass_rate"] == pytest.approx(3 / 4, abs=1e-4)  # d1, d2, t1 pass; t3 abstained
    assert o["strict_pass_rate"] == pytest.approx(4 / 5, abs=1e-4)
    assert o["false_abstention_rate"] == pytest.approx(1 / 4, abs=1e-4)
    assert o["groundedness"] == 1.0  # a symlinked article is read, not rejected as outside the corpus
    assert set(metrics["by_split"]) == {"dev", "test"}
    assert metrics["by_split"]["dev"]["short_answer_em"] == 0.5
    assert metrics["by_split"]["test"]["short_answer_em"] == 0.0
    assert metrics["by_split"]["test"]["abstention_accuracy"] == 1.0
    assert metrics["by_category"]["single_fact"]["short_answer_em"] == pytest.approx(1 / 3, abs=1e-4)
    assert metrics["failing_ids"]["short_answer_em"] == ["d2", "t3"]
    rows = {r["id"]: r for r in map(json.loads, (tmp / "out" / "results.jsonl").read_text().splitlines())}
    assert rows["d1"]["short_answer"] == {"text": "Kulik", "type": "PERSON", "n": 1, "support": 1}
    assert rows["t1"]["short_answer"] is None and rows["t1"]["short_answer_em"] is None
    assert rows["d2"]["short_answer_em"] is False and rows["d1"]["split"] == "dev"
    report = (tmp / "out" / "report.md").read_text()
    assert "Short-answer exact match" in report and "## By split" in report and "short EM" in report


def test_lenient_gold_scores_citations_against_broader_relevant(files):
    gold, corpus, tmp = files
    (corpus / "b.txt").write_text(TEXT, encoding="utf-8")
    strict = [dict(g) for g in GOLD]
    strict[2] = {**strict[2], "relevant": ["b.txt"], "sources": ["b.txt"]}  # t1 cites a.txt: wrong in strict
    lenient = [dict(g) for g in strict]
    lenient[2] = {**lenient[2], "relevant": ["a.txt", "b.txt"]}
    gold.write_text("".join(json.dumps(g) + "\n" for g in strict), encoding="utf-8")
    lenient_path = tmp / "lenient.jsonl"
    lenient_path.write_text("".join(json.dumps(g) + "\n" for g in lenient), encoding="utf-8")
    metrics = run_eval(gold, tmp / "out", Bot(), corpus, progress=False, lenient=lenient_path)
    o = metrics["overall"]
    assert o["citation_precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert o["citation_precision_lenient"] == 1.0
    assert o["answerable_strict_pass_rate"] == pytest.approx(2 / 4, abs=1e-4)
    assert o["answerable_strict_pass_rate_lenient"] == pytest.approx(3 / 4, abs=1e-4)
    assert metrics["failing_ids"]["citation_precision_lenient"] == []
    assert "Citation precision (lenient gold)" in (tmp / "out" / "report.md").read_text()
