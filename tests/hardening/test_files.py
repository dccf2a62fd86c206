"""Bad files never stop indexing: each is skipped with a message naming it, and the index stays whole.

Binary, non-UTF-8, UTF-16, zero-byte, whitespace-only, 50 MB (sparse), symlink loops, dangling
links, a folder named like an article, a FIFO (reading it would hang), a name that is not valid
UTF-8, and files that vanish, turn into folders or become empty between discovery and reading.
After the run every served chunk belongs to a live manifest entry, every live entry is served
whole, the collection holds nothing else, and the good files are indexed.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import assistant.index.indexer as indexer_mod
from assistant import cli
from assistant.errors import CorpusPathError
from assistant.index.indexer import Indexer
from assistant.index.manifest import ManifestStore
from assistant.index.store import chunk_collection, open_client
from assistant.ingest.chunk import chunk_id
from assistant.retrieve.corpus import LiveCorpus

from hardening_support import SEEDS, close_client, copy_seeds

GOOD_EXTRA = {
    "статья_é.txt": "Новая статья\n\nMOSCOW, May 3. The mayor of Tamsk said the new bridge will open in 2031. "
                    "It will cost 40 million roubles, officials added.\n",
    "notes.md": "# Harbour plan\n\nThe harbour master said the new pier would open in spring. Work starts soon.\n",
    "page.html": "<html><head><title>Ferry news</title><script>alert(1)</script></head><body>"
                 "<h1>Ferry news</h1><p>The ferry company said crossings would resume on Monday.</p></body></html>",
}


def _make_bad_files(corpus: Path) -> dict[str, str]:
    """Create the bad entries; returns {name shown in the warning: reason expected in it}."""
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000))
    (corpus / "latin1.txt").write_bytes("Le café de la gare a fermé. Les élèves étaient là.".encode("latin-1"))
    (corpus / "utf16.txt").write_bytes("The mayor said hello. It was sunny.".encode("utf-16"))
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.md").write_text(" \n\t\n   \n", encoding="utf-8")
    (corpus / "only_script.html").write_text("<html><script>alert('x')</script><style>p{}</style></html>")
    with open(corpus / "huge.txt", "wb") as f:  # 50 MB, sparse: instant to make, never read
        f.truncate(50_000_000)
    os.symlink("loop_b.txt", corpus / "loop_a.txt")
    os.symlink("loop_a.txt", corpus / "loop_b.txt")
    os.symlink("no_such_file.txt", corpus / "dangling.txt")
    os.symlink("..", corpus / "up.md")  # a link to a folder, named like an article
    (corpus / "folder.txt").mkdir()
    (corpus / "folder.txt" / "inside.txt").write_text("Text inside a folder named like a file. It is here.")
    os.mkfifo(corpus / "pipe.txt")
    bad_name = os.fsdecode(b"caf\xe9_latin1_name.txt")
    (corpus / bad_name).write_text("The council said the library would open. Readers were pleased.")
    return {
        "binary.txt": "binary file", "latin1.txt": "not UTF-8", "utf16.txt": "binary file",
        "empty.txt": "empty file", "blank.md": "empty file", "only_script.html": "no text",
        "huge.txt": "over the 5,000,000-byte limit", "loop_a.txt": "not a regular file",
        "loop_b.txt": "not a regular file", "dangling.txt": "not a regular file", "up.md": "(a folder)",
        "folder.txt": "(a folder)", "pipe.txt": "not a regular file",
        "caf\\xe9_latin1_name.txt": "not valid UTF-8",
    }


def _racing_discover(corpus: Path):
    """discover(), then change files behind the indexer's back before it reads them."""
    real = indexer_mod.discover

    def discover(paths):
        files, warnings = real(paths)
        (corpus / "vanishing.txt").unlink()
        (corpus / "becomes_folder.txt").unlink()
        (corpus / "becomes_folder.txt").mkdir()
        (corpus / "becomes_empty.txt").write_bytes(b"")
        return files, warnings

    return discover


def _assert_consistent(settings) -> dict:
    client = open_client(settings.index_dir)
    try:
        manifest = ManifestStore(client, settings.collection).load()
        collection = chunk_collection(client, settings.collection)
        snap = LiveCorpus(client, settings.collection).snapshot()
        assert manifest.pending == [] and manifest.garbage == []
        for cid, meta in zip(snap.ids, snap.metadatas):  # every served chunk is live ...
            assert manifest.is_live(meta["source"], meta["article_hash"]), cid
        expected = {chunk_id(s, e.hash, i) for s, e in manifest.articles.items() for i in range(e.chunks)}
        assert set(snap.ids) == expected  # ... and every live article is served whole
        stored = collection.get(include=[])["ids"]
        assert set(stored) == expected and len(stored) == collection.count() == manifest.chunk_count
        return {"articles": set(manifest.articles), "chunks": manifest.chunk_count}
    finally:
        close_client(client)


