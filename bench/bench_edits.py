"""Benchmark: what 1,000 corrections cost on a replicated 100,000-article store.

Builds the big store as benchmark 4 does (`bench_dashboard.replicate`), writes a log of 1,000
edits against it (renames, retypes, merges, a hide, speakers, rejected figures and events), and
times, each against the same run with no edits:

- the no-op run's check: what `newslens analyze` adds when nothing changed and the log is
  already applied (the log's digest against the manifest's);
- applying the log after linking, as a merge does: the edits replayed over the corpus linking
  plus the row pass that fills and edits the entity columns (rows read, nothing written);
- a whole `refresh` (re-apply the log and commit the four linked tables), for reference.

    .venv/bin/python bench/bench_edits.py [--articles 100000] [--edits 1000] [--keep DIR]

Target (issue 15): the edits add at most 2 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_S = 2.0


def write_log(store: Path, n: int) -> None:
    """`n` edits against the store's own names and rows, written as `newslens edit` would."""
    import pyarrow.parquet as pq

    from analysis.edits import TYPES, new_edit

    entities = pq.read_table(store / "entities.parquet", columns=["entity_id", "name"])
    names = entities["name"].to_pylist()
    ids = entities["entity_id"].to_pylist()
    quotes = pq.read_table(store / "quotes.parquet", columns=["quote_id"])["quote_id"]
    figures = pq.read_table(store / "figures.parquet", columns=["figure_id"])["figure_id"]
    events = pq.read_table(store / "events.parquet", columns=["event_id"])["event_id"]
    edits = []
    if len(ids) > 3:
        edits.append(new_edit("merge", [ids[2]], ids[1]))
        edits.append(new_edit("hide", [ids[3]]))
    step = 0
    while len(edits) < n:
        step += 1
        which = step % 5
        if which == 0:
            edits.append(new_edit("rename", [ids[0]], f"{names[0]} ({step})"))
        elif which == 1:
            edits.append(new_edit("retype", [ids[-1]], TYPES[step % len(TYPES)]))
        elif which == 2:
            row = quotes[(step * 7919) % len(quotes)].as_py()
            edits.append(new_edit("speaker", [row], ids[step % len(ids)]))
        elif which == 3:
            row = figures[(step * 7919) % len(figures)].as_py()
            edits.append(new_edit("reject", [row], "figure"))
        else:
            row = events[(step * 7919) % len(events)].as_py()
            edits.append(new_edit("reject", [row], "event"))
    (store / "edits.jsonl").write_text(
        "".join(e.to_json() + "\n" for e in edits[:n]), encoding="utf-8"
    )


def apply_seconds(store_root: Path, *, with_edits: bool) -> dict[str, float]:
    """Linking, then (with the log) the edits, then the row pass: each timed."""
    from analysis.edits import apply_edits
    from analysis.relink import LINKED, edited_tables, linking
    from analysis.store import Store

    store = Store(store_root)
    t0 = time.perf_counter()
    doc_entities, links = linking(store.read_raw)
    t1 = time.perf_counter()
    applied = None
    if with_edits:
        edits, _ = store.read_edits()
        applied = apply_edits(doc_entities, links, edits)
    t2 = time.perf_counter()
    tables = edited_tables(store.read_raw, LINKED, doc_entities, links, applied)
    rows = sum(data.num_rows for batches in tables.values() for data in batches)
    t3 = time.perf_counter()
    return {"link_s": t1 - t0, "edits_s": t2 - t1, "rows_s": t3 - t2, "rows": rows}


def check_seconds(store_root: Path, repeat: int = 20) -> float:
    """What a no-op run adds: is the log the tables were edited with the one on disk?"""
    from analysis.relink import edits_stale
    from analysis.store import Store

    store = Store(store_root)
    t0 = time.perf_counter()
    for _ in range(repeat):
        edits_stale(store, store.manifest())
    return (time.perf_counter() - t0) / repeat


def refresh_seconds(store_root: Path) -> float:
    from analysis.relink import refresh
    from analysis.store import Store

    store = Store(store_root)
    t0 = time.perf_counter()
    with store.writing():
        refresh(store)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    from bench.bench_dashboard import analyse_seeds, replicate

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--edits", type=int, default=1_000)
    parser.add_argument("--keep", type=Path, help="build the stores here and keep them")
    parser.add_argument("--no-refresh", action="store_true", help="skip the full refresh")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="newslens-bench-edits-"))
    seed, big = work / "seed-store", work / f"store-{args.articles}"
    report: dict[str, Any] = {"articles": args.articles, "edits": args.edits}
    try:
        if not (seed / "manifest.json").is_file():
            analyse_seeds(seed)
        if (big / "held").is_dir() or (big / "edits.jsonl").is_file():
            shutil.rmtree(big)  # edited by an earlier run: start from the store as linked
        if not (big / "manifest.json").is_file():
            replicate(seed, big, args.articles)
        report["check_none_s"] = check_seconds(big)
        report["plain"] = apply_seconds(big, with_edits=False)
        write_log(big, args.edits)
        report["edited"] = apply_seconds(big, with_edits=True)
        if not args.no_refresh:
            report["refresh_s"] = refresh_seconds(big)
            report["check_applied_s"] = check_seconds(big)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    plain, edited = report["plain"], report["edited"]
    added = (edited["edits_s"] + edited["rows_s"]) - (plain["edits_s"] + plain["rows_s"])
    report["added_s"] = added
    report["ratio"] = (edited["edits_s"] + edited["rows_s"]) / max(plain["rows_s"], 1e-9)
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"Corrections: {args.edits:,} edits on {args.articles:,} articles")
    print(f"  linking (every merge does it, edits or not): {plain['link_s']:.2f} s")
    print(
        f"  row pass without edits {plain['rows_s']:.2f} s; with them: replay "
        f"{edited['edits_s']:.2f} s + row pass {edited['rows_s']:.2f} s"
    )
    print(f"  added by the edits: {added:.2f} s (ratio {report['ratio']:.2f}x), target <= 2 s")
    print(f"  no-op run's check, no log: {report['check_none_s'] * 1000:.2f} ms")
    if "refresh_s" in report:
        print(f"  no-op run's check, log applied: {report['check_applied_s'] * 1000:.2f} ms")
        print(f"  a whole refresh (re-apply and commit): {report['refresh_s']:.1f} s")
    print("target met" if added <= TARGET_S else "TARGET MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
