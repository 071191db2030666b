"""The extractors: one module each, parsed article in, frozen records out."""

from analysis.extract.entities import extract_mentions, link_corpus
from analysis.extract.figures import extract_figures
from analysis.extract.quotes import extract_quotes
from analysis.extract.readability import score as score_readability
from analysis.extract.timeline import extract_events

__all__ = [
    "extract_events",
    "extract_figures",
    "extract_mentions",
    "extract_quotes",
    "link_corpus",
    "score_readability",
]
