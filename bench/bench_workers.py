"""Benchmark 2: `newslens analyze` with default settings against the bare single-process script.

Baseline: `bare_pipe.py` (the same model package, all its components, one process) piping the
article texts. Measured: `python -m analysis.cli analyze CORPUS --out STORE --quiet` with no
`--workers`, which on a corpus above `engines.AUTO_MIN_ARTICLES` starts one worker process per
core (each loads the model, and that start-up counts), into a fresh store. Ratio: the bare
script's wall time / ours (target at least 1.5 on a 2-core machine), one per alternating pair,
median with min and max. Wall time needs idle cores: the load average before each pair is
reported, and other programs on the same cores lower the ratio.

The machine's own ceiling is measured beside it: the same bare script started once per core at
the same time, each on its share of the texts (every core-th text), against the bare script
alone. That is what any program running on every core could gain here over one process; on
shared virtual machines two busy cores each run slower than one, so it is below the number of
cores. Each round runs all three, in an order rotated every round.
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

from common import (
    ROOT,
    bare_model,
    load,
    make_corpus,
    parser,
    report,
    rotating,
    run_child,
    run_children,
    scratch,
    size,
    spread,
    texts_file,
)

TARGET = 1.5


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--articles", type=int, help="corpus size (default 400; quick 240)")
    p.add_argument("--pairs", type=int, help="alternating pairs (default 5; quick 1)")
    args = p.parse_args()
    n = size(args.articles, "NEWSLENS_BENCH_WORKERS", 400, 240, args.quick)
    pairs = args.pairs or (1 if args.quick else 5)

    import os

    from analysis.engines import AUTO_MIN_ARTICLES
    from analysis.nlp import installed_model_id

    model = bare_model()
    with scratch("workers") as tmp:
        corpus = make_corpus(tmp / "corpus", n)
        texts, count, words = texts_file([corpus], tmp / "texts.jsonl")
        store = tmp / "store"
        bare_cmd = [sys.executable, str(ROOT / "bench" / "bare_pipe.py"), str(texts)]
        bare_cmd += ["--model", model]
        ours_cmd = [sys.executable, "-m", "analysis.cli", "analyze", str(corpus)]
        ours_cmd += ["--out", str(store), "--quiet"]

        cores = os.cpu_count() or 1
        shares = split_texts(texts, cores)
        split_cmds = [[*bare_cmd[:2], str(share), *bare_cmd[3:]] for share in shares]

        def ours() -> tuple[float, float]:
            shutil.rmtree(store, ignore_errors=True)
            return run_child(ours_cmd, cwd=ROOT)

        sides = {
            "baseline": lambda: run_child(bare_cmd, cwd=ROOT),
            "measured": ours,
            "split": lambda: run_children(split_cmds, cwd=ROOT),
        }
        runs = rotating(sides, pairs)
    wall = [r["baseline"][0] / r["measured"][0] for r in runs]
    ceiling = [r["baseline"][0] / r["split"][0] for r in runs]
    share = [r["split"][0] / r["measured"][0] for r in runs]
    ratio = statistics.median(wall)
    bare_wall = statistics.median(r["baseline"][0] for r in runs)
    ours_wall = statistics.median(r["measured"][0] for r in runs)
    split_wall = statistics.median(r["split"][0] for r in runs)
    report(
        args.out,
        "workers",
        title=f"2. newslens analyze, default settings, vs the bare script ({n} articles)",
        ratio=ratio,
        target=f">= {TARGET} (wall)",
        ok=ratio >= TARGET,
        rows=[
            ("cores", f"{os.cpu_count()} (workers start above {AUTO_MIN_ARTICLES} articles)"),
            ("bare script, wall s (median)", f"{bare_wall:.1f}  ({count / bare_wall:.1f} art/s)"),
            ("newslens analyze, wall s", f"{ours_wall:.1f}  ({count / ours_wall:.1f} art/s)"),
            ("ratio on wall, median (min-max)", spread(wall)),
            (
                f"the ceiling: the bare script as {os.cpu_count()} processes at once, wall s",
                f"{split_wall:.1f}; bare alone / this {spread(ceiling)}",
            ),
            ("newslens analyze as a share of the ceiling", spread(share)),
            ("load average before the pairs", ", ".join(f"{r['load']:.1f}" for r in runs)),
        ],
        details={
            "articles": count,
            "words": words,
            "model": installed_model_id(),
            "pairs": pairs,
            "runs": runs,
            "load_after": load(),
        },
    )


def split_texts(texts: Path, parts: int) -> list[Path]:
    """The texts file dealt into `parts` files (every parts-th line), beside it."""
    lines = texts.read_text(encoding="utf-8").splitlines(keepends=True)
    out = []
    for k in range(parts):
        path = texts.with_name(f"{texts.stem}.{k}{texts.suffix}")
        path.write_text("".join(lines[k::parts]), encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    main()
