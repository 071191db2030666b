"""Benchmark 3: re-running on an unchanged 1,000-article corpus against the first, full run.

Both are whole runs as `newslens analyze --workers N` does them (a fresh engine each time,
which loads the model only if it has something to analyse; N is 2 on a machine with two cores
or more: the faster the full run, the harder the target). Ratio: re-run time / full run time
(target at most 3%). Also shown: a re-run after one article changed (one article analysed,
every table merged again), and the CLI's own wall time for the no-op re-run, interpreter start
included.
"""

from __future__ import annotations

import os
import subprocess
import sys

from common import ROOT, best, load, make_corpus, parser, report, scratch, size, timed


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--articles", type=int, help="corpus size (default 1000; quick 200)")
    p.add_argument("--rounds", type=int, help="re-runs, best kept (default 3)")
    p.add_argument("--workers", type=int, help="processes (default 2 when there are 2 cores)")
    args = p.parse_args()
    n = size(args.articles, "NEWSLENS_BENCH_INCREMENTAL", 1000, 200, args.quick)
    rounds = args.rounds or 3
    workers = args.workers or min(2, os.cpu_count() or 1)

    from analysis.engines import Engine, make_engine
    from analysis.pipeline import run

    def engine() -> Engine:
        return make_engine("local", workers=workers)

    load_before = load()
    with scratch("incremental") as tmp:
        corpus, store = make_corpus(tmp / "corpus", n), tmp / "store"
        full = timed(lambda: run([corpus], store, engine=engine()))
        engines = []

        def again() -> None:
            engines.append(engine())
            summary = run([corpus], store, engine=engines[-1])
            assert summary.analysed == 0 and summary.unchanged == n, summary

        reruns = [timed(again) for _ in range(rounds)]
        assert not any(e.batches for e in engines)  # no NLP work at all
        command = [sys.executable, "-m", "analysis.cli", "analyze", str(corpus), "--quiet"]
        command += ["--workers", str(workers), "--out", str(store)]
        cli = best(
            [
                timed(lambda: subprocess.run(command, cwd=ROOT, check=True, capture_output=True))
                for _ in range(rounds)
            ]
        )
        changed = next(corpus.rglob("*.txt"))
        changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more sentence.\n")
        one = timed(lambda: run([corpus], store, engine=engine()))
    rerun = best(reruns)
    ratio = rerun / full
    report(
        args.out,
        "incremental",
        title=f"3. Re-run on an unchanged corpus vs the full run ({n} articles, {workers} workers)",
        ratio=ratio,
        target="<= 0.03",
        ok=ratio <= 0.03,
        rows=[
            ("full run", f"{full:.1f} s"),
            ("unchanged re-run", f"{rerun:.2f} s  ({100 * ratio:.1f}% of the full run)"),
            ("same, CLI process", f"{cli:.2f} s  ({100 * cli / full:.1f}%, Python start included)"),
            ("one article changed", f"{one:.2f} s  ({100 * one / full:.1f}%)"),
        ],
        details={
            "articles": n,
            "workers": workers,
            "full_seconds": full,
            "rerun_seconds": reruns,
            "cli_rerun_seconds": cli,
            "one_changed_seconds": one,
            "load_before": load_before,
            "load_after": load(),
        },
    )


if __name__ == "__main__":
    main()
