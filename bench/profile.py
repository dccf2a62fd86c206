"""Where the time of one answer goes: query embedding, BM25, Chroma, candidate sentence embedding,
NLP annotation, and the rest of the generator (scoring, composition).

    python -m bench.profile --index-dir /path/to/index --gold ../shared/news-dev/gold.jsonl --n 40

The parts are timed by wrapping the functions that do them (class attributes, so every
instance is seen), over warm answers in one process; the report gives per-answer mean and
p50/p95 milliseconds of each part and its share of the whole answer. "other generator work"
is the generator's time less its embedding and NLP calls; "other" is the answer's time less
condense, retrieval and generation.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from contextlib import contextmanager

# (label, module, class, attribute); a part that is not found (code moved) is left out.
PARTS = [
    ("answer", "assistant.pipeline", "Assistant", "answer"),
    ("condense", "assistant.pipeline", "Assistant", "_condense"),
    ("retrieval", "assistant.pipeline", "Assistant", "_retrieve"),
    ("generation", "assistant.pipeline", "Assistant", "_generate"),
    ("snapshot check (manifest version)", "assistant.retrieve.corpus", "LiveCorpus", "snapshot"),
    ("query embedding", "assistant.index.embeddings", "MiniLMEmbeddings", "embed_query"),
    ("Chroma query", "assistant.retrieve.corpus", "LiveCorpus", "dense_search"),
    ("BM25", "assistant.retrieve.lexical", "LexicalIndex", "search"),
    ("candidate sentence embedding", "assistant.index.embeddings", "MiniLMEmbeddings", "embed_array"),
    ("NLP annotation (entities)", "assistant.language.nlp", "EnglishNLP", "entities"),
    ("NLP annotation (parse)", "assistant.language.nlp", "EnglishNLP", "parse"),
]
INSIDE_GENERATION = ("candidate sentence embedding", "NLP annotation (entities)", "NLP annotation (parse)")


@contextmanager
def timed_parts():
    """Wrap every part; yields a dict label -> list of per-answer milliseconds (filled by `answer`)."""
    import importlib

    calls: dict[str, float] = defaultdict(float)
    originals = []
    for label, module, cls, attr in PARTS:
        try:
            owner = getattr(importlib.import_module(module), cls)
            original = getattr(owner, attr)
        except (ImportError, AttributeError):
            continue

        def wrapper(*args, __original=original, __label=label, **kwargs):
            started = time.perf_counter()
            try:
                return __original(*args, **kwargs)
            finally:
                calls[__label] += (time.perf_counter() - started) * 1000

        originals.append((owner, attr, original))
        setattr(owner, attr, wrapper)
    try:
        yield calls
    finally:
        for owner, attr, original in originals:
            setattr(owner, attr, original)


def profile_answers(bot, questions: list[tuple[str, list]]) -> dict:
    """Per-part timings over warm answers of `questions` ((question, history) pairs)."""
    import numpy as np

    per_answer: dict[str, list[float]] = defaultdict(list)
    with timed_parts() as calls:
        original_chain = getattr(bot, "chain", None)
        if hasattr(bot, "_build_chain"):  # the chain holds bound steps: rebuild it from the wrapped ones
            bot.chain = bot._build_chain()
        for question, history in questions:
            calls.clear()
            bot.answer(question, history=history or None)
            inside = sum(calls.get(label, 0.0) for label in INSIDE_GENERATION)
            calls["other generator work (scoring, composition)"] = calls.get("generation", 0.0) - inside
            calls["other"] = calls.get("answer", 0.0) - sum(
                calls.get(label, 0.0) for label in ("condense", "retrieval", "generation"))
            for label, ms in list(calls.items()):
                per_answer[label].append(ms)
        if original_chain is not None:
            bot.chain = original_chain
    total = float(np.mean(per_answer["answer"])) if per_answer.get("answer") else 0.0
    parts = {}
    for label, values in per_answer.items():
        values = values + [0.0] * (len(questions) - len(values))
        mean = float(np.mean(values))
        parts[label] = {"mean_ms": round(mean, 2), "p50_ms": round(float(np.percentile(values, 50)), 2),
                        "p95_ms": round(float(np.percentile(values, 95)), 2),
                        "share": round(mean / total, 3) if total else None}
    return {"n_answers": len(questions), "parts": parts}


def table(profile: dict) -> list[str]:
    """Markdown rows of a profile, the answer first, then by mean time."""
    rows = ["| part | mean ms | p50 ms | p95 ms | share of answer |", "| --- | ---: | ---: | ---: | ---: |"]
    parts = profile.get("parts", {})
    order = sorted(parts, key=lambda k: (k != "answer", -parts[k]["mean_ms"]))
    for label in order:
        p = parts[label]
        share = f"{100 * p['share']:.0f}%" if p.get("share") is not None else "–"
        rows.append(f"| {label} | {p['mean_ms']:.1f} | {p['p50_ms']:.1f} | {p['p95_ms']:.1f} | {share} |")
    return rows


def gold_questions(path, limit: int | None = None) -> list[tuple[str, list]]:
    """(question, history) of each line of a gold file; read as plain JSON lines, so a file the
    gold loader would refuse for a scoring reason (e.g. repeated ids) still gives its questions."""
    from pathlib import Path

    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            out.append((item["question"], [tuple(t) for t in item.get("history") or []]))
    return out[:limit] if limit else out


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    p.add_argument("--index-dir", required=True)
    p.add_argument("--collection", default="articles")
    p.add_argument("--gold", default="eval/gold.jsonl")
    p.add_argument("--n", type=int, default=40, help="questions profiled (after 5 warm-up answers)")
    opts = p.parse_args(argv)
    from assistant import Assistant

    bot = Assistant(index_dir=opts.index_dir, collection=opts.collection)
    questions = gold_questions(opts.gold)
    for q, h in questions[:5]:
        bot.answer(q, history=h or None)
    profile = profile_answers(bot, questions[:opts.n])
    print("\n".join(table(profile)))
    print(json.dumps(profile))


if __name__ == "__main__":
    main()


def time_answers(bot, questions) -> tuple[list[float], list[float]]:
    """Milliseconds per full answer, then per retrieval alone, for each (question, history)."""
    answer_ms, retrieve_ms = [], []
    for q, h in questions:
        t = time.perf_counter()
        bot.answer(q, history=h or None)
        answer_ms.append((time.perf_counter() - t) * 1000)
    for q, _ in questions:
        t = time.perf_counter()
        bot.retriever.retrieve(q)
        retrieve_ms.append((time.perf_counter() - t) * 1000)
    return answer_ms, retrieve_ms
