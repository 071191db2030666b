"""A store opened for questions: DuckDB views over its Parquet files, and every table and
aggregate under a `Filter`, as pages of rows, counts, streamed CSV or whole frames."""

from __future__ import annotations

import json
import shutil
import threading
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from analysis.export import to_csv
from analysis.query.aggregates import AGGREGATES, Options, figure_points
from analysis.query.columns import EXPORT_COLUMNS, MEASURES, ORDER
from analysis.query.filter import OPEN, DateRange, Filter
from analysis.query.search import (
    at_most,
    few_hits,
    first_hits,
    hit_count,
    hits,
    hits_order,
    hits_over_time,
    with_context,
)
from analysis.query.sql import TEXT_TABLES, Params, filtered
from analysis.search.index import INDEX_SCHEMAS
from analysis.store import MANIFEST, Store, StoreError, arrow_schema
from analysis.tables import TABLES

# What a search query gives: its hits in context, and how often it appears over time.
SEARCHES = {"hits": hits, "hits_over_time": hits_over_time}
# Everything a page lists, a download holds or `newslens export --table` writes.
NAMES = (*TABLES, *AGGREGATES, *SEARCHES)
# Rows streamed per chunk into a CSV (in DuckDB vectors of 2,048 rows).
_CHUNK_VECTORS = 16
# Aggregates cut no way in particular: every entity, monthly, by sentence.
EVERYTHING = Options()
# A page of hits by date is looked for in this many times as many articles as it needs hits,
# then in that many times more (`_TRIES` times), then in every article (`StoreView._hits_page`).
_WIDEN = 16
_TRIES = 3
# A query with at most this many hits in all, when the first batch holds too few, is listed
# from the articles its hits are in (`few_hits`): a rare name's page sorts no batch of articles.
_FEW = 5000
# The order by date of this many newest articles is kept per view (`StoreView._newest`): the
# first batch of a search with nothing else filtered is read from it, not sorted again.
_NEWEST = 1 << 17


class UnknownEntityError(LookupError):
    """An entity name, alias or id that matches nothing in the store."""


