"""The built wheel works on its own: installed into a fresh venv, run from outside the
source tree, it indexes the seeds and answers with cited quotes (prompts come from
package data, not from the checkout).

The fresh venv cannot download anything, so it borrows the project venv's installed
dependencies through a .pth file; the assistant package itself is only the wheel's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
QUESTION = "What did Peskov say about Yoon's remarks?"


def _run(cmd, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"  # a clean copy: no stale build/ or egg-info can leak into the wheel
    shutil.copytree(REPO / "assistant", src / "assistant", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp / "dist"), str(src)])
    wheel = next((tmp / "dist").glob("assistant-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (site / "project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet", str(wheel)])
    return venv


def _env(tmp: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") and k != "PYTHONPATH"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ASSISTANT_INDEX_DIR=str(tmp / "index"),
               ASSISTANT_CORPUS_DIR=str(tmp / "seeds"), ASSISTANT_DATA_DIR=str(tmp / "data"))
    return env


def test_the_wheel_holds_the_prompts_and_no_source_tree_is_used(wheel_venv, tmp_path):
    code = ("import assistant, assistant.generate.prompts as p; p.Prompts.load(); "
            "print(assistant.__file__); print(p.PACKAGED_PROMPTS)")
    out = _run([str(wheel_venv / "bin" / "python"), "-c", code], cwd=tmp_path, env=_env(tmp_path)).stdout.split()
    assert all(Path(line).resolve().is_relative_to(wheel_venv.resolve()) for line in out), out


def test_the_installed_command_indexes_and_answers(wheel_venv, tmp_path):
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    work = tmp_path / "elsewhere"  # neither the checkout nor its prompts/ folder is in reach
    work.mkdir()
    env = _env(tmp_path)
    command = str(wheel_venv / "bin" / "assistant")
    _run([command, "index", str(tmp_path / "seeds")], cwd=work, env=env)
    result = json.loads(_run([command, "ask", "--json", QUESTION], cwd=work, env=env).stdout)
    assert not result["abstained"] and result["citations"]
    for citation in result["citations"]:
        text = (tmp_path / "seeds" / citation["source"]).read_text(encoding="utf-8")
        assert text[citation["start"]:citation["end"]] == citation["quote"]
