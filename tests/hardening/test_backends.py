"""A configured LLM backend that refuses, hangs or answers garbage fails fast and clearly; the chat carries on.

llm_timeout is 1 s: every failure is a BackendUnavailableError naming the endpoint, raised
within the timeout plus a small margin, from answer(), stream() and follow-ups alike. Through
the running chat (gradio_client), a question to the dead backend gets an error message and the
next question with the extractive generator gets a cited answer.
"""

from __future__ import annotations

import json
import time

import pytest

from assistant.errors import BackendUnavailableError
from assistant.generate.llm.openai_compatible import OpenAICompatibleGenerator
from assistant.present.chat import ChatHandlers
from hardening_support import PESKOV, S002

pytestmark = [pytest.mark.slow, pytest.mark.integration]

MARGIN = 3.0  # retrieval, plus a loaded CI machine


def _within(call, url: str, timeout: float) -> BackendUnavailableError:
    started = time.monotonic()
    with pytest.raises(BackendUnavailableError) as err:
        call()
    elapsed = time.monotonic() - started
    assert elapsed < timeout + MARGIN, f"{elapsed:.1f} s"
    assert url in str(err.value) and "generator" in str(err.value)
    return err.value


def _use_backend(hardened, monkeypatch, url: str):
    settings = hardened.settings.model_copy(update={"llm_base_url": url})
    monkeypatch.setitem(hardened.bot._generators, "openai", OpenAICompatibleGenerator(settings))


def _all_paths_fail_fast(hardened, url: str) -> None:
    bot, timeout = hardened.bot, hardened.settings.llm_timeout
    err = _within(lambda: bot.answer(PESKOV, generator="openai"), url, timeout)
    assert f"timeout {timeout:g} s" in str(err)
    _within(lambda: list(bot.stream(PESKOV, generator="openai")), url, timeout)
    _within(lambda: bot.answer("What else?", history=[(PESKOV, "He objected [1].")], generator="openai"), url, timeout)


def test_refused(hardened):
    _all_paths_fail_fast(hardened, hardened.dead_llm)


@pytest.mark.parametrize("bad_llm", ["hang", "garbage", "truncated-json"], indirect=True)
def test_hanging_or_garbage(hardened, bad_llm, monkeypatch):
    _use_backend(hardened, monkeypatch, bad_llm.url)
    _all_paths_fail_fast(hardened, bad_llm.url)
    assert bad_llm.hits >= 3


def test_chat_handlers_stay_usable_after_a_backend_failure(hardened):
    """The page's own streaming handler: an error bubble, then a normal cited answer."""
    handlers = ChatHandlers(hardened.bot)
    *_, (messages, turns, _sources, box) = handlers.respond(PESKOV, [], [], "openai", 0)
    assert "Could not answer" in messages[-1]["content"] and "openai" in messages[-1]["content"]
    assert turns == [] and box == PESKOV  # the question stays in the box to retry
    *_, (messages, turns, _sources, box) = handlers.respond(PESKOV, messages, turns, "extractive", 0)
    assert len(turns) == 1 and not turns[0]["abstained"] and box == ""
    assert S002 in {c["source"] for c in turns[0]["citations"]}


def test_gradio_chat_reports_a_dead_backend_then_answers(hardened_app):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(hardened_app.url, verbose=False, download_files=False, analytics_enabled=False)
    started = time.monotonic()
    with pytest.raises(AppError) as err:
        client.predict(PESKOV, [], "openai", 0, api_name="/ask")
    assert time.monotonic() - started < hardened_app.settings.llm_timeout + MARGIN + 2
    assert hardened_app.dead_llm in str(err.value) and "backend" in str(err.value)
    text, details = client.predict(PESKOV, [], "extractive", 0, api_name="/ask")
    details = json.loads(details)
    assert "[1]" in text and not details["abstained"]
    assert S002 in {c["source"] for c in details["citations"]}
    # ... and a dead backend on a follow-up, then a follow-up that works.
    with pytest.raises(AppError):
        client.predict("What else did he say?", [[PESKOV, text]], "openai", 0, api_name="/ask")
    text2, _ = client.predict("What else did he say?", [[PESKOV, text]], "", 0, api_name="/ask")
    assert text2.strip()
