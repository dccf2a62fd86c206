"""Imports the built-in backends so they register through the same hook plugins use."""

from . import extractive  # noqa: F401

try:  # LLM backends: their client libraries are optional extras
    from .llm import backends  # noqa: F401
except ImportError:  # pragma: no cover - the registry then lists only what loaded
    pass
