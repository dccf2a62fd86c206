"""The OpenAI-protocol mapping without a server: messages to history, answers to chunks."""

from __future__ import annotations

import pytest

from assistant.errors import InvalidQuestionError
from assistant.present import openai_compat as oa
from assistant.types import Answer, Citation, StreamEvent


def _answer(text: str = "It rained [1].") -> Answer:
    cite = Citation(n=1, source="a.txt", title="Weather", outlet="Daily", published="2024-01-02",
                    quote="It rained", start=10, end=19)
    return Answer(text=text, citations=[cite], question="Did it rain?")


def _messages(*pairs):
    return [oa.ChatMessage(role=role, content=content) for role, content in pairs]


def test_conversation_pairs_turns_and_drops_our_sources_list():
    earlier = oa.content(_answer())
    assert "Sources:" in earlier
    question, history = oa.conversation(_messages(
        ("system", "be brief"), ("user", "Did it rain?"), ("assistant", earlier),
        ("user", [{"type": "text", "text": "And then?"}, {"type": "image_url", "image_url": {}}])))
    assert question == "And then?"
    assert history == [("Did it rain?", "It rained [1].")]


def test_conversation_needs_a_user_message_last():
    with pytest.raises(InvalidQuestionError, match="last message"):
        oa.conversation(_messages(("user", "hi"), ("assistant", "hello")))


def test_content_lists_sources_with_offsets():
    text = oa.content(_answer())
    assert text.startswith("It rained [1].")
    assert "[1] Weather, Daily, 2024-01-02 (a.txt, chars 10-19)" in text
    assert oa.content(Answer(text="The articles don't say.")) == "The articles don't say."


def test_chunks_are_deltas_ending_with_citations():
    answer = _answer("One two three [1].")
    events = [StreamEvent("token", "One "), StreamEvent("token", "One two "),
              StreamEvent("token", "One two three [1]."), StreamEvent("answer", answer.text, answer)]
    chunks = list(oa.chunks(events, "m", include_usage=True))
    deltas = [c["choices"][0]["delta"].get("content", "") for c in chunks]
    assert "".join(deltas) == oa.content(answer)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    last = chunks[-1]
    assert last["choices"][0]["finish_reason"] == "stop" and last["choices"][0]["delta"]["citations"][0]["start"] == 10
    assert last["answer"]["text"] == answer.text and last["usage"]["total_tokens"] > 0
    assert len({c["id"] for c in chunks}) == 1


def test_a_rewritten_text_is_never_retracted():
    answer = _answer("Rewritten [1].")
    events = [StreamEvent("token", "Draft "), StreamEvent("answer", answer.text, answer)]
    chunks = list(oa.chunks(events, "m"))
    deltas = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert deltas.startswith("Draft ") and "Sources:" in deltas
    assert chunks[-1]["answer"]["text"] == "Rewritten [1]."  # the authoritative text
    assert "usage" not in chunks[-1]
