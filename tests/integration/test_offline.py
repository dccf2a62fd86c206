"""Offline: the assistant indexes and answers with every proxy pointing at a dead end, sets its
own offline switches, and never lets Chroma embed anything by itself."""

from __future__ import annotations

import ast
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGE = REPO / "assistant"
S002 = "002_82abdcb3608312cc.txt"
OFFLINE_VARS = ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY", "ANONYMIZED_TELEMETRY",
                "CHROMA_TELEMETRY", "GRADIO_ANALYTICS_ENABLED", "DO_NOT_TRACK"]


class _ConnectionTrap:
    """A loopback listener used as the proxy: any connection to it is a network attempt."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.hits += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def _offline_env(proxy: str) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in OFFLINE_VARS and not k.lower().endswith("_proxy") and not k.startswith("ASSISTANT_")}
    for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        env[key] = proxy
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    return env


@pytest.mark.slow
@pytest.mark.integration
def test_index_and_ask_with_no_network(tmp_path, seeds_copy):
    index_dir = tmp_path / "index"
    # Indexing: every proxy at port 9 on loopback, which is closed.
    done = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "--index-dir", str(index_dir), "index", "--quiet", str(seeds_copy)],
        cwd=REPO, env=_offline_env("http://127.0.0.1:9"), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "5 articles" in done.stdout

    # Answering: the proxies point at a trap that counts connections (a closed port would hide
    # attempts that fail quietly, such as telemetry).
    trap = _ConnectionTrap()
    try:
        asked = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "--index-dir", str(index_dir), "ask",
             "What did Peskov say about Yoon's remarks?", "--json"],
            cwd=REPO, env=_offline_env(f"http://127.0.0.1:{trap.port}"), capture_output=True, text=True, timeout=300)
    finally:
        trap.close()
    assert asked.returncode == 0, asked.stderr[-3000:]
    result = json.loads(asked.stdout)
    assert not result["abstained"]
    assert S002 in {c["source"] for c in result["citations"]}
    assert S002 in {r["source"] for r in result["retrieved"]}
    assert trap.hits == 0, f"{trap.hits} connection(s) went to the proxy: something reached for the network"


def test_import_sets_the_offline_switches(tmp_path):
    env = _offline_env("http://127.0.0.1:9")
    env["HF_HUB_OFFLINE"] = "0"  # not negotiable: the package turns it back on
    code = ("import json, os, assistant; print(json.dumps({k: os.environ.get(k) for k in %r}))" % OFFLINE_VARS)
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["HF_HUB_OFFLINE"] == "1"
    assert got["TRANSFORMERS_OFFLINE"] == "1"
    assert got["ANONYMIZED_TELEMETRY"] == "False"
    assert got["GRADIO_ANALYTICS_ENABLED"] == "False"


def test_the_cli_module_sets_the_switches_before_heavy_imports(tmp_path):
    env = _offline_env("http://127.0.0.1:9")
    code = ("import sys, os; import assistant.cli; "
            "heavy = [m for m in ('torch', 'sentence_transformers', 'chromadb', 'gradio') if m in sys.modules]; "
            "print(os.environ['HF_HUB_OFFLINE'], heavy)")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1 []"


def _python_sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_source_never_uses_chromas_embedding_functions():
    sources = _python_sources()
    assert len(sources) > 10
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for banned in ("DefaultEmbeddingFunction", "embedding_functions", "ONNXMiniLM"):
            assert banned not in text, f"{path.relative_to(REPO)} mentions {banned}"


def test_every_collection_lookup_passes_no_embedding_function():
    """get_collection & co. attach chromadb's DefaultEmbeddingFunction unless told otherwise."""
    calls = 0
    for path in _python_sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in {"get_collection", "get_or_create_collection", "create_collection",
                                      "get_collection_by_id"}:
                continue
            calls += 1
            kw = {k.arg: k.value for k in node.keywords}
            assert "embedding_function" in kw, f"{path.relative_to(REPO)}:{node.lineno} leaves the default EF on"
            assert isinstance(kw["embedding_function"], ast.Constant) and kw["embedding_function"].value is None, \
                f"{path.relative_to(REPO)}:{node.lineno}"
    assert calls >= 2


def test_collections_store_no_embedding_function(settings, seeds_copy, fake_embeddings):
    from assistant.index.indexer import Indexer
    from assistant.index.store import MANIFEST_SUFFIX, open_client

    Indexer(settings, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    client = open_client(settings.index_dir)
    for name in (settings.collection, settings.collection + MANIFEST_SUFFIX):
        collection = client.get_collection(name, embedding_function=None)
        assert collection.configuration.get("embedding_function") is None
    chunks = client.get_collection(settings.collection, embedding_function=None)
    assert chunks.configuration["hnsw"]["space"] == "cosine"
    # Adding a document without a vector must fail: nothing may embed behind our back.
    with pytest.raises(Exception):
        chunks.add(ids=["x"], documents=["text without a vector"])
