"""Open the Chroma store (embedded on disk, or a Chroma server when a URL is configured),
configure its collections, and turn store failures into messages a user can act on.

No Chroma embedding function is ever attached (the default one downloads a model); vectors
always come from our own embeddings. Damage detection of the embedded files lives in
store_health (re-exported here for callers).
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from .. import offline  # noqa: F401
from ..errors import (AssistantError, DiskFullError, IndexCorruptError, IndexMissingError,
                      IndexServerUnreachableError)
from .store_health import REBUILD_HINT, check_store, store_problem  # noqa: F401  (public here too)

MANIFEST_SUFFIX = "-manifest"
_CONNECT_TIMEOUT = 3.0  # seconds: a server that does not accept a connection by then is down
_LOW_SPACE = 16 << 20  # bytes free below which a failed write is put down to a full disk
_LIMIT_SLACK = 64 << 10  # a file this close to RLIMIT_FSIZE has hit it (writes come in pages)
_DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}
# How SQLite, Rust (os error N) and the OS word a full disk or a file-size limit.
_DISK_FULL_WORDS = ("database or disk is full", "no space left on device", "file too large", "disk quota exceeded",
                    f"os error {errno.ENOSPC})", f"os error {errno.EFBIG})")


def _chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=True)


def unreachable_message(chroma_url: str, detail: str) -> str:
    """One wording for a server that is down, wherever it is met (opening, asking, indexing)."""
    return (f"The index server at {chroma_url} is not reachable ({detail}). Check that `chroma run` is up there "
            "and that ASSISTANT_CHROMA_URL (--chroma-url) names it; questions are answered again as soon as it "
            "is back, and an interrupted `assistant index` resumes on its next run.")


def open_client(index_dir: Path, chroma_url: str | None = None, timeout: float | None = None):
    """A Chroma client for the configured store.

    A damaged embedded store raises IndexCorruptError; a server that does not answer raises
    IndexServerUnreachableError within a few seconds (requests are bounded by `timeout`,
    Settings.chroma_timeout by default, instead of Chroma's unbounded HTTP client).
    """
    from ..lean_imports import lean_chromadb

    with lean_chromadb():  # chromadb's import, and its store modules the client imports
        return _open_server(chroma_url, timeout) if chroma_url else _open_embedded(Path(index_dir))


def _open_embedded(index_dir: Path):
    import chromadb

    index_dir.mkdir(parents=True, exist_ok=True)
    check_store(index_dir)
    try:
        return chromadb.PersistentClient(path=str(index_dir), settings=_chroma_settings())
    except Exception as exc:
        raise IndexCorruptError(
            f"The index at {index_dir} cannot be opened ({type(exc).__name__}: {exc}). {REBUILD_HINT}"
        ) from exc


def _open_server(chroma_url: str, timeout: float | None):
    import chromadb
    import httpx

    if timeout is None:
        from ..settings import Settings

        timeout = Settings().chroma_timeout
    url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
    host, port = url.hostname or "127.0.0.1", url.port or (443 if url.scheme == "https" else 8000)
    bounded = httpx.Timeout(timeout, connect=min(_CONNECT_TIMEOUT, timeout))
    base = f"{'https' if url.scheme == 'https' else 'http'}://{host}:{port}"
    try:  # a bounded look first: Chroma's own first request would wait as long as the OS lets it
        httpx.get(f"{base}/api/v2/heartbeat", timeout=bounded).raise_for_status()
        client = chromadb.HttpClient(host=host, port=port, ssl=url.scheme == "https", settings=_chroma_settings())
    except Exception as exc:
        raise IndexServerUnreachableError(unreachable_message(chroma_url, _detail(exc))) from exc
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = bounded
    return client


def _detail(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _causes(exc: BaseException):
    """The exception and the ones it was raised from (Chroma wraps transport and OS errors)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_unreachable(exc: BaseException) -> bool:
    """A transport failure talking to a server: refused, reset, timed out, cut off mid-answer."""
    try:
        import httpx
    except ImportError:  # pragma: no cover
        return False
    return any(isinstance(e, (httpx.TransportError, ConnectionError, TimeoutError)) for e in _causes(exc))


def is_disk_full(exc: BaseException) -> bool:
    """Writing failed for want of space: a full disk, a quota, or a file-size limit (RLIMIT_FSIZE)."""
    for e in _causes(exc):
        if isinstance(e, OSError) and e.errno in _DISK_FULL_ERRNOS:
            return True
        if any(word in str(e).lower() for word in _DISK_FULL_WORDS):
            return True
    return False


def space_exhausted(folder: Path) -> str | None:
    """Why writing into `folder` fails for want of space, or None: its disk is (nearly) full, or a store
    file has reached this process's file-size limit (RLIMIT_FSIZE: SQLite then reports only "disk I/O error")."""
    folder = Path(folder)
    probe = next((p for p in (folder, *folder.parents) if p.exists()), None)
    try:
        if probe is not None and shutil.disk_usage(probe).free < _LOW_SPACE:
            return f"{shutil.disk_usage(probe).free // 1024} KiB left on its disk"
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
    except (OSError, ImportError, ValueError):  # no resource module (Windows) or an unreadable folder
        return None
    if soft == resource.RLIM_INFINITY or not folder.is_dir():
        return None
    for path in folder.rglob("*"):
        if path.is_file() and path.stat().st_size >= soft - _LIMIT_SLACK:
            return f"{path.name} reached the file-size limit of {soft:,} bytes"
    return None


def is_store_error(exc: BaseException) -> bool:
    """An error raised by the store (Chroma or its SQLite file), not by our code."""
    try:
        from chromadb.errors import ChromaError
    except ImportError:  # pragma: no cover
        ChromaError = ()  # noqa: N806
    return isinstance(exc, (ChromaError, sqlite3.DatabaseError)) or type(exc).__module__.startswith("chromadb")


def disk_full_message(where: str, detail: str) -> str:
    return (f"The disk is full: writing the index at {where} failed ({detail}). The last committed index still "
            "answers as before; free some space and run `assistant index` again to finish.")


@contextmanager
def store_errors(index_dir: Path, chroma_url: str | None = None):
    """Turn a store failure met while reading or writing into a user-facing error."""
    try:
        yield
    except AssistantError:
        raise
    except Exception as exc:
        detail = _detail(exc)
        if chroma_url and is_unreachable(exc):
            raise IndexServerUnreachableError(unreachable_message(chroma_url, detail)) from exc
        if is_disk_full(exc):
            raise DiskFullError(disk_full_message(chroma_url or str(index_dir), detail)) from exc
        # SQLite under a file-size limit says only "disk I/O error", and Chroma often hides even that
        # ("Error in compaction"): a store failure while the store's space is exhausted is put down to it.
        short = space_exhausted(index_dir) if not chroma_url and (is_store_error(exc) or isinstance(exc, OSError)) \
            else None
        if short:
            raise DiskFullError(disk_full_message(str(index_dir), f"{detail}; {short}")) from exc
        if not is_store_error(exc):
            raise
        if any(word in str(exc).lower() for word in ("database is locked", "database is busy")):
            raise AssistantError(f"The index at {index_dir} is busy ({detail}); try again in a moment.") from exc
        if chroma_url:
            raise IndexMissingError(f"The Chroma server at {chroma_url} failed ({detail}).") from exc
        raise IndexCorruptError(f"The index at {index_dir} cannot be read ({detail}). {REBUILD_HINT}") from exc


def chunk_collection(client, name: str):
    """The collection of article chunks (cosine space, no embedding function)."""
    return client.get_or_create_collection(
        name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
    )


# Chroma keeps every write in its log until the collection's vector index is persisted (by default
# every 1000 writes). The manifest is one record rewritten on every commit, and at 10k+ articles
# it is megabytes of JSON: with the default, hundreds of stale copies piled up in the log (0.5 GB
# at 100k chunks) and every process replayed them on opening (+3 s and +0.6 GB). Persisting
# after every couple of writes keeps the log to the latest copy.
_MANIFEST_HNSW = {"batch_size": 2, "sync_threshold": 2}


def manifest_collection(client, name: str):
    """A one-record collection whose single upsert is the index's atomic commit point."""
    collection = client.get_or_create_collection(name + MANIFEST_SUFFIX, embedding_function=None,
                                                 configuration={"hnsw": dict(_MANIFEST_HNSW)})
    try:  # a store made before this setting: switch it over (once; later opens see it set)
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # chromadb: "legacy embedding function config"
            hnsw = (collection.configuration or {}).get("hnsw") or {}
        if hnsw.get("sync_threshold", 1000) > _MANIFEST_HNSW["sync_threshold"]:
            collection.modify(configuration={"hnsw": dict(_MANIFEST_HNSW)})
    except Exception:  # an older Chroma without these settings: only slower, still correct
        pass
    return collection
