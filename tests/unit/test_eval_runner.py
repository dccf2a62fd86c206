"""run_eval with a fake assistant: output files, result lines, and metrics reflecting planted errors."""

from __future__ import annotations

import json

import pytest

from assistant.types import Answer, Citation, RetrievedChunk
from assistant.evaluation.runner import (
    JUDGE_SKIPPED,
    NEWS_THRESHOLDS_PATH,
    THRESHOLDS_PATH,
    check_thresholds,
    load_thresholds,
    run_eval,
)

A = "Russian envoy: \u201cWeapons supplies to Ukraine represent a bright red line for us,\u201d Kulik said.\n"
B = "Peskov said: \u201cWe oppose this approach.\u201d Seoul has taken a rather unfriendly stance.\n"
C = "Football results from the weekend.\n"
TEXTS = {"a.txt": A, "b.txt": B, "c.txt": C}
# Where eval/thresholds-news.json started: the news-dev CI subset as first measured, minus a margin
# (fact recall reset once to 0.53 with the issue-10 generator: one question of 48; see eval/README.md).
NEWS_FLOOR = {"strict_pass_rate": 0.55, "answerable_strict_pass_rate": 0.45, "fact_recall": 0.53,
              "short_answer_em": 0.25, "citation_precision_lenient": 0.85, "groundedness": 1.0,
              "abstention_accuracy": 0.83}
CONTRACT_KEYS = {"id", "question", "answer", "abstained", "citations", "retrieved", "latency_ms"}

GOLD = [
    {"id": "q1", "question": "What did Kulik say?", "category": "what_said", "answerable": True,
     "must_include": [["red line"]], "sources": ["a.txt"], "relevant": ["a.txt"]},
    {"id": "q2", "question": "What did Peskov say?", "category": "what_said", "answerable": True,
     "must_include": [["oppose this approach"]], "sources": ["b.txt"], "relevant": ["b.txt"]},
    {"id": "q3", "question": "Explode please", "category": "single_fact", "answerable": True,
     "must_include": [["anything"]], "sources": ["a.txt"], "relevant": ["a.txt"]},
    {"id": "q4", "question": "What did Lavrov say?", "category": "unanswerable", "answerable": False,
     "must_include": [], "sources": [], "relevant": []},
    {"id": "q5", "question": "Who won the football?", "category": "unanswerable", "answerable": False,
     "must_include": [], "sources": [], "relevant": []},
    {"id": "q6", "question": "And what did Peskov say?", "category": "followup", "answerable": True,
     "must_include": [["unfriendly stance"]], "sources": ["b.txt"], "relevant": ["a.txt", "b.txt"],
     "history": [["What did Kulik say?", "A bright red line."]], "unknown_field": 1},
]


def _cite(n, source, quote, shift=0):
    start = TEXTS[source].index(quote) + shift
    return Citation(n=n, source=source, title=None, outlet=None, published=None, quote=quote,
                    start=start, end=start + len(quote))


def _chunks(*sources):
    return [RetrievedChunk(source=s, chunk_id=f"{s}#{i}", score=1.0 - i / 10) for i, s in enumerate(sources)]


class FakeAssistant:
    """Right on q1/q4, wrong in planted ways on q2/q5, raises on q3, checks history on q6."""

    def __init__(self):
        self.calls = []

    def answer(self, question, history=None):
        self.calls.append((question, history))
        if question == "What did Kulik say?":
            return Answer(text="Kulik called it a bright red line [1].", citations=[_cite(1, "a.txt", "bright red line")],
                          retrieved=_chunks("a.txt", "a.txt", "b.txt"), question=question)
        if question == "What did Peskov say?":  # cites an irrelevant article, with a misplaced quote
            return Answer(text="Peskov: we oppose this approach [1]; see also [2].",
                          citations=[_cite(1, "b.txt", "We oppose this approach."), _cite(2, "c.txt", "Football", 2)],
                          retrieved=_chunks("c.txt", "b.txt"), question=question)
        if question == "Explode please":
            raise RuntimeError("backend exploded")
        if question == "What did Lavrov say?":
            return Answer(text="The articles do not say.", abstained=True, retrieved=_chunks("a.txt"))
        if question == "Who won the football?":  # should have abstained
            return Answer(text="Football results [1].", citations=[_cite(1, "c.txt", "Football results")],
                          retrieved=_chunks("c.txt"))
        if question == "And what did Peskov say?":
            assert history == [("What did Kulik say?", "A bright red line.")]
            return Answer(text="He said Seoul has taken a rather unfriendly stance [1].",
                          citations=[_cite(1, "b.txt", "rather unfriendly stance")], retrieved=_chunks("b.txt"))
        raise AssertionError(f"unexpected question {question!r}")


