"""The query layer: one answer to every question about a store, for the dashboard, the CLI
and Python callers alike (DuckDB over the store's Parquet files)."""

from analysis.query.aggregates import AGGREGATES, Options
from analysis.query.columns import EXPORT_COLUMNS, ID_COLUMNS, ORDER
from analysis.query.filter import OPEN, DateRange, Filter, format_range, parse_range
from analysis.query.reader import (
    Highlight,
    Target,
    article,
    copies,
    document,
    highlights,
    hit_id,
    locate,
)
from analysis.query.sql import TEXT_TABLES
from analysis.query.view import NAMES, Query, StoreView, UnknownEntityError, as_date, open_store

__all__ = [
    "AGGREGATES",
    "EXPORT_COLUMNS",
    "ID_COLUMNS",
    "NAMES",
    "OPEN",
    "ORDER",
    "TEXT_TABLES",
    "DateRange",
    "Filter",
    "Highlight",
    "Options",
    "Query",
    "StoreView",
    "Target",
    "UnknownEntityError",
    "article",
    "as_date",
    "copies",
    "document",
    "format_range",
    "highlights",
    "hit_id",
    "locate",
    "open_store",
    "parse_range",
]
