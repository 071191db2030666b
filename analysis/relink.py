"""Linking an analysis's rows across the corpus, with the corrections applied.

Below `pipeline` (which plans and runs an analysis) and used by it: the entities of every
article are linked across the corpus, the edits of the log (`analysis.edits`) are applied to
that linking, and the tables' entity columns are filled from each row's `*_ref` columns. The
same code re-applies the log at once after `newslens edit` (`record_edit`, `refresh`): the
committed tables keep their refs and the store holds the rows edits took out, so the linking
before any edit is recomputed exactly from the store itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analysis.copies import Copies, near_copies
from analysis.corpus import Notice
from analysis.edits import (
    REJECTABLE,
    ROW_KINDS,
    Applied,
    Edit,
    EditError,
    LogProblem,
    Status,
    apply_edits,
)
from analysis.extract import entities as entities_mod
from analysis.extract.entities import CorpusEntity, DocEntity
from analysis.grouping import find_stories
from analysis.store import HELD_TABLES, ROW, Store, arrow_schema, from_arrow, held_name, to_arrow
from analysis.tables import build_entities

# Rows per batch while merging: big enough that per-batch costs vanish, small enough that the
# merge's memory does not grow with the corpus.
MERGE_ROWS = 10_000
# Tables whose entity columns are filled when merging; the others are copied as they are.
LINKED = ("mentions", "quotes", "figures", "events")


def coalesced(batches: Iterable[pa.Table], rows: int) -> Iterator[pa.Table]:
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


def collect_doc_entities(batches: Iterable[pa.Table]) -> list[DocEntity]:
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


def link_table(
    table: str, data: pa.Table, links: Mapping[Key, CorpusEntity], applied: Applied | None = None
) -> pa.Table:
    """Fill the corpus entity columns of one Arrow table from the article-level refs.

    Works on the few columns concerned as Python lists: no pandas round trip of whole rows.
    With `applied` (the edits), a hidden entity leaves no id and no name in a row, and each
    quote's speaker is recomputed from its own columns, then set where an edit says.
    """
    if table not in LINKED or data.num_rows == 0:
        return data
    docs = data["doc_id"].to_pylist()
    gone: list[bool] = []  # per row of the last `one` column: the entity is hidden
    hidden = applied.hidden if applied is not None else frozenset()

    def one(column: str) -> list[CorpusEntity | None]:
        refs = data[column].to_pylist()
        gone[:] = [False] * len(refs)
        for i in hidden_rows(data, column, hidden):
            gone[i] = True
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
        wanted = pa.array(list(applied.speakers), pa.string())
        rows = pc.indices_nonzero(pc.is_in(data["quote_id"], value_set=wanted).fill_null(False))
        quotes = data["quote_id"].to_pylist()
        for i in rows.to_pylist():
            who = applied.speakers[quotes[i]]
            speakers[i] = None if who is None else who.name
            ids[i] = None if who is None else who.entity_id
    return speakers


def hidden_rows(data: pa.Table, column: str, hidden: frozenset[Key]) -> list[int]:
    """The rows of a batch whose `column` ref is a hidden entity of their article.

    Arrow narrows to the rows holding a hidden ref first: hidden entities are few, rows many.
    """
    if not hidden:
        return []
    refs = pa.array(sorted({r for _, r in hidden}), pa.string())
    candidates = pc.indices_nonzero(pc.is_in(data[column], value_set=refs).fill_null(False))
    if not len(candidates):
        return []
    rows = candidates.to_pylist()
    docs = data["doc_id"].take(candidates).to_pylist()
    found = data[column].take(candidates).to_pylist()
    return [i for i, d, r in zip(rows, docs, found, strict=True) if (d, r) in hidden]


def _held_mask(table: str, data: pa.Table, applied: Applied) -> pa.Array | None:
    """Which rows of a linked batch the edits take out (None: none of them)."""
    if table in applied.pending:
        applied.seen(table, data[_ID[table]])
    if table == "mentions" and applied.hidden:
        rows = hidden_rows(data, "entity_ref", applied.hidden)
        if not rows:
            return None
        mask = np.zeros(data.num_rows, dtype=bool)
        mask[rows] = True
        return pa.array(mask)
    rejected = applied.rejected.get(table)
    if rejected:
        found = pc.is_in(data[_ID[table]], value_set=pa.array(sorted(rejected), pa.string()))
        found = found.fill_null(False)
        return found if pc.any(found).as_py() else None
    return None


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def link_frames(
    frames: dict[str, pd.DataFrame], *, postings: Sequence[pa.Table] = ()
) -> dict[str, pd.DataFrame]:
    """Link entities across in-memory per-document tables, add the entities table, and find
    the stories (their words from `postings`, the search index's rows of these articles)."""
    mentions = to_arrow("mentions", frames["mentions"])
    doc_entities = collect_doc_entities([mentions])
    links = entities_mod.link_corpus(doc_entities)
    linked = {
        name: link_table(name, to_arrow(name, frame), links) for name, frame in frames.items()
    }

    def read(table: str, columns: list[str] | None) -> list[pa.Table]:
        source = postings if table == "postings" else [linked[table]]
        return [t.select(columns) if columns else t for t in source]

    found = find_stories(read, doc_entities, links)
    tables: dict[str, Iterable[pa.Table]] = found.added_to({n: [t] for n, t in linked.items()})
    near = near_copies(read("documents", ["doc_id", "published", "text"]))
    tables = Copies(exact={}, near=near).added_to(tables)
    out = {name: from_arrow(name, pa.concat_tables(list(data))) for name, data in tables.items()}
    out["entities"] = build_entities(doc_entities, links)
    return {name: out[name] for name in (*frames, "entities", "stories")}


Reader = Callable[[str, "list[str] | None"], Iterator[pa.Table]]
_MENTION_COLUMNS = ["doc_id", "entity_ref", "text", "type", "published"]
_ID = {"quotes": "quote_id", "figures": "figure_id", "events": "event_id", "mentions": "doc_id"}


def linking(read: Reader) -> tuple[list[DocEntity], Links]:
    """The articles' entities and their corpus entities, linked across the whole corpus."""
    doc_entities = collect_doc_entities(read("mentions", _MENTION_COLUMNS))
    return doc_entities, entities_mod.link_corpus(doc_entities)


def edited_tables(
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
    if applied is not None and applied.hidden:
        kept = [d for d in doc_entities if (d.doc_id, d.ref) not in applied.hidden]
    entities = build_entities(kept, use)
    del kept
    held: dict[str, list[pa.Table]] = {t: [] for t in HELD_TABLES}

    def linked(table: str) -> Iterator[pa.Table]:
        position = 0
        for data in coalesced(read(table, None), MERGE_ROWS):
            out = link_table(table, data, use, applied)
            if applied is not None and table in LINKED:
                mask = _held_mask(table, out, applied)
                if mask is not None:
                    at = pc.add(pc.indices_nonzero(mask), position).cast(pa.int64())
                    held[table].append(out.filter(mask).append_column(ROW, at))
                    out = out.filter(pc.invert(mask))
            position += data.num_rows
            if table == "documents" and where is not None:  # a moved file: same rows, new path
                out = moved(out, where)
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


def table_counts(counts: dict[str, int]) -> dict[str, int]:
    return {t: n for t, n in counts.items() if "/" not in t}


def with_edits(
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


def edits_stale(store: Store, manifest: dict[str, Any]) -> bool:
    """Whether the log differs from the one the tables were last edited with."""
    recorded = (manifest.get("edits") or {}).get("digest")
    return store.edits_digest() != recorded


def notices(store: Store, report: Sequence[Status]) -> list[Notice]:
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
    doc_entities, links = linking(store.read_raw)
    applied = apply_edits(doc_entities, links, edits)
    tables = edited_tables(store.read_raw, LINKED, doc_entities, links, applied)
    del doc_entities
    manifest = base if base is not None else store.manifest()
    store.commit_tables(tables, lambda: with_edits(store, manifest, applied, problems))
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
        doc_entities, links = linking(store.read_raw)
        applied = apply_edits(doc_entities, links, [*edits, edit])
        status = applied.statuses.get(edit.edit_id)
        if status is None or not status.applied:
            message = status.message if status else "the edit does not apply"
            raise EditError(message, status.candidates if status else ())
        store.append_edit(edit)
        # From here a crash leaves the log ahead of the tables: the next writer re-applies it.
        tables = edited_tables(store.read_raw, LINKED, doc_entities, links, applied)
        del doc_entities
        manifest = store.manifest()
        store.commit_tables(tables, lambda: with_edits(store, manifest, applied, problems))
        return applied.report()


def _check_row(store: Store, edit: Edit) -> None:
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
    stale = edits_stale(store, manifest)
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


def moved(documents: pa.Table, where: dict[str, str]) -> pa.Table:
    """The documents rows with each article's path where the corpus holds it now."""
    paths = [
        where.get(d, p)
        for d, p in zip(documents["doc_id"].to_pylist(), documents["path"].to_pylist(), strict=True)
    ]
    index = documents.schema.get_field_index("path")
    return documents.set_column(index, documents.schema.field(index), pa.array(paths))
