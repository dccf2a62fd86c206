"""The OpenAI chat-completions protocol, mapped onto one question, its history and an Answer.

Chat front-ends speak this protocol; the answer travels as plain message content (the
text with its [n] markers, then a sources list) so any client shows it, while the exact
citations ride along in an extra `citations` field (and the whole Answer in `answer`)
for clients that want the offsets.
"""

from __future__ import annotations

import time
import uuid
from datetime import date
from typing import Any, Iterable, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidQuestionError
from ..types import Answer, History, StreamEvent

SOURCES_HEADING = "\n\nSources:\n"


class ChatMessage(BaseModel):
    """One message; content is text or a list of parts (only text parts are read)."""

    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class ChatCompletionRequest(BaseModel):
    """The request body; sampling options (temperature, max_tokens ...) are accepted and ignored.

    `k`, `generator`, `since`, `until` and `outlets` are extensions (the openai client sends
    them with `extra_body={...}`).
    """

    model_config = ConfigDict(extra="allow")

    model: str
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: dict[str, Any] | None = None
    k: int | None = Field(None, ge=1, le=50, description="Chunks retrieved (extension).")
    generator: str | None = Field(None, description="Answer generator (extension).")
    since: date | None = Field(None, description="Only articles published on or after this date (extension).")
    until: date | None = Field(None, description="Only articles published on or before this date (extension).")
    outlets: list[str] | None = Field(None, description="Only articles from these outlets (extension).")


def _text(content: str | list[dict[str, Any]] | None) -> str:
    if isinstance(content, list):
        return "\n".join(str(p.get("text", "")) for p in content if p.get("type") in ("text", "input_text"))
    return content or ""


def strip_sources(text: str) -> str:
    """An earlier answer of ours without the sources list appended to it."""
    head, found, _ = text.rpartition(SOURCES_HEADING)
    return head if found else text


def conversation(messages: list[ChatMessage]) -> tuple[str, History]:
    """The question (the last user message) and the earlier (question, answer) turns."""
    if messages[-1].role != "user":
        raise InvalidQuestionError("The last message must come from the user: it holds the question.")
    history: History = []
    pending: str | None = None
    for message in messages[:-1]:
        if message.role == "user":
            pending = _text(message.content)
        elif message.role == "assistant" and pending is not None:
            history.append((pending, strip_sources(_text(message.content))))
            pending = None
    return _text(messages[-1].content), history


def sources_block(answer: Answer) -> str:
    """The citations as readable lines: `[n] title, outlet, date (file, chars start-end)`."""
    if not answer.citations:
        return ""
    lines = []
    for c in answer.citations:
        label = ", ".join(p for p in (c.title, c.outlet, c.published) if p) or c.source
        lines.append(f"[{c.n}] {label} ({c.source}, chars {c.start}-{c.end})")
    return SOURCES_HEADING + "\n".join(lines)


def content(answer: Answer) -> str:
    return answer.text + sources_block(answer)


def _usage(question: str, text: str) -> dict[str, int]:
    # No tokenizer runs here: these are whitespace-separated word counts.
    prompt, completion_ = len(question.split()), len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion_, "total_tokens": prompt + completion_}


def new_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def completion(answer: Answer, model: str) -> dict[str, Any]:
    """A whole `chat.completion` object for one answer."""
    data = answer.to_dict()
    text = content(answer)
    return {
        "id": new_id(), "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{
            "index": 0, "finish_reason": "stop", "logprobs": None,
            "message": {"role": "assistant", "content": text, "refusal": None, "citations": data["citations"]},
        }],
        "usage": _usage(answer.question, text),
        "answer": data,
    }


def _chunk(cid: str, created: int, model: str, delta: dict[str, Any], finish: str | None = None,
           **extra: Any) -> dict[str, Any]:
    return {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}], **extra}


def chunks(events: Iterable[StreamEvent], model: str, include_usage: bool = False) -> Iterator[dict[str, Any]]:
    """`chat.completion.chunk` objects for a stream of events: a role chunk, text deltas, the
    sources list, then a closing chunk carrying `citations` (on its delta) and the `answer`.

    Events carry the text so far; a delta is what it grew by. Should a later text not extend
    what was sent (a backend rewrote it), nothing is retracted: the closing `answer.text` is
    the authoritative one.
    """
    cid, created = new_id(), int(time.time())
    sent = ""
    yield _chunk(cid, created, model, {"role": "assistant", "content": ""})
    for event in events:
        if event.kind == "token" or event.answer is None:
            if event.text.startswith(sent) and len(event.text) > len(sent):
                yield _chunk(cid, created, model, {"content": event.text[len(sent):]})
                sent = event.text
            continue
        answer = event.answer
        tail = answer.text[len(sent):] if answer.text.startswith(sent) else ""
        if tail + sources_block(answer):
            yield _chunk(cid, created, model, {"content": tail + sources_block(answer)})
        data = answer.to_dict()
        extra: dict[str, Any] = {"answer": data}
        if include_usage:
            extra["usage"] = _usage(answer.question, content(answer))
        yield _chunk(cid, created, model, {"citations": data["citations"]}, "stop", **extra)
        return


def models(model: str, created: int) -> dict[str, Any]:
    return {"object": "list", "data": [model_card(model, created)]}


def model_card(model: str, created: int) -> dict[str, Any]:
    return {"id": model, "object": "model", "created": created, "owned_by": "assistant"}
