"""Copies of one story: the same text in several files, or a near-duplicate (the same wire story
with another headline, byline or last paragraph), found by MinHash over word shingles.

Every file stays a documents row with its own path, title, date and source; `copy_of` names the
first copy (the earliest published, then the smallest doc id). A copy's other rows (mentions,
quotes, figures, events, its search postings and readability) are left out, so counts are not
doubled, while coverage (articles, outlets) counts each copy. Exact copies are not even parsed:
the corpus reader marks them (`Article.copy_of`) and their documents row is the first copy's,
with their own file's details.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from analysis.articles import Article

# Bumped whenever an article's signature changes (the shingles, the permutations): stored
# articles are redone.
VERSION = 1
# Near-duplicates: Jaccard similarity of 5-word shingles at least this (the same wire story
# with another headline, byline or closing paragraph stays well above; a follow-up article that
# quotes a paragraph of the first stays well below).
THRESHOLD = 0.8
SHINGLE = 5
PERMUTATIONS = 128
# The LSH bands datasketch's MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS) picks (the
# least false positives plus false negatives): 9 bands of 13 values. A test holds them equal.
BANDS, ROWS = 9, 13
# The MinHash permutations' seed, and the MurmurHash3 32-bit finalizer's shifts and multipliers
# (both as datasketch has them).
SEED = 1
_FMIX32 = tuple(np.uint32(v) for v in (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16))
# Tables whose rows of a copy are left out (its documents and readability rows stay: one per
# file, like the file's details; an exact copy gets the first copy's readability).
DROPPED = ("mentions", "quotes", "figures", "events", "postings", "sentences")

# Each article's MinHash signature (null when it has no words), kept beside the search index.
SIGNATURE = pa.binary(4 * PERMUTATIONS)
SIGNATURES_SCHEMA = pa.schema(
    [pa.field("doc_id", pa.string(), nullable=False), pa.field("minhash", SIGNATURE)]
)

Reader = Any  # (table, columns) -> Iterable[pa.Table], as the pipeline's merge reads


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """The article's runs of `size` words, lower-cased (punctuation stays with its word)."""
    words = text.lower().split()
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def signature(text: str) -> bytes | None:
    """The article's MinHash signature (`PERMUTATIONS` 32-bit values), None without words.

    Computed once, when the article is analysed, and stored (`signatures`), so a merge
    compares stored signatures and never hashes an unchanged article again. The values are
    datasketch's (2.x, its default "affine32" scheme: `MinHash(num_perm=PERMUTATIONS,
    seed=SEED).update_batch(shingles)`), computed here in its steps because importing
    datasketch costs 0.6 s a process (it imports scipy.integrate for its LSH); tests/analysis/
    test_copies.py holds the two equal.
    """
    words = shingles(text)
    if not words:
        return None
    # Each shingle's SHA-1, first 4 bytes little-endian (datasketch's sha1_hash32) ...
    hashes = np.fromiter(
        (int.from_bytes(hashlib.sha1(w).digest()[:4], "little") for w in words),
        dtype=np.uint32,
        count=len(words),
    ).reshape(-1, 1)
    # ... pre-mixed by the MurmurHash3 finalizer, then each permutation's a * h + b mod 2**32.
    s1, m1, s2, m2, s3 = _FMIX32
    hashes ^= hashes >> s1
    hashes *= m1
    hashes ^= hashes >> s2
    hashes *= m2
    hashes ^= hashes >> s3
    a, b = _permutations()
    values: bytes = (hashes * a + b).min(axis=0).astype("<u4").tobytes()
    return values


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations for SEED: odd multipliers a, offsets b."""
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, PERMUTATIONS, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, PERMUTATIONS, dtype=np.uint32)
    return a, b


def signatures(doc_id: str, text: str) -> pa.Table:
    """The `signatures` row of one article."""
    return pa.table({"doc_id": [doc_id], "minhash": [signature(text)]}, schema=SIGNATURES_SCHEMA)


def near_copies(documents: Iterable[pa.Table]) -> dict[str, str]:
    """doc_id -> the doc_id of its first copy, for each article that repeats an earlier one.

    `documents` are batches with doc_id, published and either minhash (the stored signature)
    or text. Articles are taken in order of publication (undated last), so the first copy is
    the earliest.
    """
    ids: list[str] = []
    published: list[Any] = []
    values: list[pa.Array] = []
    for data in documents:
        ids += data["doc_id"].to_pylist()
        published += data["published"].to_pylist()
        if "minhash" in data.column_names:
            values.append(data["minhash"].combine_chunks().cast(SIGNATURE))
        else:
            texts = data["text"].to_pylist()
            values.append(pa.array([signature(t or "") for t in texts], SIGNATURE))
    matrix = np.zeros((len(ids), PERMUTATIONS), dtype="<u4")
    present = np.zeros(len(ids), dtype=bool)
    at = 0
    for column in values:
        rows, valid = _unpack(column)
        matrix[at : at + len(column)] = rows
        present[at : at + len(column)] = valid
        at += len(column)
    return _copies(ids, published, matrix, present)


@dataclass
class Signatures:
    """The near copies of the merged corpus, and the signatures computed for it (of articles
    stored before signatures were kept: written with the rest, never computed again)."""

    copy_of: dict[str, str]
    computed: pa.Table


# The documents' columns the copy search reads (the store's types; `test_copies` checks them).
_DOCUMENT_KEYS = pa.schema([("doc_id", pa.string()), ("published", pa.timestamp("ms"))])


def find_near_copies(read: Reader) -> Signatures:
    """The near copies among the current corpus's articles, from their stored signatures
    (and texts only for the articles without one).

    The signatures stream a batch at a time into one array of the corpus's signatures, so
    what is held is that array: `PERMUTATIONS` 32-bit values per article.
    """
    batches = list(read("documents", ["doc_id", "published"]))
    documents = pa.concat_tables(batches) if batches else _DOCUMENT_KEYS.empty_table()
    del batches
    ids = documents["doc_id"].combine_chunks()
    matrix = np.zeros((len(ids), PERMUTATIONS), dtype="<u4")
    present = np.zeros(len(ids), dtype=bool)
    found = np.zeros(len(ids), dtype=bool)
    for data in read("signatures", ["doc_id", "minhash"]):
        _place(data, ids, matrix, present, found)
    computed = SIGNATURES_SCHEMA.empty_table()
    if not found.all():
        missing = ids.filter(pa.array(~found))
        parts = []
        for data in read("documents", ["doc_id", "text"]):
            data = data.filter(pc.is_in(data["doc_id"], value_set=missing))
            texts = data["text"].to_pylist()
            parts.append(
                pa.table(
                    {"doc_id": data["doc_id"], "minhash": [signature(t or "") for t in texts]},
                    schema=SIGNATURES_SCHEMA,
                )
            )
        computed = pa.concat_tables(parts) if parts else computed
        _place(computed, ids, matrix, present, found)
    copy_of = _copies(ids.to_pylist(), documents["published"].to_pylist(), matrix, present)
    pa.default_memory_pool().release_unused()  # the batches read: back to the system
    return Signatures(copy_of, computed)


def _place(
    data: pa.Table, ids: pa.Array, matrix: np.ndarray, present: np.ndarray, found: np.ndarray
) -> None:
    """Put the signatures of `data` (doc_id, minhash) into the rows of their articles."""
    at = pc.index_in(data["doc_id"], value_set=ids)
    data = data.filter(pc.is_valid(at))
    rows = pc.drop_null(at).to_numpy().astype(np.int64)
    found[rows] = True
    values, valid = _unpack(data["minhash"].combine_chunks().cast(SIGNATURE))
    matrix[rows[valid]] = values[valid]
    present[rows[valid]] = True


def _unpack(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Fixed-size signatures as an array of rows (zeros where null), and which are not null."""
    size = 4 * PERMUTATIONS
    buffer = column.buffers()[1]
    if buffer is None or len(column) == 0:
        return np.zeros((len(column), PERMUTATIONS), "<u4"), np.zeros(len(column), bool)
    raw = np.frombuffer(buffer, dtype=np.uint8)[column.offset * size :][: len(column) * size]
    values = raw.view("<u4").reshape(len(column), PERMUTATIONS)
    return values, column.is_valid().to_numpy(zero_copy_only=False)


