"""Stories: articles grouped into threads of coverage of one developing story.

Each article is a vector of what it is about: TF-IDF over the corpus entities it mentions
(mention counts) and over its content words (lemmas from the search index, stop words and
numbers left out), the two blocks weighted `ENTITY_WEIGHT` : 1 - `ENTITY_WEIGHT`, so the cosine
of two articles is that weighted mean of their entity and word cosines. Two articles are linked
when the cosine is at least `THRESHOLD` and they were published at most `WINDOW_DAYS` apart
(undated articles are compared with every article); the stories are the communities of that
graph (Louvain inside each connected component, so one bridging article does not chain two
stories into one). An article that links to nothing is a story of its own.

Pure: frames in, `Story` records out; the pipeline reads the inputs and stores the results.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from analysis import tfidf

# Measured on the Wikinews set (61 articles, 2004-2025; the pairs by hand in the report of
# issue 14): the same-story pairs within three weeks score 0.25 to 0.42 (an A380 delivered and
# entering service two days later; the iPhone 4 launch and its sales a week later), the closest
# different-story pairs 0.19 to 0.23 (Airbus job cuts and an A380 flight; an iPhone launch and
# Apple's quarterly results).
THRESHOLD = 0.25
# A follow-up a week or two later belongs to the story; a month later it is usually a new
# thread, and a chain of follow-ups still links them through the articles in between.
WINDOW_DAYS = 21
# Entities say best what a story is about; words tell apart two stories about the same people.
ENTITY_WEIGHT = 0.6
# Rows of the similarity product computed at once: bounds its memory on a large corpus.
CHUNK = 512
# Words that are not content words in news text, besides scikit-learn's English stop words.
NEWS_STOP_WORDS = frozenset(
    (
        *("said", "says", "say", "told", "according", "also", "would", "could", "will"),
        *("one", "two", "three", "new", "year", "years", "time", "today", "yesterday"),
        *("tomorrow", "week", "weeks", "month", "months", "day", "days"),
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
    )
)
STOP_WORDS = tfidf.english_stop_words() | NEWS_STOP_WORDS
_WORD = r"^[^\W\d_][^\W\d_'’-]+[^\W\d_]$"  # letters only (inner hyphens, apostrophes), 3+


@dataclass(frozen=True, slots=True)
class Story:
    """One thread of coverage: its articles, when it ran and what it is about."""

    story_id: str
    label: str
    doc_ids: tuple[str, ...]  # oldest first
    first_published: date | None
    last_published: date | None
    n_sources: int  # distinct outlets named (articles without a source are not counted)
    entity_ids: tuple[str, ...]  # most characteristic first
    terms: tuple[str, ...]

    @property
    def n_articles(self) -> int:
        return len(self.doc_ids)


def story_id(first_doc: str) -> str:
    """A story's id, from its first article: stable while the story grows."""
    return "s-" + hashlib.sha256(first_doc.encode()).hexdigest()[:12]


