"""One registry of generator backends, built-in and third-party alike."""

from __future__ import annotations

from typing import Callable

from ..errors import UnknownGeneratorError

GeneratorFactory = Callable[..., object]
_FACTORIES: dict[str, GeneratorFactory] = {}
_BUILTINS_LOADED = False


def register(name: str, factory: GeneratorFactory) -> None:
    """Make a backend available under a name (the factory takes settings and embeddings)."""
    _FACTORIES[name] = factory


def _load_builtins() -> None:
    global _BUILTINS_LOADED
    if _BUILTINS_LOADED:
        return
    _BUILTINS_LOADED = True
    from . import builtins  # noqa: F401  (each module registers itself)


def available() -> list[str]:
    _load_builtins()
    return sorted(_FACTORIES)


def create_generator(name: str, settings, embeddings=None):
    """Build the named generator; an unknown name fails with the list of available ones."""
    _load_builtins()
    factory = _FACTORIES.get(name)
    if factory is None:
        raise UnknownGeneratorError(
            f"Unknown generator '{name}'. Available: {', '.join(sorted(_FACTORIES))}."
        )
    return factory(settings=settings, embeddings=embeddings)
