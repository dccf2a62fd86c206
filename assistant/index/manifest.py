"""The manifest: which article versions are live in the store.

It is one JSON record in its own collection, so replacing it is a single atomic
write. Chunks are written before the manifest names them and deleted only after
it stops naming them, so readers that trust the manifest never see a half-written
article, and an interrupted run leaves the previous index answering.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from .store import manifest_collection

_RECORD_ID = "manifest"


@dataclass
class ArticleEntry:
    hash: str
    chunks: int
    root: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


@dataclass
class Manifest:
    version: int = 0
    embedding_model: str | None = None
    articles: dict[str, ArticleEntry] = field(default_factory=dict)
    duplicates: dict[str, str] = field(default_factory=dict)  # alias source -> indexed source
    pending: list[list[str]] = field(default_factory=list)  # [source, hash] being written now
    garbage: list[list[str]] = field(default_factory=list)  # [source, hash] no longer live

    def is_live(self, source: str, article_hash: str) -> bool:
        entry = self.articles.get(source)
        return entry is not None and entry.hash == article_hash

    def source_for_hash(self) -> dict[str, str]:
        return {entry.hash: source for source, entry in self.articles.items()}

    @property
    def chunk_count(self) -> int:
        return sum(e.chunks for e in self.articles.values())

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "Manifest":
        data = json.loads(text)
        data["articles"] = {k: ArticleEntry(**v) for k, v in data.get("articles", {}).items()}
        return cls(**data)


class ManifestStore:
    """Reads and atomically replaces the manifest record of one chunk collection."""

    def __init__(self, client, collection_name: str):
        self._collection = manifest_collection(client, collection_name)

    def version(self) -> int:
        got = self._collection.get(ids=[_RECORD_ID], include=["metadatas"])
        return int(got["metadatas"][0]["version"]) if got["ids"] else 0

    def load(self) -> Manifest:
        got = self._collection.get(ids=[_RECORD_ID], include=["documents"])
        if not got["ids"]:
            return Manifest()
        return Manifest.from_json(got["documents"][0])

    def commit(self, manifest: Manifest) -> None:
        manifest.version += 1
        self._collection.upsert(
            ids=[_RECORD_ID], documents=[manifest.to_json()], embeddings=[[1.0]],
            metadatas=[{"version": manifest.version}],
        )
