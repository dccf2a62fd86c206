"""Shared fixtures: the seed corpus, isolated settings, embeddings (real and fake)."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings

import assistant  # noqa: F401  (offline switches first)
from assistant.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "seeds"
SEED_NAMES = sorted(p.name for p in SEEDS_DIR.iterdir() if p.suffix == ".txt")


class FakeEmbeddings(Embeddings):
    """Deterministic hashed bag-of-words vectors (64 dims, L2-normalised): fast, no model."""

    dims = 64
    model_id = "all-MiniLM-L6-v2"  # same space name as the real model, so the indexer keeps the store

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dims, dtype=np.float32)
        for word in re.findall(r"\w+", text.lower()):
            digest = hashlib.md5(word.encode("utf-8")).digest()
            vec[digest[0] % self.dims] += 1.0 if digest[1] % 2 else -1.0
        norm = float(np.linalg.norm(vec))
        if norm == 0.0:
            vec[0] = 1.0
            return vec
        return vec / norm

    def embed_array(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dims), dtype=np.float32)
        return np.stack([self._vector(t) for t in texts])

    def embed_each(self, texts: list[str]) -> np.ndarray:
        return self.embed_array(texts)  # a hashed vector never depends on its batch-mates

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text).tolist()


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/ (tests may edit, add and delete articles)."""
    target = tmp_path / "corpus"
    target.mkdir()
    for name in SEED_NAMES:
        shutil.copy2(SEEDS_DIR / name, target / name)
    return target


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings whose index and data live in tmp_path (never the project's index/)."""
    return Settings(index_dir=tmp_path / "index", data_dir=tmp_path / "data", corpus_dir=SEEDS_DIR)


@pytest.fixture
def fake_embeddings() -> FakeEmbeddings:
    return FakeEmbeddings()


@pytest.fixture(scope="session")
def real_embeddings():
    """The bundled all-MiniLM-L6-v2, loaded once for the whole session."""
    from assistant.index.embeddings import embeddings_from_settings

    return embeddings_from_settings(Settings())
