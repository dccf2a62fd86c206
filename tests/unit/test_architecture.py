"""The package's import graph: no circles, and no layer imports one above it.

Layers, bottom to top (a module may import its own layer and the ones below):

    types, settings, errors, offline, lean_imports,        shared types, configuration, language data,
    history, language                                      process-wide import switches
    ingest < index < retrieve < cite < generate < pipeline
    present, evaluation                                     the chat / HTTP API, the gold-set evaluation
    cli, the package root                                   entry points

Every import counts, also those inside functions (lazy imports still couple the code).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "assistant"

LAYERS: list[set[str]] = [
    {"types", "settings", "errors", "offline", "lean_imports", "history", "language"},
    {"ingest"},
    {"index"},
    {"retrieve"},
    {"cite"},
    {"generate"},
    {"pipeline"},
    {"present", "evaluation"},
    {"cli", "__main__", ""},  # "": the package root (assistant/__init__.py)
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}

# Known upward edges in files other sessions own; the lead removes entries as they are fixed,
# and none is ever added. (importer, imported)
TEMPORARY_ALLOWED_UPWARD: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules one file imports, anywhere in it (top level, functions, TYPE_CHECKING)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            # "import assistant.x.y" names the module itself; a name inside a module counts as the module
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and target != "assistant":
                found.add(target)
    return found


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_every_module_has_a_layer():
    unplaced = sorted(m for m in modules() if layer_of(m) not in RANK)
    assert not unplaced, f"add these to a layer in {__name__}: {unplaced}"


def test_no_upward_imports():
    upward = sorted(
        (src, dst) for src, targets in graph().items() for dst in targets
        if RANK.get(layer_of(dst), -1) > RANK.get(layer_of(src), 99) and (src, dst) not in TEMPORARY_ALLOWED_UPWARD
    )
    shown = "\n".join(f"  {src} ({layer_of(src) or 'root'}) -> {dst} ({layer_of(dst)})" for src, dst in upward)
    assert not upward, f"imports that go up a layer:\n{shown}"


def test_no_import_circles():
    edges = {src: {d for d in dsts if (src, d) not in TEMPORARY_ALLOWED_UPWARD} for src, dsts in graph().items()}
    found = cycles(edges)
    assert not found, "import circles:\n" + "\n".join("  " + " <-> ".join(c) for c in found)


def test_allow_list_is_still_needed():
    """An entry whose import is gone must be removed, so the list only ever shrinks."""
    edges = graph()
    stale = sorted(e for e in TEMPORARY_ALLOWED_UPWARD if e[1] not in edges.get(e[0], set()))
    assert not stale, f"remove from TEMPORARY_ALLOWED_UPWARD: {stale}"


def test_the_walker_sees_function_level_and_relative_imports(tmp_path):
    pkg = tmp_path / "assistant" / "sub"
    pkg.mkdir(parents=True)
    (tmp_path / "assistant" / "__init__.py").write_text("")
    (tmp_path / "assistant" / "low.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "mod.py").write_text("def f():\n    from ..low import x\n    from . import other\n")
    (pkg / "other.py").write_text("")
    known = {"assistant", "assistant.low", "assistant.sub", "assistant.sub.mod", "assistant.sub.other"}
    assert imports_of("assistant.sub.mod", pkg / "mod.py", known) == {"assistant.low", "assistant.sub", "assistant.sub.other"}
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
