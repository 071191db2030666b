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
