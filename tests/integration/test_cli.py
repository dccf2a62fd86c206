"""The `assistant` command line, run as a real subprocess from the repository root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
S002 = "002_82abdcb3608312cc.txt"


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}


def _cli(*args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=REPO, env=_env(),
                          capture_output=True, text=True, timeout=timeout)


def test_help_lists_the_commands():
    done = _cli("--help")
    assert done.returncode == 0, done.stderr
    for command in ("index", "ask", "chat", "eval"):
        assert command in done.stdout
    assert "--index-dir" in done.stdout
    sub = _cli("index", "--help")
    assert sub.returncode == 0 and "--rebuild" in sub.stdout


def test_console_script_is_installed():
    script = Path(sys.executable).parent / "assistant"
    if not script.exists():
        pytest.skip("console script not installed in this environment")
    done = subprocess.run([str(script), "--help"], cwd=REPO, env=_env(), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "ask" in done.stdout


def test_index_missing_path_exits_2(tmp_path):
    done = _cli("--index-dir", str(tmp_path / "index"), "index", "nope")
    assert done.returncode == 2
    assert "Path not found" in done.stderr and "nope" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("question", ["", "   ", "?!"])
def test_ask_empty_question_exits_2_with_a_clear_message(tmp_path, question):
    done = _cli("--index-dir", str(tmp_path / "index"), "ask", question)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")
    assert "question" in done.stderr.lower()
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "index").exists() or not any((tmp_path / "index").iterdir()), \
        "an invalid question must not build an index"


def test_unknown_command_is_a_usage_error():
    done = _cli("frobnicate")
    assert done.returncode == 2 and "invalid choice" in done.stderr


@pytest.mark.slow
def test_ask_json_builds_the_index_on_first_use_and_answers(tmp_path):
    index_dir = tmp_path / "index"
    done = _cli("--index-dir", str(index_dir), "ask", "What did Peskov say about Yoon's remarks?", "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    for key in ("text", "citations", "abstained", "retrieved"):
        assert key in result
    assert isinstance(result["text"], str) and result["text"]
    assert result["abstained"] is False
    assert result["citations"] and all({"n", "source", "quote", "start", "end"} <= set(c) for c in result["citations"])
    assert S002 in {c["source"] for c in result["citations"]}
    seed = (REPO / "seeds" / S002).read_text(encoding="utf-8")
    for c in result["citations"]:
        if c["source"] == S002:
            assert seed[c["start"]:c["end"]] == c["quote"]
        assert f"[{c['n']}]" in result["text"]
    assert result["retrieved"] and all("source" in r for r in result["retrieved"])
    assert any("Built the index" in note for note in result.get("notes", []))
    assert any(index_dir.iterdir()), "the index was built in --index-dir"

    # The index now exists: `assistant index` of the seeds finds nothing to do.
    again = _cli("--index-dir", str(index_dir), "index", "--quiet")
    assert again.returncode == 0, again.stderr[-3000:]
    assert "5 articles" in again.stdout and "unchanged 5" in again.stdout


def test_index_of_an_empty_folder_reports_zero_articles(tmp_path):
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    (empty / "notes.pdf").write_bytes(b"%PDF-1.4")
    done = _cli("--index-dir", str(tmp_path / "index"), "index", "--quiet", str(empty))
    assert done.returncode == 0, done.stderr
    assert "0 articles, 0 chunks" in done.stdout


def test_index_warns_about_a_bad_file_and_names_it(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02")
    done = _cli("--index-dir", str(tmp_path / "index"), "index", "--quiet", str(corpus))
    assert done.returncode == 0, done.stderr
    assert "warning: skipped" in done.stderr and "binary.txt" in done.stderr
