"""Benchmark: ten people on one dashboard at once, on a 100,000-article store.

Serves the dashboard on 127.0.0.1 only (bench_browser's `serve()`: a free port, nothing beyond
this machine) over a copy of the store, and drives sessions as Streamlit websocket clients, each
in a thread of its own: a session sends what a browser tab sends (a rerun on another page, the
sidebar's entity picker set or cleared) and a step is timed until the server says the script
run finished. Ten Chromiums would take the two cores from the server they measure, so only the
upload goes through a real browser (bench_browser's `settle()` waits for its page). A session
loops for a bounded time over the pages: it switches page, picks an entity, clears the filter,
with a pause between steps as a person reading the page would make. Every filter names an
entity no step has used before, so no step is answered from the cache another one filled.

Phases, in one run against one server (so the ratio is of numbers measured together):

1. warm-up: one session visits every page once (the caches every session shares fill);
2. one session alone, for --seconds;
3. ten sessions at once, for --seconds;
4. ten sessions while an eleventh uploads a .jsonl of --upload-articles real articles on the
   *Add articles* page and analyses it; the phase ends when that analysis has committed
   (the replicated store's articles have no source files, so the commit leaves only the upload:
   the sessions' steps after it are not counted).

Reported: each phase's step p50 / p90, errors (exceptions shown on a page, steps that timed out
or could not be done), and the memory (RSS) of the server's process tree sampled every second:
at the start, peak and end of each phase.

    .venv/bin/python bench/bench_load.py [--store STORE] [--sessions 10] [--seconds 90]
        [--think 1.5,4] [--upload-articles 40] [--quick]

Without --store, a store of --articles (100,000; --quick: 10,000) is built by replicating the
seeds' store (bench_dashboard). Targets (issue 20): p90 with ten sessions <= 3x one session's,
no errors, memory bounded (the server's RSS at the end of the ten-session phase within 25% of
its start, that is no growth per step).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import bench_browser as browser  # noqa: E402 - bench/ first on the path
from common import RESULTS, parser, report, scratch, sources  # noqa: E402

P90_RATIO_TARGET = 3.0
GROWTH_TARGET = 1.25  # end of the ten-session phase over its start
STEP_TIMEOUT_S = 90.0


@dataclass
class Sample:
    phase: str
    kind: str
    seconds: float
    started: float
    ended: float
    page: str = ""  # the page the step ran on


@dataclass
class Record:
    """What every session reports, shared between their threads."""

    samples: list[Sample] = field(default_factory=list)
    failures: list[tuple[str, str, float]] = field(default_factory=list)  # phase, what, when
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def error(self, phase: str, what: str) -> None:
        with self.lock:
            self.failures.append((phase, what, time.monotonic()))

    def errors(self, ends: dict[str, float]) -> dict[str, int]:
        """The failures of each phase before its end, counted by kind."""
        counts: dict[str, int] = {}
        for phase, what, when in self.failures:
            if when <= ends.get(phase, float("inf")):
                key = f"{phase}: {what}"
                counts[key] = counts.get(key, 0) + 1
        return counts


class Names:
    """Entity names for the filters, each handed out once (then again, counted, if they run
    out)."""

    def __init__(self, names: list[str]) -> None:
        self._names = cycle(names)
        self._n = len(names)
        self.given = 0
        self._lock = threading.Lock()

    def next(self) -> str:
        with self._lock:
            self.given += 1
            return next(self._names)

    @property
    def reused(self) -> int:
        return max(0, self.given - self._n)


class Memory:
    """The RSS of the server's process tree, sampled every second in a thread."""

    def __init__(self) -> None:
        self.samples: list[tuple[float, float]] = []  # (time, MB)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def server() -> Any:
        import psutil

        for child in psutil.Process().children(recursive=True):
            try:
                command = child.cmdline()
            except psutil.Error:
                continue
            if "streamlit" in command and "run" in command:
                return child
        return None

    def _run(self) -> None:
        import psutil

        process = None
        while not self._stop.is_set():
            process = process or self.server()
            if process is not None:
                try:
                    tree = [process, *process.children(recursive=True)]
                    rss = sum(p.memory_info().rss for p in tree)
                    self.samples.append((time.monotonic(), rss / 2**20))
                except psutil.Error:
                    process = None
            self._stop.wait(1.0)

    def __enter__(self) -> Memory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def between(self, start: float, end: float) -> dict[str, float]:
        inside = [mb for t, mb in self.samples if start <= t <= end]
        if not inside:
            return {}
        return {"start_mb": inside[0], "peak_mb": max(inside), "end_mb": inside[-1]}


