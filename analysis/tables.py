"""The tables: their columns, dtypes and the one function that builds each.

Rows from text carry `doc_id`, `start`, `end`, `sentence` and `published`. Columns ending in
`_ref`/`_refs` hold an article's own reference to an entity ("PERSON:Donald Trump"); the
corpus-wide `entity_id` columns are filled from them when entities are merged across articles.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from analysis.corpus import Article
from analysis.records import (
    DocumentRecord,
    EntityKey,
    Event,
    Figure,
    Mention,
    Quote,
    ReadabilityRecord,
    Span,
)

if TYPE_CHECKING:
    from analysis.extract.entities import CorpusEntity, DocEntity
    from analysis.stories import Story

STR = "str"
INT = "int64"
FLOAT = "float64"
BOOL = "bool"
DATE = "datetime64[ms]"
LIST = "object"  # a list of strings per row (Parquet list<string>)

SCHEMAS: dict[str, dict[str, str]] = {
    "documents": {
        "doc_id": STR,
        "title": STR,
        "slug": STR,
        "published": DATE,
        "source": STR,
        "path": STR,
        "n_words": INT,
        "n_sentences": INT,
        "sha256": STR,
        # The body as analysed: the store is self-contained, so the reader and every offset
        # still work when the source file has moved, changed or was an upload.
        "text": STR,
        # The story the article belongs to (`analysis.stories`), filled when merging.
        "story_id": STR,
        # The doc_id of the first copy when this article repeats it ("" otherwise), filled
        # when merging (`analysis.copies`).
        "copy_of": STR,
    },
    "readability": {
        "doc_id": STR,
        "flesch_reading_ease": FLOAT,
        "flesch_kincaid_grade": FLOAT,
        "gunning_fog": FLOAT,
        "smog_index": FLOAT,
        "coleman_liau_index": FLOAT,
        "automated_readability_index": FLOAT,
        "dale_chall_readability_score": FLOAT,
        "text_standard": STR,
    },
    "entities": {
        "entity_id": STR,
        "name": STR,
        "type": STR,
        "aliases": LIST,
        "n_mentions": INT,
        "n_documents": INT,
        "first_seen": DATE,
        "last_seen": DATE,
    },
    "mentions": {
        "doc_id": STR,
        "entity_id": STR,
        "text": STR,
        "start": INT,
        "end": INT,
        "sentence": STR,
        "sentence_start": INT,
        "published": DATE,
        "type": STR,
        "label": STR,
        "entity_ref": STR,
    },
    "quotes": {
        "quote_id": STR,
        "doc_id": STR,
        "text": STR,
        "speaker": STR,
        "speaker_entity_id": STR,
        "cue": STR,
        "kind": STR,
        "start": INT,
        "end": INT,
        "sentence": STR,
        "sentence_start": INT,
        "published": DATE,
        "speaker_text": STR,
        "about": LIST,
        "about_ids": LIST,
        "speaker_ref": STR,
        "about_refs": LIST,
        # The speaker's title as written beside the name ("company president and CEO").
        "speaker_title": STR,
    },
    "figures": {
        "figure_id": STR,
        "doc_id": STR,
        "value": FLOAT,
        "text": STR,
        "counted": STR,
        "qualifier": STR,
        "kind": STR,
        "source": STR,
        "source_entity_id": STR,
        "start": INT,
        "end": INT,
        "sentence": STR,
        "sentence_start": INT,
        "published": DATE,
        "unit": STR,
        "counted_key": STR,
        "source_ref": STR,
        "claim": STR,
        "claim_key": STR,
    },
    "events": {
        "event_id": STR,
        "doc_id": STR,
        "text": STR,
        "date": DATE,
        "end_date": DATE,
        "granularity": STR,
        "relative": BOOL,
        "description": STR,
        "entities": LIST,
        "start": INT,
        "end": INT,
        "sentence": STR,
        "sentence_start": INT,
        "published": DATE,
        "entity_ids": LIST,
        "timex": STR,
        "entity_refs": LIST,
        # One id for the events of several articles reporting the same happening
        # (`analysis.happenings`), filled when merging; a lone event has its own.
        "group_id": STR,
    },
    # One row per story (a thread of coverage), built when merging (`analysis.stories`).
    "stories": {
        "story_id": STR,
        "label": STR,
        "first_published": DATE,
        "last_published": DATE,
        "n_articles": INT,
        "n_sources": INT,
        "entity_ids": LIST,  # the most characteristic entities first
        "terms": LIST,  # the most characteristic content words first
    },
}

TABLES: tuple[str, ...] = tuple(SCHEMAS)

# Tables with one row per piece of text, keyed by document: what an incremental run replaces.
DOCUMENT_TABLES: tuple[str, ...] = (
    "documents",
    "readability",
    "mentions",
    "quotes",
    "figures",
    "events",
)


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """Everything extracted from one article, before entities are merged across articles."""

    article: Article
    document: DocumentRecord
    readability: ReadabilityRecord | None
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    events: tuple[Event, ...] = ()
    notes: tuple[str, ...] = field(default=())


def ref(key: EntityKey | None) -> str | None:
    """The article-level reference string of an entity key."""
    return f"{key.type}:{key.name}" if key is not None else None


def empty(table: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    return conform(table, pd.DataFrame({c: [] for c in SCHEMAS[table]}))


def conform(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with exactly the table's columns, in order, with its dtypes."""
    schema = SCHEMAS[table]
    # One frame from all the columns at once: inserting them one by one costs more.
    columns = {
        column: _cast(
            frame[column]
            if column in frame.columns
            else pd.Series([None] * len(frame), index=frame.index, dtype="object"),
            dtype,
        )
        for column, dtype in schema.items()
    }
    # By position (.array): the frame's index may hold duplicates, and the result is renumbered.
    return pd.DataFrame({column: series.array for column, series in columns.items()})


