"""A GGUF model run in-process with llama.cpp (the optional llama-cpp-python package)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from ...errors import BackendUnavailableError
from .chat_generator import ChatModelGenerator

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LlamaCppChatModel(BaseChatModel):
    """The few lines of LangChain chat model needed around ``llama_cpp.Llama``."""

    client: Any
    temperature: float = 0.0
    max_tokens: int = 512

    @property
    def _llm_type(self) -> str:
        return "llamacpp"

    def _request(self, messages: list[BaseMessage], stop, stream: bool):
        return self.client.create_chat_completion(
            messages=[{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages],
            temperature=self.temperature, max_tokens=self.max_tokens, stop=stop, stream=stream,
        )

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        reply = self._request(messages, stop, stream=False)
        text = reply["choices"][0]["message"].get("content") or ""
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        for part in self._request(messages, stop, stream=True):
            text = part["choices"][0].get("delta", {}).get("content") or ""
            if text:
                if run_manager:
                    run_manager.on_llm_new_token(text)
                yield ChatGenerationChunk(message=AIMessageChunk(content=text))


class LlamaCppGenerator(ChatModelGenerator):
    """Answers with the GGUF file at ``settings.llamacpp_model_path``, no server needed."""

    name = "llamacpp"

    def __init__(self, settings, embeddings=None, **kwargs):
        path = settings.llamacpp_model_path
        if not path:
            raise BackendUnavailableError(
                "The 'llamacpp' generator needs a model: set ASSISTANT_LLAMACPP_MODEL_PATH to a .gguf file."
            )
        if not Path(path).is_file():
            raise BackendUnavailableError(f"The llama.cpp model file {path} does not exist.")
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ImportError(
                "The 'llamacpp' generator needs llama-cpp-python: pip install 'assistant[llamacpp]'"
            ) from exc
        client = Llama(model_path=str(path), n_ctx=8192, verbose=False)
        model = LlamaCppChatModel(
            client=client, temperature=settings.llm_temperature, max_tokens=settings.llm_max_tokens
        )
        kwargs.setdefault("endpoint", str(path))
        super().__init__(model, settings, **kwargs)
