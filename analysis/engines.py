"""Where the per-article work runs: this process, a pool of processes, or a Dask cluster.

Every engine maps `analyze_batch` over batches of articles and yields each batch's tables in
the order given, so the store comes out the same whichever engine made it. Engines keep only a
few batches in flight, so memory stays flat however long the corpus is, and each worker process
loads the spaCy model once. Pools and clusters live for one `map` call: started at the first
batch (a run with nothing to analyse starts none) and shut down when the batches run out.
"""

from __future__ import annotations

import gc
import importlib
import importlib.util
import itertools
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from analysis.analyze import analyze_batch
from analysis.corpus import Article
from analysis.nlp import installed_model_id, load_model, model_id

if TYPE_CHECKING:
    from spacy.language import Language

Tables = dict[str, pa.Table]
# Articles per task sent to a worker: small enough to share the last batches evenly, large
# enough that a task's fixed costs (pickling, building tables) stay small.
CHUNK = 16
# What `map` returns: a generator, so a run that stops early can close it (and its pool).
Batches = Generator[Tables, None, None]

DASK_HINT = (
    "the dask engine needs the optional dependencies: pip install 'newslens[dask]' "
    "(or run with --engine local --workers N)"
)


class EngineError(RuntimeError):
    """An engine that cannot start (a missing optional dependency, an unreachable cluster)."""


class Engine:
    """Runs `analyze_batch` over batches of articles, yielding their tables in input order."""

    def __init__(self) -> None:
        self.batches = 0  # batches sent for analysis: a run with nothing new sends none
        self.articles = 0

    def model_id(self) -> str:
        """Name and version of the model the analysis uses (part of the pipeline version)."""
        raise NotImplementedError

    def map(self, batches: Iterable[list[Article]], version: str) -> Batches:
        raise NotImplementedError

    def close(self) -> None:
        """Release any workers still held (`map` releases its own when it ends)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # How many processes analysed articles in the last run (for the run's summary).
    processes = 1

    def _count(self, batch: list[Article]) -> None:
        self.batches += 1
        self.articles += len(batch)


# -- the model, once per process ------------------------------------------------------------


_MODELS: dict[str | None, Language] = {}
_MODEL_LOCK = threading.Lock()
# spaCy's tokenizer cache and string store are not safe to mutate from two threads at once,
# so the threads of one multi-threaded Dask worker take turns (the GIL serialises them anyway).
_ANALYSIS_LOCK = threading.Lock()


def worker_model(name: str | None = None, *, freeze: bool = False) -> Language:
    """This process's copy of the model, loaded on first use (`freeze`: see `settle`)."""
    with _MODEL_LOCK:
        nlp = _MODELS.get(name)
        if nlp is None:
            nlp = _MODELS[name] = load_model(name)
            if freeze:
                settle()
        return nlp


def settle() -> None:
    """Leave every object alive now out of the garbage collector's full passes.

    For a process that analyses and exits (the command line, a pool's worker): the model and
    the modules stay to the end, and each full pass walked them all again (0.3 of the 0.48 s
    the collector took in a 100-article run, against 0.17 s after this). Not for a server,
    where what is alive at one moment may be garbage the next.
    """
    gc.freeze()


def _init_worker(name: str | None, nice: int = 0) -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it and stops the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if nice and hasattr(os, "nice"):
        os.nice(nice)
    worker_model(name, freeze=True)


def analyze_in_worker(batch: list[Article], name: str | None = None) -> Tables:
    """Analyse one batch with this process's model (runs inside a pool or Dask worker)."""
    nlp = worker_model(name)
    with _ANALYSIS_LOCK:
        return analyze_batch(nlp, batch)


# -- engines --------------------------------------------------------------------------------


class LocalEngine(Engine):
    """In this process, one batch after another."""

    def __init__(
        self, nlp: Language | None = None, *, model: str | None = None, freeze: bool = False
    ) -> None:
        super().__init__()
        self._nlp = nlp
        self.model = model
        self.freeze = freeze  # `settle` this process once the model is loaded

    @property
    def loaded(self) -> bool:
        return self._nlp is not None

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_model(self.model)
            if self.freeze:
                settle()
        return self._nlp

    def model_id(self) -> str:
        if self._nlp is not None:
            return model_id(self._nlp)
        return installed_model_id(self.model)

    def map(self, batches: Iterable[list[Article]], version: str) -> Batches:
        for batch in batches:
            self._count(batch)
            yield analyze_batch(self.nlp, batch)


