"""Smoke test against a real OpenAI-compatible endpoint, run only when one is configured.

    ASSISTANT_LLM_BASE_URL=http://127.0.0.1:8080/v1 ASSISTANT_LLM_MODEL=... pytest -m live
"""

from __future__ import annotations

import os

import pytest

from assistant.types import RetrievedChunk
from assistant.types import CANNOT_ANSWER
from assistant.generate.llm.openai_compatible import OpenAICompatibleGenerator
from assistant.settings import Settings

pytestmark = [
    pytest.mark.live,
    pytest.mark.integration,
    pytest.mark.skipif(not os.environ.get("ASSISTANT_LLM_BASE_URL"), reason="ASSISTANT_LLM_BASE_URL is not set"),
]

ARTICLE = (
    "Kremlin spokesperson Dmitry Peskov said, “We oppose this approach. We do not agree with this approach at all.”\n"
    "He added, “We have partners in Pyongyang and a country that has joined anti-Russian sanctions in Seoul.”\n"
)


@pytest.fixture(scope="module")
def generator() -> OpenAICompatibleGenerator:
    return OpenAICompatibleGenerator(Settings())  # everything from ASSISTANT_* variables


@pytest.fixture
def chunks() -> list[RetrievedChunk]:
    return [RetrievedChunk(source="kremlin.txt", chunk_id="k0", score=1.0, text=ARTICLE, start=0, end=len(ARTICLE),
                           title="Russia rebuffs Yoon", outlet="Korea Herald")]


def test_live_answer_is_cited_or_abstains(generator, chunks):
    answer = generator.generate("What did Peskov say about the approach?", chunks)
    assert answer.text
    if answer.abstained:
        assert answer.text == CANNOT_ANSWER and not answer.citations
    else:
        for c in answer.citations:
            assert c.source == "kremlin.txt" and ARTICLE[c.start:c.end] == c.quote


def test_live_stream_ends_with_answer(generator, chunks):
    events = list(generator.stream("Who are Russia's partners, according to Peskov?", chunks))
    assert events and events[-1].kind == "answer" and events[-1].answer is not None


def test_live_condense(generator):
    out = generator.condense("What did he say?", [("Who is the Kremlin spokesperson?", "Dmitry Peskov [1].")])
    assert out.strip()