class Browser:
    """One person in a real browser (their own Playwright and Chromium, in this thread): the
    upload, which goes through the page's file picker."""

    def __init__(self, url: str, number: int) -> None:
        from playwright.sync_api import sync_playwright

        self.url = url
        self.number = number
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=str(browser.CHROMIUM), args=browser.ARGS
        )
        self._context = self._browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self._context.new_page()
        self.page.set_default_timeout(STEP_TIMEOUT_S * 1000)
        self.runs = browser.Runs(self.page)

    def open(self, path: str = "") -> None:
        before = self.runs.done
        self.page.goto(f"{self.url}/{path}")
        browser.settle(self.page, self.runs, before, timeout_s=600)

    def close(self) -> None:
        self._context.close()
        self._browser.close()
        self._playwright.stop()

    def errors_shown(self) -> int:
        return int(self.page.locator("[data-testid=stException]").count())


class Socket:
    """One person as the browser's own websocket would be: each step sends the rerun the
    browser sends (a page switch, an entity picked or cleared in the sidebar) and waits for the
    server to say the script run finished. No rendering: what this times is the server."""

    def __init__(self, url: str, number: int) -> None:
        import warnings

        from websockets.sync.client import connect

        warnings.filterwarnings("ignore", "connect\\(\\) must be used", DeprecationWarning)
        self.number = number
        self._socket = connect(
            url.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            max_size=None,
            open_timeout=STEP_TIMEOUT_S,
        )
        self.pages: dict[str, str] = {}  # page label -> its script hash
        self.page = ""
        self.entity_widget = ""
        self.filtered = False  # the last run offered "Clear filters"
        self.exceptions = 0

    def run(self, *, page: str | None = None, entities: list[str] | None = None) -> float:
        """Rerun on `page` (else the current one) with the entity filter set to `entities`
        (else as it was): seconds until the run finished (TimeoutError past the limit)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = self.pages.get(page or self.page, "")
        if entities is not None and self.entity_widget:
            state = msg.rerun_script.widget_states.widgets.add()
            state.id = self.entity_widget
            state.string_array_value.data.extend(entities)
        started = time.perf_counter()
        self._socket.send(msg.SerializeToString())
        self.filtered = False
        deadline = time.monotonic() + STEP_TIMEOUT_S
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no script run finished")
            frame = self._socket.recv(timeout=left)
            if not isinstance(frame, bytes):
                continue
            forward = ForwardMsg.FromString(frame)
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                for known in forward.navigation.app_pages:
                    self.pages[known.page_name] = known.page_script_hash
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    self.exceptions += 1
                elif which == "multiselect" and element.multiselect.label == "Entities":
                    self.entity_widget = element.multiselect.id
                elif which == "button" and element.button.label == "Clear filters":
                    self.filtered = True
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                    if page:
                        self.page = page
                    return time.perf_counter() - started
                if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # a rerun follows: wait on
                    raise RuntimeError(f"script run ended with status {status}")

    def open(self, path: str = "") -> None:
        label = next((name for name, p in browser.PAGES if p == path), "Overview")
        self.run(page=label if self.pages else None)

    def close(self) -> None:
        self._socket.close()


def browse(
    session: Socket,
    phase: str,
    names: Names,
    record: Record,
    *,
    stop: threading.Event,
    think: tuple[float, float],
    counts: Callable[[Sample], bool] = lambda s: True,
) -> None:
    """Loop over the pages until `stop`: switch page, filter by an entity, clear the filter."""
    rng = random.Random(session.number)
    order = list(browser.PAGES)
    rng.shuffle(order)

    def pause() -> None:
        stop.wait(rng.uniform(*think))

    def step(kind: str, **change: Any) -> None:
        started = time.monotonic()
        seconds = session.run(**change)
        sample = Sample(phase, kind, seconds, started, time.monotonic(), str(session.page))
        if counts(sample):
            record.add(sample)
            if session.exceptions:
                record.error(phase, "exception shown on the page")
        session.exceptions = 0

    stop.wait(rng.uniform(0, think[1]))  # people do not all click at the same moment
    for label, _ in cycle(order):
        if stop.is_set():
            return
        try:
            step("page switch", page=label)
            pause()
            if stop.is_set():
                return
            step("filter change", entities=[names.next()])
            if not session.filtered:
                record.error(phase, "the entity filter was not applied")
            pause()
            if stop.is_set():
                return
            step("filter change", entities=[])
            pause()
        except TimeoutError:
            record.error(phase, "step timed out")
            return
        except Exception as err:  # the connection or the run failed: counted, session over
            if not stop.is_set():
                record.error(phase, f"{type(err).__name__}: {str(err)[:80]}")
            return


def say(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def warm_up(session: Socket) -> dict[str, float]:
    """Every page once (untimed by the phases): the server's caches every session shares."""
    cold = {}
    for label, _ in browser.PAGES:
        cold[label] = session.run(page=label)
        say(f"warm-up: {label} {cold[label]:.1f} s")
    return cold


