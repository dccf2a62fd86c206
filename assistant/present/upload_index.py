"""Adding uploaded articles to the index: the one path the chat and the HTTP API share.

Files are checked and copied by `uploads.accept`, then the uploads folder is indexed, and
every file gets one user-facing line saying what happened to it, so both front-ends
report the same outcome in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import AssistantError
from . import uploads


@dataclass
class UploadOutcome:
    """What adding a batch of files did: one ("ok" | "bad", message) line per fact."""

    lines: list[tuple[str, str]] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)  # names as stored in the uploads folder
    rejected: list[str] = field(default_factory=list)  # one refusal message per file
    indexed: bool = False  # the index run finished
    summary: str = ""


def taken_names(assistant, folder: Path) -> set[str]:
    """Article names indexed from folders other than `folder` (an upload must not replace them)."""
    try:
        articles = assistant.retriever.corpus.snapshot().manifest.articles
    except Exception:  # an unreadable index is reported when indexing
        return set()
    own = str(Path(folder).resolve())
    return {name for name, entry in articles.items() if getattr(entry, "root", own) != own}


def add_files(assistant, paths: list[str | Path], folder: Path, max_bytes: int, progress=None) -> UploadOutcome:
    """Check and copy `paths` into `folder`, index it, and say per file what happened.

    Callers serialise calls (one lock per front-end); runs from other processes wait on the
    store's writer lock. `progress` (optional) receives index.progress.ProgressState updates.
    """
    folder = Path(folder)
    batch = uploads.accept(paths, folder, max_bytes, taken_names(assistant, folder))
    outcome = UploadOutcome(accepted=[p.name for p in batch.accepted], rejected=list(batch.rejected))
    outcome.lines += [("bad", msg) for msg in batch.rejected]
    if not batch.accepted:
        return outcome
    try:
        report = assistant.index([folder], progress=progress or False)
    except AssistantError as exc:
        outcome.lines.append(("bad", f"Indexing failed: {exc}"))
        return outcome
    for path in batch.accepted:
        name = path.name
        if name in report.duplicates:
            outcome.lines.append(("ok", f"{name}: same text as {report.duplicates[name]}, already indexed."))
        elif name in report.added or name in report.updated:
            verb = "added" if name in report.added else "updated"
            outcome.lines.append(("ok", f"{name}: {verb}, ask about it now."))
        elif name in report.unchanged:
            outcome.lines.append(("ok", f"{name}: already indexed, unchanged."))
    prefix = f"{folder}/"
    outcome.lines += [("bad", w.replace(prefix, "")) for w in report.warnings
                      if any(p.name in w for p in batch.accepted)]
    outcome.indexed = True
    outcome.summary = report.summary()
    outcome.lines.append(("ok", f"Indexed: {outcome.summary}"))
    return outcome
