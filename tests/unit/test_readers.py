"""Readers: odd files are skipped with a warning naming them; a missing path is an error."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.errors import CorpusPathError
from assistant.index.indexer import Indexer
from assistant.ingest.readers import SkipFile, decode_text, discover, read_bytes

GOOD = ("SEOUL, May 10. /TASS/. Moscow would view any weapons supplies made by Seoul to Kiev as an "
        "unacceptable step, the ambassador said. The envoy spoke to reporters on Friday.\n")


def _read(path: Path, max_bytes: int = 5_000_000) -> str:
    return decode_text(read_bytes(path, max_bytes), path)


@pytest.mark.parametrize("name,content,reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n\t\n  \n", "empty"),
    ("binary.txt", b"GIF89a\x00\x01\x02\x00\xff" * 20, "binary"),
    ("latin1.txt", "Café in Séoul: the envoy’s remarks".encode("latin-1", errors="replace"), "UTF-8"),
    ("tagsonly.html", b"<html><script>x()</script><p> </p></html>", "no text"),
])
def test_bad_content_is_refused_with_the_file_named(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SkipFile) as err:
        _read(path)
    assert str(path) in str(err.value)
    assert reason in str(err.value)


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text(GOOD * 50, encoding="utf-8")
    with pytest.raises(SkipFile) as err:
        _read(path, max_bytes=1000)
    assert str(path) in str(err.value) and "limit" in str(err.value)
    assert _read(path, max_bytes=10_000_000).startswith("SEOUL")


def test_good_utf8_file_reads(tmp_path):
    path = tmp_path / "ok.txt"
    path.write_text(GOOD, encoding="utf-8")
    assert _read(path) == GOOD


def test_missing_path_raises_corpus_path_error(tmp_path):
    with pytest.raises(CorpusPathError) as err:
        discover([tmp_path / "nope"])
    assert "Path not found" in str(err.value)
    assert isinstance(err.value, FileNotFoundError)


def test_unsupported_suffix_given_directly_is_warned(tmp_path):
    path = tmp_path / "chart.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    files, warnings = discover([path])
    assert files == []
    assert len(warnings) == 1 and str(path) in warnings[0] and "unsupported file type '.png'" in warnings[0]


@pytest.fixture
def odd_folder(tmp_path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "sub").mkdir()
    (root / "sub" / "nested.md").write_text(GOOD.replace("Friday", "Monday"), encoding="utf-8")
    (root / "notes.pdf").write_bytes(b"%PDF-1.4")
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    (root / "README.md").write_text("# corpus\n", encoding="utf-8")
    os.symlink(root / "missing.txt", root / "broken.txt")
    os.symlink(root / "loop_b.txt", root / "loop_a.txt")
    os.symlink(root / "loop_a.txt", root / "loop_b.txt")
    (root / "x.txt").mkdir()
    (root / "x.txt" / "inside.txt").write_text(GOOD, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x00\x01\x02binary")
    (root / "latin1.txt").write_bytes("Séoul café".encode("latin-1"))
    (root / "huge.txt").write_text(GOOD * 200, encoding="utf-8")
    return root


def test_discover_skips_links_loops_and_folders_named_like_files(odd_folder):
    files, warnings = discover([odd_folder])
    sources = [f.source for f in files]
    assert "good.txt" in sources and "sub/nested.md" in sources
    assert "notes.pdf" in sources  # a PDF is an article file (its reader refuses a broken one later)
    for absent in ["photo.png", ".hidden.txt", "README.md", "broken.txt", "loop_a.txt", "loop_b.txt",
                   "x.txt", "x.txt/inside.txt"]:
        assert absent not in sources
    for name in ["broken.txt", "loop_a.txt", "loop_b.txt", "x.txt"]:
        hits = [w for w in warnings if str(odd_folder / name) in w]
        assert len(hits) == 1, (name, warnings)
        assert hits[0].startswith("skipped")
    # a file no reader takes is named, with why; hidden files and the folder's README are not articles
    assert [w for w in warnings if "photo.png" in w] == [f"skipped {odd_folder / 'photo.png'}: unsupported file type "
                                                        f"'.png' (articles are .htm .html .json .jsonl .markdown .md "
                                                        f".ndjson .pdf .txt)"]
    assert not any(".hidden.txt" in w or "README.md" in w for w in warnings)


def test_indexer_skips_every_bad_file_with_a_warning_naming_it(odd_folder, settings, fake_embeddings):
    settings = settings.model_copy(update={"max_file_bytes": 5_000})
    report = Indexer(settings, embeddings=fake_embeddings, progress=False).index([odd_folder])
    assert sorted(report.added) == ["good.txt", "sub/nested.md"]
    for name in ["broken.txt", "loop_a.txt", "loop_b.txt", "x.txt", "empty.txt", "binary.txt", "latin1.txt",
                 "huge.txt", "notes.pdf", "photo.png"]:
        assert any(str(odd_folder / name) in w for w in report.warnings), (name, report.warnings)
    assert report.articles == 2 and report.chunks >= 2
