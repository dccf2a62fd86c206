"""Write a bench run as results.json, report.md (tables, targets) and latency.png."""

from __future__ import annotations

import json
from pathlib import Path

TARGETS_MB = 2048


def _get(d, *path, default=None):
    for key in path:
        if not isinstance(d, dict) or d.get(key) is None:
            return default
        d = d[key]
    return d


def _fmt(value, digits: int = 1, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}{suffix}"
    if isinstance(value, int):
        return f"{value:,}{suffix}"
    return f"{value}{suffix}"


def _ratio(ours, base) -> str:
    if ours is None or not base:
        return "–"
    return f"{ours / base:.2f}x"


def targets(results: dict) -> list[tuple[str, str, bool | None, str]]:
    """(target, measured, holds, note) for every target of issue #7 that this run measured."""
    sizes = results.get("sizes", {})
    out = []

    def size_entry(n):
        return sizes.get(str(n)) or {}

    s10 = size_entry(10000)
    a50 = _get(s10, "query", "answer_p50_ms")
    out.append(("warm full answer p50 <= 150 ms at 10k chunks", _fmt(a50, 1, " ms"),
                None if a50 is None else a50 <= 150, ""))
    r50 = _get(s10, "query", "retrieval_p50_ms")
    out.append(("retrieval p50 <= 30 ms at 10k chunks", _fmt(r50, 1, " ms"), None if r50 is None else r50 <= 30, ""))
    s100 = size_entry(100000)
    a95 = _get(s100, "query", "answer_p95_ms")
    out.append(("answer p95 <= 400 ms at 100k chunks", _fmt(a95, 1, " ms"), None if a95 is None else a95 <= 400, ""))
    sample = results.get("embedding_sample") or {}
    torch_rate = _get(sample, "backends", "torch", "chunks_per_s_median")
    onnx_rate = _get(sample, "backends", "onnx", "chunks_per_s_median")
    if torch_rate and onnx_rate:
        out.append((">= 2x plain sentence-transformers embedding throughput (same chunks, same run)",
                    f"{onnx_rate:.1f} vs {torch_rate:.1f} chunks/s ({onnx_rate / torch_rate:.2f}x, default fp32 "
                    f"ONNX); int8: {_fmt(_get(sample, 'backends', 'onnx-int8', 'chunks_per_s_median'))} chunks/s",
                    onnx_rate >= 2 * torch_rate, f"{sample.get('mean_tokens')} tokens/chunk on average"))
    quality = results.get("quality") or {}
    ours, torch_q = quality.get("ours (auto)"), quality.get("ours (torch)")
    if ours and torch_q:
        same = all(ours.get(k) == torch_q.get(k) for k in ("strict_pass_rate", "hit_at_k", "mrr"))
        out.append(("retrieval quality on eval/gold.jsonl unchanged (default engine vs torch)",
                    f"strict {ours.get('strict_pass_rate')} / hit@k {ours.get('hit_at_k')} / MRR {ours.get('mrr')} vs "
                    f"{torch_q.get('strict_pass_rate')} / {torch_q.get('hit_at_k')} / {torch_q.get('mrr')}", same, ""))
    un = _get(s10, "incremental", "unchanged_s")
    out.append(("re-index of an unchanged 10k-chunk corpus <= 5 s", _fmt(un, 2, " s"), None if un is None else un <= 5,
                ""))
    peaks = [v for v in (_get(s100, "index", "peak_mb"), _get(s100, "incremental", "peak_mb"),
                         _get(s100, "query", "peak_mb")) if v is not None]
    if peaks:
        out.append(("peak memory <= 2 GB at 100k chunks (index, incremental, query processes)",
                    " / ".join(_fmt(p, 0, " MB") for p in peaks), max(peaks) <= TARGETS_MB,
                    "cold index from a cached store is the figure of the run that built it"))
    colds = {n: _get(e, "query", "cold_start_s") for n, e in sizes.items()}
    colds = {n: v for n, v in colds.items() if v is not None}
    if colds:
        worst = max(colds.values())
        out.append(("cold start (process start to first answer) <= 15 s",
                    ", ".join(f"{int(n):,}: {v:.1f} s" for n, v in colds.items()), worst <= 15, ""))
    total = results.get("total_s")
    if total is not None:
        cached = any(_get(e, "index", "cached") for e in sizes.values())
        out.append(("`make bench` under 30 minutes", f"{total / 60:.1f} min" + (" (stores reused)" if cached else ""),
                    total <= 1800, ""))
    return out


