"""Rebuild the index from scratch without ever leaving a half-built one in place.

Embedded store: build in a sibling folder, then swap folders (a rename each), so a
corrupt or outdated store is replaced only by a complete one. Server store: build
into a new collection, then drop the old one and rename the new one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..settings import Settings
from .indexer import Indexer, IndexReport
from .store import MANIFEST_SUFFIX, open_client


def _forget_clients() -> None:
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def rebuild(settings: Settings, paths: list[Path] | None = None, embeddings=None, progress=None) -> IndexReport:
    if settings.chroma_url:
        return _rebuild_server(settings, paths, embeddings, progress)
    index_dir = Path(settings.index_dir).resolve()
    staging = index_dir.parent / f".{index_dir.name}.rebuild-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staged = settings.model_copy(update={"index_dir": staging})
    report = Indexer(staged, embeddings=embeddings, progress=progress).index(paths)
    _forget_clients()
    retired = index_dir.parent / f".{index_dir.name}.old-{os.getpid()}"
    keep = [p for p in index_dir.iterdir() if p.name == "README.md"] if index_dir.exists() else []
    for item in keep:
        shutil.copy2(item, staging / item.name)
    if index_dir.exists():
        os.replace(index_dir, retired)
    os.replace(staging, index_dir)
    shutil.rmtree(retired, ignore_errors=True)
    return report


def _rebuild_server(settings: Settings, paths, embeddings, progress) -> IndexReport:
    client = open_client(settings.index_dir, settings.chroma_url)
    staged_name = f"{settings.collection}-rebuild"
    for name in (staged_name, staged_name + MANIFEST_SUFFIX):
        _drop(client, name)
    staged = settings.model_copy(update={"collection": staged_name})
    report = Indexer(staged, client=client, embeddings=embeddings, progress=progress).index(paths)
    for name in (settings.collection, settings.collection + MANIFEST_SUFFIX):
        _drop(client, name)
    client.get_collection(staged_name, embedding_function=None).modify(name=settings.collection)
    client.get_collection(staged_name + MANIFEST_SUFFIX, embedding_function=None).modify(
        name=settings.collection + MANIFEST_SUFFIX)
    return report


def _drop(client, name: str) -> None:
    try:
        client.delete_collection(name)
    except Exception:  # chromadb raises NotFoundError (or ValueError in older versions) when absent
        pass
