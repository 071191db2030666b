"""SQL building blocks: bound parameters, and each table's conditions for a `Filter`.

Values never enter the SQL text: every one is bound as a DuckDB parameter through `Params`.
The SQL text is made only of this module's fragments, column names from the table schemas and
aliases given by the caller.

What "rows about an entity" means, per table (the one rule every consumer shares):
- mentions: mentions of the entity;
- quotes: the entity is the speaker, or is named in the quote, or in the quote's sentence;
- figures: the entity is the figure's source, or is named in the figure's sentence;
- events: the entity is named in the event's sentence (its `entity_ids`, or any mention there);
- documents, readability: the article mentions the entity;
- entities: the entity itself (counts over the rows the other filters keep).
An entity type alone ("quotes by people") looks only at the row's own entity: its speaker or an
entity it names (quotes), its source (figures), its sentence's entities (events), the mention's
type (mentions), an article mentioning one (documents). Entities and types together narrow the
chosen entities to those types.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from analysis.query.filter import OPEN, Filter
from analysis.search import Sql, count_sql, documents_sql, hit_spans_sql, parse_query

# Tables whose rows come from a sentence (they carry doc_id and sentence_start).
TEXT_TABLES = ("mentions", "quotes", "figures", "events")
# The kinds a `Filter.kinds` may name, per table that has a `kind` column.
KINDS = {
    "quotes": ("direct", "partial", "title"),
    "figures": ("count", "money", "percent", "quantity", "duration"),
}


class Params:
    """Named DuckDB parameters: each value bound once, under a fresh name."""

    def __init__(self, initial: dict[str, Any] | None = None) -> None:
        self.values: dict[str, Any] = dict(initial or {})

    def __call__(self, value: Any) -> str:
        """Bind `value`; returns its placeholder (`$p3`)."""
        name = f"p{len(self.values)}"
        while name in self.values:
            name += "_"
        self.values[name] = value
        return f"${name}"


def embed(sql: Sql, p: Params) -> str:
    """The search matcher's SQL with its `?` placeholders bound as named parameters.

    The matcher writes every value as a `?` placeholder and nothing else as a question mark
    (its text is fixed fragments and generated names), so each `?` is the next value.
    """
    pieces = sql.text.split("?")
    if len(pieces) != len(sql.params) + 1:
        raise ValueError("search SQL with a stray '?' outside its placeholders")
    out = [pieces[0]]
    for value, piece in zip(sql.params, pieces[1:], strict=True):
        out += [p(value), piece]
    return "".join(out)


def matching_docs(query: str, p: Params) -> str:
    """SELECT doc_id of the articles a search query matches (`~word`: the words whose lemma
    is `word`). A malformed query raises `QuerySyntaxError`."""
    return embed(documents_sql(parse_query(query), lemmatize=str), p)


def hit_spans(
    query: str, p: Params, *, within: str | None = None, since: date | None = None
) -> str:
    """SELECT doc_id, start, end of every hit of a search query, once each (only in the
    articles `within`, a SELECT of doc_ids, gives, none published before `since`)."""
    articles = None if within is None else Sql(within)
    found = hit_spans_sql(parse_query(query), lemmatize=str, within=articles, since=since)
    return embed(found, p)


def hit_total(query: str, p: Params) -> str | None:
    """SELECT n: a search query's hits in every article, counted from its words' postings
    (`count_sql`); None when the query needs its hits listed to be counted."""
    counted = count_sql(parse_query(query), lemmatize=str)
    return None if counted is None else embed(counted, p)


def where(conditions: list[str]) -> str:
    return ("WHERE " + " AND ".join(f"({c})" for c in conditions)) if conditions else ""


def picks(flt: Filter, p: Params, alias: str) -> str:
    """The condition that `alias`'s `entity_id` and `type` are ones the filter chooses."""
    parts = []
    if flt.entities:
        parts.append(f"list_contains({p(list(flt.entities))}, {alias}.entity_id)")
    if flt.types:
        parts.append(f"list_contains({p(list(flt.types))}, {alias}.type)")
    return " AND ".join(parts) or "true"


def date_range(column: str, lo: date | None, hi: date | None, p: Params) -> list[str]:
    """`column` within [lo, hi], the whole last day included."""
    out = []
    if lo is not None:
        out.append(f"{column} >= {p(lo)}")
    if hi is not None:
        out.append(f"{column} < {p(hi + timedelta(days=1))}")
    return out


def event_overlap(flt: Filter, p: Params, alias: str) -> list[str]:
    """Events (as `alias`) whose dates overlap the filter's event range."""
    lo, hi = flt.event_dates
    out = []
    if hi is not None:
        out.append(f"{alias}.date <= {p(hi)}")
    if lo is not None:
        out.append(f"coalesce({alias}.end_date, {alias}.date) >= {p(lo)}")
    return out


