"""Benchmarks: indexing, query latency, memory and cold start at growing corpus sizes,
beside the plain LangChain baseline, embedded and against a Chroma server.

    python -m bench.run                      # sizes 1000,10000,100000 (make bench)
    python -m bench.run --quick              # 1000 chunks only, fewer questions (a few minutes)
    python -m bench.run --sizes 1000,10000 --no-server

Every measurement that needs a clean process (cold index, cold start, peak memory,
warm latency) runs in its own subprocess (``python -m bench.run --worker NAME ARGS``), which
reports its peak RSS. Generated corpora and their built stores are cached under
bench/corpora/ (git-ignored) and reused while the corpus and code versions match;
results go to bench/results/<timestamp>/ and bench/results/latest/. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
CORPORA = BENCH / "corpora"
STORES = CORPORA / "stores"
RESULTS = BENCH / "results"
GOLD = REPO / "eval" / "gold.jsonl"
SEEDS = REPO / "seeds"
STORE_VERSION = 1  # bump when a change to indexing makes cached stores stale


# ================================================================ workers (subprocesses)
def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    import numpy as np

    return round(float(np.percentile(values, q)), 2)


def _questions(limit: int | None = None) -> list[tuple[str, list]]:
    from assistant.evaluation.gold import load_gold

    items = load_gold(GOLD)
    out = [(it.question, [tuple(t) for t in it.history]) for it in items]
    return out[:limit] if limit else out


class VectorCache:
    """Embeddings looked up by text from an already built store (server runs reuse the vectors)."""

    model_id = "all-MiniLM-L6-v2"

    def __init__(self, index_dir: str, fallback=None):
        import numpy as np

        from assistant.index.store import chunk_collection, open_client

        collection = chunk_collection(open_client(Path(index_dir)), "articles")
        self.rows: dict[str, int] = {}
        parts = []
        offset = 0
        while True:
            got = collection.get(include=["documents", "embeddings"], limit=5000, offset=offset)
            if not len(got["ids"]):
                break
            for text in got["documents"]:
                self.rows.setdefault(text, len(self.rows))
            parts.append(np.asarray(got["embeddings"], dtype=np.float32))
            offset += len(got["ids"])
        self.vectors = np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)
        self.fallback = fallback
        self.misses = 0

    def embed_documents(self, texts):
        out = []
        for text in texts:
            row = self.rows.get(text)
            if row is None:
                self.misses += 1
                out.append(self.fallback.embed_query(text))
            else:
                out.append(self.vectors[row].tolist())
        return out

    def embed_query(self, text):
        return self.embed_documents([text])[0]


def w_index(args: dict) -> dict:
    """Cold (from empty) indexing of a corpus folder: throughput and peak memory."""
    from assistant.index.embeddings import MiniLMEmbeddings
    from assistant.index.indexer import Indexer
    from assistant.settings import Settings

    settings = Settings(index_dir=args["index_dir"], chroma_url=args.get("chroma_url"),
                        collection=args.get("collection", "articles"), embedding_backend=args.get("backend", "auto"))
    t0 = time.perf_counter()
    real = MiniLMEmbeddings(settings.embedding_model_path(), settings.embedding_device,
                            settings.embedding_batch_size, settings.embedding_backend)
    real.embed_query("warm up")
    embeddings = VectorCache(args["vectors_from"], real) if args.get("vectors_from") else real
    load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    report = Indexer(settings, embeddings=embeddings, progress=False).index([Path(args["corpus"])])
    seconds = time.perf_counter() - t1
    return {"articles": report.articles, "chunks": report.chunks, "chunks_written": report.chunks_written,
            "seconds": round(seconds, 2), "model_load_s": round(load_s, 2),
            "chunks_per_s": round(report.chunks_written / seconds, 1) if seconds else None,
            "articles_per_s": round(len(report.added) / seconds, 2) if seconds else None,
            "engine": getattr(real, "engine", "?"), "backend": settings.embedding_backend,
            "vector_misses": getattr(embeddings, "misses", None), "peak_mb": _peak_mb()}


def w_incremental(args: dict) -> dict:
    """Re-index unchanged; add ~1% new articles; remove them again."""
    from bench.corpus import extra_articles

    from assistant.index.indexer import Indexer
    from assistant.settings import Settings

    settings = Settings(index_dir=args["index_dir"], chroma_url=args.get("chroma_url"),
                        collection=args.get("collection", "articles"), embedding_backend=args.get("backend", "auto"))
    corpus, extra = Path(args["corpus"]), Path(args["extra"])
    shutil.rmtree(extra, ignore_errors=True)
    extra.mkdir(parents=True)
    Indexer(settings, progress=False).index([corpus, extra])  # clean up after an interrupted earlier run
    out = {}
    t = time.perf_counter()
    report = Indexer(settings, progress=False).index([corpus])
    out["unchanged_s"] = round(time.perf_counter() - t, 2)
    out["unchanged_articles"] = len(report.unchanged)
    for name, text in extra_articles(args["n_extra"], args["next_index"], args["seed"]):
        (extra / name).write_text(text, encoding="utf-8")
    indexer = Indexer(settings, progress=False)
    indexer.embeddings.embed_query("warm up")
    t = time.perf_counter()
    report = indexer.index([corpus, extra])
    out["add_s"] = round(time.perf_counter() - t, 2)
    out["added_articles"] = len(report.added)
    out["added_chunks"] = report.chunks_written
    shutil.rmtree(extra)
    extra.mkdir()
    t = time.perf_counter()
    report = Indexer(settings, progress=False).index([corpus, extra])
    out["remove_s"] = round(time.perf_counter() - t, 2)
    out["removed_articles"] = len(report.removed)
    shutil.rmtree(extra, ignore_errors=True)
    # as `assistant index` does after a run that changed the index (untimed): the readers' snapshot is
    # saved, so the query worker's cold start is a user's, not a BM25 rebuild over the whole store
    from assistant.index.store import open_client
    from assistant.retrieve.corpus import LiveCorpus

    LiveCorpus(open_client(settings.index_dir, settings.chroma_url), settings.collection, settings=settings).prepare()
    out["peak_mb"] = _peak_mb()
    return out


def w_query(args: dict) -> dict:
    """Cold start (process start to first answer), then warm latencies of retrieval and answers."""
    from assistant import Assistant

    bot = Assistant(index_dir=args["index_dir"], chroma_url=args.get("chroma_url"),
                    collection=args.get("collection", "articles"), corpus_dir=str(SEEDS))
    questions = _questions()
    bot.answer(questions[0][0])
    cold = time.time() - args["t0"]
    out = {"cold_start_s": round(cold, 2), "chunks": bot.status()["chunks"]}
    n = args.get("n_queries")
    n = len(questions) if n is None else n
    if n:
        for q, h in questions[1:6]:  # warm-up
            bot.answer(q, history=h or None)
        from bench.profile import time_answers

        answer_ms, retrieve_ms = time_answers(bot, questions[:n])
        out.update({"n_queries": len(answer_ms),
                    "answer_p50_ms": _pct(answer_ms, 50), "answer_p95_ms": _pct(answer_ms, 95),
                    "retrieval_p50_ms": _pct(retrieve_ms, 50), "retrieval_p95_ms": _pct(retrieve_ms, 95),
                    "engine": bot.embeddings.engine})
    out["peak_mb"] = _peak_mb()
    return out


def w_query_baseline(args: dict) -> dict:
    from bench.baseline import BaselineAssistant

    bot = BaselineAssistant(args["persist_dir"], chroma_url=args.get("chroma_url"))
    questions = _questions()
    bot.answer(questions[0][0])
    out = {"cold_start_s": round(time.time() - args["t0"], 2), "chunks": bot.store._collection.count()}
    n = args.get("n_queries")
    n = len(questions) if n is None else n
    if n:
        for q, _ in questions[1:6]:
            bot.answer(q)
        answer_ms, retrieve_ms = [], []
        for q, _ in questions[:n]:
            t = time.perf_counter()
            bot.answer(q)
            answer_ms.append((time.perf_counter() - t) * 1000)
        for q, _ in questions[:n]:
            t = time.perf_counter()
            bot.retrieve(q)
            retrieve_ms.append((time.perf_counter() - t) * 1000)
        out.update({"n_queries": len(answer_ms),
                    "answer_p50_ms": _pct(answer_ms, 50), "answer_p95_ms": _pct(answer_ms, 95),
                    "retrieval_p50_ms": _pct(retrieve_ms, 50), "retrieval_p95_ms": _pct(retrieve_ms, 95)})
    out["peak_mb"] = _peak_mb()
    return out


def w_build_baseline(args: dict) -> dict:
    """The baseline's store: embedded with torch for real, or (large sizes) with approximated vectors."""
    import numpy as np

    from bench import baseline

    t0 = time.perf_counter()
    if args["mode"] == "torch":
        emb = baseline.SentenceTransformerEmbeddings()
        emb.embed_query("warm up")
        load_s = time.perf_counter() - t0
        stats = baseline.build(args["corpus"], args["persist_dir"], emb)
        stats["model_load_s"] = round(load_s, 2)
    else:
        from assistant.index.store import chunk_collection, open_client

        collection = chunk_collection(open_client(Path(args["ours"])), "articles")
        ours: dict[str, list] = {}
        offset = 0
        while True:
            got = collection.get(include=["metadatas", "embeddings"], limit=5000, offset=offset)
            if not len(got["ids"]):
                break
            for meta, vec in zip(got["metadatas"], got["embeddings"]):
                ours.setdefault(meta["source"], []).append((int(meta["start"]), int(meta["end"]),
                                                            np.asarray(vec, dtype=np.float32)))
            offset += len(got["ids"])
        docs = baseline.split_folder(args["corpus"])
        vectors = baseline.approximate_vectors(docs, ours)
        del ours
        stats = baseline.build(args["corpus"], args["persist_dir"], baseline.PrecomputedEmbeddings(vectors))
    stats["chunks_per_s"] = round(stats["chunks"] / stats["seconds"], 1)
    stats["articles_per_s"] = round(stats["articles"] / stats["seconds"], 2)
    stats["mode"] = args["mode"]
    stats["peak_mb"] = _peak_mb()
    return stats


