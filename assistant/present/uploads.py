"""Articles added from the chat: checked, copied under a safe name, then indexed.

Only UTF-8 `.txt` and `.md` files up to `settings.upload_max_bytes` are taken; each
refusal names the file and says why. Accepted files land in `data_dir/uploads/`
under a sanitised name (no folders, no leading dots, no traversal), so the
indexer can treat that folder like any other corpus folder.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ALLOWED_SUFFIXES = (".txt", ".md")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class UploadBatch:
    """What happened to one batch of uploaded files."""

    accepted: list[Path] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # one user-facing message per file


def display_name(path: str | Path) -> str:
    """The name the user gave the file (Gradio keeps it as the last path part)."""
    return Path(str(path)).name or str(path)


def safe_name(name: str) -> str:
    """A file name that cannot leave the uploads folder: letters, digits, '.', '_', '-'."""
    stem, dot, suffix = Path(name.replace("\\", "/")).name.rpartition(".")
    stem = _UNSAFE.sub("_", stem if dot else suffix).strip("._-")[:80] or "article"
    suffix = _UNSAFE.sub("", suffix.lower())[:10] if dot else ""
    return f"{stem}.{suffix or 'txt'}"


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def check(path: Path, max_bytes: int) -> str | None:
    """Why this file cannot be added, or None when it can."""
    name = display_name(path)
    if path.suffix.lower() not in ALLOWED_SUFFIXES:
        return f"{name}: not added, only .txt and .md files are accepted."
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return f"{name}: not added, {_size(size)} is over the {_size(max_bytes)} limit."
        data = path.read_bytes()
    except OSError as exc:
        return f"{name}: not added, the file could not be read ({exc.strerror or exc})."
    if not data.strip():
        return f"{name}: not added, the file is empty."
    try:
        if b"\x00" in data:
            raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL byte")
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return f"{name}: not added, it is not UTF-8 text (save it as UTF-8 and try again)."
    if not text.strip():
        return f"{name}: not added, the file is empty."
    return None


def _target(folder: Path, name: str, taken: set[str]) -> Path:
    """Where an upload goes; a name another corpus folder already uses gets an 'upload-' prefix."""
    candidate, i = name, 1
    while candidate in taken:
        i += 1
        candidate = f"upload-{name}" if i == 2 else f"upload{i}-{name}"
    target = (folder / candidate).resolve()
    if target.parent != folder.resolve():  # cannot happen after safe_name; refuse rather than trust it
        raise ValueError(f"unsafe upload name: {name!r}")
    return target


def accept(paths: list[str | Path], folder: Path, max_bytes: int, taken: set[str] | None = None) -> UploadBatch:
    """Check each file and copy the good ones into `folder`; `taken` are source names owned elsewhere."""
    batch = UploadBatch()
    folder.mkdir(parents=True, exist_ok=True)
    taken = set(taken or ())
    for raw in paths:
        path = Path(str(raw))
        problem = check(path, max_bytes)
        if problem:
            batch.rejected.append(problem)
            continue
        target = _target(folder, safe_name(display_name(path)), taken)
        shutil.copyfile(path, target)
        taken.add(target.name)
        batch.accepted.append(target)
    return batch
