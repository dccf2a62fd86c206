"""Thumbs up/down on answers, kept as one JSON line each in `data_dir/feedback.jsonl`.

A thread lock and an advisory file lock make each line land whole, even with several
chat users (or several chat processes) voting at once.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: the thread lock alone
    fcntl = None


class FeedbackLog:
    """Appends votes to a JSON-lines file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def record(self, question: str, answer: str, citations: list[dict], vote: str) -> dict:
        """Append one vote ("up" or "down") on an answer; returns the stored record."""
        entry = {
            "ts": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "question": question,
            "answer": answer,
            "citations": [{"n": c.get("n"), "source": c.get("source"), "quote": c.get("quote")} for c in citations],
            "vote": vote,
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as fh:
                if fcntl:
                    fcntl.flock(fh, fcntl.LOCK_EX)
                try:
                    fh.write(line)
                    fh.flush()
                finally:
                    if fcntl:
                        fcntl.flock(fh, fcntl.LOCK_UN)
        return entry

    def read(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
