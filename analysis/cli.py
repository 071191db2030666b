"""The `newslens` command: a thin shell over the library."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from analysis.cli_edit import add_edit_parser, cmd_edit
from analysis.query import NAMES, Filter, StoreView
from analysis.query.aggregates import LEVELS, PERIODS, SORTS

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = PROJECT / "seeds"
DEFAULT_STORE = Path("newslens-store")
QUERY_HELP = """
Query language:
  potash sanctions        both words, anywhere in the article (AND is the default)
  "political prisoners"   the exact phrase (no punctuation in between)
  potash OR sanctions     either word (OR in capitals)
  sanctions -potash       sanctions in articles that never mention potash
  prison*                 words starting with prison (prison, prisoner, prisoners...)
  ~release                every form of a word: released, releases, releasing
  (EU OR "European Union") sanctions   parentheses group
Words are case-insensitive. A malformed query (an unclosed quote or parenthesis, a lone -)
is an error that says what is wrong and where."""


def _date(value: str) -> date:
    from analysis.dates import parse_date

    parsed = parse_date(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a date: {value!r} (try 2025-12-13)")
    return parsed


def _fields(value: str) -> dict[str, str]:
    from analysis.fields import check_fields

    pairs: dict[str, str] = {}
    for part in value.split(","):
        key, sep, column = part.partition("=")
        if not sep or not key.strip() or not column.strip():
            raise argparse.ArgumentTypeError(f"not FIELD=COLUMN: {part!r}")
        pairs[key.strip()] = column.strip()
    try:
        return check_fields(pairs)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def add_filter_arguments(parser: argparse.ArgumentParser, *, query: bool = True) -> None:
    """The filter options, the same as the dashboard's sidebar."""
    if query:
        parser.add_argument(
            "--query",
            "-q",
            metavar="Q",
            default="",
            help="only articles matching this search query (see `newslens search --help`)",
        )
    parser.add_argument(
        "--entity",
        action="append",
        default=[],
        metavar="NAME",
        help="only rows about this entity: its name, an alias or its id (repeatable). A quote "
        "is about X when X speaks, is named in it or in its sentence; a figure when X is its "
        "source or in its sentence; an event when X is in its sentence; an article when it "
        "mentions X",
    )
    parser.add_argument(
        "--type",
        action="append",
        default=[],
        metavar="T",
        help="only rows about entities of this type: PERSON, ORG, GPE, NORP, LOC, ... (repeatable)",
    )
    parser.add_argument(
        "--article", action="append", default=[], metavar="ID", help="only this article's rows"
    )
    parser.add_argument(
        "--story",
        action="append",
        default=[],
        metavar="ID",
        help="only the rows of this story's articles (a story_id from --table stories; repeatable)",
    )
    parser.add_argument(
        "--source", action="append", default=[], metavar="S", help="only articles from S"
    )
    parser.add_argument(
        "--kind",
        action="append",
        default=[],
        metavar="K",
        help="only quotes of this kind (direct, partial, title) or figures of this kind (count, "
        "money, percent, quantity, duration); repeatable; a table whose kinds are not named "
        "keeps every row",
    )
    parser.add_argument(
        "--since", type=_date, metavar="DATE", help="only articles published on or after DATE"
    )
    parser.add_argument(
        "--until", type=_date, metavar="DATE", help="only articles published on or before DATE"
    )
    parser.add_argument(
        "--events-since",
        type=_date,
        metavar="DATE",
        help="only events overlapping the days from DATE on, and rows from their sentences",
    )
    parser.add_argument(
        "--events-until",
        type=_date,
        metavar="DATE",
        help="only events overlapping the days up to DATE, and rows from their sentences",
    )


