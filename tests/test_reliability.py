"""Crashes, concurrent runs and hostile text lose nothing and break nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.corpus import ArticleError, build_article
from analysis.pipeline import analyze_texts
from analysis.store import Store
from analysis.tables import SCHEMAS, TABLES

ROOT = Path(__file__).resolve().parent.parent
SEED = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")


def make_corpus(folder: Path, n: int, start: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        text = SEED + f"\n\nThis is follow-up report number {i}."
        (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")


def test_sigkill_mid_run_keeps_previous_store_and_next_run_finishes(tmp_path: Path) -> None:
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    make_corpus(corpus, 3)
    assert main(["analyze", str(corpus), "--out", str(store), "--quiet"]) == 0
    before = {t: Store(store).read(t) for t in TABLES}
    make_corpus(corpus, 40, start=3)
    command = [
        sys.executable,
        "-m",
        "analysis.cli",
        "analyze",
        str(corpus),
        "--out",
        str(store),
        "--quiet",
        "--batch-size",
        "2",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    parts = store / ".work" / "parts"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if parts.is_dir() and len(list(parts.iterdir())) >= 2:
            break
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    for table in TABLES:  # the previous store is complete and readable
        assert Store(store).read(table).equals(before[table]), table
    assert main(["analyze", str(corpus), "--out", str(store), "--quiet"]) == 0
    documents = Store(store).read("documents")
    assert len(documents) == 43
    assert not (store / ".work").exists() and not (store / ".next").exists()


def test_second_run_waits_or_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    make_corpus(corpus, 1)
    with Store(store).writing():
        code = main(["analyze", str(corpus), "--out", str(store), "--quiet", "--no-wait"])
    assert code == 1
    assert "being written by another newslens run" in capsys.readouterr().err
    assert main(["analyze", str(corpus), "--out", str(store), "--quiet"]) == 0


HOSTILE = [
    "\u201cUnclosed quote. He said \u201cnested \u2018single\u2019 \u201cdeep\u201d",
    "Emoji \U0001f600 in \U0001f1fa\U0001f1f8 news: 40% of \U0001f44d said \u201cyes\u201d.",
    "\u0627\u0644\u0631\u0626\u064a\u0633 said \u05e9\u05dc\u05d5\u05dd on Monday in 2020.",
    "Zero\u200bwidth\u200c and \u200e marks and \x07 bells \x1b[31m and \ufeff BOM.",
    "word " * 3000,  # a very long sentence without full stops
    "\u201d\u201d\u201c\u201c\"\"''\u00ab\u00bb\u201e\u201c",
    "<script>alert('x')</script><img src=x onerror=alert(1)> said Smith on 13 May 2021.",
]


def check_offsets(text: str, tables: dict) -> None:  # type: ignore[type-arg]
    for table in ("mentions", "quotes", "figures", "events"):
        for row in tables[table].itertuples():
            assert text[row.start : row.end] == row.text, (table, row)
            assert text[row.sentence_start : row.sentence_start + len(row.sentence)] == (
                row.sentence
            )


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_breaks_and_offsets_hold(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    article = build_article(text, path="hostile.txt", published=None)
    tables = analyze_texts(nlp, [article])
    assert set(tables) == set(TABLES)
    for name, frame in tables.items():
        assert list(frame.columns) == list(SCHEMAS[name])
    check_offsets(article.text, tables)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=300))
def test_any_unicode_through_every_extractor(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    try:
        article = build_article(text, path="any.txt")
    except ArticleError:
        return  # nothing but whitespace or control characters: reported, not analysed
    check_offsets(article.text, analyze_texts(nlp, [article]))