def _copies(
    ids: list[str], published: list[Any], matrix: np.ndarray, present: np.ndarray
) -> dict[str, str]:
    """The near copies among articles `ids` with their signatures (`matrix` rows; `present`
    False for an article without words).

    MinHash LSH as datasketch's `MinHashLSH` does it (its bands for `THRESHOLD`: `BANDS`), on the
    signatures as one array: an article is a copy of the earliest-listed articles before it,
    not copies themselves, that share a band with it and agree on at least `THRESHOLD` of the
    signature (the estimated Jaccard similarity); the first copy is the smallest doc id.
    """
    n = len(ids)
    if n < 2:
        return {}
    bands, rows = BANDS, ROWS
    codes = np.empty((n, bands), dtype=np.int64)
    for k in range(bands):
        band = np.ascontiguousarray(matrix[:, k * rows : (k + 1) * rows])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * rows))).ravel()
        _, inverse = np.unique(keys, return_inverse=True)
        codes[:, k] = inverse.ravel() + k * n
    # Only a bucket holding two articles or more can ever give a candidate.
    shared = np.bincount(codes[present].ravel(), minlength=bands * n) > 1
    order = sorted(range(n), key=lambda i: (published[i] is None, published[i] or 0, ids[i]))
    buckets: dict[int, list[int]] = {}
    copy_of: dict[str, str] = {}
    width = float(PERMUTATIONS)
    for i in order:
        if not present[i]:
            continue
        mine = [int(c) for c in codes[i] if shared[c]]
        candidates = {m for c in mine for m in buckets.get(c, ())}
        matches = [
            m for m in candidates if np.count_nonzero(matrix[m] == matrix[i]) / width >= THRESHOLD
        ]
        if matches:
            copy_of[ids[i]] = min(ids[m] for m in matches)
            continue
        for c in mine:
            buckets.setdefault(c, []).append(i)
    return copy_of


