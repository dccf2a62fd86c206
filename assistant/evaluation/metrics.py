"""Evaluation metrics over per-question records: pure functions, no model loading.

A record is a gold item (a :class:`~assistant.evaluation.gold.GoldItem` or a dict in
the gold-file format) paired with a result in the ``results.jsonl`` format::

    {"id", "question", "answer", "abstained",
     "citations": [{"n", "source", "quote", "start", "end"}],
     "retrieved": [source, ...], "latency_ms", "error" (optional)}

:func:`score_question` scores one record; :func:`compute_metrics` aggregates them
into an ``overall`` block and one block per ``category``. Every value returned is
plain JSON (dicts, lists, str, float, int, bool, None); a rate with nothing to
measure (e.g. citation precision when nothing was cited) is ``None``, not 0 or 1.

Definitions
-----------
- hit@k: an answerable question whose first k retrieved sources (deduplicated,
  best first) include any of its gold ``sources``; k=None means all retrieved.
  MRR: mean of 1/rank of the first gold source within those k (0 when absent).
- fact recall: fraction of ``must_include`` groups with a variant occurring in the
  answer (case-insensitive; quotes, apostrophes, dashes, whitespace and [n] markers
  normalised away); a line that is only a bold article heading does not count, since
  it names an article rather than stating anything.
- strict pass: answerable -> every group found, >= 1 citation, every cited source
  in ``relevant``, not abstained, no error; unanswerable -> abstained, no citations.
- citation precision: cited sources within ``relevant`` / all citations (a citation
  on an unanswerable question is never relevant). Citation recall: mean over
  answerable questions of the fraction of gold ``sources`` cited.
- groundedness: citations whose quote equals the article text at [start:end] /
  all citations; the articles are read from ``corpus_dir``.
- abstention accuracy: unanswerable questions abstained on; false-abstention rate:
  answerable questions abstained on.
- answerable strict pass: strict pass over answerable questions only (the issue targets
  use it; unanswerable questions are measured by abstention accuracy).
- short-answer exact match: over answerable questions with one expected entity, the
  answer's ``short_answer`` matches an expected variant (rules in ``short_answer.py``).
- lenient citation precision / strict pass (only with a second, lenient gold file whose
  ``relevant`` lists count more articles as citable): the same measures against it.
- ``by_split``: the blocks per gold ``split`` (dev / test) when the items carry one.
- latency p50/p95 over all questions with a measured latency (linear interpolation).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..cite.markers import strip_markers
from .short_answer import expected_short_answers, predicted_text, short_answer_match

# --------------------------------------------------------------------------- text

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
})
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Lower-case, straight quotes/apostrophes, '-' for every dash, single spaces."""
    return _SPACE.sub(" ", (text or "").translate(_QUOTES).lower()).strip()


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether phrase occurs in text, both normalised (the gold-file matching rule)."""
    needle = normalize_text(phrase)
    return bool(needle) and needle in normalize_text(text)


# A line that is only an article's heading ("**Port reopens · The Courier**"): it names an article,
# it states nothing, so a fact found only there does not count (a short answer line carries "[n]").
_HEADING_LINE = re.compile(r"^\s*\*\*[^*\n]+\*\*\s*$", re.M)


def facts_found(must_include: list[list[str]], answer_text: str) -> list[bool]:
    """For each must_include group: does any variant occur in what the answer states (its short
    answer and quotes, not the headings that name the quoted articles)?"""
    text = normalize_text(strip_markers(_HEADING_LINE.sub("", answer_text or "")))
    found = []
    for group in must_include:
        variants = [group] if isinstance(group, str) else group
        found.append(any(normalize_text(v) and normalize_text(v) in text for v in variants))
    return found


def fact_recall(must_include: list[list[str]], answer_text: str) -> float | None:
    """Fraction of must_include groups found in the answer; None when there are none."""
    if not must_include:
        return None
    found = facts_found(must_include, answer_text)
    return sum(found) / len(found)


# --------------------------------------------------------------------------- gold access

def gold_view(gold) -> dict:
    """A gold item (GoldItem or dict) as a plain dict with every field the metrics use."""
    get = gold.get if isinstance(gold, Mapping) else (lambda key, default=None: getattr(gold, key, default))
    sources = list(get("sources", None) or [])
    relevant = list(get("relevant", None) or [])
    return {
        "id": str(get("id", "")),
        "question": get("question", "") or "",
        "category": get("category", None) or "uncategorized",
        "answerable": bool(get("answerable", True)),
        "must_include": [list(g) if not isinstance(g, str) else [g] for g in (get("must_include", None) or [])],
        "sources": sources,
        "relevant": sorted(set(relevant) | set(sources)),
        "short_answer": None if get("short_answer", None) is None else list(get("short_answer", None)),
        "split": get("split", None),
    }


# --------------------------------------------------------------------------- corpus

class CorpusTexts:
    """Article texts read on demand from corpus_dir, decoded exactly as the indexer does."""

    def __init__(self, corpus_dir: str | Path | None, texts: Mapping[str, str] | None = None):
        self.corpus_dir = Path(corpus_dir) if corpus_dir is not None else None
        self._cache: dict[str, str | None] = dict(texts or {})

    def get(self, source: str) -> str | None:
        if source not in self._cache:
            self._cache[source] = self._read(source)
        return self._cache[source]

    def _read(self, source: str) -> str | None:
        if self.corpus_dir is None or not source:
            return None
        # Lexical check, not resolve(): a corpus may be a folder of symlinks to the articles.
        root = Path(os.path.abspath(self.corpus_dir))
        path = Path(os.path.normpath(root / source))
        if root != path and root not in path.parents:
            return None  # a source outside the corpus is never grounded
        if not path.is_file():
            return None
        data = path.read_bytes()
        try:
            from ..ingest.readers import decode_text

            return decode_text(data, path)
        except Exception:  # SkipFile and friends: fall back to the raw text
            return data.decode("utf-8", errors="replace")


def check_citation(citation: Mapping, corpus: CorpusTexts) -> tuple[bool, str]:
    """Is the citation's quote exactly the article text at [start:end]? Returns (ok, why not)."""
    source = citation.get("source") or ""
    quote = citation.get("quote")
    start, end = citation.get("start"), citation.get("end")
    text = corpus.get(source)
    if text is None:
        return False, f"article '{source}' not found in the corpus"
    if not isinstance(quote, str) or not quote.strip():
        return False, "empty quote"
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or isinstance(end, bool):
        return False, f"offsets missing or not integers (start={start!r}, end={end!r})"
    if not 0 <= start < end <= len(text):
        return False, f"offsets [{start}:{end}] outside the article (length {len(text)})"
    if text[start:end] == quote:
        return True, ""
    elsewhere = text.find(quote)
    if elsewhere >= 0:
        return False, f"quote is at [{elsewhere}:{elsewhere + len(quote)}], not at the stated [{start}:{end}]"
    return False, f"quote does not occur verbatim in '{source}'"


