"""The chat is local unless protected, and uploads are limited in size and type.

The chat binds 127.0.0.1 by default; any other address needs a username and a password, and
without both serve()/launch()/`assistant chat` refuse before binding anything, naming the
settings to set. Nothing here binds a non-loopback address.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import SecretStr

from assistant import cli
from assistant.errors import AssistantError
from assistant.present import uploads
from assistant.present.app import _auth, launch, serve
from assistant.settings import Settings

EXPOSED = ["0.0.0.0", "::", "192.168.1.20", "10.0.0.5", "example.org", "my-laptop.local", ""]


class Untouchable:
    """An assistant stand-in that fails the test if serve() gets as far as using it."""

    def __getattr__(self, name):
        raise AssertionError(f"serve() used the assistant ({name}) before refusing")


def test_default_is_loopback_without_auth():
    settings = Settings()
    assert settings.host == "127.0.0.1"
    assert _auth(settings) is None
    for host in ("127.0.0.1", "localhost", "::1"):
        assert _auth(Settings(host=host)) is None


@pytest.mark.parametrize("host", EXPOSED)
def test_non_loopback_without_credentials_is_refused(host):
    for creds in ({}, {"auth_username": "ann"}, {"auth_password": SecretStr("pw")},
                  {"auth_username": "ann", "auth_password": SecretStr("")},
                  {"auth_username": "", "auth_password": SecretStr("pw")}):
        settings = Settings(host=host, **creds)
        with pytest.raises(AssistantError, match="ASSISTANT_AUTH_USERNAME and ASSISTANT_AUTH_PASSWORD") as err:
            _auth(settings)
        assert "Refusing to serve the chat" in str(err.value) and "127.0.0.1" in str(err.value)
        with pytest.raises(AssistantError, match="Refusing"):
            serve(settings, Untouchable(), block=False)


@pytest.mark.parametrize("host", EXPOSED[:3])
def test_non_loopback_with_credentials_is_accepted(host):
    settings = Settings(host=host, auth_username="ann", auth_password=SecretStr("s3cret"))
    assert _auth(settings) == ("ann", "s3cret")
    assert "s3cret" not in repr(settings)  # the password is never printed with the settings


def test_launch_and_cli_refuse_an_open_bind(monkeypatch, capsys):
    with pytest.raises(AssistantError, match="Refusing"):
        launch(Settings(host="0.0.0.0"))
    for key in ("ASSISTANT_AUTH_USERNAME", "ASSISTANT_AUTH_PASSWORD"):
        monkeypatch.delenv(key, raising=False)
    code = cli.main(["chat", "--host", "0.0.0.0", "--port", "0"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: Refusing to serve the chat on 0.0.0.0")
    assert "Traceback" not in err


def test_credentials_from_the_environment(monkeypatch):
    monkeypatch.setenv("ASSISTANT_HOST", "0.0.0.0")
    monkeypatch.setenv("ASSISTANT_AUTH_USERNAME", "ann")
    monkeypatch.setenv("ASSISTANT_AUTH_PASSWORD", "from-env")
    assert _auth(Settings()) == ("ann", "from-env")
    monkeypatch.delenv("ASSISTANT_AUTH_PASSWORD")
    with pytest.raises(AssistantError):
        _auth(Settings())


# -- uploads --------------------------------------------------------------------------

GOOD = "Harbour plan\n\nThe harbour master said the new pier would open in spring. Work starts soon.\n"


def _file(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("name,data,reason", [
    ("report.pdf", b"%PDF-1.7", "only .txt and .md"),
    ("page.html", "<p>hi</p>", "only .txt and .md"),
    ("tool.exe", b"MZ\x90\x00", "only .txt and .md"),
    ("article.txt.exe", b"MZ", "only .txt and .md"),
    ("noext", GOOD, "only .txt and .md"),
    ("big.txt", "x" * 1001, "over the 1,000 bytes limit"),
    ("empty.txt", b"", "empty"),
    ("blank.md", " \n\t\n", "empty"),
    ("binary.txt", b"abc\x00def", "not UTF-8"),
    ("latin1.txt", "café crème".encode("latin-1"), "not UTF-8"),
    ("utf16.txt", "hello".encode("utf-16"), "not UTF-8"),
])
def test_upload_check_refuses_with_the_file_named(tmp_path, name, data, reason):
    problem = uploads.check(_file(tmp_path, name, data), max_bytes=1000)
    assert problem and problem.startswith(f"{name}: not added") and reason in problem


def test_upload_check_accepts_utf8_text(tmp_path):
    assert uploads.check(_file(tmp_path, "ok.txt", GOOD), max_bytes=1000) is None
    assert uploads.check(_file(tmp_path, "ok.MD", "Статья\n\nТекст статьи. Ещё одно предложение."), 1000) is None


def test_upload_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(50_000_000)  # sparse
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file over the limit"))
    assert "over the" in uploads.check(huge, max_bytes=2_000_000)


@pytest.mark.parametrize("given,expected", [
    ("../../etc/passwd.txt", "passwd.txt"), ("..\\..\\windows\\evil.md", "evil.md"), (".hidden.txt", "hidden.txt"),
    ("a b<script>.TXT", "a_b_script.txt"), ("статья.txt", "article.txt"), ("/abs/path/x.txt", "x.txt"),
    ("...", "article.txt"), ("name", "name.txt"), ("x.", "x.txt"), ("a.t<x>t", "a.txt"),
    ("x" * 300 + ".txt", "x" * 80 + ".txt"),
])
def test_safe_name_cannot_leave_the_uploads_folder(given, expected):
    name = uploads.safe_name(given)
    assert name == expected
    assert "/" not in name and "\\" not in name and not name.startswith(".")


def test_accept_copies_good_files_only_inside_the_folder(tmp_path):
    src, dest = tmp_path / "src", tmp_path / "data" / "uploads"
    src.mkdir()
    good = _file(src, "good.txt", GOOD)
    clash = _file(src, "002_82abdcb3608312cc.txt", GOOD.replace("pier", "quay"))
    bad = [_file(src, "bad.pdf", b"%PDF"), _file(src, "empty.txt", b""), _file(src, "bin.md", b"\x00\x01")]
    batch = uploads.accept([good, clash, *bad], dest, max_bytes=10_000, taken={"002_82abdcb3608312cc.txt"})
    assert [p.name for p in batch.accepted] == ["good.txt", "upload-002_82abdcb3608312cc.txt"]
    assert len(batch.rejected) == 3 and all(p.name in " ".join(batch.rejected) for p in bad)
    assert sorted(os.listdir(dest)) == ["good.txt", "upload-002_82abdcb3608312cc.txt"]
    assert all(p.resolve().parent == dest.resolve() for p in batch.accepted)


def test_app_limits_uploads_and_question_length():
    """The page's own limits: the upload box states the size, the question box caps its length."""
    import inspect

    from assistant.present import app

    source = inspect.getsource(app.build_app)
    assert "max_length=4000" in source and "upload_max_bytes" in source
    assert "max_file_size=" in inspect.getsource(app.serve)
    assert Settings().upload_max_bytes <= 5_000_000
