"""The live corpus: every chunk the manifest names, kept in memory with a BM25 index.

Readers take a snapshot per question; the snapshot is swapped (never edited) when
the manifest's version changes, so a question is answered from one consistent index
even while `assistant index` runs beside it.

Built for large corpora (100k+ chunks):

- the live chunk ids are computed from the manifest (``chunk_id(source, hash, i)``) and
  fetched by id, instead of paging through the whole collection and filtering;
- a new manifest version reuses the previous snapshot's rows and term ids for every
  article it still names, so only new or changed articles are fetched and tokenised;
- each snapshot (rows, term ids, BM25 arrays) is saved next to the store, keyed by the
  collection's id and the manifest's content, and the next process loads it back
  (BM25 arrays memory-mapped) instead of reading every chunk from Chroma and
  re-tokenising it: cold start no longer grows with tokenisation work. The folder is
  ``<index_dir>/lexical/`` for the embedded store and ``~/.cache/assistant/lexical/`` for a
  Chroma server (``Settings.snapshot_cache``, ``ASSISTANT_SNAPSHOT_CACHE``, names another folder,
  or ``off``); a
  missing, stale or unwritable cache only costs time, never correctness.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..ingest.patterns import headline
from ..types import RetrievedChunk
from ..index.manifest import Manifest, ManifestStore
from ..index.store import chunk_collection
from ..ingest.chunk import chunk_id
from ..settings import Settings
from .lexical import LexicalIndex, Vocabulary, tokenize

log = logging.getLogger(__name__)

_FETCH = 2000  # chunk ids per Chroma get
_KEEP_SNAPSHOTS = 2  # saved snapshots kept per collection
_FORMAT = 4  # bump when the saved layout or the terms change


@dataclass
class CorpusSnapshot:
    """One manifest version's chunks, their BM25 index, and lookups by id and article.

    It is the CorpusView generators receive: article_chunks(), idf() and knows().
    """

    manifest: Manifest
    ids: list[str]
    texts: list[str]
    metadatas: list[dict]
    lexical: LexicalIndex
    position: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, list[int]] = field(default_factory=dict)
    headlines: dict[str, str | None] = field(default_factory=dict)
    # Term ids of each row (CSR: row i is token_ids[token_ptr[i]:token_ptr[i + 1]]), kept so the
    # next version re-tokenises only new articles.
    token_ids: np.ndarray | None = field(default=None, repr=False)
    token_ptr: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self):
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        for i, meta in enumerate(self.metadatas):
            self.by_source.setdefault(meta["source"], []).append(i)
        for rows in self.by_source.values():
            rows.sort(key=lambda i: self.metadatas[i].get("start", 0))
        # every chunk of an article carries the headline a reader should see (cite.labels.headline)
        self.headlines = {source: headline(self.metadatas[rows[0]].get("title"), self.texts[rows[0]])
                          for source, rows in self.by_source.items()}

    def chunk(self, i: int, score: float = 0.0) -> RetrievedChunk:
        meta = self.metadatas[i]
        return RetrievedChunk(
            source=meta["source"], chunk_id=self.ids[i], score=float(score), text=self.texts[i],
            start=int(meta.get("start", 0)), end=int(meta.get("end", 0)),
            title=self.headlines.get(meta["source"]), outlet=meta.get("outlet"), published=meta.get("published"),
            author=meta.get("author") or meta.get("byline"), url=meta.get("url"), page=meta.get("page"),
        )

    # -- the CorpusView a generator reads (assistant.types.CorpusView) --------------
    def article_chunks(self, source: str) -> list[RetrievedChunk]:
        """All chunks of one article in reading order (for attribution context)."""
        return [self.chunk(i) for i in self.by_source.get(source, [])]

    def idf(self, term: str) -> float:
        return self.lexical.idf(term)

    def knows(self, term: str) -> bool:
        return self.lexical.knows(term)


def live_ids(manifest: Manifest) -> list[tuple[str, str, list[str]]]:
    """(source, hash, chunk ids) of every live article, in a stable order."""
    return [(source, entry.hash, [chunk_id(source, entry.hash, i) for i in range(entry.chunks)])
            for source, entry in sorted(manifest.articles.items())]


def manifest_key(manifest: Manifest) -> str:
    """Names the manifest's content (not its version number, which a rebuild starts again)."""
    digest = hashlib.sha1(f"format={_FORMAT}".encode())
    for source, entry in sorted(manifest.articles.items()):
        digest.update(f"{source}\0{entry.hash}\0{entry.chunks}\n".encode("utf-8"))
    return digest.hexdigest()[:20]


