"""TF-IDF weights as scikit-learn computes them, on scipy's sparse matrices alone.

The stories and the happenings weigh words and entities with TF-IDF: sublinear counts
(1 + ln n), smoothed IDF (ln((1 + documents) / (1 + document frequency)) + 1), each row scaled
to unit length. scikit-learn's `TfidfTransformer` and `TfidfVectorizer` do exactly that, but
importing them costs over a second a process (scikit-learn pulls in scipy.stats, scipy.optimize
and more at import), more than a run of `newslens analyze` spends on everything it computes
with them, and every worker process pays it again.

These functions follow scikit-learn 1.x step by step, in the same floating-point operations in
the same order (the row norms are sequential sums of squares, as its `normalize` takes them),
so the weights are the same numbers; tests/analysis/test_tfidf.py compares them with
scikit-learn's on random and real input when scikit-learn is installed (it is a test
dependency, not a run-time one).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import cache

import numpy as np
import scipy.sparse as sp

from analysis import lexicon


@cache
def english_stop_words() -> frozenset[str]:
    """scikit-learn's `ENGLISH_STOP_WORDS` (the list is in analysis/lexicons/stop_words.json)."""
    return frozenset(lexicon.load("stop_words")["english"])


class EmptyVocabulary(ValueError):
    """No document has a word left once the stop words are out."""


def weigh(counts: sp.spmatrix | sp.sparray, *, copy: bool = True) -> sp.csr_matrix:
    """`TfidfTransformer(sublinear_tf=True).fit_transform(counts)`: rows are documents."""
    matrix = sp.csr_matrix(counts, dtype=_float(counts.dtype), copy=copy)
    n_docs = matrix.shape[0]
    # fit: document frequencies, smoothed as if one more document held every term once
    df = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(matrix.dtype)
    df += 1.0
    idf = np.full_like(df, fill_value=n_docs + 1, dtype=matrix.dtype)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    # transform
    np.log(matrix.data, matrix.data)
    matrix.data += 1.0
    matrix.data *= idf[matrix.indices]
    return _unit_rows(matrix)


def vectorize(
    texts: Sequence[str], *, stop_words: Collection[str], token_pattern: str
) -> sp.csr_matrix:
    """`TfidfVectorizer(stop_words=..., token_pattern=..., sublinear_tf=True).fit_transform`.

    Words are the lower-cased text's matches of `token_pattern` that are not stop words; the
    columns are the words in sorted order. Raises `EmptyVocabulary` where scikit-learn raises
    its ValueError ("empty vocabulary").
    """
    find = re.compile(token_pattern).findall
    stop = frozenset(stop_words)
    vocabulary: dict[str, int] = {}
    columns: list[int] = []
    indptr = [0]
    for text in texts:
        for word in find(text.lower()):
            if word not in stop:
                columns.append(vocabulary.setdefault(word, len(vocabulary)))
        indptr.append(len(columns))
    if not vocabulary:
        raise EmptyVocabulary("no word left once the stop words are out")
    counts = sp.csr_matrix(
        (np.ones(len(columns), dtype=np.float64), np.asarray(columns, dtype=np.int32), indptr),
        shape=(len(texts), len(vocabulary)),
    )
    counts.sum_duplicates()  # each row's words in the order the corpus first used them
    # Then the columns renumbered in the words' sorted order, the entries left in that order,
    # as scikit-learn's _sort_features leaves them (the order each row's length is summed in).
    order = np.empty(len(vocabulary), dtype=np.int32)
    order[[vocabulary[word] for word in sorted(vocabulary)]] = np.arange(len(vocabulary))
    counts.indices = order[counts.indices]
    counts.has_sorted_indices = False
    return weigh(counts, copy=False)


def _float(dtype: np.dtype) -> type[np.floating]:
    """The dtype scikit-learn computes in: the input's own when floating, else float64."""
    return np.float32 if dtype == np.float32 else np.float64


def _unit_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Each non-zero row divided by its Euclidean length, in place (`normalize(norm="l2")`).

    The squared length is summed in row order, as scikit-learn's `inplace_csr_row_normalize_l2`
    sums it: a sparse matrix-vector product adds its terms that way.
    """
    squares = sp.csr_matrix(
        (matrix.data * matrix.data, matrix.indices, matrix.indptr), shape=matrix.shape
    )
    lengths = np.sqrt(squares @ np.ones(matrix.shape[1], dtype=matrix.dtype))
    lengths[lengths == 0] = 1.0
    matrix.data /= np.repeat(lengths, np.diff(matrix.indptr))
    return matrix
