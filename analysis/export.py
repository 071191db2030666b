"""Write rows as CSV, JSON or Parquet: spreadsheet-safe, lists as lists, numbers as numbers."""

from __future__ import annotations

import io
import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "


def neutralise(value: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with a quote, so it shows as text."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _is_list(value: Any) -> bool:
    return isinstance(value, list | tuple | np.ndarray)


def _item(value: Any) -> str:
    """One list item as text: 228.0 reads 228; other numbers and text as they are."""
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isfinite(number) and number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return repr(number)
    return str(value)


def as_lists(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose list cells (Python lists or NumPy arrays, as DuckDB gives) are lists."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == "object" and series.map(_is_list).any():
            out[column] = series.map(lambda v: list(v) if _is_list(v) else v)
    return out


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy fit for CSV: text cells neutralised, lists joined with '; ', numbers untouched."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if series.dtype == "object" and series.map(_is_list).any():
            series = series.map(lambda v: LIST_SEPARATOR.join(map(_item, v)) if _is_list(v) else v)
        if pd.api.types.is_string_dtype(series.dtype) or series.dtype == "object":
            out[column] = series.map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out


def to_csv(frame: pd.DataFrame) -> str:
    """The frame as CSV text, made safe for spreadsheets."""
    buffer = io.StringIO()
    csv_safe(frame).to_csv(buffer, index=False, date_format="%Y-%m-%d")
    return buffer.getvalue()


def to_json(frame: pd.DataFrame) -> str:
    """The frame as a JSON list of records (dates ISO, lists as arrays)."""
    text = as_lists(frame).to_json(orient="records", date_format="iso", force_ascii=False, indent=1)
    return text or "[]"


def to_parquet(frame: pd.DataFrame) -> bytes:
    """The frame as a Parquet file."""
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(as_lists(frame), preserve_index=False), sink)
    return sink.getvalue()