def build_parser() -> argparse.ArgumentParser:

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
        help="worker processes: on this machine with --engine local (default: one per CPU "
        "when more than 200 articles are to be analysed, else this process), or in the local "
        "Dask cluster started when --engine dask has no --scheduler (default: one per CPU)",
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
    analyze.add_argument(
        "--fields",
        type=_fields,
        default=None,
        metavar="FIELD=COLUMN,...",
        help="the columns of CSV / JSON / JSONL exports that hold an article's fields, where "
        "their names are not found by themselves, e.g. date=publish_date,text=body "
        "(fields: text, title, date, source, url, id, author)",
    )
    analyze.add_argument("--quiet", action="store_true", help="no progress bar")

    export = commands.add_parser(
        "export",
        help="write a table or an aggregate of a store as CSV, Parquet or JSON",
        description="Write TABLE from STORE to standard output (or --output), under the same "
        "filters as the dashboard's sidebar: the rows are those the dashboard lists and its "
        "Download CSV gives, byte for byte. TABLE is a stored table or an aggregate (ledger, "
        "ledger_figures, cooccurrence, mentions_over_time, events_by_period, speakers, "
        "source_summary, sources_over_time, source_figures, source_speakers). CSV "
        "cells that a spreadsheet would run as formulas are neutralised; lists are joined "
        "with '; '.",
    )
    export.add_argument("store", type=Path, metavar="STORE", help="store folder")
    export.add_argument(
        "--table",
        required=True,
        choices=(*NAMES, "edits"),
        help="what to export (edits: the corrections log, one row per line; no filters)",
    )
    export.add_argument(
        "--format",
        choices=["csv", "parquet", "json"],
        default="csv",
        help="output format (default: csv)",
    )
    add_filter_arguments(export)
    export.add_argument(
        "--level",
        choices=LEVELS,
        default="sentence",
        help="cooccurrence: entities together in the same sentence or document (default: sentence)",
    )
    export.add_argument(
        "--period",
        choices=PERIODS,
        default="month",
        help="mentions_over_time, events_by_period, sources_over_time: length of a period "
        "(default: month)",
    )
    export.add_argument(
        "--top",
        type=_positive,
        metavar="N",
        help="aggregates: only the N most frequent entities, speakers or counted things "
        "(default: all; mentions_over_time: 8)",
    )
    export.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write here instead of standard output"
    )

    search = commands.add_parser(
        "search",
        help="every hit of a search query, in its context",
        description="List every hit of QUERY in STORE as keyword in context (the words before, "
        "the match, the words after, its article and sentence), optionally under the filters. "
        + QUERY_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    search.add_argument("store", type=Path, metavar="STORE", help="store folder")
    search.add_argument("query", metavar="QUERY", help="the search query")
    search.add_argument(
        "--format", choices=["csv", "json"], default="csv", help="output format (default: csv)"
    )
    search.add_argument("--limit", type=_positive, metavar="N", help="only the first N hits")
    search.add_argument(
        "--sort",
        choices=SORTS,
        default="date",
        help="newest first (default), or by the words right before or after the hit",
    )
    add_filter_arguments(search, query=False)
    search.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write here instead of standard output"
    )

    add_edit_parser(commands)

    dashboard = commands.add_parser(
        "dashboard",
        help="open the dashboard in a browser",
        description="Serve the Streamlit dashboard on STORE (default: analyse the bundled "
        "seeds on first start), on this machine only unless --address says otherwise.",
    )
    dashboard.add_argument(
        "store", nargs="?", type=Path, metavar="STORE", help="store folder to show"
    )
    dashboard.add_argument("--port", type=int, default=8501, help="port (default: 8501)")
    dashboard.add_argument(
        "--address",
        default="127.0.0.1",
        metavar="HOST",
        help="address to listen on (default: 127.0.0.1, this machine only). Another address, "
        "such as 0.0.0.0 for every interface, shares the dashboard: it then needs a password "
        'in .streamlit/secrets.toml ([newslens] password = "...", or [newslens.users] '
        'name = "...") or in NEWSLENS_PASSWORD, and refuses to start without one',
    )
    dashboard.add_argument(
        "--read-only",
        action="store_true",
        help="no uploads and no re-analysis from the dashboard (also NEWSLENS_READ_ONLY=1)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {
        "analyze": cmd_analyze,
        "export": cmd_export,
        "search": cmd_search,
        "dashboard": cmd_dashboard,
        "edit": cmd_edit,
    }
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
        engine = make_engine(args.engine, workers=args.workers, scheduler=args.scheduler)
        summary = run(
            paths,
            args.out,
            engine=engine,
            batch_size=args.batch_size,
            progress=bar,
            wait=not args.no_wait,
            fields=args.fields,
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
    processes = f" with {engine.processes} processes" if engine.processes > 1 else ""
    print(
        f"{summary.articles} article(s) in {summary.store}: {summary.analysed} analysed, "
        f"{summary.unchanged} unchanged, {summary.resumed} resumed, {summary.removed} removed, "
        f"{len(summary.problems)} skipped; "
        f"{summary.seconds:.1f} s{processes}",
        file=sys.stderr,
    )
    if summary.articles == 0:
        print("newslens: no article could be read; nothing was written", file=sys.stderr)
        return 1
    return 0


def filter_from_args(view: StoreView, args: argparse.Namespace) -> Filter:
    """The filter the options describe; entity names resolved against the store."""
    return Filter(
        entities=view.resolve_entities(args.entity) if args.entity else (),
        types=tuple(dict.fromkeys(t.strip().upper() for t in args.type if t.strip())),
        docs=tuple(dict.fromkeys(args.article)),
        stories=tuple(dict.fromkeys(s.strip() for s in args.story if s.strip())),
        sources=tuple(dict.fromkeys(args.source)),
        published=(args.since, args.until),
        event_dates=(args.events_since, args.events_until),
        query=args.query,
        kinds=tuple(dict.fromkeys(k.strip().lower() for k in args.kind if k.strip())),
    )


def _open(root: Path) -> StoreView | None:
    from analysis.query import open_store
    from analysis.store import Store

    if not Store(root).exists():
        print(
            f"newslens: {root}: not a newslens store (run `newslens analyze` first)",
            file=sys.stderr,
        )
        return None
    return open_store(root)


def _stale_index(view: StoreView, root: Path) -> bool:
    """Whether the store's search index is in an older layout (said on stderr): a search
    would find nothing, which must not read as "no hits"."""
    if "postings" not in view.stale_tables:
        return False
    print(
        f"newslens: {root}: its search index was written by an older newslens; run "
        "`newslens analyze` on its corpus again to rebuild it",
        file=sys.stderr,
    )
    return True


def cmd_export(args: argparse.Namespace) -> int:
    from analysis.export import to_json, to_parquet
    from analysis.query import Options, UnknownEntityError
    from analysis.search import QuerySyntaxError

    view = _open(args.store)
    if view is None:
        return 1
    if args.table == "edits":
        return _export_edits(args)
    if args.query and _stale_index(view, args.store):
        return 1
    try:
        flt = filter_from_args(view, args)
        opts = Options(level=args.level, period=args.period, top=args.top)
        if args.table in ("hits", "hits_over_time") and not flt.query.strip():
            raise ValueError(f"--table {args.table} needs --query")
        if args.format == "csv":
            _emit(view.csv(args.table, flt, opts=opts), args.output)
            return 0
        frame = view.export_frame(args.table, flt, opts=opts)
    except (UnknownEntityError, QuerySyntaxError, ValueError) as err:
        print(f"newslens: {err}", file=sys.stderr)
        return 2
    if args.format == "json":
        _emit(to_json(frame).encode("utf-8"), args.output)
        return 0
    if args.output is None and sys.stdout.isatty():
        print("newslens: Parquet is binary; give --output FILE", file=sys.stderr)
        return 2
    _emit(to_parquet(frame), args.output)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from analysis.export import to_csv, to_json
    from analysis.query import EXPORT_COLUMNS, Options, UnknownEntityError
    from analysis.search import QuerySyntaxError

    view = _open(args.store)
    if view is None or _stale_index(view, args.store):
        return 1
    args.query = args.query or ""
    try:
        flt = filter_from_args(view, args)
        if not flt.query.strip():
            raise QuerySyntaxError("the query is empty", 0)
        opts = Options(sort=args.sort)
        frame = view.rows("hits", flt, limit=args.limit, opts=opts)
    except (UnknownEntityError, QuerySyntaxError) as err:
        print(f"newslens: {err}", file=sys.stderr)
        return 2
    frame = frame[list(EXPORT_COLUMNS["hits"])]
    text = to_csv(frame) if args.format == "csv" else to_json(frame)
    _emit(text.encode("utf-8"), args.output)
    print(f"{len(frame)} hit(s) of {flt.query!r}", file=sys.stderr)
    return 0


def _export_edits(args: argparse.Namespace) -> int:
    """The corrections log as a table: its own small path, beside the query layer."""
    from analysis.edits import log_frame
    from analysis.export import to_csv, to_json, to_parquet
    from analysis.pipeline import edit_log

    entries, problems = edit_log(args.store)
    for problem in problems:
        print(f"newslens: {args.store / 'edits.jsonl'}: {problem}", file=sys.stderr)
    frame = log_frame(entries)
    if args.format == "csv":
        _emit(to_csv(frame).encode("utf-8"), args.output)
    elif args.format == "json":
        _emit(to_json(frame).encode("utf-8"), args.output)
    elif args.output is None and sys.stdout.isatty():
        print("newslens: Parquet is binary; give --output FILE", file=sys.stderr)
        return 2
    else:
        _emit(to_parquet(frame), args.output)
    return 0


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)


def cmd_dashboard(args: argparse.Namespace) -> int:
    host = str(args.address).strip()
    env = os.environ.copy()
    if args.read_only:
        env["NEWSLENS_READ_ONLY"] = "1"
    # The dashboard decides who may use it (dashboard/access.py). Its check, in its own process
    # as the server is, says where the dashboard will listen, or why it must not start (exit 2).
    check = [sys.executable, "-m", "dashboard.access", "--address", host, "--port", str(args.port)]
    if subprocess.call(check, cwd=PROJECT, env=env) != 0:
        return 2
    app = PROJECT / "dashboard" / "app.py"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        host,
        "--server.port",
        str(args.port),
        "--",
    ]
    if args.store:
        command.append(str(args.store.resolve()))
    return _serve(command, env)


def _serve(command: list[str], env: dict[str, str]) -> int:
    """Run the server until it stops; a SIGTERM to this process (a service manager's stop, a
    `kill`) stops the server too, which would otherwise go on holding the port."""
    server = subprocess.Popen(command, cwd=PROJECT, env=env)

    def stop(signum: int, _frame: object) -> None:
        server.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
