"""The web chat: `assistant chat [--host 127.0.0.1] [--port 7860]`, or `launch(settings)`.

One shared Assistant (models loaded once) serves every browser session through
Gradio's queue; each session keeps its own history. Nothing is fetched from the
internet: analytics are off and the theme uses system fonts.

Exposure: the chat binds 127.0.0.1 by default. Binding any other address
(0.0.0.0, a LAN address, a host name) requires `settings.auth_username` and
`settings.auth_password` (ASSISTANT_AUTH_USERNAME / ASSISTANT_AUTH_PASSWORD);
without them `launch()` refuses to start and says so.

API (gradio_client), endpoint ``/ask``::

    from gradio_client import Client
    client = Client("http://127.0.0.1:7860/")
    text, details = client.predict(
        "What did the minister say about the budget?",  # question: str
        [],            # history: earlier turns as [[question, answer], ...] (or that list as JSON text)
        "",            # generator: a name from assistant.generate.registry.available(); "" = the default
        0,             # k: chunks to retrieve; 0 = the default
        "", "",        # since, until (optional): ISO dates bounding when the articles were published
        [],            # outlets (optional): only these outlets may answer
        api_name="/ask",
    )

``text`` is the answer with [n] markers; ``details`` is JSON text:
``{"abstained": bool, "citations": [{"n", "source", "title", "outlet", "published",
"author", "url", "page", "quote", "start", "end"}], "retrieved": [source, ...], "notes": [...]}``.
An empty question (or a backend that is down) raises gradio_client's ``AppError``
carrying the user-facing message; the server keeps running.
"""

from __future__ import annotations

import logging
import os
import socket

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from ..errors import AssistantError  # noqa: E402
from ..settings import Settings  # noqa: E402
from . import render, styles  # noqa: E402
from .chat import ChatHandlers  # noqa: E402

log = logging.getLogger(__name__)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CONCURRENCY = 4  # answers computed at once; more users simply queue


def example_questions(assistant, limit: int = 4) -> list[str]:
    """Starter questions: the configured ones, else one about each of the first indexed headlines.

    Drawn from whatever corpus is indexed, so no corpus is written into the code.
    """
    if assistant.settings.chat_examples:
        return list(assistant.settings.chat_examples)[:limit]
    try:
        titles = assistant.article_titles(limit)
    except Exception:  # an empty or damaged index: the chat still opens, with no examples
        return []
    return [f"What does the article “{t}” report?" for t in titles]


def _mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