def w_embed_sample(args: dict) -> dict:
    """Embedding throughput on one fixed sample of chunks: torch vs ONNX fp32 vs ONNX int8, interleaved."""
    import numpy as np

    from assistant.index.embeddings import MiniLMEmbeddings
    from assistant.ingest.chunk import chunk_article
    from assistant.ingest.parse import parse_article
    from assistant.settings import Settings

    texts: list[str] = []
    for path in sorted(Path(args["corpus"]).glob("*.txt"))[5:]:
        texts.extend(c.text for c in chunk_article(parse_article(path.name, path.read_text(encoding="utf-8"))))
        if len(texts) >= args["n"]:
            break
    texts = texts[:args["n"]]
    model = Settings().embedding_model_path()
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(model) / "tokenizer.json"))
    tok.no_truncation()
    tokens = [len(e.ids) for e in tok.encode_batch(texts)]
    backends = args["backends"]
    embs = {b: MiniLMEmbeddings(model, "cpu", 64, b) for b in backends}
    for e in embs.values():
        e.embed_array(texts[:16])
    rates: dict[str, list[float]] = {b: [] for b in backends}
    vectors = {}
    for _ in range(args["rounds"]):
        for b, e in embs.items():
            t = time.perf_counter()
            vectors[b] = e.embed_array(texts)
            rates[b].append(len(texts) / (time.perf_counter() - t))
    ref = vectors.get("torch")
    out = {"n_chunks": len(texts), "mean_tokens": round(float(np.mean(tokens)), 1),
           "mean_chars": round(float(np.mean([len(t) for t in texts])), 1), "rounds": args["rounds"],
           "backends": {}}
    for b in backends:
        cos = float((vectors[b] * ref).sum(1).min()) if ref is not None else None
        out["backends"][b] = {"chunks_per_s_median": round(float(np.median(rates[b])), 1),
                              "chunks_per_s_rounds": [round(r, 1) for r in rates[b]],
                              "min_cosine_to_torch": None if cos is None else round(cos, 5),
                              "engine": embs[b].engine}
    out["peak_mb"] = _peak_mb()
    return out


