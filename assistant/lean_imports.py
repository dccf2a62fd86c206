"""Cheaper imports of the libraries whose import runs code that no answer uses.

A cold `assistant ask` spent over half its time importing. Each trick below skips work done at
import time while keeping the library whole (the skipped part loads on its first use), and
anything unexpected falls back to the plain import:

- ``langsmith.types``, reached from langchain_core's tracers through ``langsmith.client``: ~150
  generated models of the LangSmith REST API (~0.15 s). Its submodules import alone; the
  package's ``__init__`` runs when one of its names is first asked for.
- ``spacy.cli``, imported by ``import spacy`` only for ``spacy.info``: every spaCy command with
  typer, click, weasel, requests and jinja2 (~0.15 s). It loads when ``spacy.cli`` or
  ``spacy.info`` is first used. Loading the model then looks up ~250 registry entries, each
  scanning every installed entry point; the scans are kept per group.
- pydantic models of the libraries (~130 while an answer's imports run: langsmith's REST schemas,
  LangChain's messages and runnables, chromadb's and spaCy's configs) build their validators when
  defined (~0.15 s), and an answer uses about 15 of them. Around those imports pydantic's own
  ``defer_build`` is the default, so each builds on its first use, as the library could ask itself.
- httpx's command-line client (rich, click, pygments; ~0.05 s), imported by ``import httpx`` for
  ``httpx.main``, which loads it when called.
- chromadb's ``@override`` decorators (``overrides`` package) compare each overriding method's
  signature with its base class's while chromadb is imported (~0.1 s): a development-time lint
  of chromadb's own classes. During that import they only mark the method, as they do anyway.
  Its telemetry module imports the OTLP exporter (grpc, protobuf; ~0.1 s) that it builds only
  when an OpenTelemetry endpoint is configured; a stand-in imports it then.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from contextlib import contextmanager


def defer_package_init(name: str) -> bool:
    """Register the package `name`, not imported yet, so that its submodules import without its
    ``__init__``, which runs on the first attribute the package lacks; False when nothing was done."""
    if name in sys.modules:
        return False
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is None or spec.loader is None or not spec.submodule_search_locations:
        return False
    module = importlib.util.module_from_spec(spec)
    lock = threading.RLock()
    loaded = []

    def load_rest(attribute: str):
        with lock:
            if not loaded:  # a name asked for while __init__ runs (same thread) is just missing, as usual
                loaded.append(True)
                spec.loader.exec_module(module)
                if module.__dict__.get("__getattr__") is load_rest:
                    del module.__dict__["__getattr__"]
        if attribute in module.__dict__:
            return module.__dict__[attribute]
        own = module.__dict__.get("__getattr__")
        if own is not None and own is not load_rest:
            return own(attribute)
        raise AttributeError(f"module {name!r} has no attribute {attribute!r}")

    module.__getattr__ = load_rest
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)  # what importing it would have done
    return True


@contextmanager
def spacy_without_cli():
    """Around ``import spacy``: stand-ins for ``spacy.cli`` and ``spacy.cli.info`` that load the real
    ones when used (``spacy.info(...)``, ``spacy.cli.download(...)``, ``import spacy.cli``)."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        yield
        return

    def real_cli():
        for stand_in in ("spacy.cli.info", "spacy.cli"):
            if getattr(sys.modules.get(stand_in), "_stand_in", False):
                del sys.modules[stand_in]
        return importlib.import_module("spacy.cli")

    def info(*args, **kwargs):
        return real_cli().info(*args, **kwargs)

    cli = types.ModuleType("spacy.cli", "Stand-in: the real spacy.cli loads on first use.")
    cli.__path__ = []
    cli._stand_in = True
    cli.__getattr__ = lambda attribute: getattr(real_cli(), attribute)
    cli_info = types.ModuleType("spacy.cli.info")
    cli_info._stand_in = True
    cli_info.info = info
    cli.info = cli_info
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, cli_info
    try:
        yield
    finally:
        for name, stand_in in (("spacy.cli.info", cli_info), ("spacy.cli", cli)):
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]  # `import spacy.cli` from now on imports the real one
        spacy = sys.modules.get("spacy")
        if spacy is not None and "cli" not in vars(spacy):
            spacy.cli = cli  # as after a plain import; its first use loads the real one


