"""The Assistant: one object that holds the models and the open index, and answers.

The answering path is a LangChain runnable chain of typed steps (condense: AnswerRequest ->
AnswerRequest, retrieve: -> Retrieval, generate: -> Answer); `answer()` invokes
`Assistant.chain` and `stream()` streams it, so callbacks and tracing see every step, and
LangChain users can compose it (`bot.chain.invoke(bot.request("..."))` or just a question).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from pathlib import Path
from dataclasses import replace
from typing import Any, Callable, Iterator

from .lean_imports import deferred_model_builds

with deferred_model_builds():  # LangChain's and langsmith's ~90 pydantic models build on first use
    from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda

from .errors import InvalidQuestionError
from .generate.base import Generator
from .generate.registry import create_generator
from .history import parse_history
from .settings import Settings
from .types import Answer, AnswerRequest, Retrieval, SearchFilters, StreamEvent

log = logging.getLogger(__name__)


def clean_question(question: object, max_chars: int) -> tuple[str, list[str]]:
    """Validate and normalise a question; overlong ones are cut at a word boundary, with a note."""
    if not isinstance(question, str):
        raise InvalidQuestionError("The question must be text.")
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\n\t" else " " for ch in question)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InvalidQuestionError("Please type a question: it is empty.")
    if not re.search(r"\w", text):
        raise InvalidQuestionError("Please type a question in words: it has only punctuation or symbols.")
    notes: list[str] = []
    if len(text) > max_chars:
        cut = text[:max_chars]
        cut = cut[: cut.rfind(" ")] if " " in cut[max_chars // 2:] else cut
        notes.append(f"The question was {len(text):,} characters long; only its first {len(cut):,} were used.")
        text = cut
    return text, notes


class Assistant:
    """Loads the embedding model and opens the index once; safe to call from several threads."""

    def __init__(self, settings: Settings | None = None, **overrides):
        settings = settings or Settings()
        self.settings = settings.model_copy(update=overrides) if overrides else settings
        self._lock = threading.RLock()
        self._client = None
        self._embeddings = None
        self._corpus = None
        self._retriever = None
        self._generators: dict[str, Generator] = {}
        self._index_checked = False
        self.chain = self._build_chain()

    def _build_chain(self) -> Runnable:
        """condense -> retrieve -> generate; answer() invokes it and stream() streams it, so
        LangChain callbacks and tracing see every step."""
        return (
            RunnableLambda(self._condense, name="condense")
            | RunnableLambda(self._retrieve, name="retrieve")
            | GenerateStep(self._generate, self._stream)
        )

    # -- lazily opened parts ------------------------------------------------
    @property
    def client(self):
        with self._lock:
            if self._client is None:
                from .index.store import open_client

                self._client = open_client(self.settings.index_dir, self.settings.chroma_url,
                                           timeout=self.settings.chroma_timeout)
            return self._client

    @property
    def embeddings(self):
        with self._lock:
            if self._embeddings is None:
                from .index.embeddings import embeddings_from_settings

                self._embeddings = embeddings_from_settings(self.settings)
            return self._embeddings

    @property
    def retriever(self):
        with self._lock:
            if self._retriever is None:
                from .retrieve.corpus import LiveCorpus
                from .retrieve.hybrid import HybridRetriever

                with self._store_errors():
                    self._corpus = LiveCorpus(self.client, self.settings.collection, settings=self.settings)
                self._retriever = HybridRetriever.from_settings(self._corpus, self.embeddings, self.settings)
            return self._retriever

    def _store_errors(self):
        """Store failures (a damaged file Chroma opened lazily) become IndexCorruptError."""
        from .index.store import store_errors

        return store_errors(self.settings.index_dir, self.settings.chroma_url)

    def generator(self, name: str | None = None) -> Generator:
        name = name or self.settings.generator
        with self._lock:
            if name not in self._generators:
                self._generators[name] = create_generator(name, self.settings, self.embeddings)
            return self._generators[name]

    # -- indexing -----------------------------------------------------------
    def index(self, paths: list[Path] | None = None, progress: bool | None = None):
        """Index article files or folders (default: the corpus folder); unchanged files are skipped."""
        from .index.indexer import Indexer

        return Indexer(self.settings, client=self.client, embeddings=self.embeddings, progress=progress,
                       after_write=lambda: self.retriever.corpus.prepare()).index(paths)

    def ensure_index(self) -> str | None:
        """Build the index from the corpus folder on first use; returns a note when it did."""
        with self._lock:
            if self._index_checked:
                return None
            with self._store_errors():
                has_chunks = bool(self.retriever.corpus.snapshot().ids)
            self._index_checked = True  # only once the store answered: a server may be down at first use
            if has_chunks:
                return None
            corpus = self.settings.corpus_dir
            if not Path(corpus).exists():
                from .errors import IndexMissingError

                raise IndexMissingError(
                    f"The index is empty and the corpus folder {corpus} does not exist. "
                    "Run `assistant index PATH` with a folder of articles."
                )
            log.warning("No index yet: building it from %s ...", corpus)
            report = self.index([Path(corpus)], progress=False)
            return f"Built the index from {corpus}/ ({report.articles} articles, {report.chunks} chunks)."

    def status(self) -> dict:
        """What the index holds, for the chat's status line and `assistant status`."""
        with self._store_errors():
            snapshot = self.retriever.corpus.snapshot()
        return {
            "articles": len(snapshot.manifest.articles),
            "chunks": len(snapshot.ids),
            "embedding_model": snapshot.manifest.embedding_model or "all-MiniLM-L6-v2",
            "store": self.settings.chroma_url or str(Path(self.settings.index_dir).resolve()),
            "collection": self.settings.collection,
            "generator": self.settings.generator,
        }

    def article_titles(self, limit: int) -> list[str]:
        """Headlines of the first indexed articles that have one (for the chat's example questions)."""
        with self._store_errors():
            snapshot = self.retriever.corpus.snapshot()
        titles: list[str] = []
        for source in sorted(snapshot.by_source):
            rows = snapshot.by_source[source]
            title = snapshot.metadatas[rows[0]].get("title") if rows else None
            if title and title not in titles:
                titles.append(title)
            if len(titles) >= limit:
                break
        return titles

    # -- the chain's steps: AnswerRequest -> AnswerRequest -> Retrieval -> Answer ---------
    def request(self, question, history=None, *, k: int | None = None, generator: str | None = None,
                filters: SearchFilters | None = None) -> AnswerRequest:
        """A checked question (building the index on first use), ready for `chain`."""
        text, notes = clean_question(question, self.settings.max_question_chars)
        turns = parse_history(history)
        built = self.ensure_index()
        if built:
            notes.append(built)
        return AnswerRequest(question=text, history=turns, k=k, generator=generator,
                             filters=filters or SearchFilters(), notes=notes)

    def _condense(self, request: AnswerRequest | str) -> AnswerRequest:
        if isinstance(request, str):  # chain.invoke("question") works too
            request = self.request(request)
        generator = self.generator(request.generator)
        standalone = generator.condense(request.question, request.history) if request.history else request.question
        return replace(request, standalone=standalone or request.question)

    def _retrieve(self, request: AnswerRequest) -> Retrieval:
        query = self.generator(request.generator).search_query(request.standalone)
        with self._store_errors():
            snapshot, chunks = self.retriever.retrieve(query, request.k, request.filters)
        return Retrieval(request=request, chunks=chunks, corpus=snapshot)

    def _context(self, retrieval: Retrieval) -> tuple:
        request = retrieval.request
        return (request.standalone, retrieval.chunks, request.history), {"corpus": retrieval.corpus}

    def _generate(self, retrieval: Retrieval) -> Answer:
        args, context = self._context(retrieval)
        answer = self.generator(retrieval.request.generator).generate(*args, **context)
        return _finish(answer, retrieval.request)

    def _stream(self, retrieval: Retrieval) -> Iterator[StreamEvent]:
        args, context = self._context(retrieval)
        for event in self.generator(retrieval.request.generator).stream(*args, **context):
            if event.kind == "answer" and event.answer is not None:
                _finish(event.answer, retrieval.request)
            yield event

    # -- answering ----------------------------------------------------------
    def answer(self, question: str, history=None, *, k: int | None = None, generator: str | None = None,
               since: str | None = None, until: str | None = None, outlets=None) -> Answer:
        """Answer one question (a follow-up when history is given) with cited quotes, via `chain`.

        since/until (ISO dates, inclusive) and outlets restrict which articles may answer.
        """
        started = time.perf_counter()
        filters = SearchFilters(since=since, until=until, outlets=tuple(outlets or ()))
        answer = self.chain.invoke(self.request(question, history, k=k, generator=generator, filters=filters))
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer

    def stream(self, question: str, history=None, *, k: int | None = None, generator: str | None = None,
               since: str | None = None, until: str | None = None, outlets=None) -> Iterator[StreamEvent]:
        """Like answer(), but yields StreamEvents: the text as it grows, then one whose .answer is the Answer."""
        started = time.perf_counter()
        filters = SearchFilters(since=since, until=until, outlets=tuple(outlets or ()))
        request = self.request(question, history, k=k, generator=generator, filters=filters)
        for event in self.chain.stream(request):
            if event.kind == "answer" and event.answer is not None:
                event.answer.latency_ms = (time.perf_counter() - started) * 1000
            yield event


