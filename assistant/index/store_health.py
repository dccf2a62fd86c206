"""Damage detection for the embedded Chroma store: forensics of its SQLite and HNSW files.

Chroma opens its files lazily: a damaged vector segment fails on the first query, or
crashes the process (a garbled HNSW file can segfault the native reader), or, when a
segment folder is gone, silently answers from the few vectors still in its write log.
So the files are checked here, before Chroma sees them.
"""

from __future__ import annotations

import re
import sqlite3
import struct
import time
from pathlib import Path

from ..errors import IndexCorruptError

REBUILD_HINT = "Run `assistant index --rebuild` to rebuild it from the articles."
_SQLITE = "chroma.sqlite3"
_SEGMENT_DIR = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
# chroma-hnswlib's persisted header.bin: version, offsetLevel0, max_elements, cur_element_count,
# size_data_per_element, label_offset, offsetData, maxlevel, enterpoint_node, maxM, maxM0, M, mult, ef_construction
_HNSW_HEADER = struct.Struct("<iQQQQQQiIQQQdQ")
_CHECK_ROWS = 50_000  # HNSW elements checked at open; larger stores are checked on an even sample


def check_store(index_dir: Path, retry_after: float = 0.5) -> None:
    """Raise IndexCorruptError when the embedded store's files are visibly damaged.

    A file caught mid-write by a concurrent `assistant index` can look damaged for a
    moment, so a problem is confirmed by a second look before it is reported.
    """
    problem = store_problem(index_dir)
    if problem and retry_after:
        time.sleep(retry_after)
        problem = store_problem(index_dir)
    if problem:
        raise IndexCorruptError(f"The index at {index_dir} is damaged: {problem}. {REBUILD_HINT}")


def store_problem(index_dir: Path) -> str | None:
    """What is wrong with the store's files, or None (also None for a new, empty folder)."""
    index_dir = Path(index_dir)
    db = index_dir / _SQLITE
    segments = [p for p in index_dir.iterdir() if p.is_dir() and _SEGMENT_DIR.match(p.name)] \
        if index_dir.is_dir() else []
    if not db.exists():
        if segments:
            return f"{_SQLITE} is missing but {len(segments)} vector segment folder(s) remain"
        return None
    try:
        vector_segments = _vector_segments(db)
    except sqlite3.OperationalError:  # locked or busy: a writer is at work; Chroma will tell
        return None
    except sqlite3.DatabaseError as exc:
        return f"{_SQLITE} cannot be read ({exc})"
    for segment_id, flushed in vector_segments:
        problem = _hnsw_problem(index_dir / segment_id, flushed)
        if problem:
            return f"vector segment {segment_id}: {problem}"
    return None


def _vector_segments(db: Path) -> list[tuple[str, bool]]:
    """(segment id, whether vectors were ever flushed from the log into its HNSW files)."""
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not {"segments", "max_seq_id"} <= tables:
            return []
        rows = con.execute(
            "SELECT s.id, m.seq_id FROM segments s LEFT JOIN max_seq_id m ON m.segment_id = s.id "
            "WHERE s.scope = 'VECTOR'"
        ).fetchall()
    finally:
        con.close()
    out = []
    for segment_id, seq in rows:
        if isinstance(seq, (bytes, bytearray)):
            seq = int.from_bytes(seq, "big")
        out.append((str(segment_id), bool(seq)))
    return out


def _hnsw_problem(folder: Path, flushed: bool) -> str | None:
    """Structural checks of one persisted HNSW segment (cheap: sizes, header, link ids)."""
    if not folder.is_dir():
        return "its folder is missing" if flushed else None
    header_path = folder / "header.bin"
    if not header_path.exists():
        return "header.bin is missing" if flushed or any(folder.iterdir()) else None
    if not _known_hnsw_format():
        return None  # a Chroma whose file layout these checks were not written for: trust it
    import numpy as np

    header = header_path.read_bytes()
    if len(header) != _HNSW_HEADER.size:
        return f"header.bin has {len(header)} bytes, not {_HNSW_HEADER.size}"
    (version, offset0, max_elements, count, size, label_offset, offset_data, max_level, entry,
     max_m, max_m0, m, _mult, _ef) = _HNSW_HEADER.unpack(header)
    if not (version == 1 and offset0 == 0 and count <= max_elements < 1 << 40 and 0 < m <= 4096
            and 0 < max_m <= 4096 and 0 < max_m0 <= 4096 and offset_data == 4 + 4 * max_m0
            and offset_data < label_offset and size == label_offset + 8 and (label_offset - offset_data) % 4 == 0):
        return "header.bin is garbled"
    if flushed and count == 0:
        return "it holds no vectors though the log says they were written there"
    if count and not (0 <= max_level < 64 and entry < count):
        return "header.bin is garbled"
    sizes = {name: (folder / name).stat().st_size if (folder / name).exists() else None
             for name in ("data_level0.bin", "length.bin", "link_lists.bin", "index_metadata.pickle")}
    if sizes["data_level0.bin"] is None or sizes["length.bin"] is None:
        return "data_level0.bin or length.bin is missing"
    if sizes["data_level0.bin"] < count * size or sizes["data_level0.bin"] % size:
        return "data_level0.bin is truncated"
    if sizes["length.bin"] < count * 4:
        return "length.bin is truncated"
    if not count:
        return None
    if sizes["index_metadata.pickle"] is None:
        return "index_metadata.pickle (its id map) is missing"
    if sizes["link_lists.bin"] is None or sizes["link_lists.bin"] < count * 4:
        return "link_lists.bin is missing or truncated"
    level0 = np.memmap(folder / "data_level0.bin", dtype=np.uint8, mode="r", shape=(count, size))
    rows = np.linspace(0, count - 1, min(count, _CHECK_ROWS)).astype(np.int64)  # all rows, or an even sample
    data = np.array(level0[rows])
    del level0
    links_per = data[:, 0:2].copy().view(np.uint16).ravel()
    if int(links_per.max()) > max_m0:
        return "data_level0.bin is garbled (link counts)"
    links = data[:, 4:offset_data].copy().view(np.uint32)
    used = np.arange(max_m0)[None, :] < links_per[:, None]
    if used.any() and int(links[used].max()) >= count:
        return "data_level0.bin is garbled (links)"
    vectors = data[:, offset_data:label_offset].copy().view(np.float32)
    if not np.isfinite(vectors).all():
        return "data_level0.bin is garbled (vectors)"
    lists = (folder / "link_lists.bin").read_bytes()
    pos, unit = 0, 4 + 4 * max_m
    for _ in range(count):  # per element: u32 byte length, then its upper-level link lists
        if pos + 4 > len(lists):
            return "link_lists.bin is truncated"
        n = int.from_bytes(lists[pos:pos + 4], "little")
        if n % unit or n // unit > max_level:
            return "link_lists.bin is garbled"
        pos += 4 + n
    if pos != len(lists):
        return "link_lists.bin is garbled"
    return None


def _known_hnsw_format() -> bool:
    """The checks follow chroma-hnswlib's persisted layout (version 1) as chromadb 1.x writes it."""
    try:
        from importlib.metadata import version

        return version("chromadb").split(".")[0] == "1"
    except Exception:  # pragma: no cover
        return False
