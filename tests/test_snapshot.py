"""Readers never see a half-written store: while one process analyses into a store again and
again, another reads every table through `StoreView` and checks each read is one generation."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from analysis.query import Filter, StoreView
from analysis.tables import TABLES

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
GENERATIONS = 8

# The writer alternates two corpora, so every commit adds or removes two articles.
WRITER = """
import sys
from analysis.nlp import load_model
from analysis.pipeline import run

a, b, store, generations = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
nlp = load_model()
run([a], store, nlp=nlp)
print("ready", flush=True)
for generation in range(generations):
    run([a, b] if generation % 2 == 0 else [a], store, nlp=nlp)
"""


def corpus(folder: Path, numbers: range) -> Path:
    folder.mkdir(parents=True)
    for i in numbers:
        text = SEED + f"\n\nThis is follow-up report number {i} from Minsk."
        (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    return folder


def manifest(root: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data


def one_read(root: Path) -> list[str]:
    """Read every table once; what in that read is not one whole generation of the store."""
    before = manifest(root)
    view = StoreView(root)
    tables = {t: view.rows(t, Filter(), limit=None, with_titles=False) for t in TABLES}
    after = manifest(root)
    problems: list[str] = []
    documents = set(tables["documents"]["doc_id"])
    if set(tables["readability"]["doc_id"]) != documents:
        problems.append(
            f"documents has {len(documents)} articles, readability "
            f"{tables['readability']['doc_id'].nunique()}"
        )
    for table, frame in tables.items():
        if "doc_id" in frame.columns and not set(frame["doc_id"]) <= documents:
            problems.append(f"{table} has rows of articles documents does not list")
    if not set(tables["mentions"]["entity_id"]) <= set(tables["entities"]["entity_id"]):
        problems.append("mentions name entities the entities table does not hold")
    if before and before == after:  # no commit finished meanwhile: the counts are that one's
        for table, count in before.get("tables", {}).items():
            if table in tables and len(tables[table]) != count:
                problems.append(f"{table}: {len(tables[table])} rows, the manifest says {count}")
    return problems


@pytest.mark.slow
def test_readers_never_see_a_half_written_store(tmp_path: Path) -> None:
    a = corpus(tmp_path / "a", range(3))
    b = corpus(tmp_path / "b", range(3, 5))
    store = tmp_path / "store"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(a), str(b), str(store), str(GENERATIONS)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready", writer.stderr
        reads, seen, problems = 0, set(), []
        deadline = time.monotonic() + 300
        while writer.poll() is None and time.monotonic() < deadline:
            try:
                found = one_read(store)
            except Exception as err:  # a file replaced under the read: report it, read on
                found = [f"the read failed: {type(err).__name__}: {str(err)[:80]}"]
            reads += 1
            seen.add(manifest(store).get("written"))
            problems.extend(found)
    finally:
        if writer.poll() is None:
            writer.kill()
        _, err = writer.communicate()
    assert writer.returncode == 0, err
    assert reads > GENERATIONS, "the reader did not overlap the writer enough to tell"
    print(f"{reads} reads over {len(seen)} generations; {len(problems)} problems")
    assert not problems, f"{len(problems)} problems in {reads} reads: {sorted(set(problems))}"
