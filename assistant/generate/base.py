"""The one protocol every answer generator follows, and the events a stream yields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Literal, Protocol, runtime_checkable

from ..cite.models import Answer, RetrievedChunk

History = list[tuple[str, str]]

# The single cannot-answer sentence: prompts ask LLMs for it, code detects it, tests check it.
CANNOT_ANSWER = "The articles don't say."


@dataclass
class StreamEvent:
    """A piece of a streamed answer: text as it grows ("token"), then the final Answer ("answer")."""

    kind: Literal["token", "answer"]
    text: str = ""
    answer: Answer | None = None


@runtime_checkable
class Generator(Protocol):
    """Turns a question and retrieved chunks into a cited Answer.

    Keyword context (``snapshot=``: the corpus snapshot the chunks came from) is passed
    to generate() and stream(); a backend may use it or ignore it.
    """

    name: str

    def generate(self, question: str, chunks: list[RetrievedChunk], history: History | None = None, **context) -> Answer:
        ...

    def stream(self, question: str, chunks: list[RetrievedChunk], history: History | None = None, **context) -> Iterator[StreamEvent]:
        ...

    def condense(self, question: str, history: History) -> str:
        """Rewrite a follow-up into a standalone question (used for retrieval)."""
        ...
