"""The Assistant: one object that holds the models and the open index, and answers.

The answering path is a LangChain runnable chain (condense → retrieve → generate);
`Assistant.chain` exposes it for LangChain users, `answer()` and `stream()` run it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from pathlib import Path
from typing import Iterator

from langchain_core.runnables import RunnableLambda

from .types import Answer
from .errors import InvalidQuestionError
from .types import SearchFilters, StreamEvent
from .generate.registry import create_generator
from .settings import Settings

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
        self._generators: dict[str, object] = {}
        self._index_checked = False
        self.chain = (
            RunnableLambda(self._step_condense, name="condense")
            | RunnableLambda(self._step_retrieve, name="retrieve")
            | RunnableLambda(self._step_generate, name="generate")
        )

    # -- lazily opened parts ------------------------------------------------
    @property
    def client(self):
        with self._lock:
            if self._client is None:
                from .index.store import open_client

                self._client = open_client(self.settings.index_dir, self.settings.chroma_url)
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
                    self._corpus = LiveCorpus(self.client, self.settings.collection)
                self._retriever = HybridRetriever.from_settings(self._corpus, self.embeddings, self.settings)
            return self._retriever

    def _store_errors(self):
        """Store failures (a damaged file Chroma opened lazily) become IndexCorruptError."""
        from .index.store import store_errors

        return store_errors(self.settings.index_dir, self.settings.chroma_url)

    def generator(self, name: str | None = None):
        name = name or self.settings.generator
        with self._lock:
            if name not in self._generators:
                self._generators[name] = create_generator(name, self.settings, self.embeddings)
            return self._generators[name]

    # -- indexing -----------------------------------------------------------
    def index(self, paths: list[Path] | None = None, progress: bool | None = None):
        """Index article files or folders (default: the corpus folder); unchanged files are skipped."""
        from .index.indexer import Indexer

        return Indexer(self.settings, client=self.client, embeddings=self.embeddings, progress=progress).index(paths)

    def ensure_index(self) -> str | None:
        """Build the index from the corpus folder on first use; returns a note when it did."""
        with self._lock:
            if self._index_checked:
                return None
            self._index_checked = True
            with self._store_errors():
                if self.retriever.corpus.snapshot().ids:
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

    # -- answering ----------------------------------------------------------
    def _step_condense(self, request: dict) -> dict:
        generator = self.generator(request.get("generator"))
        history = request.get("history") or []
        standalone = generator.condense(request["question"], history) if history else request["question"]
        return {**request, "standalone": standalone, "generator_obj": generator}

    def _step_retrieve(self, request: dict) -> dict:
        to_query = getattr(request["generator_obj"], "search_query", None)
        query = to_query(request["standalone"]) if to_query else request["standalone"]
        with self._store_errors():
            snapshot, chunks = self.retriever.retrieve(query, request.get("k"), request.get("filters"))
        return {**request, "snapshot": snapshot, "chunks": chunks}

    def _step_generate(self, request: dict) -> Answer:
        return request["generator_obj"].generate(
            request["standalone"], request["chunks"], request.get("history"), snapshot=request["snapshot"],
        )

    def _request(self, question, history, k, generator, filters=None) -> tuple[dict, list[str]]:
        text, notes = clean_question(question, self.settings.max_question_chars)
        built = self.ensure_index()
        if built:
            notes.append(built)
        try:
            if isinstance(history, (str, bytes)):
                raise TypeError("text where a list of pairs was expected")
            turns = list(history or [])
            if any(isinstance(t, (str, bytes)) for t in turns):
                raise TypeError("text where a pair was expected")
            history = [(str(q), str(a)) for q, a in turns]
        except (TypeError, ValueError) as exc:
            raise InvalidQuestionError("The history must be a list of (question, answer) pairs.") from exc
        return {"question": text, "history": history, "k": k, "generator": generator,
                "filters": filters or SearchFilters()}, notes

    def _finish(self, answer: Answer, request: dict, notes: list[str], started: float) -> Answer:
        from .cite.postprocess import drop_stray_markers

        # A quoted article's own "[7]" must not read as a marker: keep only markers to real citations.
        answer.text, _ = drop_stray_markers(answer.text, {c.n for c in answer.citations})
        answer.question = request["question"]
        if request.get("standalone") and request["standalone"] != request["question"]:
            notes.append(f"Read as: {request['standalone']}")
        answer.notes = notes + answer.notes
        answer.latency_ms = (time.perf_counter() - started) * 1000
        return answer

    def answer(self, question: str, history=None, *, k: int | None = None, generator: str | None = None,
               since: str | None = None, until: str | None = None, outlets=None) -> Answer:
        """Answer one question (a follow-up when history is given) with cited quotes.

        since/until (ISO dates, inclusive) and outlets restrict which articles may answer.
        """
        started = time.perf_counter()
        filters = SearchFilters(since=since, until=until, outlets=tuple(outlets or ()))
        request, notes = self._request(question, history, k, generator, filters)
        condensed = self._step_condense(request)
        answer = self._step_generate(self._step_retrieve(condensed))
        return self._finish(answer, condensed, notes, started)

    def stream(self, question: str, history=None, *, k: int | None = None, generator: str | None = None,
               since: str | None = None, until: str | None = None, outlets=None) -> Iterator[StreamEvent]:
        """Like answer(), but yields StreamEvents: the text as it grows, then one whose .answer is the Answer."""
        started = time.perf_counter()
        filters = SearchFilters(since=since, until=until, outlets=tuple(outlets or ()))
        request, notes = self._request(question, history, k, generator, filters)
        ready = self._step_retrieve(self._step_condense(request))
        for event in ready["generator_obj"].stream(
            ready["standalone"], ready["chunks"], ready.get("history"), snapshot=ready["snapshot"],
        ):
            if event.kind == "answer" and event.answer is not None:
                self._finish(event.answer, ready, notes, started)
            yield event


_DEFAULT: Assistant | None = None
_DEFAULT_LOCK = threading.Lock()


def answer(question: str, history=None, **kwargs) -> Answer:
    """Answer with a process-wide default Assistant (built from the environment's settings)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Assistant()
    return _DEFAULT.answer(question, history=history, **kwargs)
