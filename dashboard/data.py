"""The dashboard's data layer: the query layer's answers, cached per version of the store.

A thin, typed wrapper: every answer comes from `analysis.query` (the same rows as `newslens
export` and Python callers get), cached with `st.cache_data` keyed on the store folder and its
manifest time, so a re-analysis (which rewrites the manifest) refreshes everything while a
filter change re-reads nothing it already has.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analysis import query as Q
from analysis.corpus import Article
from analysis.query import DateRange, Filter, Highlight, Options, StoreView, Target
from analysis.store import MANIFEST

__all__ = ["Data", "Highlight", "Target", "manifest_mtime", "store_view"]

_EVERYTHING = Options()


def manifest_mtime(root: str | Path) -> float:
    """When the store last changed (its manifest is rewritten by every commit); 0 when absent."""
    try:
        return os.stat(Path(root) / MANIFEST).st_mtime_ns / 1e9
    except OSError:
        return 0.0


@st.cache_resource(show_spinner=False, max_entries=4)
def store_view(root: str, mtime: float) -> StoreView:
    """One DuckDB connection over the store's Parquet files per version of the store."""
    return StoreView(root)


# Each cached function takes the store folder and version first; the version is what makes an
# entry stale. Filters and options are frozen values, hashed by their contents.


@st.cache_data(show_spinner=False, max_entries=1024)
def _count(root: str, mtime: float, name: str, flt: Filter, opts: Options) -> int:
    return store_view(root, mtime).count(name, flt, opts=opts)


@st.cache_data(show_spinner=False, max_entries=1024)
def _rows(
    root: str,
    mtime: float,
    name: str,
    flt: Filter,
    limit: int | None,
    offset: int,
    opts: Options,
    with_titles: bool,
) -> pd.DataFrame:
    view = store_view(root, mtime)
    return view.rows(name, flt, limit=limit, offset=offset, opts=opts, with_titles=with_titles)


@st.cache_data(show_spinner=False, max_entries=1024)
def _page(
    root: str,
    mtime: float,
    name: str,
    flt: Filter,
    limit: int,
    offset: int,
    opts: Options,
    with_titles: bool,
) -> tuple[pd.DataFrame, int]:
    view = store_view(root, mtime)
    return view.page(name, flt, limit=limit, offset=offset, opts=opts, with_titles=with_titles)


# What the Overview counts: each through `_count`, so a table's own count is the same entry.
COUNTED = ("documents", "entities", "mentions", "quotes", "figures", "events")


@st.cache_data(show_spinner=False, max_entries=256)
def _figure_points(root: str, mtime: float, flt: Filter, keys: int) -> pd.DataFrame:
    return store_view(root, mtime).figure_points(flt, keys=keys)


@st.cache_data(show_spinner=False, max_entries=256)
def _readability_summary(root: str, mtime: float, flt: Filter) -> dict[str, float]:
    return store_view(root, mtime).readability_summary(flt)


@st.cache_data(show_spinner=False, max_entries=64)
def _entity_options(root: str, mtime: float, limit: int, include: tuple[str, ...]) -> pd.DataFrame:
    return store_view(root, mtime).entity_options(limit=limit, include=include)


@st.cache_data(show_spinner=False, max_entries=64)
def _doc_options(root: str, mtime: float, limit: int, include: tuple[str, ...]) -> pd.DataFrame:
    return store_view(root, mtime).doc_options(limit=limit, include=include)


@st.cache_data(show_spinner=False, max_entries=64)
def _story_options(root: str, mtime: float, limit: int, include: tuple[str, ...]) -> pd.DataFrame:
    return store_view(root, mtime).story_options(limit=limit, include=include)


@st.cache_data(show_spinner=False, max_entries=16)
def _facets(root: str, mtime: float) -> tuple[list[str], list[str], DateRange, DateRange]:
    view = store_view(root, mtime)
    return view.types(), view.sources(), view.published_bounds(), view.event_bounds()


