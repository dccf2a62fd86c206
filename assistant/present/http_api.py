"""The HTTP API: `assistant serve [--host] [--port]`, or `serve(settings)`.

One process holds the model and the open index (one shared, thread-safe Assistant) and
answers newsroom tools over REST and chat front-ends over the OpenAI protocol:

    POST /v1/answer            {question, history?, k?, generator?, since?, until?, outlets?} -> Answer JSON
    POST /v1/index             multipart `files`: articles, checked like the chat's uploads, then indexed
    GET  /v1/status            what the index holds
    POST /v1/chat/completions  OpenAI-compatible, `stream: true` as server-sent events
    GET  /v1/models            the one model, `news-assistant`
    GET  /docs                 OpenAPI docs (no key needed; GET /health neither)

Loopback needs no key; any other host needs `settings.api_key` (ASSISTANT_API_KEY), sent as
`Authorization: Bearer <key>`, and without one serve() refuses before loading anything.
Answering runs in the server's worker threads, so slow answers do not block each other.
"""

from __future__ import annotations

import itertools
import json
import logging
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterator

from fastapi import APIRouter, Depends, FastAPI, File, Security, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from ..errors import AssistantError
from ..settings import Settings
from . import openai_compat as oa
from .http_guard import ApiError, BodyLimit, CatchAll, api_key, check_key, describe, install_error_handlers
from .upload_index import add_files
from .uploads import display_name

log = logging.getLogger(__name__)