def conditions(
    table: str, flt: Filter, p: Params, *, alias: str = "t", entity: bool = True
) -> list[str]:
    """The filter's conditions on stored table `table`, read as `alias`."""
    t = alias
    out: list[str] = []
    if flt.query.strip():
        out.append(f"{t}.doc_id IN ({matching_docs(flt.query, p)})")
    own_kinds = [k for k in flt.kinds if k in KINDS.get(table, ())]
    if own_kinds:
        out.append(f"list_contains({p(own_kinds)}, {t}.kind)")
    if flt.docs:
        # A semi-join on the unnested list: fast however many articles a search matched.
        out.append(f"{t}.doc_id IN (SELECT unnest(CAST({p(list(flt.docs))} AS VARCHAR[])))")
    if flt.stories:
        stories = p(list(flt.stories))
        if table in ("documents", "stories"):
            out.append(f"list_contains({stories}, {t}.story_id)")
        else:
            of_story = f"SELECT doc_id FROM documents WHERE list_contains({stories}, story_id)"
            out.append(f"{t}.doc_id IN ({of_story})")
    if flt.sources:
        sources = p(list(flt.sources))
        if table == "documents":
            out.append(f"list_contains({sources}, {t}.source)")
        else:
            of_source = f"SELECT doc_id FROM documents WHERE list_contains({sources}, source)"
            out.append(f"{t}.doc_id IN ({of_source})")
    if flt.published != OPEN:
        lo, hi = flt.published
        if table == "readability":
            inner = " AND ".join(date_range("d.published", lo, hi, p))
            out.append(f"{t}.doc_id IN (SELECT d.doc_id FROM documents d WHERE {inner})")
        else:
            out += date_range(f"{t}.published", lo, hi, p)
    if flt.event_dates != OPEN:
        if table == "events":
            out += event_overlap(flt, p, t)
        else:
            same = f"e.doc_id = {t}.doc_id"
            if table in TEXT_TABLES:
                same += f" AND e.sentence_start = {t}.sentence_start"
            overlap = " AND ".join([same, *event_overlap(flt, p, "e")])
            out.append(f"EXISTS (SELECT 1 FROM events e WHERE {overlap})")
    if entity and flt.entity_filter:
        out.append(entity_condition(table, flt, p, alias=t))
    return out


def entity_condition(table: str, flt: Filter, p: Params, *, alias: str = "t") -> str:
    """The "about the chosen entities" rule for `table` (see the module's docstring)."""
    t = alias
    if table == "mentions":
        return picks(flt, p, t)
    if table not in TEXT_TABLES:
        return f"{t}.doc_id IN (SELECT m.doc_id FROM mentions m WHERE {picks(flt, p, 'm')})"
    if flt.types:
        chosen = f"SELECT x.entity_id FROM entities x WHERE {picks(flt, p, 'x')}"

        def one(column: str) -> str:
            return f"{column} IN ({chosen})"

        def many(column: str) -> str:
            return f"list_has_any({column}, (SELECT coalesce(list(entity_id), []) FROM ({chosen})))"

    else:
        ids = p(list(flt.entities))

        def one(column: str) -> str:
            return f"list_contains({ids}, {column})"

        def many(column: str) -> str:
            return f"list_has_any({column}, {ids})"

    # A sentence that names a chosen entity counts too; a type alone only looks at the row's
    # own speaker, source or entities. Mentions carry their entity's id and type, so this reads
    # one table, and the ids go in as a list parameter: a scan and one hash join even on
    # millions of mentions.
    same_sentence = (
        f" OR ({t}.doc_id, {t}.sentence_start) IN "
        f"(SELECT m.doc_id, m.sentence_start FROM mentions m WHERE {picks(flt, p, 'm')})"
        if flt.entities
        else ""
    )
    if table == "quotes":
        return f"{one(f'{t}.speaker_entity_id')} OR {many(f'{t}.about_ids')}{same_sentence}"
    if table == "figures":
        return one(f"{t}.source_entity_id") + same_sentence
    return many(f"{t}.entity_ids") + same_sentence  # events


def filtered(table: str, flt: Filter, p: Params) -> str:
    """A SELECT of the rows of stored table `table` that pass the filter."""
    if table == "entities":
        return _entities(flt, p)
    if table == "stories":
        return _stories(flt, p)
    return f"SELECT t.* FROM {table} t {where(conditions(table, flt, p))}"


def _stories(flt: Filter, p: Params) -> str:
    """Stories with an article that passes the filter (their stored counts: a story is the
    whole thread, however much of it the filter keeps)."""
    chosen = Filter(stories=flt.stories)
    if flt == chosen:
        return f"SELECT t.* FROM stories t {where(conditions('stories', flt, p))}"
    articles = filtered("documents", flt, p)
    return f"SELECT t.* FROM stories t WHERE t.story_id IN (SELECT story_id FROM ({articles}))"


def _entities(flt: Filter, p: Params) -> str:
    """Entities, counted over the mentions the filter keeps (stored counts when only entities
    or types are chosen: then they are the same)."""
    if flt == Filter(entities=flt.entities, types=flt.types, query=""):
        chosen = (
            [f"t.entity_id IN (SELECT x.entity_id FROM entities x WHERE {picks(flt, p, 'x')})"]
            if flt.entity_filter
            else []
        )
        return f"SELECT t.* FROM entities t {where(chosen)}"
    mentions = filtered("mentions", flt, p)
    return f"""
        SELECT e.entity_id, e.name, e.type, e.aliases,
               count(*)::BIGINT AS n_mentions,
               count(DISTINCT m.doc_id)::BIGINT AS n_documents,
               min(m.published) AS first_seen, max(m.published) AS last_seen
        FROM ({mentions}) m JOIN entities e ON e.entity_id = m.entity_id
        GROUP BY e.entity_id, e.name, e.type, e.aliases
    """
