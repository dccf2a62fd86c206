"""Run the gold questions through an assistant and write results, metrics, report and chart.

``run_eval(gold_path, out_dir, assistant, corpus_dir)`` writes into ``out_dir``:

- ``results.jsonl``  one line per gold question, in gold order (contract keys plus
  ``category``, ``answerable``, ``pass``, ``fail_reasons``, ``facts_found``, ...);
- ``metrics.json``   ``overall``, ``by_category``, ``failing_ids``, ``config``, ``llm_judge``;
- ``report.md``      headline table, per-category table, every failed question explained;
- ``scores_by_category.png``  strict pass rate and fact recall per category.

``check_thresholds(metrics, load_thresholds())`` is the CI gate (``eval/thresholds.json``;
``eval/thresholds-news.json`` for the news-dev subset). A threshold name is a metric of
``overall`` ("strict_pass_rate") or, with a scope, of one split or category block
("test.strict_pass_rate", "unanswerable.abstention_accuracy").
"""

from __future__ import annotations

import json
import math
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from .chart import plot_scores_by_category
from .gold import GoldItem, load_gold
from .metrics import CorpusTexts, add_lenient, metrics_from_scores, score_question
from .report import LOWER_IS_BETTER, write_report

THRESHOLDS_PATH = Path(__file__).resolve().parents[2] / "eval" / "thresholds.json"
NEWS_THRESHOLDS_PATH = THRESHOLDS_PATH.with_name("thresholds-news.json")
RESULTS_FILE = "results.jsonl"
METRICS_FILE = "metrics.json"
REPORT_FILE = "report.md"
CHART_FILE = "scores_by_category.png"
JUDGE_SKIPPED = "skipped (no LLM backend configured)"

Judge = Callable[[str, str, list[str]], dict]


