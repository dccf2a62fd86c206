"""Fixtures for the hardening suite (issue #6): a shared real-model Assistant and a chat app on it.

Everything lives under pytest temp folders; the repository's index/ and data/ are never touched.
The shared index holds the five seeds, twenty articles about invented people (one distinct fact
each, so concurrent answers can be checked for cross-talk) and one hostile article.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest

import assistant  # noqa: F401  (offline switches first)
from assistant.settings import Settings
from hardening_support import HOSTILE, HOSTILE_TEXT, PESKOV, BadLLM, close_client, copy_seeds, free_port, people


@pytest.fixture
def bad_llm(request):
    server = BadLLM(getattr(request, "param", "hang"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


# -- the shared real-model Assistant --------------------------------------------
@pytest.fixture(scope="session")
def hardened(tmp_path_factory, real_embeddings):
    """seeds + 20 people + 1 hostile article, indexed once with all-MiniLM-L6-v2."""
    from assistant.pipeline import Assistant

    root = tmp_path_factory.mktemp("hardened")
    corpus = copy_seeds(root / "corpus")
    cast = people()
    for p in cast:
        (corpus / p.file).write_text(p.text, encoding="utf-8")
    (corpus / HOSTILE).write_text(HOSTILE_TEXT, encoding="utf-8")
    dead = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there: the 'openai' backend is down
    settings = Settings(index_dir=root / "index", data_dir=root / "data", corpus_dir=corpus, chroma_url=None,
                        generator="extractive", llm_base_url=dead, llm_timeout=1.0, llm_model="down-model",
                        host="127.0.0.1", port=free_port(), upload_max_bytes=200_000)
    bot = Assistant(settings)
    bot._embeddings = real_embeddings  # the session's loaded model
    report = bot.index([corpus], progress=False)
    assert report.articles == 5 + len(cast) + 1, report.summary()
    bot.answer(PESKOV)  # open the retriever and load the NLP model once: a timed failure then times the backend alone
    yield SimpleNamespace(bot=bot, settings=settings, corpus=corpus, people=cast, dead_llm=dead, report=report)
    close_client(bot)


@pytest.fixture(scope="session")
def hardened_app(hardened):
    """The chat, serving the shared Assistant on 127.0.0.1 (a free port)."""
    from assistant.present.app import serve

    demo = serve(hardened.settings, hardened.bot, block=False)
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{hardened.settings.port}/", demo=demo, **vars(hardened))
    finally:
        demo.close()
