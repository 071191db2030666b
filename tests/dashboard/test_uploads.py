"""Uploads from several sessions at once, and uploads that must be refused or reported.

Two sessions (two AppTests, each pressing Analyse in a thread of its own, as Streamlit runs one
script thread per browser tab) upload at the same time: both files are analysed, one after the
other, the second session is told it waited, and the store is whole afterwards. A file over the
size limit, a .jsonl of a million one-word lines, a path-traversal name and a file the analysis
fails on are each refused or reported by name, the store's tables unchanged and another
session's pages as they were.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from analysis.store import MANIFEST, Store
from analysis.tables import TABLES
from dashboard.paths import MAX_UPLOAD_ARTICLES, MAX_UPLOAD_MB
from tests.dashboard.test_app import app, local_server, on_page  # noqa: F401 (a fixture)
from tests.synthetic import Synthetic

LONG = 300  # seconds a run analysing articles may take on a busy machine


@pytest.fixture(scope="module")
def nlp_loaded(nlp):  # type: ignore[no-untyped-def]
    """The model, for the runs these tests make in this process (the dashboard's own runs
    load theirs in a worker)."""
    return nlp


def articles_jsonl(text: str, n: int, tag: str) -> bytes:
    """`n` articles, each the seed's paragraphs in another order with a sentence of its own."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    lines = []
    for i in range(n):
        k = i % len(paragraphs)
        body = "\n\n".join(paragraphs[k:] + paragraphs[:k])
        lines.append(
            json.dumps(
                {
                    "title": f"{tag} report {i}",
                    "date": f"2026-03-{1 + i % 28:02d}",
                    "text": f"{body}\n\nThis is {tag} copy number {i}.",
                }
            )
        )
    return "\n".join(lines).encode("utf-8")


ONE = (
    b"2 March, 2026\nnew-sanctions\n\nThe European Union said on Monday that it would "
    b"extend sanctions on Belarus until 2027, according to Viasna.\n"
)


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    kind = {".txt": "text/plain", ".jsonl": "application/json", ".html": "text/html"}
    chosen = [(name, data, kind.get(Path(name).suffix, "text/plain")) for name, data in files]
    return at.file_uploader(key="add_files").set_value(chosen).run()


def press(at: AppTest) -> AppTest:
    return at.button(key="add_run").click().run(timeout=LONG)


def texts(at: AppTest) -> list[str]:
    """The messages and captions the page shows, as read (without markdown's escapes)."""
    kinds = ("error", "warning", "success", "caption")
    return [str(e.value).replace("\\", "") for kind in kinds for e in at.get(kind)]


def assert_whole(root: Path) -> None:
    """Every table as the manifest counts it, no commit half done, the lock free."""
    manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    for table, rows in manifest["tables"].items():
        if table in TABLES:
            assert pq.read_metadata(root / f"{table}.parquet").num_rows == rows, table
    assert not (root / ".next").exists()
    docs = set(Store(root).read("documents")["doc_id"])
    for table in ("mentions", "quotes", "figures", "events"):
        assert set(Store(root).read(table)["doc_id"]) <= docs, table
    with Store(root).writing(wait=False):
        pass