def default_cache_dir(client, collection_name: str, settings: Settings | None = None) -> Path | None:
    """Where snapshots of this store's collection are saved (None: not saved)."""
    settings = settings or Settings()
    chosen = settings.snapshot_cache or ""
    if chosen.lower() in ("0", "off", "no", "false", "none"):
        return None
    try:
        store = client.get_settings()  # Chroma's settings: where this client's store lives
    except Exception:
        return None
    if chosen:
        root = Path(chosen).expanduser()
    elif getattr(store, "is_persistent", False) and getattr(store, "persist_directory", None):
        return Path(store.persist_directory) / "lexical" / collection_name
    else:
        root = settings.user_cache_dir() / "lexical"
    where = f"{getattr(store, 'chroma_server_host', '')}:{getattr(store, 'chroma_server_http_port', '')}"
    where = where if where != ":" else str(getattr(store, "persist_directory", ""))
    return root / hashlib.sha1(where.encode()).hexdigest()[:12] / collection_name


class SnapshotCache:
    """Saved snapshots of one collection: <folder>/<collection id>/<manifest key>/."""

    def __init__(self, folder: Path | None, collection_id: str):
        self.folder = Path(folder) / str(collection_id) if folder else None

    def load(self, key: str, manifest: Manifest) -> CorpusSnapshot | None:
        if self.folder is None:
            return None
        path = self.folder / key
        if not (path / "READY").exists():
            return None
        try:
            with (path / "rows.pkl").open("rb") as fh:
                rows = pickle.load(fh)
            tokens = np.load(path / "tokens.npz")
            vocab = Vocabulary(rows["vocab"])
            lexical = LexicalIndex.load(path, vocab=vocab)
            return CorpusSnapshot(manifest, rows["ids"], rows["texts"], rows["metadatas"], lexical,
                                  token_ids=tokens["ids"], token_ptr=tokens["ptr"])
        except Exception as exc:  # damaged or from another version: rebuild it
            log.warning("Ignoring the saved corpus snapshot in %s (%s: %s)", path, type(exc).__name__, exc)
            return None

    def latest(self) -> Path | None:
        if self.folder is None or not self.folder.is_dir():
            return None
        ready = [p for p in self.folder.iterdir() if (p / "READY").exists()]
        return max(ready, key=lambda p: (p / "READY").stat().st_mtime, default=None)

    def save(self, key: str, snapshot: CorpusSnapshot) -> None:
        if self.folder is None or (self.folder / key / "READY").exists():
            return
        tmp = self.folder / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            tmp.mkdir(parents=True, exist_ok=True)
            with (tmp / "rows.pkl").open("wb") as fh:
                pickle.dump({"ids": snapshot.ids, "texts": snapshot.texts, "metadatas": snapshot.metadatas,
                             "vocab": snapshot.lexical.vocab.words}, fh, protocol=pickle.HIGHEST_PROTOCOL)
            np.savez(tmp / "tokens.npz", ids=snapshot.token_ids, ptr=snapshot.token_ptr)
            snapshot.lexical.save(tmp)
            (tmp / "READY").write_text(key)
            try:
                os.rename(tmp, self.folder / key)
            except OSError:  # another process saved the same snapshot first
                shutil.rmtree(tmp, ignore_errors=True)
            self._prune(keep=key)
        except OSError as exc:  # read-only or full disk: answering goes on without the cache
            log.warning("Cannot save the corpus snapshot in %s (%s)", self.folder, exc)
            shutil.rmtree(tmp, ignore_errors=True)

    def _prune(self, keep: str) -> None:
        saved = sorted((p for p in self.folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
                       key=lambda p: p.stat().st_mtime, reverse=True)
        for old in [p for p in saved if p.name != keep][_KEEP_SNAPSHOTS - 1:]:
            shutil.rmtree(old, ignore_errors=True)
        now = time.time()
        for tmp in self.folder.glob(".*.tmp"):  # left by a process killed while saving
            if tmp.stat().st_mtime < now - 3600:
                shutil.rmtree(tmp, ignore_errors=True)
        if self.folder.parent.is_dir():  # snapshots of collections that no longer exist (rebuilt)
            for other in self.folder.parent.iterdir():
                if other.is_dir() and other != self.folder and \
                        other.stat().st_mtime < self.folder.stat().st_mtime - 3600:
                    shutil.rmtree(other, ignore_errors=True)


class LiveCorpus:
    """Loads and refreshes the snapshot of one collection."""

    def __init__(self, client, collection_name: str, cache_dir: Path | None | bool = None,
                 settings: Settings | None = None):
        self.collection = chunk_collection(client, collection_name)
        self.manifests = ManifestStore(client, collection_name)
        if cache_dir is None or cache_dir is True:
            cache_dir = default_cache_dir(client, collection_name, settings)
        self.cache = SnapshotCache(cache_dir or None, self.collection.id)
        self._snapshot: CorpusSnapshot | None = None
        self._lock = threading.Lock()

    def snapshot(self) -> CorpusSnapshot:
        """The current snapshot, reloaded first if the manifest moved on."""
        version = self.manifests.version()
        current = self._snapshot
        if current is not None and current.manifest.version == version:
            return current
        with self._lock:
            if self._snapshot is None or self._snapshot.manifest.version != version:
                self._snapshot = self._load()
            return self._snapshot

    def prepare(self) -> bool:
        """Save the snapshot of the current manifest unless it is saved already (the indexer calls
        this after a run, so the next reader starts without fetching or tokenising). True if saved now."""
        if self.cache.folder is None:
            return False
        manifest = self.manifests.load()
        if (self.cache.folder / manifest_key(manifest) / "READY").exists():
            return False
        with self._lock:
            self._snapshot = self._load(manifest)
        return True

    # -- loading --------------------------------------------------------------
    def _load(self, manifest: Manifest | None = None) -> CorpusSnapshot:
        manifest = manifest or self.manifests.load()
        key = manifest_key(manifest)
        previous = self._snapshot
        if previous is not None and manifest_key(previous.manifest) == key:
            # Same articles, new version number (e.g. a run that changed nothing): reuse all.
            return CorpusSnapshot(manifest, previous.ids, previous.texts, previous.metadatas, previous.lexical,
                                  token_ids=previous.token_ids, token_ptr=previous.token_ptr)
        saved = self.cache.load(key, manifest)
        if saved is not None:
            return saved
        base = previous
        if base is None:
            latest = self.cache.latest()
            if latest is not None:
                base = self.cache.load(latest.name, Manifest())
        snapshot = self._build(manifest, base)
        self.cache.save(key, snapshot)
        return snapshot

    def _build(self, manifest: Manifest, base: CorpusSnapshot | None) -> CorpusSnapshot:
        """Rows of every live article: reused from `base` where unchanged, fetched otherwise."""
        vocab = base.lexical.vocab if base is not None else Vocabulary()
        reusable: dict[str, int] = base.position if base is not None else {}
        ids: list[str] = []
        texts: list[str] = []
        metas: list[dict] = []
        tokens: list[np.ndarray] = []
        missing: list[str] = []
        for _source, _hash, chunk_ids in live_ids(manifest):
            for cid in chunk_ids:
                row = reusable.get(cid)
                ids.append(cid)
                if row is None:
                    missing.append(cid)
                    texts.append(None)  # type: ignore[arg-type]
                    metas.append(None)  # type: ignore[arg-type]
                    tokens.append(None)  # type: ignore[arg-type]
                else:
                    texts.append(base.texts[row])
                    metas.append(base.metadatas[row])
                    tokens.append(base.token_ids[base.token_ptr[row]:base.token_ptr[row + 1]])
        fetched = self._fetch(missing)
        keep = []
        for i, cid in enumerate(ids):
            if texts[i] is None:
                got = fetched.get(cid)
                if got is None:  # named by the manifest but not in the store (damage): leave it out
                    continue
                texts[i], metas[i] = got
            keep.append(i)
        if len(keep) != len(ids):
            log.warning("%d chunk(s) named by the manifest are missing from the store", len(ids) - len(keep))
            ids, texts, metas, tokens = ([xs[i] for i in keep] for xs in (ids, texts, metas, tokens))
        new_rows = [i for i, t in enumerate(tokens) if t is None]
        for i, toks in zip(new_rows, tokenize([texts[i] for i in new_rows], vocab)):
            tokens[i] = toks
        lengths = np.fromiter((len(t) for t in tokens), dtype=np.int64, count=len(tokens))
        token_ptr = np.zeros(len(tokens) + 1, dtype=np.int64)
        np.cumsum(lengths, out=token_ptr[1:])
        token_ids = np.concatenate(tokens).astype(np.int32) if tokens else np.zeros(0, np.int32)
        lexical = LexicalIndex.from_token_ids(tokens, vocab)
        return CorpusSnapshot(manifest, ids, texts, metas, lexical, token_ids=token_ids, token_ptr=token_ptr)

    def _fetch(self, ids: list[str]) -> dict[str, tuple[str, dict]]:
        out: dict[str, tuple[str, dict]] = {}
        shared: dict[str, str] = {}  # one copy of each article-level string (title, hash, ...), not one per chunk
        for i in range(0, len(ids), _FETCH):
            got = self.collection.get(ids=ids[i:i + _FETCH], include=["documents", "metadatas"])
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                if meta is not None and text is not None:
                    out[cid] = (text, {shared.setdefault(k, k): shared.setdefault(v, v) if isinstance(v, str) else v
                                       for k, v in meta.items()})
        return out

    def dense_search(self, snapshot: CorpusSnapshot, vector, n: int, where: dict | None = None,
                     allowed=None) -> list[tuple[int, float]]:
        """Nearest live chunks by cosine similarity: (snapshot row, similarity) best first.

        `where` (a Chroma metadata filter) makes Chroma search only matching chunks, so a
        selective filter still yields n of them; `allowed` (a boolean mask over snapshot rows)
        is checked as well, for chunks whose stored metadata predates the filter's fields."""
        if not snapshot.ids:
            return []
        # A few extra results make up for chunks that are in the store but not live in this snapshot
        # (written after it, or on their way out); Chroma returns fewer when it holds fewer.
        got = self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=n + 8, include=["distances"], **({"where": where} if where else {}),
        )
        hits = []
        for cid, distance in zip(got["ids"][0], got["distances"][0]):
            row = snapshot.position.get(cid)
            if row is not None and (allowed is None or allowed[row]):
                hits.append((row, 1.0 - float(distance)))
        return hits[:n]
