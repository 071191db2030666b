"""Shared fixtures: the spaCy model loads once per test session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from analysis.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def seed_article():  # type: ignore[no-untyped-def]
    from analysis.corpus import load_corpus

    corpus = load_corpus([SEEDS])
    assert len(corpus.articles) == 1
    return corpus.articles[0]


@pytest.fixture(scope="session")
def seed_doc(nlp, seed_article):  # type: ignore[no-untyped-def]
    return nlp(seed_article.text)


@pytest.fixture(scope="session")
def seed_tables(nlp, seed_article):  # type: ignore[no-untyped-def]
    from analysis.pipeline import analyze_texts

    return analyze_texts(nlp, [seed_article])


@pytest.fixture(scope="session")
def make_article() -> Callable[..., object]:
    """An Article from a text, with a fixed publication date unless told otherwise."""
    from analysis.corpus import build_article

    def make(text: str, published: date | None = date(2025, 12, 13), **kw: object) -> object:
        return build_article(text, path="test.txt", published=published, **kw)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    if not SHARED_CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return SHARED_CORPUS


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A small store whose every row is known (no spaCy): the seed and a hostile article."""
    from tests.synthetic import build

    return build(tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="session")
def db(synthetic):  # type: ignore[no-untyped-def]
    """The synthetic store opened for questions."""
    from analysis.query import StoreView

    return StoreView(synthetic.root)


@pytest.fixture
def fresh_store(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A synthetic store of one's own, for tests that write to it."""
    from tests.synthetic import build

    return build(tmp_path)


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory, nlp):  # type: ignore[no-untyped-def]
    """The seed article analysed into a store (with its search index), shared read-only."""
    from analysis.pipeline import run

    root = tmp_path_factory.mktemp("seed-store") / "store"
    run([SEEDS], root, nlp=nlp)
    return root


def with_older_index(store: Path, copy: Path) -> Path:
    """A copy of `store` whose search index is in the layout newslens wrote before index
    VERSION 2 (no published, next, next_end columns)."""
    import shutil

    import pyarrow.parquet as pq

    shutil.copytree(store, copy)
    postings = pq.read_table(copy / "postings.parquet")
    pq.write_table(
        postings.drop_columns(["published", "next", "next_end"]), copy / "postings.parquet"
    )
    return copy
