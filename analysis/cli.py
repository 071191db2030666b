"""The `newslens` command: a thin shell over the library."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = PROJECT / "seeds"
DEFAULT_STORE = Path("newslens-store")


def _date(value: str) -> date:
    from analysis.dates import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (try 2025-12-13)")
    return parsed


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def build_parser() -> argparse.ArgumentParser:
    from analysis.tables import TABLES

    parser = argparse.ArgumentParser(
        prog="newslens",
        description="Follow a news story across many articles: who is mentioned, who said "
        "what, which figures were reported, what happened when, and how readable it is.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    analyze = commands.add_parser(
        "analyze",
        help="analyse articles into a store (incremental)",
        description="Analyse the articles under PATH (files or folders, read recursively) into "
        "STORE. Unchanged articles are not analysed again; articles no longer present are "
        "dropped; a file that cannot be read is reported and skipped.",
    )
    analyze.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        type=Path,
        help=f"article files or folders (default: {DEFAULT_SEEDS})",
    )
    analyze.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_STORE,
        metavar="STORE",
        help=f"store folder to write (default: ./{DEFAULT_STORE})",
    )
    analyze.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="N",
        help="worker processes: on this machine with --engine local (default: 1), or in the "
        "local Dask cluster started when --engine dask has no --scheduler (default: one per CPU)",
    )
    analyze.add_argument(
        "--engine",
        choices=["local", "dask"],
        default="local",
        help="where to run the analysis (default: local)",
    )
    analyze.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 "
        "(default with --engine dask: a local cluster)",
    )
    analyze.add_argument(
        "--batch-size",
        type=_positive,
        default=64,
        metavar="N",
        help="articles per batch written to the store (default: 64)",
    )
    analyze.add_argument(
        "--no-wait",
        action="store_true",
        help="refuse instead of waiting when another run holds the store",
    )
    analyze.add_argument("--quiet", action="store_true", help="no progress bar")

    export = commands.add_parser(
        "export",
        help="write one table of a store as CSV, Parquet or JSON",
        description="Write TABLE from STORE to standard output (or --output), optionally only "
        "rows about some entities or published in a date range. CSV cells that a spreadsheet "
        "would run as formulas are neutralised.",
    )
    export.add_argument("store", type=Path, metavar="STORE", help="store folder")
    export.add_argument("--table", required=True, choices=TABLES, help="table to export")
    export.add_argument(
        "--format",
        choices=["csv", "parquet", "json"],
        default="csv",
        help="output format (default: csv)",
    )
    export.add_argument(
        "--entity",
        action="append",
        default=[],
        metavar="NAME",
        help="only rows about this entity (name, alias or id; repeatable)",
    )
    export.add_argument(
        "--since", type=_date, metavar="DATE", help="only rows published on or after DATE"
    )
    export.add_argument(
        "--until", type=_date, metavar="DATE", help="only rows published on or before DATE"
    )
    export.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write here instead of standard output"
    )

    dashboard = commands.add_parser(
        "dashboard",
        help="open the dashboard in a browser",
        description="Serve the Streamlit dashboard on STORE (default: analyse the bundled "
        "seeds on first start).",
    )
    dashboard.add_argument(
        "store", nargs="?", type=Path, metavar="STORE", help="store folder to show"
    )
    dashboard.add_argument("--port", type=int, default=8501, help="port (default: 8501)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"analyze": cmd_analyze, "export": cmd_export, "dashboard": cmd_dashboard}
    try:
        return handler[args.command](args)
    except KeyboardInterrupt:
        print("interrupted; the store is unchanged", file=sys.stderr)
        return 130


class _Bar:
    """A progress bar on standard error (tqdm, which spaCy already depends on)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total == 0:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="article", desc="analysing", file=sys.stderr)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_analyze(args: argparse.Namespace) -> int:
    from analysis.engines import EngineError, make_engine
    from analysis.nlp import ModelNotFoundError
    from analysis.pipeline import run
    from analysis.store import StoreError, StoreLockedError

    paths = args.paths or [DEFAULT_SEEDS]
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"newslens: {path}: no such file or folder", file=sys.stderr)
    paths = [p for p in paths if p.exists()]
    if not paths:
        return 2
    bar = _Bar(enabled=not args.quiet and sys.stderr.isatty())
    try:
        workers = args.workers or (os.cpu_count() or 1 if args.engine == "dask" else 1)
        engine = make_engine(args.engine, workers=workers, scheduler=args.scheduler)
        summary = run(
            paths,
            args.out,
            engine=engine,
            batch_size=args.batch_size,
            progress=bar,
            wait=not args.no_wait,
        )
    except (ModelNotFoundError, StoreLockedError, StoreError, EngineError) as err:
        bar.close()
        print(f"newslens: {err}", file=sys.stderr)
        return 1
    finally:
        bar.close()
    for notice in summary.notices:
        print(f"note: {notice}", file=sys.stderr)
    for problem in summary.problems:
        print(f"skipped {problem}", file=sys.stderr)
    print(
        f"{summary.articles} article(s) in {summary.store}: {summary.analysed} analysed, "
        f"{summary.unchanged} unchanged, {summary.resumed} resumed, {summary.removed} removed, "
        f"{len(summary.problems)} skipped; {summary.seconds:.1f} s",
        file=sys.stderr,
    )
    if summary.articles == 0:
        print("newslens: no article could be read; nothing was written", file=sys.stderr)
        return 1
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from analysis.export import filter_table, to_csv
    from analysis.store import Store, StoreError

    store = Store(args.store)
    if not store.exists():
        print(
            f"newslens: {args.store}: not a newslens store (run `newslens analyze` first)",
            file=sys.stderr,
        )
        return 1
    try:
        frame = store.read(args.table)
        entities = store.read("entities") if args.entity else None
        mentions = (
            store.read("mentions", columns=["doc_id", "entity_id"])
            if args.entity and args.table in ("documents", "readability")
            else None
        )
    except StoreError as err:
        print(f"newslens: {err}", file=sys.stderr)
        return 1
    frame = filter_table(
        args.table,
        frame,
        entities=entities,
        mentions=mentions,
        entity_names=args.entity,
        since=args.since,
        until=args.until,
    )
    if args.format == "csv":
        _emit(to_csv(frame).encode("utf-8"), args.output)
    elif args.format == "json":
        text = frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=1)
        _emit((text or "[]").encode("utf-8"), args.output)
    else:
        if args.output is None and sys.stdout.isatty():
            print("newslens: Parquet is binary; give --output FILE", file=sys.stderr)
            return 2
        import pyarrow.parquet as pq

        from analysis.store import to_arrow

        sink = args.output if args.output else sys.stdout.buffer
        pq.write_table(to_arrow(args.table, frame), sink)
    return 0


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)


def cmd_dashboard(args: argparse.Namespace) -> int:
    app = PROJECT / "dashboard" / "app.py"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(args.port),
        "--",
    ]
    if args.store:
        command.append(str(args.store.resolve()))
    return subprocess.call(command, cwd=PROJECT, env=os.environ.copy())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
