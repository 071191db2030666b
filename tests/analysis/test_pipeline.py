"""A run: incremental (only new or changed articles meet the model), streamed, resumable."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis import analyze, pipeline
from analysis.corpus import Article
from analysis.engines import Batches, LocalEngine
from analysis.extract import figures as figures_mod
from analysis.extract import quotes as quotes_mod
from analysis.pipeline import analyze_texts, run
from analysis.store import Store
from analysis.tables import TABLES

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")
# Real news paragraphs (the seed article's), one short article each: quick to analyse.
PARAGRAPHS = [p for p in SEED.split("\n", 3)[3].split("\n\n") if len(p.split()) > 20]


def write_articles(folder: Path, n: int, *, start: int = 0) -> list[Path]:
    """Articles in the seed format, each a real paragraph with its own number (distinct ids)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        body = f"{PARAGRAPHS[i % len(PARAGRAPHS)]}\n\nThis is report number {i}."
        path = folder / f"{i:03d}.txt"
        path.write_text(f"13 December, 2025\nreport-{i}\n\n{body}\n", encoding="utf-8")
        paths.append(path)
    return paths


def tables(store: Path) -> dict[str, pd.DataFrame]:
    return {t: Store(store).read(t) for t in TABLES}


def canonical(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in a fixed order: an incremental run appends new articles' rows after the kept ones."""
    keys = [k for k in ("entity_id", "doc_id", "start", "end", "text") if k in frame.columns]
    if name == "mentions":
        keys = ["doc_id", "start", "end"]
    return frame.sort_values(keys, kind="stable", ignore_index=True)


def assert_same(
    a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame], *, ordered: bool = True
) -> None:
    for name in TABLES:
        left, right = a[name], b[name]
        if not ordered:
            left, right = canonical(name, left), canonical(name, right)
        pd.testing.assert_frame_equal(left, right, obj=name)


def table_files(store: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in store.glob("*.parquet")}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    write_articles(tmp_path / "corpus", 3)
    return tmp_path / "corpus"


@pytest.fixture
def store(tmp_path: Path, corpus: Path, nlp: Any) -> Path:
    out = tmp_path / "store"
    summary = run([corpus], out, engine=LocalEngine(nlp))
    assert summary.analysed == 3
    return out


def test_store_holds_what_analyze_texts_gives(nlp: Any, corpus: Path, store: Path) -> None:
    from analysis.corpus import load_corpus

    expected = analyze_texts(nlp, load_corpus([corpus]).articles)
    assert_same(tables(store), expected)


def test_unchanged_corpus_does_no_nlp_work(corpus: Path, store: Path) -> None:
    before, files = tables(store), table_files(store)
    engine = LocalEngine()  # no model given: it would have to load one to analyse anything
    summary = run([corpus], store, engine=engine)
    assert (summary.analysed, summary.unchanged, summary.removed) == (0, 3, 0)
    assert engine.batches == engine.articles == 0
    assert not engine.loaded
    assert table_files(store) == files  # not even rewritten
    assert_same(tables(store), before)


def test_changed_article_is_analysed_again(nlp: Any, corpus: Path, store: Path) -> None:
    path = corpus / "001.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nA new line was added.\n")
    engine = LocalEngine(nlp)
    summary = run([corpus], store, engine=engine)
    # The id of a plain text article is a hash of its body: the edit is a new article.
    assert (summary.analysed, summary.unchanged, summary.removed) == (1, 2, 1)
    assert engine.articles == 1
    documents = Store(store).read("documents")
    assert len(documents) == 3
    assert documents["path"].tolist().count(str(path)) == 1


def test_changed_record_with_explicit_id_keeps_its_id(nlp: Any, tmp_path: Path) -> None:
    records = [
        {"id": f"story-{i}", "date": "2025-12-13", "title": f"Story {i}", "text": p}
        for i, p in enumerate(PARAGRAPHS[:3])
    ]
    source = tmp_path / "stories.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    out = tmp_path / "store"
    run([source], out, engine=LocalEngine(nlp))
    before = Store(out).read("documents").set_index("doc_id")["sha256"]
    records[1]["text"] += " The ministry declined to comment."
    source.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    engine = LocalEngine(nlp)
    summary = run([source], out, engine=engine)
    assert (summary.analysed, summary.unchanged, summary.removed) == (1, 2, 0)
    assert engine.articles == 1
    after = Store(out).read("documents").set_index("doc_id")["sha256"].sort_index()
    assert (after != before).tolist() == [False, True, False]