def table_rows(root: Path) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, in an order of its own (a rewrite may order them otherwise)."""
    store = Store(root)
    return {
        t: sorted(tuple(map(str, row)) for row in store.read(t).itertuples(index=False))
        for t in TABLES
    }


def in_thread(fn: Any, *args: Any) -> tuple[threading.Thread, list[Any]]:
    """Run `fn(*args)` in a thread; its result (or the exception it raised) lands in the list."""
    out: list[Any] = []

    def target() -> None:
        try:
            out.append(fn(*args))
        except BaseException as err:  # reported by the test, not lost in the thread
            out.append(err)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, out


def result(thread: threading.Thread, out: list[Any]) -> AppTest:
    thread.join(LONG)
    assert not thread.is_alive(), "the session's run did not finish"
    (value,) = out
    if isinstance(value, BaseException):
        raise value
    assert isinstance(value, AppTest)
    return value


def test_two_sessions_uploading_at_once_are_both_analysed_one_after_the_other(
    fresh_store: Synthetic,
    monkeypatch: pytest.MonkeyPatch,
    nlp_loaded: object,
    seed_article: Any,
) -> None:
    from dashboard.state import _analysis_guard

    root = fresh_store.root
    before = len(Store(root).read("documents"))
    first = upload(
        on_page(app(root, monkeypatch), "views/add.py"),
        ("first batch.jsonl", articles_jsonl(seed_article.text, 24, "First")),
    )
    second = upload(on_page(app(root, monkeypatch), "views/add.py"), ("second.txt", ONE))
    lock, _ = _analysis_guard()
    a = in_thread(press, first)
    deadline = time.monotonic() + LONG
    while not lock.locked():  # the first session's analysis has begun: now the second presses
        assert a[0].is_alive() and time.monotonic() < deadline, "the first run never started"
        time.sleep(0.01)
    b = in_thread(press, second)
    first, second = result(*a), result(*b)

    for at in (first, second):
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        assert any("analysed" in s for s in texts(at) if "article(s) in the store" in s)
    assert not any(s.startswith("Waited") for s in texts(first))
    assert any(s.startswith("Waited") for s in texts(second)), texts(second)
    paths = list(Store(root).read("documents")["path"])
    assert sum("first-batch-" in p for p in paths) == 24
    assert sum("second-" in p for p in paths) == 1
    assert len(paths) == before + 25
    assert_whole(root)
    # The second session, which ran last, sums up the store both made.
    assert any(m.value.startswith(f"{before + 25} articles analysed") for m in second.markdown)


def test_a_session_waits_for_a_newslens_run_holding_the_store(
    fresh_store: Synthetic, monkeypatch: pytest.MonkeyPatch, nlp_loaded: object
) -> None:
    root = fresh_store.root
    at = upload(on_page(app(root, monkeypatch), "views/add.py"), ("held.txt", ONE))
    with Store(root).writing():  # as `newslens analyze` holds it, from another open file
        run = in_thread(press, at)
        time.sleep(1.5)
        assert run[0].is_alive(), "the session did not wait for the lock"
    at = result(*run)
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    assert any(s.startswith("Waited") for s in texts(at)), texts(at)
    assert any("held-" in p for p in Store(root).read("documents")["path"])
    assert_whole(root)


def _failing_figures(monkeypatch: pytest.MonkeyPatch, nlp: Any) -> None:
    """The figure extractor fails on any article that mentions 'boom' (an extractor bug); the
    analysis runs in this process, where the bug is planted, rather than in a worker."""
    import dashboard.state
    from analysis.engines import LocalEngine
    from analysis.extract import figures as figures_mod

    monkeypatch.setattr(dashboard.state, "analysis_engine", lambda: LocalEngine(nlp))

    real = figures_mod.extract_figures

    def flaky(doc: Any, article: Any, mentions: Any) -> Any:
        if "boom" in article.text:
            raise ValueError("extractor bug")
        return real(doc, article, mentions)

    monkeypatch.setattr(figures_mod, "extract_figures", flaky)


def _failing_commit(monkeypatch: pytest.MonkeyPatch, nlp: Any) -> None:
    """The run fails as a whole just before its commit (a full disk); the analysis runs in this
    process, where the failure is planted."""
    import dashboard.state
    from analysis import pipeline
    from analysis.engines import LocalEngine

    monkeypatch.setattr(dashboard.state, "analysis_engine", lambda: LocalEngine(nlp))

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pipeline, "_merge", full)


BOOM = b"2 March, 2026\nboom\n\nA boom was heard in Minsk on Monday, the police said.\n"
BAD = {
    "over the size limit": (
        ("huge.txt", b"x" * (MAX_UPLOAD_MB * 1024 * 1024 + 1)),
        None,
        ["huge.txt", f"larger than {MAX_UPLOAD_MB} MB"],
    ),
    "a million one-word articles": (
        ("words.jsonl", b'{"text": "word"}\n' * 1_000_000),
        None,
        ["words.jsonl", f"more than {MAX_UPLOAD_ARTICLES:,} articles"],
    ),
    "a million one-word lines": (
        ("lines.jsonl", b"word\n" * 1_000_000),
        None,
        ["lines.jsonl", "malformed JSON line", "no article could be read"],
    ),
    "an article the analysis fails on": (
        ("boom story.txt", BOOM),
        _failing_figures,
        ["boom story.txt", "analysis failed", "extractor bug"],
    ),
    "a run that fails": (
        ("../../disk full.txt", ONE),
        _failing_commit,
        ["The analysis failed", "No space left on device", "../../disk full.txt"],
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_upload_is_refused_or_reported_and_changes_nothing(
    seed_store: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    nlp_loaded: object,
    case: str,
) -> None:
    (name, data), breaks, said = BAD[case]
    root = tmp_path / "store"  # analysed by the pipeline, so a rerun leaves its rows as they are
    shutil.copytree(seed_store, root)
    other = app(root, monkeypatch)  # another session, open on the Overview meanwhile
    articles = {m.label: m.value for m in other.metric}["Articles"]
    tables = table_rows(root)
    if breaks is not None:
        breaks(monkeypatch, nlp_loaded)
    at = press(upload(on_page(app(root, monkeypatch), "views/add.py"), (name, data)))
    assert not at.exception, [e.value for e in at.exception]
    shown = [s for s in texts(at) if name in s]
    assert shown, texts(at)
    for words in said:
        assert any(words in s for s in shown), (words, shown)
    assert table_rows(root) == tables  # not a row more, not a row less
    leftover = list((root / "uploads").iterdir()) if (root / "uploads").is_dir() else []
    if breaks is None or breaks is _failing_commit:
        assert leftover == []  # refused, or taken back when the run failed
    assert not (root.parent.parent / "disk full.txt").exists()
    assert_whole(root)
    other.run()
    assert not other.exception and not other.error
    assert {m.label: m.value for m in other.metric}["Articles"] == articles


def test_an_upload_is_refused_while_the_stores_corpus_folder_is_away(
    fresh_store: Synthetic, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A run without a recorded folder (moved, on a drive not mounted) would remove its
    articles: the upload is refused by name, its file taken back, every row kept."""
    root = fresh_store.root
    away = tmp_path / "archive on a drive not mounted"
    manifest_path = root / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["paths"] = [str(away)]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    before = table_rows(root)
    at = press(upload(on_page(app(root, monkeypatch), "views/add.py"), ("late.txt", ONE)))
    assert not at.exception, [e.value for e in at.exception]
    (error,) = [s for s in texts(at) if s.startswith("Not analysed")]
    assert str(away) in error and "unchanged" in error
    assert table_rows(root) == before
    uploads = root / "uploads"
    assert not uploads.is_dir() or not any(uploads.iterdir())