class ProcessEngine(Engine):
    """A pool of `workers` processes on this machine, each with its own copy of the model.

    Call it from under `if __name__ == "__main__":` in a script: the workers are spawned, and
    a spawned process imports the script that started it. A run with no more than one chunk
    of articles to analyse is done in this process, without a pool.
    """

    def __init__(
        self,
        workers: int,
        *,
        model: str | None = None,
        in_flight: int | None = None,
        chunk: int = CHUNK,
        start_method: str = "spawn",
        min_articles: int | None = None,
        nice: int = 0,
        freeze: bool = False,
    ) -> None:
        super().__init__()
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        # A run of at most this many articles is analysed here: starting the workers (each
        # loads the model) would cost more than it saves. Default: a run of one small batch.
        self.min_articles = min_articles
        self.model = model
        # Four chunks per worker keep every worker busy while the parent writes results;
        # more would only hold more articles and tables in memory.
        self.in_flight = in_flight or 4 * workers
        self.chunk = chunk
        # 'spawn' starts clean interpreters (no copied locks or threads) on every platform.
        self.start_method = start_method
        # How much lower the workers' CPU priority is (a server's readers go first).
        self.nice = nice
        # Whether a small run analysed here `settle`s this process after loading the model.
        self.freeze = freeze

    def model_id(self) -> str:
        return installed_model_id(self.model)

    def map(self, batches: Iterable[list[Article]], version: str) -> Batches:
        pool: ProcessPoolExecutor | None = None

        def submit(chunk: list[Article]) -> Future[Tables]:
            nonlocal pool
            if pool is None:
                pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=get_context(self.start_method),
                    initializer=_init_worker,
                    initargs=(self.model, self.nice),
                )
            return pool.submit(analyze_in_worker, chunk, self.model)

        batches = iter(batches)
        ahead: list[list[Article]] = []
        seen = 0
        limit = self.chunk if self.min_articles is None else self.min_articles
        for batch in batches:
            ahead.append(batch)
            seen += len(batch)
            if seen > limit or (self.min_articles is None and len(ahead) > 1):
                break
        else:
            # A small run (a few new articles): starting a pool costs more than doing it here.
            for batch in ahead:
                self._count(batch)
                worker_model(self.model, freeze=self.freeze)
                yield analyze_in_worker(batch, self.model)
            return
        self.processes = self.workers
        finished = False
        try:
            yield from _pipelined(
                self, itertools.chain(ahead, batches), submit, self.in_flight, self.chunk
            )
            finished = True
        except BrokenProcessPool as err:
            raise EngineError(
                "a worker process stopped abruptly (out of memory?); the batches analysed so "
                "far are kept, so running again resumes from there"
            ) from err
        finally:
            if pool is not None:
                # On an error or an interrupt, drop queued work rather than finish it.
                pool.shutdown(wait=finished, cancel_futures=True)


def _pipelined(
    engine: Engine,
    batches: Iterable[list[Article]],
    submit: Callable[[list[Article]], Any],
    in_flight: int,
    chunk: int,
) -> Batches:
    """Send each batch out in chunks, at most `in_flight` chunks ahead; yield batches in order.

    Workers take chunks from one queue, so they stay evenly busy to the end of the run even
    when the batches (the store's unit of resumption) are large.
    """
    pending: deque[list[Any]] = deque()
    queued = 0
    try:
        for batch in batches:
            engine._count(batch)
            pending.append([submit(batch[i : i + chunk]) for i in range(0, len(batch), chunk)])
            queued += len(pending[-1])
            while queued >= in_flight:
                futures = pending.popleft()
                queued -= len(futures)
                yield _joined([future.result() for future in futures])
        while pending:
            yield _joined([future.result() for future in pending.popleft()])
    finally:
        for futures in pending:
            for future in futures:
                future.cancel()