# --------------------------------------------------------------------------- one question

def retrieved_sources(result: Mapping, k: int | None = None) -> list[str]:
    """The result's retrieved sources, deduplicated in order, cut to the first k."""
    seen: list[str] = []
    for item in result.get("retrieved") or []:
        source = item.get("source") if isinstance(item, Mapping) else item
        if source and source not in seen:
            seen.append(source)
    return seen if k is None else seen[:k]


def _short(phrases: list[str]) -> str:
    return " / ".join(repr(p) for p in phrases)


def score_question(gold, result: Mapping, corpus: CorpusTexts | str | Path | None = None,
                   k: int | None = None) -> dict:
    """Score one answer against its gold item; the dict explains every failure."""
    g = gold_view(gold)
    if not isinstance(corpus, CorpusTexts):
        corpus = CorpusTexts(corpus)
    error = result.get("error")
    abstained = bool(result.get("abstained")) and not error
    answer_text = result.get("answer") or ""
    citations = [c for c in (result.get("citations") or []) if isinstance(c, Mapping)]
    relevant = set(g["relevant"])

    score: dict = {"id": g["id"], "category": g["category"], "split": g["split"], "answerable": g["answerable"],
                   "abstained": abstained, "error": error or None}

    # retrieval (answerable questions only)
    top = retrieved_sources(result, k)
    if g["answerable"] and g["sources"]:
        ranks = [i + 1 for i, s in enumerate(top) if s in set(g["sources"])]
        score["hit"] = bool(ranks)
        score["reciprocal_rank"] = 1.0 / ranks[0] if ranks else 0.0
        score["retrieval_recall"] = sum(s in top for s in g["sources"]) / len(g["sources"])
    else:
        score["hit"] = score["reciprocal_rank"] = score["retrieval_recall"] = None

    # facts
    found = facts_found(g["must_include"], answer_text) if g["answerable"] else []
    score["facts_found"] = found
    score["missing_facts"] = [grp for grp, ok in zip(g["must_include"], found) if not ok]
    score["fact_recall"] = (sum(found) / len(found)) if found else (None if not g["answerable"] else 1.0)

    # citations
    cited = [c.get("source") or "" for c in citations]
    irrelevant = [s for s in cited if s not in relevant]
    score["n_citations"] = len(citations)
    score["n_relevant_citations"] = len(cited) - len(irrelevant)
    score["irrelevant_sources"] = sorted(set(irrelevant))
    score["citation_precision"] = (len(cited) - len(irrelevant)) / len(cited) if cited else None
    if g["answerable"] and g["sources"]:
        score["citation_recall"] = sum(s in set(cited) for s in g["sources"]) / len(g["sources"])
    else:
        score["citation_recall"] = None
    ungrounded = []
    for c in citations:
        ok, why = check_citation(c, corpus)
        if not ok:
            ungrounded.append({"n": c.get("n"), "source": c.get("source"), "reason": why})
    score["n_grounded_citations"] = len(citations) - len(ungrounded)
    score["ungrounded"] = ungrounded
    score["groundedness"] = (len(citations) - len(ungrounded)) / len(citations) if citations else None

    # short answer
    expected = expected_short_answers(g["short_answer"], g["must_include"], g["answerable"])
    predicted = None if abstained else predicted_text(result)
    score["short_answer_expected"] = expected
    score["short_answer_em"] = None if expected is None else short_answer_match(predicted, expected)

    # strict pass
    reasons: list[str] = []
    if error:
        reasons.append(f"error: {error}")
    if g["answerable"]:
        if abstained:
            reasons.append("abstained on an answerable question")
        if score["missing_facts"]:
            reasons.append("missing fact(s): " + "; ".join(_short(grp) for grp in score["missing_facts"]))
        if not citations:
            reasons.append("no citations")
        if irrelevant:
            reasons.append("cited article(s) not relevant to the question: " + ", ".join(score["irrelevant_sources"]))
    else:
        if not abstained and not error:
            reasons.append("answered an unanswerable question (should abstain)")
        if citations:
            reasons.append(f"{len(citations)} citation(s) on an unanswerable question")
    score["pass"] = not reasons
    score["fail_reasons"] = reasons
    latency = result.get("latency_ms")
    score["latency_ms"] = float(latency) if isinstance(latency, (int, float)) and not isinstance(latency, bool) else None
    return score


