"""Progress of indexing runs: a callable sees every step, the log mode prints a line per interval."""

from __future__ import annotations

from assistant.index.indexer import Indexer
from assistant.index.progress import Progress, ProgressState, resolve_mode
from assistant.settings import Settings


def test_modes():
    assert resolve_mode(False) == "off" and resolve_mode(True) == "bar"
    assert resolve_mode(None) in ("bar", "log")
    assert resolve_mode(print) is print


def test_state_line_has_chunks_rate_and_eta():
    line = ProgressState(50, 200, 3, 10, 10.0).line()
    assert "50/200 chunks (25%)" in line and "3/10 articles" in line and "5.0 chunks/s" in line
    assert "ETA 0:30" in line


def test_log_mode_prints_lines(capsys):
    progress = Progress("log", 10, 2, log_every_s=0)
    progress.embedded(5)
    progress.committed(1)
    progress.close()
    err = capsys.readouterr().err
    assert "indexing: 5/10 chunks" in err and "1/2 articles" in err


def test_the_indexer_reports_to_a_callable(tmp_path, seeds_copy, fake_embeddings):
    seen: list[ProgressState] = []
    settings = Settings(index_dir=tmp_path / "index")
    report = Indexer(settings, embeddings=fake_embeddings, progress=seen.append).index([seeds_copy])
    assert seen and seen[-1].chunks_done == seen[-1].chunks_total == report.chunks_written
    assert seen[-1].articles_done == seen[-1].articles_total == 5


def test_chunks_are_written_while_later_ones_embed_and_each_gets_its_own_vector(tmp_path, seeds_copy,
                                                                               fake_embeddings, monkeypatch):
    """Writing overlaps embedding: a batch goes to Chroma as soon as its chunks are embedded, before
    the group's last slice is; every chunk is written once, in order, with its own text's vector."""
    import assistant.index.indexer as indexer

    monkeypatch.setattr(indexer, "_EMBED_SLICE", 8)
    monkeypatch.setattr(indexer, "_UPSERT_BATCH", 10)
    events: list[tuple[str, list[str]]] = []
    embed = fake_embeddings.embed_documents

    def recording_embed(texts):
        events.append(("embed", list(texts)))
        return embed(texts)

    monkeypatch.setattr(fake_embeddings, "embed_documents", recording_embed)
    ix = Indexer(Settings(index_dir=tmp_path / "index"), embeddings=fake_embeddings)
    collection = ix.collection
    upsert = collection.upsert

    def recording_upsert(**kwargs):
        events.append(("write", kwargs["ids"]))
        for text, vector in zip(kwargs["documents"], kwargs["embeddings"]):
            assert list(vector) == embed([text])[0]
        return upsert(**kwargs)

    monkeypatch.setattr(collection, "upsert", recording_upsert)
    report = ix.index([seeds_copy])
    kinds = [kind for kind, _ in events]
    assert kinds.count("embed") > 2 and "write" in kinds[: len(kinds) - kinds[::-1].index("embed") - 1]
    written = [i for kind, ids in events if kind == "write" for i in ids]
    assert len(written) == len(set(written)) == report.chunks_written
