"""The one protocol every answer generator follows, and a base class with its defaults."""

from __future__ import annotations

from typing import Iterator, Protocol, runtime_checkable

from ..types import Answer, CorpusView, History, RetrievedChunk, StreamEvent


@runtime_checkable
class Generator(Protocol):
    """Turns a question and retrieved chunks into a cited Answer.

    The pipeline calls, in this order: condense() for a follow-up, search_query() for the
    text retrieval searches with, then generate() (or stream()) with the chunks, best first.

    Keyword context given to generate() and stream():

    - ``corpus``: a :class:`~assistant.types.CorpusView` of the corpus the chunks came from
      (the rest of an article, idf, known terms) — the only thing beyond the chunks a
      generator may read.

    A backend may use the context or ignore it, and must accept unknown keywords.
    Subclass :class:`BaseGenerator` for the defaults of condense(), search_query() and stream().
    """

    name: str

    def generate(self, question: str, chunks: list[RetrievedChunk], history: History | None = None, *,
                 corpus: CorpusView | None = None, **context) -> Answer:
        ...

    def stream(self, question: str, chunks: list[RetrievedChunk], history: History | None = None, *,
               corpus: CorpusView | None = None, **context) -> Iterator[StreamEvent]:
        """Token events with the text so far, then exactly one ``kind="answer"`` event."""
        ...

    def condense(self, question: str, history: History) -> str:
        """Rewrite a follow-up into a standalone question (used for retrieval)."""
        ...

    def search_query(self, question: str) -> str:
        """The text to search with (default: the question itself)."""
        ...


class BaseGenerator:
    """Defaults for the optional parts of the protocol; a backend overrides what it does better."""

    name = "generator"

    def generate(self, question: str, chunks: list[RetrievedChunk], history: History | None = None,
                 **context) -> Answer:
        raise NotImplementedError

    def stream(self, question: str, chunks: list[RetrievedChunk], history: History | None = None,
               **context) -> Iterator[StreamEvent]:
        """Not incremental: the whole answer as one token event, then the answer."""
        answer = self.generate(question, chunks, history, **context)
        yield StreamEvent("token", text=answer.text)
        yield StreamEvent("answer", text=answer.text, answer=answer)

    def condense(self, question: str, history: History) -> str:
        """No rewriting: retrieval searches with the follow-up as asked."""
        return question

    def search_query(self, question: str) -> str:
        return question
