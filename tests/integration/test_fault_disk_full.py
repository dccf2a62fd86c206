"""Fault: the disk fills while `assistant index` writes (simulated with RLIMIT_FSIZE on the indexing process).

The real CLI indexes the seeds, then sixty more articles under a file-size limit a little above
the store's current size, so its writes fail part-way. The run must end with a message that says
the disk is full (exit code 2, no traceback); the store must still answer the same question with
the same text and citations; and the next run, with space, must finish with exactly one copy of
every live chunk and nothing pending.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from synthetic import synthetic_articles

from assistant.index.manifest import ManifestStore
from assistant.index.store import chunk_collection, open_client, store_problem
from assistant.retrieve.corpus import live_ids

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
QUESTION = "What did Peskov say about Yoon's remarks?"
HEADROOM = 2_000_000  # bytes the limited run may add to its largest file: less than 60 articles need
ENV = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}


def _cli(index_dir: Path, *args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    def cap() -> None:  # in the child only: every file it writes stops growing at `limit` bytes
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "assistant.cli", "--index-dir", str(index_dir), *args],
                          cwd=REPO, env=ENV, capture_output=True, text=True, timeout=500,
                          preexec_fn=cap if limit else None)


def _ask(index_dir: Path) -> dict:
    done = _cli(index_dir, "ask", "--json", QUESTION)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    data = json.loads(done.stdout)
    return {"text": data["text"], "citations": [(c["source"], c["start"], c["end"]) for c in data["citations"]]}


def test_a_full_disk_stops_indexing_clearly_keeps_the_old_index_and_the_next_run_finishes(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted((REPO / "seeds").glob("*.txt")):
        shutil.copy2(path, corpus / path.name)
    index_dir = tmp_path / "index"
    done = _cli(index_dir, "index", "--quiet", str(corpus))
    assert done.returncode == 0, done.stderr[-2000:]
    before = _ask(index_dir)
    assert before["citations"]

    for name, text in synthetic_articles(60).items():
        (corpus / name).write_text(text, encoding="utf-8")
    largest = max(p.stat().st_size for p in index_dir.rglob("*") if p.is_file())
    full = _cli(index_dir, "index", "--quiet", str(corpus), limit=largest + HEADROOM)
    assert full.returncode == 2, full.stdout + full.stderr[-3000:]
    assert "Traceback" not in full.stderr
    assert "error: The disk is full" in full.stderr, full.stderr[-3000:]
    assert "still answers" in full.stderr and "assistant index" in full.stderr

    assert store_problem(index_dir) is None, store_problem(index_dir)
    assert _ask(index_dir) == before, "the index answered differently after the failed run"

    done = _cli(index_dir, "index", "--quiet", str(corpus))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "65 articles" in done.stdout, done.stdout

    client = open_client(index_dir)
    manifest = ManifestStore(client, "articles").load()
    assert len(manifest.articles) == 65 and manifest.pending == [] and manifest.garbage == []
    collection = chunk_collection(client, "articles")
    expected = sorted(cid for _s, _h, ids in live_ids(manifest) for cid in ids)
    stored = collection.get(include=[])["ids"]
    assert len(stored) == len(set(stored)) == collection.count(), "a chunk is stored twice"
    assert sorted(stored) == expected, "a chunk is missing, or one of the failed run survived as an orphan"
    got = collection.get(ids=expected[:50], include=["documents", "metadatas"])
    for text, meta in zip(got["documents"], got["metadatas"]):  # chunks are still exact slices of their files
        assert (corpus / meta["source"]).read_text(encoding="utf-8")[meta["start"]:meta["end"]] == text
