"""Benchmark: copies, stories and happenings at merge time, on a big store.

Analyses a few hundred articles (`make_corpus`, as bench_throughput does) and takes the
per-article rate of that whole run; replicates the store to `--articles` articles (bench
dashboard's `replicate()`, plus the postings and MinHash signatures, which grouping reads);
then times what the merge adds for copies and stories (`copies.find_near_copies`, then
`grouping.find_stories`: documents, entities, postings and events read, TF-IDF, the graph, the
communities, the event groups) at a tenth, half and all of that size, each in a fresh process
so its memory is its own. Ratio: grouping CPU time / the analysis CPU time of the same number
of articles estimated from the measured rate (target <= 0.10). Memory: the peak resident
memory during grouping above what the merge held before it (the entities linked across the
corpus), per size; flat when it grows by less than `FLAT_MB` from the smallest size to the
largest.

    .venv/bin/python bench/bench_stories.py [--articles 10000] [--seed-articles 300]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from common import make_corpus, parser, report, scratch, size

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET = 0.10
# Flat memory: what grouping holds grows by less than this from the smallest to the largest size.
FLAT_MB = 30


def replicate_rows(seed: Path, out: Path, n_articles: int, table: str) -> int:
    """The seed store's rows of `table` (keyed by doc_id, not in `replicate`'s tables) for the
    replicated articles (the ids `replicate` gives)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not (seed / f"{table}.parquet").is_file():
        return 0
    docs = pq.read_table(seed / "documents.parquet", columns=["doc_id"])["doc_id"]
    rows_of = pq.read_table(seed / f"{table}.parquet")
    doc_index = pc.index_in(rows_of["doc_id"], value_set=docs).to_numpy(zero_copy_only=False)
    n_seed = len(docs)
    at = rows_of.schema.get_field_index("doc_id")
    rows = 0
    with pq.ParquetWriter(out / f"{table}.parquet", rows_of.schema, compression="zstd") as w:
        for copy in range(-(-n_articles // n_seed)):
            new_index = copy * n_seed + doc_index
            keep = new_index < n_articles
            if not keep.any():
                break
            taken = rows_of.filter(pa.array(keep))
            ids = np.char.add("b", np.char.zfill(new_index[keep].astype(str), 15)).astype(object)
            w.write_table(
                taken.set_column(at, rows_of.schema.field(at), pa.array(ids, pa.string()))
            )
            rows += taken.num_rows
    return rows


# Tables keyed by article that `replicate` leaves out and grouping reads.
EXTRA_TABLES = ("postings", "signatures")


def _memory(field: str) -> float:
    """A line of /proc/self/status in MB (VmRSS: resident now; VmHWM: its peak)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Reset this process's peak resident memory to what it holds now (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def child(store: Path) -> None:
    """Time what the merge adds for copies and stories over one store and print its seconds
    and memory as JSON: the peak resident memory above what the merge held before (its
    entities, linked across the corpus), so the grouping's own memory shows."""
    import gc

    import pyarrow.parquet as pq

    from analysis.grouping import find_stories
    from analysis.relink import linking
    from analysis.store import Store

    started_mb = _memory("VmRSS")
    ids = pq.read_table(store / "documents.parquet", columns=["doc_id"])["doc_id"].combine_chunks()
    sources = [(store, ids)]
    rows = Store(store).read_rows

    def read(table: str, columns: list[str] | None) -> Any:
        return rows(table, sources, columns=columns)

    doc_entities, links = linking(read)
    gc.collect()
    linked_mb = _memory("VmRSS")
    reset = _reset_peak()
    started, cpu = time.perf_counter(), time.process_time()
    near = copies_of(read)
    copies_cpu = time.process_time() - cpu
    found = find_stories(read, doc_entities, links)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = (
        _memory("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    )
    print(
        json.dumps(
            {
                "articles": len(ids),
                "wall": wall,
                "cpu": cpu,
                "copies_cpu": copies_cpu,
                "near_copies": len(near),
                "stories": found.table.num_rows,
                "multi": sum(1 for n in found.table["n_articles"].to_pylist() if n > 1),
                "groups": len(set(found.group_of.values())),
                "events": len(found.group_of),
                "rss_start_mb": round(started_mb),
                "rss_linked_mb": round(linked_mb),
                "rss_peak_mb": round(peak_mb),
                "grouping_mb": round(peak_mb - linked_mb, 1),
            }
        )
    )


def copies_of(read: Any) -> dict[str, str]:
    """The near copies, as the merge finds them."""
    from analysis.copies import find_near_copies

    return find_near_copies(read).copy_of


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--articles", type=int, help="replicated store size (default 10000)")
    p.add_argument("--seed-articles", type=int, help="articles analysed (default 300)")
    p.add_argument("--child", type=Path, help=argparse_hidden())
    args = p.parse_args()
    if args.child:
        child(args.child)
        return
    n = size(args.articles, "NEWSLENS_BENCH_STORIES", 10_000, 1_000, args.quick)
    n_seed = size(args.seed_articles, "NEWSLENS_BENCH_STORIES_SEED", 300, 60, args.quick)

    from bench_dashboard import replicate

    from analysis.engines import LocalEngine
    from analysis.nlp import load_model
    from analysis.pipeline import run

    nlp = load_model()
    with scratch("stories") as tmp:
        corpus = make_corpus(tmp / "corpus", n_seed)
        started, cpu = time.perf_counter(), time.process_time()
        run([corpus], tmp / "seed", engine=LocalEngine(nlp))
        run_wall, run_cpu = time.perf_counter() - started, time.process_time() - cpu
        per_article = run_cpu / n_seed
        sizes = sorted({n // 10, n // 2, n})
        results = []
        for k in sizes:
            big = tmp / f"big-{k}"
            replicate(tmp / "seed", big, k)
            for table in EXTRA_TABLES:
                replicate_rows(tmp / "seed", big, k, table)
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(big)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    last = results[-1]
    estimate = per_article * last["articles"]
    ratio = last["cpu"] / estimate
    rows = [
        ("analysis run", f"{n_seed} articles in {run_cpu:.1f} s CPU ({run_wall:.1f} s wall)"),
        ("per article", f"{per_article * 1000:.0f} ms CPU"),
        (f"analysis of {last['articles']:,} (est.)", f"{estimate:.0f} s CPU"),
    ]
    growth = last["grouping_mb"] - results[0]["grouping_mb"]
    rows.append(
        (
            "memory growth",
            f"+{growth:.1f} MB from {results[0]['articles']:,} to {last['articles']:,} articles "
            f"(target: flat, under {FLAT_MB} MB)",
        )
    )
    for r in results:
        rows.append(
            (
                f"grouping {r['articles']:,}",
                f"{r['cpu']:.1f} s CPU ({r['wall']:.1f} s wall), {r['stories']:,} stories "
                f"({r['multi']:,} of 2+), {r['groups']:,} groups of {r['events']:,} events, "
                f"+{r['grouping_mb']} MB above the linked entities ({r['rss_linked_mb']} MB), "
                f"copies {r['copies_cpu']:.1f} s CPU ({r['near_copies']:,} near copies)",
            )
        )
    report(
        args.out,
        "stories",
        title=f"Stories and event groups on {last['articles']:,} replicated articles",
        ratio=ratio,
        target=f"<= {TARGET}",
        ok=ratio <= TARGET and growth < FLAT_MB,
        rows=rows,
        details={
            "seed_articles": n_seed,
            "run_cpu": run_cpu,
            "memory_growth_mb": growth,
            "sizes": results,
        },
    )


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
