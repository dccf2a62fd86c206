"""The chat in a real browser: ask, click a citation, upload articles, and stay safe.

Needs Debian's Chromium (`make browser`); skipped without it unless CI is set.
Every test also checks (in the `page` fixture) that no request leaves localhost.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest



pytestmark = [pytest.mark.integration, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FINAL_ANSWER = "#chat .answer:not(.streaming):not(.pending)"

GRAIN_ARTICLE = """Grain corridor talks to resume in March, envoy says

Kyiv Ledger

March 1, 2024

KYIV, March 1 (Kyiv Ledger) - Ukraine's special envoy for Black Sea shipping, Ambassador Olena Petrenko, \
said on Friday that the grain corridor talks will resume on March 3 in Istanbul.
Petrenko told reporters that the delegations had agreed on an agenda covering insurance for cargo ships \
and inspections of vessels bound for Odesa.
She said the first round would last two days and that Turkish mediators had offered to host a second round.
"We expect the first ships to sail under the new terms within a month," Ambassador Petrenko said.
"""

XSS_ARTICLE = """Port of Izmail reopens its northern berth

Danube Courier

April 2, 2024

IZMAIL, April 2 (Danube Courier) - Harbour master Taras Hnatiuk said the northern berth of the Izmail \
port will reopen to barges on April 14 <script>window.__xss=1</script> after repairs.
Hnatiuk added that inspectors had cleared the quay walls <img src=x onerror="window.__xss=2"> for loading.
The port authority said the repairs to the northern berth cost about four million hryvnias.
Barge operators welcomed the decision and said the northern berth would cut waiting times at the Danube mouth.
"""


def ask(page, question: str) -> str:
    """Type a question, send it, and wait for the final (streamed) answer; returns its text."""
    before = page.locator(FINAL_ANSWER).count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    page.wait_for_function(
        "([sel, n]) => document.querySelectorAll(sel).length > n",
        arg=[FINAL_ANSWER, before],
    )
    return page.locator(FINAL_ANSWER).last.inner_text()


def upload(page, path: Path) -> str:
    """Send a file through the upload box and wait for the indexing message naming it."""
    page.locator("#upload input[type=file]").set_input_files(str(path))
    result = page.locator("#upload-result")
    result.get_by_text(re.compile(re.escape(path.name) + ".*(added|updated)")).wait_for()
    return result.inner_text()


def test_ask_stream_and_follow_a_citation(page, chat_app):
    answer = ask(page, "What did Peskov say about Yoon's remarks?")
    assert "[1]" in answer and "Peskov" in answer
    sources = page.locator("#sources-box")
    assert "002_82abdcb3608312cc.txt" in sources.inner_text() or sources.locator(".src-card").count() >= 2

    marker = page.locator("#chat a.cite", has_text="[1]").first
    href = marker.get_attribute("href")
    assert href and href.startswith("#src-")
    marker.click()
    entry = page.locator(href)
    page.wait_for_function("id => document.getElementById(id).classList.contains('flash')", arg=href[1:])
    mark = entry.locator("mark")
    assert mark.count() == 1 and mark.inner_text().strip()
    assert entry.is_visible() and mark.is_visible()
    assert marker.get_attribute("title")  # hover shows the quote

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)

    feedback = Path(chat_app.settings.data_dir) / "feedback.jsonl"
    before = len(feedback.read_text().splitlines()) if feedback.exists() else 0
    page.locator("#chat button[aria-label=Like]").last.click()
    for _ in range(50):
        if feedback.exists() and len(feedback.read_text().splitlines()) > before:
            break
        page.wait_for_timeout(100)
    record = json.loads(feedback.read_text().splitlines()[-1])
    assert record["vote"] == "up" and record["question"] == "What did Peskov say about Yoon's remarks?"
    assert record["citations"][0]["n"] == 1 and record["citations"][0]["quote"]


def test_uploaded_article_is_answerable_at_once(page, tmp_path):
    status_before = page.locator("#status").inner_text()
    path = tmp_path / "petrenko_grain_talks.txt"
    path.write_text(GRAIN_ARTICLE, encoding="utf-8")
    message = upload(page, path)
    assert "Indexed" in message
    page.wait_for_function("old => document.querySelector('#status').innerText !== old", arg=status_before)

    answer = ask(page, "When will the grain corridor talks resume, according to Olena Petrenko?")
    assert "March 3" in answer and "[1]" in answer
    sources = page.locator("#sources-box").inner_text()
    assert "Grain corridor talks to resume in March, envoy says · Kyiv Ledger · 1 March 2024" in sources
    tooltips = page.locator("#sources-box .src-title").evaluate_all("els => els.map(e => e.title)")
    assert "petrenko_grain_talks.txt" in tooltips  # the file name is the tooltip, not the label


def test_upload_refusals_name_the_file(page, tmp_path):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4")
    page.locator("#upload input[type=file]").set_input_files(str(bad))
    page.locator("#upload-result").get_by_text(re.compile(r"scan\.pdf.*only \.txt and \.md")).wait_for()


def test_article_markup_never_runs(page, tmp_path):
    path = tmp_path / "izmail_port.txt"
    path.write_text(XSS_ARTICLE, encoding="utf-8")
    upload(page, path)
    answer = ask(page, "When will the northern berth of the Izmail port reopen to barges?")
    assert "April 14" in answer
    sources = page.locator("#sources-box")
    assert "<script>window.__xss=1</script>" in sources.inner_text() + answer
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("#sources-box script, #chat script").count() == 0
