"""Benchmark 2's pieces: the texts dealt to one bare process per core; the rounds (common)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(BENCH))
    import bench_workers

    yield bench_workers
    sys.modules.pop("bench_workers", None)


def test_texts_are_dealt_so_every_text_is_in_exactly_one_share(
    workers: Any, tmp_path: Path
) -> None:
    texts = tmp_path / "texts.jsonl"
    texts.write_text("".join(f'"article {k}"\n' for k in range(7)), encoding="utf-8")
    shares = workers.split_texts(texts, 2)
    lines = [p.read_text(encoding="utf-8").splitlines() for p in shares]
    assert [len(x) for x in lines] == [4, 3]
    assert sorted(lines[0] + lines[1]) == sorted(texts.read_text(encoding="utf-8").splitlines())
    assert texts not in shares


def test_rounds_rotate_which_side_goes_first(workers: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    import common

    monkeypatch.setattr(common, "load", lambda: 0.0)

    def side(name: str) -> Any:
        return lambda: (order.append(name), (1.0, 1.0))[1]

    rows = workers.rotating({n: side(n) for n in ("a", "b", "c")}, 3)
    assert order == ["a", "b", "c", "b", "c", "a", "c", "a", "b"]
    assert all(set(row) == {"load", "a", "b", "c"} for row in rows)
