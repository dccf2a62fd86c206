"""The one protocol every answer generator follows."""

from __future__ import annotations

from typing import Iterator, Protocol, runtime_checkable

from ..types import Answer, History, RetrievedChunk, StreamEvent


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

    def search_query(self, question: str) -> str:
        """The text to search with (default: the question itself)."""
        ...
