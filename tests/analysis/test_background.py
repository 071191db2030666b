"""A whole run in a process of its own: the same store as here, progress and errors come back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.background import _portable, run_in_process
from analysis.engines import LocalEngine
from analysis.pipeline import run
from analysis.store import Store, StoreLockedError
from analysis.tables import TABLES

ROOT = Path(__file__).resolve().parents[2]


def test_a_run_in_a_process_writes_the_store_this_process_would(nlp: Any, tmp_path: Path) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    run([ROOT / "seeds"], here, engine=LocalEngine(nlp))
    seen: list[tuple[int, int]] = []
    waits: list[str] = []
    lock = Store(there).writing()  # another run holds the store: the child says so and waits
    lock.__enter__()

    def waiting(reason: str) -> None:  # told here; the other run then finishes
        waits.append(reason)
        lock.__exit__(None, None, None)

    summary = run_in_process(
        [ROOT / "seeds"], there, progress=lambda d, t: seen.append((d, t)), waiting=waiting
    )
    assert summary.analysed == 1 and not summary.problems
    assert seen and seen[-1] == (1, 1)
    assert len(waits) == 1 and "being written by another newslens run" in waits[0]
    for table in TABLES:
        pd.testing.assert_frame_equal(Store(there).read(table), Store(here).read(table), obj=table)


def test_an_error_in_the_process_is_raised_here_with_its_type(tmp_path: Path) -> None:
    lock = Store(tmp_path / "store").writing()
    lock.__enter__()
    try:
        with pytest.raises(StoreLockedError, match="being written"):
            run_in_process([ROOT / "seeds"], tmp_path / "store", wait=False)
    finally:
        lock.__exit__(None, None, None)
    with pytest.raises(Exception, match="no_such_model_package"):
        run_in_process([ROOT / "seeds"], tmp_path / "other", model="no_such_model_package")
    assert not (tmp_path / "other" / "manifest.json").exists()


class _Odd(Exception):
    def __init__(self, a: int, b: int) -> None:  # pickle rebuilds it with one argument: fails
        super().__init__(f"{a}-{b}")


def test_an_error_pickle_cannot_rebuild_keeps_its_type_and_message() -> None:
    kept = _portable(ValueError("plain"))
    assert type(kept) is ValueError and str(kept) == "plain"
    odd = _portable(_Odd(1, 2))
    assert type(odd) is RuntimeError and str(odd) == "_Odd: 1-2"
