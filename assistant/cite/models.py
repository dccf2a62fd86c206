"""The answer a user reads and the citations behind it (the public result types)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


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

    def to_dict(self, include_chunk_text: bool = False) -> dict:
        data = {
            "question": self.question,
            "text": self.text,
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
