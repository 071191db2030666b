"""The dashboard's data layer: DuckDB queries over the store's Parquet files.

Every filter and aggregation runs in DuckDB against `read_parquet` views of the store, so a
filter change reads only the columns and rows it needs and only a page of rows (or a small
aggregate) reaches pandas. No Streamlit here: `dashboard/state.py` caches these calls.

Filter semantics (the same for every table, see `FilterState`):
- article, source, publication date: the row's article;
- entity (by id, narrowed by type): rows linked to the entity (mention, speaker, source, event
  entities) or in a sentence that mentions it; articles that mention it;
- entity type alone: rows linked to an entity of that type (quotes by people, figures from
  organisations), mentions of that type, articles that mention one;
- event dates: events overlapping the range, rows in a sentence holding such an event, and
  articles holding one.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from analysis.corpus import Article, read_file
from analysis.export import to_csv
from analysis.store import MANIFEST
from analysis.tables import BOOL, DATE, FLOAT, INT, LIST, SCHEMAS, STR, TABLES
from dashboard.filters import OPEN, DateRange, FilterState

_SQL_TYPES = {
    STR: "VARCHAR",
    INT: "BIGINT",
    FLOAT: "DOUBLE",
    BOOL: "BOOLEAN",
    DATE: "TIMESTAMP",
    LIST: "VARCHAR[]",
}

# Tables whose rows come from a sentence (they carry doc_id and sentence_start).
TEXT_TABLES = ("mentions", "quotes", "figures", "events")
# What the dashboard can list, page and download: the stored tables plus two aggregates.
VIEWS = (*TABLES, "ledger")

# The stable id of a row of each table, and the order rows are listed in.
ID_COLUMNS = {
    "documents": "doc_id",
    "readability": "doc_id",
    "entities": "entity_id",
    "quotes": "quote_id",
    "figures": "figure_id",
    "events": "event_id",
    "ledger": "counted_key",
}
ORDER = {
    "documents": "published DESC NULLS LAST, title, doc_id",
    "readability": "doc_id",
    "entities": "n_mentions DESC, name, entity_id",
    "mentions": "published DESC NULLS LAST, doc_id, start",
    "quotes": "published DESC NULLS LAST, doc_id, start",
    "figures": "published DESC NULLS LAST, doc_id, start",
    "events": "date NULLS LAST, doc_id, start",
    "ledger": "n_figures DESC, counted_key",
}


@dataclass(frozen=True, slots=True)
class Target:
    """A place in an article to show in the reader: a highlighted span in its sentence."""

    doc_id: str
    start: int
    end: int
    kind: str = ""
    label: str = ""
    sentence_start: int = 0
    sentence_end: int = 0
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class Highlight:
    """One span of an article to mark in the reader."""

    start: int
    end: int
    kind: str  # mention / quote / figure / event
    label: str  # tooltip text
    group: str = ""  # the entity type of a mention, for its colour


def manifest_mtime(root: str | Path) -> float:
    """When the store last changed (its manifest is rewritten by every commit); 0 when absent."""
    try:
        return os.stat(Path(root) / MANIFEST).st_mtime_ns / 1e9
    except OSError:
        return 0.0


def _quote_path(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


class _Query:
    """A SQL condition list and its named parameters, built clause by clause."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: dict[str, Any] = {}

    def add(self, clause: str, **params: Any) -> None:
        self.clauses.append(clause)
        self.params.update(params)

    @property
    def where(self) -> str:
        return ("WHERE " + " AND ".join(f"({c})" for c in self.clauses)) if self.clauses else ""


