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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.analyze import PROBLEMS, analyze_articles, pipeline_version
from analysis.corpus import Article, Notice, Problem, iter_corpus, read_file
from analysis.edits import ROW_KINDS, Applied, Edit, EditError, LogProblem, Status, apply_edits
from analysis.engines import Engine, LocalEngine
from analysis.extract import entities as entities_mod
from analysis.extract.entities import CorpusEntity, DocEntity
from analysis.search.index import INDEX_SCHEMAS
from analysis.store import (
    HELD,
    HELD_TABLES,
    ROW,
    Sources,
    Store,
    arrow_schema,
    from_arrow,
    held_name,
    to_arrow,
)
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
            if _edits_stale(store, old):  # the log changed since the tables were written
                kept = {**manifest, "tables": summary.tables}
                summary.notices += _notices(store, refresh(store, base=kept))
            elif _describes_run(old) != _describes_run(manifest):  # e.g. a new unreadable file
                store.commit_manifest(
                    {**manifest, "edits": old.get("edits"), "tables": summary.tables}
                )
            else:
                store.clear_work()  # parts left by a run that crashed after its commit
            return _finish(summary, started)
        summary.tables, report = _merge(store, plan, manifest)
        summary.notices += _notices(store, report)
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
                # The article's own type is in its ref; the column holds the corpus type the
                # last linking (and edits) gave, which must not feed back into the linking.
                if ":" in ref:
                    type_ = ref.split(":", 1)[0]
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


Key = tuple[str, str]
Links = dict[Key, CorpusEntity]


def _link_table(
    table: str, data: pa.Table, links: Mapping[Key, CorpusEntity], applied: Applied | None = None
) -> pa.Table:
    """Fill the corpus entity columns of one Arrow table from the article-level refs.

    Works on the few columns concerned as Python lists: no pandas round trip of whole rows.
    With `applied` (the edits), a hidden entity leaves no id and no name in a row, and each
    quote's speaker is recomputed from its own columns, then set where an edit says.
    """
    if table not in _LINKED or data.num_rows == 0:
        return data
    docs = data["doc_id"].to_pylist()
    gone: list[bool] = []  # per row of the last `one` column: the entity is hidden

    def one(column: str) -> list[CorpusEntity | None]:
        refs = data[column].to_pylist()
        if applied is not None and applied.changes_entities:
            gone[:] = [
                r is not None and applied.is_hidden((d, r)) for d, r in zip(docs, refs, strict=True)
            ]
        else:
            gone[:] = [False] * len(refs)
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
        return [
            None if g else getattr(e, attr) if e else k
            for e, k, g in zip(linked, kept, gone, strict=True)
        ]

    new: dict[str, list[Any]] = {}
    if table == "mentions":
        linked = one("entity_ref")
        gone[:] = [False] * len(linked)  # a hidden entity's mentions are held whole, type and all
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
        if applied is not None:
            new["speaker"] = _speakers(data, linked, gone, new, applied)
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


def _speakers(
    data: pa.Table,
    linked: list[CorpusEntity | None],
    gone: list[bool],
    new: dict[str, list[Any]],
    applied: Applied,
) -> list[str | None]:
    """Each quote's speaker as analysed (not as last stored: an undone edit may be there),
    then the speaker edits: names, and in `new`, ids."""
    refs = data["speaker_ref"].to_pylist()
    texts = data["speaker_text"].to_pylist()
    speakers: list[str | None] = [
        None if g else e.name if e else t if r is None else r.split(":", 1)[-1]
        for e, r, t, g in zip(linked, refs, texts, gone, strict=True)
    ]
    if applied.speakers:
        ids = new["speaker_entity_id"]
        for i, quote in enumerate(data["quote_id"].to_pylist()):
            if quote in applied.speakers:
                who = applied.speakers[quote]
                speakers[i] = None if who is None else who.name
                ids[i] = None if who is None else who.entity_id
    return speakers