def _finish(answer: Answer, request: AnswerRequest) -> Answer:
    """What every answer gets, whichever generator made it: only markers to real citations,
    the question as asked, and the request's notes first."""
    from .cite.postprocess import drop_stray_markers

    # A quoted article's own "[7]" must not read as a marker: keep only markers to real citations.
    answer.text, _ = drop_stray_markers(answer.text, {c.n for c in answer.citations})
    answer.question = request.question
    notes = list(request.notes)
    if request.standalone and request.standalone != request.question:
        notes.append(f"Read as: {request.standalone}")
    answer.notes = notes + answer.notes
    return answer


class GenerateStep(Runnable[Retrieval, Answer]):
    """The chain's last step: invoke() returns the Answer, stream() yields its StreamEvents.

    A RunnableLambda cannot do both (its invoke would run the streaming path), and a
    generator must be free to answer differently when nobody watches tokens.
    """

    name = "generate"

    def __init__(self, generate: Callable[[Retrieval], Answer], stream: Callable[[Retrieval], Iterator[StreamEvent]]):
        self._generate_fn = generate
        self._stream_fn = stream

    def invoke(self, input: Retrieval, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        return self._call_with_config(self._generate_fn, input, config)

    def _events(self, inputs: Iterator[Retrieval]) -> Iterator[StreamEvent]:
        retrieval = None
        for retrieval in inputs:  # one Retrieval: the steps before it do not stream
            pass
        yield from self._stream_fn(retrieval)

    def transform(self, input: Iterator[Retrieval], config: RunnableConfig | None = None,
                  **kwargs: Any) -> Iterator[StreamEvent]:
        yield from self._transform_stream_with_config(input, self._events, config)

    def stream(self, input: Retrieval, config: RunnableConfig | None = None,
               **kwargs: Any) -> Iterator[StreamEvent]:
        yield from self.transform(iter([input]), config, **kwargs)


_DEFAULT: Assistant | None = None
_DEFAULT_LOCK = threading.Lock()


def answer(question: str, history=None, **kwargs) -> Answer:
    """Answer with a process-wide default Assistant (built from the environment's settings)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Assistant()
    return _DEFAULT.answer(question, history=history, **kwargs)