# -- inputs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """How often each article holds each thing: a sparse matrix, one row per article (in the
    order of the doc ids it was built for), one column per name of `vocab` (sorted)."""

    matrix: sp.csr_matrix
    vocab: list[str]


def article_order(documents: pd.DataFrame) -> list[str]:
    """The doc ids of `documents` (doc_id, published) by publication day (undated last), then
    doc id: the order of the rows `find_stories` works on."""
    day = pd.to_datetime(documents["published"]).dt.normalize()
    order = documents.assign(_day=day).sort_values(
        ["_day", "doc_id"], na_position="last", kind="stable"
    )
    return [str(d) for d in order["doc_id"]]


def count_terms(postings: Callable[[], Iterable[pa.Table]], doc_ids: Sequence[str]) -> Counts:
    """Content words per article from the search index's postings (doc_id, term, lemma): the
    lemma where it differs, stop words and numbers left out; rows in `doc_ids` order (postings
    of other articles are left out).

    `postings` gives the batches, and is read twice: first for the words and how many each
    article holds, then straight into the matrix, so nothing is held twice or as text.
    """
    stop = pa.array(sorted(STOP_WORDS), pa.string())
    docs = pa.array(list(doc_ids), pa.string())

    def counted() -> Iterator[pa.Table]:
        for data in postings():
            word = pc.coalesce(data["lemma"], data["term"])
            row = pc.index_in(data["doc_id"], value_set=docs)
            keep = pc.and_(
                pc.and_(pc.match_substring_regex(word, _WORD), pc.is_valid(row)),
                pc.invert(pc.is_in(word, value_set=stop)),
            )
            kept = pa.table({"row": row, "word": word}).filter(keep)
            if kept.num_rows:
                yield kept.group_by(["row", "word"]).aggregate([("word", "count")])

    words: set[str] = set()
    per_row = np.zeros(len(doc_ids) + 1, np.int64)
    for data in counted():
        words.update(pc.unique(data["word"]).to_pylist())
        per_row[1:] += np.bincount(data["row"].to_numpy(), minlength=len(doc_ids))
    vocab = sorted(words)
    if not vocab:
        return Counts(sp.csr_matrix((len(doc_ids), 0)), [])
    codes = pa.array(vocab, pa.string())
    indptr = np.cumsum(per_row)
    indices = np.empty(int(indptr[-1]), np.int32)
    data_ = np.empty(int(indptr[-1]), np.float64)
    filled = indptr[:-1].copy()
    for data in counted():
        rows = data["row"].to_numpy().astype(np.int64)
        order = np.argsort(rows, kind="stable")
        rows = rows[order]
        cols = pc.index_in(data["word"], value_set=codes).to_numpy().astype(np.int32)[order]
        ns = data["word_count"].to_numpy().astype(np.float64)[order]
        first = np.searchsorted(rows, rows, side="left")  # each row's run starts here
        at = filled[rows] + (np.arange(len(rows)) - first)
        indices[at] = cols
        data_[at] = ns
        np.add.at(filled, rows, 1)
    matrix = sp.csr_matrix((data_, indices, indptr), shape=(len(doc_ids), len(vocab)))
    matrix.sum_duplicates()  # sorts each row's columns; a (row, word) split between batches
    pa.default_memory_pool().release_unused()  # the postings read: back to the system
    return Counts(matrix, vocab)


def count_entities(pairs: Iterable[tuple[str, str, int]], doc_ids: Sequence[str]) -> Counts:
    """Mentions of each corpus entity per article, from (doc_id, entity_id, n) triples; rows
    in `doc_ids` order (other articles left out)."""
    index = {d: i for i, d in enumerate(doc_ids)}
    codes: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    ns: list[float] = []
    for doc_id, entity_id, n in pairs:
        row = index.get(doc_id)
        if row is not None:
            rows.append(row)
            cols.append(codes.setdefault(entity_id, len(codes)))
            ns.append(float(n))
    return _counts(
        [np.array(rows, np.int32)],
        [np.array(cols, np.int32)],
        [np.array(ns, np.float64)],
        codes,
        len(doc_ids),
    )


def _counts(
    rows: list[np.ndarray],
    cols: list[np.ndarray],
    ns: list[np.ndarray],
    codes: Mapping[str, int],
    n_rows: int,
) -> Counts:
    """A `Counts` from (row, code, n) arrays, the codes renumbered in the sorted vocabulary
    and repeated (row, code) pairs summed."""
    vocab = sorted(codes)
    if not vocab:
        return Counts(sp.csr_matrix((n_rows, 0)), [])
    renumber = np.empty(len(codes), np.int32)
    renumber[[codes[v] for v in vocab]] = np.arange(len(vocab), dtype=np.int32)
    row = np.concatenate(rows) if rows else np.empty(0, np.int32)
    col = renumber[np.concatenate(cols)] if cols else np.empty(0, np.int32)
    data = np.concatenate(ns) if ns else np.empty(0, np.float64)
    del rows[:], cols[:], ns[:]
    matrix = sp.csr_matrix((data, (row, col)), shape=(n_rows, len(vocab)))
    matrix.sum_duplicates()
    return Counts(matrix, vocab)


# -- grouping -------------------------------------------------------------------------------


def find_stories(
    documents: pd.DataFrame,
    entities: pd.DataFrame | Counts,
    terms: pd.DataFrame | Counts,
    names: Mapping[str, str],
    *,
    threshold: float = THRESHOLD,
    window_days: int = WINDOW_DAYS,
    entity_weight: float = ENTITY_WEIGHT,
) -> list[Story]:
    """The stories of the articles in `documents` (doc_id, published, source).

    `entities` holds (doc_id, entity_id, n) with n the article's mentions of the entity, `terms`
    (doc_id, term, n) its content words, `names` each entity id's name for the labels; either
    may be `Counts` already, its rows in `article_order` (`count_entities`, `count_terms`).
    Every article is in exactly one story; stories come largest first.
    """
    if documents.empty:
        return []
    doc_ids = article_order(documents)
    order = documents.set_index(documents["doc_id"].astype(str)).loc[doc_ids]
    order = order.assign(_day=pd.to_datetime(order["published"]).dt.normalize())
    days = _days(order["_day"])
    if isinstance(entities, pd.DataFrame):
        entities = _frame_counts(entities, "entity_id", doc_ids)
    if isinstance(terms, pd.DataFrame):
        terms = _frame_counts(terms, "term", doc_ids)
    ents, ent_vocab = _tfidf(entities), entities.vocab
    words, word_vocab = _tfidf(terms), terms.vocab
    del entities, terms
    features = sp.hstack(
        [np.sqrt(entity_weight) * ents, np.sqrt(1.0 - entity_weight) * words], format="csr"
    )
    edges = similar_pairs(features, days, threshold=threshold, window_days=window_days)
    del features
    published = [_as_date(v) for v in order["_day"]]
    sources = [str(s) if s else "" for s in order["source"].fillna("")]
    stories = [
        _describe(
            members,
            doc_ids=doc_ids,
            published=published,
            sources=sources,
            ents=(ents, ent_vocab),
            words=(words, word_vocab),
            names=names,
        )
        for members in communities(len(doc_ids), edges)
    ]
    return sorted(stories, key=lambda s: (-s.n_articles, s.first_published or date.max, s.story_id))


def similar_pairs(
    features: sp.csr_matrix, days: np.ndarray, *, threshold: float, window_days: int
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, cosine) with i < j, cosine >= threshold and at most `window_days` apart.

    Rows must be sorted by day with the undated (`days` < 0) last; row vectors unit-length or
    zero. Works a chunk of rows at a time against only the rows inside their window.
    """
    n = features.shape[0]
    dated = int(np.count_nonzero(days >= 0))
    out: list[tuple[int, int, float]] = []
    start = 0
    while start < n:
        # A chunk of dated rows ends where the undated begin: those compare with all the rest.
        stop = min(n, start + CHUNK, dated) if start < dated else min(n, start + CHUNK)
        if start < dated:
            lo = int(np.searchsorted(days[:dated], days[start] - window_days, side="left"))
            hi = int(np.searchsorted(days[:dated], days[stop - 1] + window_days, side="right"))
            columns = np.r_[np.arange(max(lo, start), hi), np.arange(dated, n)]
        else:
            columns = np.arange(start, n)
        block = (features[start:stop] @ features[columns].T).tocoo()
        i = block.row + start
        j = columns[block.col]
        keep = (j > i) & (block.data >= threshold - 1e-9)
        both_dated = (days[i] >= 0) & (days[j] >= 0)
        keep &= ~both_dated | (np.abs(days[j] - days[i]) <= window_days)
        out += zip(i[keep].tolist(), j[keep].tolist(), block.data[keep].tolist(), strict=True)
        start = stop
    return out


