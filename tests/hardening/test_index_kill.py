"""kill -9 at random moments of `assistant index`: the previous index always answers; a rerun converges.

The real CLI indexes a few hundred articles (recombined deterministically from the seeds, names
and numbers swapped), plus two edited seeds and one deleted seed, in a child process that is
SIGKILLed at seeded-random delays, again and again. After every kill the store is opened afresh
(a new Chroma client and a new Assistant, as a restarted reader would) and must be undamaged,
consistent (every served chunk belongs to a live manifest entry, every live entry is served
whole) and still answer the Peskov question from 002. A final uninterrupted run must leave
exactly one copy of each chunk: the collection equals the manifest, nothing pending or garbage.
"""

from __future__ import annotations

import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.index.manifest import ManifestStore
from assistant.index.store import chunk_collection, open_client, store_problem
from assistant.ingest.chunk import chunk_id
from assistant.ingest.parse import content_hash
from assistant.pipeline import Assistant
from assistant.retrieve.corpus import LiveCorpus
from assistant.settings import Settings
from hardening_support import PESKOV, REPO, S002, S004, close_client, copy_seeds, synthetic_articles

pytestmark = [pytest.mark.slow, pytest.mark.integration]

N_ARTICLES = 300
KILLS = 5
SEED = 6
ENV = dict(os.environ)
for _key in ("ASSISTANT_CHROMA_URL", "ASSISTANT_COLLECTION", "ASSISTANT_INDEX_DIR"):
    ENV.pop(_key, None)
ENV["ASSISTANT_INDEX_COMMIT_CHUNKS"] = "256"  # several commit groups per run, so kills land between them
SUMMARY = re.compile(r"(\d+) articles, (\d+) chunks in the index.*\((\d+) chunks embedded")


def _cli(index_dir: Path, corpus: Path) -> list[str]:
    return [sys.executable, "-m", "assistant.cli", "--index-dir", str(index_dir), "index", "--quiet", str(corpus)]


def _run(index_dir: Path, corpus: Path) -> tuple[int, int, int]:
    done = subprocess.run(_cli(index_dir, corpus), cwd=REPO, env=ENV, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]
    match = SUMMARY.search(done.stdout)
    assert match, done.stdout
    return tuple(int(x) for x in match.groups())  # articles, chunks, chunks embedded by this run


def _killed_run(index_dir: Path, corpus: Path, after: int, delay: float) -> bool:
    """Run the CLI with -v; SIGKILL it `delay` s after its `after`-th progress line; False if it finished first.

    Progress lines (`assistant -v index`): "embedding N articles" before a group is embedded,
    "committed N articles" once the manifest names it. Line 1 is the first "embedding", so a
    kill after it lands mid-embedding or mid-upsert (orphan chunks, pending in the manifest),
    and later ones just after a commit (garbage not yet deleted) or in a later group.
    """
    cmd = _cli(index_dir, corpus)
    cmd.insert(cmd.index("index"), "-v")
    proc = subprocess.Popen(cmd, cwd=REPO, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr] + [lines.put(None)], daemon=True).start()
    seen = 0
    try:
        while True:
            line = lines.get(timeout=300)
            if line is None:
                break
            if re.match(r"^(embedding|committed) \d+ articles", line):
                seen += 1
                if seen == after:
                    time.sleep(delay)
                    proc.send_signal(signal.SIGKILL)
                    proc.wait(timeout=30)
                    return proc.returncode == -signal.SIGKILL
        proc.wait(timeout=60)
        assert proc.returncode == 0
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def _state(index_dir: Path) -> dict:
    """Open the store as a fresh reader would and check it is whole."""
    assert store_problem(index_dir) is None, store_problem(index_dir)
    client = open_client(index_dir)
    try:
        manifest = ManifestStore(client, "articles").load()
        collection = chunk_collection(client, "articles")
        snap = LiveCorpus(client, "articles").snapshot()
        for cid, meta in zip(snap.ids, snap.metadatas):
            assert manifest.is_live(meta["source"], meta["article_hash"]), cid
        expected = {chunk_id(s, e.hash, i) for s, e in manifest.articles.items() for i in range(e.chunks)}
        assert set(snap.ids) == expected, "an article is served in part"
        stored = collection.get(include=[])["ids"]
        return {"version": manifest.version, "articles": {s: e.hash for s, e in manifest.articles.items()},
                "expected": expected, "stored": stored, "count": collection.count(),
                "chunk_count": manifest.chunk_count, "pending": manifest.pending, "garbage": manifest.garbage}
    finally:
        close_client(client)


