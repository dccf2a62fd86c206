"""Fault: the Chroma server goes away and comes back (server mode, a real `chroma run`).

While it is down every question fails fast with "the index server at … is not reachable" (the
library, the running chat, the CLI with and without --json); once it is back on the same port and
data folder the same Assistant and the same chat answer again, unchanged, with no restart. An
indexing run that loses the server mid-run stops with the same message, and the next run finishes
with exactly one copy of every chunk.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from chroma_server import ChromaServer, free_port
from synthetic import synthetic_articles

from assistant.errors import IndexServerUnreachableError
from assistant.index.indexer import Indexer
from assistant.index.manifest import ManifestStore
from assistant.index.store import chunk_collection, open_client
from assistant.pipeline import Assistant
from assistant.retrieve.corpus import live_ids

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
QUESTION = "What did Peskov say about Yoon's remarks?"
FAST = 5.0  # seconds within which a question must fail while the server is down
ENV = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}


def _unreachable(text: str, url: str) -> bool:
    return f"the index server at {url} is not reachable" in text.lower()


def _cli(*args: str, url: str, collection: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "assistant.cli", "--chroma-url", url, "--collection", collection, *args]
    return subprocess.run(cmd, cwd=REPO, env=ENV, capture_output=True, text=True, timeout=300)


def _same(a, b) -> None:
    assert a.text == b.text
    assert [(c.source, c.start, c.end) for c in a.citations] == [(c.source, c.start, c.end) for c in b.citations]


@pytest.fixture
def server(tmp_path):
    srv = ChromaServer(tmp_path / "chroma").start()
    yield srv
    srv.stop()


def test_questions_fail_fast_while_down_and_the_same_assistant_and_chat_answer_again(
        server, settings, seeds_copy, real_embeddings):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    from assistant.present.app import serve

    live = settings.model_copy(update={"chroma_url": server.url, "collection": "fault-down",
                                       "host": "127.0.0.1", "port": free_port()})
    bot = Assistant(live)
    bot._embeddings = real_embeddings
    bot.index([seeds_copy], progress=False)
    before = bot.answer(QUESTION)
    assert before.citations and not before.abstained
    demo = serve(live, bot, block=False)
    try:
        chat = Client(f"http://127.0.0.1:{live.port}/", verbose=False, download_files=False, analytics_enabled=False)
        chat_before, _ = chat.predict(QUESTION, [], "", 0, api_name="/ask")
        assert "[1]" in chat_before

        server.stop()
        for ask in (lambda: bot.answer(QUESTION), lambda: list(bot.stream(QUESTION)), bot.status):
            started = time.monotonic()
            with pytest.raises(IndexServerUnreachableError) as err:
                ask()
            assert time.monotonic() - started < FAST
            assert _unreachable(str(err.value), server.url), str(err.value)
        started = time.monotonic()
        with pytest.raises(AppError) as err:
            chat.predict(QUESTION, [], "", 0, api_name="/ask")
        assert time.monotonic() - started < FAST + 5  # the chat's own round trip on top
        assert _unreachable(str(err.value), server.url), str(err.value)

        done = _cli("ask", QUESTION, url=server.url, collection="fault-down")
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert done.stderr.startswith("error: ") and _unreachable(done.stderr, server.url), done.stderr
        done = _cli("ask", "--json", QUESTION, url=server.url, collection="fault-down")
        assert done.returncode == 2 and "Traceback" not in done.stderr
        payload = json.loads(done.stdout)
        assert payload["code"] == 2 and _unreachable(payload["error"], server.url)

        server.start()  # same port, same data folder: a service restart
        _same(bot.answer(QUESTION), before)
        _same([e for e in bot.stream(QUESTION)][-1].answer, before)
        chat_after, _ = chat.predict(QUESTION, [], "", 0, api_name="/ask")
        assert chat_after == chat_before
    finally:
        demo.close()


def test_a_server_that_hangs_is_cut_off_by_the_timeout(server, settings, seeds_copy, fake_embeddings):
    live = settings.model_copy(update={"chroma_url": server.url, "collection": "fault-hang", "chroma_timeout": 2.0})
    bot = Assistant(live)
    bot._embeddings = fake_embeddings
    bot.index([seeds_copy], progress=False)
    before = bot.answer(QUESTION)
    server.proc.send_signal(signal.SIGSTOP)  # accepts connections (the kernel does), never answers
    try:
        started = time.monotonic()
        with pytest.raises(IndexServerUnreachableError) as err:
            bot.answer(QUESTION)
        assert time.monotonic() - started < 2.0 + FAST
        assert _unreachable(str(err.value), server.url)
    finally:
        server.proc.send_signal(signal.SIGCONT)
    _same(bot.answer(QUESTION), before)


class _LosesServer:
    """Embeddings that stop the server while the second commit group is embedded: its writes then fail."""

    def __init__(self, inner, server: ChromaServer):
        self.inner, self.server, self.calls = inner, server, 0
        self.model_id = inner.model_id

    def embed_documents(self, texts):
        self.calls += 1
        if self.calls == 2:
            self.server.stop()
        return self.inner.embed_documents(texts)


def test_an_index_run_that_loses_the_server_stops_clearly_and_the_next_run_finishes(
        server, settings, seeds_copy, fake_embeddings):
    live = settings.model_copy(update={"chroma_url": server.url, "collection": "fault-index"})
    first = Indexer(live, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    for name, text in synthetic_articles(120).items():
        (seeds_copy / name).write_text(text, encoding="utf-8")

    losing = _LosesServer(fake_embeddings, server)
    with pytest.raises(IndexServerUnreachableError) as err:
        Indexer(live, embeddings=losing, progress=False).index([seeds_copy])
    assert losing.calls == 2, "the run should have reached its second commit group"
    assert _unreachable(str(err.value), server.url) and "resumes on its next run" in str(err.value)

    done = _cli("index", "--quiet", str(seeds_copy), url=server.url, collection="fault-index")  # still down
    assert done.returncode == 2 and "Traceback" not in done.stderr and _unreachable(done.stderr, server.url)

    server.start()
    client = open_client(live.index_dir, live.chroma_url)
    manifest = ManifestStore(client, live.collection).load()
    assert len(manifest.articles) >= first.articles  # the last commit (seeds, maybe the first group) is whole
    collection = chunk_collection(client, live.collection)
    for _source, _hash, ids in live_ids(manifest):
        assert len(collection.get(ids=ids, include=[])["ids"]) == len(ids)

    again = Indexer(live, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    assert again.articles == 125 and not again.warnings
    manifest = ManifestStore(client, live.collection).load()
    assert manifest.pending == [] and manifest.garbage == []
    expected = sorted(cid for _s, _h, ids in live_ids(manifest) for cid in ids)
    stored = collection.get(include=[])["ids"]
    assert len(stored) == len(set(stored)) == collection.count()
    assert sorted(stored) == expected, "a chunk is missing or an orphan survived"
    assert again.chunks == len(expected)
