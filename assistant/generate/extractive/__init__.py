"""The offline default generator (registers itself as "extractive")."""

from .generator import ExtractiveGenerator

__all__ = ["ExtractiveGenerator"]