@dataclass(frozen=True, slots=True)
class Query:
    """One filter on one store: `open_store(path).query(flt).rows("quotes")`."""

    view: StoreView
    filter: Filter
    options: Options = field(default_factory=Options)

    def rows(self, name: str, *, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
        return self.view.rows(name, self.filter, limit=limit, offset=offset, opts=self.options)

    def count(self, name: str) -> int:
        return self.view.count(name, self.filter, opts=self.options)

    def csv(self, name: str) -> bytes:
        return self.view.csv(name, self.filter, opts=self.options)

    def frame(self, name: str) -> pd.DataFrame:
        """Every row with the download's columns (what `newslens export` writes)."""
        return self.view.export_frame(name, self.filter, opts=self.options)


_TOTAL = "_nl_total"  # the window count `StoreView.page` adds


class StoreView:
    """Read-only questions over one store folder (a missing table reads as empty)."""

    def __init__(self, root: str | Path, *, threads: int = 2, memory_limit: str = "1GB") -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._con = duckdb.connect(
            ":memory:", config={"threads": threads, "memory_limit": memory_limit}
        )
        # The Parquet footers are read once, not on every query (the files of a view do not
        # change: a snapshot's links; DuckDB checks the modification time anyway). GLOBAL: a
        # plain SET holds for this connection only, not for the cursors every query runs on.
        self._con.execute("SET GLOBAL parquet_metadata_cache = true")
        self.tables_present: set[str] = set()
        # Index tables in an older layout (`_older_layout`): read as empty; `newslens analyze`
        # rebuilds them (the index's VERSION is part of the pipeline's).
        self.stale_tables: set[str] = set()
        self._has_newest = False  # the newest articles' ranks (`_newest`), made on first use
        self.has_texts = False  # stores written before bodies were kept re-read their files
        names = (*TABLES, *INDEX_SCHEMAS)
        files = self._snapshot(names)
        for table in names:
            path = files.get(table) or self.root / f"{table}.parquet"
            if table in INDEX_SCHEMAS and path.is_file() and _older_layout(path, table):
                # An index an older newslens wrote: searched as none until analysed again.
                self.stale_tables.add(table)
            if not path.is_file() or table in self.stale_tables:
                self._con.from_arrow(arrow_schema(table).empty_table()).create_view(table)
                continue
            self.tables_present.add(table)
            relation = self._con.read_parquet(str(path))
            if table == "documents" and "text" in pq.read_schema(path).names:
                self.has_texts = True
                # Article bodies stay out of every listing; the reader asks for one.
                relation.project("doc_id, text").create_view("document_texts")
                relation = relation.project("* EXCLUDE (text)")
            relation.create_view(table)
        if not self.has_texts:
            empty_texts = pa.schema([("doc_id", pa.string()), ("text", pa.string())])
            self._con.from_arrow(empty_texts.empty_table()).create_view("document_texts")

    def _snapshot(self, names: Sequence[str]) -> dict[str, Path]:
        """One whole generation of the store's files (hard links, removed with the view);
        nothing when the store cannot hold links: then the files are read where they are."""
        if not (self.root / MANIFEST).is_file():
            return {}
        try:
            folder, files = Store(self.root).snapshot(names)
        except (OSError, StoreError):
            return {}
        weakref.finalize(self, shutil.rmtree, folder, True)
        return files

    def query(self, flt: Filter | None = None, **options: Any) -> Query:
        return Query(self, flt or Filter(), Options(**options))

    # -- plumbing ---------------------------------------------------------------------------

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # One cursor per query: Streamlit serves each session from its own thread.
        with self._lock:
            return self._con.cursor()

    def frame(
        self,
        sql: str,
        params: dict[str, Any] | None = None,
    ) -> pd.DataFrame:
        cursor = self._cursor()
        try:
            return cursor.execute(sql, params or {}).df()
        finally:
            cursor.close()

    def stream(
        self,
        sql: str,
        params: dict[str, Any] | None = None,
    ) -> Iterator[pd.DataFrame]:
        """The result in chunks (for downloads of big selections); at least one, maybe empty."""
        cursor = self._cursor()
        try:
            cursor.execute(sql, params or {})
            first = True
            while True:
                chunk = cursor.fetch_df_chunk(_CHUNK_VECTORS)
                if chunk.empty and not first:
                    return
                yield chunk
                if chunk.empty:
                    return
                first = False
        finally:
            cursor.close()

    def scalar(
        self,
        sql: str,
        params: dict[str, Any] | None = None,
    ) -> Any:
        row = self.fetchone(sql, params)
        return row[0] if row else None

    def fetchone(
        self,
        sql: str,
        params: dict[str, Any] | None = None,
    ) -> tuple[Any, ...] | None:
        cursor = self._cursor()
        try:
            return cursor.execute(sql, params or {}).fetchone()
        finally:
            cursor.close()

    def manifest(self) -> dict[str, Any]:
        try:
            data: dict[str, Any] = json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data

    @property
    def is_empty(self) -> bool:
        return not self.scalar("SELECT count(*) FROM documents")

    # -- rows of any table or aggregate -----------------------------------------------------

    def select(self, name: str, flt: Filter, opts: Options = EVERYTHING) -> tuple[str, Params]:
        """A SELECT of the rows of `name` (a table, an aggregate or a search's hits) under the
        filter, and its parameters.

        A malformed search query raises `QuerySyntaxError`; a search's hits without one,
        `ValueError`."""
        p = Params()
        if name in SEARCHES:
            return SEARCHES[name](flt, p, opts), p
        if name in AGGREGATES:
            return AGGREGATES[name](flt, p, opts), p
        if name not in TABLES:
            raise KeyError(f"unknown table {name!r}; choose one of {', '.join(NAMES)}")
        return filtered(name, flt, p), p

    def count(self, name: str, flt: Filter, *, opts: Options = EVERYTHING) -> int:
        if name == "hits":
            p = Params()
            return int(self.scalar(hit_count(flt, p), p.values) or 0)
        sql, p = self.select(name, flt, opts)
        return int(self.scalar(f"SELECT count(*) FROM ({sql})", p.values) or 0)

    def _listing(
        self, name: str, flt: Filter, opts: Options, *, limit: int | None, offset: int, titles: bool
    ) -> tuple[str, Params]:
        sql, p = self.select(name, flt, opts)
        order = hits_order(opts) if name == "hits" else ORDER.get(name, "1")
        page = f"SELECT * FROM ({sql}) ORDER BY {order}"
        if limit is not None:
            page += f" LIMIT {p(int(limit))} OFFSET {p(int(offset))}"
        if name == "hits" and opts.sort == "date":
            # The page first, then its context: never the context of every hit.
            page = f"SELECT * FROM ({with_context(page, p)}) ORDER BY {order}"
        if titles and name in (*TEXT_TABLES, "readability"):
            joins = ""
            extra = ", d.title AS article"
            if name == "mentions":
                extra += ", e.name AS entity"
                joins = " LEFT JOIN entities e ON e.entity_id = p.entity_id"
            if name == "readability":
                extra += ", d.published"
            if name == "events":
                extra += ", d.story_id"  # the timeline's lanes
            prefixed = ", ".join(f"p.{part.strip()}" for part in order.split(","))
            page = (
                f"SELECT p.*{extra} FROM ({page}) p{joins} "
                f"LEFT JOIN documents d ON d.doc_id = p.doc_id ORDER BY {prefixed}"
            )
        return page, p

    def rows(
        self,
        name: str,
        flt: Filter,
        *,
        limit: int | None = 50,
        offset: int = 0,
        opts: Options = EVERYTHING,
        with_titles: bool = True,
    ) -> pd.DataFrame:
        """One page of rows in the table's order (every row when `limit` is None), with the
        article's title (`article`) on rows from text and the entity's name on mentions."""
        if name == "hits" and opts.sort == "date" and limit is not None:
            return self._hits_page(flt, limit=limit, offset=offset)
        sql, p = self._listing(name, flt, opts, limit=limit, offset=offset, titles=with_titles)
        return self.frame(sql, p.values)

    def _hits_page(self, flt: Filter, *, limit: int, offset: int) -> pd.DataFrame:
        """A page of hits by date, found in the first articles by date (`first_hits`): in
        `_WIDEN` times as many articles as the page needs hits, then `_WIDEN` times more, and
        so on, then in all. A common word's page never reads the postings of every article."""
        needed = max(offset + limit, 1)
        n_kept: int | None = None
        for k in range(1, _TRIES + 1):
            n_articles = needed * _WIDEN**k
            frame, n_found = self._hits_page_in(flt, n_articles, limit=limit, offset=offset)
            if n_found >= needed:
                return frame
            if n_kept is None:
                n_kept = self.count("documents", replace(flt, query=""))
            if n_articles >= n_kept:  # the batch held every article: there is no more
                return frame
            if k == 1 and self._few(flt):
                return self._hits_page_in(flt, None, limit=limit, offset=offset, few=True)[0]
        return self._hits_page_in(flt, None, limit=limit, offset=offset)[0]

    def _newest(self) -> str:
        """The table of the `_NEWEST` newest articles' ranks by date (doc_id, published,
        rank), made on first use; the view's files never change, so neither does it."""
        with self._lock:
            if not self._has_newest:
                self._con.execute(
                    f"""
                    CREATE TABLE newest_documents AS
                    SELECT doc_id, published, (row_number() OVER (
                        ORDER BY published DESC NULLS LAST, doc_id) - 1)::INTEGER AS rank
                    FROM documents QUALIFY rank < {_NEWEST}
                    """
                )
                self._has_newest = True
        return "newest_documents"

    def _oldest_in(self, n_articles: int) -> date | None:
        """The date of the oldest of the `n_articles` newest articles: none of the postings
        of those articles is older (None when it has no date, or they are every article)."""
        found = self.fetchone(
            f"SELECT published::DATE FROM {self._newest()} WHERE rank = $n", {"n": n_articles - 1}
        )
        return None if found is None else as_date(found[0])

    def _few(self, flt: Filter) -> bool:
        """Whether the query has at most `_FEW` hits in every article."""
        p = Params()
        return bool(self.frame(at_most(flt, p, _FEW), p.values)["n_upto"].iloc[0] <= _FEW)

    def _hits_page_in(
        self, flt: Filter, n_articles: int | None, *, limit: int, offset: int, few: bool = False
    ) -> tuple[pd.DataFrame, int]:
        """The page of hits among the first `n_articles` by date (or, `few`, among all, read
        from their own articles), and how many hits those articles hold (0 when the page is
        past them)."""
        order = hits_order(Options(sort="date"))
        p = Params()
        if few:
            listed = few_hits(flt, p)
        else:
            # Only a search with nothing else filtered reads its batch from the ranks (made on
            # first use): any other filter sorts the articles it keeps.
            ranked = n_articles is not None and n_articles <= _NEWEST
            newest = self._newest() if ranked and replace(flt, query="") == Filter() else None
            since = None if newest is None else self._oldest_in(int(n_articles or 0))
            listed = first_hits(flt, p, n_articles, newest=newest, since=since)
        # The page first, then its articles' titles and sources: 25 rows, not the batch's.
        page = f"""
            SELECT pg.doc_id, pg.published, d.title, d.source, pg.start, pg."end", pg.n_found
            FROM (
                SELECT *, count(*) OVER () AS n_found FROM ({listed})
                ORDER BY {order} LIMIT {p(int(limit))} OFFSET {p(int(offset))}
            ) pg LEFT JOIN documents d ON d.doc_id = pg.doc_id
        """
        frame = self.frame(f"SELECT * FROM ({with_context(page, p)}) ORDER BY {order}", p.values)
        n_found = int(frame["n_found"].iloc[0]) if not frame.empty else 0
        return frame.drop(columns="n_found").reset_index(drop=True), n_found

    def page(
        self,
        name: str,
        flt: Filter,
        *,
        limit: int,
        offset: int = 0,
        opts: Options = EVERYTHING,
        with_titles: bool = True,
    ) -> tuple[pd.DataFrame, int]:
        """`rows(...)` and `count(...)` together. An aggregate's rows come from one GROUP BY,
        so its count rides along as a window over them: one pass over the filtered rows
        instead of two. Tables are counted apart (a window would hold every row at once)."""
        if name not in AGGREGATES or limit is None:
            rows = self.rows(
                name, flt, limit=limit, offset=offset, opts=opts, with_titles=with_titles
            )
            return rows, self.count(name, flt, opts=opts)
        sql, p = self.select(name, flt, opts)
        order = ORDER.get(name, "1")
        frame = self.frame(
            f"SELECT *, count(*) OVER () AS {_TOTAL} FROM ({sql}) ORDER BY {order} "
            f"LIMIT {p(int(limit))} OFFSET {p(int(offset))}",
            p.values,
        )
        if frame.empty:  # past the last row: the window saw none
            return frame.drop(columns=[_TOTAL]), self.count(name, flt, opts=opts)
        total = int(frame[_TOTAL].iloc[0])
        return frame.drop(columns=[_TOTAL]), total

    def iter_rows(
        self, name: str, flt: Filter, *, opts: Options = EVERYTHING, columns: Sequence[str] = ()
    ) -> Iterator[pd.DataFrame]:
        """Every row in chunks, cut to `columns` (default: the download's columns)."""
        wanted = list(columns or EXPORT_COLUMNS.get(name, ()))
        sql, p = self._listing(name, flt, opts, limit=None, offset=0, titles=True)
        for chunk in self.stream(sql, p.values):
            yield chunk[[c for c in wanted if c in chunk.columns]] if wanted else chunk

    def csv(
        self,
        name: str,
        flt: Filter,
        *,
        opts: Options = EVERYTHING,
        columns: Sequence[str] = (),
    ) -> bytes:
        """Every row as spreadsheet-safe CSV (UTF-8) in the table's order: the dashboard's
        Download CSV and `newslens export --format csv` are these bytes."""
        parts: list[str] = []
        for chunk in self.iter_rows(name, flt, opts=opts, columns=columns):
            text = to_csv(chunk)
            parts.append(text if not parts else text.split("\n", 1)[1])
        return "".join(parts).encode("utf-8")

    def export_frame(
        self,
        name: str,
        flt: Filter,
        *,
        opts: Options = EVERYTHING,
        columns: Sequence[str] = (),
    ) -> pd.DataFrame:
        """Every row as one frame, with the download's columns."""
        chunks = list(self.iter_rows(name, flt, opts=opts, columns=columns))
        return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]

    # -- the answers pages ask for ----------------------------------------------------------

    def counts(self, flt: Filter) -> dict[str, int]:
        """How many articles, entities, mentions, quotes, figures and events pass the filter."""
        names = ("documents", "entities", "mentions", "quotes", "figures", "events")
        return {name: self.count(name, flt) for name in names}

    def top_entities(self, flt: Filter, n: int = 15) -> pd.DataFrame:
        return self.rows("entities", flt, limit=n, with_titles=False)

    def aggregate(self, name: str, flt: Filter, **options: Any) -> pd.DataFrame:
        """Every row of an aggregate (`ledger`, `cooccurrence`, ...) cut by `Options`."""
        return self.rows(name, flt, limit=None, opts=Options(**options))

    def figure_points(self, flt: Filter, *, keys: int = 10) -> pd.DataFrame:
        """Figures of the `keys` most reported counted things, for the ledger charts."""
        p = Params()
        return self.frame(figure_points(flt, p, Options(top=keys)), p.values)

    def event_points(self, flt: Filter, *, limit: int = 2000) -> pd.DataFrame:
        """Events for the timeline chart (the first `limit` by date) with their article titles."""
        return self.rows("events", flt, limit=limit)

    def readability(self, flt: Filter, *, limit: int | None = 500) -> pd.DataFrame:
        """Readability of the filtered articles, newest first, with titles and dates."""
        sql, p = self.select("readability", flt)
        page = f"""
            SELECT r.*, d.title AS article, d.published
            FROM ({sql}) r LEFT JOIN documents d ON d.doc_id = r.doc_id
            ORDER BY d.published DESC NULLS LAST, r.doc_id
        """
        if limit is not None:
            page += f" LIMIT {p(int(limit))}"
        return self.frame(page, p.values)

    def readability_summary(self, flt: Filter) -> dict[str, float]:
        """Median of each readability measure over the filtered articles (and `n`)."""
        sql, p = self.select("readability", flt)
        medians = ", ".join(f"median({c}) AS {c}" for c in MEASURES)
        records = self.frame(f"SELECT {medians}, count(*) AS n FROM ({sql})", p.values)
        row = records.iloc[0].to_dict() if not records.empty else {}
        if not row or not row["n"]:
            return {}
        return {str(c): float(v) for c, v in row.items() if v is not None and pd.notna(v)}

    # -- options for filters ----------------------------------------------------------------

    def entity_options(self, *, limit: int = 2000, include: Sequence[str] = ()) -> pd.DataFrame:
        """The most mentioned entities (and any in `include` after them), for an entity picker."""
        sql = """
            SELECT entity_id, name, type, n_mentions FROM entities
            ORDER BY n_mentions DESC, name LIMIT $limit
        """
        top = self.frame(sql, {"limit": limit})
        if include:
            extra = self.frame(
                "SELECT entity_id, name, type, n_mentions FROM entities "
                "WHERE list_contains($ids, entity_id)",
                {"ids": list(include)},
            )
            top = pd.concat([top, extra[~extra["entity_id"].isin(top["entity_id"])]])
        return top.reset_index(drop=True)

    def story_options(self, *, limit: int = 500, include: Sequence[str] = ()) -> pd.DataFrame:
        """The largest stories (and any in `include`), for a story picker."""
        sql = """
            SELECT story_id, label, first_published, last_published, n_articles FROM stories
            WHERE story_id IN (SELECT story_id FROM stories ORDER BY n_articles DESC,
                               first_published NULLS LAST, story_id LIMIT $limit)
               OR list_contains($ids, story_id)
            ORDER BY n_articles DESC, first_published NULLS LAST, story_id
        """
        return self.frame(sql, {"limit": limit, "ids": list(include)})

    def types(self) -> list[str]:
        sql = "SELECT type FROM entities GROUP BY type ORDER BY count(*) DESC, type"
        return [str(t) for t in self.frame(sql)["type"] if t]

    def doc_options(self, *, limit: int = 2000, include: Sequence[str] = ()) -> pd.DataFrame:
        sql = """
            SELECT doc_id, title, published FROM documents
            WHERE doc_id IN (SELECT doc_id FROM documents
                             ORDER BY published DESC NULLS LAST, title LIMIT $limit)
               OR list_contains($ids, doc_id)
            ORDER BY published DESC NULLS LAST, title
        """
        return self.frame(sql, {"limit": limit, "ids": list(include)})

    def sources(self) -> list[str]:
        sql = """
            SELECT source FROM documents WHERE source IS NOT NULL AND source <> ''
            GROUP BY source ORDER BY count(*) DESC, source
        """
        return [str(s) for s in self.frame(sql)["source"]]

    def published_bounds(self) -> DateRange:
        return self._bounds("SELECT min(published), max(published) FROM documents")

    def event_bounds(self) -> DateRange:
        return self._bounds("SELECT min(date), max(coalesce(end_date, date)) FROM events")

    def _bounds(self, sql: str) -> DateRange:
        row = self.fetchone(sql)
        if not row:
            return OPEN
        return as_date(row[0]), as_date(row[1])

    def entity_info(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """Name and type of each entity id."""
        if not ids:
            return {}
        frame = self.frame(
            "SELECT entity_id, name, type FROM entities WHERE list_contains($ids, entity_id)",
            {"ids": list(ids)},
        )
        return {
            str(i): (str(n), str(t))
            for i, n, t in zip(frame["entity_id"], frame["name"], frame["type"], strict=True)
        }

    def doc_titles(self, ids: Sequence[str]) -> dict[str, str]:
        if not ids:
            return {}
        frame = self.frame(
            "SELECT doc_id, title FROM documents WHERE list_contains($ids, doc_id)",
            {"ids": list(ids)},
        )
        return dict(zip(frame["doc_id"].astype(str), frame["title"].astype(str), strict=True))

    def resolve_entities(self, names: Sequence[str]) -> tuple[str, ...]:
        """Ids of the entities each name, alias or id names (case-insensitive; all that match).

        A name that matches nothing raises `UnknownEntityError` with the closest names.
        """
        ids: list[str] = []
        for raw in names:
            name = raw.strip().lower()
            found = self.frame(
                """
                SELECT entity_id FROM entities
                WHERE lower(entity_id) = $n OR lower(name) = $n
                   OR list_contains(list_transform(aliases, lambda a: lower(a)), $n)
                ORDER BY n_mentions DESC, entity_id
                """,
                {"n": name},
            )
            if found.empty:
                close = self.frame(
                    """
                    SELECT name FROM entities
                    ORDER BY greatest(
                        jaro_winkler_similarity(lower(name), $n),
                        coalesce(list_max(list_transform(
                            aliases, lambda a: jaro_winkler_similarity(lower(a), $n))), 0)
                    ) DESC, n_mentions DESC
                    LIMIT 5
                    """,
                    {"n": name},
                )
                hint = ", ".join(map(str, close["name"])) or "none: the store has no entities"
                raise UnknownEntityError(f"no entity is named {raw!r}; closest: {hint}")
            ids += [str(i) for i in found["entity_id"]]
        return tuple(dict.fromkeys(ids))


def _older_layout(path: Path, table: str) -> bool:
    """Whether a table's file lacks a column its schema has now."""
    try:
        names = set(pq.read_schema(path).names)
    except (OSError, pa.ArrowException):
        return False  # read as it is: the error is DuckDB's to report
    return not set(INDEX_SCHEMAS[table].names) <= names


def open_store(root: str | Path) -> StoreView:
    """A store folder opened for questions."""
    return StoreView(root)


def as_date(value: Any) -> date | None:
    """A cell as a date (None for missing values)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if hasattr(value, "date") and callable(value.date):
        result = value.date()
        return result if isinstance(result, date) else None
    return value if isinstance(value, date) else None
