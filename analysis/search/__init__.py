"""Full-text search: the query language, the postings index and the DuckDB matcher."""

from analysis.search.index import PARQUET_OPTIONS, POSTINGS_SCHEMA, SORT_KEYS, postings
from analysis.search.match import (
    Hit,
    Sql,
    count_sql,
    documents_sql,
    find_documents,
    find_hits,
    hit_spans_sql,
    hits_sql,
    lemmatizer,
)
from analysis.search.query import (
    And,
    Node,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    Term,
    parse_query,
)

__all__ = [
    "PARQUET_OPTIONS",
    "POSTINGS_SCHEMA",
    "SORT_KEYS",
    "And",
    "Hit",
    "Node",
    "Not",
    "Or",
    "Phrase",
    "QuerySyntaxError",
    "Sql",
    "Term",
    "count_sql",
    "documents_sql",
    "find_documents",
    "find_hits",
    "hit_spans_sql",
    "hits_sql",
    "lemmatizer",
    "parse_query",
    "postings",
]