# --------------------------------------------------------------------------- aggregation

def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation (numpy's default); None if empty."""
    data = sorted(v for v in values if v is not None and not math.isnan(v))
    if not data:
        return None
    pos = (len(data) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)


def _mean(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _rate(num: int, den: int) -> float | None:
    return num / den if den else None


def _round(value, digits: int = 4):
    return round(value, digits) if isinstance(value, float) else value


def aggregate(scores: list[dict], k: int | None = None) -> dict:
    """One metrics block over already-scored questions."""
    answerable = [s for s in scores if s["answerable"]]
    unanswerable = [s for s in scores if not s["answerable"]]
    with_sources = [s for s in answerable if s["hit"] is not None]
    n_cit = sum(s["n_citations"] for s in scores)
    latencies = [s["latency_ms"] for s in scores if s["latency_ms"] is not None]
    short = [s for s in scores if s.get("short_answer_em") is not None]
    block = {
        "n": len(scores),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "n_passed": sum(s["pass"] for s in scores),
        "strict_pass_rate": _rate(sum(s["pass"] for s in scores), len(scores)),
        "answerable_strict_pass_rate": _rate(sum(s["pass"] for s in answerable), len(answerable)),
        "n_short_answer": len(short),
        "short_answer_em": _rate(sum(s["short_answer_em"] for s in short), len(short)),
        "k": k,
        "hit_at_k": _rate(sum(bool(s["hit"]) for s in with_sources), len(with_sources)),
        "mrr": _mean([s["reciprocal_rank"] for s in with_sources]),
        "retrieval_recall_at_k": _mean([s["retrieval_recall"] for s in with_sources]),
        "fact_recall": _mean([s["fact_recall"] for s in answerable]),
        "n_citations": n_cit,
        "citation_precision": _rate(sum(s["n_relevant_citations"] for s in scores), n_cit),
        "citation_recall": _mean([s["citation_recall"] for s in answerable]),
        "groundedness": _rate(sum(s["n_grounded_citations"] for s in scores), n_cit),
        "abstention_accuracy": _rate(sum(s["abstained"] for s in unanswerable), len(unanswerable)),
        "false_abstention_rate": _rate(sum(s["abstained"] for s in answerable), len(answerable)),
        "n_errors": sum(bool(s["error"]) for s in scores),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
    }
    lenient = [s for s in scores if "lenient" in s]
    if lenient:
        lenient_answerable = [s for s in lenient if s["answerable"]]
        block["citation_precision_lenient"] = _rate(sum(s["lenient"]["n_relevant_citations"] for s in lenient),
                                                    sum(s["n_citations"] for s in lenient))
        block["strict_pass_rate_lenient"] = _rate(sum(s["lenient"]["pass"] for s in lenient), len(lenient))
        block["answerable_strict_pass_rate_lenient"] = _rate(sum(s["lenient"]["pass"] for s in lenient_answerable),
                                                             len(lenient_answerable))
    return {key: _round(value) for key, value in block.items()}


def failing_ids(scores: list[dict]) -> dict[str, list[str]]:
    """For each headline metric, the ids of the questions that pull it down."""
    return {
        "strict_pass_rate": [s["id"] for s in scores if not s["pass"]],
        "answerable_strict_pass_rate": [s["id"] for s in scores if s["answerable"] and not s["pass"]],
        "short_answer_em": [s["id"] for s in scores if s.get("short_answer_em") is False],
        "citation_precision_lenient": [s["id"] for s in scores if "lenient" in s
                                       and s["n_citations"] > s["lenient"]["n_relevant_citations"]],
        "hit_at_k": [s["id"] for s in scores if s["hit"] is False],
        "fact_recall": [s["id"] for s in scores if s["answerable"] and (s["fact_recall"] or 0) < 1],
        "citation_precision": [s["id"] for s in scores if s["n_citations"] > s["n_relevant_citations"]],
        "citation_recall": [s["id"] for s in scores if s["citation_recall"] is not None and s["citation_recall"] < 1],
        "groundedness": [s["id"] for s in scores if s["ungrounded"]],
        "abstention_accuracy": [s["id"] for s in scores if not s["answerable"] and not s["abstained"]],
        "false_abstention_rate": [s["id"] for s in scores if s["answerable"] and s["abstained"]],
        "errors": [s["id"] for s in scores if s["error"]],
    }


def score_records(records: Iterable[tuple[object, Mapping]], corpus_dir: str | Path | CorpusTexts | None,
                  k: int | None = None) -> list[dict]:
    """Score every (gold item, result) pair, sharing one corpus reader."""
    corpus = corpus_dir if isinstance(corpus_dir, CorpusTexts) else CorpusTexts(corpus_dir)
    return [score_question(gold, result, corpus, k) for gold, result in records]


def metrics_from_scores(scores: list[dict], k: int | None = None) -> dict:
    """``{"overall", "by_category", "by_split", "failing_ids"}`` from scored questions (first-seen order).

    ``by_split`` is empty unless the gold items carry a ``split``.
    """
    categories: dict[str, list[dict]] = {}
    splits: dict[str, list[dict]] = {}
    for s in scores:
        categories.setdefault(s["category"], []).append(s)
        if s.get("split"):
            splits.setdefault(s["split"], []).append(s)
    return {
        "overall": aggregate(scores, k),
        "by_category": {cat: aggregate(items, k) for cat, items in categories.items()},
        "by_split": {name: aggregate(items, k) for name, items in splits.items()},
        "failing_ids": failing_ids(scores),
        "ids_by_scope": {name: [s["id"] for s in items] for name, items in {**categories, **splits}.items()},
    }


def add_lenient(score: dict, lenient_score: dict) -> dict:
    """Attach the citation verdicts of the same answer scored against a lenient gold item."""
    score["lenient"] = {"n_relevant_citations": lenient_score["n_relevant_citations"],
                        "pass": lenient_score["pass"], "fail_reasons": lenient_score["fail_reasons"]}
    return score


def compute_metrics(records: Iterable[tuple[object, Mapping]], corpus_dir: str | Path | CorpusTexts | None,
                    k: int | None = None) -> dict:
    """Score and aggregate (gold item, result) pairs; see the module docstring."""
    return metrics_from_scores(score_records(records, corpus_dir, k), k)


def pair_records(gold_items: Iterable[object], results: Iterable[Mapping]) -> list[tuple[object, Mapping]]:
    """Match results to gold items by id, in gold order; a missing result counts as an error."""
    by_id = {str(r.get("id")): r for r in results}
    pairs = []
    for gold in gold_items:
        g = gold_view(gold)
        result = by_id.get(g["id"]) or {"id": g["id"], "question": g["question"], "answer": "", "abstained": False,
                                        "citations": [], "retrieved": [], "latency_ms": None,
                                        "error": "no result for this question"}
        pairs.append((gold, result))
    return pairs
