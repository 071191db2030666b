"""The global filters: one `FilterState`, its URL form, and names derived from it.

Pure functions only: no Streamlit, no store. The URL form is what `st.query_params` holds, so a
filtered view can be bookmarked: repeated keys for lists (`?entity=a&entity=b`) and
`FROM..TO` for date ranges (either end may be empty: `published=2021-01-01..`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

DateRange = tuple[date | None, date | None]
OPEN: DateRange = (None, None)

# URL keys, in the order they are written.
QUERY_KEYS = ("entity", "type", "article", "source", "published", "events")

MAX_NAME_PARTS = 3


@dataclass(frozen=True, slots=True)
class FilterState:
    """What the user filtered on; empty tuples and open ranges mean "everything"."""

    entities: tuple[str, ...] = ()  # entity ids
    types: tuple[str, ...] = ()  # entity types (PERSON, ORG, ...)
    docs: tuple[str, ...] = ()  # doc ids
    sources: tuple[str, ...] = ()
    published: DateRange = OPEN  # publication date, inclusive
    event_dates: DateRange = OPEN  # dates the events are about, inclusive

    @property
    def is_empty(self) -> bool:
        return self == FilterState()

    @property
    def entity_filter(self) -> bool:
        """True when rows must be about some entity (chosen by id or by type)."""
        return bool(self.entities or self.types)

    def with_docs(self, docs: Sequence[str]) -> FilterState:
        return replace(self, docs=tuple(docs))

    def with_entities(self, entities: Sequence[str]) -> FilterState:
        return replace(self, entities=tuple(dict.fromkeys(entities)))

    def key(self) -> tuple[object, ...]:
        """A hashable, order-insensitive key for caching query results."""
        return (
            tuple(sorted(self.entities)),
            tuple(sorted(self.types)),
            tuple(sorted(self.docs)),
            tuple(sorted(self.sources)),
            self.published,
            self.event_dates,
        )

    def to_query(self) -> dict[str, list[str]]:
        """The URL form: only the filters that are set."""
        out: dict[str, list[str]] = {}
        for name, values in (
            ("entity", self.entities),
            ("type", self.types),
            ("article", self.docs),
            ("source", self.sources),
        ):
            if values:
                out[name] = list(values)
        for name, span in (("published", self.published), ("events", self.event_dates)):
            if span != OPEN:
                out[name] = [format_range(span)]
        return out

    @classmethod
    def from_query(cls, params: Mapping[str, str | Sequence[str]]) -> FilterState:
        """Read the URL form back; unknown keys and malformed values are ignored."""

        def values(name: str) -> tuple[str, ...]:
            raw = params.get(name, ())
            items = [raw] if isinstance(raw, str) else list(raw)
            return tuple(dict.fromkeys(v.strip() for v in items if v and v.strip()))

        def span(name: str) -> DateRange:
            found = values(name)
            return parse_range(found[-1]) if found else OPEN

        return cls(
            entities=values("entity"),
            types=tuple(t.upper() for t in values("type")),
            docs=values("article"),
            sources=values("source"),
            published=span("published"),
            event_dates=span("events"),
        )


def format_range(span: DateRange) -> str:
    """`(2021-01-01, 2021-12-31)` -> `"2021-01-01..2021-12-31"`; an open end stays empty."""
    lo, hi = span
    return f"{lo.isoformat() if lo else ''}..{hi.isoformat() if hi else ''}"


def parse_range(text: str) -> DateRange:
    """The inverse of `format_range`; anything unreadable is an open range."""
    if ".." not in text:
        day = _iso(text)
        return (day, day) if day else OPEN
    left, _, right = text.partition("..")
    lo, hi = _iso(left), _iso(right)
    if lo and hi and lo > hi:
        lo, hi = hi, lo
    return lo, hi


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


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
    if state.entities:
        parts.append(_names_part(names.get(e, e.partition(":")[2] or e) for e in state.entities))
    if state.types:
        parts.append(_names_part(state.types))
    if state.docs:
        parts.append(_names_part(titles.get(d, d) for d in state.docs))
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
) -> str:
    """The filters in words, for captions and empty states ('' when nothing is filtered)."""
    names = entity_names or {}
    titles = doc_titles or {}
    parts: list[str] = []
    if state.entities:
        parts.append("about " + ", ".join(names.get(e, e) for e in state.entities))
    if state.types:
        parts.append("entity type " + ", ".join(state.types))
    if state.docs:
        parts.append("in " + ", ".join(f"“{titles.get(d, d)}”" for d in state.docs))
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
