"""`assistant serve`: the real HTTP server on a loopback port, called with httpx, the openai client and curl.

Answers through HTTP must carry exactly the citations the library gives for the same question
(compared with a direct Assistant.answer on the same index, never with fixed strings); every
failure a client can cause or meet is a JSON error with a 4xx/5xx status, never a traceback.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from pydantic import SecretStr

from assistant.errors import AssistantError
from assistant.present.http_api import serve
from assistant.present.http_guard import api_key
from assistant.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
MODEL = "news-assistant"
KEY = "test-key-123"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gold_questions(n: int) -> list[str]:
    """Answerable, stand-alone questions from the gold set, in file order."""
    rows = [json.loads(line) for line in (REPO / "eval" / "gold.jsonl").read_text().splitlines() if line.strip()]
    return [r["question"] for r in rows if r.get("answerable") and not r.get("history")][:n]


def cites(citations: list[dict]) -> list[tuple]:
    return [(c["n"], c["source"], c["start"], c["end"], c["quote"]) for c in citations]


def assert_error(response: httpx.Response, status: int, *words: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text
    error = response.json()["error"]
    assert error["message"] and error["type"] and error["code"]
    for word in words:
        assert word.lower() in error["message"].lower(), error
    return error


@pytest.fixture(scope="module")
def api(tmp_path_factory, real_embeddings):
    """The real server over a seeds index in a temp folder, and the same Assistant for direct answers."""
    from assistant.pipeline import Assistant

    root = tmp_path_factory.mktemp("http")
    dead = f"http://127.0.0.1:{_free_port()}/v1"  # nothing listens: the 'openai' backend is down
    settings = Settings(index_dir=root / "index", data_dir=root / "data", corpus_dir=SEEDS, chroma_url=None,
                        host="127.0.0.1", api_port=_free_port(), llm_base_url=dead, llm_timeout=1.0,
                        upload_max_bytes=50_000, api_max_body_bytes=20_000)
    bot = Assistant(settings)
    bot._embeddings = real_embeddings
    bot.index([SEEDS], progress=False)
    running = serve(settings, bot, block=False)
    keyed = serve(settings.model_copy(update={"api_key": SecretStr(KEY), "api_port": _free_port()}), bot, block=False)
    with httpx.Client(base_url=running.url, timeout=120) as client:
        yield SimpleNamespace(url=running.url, keyed_url=keyed.url, bot=bot, settings=settings, http=client, dead=dead)
    running.close()
    keyed.close()


def openai_client(url: str, key: str = "unused"):
    from openai import OpenAI

    return OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=120)


# -- discovery ------------------------------------------------------------------
def test_models_docs_and_status(api):
    models = api.http.get("/v1/models").json()
    assert models["object"] == "list" and [m["id"] for m in models["data"]] == [MODEL]
    assert api.http.get(f"/v1/models/{MODEL}").json()["id"] == MODEL
    docs = api.http.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert "cdn." not in docs.text  # offline: the page's scripts come from this server
    script = next(part.split('"')[0] for part in docs.text.split('src="')[1:] if "swagger" in part)
    assert api.http.get(script).status_code == 200
    paths = api.http.get("/openapi.json").json()["paths"]
    for path in ("/v1/answer", "/v1/chat/completions", "/v1/models", "/v1/status", "/v1/index"):
        assert path in paths
    status = api.http.get("/v1/status").json()
    assert status == {**api.bot.status(), "model": MODEL, "generators": status["generators"]}
    assert "extractive" in status["generators"]
    assert [m.id for m in openai_client(api.url).models.list()] == [MODEL]


# -- REST -----------------------------------------------------------------------
def test_answer_has_the_library_citations(api):
    question = gold_questions(1)[0]
    direct = api.bot.answer(question).to_dict()
    got = api.http.post("/v1/answer", json={"question": question})
    assert got.status_code == 200, got.text
    data = got.json()
    assert data["citations"] and cites(data["citations"]) == cites(direct["citations"])
    assert data["text"] == direct["text"] and data["short_answer"] == direct["short_answer"]
    assert data["abstained"] is False and data["latency_ms"] > 0
    for c in data["citations"]:  # offsets point at the quote in the article file
        assert (SEEDS / c["source"]).read_text(encoding="utf-8")[c["start"]:c["end"]] == c["quote"]


def test_answer_passes_history_and_options(api):
    first, second = gold_questions(2)
    earlier = api.bot.answer(first)
    follow_up = "And what else did they say?"
    direct = api.bot.answer(follow_up, [(first, earlier.text)], k=3)
    got = api.http.post("/v1/answer", json={"question": follow_up, "history": [[first, earlier.text]], "k": 3})
    assert got.status_code == 200, got.text
    assert cites(got.json()["citations"]) == cites(direct.to_dict()["citations"])
    assert got.json()["notes"] == direct.notes
    assert len(got.json()["retrieved"]) <= 3


# -- OpenAI protocol --------------------------------------------------------------
def test_openai_client_non_streaming(api):
    question = gold_questions(1)[0]
    direct = api.bot.answer(question).to_dict()
    result = openai_client(api.url).chat.completions.create(
        model=MODEL, messages=[{"role": "system", "content": "ignored"}, {"role": "user", "content": question}])
    message = result.choices[0].message
    assert result.object == "chat.completion" and result.choices[0].finish_reason == "stop"
    assert message.role == "assistant" and message.content.startswith(direct["text"])
    assert "Sources:" in message.content
    for c in direct["citations"]:
        assert f"[{c['n']}]" in message.content and c["source"] in message.content
    assert cites(message.model_extra["citations"]) == cites(direct["citations"])
    assert cites(result.model_extra["answer"]["citations"]) == cites(direct["citations"])


def test_openai_client_streaming(api):
    question = gold_questions(2)[1]
    client = openai_client(api.url)
    whole = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": question}])
    parts, last = [], None
    for chunk in client.chat.completions.create(model=MODEL, stream=True,
                                                messages=[{"role": "user", "content": question}]):
        assert chunk.object == "chat.completion.chunk" and chunk.model == MODEL
        parts.append(chunk.choices[0].delta.content or "")
        last = chunk
    assert len([p for p in parts if p]) > 2  # it really streams
    assert "".join(parts) == whole.choices[0].message.content
    assert last.choices[0].finish_reason == "stop"
    direct = api.bot.answer(question).to_dict()
    assert cites(last.choices[0].delta.model_extra["citations"]) == cites(direct["citations"])
    assert last.model_extra["answer"]["text"] == direct["text"]


def test_raw_sse_lines(api):
    body = {"model": MODEL, "stream": True, "stream_options": {"include_usage": True},
            "messages": [{"role": "user", "content": gold_questions(1)[0]}]}
    with api.http.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert all(line.startswith("data: ") for line in lines)
    assert lines[-1] == "data: [DONE]"
    chunks = [json.loads(line[6:]) for line in lines[:-1]]
    assert len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and chunks[-1]["usage"]["total_tokens"] > 0
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1])


def test_openai_messages_become_history(api):
    first = gold_questions(1)[0]
    client = openai_client(api.url)
    earlier = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": first}])
    follow_up = "What else did they say?"
    result = client.chat.completions.create(model=MODEL, messages=[
        {"role": "user", "content": first},
        {"role": "assistant", "content": earlier.choices[0].message.content},  # with its sources list
        {"role": "user", "content": [{"type": "text", "text": follow_up}]},
    ])
    direct = api.bot.answer(follow_up, [(first, api.bot.answer(first).text)])
    assert cites(result.choices[0].message.model_extra["citations"]) == cites(direct.to_dict()["citations"])
    assert result.model_extra["answer"]["notes"] == direct.notes


# -- refusals and failures --------------------------------------------------------
def test_bad_json_and_missing_fields(api):
    post = api.http.post
    assert_error(post("/v1/answer", content=b'{"question": ', headers={"content-type": "application/json"}),
                 400, "not valid JSON")
    assert_error(post("/v1/chat/completions", content=b"nope", headers={"content-type": "application/json"}),
                 400, "not valid JSON")
    assert assert_error(post("/v1/answer", json={}), 422, "question")["param"] == "question"
    assert_error(post("/v1/answer", json={"question": "x", "colour": 1}), 422, "colour")
    assert_error(post("/v1/answer", json={"question": "What?", "k": 0}), 422, "k")
    assert_error(post("/v1/answer", json={"question": "What?", "since": "last spring"}), 422, "since")
    assert_error(post("/v1/answer", json={"question": 42}), 422, "question")
    assert_error(post("/v1/chat/completions", json={"model": MODEL}), 422, "messages")
    assert_error(post("/v1/chat/completions", json={"model": MODEL, "messages": []}), 422, "messages")
    assert_error(post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]}), 422, "model")


def test_questions_the_library_refuses(api):
    post = api.http.post
    assert_error(post("/v1/answer", json={"question": "   "}), 400, "empty")
    assert_error(post("/v1/answer", json={"question": "?!"}), 400, "question")
    assert_error(post("/v1/answer", json={"question": "What?", "history": "text"}), 422, "history")
    assert_error(post("/v1/chat/completions", json={"model": MODEL, "messages": [
        {"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}), 400, "last message")
    assert_error(post("/v1/chat/completions", json={"model": "gpt-4o", "messages": [
        {"role": "user", "content": "hi"}]}), 404, MODEL)
    assert_error(post("/v1/chat/completions", json={"model": MODEL, "stream": True, "messages": [
        {"role": "user", "content": "  "}]}), 400, "empty")
    assert_error(post("/v1/answer", json={"question": "What?", "generator": "nope"}), 400, "nope")


def test_size_limits(api):
    limit = api.settings.api_max_question_chars
    long = "What did the spokesman say " * (limit // 20)
    assert len(long) > limit
    error = assert_error(api.http.post("/v1/answer", json={"question": long}), 422, f"{limit:,}")
    assert error["code"] == "question_too_long"
    assert_error(api.http.post("/v1/chat/completions", json={"model": MODEL, "messages": [
        {"role": "user", "content": long}]}), 422, f"{limit:,}")
    huge = {"question": "What?", "history": [["q" * 1000, "a" * 1000]] * 20}
    assert len(json.dumps(huge)) > api.settings.api_max_body_bytes
    assert_error(api.http.post("/v1/answer", json=huge), 413, "limit")

    def chunked():  # no Content-Length: the limit still holds
        for _ in range(30):
            yield b"x" * 1000

    assert_error(api.http.post("/v1/answer", content=chunked(), headers={"content-type": "application/json"}),
                 413, "limit")
    assert_error(api.http.get("/v1/nowhere"), 404)
    assert_error(api.http.delete("/v1/answer"), 405)


def test_backend_down_is_a_502_naming_it(api):
    error = assert_error(api.http.post("/v1/answer", json={"question": "What?", "generator": "openai"}), 502)
    assert error["code"] == "backend_unavailable" and api.dead.split("/v1")[0] in error["message"]
    body = {"model": MODEL, "generator": "openai", "stream": True, "messages": [{"role": "user", "content": "What?"}]}
    assert_error(api.http.post("/v1/chat/completions", json=body), 502)


def test_damaged_index_is_a_503(tmp_path, real_embeddings):
    from assistant.pipeline import Assistant

    index = tmp_path / "index"
    index.mkdir()
    (index / "chroma.sqlite3").write_bytes(b"this is not a database " * 500)
    settings = Settings(index_dir=index, data_dir=tmp_path / "data", corpus_dir=SEEDS, api_port=_free_port())
    bot = Assistant(settings)
    bot._embeddings = real_embeddings
    running = serve(settings, bot, block=False)  # starts anyway and says what is wrong on every call
    try:
        with httpx.Client(base_url=running.url, timeout=60) as http:
            error = assert_error(http.post("/v1/answer", json={"question": "What happened?"}), 503, "--rebuild")
            assert error["code"] == "index_damaged"
            assert_error(http.post("/v1/chat/completions", json={"model": MODEL, "stream": True, "messages": [
                {"role": "user", "content": "What happened?"}]}), 503, "--rebuild")
            assert_error(http.get("/v1/status"), 503, "--rebuild")
    finally:
        running.close()


def test_a_bug_is_a_500_without_internals(tmp_path):
    class Broken:
        settings = Settings(data_dir=tmp_path, api_port=_free_port())

        def ensure_index(self):
            return None

        def answer(self, *args, **kwargs):
            raise RuntimeError("secret internals at /srv/app.py line 7")

        def stream(self, *args, **kwargs):
            yield from ()
            raise RuntimeError("secret internals at /srv/app.py line 7")

    running = serve(Broken.settings, Broken(), block=False)
    try:
        with httpx.Client(base_url=running.url, timeout=30) as http:
            for response in (http.post("/v1/answer", json={"question": "What?"}),
                             http.post("/v1/chat/completions", json={"model": MODEL, "stream": True,
                                                                     "messages": [{"role": "user", "content": "x"}]})):
                assert_error(response, 500, "server log")
                assert "secret" not in response.text
    finally:
        running.close()


# -- the key ---------------------------------------------------------------------------
def test_key_is_required_when_set(api):
    from openai import AuthenticationError

    with httpx.Client(base_url=api.keyed_url, timeout=120) as http:
        body = {"question": gold_questions(1)[0]}
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}, {"Authorization": f"Basic {KEY}"}):
            response = http.post("/v1/answer", json=body, headers=headers)
            assert_error(response, 401, "API key")
            assert response.headers["www-authenticate"] == "Bearer"
        assert_error(http.get("/v1/models"), 401)
        assert http.get("/docs").status_code == 200 and http.get("/health").json() == {"ok": True}
        good = http.post("/v1/answer", json=body, headers={"Authorization": f"Bearer {KEY}"})
        assert good.status_code == 200 and good.json()["citations"]
    with pytest.raises(AuthenticationError):
        openai_client(api.keyed_url, "wrong").chat.completions.create(
            model=MODEL, messages=[{"role": "user", "content": body["question"]}])
    assert [m.id for m in openai_client(api.keyed_url, KEY).models.list()] == [MODEL]


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "my-laptop.local"])
def test_non_loopback_needs_a_key(host):
    with pytest.raises(AssistantError, match="ASSISTANT_API_KEY"):
        api_key(Settings(host=host))
    with pytest.raises(AssistantError, match="ASSISTANT_API_KEY"):
        api_key(Settings(host=host, api_key=SecretStr("")))
    assert api_key(Settings(host=host, api_key=SecretStr("k"))) == "k"
    for loopback in ("127.0.0.1", "localhost", "::1"):
        assert api_key(Settings(host=loopback)) is None


def _env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return {**env, "HF_HUB_OFFLINE": "1", **extra}


def test_cli_refuses_an_open_bind_before_loading_anything(tmp_path):
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "--index-dir", str(tmp_path / "index"), "serve",
                           "--host", "0.0.0.0", "--port", str(_free_port())], cwd=REPO, env=_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "ASSISTANT_API_KEY" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "index").exists()


# -- many clients at once -----------------------------------------------------------------
def test_twenty_concurrent_requests_do_not_cross(api):
    questions = gold_questions(5)
    expected = {q: cites(api.bot.answer(q).to_dict()["citations"]) for q in questions}
    assert len({tuple(v) for v in expected.values()}) > 1  # distinct answers, so a mix-up would show

    def ask(i: int) -> tuple[str, list[tuple]]:
        question = questions[i % len(questions)]
        with httpx.Client(base_url=api.url, timeout=300) as http:
            if i % 2:
                data = http.post("/v1/answer", json={"question": question}).json()
                assert data["question"] == question
                return question, cites(data["citations"])
            data = http.post("/v1/chat/completions", json={
                "model": MODEL, "messages": [{"role": "user", "content": question}]}).json()
            return question, cites(data["choices"][0]["message"]["citations"])

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(ask, range(20)))
    assert len(results) == 20
    for question, got in results:
        assert got == expected[question], question


# -- adding articles (last: it grows the shared index) --------------------------------------
def test_index_upload_then_ask(api, tmp_path):
    article = tmp_path / "harbour note.txt"
    article.write_text(
        "Volunteers repaint the old lighthouse\n\nBy Staff Writer\n\n"
        "Volunteers finished repainting the old lighthouse on Saturday, using 340 litres of white paint. "
        "The work took eleven weekends, the organiser Marta Quillon said.\n", encoding="utf-8")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"\x00\x01\x02 not text")
    with article.open("rb") as good, binary.open("rb") as bad:
        response = api.http.post("/v1/index", files=[("files", (article.name, good, "text/plain")),
                                                     ("files", (binary.name, bad, "text/plain"))])
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["accepted"] == ["harbour_note.txt"] and data["indexed"]
    assert len(data["rejected"]) == 1 and "scan.txt" in data["rejected"][0] and "UTF-8" in data["rejected"][0]
    assert (Path(api.settings.data_dir) / "uploads" / "harbour_note.txt").exists()

    answer = api.http.post("/v1/answer", json={"question": "How much paint did the volunteers use on the lighthouse?"})
    assert any(c["source"] == "harbour_note.txt" for c in answer.json()["citations"]), answer.text
    assert api.http.get("/v1/status").json()["articles"] == api.bot.status()["articles"]

    with binary.open("rb") as bad:
        assert_error(api.http.post("/v1/index", files=[("files", (binary.name, bad, "text/plain"))]), 422, "UTF-8")
    assert_error(api.http.post("/v1/index"), 422, "files")
    big = tmp_path / "big.txt"
    big.write_text("Word. " * 20_000, encoding="utf-8")
    with big.open("rb") as f:
        assert_error(api.http.post("/v1/index", files=[("files", (big.name, f, "text/plain"))]), 422, "limit")


# -- the command line: serve and ask agree ----------------------------------------------------
def test_serve_answers_like_ask_json(tmp_path):
    question = gold_questions(1)[0]
    index = str(tmp_path / "index")
    asked = subprocess.run([sys.executable, "-m", "assistant.cli", "--index-dir", index, "ask", question, "--json"],
                           cwd=REPO, env=_env(), capture_output=True, text=True, timeout=300)
    assert asked.returncode == 0, asked.stderr
    expected = cites(json.loads(asked.stdout)["citations"])
    assert expected

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "assistant.cli", "--index-dir", index, "serve", "--port", str(port)],
                              cwd=REPO, env=_env(ASSISTANT_API_KEY=KEY, ASSISTANT_DATA_DIR=str(tmp_path / "data")),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert server.poll() is None, server.stdout.read()
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.5)
        assert httpx.post(f"{url}/v1/answer", json={"question": question}, timeout=60).status_code == 401
        rest = httpx.post(f"{url}/v1/answer", json={"question": question}, timeout=120,
                          headers={"Authorization": f"Bearer {KEY}"})
        assert cites(rest.json()["citations"]) == expected
        chat = openai_client(url, KEY).chat.completions.create(model=MODEL, messages=[{"role": "user", "content": question}])
        assert cites(chat.choices[0].message.model_extra["citations"]) == expected
        if shutil.which("curl"):
            curl = subprocess.run(["curl", "-sS", "-X", "POST", f"{url}/v1/answer", "-H", f"Authorization: Bearer {KEY}",
                                   "-H", "Content-Type: application/json", "-d", json.dumps({"question": question})],
                                  capture_output=True, text=True, timeout=120)
            assert cites(json.loads(curl.stdout)["citations"]) == expected
    finally:
        server.terminate()
        server.wait(timeout=30)
