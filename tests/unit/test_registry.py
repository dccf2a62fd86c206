"""The generator registry: names resolved lazily, plugins through entry points, clear errors."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import EntryPoint

import pytest

from assistant.errors import UnknownGeneratorError
from assistant.generate import registry
from assistant.generate.base import BaseGenerator, Generator
from assistant.settings import Settings


class PluginGenerator(BaseGenerator):
    name = "plugin"

    def __init__(self, settings, embeddings=None):
        self.settings = settings

    def generate(self, question, chunks, history=None, **context):
        raise NotImplementedError


class NotAGenerator:
    def __init__(self, settings, embeddings=None):
        pass


def test_importing_the_registry_imports_no_backend():
    code = ("import sys, assistant.generate.registry as r; r.available(); "
            "print(sorted(m for m in sys.modules if m.startswith('assistant.generate.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "extractive" not in out and "llm" not in out, out


def test_unknown_name_lists_the_available_ones():
    with pytest.raises(UnknownGeneratorError) as err:
        registry.create_generator("nope", Settings())
    message = str(err.value)
    assert "'nope'" in message and all(name in message for name in ("extractive", "openai", "ollama", "llamacpp"))


def test_entry_point_plugins_are_found(monkeypatch):
    plugin = EntryPoint(name="plugin", value=f"{__name__}:PluginGenerator", group=registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [plugin] if group == registry.ENTRY_POINT_GROUP else [])
    assert "plugin" in registry.available()
    built = registry.create_generator("plugin", Settings())
    assert isinstance(built, PluginGenerator) and isinstance(built, Generator)
    assert built.search_query("Who?") == "Who?" and built.condense("And him?", [("q", "a")]) == "And him?"


def test_runtime_registration_and_protocol_check(monkeypatch):
    monkeypatch.setitem(registry._FACTORIES, "broken", NotAGenerator)
    with pytest.raises(TypeError, match="BaseGenerator"):
        registry.create_generator("broken", Settings())
