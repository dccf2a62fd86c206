"""The chat's /ask API through gradio_client, and the chat handlers the page uses."""

from __future__ import annotations

import json

import pytest

from assistant.types import Answer, Citation, RetrievedChunk
from assistant.errors import AssistantError, BackendUnavailableError
from assistant.types import StreamEvent
from assistant.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PESKOV = "What did Peskov say about Yoon's remarks?"


@pytest.fixture(scope="module")
def client(chat_app):
    from gradio_client import Client

    return Client(chat_app.url, verbose=False, download_files=False, analytics_enabled=False)


def test_ask_returns_cited_answer(client):
    text, details = client.predict(PESKOV, [], "", 0, api_name="/ask")
    details = json.loads(details)
    assert "[1]" in text
    assert not details["abstained"]
    sources = {c["source"] for c in details["citations"]}
    assert {"002_82abdcb3608312cc.txt", "004_32c6785b4f59bc36.txt"} <= sources
    first = details["citations"][0]
    assert first["n"] == 1 and first["quote"] and first["end"] > first["start"]


def test_ask_empty_question_is_a_clear_error_and_server_survives(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="empty"):
        client.predict("   ", [], "", 0, api_name="/ask")
    text, _ = client.predict("What did Medvedev threaten?", "[]", "", 3, api_name="/ask")
    assert text.strip()


def test_ask_follow_up_uses_history(client):
    first, _ = client.predict(PESKOV, [], "", 0, api_name="/ask")
    text, details = client.predict("What else did he say?", [[PESKOV, first]], "", 0, api_name="/ask")
    details = json.loads(details)
    assert not details["abstained"]
    assert any("Peskov" in c["quote"] or "Peskov" in text for c in details["citations"])


def test_ask_rejects_unknown_generator(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError, match="Available"):
        client.predict(PESKOV, [], "no-such-backend", 0, api_name="/ask")


# -- the page's handlers, with a scripted assistant ---------------------------

class ScriptedAssistant:
    """Streams a fixed answer and records what it was asked."""

    def __init__(self, tmp_path, fail: Exception | None = None):
        self.settings = Settings(data_dir=tmp_path / "data", index_dir=tmp_path / "index", upload_max_bytes=1000)
        self.calls: list[dict] = []
        self.fail = fail

    def stream(self, question, history=None, *, k=None, generator=None):
        self.calls.append({"question": question, "history": history, "k": k, "generator": generator})
        if self.fail:
            raise self.fail
        if not question.strip():
            raise AssistantError("Please type a question: it is empty.")
        quote = "Peskov said <b>no</b>."
        chunk = RetrievedChunk("a.txt", "a-0", 1.0, text=f"Intro. {quote} Outro.", start=100, end=100 + 14 + len(quote))
        answer = Answer(
            text="**Peskov**\n- He said <b>no</b> [1]",
            citations=[Citation(1, "a.txt", None, "TASS", "May 8", quote, 107, 107 + len(quote), "a-0")],
            retrieved=[chunk],
        )
        yield StreamEvent("token", text="**Peskov**")
        yield StreamEvent("token", text=answer.text)
        yield StreamEvent("answer", answer=answer)


def test_respond_streams_and_passes_history(tmp_path):
    from assistant.present.chat import ChatHandlers

    bot = ScriptedAssistant(tmp_path)
    h = ChatHandlers(bot)
    steps = list(h.respond("Who?", [], [], "extractive", 4))
    assert len(steps) >= 3  # pending, growing text, final
    messages, turns, panel, box = steps[-1]
    assert box == ""
    assert messages[0]["role"] == "user" and "Who?" in messages[0]["content"]
    final = messages[-1]["content"]
    assert '<a class="cite" href="#src-0-1"' in final and "<strong>Peskov</strong>" in final
    assert "&lt;b&gt;no&lt;/b&gt;" in final and "<b>no</b>" not in final
    assert 'id="src-0-1"' in panel and "<mark>Peskov said &lt;b&gt;no&lt;/b&gt;.</mark>" in panel
    assert "Intro." in panel and "Outro." in panel

    steps = list(h.respond("And then?", messages, turns, "extractive", 4))
    assert bot.calls[-1]["history"] == [("Who?", "**Peskov**\n- He said <b>no</b> [1]")]
    assert bot.calls[-1]["k"] == 4
    messages, turns, panel, _ = steps[-1]
    assert len(turns) == 2 and 'id="src-1-1"' in panel and "Earlier answer" in panel


