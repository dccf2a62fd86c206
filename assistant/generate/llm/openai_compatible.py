"""OpenAI-compatible endpoints: OpenAI itself, vLLM, the llama.cpp server, LM Studio."""

from __future__ import annotations

import os

from ...errors import BackendUnavailableError
from .chat_generator import ChatModelGenerator

OPENAI_URL = "https://api.openai.com/v1"
LOCAL_KEY = "not-needed"  # local servers ignore the key, but the client insists on one


def _api_key(settings) -> str | None:
    if settings.llm_api_key is not None:
        return settings.llm_api_key.get_secret_value()
    return os.environ.get("OPENAI_API_KEY")


class OpenAICompatibleGenerator(ChatModelGenerator):
    """Answers through ``/v1/chat/completions`` at ``settings.llm_base_url``."""

    name = "openai"

    def __init__(self, settings, embeddings=None, **kwargs):
        try:
            from langchain_openai import ChatOpenAI
        except ImportError as exc:
            raise ImportError(
                "The 'openai' generator needs langchain-openai: pip install 'assistant[openai]'"
            ) from exc
        key = _api_key(settings)
        if not settings.llm_base_url and not key:
            raise BackendUnavailableError(
                "The 'openai' generator needs an endpoint: set ASSISTANT_LLM_BASE_URL for a local "
                "OpenAI-compatible server, or ASSISTANT_LLM_API_KEY / OPENAI_API_KEY for OpenAI."
            )
        model = ChatOpenAI(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=key or LOCAL_KEY,
            timeout=settings.llm_timeout,
            max_retries=0,  # fail within llm_timeout; the user sees a clear error instead
            temperature=settings.llm_temperature,
            max_tokens=settings.llm_max_tokens,
            use_responses_api=False,  # local servers speak only chat completions
            stream_usage=False,  # and some reject stream_options
            # langchain-openai sends max_completion_tokens; older local servers read only max_tokens
            extra_body={"max_tokens": settings.llm_max_tokens} if settings.llm_base_url else None,
        )
        kwargs.setdefault("endpoint", settings.llm_base_url or OPENAI_URL)
        super().__init__(model, settings, **kwargs)
