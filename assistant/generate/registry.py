"""One registry of generator backends: built-in, third-party and registered at run time.

A name resolves, in order, to a factory given to register() (tests, embedding apps), a
built-in (builtins.BUILTIN_GENERATORS) or an entry point of the ``assistant.generators``
group, for example in a plugin's pyproject.toml::

    [project.entry-points."assistant.generators"]
    mybackend = "my_package.generator:MyGenerator"

Everything is looked up by name and imported only when that backend is built: importing
this module imports no backend, and no backend registers itself as a side effect.
A factory (usually the class) is called as ``factory(settings=..., embeddings=...)``.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Callable

from ..errors import UnknownGeneratorError
from .base import Generator
from .builtins import BUILTIN_GENERATORS

ENTRY_POINT_GROUP = "assistant.generators"

GeneratorFactory = Callable[..., Generator]
_FACTORIES: dict[str, GeneratorFactory] = {}


def register(name: str, factory: GeneratorFactory) -> None:
    """Make a backend available under a name at run time (it wins over a built-in of that name)."""
    _FACTORIES[name] = factory


def _plugins() -> dict[str, str]:
    """Installed third-party backends: name -> "module:attribute"."""
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def available() -> list[str]:
    """Every name create_generator() accepts."""
    return sorted({*_FACTORIES, *BUILTIN_GENERATORS, *_plugins()})


def _import(target: str) -> GeneratorFactory:
    module, _, attribute = target.partition(":")
    found = importlib.import_module(module)
    for part in attribute.split("."):
        found = getattr(found, part)
    return found


def factory_for(name: str) -> GeneratorFactory:
    """The factory behind a name; an unknown name fails with the list of available ones."""
    if name in _FACTORIES:
        return _FACTORIES[name]
    target = BUILTIN_GENERATORS.get(name) or _plugins().get(name)
    if target is None:
        raise UnknownGeneratorError(f"Unknown generator '{name}'. Available: {', '.join(available())}.")
    return _import(target)


def create_generator(name: str, settings, embeddings=None) -> Generator:
    """Build the named generator and check it follows the Generator protocol."""
    generator = factory_for(name)(settings=settings, embeddings=embeddings)
    if not isinstance(generator, Generator):
        missing = [m for m in ("name", "generate", "stream", "condense", "search_query") if not hasattr(generator, m)]
        raise TypeError(f"Generator '{name}' ({type(generator).__name__}) lacks {', '.join(missing)}; "
                        "subclass assistant.generate.base.BaseGenerator for the defaults.")
    return generator