def test_respond_shows_errors_in_the_chat(tmp_path):
    from assistant.present.chat import ChatHandlers

    h = ChatHandlers(ScriptedAssistant(tmp_path, fail=BackendUnavailableError("The LLM server at x is down.")))
    messages, turns, _, box = list(h.respond("Who?", [], [], "openai", 6))[-1]
    assert "is down" in messages[-1]["content"] and "Could not answer" in messages[-1]["content"]
    assert turns == [] and box == "Who?"

    h = ChatHandlers(ScriptedAssistant(tmp_path, fail=RuntimeError("boom")))
    messages, _, _, _ = list(h.respond("Who?", [], [], "extractive", 6))[-1]
    assert "server log" in messages[-1]["content"] and "boom" not in messages[-1]["content"]

    h = ChatHandlers(ScriptedAssistant(tmp_path))
    messages, _, _, _ = list(h.respond("  ", [], [], "extractive", 6))[-1]
    assert len(messages) == 1 and "empty" in messages[0]["content"]


def test_votes_are_appended_as_json_lines(tmp_path):
    from assistant.present.chat import ChatHandlers

    h = ChatHandlers(ScriptedAssistant(tmp_path))
    messages, turns, _, _ = list(h.respond("Who?", [], [], "extractive", 6))[-1]
    assert h.vote(turns, 1, True)
    assert h.vote(turns, [1, None], False)
    assert not h.vote(turns, 0, True)  # a user message: nothing to rate
    lines = (tmp_path / "data" / "feedback.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["vote"] for r in records] == ["up", "down"]
    assert records[0]["question"] == "Who?" and records[0]["citations"][0]["source"] == "a.txt"
    assert set(records[0]) == {"ts", "question", "answer", "citations", "vote"}


def test_upload_checks_name_each_refused_file(tmp_path):
    from assistant.present import uploads

    src = tmp_path / "in"
    src.mkdir()
    (src / "notes.pdf").write_bytes(b"%PDF")
    (src / "big.txt").write_text("x" * 2000)
    (src / "empty.md").write_text("  \n")
    (src / "latin1.txt").write_bytes("Caf\xe9 au lait.".encode("latin-1"))
    (src / "..%2Fevil name.txt").write_text("A fine article.\n\nIt says things.")
    batch = uploads.accept(sorted(src.iterdir()), tmp_path / "up", max_bytes=1000, taken={"2Fevil_name.txt"})
    text = "\n".join(batch.rejected)
    for name, why in [("notes.pdf", ".txt and .md"), ("big.txt", "limit"), ("empty.md", "empty"),
                      ("latin1.txt", "UTF-8")]:
        assert any(name in r and why in r for r in batch.rejected), text
    assert [p.name for p in batch.accepted] == ["upload-2Fevil_name.txt"]  # renamed: another folder owns the name
    assert all(p.parent == (tmp_path / "up").resolve() for p in batch.accepted)
    assert uploads.safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert uploads.safe_name(".hidden.md") == "hidden.md"


def test_off_loopback_needs_auth():
    from assistant.present.app import _auth

    with pytest.raises(AssistantError, match="ASSISTANT_AUTH_USERNAME"):
        _auth(Settings(host="0.0.0.0"))
    assert _auth(Settings(host="127.0.0.1")) is None
    assert _auth(Settings(host="0.0.0.0", auth_username="u", auth_password="p")) == ("u", "p")


def test_render_escapes_article_markup():
    from assistant.present import render

    evil = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2"> ${x} {{y}}'
    c = Citation(1, "e.txt", evil, None, None, evil, 0, len(evil), "e-0")
    answer = Answer(text=f"{evil} [1]", citations=[c], retrieved=[RetrievedChunk("e.txt", "e-0", 1, evil, 0, len(evil))])
    out = render.answer_html(answer, 0) + render.sources_html(answer, 0, evil)
    assert "<script" not in out and "<img" not in out and "${" not in out and "{{" not in out
    assert "&lt;script&gt;" in out
    abstained = Answer(text="The articles don't say.", abstained=True,
                       retrieved=[RetrievedChunk("a.txt", "a-0", 1, "x", title="Some headline")])
    html = render.answer_html(abstained, 0)
    assert render.NOT_IN_ARTICLES in html and "abstained" in html and "Some headline" in html
    assert render.NOT_IN_ARTICLES in render.sources_html(abstained, 0)