def load_thresholds(path: str | Path = THRESHOLDS_PATH) -> dict[str, float]:
    """The CI gate: metric name -> minimum (or maximum, for lower-is-better metrics)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, (int, float)) for v in data.values()):
        raise ValueError(f"{path}: expected a JSON object of metric name -> number")
    return {str(k): float(v) for k, v in data.items()}


def check_thresholds(metrics: dict, thresholds: dict[str, float], max_ids: int = 25) -> list[str]:
    """One readable line per threshold not met (empty list: the gate passes).

    Thresholds are minimums on ``metrics["overall"][name]``, except for lower-is-better
    metrics (false-abstention rate, errors, latencies), which are maximums. A metric
    that could not be measured (None or absent) fails. Each line names the questions
    that pull the metric down, from ``metrics["failing_ids"]``.
    """
    overall = metrics.get("overall", metrics)
    failing = metrics.get("failing_ids") or {}
    problems = []
    for name, limit in thresholds.items():
        scope, _, metric = name.rpartition(".")
        block = overall
        if scope:
            block = (metrics.get("by_split") or {}).get(scope) or (metrics.get("by_category") or {}).get(scope) or {}
        value = block.get(metric)
        lower = metric in LOWER_IS_BETTER
        if value is None or (isinstance(value, float) and math.isnan(value)):
            problems.append(f"{name}: not measured (no data), threshold {'<=' if lower else '>='} {limit}")
            continue
        if (value > limit) if lower else (value < limit):
            line = f"{name} = {value:.4g}, threshold {'<=' if lower else '>='} {limit:g}"
            ids = failing.get(metric) or []
            if scope:
                in_scope = set(metrics.get("ids_by_scope", {}).get(scope) or [])
                ids = [i for i in ids if i in in_scope]
            if ids:
                shown = ", ".join(ids[:max_ids]) + (f", ... (+{len(ids) - max_ids} more)" if len(ids) > max_ids else "")
                line += f"; failing questions: {shown}"
            problems.append(line)
    return problems


def _citation_dict(c) -> dict:
    get = c.get if isinstance(c, dict) else (lambda key, default=None: getattr(c, key, default))
    return {"n": get("n"), "source": get("source"), "quote": get("quote"), "start": get("start"), "end": get("end")}


def _answer_to_result(item: GoldItem, answer, latency_ms: float) -> dict:
    """An Answer (or any object with the same attributes) as a results.jsonl line."""
    retrieved: list[str] = []
    for chunk in getattr(answer, "retrieved", None) or []:
        source = chunk.get("source") if isinstance(chunk, dict) else getattr(chunk, "source", chunk)
        if isinstance(source, str) and source and source not in retrieved:
            retrieved.append(source)
    return {
        "id": item.id,
        "question": item.question,
        "answer": getattr(answer, "text", None) or "",
        "abstained": bool(getattr(answer, "abstained", False)),
        "citations": [_citation_dict(c) for c in getattr(answer, "citations", None) or []],
        "retrieved": retrieved,
        "latency_ms": round(latency_ms, 1),
        "short_answer": _short_answer_dict(getattr(answer, "short_answer", None)),
    }


def _short_answer_dict(short) -> dict | None:
    if short is None:
        return None
    get = short.get if isinstance(short, dict) else (lambda key, default=None: getattr(short, key, default))
    return {"text": get("text"), "type": get("type"), "n": get("n"), "support": get("support")}


def _error_result(item: GoldItem, exc: BaseException, latency_ms: float) -> dict:
    message = f"{type(exc).__name__}: {exc}".strip()
    return {"id": item.id, "question": item.question, "answer": "", "abstained": False, "citations": [],
            "retrieved": [], "latency_ms": round(latency_ms, 1), "short_answer": None, "error": message}


def _call_judge(judge: Judge, item: GoldItem, result: dict) -> dict:
    quotes = [c["quote"] for c in result["citations"] if isinstance(c.get("quote"), str)]
    try:
        scores = judge(item.question, result["answer"], quotes)
        out = {}
        for key in ("faithfulness", "answer_relevancy"):
            value = float(scores[key])
            if not 0.0 <= value <= 1.0 or math.isnan(value):
                raise ValueError(f"{key} = {value} is outside [0, 1]")
            out[key] = value
        return out
    except Exception as exc:  # a judge failure is recorded, never turned into a number
        return {"error": f"{type(exc).__name__}: {exc}"}


def _generator_name(assistant, results_generators: list[str]) -> str:
    settings = getattr(assistant, "settings", None)
    name = getattr(settings, "generator", None)
    if isinstance(name, str) and name:
        return name
    if results_generators:
        return Counter(results_generators).most_common(1)[0][0]
    return type(assistant).__name__


_FILTER_FIELDS = ("as_of", "since", "until", "outlets")


def time_filters(item, raw: dict | None = None) -> dict:
    """answer() keywords for a gold item's optional `since`/`until`/`outlets`/`as_of` (read from the
    item, else its raw record): asked "as of" a date, nothing published after it may answer."""
    got = {key: getattr(item, key, None) or (raw or {}).get(key) for key in _FILTER_FIELDS}
    options = {}
    if got["since"]:
        options["since"] = str(got["since"])
    if got["until"] or got["as_of"]:
        options["until"] = str(got["until"] or got["as_of"])
    if got["outlets"]:
        outlets = got["outlets"]
        options["outlets"] = [outlets] if isinstance(outlets, str) else [str(o) for o in outlets]
    return options


def _raw_records(path: Path) -> dict[str, dict]:
    """Gold records by id as written, for fields the gold loader does not keep."""
    records: dict[str, dict] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return records
    for line in lines:
        try:
            data = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str) and any(k in data for k in _FILTER_FIELDS):
            records[data["id"]] = data
    return records


def run_eval(gold_path: str | Path, out_dir: str | Path, assistant, corpus_dir: str | Path,
             progress: bool = True, judge: Judge | None = None, *, k: int | None = None,
             thresholds: dict[str, float] | None = None, lenient: str | Path | None = None) -> dict:
    """Ask every gold question, score the answers, write the four output files; return metrics.

    ``assistant`` is any object with ``.answer(question, history=...) -> Answer``.
    ``k`` cuts the retrieved sources for hit@k and MRR (None: all retrieved).
    ``thresholds`` are shown in the report (default: eval/thresholds.json when present).
    ``judge(question, answer_text, quotes) -> {"faithfulness", "answer_relevancy"}`` is optional.
    ``lenient``: a second gold file with the same ids whose ``relevant`` lists are broader;
    citation precision and strict pass are also reported against it (``*_lenient``).
    """
    from tqdm import tqdm

    gold_path = Path(gold_path)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    items = load_gold(gold_path)
    raw = _raw_records(gold_path)
    lenient_items = {item.id: item for item in load_gold(lenient)} if lenient else {}
    corpus = CorpusTexts(corpus_dir)
    started = datetime.now(timezone.utc)
    t_run = time.perf_counter()

    rows: list[dict] = []
    scores: list[dict] = []
    generators: list[str] = []
    judged: list[dict] = []
    with (out_dir / RESULTS_FILE).open("w", encoding="utf-8") as fh, \
            tqdm(total=len(items), desc="eval", unit="q", file=sys.stderr, disable=not progress) as bar:
        for item in items:
            history = [tuple(turn) for turn in item.history] or None
            t0 = time.perf_counter()
            try:
                answer = assistant.answer(item.question, history=history, **time_filters(item, raw.get(item.id)))
                result = _answer_to_result(item, answer, (time.perf_counter() - t0) * 1000)
                gen = getattr(answer, "generator", None)
                if isinstance(gen, str):
                    generators.append(gen)
            except Exception as exc:  # one bad question must not stop the run
                result = _error_result(item, exc, (time.perf_counter() - t0) * 1000)

            score = score_question(item, result, corpus, k)
            if item.id in lenient_items:
                add_lenient(score, score_question(lenient_items[item.id], result, corpus, k))
            line = {
                **result,
                "category": item.category,
                "answerable": item.answerable,
                "pass": score["pass"],
                "fail_reasons": score["fail_reasons"],
                "facts_found": score["facts_found"],
                "fact_recall": score["fact_recall"],
                "ungrounded": score["ungrounded"],
                "short_answer_expected": score["short_answer_expected"],
                "short_answer_em": score["short_answer_em"],
            }
            if item.split:
                line["split"] = item.split
            if "lenient" in score:
                line["pass_lenient"] = score["lenient"]["pass"]
            if judge is not None and not result.get("error") and not result["abstained"] and result["answer"]:
                line["judge"] = _call_judge(judge, item, result)
                judged.append(line["judge"])
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
            fh.flush()
            scores.append(score)
            rows.append({**line, "must_include": item.must_include, "sources": item.sources,
                         "relevant": sorted(item.allowed_sources), "history": item.history})
            bar.update(1)
            bar.set_postfix(passed=f"{sum(s['pass'] for s in scores)}/{len(scores)}")

    metrics = metrics_from_scores(scores, k)
    settings = getattr(assistant, "settings", None)
    metrics["config"] = {
        "generator": _generator_name(assistant, generators),
        "retrieval_k_chunks": getattr(settings, "k", None),
        "hit_k": k if k is not None else "all retrieved",
        "gold_file": str(gold_path),
        "lenient_gold_file": str(lenient) if lenient else None,
        "n_questions": len(items),
        "corpus_dir": str(corpus_dir),
        "assistant": type(assistant).__name__,
        "started_at": started.isoformat(timespec="seconds"),
        "duration_s": round(time.perf_counter() - t_run, 2),
    }
    if judge is None:
        metrics["llm_judge"] = JUDGE_SKIPPED
    else:
        ok = [j for j in judged if "error" not in j]
        metrics["llm_judge"] = {
            "faithfulness": round(sum(j["faithfulness"] for j in ok) / len(ok), 4) if ok else None,
            "answer_relevancy": round(sum(j["answer_relevancy"] for j in ok) / len(ok), 4) if ok else None,
            "n_judged": len(ok),
            "n_judge_errors": len(judged) - len(ok),
        }

    if thresholds is None and THRESHOLDS_PATH.is_file():
        try:
            thresholds = load_thresholds(THRESHOLDS_PATH)
        except (OSError, ValueError):
            thresholds = None
    (out_dir / METRICS_FILE).write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_report(metrics, rows, out_dir / REPORT_FILE, thresholds)
    plot_scores_by_category(metrics, out_dir / CHART_FILE)
    return metrics
