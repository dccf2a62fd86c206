"""One Generator around any LangChain chat model: prompt, call, check the citations.

Backends differ only in how their chat model is built (see openai_compatible.py,
ollama.py, llamacpp.py); prompting, streaming, condensing follow-ups, turning
[n] markers into exact-quote citations and reporting backend failures live here.
"""

from __future__ import annotations

import re
from typing import Iterator, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from ...types import Answer, RetrievedChunk
from ...cite.postprocess import MarkerStreamer, group_sources, postprocess_answer, strip_reasoning
from ...errors import AssistantError, BackendUnavailableError
from ...types import CANNOT_ANSWER, History, StreamEvent
from ..base import BaseGenerator
from ..prompts import Prompts

_ROLES = {"system": SystemMessage, "human": HumanMessage}
_CONDENSE_PREFIX = re.compile(r"^\s*(?:standalone question|question|rewritten question)\s*:\s*", re.IGNORECASE)


def _text_of(message: object) -> str:
    """The text of a chat model's reply; anything else is a garbage response."""
    if isinstance(message, BaseMessage):
        return message.text
    raise TypeError(f"expected a chat message, got {type(message).__name__}")


class ChatModelGenerator(BaseGenerator):
    """Generator protocol over a LangChain ``BaseChatModel``.

    ``endpoint`` and ``timeout`` only serve the error message a user sees when
    the backend refuses, hangs or answers garbage.
    """

    name = "llm"

    def __init__(
        self,
        model: BaseChatModel,
        settings=None,
        *,
        name: str | None = None,
        endpoint: str | None = None,
        timeout: float | None = None,
        prompts: Prompts | None = None,
    ):
        self.model = model
        if name:
            self.name = name
        self.endpoint = endpoint or "the configured endpoint"
        self.timeout = timeout if timeout is not None else getattr(settings, "llm_timeout", None)
        self.prompts = prompts or Prompts.load(settings.prompts_dir if settings is not None else None)

    # --- errors -------------------------------------------------------------
    def _unavailable(self, exc: BaseException, doing: str) -> BackendUnavailableError:
        limit = f" (timeout {self.timeout:g} s)" if self.timeout else ""
        detail = f"{type(exc).__name__}: {exc}".strip().rstrip(":.")
        return BackendUnavailableError(
            f"The '{self.name}' backend at {self.endpoint}{limit} failed while {doing}: {detail}. "
            "Check that the server is running and reachable, or pick another generator."
        )

    def _messages(self, question: str, chunks: Sequence[RetrievedChunk], history: History | None):
        return [_ROLES[role](content=text) for role, text in self.prompts.answer_messages(question, chunks, history)]

    def _no_sources(self, question: str) -> Answer:
        return Answer(text=CANNOT_ANSWER, abstained=True, question=question, generator=self.name,
                      notes=["No article passages were retrieved for this question."])

    # --- Generator protocol -------------------------------------------------
    def generate(self, question: str, chunks: list[RetrievedChunk], history: History | None = None, **_context) -> Answer:
        if not chunks:
            return self._no_sources(question)
        try:
            text = _text_of(self.model.invoke(self._messages(question, chunks, history)))
        except AssistantError:
            raise
        except Exception as exc:  # any client, HTTP or parsing failure is the backend's
            raise self._unavailable(exc, "answering") from exc
        if not strip_reasoning(text).strip():
            raise self._unavailable(ValueError("empty answer"), "answering")
        return postprocess_answer(text, chunks, question=question, generator=self.name)

    def stream(
        self, question: str, chunks: list[RetrievedChunk], history: History | None = None, **_context
    ) -> Iterator[StreamEvent]:
        if not chunks:
            answer = self._no_sources(question)
            yield StreamEvent("token", text=answer.text)
            yield StreamEvent("answer", answer=answer)
            return
        streamer = MarkerStreamer(len(group_sources(chunks)))
        shown = ""
        try:
            for piece in self.model.stream(self._messages(question, chunks, history)):
                display = streamer.feed(_text_of(piece))
                if display != shown:
                    shown = display
                    yield StreamEvent("token", text=display)
        except AssistantError:
            raise
        except Exception as exc:
            raise self._unavailable(exc, "streaming an answer") from exc
        if not strip_reasoning(streamer.raw).strip():
            raise self._unavailable(ValueError("empty answer"), "streaming an answer")
        answer = postprocess_answer(streamer.raw, chunks, question=question, generator=self.name)
        if answer.text != shown:
            yield StreamEvent("token", text=answer.text)
        yield StreamEvent("answer", answer=answer)

    def condense(self, question: str, history: History) -> str:
        if not history:
            return question
        prompt = self.prompts.condense_prompt(question, history)
        try:
            text = _text_of(self.model.invoke([HumanMessage(content=prompt)]))
        except AssistantError:
            raise
        except Exception as exc:
            raise self._unavailable(exc, "rewriting a follow-up question") from exc
        lines = [line for line in strip_reasoning(text).strip().splitlines() if line.strip()]
        standalone = _CONDENSE_PREFIX.sub("", lines[0] if lines else "").strip().strip("\"'“”").strip()
        return standalone or question
