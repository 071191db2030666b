"""The store: atomic commits rolled forward or back after a crash, one writer at a time."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from analysis import store as store_mod
from analysis.store import (
    COMMITTED,
    Store,
    StoreError,
    StoreLockedError,
    arrow_schema,
    from_arrow,
    to_arrow,
)
from analysis.tables import SCHEMAS, TABLES, empty

ROOT = Path(__file__).resolve().parents[2]


def documents(*ids: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": list(ids),
            "title": [f"Title {i}" for i in ids],
            "published": [pd.Timestamp("2025-12-13")] * len(ids),
            "n_words": [10] * len(ids),
            "n_sentences": [1] * len(ids),
        }
    )


def commit_documents(store: Store, *ids: str) -> None:
    """A complete commit of a documents table holding `ids`."""
    next_dir = store.next_dir()
    path = next_dir / "documents.parquet"
    store_mod.write_parquet(path, to_arrow("documents", documents(*ids)))
    store.commit({"documents": path}, {"tables": {"documents": len(ids)}})


def stage_commit(store: Store, *ids: str, complete: bool) -> None:
    """A commit a crash interrupted: `.next/` written, marked complete or not, nothing moved."""
    next_dir = store.next_dir()
    store_mod.write_parquet(next_dir / "documents.parquet", to_arrow("documents", documents(*ids)))
    (next_dir / "manifest.json").write_text(json.dumps({"tables": {"documents": len(ids)}}))
    if complete:
        (next_dir / COMMITTED).write_text("documents.parquet")


@pytest.mark.parametrize("table", TABLES)
def test_every_table_round_trips_through_arrow(table: str) -> None:
    frame = empty(table)
    assert from_arrow(table, to_arrow(table, frame)).equals(frame)
    assert [f.name for f in arrow_schema(table)] == list(SCHEMAS[table])


def test_missing_table_reads_empty_with_its_columns(tmp_path: Path) -> None:
    frame = Store(tmp_path).read("quotes")
    assert frame.empty and list(frame.columns) == list(SCHEMAS["quotes"])
    with pytest.raises(KeyError, match="unknown table"):
        Store(tmp_path).read("people")


def test_unreadable_table_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "documents.parquet").write_bytes(b"PAR1 but not really")
    with pytest.raises(StoreError, match="cannot read table"):
        Store(tmp_path).read("documents")


def test_commit_replaces_tables_and_manifest(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.writing():
        commit_documents(store, "a", "b")
        commit_documents(store, "c")
    assert store.read("documents")["doc_id"].tolist() == ["c"]
    assert store.manifest()["tables"] == {"documents": 1}
    assert not (tmp_path / ".next").exists()


def test_complete_commit_interrupted_is_rolled_forward(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.writing():
        commit_documents(store, "old")
        stage_commit(store, "new", complete=True)
    with store.writing():  # the next writer finishes it
        pass
    assert store.read("documents")["doc_id"].tolist() == ["new"]
    assert store.manifest()["tables"] == {"documents": 1}
    assert not (tmp_path / ".next").exists()


def test_incomplete_commit_is_rolled_back(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.writing():
        commit_documents(store, "old", "older")
        stage_commit(store, "new", complete=False)
    with store.writing():
        pass
    assert store.read("documents")["doc_id"].tolist() == ["old", "older"]
    assert not (tmp_path / ".next").exists()


def test_roll_forward_after_some_files_were_already_moved(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.writing():
        commit_documents(store, "old")
        stage_commit(store, "new", complete=True)
        (tmp_path / ".next" / "documents.parquet").replace(tmp_path / "documents.parquet")
    with store.writing():
        pass
    assert store.read("documents")["doc_id"].tolist() == ["new"]
    assert store.manifest()["tables"] == {"documents": 1}


def test_leftover_temporary_files_are_cleaned(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.writing():
        store.write_part({"documents": to_arrow("documents", documents("a"))}, "v1")
        (tmp_path / ".documents.parquet.1234.tmp").write_bytes(b"half")
        (store.work_dir / ".tmp-0001").mkdir()
    with store.writing():
        pass
    assert not list(tmp_path.glob(".*.tmp"))
    assert not list(store.work_dir.glob(".tmp-*"))
    assert len(store.parts()) == 1  # complete parts are kept for the next run to resume


def test_parts_sort_in_the_order_written_even_when_the_clock_stands_still(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_mod.time, "time_ns", lambda: 1_000)
    store = Store(tmp_path)
    written = [
        store.write_part({"documents": to_arrow("documents", documents(str(i)))}, "v")
        for i in range(5)
    ]
    assert store.parts() == written
    assert (written[0] / "VERSION").read_text() == "v"


def test_part_is_never_seen_half_written(tmp_path: Path) -> None:
    store = Store(tmp_path)

    class Boom(Exception):
        pass

    def explode(*args: object, **kwargs: object) -> None:
        raise Boom

    data = {"documents": to_arrow("documents", documents("a")), "mentions": pa.table({})}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_mod.pq, "write_table", explode)
        with pytest.raises(Boom):
            store.write_part(data, "v")
    assert store.parts() == []


def test_only_readable_parts_of_the_version_count(tmp_path: Path) -> None:
    store = Store(tmp_path)
    kept = store.write_part({"documents": to_arrow("documents", documents("a"))}, "v")
    store.write_part({"documents": to_arrow("documents", documents("b"))}, "other")
    broken = store.write_part({"documents": to_arrow("documents", documents("c"))}, "v")
    (broken / "documents.parquet").write_bytes(b"not parquet")
    assert [part for part, _ in store.valid_parts("v")] == [kept]
    assert not broken.exists()  # deleted: its articles are analysed again
    assert list(store.part_docs("v")) == ["a"]


def test_committed_docs_only_for_the_committed_version(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.writing():
        data = to_arrow("documents", documents("a", "b"))
        store.commit_tables({"documents": [data]}, {"pipeline_version": "v"})
    assert list(store.committed_docs("v")) == ["a", "b"]
    assert store.committed_docs("w") == {}


def test_tables_are_committed_from_batches_and_read_back_by_doc(tmp_path: Path) -> None:
    store = Store(tmp_path)
    batches = [to_arrow("documents", documents(*ids)) for ids in (["a", "b"], ["c"], [])]
    with store.writing():
        counts = store.commit_tables({"documents": iter(batches)}, {"pipeline_version": "v"})
    assert counts == {"documents": 3} == store.manifest()["tables"]
    assert store.read("documents")["doc_id"].tolist() == ["a", "b", "c"]
    wanted = [(tmp_path, pa.array(["a", "c"])), (tmp_path / "nowhere", pa.array(["b"]))]
    rows = list(store.read_rows("documents", wanted, columns=["doc_id", "title"], batch_size=1))
    assert [r.to_pylist() for r in rows] == [
        [{"doc_id": "a", "title": "Title a"}],
        [{"doc_id": "c", "title": "Title c"}],
    ]
    (full,) = store.read_rows("documents", [(tmp_path, pa.array(["b"]))])
    assert full.schema == arrow_schema("documents")


def test_second_writer_is_refused_or_waits(tmp_path: Path) -> None:
    store = Store(tmp_path)
    entered: list[float] = []

    def second() -> None:
        with Store(tmp_path).writing(wait=True):
            entered.append(time.monotonic())

    with store.writing():
        refused = pytest.raises(StoreLockedError, match="being written by another newslens run")
        with refused, Store(tmp_path).writing(wait=False):
            pass
        with pytest.raises(StoreLockedError), Store(tmp_path).writing(timeout=0.3):
            pass
        waiter = threading.Thread(target=second)
        waiter.start()
        time.sleep(0.5)
        assert entered == []  # still waiting for the lock
    waiter.join(timeout=10)
    assert len(entered) == 1


def test_two_concurrent_runs_are_serialised(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "store"
    corpus.mkdir()
    seed = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    for i in range(3):
        (corpus / f"{i}.txt").write_text(f"{seed}\n\nThis is report number {i}.\n")
    command = [sys.executable, "-m", "analysis.cli", "analyze", str(corpus), "--out", str(out)]
    runs = [
        subprocess.Popen([*command, "--quiet"], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    reports = [p.communicate(timeout=300)[1] for p in runs]
    assert [p.returncode for p in runs] == [0, 0], reports
    # One run analysed the corpus; the other waited for the lock, then found nothing to do.
    assert sorted("3 analysed" in r for r in reports) == [False, True], reports
    assert any("0 analysed, 3 unchanged" in r for r in reports), reports
    assert len(Store(out).read("documents")) == 3
    assert not (out / ".work").exists() and not (out / ".next").exists()