def _answers_peskov(index_dir: Path, embeddings) -> None:
    bot = Assistant(Settings(index_dir=index_dir, corpus_dir=index_dir / "no-corpus", chroma_url=None))
    bot._embeddings = embeddings
    try:
        answer = bot.answer(PESKOV)
    finally:
        close_client(bot)
    assert not answer.abstained and S002 in {c.source for c in answer.citations}, answer.text[:300]


def test_repeated_kill_9_keeps_the_previous_index_and_a_rerun_converges(tmp_path, real_embeddings):
    index_dir, corpus = tmp_path / "index", copy_seeds(tmp_path / "corpus")
    seeds = {p.name: content_hash(p.read_text(encoding="utf-8")) for p in corpus.iterdir()}
    articles, chunks, _ = _run(index_dir, corpus)
    assert articles == 5
    base = _state(index_dir)
    _answers_peskov(index_dir, real_embeddings)

    # A big change: a few hundred new articles, two edited seeds, one deleted seed.
    for name, text in synthetic_articles(N_ARTICLES).items():
        (corpus / name).write_text(text, encoding="utf-8")
    names = sorted(seeds)
    for name in names[:2]:
        with open(corpus / name, "a", encoding="utf-8") as f:
            f.write("\nOfficials declined to comment on the report. A spokesperson said talks would continue.\n")
    (corpus / names[3]).unlink()
    final = {p.name: content_hash(p.read_text(encoding="utf-8")) for p in corpus.iterdir()}

    rng = random.Random(SEED)
    kills, history, previous = 0, [], base
    for _ in range(KILLS):
        after, delay = rng.randint(1, 4), rng.uniform(0.0, 1.5)
        kills += _killed_run(index_dir, corpus, after, delay)
        state = _state(index_dir)
        assert state["version"] >= previous["version"]
        for name in (S002, S004):  # untouched articles are never lost
            assert state["articles"][name] == seeds[name]
        for name, digest in state["articles"].items():  # every live version is the old or the new one
            assert digest in (seeds.get(name), final.get(name)), name
        _answers_peskov(index_dir, real_embeddings)
        history.append((after, round(delay, 2), len(state["articles"]), len(state["stored"]) - len(state["expected"])))
        previous = state
    assert kills >= KILLS - 1, history
    assert len(previous["articles"]) > len(base["articles"]), f"the killed runs made no progress: {history}"

    articles, chunks, _ = _run(index_dir, corpus)
    done = _state(index_dir)
    assert done["pending"] == [] and done["garbage"] == []
    assert done["articles"] == final and articles == len(final) == N_ARTICLES + 4
    assert len(done["stored"]) == len(set(done["stored"])) == done["count"]
    assert set(done["stored"]) == done["expected"], "orphan chunks of a killed run were left behind"
    assert done["count"] == done["chunk_count"] == chunks
    _answers_peskov(index_dir, real_embeddings)

    again = _run(index_dir, corpus)
    assert again == (articles, chunks, 0)  # converged: nothing left to do
    print(f"\nkill -9 survived: {kills} (after progress line, delay s, live articles, unserved chunks): {history}; "
          f"final {articles} articles, {chunks} chunks, collection {done['count']}")