@st.cache_data(show_spinner=False, max_entries=1024)
def _entity_info(root: str, mtime: float, ids: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    return store_view(root, mtime).entity_info(ids)


@st.cache_data(show_spinner=False, max_entries=1024)
def _doc_titles(root: str, mtime: float, ids: tuple[str, ...]) -> dict[str, str]:
    return store_view(root, mtime).doc_titles(ids)


@st.cache_data(show_spinner=False, max_entries=1024)
def _locate(root: str, mtime: float, table: str, row_id: str) -> Target | None:
    return Q.locate(store_view(root, mtime), table, row_id)


@st.cache_data(show_spinner=False, max_entries=256)
def _document(root: str, mtime: float, doc_id: str) -> dict[str, Any] | None:
    return Q.document(store_view(root, mtime), doc_id)


@st.cache_data(show_spinner=False, max_entries=256)
def _highlights(root: str, mtime: float, doc_id: str, flt: Filter | None) -> list[Highlight]:
    return Q.highlights(store_view(root, mtime), doc_id, flt)


@st.cache_data(show_spinner=False, max_entries=256)
def _copies(root: str, mtime: float, doc_id: str) -> pd.DataFrame:
    return Q.copies(store_view(root, mtime), doc_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _article(root: str, mtime: float, doc_id: str) -> tuple[Article | None, str]:
    return Q.article(store_view(root, mtime), doc_id)


@dataclass(frozen=True, slots=True)
class Data:
    """The store at one version, asked through the cache."""

    root: str
    mtime: float

    @property
    def view(self) -> StoreView:
        return store_view(self.root, self.mtime)

    def count(self, name: str, flt: Filter, opts: Options = _EVERYTHING) -> int:
        return _count(self.root, self.mtime, name, flt, opts)

    def rows(
        self,
        name: str,
        flt: Filter,
        *,
        limit: int | None = 50,
        offset: int = 0,
        opts: Options = _EVERYTHING,
        with_titles: bool = True,
    ) -> pd.DataFrame:
        return _rows(self.root, self.mtime, name, flt, limit, offset, opts, with_titles)

    def aggregate(self, name: str, flt: Filter, **options: Any) -> pd.DataFrame:
        """Every row of an aggregate (`cooccurrence`, `speakers`, ...)."""
        return self.rows(name, flt, limit=None, opts=Options(**options))

    def csv(self, name: str, flt: Filter, opts: Options = _EVERYTHING) -> bytes:
        """The download: the same bytes as `newslens export --table NAME --format csv`."""
        return self.view.csv(name, flt, opts=opts)

    def page(
        self,
        name: str,
        flt: Filter,
        *,
        limit: int,
        offset: int = 0,
        opts: Options = _EVERYTHING,
    ) -> tuple[pd.DataFrame, int]:
        """One page of rows and the number of rows in all (a table's page and count are the
        entries `rows` and `count` use; an aggregate's come from one query)."""
        if name in Q.AGGREGATES:
            return _page(self.root, self.mtime, name, flt, limit, offset, opts, True)
        return self.rows(name, flt, limit=limit, offset=offset, opts=opts), self.count(
            name, flt, opts
        )

    def counts(self, flt: Filter) -> dict[str, int]:
        return {name: self.count(name, flt) for name in COUNTED}

    def top_entities(self, flt: Filter, n: int) -> pd.DataFrame:
        return self.rows("entities", flt, limit=n, with_titles=False)

    def figure_points(self, flt: Filter, *, keys: int = 10) -> pd.DataFrame:
        return _figure_points(self.root, self.mtime, flt, keys)

    def readability_summary(self, flt: Filter) -> dict[str, float]:
        return _readability_summary(self.root, self.mtime, flt)

    def entity_options(self, *, limit: int = 2000, include: Sequence[str] = ()) -> pd.DataFrame:
        return _entity_options(self.root, self.mtime, limit, tuple(include))

    def doc_options(self, *, limit: int = 2000, include: Sequence[str] = ()) -> pd.DataFrame:
        return _doc_options(self.root, self.mtime, limit, tuple(include))

    def story_options(self, *, limit: int = 500, include: Sequence[str] = ()) -> pd.DataFrame:
        return _story_options(self.root, self.mtime, limit, tuple(include))

    def types(self) -> list[str]:
        return _facets(self.root, self.mtime)[0]

    def sources(self) -> list[str]:
        return _facets(self.root, self.mtime)[1]

    def published_bounds(self) -> DateRange:
        return _facets(self.root, self.mtime)[2]

    def event_bounds(self) -> DateRange:
        return _facets(self.root, self.mtime)[3]

    def entity_info(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        return _entity_info(self.root, self.mtime, tuple(ids))

    def doc_titles(self, ids: Sequence[str]) -> dict[str, str]:
        return _doc_titles(self.root, self.mtime, tuple(ids))

    def locate(self, table: str, row_id: str) -> Target | None:
        return _locate(self.root, self.mtime, table, row_id)

    def document(self, doc_id: str) -> dict[str, Any] | None:
        return _document(self.root, self.mtime, doc_id)

    def highlights(self, doc_id: str, flt: Filter | None = None) -> list[Highlight]:
        return _highlights(self.root, self.mtime, doc_id, flt)

    def copies(self, doc_id: str) -> pd.DataFrame:
        """The other files with this article's text: where else it was published."""
        return _copies(self.root, self.mtime, doc_id)

    def article(self, doc_id: str) -> tuple[Article | None, str]:
        return _article(self.root, self.mtime, doc_id)