def communities(n: int, edges: Sequence[tuple[int, int, float]]) -> list[list[int]]:
    """Groups of the nodes 0..n-1: Louvain communities inside each connected component."""
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(edges)
    groups: list[list[int]] = []
    for component in nx.connected_components(graph):
        if len(component) <= 2:
            groups.append(sorted(component))
            continue
        parts = nx.community.louvain_communities(graph.subgraph(component), weight="weight", seed=0)
        groups += [sorted(part) for part in parts]
    return sorted(groups)


# -- helpers --------------------------------------------------------------------------------


def _days(values: pd.Series) -> np.ndarray:
    """Days since the epoch, -1 where unknown."""
    stamps = pd.to_datetime(values)
    out = np.full(len(stamps), -1, dtype=np.int64)
    known = stamps.notna().to_numpy()
    out[known] = stamps[known].to_numpy().astype("datetime64[D]").astype(np.int64)
    return out


def _as_date(value: object) -> date | None:
    if isinstance(value, pd.Timestamp) and not pd.isna(value):
        return value.date()
    return None


def _frame_counts(pairs: pd.DataFrame, column: str, doc_ids: Sequence[str]) -> Counts:
    """`Counts` from a frame of (doc_id, `column`, n)."""
    return count_entities(
        zip(pairs["doc_id"], pairs[column].astype(str), pairs["n"], strict=True), doc_ids
    )