class AnswerBody(BaseModel):
    """POST /v1/answer: one question, optionally a follow-up to earlier turns, optionally filtered."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(description="The question, in words.")
    history: list[tuple[str, str]] | None = Field(None, description="Earlier turns as [[question, answer], ...].")
    k: int | None = Field(None, ge=1, le=50, description="Chunks retrieved (default: the server's).")
    generator: str | None = Field(None, description="Answer generator (default: the server's).")
    since: date | None = Field(None, description="Only articles published on or after this date.")
    until: date | None = Field(None, description="Only articles published on or before this date.")
    outlets: list[str] | None = Field(None, description="Only articles from these outlets.")


def _options(body: AnswerBody | oa.ChatCompletionRequest) -> dict[str, Any]:
    return {"k": body.k, "generator": body.generator, "outlets": body.outlets,
            "since": body.since.isoformat() if body.since else None,
            "until": body.until.isoformat() if body.until else None}


def _sse(chunks: Iterator[dict[str, Any]]) -> Iterator[str]:
    """Server-sent events: one `data:` line per chunk, `data: [DONE]` last; an error mid-way is an event."""
    try:
        for chunk in chunks:
            yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
    except Exception as exc:  # the stream has started: the status line is gone, say it in the stream
        _, body = describe(exc)
        yield f"data: {json.dumps(body, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


def _app_class():
    """FastAPI whose /docs page loads Swagger UI from the package, not a CDN (offline machines)."""
    try:
        from fastapi_offline import FastAPIOffline
    except ImportError:  # docs still work where the browser can reach the CDN
        return FastAPI
    return FastAPIOffline


def build_api(assistant, key: str | None = None) -> FastAPI:
    """The FastAPI app over one shared Assistant; `key`, when set, is required on every /v1 route."""
    settings = assistant.settings
    model = settings.api_model_name
    started = int(time.time())
    uploads_dir = Path(settings.data_dir) / "uploads"
    index_lock = threading.Lock()
    bearer = HTTPBearer(auto_error=False, description="ASSISTANT_API_KEY, when the server sets one")

    def authorised(creds: HTTPAuthorizationCredentials | None = Security(bearer)) -> None:
        check_key(key, f"{creds.scheme} {creds.credentials}" if creds else None)

    def question_fits(question: str) -> None:
        if len(question) > settings.api_max_question_chars:
            raise ApiError(422, f"The question is {len(question):,} characters long; this server takes at most "
                           f"{settings.api_max_question_chars:,}.", "question_too_long", param="question")

    app = _app_class()(title="News QA assistant", version="1",
                       description="Answers from news articles; every claim is an exact quote with offsets.")
    install_error_handlers(app)
    upload_limit, body_limit = settings.api_max_upload_bytes, settings.api_max_body_bytes
    app.add_middleware(CatchAll)
    app.add_middleware(BodyLimit, limit_for=lambda path: upload_limit if path == "/v1/index" else body_limit)
    v1 = APIRouter(prefix="/v1", dependencies=[Depends(authorised)])

    @v1.post("/answer", summary="Answer one question with cited quotes")
    def answer(body: AnswerBody) -> JSONResponse:
        question_fits(body.question)
        # JSONResponse directly: the Answer dict is plain JSON already, no second encoding pass
        return JSONResponse(assistant.answer(body.question, body.history, **_options(body)).to_dict())

    @v1.post("/chat/completions", summary="OpenAI-compatible chat completion (stream: true for SSE)")
    def chat_completions(body: oa.ChatCompletionRequest):
        if body.model != model:
            raise ApiError(404, f"The model {body.model!r} does not exist; this server offers {model!r}.",
                           "model_not_found", param="model")
        question, history = oa.conversation(body.messages)
        question_fits(question)
        if not body.stream:
            return JSONResponse(oa.completion(assistant.answer(question, history, **_options(body)), model))
        events = assistant.stream(question, history, **_options(body))
        first = next(events)  # a bad question or a failing index is a status code, not half a stream
        usage = bool((body.stream_options or {}).get("include_usage"))
        return StreamingResponse(_sse(oa.chunks(itertools.chain([first], events), model, usage)),
                                 media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    @v1.get("/models", summary="The models this server offers (OpenAI-compatible)")
    def list_models() -> dict[str, Any]:
        return oa.models(model, started)

    @v1.get("/models/{name}", summary="One model (OpenAI-compatible)")
    def get_model(name: str) -> dict[str, Any]:
        if name != model:
            raise ApiError(404, f"The model {name!r} does not exist; this server offers {model!r}.",
                           "model_not_found")
        return oa.model_card(model, started)

    @v1.get("/status", summary="What the index holds")
    def status() -> dict[str, Any]:
        from ..generate.registry import available

        return {**assistant.status(), "model": model, "generators": available()}

    @v1.post("/index", summary="Add articles (.txt/.md, UTF-8), checked like the chat's uploads")
    async def index(files: list[UploadFile] = File(description="Article files")) -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="api-upload-") as tmp:
            paths = []
            for i, upload in enumerate(files):
                path = Path(tmp) / str(i) / display_name(upload.filename or "article.txt")
                path.parent.mkdir()
                path.write_bytes(await upload.read())
                paths.append(path)

            def run():
                with index_lock:
                    return add_files(assistant, paths, uploads_dir, settings.upload_max_bytes)

            outcome = await run_in_threadpool(run)
        if not outcome.accepted:
            raise ApiError(422, " ".join(outcome.rejected) or "No file was given.", "no_article_added",
                           param="files")
        return {"accepted": outcome.accepted, "rejected": outcome.rejected, "indexed": outcome.indexed,
                "summary": outcome.summary, "messages": [{"ok": kind == "ok", "message": text}
                                                         for kind, text in outcome.lines]}

    app.include_router(v1)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@dataclass
class RunningApi:
    """A server started with block=False: its address, and close() to stop it."""

    url: str
    server: Any
    thread: threading.Thread

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def serve(settings: Settings | None = None, assistant=None, *, block: bool = True) -> RunningApi | None:
    """Start the API; blocks until interrupted, or with block=False returns a RunningApi."""
    import uvicorn

    from ..pipeline import Assistant

    settings = settings or (assistant.settings if assistant else Settings())
    key = api_key(settings)  # refuse an open bind before loading anything
    assistant = assistant or Assistant(settings)
    try:
        assistant.ensure_index()  # build the index now, not on the first client's question
    except AssistantError as exc:  # still serve: /v1/index can add articles, /v1/status says what is wrong
        log.warning("%s", exc)
    port = settings.api_port or _free_port(settings.host)
    config = uvicorn.Config(build_api(assistant, key), host=settings.host, port=port,
                            log_level="info" if block else "warning", timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    if block:
        server.run()
        return None
    thread = threading.Thread(target=server.run, name="http-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise AssistantError(f"The HTTP API could not start on {settings.host}:{port}.")
        time.sleep(0.05)
    return RunningApi(url=f"http://{host}:{port}", server=server, thread=thread)
