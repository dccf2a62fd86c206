"""ONNX Runtime embeddings (exported locally from the bundled weights) match the torch model."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("onnx")

from assistant.index import embeddings as emb_mod  # noqa: E402
from assistant.index import onnx_export  # noqa: E402
from assistant.settings import Settings  # noqa: E402

pytestmark = pytest.mark.slow

SENTENCES = [
    "Ministry spokesperson Jo Okafor said Norland opposes this approach.",
    "Ostmark maintains its stance of not providing lethal weapons to Valdoria.",
    "Okafor said the harbour dispute will be resolved gradually.",
    "short",
    "Ada Roe warned Harbourton against imprudent steps that could lead to a complete breakdown of relations. " * 6,
]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory):
    """A private export cache, so the test exports once and leaves the user's cache alone."""
    path = tmp_path_factory.mktemp("onnx-cache")
    mp = pytest.MonkeyPatch()
    mp.setenv("ASSISTANT_ONNX_CACHE", str(path))
    yield path
    mp.undo()


@pytest.fixture(scope="module")
def torch_vectors():
    model = emb_mod.MiniLMEmbeddings(Settings().embedding_model_path(), "cpu", 8, "torch")
    return model.embed_array(SENTENCES)


@pytest.mark.parametrize("backend,floor", [("onnx", 0.999), ("onnx-int8", 0.98)])
def test_onnx_vectors_match_torch(cache_dir, torch_vectors, backend, floor):
    model = emb_mod.MiniLMEmbeddings(Settings().embedding_model_path(), "cpu", 2, backend)
    vectors = model.embed_array(SENTENCES)
    assert model.engine == "onnx"
    assert vectors.shape == torch_vectors.shape and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    cosine = (vectors * torch_vectors).sum(axis=1)
    assert cosine.min() >= floor, cosine
    # Batching (sorted by length, token budget) keeps every text's vector in its place. (int8's
    # activation scales are per batch, so its vectors move a little with the batch.)
    one_by_one = np.stack([model.embed_array([s])[0] for s in SENTENCES])
    if backend == "onnx":
        assert np.allclose(vectors, one_by_one, atol=1e-5)
    assert (vectors * one_by_one).sum(axis=1).min() >= floor


@pytest.mark.parametrize("quantized", [False, True])
def test_each_text_alone_side_by_side_gives_the_one_call_vectors_in_order(cache_dir, quantized):
    path = Settings().embedding_model_path()
    kwargs = onnx_export.onnx_model_kwargs(path, quantized, Settings()) | {"threads": 2}
    encoder = onnx_export.OnnxSentenceEncoder(path, **kwargs)
    one_by_one = np.stack([encoder.encode([s])[0] for s in SENTENCES])
    each = encoder.encode_each(SENTENCES + SENTENCES[::-1])
    assert each.dtype == np.float32 and each.shape == (2 * len(SENTENCES), one_by_one.shape[1])
    assert np.allclose(each[:len(SENTENCES)], one_by_one, atol=1e-6)
    assert np.allclose(each[len(SENTENCES):], one_by_one[::-1], atol=1e-6)
    assert encoder.encode_each([]).shape == (0, one_by_one.shape[1])


def test_export_is_cached_and_named_by_the_model(cache_dir):
    path = Settings().embedding_model_path()
    first = onnx_export.export_onnx(path)
    assert first.exists() and cache_dir in first.parents
    mtime = first.stat().st_mtime_ns
    assert onnx_export.export_onnx(path) == first and first.stat().st_mtime_ns == mtime
    assert onnx_export.model_fingerprint(path) in first.parent.name


def test_auto_backend_prefers_int8_onnx_on_cpu(cache_dir):
    path = Settings().embedding_model_path()
    assert emb_mod.resolve_backend("auto", "cpu", path) == "onnx-int8"
    assert emb_mod.resolve_backend("torch", "cpu", path) == "torch"
    assert Settings().embedding_backend == "auto"
