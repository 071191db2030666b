"""newslens analysis: articles in, traceable tables out. Imports no streamlit and no plotly.

The names below are imported when first used, so that importing one module of the package (a
worker process importing `analysis.engines`) does not import them all: `analysis.pipeline`
alone brings in pandas, pyarrow, SciPy and NetworkX, a second or more of start-up per process.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from analysis.version import __version__

if TYPE_CHECKING:
    from analysis.corpus import Article, Corpus, Problem, load_corpus
    from analysis.pipeline import RunSummary, analyze_texts, run
    from analysis.store import Store
    from analysis.tables import SCHEMAS, TABLES

_LAZY = {
    "Article": "analysis.corpus",
    "Corpus": "analysis.corpus",
    "Problem": "analysis.corpus",
    "load_corpus": "analysis.corpus",
    "RunSummary": "analysis.pipeline",
    "analyze_texts": "analysis.pipeline",
    "run": "analysis.pipeline",
    "Store": "analysis.store",
    "SCHEMAS": "analysis.tables",
    "TABLES": "analysis.tables",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "SCHEMAS",
    "TABLES",
    "Article",
    "Corpus",
    "Problem",
    "RunSummary",
    "Store",
    "__version__",
    "analyze_texts",
    "load_corpus",
    "run",
]
