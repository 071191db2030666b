"""Benchmark 4: the dashboard's data layer on a 100,000-article store.

Builds a big store by replicating the analysed rows of the seed store with new doc ids and
publication dates (Parquet written directly with pyarrow, entity counts consistent), then times
"filter change -> table rows" (count + first page, as a page does after a filter change) through
`analysis.query.StoreView` (what the dashboard caches), and the peak memory of the process doing
it. Each figure is reported
against the same measurement on the one-article seed store in the same run.

    .venv/bin/python bench/bench_dashboard.py [--articles 100000] [--keep DIR]

Targets (issue 8): p50 <= 150 ms, peak memory <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

P50_TARGET_MS = 150.0
PEAK_TARGET_MB = 1536.0
CHUNK = 5_000  # articles per Parquet row group written
FIRST_DAY = date(2016, 1, 1)
DAYS = 3650  # publication dates spread over ten years

# The pages' tables and what each lists after a filter change.
TABLES = ("documents", "entities", "mentions", "quotes", "figures", "events", "ledger")


# -- building the big store -----------------------------------------------------------------


def analyse_seeds(store: Path) -> None:
    from analysis.pipeline import run

    run([ROOT / "seeds"], store)


def replicate(seed: Path, out: Path, n_articles: int) -> dict[str, int]:
    """Write a store of `n_articles` copies of the seed store's articles, each with its own id
    and publication date (events shifted with it), entities counted over the copies."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from analysis.store import MANIFEST, arrow_schema
    from analysis.tables import TABLES as ALL_TABLES

    out.mkdir(parents=True, exist_ok=True)
    tables = {t: pq.read_table(seed / f"{t}.parquet") for t in ALL_TABLES}
    docs = tables["documents"]
    n_seed = docs.num_rows
    if n_seed == 0:
        raise SystemExit("the seed store holds no article")
    seed_published = [
        (p.date() if hasattr(p, "date") else p) for p in docs["published"].to_pylist()
    ]
    copies = -(-n_articles // n_seed)
    counts = dict.fromkeys(ALL_TABLES, 0)
    # Tables not keyed by article: entities are recounted below, stories copied as they are.
    whole = ("entities", "stories")
    writers = {
        t: pq.ParquetWriter(out / f"{t}.parquet", arrow_schema(t), compression="zstd")
        for t in tables
        if t not in whole
    }
    ent_docs = 0
    calendar = np.array(
        [FIRST_DAY + timedelta(days=d) for d in range(DAYS)], dtype="datetime64[ms]"
    )
    try:
        for first in range(0, copies, CHUNK):
            block = range(first, min(copies, first + CHUNK))
            for table, data in tables.items():
                if table in whole or data.num_rows == 0:
                    continue
                # Position of each row's article in the seed store.
                doc_index = pc.index_in(data["doc_id"], value_set=docs["doc_id"]).to_numpy(
                    zero_copy_only=False
                )
                reps = len(block)
                rows = np.tile(np.arange(data.num_rows), reps)
                copy = np.repeat(np.array(block), data.num_rows)
                seed_doc = doc_index[rows]
                new_index = copy * n_seed + seed_doc
                keep = new_index < n_articles
                rows, copy, seed_doc, new_index = (
                    rows[keep],
                    copy[keep],
                    seed_doc[keep],
                    new_index[keep],
                )
                taken = data.take(pa.array(rows))
                new_ids = np.char.add("b", np.char.zfill(new_index.astype(str), 15)).astype(object)
                offsets = (new_index * 7919) % DAYS  # a spread of days, same for a doc's rows
                published = calendar[offsets]
                # How far each copy moved from its seed article's date: events move with it.
                seed_day = np.array(
                    [np.datetime64(p, "ms") if p else np.datetime64("NaT") for p in seed_published],
                    dtype="datetime64[ms]",
                )[seed_doc]
                shift = published - seed_day
                columns = {name: taken[name] for name in taken.column_names}
                columns["doc_id"] = pa.array(new_ids, pa.string())
                columns["published"] = pa.array(published, pa.timestamp("ms"))
                if table == "documents":
                    columns["sha256"] = columns["doc_id"]
                    columns["path"] = pa.array(
                        np.char.add("replica/", new_ids.astype(str)).astype(object), pa.string()
                    )
                if table == "events":
                    for name in ("date", "end_date"):
                        moved = taken[name].to_numpy(zero_copy_only=False).astype(
                            "datetime64[ms]"
                        ) + np.where(np.isnat(shift), np.timedelta64(0, "ms"), shift)
                        columns[name] = pa.array(moved, pa.timestamp("ms"))
                id_column = {"quotes": "quote_id", "figures": "figure_id", "events": "event_id"}
                if table in id_column:
                    prefix = id_column[table][0]
                    starts = taken["start"].to_numpy().astype(str)
                    ids = np.char.add(
                        np.char.add(np.char.add(f"{prefix}-", new_ids.astype(str)), "-"), starts
                    )
                    columns[id_column[table]] = pa.array(ids.astype(object), pa.string())
                if table == "mentions":
                    ent_docs += len(np.unique(new_index))
                batch = pa.table(
                    [columns[c] for c in arrow_schema(table).names], schema=arrow_schema(table)
                )
                writers[table].write_table(batch)
                counts[table] += batch.num_rows
    finally:
        for writer in writers.values():
            writer.close()
    pq.write_table(tables["stories"], out / "stories.parquet")
    counts["stories"] = tables["stories"].num_rows
    # Entities: the same people and places in every copy, counted over all of them.
    entities = tables["entities"]
    import duckdb

    stats = duckdb.connect().execute(
        "SELECT entity_id, count(*), count(DISTINCT doc_id), min(published), max(published) "
        "FROM read_parquet(?) GROUP BY entity_id",
        [str(out / "mentions.parquet")],
    )
    by_id = {
        row[0]: {"n": row[1], "d": row[2], "f": row[3], "l": row[4]} for row in stats.fetchall()
    }
    ids = entities["entity_id"].to_pylist()
    columns = {name: entities[name] for name in entities.column_names}
    columns["n_mentions"] = pa.array([by_id.get(i, {}).get("n", 0) for i in ids], pa.int64())
    columns["n_documents"] = pa.array([by_id.get(i, {}).get("d", 0) for i in ids], pa.int64())
    columns["first_seen"] = pa.array([by_id.get(i, {}).get("f") for i in ids], pa.timestamp("ms"))
    columns["last_seen"] = pa.array([by_id.get(i, {}).get("l") for i in ids], pa.timestamp("ms"))
    schema = arrow_schema("entities")
    pq.write_table(
        pa.table([columns[c] for c in schema.names], schema=schema), out / "entities.parquet"
    )
    counts["entities"] = entities.num_rows
    (out / MANIFEST).write_text(
        json.dumps({"pipeline_version": "bench", "tables": counts, "paths": []}), encoding="utf-8"
    )
    return counts


# -- measuring ------------------------------------------------------------------------------


def filter_states(store: Path) -> list[Any]:
    """Filter changes a user makes: an entity, a type, a year, an event range, an article."""
    from analysis.query import Filter as FilterState
    from analysis.query import StoreView

    db = StoreView(store)
    top = db.entity_options(limit=3)
    person = [str(e) for e, t in zip(top["entity_id"], top["type"], strict=True)][:1]
    docs = db.rows("documents", FilterState(), limit=1)
    _, hi = db.published_bounds()
    year = (hi - timedelta(days=365), hi) if hi else (None, None)
    elo, _ = db.event_bounds()
    states = [
        FilterState(),
        FilterState(entities=tuple(person)),
        FilterState(types=("PERSON",)),
        FilterState(published=year),
        FilterState(event_dates=(elo, elo + timedelta(days=730)) if elo else (None, None)),
        FilterState(docs=tuple(str(d) for d in docs["doc_id"])),
        FilterState(entities=tuple(person), published=year),
    ]
    return states


def measure(store: Path, repeat: int) -> dict[str, Any]:
    """Time count + first page for every table under every filter state; peak memory."""
    from analysis.query import StoreView

    started = time.perf_counter()
    db = StoreView(store)
    states = filter_states(store)
    timings: dict[str, list[float]] = {t: [] for t in TABLES}
    for _ in range(repeat):
        for state in states:
            for table in TABLES:
                t0 = time.perf_counter()
                db.count(table, state)
                db.rows(table, state, limit=25)
                timings[table].append((time.perf_counter() - t0) * 1000)
    overview: list[float] = []
    for state in states:
        t0 = time.perf_counter()
        db.counts(state)
        db.top_entities(state)
        db.aggregate("events_by_period", state, period="year")
        overview.append((time.perf_counter() - t0) * 1000)
    every = [x for values in timings.values() for x in values]
    peak_kb = _peak_kb()
    return {
        "p50_ms": statistics.median(every),
        "p90_ms": statistics.quantiles(every, n=10)[-1] if len(every) >= 10 else max(every),
        "per_table_p50_ms": {t: statistics.median(v) for t, v in timings.items()},
        "overview_p50_ms": statistics.median(overview),
        "peak_mb": peak_kb / 1024,
        "samples": len(every),
        "seconds": time.perf_counter() - started,
    }


def _peak_kb() -> float:
    """Peak resident memory of this process in kB.

    Linux's VmHWM belongs to the process image, whereas ru_maxrss survives exec and would
    report the parent's peak (the store builder's) in the measuring child.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def measure_in_child(store: Path, repeat: int) -> dict[str, Any]:
    """Measure in a fresh process, so its peak memory is the data layer's alone."""
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(store), "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the filter states")
    parser.add_argument("--keep", type=Path, help="build the stores here and keep them")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.repeat)))
        return 0

    work = args.keep or Path(tempfile.mkdtemp(prefix="newslens-bench-"))
    seed, big = work / "seed-store", work / f"store-{args.articles}"
    try:
        t0 = time.perf_counter()
        if not (seed / "manifest.json").is_file():
            analyse_seeds(seed)
        if not (big / "manifest.json").is_file():
            rows = replicate(seed, big, args.articles)
        else:
            rows = json.loads((big / "manifest.json").read_text())["tables"]
        built = time.perf_counter() - t0
        base = measure_in_child(seed, args.repeat)
        large = measure_in_child(big, args.repeat)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report = {
        "machine": f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}",
        "articles": args.articles,
        "rows": rows,
        "build_seconds": built,
        "baseline": base,
        "large": large,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(
        f"Dashboard data layer, {args.articles:,} articles ({rows.get('mentions', 0):,} mentions)"
    )
    print(f"machine: {report['machine']}; store built in {built:.0f} s")
    print(f"{'measure':<38}{'1 article':>12}{'big store':>12}{'ratio':>8}{'target':>12}")
    lines = [
        ("filter change -> table rows, p50 (ms)", "p50_ms", f"<= {P50_TARGET_MS:.0f}"),
        ("filter change -> table rows, p90 (ms)", "p90_ms", ""),
        ("overview (counts + charts), p50 (ms)", "overview_p50_ms", ""),
        ("peak memory (MB)", "peak_mb", f"<= {PEAK_TARGET_MB:.0f}"),
    ]
    for label, key, target in lines:
        a, b = base[key], large[key]
        print(f"{label:<38}{a:>12.1f}{b:>12.1f}{b / a if a else float('nan'):>7.1f}x{target:>12}")
    print(
        "per table p50 (ms): "
        + ", ".join(f"{t} {v:.0f}" for t, v in large["per_table_p50_ms"].items())
    )
    ok = large["p50_ms"] <= P50_TARGET_MS and large["peak_mb"] <= PEAK_TARGET_MB
    print("targets met" if ok else "TARGETS MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
