"""lean_imports: deferred parts load whole on first use, and nothing else changes."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from assistant.lean_imports import (_EntryPointsByGroup, _mark_override, defer_package_init, deferred_model_builds,
                                    lean_chromadb)


def _package(tmp_path, name: str) -> None:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__init__.py").write_text("from .light import VALUE\nRAN = True\nHEAVY = VALUE * 2\n")
    (folder / "light.py").write_text("VALUE = 21\n")


def test_a_deferred_package_imports_submodules_alone_and_runs_its_init_on_first_use(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    _package(tmp_path, "lean_probe_pkg")
    try:
        assert defer_package_init("lean_probe_pkg")
        from lean_probe_pkg.light import VALUE

        package = sys.modules["lean_probe_pkg"]
        assert VALUE == 21 and "RAN" not in vars(package)
        from lean_probe_pkg import HEAVY  # a name only __init__ defines

        assert HEAVY == 42 and package.RAN is True
        assert "__getattr__" not in vars(package)
        try:
            package.MISSING
        except AttributeError:
            pass
        else:
            raise AssertionError("a missing name must stay missing")
        assert not defer_package_init("lean_probe_pkg")  # already imported: left alone
    finally:
        for name in ("lean_probe_pkg", "lean_probe_pkg.light"):
            sys.modules.pop(name, None)


def test_missing_packages_are_not_deferred():
    assert not defer_package_init("no_such_package_anywhere")
    assert not defer_package_init("json.decoder")  # a module, not a package


def test_override_marks_only_mark_and_are_restored():
    import overrides

    saved = overrides.override
    with lean_chromadb():
        assert overrides.override is _mark_override

        class Base(overrides.EnforceOverrides):
            def method(self, a):
                return a

            def other(self):
                return 0

        class Child(Base):
            @overrides.override
            def method(self, a, b):  # an incompatible signature: not checked here
                return a + b

            @overrides.overrides(check_signature=False)
            def other(self):
                return 1

        assert Child().method(1, 2) == 3 and Child.method.__override__
    assert overrides.override is saved


def test_spacy_and_chromadb_import_without_unused_parts_which_load_on_first_use(tmp_path):
    """In a fresh interpreter: spaCy's commands (typer, weasel) are not imported with spaCy, nor
    chromadb's OTLP exporter (grpc) with chromadb; spacy.cli, spacy.info, `import spacy.cli`,
    langsmith.types and the exporter module still give the real ones."""
    code = textwrap.dedent("""
        import sys
        from assistant.language.nlp import _import_spacy
        spacy = _import_spacy()
        assert "typer" not in sys.modules and "weasel" not in sys.modules, "cli imported"
        assert "torch" not in sys.modules
        import catalogue
        assert type(catalogue.AVAILABLE_ENTRY_POINTS).__name__ == "_EntryPointsByGroup"
        assert callable(spacy.cli.download)            # the stand-in loads the real module
        import spacy.cli
        assert spacy.cli.__file__.endswith("cli/__init__.py")
        assert spacy.info.__name__ == "info"
        import langsmith.types
        assert langsmith.types.Run.__name__ == "Run"  # the deferred package is whole on use
        from assistant.index.store import open_client
        open_client(sys.argv[1])
        assert "grpc" not in sys.modules, "chromadb imported its OTLP exporter"
        from chromadb.telemetry.opentelemetry import OTLPSpanExporter
        assert callable(OTLPSpanExporter)
        from opentelemetry.exporter.otlp.proto.grpc import trace_exporter
        assert isinstance(trace_exporter.OTLPSpanExporter, type)  # the real module, once asked for
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "store")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"


def test_chromadb_opens_without_httpx_command_line_which_loads_when_called(tmp_path):
    """In a fresh interpreter: opening a store imports httpx without its command line (rich, click,
    pygments); httpx.main and `import httpx._main` still give the real ones."""
    code = textwrap.dedent("""
        import sys
        from assistant.index.store import open_client
        open_client(sys.argv[1])
        assert "httpx" in sys.modules
        assert "rich" not in sys.modules and "click" not in sys.modules, "httpx imported its command line"
        import httpx
        assert callable(httpx.main)
        import httpx._main
        assert httpx._main.__file__.endswith("_main.py") and "rich" in sys.modules  # the real one, once asked for
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "store")], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"


def test_entry_points_by_group_select_as_the_snapshot_does():
    from importlib.metadata import entry_points

    everything = entry_points()
    grouped = _EntryPointsByGroup(everything)
    group = "console_scripts"
    assert list(grouped.select(group=group)) == list(everything.select(group=group))
    assert grouped.select(group=group) is grouped.select(group=group)  # scanned once
    assert list(grouped.select(group="no.such.group")) == []


def test_models_defined_while_deferred_build_on_first_use_and_validate_alike():
    from pydantic import BaseModel, ValidationError

    with deferred_model_builds():
        class Deferred(BaseModel):
            n: int
            tags: list[str] = []

    class Built(BaseModel):
        n: int

    assert not Deferred.__pydantic_complete__ and Built.__pydantic_complete__
    assert Deferred(n="3").n == 3 and Deferred.__pydantic_complete__  # built on first use
    assert Deferred.model_fields.keys() == {"n", "tags"}
    try:
        Deferred(n="x")
    except ValidationError:
        pass
    else:
        raise AssertionError("validation must be unchanged")
    with deferred_model_builds(), deferred_model_builds():  # nested: the outer one restores
        pass

    class After(BaseModel):
        n: int

    assert After.__pydantic_complete__
