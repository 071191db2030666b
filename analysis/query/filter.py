"""The one filter every question is asked under, and its key/value form (URLs, the CLI)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

DateRange = tuple[date | None, date | None]
OPEN: DateRange = (None, None)

# The key/value form's keys, in the order they are written; each may repeat for lists.
PARAM_KEYS = ("q", "entity", "type", "article", "story", "source", "published", "events", "kind")
# Older spellings still read (the dashboard's widget keys), so saved links keep opening.
_ALIASES = {f"f_{key}": key for key in PARAM_KEYS}


@dataclass(frozen=True, slots=True)
class Filter:
    """What to look at; empty tuples and open ranges mean "everything".

    What "about an entity" means per table (the same in the dashboard, `newslens export` and
    Python): see `analysis.query.sql.entity_condition`.
    """

    entities: tuple[str, ...] = ()  # entity ids
    types: tuple[str, ...] = ()  # entity types (PERSON, ORG, ...)
    docs: tuple[str, ...] = ()  # doc ids
    sources: tuple[str, ...] = ()
    published: DateRange = OPEN  # publication date, inclusive
    event_dates: DateRange = OPEN  # dates the events are about, inclusive
    query: str = ""  # a search query (`analysis.search`): only the articles that match it
    # Kinds of quotes (direct, partial, title) and of figures (count, money, ...) to keep; a
    # table none of whose kinds is named keeps all of its rows.
    kinds: tuple[str, ...] = ()
    stories: tuple[str, ...] = ()  # story ids (`documents.story_id`): only their articles' rows

    @property
    def is_empty(self) -> bool:
        return self == Filter()

    @property
    def entity_filter(self) -> bool:
        """True when rows must be about some entity (chosen by id or by type)."""
        return bool(self.entities or self.types)

    def with_docs(self, docs: Sequence[str]) -> Filter:
        return replace(self, docs=tuple(docs))

    def with_entities(self, entities: Sequence[str]) -> Filter:
        return replace(self, entities=tuple(dict.fromkeys(entities)))

    def without_entities(self) -> Filter:
        return replace(self, entities=(), types=())

    def key(self) -> tuple[object, ...]:
        """A hashable, order-insensitive key for caching query results."""
        return (
            tuple(sorted(self.entities)),
            tuple(sorted(self.types)),
            tuple(sorted(self.docs)),
            tuple(sorted(self.sources)),
            self.published,
            self.event_dates,
            self.query.strip(),
            tuple(sorted(self.kinds)),
            tuple(sorted(self.stories)),
        )

    def to_params(self) -> dict[str, list[str]]:
        """The key/value form: only the filters that are set."""
        out: dict[str, list[str]] = {}
        if self.query.strip():
            out["q"] = [self.query.strip()]
        for name, values in (
            ("entity", self.entities),
            ("type", self.types),
            ("article", self.docs),
            ("story", self.stories),
            ("source", self.sources),
            ("kind", self.kinds),
        ):
            if values:
                out[name] = list(values)
        for name, span in (("published", self.published), ("events", self.event_dates)):
            if span != OPEN:
                out[name] = [format_range(span)]
        return out

    @classmethod
    def from_params(cls, params: Mapping[str, str | Sequence[str]]) -> Filter:
        """Read the key/value form back; unknown keys and malformed values are ignored."""

        def values(name: str) -> tuple[str, ...]:
            items: list[str] = []
            for key, raw in params.items():
                if _ALIASES.get(key, key) == name:
                    items += [raw] if isinstance(raw, str) else list(raw)
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
            query=(values("q") or ("",))[-1],
            kinds=tuple(k.lower() for k in values("kind")),
            stories=values("story"),
        )


def format_range(span: DateRange) -> str:
    """`(2021-01-01, 2021-12-31)` -> `"2021-01-01..2021-12-31"`; an open end stays empty."""
    lo, hi = span
    return f"{lo.isoformat() if lo else ''}..{hi.isoformat() if hi else ''}"


def parse_range(text: str) -> DateRange:
    """The inverse of `format_range` (one day alone is that day); unreadable is open."""
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
