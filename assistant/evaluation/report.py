"""The readable evaluation report (``report.md``): headline metrics, per-category table, failures."""

from __future__ import annotations

from pathlib import Path

HEADLINE = [
    ("strict_pass_rate", "Strict pass rate"),
    ("answerable_strict_pass_rate", "Strict pass rate, answerable only"),
    ("short_answer_em", "Short-answer exact match"),
    ("fact_recall", "Fact recall"),
    ("hit_at_k", "Retrieval hit@k"),
    ("mrr", "Retrieval MRR"),
    ("retrieval_recall_at_k", "Retrieval recall@k (all gold sources)"),
    ("citation_precision", "Citation precision"),
    ("citation_precision_lenient", "Citation precision (lenient gold)"),
    ("answerable_strict_pass_rate_lenient", "Strict pass rate, answerable only (lenient gold)"),
    ("citation_recall", "Citation recall"),
    ("groundedness", "Groundedness (quote at stated offsets)"),
    ("abstention_accuracy", "Abstention accuracy (unanswerable)"),
    ("false_abstention_rate", "False-abstention rate (answerable)"),
    ("n_errors", "Questions that raised an error"),
    ("latency_p50_ms", "Latency p50 (ms)"),
    ("latency_p95_ms", "Latency p95 (ms)"),
]
CATEGORY_COLUMNS = [
    ("n", "n"), ("strict_pass_rate", "strict pass"), ("answerable_strict_pass_rate", "ans. strict"),
    ("short_answer_em", "short EM"), ("n_short_answer", "n short"), ("fact_recall", "fact recall"), ("hit_at_k", "hit@k"),
    ("mrr", "MRR"), ("citation_precision", "cit. precision"), ("citation_recall", "cit. recall"),
    ("groundedness", "grounded"), ("abstention_accuracy", "abstention acc."),
    ("false_abstention_rate", "false abst."), ("latency_p50_ms", "p50 ms"),
]
SPLIT_COLUMNS = [
    ("n", "n"), ("strict_pass_rate", "strict pass"), ("answerable_strict_pass_rate", "ans. strict"),
    ("short_answer_em", "short EM"), ("fact_recall", "fact recall"), ("citation_precision", "cit. precision"),
    ("citation_recall", "cit. recall"), ("abstention_accuracy", "abstention acc."),
    ("false_abstention_rate", "false abst."),
]
LOWER_IS_BETTER = {"false_abstention_rate", "n_errors", "latency_p50_ms", "latency_p95_ms"}


def fmt(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.3f}"
    return str(value)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _quote_block(text: str) -> str:
    lines = (text or "").strip().splitlines() or ["(empty)"]
    return "\n".join("> " + line if line.strip() else ">" for line in lines)


