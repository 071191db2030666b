"""Benchmark: readability from one set of counts against textstat's eight calls, same articles.

Baseline: what `readability.score` did before, textstat 0.7.8's seven measures and
`text_standard`, each called on the article text (`getattr(textstat, name)(text)`). Measured:
`readability.score` now, which counts each article once with textstat's counters and derives
the eight measures from those counts. Both run over the real articles (the seeds, plus the
Wikinews set when present), in this one process, alternating which goes first, after one warm-up
that loads the pronouncing dictionary and the hyphenation patterns (once per process, both
sides). Before every timing all of textstat's caches and ours are emptied, so each repeat is a
fresh run over articles neither side has seen; the steady state of a long run, where our
per-word memo is warm, is shown beside it. Ratio: baseline CPU time / our CPU time, medians of
the repeats (1.0 = no faster; target at least 3). Every value is checked equal first.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

from common import load, median, parser, report, sources, timed_both

# Loaded once per process by either side; emptying them would time file reading, not counting.
_RESOURCES = {"get_cmudict", "get_pyphen", "get_lang_easy_words"}


def textstat_caches() -> list[Callable[[], None]]:
    """`cache_clear` of every cached function in textstat's backend but its resource loaders."""
    import textstat.backend

    found: dict[int, Callable[[], None]] = {}
    prefix = textstat.backend.__name__ + "."
    for info in pkgutil.walk_packages(textstat.backend.__path__, prefix):
        for name, obj in vars(importlib.import_module(info.name)).items():
            if callable(getattr(obj, "cache_clear", None)) and name not in _RESOURCES:
                found[id(obj)] = obj.cache_clear
    return list(found.values())


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--repeats", type=int, help="alternating repeats, median kept (default 7)")
    args = p.parse_args()
    repeats = max(args.repeats or (5 if args.quick else 7), 5)

    import textstat

    from analysis.extract import readability, readability_counts
    from analysis.records import ReadabilityRecord

    texts = [s.body for s in sources()]
    words = sum(len(t.split()) for t in texts)
    caches = [
        *textstat_caches(),
        readability_counts.syllables_of_word.cache_clear,
        readability_counts.syllables_of_text.cache_clear,
    ]

    def empty_caches() -> None:
        for clear in caches:
            clear()

    def old_score(text: str, doc_id: str) -> ReadabilityRecord | None:
        if not any(ch.isalpha() for ch in text):
            return None
        values = {n: readability._finite(getattr(textstat, n)(text)) for n in readability.MEASURES}
        standard = str(textstat.text_standard(text, float_output=False))
        return ReadabilityRecord(doc_id=doc_id, text_standard=standard, **values)

    def old() -> None:
        for text in texts:
            old_score(text, "x")

    def new() -> None:
        for text in texts:
            readability.score(text, "x")

    assert [old_score(t, "x") for t in texts] == [readability.score(t, "x") for t in texts]
    load_before = load()
    old_t: list[tuple[float, float]] = []
    new_t: list[tuple[float, float]] = []
    for i in range(repeats):  # alternating, so a slow spell hits both sides alike
        for side, samples in [(old, old_t), (new, new_t)][:: 1 if i % 2 == 0 else -1]:
            empty_caches()
            samples.append(timed_both(side))
    warm = []  # our memo kept from the previous repeat: a long run's steady state
    new()
    for _ in range(repeats):
        warm.append(timed_both(new))

    def cpu(samples: list[tuple[float, float]]) -> list[float]:
        return [c for _, c in samples]

    def wall(samples: list[tuple[float, float]]) -> list[float]:
        return [w for w, _ in samples]

    def spread(samples: list[float]) -> str:
        ms = [1000 * s for s in samples]
        return f"{median(ms):.1f} ms (min {min(ms):.1f}, max {max(ms):.1f})"

    n = len(texts)
    ratio = median(cpu(old_t)) / median(cpu(new_t))
    wall_ratio = median(wall(old_t)) / median(wall(new_t))
    warm_ratio = median(cpu(old_t)) / median(cpu(warm))
    report(
        args.out,
        "readability",
        title=f"Readability: one count vs textstat's eight calls ({n} articles, {words:,} words)",
        ratio=ratio,
        target=">= 3",
        ok=ratio >= 3,
        rows=[
            ("textstat, eight calls", f"{spread(cpu(old_t))} CPU"),
            ("one count, fresh", f"{spread(cpu(new_t))} CPU"),
            ("one count, memo warm", f"{spread(cpu(warm))} CPU, ratio {warm_ratio:.1f}"),
            (
                "per article",
                f"{1000 * median(cpu(new_t)) / n:.2f} ms vs {1000 * median(cpu(old_t)) / n:.2f} ms",
            ),
            ("wall ratio", f"{wall_ratio:.3f}"),
        ],
        details={
            "articles": n,
            "words": words,
            "repeats": repeats,
            "textstat_wall_cpu": old_t,
            "ours_fresh_wall_cpu": new_t,
            "ours_warm_wall_cpu": warm,
            "wall_ratio": round(wall_ratio, 3),
            "warm_ratio": round(warm_ratio, 3),
            "load_before": load_before,
            "load_after": load(),
        },
    )


if __name__ == "__main__":
    main()
