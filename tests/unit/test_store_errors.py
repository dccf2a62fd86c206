"""Store failures become messages a user can act on: a server that is down, a full disk."""

from __future__ import annotations

import errno
import json
import socket
import sqlite3

import httpx
import pytest

from assistant import cli
from assistant.errors import DiskFullError, IndexCorruptError, IndexServerUnreachableError
from assistant.index.store import space_exhausted, store_errors

URL = "http://127.0.0.1:9"


def _raise_in(exc: BaseException, index_dir, chroma_url=None):
    with store_errors(index_dir, chroma_url):
        raise exc


def test_transport_failures_in_server_mode_say_the_server_is_not_reachable(tmp_path):
    for exc in (httpx.ConnectError("[Errno 111] Connection refused"), httpx.ReadTimeout("timed out"),
                httpx.RemoteProtocolError("Server disconnected")):
        with pytest.raises(IndexServerUnreachableError) as err:
            _raise_in(exc, tmp_path, URL)
        assert f"The index server at {URL} is not reachable" in str(err.value)


def test_a_full_disk_is_named_whatever_layer_reports_it(tmp_path):
    for exc in (OSError(errno.ENOSPC, "No space left on device"), OSError(errno.EFBIG, "File too large"),
                sqlite3.OperationalError("database or disk is full")):
        with pytest.raises(DiskFullError) as err:
            _raise_in(exc, tmp_path)
        assert str(err.value).startswith("The disk is full") and "still answers" in str(err.value)


def test_other_store_errors_keep_their_meaning(tmp_path):
    with pytest.raises(IndexCorruptError):
        _raise_in(sqlite3.DatabaseError("file is not a database"), tmp_path)
    with pytest.raises(ValueError):  # our own bugs are not dressed up as store errors
        _raise_in(ValueError("a bug"), tmp_path)


def test_space_exhausted_sees_a_file_at_the_size_limit(tmp_path, monkeypatch):
    import resource

    (tmp_path / "chroma.sqlite3").write_bytes(b"x" * 200_000)
    assert space_exhausted(tmp_path) is None or "left on its disk" in space_exhausted(tmp_path)
    monkeypatch.setattr(resource, "getrlimit", lambda which: (200_000, resource.RLIM_INFINITY))
    found = space_exhausted(tmp_path)
    assert found and "chroma.sqlite3" in found and "200,000" in found


def test_ask_json_reports_errors_as_json_with_the_same_exit_code(capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    code = cli.main(["--chroma-url", dead, "ask", "--json", "What happened?"])
    out = capsys.readouterr()
    assert code == 2
    payload = json.loads(out.out)
    assert payload["code"] == 2 and f"The index server at {dead} is not reachable" in payload["error"]
    code = cli.main(["--chroma-url", dead, "ask", "What happened?"])
    out = capsys.readouterr()
    assert code == 2 and out.out == "" and out.err.startswith(f"error: The index server at {dead}")
