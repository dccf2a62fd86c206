"""A local Ollama server (``ollama serve``), through langchain-ollama."""

from __future__ import annotations

from .chat_generator import ChatModelGenerator


class OllamaGenerator(ChatModelGenerator):
    """Answers with ``settings.llm_model`` served by Ollama at ``settings.ollama_url``."""

    name = "ollama"

    def __init__(self, settings, embeddings=None, **kwargs):
        try:
            from langchain_ollama import ChatOllama
        except ImportError as exc:
            raise ImportError(
                "The 'ollama' generator needs langchain-ollama: pip install 'assistant[ollama]'"
            ) from exc
        model = ChatOllama(
            model=settings.llm_model,
            base_url=settings.ollama_url,
            temperature=settings.llm_temperature,
            num_predict=settings.llm_max_tokens,
            client_kwargs={"timeout": settings.llm_timeout},  # handed to the httpx client
            validate_model_on_init=False,  # no network call before the first question
        )
        kwargs.setdefault("endpoint", settings.ollama_url)
        super().__init__(model, settings, **kwargs)