def _joined(parts: list[Tables]) -> Tables:
    """The tables of one batch from those of its chunks, rows in chunk order."""
    if len(parts) == 1:
        return parts[0]
    return {name: pa.concat_tables([part[name] for part in parts]) for name in parts[0]}


def dask_available() -> bool:
    """Whether the optional Dask dependencies are installed."""
    return all(importlib.util.find_spec(m) is not None for m in ("dask", "distributed"))


class DaskEngine(Engine):
    """On a Dask cluster: the one at `scheduler`, or a local cluster of `workers` processes.

    Every Dask worker needs newslens and the spaCy model installed; each loads the model once.
    """

    def __init__(
        self,
        scheduler: str | None = None,
        *,
        workers: int = 2,
        model: str | None = None,
        in_flight: int | None = None,
        chunk: int = CHUNK,
        timeout: float = 10.0,
    ) -> None:
        super().__init__()
        if not dask_available():
            raise EngineError(DASK_HINT)
        self.scheduler = scheduler
        self.workers = workers
        self.model = model
        self.in_flight = in_flight
        self.chunk = chunk
        self.timeout = timeout  # seconds to wait for the scheduler
        self._client: Any = None
        self._cluster: Any = None

    def _connect(self) -> Any:
        if self._client is not None:
            return self._client
        # Imported by name: the optional dependency stays untyped (Any) whether installed or not.
        distributed: Any = importlib.import_module("distributed")
        Client, LocalCluster = distributed.Client, distributed.LocalCluster
        try:
            if self.scheduler:
                self._client = Client(self.scheduler, timeout=f"{self.timeout}s")
            else:
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
                self._client = Client(self._cluster)
        except OSError as err:
            self.close()
            where = self.scheduler or "a local cluster"
            raise EngineError(f"cannot reach the Dask scheduler at {where}: {err}") from err
        return self._client

    def model_id(self) -> str:
        if not self.scheduler:
            return installed_model_id(self.model)
        # A remote cluster's workers may have another model version: theirs decides the output.
        client = self._connect()
        result: str = client.submit(installed_model_id, self.model, pure=False).result()
        return result

    def map(self, batches: Iterable[list[Article]], version: str) -> Batches:
        def submit(chunk: list[Article]) -> Any:
            return self._connect().submit(analyze_in_worker, chunk, self.model, pure=False)

        batches = iter(batches)
        try:
            first = next(batches, None)
            if first is None:
                return  # nothing to analyse: no cluster started, no connection made
            in_flight = self.in_flight
            workers = self._connect().scheduler_info().get("workers", {})
            self.processes = max(1, len(workers))
            if in_flight is None:
                in_flight = 4 * self.processes
            yield from _pipelined(
                self, itertools.chain([first], batches), submit, in_flight, self.chunk
            )
        except Exception as err:
            if type(err).__name__ != "KilledWorker":  # distributed's, imported only when used
                raise
            raise EngineError(
                "Dask workers kept dying on a batch (out of memory?); the batches analysed so "
                "far are kept, so running again resumes from there"
            ) from err
        finally:
            self.close()

    def close(self) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


# Without --workers, a run of more articles than this uses every core: below it, starting the
# workers (each loads the model, about 2-4 s) costs more than the cores save.
AUTO_MIN_ARTICLES = 200


def make_engine(
    name: str = "local", *, workers: int | None = 1, scheduler: str | None = None
) -> Engine:
    """The engine the command line asked for: `--engine`, `--workers`, `--scheduler`.

    `workers=None` (no --workers): locally, one process per core when the run is big enough
    to pay for starting them, else this one; on a local Dask cluster, one per core.
    """
    cores = os.cpu_count() or 1
    if name == "local":
        if scheduler:
            raise EngineError("--scheduler needs --engine dask")
        if workers is None:
            if cores == 1:
                return LocalEngine(freeze=True)
            return ProcessEngine(cores, min_articles=AUTO_MIN_ARTICLES, freeze=True)
        return LocalEngine(freeze=True) if workers == 1 else ProcessEngine(workers, freeze=True)
    if name == "dask":
        return DaskEngine(scheduler, workers=max(workers or cores, 1))
    raise EngineError(f"unknown engine {name!r}: expected local or dask")