def _held_mask(table: str, data: pa.Table, applied: Applied) -> list[bool] | None:
    """Which rows of a linked batch the edits take out (None: none of them)."""
    applied.seen(table, data[_ID[table]].to_pylist() if table in applied.pending else ())
    if table == "mentions" and applied.changes_entities:
        docs, refs = data["doc_id"].to_pylist(), data["entity_ref"].to_pylist()
        mask = [
            r is not None and applied.is_hidden((d, r)) for d, r in zip(docs, refs, strict=True)
        ]
        return mask if any(mask) else None
    rejected = applied.rejected.get(table)
    if rejected:
        found = pc.is_in(data[_ID[table]], value_set=pa.array(sorted(rejected), pa.string()))
        mask = found.fill_null(False).to_pylist()
        return mask if any(mask) else None
    return None


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

    doc_entities, links = _linking(read)
    applied = apply_edits(doc_entities, links, edits) if editing else None
    stored = (*DOCUMENT_TABLES, *INDEX_SCHEMAS)
    tables = _edited_tables(read, stored, doc_entities, links, applied, where=plan.where)
    del doc_entities
    counts = store.commit_tables(tables, lambda: _with_edits(store, manifest, applied, problems))
    return _table_counts(counts), [] if applied is None else applied.report()


Reader = Callable[[str, "list[str] | None"], Iterator[pa.Table]]
_MENTION_COLUMNS = ["doc_id", "entity_ref", "text", "type", "published"]
_ID = {"quotes": "quote_id", "figures": "figure_id", "events": "event_id", "mentions": "doc_id"}


def _linking(read: Reader) -> tuple[list[DocEntity], Links]:
    """The articles' entities and their corpus entities, linked across the whole corpus."""
    doc_entities = _collect_doc_entities(read("mentions", _MENTION_COLUMNS))
    return doc_entities, entities_mod.link_corpus(doc_entities)


def _edited_tables(
    read: Reader,
    names: Sequence[str],
    doc_entities: list[DocEntity],
    links: Links,
    applied: Applied | None,
    *,
    where: dict[str, str] | None = None,
) -> dict[str, Iterable[pa.Table]]:
    """The tables `names` linked (and edited, with `applied`), the entities, the held rows.

    Lazy: each table's rows stream when the commit writes it. The rows the edits take out
    are collected while their table streams (they are few) and written after it, each with
    its position among the table's rows.
    """
    use: Mapping[Key, CorpusEntity] = links if applied is None else applied.links
    kept = doc_entities
    if applied is not None and applied.changes_entities:
        kept = [d for d in doc_entities if not applied.is_hidden((d.doc_id, d.ref))]
    entities = build_entities(kept, use)
    del kept
    held: dict[str, list[pa.Table]] = {t: [] for t in HELD_TABLES}

    def linked(table: str) -> Iterator[pa.Table]:
        position = 0
        for data in _coalesced(read(table, None), MERGE_ROWS):
            out = _link_table(table, data, use, applied)
            if applied is not None and table in _LINKED:
                mask = _held_mask(table, out, applied)
                if mask is not None:
                    rows = pa.array(mask)
                    off = out.filter(rows)
                    at = [position + i for i, m in enumerate(mask) if m]
                    held[table].append(off.append_column(ROW, pa.array(at, pa.int64())))
                    out = out.filter(pc.invert(rows))
            position += data.num_rows
            if table == "documents" and where is not None:  # a moved file: same rows, new path
                out = _moved(out, where)
            yield out

    def later(table: str) -> Iterator[pa.Table]:
        yield arrow_schema(held_name(table)).empty_table()
        yield from held[table]

    tables: dict[str, Iterable[pa.Table]] = {table: linked(table) for table in names}
    tables["entities"] = [to_arrow("entities", entities)]
    if applied is not None:
        for table in HELD_TABLES:
            tables[held_name(table)] = later(table)
    return tables


def _table_counts(counts: dict[str, int]) -> dict[str, int]:
    return {t: n for t, n in counts.items() if "/" not in t}


def _with_edits(
    store: Store, manifest: dict[str, Any], applied: Applied | None, problems: list[LogProblem]
) -> dict[str, Any]:
    """The manifest with what became of each edit (`edit --list` shows it)."""
    if applied is None:
        return {k: v for k, v in manifest.items() if k != "edits"}
    return {
        **manifest,
        "edits": {
            "digest": store.edits_digest(),
            "status": [
                {"edit_id": s.edit_id, "line": s.line, "applied": s.applied, "message": s.message}
                for s in applied.report()
            ],
            "problems": [{"line": p.line, "reason": p.reason} for p in problems],
        },
    }


def _edits_stale(store: Store, manifest: dict[str, Any]) -> bool:
    """Whether the log differs from the one the tables were last edited with."""
    recorded = (manifest.get("edits") or {}).get("digest")
    return store.edits_digest() != recorded


