"""The Assistant answers through its LangChain chain: condense -> retrieve -> generate.

Fakes stand in for the index and the generator, so these run without a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.tracers.context import collect_runs

from assistant.errors import InvalidQuestionError
from assistant.generate.base import BaseGenerator
from assistant.pipeline import Assistant
from assistant.settings import Settings
from assistant.types import Answer, AnswerRequest, Citation, CorpusView, Retrieval, RetrievedChunk, StreamEvent

CHUNK = RetrievedChunk(source="a.txt", chunk_id="a:0", score=1.0, text="Peskov said no.", start=0, end=15)


class FakeCorpus:
    def article_chunks(self, source):
        return [CHUNK] if source == CHUNK.source else []

    def idf(self, term):
        return 1.0

    def knows(self, term):
        return term == "peskov"


class FakeRetriever:
    def __init__(self):
        self.queries: list[str] = []

    def retrieve(self, query, k=None, filters=None):
        self.queries.append(query)
        return FakeCorpus(), [CHUNK]


@dataclass
class FakeGenerator(BaseGenerator):
    name: str = "fake"
    calls: list[tuple[str, dict]] = field(default_factory=list)

    def condense(self, question, history):
        return "What did Peskov say?" if history else question

    def search_query(self, question):
        return question.lower()

    def generate(self, question, chunks, history=None, **context):
        self.calls.append(("generate", context))
        citation = Citation(n=1, source=CHUNK.source, title=None, outlet=None, published=None,
                            quote=CHUNK.text, start=0, end=15)
        return Answer(text="Peskov said no [1] [7].", citations=[citation], retrieved=list(chunks), generator=self.name)

    def stream(self, question, chunks, history=None, **context):
        self.calls.append(("stream", context))
        yield StreamEvent("token", text="Peskov")
        yield StreamEvent("token", text="Peskov said no [1] [7].")
        answer = self.generate(question, chunks, history, **context)
        yield StreamEvent("answer", text=answer.text, answer=answer)


@pytest.fixture
def bot(tmp_path):
    bot = Assistant(Settings(index_dir=tmp_path / "index", corpus_dir=tmp_path / "seeds", generator="fake"))
    bot._retriever = FakeRetriever()
    bot._index_checked = True  # the fake retriever needs no index
    bot._generators["fake"] = FakeGenerator()
    return bot


class StepNames(BaseCallbackHandler):
    def __init__(self):
        self.started: list[str] = []

    def on_chain_start(self, serialized, inputs, *, name=None, **kwargs):
        self.started.append(name)


def _steps(run) -> list[str]:
    return [child.name for child in sorted(run.child_runs, key=lambda r: r.dotted_order)]


def test_answer_runs_the_chain(bot):
    with collect_runs() as runs:
        answer = bot.answer("And what did he say?", history=[("Who spoke?", "Peskov [1]")])
    assert [run.name for run in runs.traced_runs] == ["RunnableSequence"]
    assert _steps(runs.traced_runs[0]) == ["condense", "retrieve", "generate"]
    assert bot.retriever.queries == ["what did peskov say?"]  # search_query of the condensed question
    assert answer.text == "Peskov said no [1]."  # a marker to no citation is dropped
    assert answer.question == "And what did he say?" and "Read as: What did Peskov say?" in answer.notes
    assert answer.latency_ms is not None


def test_generator_reads_the_corpus_view(bot):
    bot.answer("What did Peskov say?")
    kind, context = bot.generator().calls[-1]
    assert kind == "generate" and isinstance(context["corpus"], CorpusView)


def test_chain_invoke_is_typed_and_takes_callbacks(bot):
    handler = StepNames()
    answer = bot.chain.invoke(bot.request("What did Peskov say?"), config={"callbacks": [handler]})
    assert isinstance(answer, Answer) and answer.citations
    assert {"condense", "retrieve", "generate"} <= set(handler.started)
    assert isinstance(bot.chain.invoke("What did Peskov say?"), Answer)  # a bare question works too
    retrieval = (bot.chain.steps[0] | bot.chain.steps[1]).invoke(AnswerRequest(question="Who?"))
    assert isinstance(retrieval, Retrieval) and retrieval.chunks == [CHUNK]


def test_stream_runs_the_chain_and_streams_tokens(bot):
    with collect_runs() as runs:
        events = list(bot.stream("What did Peskov say?"))
    assert [e.kind for e in events] == ["token", "token", "answer"]
    assert events[0].text == "Peskov"  # tokens arrive as the generator yields them
    assert events[-1].answer.text == "Peskov said no [1]." and events[-1].answer.latency_ms is not None
    assert bot.generator().calls[0][0] == "stream"  # stream() streams the generator, not generate()
    assert _steps(runs.traced_runs[0]) == ["condense", "retrieve", "generate"]


def test_stream_yields_the_first_token_before_the_generator_finishes(bot):
    stream = bot.stream("What did Peskov say?")
    first = next(stream)
    assert first.kind == "token" and bot.generator().calls[-1][0] == "stream"
    assert not any(kind == "generate" for kind, _ in bot.generator().calls)  # the answer is not made yet
    rest = list(stream)
    assert rest[-1].kind == "answer"


@pytest.mark.parametrize("history", ["not json", 5, [("only one",)], ["ab"], {"q": "a"}])
def test_bad_history_is_a_clear_error(bot, history):
    with pytest.raises(InvalidQuestionError, match="history"):
        bot.answer("What did Peskov say?", history=history)


def test_history_as_json_text(bot):
    answer = bot.answer("And what did he say?", history='[["Who spoke?", "Peskov"]]')
    assert "Read as: What did Peskov say?" in answer.notes
