"""Progress of a long indexing run: a tqdm bar on a terminal, a log line per minute otherwise.

A 40k-chunk run takes many minutes; without a sign of life it looks hung (in a terminal,
in CI logs, in the chat). One reporter serves every front-end: ``mode`` is "bar" (tqdm on
stderr: chunks, chunks/s, ETA, articles committed), "log" (one line a minute, for pipes and
log files), "off", or a callable that receives a ``ProgressState`` (the chat's upload bar).
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass
from typing import Callable

log = logging.getLogger(__name__)

LOG_EVERY_S = 60.0


@dataclass
class ProgressState:
    chunks_done: int
    chunks_total: int
    articles_done: int
    articles_total: int
    seconds: float

    @property
    def rate(self) -> float:
        """Chunks embedded per second so far."""
        return self.chunks_done / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta_s(self) -> float | None:
        return (self.chunks_total - self.chunks_done) / self.rate if self.rate else None

    def line(self) -> str:
        eta = f", ETA {_clock(self.eta_s)}" if self.eta_s is not None else ""
        share = 100 * self.chunks_done / self.chunks_total if self.chunks_total else 100.0
        return (f"indexing: {self.chunks_done}/{self.chunks_total} chunks ({share:.0f}%), "
                f"{self.articles_done}/{self.articles_total} articles, {self.rate:.1f} chunks/s{eta}")


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 \
        else f"{seconds // 60}:{seconds % 60:02d}"


def resolve_mode(progress) -> str | Callable:
    """None: a bar on a terminal, a line a minute otherwise; True: bar; False: off; a callable: itself."""
    if callable(progress):
        return progress
    if progress is None:
        return "bar" if sys.stderr.isatty() else "log"
    return "bar" if progress else "off"


class Progress:
    """Counts chunks and articles of one run and shows them in the chosen way."""

    def __init__(self, mode, chunks_total: int, articles_total: int, log_every_s: float = LOG_EVERY_S):
        self.mode = mode
        self.chunks_total, self.articles_total = chunks_total, articles_total
        self.chunks_done = self.articles_done = 0
        self.started = time.perf_counter()
        self.log_every_s = log_every_s
        self._last_log = self.started
        self._bar = None
        if mode == "bar" and chunks_total:
            from tqdm import tqdm

            self._bar = tqdm(total=chunks_total, unit="chunk", desc="indexing", file=sys.stderr,
                             dynamic_ncols=True, smoothing=0.1)
            self._bar.set_postfix_str(f"0/{articles_total} articles")

    def state(self) -> ProgressState:
        return ProgressState(self.chunks_done, self.chunks_total, self.articles_done, self.articles_total,
                             time.perf_counter() - self.started)

    def embedded(self, chunks: int) -> None:
        self.chunks_done += chunks
        if self._bar is not None:
            self._bar.update(chunks)
        self._tick()

    def committed(self, articles: int) -> None:
        self.articles_done += articles
        if self._bar is not None:
            self._bar.set_postfix_str(f"{self.articles_done}/{self.articles_total} articles")
        self._tick()

    def _tick(self) -> None:
        if callable(self.mode):
            self.mode(self.state())
        elif self.mode == "log":
            now = time.perf_counter()
            if now - self._last_log >= self.log_every_s:
                self._last_log = now
                print(self.state().line(), file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self.mode == "log" and time.perf_counter() - self.started >= self.log_every_s:
            print(self.state().line(), file=sys.stderr, flush=True)
