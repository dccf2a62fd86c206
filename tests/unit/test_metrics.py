"""Metrics on small hand-made records: each planted error must move the metric it concerns."""

from __future__ import annotations

import json

import pytest

from assistant.evaluation.gold import GoldItem
from assistant.evaluation.metrics import (
    check_citation,
    compute_metrics,
    CorpusTexts,
    fact_recall,
    facts_found,
    normalize_text,
    pair_records,
    percentile,
    score_question,
)

A = "Ambassador Kulik said: \u201cWeapons supplies to Ukraine represent a bright red line for us.\u201d Moscow\u2019s ties with Seoul have been almost completely suspended.\n"
B = "Peskov said: \u201cWe oppose this approach.\u201d Seoul has taken a rather unfriendly stance.\n"
C = "The weather in Seoul was mild.\n"


@pytest.fixture()
def corpus(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    for name, text in {"a.txt": A, "b.txt": B, "c.txt": C}.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def cite(n, source, text, quote, shift=0):
    start = text.index(quote) + shift
    return {"n": n, "source": source, "quote": quote, "start": start, "end": start + len(quote)}


GOLD_KULIK = {"id": "q1", "question": "What did Kulik say?", "category": "what_said", "answerable": True,
              "must_include": [["red line"], ["suspended"]], "sources": ["a.txt"], "relevant": ["a.txt", "b.txt"]}
GOLD_BOTH = {"id": "q2", "question": "What did Russia say?", "category": "multi_article", "answerable": True,
             "must_include": [["red line"], ["oppose this approach"]], "sources": ["a.txt", "b.txt"],
             "relevant": ["a.txt", "b.txt"]}
GOLD_NONE = {"id": "q3", "question": "What did Lavrov say?", "category": "unanswerable", "answerable": False,
             "must_include": [], "sources": [], "relevant": []}


def good_kulik():
    return {"id": "q1", "answer": "Kulik called arms supplies a \u201cbright red line\u201d [1] and said ties are almost "
                                  "completely suspended [2].",
            "abstained": False, "latency_ms": 10.0, "retrieved": ["a.txt", "b.txt", "a.txt"],
            "citations": [cite(1, "a.txt", A, "a bright red line for us"),
                          cite(2, "a.txt", A, "almost completely suspended")]}


# --------------------------------------------------------------------------- text matching

def test_normalisation_of_quotes_dashes_and_space():
    assert normalize_text("Moscow\u2019s  \u201cRed\u201d\u2014line\n") == "moscow's \"red\"-line"
    assert facts_found([["Moscow's"], ["Shin Won-sik"]], "MOSCOW\u2019S view; Shin Won\u2013sik") == [True, True]


def test_citation_markers_do_not_split_phrases():
    assert facts_found([["red line for us"]], "a bright red line [1] for us") == [True]
    assert facts_found([["red line for us"]], "a bright red line, for us") == [False]


def test_fact_recall_counts_groups_and_any_variant():
    must = [["oppose this approach", "do not agree with this approach"], ["unfriendly stance"], ["Pyongyang"]]
    assert fact_recall(must, "They DO NOT agree with this approach; an unfriendly stance.") == pytest.approx(2 / 3)
    assert fact_recall([], "anything") is None


# --------------------------------------------------------------------------- one question

def test_correct_answer_passes(corpus):
    s = score_question(GOLD_KULIK, good_kulik(), corpus)
    assert s["pass"], s["fail_reasons"]
    assert s["fact_recall"] == 1.0 and s["citation_precision"] == 1.0 and s["groundedness"] == 1.0
    assert s["hit"] is True and s["reciprocal_rank"] == 1.0 and s["citation_recall"] == 1.0


def test_citation_to_irrelevant_article_lowers_precision_and_fails_strict(corpus):
    result = good_kulik()
    result["citations"].append(cite(3, "c.txt", C, "The weather in Seoul was mild."))
    s = score_question(GOLD_KULIK, result, corpus)
    assert not s["pass"]
    assert any("not relevant" in r and "c.txt" in r for r in s["fail_reasons"])
    assert s["citation_precision"] == pytest.approx(2 / 3)
    assert s["groundedness"] == 1.0  # the quote itself is real


def test_missing_fact_fails_strict_and_lowers_recall(corpus):
    result = good_kulik()
    result["answer"] = "Kulik called arms supplies a bright red line [1]."
    s = score_question(GOLD_KULIK, result, corpus)
    assert not s["pass"] and s["fact_recall"] == 0.5
    assert s["missing_facts"] == [["suspended"]]
    assert any("missing fact" in r and "suspended" in r for r in s["fail_reasons"])


def test_answer_without_citations_fails(corpus):
    result = {**good_kulik(), "citations": []}
    s = score_question(GOLD_KULIK, result, corpus)
    assert not s["pass"] and "no citations" in s["fail_reasons"]
    assert s["citation_precision"] is None and s["groundedness"] is None and s["citation_recall"] == 0.0


def test_quote_at_wrong_offsets_is_ungrounded(corpus):
    result = good_kulik()
    result["citations"][0] = cite(1, "a.txt", A, "a bright red line for us", shift=3)
    s = score_question(GOLD_KULIK, result, corpus)
    assert s["groundedness"] == 0.5
    assert len(s["ungrounded"]) == 1 and "not at the stated" in s["ungrounded"][0]["reason"]


def test_invented_quote_and_missing_article_are_ungrounded(corpus):
    texts = CorpusTexts(corpus)
    ok, why = check_citation({"n": 1, "source": "a.txt", "quote": "a dark red line", "start": 0, "end": 15}, texts)
    assert not ok and "does not occur" in why
    ok, why = check_citation({"n": 1, "source": "zzz.txt", "quote": "x", "start": 0, "end": 1}, texts)
    assert not ok and "not found" in why
    ok, why = check_citation({"n": 1, "source": "a.txt", "quote": "Kulik", "start": 5, "end": 10_000}, texts)
    assert not ok and "outside the article" in why
    ok, why = check_citation({"n": 1, "source": "../corpus/a.txt", "quote": A[:10], "start": 0, "end": 10}, texts)
    assert ok  # resolves inside the corpus
    ok, _ = check_citation({"n": 1, "source": "../../etc/passwd", "quote": "root", "start": 0, "end": 4}, texts)
    assert not ok


def test_abstention_on_answerable_is_a_false_abstention(corpus):
    s = score_question(GOLD_KULIK, {"id": "q1", "answer": "The articles do not say.", "abstained": True,
                                    "citations": [], "retrieved": ["a.txt"], "latency_ms": 5}, corpus)
    assert not s["pass"] and "abstained on an answerable question" in s["fail_reasons"]


def test_unanswerable_rules(corpus):
    abstain = {"id": "q3", "answer": "Not in the articles.", "abstained": True, "citations": [], "retrieved": ["a.txt"]}
    assert score_question(GOLD_NONE, abstain, corpus)["pass"]
    answered = {**abstain, "abstained": False, "answer": "Lavrov said it is a red line [1].",
                "citations": [cite(1, "a.txt", A, "bright red line")]}
    s = score_question(GOLD_NONE, answered, corpus)
    assert not s["pass"] and s["citation_precision"] == 0.0
    assert any("should abstain" in r for r in s["fail_reasons"])
    s = score_question(GOLD_NONE, {**abstain, "citations": answered["citations"]}, corpus)
    assert not s["pass"] and any("unanswerable" in r for r in s["fail_reasons"])


def test_error_result_is_a_failure(corpus):
    s = score_question(GOLD_NONE, {"id": "q3", "answer": "", "abstained": True, "citations": [], "retrieved": [],
                                   "error": "RuntimeError: boom"}, corpus)
    assert not s["pass"] and s["error"] == "RuntimeError: boom" and not s["abstained"]


def test_hit_at_k_and_mrr():
    result = {"answer": "", "citations": [], "retrieved": ["c.txt", "c.txt", "b.txt", "a.txt"]}
    assert score_question(GOLD_KULIK, result, None, k=1)["hit"] is False
    s2 = score_question(GOLD_KULIK, result, None, k=2)
    assert s2["hit"] is False and s2["reciprocal_rank"] == 0.0  # k counts distinct sources: c, b
    s3 = score_question(GOLD_KULIK, result, None, k=3)
    assert s3["hit"] is True and s3["reciprocal_rank"] == pytest.approx(1 / 3)
    s_all = score_question(GOLD_BOTH, result, None)
    assert s_all["hit"] is True and s_all["reciprocal_rank"] == 0.5 and s_all["retrieval_recall"] == 1.0
    assert score_question(GOLD_NONE, result, None)["hit"] is None


def test_gold_item_and_dict_score_alike(corpus):
    item = GoldItem(id="q1", question=GOLD_KULIK["question"], answerable=True, category="what_said",
                    must_include=[["red line"], ["suspended"]], sources=["a.txt"], relevant=["a.txt", "b.txt"])
    assert score_question(item, good_kulik(), corpus) == score_question(GOLD_KULIK, good_kulik(), corpus)


# --------------------------------------------------------------------------- aggregation

def test_percentile_linear_interpolation():
    assert percentile([40, 10, 30, 20, 100], 50) == 30
    assert percentile([10, 20, 30, 40, 100], 95) == pytest.approx(88.0)
    assert percentile([], 50) is None
    assert percentile([7.0], 95) == 7.0


def test_compute_metrics_overall_and_by_category(corpus):
    both_wrong = {"id": "q2", "answer": "Kulik: red line [1]. Peskov: we oppose this approach [2].", "abstained": False,
                  "latency_ms": 30.0, "retrieved": ["c.txt", "a.txt"],
                  "citations": [cite(1, "a.txt", A, "bright red line"),
                                cite(2, "c.txt", C, "mild", shift=1)]}   # irrelevant AND misplaced
    lavrov = {"id": "q3", "answer": "Not in the articles.", "abstained": True, "citations": [], "retrieved": [],
              "latency_ms": 20.0}
    records = [(GOLD_KULIK, good_kulik()), (GOLD_BOTH, both_wrong), (GOLD_NONE, lavrov)]
    m = compute_metrics(records, corpus)
    json.dumps(m)  # plain JSON
    o = m["overall"]
    assert o["n"] == 3 and o["n_answerable"] == 2 and o["n_unanswerable"] == 1
    assert o["strict_pass_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert o["citation_precision"] == pytest.approx(3 / 4)
    assert o["groundedness"] == pytest.approx(3 / 4)
    assert o["citation_recall"] == pytest.approx((1 + 0.5) / 2)
    assert o["fact_recall"] == 1.0
    assert o["hit_at_k"] == 1.0 and o["mrr"] == pytest.approx(0.75)
    assert o["abstention_accuracy"] == 1.0 and o["false_abstention_rate"] == 0.0
    assert o["latency_p50_ms"] == 20.0 and o["latency_p95_ms"] == pytest.approx(29.0)
    assert set(m["by_category"]) == {"what_said", "multi_article", "unanswerable"}
    assert m["by_category"]["multi_article"]["strict_pass_rate"] == 0.0
    assert m["by_category"]["what_said"]["strict_pass_rate"] == 1.0
    assert m["by_category"]["unanswerable"]["citation_precision"] is None
    assert m["by_category"]["unanswerable"]["fact_recall"] is None
    assert m["failing_ids"]["strict_pass_rate"] == ["q2"]
    assert m["failing_ids"]["citation_precision"] == ["q2"] == m["failing_ids"]["groundedness"]


def test_abstention_metrics(corpus):
    answered_none = {"id": "q3", "answer": "Lavrov said nothing.", "abstained": False, "citations": [], "retrieved": []}
    abstained_kulik = {"id": "q1", "answer": "", "abstained": True, "citations": [], "retrieved": []}
    m = compute_metrics([(GOLD_NONE, answered_none), (GOLD_KULIK, abstained_kulik), (GOLD_BOTH, abstained_kulik)],
                        corpus)
    assert m["overall"]["abstention_accuracy"] == 0.0
    assert m["overall"]["false_abstention_rate"] == 1.0
    assert m["overall"]["strict_pass_rate"] == 0.0
    assert m["overall"]["citation_precision"] is None  # nothing cited: not measurable
    assert m["failing_ids"]["abstention_accuracy"] == ["q3"]


def test_pair_records_marks_missing_results_as_errors():
    pairs = pair_records([GOLD_KULIK, GOLD_NONE], [{"id": "q3", "abstained": True, "citations": []}])
    assert [p[1].get("id") for p in pairs] == ["q1", "q3"]
    assert pairs[0][1]["error"] == "no result for this question"


def test_a_fact_only_in_an_article_heading_is_not_found():
    from assistant.evaluation.metrics import facts_found

    answer = "**Riverton** [1]\n\n**Why Harbourton wants its ferry back · The Courier**\n- Riverton voted on Monday. [1]"
    assert facts_found([["Harbourton"]], answer) == [False]
    assert facts_found([["Riverton"]], answer) == [True]  # the short answer line states it
