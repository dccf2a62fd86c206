"""The chat app running on 127.0.0.1 for end-to-end tests, on temporary folders only.

One app per test session: the index, the uploads and the feedback file live under a
pytest temp folder, and the corpus is a copy of seeds/, so the repository's index/
and data/ are never touched.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest

import assistant  # noqa: F401  (offline switches first)
from assistant.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chat_app(tmp_path_factory):
    """Start the chat in a background thread; yields url, settings and the shared Assistant."""
    from assistant.pipeline import Assistant
    from assistant.present.app import serve

    root = tmp_path_factory.mktemp("chat")
    corpus = root / "corpus"
    shutil.copytree(REPO_ROOT / "seeds", corpus, ignore=shutil.ignore_patterns("README*", ".*"))
    settings = Settings(
        index_dir=root / "index", data_dir=root / "data", corpus_dir=corpus, chroma_url=None,
        host="127.0.0.1", port=free_port(), generator="extractive", upload_max_bytes=200_000,
    )
    bot = Assistant(settings)
    demo = serve(settings, bot, block=False)
    try:
        yield SimpleNamespace(url=f"http://127.0.0.1:{settings.port}/", settings=settings, assistant=bot, demo=demo)
    finally:
        demo.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skipped only off CI when it is not installed."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install it with `make browser` (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, chat_app):
    """A fresh browser session on the chat; fails the test if any request leaves localhost."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.requests, page.dialogs = requests, dialogs
    page.goto(chat_app.url)
    page.wait_for_selector("#question textarea")
    yield page
    context.close()
    outside = [u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
               and urlparse(u).hostname not in LOCAL_HOSTS]
    assert not outside, f"requests left localhost: {outside}"
    assert requests, "no requests recorded"
