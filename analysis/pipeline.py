"""From files to a committed store: plan, analyse in batches, merge entities, commit.

Data flows one way: files -> Article -> one spaCy pass -> extractors -> records -> tables ->
store. A run analyses only what is new or changed (by content hash and pipeline version),
keeps the rows of unchanged articles, drops those of articles no longer in the corpus, and
links entities across the whole corpus before it commits.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from analysis import nlp as nlp_mod
from analysis.analyze import PARSE_BATCH, PROBLEMS, analyze_parsed, pipeline_version
from analysis.copies import Copies, find_near_copies
from analysis.corpus import Article, Notice, Problem, iter_corpus, read_file
from analysis.edits import Status, apply_edits
from analysis.engines import Engine, LocalEngine
from analysis.fields import check_fields
from analysis.grouping import find_stories
from analysis.relink import (
    edit_log,
    edited_tables,
    edits_stale,
    link_frames,
    linking,
    notices,
    record_edit,
    refresh,
    table_counts,
    with_edits,
)
from analysis.search import index as index_mod
from analysis.search.index import INDEX_SCHEMAS
from analysis.store import HELD, Sources, Store
from analysis.tables import DOCUMENT_TABLES, build_document_tables
from analysis.version import __version__

if TYPE_CHECKING:
    from spacy.language import Language

Progress = Callable[[int, int], None]
# Re-exported: the corrections are recorded and listed through the pipeline's API too.
__all__ = ["RunSummary", "analyze_texts", "edit_log", "record_edit", "refresh", "run"]

DEFAULT_BATCH = 64


# -- articles in memory ---------------------------------------------------------------------


def analyze_texts(nlp: Language, articles: Sequence[Article]) -> dict[str, pd.DataFrame]:
    """Every table for articles in memory, entities linked, stories found: no store involved."""
    results, postings = [], []
    for article, doc in nlp_mod.parse(nlp, articles, batch_size=PARSE_BATCH):
        results.append(analyze_parsed(article, doc))
        postings.append(index_mod.postings(article.doc_id, doc, article.published))
    frames = build_document_tables(results)
    linked = link_frames(frames, postings=postings)
    # In the order the store keeps them (`analysis.store.SORTED_TABLES`): by doc_id.
    linked["documents"] = linked["documents"].sort_values("doc_id", ignore_index=True)
    return linked


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
    copies: dict[str, Article] = field(default_factory=dict)  # exact copies: never analysed
    fields: Mapping[str, str] | None = None  # export columns named by the user (`load_corpus`)


def run(
    paths: Sequence[str | Path],
    store_root: str | Path,
    *,
    nlp: Language | None = None,
    engine: Engine | None = None,
    batch_size: int = DEFAULT_BATCH,
    progress: Progress | None = None,
    wait: bool = True,
    fields: Mapping[str, str] | None = None,
) -> RunSummary:
    """Analyse the corpus under `paths` into the store at `store_root`, incrementally.

    `fields` names the columns of CSV / JSON exports that hold an article's fields
    (`{"date": "publish_date"}`), as for `load_corpus`."""
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
        plan = _plan(paths, stored_sha, resumable, summary, fields=fields)
        for doc_id in _orphaned_copies(store, version, plan, stored_sha):
            del stored_sha[doc_id]  # analysed again, as a new article would be
            plan.todo[plan.where[doc_id]].add(doc_id)
            plan.n_todo += 1
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
        summary.removed = sum(1 for d in stored if d not in plan.current and d not in plan.copies)
        if summary.articles == 0:
            return _finish(summary, started)  # never replace a store with an empty corpus
        manifest = _manifest(plan, version, summary)
        same_rows = (
            done == summary.resumed == summary.removed == 0
            and stored.keys() == plan.current.keys() | plan.copies.keys()
            and all(stored[d][1] == path for d, path in plan.where.items())
            and all(stored_sha.get(d) == a.sha256 for d, a in plan.copies.items())
        )
        if same_rows:
            # Nothing to analyse and no row to change: no merge, no rewrite of any table.
            old = store.manifest()
            summary.tables = old.get("tables", {})
            if edits_stale(store, old):  # the log changed since the tables were written
                kept = {**manifest, "tables": summary.tables}
                summary.notices += notices(store, refresh(store, base=kept))
            elif _describes_run(old) != _describes_run(manifest):  # e.g. a new unreadable file
                store.commit_manifest(
                    {**manifest, "edits": old.get("edits"), "tables": summary.tables}
                )
            else:
                store.clear_work()  # parts left by a run that crashed after its commit
            return _finish(summary, started)
        summary.tables, report = _merge(store, plan, manifest)
        summary.notices += notices(store, report)
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
    *,
    fields: Mapping[str, str] | None = None,
) -> _Plan:
    """First pass over the files: which articles exist now and which need the model."""
    plan = _Plan(paths=[Path(p) for p in paths], fields=fields)
    for event in iter_corpus(paths, fields=fields):
        if isinstance(event, Problem):
            summary.problems.append(event)
        elif isinstance(event, Notice):
            summary.notices.append(event)
        elif event.copy_of:
            plan.copies[event.doc_id] = event
        else:
            sha = event.sha256
            plan.current[event.doc_id] = sha
            plan.where[event.doc_id] = event.path
            if stored.get(event.doc_id) != sha and resumable.get(event.doc_id) != sha:
                plan.todo[event.path].add(event.doc_id)
                plan.n_todo += 1
    return plan


def _orphaned_copies(store: Store, version: str, plan: _Plan, stored: dict[str, str]) -> list[str]:
    """Stored near copies, unchanged, whose first copy is gone or changed: the store holds no
    other rows of theirs (a copy's rows are the first copy's), so they are analysed again."""
    if not stored:
        return []
    docs = store.read("documents", columns=["doc_id", "copy_of"])
    return [
        doc_id
        for doc_id, first in zip(docs["doc_id"], docs["copy_of"], strict=True)
        if first
        and doc_id in plan.current
        and stored.get(doc_id) == plan.current[doc_id]
        and doc_id not in plan.todo.get(plan.where[doc_id], ())
        and (first not in plan.current or stored.get(first) != plan.current[first])
    ]


def _batches(plan: _Plan, size: int) -> Iterator[list[Article]]:
    """Second pass: re-read only the files holding articles to analyse, in batches."""
    batch: list[Article] = []
    for path, ids in plan.todo.items():
        for event in read_file(Path(path), fields=check_fields(plan.fields)):
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


def _merge(
    store: Store, plan: _Plan, manifest: dict[str, Any]
) -> tuple[dict[str, int], list[Status]]:
    """Write every table for the current corpus into the store and commit it.

    Streams: rows go from the parts and the committed tables to the new files in bounded
    batches; what is held whole is one entry per (article, entity) for the corpus-wide linking.
    The edits of the log are applied after the linking, before anything is written.
    """
    sources = _sources(store, plan, manifest["pipeline_version"])
    edits, problems = store.read_edits()
    editing = bool(edits or problems) or store.has_held()
    if editing:  # the committed articles' rows that edits took out are theirs too
        sources = [*sources, *((store.root / HELD, ids) for f, ids in sources if f == store.root)]

    def read(table: str, columns: list[str] | None) -> Iterator[pa.Table]:
        return store.read_rows(table, sources, columns=columns)

    doc_entities, links = linking(read)
    applied = apply_edits(doc_entities, links, edits) if editing else None
    # Near-duplicates of an earlier article: their rows are the first copy's, not counted twice.
    found_copies = find_near_copies(read)
    near = found_copies.copy_of
    counted = [d for d in doc_entities if d.doc_id not in near] if near else doc_entities
    stored = (*DOCUMENT_TABLES, *INDEX_SCHEMAS)
    tables = edited_tables(read, stored, counted, links, applied, where=plan.where)
    if found_copies.computed.num_rows:  # articles stored before signatures were kept
        tables["signatures"] = itertools.chain(tables["signatures"], [found_copies.computed])
    # documents.story_id, events.group_id and the stories table, by the edited entities
    found = find_stories(read, doc_entities, links if applied is None else applied.links)
    tables = found.added_to(tables)
    # copy_of, the exact copies' documents rows, and no other rows of any copy
    tables = Copies(exact=plan.copies, near=near).added_to(tables)
    del doc_entities, counted
    counts = store.commit_tables(tables, lambda: with_edits(store, manifest, applied, problems))
    return table_counts(counts), [] if applied is None else applied.report()
