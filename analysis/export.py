"""Filter a stored table and write it as CSV, Parquet or JSON, safe to open in a spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

import pandas as pd

from analysis.tables import SCHEMAS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with a quote, so it shows as text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy fit for CSV: text cells neutralised, lists joined with '; ', numbers untouched."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == "object" and series.map(lambda v: isinstance(v, list | tuple)).any():
            series = series.map(
                lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v
            )
        if pd.api.types.is_string_dtype(series.dtype) or series.dtype == "object":
            out[column] = series.map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out


def to_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text, made safe for spreadsheets."""
    buffer = io.StringIO()
    csv_safe(frame).to_csv(buffer, index=False, date_format="%Y-%m-%d")
    return buffer.getvalue()


def _entity_ids(entities: pd.DataFrame, names: Sequence[str]) -> set[str]:
    """Ids of entities whose name, alias or id matches one of `names` (case-insensitive)."""
    wanted = {n.strip().lower() for n in names if n.strip()}
    ids: set[str] = set()
    columns = (entities[c].tolist() for c in ("entity_id", "name", "aliases"))
    for entity_id, name, aliases in zip(*columns, strict=True):
        forms = {str(name).lower(), str(entity_id).lower(), *(str(a).lower() for a in aliases)}
        if forms & wanted:
            ids.add(str(entity_id))
    return ids


def filter_table(
    table: str,
    frame: pd.DataFrame,
    *,
    entities: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
    entity_names: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
) -> pd.DataFrame:
    """Rows of `table` about the named entities and published between `since` and `until`."""
    out = frame
    if entity_names:
        if entities is None:
            raise ValueError("filtering by entity needs the entities table")
        ids = _entity_ids(entities, entity_names)
        out = out[_entity_mask(table, out, ids, mentions)]
    date_column = "published" if "published" in SCHEMAS[table] else "first_seen"
    if table in ("readability",):
        date_column = ""
    if date_column and since is not None:
        out = out[out[date_column] >= pd.Timestamp(since)]
    if date_column and until is not None:
        out = out[out[date_column] < pd.Timestamp(until) + pd.Timedelta(days=1)]
    return out.reset_index(drop=True)


def _entity_mask(
    table: str, frame: pd.DataFrame, ids: set[str], mentions: pd.DataFrame | None
) -> pd.Series:
    def any_of(column: str) -> pd.Series:
        return frame[column].map(lambda values: bool(ids.intersection(values)))

    if table == "entities":
        return frame["entity_id"].isin(ids)
    if table == "mentions":
        return frame["entity_id"].isin(ids)
    if table == "quotes":
        return frame["speaker_entity_id"].isin(ids) | any_of("about_ids")
    if table == "figures":
        return frame["source_entity_id"].isin(ids)
    if table == "events":
        return any_of("entity_ids")
    # documents, readability: articles that mention the entity
    if mentions is None:
        raise ValueError("filtering articles by entity needs the mentions table")
    docs = set(mentions.loc[mentions["entity_id"].isin(ids), "doc_id"])
    return frame["doc_id"].isin(docs)