def w_eval(args: dict) -> dict:
    """The gold set on the five seeds: ours (a backend) or the baseline."""
    from assistant.evaluation.runner import run_eval

    store = Path(args["store"])
    shutil.rmtree(store, ignore_errors=True)
    if args["system"] == "baseline":
        from bench import baseline

        emb = baseline.SentenceTransformerEmbeddings()
        baseline.build(SEEDS, store, emb)
        bot = baseline.BaselineAssistant(store, emb)
    else:
        from assistant import Assistant

        bot = Assistant(index_dir=str(store), corpus_dir=str(SEEDS), embedding_backend=args["backend"])
        bot.index([SEEDS], progress=False)
    metrics = run_eval(GOLD, args["out"], bot, SEEDS, progress=False)
    keys = ("strict_pass_rate", "hit_at_k", "mrr", "retrieval_recall_at_k", "fact_recall", "citation_precision",
            "citation_recall", "groundedness", "abstention_accuracy", "false_abstention_rate",
            "latency_p50_ms", "latency_p95_ms")
    return {k: metrics["overall"].get(k) for k in keys} | {"peak_mb": _peak_mb()}


WORKERS = {"index": w_index, "incremental": w_incremental, "query": w_query, "query_baseline": w_query_baseline,
           "build_baseline": w_build_baseline, "embed_sample": w_embed_sample, "eval": w_eval}


