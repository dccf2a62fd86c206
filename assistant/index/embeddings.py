"""all-MiniLM-L6-v2 embeddings from the bundled package, as a LangChain ``Embeddings``.

The model is loaded once per process (keyed by folder, device and engine) and
shared by every caller; vectors are L2-normalised so cosine distance is a dot product.
"""

from __future__ import annotations

import threading

from langchain_core.embeddings import Embeddings

from .. import offline  # noqa: F401  (sets HF_HUB_OFFLINE before sentence-transformers loads)

_MODELS: dict[tuple[str, str, str], object] = {}
_LOCK = threading.Lock()


def resolve_device(device: str) -> str:
    """'auto' means CUDA when a GPU is present, else CPU."""
    if device != "auto":
        return device
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except ImportError:
        return "cpu"


def load_sentence_model(model_path: str, device: str = "auto", backend: str = "torch"):
    """The shared SentenceTransformer for this folder, device and engine, loaded on first use."""
    key = (model_path, resolve_device(device), backend)
    with _LOCK:
        model = _MODELS.get(key)
        if model is None:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            hf_logging.set_verbosity_error()

            kwargs = {"device": key[1], "local_files_only": True}
            if backend == "onnx":
                from .onnx_export import onnx_model_kwargs

                kwargs.update(onnx_model_kwargs(model_path))
            model = SentenceTransformer(model_path, backend=backend, **kwargs)
            _MODELS[key] = model
        return model


class MiniLMEmbeddings(Embeddings):
    """Batched, normalised sentence embeddings; thread-safe for concurrent queries."""

    def __init__(self, model_path: str, device: str = "auto", batch_size: int = 64, backend: str = "torch"):
        self.model_path = model_path
        self.device = device
        self.batch_size = batch_size
        self.backend = backend
        self._encode_lock = threading.Lock()

    @property
    def model(self):
        return load_sentence_model(self.model_path, self.device, self.backend)

    @property
    def model_id(self) -> str:
        """Names the vectors' space: a store built with another model must be rebuilt."""
        return "all-MiniLM-L6-v2"

    def _encode(self, texts: list[str], show_progress: bool = False):
        with self._encode_lock:  # torch inference on 2 cores: one batch at a time is fastest
            return self.model.encode(
                texts, batch_size=self.batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=show_progress,
            )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0].tolist()

    def embed_array(self, texts: list[str]):
        """Numpy vectors (no list conversion) for the generator's sentence scoring."""
        return self._encode(list(texts))


def embeddings_from_settings(settings) -> MiniLMEmbeddings:
    return MiniLMEmbeddings(
        settings.embedding_model_path(), settings.embedding_device,
        settings.embedding_batch_size, settings.embedding_backend,
    )