def sessions_phase(
    url: str,
    phase: str,
    n: int,
    seconds: float | None,
    names: Names,
    record: Record,
    *,
    think: tuple[float, float],
    upload: Path | None = None,
) -> dict[str, Any]:
    """`n` sessions browsing at once for `seconds` (or, with `upload`, until another session has
    analysed that file); the window the phase measured, in monotonic time."""
    ready = threading.Barrier(n + 1 + (upload is not None))
    stop = threading.Event()
    window: dict[str, Any] = {}
    threads = []

    def person(number: int) -> None:
        try:
            session = Socket(url, number)
            session.open()
        except Exception as err:  # counted, and the phase goes on without this one
            record.error(phase, f"session did not open ({type(err).__name__})")
            ready.wait()
            return
        try:
            ready.wait()
        except threading.BrokenBarrierError:
            session.close()
            return
        try:
            browse(
                session,
                phase,
                names,
                record,
                stop=stop,
                think=think,
                counts=lambda s: "end" not in window or s.started < window["end"],
            )
        finally:
            session.close()

    def uploader() -> None:
        session = Browser(url, 99)
        try:
            session.open("add")
            ready.wait()
            stop.wait(think[1])  # the others browse a little first
            page = session.page
            page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(upload))
            button = page.get_by_role("button", name="Analyse 1 file")
            button.wait_for()
            window["pressed"] = time.monotonic()
            button.click()
            page.get_by_text("article(s) in the store").wait_for(timeout=1800_000)
            window["end"] = time.monotonic()
            window["analysis_s"] = window["end"] - window["pressed"]
            if session.errors_shown():
                record.error(phase, "exception shown on the upload page")
        except Exception as err:
            record.error(phase, f"upload failed ({type(err).__name__}: {str(err)[:80]})")
            window["end"] = time.monotonic()
            ready.abort()  # when it failed before the others started
        finally:
            stop.set()
            session.close()

    for number in range(n):
        threads.append(threading.Thread(target=person, args=(number,), daemon=True))
    if upload is not None:
        threads.append(threading.Thread(target=uploader, daemon=True))
    for thread in threads:
        thread.start()
    try:
        ready.wait()
    except threading.BrokenBarrierError:
        stop.set()
    window["start"] = time.monotonic()
    if upload is None:
        assert seconds is not None
        stop.wait(seconds)
        window["end"] = time.monotonic()
        stop.set()
    stop.wait()  # with an upload: set when its analysis has committed
    for thread in threads:
        thread.join(STEP_TIMEOUT_S + 60)
    return window