class StoreData:
    """Read-only queries over one store folder."""

    def __init__(self, root: str | Path, *, threads: int = 2, memory_limit: str = "1GB") -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._con = duckdb.connect(
            ":memory:", config={"threads": threads, "memory_limit": memory_limit}
        )
        self.tables_present: set[str] = set()
        self.has_texts = False  # stores written before bodies were kept re-read their files
        for table in TABLES:
            path = self.root / f"{table}.parquet"
            if path.is_file():
                self.tables_present.add(table)
                source = f"SELECT * FROM read_parquet({_quote_path(path)})"
                if table == "documents" and "text" in pq.read_schema(path).names:
                    self.has_texts = True
                    # Article bodies stay out of every listing; the reader asks for one.
                    self._con.execute(
                        f"CREATE VIEW document_texts AS SELECT doc_id, text FROM "
                        f"read_parquet({_quote_path(path)})"
                    )
                    source = f"SELECT * EXCLUDE (text) FROM read_parquet({_quote_path(path)})"
            else:
                columns = ", ".join(
                    f"CAST(NULL AS {_SQL_TYPES[dtype]}) AS {_ident(column)}"
                    for column, dtype in SCHEMAS[table].items()
                )
                source = f"SELECT {columns} WHERE false"
            self._con.execute(f"CREATE VIEW {table} AS {source}")

    # -- plumbing ---------------------------------------------------------------------------

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        # One cursor per query: Streamlit serves each session from its own thread.
        with self._lock:
            return self._con.cursor()

    def frame(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        cursor = self._cursor()
        try:
            return cursor.execute(sql, params or {}).df()
        finally:
            cursor.close()

    def scalar(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        row = self._fetchone(sql, params)
        return row[0] if row else None

    def _fetchone(self, sql: str, params: dict[str, Any] | None = None) -> tuple[Any, ...] | None:
        cursor = self._cursor()
        try:
            return cursor.execute(sql, params or {}).fetchone()
        finally:
            cursor.close()

    def manifest(self) -> dict[str, Any]:
        path = self.root / MANIFEST
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data

    @property
    def is_empty(self) -> bool:
        return not self.scalar("SELECT count(*) FROM documents")

    # -- filters ----------------------------------------------------------------------------

    def _entity_set(self, state: FilterState, q: _Query) -> str:
        """A subquery of the entity ids the state selects (by id and/or type)."""
        return f"SELECT entity_id FROM entities WHERE {_entity_match(state, q)}"

    def _conditions(
        self, table: str, state: FilterState, q: _Query, *, entity: bool = True
    ) -> None:
        """Add the state's conditions on table `table`, aliased `t`, to `q`."""
        if state.docs:
            q.add("list_contains($docs, t.doc_id)", docs=list(state.docs))
        if state.sources:
            if table == "documents":
                q.add("list_contains($sources, t.source)", sources=list(state.sources))
            else:
                q.add(
                    "t.doc_id IN (SELECT doc_id FROM documents "
                    "WHERE list_contains($sources, source))",
                    sources=list(state.sources),
                )
        if state.published != OPEN:
            lo, hi = state.published
            if table in ("readability",):
                inner = _Query()
                _date_range(inner, "published", lo, hi, prefix="p")
                q.add(f"t.doc_id IN (SELECT doc_id FROM documents {inner.where})", **inner.params)
            else:
                _date_range(q, "t.published", lo, hi, prefix="p")
        if state.event_dates != OPEN:
            lo, hi = state.event_dates
            overlap = _Query()
            if hi is not None:
                overlap.add("e.date <= $e_hi", e_hi=hi)
            if lo is not None:
                overlap.add("coalesce(e.end_date, e.date) >= $e_lo", e_lo=lo)
            q.params.update(overlap.params)
            cond = " AND ".join(overlap.clauses)
            if table == "events":
                q.add(cond.replace("e.", "t."))
            elif table in TEXT_TABLES:
                q.add(
                    "EXISTS (SELECT 1 FROM events e WHERE e.doc_id = t.doc_id "
                    f"AND e.sentence_start = t.sentence_start AND {cond})"
                )
            else:
                q.add(f"EXISTS (SELECT 1 FROM events e WHERE e.doc_id = t.doc_id AND {cond})")
        if entity and state.entity_filter:
            self._entity_conditions(table, state, q)

    def _entity_conditions(self, table: str, state: FilterState, q: _Query) -> None:
        # Mentions carry their entity's id and type, so the sentence test reads one table and
        # the selected ids go in as a list parameter rather than a subquery: this keeps the
        # filter a plain scan plus one hash join even on millions of mentions.
        in_mentions = _entity_match(state, q, alias="m.")
        if state.types:
            ids = self._entity_set(state, q)
            one = f"{{col}} IN ({ids})"
            many = f"list_has_any({{col}}, (SELECT coalesce(list(entity_id), []) FROM ({ids})))"
        else:
            one = "list_contains($ents, {col})"
            many = "list_has_any({col}, $ents)"
        # A sentence that names a chosen entity counts too; a type alone ("quotes by people")
        # only looks at the row's own speaker, source or entities.
        same_sentence = (
            (
                " OR (t.doc_id, t.sentence_start) IN "
                f"(SELECT m.doc_id, m.sentence_start FROM mentions m WHERE {in_mentions})"
            )
            if state.entities
            else ""
        )
        if table == "mentions":
            q.add(in_mentions.replace("m.", "t."))
        elif table == "quotes":
            q.add(
                f"{one.format(col='t.speaker_entity_id')} OR {many.format(col='t.about_ids')}"
                + same_sentence
            )
        elif table == "figures":
            q.add(one.format(col="t.source_entity_id") + same_sentence)
        elif table == "events":
            q.add(many.format(col="t.entity_ids") + same_sentence)
        else:
            q.add(f"t.doc_id IN (SELECT m.doc_id FROM mentions m WHERE {in_mentions})")

    def _filtered(self, table: str, state: FilterState) -> tuple[str, dict[str, Any]]:
        """A SELECT of the rows of a table or view that pass the filters."""
        if table == "entities":
            return self._entities_sql(state)
        if table == "ledger":
            return self._ledger_sql(state)
        if table not in SCHEMAS:
            raise KeyError(f"unknown table {table!r}")
        q = _Query()
        self._conditions(table, state, q)
        return f"SELECT t.* FROM {table} t {q.where}", q.params

    def _entities_sql(self, state: FilterState) -> tuple[str, dict[str, Any]]:
        """Entities with their counts among the filtered mentions."""
        if state == FilterState(entities=state.entities, types=state.types):
            # Only entity filters: the stored counts are the right ones.
            q = _Query()
            if state.entity_filter:
                q.add(f"t.entity_id IN ({self._entity_set(state, q)})")
            return f"SELECT t.* FROM entities t {q.where}", q.params
        mentions, params = self._filtered("mentions", state)
        sql = f"""
            SELECT e.entity_id, e.name, e.type, e.aliases,
                   count(*)::BIGINT AS n_mentions,
                   count(DISTINCT m.doc_id)::BIGINT AS n_documents,
                   min(m.published) AS first_seen, max(m.published) AS last_seen
            FROM ({mentions}) m JOIN entities e ON e.entity_id = m.entity_id
            GROUP BY e.entity_id, e.name, e.type, e.aliases
        """
        return sql, params

    def _ledger_sql(self, state: FilterState) -> tuple[str, dict[str, Any]]:
        """One row per counted thing: its values, sources and disagreement indicators.

        The same groups and indicators as `analysis.ledger.ledger_summary(figures_ledger(...))`
        (figures without a counted key are not in the ledger), computed in DuckDB. The columns
        are the ledger's CSV download, in this order.
        """
        figures, params = self._filtered("figures", state)
        pair = "(f.value, coalesce(f.unit, ''))"
        latest = "(f.published IS NOT NULL, f.published, f.doc_id, f.start)"
        sql = f"""
            SELECT f.counted_key,
                   mode(f.counted) AS counted,
                   mode(f.kind) AS kind,
                   coalesce(mode(f.unit), '') AS unit,
                   list(DISTINCT f.value ORDER BY f.value) AS "values",
                   count(*)::BIGINT AS n_figures,
                   count(DISTINCT f.doc_id)::BIGINT AS n_documents,
                   count(DISTINCT {pair})::BIGINT AS n_values,
                   min(f.value) AS min_value,
                   max(f.value) AS max_value,
                   count(DISTINCT f.source)::BIGINT AS n_sources,
                   coalesce(list(DISTINCT f.source ORDER BY f.source)
                       FILTER (WHERE f.source IS NOT NULL AND f.source <> ''), []) AS sources,
                   count(DISTINCT {pair}) > 1 AS disagree,
                   (count(DISTINCT {pair}) FILTER (WHERE f.source IS NOT NULL) > 1
                    AND count(DISTINCT f.source) > 1) AS sources_disagree,
                   min(f.published) AS first_published,
                   max(f.published) AS last_published,
                   arg_max(f.value, {latest}) AS latest_value,
                   arg_max(f.source, {latest}) AS latest_source
            FROM ({figures}) f
            WHERE f.counted_key IS NOT NULL AND trim(f.counted_key) <> ''
            GROUP BY f.counted_key
        """
        return sql, params

    # -- tables -----------------------------------------------------------------------------

    def count(self, table: str, state: FilterState) -> int:
        sql, params = self._filtered(table, state)
        return int(self.scalar(f"SELECT count(*) FROM ({sql})", params) or 0)

    def rows(
        self,
        table: str,
        state: FilterState,
        *,
        limit: int | None = 50,
        offset: int = 0,
        with_titles: bool = True,
    ) -> pd.DataFrame:
        """One page of filtered rows in the table's order (every row when `limit` is None)."""
        sql, params = self._filtered(table, state)
        order = ORDER.get(table, "1")
        page = f"SELECT * FROM ({sql}) ORDER BY {order}"
        if limit is not None:
            page += " LIMIT $limit OFFSET $offset"
            params = {**params, "limit": int(limit), "offset": int(offset)}
        if with_titles and table in (*TEXT_TABLES, "readability"):
            entity = ""
            if table == "mentions":
                entity = (
                    f", e.name AS entity FROM ({page}) p "
                    "LEFT JOIN entities e ON e.entity_id = p.entity_id"
                )
            else:
                entity = f" FROM ({page}) p"
            page = (
                f"SELECT p.*, d.title AS article{entity} "
                f"LEFT JOIN documents d ON d.doc_id = p.doc_id ORDER BY {_prefixed(order, 'p')}"
            )
        return self.frame(page, params)

    def iter_rows(
        self, table: str, state: FilterState, *, chunk: int = 50_000
    ) -> Iterator[pd.DataFrame]:
        """Every filtered row, in chunks (for downloads of big selections)."""
        total = self.count(table, state)
        for offset in range(0, total, chunk):
            yield self.rows(table, state, limit=chunk, offset=offset)

    def csv(self, table: str, state: FilterState, columns: Sequence[str] | None = None) -> bytes:
        """Every filtered row as spreadsheet-safe CSV (UTF-8), in the order the table lists them."""
        parts: list[str] = []
        for chunk in self.iter_rows(table, state):
            text = to_csv(_only(chunk, columns))
            parts.append(text if not parts else text.split("\n", 1)[1])
        if not parts:
            parts.append(to_csv(_only(self.rows(table, state, limit=0), columns)))
        return "".join(parts).encode("utf-8")

    # -- aggregates -------------------------------------------------------------------------

    def counts(self, state: FilterState) -> dict[str, int]:
        """How many articles, entities, mentions, quotes, figures and events pass the filters."""
        return {
            table: self.count(table, state)
            for table in ("documents", "entities", "mentions", "quotes", "figures", "events")
        }

    def top_entities(self, state: FilterState, n: int = 15) -> pd.DataFrame:
        return self.rows("entities", state, limit=n, with_titles=False)

    def mentions_over_time(
        self, state: FilterState, *, n: int = 8, freq: str = "month"
    ) -> pd.DataFrame:
        """Mentions per period of publication for the `n` most mentioned entities."""
        if freq not in ("day", "week", "month", "quarter", "year"):
            raise ValueError(f"unknown period {freq!r}")
        mentions, params = self._filtered("mentions", state)
        sql = f"""
            WITH m AS ({mentions}),
            top AS (SELECT entity_id FROM m GROUP BY entity_id
                    ORDER BY count(*) DESC, entity_id LIMIT $n)
            SELECT date_trunc('{freq}', m.published) AS period, e.entity_id, e.name, e.type,
                   count(*)::BIGINT AS n
            FROM m JOIN entities e ON e.entity_id = m.entity_id
            WHERE m.entity_id IN (SELECT entity_id FROM top) AND m.published IS NOT NULL
            GROUP BY ALL ORDER BY period, n DESC
        """
        return self.frame(sql, {**params, "n": n})

    def cooccurrence(
        self, state: FilterState, *, n: int = 15, level: str = "sentence"
    ) -> pd.DataFrame:
        """Pairs of the `n` most mentioned entities and how many sentences (or articles) hold both.

        With an entity filter, the units are those mentioning the chosen entities, so the pairs
        show who appears alongside them.
        """
        if level not in ("sentence", "document"):
            raise ValueError(f"unknown level {level!r}")
        cols = ["doc_id", "sentence_start"] if level == "sentence" else ["doc_id"]
        unit = ", ".join(f"m.{c}" for c in cols)
        units_sql, params = self._filtered("mentions", state)
        broad_sql, broad_params = self._filtered("mentions", _without_entities(state))
        typed = ""
        if state.types:
            typed = "WHERE m.entity_id IN (SELECT entity_id FROM entities WHERE "
            typed += "list_contains($co_types, type))"
        sql = f"""
            WITH units AS (SELECT DISTINCT {unit} FROM ({units_sql}) m),
            m AS (
                SELECT DISTINCT {unit}, m.entity_id
                FROM ({broad_sql}) m JOIN units u ON {_join_on(cols, "m", "u")}
                {typed}
            ),
            top AS (SELECT entity_id FROM m GROUP BY entity_id
                    ORDER BY count(*) DESC, entity_id LIMIT $n),
            t AS (SELECT * FROM m WHERE entity_id IN (SELECT entity_id FROM top))
            SELECT a.entity_id AS source, b.entity_id AS target, count(*)::BIGINT AS n
            FROM t a JOIN t b ON {_join_on(cols, "a", "b")} AND a.entity_id < b.entity_id
            GROUP BY ALL
        """
        extra: dict[str, Any] = {"n": n}
        if state.types:
            extra["co_types"] = list(state.types)
        pairs = self.frame(sql, {**params, **broad_params, **extra})
        names = self.entity_info(sorted({*pairs["source"], *pairs["target"]}))
        return pairs.assign(
            source_name=pairs["source"].map(lambda i: names.get(i, (i, ""))[0]),
            target_name=pairs["target"].map(lambda i: names.get(i, (i, ""))[0]),
            source_type=pairs["source"].map(lambda i: names.get(i, (i, ""))[1]),
            target_type=pairs["target"].map(lambda i: names.get(i, (i, ""))[1]),
        )

    def quotes_per_speaker(self, state: FilterState, n: int = 15) -> pd.DataFrame:
        quotes, params = self._filtered("quotes", state)
        sql = f"""
            SELECT coalesce(q.speaker, '(unknown)') AS speaker, q.speaker_entity_id,
                   coalesce(e.type, '') AS type, count(*)::BIGINT AS n
            FROM ({quotes}) q LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id
            GROUP BY ALL ORDER BY n DESC, speaker LIMIT $n
        """
        return self.frame(sql, {**params, "n": n})

    def figure_points(self, state: FilterState, *, keys: int = 10) -> pd.DataFrame:
        """Figures of the `keys` most reported counted things, for the ledger charts."""
        figures, params = self._filtered("figures", state)
        sql = f"""
            WITH f AS (
                SELECT * FROM ({figures})
                WHERE counted_key IS NOT NULL AND trim(counted_key) <> ''
            ),
            top AS (
                SELECT counted_key FROM f GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT $keys
            )
            SELECT f.figure_id, f.counted_key, coalesce(f.counted, f.counted_key) AS counted,
                   f.value, f.text, f.qualifier, f.kind, f.unit,
                   coalesce(nullif(f.source, ''), '(no source)') AS source,
                   f.published, f.sentence, f.doc_id, d.title AS article
            FROM f LEFT JOIN documents d ON d.doc_id = f.doc_id
            WHERE f.counted_key IN (SELECT counted_key FROM top)
            ORDER BY f.published, f.figure_id
        """
        return self.frame(sql, {**params, "keys": keys})

    def event_points(self, state: FilterState, *, limit: int = 2000) -> pd.DataFrame:
        """Events for the timeline chart (the first `limit` by date) with their article titles."""
        return self.rows("events", state, limit=limit)

    def events_per_period(self, state: FilterState, *, freq: str = "year") -> pd.DataFrame:
        events, params = self._filtered("events", state)
        sql = f"""
            SELECT date_trunc('{freq}', date) AS period, count(*)::BIGINT AS n
            FROM ({events}) WHERE date IS NOT NULL GROUP BY 1 ORDER BY 1
        """
        return self.frame(sql, params)

    def readability(self, state: FilterState, *, limit: int | None = 500) -> pd.DataFrame:
        """Readability of the filtered articles, with titles and dates."""
        rows, params = self._filtered("readability", state)
        sql = f"""
            SELECT r.*, d.title AS article, d.published
            FROM ({rows}) r LEFT JOIN documents d ON d.doc_id = r.doc_id
            ORDER BY d.published DESC NULLS LAST, r.doc_id
        """
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return self.frame(sql, params)

    def readability_summary(self, state: FilterState) -> dict[str, float]:
        """Median of each readability measure over the filtered articles."""
        rows, params = self._filtered("readability", state)
        measures = [c for c, d in SCHEMAS["readability"].items() if d == FLOAT]
        sql = (
            "SELECT "
            + ", ".join(f"median({c}) AS {c}" for c in measures)
            + f", count(*) AS n FROM ({rows})"
        )
        records: list[dict[str, Any]] = self.frame(sql, params).to_dict("records")  # type: ignore[assignment]
        if not records or not records[0]["n"]:
            return {}
        row = records[0]
        return {
            c: float(row[c]) for c in [*measures, "n"] if row[c] is not None and pd.notna(row[c])
        }

    # -- options for the filter widgets -------------------------------------------------------

    def entity_options(self, *, limit: int = 2000, include: Sequence[str] = ()) -> pd.DataFrame:
        """The most mentioned entities (and any in `include`), for the entity picker."""
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
        row = self._fetchone(sql)
        if not row:
            return OPEN
        return _as_date(row[0]), _as_date(row[1])

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

    # -- click-through and the reader -------------------------------------------------------

    def locate(self, table: str, row_id: str) -> Target | None:
        """Where a row of `table`, named by its stable id, sits in its article."""
        columns = 'doc_id, start, "end", text, sentence_start, sentence'
        if table == "mentions":
            doc_id, _, start = row_id.rpartition("@")
            sql = f"SELECT {columns} FROM mentions WHERE doc_id = $d AND start = $s LIMIT 1"
            params: dict[str, Any] = {"d": doc_id, "s": int(start) if start.isdigit() else -1}
        elif table == "entities":
            sql = f"""
                SELECT {columns} FROM mentions WHERE entity_id = $id
                ORDER BY published NULLS LAST, doc_id, start LIMIT 1
            """
            params = {"id": row_id}
        elif table in ("documents", "readability"):
            return Target(row_id, 0, 0, "article")
        elif table in ("quotes", "figures", "events"):
            sql = f"SELECT {columns} FROM {table} WHERE {ID_COLUMNS[table]} = $id LIMIT 1"
            params = {"id": row_id}
        else:
            return None
        frame = self.frame(sql, params)
        if frame.empty:
            return None
        row = frame.iloc[0]
        sentence_start = int(row["sentence_start"]) if pd.notna(row["sentence_start"]) else 0
        sentence = str(row["sentence"]) if pd.notna(row["sentence"]) else ""
        return Target(
            doc_id=str(row["doc_id"]),
            start=int(row["start"]),
            end=int(row["end"]),
            kind=table,
            label=str(row["text"]),
            sentence_start=sentence_start,
            sentence_end=sentence_start + len(sentence),
            sentence=sentence,
        )

    def document(self, doc_id: str) -> dict[str, Any] | None:
        frame = self.frame(
            "SELECT d.*, r.* EXCLUDE (doc_id) FROM documents d "
            "LEFT JOIN readability r ON r.doc_id = d.doc_id WHERE d.doc_id = $d",
            {"d": doc_id},
        )
        return None if frame.empty else {str(k): v for k, v in frame.iloc[0].to_dict().items()}

    def highlights(self, doc_id: str, state: FilterState | None = None) -> list[Highlight]:
        """Every span of the article to mark (only those passing `state`, when given)."""
        base = (state or FilterState()).with_docs([doc_id])
        marks: list[Highlight] = []
        mentions, params = self._filtered("mentions", base)
        named = self.frame(
            'SELECT m.start, m."end", m.type, coalesce(e.name, m.text) AS name '
            f"FROM ({mentions}) m LEFT JOIN entities e ON e.entity_id = m.entity_id "
            "ORDER BY m.start",
            params,
        )
        for row in _records(named):
            label = f"{row['name']} ({row['type']})"
            marks.append(Highlight(row["start"], row["end"], "mention", label, str(row["type"])))
        for row in _records(self.rows("quotes", base, limit=None, with_titles=False)):
            who = _text(row["speaker"]) or "unknown speaker"
            cue = f" ({_text(row['cue'])})" if _text(row["cue"]) else ""
            marks.append(Highlight(row["start"], row["end"], "quote", f"Quote: {who}{cue}"))
        for row in _records(self.rows("figures", base, limit=None, with_titles=False)):
            what = " ".join(_text(row[p]) for p in ("qualifier", "counted") if _text(row[p]))
            source = f" — source: {_text(row['source'])}" if _text(row["source"]) else ""
            marks.append(Highlight(row["start"], row["end"], "figure", f"Figure: {what}{source}"))
        for row in _records(self.rows("events", base, limit=None, with_titles=False)):
            when = _as_date(row["date"])
            until = _as_date(row["end_date"])
            span = f"{when}" if until in (None, when) else f"{when} to {until}"
            marks.append(Highlight(row["start"], row["end"], "event", f"Date: {span}"))
        return marks

    def article(self, doc_id: str) -> tuple[Article | None, str]:
        """The article's text as analysed, re-read from its file, or None and the reason."""
        doc = self.document(doc_id)
        if doc is None:
            return None, "This article is not in the store."
        if self.has_texts:
            texts = self.frame("SELECT text FROM document_texts WHERE doc_id = $d", {"d": doc_id})
            if not texts.empty and isinstance(texts.iloc[0, 0], str):
                published = doc.get("published")
                return Article(
                    doc_id=doc_id,
                    title=_text(doc.get("title")),
                    slug=_text(doc.get("slug")),
                    published=None if pd.isna(published) else pd.Timestamp(published).date(),
                    source=_text(doc.get("source")),
                    path=_text(doc.get("path")),
                    text=texts.iloc[0, 0],
                ), ""
        stored = str(doc.get("path") or "")
        candidates = list(self._candidate_paths(stored))
        for path in candidates:
            if not path.is_file():
                continue
            for event in read_file(path):
                if isinstance(event, Article) and event.doc_id == doc_id:
                    if event.sha256 != doc.get("sha256"):
                        return event, (
                            f"{path} changed since it was analysed: highlights may be out of "
                            "place. Re-analyse it on the Add articles page."
                        )
                    return event, ""
        return None, (
            f"The article's file ({stored or 'unknown path'}) is no longer where it was analysed, "
            "so its text cannot be shown. The tables still hold every row and sentence."
        )

    def _candidate_paths(self, stored: str) -> Iterator[Path]:
        if not stored:
            return
        path = Path(stored)
        if path.is_absolute():
            yield path
            return
        for root in self.manifest().get("paths", []):
            base = Path(root)
            yield base.parent / path
            yield base / path
            if base.is_file() and base.name == path.name:
                yield base
        yield Path(__file__).resolve().parent.parent / path
        yield self.root / path


def _only(frame: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    """`frame` cut to those of `columns` it has, in that order (all of it when None)."""
    return frame[[c for c in columns if c in frame.columns]] if columns else frame


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts, offsets as ints."""
    out: list[dict[str, Any]] = []
    for row in frame.to_dict("records"):
        record = {str(k): v for k, v in row.items()}
        for column in ("start", "end"):
            if column in record:
                record[column] = int(record[column])
        out.append(record)
    return out


def _text(value: Any) -> str:
    """A cell as text ('' for missing values)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def _entity_match(state: FilterState, q: _Query, *, alias: str = "") -> str:
    """The condition that a row's `entity_id` and `type` (after `alias`) are ones `state` picks."""
    conds = []
    if state.entities:
        conds.append(f"list_contains($ents, {alias}entity_id)")
        q.params["ents"] = list(state.entities)
    if state.types:
        conds.append(f"list_contains($types, {alias}type)")
        q.params["types"] = list(state.types)
    return " AND ".join(conds)


def _without_entities(state: FilterState) -> FilterState:
    return FilterState(
        docs=state.docs,
        sources=state.sources,
        published=state.published,
        event_dates=state.event_dates,
    )


def _date_range(q: _Query, column: str, lo: date | None, hi: date | None, *, prefix: str) -> None:
    if lo is not None:
        q.add(f"{column} >= ${prefix}_lo", **{f"{prefix}_lo": lo})
    if hi is not None:
        # Inclusive of the whole last day.
        q.add(f"{column} < ${prefix}_hi", **{f"{prefix}_hi": hi + timedelta(days=1)})


def _join_on(columns: Sequence[str], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{c} = {right}.{c}" for c in columns)


def _prefixed(order: str, alias: str) -> str:
    return ", ".join(f"{alias}.{part.strip()}" for part in order.split(","))


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _as_date(value: Any) -> date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.date()
    if hasattr(value, "date") and callable(value.date):
        result = value.date()
        return result if isinstance(result, date) else None
    return value if isinstance(value, date) else None
