"""Question answering over news articles, with every claim cited to its exact quote."""

from . import offline  # noqa: F401  (must run before any ML or Chroma import)
from . import lean_imports  # noqa: F401  (before any LangChain import: defers langsmith.types)
from .types import Answer, Citation, RetrievedChunk
from .settings import Settings

__all__ = ["Answer", "Assistant", "Citation", "RetrievedChunk", "Settings", "answer"]


def __getattr__(name):
    # Lazy: importing the package must stay cheap (the CLI's --help, the settings).
    if name == "Assistant":
        from .pipeline import Assistant

        return Assistant
    if name == "answer":
        from .pipeline import answer

        return answer
    raise AttributeError(name)
