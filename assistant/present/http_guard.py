"""What stands in front of every HTTP API route: the key, the body size, and error bodies.

Every failure a client can see is one JSON shape, the one OpenAI clients already parse:
``{"error": {"message", "type", "code", "param"}}`` — bad JSON 400, a missing or wrong
field 422, a wrong key 401, an oversized body 413, a failing index or backend 5xx with
its message. A bug is a 500 saying so; its traceback goes to the server log only.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import (AssistantError, BackendUnavailableError, IndexCorruptError, IndexMissingError,
                      InvalidQuestionError, UnknownGeneratorError)
from ..settings import Settings

log = logging.getLogger(__name__)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}

# status, error type, code for each user-facing error the library raises
_STATUS: list[tuple[type[AssistantError], int, str, str]] = [
    (InvalidQuestionError, 400, "invalid_request_error", "invalid_question"),
    (UnknownGeneratorError, 400, "invalid_request_error", "unknown_generator"),
    (IndexMissingError, 503, "server_error", "index_missing"),
    (IndexCorruptError, 503, "server_error", "index_damaged"),
    (BackendUnavailableError, 502, "server_error", "backend_unavailable"),
]


class ApiError(Exception):
    """A refusal the API raises itself, with its status code."""

    def __init__(self, status: int, message: str, code: str, kind: str = "invalid_request_error",
                 param: str | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.kind, self.param = status, message, code, kind, param


def error_body(message: str, kind: str, code: str, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": code, "param": param}}


def describe(exc: Exception) -> tuple[int, dict[str, Any]]:
    """Status and body for any exception reaching the API surface."""
    if isinstance(exc, ApiError):
        return exc.status, error_body(exc.message, exc.kind, exc.code, exc.param)
    if isinstance(exc, AssistantError):
        for cls, status, kind, code in _STATUS:
            if isinstance(exc, cls):
                return status, error_body(str(exc), kind, code)
        return 500, error_body(str(exc), "server_error", "assistant_error")
    log.error("HTTP API request failed", exc_info=exc)
    return 500, error_body("Internal error while answering; the details are in the server log.",
                           "server_error", "internal_error")


def api_key(settings: Settings) -> str | None:
    """The key requests must carry, or None; refuses an open non-loopback bind before anything loads."""
    key = settings.api_key.get_secret_value() if settings.api_key else None
    if settings.host not in LOOPBACK and not key:
        raise AssistantError(
            f"Refusing to serve the HTTP API on {settings.host}: anyone on the network could use it. "
            "Set ASSISTANT_API_KEY (clients send it as 'Authorization: Bearer <key>'), or bind 127.0.0.1."
        )
    return key or None


def check_key(expected: str | None, authorization: str | None) -> None:
    if expected is None:
        return
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip().encode(), expected.encode()):
        raise ApiError(401, "Missing or wrong API key: send 'Authorization: Bearer <ASSISTANT_API_KEY>'.",
                       "invalid_api_key")


def _validation_message(exc: RequestValidationError) -> tuple[int, str, str | None]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "The request body is not valid JSON.", None
    parts, first = [], None
    for e in errors:
        where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
        first = first or where
        parts.append(f"{where}: {e.get('msg', 'invalid')}")
    return 422, "Invalid request: " + "; ".join(parts), first


def install_error_handlers(app: FastAPI) -> None:
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        status, message, param = _validation_message(exc)
        return JSONResponse(error_body(message, "invalid_request_error", "invalid_request", param), status)

    async def on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return JSONResponse(error_body(str(exc.detail), "invalid_request_error", code), exc.status_code,
                            headers=getattr(exc, "headers", None))

    async def on_error(_: Request, exc: Exception) -> JSONResponse:
        status, body = describe(exc)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status, headers=headers)

    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(ApiError, on_error)
    app.add_exception_handler(AssistantError, on_error)


class CatchAll:
    """ASGI middleware: a bug becomes the 500 JSON body, logged with its traceback.

    Starlette's own last-resort handler re-raises after answering, which makes the server
    drop the connection; a client reusing it would see a reset instead of the error.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            status, body = describe(exc)  # logs it
            if not started:
                await JSONResponse(body, status)(scope, receive, send)


class BodyLimit:
    """ASGI middleware: reads at most `limit_for(path)` bytes of a body, else answers 413.

    The body is buffered before the route runs (the limits are small), so a route never sees
    half a request and a chunked upload cannot slip past a missing Content-Length.
    """

    def __init__(self, app, limit_for: Callable[[str], int]):
        self.app, self.limit_for = app, limit_for

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            return await self._too_large(scope, receive, send, limit)
        body, more = bytearray(), True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > limit:
                return await self._too_large(scope, receive, send, limit)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    @staticmethod
    async def _too_large(scope, receive, send, limit: int):
        body = error_body(f"The request body is over the {limit:,}-byte limit.", "invalid_request_error",
                          "request_too_large")
        await JSONResponse(body, 413)(scope, receive, send)
