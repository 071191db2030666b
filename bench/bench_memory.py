"""Benchmark 5: peak memory of a run over 1,000 and over 10,000 articles.

Each size runs `newslens analyze` (the library's `run`) in its own fresh subprocess, and peak
resident memory is the kernel's account: `resource.getrusage(RUSAGE_CHILDREN)` inside that
subprocess for its pool workers, RUSAGE_SELF for itself, and `os.wait4` (the per-child form of
RUSAGE_CHILDREN) in this parent for the largest process of the whole run.
With a process pool, the run's own process (reading, writing, entity linking) and the workers
(the model and the per-batch analysis) are measured apart, and the total is the run's process
plus every worker at its peak. Ratio: total at the large size / total at the small size
(flat memory = 1.0; target within 20%).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from common import ROOT, load, make_corpus, parser, report, scratch

MB = 1024  # ru_maxrss is in kilobytes on Linux


def child(corpus: Path, store: Path, workers: int) -> None:
    """Inside the measured subprocess: one run, then its memory figures as JSON on stdout."""
    from analysis.engines import make_engine
    from analysis.pipeline import run

    phase = {"name": "plan"}
    peaks: dict[str, float] = {}
    stop = threading.Event()

    def rss_mb() -> float:
        try:
            with open("/proc/self/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / MB
        except OSError:
            pass
        return 0.0

    def sample() -> None:  # which phase the peak falls in: the per-batch analysis or the merge
        while not stop.is_set():
            name = phase["name"]
            peaks[name] = max(peaks.get(name, 0.0), rss_mb())
            time.sleep(0.05)

    def progress(done: int, total: int) -> None:
        phase["name"] = "merge" if done >= total else "analysis"

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    summary = run([corpus], store, engine=make_engine("local", workers=workers), progress=progress)
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MB
    pool = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / MB
    print(
        json.dumps(
            {
                "articles": summary.analysed,
                "seconds": seconds,
                "run_process_mb": own,
                "worker_mb": pool if workers > 1 else 0.0,
                "phase_peaks_mb": peaks,
                "tables": summary.tables,
            }
        )
    )


def measure(corpus: Path, store: Path, workers: int) -> dict[str, Any]:
    """Run the child for one corpus and collect its figures and the kernel's peak for it."""
    command = [sys.executable, __file__, "--child", str(corpus), str(store), str(workers)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, cwd=ROOT, text=True)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"measured run failed ({process.returncode})")
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    result["tree_peak_mb"] = usage.ru_maxrss / MB  # the largest single process of the run
    result["total_mb"] = result["run_process_mb"] + workers * result["worker_mb"]
    return result


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
        return
    p = parser(__doc__ or "")
    p.add_argument("--small", type=int, help="small corpus (default 1000; quick 200)")
    p.add_argument("--large", type=int, help="large corpus (default 10000; quick 2000)")
    p.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("NEWSLENS_BENCH_MEMORY_WORKERS", 2)),
        help="processes per run (default 2, which halves the time of the large run)",
    )
    args = p.parse_args()
    small = args.small or int(
        os.environ.get("NEWSLENS_BENCH_MEMORY_SMALL", 200 if args.quick else 1000)
    )
    large = args.large or int(
        os.environ.get("NEWSLENS_BENCH_MEMORY_LARGE", 2000 if args.quick else 10000)
    )
    results = {}
    load_before = load()
    with scratch("memory") as tmp:
        corpus = make_corpus(tmp / "corpus-small", small)
        results[small] = measure(corpus, tmp / "store-small", args.workers)
        corpus = make_corpus(tmp / "corpus-large", large)
        results[large] = measure(corpus, tmp / "store-large", args.workers)
    a, b = results[small], results[large]
    ratio = b["total_mb"] / a["total_mb"]

    def line(r: dict[str, Any]) -> str:
        text = f"{r['total_mb']:.0f} MB total: run process {r['run_process_mb']:.0f} MB"
        if args.workers > 1:
            text += f" + {args.workers} workers x {r['worker_mb']:.0f} MB"
        return text + f"  ({r['seconds']:.0f} s)"

    report(
        args.out,
        "memory",
        title=f"5. Peak memory, {small:,} vs {large:,} articles ({args.workers} worker(s))",
        ratio=ratio,
        target="<= 1.2",
        ok=ratio <= 1.2,
        rows=[
            (f"{small:,} articles", line(a)),
            (f"{large:,} articles", line(b)),
            (
                "run process",
                f"analysis {a['phase_peaks_mb'].get('analysis', 0):.0f} -> "
                f"{b['phase_peaks_mb'].get('analysis', 0):.0f} MB, merge "
                f"{a['phase_peaks_mb'].get('merge', 0):.0f} -> "
                f"{b['phase_peaks_mb'].get('merge', 0):.0f} MB",
            ),
        ],
        details={
            "workers": args.workers,
            "small": a,
            "large": b,
            "load_before": load_before,
            "load_after": load(),
        },
    )


if __name__ == "__main__":
    main()