@contextmanager
def deferred_model_builds():
    """Around a library's first import: its pydantic models (and TypeAdapters, pydantic dataclasses)
    build validators and serializers on first use, as with ``defer_build=True`` in their config. The
    models defined afterwards, the assistant's own included, are built as usual."""
    try:
        from pydantic._internal._config import config_defaults
    except ImportError:  # a pydantic without it: built as usual
        config_defaults = {}
    if config_defaults.get("defer_build") is not False:  # unknown, or already deferred by an outer import
        yield
        return
    config_defaults["defer_build"] = True
    try:
        yield
    finally:
        config_defaults["defer_build"] = False


@contextmanager
def stand_in_module(name: str, attribute: str, importer: str):
    """While a library imports (unless `importer` or the module `name` is loaded already): a stand-in
    for the module `name` whose `attribute`, a callable, imports the real module and calls the real
    one. Afterwards `import name` gets the real module; the library keeps the stand-in's callable."""
    if importer in sys.modules or name in sys.modules:
        yield
        return

    def real(*args, **kwargs):
        if getattr(sys.modules.get(name), "_stand_in", False):
            del sys.modules[name]
        return getattr(importlib.import_module(name), attribute)(*args, **kwargs)

    stand_in = types.ModuleType(name, f"Stand-in while {importer} is imported (lean_imports).")
    stand_in._stand_in = True
    setattr(stand_in, attribute, real)
    sys.modules[name] = stand_in
    try:
        yield
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]


def httpx_without_cli():
    """Around the first ``import httpx``: its command-line module ``httpx._main`` loads when
    ``httpx.main`` is called (the ``httpx`` command)."""
    return stand_in_module("httpx._main", "main", "httpx")


class _EntryPointsByGroup:
    """catalogue's snapshot of the installed entry points, each group's selection kept: spaCy's
    registries select their group once per lookup (~250 scans of every entry point per model load)."""

    def __init__(self, entry_points):
        self._all = entry_points
        self._groups: dict = {}

    def select(self, **params):
        if set(params) != {"group"}:
            return self._all.select(**params)
        group = params["group"]
        if group not in self._groups:
            self._groups[group] = self._all.select(group=group)
        return self._groups[group]


def group_catalogue_entry_points() -> None:
    """After ``import spacy``: catalogue's entry points (read once at its import) looked up by group
    (~0.06 s of every model load)."""
    catalogue = sys.modules.get("catalogue")
    available = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if hasattr(available, "select") and not isinstance(available, _EntryPointsByGroup):
        catalogue.AVAILABLE_ENTRY_POINTS = _EntryPointsByGroup(available)


def _mark_override(method=None, *, check_signature: bool = True, check_at_runtime: bool = False):
    """overrides.override without the signature comparison: marks the method (what EnforceOverrides checks)."""
    if method is None:
        return _mark_override
    method.__override__ = True
    return method


@contextmanager
def lean_chromadb():
    """Around the first ``import chromadb`` and the opening of a client (which imports the store's
    modules): @override decorators mark methods without comparing signatures, chromadb's
    telemetry module gets a stand-in OTLP exporter class instead of importing grpc (~0.1 s), and
    models build on first use, httpx without its command line."""
    try:
        import overrides
    except ImportError:  # a chromadb that no longer uses it
        overrides = None
    saved = (overrides.override, overrides.overrides) if overrides else None
    if overrides:
        overrides.override = overrides.overrides = _mark_override
    # chromadb builds its OTLPSpanExporter only when an OpenTelemetry endpoint is configured
    exporter = stand_in_module("opentelemetry.exporter.otlp.proto.grpc.trace_exporter", "OTLPSpanExporter",
                               "chromadb")
    try:
        with exporter, deferred_model_builds(), httpx_without_cli():
            yield
    finally:
        if overrides:
            overrides.override, overrides.overrides = saved


defer_package_init("langsmith.types")
