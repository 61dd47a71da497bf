"""No import cycle inside the package, counting imports made inside functions too.

A function-level import hides a cycle from Python (it runs after both modules are loaded) but
not from a reader: two modules that import each other cannot be understood, tested or moved
apart. Imports under ``if TYPE_CHECKING:`` count as well: a reader follows them all the same.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "scopelint"

# Cycles known and not yet broken, each as its sorted module names. This list may only shrink:
# a cycle not named here fails the test, and so does an entry that is no longer a cycle.
ALLOWED: set[tuple[str, ...]] = set()


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement at any depth: functions, methods, branches, ``TYPE_CHECKING``."""
    return [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of the package it imports. ``from . import x`` names the
    submodule ``x`` when there is one, else the package itself; a package that imports its
    modules by listing them (``pkgutil.iter_modules``) imports each of them."""
    paths = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in paths}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        text = path.read_text(encoding="utf-8")
        if path.name == "__init__.py" and "pkgutil.iter_modules" in text:
            # The package imports every module it holds by name (``scopelint.tf``'s families).
            graph[name].update(m for m in paths if m.rpartition(".")[0] == name)
        for node in _imports(ast.parse(text)):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    origin = ".".join(base + ([node.module] if node.module else []))
                else:
                    origin = node.module or ""
                for alias in node.names:
                    submodule = f"{origin}.{alias.name}"
                    targets.append(submodule if submodule in paths else origin)
            graph[name].update(t for t in targets if t in paths and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(tuple(sorted(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_no_import_cycle():
    found = set(cycles(import_graph()))
    assert found - ALLOWED == set(), f"import cycles: {sorted(found - ALLOWED)}"
    assert ALLOWED - found == set(), f"no longer cycles, drop from ALLOWED: {sorted(ALLOWED - found)}"


def test_graph_sees_function_level_imports(tmp_path):
    """The checker itself: a cycle closed only by an import inside a function is found, and
    one closed only under TYPE_CHECKING too; an import in one direction is no cycle."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import g\n")
    (package / "b.py").write_text("def g():\n    from . import a\n    return a\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .d import x\n")
    (package / "d.py").write_text("from .c import y\n")
    (package / "e.py").write_text("from . import a, d\n")
    assert cycles(import_graph(package)) == [("pkg.a", "pkg.b"), ("pkg.c", "pkg.d")]
    assert import_graph(package)["pkg.e"] == {"pkg.a", "pkg.d"}