def markdown(results: dict) -> str:
    m = results.get("machine", {})
    lines = [
        "# Benchmark results",
        "",
        f"Run {results.get('started_at')} on {m.get('cores')} cores ({m.get('cpu')}), {m.get('memory_gb')} GB RAM, "
        f"Python {m.get('python')}. Load average at start {m.get('loadavg_start')}, at end {m.get('loadavg_end')} "
        "(other work on the machine makes timings noisy). Total "
        f"{_fmt((results.get('total_s') or 0) / 60, 1)} min.",
        "",
        "## Targets (issue #7)",
        "",
        "| target | measured | holds |",
        "| --- | --- | --- |",
    ]
    for name, measured, holds, note in targets(results):
        mark = "–" if holds is None else ("yes" if holds else "**no**")
        lines.append(f"| {name} | {measured}{f' ({note})' if note else ''} | {mark} |")

    lines += ["", "## Indexing", "",
              "| chunks | articles | system | engine | cold: chunks/s | articles/s | seconds | peak MB | "
              "re-index unchanged s | add 1% (articles / s) | remove them s | incremental peak MB |",
              "| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"]
    for size, e in results.get("sizes", {}).items():
        idx, inc, info = e.get("index") or {}, e.get("incremental") or {}, e.get("corpus") or {}
        cached = " (cached build)" if idx.get("cached") else ""
        lines.append(
            f"| {int(size):,} | {_fmt(info.get('articles'))} | ours embedded | {idx.get('backend', '–')}"
            f"{' → ' + idx['engine'] if idx.get('engine') else ''} | {_fmt(idx.get('chunks_per_s'))}{cached} | "
            f"{_fmt(idx.get('articles_per_s'), 2)} | {_fmt(idx.get('seconds'))} | {_fmt(idx.get('peak_mb'), 0)} | "
            f"{_fmt(inc.get('unchanged_s'), 2)} | {_fmt(inc.get('added_articles'))} / {_fmt(inc.get('add_s'), 2)} | "
            f"{_fmt(inc.get('remove_s'), 2)} | {_fmt(inc.get('peak_mb'), 0)} |")
        b = e.get("baseline_index")
        if b:
            mode = "torch" if b.get("mode") == "torch" else "approximated vectors"
            lines.append(
                f"| {int(size):,} | {_fmt(b.get('articles'))} | baseline ({_fmt(b.get('chunks'))} chunks of 1000) | "
                f"{mode} | {_fmt(b.get('chunks_per_s')) if b.get('mode') == 'torch' else '(not comparable)'}"
                f"{' (cached build)' if b.get('cached') else ''} | "
                f"{_fmt(b.get('articles_per_s'), 2) if b.get('mode') == 'torch' else '–'} | {_fmt(b.get('seconds'))} | "
                f"{_fmt(b.get('peak_mb'), 0)} | – | – | – | – |")
    for size, e in (results.get("server") or {}).get("sizes", {}).items():
        idx, inc = e.get("index") or {}, e.get("incremental") or {}
        lines.append(
            f"| {int(size):,} | {_fmt(idx.get('articles'))} | ours → Chroma server | vectors reused (writes only) | "
            f"{_fmt(idx.get('chunks_per_s'))} | {_fmt(idx.get('articles_per_s'), 2)} | {_fmt(idx.get('seconds'))} | "
            f"{_fmt(idx.get('peak_mb'), 0)} (client) | {_fmt(inc.get('unchanged_s'), 2)} | "
            f"{_fmt(inc.get('added_articles'))} / {_fmt(inc.get('add_s'), 2)} | {_fmt(inc.get('remove_s'), 2)} | "
            f"{_fmt(inc.get('peak_mb'), 0)} |")

    lines += ["", "## Queries (warm process; gold questions, follow-ups with their history)", "",
              "| chunks | system | retrieval p50 / p95 ms | full answer p50 / p95 ms | cold start s "
              "(without saved snapshot) | query peak MB | answer p50 vs baseline | peak memory vs baseline |",
              "| ---: | --- | --- | --- | --- | ---: | ---: | ---: |"]
    for size, e in results.get("sizes", {}).items():
        q, b = e.get("query") or {}, e.get("baseline_query") or {}
        nc = (e.get("cold_no_snapshot_cache") or {}).get("cold_start_s")
        lines.append(
            f"| {int(size):,} | ours embedded | {_fmt(q.get('retrieval_p50_ms'))} / {_fmt(q.get('retrieval_p95_ms'))} | "
            f"{_fmt(q.get('answer_p50_ms'))} / {_fmt(q.get('answer_p95_ms'))} | {_fmt(q.get('cold_start_s'), 2)} "
            f"({_fmt(nc, 2)}) | {_fmt(q.get('peak_mb'), 0)} | {_ratio(q.get('answer_p50_ms'), b.get('answer_p50_ms'))} | "
            f"{_ratio(q.get('peak_mb'), b.get('peak_mb'))} |")
        if b:
            lines.append(
                f"| {int(size):,} | baseline (k=4, stuffed) | {_fmt(b.get('retrieval_p50_ms'))} / "
                f"{_fmt(b.get('retrieval_p95_ms'))} | {_fmt(b.get('answer_p50_ms'))} / {_fmt(b.get('answer_p95_ms'))} | "
                f"{_fmt(b.get('cold_start_s'), 2)} | {_fmt(b.get('peak_mb'), 0)} | 1.00x | 1.00x |")
    server = results.get("server") or {}
    for size, e in server.get("sizes", {}).items():
        q = e.get("query") or {}
        lines.append(
            f"| {int(size):,} | ours → Chroma server | {_fmt(q.get('retrieval_p50_ms'))} / "
            f"{_fmt(q.get('retrieval_p95_ms'))} | {_fmt(q.get('answer_p50_ms'))} / {_fmt(q.get('answer_p95_ms'))} | "
            f"{_fmt(q.get('cold_start_s'), 2)} | {_fmt(q.get('peak_mb'), 0)} client + "
            f"{_fmt(e.get('server_rss_mb'), 0)} server | – | – |")
    if server:
        lines += ["", f"Chroma server (`chroma run` on 127.0.0.1): peak RSS {_fmt(server.get('server_peak_mb'), 0)} MB."]

    sample = results.get("embedding_sample")
    if sample:
        lines += ["", f"## Embedding throughput (one fixed sample: {sample.get('n_chunks')} chunks, "
                      f"{sample.get('mean_tokens')} tokens / {sample.get('mean_chars')} characters on average; "
                      f"median of {sample.get('rounds')} interleaved rounds)", "",
                  "| backend | engine | chunks/s (median) | rounds | vs torch | min cosine to torch |",
                  "| --- | --- | ---: | --- | ---: | ---: |"]
        torch_rate = _get(sample, "backends", "torch", "chunks_per_s_median")
        for name, b in sample.get("backends", {}).items():
            lines.append(f"| {name} | {b.get('engine')} | {_fmt(b.get('chunks_per_s_median'))} | "
                         f"{', '.join(f'{r:.0f}' for r in b.get('chunks_per_s_rounds', []))} | "
                         f"{_ratio(b.get('chunks_per_s_median'), torch_rate)} | {b.get('min_cosine_to_torch')} |")

    quality = results.get("quality")
    if quality:
        keys = ("strict_pass_rate", "hit_at_k", "mrr", "fact_recall", "citation_precision", "citation_recall",
                "groundedness", "abstention_accuracy", "latency_p50_ms")
        lines += ["", "## Quality on eval/gold.jsonl (the five seed articles)", "",
                  "| system | " + " | ".join(keys) + " |", "| --- |" + " ---: |" * len(keys)]
        for name, q in quality.items():
            q = q or {}
            lines.append(f"| {name} | " + " | ".join(_fmt(q.get(k), 3) if isinstance(q.get(k), float) else
                                                     _fmt(q.get(k)) for k in keys) + " |")
        lines += ["", "The baseline never abstains and answers with whole chunks, so its fact recall is high by "
                      "construction while strict pass (which needs correct abstention and precise citations) is not."]

    if "real" in results:
        from bench.real import markdown as real_markdown

        lines += real_markdown(results["real"])
    lines += ["", "## Time per phase", "", "| phase | seconds | ok |", "| --- | ---: | --- |"]
    for p in results.get("phases", []):
        lines.append(f"| {p['phase']} | {p['seconds']} | {'yes' if p['ok'] else '**no**'} |")
    if results.get("errors"):
        lines += ["", "## Errors", ""]
        for err in results["errors"]:
            lines += [f"- {err.get('phase')}: rc {err.get('rc')}", "", "```", str(err.get("tail", ""))[-1500:], "```"]
    lines += ["", "Baseline stores larger than `--baseline-full-upto` chunks hold approximated vectors (the mean of "
                  "the assistant's vectors of the overlapping chunks) so they fit the time budget; their query path "
                  "(torch query embedding, similarity_search k=4, stuffing) is the real one. Stores from earlier runs "
                  "are reused (marked 'cached build'); `--fresh` rebuilds them.", ""]
    return "\n".join(lines)


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series = {
        "ours: full answer": ("query", "answer"), "ours: retrieval": ("query", "retrieval"),
        "baseline: answer (k=4 stuffed)": ("baseline_query", "answer"),
    }
    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    sizes = results.get("sizes", {})
    for label, (part, kind) in series.items():
        xs, p50, p95 = [], [], []
        for size, e in sorted(sizes.items(), key=lambda kv: int(kv[0])):
            q = e.get(part) or {}
            if q.get(f"{kind}_p50_ms") is not None:
                xs.append(int(size))
                p50.append(q[f"{kind}_p50_ms"])
                p95.append(q[f"{kind}_p95_ms"])
        if xs:
            line, = ax.plot(xs, p50, marker="o", label=f"{label} p50")
            ax.plot(xs, p95, marker="^", linestyle="--", color=line.get_color(), label=f"{label} p95")
    server = (results.get("server") or {}).get("sizes", {})
    xs = [int(s) for s, e in sorted(server.items(), key=lambda kv: int(kv[0])) if _get(e, "query", "answer_p50_ms")]
    if xs:
        ax.plot(xs, [server[str(x)]["query"]["answer_p50_ms"] for x in xs], marker="s",
                label="ours via Chroma server: answer p50")
    ax.set_xscale("log")
    ax.set_xlabel("corpus size (chunks)")
    ax.set_ylabel("latency (ms)")
    m = results.get("machine", {})
    ax.set_title(f"Warm query latency vs corpus size ({m.get('cores')} cores)")
    ax.grid(True, which="both", alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_all(results: dict, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {**results, "targets": [
        {"target": t, "measured": m, "holds": h, "note": n} for t, m, h, n in targets(results)]}
    (out_dir / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    (out_dir / "report.md").write_text(markdown(results), encoding="utf-8")
    try:
        plot(results, out_dir / "latency.png")
    except Exception as exc:  # a plotting problem must not lose the numbers
        (out_dir / "latency.png.error").write_text(f"{type(exc).__name__}: {exc}\n")
