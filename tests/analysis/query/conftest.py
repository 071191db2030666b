"""Fixtures for the query layer: stores written from hand-made frames."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analysis.query import StoreView
from analysis.store import to_arrow

StoreOf = Callable[..., StoreView]


@pytest.fixture
def store_of(tmp_path: Path) -> StoreOf:
    """A store holding the given tables (the others absent, so empty), opened for questions."""
    made = iter(range(1_000_000))

    def make(**frames: pd.DataFrame) -> StoreView:
        root = tmp_path / f"store-{next(made)}"
        root.mkdir()
        for table, frame in frames.items():
            pq.write_table(to_arrow(table, frame), root / f"{table}.parquet")
        return StoreView(root)

    return make
