"""Benchmark 2: speed-up of a run from 1 to 2 worker processes (`--workers 2`).

Both are whole runs from files to a committed store, as `newslens analyze` does them, each into
a fresh store: 1 worker analyses in this process (loading the model once); 2 workers start a
pool whose processes each load the model, and that start-up counts. Ratio: wall time with 1
worker / wall time with 2 (target at least 1.6 on a 2-core machine). The pool needs idle
cores: other programs running at the same time lower it, so the load average is reported.
"""

from __future__ import annotations

import shutil

from common import best, load, make_corpus, parser, report, scratch, size, timed


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--articles", type=int, help="corpus size (default 600; quick 120)")
    p.add_argument("--rounds", type=int, help="repetitions, best kept (default 1)")
    args = p.parse_args()
    n = size(args.articles, "NEWSLENS_BENCH_WORKERS", 600, 120, args.quick)
    rounds = args.rounds or 1

    from analysis.engines import make_engine
    from analysis.pipeline import run

    times: dict[int, list[float]] = {1: [], 2: []}
    load_before = load()
    with scratch("workers") as tmp:
        corpus = make_corpus(tmp / "corpus", n)
        for _ in range(rounds):
            for workers in (1, 2):
                store = tmp / f"store-{workers}"
                shutil.rmtree(store, ignore_errors=True)
                engine = make_engine("local", workers=workers)
                times[workers].append(timed(lambda e=engine, s=store: run([corpus], s, engine=e)))
    t1, t2 = best(times[1]), best(times[2])
    ratio = t1 / t2
    report(
        args.out,
        "workers",
        title=f"2. Speed-up from 1 to 2 workers ({n} articles)",
        ratio=ratio,
        target=">= 1.6",
        ok=ratio >= 1.6,
        rows=[
            ("1 worker", f"{t1:.1f} s  ({n / t1:.1f} articles/s)"),
            ("2 workers", f"{t2:.1f} s  ({n / t2:.1f} articles/s)"),
            ("load average", f"{load_before} before, {load()} after"),
        ],
        details={
            "articles": n,
            "rounds": rounds,
            "seconds": {str(k): v for k, v in times.items()},
            "load_before": load_before,
            "load_after": load(),
        },
    )


if __name__ == "__main__":
    main()