@pytest.fixture()
def setup(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in TEXTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    return gold, corpus, tmp_path / "out"


def test_run_eval_writes_contract_files_and_catches_planted_errors(setup):
    gold, corpus, out = setup
    bot = FakeAssistant()
    metrics = run_eval(gold, out, bot, corpus, progress=False)

    for name in ("results.jsonl", "metrics.json", "report.md", "scores_by_category.png"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert (out / "scores_by_category.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [q for q, _ in bot.calls] == [g["question"] for g in GOLD]
    assert bot.calls[0][1] is None  # no history: None, not []

    rows = [json.loads(line) for line in (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [g["id"] for g in GOLD]
    for r in rows:
        assert CONTRACT_KEYS <= set(r), r
        assert isinstance(r["latency_ms"], (int, float)) and r["latency_ms"] >= 0
        for c in r["citations"]:
            assert {"n", "source", "quote", "start", "end"} <= set(c)
    by_id = {r["id"]: r for r in rows}
    assert by_id["q1"]["retrieved"] == ["a.txt", "b.txt"]  # deduplicated, in order
    assert [r["pass"] for r in rows] == [True, False, False, True, False, True]
    assert "RuntimeError: backend exploded" in by_id["q3"]["error"]
    assert by_id["q3"]["answer"] == "" and by_id["q3"]["citations"] == []
    assert any("c.txt" in reason for reason in by_id["q2"]["fail_reasons"])
    assert any("should abstain" in reason for reason in by_id["q5"]["fail_reasons"])
    assert by_id["q2"]["ungrounded"] and not by_id["q1"]["ungrounded"]

    on_disk = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(metrics))
    o = metrics["overall"]
    assert o["n"] == 6 and o["n_passed"] == 3 and o["strict_pass_rate"] == 0.5
    assert o["n_errors"] == 1
    # citations: q1 1 ok, q2 1 ok + 1 irrelevant/misplaced, q5 1 irrelevant, q6 1 ok
    assert o["citation_precision"] == pytest.approx(3 / 5)
    assert o["groundedness"] == pytest.approx(4 / 5)
    assert o["abstention_accuracy"] == 0.5 and o["false_abstention_rate"] == 0.0
    assert o["fact_recall"] == pytest.approx(3 / 4)  # q3's error finds no facts
    assert o["hit_at_k"] == pytest.approx(3 / 4) and o["mrr"] == pytest.approx((1 + 0.5 + 0 + 1) / 4)
    assert metrics["by_category"]["what_said"]["strict_pass_rate"] == 0.5
    assert metrics["by_category"]["followup"]["strict_pass_rate"] == 1.0
    assert metrics["failing_ids"]["strict_pass_rate"] == ["q2", "q3", "q5"]
    assert metrics["llm_judge"] == JUDGE_SKIPPED
    cfg = metrics["config"]
    assert cfg["n_questions"] == 6 and cfg["gold_file"] == str(gold) and cfg["generator"] == "extractive"

    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Headline metrics" in report and "## By category" in report
    assert "## Failed questions (3)" in report
    for qid in ("q2", "q3", "q5"):
        assert f"### {qid} " in report
    assert "### q1 " not in report and "### q6 " not in report
    assert "backend exploded" in report and "c.txt" in report and "should abstain" in report


def test_thresholds_gate_names_metric_value_and_failing_ids(setup):
    gold, corpus, out = setup
    metrics = run_eval(gold, out, FakeAssistant(), corpus, progress=False)
    failures = check_thresholds(metrics, {"strict_pass_rate": 0.85, "citation_precision": 0.95,
                                          "groundedness": 1.0, "abstention_accuracy": 0.9,
                                          "false_abstention_rate": 0.1})
    assert len(failures) == 4  # false-abstention 0.0 is under its maximum
    text = "\n".join(failures)
    assert "strict_pass_rate = 0.5, threshold >= 0.85; failing questions: q2, q3, q5" in text
    assert "citation_precision" in text and "q2, q5" in text
    assert "groundedness" in text and "abstention_accuracy" in text
    assert check_thresholds(metrics, {"strict_pass_rate": 0.5}) == []
    assert check_thresholds({"overall": {}}, {"groundedness": 1.0}) == [
        "groundedness: not measured (no data), threshold >= 1.0"]


def test_project_thresholds_never_below_the_starting_floor():
    """Thresholds may only be raised as quality improves, never lowered below where they started.

    The first floors applied to the whole 85-question gold set; since the split they apply to
    its dev half (the questions the generator was tuned on). Abstention is gated on the test
    split only: the abstention threshold is calibrated on dev. The strict floors were reset once,
    when the seed-fitted word lists were removed (eval/README.md says why); news-dev's floors rose.
    """
    floor = {"dev.strict_pass_rate": 0.8, "dev.citation_precision": 0.95, "dev.groundedness": 1.0,
             "test.strict_pass_rate": 0.65, "test.citation_precision": 0.9, "test.groundedness": 1.0,
             "test.abstention_accuracy": 0.8}
    thresholds = load_thresholds(THRESHOLDS_PATH)
    for name, minimum in floor.items():
        assert thresholds[name] >= minimum, name
    assert not any(name.startswith("dev.abstention") for name in thresholds), "dev is the calibration data"


def test_news_thresholds_never_below_the_starting_floor():
    floor = NEWS_FLOOR
    thresholds = load_thresholds(NEWS_THRESHOLDS_PATH)
    for name, minimum in floor.items():
        assert thresholds[name] >= minimum, name
    assert thresholds["false_abstention_rate"] <= 0.27  # a maximum: only ever lowered


def test_scoped_thresholds_read_split_and_category_blocks(setup):
    gold, corpus, out = setup
    metrics = run_eval(gold, out, FakeAssistant(), corpus, progress=False)
    assert check_thresholds(metrics, {"what_said.strict_pass_rate": 0.5}) == []
    failures = check_thresholds(metrics, {"what_said.strict_pass_rate": 0.6, "unanswerable.abstention_accuracy": 0.5,
                                          "test.strict_pass_rate": 0.5})
    assert failures[0] == "what_said.strict_pass_rate = 0.5, threshold >= 0.6; failing questions: q2"
    assert failures[1] == "test.strict_pass_rate: not measured (no data), threshold >= 0.5"  # no split in this gold
    assert len(failures) == 2


def test_judge_scores_are_averaged_and_failures_not_faked(setup):
    gold, corpus, out = setup
    seen = []

    def judge(question, answer_text, quotes):
        seen.append((question, quotes))
        if question == "Who won the football?":
            raise TimeoutError("judge timed out")
        return {"faithfulness": 1.0 if "Kulik" in question else 0.5, "answer_relevancy": 0.8}

    metrics = run_eval(gold, out, FakeAssistant(), corpus, progress=False, judge=judge)
    # judged: answered, non-error questions q1, q2, q5 (fails), q6
    assert [q for q, _ in seen] == ["What did Kulik say?", "What did Peskov say?", "Who won the football?",
                                    "And what did Peskov say?"]
    assert seen[0][1] == ["bright red line"]
    j = metrics["llm_judge"]
    assert j["n_judged"] == 3 and j["n_judge_errors"] == 1
    assert j["faithfulness"] == pytest.approx((1.0 + 0.5 + 0.5) / 3, abs=1e-4)
    assert j["answer_relevancy"] == pytest.approx(0.8)


def test_progress_bar_goes_to_stderr(setup, capsys):
    gold, corpus, out = setup
    run_eval(gold, out, FakeAssistant(), corpus, progress=True)
    captured = capsys.readouterr()
    assert "eval" in captured.err and "6/6" in captured.err
    assert captured.out == ""
