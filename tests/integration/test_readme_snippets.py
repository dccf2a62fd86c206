"""The README's Python code blocks, run as a first-time user would run them, so README and code agree.

Every ```python block is taken from README.md as written and run in a fresh interpreter whose
settings point at a temp folder (the first block builds the index there from seeds/ on first
use). Blocks that talk to the HTTP API on 127.0.0.1:8080 run against `assistant serve` started on
a free port over the same index (the only change made to them is that port).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
API = "127.0.0.1:8080"
BLOCKS = re.findall(r"^```python\n(.*?)^```", (REPO / "README.md").read_text(encoding="utf-8"), re.S | re.M)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("readme")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(ASSISTANT_INDEX_DIR=str(tmp / "index"), ASSISTANT_DATA_DIR=str(tmp / "data"),
               ASSISTANT_CORPUS_DIR=str(REPO / "seeds"), PYTHONPATH=str(REPO))
    return tmp, env


def _run(code: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    script = cwd / f"block_{abs(hash(code))}.py"
    script.write_text(code, encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], cwd=cwd, env=env, capture_output=True, text=True, timeout=400)


@pytest.fixture(scope="module")
def api(env):
    """`assistant serve` on a free port over the temp index (built by the library block first)."""
    tmp, environ = env
    if not (tmp / "index" / "chroma.sqlite3").exists():  # run without the library blocks: build it first
        subprocess.run([sys.executable, "-m", "assistant.cli", "index", "--quiet"], cwd=tmp, env=environ,
                       check=True, capture_output=True, timeout=400)
    port = _free_port()
    log = open(tmp / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)],
                            cwd=tmp, env=environ, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/status", timeout=5) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"assistant serve did not start: {(tmp / 'serve.log').read_text()[-2000:]}")
            time.sleep(0.5)
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_the_readme_has_python_blocks():
    assert any("Assistant" in b and ".stream(" in b for b in BLOCKS), "the library example is gone from README.md"


@pytest.mark.parametrize("n", [i for i, b in enumerate(BLOCKS) if API not in b])
def test_library_block_runs(n, env):
    tmp, environ = env
    done = _run(BLOCKS[n], tmp, environ)
    assert done.returncode == 0, f"README python block {n + 1} failed:\n{done.stderr[-3000:]}"
    assert done.stdout.strip(), "the block printed nothing"
    assert (tmp / "index" / "chroma.sqlite3").exists(), "the block did not use the configured index"


@pytest.mark.parametrize("n", [i for i, b in enumerate(BLOCKS) if API in b])
def test_http_api_block_runs(n, env, api):
    pytest.importorskip("openai")
    tmp, environ = env
    done = _run(BLOCKS[n].replace(API, api), tmp, environ)
    assert done.returncode == 0, f"README python block {n + 1} failed:\n{done.stderr[-3000:]}"
    assert "[1]" in done.stdout, done.stdout[-2000:]
