"""A damaged or missing store gives a clear message, never a crash, a traceback or silently wrong answers.

Chroma opens its files lazily: a truncated or garbled chroma.sqlite3 fails at open, a garbled
HNSW file can crash the process on the first read (SIGSEGV in the native reader), and a deleted
segment folder makes Chroma quietly answer from the few vectors still in its write log. The
store is therefore checked before Chroma reads it (assistant/index/store.py: check_store), and
store failures met later become IndexCorruptError, whose message says how to recover:

    assistant index --rebuild [PATH ...]

which builds a complete new index beside the damaged one and swaps it in. A store that is
simply missing is rebuilt from the corpus folder on first use, with a note saying so.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assistant.errors import IndexCorruptError, IndexMissingError
from assistant.index.indexer import Indexer
from assistant.index.store import open_client, store_problem
from assistant.pipeline import Assistant
from assistant.settings import Settings
from hardening_support import PESKOV, REPO, S002, close_client, copy_seeds

pytestmark = [pytest.mark.slow, pytest.mark.integration]

REBUILD = "assistant index --rebuild"


def _vector_segment(index_dir: Path, collection: str = "articles") -> Path:
    con = sqlite3.connect(f"file:{index_dir / 'chroma.sqlite3'}?mode=ro", uri=True)
    try:
        (segment,) = con.execute(
            "SELECT s.id FROM segments s JOIN collections c ON c.id = s.collection "
            "WHERE c.name = ? AND s.scope = 'VECTOR'", (collection,)).fetchone()
        flushed = con.execute("SELECT seq_id FROM max_seq_id WHERE segment_id = ?", (segment,)).fetchone()
    finally:
        con.close()
    assert flushed and flushed[0], "the test store must hold vectors in its HNSW files, not only in the log"
    return index_dir / segment


@pytest.fixture(scope="module")
def built(tmp_path_factory, real_embeddings):
    """The seeds indexed with the real model into a store whose vectors are flushed to HNSW files."""
    root = tmp_path_factory.mktemp("store")
    corpus = copy_seeds(root / "corpus")
    settings = Settings(index_dir=root / "index", data_dir=root / "data", corpus_dir=corpus, chroma_url=None)
    client = open_client(settings.index_dir)
    # Flush to the HNSW files after 10 vectors (Chroma's default is 1000), so 36 chunks suffice.
    client.get_or_create_collection("articles", embedding_function=None, configuration={
        "hnsw": {"space": "cosine", "batch_size": 10, "sync_threshold": 10}})
    Indexer(settings, client=client, embeddings=real_embeddings, progress=False).index([corpus])
    close_client(client)
    _vector_segment(settings.index_dir)
    assert store_problem(settings.index_dir) is None
    return settings


def _garble(path: Path, seed: int = 7) -> None:
    path.write_bytes(random.Random(seed).randbytes(path.stat().st_size))


DAMAGE = {
    "sqlite-truncated": lambda d, seg: os.truncate(d / "chroma.sqlite3", 4096),
    "sqlite-half": lambda d, seg: os.truncate(d / "chroma.sqlite3", (d / "chroma.sqlite3").stat().st_size // 2),
    "sqlite-garbled": lambda d, seg: _overwrite(d / "chroma.sqlite3", 4096, 65536),
    "sqlite-deleted": lambda d, seg: (d / "chroma.sqlite3").unlink(),
    "segment-deleted": lambda d, seg: shutil.rmtree(seg),
    "segment-emptied": lambda d, seg: [p.unlink() for p in seg.iterdir()],
    "hnsw-garbled": lambda d, seg: _garble(seg / "data_level0.bin"),
    "hnsw-truncated": lambda d, seg: os.truncate(seg / "data_level0.bin", 1000),
    "hnsw-header-garbled": lambda d, seg: _garble(seg / "header.bin"),
    "hnsw-links-garbled": lambda d, seg: _garble(seg / "link_lists.bin"),
    "hnsw-idmap-garbled": lambda d, seg: (seg / "index_metadata.pickle").write_bytes(b"\x80\x04garbage"),
    "hnsw-idmap-deleted": lambda d, seg: (seg / "index_metadata.pickle").unlink(),
}
# Chroma only fails on the first read for these (an in-process read of the others could crash).
LAZY = {"hnsw-idmap-garbled"}


def _overwrite(path: Path, start: int, length: int) -> None:
    with open(path, "r+b") as f:
        f.seek(start)
        f.write(random.Random(3).randbytes(length))


def _damaged(built, tmp_path: Path, kind: str) -> Settings:
    target = tmp_path / kind
    shutil.copytree(built.index_dir, target)
    DAMAGE[kind](target, target / _vector_segment(built.index_dir).name)
    return built.model_copy(update={"index_dir": target})


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damage_is_reported_before_or_at_the_first_read(built, tmp_path, kind, real_embeddings):
    settings = _damaged(built, tmp_path, kind)
    if kind not in LAZY:
        if kind.startswith(("hnsw-", "segment-")):
            # Detected before Chroma reads the vector files (so no native crash is possible).
            assert store_problem(settings.index_dir), f"{kind} not detected"
        with pytest.raises(IndexCorruptError, match="assistant index --rebuild"):
            open_client(settings.index_dir)
    bot = Assistant(settings)
    bot._embeddings = real_embeddings
    try:
        with pytest.raises(IndexCorruptError) as err:
            bot.answer(PESKOV)
        assert REBUILD in str(err.value) and str(settings.index_dir) in str(err.value)
        with pytest.raises(IndexCorruptError):  # and again: no half-open state answers later
            bot.answer(PESKOV)
    finally:
        close_client(bot)
    if kind not in LAZY and kind.startswith(("hnsw-", "segment-")):
        assert store_problem(settings.index_dir), "the damage was papered over by opening the store"


CLI_PROBE = textwrap.dedent(r'''
    import contextlib, io, json, sys
    from assistant.cli import main
    for index_dir in sys.argv[2:]:
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()) as out:
            code = main(["--index-dir", index_dir, "ask", sys.argv[1]])
        print("CASE " + json.dumps({"dir": index_dir, "code": code, "stderr": err.getvalue(),
                                    "stdout": out.getvalue()}), flush=True)
''')


def test_cli_reports_every_damage_with_exit_code_2_and_no_traceback(built, tmp_path):
    """All damaged stores through the real CLI entry point, in a child process (a crash would show)."""
    dirs = [str(_damaged(built, tmp_path, kind).index_dir) for kind in sorted(DAMAGE)]
    done = subprocess.run([sys.executable, "-c", CLI_PROBE, PESKOV, *dirs], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "ASSISTANT_CORPUS_DIR": str(tmp_path / "none")})
    assert done.returncode == 0, f"the CLI process died ({done.returncode}): {done.stderr[-2000:]}"
    cases = [json.loads(line[5:]) for line in done.stdout.splitlines() if line.startswith("CASE ")]
    assert len(cases) == len(dirs), done.stdout[-2000:]
    for case in cases:
        kind = Path(case["dir"]).name
        assert case["code"] == 2, (kind, case)
        assert case["stderr"].startswith("error: "), (kind, case["stderr"])
        assert REBUILD in case["stderr"] and "Traceback" not in case["stderr"], (kind, case["stderr"])
        assert case["stdout"] == "", (kind, case["stdout"])


def test_missing_store_is_rebuilt_from_the_corpus_with_a_note(built, tmp_path, real_embeddings):
    settings = built.model_copy(update={"index_dir": tmp_path / "never_built"})
    bot = Assistant(settings)
    bot._embeddings = real_embeddings
    try:
        answer = bot.answer(PESKOV)
    finally:
        close_client(bot)
    assert any(note.startswith("Built the index from") for note in answer.notes)
    assert S002 in {c.source for c in answer.citations}

    nowhere = built.model_copy(update={"index_dir": tmp_path / "empty", "corpus_dir": tmp_path / "no_corpus"})
    bot = Assistant(nowhere)
    try:
        with pytest.raises(IndexMissingError, match="assistant index PATH"):
            bot.answer(PESKOV)
    finally:
        close_client(bot)


def test_rebuild_recovers_a_damaged_store(built, tmp_path, real_embeddings):
    """The documented recovery, run as a user would: `assistant index --rebuild PATH`."""
    settings = _damaged(built, tmp_path, "hnsw-garbled")
    (settings.index_dir / "README.md").write_text("kept across a rebuild\n")
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "--index-dir", str(settings.index_dir), "index", "--rebuild",
         "--quiet", str(built.corpus_dir)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "5 articles" in done.stdout and "added 5" in done.stdout
    assert store_problem(settings.index_dir) is None
    assert (settings.index_dir / "README.md").read_text() == "kept across a rebuild\n"
    left = [p for p in settings.index_dir.parent.glob(f".{settings.index_dir.name}.*") if p.is_dir()]
    assert not left, "staging folders left"  # (the writer's lock file beside the index stays, by design)
    bot = Assistant(settings)
    bot._embeddings = real_embeddings
    try:
        answer = bot.answer(PESKOV)
        assert not answer.abstained and not any(n.startswith("Built the index") for n in answer.notes)
        assert S002 in {c.source for c in answer.citations}
        assert "We oppose this approach" in " ".join(c.quote for c in answer.citations)
    finally:
        close_client(bot)
