"""analysis.tfidf gives scikit-learn's TF-IDF numbers, entry for entry, without importing it."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import tfidf

text_mod = pytest.importorskip("sklearn.feature_extraction.text")

PATTERN = r"(?u)\b[^\W\d_]{3,}\b"  # the happenings' words
STOP = ["the", "and", "said"]
WORDS = ["Alpha", "beta", "gamma", "the", "and", "said", "x1", "éclair", "Zoë", "ZETA", "42"]


def _same(ours: sp.csr_matrix, theirs: sp.csr_matrix) -> None:
    """The same matrix down to the order of each row's entries and the last bit of each value."""
    assert ours.shape == theirs.shape
    assert np.array_equal(ours.indptr, theirs.indptr)
    assert np.array_equal(ours.indices, theirs.indices)
    assert ours.data.dtype == theirs.data.dtype
    assert np.array_equal(ours.data, theirs.data)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 25),
    st.integers(1, 30),
    st.floats(0.0, 0.6),
    st.integers(0, 2**31 - 1),
)
def test_weigh_equals_tfidf_transformer(rows: int, columns: int, density: float, seed: int) -> None:
    counts = sp.random(rows, columns, density=density, random_state=seed, format="csr")
    counts.data = np.ceil(counts.data * 7)
    theirs = text_mod.TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    _same(tfidf.weigh(counts), sp.csr_matrix(theirs))


def test_weigh_leaves_its_input_unless_told() -> None:
    counts = sp.csr_matrix(np.array([[1.0, 3.0, 0.0], [0.0, 2.0, 2.0]]))
    before = counts.toarray()
    tfidf.weigh(counts)
    assert np.array_equal(counts.toarray(), before)
    tfidf.weigh(counts, copy=False)
    assert not np.array_equal(counts.toarray(), before)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join), min_size=1))
def test_vectorize_equals_tfidf_vectorizer(texts: list[str]) -> None:
    vectorizer = text_mod.TfidfVectorizer(
        stop_words=STOP, token_pattern=PATTERN, sublinear_tf=True, lowercase=True
    )
    try:
        theirs = vectorizer.fit_transform(texts)
    except ValueError:
        with pytest.raises(tfidf.EmptyVocabulary):
            tfidf.vectorize(texts, stop_words=STOP, token_pattern=PATTERN)
        return
    _same(tfidf.vectorize(texts, stop_words=STOP, token_pattern=PATTERN), sp.csr_matrix(theirs))


def test_vectorize_on_real_sentences(seed_article) -> None:  # type: ignore[no-untyped-def]
    from analysis.stories import STOP_WORDS

    texts = [p for p in seed_article.text.split("\n") if p.strip()]
    vectorizer = text_mod.TfidfVectorizer(
        stop_words=sorted(STOP_WORDS), token_pattern=PATTERN, sublinear_tf=True
    )
    ours = tfidf.vectorize(texts, stop_words=STOP_WORDS, token_pattern=PATTERN)
    _same(ours, sp.csr_matrix(vectorizer.fit_transform(texts)))


def test_stop_words_are_scikit_learns() -> None:
    assert tfidf.english_stop_words() == text_mod.ENGLISH_STOP_WORDS
