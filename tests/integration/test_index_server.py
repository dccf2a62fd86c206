"""Server mode: the same indexer and reader against a real `chroma run` server."""

from __future__ import annotations

from pathlib import Path

import pytest
from chroma_server import ChromaServer, free_port

from assistant.index.indexer import Indexer
from assistant.index.manifest import ManifestStore
from assistant.index.rebuild import rebuild
from assistant.index.store import MANIFEST_SUFFIX, chunk_collection, open_client
from assistant.retrieve.corpus import LiveCorpus
from assistant.retrieve.hybrid import HybridRetriever

pytestmark = pytest.mark.integration

S002 = "002_82abdcb3608312cc.txt"
S003 = "003_ccf18b69091e7c81.txt"


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    """A real Chroma server on a free loopback port, stopped at teardown."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma-server")).start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def server_settings(settings, chroma_server, request):
    # One collection per test, so tests on the shared server do not see each other.
    name = "t-" + request.node.name.replace("_", "-")[:40].strip("-")
    return settings.model_copy(update={"chroma_url": chroma_server, "collection": name})


def test_index_reindex_and_retrieve_over_http(server_settings, seeds_copy, fake_embeddings, tmp_path):
    first = Indexer(server_settings, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    assert len(first.added) == 5 and first.chunks > 0 and not first.warnings
    assert not (tmp_path / "index").exists() or not any((tmp_path / "index").iterdir()), \
        "server mode must not write the embedded store"

    second = Indexer(server_settings, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    assert len(second.unchanged) == 5 and second.chunks_written == 0

    client = open_client(server_settings.index_dir, server_settings.chroma_url)
    collection = chunk_collection(client, server_settings.collection)
    assert collection.count() == first.chunks
    assert collection.configuration.get("embedding_function") is None

    corpus = LiveCorpus(client, server_settings.collection)
    snap = corpus.snapshot()
    assert len(snap.ids) == first.chunks and len(snap.by_source) == 5
    retriever = HybridRetriever.from_settings(corpus, fake_embeddings, server_settings)
    _, chunks = retriever.retrieve("Peskov oppose this approach Yoon")
    assert chunks and chunks[0].source == S002

    # An update over HTTP: the old version's chunks go, the reader follows the new manifest.
    (seeds_copy / S003).unlink()
    third = Indexer(server_settings, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    assert third.removed == [S003]
    assert collection.get(where={"source": S003}, include=[])["ids"] == []
    assert S003 not in corpus.snapshot().by_source
    assert collection.count() == third.chunks


def test_rebuild_in_server_mode_keeps_the_collection_answering(server_settings, seeds_copy, fake_embeddings):
    first = Indexer(server_settings, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    report = rebuild(server_settings, [seeds_copy], embeddings=fake_embeddings, progress=False)
    assert len(report.added) == 5 and report.chunks == first.chunks

    client = open_client(server_settings.index_dir, server_settings.chroma_url)
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    assert server_settings.collection in names
    assert server_settings.collection + MANIFEST_SUFFIX in names
    assert not any(n.startswith(server_settings.collection + "-rebuild") for n in names)

    for name in (server_settings.collection, server_settings.collection + MANIFEST_SUFFIX):
        assert client.get_collection(name, embedding_function=None).configuration.get("embedding_function") is None
    manifest = ManifestStore(client, server_settings.collection).load()
    assert len(manifest.articles) == 5 and manifest.pending == [] and manifest.garbage == []
    corpus = LiveCorpus(client, server_settings.collection)
    assert len(corpus.snapshot().ids) == first.chunks
    _, chunks = HybridRetriever.from_settings(corpus, fake_embeddings, server_settings).retrieve(
        "Peskov oppose this approach Yoon")
    assert chunks and chunks[0].source == S002

    # The rebuilt collection keeps working incrementally.
    again = Indexer(server_settings, embeddings=fake_embeddings, progress=False).index([seeds_copy])
    assert len(again.unchanged) == 5 and again.chunks_written == 0


def test_unreachable_server_is_a_clear_error(settings):
    from assistant.errors import IndexMissingError

    dead = settings.model_copy(update={"chroma_url": f"http://127.0.0.1:{free_port()}"})
    with pytest.raises(IndexMissingError) as err:
        Indexer(dead, progress=False)
    assert f"the index server at {dead.chroma_url} is not reachable" in str(err.value).lower()
