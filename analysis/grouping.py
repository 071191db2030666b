"""Stories and happenings at merge time: articles grouped into stories, events into groups.

Below the pipeline: it reads the current corpus's rows through a reader (a table and columns
in, Arrow batches out), so the same code serves a store's merge and tables in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from analysis import happenings
from analysis import stories as stories_mod
from analysis.extract.entities import CorpusEntity, DocEntity
from analysis.store import arrow_schema, to_arrow
from analysis.tables import build_stories

# Reads the given columns of a table for the current corpus, in batches.
Reader = Callable[[str, "list[str] | None"], Iterable[pa.Table]]
Links = Mapping[tuple[str, str], CorpusEntity]
_EVENT_COLUMNS = ["event_id", "doc_id", "date", "end_date", "granularity", "description"]


@dataclass(frozen=True)
class Stories:
    """What grouping found: each article's story, each event's group, the stories table."""

    story_of: dict[str, str]
    group_of: dict[str, str]
    table: pa.Table

    def added_to(self, tables: dict[str, Iterable[pa.Table]]) -> dict[str, Iterable[pa.Table]]:
        """`tables` with the story ids on the documents, group ids on the events, and stories."""
        out = dict(tables)
        if "documents" in out:
            out["documents"] = self._filled(out["documents"], "doc_id", "story_id", self.story_of)
        if "events" in out:
            out["events"] = self._filled(out["events"], "event_id", "group_id", self.group_of)
        out["stories"] = [self.table]
        return out

    @staticmethod
    def _filled(
        batches: Iterable[pa.Table], key: str, column: str, values: dict[str, str]
    ) -> Iterator[pa.Table]:
        for data in batches:
            index = data.schema.get_field_index(column)
            filled = [values.get(k) for k in data[key].to_pylist()]
            yield data.set_column(index, data.schema.field(index), pa.array(filled, pa.string()))


def find_stories(read: Reader, doc_entities: Iterable[DocEntity], links: Links) -> Stories:
    """Group the current corpus into stories and its events into happenings."""
    documents = _frame(read, "documents", ["doc_id", "published", "source"])
    doc_ids = stories_mod.article_order(documents)
    linked = (
        (entity.doc_id, e.entity_id, entity.n_mentions)
        for entity in doc_entities
        # a hidden entity (a correction) counts for no story
        if (e := links.get((entity.doc_id, entity.ref))) is not None
    )
    entities = stories_mod.count_entities(linked, doc_ids)
    names = {e.entity_id: e.name for e in links.values()}
    terms = stories_mod.count_terms(lambda: read("postings", ["doc_id", "term", "lemma"]), doc_ids)
    found = stories_mod.find_stories(documents, entities, terms, names)
    story_of = {doc: s.story_id for s in found for doc in s.doc_ids}
    del documents, entities, terms
    events = _frame(read, "events", [*_EVENT_COLUMNS, "entity_refs"])
    events["entity_ids"] = [
        [e.entity_id for r in refs if (e := links.get((d, r))) is not None]
        for d, refs in zip(events["doc_id"], events["entity_refs"], strict=True)
    ]
    pa.default_memory_pool().release_unused()  # the event batches read, now in the frame
    group_of = happenings.group_events(events, story_of)
    return Stories(story_of, group_of, to_arrow("stories", build_stories(found)))


def _frame(read: Reader, table: str, columns: list[str]) -> pd.DataFrame:
    schema = arrow_schema(table)
    batches = list(read(table, columns))
    empty = pa.schema([schema.field(c) for c in columns]).empty_table()
    data = pa.concat_tables(batches) if batches else empty
    frame: pd.DataFrame = data.to_pandas()
    for column in columns:
        if pa.types.is_list(schema.field(column).type):
            frame[column] = [list(v) if v is not None else [] for v in frame[column]]
    return frame
