"""Benchmark 1: a whole `newslens analyze` process against a bare `nlp.pipe` script.

Baseline: `bare_pipe.py`, a separate Python process that loads the same model package (all its
components, as shipped) and pipes the same article texts through it. Measured: a separate
`python -m analysis.cli analyze CORPUS --out STORE --workers 1 --quiet` into a fresh store:
interpreter start, imports, model load, reading and hashing the files, the parse, every
extractor, the search index, linking, stories, copies and the commit. Both load the model, so
the start-up counts on both sides. Two corpora: seed-like articles (`common.make_corpus`, the
seed and the Wikinews articles each with a closing sentence of its own) and the real articles
themselves (the seed plus the Wikinews set, when present).

Runs alternate (bare, ours, then ours, bare, ...) in pairs; each pair gives a ratio, bare time /
our time (our throughput as a share of the bare script's: 1.0 = everything besides the model is
free; target at least 0.95), and the median of the pairs with its min and max is reported, on
CPU time (user + system of the child, which other programs on a shared machine disturb least)
and on wall time. The load average before each pair is reported too.
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

from common import (
    ROOT,
    SEEDS,
    WIKINEWS,
    alternating,
    bare_model,
    load,
    make_corpus,
    parser,
    report,
    run_child,
    scratch,
    size,
    spread,
    texts_file,
)

TARGET = 0.95


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--articles", type=int, help="seed-like corpus size (default 200; quick 40)")
    p.add_argument("--pairs", type=int, help="alternating pairs per corpus (default 5; quick 1)")
    p.add_argument("--bare-batch", type=int, help="the bare script's batch size (spaCy's default)")
    args = p.parse_args()
    n = size(args.articles, "NEWSLENS_BENCH_THROUGHPUT", 200, 40, args.quick)
    pairs = args.pairs or (1 if args.quick else 5)

    from analysis.nlp import installed_model_id

    model = bare_model()
    rows: list[tuple[str, str]] = []
    details: dict[str, object] = {"model": installed_model_id(), "pairs": pairs}
    medians = []
    with scratch("throughput") as tmp:
        corpora = {f"{n} seed-like articles": [make_corpus(tmp / "corpus", n)]}
        if WIKINEWS.is_dir():
            corpora["the seed + Wikinews articles"] = [SEEDS, WIKINEWS]
        for k, (label, roots) in enumerate(corpora.items()):
            texts, count, words = texts_file(roots, tmp / f"texts{k}.jsonl")
            store = tmp / f"store{k}"
            bare_cmd = [sys.executable, str(ROOT / "bench" / "bare_pipe.py"), str(texts)]
            bare_cmd += ["--model", model]
            if args.bare_batch:
                bare_cmd += ["--batch-size", str(args.bare_batch)]
            ours_cmd = [sys.executable, "-m", "analysis.cli", "analyze", *map(str, roots)]
            ours_cmd += ["--out", str(store), "--workers", "1", "--quiet"]

            def ours(cmd: list[str] = ours_cmd, store: Path = store) -> tuple[float, float]:
                shutil.rmtree(store, ignore_errors=True)
                return run_child(cmd, cwd=ROOT)

            runs = alternating(lambda cmd=bare_cmd: run_child(cmd, cwd=ROOT), ours, pairs)
            cpu = [r["baseline"][1] / r["measured"][1] for r in runs]
            wall = [r["baseline"][0] / r["measured"][0] for r in runs]
            medians.append(statistics.median(cpu))
            bare_cpu = statistics.median(r["baseline"][1] for r in runs)
            ours_cpu = statistics.median(r["measured"][1] for r in runs)
            rows += [
                (f"{label} ({words:,} words)", ""),
                (
                    "  bare script, CPU s (median)",
                    f"{bare_cpu:.1f}  ({count / bare_cpu:.1f} art/s)",
                ),
                ("  newslens analyze, CPU s", f"{ours_cpu:.1f}  ({count / ours_cpu:.1f} art/s)"),
                ("  ratio on CPU, median (min-max)", spread(cpu)),
                ("  ratio on wall, median (min-max)", spread(wall)),
                ("  load average before the pairs", ", ".join(f"{r['load']:.1f}" for r in runs)),
            ]
            details[label] = {"articles": count, "words": words, "runs": runs}
    ratio = min(medians)
    report(
        args.out,
        "throughput",
        title="1. newslens analyze (one process) vs a bare nlp.pipe script, same model",
        ratio=ratio,
        target=f">= {TARGET} (CPU, each corpus)",
        ok=ratio >= TARGET,
        rows=rows,
        details={**details, "load_after": load()},
    )


if __name__ == "__main__":
    main()
