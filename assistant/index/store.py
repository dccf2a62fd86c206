"""Open the Chroma store: embedded on disk, or a Chroma server when a URL is configured.

No Chroma embedding function is ever attached (the default one downloads a
model); vectors always come from our own embeddings.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from .. import offline  # noqa: F401
from ..errors import IndexCorruptError

MANIFEST_SUFFIX = "-manifest"


def _chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=True)


def open_client(index_dir: Path, chroma_url: str | None = None):
    """A Chroma client for the configured store; a damaged store raises IndexCorruptError."""
    import chromadb

    if chroma_url:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        try:
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1", port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https", settings=_chroma_settings(),
            )
        except Exception as exc:
            from ..errors import IndexMissingError

            raise IndexMissingError(f"Cannot reach the Chroma server at {chroma_url}: {exc}") from exc
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    try:
        return chromadb.PersistentClient(path=str(index_dir), settings=_chroma_settings())
    except Exception as exc:
        raise IndexCorruptError(
            f"The index at {index_dir} cannot be opened ({type(exc).__name__}: {exc}). "
            "Run `assistant index --rebuild` to rebuild it from the articles."
        ) from exc


def chunk_collection(client, name: str):
    """The collection of article chunks (cosine space, no embedding function)."""
    return client.get_or_create_collection(
        name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
    )


def manifest_collection(client, name: str):
    """A one-record collection whose single upsert is the index's atomic commit point."""
    return client.get_or_create_collection(name + MANIFEST_SUFFIX, embedding_function=None)