def test_bad_files_are_skipped_by_name_and_the_index_stays_whole(settings, fake_embeddings, tmp_path, monkeypatch):
    corpus = copy_seeds(tmp_path / "corpus")
    for name, text in GOOD_EXTRA.items():
        (corpus / name).write_text(text, encoding="utf-8")
    expected = _make_bad_files(corpus)
    for name in ("vanishing.txt", "becomes_folder.txt", "becomes_empty.txt"):
        (corpus / name).write_text(f"{name} has text. The mayor said so on Monday.", encoding="utf-8")
    expected.update({"vanishing.txt": "cannot be read", "becomes_folder.txt": "cannot be read",
                     "becomes_empty.txt": "empty file"})
    monkeypatch.setattr(indexer_mod, "discover", _racing_discover(corpus))

    started = time.monotonic()
    report = Indexer(settings, embeddings=fake_embeddings, progress=False).index([corpus])
    assert time.monotonic() - started < 60
    for name, reason in expected.items():
        hits = [w for w in report.warnings if f"/{name}:" in w or w.endswith(f"/{name}")]
        assert hits, f"no warning names {name}: {report.warnings}"
        assert any(reason in w for w in hits), (name, hits)
    assert len(report.warnings) == len(expected), report.warnings

    good = {p.name for p in SEEDS.glob("*.txt")} | set(GOOD_EXTRA)
    assert set(report.added) == good
    state = _assert_consistent(settings)
    assert state["articles"] == good

    # The next run over the same folder changes nothing and embeds nothing.
    monkeypatch.undo()
    again = Indexer(settings, embeddings=fake_embeddings, progress=False).index([corpus])
    assert again.chunks_written == 0 and set(again.unchanged) == good and not again.removed
    assert _assert_consistent(settings) == state


def test_single_bad_paths_and_missing_paths(settings, fake_embeddings, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    _make_bad_files(corpus)
    (corpus / "report.pdf").write_bytes(b"%PDF-1.7 binary")
    indexer = Indexer(settings, embeddings=fake_embeddings, progress=False)
    report = indexer.index([corpus / "binary.txt", corpus / "huge.txt", corpus / "report.pdf",
                            corpus / "002_82abdcb3608312cc.txt"])
    assert report.added == ["002_82abdcb3608312cc.txt"]
    assert any("binary.txt: binary file" in w for w in report.warnings)
    assert any("huge.txt: 50,000,000 bytes" in w for w in report.warnings)
    assert any("report.pdf: not a readable PDF" in w for w in report.warnings)
    with pytest.raises(CorpusPathError, match="no_such_folder"):
        indexer.index([tmp_path / "no_such_folder"])
    _assert_consistent(settings)


def test_cli_names_each_skipped_file_and_exits_cleanly(settings, fake_embeddings, tmp_path, monkeypatch, capsys):
    import assistant.index.embeddings as embeddings_mod

    monkeypatch.setattr(embeddings_mod, "embeddings_from_settings", lambda s: fake_embeddings)
    corpus = copy_seeds(tmp_path / "corpus")
    expected = _make_bad_files(corpus)
    code = cli.main(["--index-dir", str(settings.index_dir), "index", str(corpus), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "5 articles" in out and f"skipped {len(expected)}" in out
    for name in expected:
        assert f"{name}:" in err, name
    assert "Traceback" not in err

    code = cli.main(["--index-dir", str(settings.index_dir), "index", str(tmp_path / "missing_folder")])
    out, err = capsys.readouterr()
    assert code == 2 and err.startswith("error: Path not found") and "Traceback" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file_is_skipped(settings, fake_embeddings, tmp_path):
    corpus = copy_seeds(tmp_path / "corpus")
    locked = corpus / "locked.txt"
    locked.write_text("Secret text. The mayor said so.")
    locked.chmod(0)
    try:
        report = Indexer(settings, embeddings=fake_embeddings, progress=False).index([corpus])
    finally:
        locked.chmod(0o644)
    assert any("locked.txt: cannot be read" in w for w in report.warnings)
    assert len(report.added) == 5
