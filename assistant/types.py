"""The shared types every layer speaks: what was retrieved, what was answered, how it was cited.

They live in one module at the bottom of the package so that ingest, retrieval, generation,
citation and presentation can all use them without importing each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal, Protocol, runtime_checkable

History = list[tuple[str, str]]

# The single cannot-answer sentence: prompts ask LLMs for it, code detects it, tests check it.
CANNOT_ANSWER = "The articles don't say."


@dataclass(frozen=True)
class Citation:
    """One numbered source: the exact quote and where it sits in the article file."""

    n: int
    source: str
    title: str | None
    outlet: str | None
    published: str | None
    quote: str
    start: int
    end: int
    chunk_id: str | None = None
    author: str | None = None
    url: str | None = None
    page: int | None = None  # 1-based page of a PDF source, when known


@dataclass(frozen=True)
class RetrievedChunk:
    """A chunk the retriever handed to the generator, best first."""

    source: str
    chunk_id: str
    score: float
    text: str = ""
    start: int = 0
    end: int = 0
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None
    url: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class ShortAnswer:
    """The thing a who/which/what/when/where/how-many question asks for, cited."""

    text: str
    type: str  # the entity label it was chosen for: PERSON, ORG, GPE, DATE, CARDINAL, MONEY ...
    n: int  # the citation marker whose quote holds it
    support: int = 1  # how many retrieved passages agree on it


@dataclass
class Answer:
    """The result of one question: text with [n] markers, citations, and what was read."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    retrieved: list[RetrievedChunk] = field(default_factory=list)
    question: str = ""
    notes: list[str] = field(default_factory=list)
    grounded: bool = True
    generator: str = "extractive"
    latency_ms: float | None = None
    confidence: float | None = None  # the extractive generator's best evidence score (None for LLMs)
    short_answer: ShortAnswer | None = None

    def to_dict(self, include_chunk_text: bool = False) -> dict:
        data = {
            "question": self.question,
            "text": self.text,
            "short_answer": asdict(self.short_answer) if self.short_answer else None,
            "abstained": self.abstained,
            "grounded": self.grounded,
            "generator": self.generator,
            "notes": list(self.notes),
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "citations": [asdict(c) for c in self.citations],
            "retrieved": [
                {k: v for k, v in asdict(r).items() if include_chunk_text or k != "text"}
                for r in self.retrieved
            ],
        }
        if self.latency_ms is not None:
            data["latency_ms"] = round(self.latency_ms, 1)
        return data


@dataclass
class StreamEvent:
    """A piece of a streamed answer: text as it grows ("token"), then the final Answer ("answer")."""

    kind: Literal["token", "answer"]
    text: str = ""
    answer: Answer | None = None

    @property
    def citations(self) -> list[Citation]:
        """The final answer's citations (empty on token events), so `events[-1].citations` works."""
        return self.answer.citations if self.answer else []


@dataclass(frozen=True)
class SearchFilters:
    """Which articles a question may be answered from: a date range and outlets."""

    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    outlets: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.outlets)


@dataclass
class AnswerRequest:
    """One question as it travels the chain: condense -> retrieve -> generate."""

    question: str
    history: History = field(default_factory=list)
    k: int | None = None
    generator: str | None = None
    filters: SearchFilters = field(default_factory=SearchFilters)
    standalone: str = ""  # the question rewritten to stand alone (a follow-up resolved)
    notes: list[str] = field(default_factory=list)


@runtime_checkable
class CorpusView(Protocol):
    """All a generator may read beyond its chunks: the rest of an article and how rare a word is.

    Retrieval hands one to every generator (the ``corpus=`` keyword of generate()/stream()),
    so a generator never reaches into the retriever's internals; the corpus snapshot
    (retrieve.corpus.CorpusSnapshot) implements it. Terms are normalised as
    retrieve.text.terms() makes them.
    """

    def article_chunks(self, source: str) -> list[RetrievedChunk]:
        """Every chunk of one article, in reading order (empty for an unknown source)."""
        ...

    def idf(self, term: str) -> float:
        """How rare a term is across the corpus (BM25 idf; unseen terms get the highest weight)."""
        ...

    def knows(self, term: str) -> bool:
        """True when some chunk of the corpus holds the term."""
        ...


@dataclass
class Retrieval:
    """What retrieval hands a generator: the chunks, best first, and the corpus view they came from."""

    request: AnswerRequest
    chunks: list[RetrievedChunk]
    corpus: CorpusView | None = None


@dataclass(frozen=True)
class Entity:
    """A named entity or value the NLP model found in a text, with offsets into that text."""

    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, DATE, CARDINAL, MONEY ...
    start: int
    end: int