def build_app(assistant) -> gr.Blocks:
    """The chat page and its /ask API, wired to one shared Assistant."""
    from ..generate.registry import available

    h = ChatHandlers(assistant)
    settings = assistant.settings
    with gr.Blocks(title="News Q&A: cited answers", analytics_enabled=False) as demo:
        turns = gr.State([])
        with gr.Column(elem_id="app-header"):
            gr.HTML("<h1>Ask the news articles</h1><p>Every answer comes from the indexed articles, "
                    "with each claim linked to the passage it quotes.</p>", js_on_load=None)
            status = gr.HTML(h.status_line(), elem_id="status", js_on_load=None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(
                    label="Chat", elem_id="chat", height=620, layout="bubble",
                    examples=[{"text": q} for q in example_questions(assistant)] or None,
                    placeholder="**Ask a question about the articles.** Try one of these:",
                    sanitize_html=True, allow_tags=False, feedback_options=("Like", "Dislike"),
                    buttons=["copy"],
                )
                with gr.Row():
                    question = gr.Textbox(show_label=False, placeholder="Ask about the articles…", scale=8,
                                          autofocus=True, elem_id="question", max_length=4000)
                    ask = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="ask")
                clear = gr.Button("New chat", size="sm", variant="secondary", elem_id="new-chat")
            with gr.Column(scale=2):
                gr.HTML('<div class="panel-title">Sources</div>', js_on_load=None)
                sources = gr.HTML(render.sources_panel([]), elem_id="sources-box", js_on_load=None, max_height=620)
                with gr.Accordion("Add articles", open=True, elem_id="add-articles"):
                    files = gr.File(file_count="multiple", elem_id="upload", height=150,
                                    label=f"Drop .txt or .md articles (UTF-8, up to {_mb(settings.upload_max_bytes)})")
                    upload_result = gr.HTML("", elem_id="upload-result", js_on_load=None)
                with gr.Accordion("Filters", open=False, elem_id="filters"):
                    with gr.Row():
                        since = gr.Textbox(label="Published from", placeholder="YYYY-MM-DD", elem_id="since",
                                           max_length=40)
                        until = gr.Textbox(label="Published until", placeholder="YYYY-MM-DD", elem_id="until",
                                           max_length=40)
                    outlets = gr.Dropdown(h.outlets(), value=[], multiselect=True, label="Outlets (none: all)",
                                          elem_id="outlets", allow_custom_value=False)
                with gr.Accordion("Settings", open=False, elem_id="settings"):
                    names = available()
                    generator = gr.Dropdown(
                        names if settings.generator in names else [settings.generator, *names],
                        value=settings.generator, label="Answer generator", elem_id="generator",
                    )
                    k = gr.Slider(1, 20, value=settings.k, step=1, label="Passages retrieved (k)", elem_id="k")

        chat_io = dict(inputs=[question, chatbot, turns, generator, k, since, until, outlets], outputs=[chatbot, turns, sources, question],
                       api_visibility="private")
        question.submit(h.respond, **chat_io)
        ask.click(h.respond, **chat_io)
        chatbot.example_select(_example_text, None, question, api_visibility="private",
                               queue=False).then(h.respond, **chat_io)

        def on_like(turns_value, data: gr.LikeData):
            if h.vote(turns_value, data.index, data.liked):
                gr.Info("Thanks: your feedback was saved.")

        chatbot.like(on_like, [turns], None, api_visibility="private")
        chatbot.clear(lambda: ([], render.sources_panel([])), None, [turns, sources], api_visibility="private",
                      queue=False)
        clear.click(lambda: ([], [], render.sources_panel([]), ""), None, [chatbot, turns, sources, question],
                    api_visibility="private", queue=False)
        files.upload(h.add_articles, files, [upload_result, status, files], api_visibility="private").then(
            h.outlet_choices, outlets, outlets, api_visibility="private", queue=False)
        demo.load(h.status_line, None, status, api_visibility="private", queue=False)
        demo.load(h.outlet_choices, outlets, outlets, api_visibility="private", queue=False)
        gr.api(h.ask, api_name="ask", api_description="Answer a question from the articles, with citations.")
    return demo


def _example_text(data: gr.SelectData) -> str:
    return data.value.get("text", "") if isinstance(data.value, dict) else str(data.value)


def _auth(settings: Settings) -> tuple[str, str] | None:
    """Credentials to require, or None on loopback; refuses an open non-loopback bind."""
    user = settings.auth_username
    password = settings.auth_password.get_secret_value() if settings.auth_password else None
    if settings.host not in LOOPBACK and not (user and password):
        raise AssistantError(
            f"Refusing to serve the chat on {settings.host}: anyone on the network could use it. "
            "Set ASSISTANT_AUTH_USERNAME and ASSISTANT_AUTH_PASSWORD, or bind 127.0.0.1."
        )
    return (user, password) if user and password else None


def _free_port(host: str) -> int:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def serve(settings: Settings | None = None, assistant=None, *, block: bool = True):
    """Start the chat; with block=False return the running gr.Blocks (close() stops it)."""
    from ..pipeline import Assistant

    settings = settings or (assistant.settings if assistant else Settings())
    auth = _auth(settings)
    assistant = assistant or Assistant(settings)
    try:
        assistant.ensure_index()  # build the index now, not on the first user's question
    except AssistantError as exc:  # still serve: articles can be added from the page
        log.warning("%s", exc)
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=CONCURRENCY)
    demo.launch(
        server_name=settings.host,
        server_port=settings.port or _free_port(settings.host),
        auth=auth,
        share=False,
        inbrowser=False,
        show_error=True,
        max_file_size=max(4 * settings.upload_max_bytes, 10_000_000),
        prevent_thread_lock=not block,
        footer_links=["api"],
        theme=styles.theme(),
        css=styles.CSS,
        head=styles.HEAD,
        quiet=not block,
        ssr_mode=False,
        pwa=False,
        mcp_server=False,
        enable_monitoring=False,
    )
    return demo


def launch(settings: Settings | None = None) -> None:
    """Serve the chat until interrupted (`assistant chat`); see the module docstring for exposure rules."""
    serve(settings, block=True)
