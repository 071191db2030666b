"""The store: one Parquet file per table in a folder, changed only by atomic commits.

Layout of a store folder:

    documents.parquet ... events.parquet   the seven tables
    manifest.json                          pipeline version, row counts, problems of the last run
    edits.jsonl                            corrections, one JSON object a line (append-only)
    held/<table>.parquet                   rows edits took out (hidden mentions, rejected
                                           figures and events), each with its position `_row`
    .lock                                  held by the one run that may write
    .work/parts/<batch>/<table>.parquet    batches analysed by a run not yet committed
    .next/                                 a commit in progress (see `Store.commit`)

A run analyses articles into `.work/parts` batch by batch; a run that is killed leaves the
tables untouched, and the next run reuses the batches it finds there. A commit writes every
new table into `.next/`, marks it complete, then moves the files into place; a crash between
those steps is rolled forward (marker present) or back (marker absent) by the next writer.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.edits import Edit, LogProblem, parse_log
from analysis.search.index import INDEX_ORDER, INDEX_SCHEMAS, PARQUET_OPTIONS
from analysis.tables import LIST, SCHEMAS, TABLES, conform, empty

MANIFEST = "manifest.json"
EDITS = "edits.jsonl"
# Rows that edits take out of a table are kept here, so that an undo can put them back in place.
HELD = "held"
HELD_TABLES = ("mentions", "figures", "events")
ROW = "_row"  # a held row's position among the table's rows as linked, before the edits
COMMITTED = "COMMITTED"
_LAST_PART = 0
# Rows read from a Parquet file at a time by `read_rows`: few enough that reading the tables of
# a large corpus for a merge holds little at once.
READ_ROWS = 10_000
# Articles per row group of the documents table, which is written sorted by doc_id: a page that
# shows a few articles' text (the context of a page of search hits, the reader) decompresses
# the row groups that hold them, found by their doc_id range, and not every article's body.
DOCUMENT_ROWS = 1024
# The tables written in an order, and how: the search index sorted by term (see
# `analysis.search.index`), the articles by doc_id in small row groups.
SORTED_TABLES: dict[str, tuple[list[tuple[str, str]], dict[str, Any]]] = {
    **{table: (order, PARQUET_OPTIONS) for table, order in INDEX_ORDER.items()},
    "documents": (
        [("doc_id", "ascending")],
        {"compression": "zstd", "row_group_size": DOCUMENT_ROWS},
    ),
}

# Where to take rows from: each folder (a part, or the store's own committed tables) with the
# doc ids whose rows to read from it.
Sources = Sequence[tuple[Path, pa.Array]]


class StoreLockedError(RuntimeError):
    """Another run holds the store's lock."""


class StoreError(RuntimeError):
    """A store folder that cannot be read."""


def held_name(table: str) -> str:
    """The name (a path in the store) of the file that keeps the rows edits took from `table`."""
    return f"{HELD}/{table}"


