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

from analysis.analyze import PROBLEMS, analyze_articles, pipeline_version
from analysis.corpus import Article, Notice, Problem, iter_corpus, read_file
from analysis.engines import Engine, LocalEngine
from analysis.extract import entities as entities_mod
from analysis.extract.entities import CorpusEntity, DocEntity
from analysis.search.index import INDEX_SCHEMAS
from analysis.store import Sources, Store, from_arrow, to_arrow
from analysis.tables import DOCUMENT_TABLES, build_document_tables, build_entities
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
    """All seven tables for articles in memory, entities linked: no store involved."""
    frames = build_document_tables(list(analyze_articles(nlp, articles)))
    return link_frames(frames)


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


def link_frames(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Link entities across in-memory per-document tables and add the entities table."""
    mentions = to_arrow("mentions", frames["mentions"])
    doc_entities = _collect_doc_entities([mentions])
    links = entities_mod.link_corpus(doc_entities)
    out = {
        name: from_arrow(name, _link_table(name, to_arrow(name, frame), links))
        for name, frame in frames.items()
    }
    out["entities"] = build_entities(doc_entities, links)
    return out


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
    return store.commit_tables(tables, manifest)


def _moved(documents: pa.Table, where: dict[str, str]) -> pa.Table:
    """The documents rows with each article's path where the corpus holds it now."""
    paths = [
        where.get(d, p)
        for d, p in zip(documents["doc_id"].to_pylist(), documents["path"].to_pylist(), strict=True)
    ]
    index = documents.schema.get_field_index("path")
    return documents.set_column(index, documents.schema.field(index), pa.array(paths))
