"""A mixed newsroom folder (.txt .md .html .pdf .jsonl .png) indexed into real Chroma and asked
through the CLI; filters through Python and the CLI; a rebuild that keeps every source."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.index.indexer import Indexer
from assistant.index.rebuild import rebuild
from assistant.retrieve.corpus import LiveCorpus
from assistant.retrieve.hybrid import HybridRetriever
from assistant.index.store import open_client
from assistant.types import SearchFilters
from tests.newsroom import (ARCHIVE_RECORDS, NAV_ONLY_PAGE, PDF_PAGES, article_page, encrypt_pdf, write_jsonl,
                            write_pdf)

REPO = Path(__file__).resolve().parents[2]

FRONT_MATTER_TXT = ("---\ntitle: Ferry timetable changes\noutlet: Harbour Gazette\nauthor: Dee Lane\n"
                    "date: 2024-06-08\nurl: https://harbour.example/ferry\n---\n\nPIER TOWN, June 8 - The ferry "
                    "company said crossings to the island would run every hour from Monday, a spokesman said.\n")
PLAIN_MD = ("# Orchard harvest\n\nVALLEYFORD, Sept 3, 2023 - Farmers in the valley said the apple harvest was "
            "the largest in ten years. Prices at the market fell by a third.\n")


def make_folder(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "ferry.txt").write_text(FRONT_MATTER_TXT, encoding="utf-8")
    (root / "orchard.md").write_text(PLAIN_MD, encoding="utf-8")
    (root / "berth.html").write_text(article_page(
        "Port reopens its northern berth", "Danube Courier", "Jane Roe", "2024-04-02", "https://example.org/a/1",
        ["IZMAIL, April 2 (Danube Courier) - The harbour master said the northern berth will reopen to barges "
         "on April 14 after repairs that took most of the winter.",
         "He added that inspectors had cleared the quay walls for loading, and traffic should double by summer."]),
        encoding="utf-8")
    (root / "sections.html").write_text(NAV_ONLY_PAGE, encoding="utf-8")
    write_pdf(root / "report.pdf", PDF_PAGES, title="Harbour authority report", author="Port Desk")
    encrypt_pdf(root / "report.pdf", root / "locked.pdf")
    write_jsonl(root / "dump.jsonl", [ARCHIVE_RECORDS[0], "{not json", ARCHIVE_RECORDS[1]])
    (root / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    return root


EXPECTED_ARTICLES = {"ferry.txt", "orchard.md", "berth.html", "report.pdf", "dump.jsonl#1", "dump.jsonl#3"}
EXPECTED_WARNINGS = {"chart.png": "unsupported file type", "locked.pdf": "encrypted", "sections.html": "navigation",
                     "dump.jsonl line 2": "not JSON"}


def _cli(*args, timeout=400) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_mixed_folder_indexes_and_every_refusal_is_named(settings, fake_embeddings, tmp_path):
    folder = make_folder(tmp_path / "news")
    report = Indexer(settings, embeddings=fake_embeddings, progress=False).index([folder])
    assert set(report.added) == EXPECTED_ARTICLES
    for name, why in EXPECTED_WARNINGS.items():
        assert any(name in w and why in w for w in report.warnings), (name, report.warnings)
    assert len(report.warnings) == len(EXPECTED_WARNINGS), report.warnings
    snap = LiveCorpus(open_client(settings.index_dir), settings.collection).snapshot()
    by_source = {m["source"]: m for m in snap.metadatas}
    assert by_source["berth.html"]["outlet"] == "Danube Courier" and by_source["berth.html"]["published"] == "2024-04-02"
    assert by_source["dump.jsonl#3"]["author"] == "Ben Stone, Cy Reed"
    assert {m.get("page") for m in snap.metadatas if m["source"] == "report.pdf"} == {1, 2}
    assert all(v is not None for m in snap.metadatas for v in m.values())

    # A line that breaks later keeps what was indexed from it; a fixed file is re-read.
    write_jsonl(folder / "dump.jsonl", ["{still not json", "{not json", ARCHIVE_RECORDS[1]])
    again = Indexer(settings, embeddings=fake_embeddings, progress=False).index([folder])
    assert "dump.jsonl#1" not in again.removed and not again.removed
    assert again.articles == len(EXPECTED_ARTICLES)


def _retriever(settings, embeddings, **kw) -> HybridRetriever:
    corpus = LiveCorpus(open_client(settings.index_dir), settings.collection)
    return HybridRetriever(corpus=corpus, embeddings=embeddings, k=kw.pop("k", 3), candidate_k=4, **kw)


def test_selective_filters_still_return_k(settings, fake_embeddings, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        (folder / f"wire{i:02d}.md").write_text(
            f"---\noutlet: Big Wire\ndate: 2024-0{1 + i % 9}-1{i % 10}\n---\n\nRiver flood warning {i}\n\n"
            f"The river flood warning was raised again, officials said. The river flood may reach the bridge "
            f"number {i} by night.\n", encoding="utf-8")
    for i in range(3):
        (folder / f"small{i}.md").write_text(
            f"---\noutlet: Small Gazette\ndate: 2023-11-0{i + 1}\n---\n\nCouncil notes {i}\n\n"
            f"The council met on Tuesday and spoke briefly about the river, a clerk said. Item {i} was closed.\n",
            encoding="utf-8")
    Indexer(settings, embeddings=fake_embeddings, progress=False).index([folder])
    retriever = _retriever(settings, fake_embeddings)
    _, plain = retriever.retrieve("river flood warning", 3)
    assert all(c.outlet == "Big Wire" for c in plain)  # unfiltered, the small outlet is out of sight
    _, only = retriever.retrieve("river flood warning", 3, SearchFilters(outlets=("small gazette",)))
    assert len(only) == 3 and {c.outlet for c in only} == {"Small Gazette"}
    _, dated = retriever.retrieve("river flood warning", 3, SearchFilters(since="2024-03-01", until="2024-04"))
    assert len(dated) == 3 and all("2024-03-01" <= c.published <= "2024-04-30" for c in dated)
    _, none = retriever.retrieve("river flood warning", 3, SearchFilters(outlets=("No Such Outlet",)))
    assert none == []


def test_questions_about_now_prefer_the_newer_article(settings, fake_embeddings, tmp_path):
    folder = tmp_path / "time"
    folder.mkdir()
    (folder / "old.md").write_text("---\ndate: 2017-05-15\noutlet: Daily\n---\n\nHarbour master named\n\n"
                                   "The port board named Ada Stone as harbour master, the harbour board said. "
                                   "Stone becomes harbour master harbour master in June.\n", encoding="utf-8")
    (folder / "new.md").write_text("---\ndate: 2024-01-09\noutlet: Daily\n---\n\nHarbour master named\n\n"
                                   "The port board named Ben Reyes as harbour master, the board said. "
                                   "Reyes starts in February.\n", encoding="utf-8")
    Indexer(settings, embeddings=fake_embeddings, progress=False).index([folder])
    without = _retriever(settings, fake_embeddings, recency_boost=0.0)
    boosted = _retriever(settings, fake_embeddings)
    _, base = without.retrieve("Who is the harbour master now?", 2)
    assert base[0].source == "old.md"  # it matches the words better
    _, now = boosted.retrieve("Who is the harbour master now?", 2)
    assert now[0].source == "new.md"
    _, timeless = boosted.retrieve("Who is the harbour master?", 2)
    _, timeless_base = without.retrieve("Who is the harbour master?", 2)
    assert [c.chunk_id for c in timeless] == [c.chunk_id for c in timeless_base]  # no time word: no boost


def test_rebuild_keeps_sources_from_every_folder_and_reports_gone_ones(settings, fake_embeddings, tmp_path):
    main = make_folder(tmp_path / "main")
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "extra.txt").write_text("Tram line opens\n\nThe new tram line opened on Sunday, the city said. "
                                     "Trams run every ten minutes.\n", encoding="utf-8")
    (other / "gone.txt").write_text("Bakery closes\n\nThe old bakery closed on Friday after fifty years, its "
                                    "owner said.\n", encoding="utf-8")
    indexer = Indexer(settings, embeddings=fake_embeddings, progress=False)
    indexer.index([main])
    indexer.index([other])
    (other / "gone.txt").unlink()
    report = rebuild(settings, [main], embeddings=fake_embeddings, progress=False)
    assert report.missing == ["gone.txt"]
    assert any(w.startswith("gone: gone.txt") for w in report.warnings)
    snap = LiveCorpus(open_client(settings.index_dir), settings.collection).snapshot()
    assert set(snap.manifest.articles) == EXPECTED_ARTICLES | {"extra.txt"}


@pytest.mark.slow
@pytest.mark.integration
def test_cli_indexes_the_mixed_folder_and_answers_with_metadata(tmp_path):
    folder = make_folder(tmp_path / "news")
    index = str(tmp_path / "index")
    done = _cli("--index-dir", index, "index", "--quiet", str(folder))
    assert done.returncode == 0, done.stderr
    for name, why in EXPECTED_WARNINGS.items():
        assert any(name in line and why in line for line in done.stderr.splitlines()), (name, done.stderr)
    assert "6 articles" in done.stdout

    asked = _cli("--index-dir", index, "ask", "What will the repairs cost, according to the harbour authority?", "--json")
    assert asked.returncode == 0, asked.stderr
    result = json.loads(asked.stdout)
    cited = [c for c in result["citations"] if c["source"] == "report.pdf"]
    assert cited and cited[0]["page"] == 2 and cited[0]["title"] == "Harbour authority report"
    assert cited[0]["author"] == "Port Desk" and "twelve million" in cited[0]["quote"]

    asked = _cli("--index-dir", index, "ask", "When will the northern berth reopen to barges?", "--json")
    result = json.loads(asked.stdout)
    berth = next(c for c in result["citations"] if c["source"] == "berth.html")
    assert (berth["outlet"], berth["published"], berth["author"], berth["url"]) == (
        "Danube Courier", "2024-04-02", "Jane Roe", "https://example.org/a/1")

    filtered = _cli("--index-dir", index, "ask", "What did the board or company say?", "--json",
                    "--outlet", "Valley Post", "--outlet", "Harbour Gazette")
    result = json.loads(filtered.stdout)
    assert {r["outlet"] for r in result["retrieved"]} <= {"Valley Post", "Harbour Gazette"} and result["retrieved"]
    dated = _cli("--index-dir", index, "ask", "What did the farmers say about the harvest?", "--json",
                 "--since", "2024-01-01")
    result = json.loads(dated.stdout)
    assert all(r["published"] >= "2024-01-01" for r in result["retrieved"])
    assert "orchard.md" not in {r["source"] for r in result["retrieved"]}
    bad = _cli("--index-dir", index, "ask", "Anything?", "--since", "someday")
    assert bad.returncode == 2 and "Not a date" in bad.stderr
