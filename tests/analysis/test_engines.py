"""Engines: a process pool and a Dask cluster write the same store as this process does."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis import engines
from analysis.corpus import Article, load_corpus
from analysis.engines import (
    DaskEngine,
    EngineError,
    LocalEngine,
    ProcessEngine,
    make_engine,
)
from analysis.nlp import ModelNotFoundError, installed_model_id, model_id
from analysis.pipeline import run
from analysis.store import Store
from analysis.tables import TABLES

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
PARAGRAPHS = [p for p in SEED.split("\n", 3)[3].split("\n\n") if len(p.split()) > 20]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for i in range(6):
        body = f"{PARAGRAPHS[i % len(PARAGRAPHS)]}\n\nThis is report number {i}."
        (folder / f"{i:03d}.txt").write_text(f"2025-12-{10 + i}\nreport-{i}\n\n{body}\n")
    return folder


@pytest.fixture(scope="module")
def local_tables(nlp: Any, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("local")
    run([corpus], out, engine=LocalEngine(nlp), batch_size=1)
    return {t: Store(out).read(t) for t in TABLES}


def assert_store_equals(store: Path, expected: dict[str, pd.DataFrame]) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(Store(store).read(name), expected[name], obj=name)


def test_model_id_is_read_without_loading_the_model(nlp: Any) -> None:
    assert installed_model_id() == model_id(nlp)
    with pytest.raises(ModelNotFoundError):
        installed_model_id("no_such_model_package")


def test_make_engine_follows_the_command_line() -> None:
    assert type(make_engine("local")) is LocalEngine
    pool = make_engine("local", workers=3)
    assert isinstance(pool, ProcessEngine) and pool.workers == 3
    with pytest.raises(EngineError, match="--engine dask"):
        make_engine("local", scheduler="tcp://10.0.0.5:8786")
    with pytest.raises(EngineError, match="unknown engine"):
        make_engine("spark")


def test_command_line_engines_settle_the_process_once_the_model_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The command line's processes exit after the run: the model is left out of the garbage
    # collector's full passes. The dashboard's engine (a server) is not.
    import gc

    frozen: list[str] = []
    monkeypatch.setattr(engines, "load_model", lambda name=None: object())
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append("freeze"))
    for workers in (1, None):
        engine = make_engine("local", workers=workers)
        assert getattr(engine, "freeze", False)
    local = make_engine("local", workers=1)
    assert isinstance(local, LocalEngine)
    local.nlp  # noqa: B018 (loads the model)
    local.nlp  # noqa: B018 (already loaded: nothing more)
    assert frozen == ["freeze"]
    frozen.clear()
    LocalEngine(model="x").nlp  # noqa: B018
    assert frozen == []


def test_dask_missing_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name in ("dask", "distributed") else real(name, *a),
    )
    with pytest.raises(EngineError, match=r"pip install 'newslens\[dask\]'"):
        make_engine("dask")


def test_pool_starts_no_process_for_nothing_or_one_small_task(
    corpus: Path, local_tables: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a pool was started")

    monkeypatch.setattr(engines, "ProcessPoolExecutor", refuse)
    engine = ProcessEngine(2)
    assert list(engine.map(iter([]), "v")) == []
    assert engine.batches == 0
    articles = load_corpus([corpus]).articles[:3]
    (tables,) = engine.map(iter([articles]), "v")  # a few new articles: done in this process
    assert tables["documents"]["doc_id"].to_pylist() == [a.doc_id for a in articles]
    assert engine.batches == 1


def test_worker_that_dies_is_a_clear_error(corpus: Path) -> None:
    articles = load_corpus([corpus]).articles
    engine = ProcessEngine(1, model="no_such_model_package", chunk=1)  # workers fail to start
    with pytest.raises(EngineError, match="worker process stopped"):
        list(engine.map(iter([articles[:2]]), "v"))


def test_process_pool_writes_the_same_store_in_order(
    corpus: Path, local_tables: Any, tmp_path: Path
) -> None:
    pulled: list[int] = []
    articles = load_corpus([corpus]).articles

    def batches() -> Iterator[list[Article]]:
        for article in articles:
            pulled.append(1)
            yield [article]

    engine = ProcessEngine(2, in_flight=3)
    results = engine.map(batches(), "v")
    first = next(results)
    assert len(pulled) == 3  # no more than `in_flight` chunks read ahead of the results
    rest = list(results)
    order = [t["documents"]["doc_id"][0].as_py() for t in [first, *rest]]
    assert order == [a.doc_id for a in articles]

    # Batches of 4 split into chunks of 3 and 1 for the workers, joined back in order.
    engine = ProcessEngine(2, chunk=3)
    summary = run([corpus], tmp_path / "store", engine=engine, batch_size=4)
    assert summary.analysed == 6 and engine.batches == 2
    assert_store_equals(tmp_path / "store", local_tables)


def test_dask_local_cluster_writes_the_same_store(
    corpus: Path, local_tables: Any, tmp_path: Path
) -> None:
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
    ) as cluster:
        engine = DaskEngine(cluster.scheduler_address)
        assert engine.model_id() == installed_model_id()  # asked of a worker
        summary = run([corpus], tmp_path / "store", engine=engine, batch_size=1)
    assert summary.analysed == 6 and engine.batches == 6
    assert_store_equals(tmp_path / "store", local_tables)


def test_unreachable_scheduler_is_a_clear_error() -> None:
    pytest.importorskip("distributed")
    engine = DaskEngine("tcp://127.0.0.1:9", timeout=1)  # the discard port: nothing listens
    with pytest.raises(EngineError, match="cannot reach the Dask scheduler"):
        engine.model_id()
