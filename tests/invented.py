"""Small corpora of invented articles, indexed for a test (no real place, person or outlet)."""

from __future__ import annotations

from pathlib import Path

from assistant import Assistant
from assistant.settings import Settings


def indexed_assistant(root: Path, articles: dict[str, str]) -> Assistant:
    """An Assistant over a corpus of the given articles, indexed, everything under root."""
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in articles.items():
        (corpus / name).write_text(text, encoding="utf-8")
    bot = Assistant(Settings(index_dir=root / "index", corpus_dir=corpus, data_dir=root / "data"))
    bot.index()
    return bot
