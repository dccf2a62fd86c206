"""One writer at a time per store and collection: an advisory file lock held for a whole run.

Two `assistant index` runs (or a run and a chat upload) on one store would each embed
everything; the second one now waits for the first, saying which run it waits for, or
fails at once with ``wait=False`` (``--no-wait``). Readers never take the lock.

The lock is ``fcntl.flock`` on a small file, so the kernel releases it when its holder
exits or is killed: a stale lock left by a killed run (its pid gone) is simply taken by
the next run, which rewrites the file's record (pid, start time, command). Where it lives:

- embedded store: ``.<index folder>.<collection>.writer.lock`` beside the index folder (not
  inside it, so ``--rebuild``'s folder swap never moves it);
- Chroma server: ``<cache_home>/assistant/locks/<server hash>-<collection>.writer.lock``, a
  file next to this machine's settings. It serialises the writers of one machine; writers on
  other machines are not serialised (the store stays consistent, the work may be done twice).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import socket
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..errors import IndexBusyError

log = logging.getLogger(__name__)

_HELD: dict[str, tuple[int, int]] = {}  # "path:thread" -> (fd, depth): re-entrant within one thread
_HELD_LOCK = threading.Lock()


def lock_path(settings) -> Path:
    """The lock file of the settings' store and collection."""
    if settings.chroma_url:
        base = Path(settings.cache_home).expanduser() if settings.cache_home else Path.home() / ".cache"
        server = hashlib.sha1(settings.chroma_url.rstrip("/").encode()).hexdigest()[:12]
        return base / "assistant" / "locks" / f"{server}-{settings.collection}.writer.lock"
    index_dir = Path(settings.index_dir).resolve()
    return index_dir.parent / f".{index_dir.name}.{settings.collection}.writer.lock"


def holder(path: Path) -> dict:
    """The record of the run holding (or that last held) the lock; {} when unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def describe(record: dict) -> str:
    if not record.get("pid"):
        return "another indexing run"
    return f"the indexing run started at {record.get('started_at', '?')}, pid {record['pid']}"


class WriterLock:
    """Context manager: hold the writer lock of one store/collection for the run."""

    def __init__(self, settings, wait: bool = True, notify: Callable[[str], None] | None = None):
        self.path = lock_path(settings)
        self.wait = wait
        self.notify = notify or log.warning
        self.store = settings.chroma_url or str(Path(settings.index_dir))

    def __enter__(self) -> "WriterLock":
        key = f"{self.path}:{threading.get_ident()}"
        with _HELD_LOCK:
            if key in _HELD:  # this thread holds it already (a rebuild around its indexer)
                fd, depth = _HELD[key]
                _HELD[key] = (fd, depth + 1)
                return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                who = describe(holder(self.path))
                if not self.wait:
                    raise IndexBusyError(
                        f"{who[0].upper()}{who[1:]} is writing to {self.store}; "
                        "try again when it has finished (or leave out --no-wait to wait for it).") from None
                self.notify(f"waiting for {who} (writing to {self.store}) ...")
                fcntl.flock(fd, fcntl.LOCK_EX)
            record = {"pid": os.getpid(), "host": socket.gethostname(),
                      "started_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
                      "command": " ".join(Path(sys.argv[0]).name.split() + sys.argv[1:])[:300]}
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(record).encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        with _HELD_LOCK:
            _HELD[key] = (fd, 1)
        return self

    def __exit__(self, *exc) -> None:
        key = f"{self.path}:{threading.get_ident()}"
        with _HELD_LOCK:
            fd, depth = _HELD.pop(key)
            if depth > 1:
                _HELD[key] = (fd, depth - 1)
                return
        os.close(fd)  # releases the flock; the record stays for the next holder to overwrite
