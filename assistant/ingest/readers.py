"""Find article files and read them as text, refusing what is not an article.

A bad file never stops an indexing run: it is skipped with a reason that names it,
and so is every file in a folder whose type no reader takes (an image, a spreadsheet).
The readers for each format are in load.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorpusPathError

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".jsonl", ".ndjson", ".json"}


class SkipFile(Exception):
    """This file is not indexed; the message says why."""


@dataclass(frozen=True)
class SourceFile:
    """An article file and the id it is known by (its path relative to the corpus folder)."""

    path: Path
    source: str
    root: Path | None = None  # the corpus folder the id is relative to (None: the folder given)


def unsupported(path: Path) -> str:
    """The warning for a file no reader takes."""
    kinds = " ".join(sorted(SUPPORTED_SUFFIXES))
    return f"skipped {shown(path)}: unsupported file type '{path.suffix or '(none)'}' (articles are {kinds})"


def shown(path: Path | str) -> str:
    """A path as text that can always be printed (undecodable name bytes as \\xNN escapes)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _name_problem(source: str) -> str | None:
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8 in the name (kept by Python as surrogates)
        return "its name is not valid UTF-8 (rename the file)"
    return None


def discover(paths: list[Path]) -> tuple[list[SourceFile], list[str]]:
    """List the article files under the given files and folders, and warnings for odd entries."""
    found: dict[str, SourceFile] = {}
    warnings: list[str] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise CorpusPathError(f"Path not found: {path}")
        if path.is_file():
            if _name_problem(path.name):
                warnings.append(f"skipped {shown(path)}: {_name_problem(path.name)}")
            elif path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.setdefault(path.name, SourceFile(path, path.name))
            else:
                warnings.append(unsupported(path))
            continue
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in [d for d in dirnames if Path(d).suffix.lower() in SUPPORTED_SUFFIXES]:
                # A folder named like an article ("x.txt/") is not one: say so instead of walking it.
                warnings.append(f"skipped {shown(Path(dirpath) / name)}: not a regular file (a folder)")
                dirnames.remove(name)
            for name in sorted(filenames):
                if name.startswith(".") or name.lower() == "readme.md":
                    continue
                file_path = Path(dirpath) / name
                if file_path.suffix.lower() not in SUPPORTED_SUFFIXES:
                    warnings.append(unsupported(file_path))
                    continue
                if not file_path.is_file():  # broken link, link loop, a folder named like a file
                    warnings.append(f"skipped {shown(file_path)}: not a regular file")
                    continue
                source = file_path.relative_to(path).as_posix()
                if _name_problem(source):
                    warnings.append(f"skipped {shown(file_path)}: {_name_problem(source)}")
                    continue
                found.setdefault(source, SourceFile(file_path, source))
    return sorted(found.values(), key=lambda f: f.source), warnings


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """Read a file's bytes, refusing empty and oversized files."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise SkipFile(f"skipped {path}: empty file")
        if size > max_bytes:
            raise SkipFile(f"skipped {path}: {size:,} bytes is over the {max_bytes:,}-byte limit")
        data = path.read_bytes()
    except OSError as exc:  # vanished mid-run, unreadable, a directory
        raise SkipFile(f"skipped {path}: cannot be read ({exc.strerror or exc})") from exc
    if not data.strip():
        raise SkipFile(f"skipped {path}: empty file")
    return data


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 article bytes; binary and other encodings are refused, not guessed."""
    if b"\x00" in data[:8192]:
        raise SkipFile(f"skipped {path}: binary file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SkipFile(f"skipped {path}: not UTF-8 text (byte {exc.start})") from exc
    if path.suffix.lower() in HTML_SUFFIXES:
        from .html_reader import NotAnArticle, read_html

        try:
            text = read_html(text, path.name, path).text
        except NotAnArticle as exc:
            raise SkipFile(f"skipped {path}: {exc}") from exc
    if not text.strip():
        raise SkipFile(f"skipped {path}: no text")
    return text
