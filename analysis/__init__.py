"""newslens analysis: articles in, traceable tables out. Imports no streamlit and no plotly."""

from analysis.corpus import Article, Corpus, Problem, load_corpus
from analysis.pipeline import RunSummary, analyze_texts, run
from analysis.store import Store
from analysis.tables import SCHEMAS, TABLES
from analysis.version import __version__

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
