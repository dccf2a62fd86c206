"""Rebuild the index from scratch without ever leaving a half-built one in place.

Embedded store: build in a sibling folder, then swap folders (a rename each), so a
corrupt or outdated store is replaced only by a complete one. Server store: build
into a new collection, then drop the old one and rename the new one.

A rebuild keeps every article: besides the folders it is given, it re-reads every file
the old manifest names, from whichever folder it was indexed from (its recorded root),
and reports each one that is gone from disk instead of dropping it silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..ingest.document import container
from ..ingest.readers import SourceFile
from ..settings import Settings
from .indexer import Indexer, IndexReport
from .manifest import ManifestStore
from .store import MANIFEST_SUFFIX, open_client, store_problem


def _forget_clients() -> None:
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


def named_sources(settings: Settings) -> tuple[list[SourceFile], list[str], list[str]]:
    """The files the current manifest names (with their roots), the sources whose file is gone,
    and warnings (an old index too damaged to say what it held)."""
    if not settings.chroma_url:
        if not Path(settings.index_dir, "chroma.sqlite3").exists():
            return [], [], []  # no old index: nothing to keep
        problem = store_problem(Path(settings.index_dir))
        if problem:  # opening a damaged store could crash: build from the folders alone
            return [], [], [f"the old index cannot say which articles it held ({problem}): "
                             "rebuilding from the given folders only"]
    try:
        manifest = ManifestStore(open_client(settings.index_dir, settings.chroma_url), settings.collection).load()
    except Exception as exc:  # a damaged store is what a rebuild is for: build from the folders alone
        return [], [], [f"the old index cannot say which articles it held ({type(exc).__name__}: {exc}): "
                         "rebuilding from the given folders"]
    files: dict[str, SourceFile] = {}
    gone: list[str] = []
    for source, entry in sorted(manifest.articles.items()):
        name = container(source)
        root = Path(entry.root)
        path = root / name
        if path.is_file():
            files.setdefault(f"{root}\0{name}", SourceFile(path, name, root))
        else:
            gone.append(source)
    return list(files.values()), gone, []


def _keep_sources(report: IndexReport, gone: list[str], warnings: list[str]) -> IndexReport:
    report.missing = gone
    report.warnings = warnings + [f"gone: {s} is no longer on disk, so it is not in the rebuilt index" for s in gone] \
        + report.warnings
    return report


def rebuild(settings: Settings, paths: list[Path] | None = None, embeddings=None, progress=None) -> IndexReport:
    """Build a complete new index of `paths` plus every file the old manifest names, then swap it in."""
    named, gone, warnings = named_sources(settings)
    if settings.chroma_url:
        return _keep_sources(_rebuild_server(settings, paths, embeddings, progress, named), gone, warnings)
    index_dir = Path(settings.index_dir).resolve()
    staging = index_dir.parent / f".{index_dir.name}.rebuild-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staged = settings.model_copy(update={"index_dir": staging})
    report = Indexer(staged, embeddings=embeddings, progress=progress).index(paths, extra=named)
    _forget_clients()
    retired = index_dir.parent / f".{index_dir.name}.old-{os.getpid()}"
    keep = [p for p in index_dir.iterdir() if p.name == "README.md"] if index_dir.exists() else []
    for item in keep:
        shutil.copy2(item, staging / item.name)
    if index_dir.exists():
        os.replace(index_dir, retired)
    os.replace(staging, index_dir)
    shutil.rmtree(retired, ignore_errors=True)
    return _keep_sources(report, gone, warnings)


def _rebuild_server(settings: Settings, paths, embeddings, progress, named=None) -> IndexReport:
    client = open_client(settings.index_dir, settings.chroma_url)
    staged_name = f"{settings.collection}-rebuild"
    for name in (staged_name, staged_name + MANIFEST_SUFFIX):
        _drop(client, name)
    staged = settings.model_copy(update={"collection": staged_name})
    report = Indexer(staged, client=client, embeddings=embeddings, progress=progress).index(paths, extra=named)
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
