"""Benchmark 1: a whole `newslens analyze` run against bare `nlp.pipe` over the same articles.

Baseline: the same loaded spaCy model (all its components) piping the article texts, already in
memory: `nlp.pipe(texts)` at spaCy's default batch size and at the batch size newslens parses
with, whichever is faster (the model at its best). Measured: `run()` from the files to a
committed store (reading, hashing, parsing, every extractor, parts, entity linking, the commit),
with the same model object, so model loading counts on neither side. Ratio: baseline time / our
time (1.0 = extraction and storage cost nothing; target at least 0.8). All sides run in this
one process, interleaved, best of the rounds; the ratio is taken on CPU time, which other
programs on a shared machine barely disturb, and shown on wall time too.
"""

from __future__ import annotations

import shutil

from common import best, load, make_corpus, parser, report, scratch, size, timed_both


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--articles", type=int, help="corpus size (default 240; quick 60)")
    p.add_argument("--rounds", type=int, help="repetitions, best kept (default 2; quick 1)")
    args = p.parse_args()
    n = size(args.articles, "NEWSLENS_BENCH_THROUGHPUT", 240, 60, args.quick)
    rounds = args.rounds or (1 if args.quick else 2)

    from analysis.analyze import PARSE_BATCH
    from analysis.corpus import load_corpus
    from analysis.engines import LocalEngine
    from analysis.extract import readability
    from analysis.nlp import load_model
    from analysis.pipeline import run

    nlp = load_model()
    load_before = load()
    with scratch("throughput") as tmp:
        corpus = make_corpus(tmp / "corpus", n)
        texts = [a.text for a in load_corpus([corpus]).articles]
        words = sum(len(t.split()) for t in texts)
        # Warm up both sides: the model's first calls allocate, and the readability
        # dictionary loads once per process (a second, not per article).
        for _ in nlp.pipe(texts[:20]):
            pass
        readability.score(texts[0], "warm-up")

        def bare() -> None:
            for _ in nlp.pipe(texts):
                pass

        def bare_batched() -> None:
            for _ in nlp.pipe(texts, batch_size=PARSE_BATCH):
                pass

        def ours() -> None:
            store = tmp / "store"
            shutil.rmtree(store, ignore_errors=True)
            summary = run([corpus], store, engine=LocalEngine(nlp))
            assert summary.analysed == n, summary

        default, batched, ours_t = [], [], []
        for _ in range(rounds):  # interleaved, so a slow spell hits every side alike
            default.append(timed_both(bare))
            batched.append(timed_both(bare_batched))
            ours_t.append(timed_both(ours))

    pipe = default + batched
    pipe_wall, pipe_cpu = best([w for w, _ in pipe]), best([c for _, c in pipe])
    run_wall, run_cpu = best([w for w, _ in ours_t]), best([c for _, c in ours_t])
    ratio = pipe_cpu / run_cpu
    report(
        args.out,
        "throughput",
        title=f"1. Analysis throughput vs bare nlp.pipe ({n} articles, {words:,} words)",
        ratio=ratio,
        target=">= 0.8",
        ok=ratio >= 0.8,
        rows=[
            ("nlp.pipe (default)", f"{best([c for _, c in default]):.1f} s CPU"),
            (f"nlp.pipe (batch {PARSE_BATCH})", f"{best([c for _, c in batched]):.1f} s CPU"),
            ("baseline (faster)", f"{pipe_cpu:.1f} s CPU, {pipe_wall:.1f} s wall"),
            ("newslens run", f"{run_cpu:.1f} s CPU, {run_wall:.1f} s wall"),
            ("articles/s", f"{n / run_cpu:.1f} (CPU) vs {n / pipe_cpu:.1f} bare"),
            ("wall ratio", f"{pipe_wall / run_wall:.3f}"),
        ],
        details={
            "articles": n,
            "words": words,
            "rounds": rounds,
            "pipe_default_wall_cpu": default,
            "pipe_batched_wall_cpu": batched,
            "parse_batch": PARSE_BATCH,
            "run_wall_cpu": ours_t,
            "wall_ratio": round(pipe_wall / run_wall, 3),
            "load_before": load_before,
            "load_after": load(),
        },
    )


if __name__ == "__main__":
    main()
