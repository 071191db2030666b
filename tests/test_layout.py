"""The fixed points of the layout: one-way dependencies, no data read at import time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_analysis_imports_no_ui_and_no_dashboard() -> None:
    for path in (ROOT / "analysis").rglob("*.py"):
        assert not imports(path) & {"streamlit", "plotly", "dashboard"}, path


def test_importing_analysis_loads_no_model_and_no_ui() -> None:
    code = (
        "import sys, analysis, analysis.pipeline, analysis.cli;"
        "print(sorted(m for m in ('spacy', 'streamlit', 'plotly', 'textstat', 'dateparser')"
        " if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()
    assert out == "[]"


# -- no import cycles inside analysis/ --------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement anywhere in the tree (inside functions too: lazy imports count).

    The body of `if TYPE_CHECKING:` is left out: it never runs, so it cannot make an import
    cycle at run time (its `else:` branch does run and is kept).
    """
    found: list[ast.Import | ast.ImportFrom] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return found


def import_graph(package: str = "analysis") -> dict[str, set[str]]:
    """Module -> the modules of `package` it imports (no implicit edges to parent packages)."""
    files = {_module_name(p): p for p in sorted((ROOT / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:  # relative: from the module's own package upwards
                    here = name.split(".") if is_package else name.split(".")[:-1]
                    anchor = here[: len(here) - (node.level - 1)]
                    base = ".".join([*anchor, *([base] if base else [])])
                # `from pkg import name` imports the submodule pkg.name when there is one.
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in files else base for a in node.names
                ]
            graph[name].update(t for t in targets if t in files and t != name)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a path back to its start) per strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    cycles: set[tuple[str, ...]] = set()
    for group in groups:
        for start in group:
            # The shortest way from each member back to itself inside its group (breadth
            # first), so every pair of modules that need each other is named.
            paths = {nxt: [start, nxt] for nxt in sorted(graph[start] & group)}
            queue = list(paths)
            while start not in paths:
                node = queue.pop(0)
                for nxt in sorted(graph[node] & group):
                    if nxt not in paths:
                        paths[nxt] = [*paths[node], nxt]
                        queue.append(nxt)
            cycle = paths[start][:-1]
            first = cycle.index(min(cycle))  # one rotation per cycle: from its smallest name
            cycles.add(tuple(cycle[first:] + cycle[:first]))
    return sorted([*cycle, cycle[0]] for cycle in cycles)


def test_import_cycle_finder_sees_lazy_imports_and_skips_type_checking() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert import_cycles(graph) == [["a", "b", "c", "a"]]
    code = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    import x\nelse:\n    import y\n"
        "def f():\n    from z import w\n"
    )
    found = {a.name for n in _runtime_imports(ast.parse(code)) for a in n.names}
    assert found == {"TYPE_CHECKING", "y", "w"}


def test_no_import_cycles_in_analysis() -> None:
    cycles = import_cycles(import_graph("analysis"))
    assert not cycles, "import cycles in analysis/:\n" + "\n".join(
        "  " + " -> ".join(cycle) for cycle in cycles
    )
