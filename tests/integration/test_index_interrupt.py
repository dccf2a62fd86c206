"""A killed indexing run leaves the last committed index answering; the next run converges.

The indexing runs happen in subprocesses (SIGKILL needs a process to kill) with slowed-down
fake embeddings, so the kill lands reliably mid-run; each check opens the store in a fresh
process, as a reader would after a crash.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from assistant.index.indexer import Indexer
from assistant.index.manifest import ManifestStore
from assistant.index.store import chunk_collection, open_client
from assistant.ingest.chunk import chunk_id
from assistant.ingest.parse import content_hash
from assistant.retrieve.corpus import LiveCorpus

from synthetic import synthetic_articles  # tests/synthetic.py (tests/ is on sys.path via its conftest)

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
TESTS = REPO / "tests"
S000 = "000_b84748c9215d69a7.txt"
S001 = "001_445fc04b6ebb3d77.txt"
S002 = "002_82abdcb3608312cc.txt"
S003 = "003_ccf18b69091e7c81.txt"
S004 = "004_32c6785b4f59bc36.txt"
PESKOV_QUERY = "Peskov oppose this approach Yoon North or South Korea"

HELPER = textwrap.dedent(r'''
    import json, sys, time
    sys.path.insert(0, sys.argv[1])
    from conftest import FakeEmbeddings
    import assistant.index.indexer as indexer_mod
    from assistant.index.manifest import ManifestStore
    from assistant.settings import Settings

    mode, index_dir = sys.argv[2], sys.argv[3]
    settings = Settings(index_dir=index_dir)

    if mode == "index":
        corpus, pause, every = sys.argv[4], float(sys.argv[5]), int(sys.argv[6])
        indexer_mod._COMMIT_EVERY_CHUNKS = every
        calls = [0]

        class Slow(FakeEmbeddings):
            def embed_documents(self, texts):
                calls[0] += 1
                print(f"embed-start {calls[0]} {len(texts)}", flush=True)
                time.sleep(pause)
                out = super().embed_documents(texts)
                print(f"embed-done {calls[0]}", flush=True)
                return out

        commits = [0]
        original_commit = ManifestStore.commit

        def commit(self, manifest):
            original_commit(self, manifest)
            commits[0] += 1
            print(f"commit {commits[0]} pending={len(manifest.pending)} garbage={len(manifest.garbage)}", flush=True)
            if manifest.garbage and not manifest.pending:
                time.sleep(pause / 2)  # old versions released by the manifest, not yet deleted

        ManifestStore.commit = commit
        indexer = indexer_mod.Indexer(settings, embeddings=Slow(), progress=False)
        upserts = [0]
        original_upsert = indexer.collection.upsert

        def upsert(**kwargs):
            original_upsert(**kwargs)
            upserts[0] += 1
            print(f"upserted {upserts[0]}", flush=True)
            time.sleep(pause / 2)  # chunks written, manifest not yet naming them

        indexer.collection.upsert = upsert
        report = indexer.index([corpus])
        print("REPORT " + json.dumps({
            "added": report.added, "updated": report.updated, "unchanged": report.unchanged,
            "removed": report.removed, "warnings": report.warnings, "duplicates": report.duplicates,
            "chunks_written": report.chunks_written, "chunks": report.chunks, "articles": report.articles,
        }), flush=True)
    else:
        from assistant.index.store import chunk_collection, open_client
        from assistant.retrieve.corpus import LiveCorpus
        from assistant.retrieve.hybrid import HybridRetriever

        client = open_client(settings.index_dir)
        manifest = ManifestStore(client, settings.collection).load()
        collection = chunk_collection(client, settings.collection)
        every = collection.get(include=["metadatas"])
        corpus = LiveCorpus(client, settings.collection)
        snap = corpus.snapshot()
        _, hits = HybridRetriever.from_settings(corpus, FakeEmbeddings(), settings).retrieve(sys.argv[4])
        records = client.get_collection(settings.collection + "-manifest").count()
        print("CHECK " + json.dumps({
            "version": manifest.version, "pending": manifest.pending, "garbage": manifest.garbage,
            "articles": {s: [e.hash, e.chunks] for s, e in manifest.articles.items()},
            "snapshot": [[cid, m["source"], m["article_hash"]] for cid, m in zip(snap.ids, snap.metadatas)],
            "collection": [[cid, (m or {}).get("source"), (m or {}).get("article_hash")]
                           for cid, m in zip(every["ids"], every["metadatas"])],
            "count": collection.count(), "manifest_records": records,
            "retrieved": [c.source for c in hits],
        }), flush=True)
''')

def _helper(tmp_path: Path) -> Path:
    path = tmp_path / "index_helper.py"
    if not path.exists():
        path.write_text(HELPER, encoding="utf-8")
    return path


def _env() -> dict:
    env = dict(os.environ)
    env.pop("ASSISTANT_CHROMA_URL", None)
    env.pop("ASSISTANT_COLLECTION", None)
    return env


def _index_run(tmp_path, index_dir, corpus, pause=0.0, every=64, kill_when=None, kill_delay=0.0,
               timeout=240) -> dict | None:
    """Run the indexer in a subprocess; with kill_when, SIGKILL it once a progress line matches."""
    proc = subprocess.Popen(
        [sys.executable, str(_helper(tmp_path)), str(TESTS), "index", str(index_dir), str(corpus), str(pause),
         str(every)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(),
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout] + [lines.put(None)], daemon=True).start()
    deadline = time.monotonic() + timeout
    seen = []
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"indexer subprocess timed out; output so far: {seen[-10:]}")
            if line is None:
                break
            seen.append(line.strip())
            if kill_when and re.search(kill_when, line):
                if kill_delay:
                    time.sleep(kill_delay)
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=30)
                assert proc.returncode == -signal.SIGKILL, f"the run ended before the kill: {seen[-5:]}"
                return None
        proc.wait(timeout=30)
        assert proc.returncode == 0, proc.stderr.read()[-3000:]
        if kill_when:
            pytest.fail(f"the run finished before {kill_when!r} was seen: {seen[-5:]}")
        report = [line for line in seen if line.startswith("REPORT ")]
        return json.loads(report[-1][len("REPORT "):])
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def _check(tmp_path, index_dir) -> dict:
    done = subprocess.run(
        [sys.executable, str(_helper(tmp_path)), str(TESTS), "check", str(index_dir), PESKOV_QUERY],
        cwd=REPO, capture_output=True, text=True, timeout=180, env=_env(),
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = [ln for ln in done.stdout.splitlines() if ln.startswith("CHECK ")][-1]
    return json.loads(line[len("CHECK "):])


def _expected_ids(articles: dict) -> set[str]:
    return {chunk_id(src, h, i) for src, (h, n) in articles.items() for i in range(n)}


def _assert_consistent(state: dict, seed_hashes: dict) -> None:
    """What a reader sees after a crash: a whole, committed index and nothing else."""
    articles = state["articles"]
    served = {cid for cid, _, _ in state["snapshot"]}
    # Every served chunk belongs to a live manifest entry ...
    for cid, source, digest in state["snapshot"]:
        assert source in articles and articles[source][0] == digest, (cid, source)
    # ... and every live entry is served whole: no partially present article.
    assert served == _expected_ids(articles)
    stored = {cid for cid, _, _ in state["collection"]}
    assert served <= stored
    assert state["manifest_records"] == 1
    # The untouched seeds are still answering.
    for name in (S002, S004):
        assert articles[name][0] == seed_hashes[name]
    assert S002 in state["retrieved"][:6], state["retrieved"]


def test_killed_runs_leave_a_consistent_index_and_the_next_run_converges(tmp_path):
    index_dir = tmp_path / "index"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        shutil.copy2(path, corpus / path.name)
    seed_hashes = {p.name: content_hash(p.read_text(encoding="utf-8")) for p in corpus.iterdir()}

    first = _index_run(tmp_path, index_dir, corpus)
    assert len(first["added"]) == 5 and first["articles"] == 5
    base = _check(tmp_path, index_dir)
    _assert_consistent(base, seed_hashes)
    assert base["count"] == first["chunks"]

    # A big change: 150 new articles, two edited seeds and one deleted seed.
    synthetic = synthetic_articles(150)
    assert len({content_hash(t) for t in synthetic.values()}) == 150
    for name, text in synthetic.items():
        (corpus / name).write_text(text, encoding="utf-8")
    for name in (S000, S001):
        path = corpus / name
        path.write_text(path.read_text(encoding="utf-8") + "\nOfficials declined to comment on the report. "
                        "A spokesperson said talks would continue.\n", encoding="utf-8")
    (corpus / S003).unlink()
    final_hashes = {p.name: content_hash(p.read_text(encoding="utf-8")) for p in corpus.iterdir()}

    # Kill it at different moments: with a group's chunks written but not yet named by the
    # manifest; just after the commit that turns the edited seeds' old versions into garbage
    # (their chunks are being deleted); while a later group is embedded; right after embedding.
    kills = [r"^upserted 1$", r"^commit \d+ pending=0 garbage=[1-9]", r"^embed-start 3 ", r"^embed-done 2$"]
    states = []
    for pattern in kills:
        assert _index_run(tmp_path, index_dir, corpus, pause=0.4, kill_when=pattern) is None
        state = _check(tmp_path, index_dir)
        _assert_consistent(state, seed_hashes)
        assert state["version"] > (states[-1] if states else base)["version"]
        states.append(state)
    # 1st kill: no group of that run was committed. The old versions of the edited seeds still
    # answer; the written chunks are orphans nobody serves, announced as pending.
    first_kill = states[0]
    for name in (S000, S001):
        assert first_kill["articles"][name][0] == seed_hashes[name] != final_hashes[name]
    assert first_kill["pending"] and first_kill["count"] > len(first_kill["snapshot"])
    # 2nd kill: the new versions are live; the old ones are garbage, not served, maybe not yet deleted.
    second_kill = states[1]
    assert second_kill["garbage"] and not second_kill["pending"]
    for name in (S000, S001):
        assert second_kill["articles"][name][0] == final_hashes[name]
    assert second_kill["count"] > len(second_kill["snapshot"])
    # Later killed runs still made progress.
    assert len(states[1]["articles"]) < len(states[2]["articles"]) < len(states[3]["articles"])

    # The next run finishes the job.
    report = _index_run(tmp_path, index_dir, corpus)
    assert not report["warnings"], report["warnings"]
    assert report["articles"] == len(final_hashes) == 154
    final = _check(tmp_path, index_dir)
    _assert_consistent(final, seed_hashes)
    assert final["pending"] == [] and final["garbage"] == []
    assert {s: h for s, (h, _) in final["articles"].items()} == final_hashes
    assert S003 not in final["articles"]
    expected = _expected_ids(final["articles"])
    stored = [cid for cid, _, _ in final["collection"]]
    assert len(stored) == len(set(stored)) == final["count"]
    assert set(stored) == expected  # no orphan chunk of a killed run is left behind
    assert final["count"] == sum(n for _, n in final["articles"].values()) == report["chunks"]
    assert len(final["snapshot"]) == final["count"]
    for cid, source, digest in final["collection"]:
        assert final["articles"][source][0] == digest, cid

    # Converged: one more run has nothing to do.
    again = _index_run(tmp_path, index_dir, corpus)
    assert len(again["unchanged"]) == 154 and again["chunks_written"] == 0 and not again["removed"]


class _ExplodingEmbeddings:
    """Fake embeddings that fail on the n-th batch, like a run interrupted mid-embedding."""

    model_id = "all-MiniLM-L6-v2"

    def __init__(self, inner, fail_on: int):
        self.inner, self.fail_on, self.calls = inner, fail_on, 0

    def embed_documents(self, texts):
        self.calls += 1
        if self.calls == self.fail_on:
            raise KeyboardInterrupt("simulated interrupt")
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_interrupt_in_process_keeps_the_previous_index(settings, seeds_copy, fake_embeddings, monkeypatch):
    import assistant.index.indexer as indexer_mod

    first = Indexer(settings, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    client = open_client(settings.index_dir)
    corpus = LiveCorpus(client, settings.collection)
    before = set(corpus.snapshot().ids)

    for name, text in synthetic_articles(30).items():
        (seeds_copy / name).write_text(text, encoding="utf-8")
    path = seeds_copy / S002
    path.write_text(path.read_text(encoding="utf-8") + "\nThe Kremlin said nothing more on Friday.\n", encoding="utf-8")
    monkeypatch.setattr(indexer_mod, "_COMMIT_EVERY_CHUNKS", 16)
    exploding = _ExplodingEmbeddings(fake_embeddings, fail_on=2)
    with pytest.raises(KeyboardInterrupt):
        Indexer(settings, embeddings=exploding, progress=False).index([seeds_copy])

    manifest = ManifestStore(client, settings.collection).load()
    assert manifest.pending, "the interrupted group is still announced as pending"
    snap = corpus.snapshot()
    assert set(snap.ids) == _expected_ids({s: [e.hash, e.chunks] for s, e in manifest.articles.items()})
    assert len(snap.ids) >= len(before) - 10
    assert set(snap.by_source) >= {S000, S001, S003, S004}

    report = Indexer(settings, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    manifest = ManifestStore(client, settings.collection).load()
    assert manifest.pending == [] and manifest.garbage == []
    assert len(manifest.articles) == 35 and report.articles == 35
    collection = chunk_collection(client, settings.collection)
    assert set(collection.get(include=[])["ids"]) == _expected_ids(
        {s: [e.hash, e.chunks] for s, e in manifest.articles.items()})
    assert collection.count() == manifest.chunk_count > first.chunks
