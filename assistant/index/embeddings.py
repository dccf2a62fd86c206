"""all-MiniLM-L6-v2 embeddings from the bundled package, as a LangChain ``Embeddings``.

The model is loaded once per process (keyed by folder, device and engine) and
shared by every caller; vectors are L2-normalised so cosine distance is a dot product.

Engines (``embedding_backend``): ``torch`` (sentence-transformers), ``onnx`` (ONNX Runtime
running an fp32 export made locally from the same weights: the same vectors, faster on
CPU), ``onnx-int8`` (a per-channel int8 export of the MatMuls: about 2x fp32 again, cosine
>= 0.98 to fp32, retrieval on news-dev as good), and ``auto`` (the default): ``onnx-int8`` on
CPU when onnxruntime is installed, torch on a CUDA GPU unless onnxruntime-gpu is present
(then fp32 ONNX), torch when ONNX is unavailable or its export fails.
"""

from __future__ import annotations

import logging
import os
import threading

from langchain_core.embeddings import Embeddings

from .. import offline  # noqa: F401  (sets HF_HUB_OFFLINE before sentence-transformers loads)

log = logging.getLogger(__name__)

_MODELS: dict[tuple[str, str, str], object] = {}
_LOCK = threading.Lock()


def _cuda_possible() -> bool:
    """False when CUDA surely is absent (no NVIDIA driver, or a CPU-only torch) without importing torch."""
    if not os.path.exists("/proc/driver/nvidia/version") and not os.environ.get("CUDA_VISIBLE_DEVICES"):
        return False
    try:
        from importlib.metadata import version

        return not version("torch").endswith("+cpu")
    except Exception:
        return True


def resolve_device(device: str) -> str:
    """'auto' means CUDA when a GPU is present, else CPU."""
    if device != "auto":
        return device
    if not _cuda_possible():
        return "cpu"
    try:
        import torch

        return "cuda" if torch.cuda.is_available() else "cpu"
    except ImportError:
        return "cpu"


def resolve_backend(backend: str, device: str = "auto", model_path: str | None = None) -> str:
    """'auto': the int8 ONNX export on CPU (about 2x fp32 and 3x torch on real news, with retrieval
    on a news-dev subset as good as fp32's: see bench/README.md), fp32 ONNX on CUDA with
    onnxruntime-gpu (int8 kernels are CPU ones), else torch."""
    if backend != "auto":
        return backend
    from .onnx_export import onnx_available

    if not onnx_available(model_path):
        return "torch"
    if resolve_device(device).startswith("cuda"):
        import onnxruntime as ort

        return "onnx" if "CUDAExecutionProvider" in ort.get_available_providers() else "torch"
    return "onnx-int8"


def load_sentence_model(model_path: str, device: str = "auto", backend: str = "torch"):
    """The shared encoder (SentenceTransformer or its ONNX stand-in) for this folder, device
    and engine, loaded on first use."""
    asked = (model_path, device, backend)
    model = _MODELS.get(asked)
    if model is not None:
        return model
    backend = resolve_backend(backend, device, model_path)
    key = (model_path, resolve_device(device), backend)
    with _LOCK:
        model = _MODELS.get(key)
        if model is None and backend in ("onnx", "onnx-int8"):
            from .onnx_export import OnnxSentenceEncoder, onnx_model_kwargs

            try:
                model = OnnxSentenceEncoder(model_path, device=key[1],
                                            **onnx_model_kwargs(model_path, quantized=backend == "onnx-int8"))
            except Exception as exc:  # no export possible here: the torch model gives the same vectors
                log.warning("ONNX embeddings unavailable (%s: %s); using torch", type(exc).__name__, exc)
                model = _load_torch(model_path, key[1])
        elif model is None:
            model = _load_torch(model_path, key[1])
        _MODELS[key] = _MODELS[asked] = model
        return model


def _load_torch(model_path: str, device: str):
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    try:
        return SentenceTransformer(model_path, device=device, local_files_only=True)
    except Exception as exc:  # missing or damaged model files: name the package that restores them
        from ..errors import EmbeddingModelError

        raise EmbeddingModelError.damaged(model_path, exc) from exc


class MiniLMEmbeddings(Embeddings):
    """Batched, normalised sentence embeddings; thread-safe for concurrent queries."""

    def __init__(self, model_path: str, device: str = "auto", batch_size: int = 64, backend: str = "auto"):
        self.model_path = model_path
        self.device = device
        self.batch_size = batch_size
        self.backend = backend
        self._encode_lock = threading.Lock()

    @property
    def model(self):
        return load_sentence_model(self.model_path, self.device, self.backend)

    @property
    def engine(self) -> str:
        """The engine actually running: 'onnx' (ONNX Runtime) or 'torch'."""
        return "onnx" if type(self.model).__name__ == "OnnxSentenceEncoder" else "torch"

    @property
    def model_id(self) -> str:
        """Names the vectors' space: a store built with another model must be rebuilt."""
        return "all-MiniLM-L6-v2"

    def _encode(self, texts: list[str], show_progress: bool = False):
        with self._encode_lock:  # inference on few cores: one batch at a time is fastest
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

    def embed_each(self, texts: list[str]):
        """Numpy vectors, each text embedded alone: the same vector for a text whatever it is embedded
        with (an int8 graph scales each batch as a whole). Runs side by side where the engine can."""
        import numpy as np

        model, texts = self.model, list(texts)
        if hasattr(model, "encode_each"):
            return model.encode_each(texts)
        rows = [self._encode([text]) for text in texts]
        return np.vstack(rows) if rows else np.zeros((0, model.get_sentence_embedding_dimension()), np.float32)


def embeddings_from_settings(settings) -> MiniLMEmbeddings:
    return MiniLMEmbeddings(
        settings.embedding_model_path(), settings.embedding_device,
        settings.embedding_batch_size, settings.embedding_backend,
    )
