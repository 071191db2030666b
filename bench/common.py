"""Shared by the benchmarks: test corpora made from real articles, the machine, the results."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
SEEDS = ROOT / "seeds"
# Real articles to vary besides the seeds (the MEANTIME Wikinews set beside the checkout).
WIKINEWS = Path(
    os.environ.get("NEWSLENS_BENCH_SOURCES", ROOT.parent / "shared" / "corpus" / "wikinews")
)

_SLUG = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*")  # what the reader takes as a slug line

sys.path.insert(0, str(ROOT))  # run as `python bench/x.py` from a checkout, installed or not


@dataclass(frozen=True)
class Source:
    """A real article to vary: its date, slug and body."""

    published: str
    slug: str
    body: str


@cache
def sources() -> tuple[Source, ...]:
    """The real articles to build corpora from: the seeds, plus the Wikinews set when present."""
    from analysis.corpus import load_corpus

    roots = [SEEDS, *([WIKINEWS] if WIKINEWS.is_dir() else [])]
    articles = load_corpus(roots).articles
    out = []
    for article in articles:
        published = article.published.isoformat() if article.published else "2025-12-13"
        slug = article.slug if _SLUG.fullmatch(article.slug) else "article"
        out.append(Source(published, slug, article.text))
    if len(out) < 2:  # no shared corpus and one seed: vary it paragraph by paragraph
        body = out[0].body
        paragraphs = [p for p in body.split("\n\n") if p.strip()]
        out += [
            Source(
                out[0].published, f"{out[0].slug}-{k}", "\n\n".join(paragraphs[k:] + paragraphs[:k])
            )
            for k in range(1, len(paragraphs))
        ]
    return tuple(out)


def make_corpus(folder: Path, n: int, *, start: int = 0) -> Path:
    """Write `n` articles in the seed format, each a real article plus its own closing sentence.

    The closing sentence gives every copy its own text, hence its own id, so nothing is read
    twice as the same article. Files go 1,000 to a folder.
    """
    real = sources()
    for i in range(start, start + n):
        source = real[i % len(real)]
        body = f"{source.body.rstrip()}\n\nThis is archive copy number {i}.\n"
        folder_i = folder / f"{i // 1000:04d}"
        folder_i.mkdir(parents=True, exist_ok=True)
        text = f"{source.published}\n{source.slug}\n\n{body}"
        (folder_i / f"{i:06d}.txt").write_text(text, encoding="utf-8")
    return folder


@contextmanager
def scratch(name: str) -> Iterator[Path]:
    """A temporary folder, removed afterwards (set NEWSLENS_BENCH_KEEP=1 to keep it)."""
    folder = Path(tempfile.mkdtemp(prefix=f"newslens-bench-{name}-"))
    try:
        yield folder
    finally:
        if not os.environ.get("NEWSLENS_BENCH_KEEP"):
            shutil.rmtree(folder, ignore_errors=True)


def timed(fn: Callable[[], Any]) -> float:
    """Wall seconds of one call."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def timed_both(fn: Callable[[], Any]) -> tuple[float, float]:
    """Wall and CPU seconds of one call in this process (CPU time barely moves when other
    programs share the machine; wall time is what a user waits)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def load() -> float | None:
    """The one-minute load average: how busy the machine was while measuring."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def best(samples: list[float]) -> float:
    """The fastest of repeated timings: noise from other processes only ever adds time."""
    return min(samples)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    memory = None
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            for line in info:
                if line.startswith("MemTotal:"):
                    memory = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    try:
        import spacy

        spacy_version = spacy.__version__
    except ImportError:  # pragma: no cover
        spacy_version = None
    try:
        from analysis.nlp import installed_model_id

        model = installed_model_id()
    except Exception:  # pragma: no cover - reported as unknown
        model = None
    return {
        "cpus": os.cpu_count(),
        "memory_gb": memory,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "spacy": spacy_version,
        "model": model,
        "load_average": load(),
    }


