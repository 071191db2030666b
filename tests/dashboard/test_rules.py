"""House rules for dashboard/: it composes, it never parses text or reads the working directory."""

from __future__ import annotations

import ast
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def modules() -> list[Path]:
    return sorted(DASHBOARD.rglob("*.py"))


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_regular_expressions_in_the_dashboard() -> None:
    for path in modules():
        assert "re" not in imported(path), path


def test_no_paths_from_the_working_directory() -> None:
    for path in modules():
        source = path.read_text(encoding="utf-8")
        assert "os.getcwd" not in source and "Path.cwd" not in source, path
        assert 'Path(".")' not in source, path


def test_caching_only_in_the_streamlit_glue() -> None:
    pure = ["filters.py", "charts.py", "highlight.py", "paths.py"]
    for name in pure:
        assert "streamlit" not in imported(DASHBOARD / name), name


def test_the_data_layer_asks_the_query_layer_and_writes_no_sql() -> None:
    source = (DASHBOARD / "data.py").read_text(encoding="utf-8")
    assert "duckdb" not in imported(DASHBOARD / "data.py")
    for word in ("SELECT ", "getattr(", "read_parquet"):
        assert word not in source, word
    for path in modules():
        assert "duckdb" not in imported(path), path
