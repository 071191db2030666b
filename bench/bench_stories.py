"""Benchmark: grouping articles into stories and events into happenings, on a big store.

Analyses a few hundred articles (`make_corpus`, as bench_throughput does) and takes the
per-article rate of that whole run; replicates the store to `--articles` articles (bench
dashboard's `replicate()`, plus the search index's postings, which stories read); then times
what the merge adds for stories (`analysis.pipeline._find_stories`: reading documents, mentions'
entities, postings and events, TF-IDF, the graph, the communities, the event groups), each size
in a fresh process so its peak memory is its own. Ratio: grouping time / the analysis time of
the same number of articles estimated from the measured rate (target <= 0.10); memory is
reported per size (flat: it should grow with the corpus far less than the corpus does).

    .venv/bin/python bench/bench_stories.py [--articles 10000] [--seed-articles 300]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from common import make_corpus, parser, report, scratch, size

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET = 0.10


def replicate_postings(seed: Path, out: Path, n_articles: int) -> int:
    """The seed store's postings for the replicated articles (the ids `replicate` gives)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    docs = pq.read_table(seed / "documents.parquet", columns=["doc_id"])["doc_id"]
    postings = pq.read_table(seed / "postings.parquet")
    doc_index = pc.index_in(postings["doc_id"], value_set=docs).to_numpy(zero_copy_only=False)
    n_seed = len(docs)
    rows = 0
    with pq.ParquetWriter(out / "postings.parquet", postings.schema, compression="zstd") as w:
        for copy in range(-(-n_articles // n_seed)):
            new_index = copy * n_seed + doc_index
            keep = new_index < n_articles
            if not keep.any():
                break
            taken = postings.filter(pa.array(keep))
            ids = np.char.add("b", np.char.zfill(new_index[keep].astype(str), 15)).astype(object)
            w.write_table(taken.set_column(0, postings.schema.field(0), pa.array(ids, pa.string())))
            rows += taken.num_rows
    return rows


def child(store: Path) -> None:
    """Time the grouping over one store and print its seconds and peak memory as JSON."""
    import pyarrow.parquet as pq

    from analysis.extract import entities as entities_mod
    from analysis.pipeline import _collect_doc_entities, _find_stories, _reader
    from analysis.store import Store

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ids = pq.read_table(store / "documents.parquet", columns=["doc_id"])["doc_id"].combine_chunks()
    sources = [(store, ids)]
    reader = Store(store).read_rows
    cols = ["doc_id", "entity_ref", "text", "type", "published"]
    doc_entities = _collect_doc_entities(reader("mentions", sources, columns=cols))
    links = entities_mod.link_corpus(doc_entities)
    linked = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu = time.perf_counter(), time.process_time()
    found = _find_stories(_reader(Store(store), sources), doc_entities, links)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "articles": len(ids),
                "wall": wall,
                "cpu": cpu,
                "stories": found.table.num_rows,
                "multi": sum(1 for n in found.table["n_articles"].to_pylist() if n > 1),
                "groups": len(set(found.group_of.values())),
                "events": len(found.group_of),
                "rss_before_mb": round(before),
                "rss_after_linking_mb": round(linked),
                "rss_peak_mb": round(peak),
            }
        )
    )


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
        sizes = sorted({n // 4, n // 2, n})
        results = []
        for k in sizes:
            big = tmp / f"big-{k}"
            replicate(tmp / "seed", big, k)
            replicate_postings(tmp / "seed", big, k)
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
    for r in results:
        rows.append(
            (
                f"grouping {r['articles']:,}",
                f"{r['cpu']:.1f} s CPU ({r['wall']:.1f} s wall), {r['stories']:,} stories "
                f"({r['multi']:,} of 2+), {r['groups']:,} groups of {r['events']:,} events, "
                f"peak {r['rss_peak_mb']} MB (after linking {r['rss_after_linking_mb']} MB)",
            )
        )
    report(
        args.out,
        "stories",
        title=f"Stories and event groups on {last['articles']:,} replicated articles",
        ratio=ratio,
        target=f"<= {TARGET}",
        ok=ratio <= TARGET,
        rows=rows,
        details={"seed_articles": n_seed, "run_cpu": run_cpu, "sizes": results},
    )


def argparse_hidden() -> str:
    import argparse

    return argparse.SUPPRESS


if __name__ == "__main__":
    main()