def upload_file(folder: Path, n: int) -> Path:
    """A .jsonl of `n` real articles (the seeds and the Wikinews set), each made its own."""
    real = sources()
    path = folder / "newsroom upload.jsonl"
    lines = []
    for i in range(n):
        source = real[i % len(real)]
        text = f"{source.body.rstrip()}\n\nThis is upload copy number {i}."
        lines.append(json.dumps({"title": source.slug, "date": source.published, "text": text}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def quantiles(samples: list[Sample]) -> dict[str, float | int]:
    values = [s.seconds for s in samples]
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50_s": round(browser.quantile(values, 0.5), 3),
        "p90_s": round(browser.quantile(values, 0.9), 3),
        "max_s": round(max(values), 3),
    }


def store_for(args: Any, work: Path) -> Path:
    """The store to serve: a copy of --store (readers and the upload write into its folder),
    else one built by replicating the seeds' store."""
    store = work / "store"
    if args.store is not None:
        manifest = args.store / "manifest.json"
        deadline = time.monotonic() + 3600
        while not manifest.is_file():  # it may still be being built
            if time.monotonic() > deadline:
                raise SystemExit(f"{manifest} never appeared")
            print(f"waiting for {manifest} ...", file=sys.stderr)
            time.sleep(30)
        subprocess.run(["cp", "-al", str(args.store), str(store)], check=True)
        for name in (".lock", ".snapshots", "uploads"):
            path = store / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        return store
    from bench_dashboard import analyse_seeds, replicate

    seed = work / "seed-store"
    analyse_seeds(seed)
    replicate(seed, store, args.articles or (10_000 if args.quick else 100_000))
    return store


def main() -> int:
    p = parser(__doc__.split("\n\n")[0])
    p.add_argument("--store", type=Path, help="an analysed store to serve (a copy of it)")
    p.add_argument("--articles", type=int, help="size of the built store (without --store)")
    p.add_argument("--sessions", type=int, default=10, help="sessions at once (default 10)")
    p.add_argument("--seconds", type=float, help="length of each timed phase (default 90)")
    p.add_argument("--think", default="1.5,4", help="pause between steps, min,max s")
    p.add_argument("--upload-articles", type=int, help="articles in the upload (default 40)")
    p.add_argument("--no-upload", action="store_true", help="leave out the upload phase")
    args = p.parse_args()
    if not browser.CHROMIUM.exists():
        raise SystemExit(f"{browser.CHROMIUM} is missing (apt-get install chromium)")
    if args.store is None and os.environ.get("NEWSLENS_BENCH_LOAD_STORE"):
        args.store = Path(os.environ["NEWSLENS_BENCH_LOAD_STORE"])
    seconds = args.seconds or (30.0 if args.quick else 90.0)
    upload_n = args.upload_articles or (10 if args.quick else 40)
    low, high = (float(x) for x in args.think.split(","))
    think = (low, high)
    record = Record()
    windows: dict[str, dict[str, Any]] = {}
    with scratch("load") as work:
        store = store_for(args, work)
        articles = json.loads((store / "manifest.json").read_text())["tables"]["documents"]
        names = Names(browser.entity_names(store, 100_000))
        upload = upload_file(work, upload_n)
        with browser.serve(store, work) as url, Memory() as memory:
            say(f"serving {store} at {url}")
            first = Socket(url, 0)
            t0 = time.monotonic()
            first.open()
            cold = {"open": time.monotonic() - t0, **warm_up(first)}
            windows["warm-up"] = {"start": t0, "end": time.monotonic()}
            say("one session")
            stop = threading.Event()
            timer = threading.Timer(seconds, stop.set)
            start = time.monotonic()
            timer.start()
            browse(first, "one session", names, record, stop=stop, think=think)
            windows["one session"] = {"start": start, "end": time.monotonic()}
            first.close()
            many = f"{args.sessions} sessions"
            say(many)
            windows[many] = sessions_phase(
                url, many, args.sessions, seconds, names, record, think=think
            )
            if not args.no_upload:
                during = f"{args.sessions} sessions + upload"
                say(during)
                windows[during] = sessions_phase(
                    url, during, args.sessions, None, names, record, think=think, upload=upload
                )
            if not args.no_upload:
                # The phase ends at the upload's commit (the manifest written), not when the
                # page showed it: steps finished after it read the store the upload made.
                offset = time.time() - time.monotonic()
                committed = (store / "manifest.json").stat().st_mtime - offset
                window = windows[during]
                if window["start"] < committed < window["end"]:
                    window["end"] = committed
        log = next(work.glob("streamlit-*.log"), None)
        tracebacks = log.read_text(errors="replace").count("Traceback") if log else 0
    phases: dict[str, Any] = {}
    for phase, window in windows.items():
        samples = [s for s in record.samples if s.phase == phase and s.ended <= window["end"]]
        phases[phase] = {
            **quantiles(samples),
            "by_kind": {
                kind: quantiles([s for s in samples if s.kind == kind])
                for kind in sorted({s.kind for s in samples})
            },
            "seconds": round(window["end"] - window["start"], 1),
            "slowest": [  # when in the phase (s from its start), what, where, how long
                (round(s.started - window["start"], 1), s.kind, s.page, round(s.seconds, 2))
                for s in sorted(samples, key=lambda s: -s.seconds)[:8]
            ],
            "memory": memory.between(window["start"], window["end"]),
            **({"analysis_s": round(window["analysis_s"], 1)} if "analysis_s" in window else {}),
        }
    failures = record.errors({phase: window["end"] for phase, window in windows.items()})
    errors = sum(failures.values()) + tracebacks
    single = phases["one session"]
    loaded = phases[f"{args.sessions} sessions"]
    ratio = loaded["p90_s"] / single["p90_s"]
    mem = loaded["memory"]
    growth = mem["end_mb"] / mem["start_mb"] if mem else float("inf")
    ok = ratio <= P90_RATIO_TARGET and errors == 0 and growth <= GROWTH_TARGET
    rows = [("store", f"{articles:,} articles, served on 127.0.0.1 only")]
    rows.append(("pause between steps", f"{think[0]}-{think[1]} s; phases of {seconds:.0f} s"))
    for phase, result in phases.items():
        if phase == "warm-up":
            continue
        m = result["memory"]
        line = (
            f"p50 {result['p50_s']:.2f} s, p90 {result['p90_s']:.2f} s over {result['n']} steps; "
            if result["n"]
            else "no steps; "
        )
        line += (
            f"server RSS {m['start_mb']:.0f} -> peak {m['peak_mb']:.0f} -> {m['end_mb']:.0f} MB"
            if m
            else ""
        )
        if "analysis_s" in result:
            line += f"; upload of {upload_n} articles analysed in {result['analysis_s']:.0f} s"
        rows.append((phase, line))
    rows.append(("cold first loads", ", ".join(f"{k} {v:.1f} s" for k, v in cold.items())))
    rows.append(("errors", f"{errors} ({failures or 'none'}; {tracebacks} in the log)"))
    rows.append(("RSS growth over the 10 sessions", f"{growth:.2f}x (target <= {GROWTH_TARGET})"))
    if names.reused:
        rows.append(("entity filters reused", f"{names.reused} (the store ran out of names)"))
    result = report(
        args.out,
        "load",
        title=f"Load: {args.sessions} sessions vs one, p90 ratio ({articles:,} articles)",
        ratio=ratio,
        target=f"<={P90_RATIO_TARGET:.0f}",
        ok=ok,
        rows=rows,
        details={
            "articles": articles,
            "sessions": args.sessions,
            "think_s": think,
            "phases": phases,
            "cold_s": cold,
            "errors": failures,
            "log_tracebacks": tracebacks,
            "rss_growth": growth,
            "upload_articles": upload_n,
        },
    )
    result["display"] = f"{ratio:.2f}x p90"
    (args.out / "load.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    RESULTS.mkdir(parents=True, exist_ok=True)
    sys.exit(main())
