"""OpenAICompatibleGenerator against a stand-in OpenAI-compatible server on 127.0.0.1.

The stand-in speaks just enough of /v1/chat/completions (plain JSON and SSE
streaming) to exercise the real langchain-openai client, and can refuse, hang or
answer garbage so that each failure is seen to become a BackendUnavailableError.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant.types import RetrievedChunk
from assistant.errors import BackendUnavailableError
from assistant.generate.llm.openai_compatible import OpenAICompatibleGenerator
from assistant.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

ARTICLE = (
    "Kremlin spokesperson Dmitry Peskov said, “We oppose this approach. We do not agree with this approach at all.”\n"
    "He added, “We have partners in Pyongyang and a country that has joined anti-Russian sanctions in Seoul.”\n"
)
REPLY = "Peskov said “We oppose this approach.” [1] He named partners in Pyongyang [1][4]."
CONDENSED = "What did Dmitry Peskov say about Yoon?"


class StandIn(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, mode: str):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = mode  # ok | hang | garbage-json | garbage-html
        self.requests: list[dict] = []
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: StandIn

    def log_message(self, *args):  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        self.server.requests.append(body)
        if self.path != "/v1/chat/completions":
            return self._send(404, b'{"error": {"message": "not found"}}', "application/json")
        mode = self.server.mode
        if mode == "hang":
            self.server.release.wait(15)
            return None
        if mode == "garbage-json":
            return self._send(200, b"{this is not json", "application/json")
        if mode == "garbage-html":
            return self._send(200, b"<html><body>502 Bad Gateway</body></html>", "text/html")
        has_system = any(m.get("role") == "system" for m in body.get("messages", []))
        text = REPLY if has_system else CONDENSED
        if body.get("stream"):
            return self._stream(body, text)
        reply = {
            "id": "chatcmpl-standin", "object": "chat.completion", "created": 0, "model": body.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
        }
        return self._send(200, json.dumps(reply).encode(), "application/json")

    def _stream(self, body: dict, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()  # HTTP/1.0: the body ends when the connection closes
        pieces = [text[i:i + 5] for i in range(0, len(text), 5)]  # splits markers: "[1", "][4]"
        deltas = [{"role": "assistant", "content": ""}] + [{"content": p} for p in pieces] + [{}]
        for i, delta in enumerate(deltas):
            chunk = {
                "id": "chatcmpl-standin", "object": "chat.completion.chunk", "created": 0,
                "model": body.get("model"),
                "choices": [{"index": 0, "delta": delta, "finish_reason": "stop" if i == len(deltas) - 1 else None}],
            }
            self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()


@pytest.fixture
def standin(request):
    server = StandIn(getattr(request, "param", "ok"))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def chunks() -> list[RetrievedChunk]:
    return [RetrievedChunk(source="002_kremlin.txt", chunk_id="002#0", score=1.0, text=ARTICLE, start=0,
                           end=len(ARTICLE), title="Russia rebuffs Yoon", outlet="Korea Herald")]


def generator(url: str, timeout: float = 5.0) -> OpenAICompatibleGenerator:
    return OpenAICompatibleGenerator(Settings(llm_base_url=url, llm_model="standin-model", llm_timeout=timeout,
                                              llm_max_tokens=256))


def check_answer(answer) -> None:
    assert answer.text == "Peskov said “We oppose this approach.” [1] He named partners in Pyongyang [1]."
    assert len(answer.citations) == 1
    c = answer.citations[0]
    assert c.source == "002_kremlin.txt" and c.quote == "We oppose this approach."
    assert ARTICLE[c.start:c.end] == c.quote
    assert answer.generator == "openai" and answer.grounded and not answer.abstained


def test_cited_answer(standin, chunks):
    answer = generator(standin.url).generate("What did Peskov say?", chunks)
    check_answer(answer)
    sent = standin.requests[-1]
    assert sent["model"] == "standin-model" and sent["max_tokens"] == sent["max_completion_tokens"] == 256 and sent["temperature"] == 0
    assert not sent.get("stream")
    assert [m["role"] for m in sent["messages"]] == ["system", "user"]
    assert '<source id="1"' in sent["messages"][1]["content"]


def test_streaming(standin, chunks):
    events = list(generator(standin.url).stream("What did Peskov say?", chunks))
    tokens = [e.text for e in events if e.kind == "token"]
    assert standin.requests[-1]["stream"] is True
    assert len(tokens) > 5
    assert all("[4" not in t and not t.endswith("[") for t in tokens)
    assert events[-1].kind == "answer"
    check_answer(events[-1].answer)
    assert tokens[-1] == events[-1].answer.text


def test_condense(standin):
    out = generator(standin.url).condense("What did he say?", [("Who speaks for the Kremlin?", "Peskov [1].")])
    assert out == CONDENSED


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _assert_unavailable(call, url: str, limit: float = 5.0) -> BackendUnavailableError:
    began = time.monotonic()
    with pytest.raises(BackendUnavailableError) as err:
        call()
    assert time.monotonic() - began < limit
    assert url in str(err.value)
    return err.value


def test_refused_port(chunks):
    url = f"http://127.0.0.1:{_free_port()}/v1"
    gen = generator(url, timeout=1.0)
    _assert_unavailable(lambda: gen.generate("q", chunks), url)
    _assert_unavailable(lambda: list(gen.stream("q", chunks)), url)
    _assert_unavailable(lambda: gen.condense("q", [("a", "b")]), url)


@pytest.mark.parametrize("standin", ["hang"], indirect=True)
def test_hanging_server_times_out(standin, chunks):
    gen = generator(standin.url, timeout=1.0)
    err = _assert_unavailable(lambda: gen.generate("q", chunks), standin.url)
    assert "timeout 1 s" in str(err)
    _assert_unavailable(lambda: list(gen.stream("q", chunks)), standin.url)


@pytest.mark.parametrize("standin", ["garbage-json", "garbage-html"], indirect=True)
def test_garbage_response(standin, chunks):
    gen = generator(standin.url, timeout=1.0)
    _assert_unavailable(lambda: gen.generate("q", chunks), standin.url)
    _assert_unavailable(lambda: list(gen.stream("q", chunks)), standin.url)


@pytest.mark.parametrize("standin", ["hang"], indirect=True)
def test_ollama_refused_and_hanging(standin, chunks):
    from assistant.generate.llm.ollama import OllamaGenerator

    refused = f"http://127.0.0.1:{_free_port()}"
    gen = OllamaGenerator(Settings(ollama_url=refused, llm_timeout=1.0, llm_model="standin-model"))
    _assert_unavailable(lambda: gen.generate("q", chunks), refused)

    hanging = standin.url.removesuffix("/v1")
    gen = OllamaGenerator(Settings(ollama_url=hanging, llm_timeout=1.0, llm_model="standin-model"))
    _assert_unavailable(lambda: list(gen.stream("q", chunks)), hanging)