def render_report(metrics: dict, rows: list[dict], thresholds: dict | None = None) -> str:
    """Markdown for metrics.json's content plus the per-question rows (results.jsonl lines)."""
    thresholds = thresholds or {}
    overall = metrics.get("overall", {})
    config = metrics.get("config", {})
    out: list[str] = ["# Evaluation report", ""]
    out.append(
        f"Gold file `{config.get('gold_file', '?')}`, {overall.get('n', len(rows))} questions "
        f"({overall.get('n_answerable', '?')} answerable, {overall.get('n_unanswerable', '?')} unanswerable); "
        f"generator `{config.get('generator', '?')}`; hit@k with k = {config.get('hit_k', 'all retrieved')}; "
        f"corpus `{config.get('corpus_dir', '?')}`; run at {config.get('started_at', '?')} "
        f"in {fmt(config.get('duration_s'))} s."
    )
    out += ["", "## Headline metrics", "", "| metric | value | threshold | status |", "| --- | --- | --- | --- |"]
    for key, label in HEADLINE:
        if key.endswith("_lenient") and key not in overall:
            continue
        value = overall.get(key)
        if key in thresholds:
            limit = thresholds[key]
            if value is None:
                status = "FAIL (not measured)"
            elif key in LOWER_IS_BETTER:
                status = "ok" if value <= limit else "FAIL"
            else:
                status = "ok" if value >= limit else "FAIL"
            shown = ("≤ " if key in LOWER_IS_BETTER else "≥ ") + fmt(limit)
        else:
            status, shown = "", ""
        out.append(f"| {label} | {fmt(value)} | {shown} | {status} |")
    out.append(f"| Passed | {overall.get('n_passed', '?')} / {overall.get('n', '?')} | | |")

    judge = metrics.get("llm_judge")
    out += ["", "LLM judge: " + (judge if isinstance(judge, str) else
                                 ", ".join(f"{k} = {fmt(v)}" for k, v in (judge or {}).items()))]

    out += ["", "## By category", ""]
    out.append("| category | " + " | ".join(label for _, label in CATEGORY_COLUMNS) + " |")
    out.append("| --- |" + " --- |" * len(CATEGORY_COLUMNS))
    for cat, block in (metrics.get("by_category") or {}).items():
        out.append(f"| {cat} | " + " | ".join(fmt(block.get(key)) for key, _ in CATEGORY_COLUMNS) + " |")
    out.append("| **overall** | " + " | ".join(fmt(overall.get(key)) for key, _ in CATEGORY_COLUMNS) + " |")

    splits = metrics.get("by_split") or {}
    if splits:
        out += ["", "## By split", "", "dev: tuned on; test: reported, never tuned on. Scoped thresholds "
                "(`test.strict_pass_rate`) apply to these rows.", ""]
        out.append("| split | " + " | ".join(label for _, label in SPLIT_COLUMNS) + " |")
        out.append("| --- |" + " --- |" * len(SPLIT_COLUMNS))
        for name, block in splits.items():
            out.append(f"| {name} | " + " | ".join(fmt(block.get(key)) for key, _ in SPLIT_COLUMNS) + " |")
        scoped = {k: v for k, v in thresholds.items() if "." in k}
        if scoped:
            out += ["", "Scoped thresholds: " + ", ".join(
                f"`{k}` {'≤' if k.rpartition('.')[2] in LOWER_IS_BETTER else '≥'} {fmt(v)}" for k, v in scoped.items())]

    failed = [r for r in rows if not r.get("pass")]
    out += ["", f"## Failed questions ({len(failed)})", ""]
    if not failed:
        out.append("None: every question passed.")
    for r in failed:
        out += _question_section(r)

    ungrounded_passing = [r for r in rows if r.get("pass") and r.get("ungrounded")]
    if ungrounded_passing:
        out += ["", f"## Passing questions with ungrounded citations ({len(ungrounded_passing)})", ""]
        for r in ungrounded_passing:
            out += _question_section(r)
    return "\n".join(out).rstrip() + "\n"


def _question_section(r: dict) -> list[str]:
    out = [f"### {r.get('id')} [{r.get('category', '?')}] {_cell(r.get('question', ''))}", ""]
    for question, answer in r.get("history") or []:
        out.append(f"- Earlier turn: *{_cell(question)}* → {_cell(answer)}")
    if r.get("answerable", True):
        groups = r.get("must_include") or []
        facts = "; ".join(" / ".join(f"`{v}`" for v in grp) for grp in groups) or "(none)"
        out.append(f"- Expected facts: {facts}")
        found = r.get("facts_found") or []
        if groups and found:
            out.append(f"- Facts found: {sum(found)} / {len(groups)}")
        out.append(f"- Expected sources: {', '.join(r.get('sources') or []) or '(none)'}"
                   f" (may also cite: {', '.join(s for s in r.get('relevant') or [] if s not in (r.get('sources') or [])) or '-'})")
    else:
        out.append("- Expected: abstain (the articles do not answer this)")
    out.append("- Why it failed:" if not r.get("pass") else "- Issues:")
    reasons = list(r.get("fail_reasons") or [])
    for u in r.get("ungrounded") or []:
        reasons.append(f"citation [{u.get('n')}] ungrounded: {u.get('reason')}")
    for reason in reasons or ["(no reason recorded)"]:
        out.append(f"  - {_cell(reason)}")
    if r.get("short_answer_expected"):
        short = r.get("short_answer") or {}
        out.append(f"- Short answer: {short.get('text')!r} (expected one of "
                   f"{', '.join(repr(v) for v in r['short_answer_expected'])}): "
                   f"{'match' if r.get('short_answer_em') else 'no match'}")
    out.append(f"- Abstained: {fmt(bool(r.get('abstained')))}; latency {fmt(r.get('latency_ms'))} ms")
    out += ["- Answer given:", "", _quote_block(r.get("answer") or (f"(error) {r['error']}" if r.get("error") else "")), ""]
    citations = r.get("citations") or []
    if citations:
        out.append("- Citations:")
        for c in citations:
            out.append(f"  - [{c.get('n')}] `{c.get('source')}` [{c.get('start')}:{c.get('end')}] "
                       f"\"{_cell(c.get('quote', ''))}\"")
    else:
        out.append("- Citations: none")
    retrieved = r.get("retrieved") or []
    out.append(f"- Retrieved: {', '.join(retrieved) if retrieved else '(nothing)'}")
    out.append("")
    return out


def write_report(metrics: dict, rows: list[dict], path: str | Path, thresholds: dict | None = None) -> Path:
    path = Path(path)
    path.write_text(render_report(metrics, rows, thresholds), encoding="utf-8")
    return path
