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

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from analysis.articles import Article

# Near-duplicates: Jaccard similarity of 5-word shingles at least this (the same wire story
# with another headline, byline or closing paragraph stays well above; a follow-up article that
# quotes a paragraph of the first stays well below).
THRESHOLD = 0.8
SHINGLE = 5
PERMUTATIONS = 128
# Tables whose rows of a copy are left out (its documents and readability rows stay: one per
# file, like the file's details; an exact copy gets the first copy's readability).
DROPPED = ("mentions", "quotes", "figures", "events", "postings", "sentences")

Reader = Any  # (table, columns) -> Iterable[pa.Table], as the pipeline's merge reads


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """The article's runs of `size` words, lower-cased (punctuation stays with its word)."""
    words = text.lower().split()
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def near_copies(documents: Iterable[pa.Table]) -> dict[str, str]:
    """doc_id -> the doc_id of its first copy, for each article that repeats an earlier one.

    `documents` are batches with doc_id, published and text. Articles are taken in order of
    publication (undated last), so the first copy is the earliest.
    """
    from datasketch import MinHash, MinHashLSH

    rows: list[tuple[Any, str, str]] = []
    for data in documents:
        for doc_id, published, text in zip(
            data["doc_id"].to_pylist(),
            data["published"].to_pylist(),
            data["text"].to_pylist(),
            strict=True,
        ):
            rows.append((published, doc_id, text or ""))
    rows.sort(key=lambda r: (r[0] is None, r[0] or 0, r[1]))
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    signatures: dict[str, MinHash] = {}
    copy_of: dict[str, str] = {}
    for _, doc_id, text in rows:
        words = shingles(text)
        if not words:
            continue
        signature = MinHash(num_perm=PERMUTATIONS, seed=1)
        signature.update_batch(list(words))
        matches = [
            other
            for other in lsh.query(signature)
            if signatures[other].jaccard(signature) >= THRESHOLD
        ]
        if matches:
            first = min(matches, key=lambda m: (copy_of.get(m, m), m))
            copy_of[doc_id] = copy_of.get(first, first)
            continue
        lsh.insert(doc_id, signature)
        signatures[doc_id] = signature
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
