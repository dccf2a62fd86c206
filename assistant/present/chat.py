"""What the chat does on each event, bound to one shared Assistant.

Nothing here keeps per-user state: each browser session carries its own chat history
(the Chatbot value) and its own list of turns (a gr.State), passed in and returned by
every handler, so sessions never see each other's questions.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

import gradio as gr

from ..errors import AssistantError
from ..history import parse_history
from . import render
from .feedback import FeedbackLog
from .upload_index import add_files

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong while answering; the details are in the server log. Please try again."


def _citations(answer) -> list[dict]:
    return [
        {"n": c.n, "source": c.source, "title": c.title, "outlet": c.outlet, "published": c.published,
         "author": c.author, "url": c.url, "page": c.page, "quote": c.quote, "start": c.start, "end": c.end}
        for c in answer.citations
    ]


def filter_options(since, until, outlets) -> dict:
    """The chat's filter inputs as answer() keywords; blank boxes filter nothing and are left out."""
    if isinstance(outlets, str):
        outlets = [outlets] if outlets.strip() else []
    options = {"since": (since or "").strip() or None, "until": (until or "").strip() or None,
               "outlets": [o for o in (outlets or []) if o] or None}
    return {key: value for key, value in options.items() if value}


class ChatHandlers:
    """Event handlers of the chat page and its API."""

    def __init__(self, assistant):
        self.assistant = assistant
        self.settings = assistant.settings
        self.feedback = FeedbackLog(Path(self.settings.data_dir) / "feedback.jsonl")
        self.uploads_dir = Path(self.settings.data_dir) / "uploads"
        self._index_lock = threading.Lock()

    # -- asking -------------------------------------------------------------
    def respond(self, question, messages, turns, generator, k, since="", until="", outlets=None):
        """Stream one answer into the chat; yields (messages, turns, sources panel, question box).

        since/until (dates) and outlets are the Filters panel: only matching articles may answer."""
        messages, turns = list(messages or []), list(turns or [])
        question = question or ""
        history = [(t["question"], t["answer"]) for t in turns if "answer" in t]
        turn = len(turns)
        if question.strip():
            messages.append({"role": "user", "content": render.question_html(question)})
        messages.append({"role": "assistant", "content": render.pending_html()})
        yield messages, turns, render.sources_panel(turns), ""
        try:
            for event in self.assistant.stream(question, history, k=int(k) if k else None, generator=generator or None,
                                               **filter_options(since, until, outlets)):
                if event.kind == "token":
                    messages[-1] = {"role": "assistant", "content": render.partial_html(event.text, turn)}
                    yield messages, turns, gr.skip(), ""
                elif event.answer is not None:
                    answer = event.answer
                    messages[-1] = {"role": "assistant", "content": render.answer_html(answer, turn)}
                    turns.append({
                        "question": question, "answer": answer.text, "citations": _citations(answer),
                        "abstained": answer.abstained, "message_index": len(messages) - 1,
                        "sources_html": render.sources_html(answer, turn, question),
                    })
                    yield messages, turns, render.sources_panel(turns), ""
        except AssistantError as exc:
            messages[-1] = {"role": "assistant", "content": render.error_html(str(exc))}
            yield messages, turns, render.sources_panel(turns), question
        except Exception:
            log.exception("chat answer failed")
            messages[-1] = {"role": "assistant", "content": render.error_html(UNEXPECTED)}
            yield messages, turns, render.sources_panel(turns), question

    def ask(self, question: str, history: list[list[str]] | str | None = None, generator: str = "",
            k: int = 0, since: str = "", until: str = "", outlets: list[str] | None = None) -> tuple[str, str]:
        """The API: one whole answer and a JSON object with its citations (filters optional)."""
        try:
            answer = self.assistant.answer(
                question, parse_history(history), k=int(k) if k else None, generator=generator or None,
                **filter_options(since, until, outlets),
            )
        except AssistantError as exc:
            raise gr.Error(str(exc), print_exception=False) from exc
        details = {
            "abstained": answer.abstained,
            "citations": _citations(answer),
            "retrieved": [r.source for r in answer.retrieved],
            "notes": list(answer.notes),
        }
        return answer.text, json.dumps(details, ensure_ascii=False)

    # -- feedback -----------------------------------------------------------
    def vote(self, turns, index, liked) -> str:
        """Record a thumbs up/down on the answer shown at chat message `index`."""
        if isinstance(index, (list, tuple)):
            index = index[0]
        turn = next((t for t in (turns or []) if t.get("message_index") == index), None)
        if turn is None or liked is None:
            return ""
        vote = "up" if liked is True or liked == "Like" else "down" if liked is False or liked == "Dislike" else str(liked)
        self.feedback.record(turn["question"], turn["answer"], turn["citations"], vote)
        return "Thanks: your feedback was saved."

    # -- articles -----------------------------------------------------------
    def outlets(self) -> list[str]:
        """The outlets the index holds, for the Filters panel's choices."""
        try:
            metadatas = self.assistant.retriever.corpus.snapshot().metadatas
        except Exception:  # an unreadable index is reported by the status line
            return []
        return sorted({m["outlet"] for m in metadatas if m.get("outlet")}, key=str.casefold)

    def outlet_choices(self, chosen=None):
        """An update of the outlet box: the current outlets, keeping what is still chosen."""
        names = self.outlets()
        return gr.update(choices=names, value=[o for o in (chosen or []) if o in names])

    def status_line(self) -> str:
        try:
            return render.status_html(self.assistant.status())
        except AssistantError as exc:
            return render.status_html({"articles": "?", "chunks": "?", "embedding_model": str(exc)})

    def add_articles(self, files, progress=gr.Progress()) -> tuple[str, str, None]:
        """Check, copy and index uploaded files; returns (result message, status line, cleared upload box).
        Gradio shows `progress` on the upload box while the files are embedded."""
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
        if not paths:
            return "", self.status_line(), None

        def report(state) -> None:
            try:
                progress(state.chunks_done / max(state.chunks_total, 1), desc=state.line())
            except Exception:  # called outside a Gradio event (tests, API): nothing to show
                pass

        with self._index_lock:
            outcome = add_files(self.assistant, paths, self.uploads_dir, self.settings.upload_max_bytes,
                                progress=report)
        return render.upload_result_html(outcome.lines), self.status_line(), None