@cache
def _dtype(name: str) -> Any:
    return pd.api.types.pandas_dtype(name)


def _cast(values: pd.Series, dtype: str) -> pd.Series:
    # pandas-stubs types astype() by literal dtype names; ours come from SCHEMAS, hence Any.
    series: Any = values
    if dtype != LIST and series.dtype == _dtype(dtype):
        return values  # already conformed (the store conforms each frame again)
    if dtype == DATE:
        return cast(pd.Series, pd.to_datetime(series, errors="coerce").astype(DATE))
    if dtype == LIST:
        return cast(pd.Series, series.map(_as_list).astype("object"))
    if dtype == BOOL:
        return cast(pd.Series, series.fillna(False).astype(BOOL))
    if dtype == STR:
        return cast(pd.Series, series.astype("object").where(series.notna(), None).astype(STR))
    return cast(pd.Series, series.astype(dtype))


def _as_list(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _located(span: Span, article: Article) -> dict[str, Any]:
    """The columns that trace a row back to its sentence."""
    return {
        "start": span.start,
        "end": span.end,
        "sentence": span.sentence,
        "sentence_start": span.sentence_start,
        "published": article.published,
    }


def _rows(table: str, rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    if not rows:
        return empty(table)
    return conform(table, pd.DataFrame.from_records(list(rows), columns=list(SCHEMAS[table])))


def build_documents(results: Iterable[ArticleAnalysis]) -> pd.DataFrame:
    rows = [
        {
            "doc_id": r.document.doc_id,
            "title": r.document.title,
            "slug": r.document.slug,
            "published": r.document.published,
            "source": r.document.source,
            "path": r.document.path,
            "n_words": r.document.n_words,
            "n_sentences": r.document.n_sentences,
            "sha256": r.document.sha256,
            "text": r.article.text,
        }
        for r in results
    ]
    return _rows("documents", rows)


def build_readability(results: Iterable[ArticleAnalysis]) -> pd.DataFrame:
    rows = [
        {name: getattr(r.readability, name) for name in SCHEMAS["readability"]}
        for r in results
        if r.readability is not None
    ]
    return _rows("readability", rows)


def build_mentions(results: Iterable[ArticleAnalysis]) -> pd.DataFrame:
    rows = [
        {
            "doc_id": m.doc_id,
            "entity_id": None,
            "text": m.span.text,
            **_located(m.span, r.article),
            "type": m.entity.type,
            "label": m.label,
            "entity_ref": ref(m.entity),
        }
        for r in results
        for m in r.mentions
    ]
    return _rows("mentions", rows)


def build_quotes(results: Iterable[ArticleAnalysis]) -> pd.DataFrame:
    rows = [
        {
            "quote_id": f"q-{q.doc_id}-{q.span.start}",
            "doc_id": q.doc_id,
            "text": q.span.text,
            "speaker": q.speaker_entity.name if q.speaker_entity else q.speaker,
            "speaker_entity_id": None,
            "cue": q.cue,
            "kind": q.kind,
            **_located(q.span, r.article),
            "speaker_text": q.speaker,
            "about": [k.name for k in q.about],
            "about_ids": [],
            "speaker_ref": ref(q.speaker_entity),
            "about_refs": [ref(k) for k in q.about],
            "speaker_title": q.speaker_title,
        }
        for r in results
        for q in r.quotes
    ]
    return _rows("quotes", rows)


def build_figures(results: Iterable[ArticleAnalysis]) -> pd.DataFrame:
    rows = [
        {
            "figure_id": f"f-{f.doc_id}-{f.span.start}",
            "doc_id": f.doc_id,
            "value": f.value,
            "text": f.span.text,
            "counted": f.counted,
            "qualifier": f.qualifier,
            "kind": f.kind,
            "source": f.source_entity.name if f.source_entity else f.source,
            "source_entity_id": None,
            **_located(f.span, r.article),
            "unit": f.unit,
            "counted_key": f.counted_key,
            "source_ref": ref(f.source_entity),
            "claim": f.claim,
            "claim_key": f.claim_key,
        }
        for r in results
        for f in r.figures
    ]
    return _rows("figures", rows)


def build_events(results: Iterable[ArticleAnalysis]) -> pd.DataFrame:
    rows = [
        {
            "event_id": f"e-{e.doc_id}-{e.span.start}",
            "doc_id": e.doc_id,
            "text": e.span.text,
            "date": e.date,
            "end_date": e.end_date,
            "granularity": e.granularity,
            "relative": e.relative,
            "description": e.description,
            "entities": [k.name for k in e.entities],
            **_located(e.span, r.article),
            "entity_ids": [],
            "timex": e.timex,
            "entity_refs": [ref(k) for k in e.entities],
        }
        for r in results
        for e in r.events
    ]
    return _rows("events", rows)


def build_entities(
    doc_entities: Iterable[DocEntity], links: Mapping[tuple[str, str], CorpusEntity]
) -> pd.DataFrame:
    """One row per corpus entity: its names, mention and article counts, first and last dates.

    `links` maps each article's entity `(doc_id, ref)` to its corpus entity; the rows come most
    mentioned first, then by name.
    """
    rows: dict[str, dict[str, Any]] = {}
    # Article by article (a sorted list of references, not a set of articles per entity), so
    # an entity that two of an article's names link to counts that article once.
    by_doc = sorted(doc_entities, key=lambda e: e.doc_id)
    for _, group in itertools.groupby(by_doc, key=lambda e: e.doc_id):
        counted: set[str] = set()
        for entity in group:
            corpus = links[(entity.doc_id, entity.ref)]
            row = rows.get(corpus.entity_id)
            if row is None:
                row = rows[corpus.entity_id] = {
                    "entity_id": corpus.entity_id,
                    "name": corpus.name,
                    "type": corpus.type,
                    "aliases": {},
                    "n_mentions": 0,
                    "n_documents": 0,
                    "first_seen": None,
                    "last_seen": None,
                }
            row["aliases"].update(dict.fromkeys(entity.aliases))
            row["n_mentions"] += entity.n_mentions
            if corpus.entity_id not in counted:
                counted.add(corpus.entity_id)
                row["n_documents"] += 1
            if entity.published is not None:
                row["first_seen"] = _min_date(row["first_seen"], entity.published)
                row["last_seen"] = _max_date(row["last_seen"], entity.published)
    del by_doc
    # A given name alone ("Steve") is an alias of one person only when no other person of the
    # corpus is named with it.
    given = Counter(
        row["name"].split()[0].casefold()
        for row in rows.values()
        if row["type"] == "PERSON" and len(row["name"].split()) >= 2
    )

    def own(alias: str, row: dict[str, Any]) -> bool:
        first = row["name"].split()[0].casefold() if row["type"] == "PERSON" else None
        shared = alias.casefold() == first and " " in row["name"] and given[first] > 1
        return alias != row["name"] and not shared

    records = [
        {**row, "aliases": sorted(a for a in row["aliases"] if own(a, row))}
        for row in rows.values()
    ]
    return _rows("entities", records).sort_values(
        ["n_mentions", "name", "entity_id"], ascending=[False, True, True], ignore_index=True
    )


def build_stories(stories: Iterable[Story]) -> pd.DataFrame:
    """One row per story, in the order given (largest first)."""
    rows = [
        {
            "story_id": s.story_id,
            "label": s.label,
            "first_published": s.first_published,
            "last_published": s.last_published,
            "n_articles": s.n_articles,
            "n_sources": s.n_sources,
            "entity_ids": list(s.entity_ids),
            "terms": list(s.terms),
        }
        for s in stories
    ]
    return _rows("stories", rows)


def _min_date(a: date | None, b: date) -> date:
    return b if a is None or b < a else a


def _max_date(a: date | None, b: date) -> date:
    return b if a is None or b > a else a


BUILDERS = {
    "documents": build_documents,
    "readability": build_readability,
    "mentions": build_mentions,
    "quotes": build_quotes,
    "figures": build_figures,
    "events": build_events,
}


def build_document_tables(results: Sequence[ArticleAnalysis]) -> dict[str, pd.DataFrame]:
    """The per-document tables for a batch of analysed articles (entity ids not yet filled)."""
    return {name: builder(results) for name, builder in BUILDERS.items()}