def _notices(store: Store, report: Sequence[Status]) -> list[Notice]:
    """The edits that did not apply, and the log lines that do not parse, as run notices."""
    path = str(store.edits_path)
    notes = [
        Notice(f"{path}:{s.line}", f"edit {s.edit_id} not applied: {s.message}")
        for s in report
        if not s.applied and not s.message.startswith("undone by")
    ]
    _, problems = store.read_edits()
    notes += [Notice(f"{path}:{p.line}", f"skipped: {p.reason}") for p in problems]
    return notes


# -- corrections ------------------------------------------------------------------------------


def refresh(store: Store, *, base: dict[str, Any] | None = None) -> list[Status]:
    """Re-apply the whole log to the tables as analysed and commit them. Inside `writing()`.

    The committed tables keep every article-level `*_ref`, and the rows edits took out are
    held beside them, so the linking before any edit is recomputed exactly from the store.
    """
    edits, problems = store.read_edits()
    doc_entities, links = _linking(store.read_raw)
    applied = apply_edits(doc_entities, links, edits)
    tables = _edited_tables(store.read_raw, _LINKED, doc_entities, links, applied)
    del doc_entities
    manifest = base if base is not None else store.manifest()
    store.commit_tables(tables, lambda: _with_edits(store, manifest, applied, problems))
    return applied.report()


def record_edit(store_root: str | Path, edit: Edit, *, wait: bool = True) -> list[Status]:
    """Check `edit` against the store, append it to the log and apply the log at once.

    An edit that cannot apply (an unknown or ambiguous name, a row not in the store, an undo
    of nothing) raises `EditError` and changes nothing. Returns every edit's status.
    """
    store = Store(store_root)
    with store.writing(wait=wait):
        edits, problems = store.read_edits()
        edit = replace(edit, line=store.edits_lines() + 1)
        if edit.kind in ROW_KINDS:
            _check_row(store, edit)
        doc_entities, links = _linking(store.read_raw)
        applied = apply_edits(doc_entities, links, [*edits, edit])
        status = applied.statuses.get(edit.edit_id)
        if status is None or not status.applied:
            message = status.message if status else "the edit does not apply"
            raise EditError(message, status.candidates if status else ())
        store.append_edit(edit)
        # From here a crash leaves the log ahead of the tables: the next writer re-applies it.
        tables = _edited_tables(store.read_raw, _LINKED, doc_entities, links, applied)
        del doc_entities
        manifest = store.manifest()
        store.commit_tables(tables, lambda: _with_edits(store, manifest, applied, problems))
        return applied.report()


def _check_row(store: Store, edit: Edit) -> None:
    from analysis.edits import REJECTABLE

    if edit.kind == "speaker":
        table, column, what = "quotes", "quote_id", "quote"
    else:
        table, column = REJECTABLE[edit.value or ""]
        what = edit.value or ""
    if not store.has_row(table, column, edit.targets[0]):
        raise EditError(f"no {what} {edit.targets[0]!r} in the store (see its {column} column)")


def edit_log(store_root: str | Path) -> tuple[list[tuple[Edit, str]], list[LogProblem]]:
    """Each edit of the log with its status in words, and the lines that do not parse."""
    store = Store(store_root)
    edits, problems = store.read_edits()
    manifest = store.manifest()
    recorded = manifest.get("edits") or {}
    stale = _edits_stale(store, manifest)
    statuses = {s["edit_id"]: s for s in recorded.get("status", [])}
    out: list[tuple[Edit, str]] = []
    for edit in edits:
        found = statuses.get(edit.edit_id)
        if found is None or (stale and found.get("line") != edit.line):
            status = "pending: the tables show it after the next edit or analyze"
        elif found["applied"]:
            status = "applied"
        elif str(found["message"]).startswith("undone by"):
            status = str(found["message"])
        else:
            status = f"not applied: {found['message']}"
        out.append((edit, status))
    return out, problems


def _moved(documents: pa.Table, where: dict[str, str]) -> pa.Table:
    """The documents rows with each article's path where the corpus holds it now."""
    paths = [
        where.get(d, p)
        for d, p in zip(documents["doc_id"].to_pylist(), documents["path"].to_pylist(), strict=True)
    ]
    index = documents.schema.get_field_index("path")
    return documents.set_column(index, documents.schema.field(index), pa.array(paths))
