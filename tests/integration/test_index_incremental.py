"""Incremental indexing into a real on-disk Chroma store: add, skip, update, remove, de-duplicate."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.index.indexer import Indexer
from assistant.index.manifest import ManifestStore
from assistant.index.store import chunk_collection, open_client
from assistant.ingest.chunk import chunk_article
from assistant.ingest.parse import parse_article
from assistant.retrieve.corpus import LiveCorpus
from assistant.retrieve.hybrid import HybridRetriever

REPO = Path(__file__).resolve().parents[2]
S000 = "000_b84748c9215d69a7.txt"
S002 = "002_82abdcb3608312cc.txt"
S004 = "004_32c6785b4f59bc36.txt"


def _expected_ids(folder: Path, name: str, settings) -> list[str]:
    text = (folder / name).read_text(encoding="utf-8")
    chunks = chunk_article(parse_article(name, text), settings.chunk_chars, settings.chunk_overlap_sentences)
    return [c.chunk_id for c in chunks]


def _all_ids(collection) -> set[str]:
    return set(collection.get(include=[])["ids"])


def _source_ids(collection, source: str) -> set[str]:
    return set(collection.get(where={"source": source}, include=[])["ids"])


def _index(settings, folder, embeddings):
    return Indexer(settings, embeddings=embeddings, progress=False).index([folder])


@pytest.fixture
def collection(settings):
    return chunk_collection(open_client(settings.index_dir), settings.collection)


def test_first_run_adds_then_second_run_skips(settings, seeds_copy, fake_embeddings, collection):
    expected = {cid for f in sorted(seeds_copy.iterdir()) for cid in _expected_ids(seeds_copy, f.name, settings)}
    first = _index(settings, seeds_copy, fake_embeddings)
    assert sorted(first.added) == sorted(p.name for p in seeds_copy.iterdir())
    assert len(first.added) == 5 and not first.updated and not first.removed and not first.warnings
    assert first.articles == 5
    assert first.chunks == first.chunks_written == len(expected)
    assert _all_ids(collection) == expected
    assert "5 articles" in first.summary() and "added 5" in first.summary()

    second = _index(settings, seeds_copy, fake_embeddings)
    assert len(second.unchanged) == 5
    assert second.chunks_written == 0
    assert not second.added and not second.updated and not second.removed
    assert second.chunks == first.chunks
    assert _all_ids(collection) == expected

    manifest = ManifestStore(open_client(settings.index_dir), settings.collection).load()
    assert set(manifest.articles) == {p.name for p in seeds_copy.iterdir()}
    assert manifest.pending == [] and manifest.garbage == []
    assert manifest.embedding_model == "all-MiniLM-L6-v2"


def test_modified_file_replaces_its_old_chunks(settings, seeds_copy, fake_embeddings, collection):
    _index(settings, seeds_copy, fake_embeddings)
    old_ids = _expected_ids(seeds_copy, S000, settings)
    assert _source_ids(collection, S000) == set(old_ids)
    total_before = collection.count()

    path = seeds_copy / S000
    path.write_text(path.read_text(encoding="utf-8") + "\nThe embassy later repeated the warning in a written "
                    "statement. It said the position had not changed since spring.\n", encoding="utf-8")
    new_ids = _expected_ids(seeds_copy, S000, settings)
    assert set(new_ids).isdisjoint(old_ids)

    report = _index(settings, seeds_copy, fake_embeddings)
    assert report.updated == [S000]
    assert len(report.unchanged) == 4 and not report.added and not report.removed
    assert report.chunks_written == len(new_ids)
    assert collection.get(ids=old_ids, include=[])["ids"] == []
    assert _source_ids(collection, S000) == set(new_ids)
    assert collection.count() == total_before - len(old_ids) + len(new_ids) == report.chunks
    got = collection.get(ids=new_ids[-1:], include=["documents", "metadatas"])
    assert "position had not changed since spring" in got["documents"][0]
    assert got["metadatas"][0]["article_hash"] != ""


def test_deleted_file_loses_all_its_chunks(settings, seeds_copy, fake_embeddings, collection):
    first = _index(settings, seeds_copy, fake_embeddings)
    gone = _expected_ids(seeds_copy, S004, settings)
    (seeds_copy / S004).unlink()
    report = _index(settings, seeds_copy, fake_embeddings)
    assert report.removed == [S004]
    assert report.articles == 4 and len(report.unchanged) == 4
    assert _source_ids(collection, S004) == set()
    assert collection.get(ids=gone, include=[])["ids"] == []
    assert collection.count() == first.chunks - len(gone) == report.chunks
    manifest = ManifestStore(open_client(settings.index_dir), settings.collection).load()
    assert S004 not in manifest.articles and manifest.garbage == []


def test_copy_under_a_second_name_is_a_duplicate(settings, seeds_copy, fake_embeddings, collection):
    first = _index(settings, seeds_copy, fake_embeddings)
    shutil.copy2(seeds_copy / S002, seeds_copy / "zz_copy_of_002.txt")
    report = _index(settings, seeds_copy, fake_embeddings)
    assert report.duplicates == {"zz_copy_of_002.txt": S002}
    assert report.chunks_written == 0 and not report.added
    assert report.chunks == first.chunks == collection.count()
    assert _source_ids(collection, "zz_copy_of_002.txt") == set()
    assert "duplicates 1" in report.summary()

    # The same again: still a duplicate, still nothing written.
    again = _index(settings, seeds_copy, fake_embeddings)
    assert again.duplicates == {"zz_copy_of_002.txt": S002} and again.chunks_written == 0

    # The original goes: the copy takes its place, and the index does not lose the story.
    (seeds_copy / S002).unlink()
    moved = _index(settings, seeds_copy, fake_embeddings)
    assert moved.removed == [S002] and moved.added == ["zz_copy_of_002.txt"]
    assert _source_ids(collection, S002) == set()
    assert len(_source_ids(collection, "zz_copy_of_002.txt")) == len(_expected_ids(seeds_copy, "zz_copy_of_002.txt", settings))
    assert collection.count() == first.chunks
    manifest = ManifestStore(open_client(settings.index_dir), settings.collection).load()
    assert manifest.duplicates == {}


def test_copy_on_first_run_is_indexed_once(settings, seeds_copy, fake_embeddings, collection):
    shutil.copy2(seeds_copy / S002, seeds_copy / "zz_copy.txt")
    report = _index(settings, seeds_copy, fake_embeddings)
    assert len(report.added) == 5 and report.duplicates == {"zz_copy.txt": S002}
    assert report.articles == 5 and collection.count() == report.chunks


def test_bad_file_among_good_ones_is_skipped(settings, seeds_copy, fake_embeddings, collection):
    (seeds_copy / "broken.txt").write_bytes(b"\x00\x01binary junk")
    (seeds_copy / "latin.txt").write_bytes("Séoul".encode("latin-1"))
    (seeds_copy / "furniture_only.txt").write_text("All news\n\nLeave a Reply\n", encoding="utf-8")
    report = _index(settings, seeds_copy, fake_embeddings)
    assert len(report.added) == 5 and report.articles == 5
    assert any("broken.txt" in w and "binary" in w for w in report.warnings)
    assert any("latin.txt" in w and "UTF-8" in w for w in report.warnings)
    assert any("furniture_only.txt" in w for w in report.warnings)
    assert collection.count() == report.chunks > 0
    assert "skipped 3" in report.summary()


def test_other_roots_are_left_alone(settings, seeds_copy, fake_embeddings, tmp_path, collection):
    first = _index(settings, seeds_copy, fake_embeddings)
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "note.txt").write_text(
        "Seoul said on Monday that it would keep its policy. Officials gave no further details.\n", encoding="utf-8")
    report = _index(settings, extra, fake_embeddings)
    assert report.added == ["note.txt"] and not report.removed
    assert report.articles == 6
    assert collection.count() == first.chunks + 1


def test_changed_embedding_model_re_embeds_everything(settings, seeds_copy, fake_embeddings, collection):
    first = _index(settings, seeds_copy, fake_embeddings)

    class OtherModel(type(fake_embeddings)):
        model_id = "other-model"

    report = _index(settings, seeds_copy, OtherModel())
    assert any("embedding model changed" in w for w in report.warnings)
    assert report.chunks_written == first.chunks == report.chunks == collection.count()
    manifest = ManifestStore(open_client(settings.index_dir), settings.collection).load()
    assert manifest.embedding_model == "other-model" and manifest.garbage == []


def test_live_corpus_serves_the_indexed_chunks(settings, seeds_copy, fake_embeddings, collection):
    report = _index(settings, seeds_copy, fake_embeddings)
    client = open_client(settings.index_dir)
    corpus = LiveCorpus(client, settings.collection)
    snap = corpus.snapshot()
    assert len(snap.ids) == report.chunks
    assert set(snap.by_source) == {p.name for p in seeds_copy.iterdir()}
    assert corpus.snapshot() is snap  # unchanged manifest: same snapshot
    for source, rows in snap.by_source.items():
        starts = [snap.metadatas[r]["start"] for r in rows]
        assert starts == sorted(starts)
    text = (seeds_copy / S002).read_text(encoding="utf-8")
    for c in snap.article_chunks(S002):
        assert text[c.start:c.end] == c.text

    retriever = HybridRetriever.from_settings(corpus, fake_embeddings, settings)
    _, chunks = retriever.retrieve("Peskov oppose this approach Yoon")
    assert chunks and chunks[0].source == S002

    (seeds_copy / S002).unlink()
    _index(settings, seeds_copy, fake_embeddings)
    fresh = corpus.snapshot()
    assert fresh is not snap and S002 not in fresh.by_source


@pytest.mark.slow
def test_real_model_index_and_retrieval(settings, seeds_copy, real_embeddings):
    from assistant import Assistant

    bot = Assistant(settings.model_copy(update={"corpus_dir": seeds_copy}))
    assert bot.embeddings.model is real_embeddings.model  # one loaded model per process, shared
    report = bot.index([seeds_copy], progress=False)
    assert report.articles == 5 and report.chunks_written == report.chunks
    got = chunk_collection(bot.client, settings.collection).get(limit=1, include=["embeddings"])
    assert len(got["embeddings"][0]) == 384

    snapshot, chunks = bot.retriever.retrieve("What did Peskov say about Yoon's remarks?")
    assert len(snapshot.ids) == report.chunks
    top = [c.source for c in chunks[:3]]
    assert S002 in top, top
    assert chunks[0].source in (S002, S004)

    again = bot.index([seeds_copy], progress=False)
    assert len(again.unchanged) == 5 and again.chunks_written == 0


def _cli(*args, cwd=REPO, timeout=180):
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.slow
@pytest.mark.integration
def test_cli_index_twice(tmp_path, seeds_copy):
    index_dir = tmp_path / "cli-index"
    first = _cli("--index-dir", str(index_dir), "index", "--quiet", str(seeds_copy))
    assert first.returncode == 0, first.stderr
    assert "5 articles" in first.stdout and "added 5" in first.stdout
    second = _cli("--index-dir", str(index_dir), "index", "--quiet", str(seeds_copy))
    assert second.returncode == 0, second.stderr
    assert "5 articles" in second.stdout and "unchanged 5" in second.stdout
    assert "(0 chunks embedded" in second.stdout