@dataclass
class Copies:
    """The copies of the current corpus, and how the tables take them in."""

    exact: Mapping[str, Article]  # doc_id of an exact copy -> its article (not analysed)
    near: dict[str, str] = field(default_factory=dict)  # doc_id -> its first copy

    def added_to(self, tables: dict[str, Iterable[pa.Table]]) -> dict[str, Iterable[pa.Table]]:
        """`tables` with `copy_of` on documents, exact copies' rows, copies' other rows out."""
        out = dict(tables)
        if "documents" in out:
            out["documents"] = self._documents(out["documents"])
        if "readability" in out and self.exact:
            out["readability"] = self._readability(out["readability"])
        dropped = pa.array(sorted(self.near), pa.string())
        for table in DROPPED:
            if table in out and len(dropped):
                out[table] = _without(out[table], dropped)
        return out

    def _documents(self, batches: Iterable[pa.Table]) -> Iterator[pa.Table]:
        wanted = {a.copy_of for a in self.exact.values()}
        firsts: dict[str, dict[str, Any]] = {}
        schema: pa.Schema | None = None
        for data in batches:
            schema = data.schema
            ids = data["doc_id"].to_pylist()
            marks = [self.near.get(d, "") for d in ids]
            index = schema.get_field_index("copy_of")
            data = data.set_column(index, schema.field(index), pa.array(marks, pa.string()))
            for row in data.to_pylist():
                if row["doc_id"] in wanted:
                    firsts[row["doc_id"]] = row
            yield data
        if schema is None or not self.exact:
            return
        rows = []
        for doc_id, article in sorted(self.exact.items()):
            first = firsts.get(article.copy_of)
            if first is None:  # the first copy could not be analysed: nothing to copy
                continue
            root = self.near.get(article.copy_of, article.copy_of)
            rows.append(
                {
                    **first,
                    "doc_id": doc_id,
                    "title": article.title,
                    "slug": article.slug,
                    "published": (
                        None
                        if article.published is None
                        else datetime.combine(article.published, datetime.min.time())
                    ),
                    "source": article.source,
                    "path": article.path,
                    "sha256": article.sha256,
                    "copy_of": root,
                }
            )
        if rows:
            yield pa.Table.from_pylist(rows, schema=schema)

    def _readability(self, batches: Iterable[pa.Table]) -> Iterator[pa.Table]:
        """The readability rows, and a copy of the first copy's for each exact copy."""
        wanted = {a.copy_of for a in self.exact.values()}
        firsts: dict[str, dict[str, Any]] = {}
        schema: pa.Schema | None = None
        for data in batches:
            schema = data.schema
            for row in data.filter(pc.is_in(data["doc_id"], pa.array(sorted(wanted)))).to_pylist():
                firsts[row["doc_id"]] = row
            yield data
        rows = [
            {**firsts[a.copy_of], "doc_id": doc_id}
            for doc_id, a in sorted(self.exact.items())
            if a.copy_of in firsts
        ]
        if rows and schema is not None:
            yield pa.Table.from_pylist(rows, schema=schema)


def _without(batches: Iterable[pa.Table], dropped: pa.Array) -> Iterator[pa.Table]:
    for data in batches:
        if "doc_id" in data.column_names and data.num_rows:
            yield data.filter(pc.invert(pc.is_in(data["doc_id"], value_set=dropped)))
        else:
            yield data
