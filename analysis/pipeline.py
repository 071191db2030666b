"""From files to a committed store: plan, analyse in batches, merge entities, commit.

Data flows one way: files -> Article -> one spaCy pass -> extractors -> records -> tables ->
store. A run analyses only what is new or changed (by content hash and pipeline version),
keeps the rows of unchanged articles, drops those of articles no longer in the corpus, and
links entities across the whole corpus before it commits.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from analysis import happenings
from analysis import nlp as nlp_mod
from analysis import stories as stories_mod
from analysis.analyze import PARSE_BATCH, PROBLEMS, analyze_parsed, pipeline_version
from analysis.corpus import Article, Notice, Problem, iter_corpus, read_file
from analysis.engines import Engine, LocalEngine
from analysis.extract import entities as entities_mod
from analysis.extract.entities import CorpusEntity, DocEntity
from analysis.search import index as index_mod
from analysis.search.index import INDEX_SCHEMAS
from analysis.store import Sources, Store, arrow_schema, from_arrow, to_arrow
from analysis.tables import (
    DOCUMENT_TABLES,
    build_document_tables,
    build_entities,
    build_stories,
)
from analysis.version import __version__

if TYPE_CHECKING:
    from spacy.language import Language

Progress = Callable[[int, int], None]

DEFAULT_BATCH = 64
# Rows per batch while merging: big enough that per-batch costs vanish, small enough that the
# merge's memory does not grow with the corpus.
MERGE_ROWS = 10_000
# Tables whose entity columns are filled when merging; the others are copied as they are.
_LINKED = ("mentions", "quotes", "figures", "events")


# -- articles in memory ---------------------------------------------------------------------


def analyze_texts(nlp: Language, articles: Sequence[Article]) -> dict[str, pd.DataFrame]:
    """Every table for articles in memory, entities linked, stories found: no store involved."""
    results, postings = [], []
    for article, doc in nlp_mod.parse(nlp, articles, batch_size=PARSE_BATCH):
        results.append(analyze_parsed(article, doc))
        postings.append(index_mod.postings(article.doc_id, doc))
    frames = build_document_tables(results)
    return link_frames(frames, postings=postings)


# -- a whole run ----------------------------------------------------------------------------


@dataclass
class RunSummary:
    """What a run did."""

    store: Path
    analysed: int = 0
    unchanged: int = 0
    resumed: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    seconds: float = 0.0
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def articles(self) -> int:
        return self.analysed + self.unchanged + self.resumed


@dataclass
class _Plan:
    current: dict[str, str] = field(default_factory=dict)  # doc_id -> sha256 now on disk
    where: dict[str, str] = field(default_factory=dict)  # doc_id -> the file it is read from
    todo: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # path -> ids
    n_todo: int = 0
    paths: list[Path] = field(default_factory=list)  # the corpus roots this run was given


def run(
    paths: Sequence[str | Path],
    store_root: str | Path,
    *,
    nlp: Language | None = None,
    engine: Engine | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
    wait: bool = True,
) -> RunSummary:
    """Analyse the corpus under `paths` into the store at `store_root`, incrementally."""
    started = time.perf_counter()
    store = Store(store_root)
    summary = RunSummary(store=store.root)
    if engine is None:
        engine = LocalEngine(nlp)
    # The engine is closed at the end (a Dask client asked for the model id disconnects); every
    # engine starts again lazily, so a caller may pass the same one to another run.
    with store.writing(wait=wait), engine:
        version = pipeline_version(engine.model_id())
        stored = store.committed_docs(version)
        stored_sha = {doc_id: sha for doc_id, (sha, _) in stored.items()}
        resumable = store.part_docs(version)
        plan = _plan(paths, stored_sha, resumable, summary)
        if progress:
            progress(0, plan.n_todo)
        done = 0
        with contextlib.closing(engine.map(_batches(plan, batch_size), version)) as results:
            for tables in results:
                failed = tables.pop(PROBLEMS, None)
                if failed is not None and failed.num_rows:
                    summary.problems.extend(
                        Problem(path, reason)
                        for path, reason in zip(
                            failed["path"].to_pylist(), failed["reason"].to_pylist(), strict=True
                        )
                    )
                store.write_part(tables, version)
                done += tables["documents"].num_rows
                if progress:
                    progress(done, plan.n_todo)
        summary.analysed = done
        summary.unchanged = sum(1 for d, s in plan.current.items() if stored_sha.get(d) == s)
        summary.resumed = sum(
            1 for d, s in plan.current.items() if stored_sha.get(d) != s and resumable.get(d) == s
        )
        summary.removed = sum(1 for d in stored if d not in plan.current)
        if summary.articles == 0:
            return _finish(summary, started)  # never replace a store with an empty corpus
        manifest = _manifest(plan, version, summary)
        same_rows = (
            done == summary.resumed == summary.removed == 0
            and stored.keys() == plan.current.keys()
            and all(stored[d][1] == path for d, path in plan.where.items())
        )
        if same_rows:
            # Nothing to analyse and no row to change: no merge, no rewrite of any table.
            old = store.manifest()
            summary.tables = old.get("tables", {})
            if _describes_run(old) != _describes_run(manifest):  # e.g. a new unreadable file
                store.commit_manifest({**manifest, "tables": summary.tables})
            else:
                store.clear_work()  # parts left by a run that crashed after its commit
            return _finish(summary, started)
        summary.tables = _merge(store, plan, manifest)
    return _finish(summary, started)


def _finish(summary: RunSummary, started: float) -> RunSummary:
    summary.seconds = time.perf_counter() - started
    return summary


def _manifest(plan: _Plan, version: str, summary: RunSummary) -> dict[str, Any]:
    return {
        "newslens": __version__,
        "pipeline_version": version,
        "written": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "tables": {},
        "paths": [str(Path(p).resolve()) for p in plan.paths],
        "problems": [str(p) for p in summary.problems],
    }


def _describes_run(manifest: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(manifest.get(k) for k in ("newslens", "pipeline_version", "paths", "problems"))


def _plan(
    paths: Sequence[str | Path],
    stored: dict[str, str],
    resumable: dict[str, str],
    summary: RunSummary,
) -> _Plan:
    """First pass over the files: which articles exist now and which need the model."""
    plan = _Plan(paths=[Path(p) for p in paths])
    for event in iter_corpus(paths):
        if isinstance(event, Problem):
            summary.problems.append(event)
        elif isinstance(event, Notice):
            summary.notices.append(event)
        else:
            sha = event.sha256
            plan.current[event.doc_id] = sha
            plan.where[event.doc_id] = event.path
            if stored.get(event.doc_id) != sha and resumable.get(event.doc_id) != sha:
                plan.todo[event.path].add(event.doc_id)
                plan.n_todo += 1
    return plan


def _batches(plan: _Plan, size: int) -> Iterator[list[Article]]:
    """Second pass: re-read only the files holding articles to analyse, in batches."""
    batch: list[Article] = []
    for path, ids in plan.todo.items():
        for event in read_file(Path(path)):
            if isinstance(event, Article) and event.doc_id in ids:
                ids.discard(event.doc_id)  # a duplicate inside the file is analysed once
                batch.append(event)
                if len(batch) >= size:
                    yield batch
                    batch = []
    if batch:
        yield batch


# -- merging and linking --------------------------------------------------------------------


def _sources(store: Store, plan: _Plan, version: str) -> Sources:
    """For each folder holding rows, the doc ids to take from it: every current doc exactly once."""
    wanted = plan.current
    chosen: dict[str, Path] = {}
    for part, docs in reversed(list(store.valid_parts(version))):  # newest part wins
        for doc_id, sha in zip(docs["doc_id"].to_pylist(), docs["sha256"].to_pylist(), strict=True):
            if wanted.get(doc_id) == sha and doc_id not in chosen:
                chosen[doc_id] = part
    for doc_id, (sha, _) in store.committed_docs(version).items():
        if wanted.get(doc_id) == sha and doc_id not in chosen:
            chosen[doc_id] = store.root
    by_source: dict[Path, list[str]] = defaultdict(list)
    for doc_id, source in chosen.items():
        by_source[source].append(doc_id)
    return [
        (source, pa.array(sorted(ids), pa.string())) for source, ids in sorted(by_source.items())
    ]


def _coalesced(batches: Iterable[pa.Table], rows: int) -> Iterator[pa.Table]:
    """Join the small batches of many parts into batches of about `rows` rows.

    Each batch costs a fixed pandas round trip when linked: one per part would make the merge
    of a large corpus slow for no benefit.
    """
    pending: list[pa.Table] = []
    count = 0
    for data in batches:
        pending.append(data)
        count += data.num_rows
        if count >= rows:
            yield pa.concat_tables(pending)
            pending, count = [], 0
    if pending:
        yield pa.concat_tables(pending)


def _collect_doc_entities(batches: Iterable[pa.Table]) -> list[DocEntity]:
    """One `DocEntity` per (article, entity) from mentions rows.

    There is one per distinct entity of every article, so a large corpus has many: equal
    strings are shared (interned) rather than held once per row, and nothing else is kept.
    """
    intern = sys.intern
    days: dict[Any, date] = {}
    counts: dict[tuple[str, str], Any] = {}
    for data in batches:
        cols = [data[c].to_pylist() for c in ("doc_id", "entity_ref", "text", "type", "published")]
        for doc_id, ref, text, type_, published in zip(*cols, strict=True):
            key = (doc_id, ref)
            entry = counts.get(key)
            if entry is None:
                day = None
                if published is not None:
                    day = days.get(published) or days.setdefault(published, published.date())
                key = (intern(doc_id), intern(ref))
                counts[key] = [intern(type_), [intern(text)], 1, day]
                continue
            if text not in entry[1]:
                entry[1].append(intern(text))
            entry[2] += 1
    for (doc_id, ref), (type_, texts, n, day) in counts.items():
        name = intern(ref.split(":", 1)[1]) if ":" in ref else ref
        counts[(doc_id, ref)] = DocEntity(doc_id, ref, name, type_, tuple(texts), n, day)
    out: list[DocEntity] = list(counts.values())
    return out


Links = dict[tuple[str, str], CorpusEntity]


def _link_table(table: str, data: pa.Table, links: Links) -> pa.Table:
    """Fill the corpus entity columns of one Arrow table from the article-level refs.

    Works on the few columns concerned as Python lists: no pandas round trip of whole rows.
    """
    if table not in _LINKED or data.num_rows == 0:
        return data
    docs = data["doc_id"].to_pylist()

    def one(column: str) -> list[CorpusEntity | None]:
        refs = data[column].to_pylist()
        return [None if r is None else links.get((d, r)) for d, r in zip(docs, refs, strict=True)]

    def many(column: str) -> list[list[CorpusEntity]]:
        return [
            [e for r in refs or () if (e := links.get((d, r))) is not None]
            for d, refs in zip(docs, data[column].to_pylist(), strict=True)
        ]

    def ids(linked: list[CorpusEntity | None]) -> list[str | None]:
        return [e.entity_id if e else None for e in linked]

    def or_kept(linked: list[CorpusEntity | None], column: str, attr: str) -> list[Any]:
        kept = data[column].to_pylist()
        return [getattr(e, attr) if e else k for e, k in zip(linked, kept, strict=True)]

    new: dict[str, list[Any]] = {}
    if table == "mentions":
        linked = one("entity_ref")
        new = {"entity_id": ids(linked), "type": or_kept(linked, "type", "type")}
    elif table == "quotes":
        linked = one("speaker_ref")
        about = many("about_refs")
        new = {
            "speaker_entity_id": ids(linked),
            "speaker": or_kept(linked, "speaker", "name"),
            "about": [_unique(e.name for e in es) for es in about],
            "about_ids": [_unique(e.entity_id for e in es) for es in about],
        }
    elif table == "figures":
        linked = one("source_ref")
        new = {"source_entity_id": ids(linked), "source": or_kept(linked, "source", "name")}
    elif table == "events":
        linked_many = many("entity_refs")
        new = {
            "entities": [_unique(e.name for e in es) for es in linked_many],
            "entity_ids": [_unique(e.entity_id for e in es) for es in linked_many],
        }
    for column, values in new.items():
        index = data.schema.get_field_index(column)
        field_ = data.schema.field(index)
        data = data.set_column(index, field_, pa.array(values, type=field_.type))
    return data


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def link_frames(
    frames: dict[str, pd.DataFrame], *, postings: Sequence[pa.Table] = ()
) -> dict[str, pd.DataFrame]:
    """Link entities across in-memory per-document tables, add the entities table, and find
    the stories (their words from `postings`, the search index's rows of these articles)."""
    mentions = to_arrow("mentions", frames["mentions"])
    doc_entities = _collect_doc_entities([mentions])
    links = entities_mod.link_corpus(doc_entities)
    linked = {
        name: _link_table(name, to_arrow(name, frame), links) for name, frame in frames.items()
    }

    def read(table: str, columns: list[str]) -> list[pa.Table]:
        return [t.select(columns) for t in (postings if table == "postings" else [linked[table]])]

    found = _find_stories(read, doc_entities, links)
    tables: dict[str, Iterable[pa.Table]] = found.added_to({n: [t] for n, t in linked.items()})
    out = {name: from_arrow(name, pa.concat_tables(list(data))) for name, data in tables.items()}
    out["entities"] = build_entities(doc_entities, links)
    return {name: out[name] for name in (*frames, "entities", "stories")}


def _merge(store: Store, plan: _Plan, manifest: dict[str, Any]) -> dict[str, int]:
    """Write every table for the current corpus into the store and commit it.

    Streams: rows go from the parts and the committed tables to the new files in bounded
    batches; what is held whole is one entry per (article, entity) for the corpus-wide linking.
    """
    sources = _sources(store, plan, manifest["pipeline_version"])
    mention_cols = ["doc_id", "entity_ref", "text", "type", "published"]
    doc_entities = _collect_doc_entities(store.read_rows("mentions", sources, columns=mention_cols))
    links = entities_mod.link_corpus(doc_entities)
    entities = build_entities(doc_entities, links)
    found = _find_stories(_reader(store, sources), doc_entities, links)
    del doc_entities  # only `links` is needed from here on

    def linked(table: str) -> Iterator[pa.Table]:
        for data in _coalesced(store.read_rows(table, sources), MERGE_ROWS):
            out = _link_table(table, data, links)
            if table == "documents":  # a moved or renamed file: same rows, new path
                out = _moved(out, plan.where)
            yield out

    stored = (*DOCUMENT_TABLES, *INDEX_SCHEMAS)
    tables: dict[str, Iterable[pa.Table]] = {table: linked(table) for table in stored}
    tables["entities"] = [to_arrow("entities", entities)]
    tables = found.added_to(tables)  # documents.story_id, events.group_id, the stories table
    return store.commit_tables(tables, manifest)


def _moved(documents: pa.Table, where: dict[str, str]) -> pa.Table:
    """The documents rows with each article's path where the corpus holds it now."""
    paths = [
        where.get(d, p)
        for d, p in zip(documents["doc_id"].to_pylist(), documents["path"].to_pylist(), strict=True)
    ]
    index = documents.schema.get_field_index("path")
    return documents.set_column(index, documents.schema.field(index), pa.array(paths))


# -- stories and happenings -----------------------------------------------------------------

# Reads the given columns of a table for the current corpus, in batches.
Reader = Callable[[str, list[str]], Iterable[pa.Table]]
# Postings read per batch for the stories' words: few per-batch costs, little held at once.
_POSTINGS_ROWS = 200_000
_EVENT_COLUMNS = ["event_id", "doc_id", "date", "end_date", "granularity", "description"]


@dataclass(frozen=True)
class _Stories:
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


def _reader(store: Store, sources: Sources) -> Reader:
    def read(table: str, columns: list[str]) -> Iterator[pa.Table]:
        rows = _POSTINGS_ROWS if table == "postings" else MERGE_ROWS
        return store.read_rows(table, sources, columns=columns, batch_size=rows)

    return read


def _find_stories(read: Reader, doc_entities: Iterable[DocEntity], links: Links) -> _Stories:
    """Group the current corpus into stories and its events into happenings."""
    documents = _frame(read, "documents", ["doc_id", "published", "source"])
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for entity in doc_entities:
        counts[(entity.doc_id, links[(entity.doc_id, entity.ref)].entity_id)] += entity.n_mentions
    entities = pd.DataFrame(
        {
            "doc_id": [d for d, _ in counts],
            "entity_id": [e for _, e in counts],
            "n": list(counts.values()),
        }
    )
    names = {e.entity_id: e.name for e in links.values()}
    terms = stories_mod.count_terms(read("postings", ["doc_id", "term", "lemma"]))
    found = stories_mod.find_stories(documents, entities, terms, names)
    story_of = {doc: s.story_id for s in found for doc in s.doc_ids}
    del documents, entities, terms
    events = _frame(read, "events", [*_EVENT_COLUMNS, "entity_refs"])
    events["entity_ids"] = [
        [e.entity_id for r in refs if (e := links.get((d, r))) is not None]
        for d, refs in zip(events["doc_id"], events["entity_refs"], strict=True)
    ]
    group_of = happenings.group_events(events, story_of)
    return _Stories(story_of, group_of, to_arrow("stories", build_stories(found)))


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
