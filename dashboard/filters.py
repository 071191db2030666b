"""The global filters as the widgets and file names see them.

Pure functions only: no Streamlit, no store. The filter itself is `analysis.query.Filter`; its
key/value form (`Filter.to_params`) is what `st.query_params` holds, so a filtered view can be
bookmarked: repeated keys for lists (`?entity=a&entity=b`) and `FROM..TO` for date ranges
(either end may be empty: `published=2021-01-01..`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date

from analysis.query.filter import OPEN, PARAM_KEYS, DateRange, Filter, format_range, parse_range

__all__ = [
    "OPEN",
    "QUERY_KEYS",
    "DateRange",
    "FilterState",
    "csv_filename",
    "describe",
    "format_range",
    "parse_range",
    "range_from_widget",
    "slug",
    "widget_range",
]

# The filter is the query layer's: the dashboard builds it from the sidebar and the URL.
FilterState = Filter
# URL keys, in the order they are written (older `f_*` spellings are read too).
QUERY_KEYS = PARAM_KEYS

MAX_NAME_PARTS = 3


def range_from_widget(value: object, bounds: DateRange) -> DateRange:
    """A date-range widget's value as a filter: the full data range (or nothing) is no filter."""
    if not isinstance(value, tuple | list):
        return OPEN
    days = [d for d in value if isinstance(d, date)]
    if not days:
        return OPEN
    lo = days[0]
    hi = days[1] if len(days) > 1 else None  # half-picked range: from `lo` on
    if (lo, hi) == bounds or (hi is None and lo == bounds[0]):
        return OPEN
    return lo, hi


def widget_range(span: DateRange, bounds: DateRange) -> tuple[date, date] | tuple[()]:
    """The value to show in a date-range widget: the filter, its open ends taken from the data."""
    lo = span[0] or bounds[0]
    hi = span[1] or bounds[1]
    if lo is None or hi is None:
        return ()
    return (lo, hi) if lo <= hi else (hi, lo)


def slug(text: str, *, limit: int = 40) -> str:
    """A file-name-safe ASCII slug: 'Donald Trump' -> 'donald-trump'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out: list[str] = []
    for char in ascii_text.lower():
        if char.isalnum():
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")[:limit].strip("-")


def _names_part(names: Iterable[str]) -> str:
    slugs = [s for s in (slug(n) for n in names) if s]
    if len(slugs) > MAX_NAME_PARTS:
        slugs = [*slugs[:MAX_NAME_PARTS], f"{len(slugs) - MAX_NAME_PARTS}-more"]
    return "+".join(slugs)


def csv_filename(
    table: str,
    state: FilterState,
    *,
    entity_names: Mapping[str, str] | None = None,
    doc_titles: Mapping[str, str] | None = None,
) -> str:
    """A file name that says what the rows are: `quotes_donald-trump_2025-01-01_2025-12-31.csv`."""
    names = entity_names or {}
    titles = doc_titles or {}
    parts = [slug(table) or "table"]
    if state.query:
        parts.append(slug(state.query, limit=30))
    if state.entities:
        parts.append(_names_part(names.get(e, e.partition(":")[2] or e) for e in state.entities))
    if state.types:
        parts.append(_names_part(state.types))
    if state.docs:
        parts.append(_names_part(titles.get(d, d) for d in state.docs))
    if state.stories:
        parts.append(_names_part(state.stories))
    if state.sources:
        parts.append(_names_part(state.sources))
    if state.published != OPEN:
        lo, hi = state.published
        parts.append(f"{lo.isoformat() if lo else 'start'}_{hi.isoformat() if hi else 'now'}")
    if state.event_dates != OPEN:
        lo, hi = state.event_dates
        parts.append(
            f"events-{lo.isoformat() if lo else 'start'}_{hi.isoformat() if hi else 'end'}"
        )
    name = "_".join(p for p in parts if p)
    return f"{name[:150].rstrip('_-+')}.csv"


def describe(
    state: FilterState,
    *,
    entity_names: Mapping[str, str] | None = None,
    doc_titles: Mapping[str, str] | None = None,
    story_labels: Mapping[str, str] | None = None,
) -> str:
    """The filters in words, for captions and empty states ('' when nothing is filtered)."""
    names = entity_names or {}
    titles = doc_titles or {}
    parts: list[str] = []
    if state.query:
        # A query with its own quote marks ("prime minister") reads as typed, not in a second pair.
        quoted = '"' in state.query
        parts.append(f"matching {state.query}" if quoted else f"matching “{state.query}”")
    if state.entities:
        parts.append("about " + ", ".join(names.get(e, e) for e in state.entities))
    if state.types:
        parts.append("entity type " + ", ".join(state.types))
    if state.docs:
        parts.append("in " + ", ".join(f"“{titles.get(d, d)}”" for d in state.docs))
    if state.stories:
        labels = story_labels or {}
        parts.append("in the story " + ", ".join(f"“{labels.get(s, s)}”" for s in state.stories))
    if state.sources:
        parts.append("from " + ", ".join(state.sources))
    if state.published != OPEN:
        parts.append("published " + _words(state.published))
    if state.event_dates != OPEN:
        parts.append("events dated " + _words(state.event_dates))
    return "; ".join(parts)


def _words(span: DateRange) -> str:
    lo, hi = span
    if lo and hi:
        return f"{lo.isoformat()} to {hi.isoformat()}"
    if lo:
        return f"from {lo.isoformat()}"
    return f"until {hi.isoformat()}" if hi else "any time"