def worker_main(name: str, raw: str) -> None:
    import logging

    logging.basicConfig(level=logging.ERROR)
    result = WORKERS[name](json.loads(raw))
    print("RESULT " + json.dumps(result), flush=True)


# ================================================================ orchestration
class Bench:
    def __init__(self, opts):
        self.opts = opts
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.out = RESULTS / stamp
        self.out.mkdir(parents=True, exist_ok=True)
        self.results: dict = {
            "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "machine": machine_info(), "options": {k: v for k, v in vars(opts).items() if k != "worker"},
            "sizes": {}, "phases": [], "errors": [],
        }
        self.t_start = time.perf_counter()

    # -- helpers --------------------------------------------------------------
    def log(self, msg: str) -> None:
        print(f"[bench {time.perf_counter() - self.t_start:7.1f}s] {msg}", flush=True)

    def work(self, name: str, args: dict, label: str, env: dict | None = None, timeout: int = 3600) -> dict | None:
        self.log(f"{label} ...")
        started = time.perf_counter()
        full_env = {**os.environ, **(env or {})}
        full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
        args = {"t0": time.time(), **args}
        proc = subprocess.run([sys.executable, "-m", "bench.run", "--worker", name, json.dumps(args)],
                              cwd=REPO, env=full_env, capture_output=True, text=True, timeout=timeout)
        seconds = round(time.perf_counter() - started, 1)
        self.results["phases"].append({"phase": label, "seconds": seconds, "ok": proc.returncode == 0})
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
        if proc.returncode != 0 or not lines:
            tail = (proc.stderr or proc.stdout)[-2000:]
            self.results["errors"].append({"phase": label, "rc": proc.returncode, "tail": tail})
            self.log(f"{label} FAILED (rc {proc.returncode}):\n{tail}")
            return None
        result = json.loads(lines[-1][7:])
        self.log(f"{label}: {seconds}s {json.dumps(result)[:300]}")
        return result

    def save(self) -> None:
        from bench import report

        self.results["total_s"] = round(time.perf_counter() - self.t_start, 1)
        self.results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
        report.write_all(self.results, self.out)
        latest = RESULTS / "latest"
        shutil.rmtree(latest, ignore_errors=True)
        shutil.copytree(self.out, latest)

    # -- parts ----------------------------------------------------------------
    def corpus(self, size: int) -> tuple[Path, dict]:
        from bench.corpus import write_corpus

        t = time.perf_counter()
        info = write_corpus(size, CORPORA / f"gen-{size}", self.opts.seed)
        self.results["phases"].append({"phase": f"corpus {size}", "seconds": round(time.perf_counter() - t, 1),
                                       "ok": True})
        return CORPORA / f"gen-{size}" / "articles", info

    def cached(self, store: Path, key: dict) -> dict | None:
        meta = store / "build.json"
        if self.opts.fresh or not meta.exists():
            return None
        data = json.loads(meta.read_text())
        return data if data.get("key") == key else None

    def cached_build(self, size: int, store: Path, key: dict, label: str, worker: str, args: dict,
                     description: str) -> dict | None:
        """Reuse a store built earlier from the same corpus and settings, else build it with a worker."""
        hit = None if size <= self.opts.reindex_upto else self.cached(store, key)
        if hit:
            self.log(f"{label} {size}: reusing the store built {hit['built_at']}")
            return {**hit["stats"], "cached": True, "built_at": hit["built_at"]}
        shutil.rmtree(store, ignore_errors=True)
        stats = self.work(worker, args, description, timeout=7200)
        if stats:
            (store / "build.json").write_text(json.dumps(
                {"key": key, "built_at": datetime.now().isoformat(timespec="seconds"), "stats": stats}))
            stats = {**stats, "cached": False}
        return stats

    def ours_store(self, size: int, corpus: Path, info: dict) -> tuple[Path, dict | None]:
        backend = self.opts.bulk_backend if size >= self.opts.bulk_from else "auto"
        store = STORES / f"ours-{size}"
        key = {"corpus": info["fingerprint"], "backend": backend, "store_version": STORE_VERSION}
        stats = self.cached_build(size, store, key, "ours", "index",
                                  {"corpus": str(corpus), "index_dir": str(store), "backend": backend},
                                  f"cold index ours {size} ({backend})")
        return store, stats

    def baseline_store(self, size: int, corpus: Path, info: dict, ours: Path) -> tuple[Path, dict | None]:
        mode = "torch" if size <= self.opts.baseline_full_upto else "approx"
        store = STORES / f"baseline-{size}"
        key = {"corpus": info["fingerprint"], "mode": mode, "store_version": STORE_VERSION}
        stats = self.cached_build(size, store, key, "baseline", "build_baseline",
                                  {"corpus": str(corpus), "persist_dir": str(store), "mode": mode, "ours": str(ours)},
                                  f"build baseline {size} ({mode})")
        return store, stats

    def run_size(self, size: int) -> None:
        entry: dict = {}
        self.results["sizes"][str(size)] = entry
        corpus, info = self.corpus(size)
        entry["corpus"] = info
        backend = self.opts.bulk_backend if size >= self.opts.bulk_from else "auto"
        ours, entry["index"] = self.ours_store(size, corpus, info)
        n_extra = max(1, info["articles"] // 100)
        entry["incremental"] = self.work("incremental", {
            "corpus": str(corpus), "extra": str(CORPORA / f"gen-{size}" / "extra"), "index_dir": str(ours),
            "n_extra": n_extra, "next_index": info["next_index"], "seed": self.opts.seed, "backend": backend,
        }, f"incremental ours {size}")
        nq = self.opts.queries or None
        entry["query"] = self.work("query", {"index_dir": str(ours), "n_queries": nq}, f"queries ours {size}")
        entry["cold_no_snapshot_cache"] = self.work(
            "query", {"index_dir": str(ours), "n_queries": 0}, f"cold start ours {size} without saved snapshot",
            env={"ASSISTANT_SNAPSHOT_CACHE": "off"})
        if not self.opts.no_baseline:
            base, entry["baseline_index"] = self.baseline_store(size, corpus, info, ours)
            entry["baseline_query"] = self.work("query_baseline", {"persist_dir": str(base), "n_queries": nq},
                                                f"queries baseline {size}")
        self.save()

    def run_server(self, sizes: list[int]) -> None:
        data = CORPORA / "server-data"
        cache = CORPORA / "server-snapshots"
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        data.mkdir(parents=True)
        port = free_port()
        log_path = self.out / "chroma-server.log"
        chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        if not chroma:
            self.results["errors"].append({"phase": "server", "tail": "the `chroma` command was not found"})
            return
        self.log(f"starting `chroma run --path {data} --host 127.0.0.1 --port {port}`")
        with log_path.open("w") as fh:
            server = subprocess.Popen([chroma, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                                      stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        server_info: dict = {"url": url, "pid": server.pid, "sizes": {}}
        self.results["server"] = server_info
        try:
            wait_for(url + "/api/v2/heartbeat", 90)
            for size in sizes:
                corpus = CORPORA / f"gen-{size}" / "articles"
                ours = STORES / f"ours-{size}"
                if not corpus.exists() or not ours.exists():
                    continue
                info = json.loads((CORPORA / f"gen-{size}" / "corpus.json").read_text())
                collection = f"bench{size}"
                entry: dict = {}
                server_info["sizes"][str(size)] = entry
                common = {"index_dir": str(CORPORA / "unused"), "chroma_url": url, "collection": collection}
                env = {"ASSISTANT_SNAPSHOT_CACHE": str(cache)}  # not the user's ~/.cache
                entry["index"] = self.work("index", {**common, "corpus": str(corpus), "vectors_from": str(ours)},
                                           f"server index {size} (vectors reused)", env=env, timeout=7200)
                entry["incremental"] = self.work("incremental", {
                    **common, "corpus": str(corpus), "extra": str(CORPORA / f"gen-{size}" / "extra"),
                    "n_extra": max(1, info["articles"] // 100), "next_index": info["next_index"],
                    "seed": self.opts.seed}, f"server incremental {size}", env=env)
                entry["query"] = self.work("query", {**common, "n_queries": self.opts.queries or None},
                                           f"server queries {size}", env=env)
                entry["server_rss_mb"] = proc_mem(server.pid)
                self.save()
        finally:
            server_info["server_peak_mb"] = proc_mem(server.pid, "VmHWM")
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
            shutil.rmtree(data, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(CORPORA / "unused", ignore_errors=True)

    def run_quality(self) -> None:
        quality: dict = {}
        self.results["quality"] = quality
        tmp = CORPORA / "tmp"
        backends = ["auto"] if self.opts.quick else ["auto", "torch", "onnx-int8"]
        for backend in backends:
            quality[f"ours ({backend})"] = self.work("eval", {
                "system": "ours", "backend": backend, "store": str(tmp / f"eval-ours-{backend}"),
                "out": str(self.out / f"eval-ours-{backend}")}, f"gold eval ours ({backend})")
        if not self.opts.no_baseline:
            quality["baseline"] = self.work("eval", {
                "system": "baseline", "store": str(tmp / "eval-baseline"), "out": str(self.out / "eval-baseline")},
                "gold eval baseline")
        shutil.rmtree(tmp, ignore_errors=True)
        self.save()

    def run_real(self) -> None:
        """Real news (../shared/news-dev): index ratio vs plain, warm answers, profile, cold start."""
        from bench import real

        try:
            self.results["real"] = real.run(self.log, fresh=self.opts.fresh)
        except Exception as exc:  # one failed part must not lose the generated-corpus figures
            self.results["errors"].append({"phase": "real news", "tail": f"{type(exc).__name__}: {exc}"[-2000:]})
            self.log(f"real news FAILED: {exc}")
        self.save()

    def run_embedding_sample(self, corpus: Path) -> None:
        backends = ["torch", "onnx", "onnx-int8"]
        self.results["embedding_sample"] = self.work("embed_sample", {
            "corpus": str(corpus), "n": self.opts.sample, "rounds": self.opts.rounds, "backends": backends},
            f"embedding throughput sample ({self.opts.sample} chunks x {self.opts.rounds} rounds)")
        self.save()

    def run(self) -> None:
        sizes = self.opts.sizes
        self.log(f"sizes {sizes}; results in {self.out}")
        self.run_quality()
        if not self.opts.no_real:
            self.run_real()
        for size in sizes:
            self.run_size(size)
        sample_size = min([s for s in sizes if s >= 10000] or [max(sizes)])
        self.run_embedding_sample(CORPORA / f"gen-{sample_size}" / "articles")
        if not self.opts.no_server:
            server_sizes = self.opts.server_sizes or [s for s in sizes if s <= 10000] or [min(sizes)]
            self.run_server(server_sizes)
        self.save()
        self.log(f"done in {self.results['total_s']:.0f}s: {self.out / 'report.md'}")


# ================================================================ small helpers
def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = proc_meminfo()
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gb": mem, "python": platform.python_version(),
            "platform": platform.platform(), "loadavg_start": [round(x, 2) for x in os.getloadavg()]}


def proc_meminfo() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None
    return None


def proc_mem(pid: int, field: str = "VmRSS") -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float) -> None:
    deadline = time.time() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        if time.time() > deadline:
            raise RuntimeError(f"{url} did not answer within {seconds:.0f}s")
        time.sleep(0.5)


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes in chunks (comma separated)")
    p.add_argument("--quick", action="store_true", help="1000 chunks, 30 questions, one quality run")
    p.add_argument("--queries", type=int, default=0, help="questions timed per size (0: all 85 gold questions)")
    p.add_argument("--no-baseline", action="store_true", help="skip the LangChain baseline")
    p.add_argument("--no-server", action="store_true", help="skip the Chroma server part")
    p.add_argument("--no-real", action="store_true", help="skip the real-news part (../shared/news-dev; see bench/real.py)")
    p.add_argument("--server-sizes", default="", help="sizes run against the server (default: those <= 10000)")
    p.add_argument("--fresh", action="store_true", help="rebuild every cached store")
    p.add_argument("--reindex-upto", type=int, default=1000, help="stores up to this size are always rebuilt cold")
    p.add_argument("--bulk-backend", default="onnx-int8", help="embedding backend for the largest corpora")
    p.add_argument("--bulk-from", type=int, default=50000, help="sizes from this one use --bulk-backend")
    p.add_argument("--baseline-full-upto", type=int, default=1000,
                   help="baseline stores up to this size are embedded with torch; larger ones get approximated vectors")
    p.add_argument("--sample", type=int, default=256, help="chunks in the embedding-throughput sample")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the embedding sample")
    p.add_argument("--seed", type=int, default=None, help="corpus generator seed")
    p.add_argument("--worker", nargs=2, metavar=("NAME", "ARGS"), help=argparse.SUPPRESS)
    opts = p.parse_args(argv)
    if opts.worker:
        return opts
    from bench.corpus import DEFAULT_SEED

    opts.seed = DEFAULT_SEED if opts.seed is None else opts.seed
    if opts.quick:
        opts.sizes = "1000"
        opts.queries = opts.queries or 30
        opts.rounds = min(opts.rounds, 2)
        opts.sample = min(opts.sample, 128)
    opts.sizes = sorted(int(s) for s in str(opts.sizes).split(",") if s.strip())
    opts.server_sizes = [int(s) for s in opts.server_sizes.split(",") if s.strip()]
    return opts


def main(argv=None) -> None:
    opts = parse_args(argv)
    if opts.worker:
        worker_main(*opts.worker)
        return
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    bench = Bench(opts)
    try:
        bench.run()
    finally:
        bench.save()


if __name__ == "__main__":
    main()