def _tfidf(counts: Counts) -> sp.csr_matrix:
    """The counts TF-IDF weighted (sublinear counts, smoothed IDF, each row unit-length), in
    place: the counts are not kept."""
    if counts.matrix.nnz == 0:
        return sp.csr_matrix((counts.matrix.shape[0], 0))
    return tfidf.weigh(counts.matrix, copy=False)


def _top(matrix: sp.csr_matrix, vocab: Sequence[str], rows: Sequence[int], n: int) -> list[str]:
    """The `n` columns with the largest summed weight over `rows` (ties by name)."""
    if not vocab:
        return []
    weights = np.asarray(matrix[list(rows)].sum(axis=0)).ravel()
    nonzero = np.flatnonzero(weights)
    ranked = sorted(nonzero.tolist(), key=lambda k: (-round(float(weights[k]), 9), vocab[k]))
    return [vocab[k] for k in ranked[:n]]


def _describe(
    members: Sequence[int],
    *,
    doc_ids: Sequence[str],
    published: Sequence[date | None],
    sources: Sequence[str],
    ents: tuple[sp.csr_matrix, list[str]],
    words: tuple[sp.csr_matrix, list[str]],
    names: Mapping[str, str],
) -> Story:
    entity_ids = _top(*ents, members, 5)
    terms = _top(*words, members, 8)
    days = [d for d in (published[i] for i in members) if d is not None]
    return Story(
        story_id=story_id(doc_ids[members[0]]),
        label=label([names.get(e, e) for e in entity_ids], terms),
        doc_ids=tuple(doc_ids[i] for i in members),
        first_published=min(days) if days else None,
        last_published=max(days) if days else None,
        n_sources=len({sources[i] for i in members} - {""}),
        entity_ids=tuple(entity_ids),
        terms=tuple(terms[:5]),
    )


def label(entity_names: Sequence[str], terms: Sequence[str], *, parts: int = 3) -> str:
    """ "Belarus · Lukashenko · prisoners": the top two entities, then words they do not hold."""
    chosen = list(dict.fromkeys(entity_names[:2]))
    held = {w for name in chosen for w in name.lower().replace("-", " ").split()}
    for term in terms:
        if len(chosen) >= parts:
            break
        if term not in held and not any(term in w or w in term for w in held if len(w) > 3):
            chosen.append(term)
    for name in entity_names[2:]:
        if len(chosen) >= parts:
            break
        if name not in chosen:
            chosen.append(name)
    return " · ".join(chosen) or "(untitled)"
