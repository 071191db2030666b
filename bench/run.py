"""Run every benchmark (`make bench`), each in its own process, and print one summary table.

Each benchmark is a ratio against a baseline measured in the same run, written as JSON to
bench/results/<name>.json; the summary with the machine goes to bench/results/summary.json.
Sizes: `--quick` for a smoke run in a few minutes; otherwise the full sizes of the issue (about
ten minutes on two idle cores); each benchmark's own flags and NEWSLENS_BENCH_* variables
change them (see `python bench/<name>.py --help`). Benchmark 4 (bench_dashboard.py, run when
present) reports milliseconds and megabytes against its targets rather than a ratio.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
# In the order of the issue; the dashboard benchmark is run when present.
BENCHMARKS = [
    ("throughput", "bench_throughput.py"),
    ("workers", "bench_workers.py"),
    ("incremental", "bench_incremental.py"),
    ("dashboard", "bench_dashboard.py"),
    ("memory", "bench_memory.py"),
    ("readability", "bench_readability.py"),
    ("search", "bench_search.py"),
    ("formats", "bench_formats.py"),
    ("load", "bench_load.py"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="run only this benchmark (repeatable)"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when a benchmark misses its target"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    from common import machine

    chosen = [(n, f) for n, f in BENCHMARKS if not args.only or n in args.only]
    summary: dict[str, dict[str, object]] = {}
    failed: list[str] = []
    started = time.perf_counter()
    for name, script in chosen:
        path = BENCH / script
        if not path.is_file():
            continue
        t0 = time.perf_counter()
        if name == "dashboard":
            result = dashboard(path, quick=args.quick)
        else:
            command = [sys.executable, str(path), *(["--quick"] if args.quick else [])]
            print(f"\n== {name}: {' '.join(command[1:])}", flush=True)
            result_file = RESULTS / f"{name}.json"
            result_file.unlink(missing_ok=True)
            code = subprocess.call(command, cwd=BENCH.parent)
            ok = code == 0 and result_file.is_file()
            result = (
                json.loads(result_file.read_text(encoding="utf-8"))
                if ok
                else {"error": f"exit code {code}"}
            )
        if "error" in result:
            failed.append(name)
        result["seconds"] = round(time.perf_counter() - t0, 1)
        summary[name] = result

    print("\n" + "=" * 96)
    print(f"{'benchmark':<46} {'measured':>15}  {'target':<18} {'':<6} {'time':>6}")
    for name, result in summary.items():
        if "error" in result:
            print(f"{name:<46} {'-':>15}  {'-':<18} {'ERROR':<6}")
            continue
        mark = "ok" if result["ok"] else "MISSED"
        title = str(result["title"])[:46]
        value = result.get("display") or f"{result['ratio']:.3f}"
        print(
            f"{title:<50} {value:>7}  {result['target']!s:<8} {mark:<6} {result['seconds']:>5.0f}s"
        )
    total = time.perf_counter() - started
    info = machine()
    print(
        f"machine: {info['cpus']} CPUs, {info['memory_gb']} GB, {info['processor']}, "
        f"Python {info['python']}, spaCy {info['spacy']}, {info['model']}; "
        f"{total / 60:.1f} min in all"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "summary.json").write_text(
        json.dumps(
            {"machine": info, "quick": args.quick, "seconds": total, "results": summary},
            indent=2,
        ),
        encoding="utf-8",
    )
    missed = [n for n, r in summary.items() if "error" not in r and not r["ok"]]
    if failed:
        return 2
    return 1 if args.strict and missed else 0


def dashboard(path: Path, *, quick: bool) -> dict[str, object]:
    """Benchmark 4 (the dashboard's own script): its JSON report turned into a summary row."""
    command = [sys.executable, str(path), "--json", *(["--articles", "10000"] if quick else [])]
    print(f"\n== dashboard: {' '.join(command[1:])}", flush=True)
    done = subprocess.run(command, cwd=BENCH.parent, capture_output=True, text=True, check=False)
    sys.stderr.write(done.stderr)
    try:
        report = json.loads(done.stdout)
        large = report["large"]
        p50, peak = float(large["p50_ms"]), float(large["peak_mb"])
    except (ValueError, KeyError, TypeError):
        print(done.stdout)
        return {"error": f"exit code {done.returncode}, no JSON report"}
    result = {
        "benchmark": "dashboard",
        "title": f"4. Dashboard filter -> rows, {report['articles']:,} articles",
        "ratio": round(p50 / 150, 3),
        "display": f"{p50:.0f} ms, {peak:.0f} MB",
        "target": "<=150 ms, <=1.5 GB",
        "ok": p50 <= 150 and peak <= 1536,
        "details": report,
    }
    print(f"  p50 {p50:.0f} ms (target <= 150), peak memory {peak:.0f} MB (target <= 1.5 GB)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "dashboard.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return result


if __name__ == "__main__":
    sys.exit(main())