def test_deleted_file_drops_its_rows(corpus: Path, store: Path) -> None:
    gone = Store(store).read("documents").set_index("path").loc[str(corpus / "002.txt"), "doc_id"]
    (corpus / "002.txt").unlink()
    engine = LocalEngine()
    summary = run([corpus], store, engine=engine)
    assert (summary.analysed, summary.unchanged, summary.removed) == (0, 2, 1)
    assert not engine.loaded
    after = tables(store)
    for name in ("documents", "readability", "mentions", "quotes", "figures", "events"):
        assert gone not in set(after[name]["doc_id"]), name
    counts = after["mentions"].groupby("entity_id")["doc_id"].nunique()
    documents = after["entities"].set_index("entity_id")["n_documents"]
    assert documents.to_dict() == counts.to_dict()  # entities recounted without it


def test_pipeline_version_change_analyses_everything_again(
    nlp: Any, corpus: Path, store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = Store(store).manifest()["pipeline_version"]
    monkeypatch.setattr(quotes_mod, "VERSION", quotes_mod.VERSION + "-next")
    engine = LocalEngine(nlp)
    summary = run([corpus], store, engine=engine)
    assert (summary.analysed, summary.unchanged) == (3, 0)
    assert engine.articles == 3
    assert Store(store).manifest()["pipeline_version"] != before


def test_model_change_changes_pipeline_version() -> None:
    assert analyze.pipeline_version("en_core_web_sm-3.8.0") != analyze.pipeline_version(
        "en_core_web_md-3.8.0"
    )


def test_moved_file_updates_path_without_analysis(corpus: Path, store: Path) -> None:
    (corpus / "000.txt").rename(corpus / "renamed.txt")
    engine = LocalEngine()
    summary = run([corpus], store, engine=engine)
    assert (summary.analysed, summary.unchanged) == (0, 3)
    assert not engine.loaded
    assert str(corpus / "renamed.txt") in set(Store(store).read("documents")["path"])


def test_new_unreadable_file_is_recorded_without_analysis(corpus: Path, store: Path) -> None:
    files = table_files(store)
    (corpus / "broken.json").write_text("{not json", encoding="utf-8")
    engine = LocalEngine()
    summary = run([corpus], store, engine=engine)
    assert summary.analysed == 0 and len(summary.problems) == 1
    assert not engine.loaded
    assert "broken.json" in " ".join(Store(store).manifest()["problems"])
    assert table_files(store) == files  # only the manifest changed


def test_empty_corpus_never_replaces_a_store(tmp_path: Path, store: Path) -> None:
    before = tables(store)
    (tmp_path / "empty").mkdir()
    summary = run([tmp_path / "empty"], store, engine=LocalEngine())
    assert summary.articles == 0
    assert_same(tables(store), before)


class CrashingEngine(LocalEngine):
    """Analyses `survive` batches, then dies as a killed run would."""

    def __init__(self, nlp: Any, survive: int) -> None:
        super().__init__(nlp)
        self.survive = survive

    def map(self, batches: Iterable[list[Article]], version: str) -> Batches:
        for i, tables in enumerate(super().map(batches, version)):
            if i == self.survive:
                raise KeyboardInterrupt
            yield tables


def test_interrupted_run_resumes_without_redoing_batches(nlp: Any, tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "store"
    write_articles(corpus, 2)
    run([corpus], out, engine=LocalEngine(nlp))
    before = tables(out)
    write_articles(corpus, 5, start=2)
    with pytest.raises(KeyboardInterrupt):
        run([corpus], out, engine=CrashingEngine(nlp, survive=2), batch_size=2)
    assert_same(tables(out), before)  # the committed store is untouched
    assert len(Store(out).parts()) == 2
    engine = LocalEngine(nlp)
    summary = run([corpus], out, engine=engine, batch_size=2)
    assert (summary.analysed, summary.resumed, summary.unchanged) == (1, 4, 2)
    assert engine.articles == 1
    assert len(Store(out).read("documents")) == 7
    assert not (out / ".work").exists()
    fresh = tmp_path / "fresh"
    run([corpus], fresh, engine=LocalEngine(nlp), batch_size=2)
    assert_same(tables(out), tables(fresh), ordered=False)


def test_crash_before_commit_resumes_from_parts(
    nlp: Any, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "store"

    def crash(self: Store, files: dict[str, Path], manifest: dict[str, Any]) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(Store, "commit", crash)
        with pytest.raises(OSError, match="disk full"):
            run([corpus], out, engine=LocalEngine(nlp))
    assert not Store(out).exists()
    engine = LocalEngine()
    summary = run([corpus], out, engine=engine)
    assert (summary.analysed, summary.resumed) == (0, 3)
    assert not engine.loaded
    assert len(Store(out).read("documents")) == 3
    assert not (out / ".next").exists()


def test_unreadable_part_is_analysed_again(nlp: Any, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "store"
    with pytest.raises(KeyboardInterrupt):
        run([corpus], out, engine=CrashingEngine(nlp, survive=1), batch_size=2)
    (part,) = Store(out).parts()
    (part / "documents.parquet").write_bytes(b"not parquet")
    engine = LocalEngine(nlp)
    summary = run([corpus], out, engine=engine, batch_size=2)
    assert (summary.analysed, summary.resumed) == (3, 0)
    assert len(Store(out).read("documents")) == 3


def test_article_that_fails_is_reported_and_the_rest_kept(
    nlp: Any, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = figures_mod.extract_figures

    def flaky(doc: Any, article: Article, mentions: Any) -> Any:
        if article.path.endswith("001.txt"):
            raise ValueError("extractor bug")
        return real(doc, article, mentions)

    monkeypatch.setattr(figures_mod, "extract_figures", flaky)
    summary = run([corpus], tmp_path / "store", engine=LocalEngine(nlp))
    assert summary.analysed == 2
    (problem,) = summary.problems
    assert problem.path.endswith("001.txt") and "extractor bug" in problem.reason
    assert len(Store(tmp_path / "store").read("documents")) == 2


def test_parser_failure_isolates_the_article(nlp: Any, corpus: Path) -> None:
    from analysis.corpus import load_corpus

    articles = load_corpus([corpus]).articles

    class Broken:
        """A model that fails on one text, as a parser bug would."""

        def pipe(self, items: Iterable[tuple[str, Any]], **kw: Any) -> Any:
            for text, context in items:
                if "number 1." in text:
                    raise RuntimeError("parser bug")
                yield nlp(text), context

    results, _, problems = analyze._analyze_safely(Broken(), articles)  # type: ignore[arg-type]
    assert [r.article.doc_id for r in results] == [articles[0].doc_id, articles[2].doc_id]
    assert [p.path for p in problems] == [articles[1].path]


def test_batch_size_does_not_change_the_store(nlp: Any, corpus: Path, tmp_path: Path) -> None:
    run([corpus], tmp_path / "one", engine=LocalEngine(nlp), batch_size=1)
    run([corpus], tmp_path / "all", engine=LocalEngine(nlp), batch_size=64)
    assert_same(tables(tmp_path / "one"), tables(tmp_path / "all"))


def test_articles_reach_the_engine_in_bounded_batches(nlp: Any, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_articles(corpus, 7)
    seen: list[int] = []

    class Recording(LocalEngine):
        def map(self, batches: Iterable[list[Article]], version: str) -> Batches:
            for batch in batches:
                seen.append(len(batch))
                yield from super().map([batch], version)

    run([corpus], tmp_path / "store", engine=Recording(nlp), batch_size=3)
    assert seen == [3, 3, 1]


def test_plan_holds_ids_not_articles(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_articles(corpus, 4)
    summary = pipeline.RunSummary(store=tmp_path)
    plan = pipeline._plan([corpus], {}, {}, summary)
    assert plan.n_todo == 4
    values = [*plan.current.values(), *plan.where.values(), *plan.todo.keys()]
    assert all(isinstance(v, str) for v in values)
    assert all(isinstance(i, str) for ids in plan.todo.values() for i in ids)