def arrow_schema(table: str) -> pa.Schema:
    """The Parquet schema of a table, from its pandas dtypes (the search index's its own)."""
    if table.startswith(f"{HELD}/"):
        return arrow_schema(table.split("/", 1)[1]).append(pa.field(ROW, pa.int64()))
    if table in INDEX_SCHEMAS:
        return INDEX_SCHEMAS[table]
    kinds = {
        "str": pa.string(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "bool": pa.bool_(),
        "datetime64[ms]": pa.timestamp("ms"),
        LIST: pa.list_(pa.string()),
    }
    return pa.schema([(c, kinds[d]) for c, d in SCHEMAS[table].items()])


def to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    """A conformed frame as an Arrow table with the table's schema."""
    return pa.Table.from_pandas(
        conform(table, frame), schema=arrow_schema(table), preserve_index=False
    )


def from_arrow(table: str, data: pa.Table) -> pd.DataFrame:
    """An Arrow table back to a frame with the table's dtypes (list columns as Python lists)."""
    frame = data.to_pandas(date_as_object=False, types_mapper=None)
    for column, dtype in SCHEMAS[table].items():
        if dtype == LIST and column in frame.columns:
            frame[column] = frame[column].map(lambda v: [] if v is None else list(v))
    return conform(table, frame)


def write_parquet(path: Path, data: pa.Table) -> None:
    """Write `data` to `path` atomically: a temporary file, flushed, then renamed over it."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(data, tmp, compression="zstd")
        _fsync(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_sorted(source: Path, path: Path, table: str) -> None:
    """`source` rewritten to `path` as `SORTED_TABLES` says (the index sorted by term, so
    DuckDB skips row groups by term; the articles by doc_id).

    DuckDB sorts within a memory limit, spilling to disk beside the store, and the sorted rows
    stream into the writer: the index is never held whole.
    """
    import duckdb

    order, layout = SORTED_TABLES[table]
    keys = ", ".join(
        f"{column} {'ASC' if way == 'ascending' else 'DESC'} NULLS LAST" for column, way in order
    )
    con = duckdb.connect(
        ":memory:",
        config={"memory_limit": "512MB", "threads": 1, "temp_directory": str(path.parent)},
    )
    try:
        options = dict(layout)
        group = int(options.pop("row_group_size"))
        result = con.read_parquet(str(source)).order(keys).to_arrow_reader(group)
        with pq.ParquetWriter(path, arrow_schema(table), **options) as writer:
            for batch in result:
                writer.write_batch(batch.cast(arrow_schema(table)), row_group_size=group)
    finally:
        con.close()


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _sweep(base: Path, *, older_than: float = 86_400.0) -> None:
    """Drop snapshots a reader left behind (a process that died) after a day."""
    now = time.time()
    for folder in base.iterdir():
        with contextlib.suppress(OSError):
            if now - folder.stat().st_mtime > older_than:
                shutil.rmtree(folder, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    """A store folder. Reading needs no lock; writing happens inside `with store.writing():`."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    # -- reading ---------------------------------------------------------------------------

    def path(self, table: str) -> Path:
        if table not in SCHEMAS:
            raise KeyError(f"unknown table {table!r}; tables are {', '.join(TABLES)}")
        return self.root / f"{table}.parquet"

    def exists(self) -> bool:
        return (self.root / MANIFEST).is_file() or self.path("documents").is_file()

    def read(self, table: str, columns: list[str] | None = None) -> pd.DataFrame:
        """A table as a frame with the contract's dtypes (empty when the store lacks it)."""
        path = self.path(table)
        if not path.is_file():
            frame = empty(table)
            return frame[columns] if columns else frame
        try:
            data = pq.read_table(path)
        except (OSError, pa.ArrowInvalid) as err:
            raise StoreError(f"{path}: cannot read table: {err}") from err
        frame = from_arrow(table, data)
        return frame[columns] if columns else frame

    def held_path(self, table: str) -> Path:
        return self.root / f"{held_name(table)}.parquet"

    def has_held(self) -> bool:
        return (self.root / HELD).is_dir()

    def read_held(self, table: str) -> pa.Table:
        """The rows edits took out of `table`, in the order they had, with their `_row`."""
        path = self.held_path(table)
        schema = arrow_schema(held_name(table))
        if table not in HELD_TABLES or not path.is_file():
            return schema.empty_table()
        data = pq.read_table(path).select(schema.names).cast(schema)
        return data.sort_by(ROW)

    def read_raw(self, table: str, columns: list[str] | None = None) -> Iterator[pa.Table]:
        """The committed rows of `table` before the edits took any out: the table's rows with
        the held ones put back at their positions, a bounded batch at a time."""
        path = self.path(table)
        names = columns or arrow_schema(table).names
        held = self.read_held(table)
        # Held row k comes after `before[k]` of the table's rows (positions are increasing).
        before = held[ROW].to_numpy() - np.arange(held.num_rows, dtype=np.int64)
        held = held.select(names)
        index = main = 0  # held rows and table rows given so far
        batches = (
            pq.ParquetFile(path).iter_batches(batch_size=READ_ROWS, columns=names)
            if path.is_file()
            else iter(())
        )
        for batch in batches:
            data = pa.Table.from_batches([batch]).select(names).cast(held.schema)
            n = data.num_rows
            end = int(np.searchsorted(before, main + n, side="left"))
            if end > index:
                h = end - index
                at = before[index:end] - main + np.arange(h, dtype=np.int64)
                is_held = np.zeros(n + h, dtype=bool)
                is_held[at] = True
                order = np.empty(n + h, dtype=np.int64)
                order[~is_held] = np.arange(n, dtype=np.int64)
                order[is_held] = n + np.arange(h, dtype=np.int64)
                data = pa.concat_tables([data, held.slice(index, h)]).take(pa.array(order))
                index = end
            main += n
            yield data
        if index < held.num_rows:
            yield held.slice(index)

    def has_row(self, table: str, column: str, row_id: str) -> bool:
        """Whether `table` (or the rows edits took out of it) holds the row `row_id`."""
        for path in (self.path(table), self.held_path(table)):
            if path.is_file():
                found = pq.read_table(path, columns=[column], filters=[(column, "==", row_id)])
                if found.num_rows:
                    return True
        return False

    # -- the corrections log ---------------------------------------------------------------

    @property
    def edits_path(self) -> Path:
        return self.root / EDITS

    def read_edits(self) -> tuple[list[Edit], list[LogProblem]]:
        """The edits of the log, and the lines that do not parse (each skipped, with its number)."""
        if not self.edits_path.is_file():
            return [], []
        try:
            text = self.edits_path.read_bytes().decode("utf-8", errors="replace")
        except OSError as err:
            raise StoreError(f"{self.edits_path}: cannot read the edits: {err}") from err
        return parse_log(text)

    def edits_lines(self) -> int:
        """How many lines the log holds (the next edit's line number is one more)."""
        if not self.edits_path.is_file():
            return 0
        return len(self.edits_path.read_bytes().splitlines())

    def edits_digest(self) -> str | None:
        """A hash of the log as it is on disk (None without one): which log the tables show."""
        if not self.edits_path.is_file():
            return None
        return hashlib.sha256(self.edits_path.read_bytes()).hexdigest()

    def append_edit(self, edit: Edit) -> None:
        """Add `edit` at the end of the log, flushed to disk. Call inside `writing()`."""
        path = self.edits_path
        prefix = ""
        if path.is_file() and path.stat().st_size:
            with open(path, "rb") as existing:
                existing.seek(-1, os.SEEK_END)
                if existing.read(1) != b"\n":  # a hand-edited last line without its newline
                    prefix = "\n"
        with open(path, "a", encoding="utf-8") as log:
            log.write(f"{prefix}{edit.to_json()}\n")
            log.flush()
            os.fsync(log.fileno())

    def read_all(self) -> dict[str, pd.DataFrame]:
        return {table: self.read(table) for table in TABLES}

    def manifest(self) -> dict[str, Any]:
        path = self.root / MANIFEST
        if not path.is_file():
            return {}
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise StoreError(f"{path}: unreadable manifest: {err}") from err
        return data

    def committed_docs(self, version: str) -> dict[str, tuple[str, str]]:
        """The committed articles (doc_id -> sha256, path) when the tables are of `version`."""
        if self.manifest().get("pipeline_version") != version:
            return {}
        docs = self.read("documents", columns=["doc_id", "sha256", "path"])
        return {
            d: (sha, path)
            for d, sha, path in zip(docs["doc_id"], docs["sha256"], docs["path"], strict=True)
        }

    def read_rows(
        self,
        table: str,
        sources: Sources,
        *,
        columns: list[str] | None = None,
        batch_size: int = READ_ROWS,
    ) -> Iterator[pa.Table]:
        """The rows of `table` for the given docs, folder by folder, a bounded batch at a time.

        Each batch has the table's schema (or the `columns` asked for, in that order).
        """
        schema = arrow_schema(table)
        names = columns or schema.names
        wanted_schema = pa.schema([schema.field(name) for name in names])
        for folder, wanted in sources:
            path = folder / f"{table}.parquet"
            if not path.is_file():
                continue
            parquet = pq.ParquetFile(path)
            for batch in parquet.iter_batches(batch_size=batch_size, columns=columns):
                data = pa.Table.from_batches([batch])
                data = data.filter(pc.is_in(data["doc_id"], value_set=wanted))
                if data.num_rows:
                    yield data.select(names).cast(wanted_schema)

    def snapshot(
        self, names: Iterable[str], *, attempts: int = 100
    ) -> tuple[Path, dict[str, Path]]:
        """Hard links to one whole generation of the tables, in a folder of their own.

        A commit replaces the table files one by one (then the manifest), so a reader opening
        them as they are may mix two generations. The links are taken while no commit is
        rolling forward and the manifest stays the same throughout, so they are one generation;
        a commit afterwards replaces the store's names, never the linked files. Returns the
        folder (remove it when done) and each table's file there (absent tables left out).
        Raises OSError where links cannot be made (another file system, read-only media).
        """
        marker = self.root / ".next" / COMMITTED
        manifest = self.root / MANIFEST
        base = self.root / ".snapshots"
        base.mkdir(exist_ok=True)
        _sweep(base)
        for _ in range(attempts):
            before = _read_or_none(manifest)
            if marker.exists():
                time.sleep(0.05)
                continue
            folder = Path(tempfile.mkdtemp(dir=base))
            links: dict[str, Path] = {}
            for name in names:
                source = self.root / f"{name}.parquet"
                with contextlib.suppress(FileNotFoundError):
                    os.link(source, folder / source.name)
                    links[name] = folder / source.name
            if not marker.exists() and _read_or_none(manifest) == before:
                return folder, links
            shutil.rmtree(folder, ignore_errors=True)
            time.sleep(0.05)
        raise StoreError(f"{self.root}: the store kept changing while it was being opened")

    # -- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, *, wait: bool = True, timeout: float | None = None) -> Iterator[Store]:
        """Hold the store's lock: a second writer waits (or, with wait=False, is refused)."""
        self.root.mkdir(parents=True, exist_ok=True)
        handle = open(self.root / ".lock", "a+")  # noqa: SIM115 - held for the whole block
        try:
            self._lock(handle, wait=wait, timeout=timeout)
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            self.recover()
            yield self
        finally:
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()

    def holder(self) -> str | None:
        """Why a writer would wait now (another run holds the lock), or None when it is free.

        A look, not a reservation: the lock may be taken or freed just after."""
        path = self.root / ".lock"
        if not path.exists():
            return None
        with open(path, "a+") as handle:
            try:
                self._lock(handle, wait=False, timeout=None)
            except StoreLockedError as err:
                return str(err)
            fcntl.flock(handle, fcntl.LOCK_UN)
        return None

    def _lock(self, handle: Any, *, wait: bool, timeout: float | None) -> None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except OSError as err:
                if err.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
            if not wait or (deadline is not None and time.monotonic() >= deadline):
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise StoreLockedError(
                    f"{self.root} is being written by another newslens run (pid {holder}); "
                    "wait for it to finish or try again later"
                )
            time.sleep(0.2)

    @property
    def work_dir(self) -> Path:
        return self.root / ".work"

    @property
    def parts_dir(self) -> Path:
        return self.work_dir / "parts"

    def write_part(self, tables: dict[str, pa.Table], version: str) -> Path:
        """Save one analysed batch: written to a temporary folder, then renamed into place."""
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        # Names sort in the order written (newest wins when a run resumes), even when the
        # clock stands still or steps back between two parts.
        global _LAST_PART
        _LAST_PART = max(time.time_ns(), _LAST_PART + 1)
        name = f"{_LAST_PART:020d}-{uuid.uuid4().hex[:8]}"
        tmp = self.work_dir / f".tmp-{name}"
        tmp.mkdir()
        for table, data in tables.items():
            pq.write_table(data, tmp / f"{table}.parquet", compression="zstd")
        (tmp / "VERSION").write_text(version, encoding="utf-8")
        os.replace(tmp, self.parts_dir / name)
        return self.parts_dir / name

    def clear_work(self) -> None:
        """Drop analysed batches no commit will use."""
        shutil.rmtree(self.work_dir, ignore_errors=True)

    def parts(self) -> list[Path]:
        """Completed batches of an uncommitted run, oldest first."""
        if not self.parts_dir.is_dir():
            return []
        return sorted(p for p in self.parts_dir.iterdir() if p.is_dir())

    def valid_parts(self, version: str) -> Iterator[tuple[Path, pa.Table]]:
        """Each part of pipeline `version` with its (doc_id, sha256) pairs, oldest first.

        A part that cannot be read (a disk that lost it in a power cut) is deleted: its articles
        are simply analysed again.
        """
        for part in self.parts():
            marker = part / "VERSION"
            try:
                if not marker.is_file() or marker.read_text(encoding="utf-8").strip() != version:
                    continue
                docs = pq.read_table(part / "documents.parquet", columns=["doc_id", "sha256"])
            except (OSError, pa.ArrowException):
                shutil.rmtree(part, ignore_errors=True)
                continue
            yield part, docs

    def part_docs(self, version: str) -> dict[str, str]:
        """The articles (doc_id -> sha256) the valid parts of `version` hold, newest part last."""
        found: dict[str, str] = {}
        for _, docs in self.valid_parts(version):
            found.update(zip(docs["doc_id"].to_pylist(), docs["sha256"].to_pylist(), strict=True))
        return found

    def commit_tables(
        self,
        tables: Mapping[str, Iterable[pa.Table]],
        manifest: dict[str, Any] | Callable[[], dict[str, Any]],
    ) -> dict[str, int]:
        """Write each table from its batches into `.next/`, then commit them with `manifest`.

        Streams: each batch is written as it comes, so a table is never held whole. The rows
        written per table go into the manifest's `tables` (over the counts it already has) and
        are returned. `manifest` may be a function, called once every table is written (for
        what is known only then, such as which edits found their rows).
        """
        next_dir = self.next_dir()
        files: dict[str, Path] = {}
        counts: dict[str, int] = {}
        for table, batches in tables.items():
            path = next_dir / f"{table}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            order = table in SORTED_TABLES
            target = next_dir / f".{table}.unsorted" if order else path
            rows = 0
            with pq.ParquetWriter(target, arrow_schema(table), compression="zstd") as writer:
                for data in batches:
                    writer.write_table(data)
                    rows += data.num_rows
            if order:
                _write_sorted(target, path, table)
                target.unlink()
            files[table] = path
            counts[table] = rows
        final = manifest() if callable(manifest) else manifest
        kept = {t: n for t, n in counts.items() if "/" not in t}  # held rows are no table
        self.commit(files, {**final, "tables": {**final.get("tables", {}), **kept}})
        return counts

    def commit_manifest(self, manifest: dict[str, Any]) -> None:
        """Commit a new manifest and leave every table as it is."""
        self.next_dir()
        self.commit({}, manifest)

    def commit(self, files: dict[str, Path], manifest: dict[str, Any]) -> None:
        """Move a complete set of new table files (already in `.next/`) into place."""
        next_dir = self.root / ".next"
        # Every commit's manifest differs, so a reader can tell that one happened (`snapshot`).
        manifest = {**manifest, "generation": uuid.uuid4().hex}
        (next_dir / MANIFEST).write_text(
            json.dumps(manifest, indent=2, default=str), encoding="utf-8"
        )
        for path in [*files.values(), next_dir / MANIFEST]:
            _fsync(path)
        marker = next_dir / COMMITTED
        names = sorted(p.relative_to(next_dir).as_posix() for p in files.values())
        marker.write_text("\n".join(names), encoding="utf-8")
        _fsync(marker)
        self._roll_forward()
        self.clear_work()

    def next_dir(self) -> Path:
        """An empty `.next/` folder to write a commit's tables into."""
        next_dir = self.root / ".next"
        shutil.rmtree(next_dir, ignore_errors=True)
        next_dir.mkdir(parents=True)
        return next_dir

    def recover(self) -> None:
        """Finish a commit a crash interrupted after it was complete; drop one that was not."""
        next_dir = self.root / ".next"
        if (next_dir / COMMITTED).is_file():
            self._roll_forward()
        elif next_dir.is_dir():
            shutil.rmtree(next_dir, ignore_errors=True)
        for tmp in self.root.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
        if self.work_dir.is_dir():
            for tmp in self.work_dir.glob(".tmp-*"):
                shutil.rmtree(tmp, ignore_errors=True)

    def _roll_forward(self) -> None:
        next_dir = self.root / ".next"
        names = (next_dir / COMMITTED).read_text(encoding="utf-8").split()
        for name in [*names, MANIFEST]:
            source = next_dir / name
            if source.is_file():
                (self.root / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, self.root / name)
        dir_fd = os.open(self.root, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        shutil.rmtree(next_dir, ignore_errors=True)
