"""Registers the LLM backends; their client libraries are imported only when one is built."""

from __future__ import annotations

from ..registry import register


def _openai(settings, embeddings=None):
    from .openai_compatible import OpenAICompatibleGenerator

    return OpenAICompatibleGenerator(settings, embeddings)


def _ollama(settings, embeddings=None):
    from .ollama import OllamaGenerator

    return OllamaGenerator(settings, embeddings)


def _llamacpp(settings, embeddings=None):
    from .llamacpp import LlamaCppGenerator

    return LlamaCppGenerator(settings, embeddings)


register("openai", _openai)
register("openai-compatible", _openai)
register("ollama", _ollama)
register("llamacpp", _llamacpp)