def parser(description: str) -> argparse.ArgumentParser:
    """Command-line options every benchmark takes."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="small sizes: a smoke run in a minute")
    p.add_argument("--out", type=Path, default=RESULTS, help=f"results folder (default: {RESULTS})")
    return p


def size(value: int | None, env: str, full: int, quick: int, is_quick: bool) -> int:
    """A corpus size: the flag, else the environment variable, else the full or quick default."""
    if value is not None:
        return value
    if os.environ.get(env):
        return int(os.environ[env])
    return quick if is_quick else full


def report(
    out: Path,
    name: str,
    *,
    title: str,
    ratio: float,
    target: str,
    ok: bool,
    rows: list[tuple[str, str]],
    details: dict[str, Any],
) -> dict[str, Any]:
    """Print one benchmark's table and write it as JSON to `out/<name>.json`."""
    result = {
        "benchmark": name,
        "title": title,
        "ratio": round(ratio, 3),
        "target": target,
        "ok": ok,
        "details": details,
        "machine": machine(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    width = max(len(k) for k, _ in [*rows, ("ratio", "")])
    print(f"\n{title}")
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")
    print(f"  {'ratio':<{width}}  {ratio:.3f}   target {target}   {'ok' if ok else 'MISSED'}")
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


def median(values: list[float]) -> float:
    return statistics.median(values)


def run_child(command: list[str], **kw: Any) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the process and its children) of one command."""
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, **kw)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def run_children(commands: list[list[str]], **kw: Any) -> tuple[float, float]:
    """Wall and CPU seconds of several commands started together, until the last one ends."""
    import resource
    import subprocess

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    children = [subprocess.Popen(c, stdout=subprocess.DEVNULL, **kw) for c in commands]
    codes = [child.wait() for child in children]
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if any(codes):
        raise subprocess.CalledProcessError(max(codes), commands[codes.index(max(codes))])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def rotating(
    sides: dict[str, Callable[[], tuple[float, float]]], rounds: int
) -> list[dict[str, Any]]:
    """`rounds` rounds of every side, the order rotated each round so a slow spell hits all.

    Each round records every side's (wall, CPU) seconds and the load average before it.
    """
    names = list(sides)
    out = []
    for k in range(rounds):
        row: dict[str, Any] = {"load": load()}
        for name in names[k % len(names) :] + names[: k % len(names)]:
            row[name] = sides[name]()
        out.append(row)
        print(  # as it goes: a slow machine may not see the last round
            f"round {k + 1}/{rounds}: load {row['load']}; "
            + ", ".join(
                f"{name} {row[name][0]:.1f} s wall {row[name][1]:.1f} s CPU" for name in names
            ),
            file=sys.stderr,
            flush=True,
        )
    return out


def alternating(
    baseline: Callable[[], tuple[float, float]],
    measured: Callable[[], tuple[float, float]],
    pairs: int,
) -> list[dict[str, Any]]:
    """`pairs` pairs of runs, the order swapped every pair so a slow spell hits both sides."""
    return rotating({"baseline": baseline, "measured": measured}, pairs)


def spread(values: list[float]) -> str:
    """'median (min-max)' of a list of ratios."""
    return f"{statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})"


def bare_model() -> str:
    """The model package the bare `nlp.pipe` baseline loads: the first installed of those
    `analysis.nlp.load_model` tries, so both sides run the same model."""
    import importlib.util

    from analysis.nlp import MODEL_PACKAGES

    return next(m for m in MODEL_PACKAGES if importlib.util.find_spec(m) is not None)


def texts_file(roots: list[Path], path: Path) -> tuple[Path, int, int]:
    """The article texts newslens parses from `roots`, one JSON string a line (for bare_pipe.py)."""
    from analysis.corpus import load_corpus

    texts = [a.text for a in load_corpus(roots).articles]
    path.write_text("".join(json.dumps(t) + "\n" for t in texts), encoding="utf-8")
    return path, len(texts), sum(len(t.split()) for t in texts)
