"""A whole analysis run in a process of its own, its progress reported back as it goes.

The dashboard's server runs its analyses (uploads, the start-up check) this way. Both halves of a
run are Python that holds the interpreter: the model's pass over the articles, and the merge
after it (linking names across the corpus, stories, the search index, the commit). In the
server's process either would make every other session's page wait for it; here they run in a
spawned process at a lower CPU priority, and the server only waits on a queue.

The child process has its own model (loaded once per run) and returns the run's `RunSummary`;
an error in it is raised again here, with its type when it can be pickled.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue as queues
import signal
from collections.abc import Sequence
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.engines import EngineError

if TYPE_CHECKING:
    from collections.abc import Callable

    from analysis.pipeline import Progress, RunSummary

POLL_SECONDS = 0.1  # how often the waiting side looks at the child between its messages


def run_in_process(
    paths: Sequence[str | Path],
    store_root: str | Path,
    *,
    progress: Progress | None = None,
    waiting: Callable[[str], None] | None = None,
    wait: bool = True,
    nice: int = 0,
    model: str | None = None,
) -> RunSummary:
    """`pipeline.run(paths, store_root)` in a spawned process; returns its summary.

    `progress(done, total)` is called here as the child reports it. When another run holds the
    store's lock: with `waiting`, it is called with the reason and the run waits for the lock;
    without it, `wait` decides, as for `pipeline.run` (False raises `StoreLockedError`).
    """
    context = get_context("spawn")
    messages = context.Queue()
    child = context.Process(
        target=_child,
        args=([str(p) for p in paths], str(store_root), wait, waiting is not None, nice, model),
        kwargs={"messages": messages},
        name="newslens-analysis",
        daemon=True,  # a server that stops takes its analysis with it (the store keeps parts)
    )
    child.start()
    _lower_priority(child.pid, nice)  # from its first instruction: its imports too
    try:
        while True:
            try:
                kind, *payload = messages.get(timeout=POLL_SECONDS)
            except queues.Empty:
                if child.is_alive():
                    continue
                try:  # its last message may have arrived just as it exited
                    kind, *payload = messages.get(timeout=POLL_SECONDS)
                except queues.Empty:
                    raise EngineError(
                        f"the analysis process stopped abruptly (exit code {child.exitcode}; out "
                        "of memory?); the batches analysed so far are kept, so running again "
                        "resumes from there"
                    ) from None
            if kind == "progress":
                if progress is not None:
                    progress(*payload)
            elif kind == "waiting":
                if waiting is not None:
                    waiting(payload[0])
            elif kind == "done":
                summary: RunSummary = payload[0]
                return summary
            else:  # "error"
                raise payload[0]
    finally:
        child.join(timeout=5)
        messages.close()


def _child(
    paths: list[str],
    store_root: str,
    wait: bool,
    tell_waiting: bool,
    nice: int,
    model: str | None,
    *,
    messages: Any,
) -> None:
    # Ctrl-C in a terminal reaches the whole process group; the server decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _lower_priority(0, nice)  # in case the parent could not (it raced the start)
    from analysis.engines import LocalEngine
    from analysis.pipeline import run
    from analysis.store import StoreLockedError

    def progress(done: int, total: int) -> None:
        messages.put(("progress", done, total))

    engine = LocalEngine(model=model)  # it starts again lazily for a second run
    try:
        try:
            summary = run(
                paths, store_root, engine=engine, progress=progress, wait=wait and not tell_waiting
            )
        except StoreLockedError as err:
            if not tell_waiting:
                raise
            messages.put(("waiting", str(err)))
            summary = run(paths, store_root, engine=engine, progress=progress, wait=True)
        messages.put(("done", summary))
    except BaseException as err:  # every failure is the caller's to report
        messages.put(("error", _portable(err)))


def _lower_priority(pid: int | None, nice: int) -> None:
    """Run process `pid` (0: this one) `nice` steps below normal CPU priority and, on Linux, in
    the idle class: it gets the CPU the server's readers leave (they read pages while it runs).
    """
    if not nice or pid is None:
        return
    with contextlib.suppress(OSError, AttributeError):  # not every platform has both
        if os.getpriority(os.PRIO_PROCESS, pid) < nice:
            os.setpriority(os.PRIO_PROCESS, pid, nice)
    with contextlib.suppress(OSError, AttributeError):
        os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))


def _portable(err: BaseException) -> BaseException:
    """`err` when it survives pickling, else a RuntimeError with its type and message."""
    try:
        pickle.loads(pickle.dumps(err))
    except Exception:  # an exception type with arguments pickle cannot rebuild
        return RuntimeError(f"{type(err).__name__}: {err}")
    return err
