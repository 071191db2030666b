"""Compile a parsed query into DuckDB SQL over the `postings` relation (`analysis.search.index`).

Every value is a bound parameter; the SQL text holds only fixed fragments and generated names.
Each term or phrase of the query becomes one common table expression of its hits, read with a
filter on ``term`` first (equality, or a range for a prefix) so that DuckDB skips the row groups
of a term-sorted Parquet index; a phrase reads its pairs of words (a word's postings followed
by the next word, ``next``) and joins them, pair by pair, on
``(doc_id, start - gap) = (doc_id, previous start + length)``. The boolean query is then
evaluated at article level with set operations over those hits' doc_ids (AND = INTERSECT,
OR = UNION, an exclusion = EXCEPT), and the hits of the terms that are not excluded are kept
in the articles that satisfy it: ``sanctions -potash`` gives the hits of sanctions in articles
that never mention potash.

``~word`` matches postings whose lemma (``coalesce(lemma, term)``) is the word itself or its
lemma as given by `lemmatize` (`lemmatizer(nlp)` uses the spaCy model): read as two disjoint
scans, the lemma column (small: null for most postings) and the term order for the postings
whose lemma is the term itself. Without a lemmatizer, ``~word`` falls back to the exact word.

Every hit SQL can be kept `within` some articles (a SELECT of doc_ids, added to each scan): the
first page of a common word's hits is found in the page's articles, not in all of them. When
those are the newest articles, `since` (the oldest one's date) is added to each scan too: a
term's postings are in date order, so DuckDB reads only the row groups of the newest ones.

A query's hits are counted by `count_sql` without listing them where that is exact: a word's
postings, a phrase's chain of words each followed by the next (``term = ? AND next = ?``: one
scan for two words, no join of their every posting), the sum over alternatives no hit can share.
A phrase's hits are that chain too: its last pair's ``next_end`` gives where the phrase ends.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from analysis.search.query import Node, Not, Or, Phrase, Term, normalise

if TYPE_CHECKING:
    from spacy.language import Language

RELATION = "postings"

Lemmatize = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Sql:
    """A piece of SQL and the values of its ``?`` placeholders, in order."""

    text: str
    params: tuple[object, ...] = ()

    def __add__(self, other: Sql | str) -> Sql:
        if isinstance(other, str):
            return Sql(self.text + other, self.params)
        return Sql(self.text + other.text, self.params + other.params)


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a term or phrase of the query occurs: `text[start:end]` is the matched words."""

    doc_id: str
    start: int
    end: int


def _join(pieces: Sequence[Sql], separator: str) -> Sql:
    out = Sql("")
    for k, piece in enumerate(pieces):
        out = out + (separator if k else "") + piece
    return out


# -- one term or phrase -------------------------------------------------------------------------


def _prefix_filter(prefix: str) -> Sql:
    """`term` starts with `prefix`, as a range DuckDB can check against row-group statistics."""
    last = ord(prefix[-1])
    bumped = last + 1
    if bumped > 0x10FFFF or 0xD800 <= bumped <= 0xDFFF:
        return Sql("starts_with(term, ?)", (prefix,))
    return Sql("term >= ? AND term < ?", (prefix, prefix[:-1] + chr(bumped)))


def term_filter(term: Term, lemmatize: Lemmatize | None = None) -> Sql:
    """The WHERE condition selecting the postings of one query word.

    A ``~word`` with a lemmatizer is `lemma_filters`: two conditions, not one."""
    if term.prefix:
        return _prefix_filter(term.word)
    if term.lemma and lemmatize is not None:
        by_lemma, by_term = lemma_filters(term, lemmatize)
        return Sql("(") + by_lemma + ") OR (" + by_term + ")"
    return Sql("term = ?", (term.word,))


def lemma_filters(term: Term, lemmatize: Lemmatize) -> tuple[Sql, Sql]:
    """The postings of ``~word`` as two disjoint conditions: a stored lemma that is one of the
    word's lemmas, or no stored lemma (it equals the term) and a term that is one of them.

    Together they are ``coalesce(lemma, term) IN (...)``, but each can be read on its own: the
    first from the small lemma column, the second by the term order (one condition with an OR
    across both columns would read the whole term column)."""
    lemmas = sorted({term.word, normalise(lemmatize(term.word))})
    marks = ", ".join("?" for _ in lemmas)
    return (
        Sql(f"lemma IN ({marks})", tuple(lemmas)),
        Sql(f"term IN ({marks}) AND lemma IS NULL", tuple(lemmas)),
    )


def _scan(columns: str, condition: Sql, within: Sql | None, since: date | None = None) -> Sql:
    """SELECT `columns` of the postings that meet `condition` (in the articles `within`,
    published on or after `since`)."""
    out = Sql(f"SELECT {columns} FROM {RELATION} WHERE ") + condition
    if since is not None:
        out = out + Sql(" AND published >= ?", (since,))
    return out if within is None else out + " AND doc_id IN (" + within + ")"


def term_hits(
    term: Term,
    lemmatize: Lemmatize | None = None,
    *,
    within: Sql | None = None,
    since: date | None = None,
) -> Sql:
    """SELECT doc_id, start, end of every posting of one query word (in the articles that
    `within`, a SELECT of doc_ids, gives; `since` a date none of them is older than)."""
    columns = 'doc_id, start, start + length AS "end"'
    if term.lemma and lemmatize is not None and not term.prefix:
        by_lemma, by_term = lemma_filters(term, lemmatize)
        both = _scan(columns, by_lemma, within, since) + " UNION ALL "
        both = both + _scan(columns, by_term, within, since)
        return Sql("SELECT * FROM (") + both + ")"
    return _scan(columns, term_filter(term, lemmatize), within, since)


def _pairs(phrase: Phrase, within: Sql | None, since: date | None) -> tuple[Sql, int]:
    """FROM ... the chain of a phrase's words but the last, each a posting followed by the
    phrase's next word (``term = ? AND next = ?``), joined by position; and the alias number
    of the chain's last posting. Its ``next_end`` reaches the end of the phrase's last word."""
    words = phrase.words
    out = Sql("")
    for k in range(len(words) - 1):
        pair = Sql("term = ? AND next = ?", (words[k], words[k + 1]))
        scan = Sql("(") + _scan("doc_id, start, length, gap, next_end", pair, within, since)
        scan = scan + f") w{k}"
        if k == 0:
            out = out + scan
        else:
            out = (
                out
                + " JOIN "
                + scan
                + f" ON w{k}.doc_id = w{k - 1}.doc_id"
                + f" AND w{k}.start - w{k}.gap = w{k - 1}.start + w{k - 1}.length"
            )
    return out, len(words) - 2


def phrase_hits(phrase: Phrase, *, within: Sql | None = None, since: date | None = None) -> Sql:
    """SELECT doc_id, start, end of every occurrence of a phrase, spanning its words: a
    two-word phrase is one scan, a longer one a join of its pairs (`_pairs`)."""
    if len(phrase.words) < 2:
        return term_hits(Term(phrase.words[0]), within=within, since=since)
    chain, k = _pairs(phrase, within, since)
    end = f"w{k}.start + w{k}.length + w{k}.next_end"
    return Sql(f'SELECT w0.doc_id, w0.start, {end} AS "end" FROM ') + chain


def leaf_hits(
    node: Term | Phrase,
    lemmatize: Lemmatize | None = None,
    *,
    within: Sql | None = None,
    since: date | None = None,
) -> Sql:
    if isinstance(node, Term):
        return term_hits(node, lemmatize, within=within, since=since)
    return phrase_hits(node, within=within, since=since)


def phrase_count(phrase: Phrase) -> Sql:
    """SELECT n: how many times a phrase occurs (each occurrence is one chain of its pairs)."""
    if len(phrase.words) < 2:
        return Sql("SELECT count(*) AS n FROM (") + phrase_hits(phrase) + ")"
    return Sql("SELECT count(*) AS n FROM ") + _pairs(phrase, None, None)[0]


def _alternatives(node: Node) -> list[Term | Phrase] | None:
    """The distinct words and phrases of an OR of words and phrases only; None for any other."""
    if not isinstance(node, Or):
        return None
    leaves = [c for c in node.children if isinstance(c, Term | Phrase)]
    return list(dict.fromkeys(leaves)) if len(leaves) == len(node.children) else None


def count_sql(node: Node, *, lemmatize: Lemmatize | None = None) -> Sql | None:
    """SELECT n: the query's number of hits in every article, when it can be counted from its
    words' postings alone (a word, a phrase, alternatives no two of which can share a hit);
    None for any other query (it is counted from its hits)."""
    if isinstance(node, Phrase):
        return phrase_count(node)
    if isinstance(node, Term):
        return Sql("SELECT count(*) AS n FROM (") + term_hits(node, lemmatize) + ")"
    alternatives = _alternatives(node)
    if alternatives is not None and disjoint(alternatives):
        counts = [count_sql(c, lemmatize=lemmatize) for c in alternatives]
        parts = [Sql("(") + c + ")" for c in counts if c is not None]
        return Sql("SELECT ") + _join(parts, " + ") + " AS n"
    return None


def disjoint(leaves: Sequence[Term | Phrase]) -> bool:
    """Whether no hit can come from two of these (distinct) terms and phrases.

    A hit is a span. An exact word's span is one posting of that word; a phrase's runs from
    its first word's posting over the postings that follow it, so it is longer than one posting
    and fixed by its first posting and its number of words. Two distinct exact words or phrases
    never give the same span; a prefix or an inflection may share a word with another term."""
    return all(not (leaf.prefix or leaf.lemma) for leaf in leaves if isinstance(leaf, Term))


# -- the boolean query --------------------------------------------------------------------------


class _Leaves:
    """The query's terms and phrases, each named once (l0, l1, ...) as a CTE of its hits."""

    def __init__(self) -> None:
        self.names: dict[Term | Phrase, str] = {}
        self.positive: list[str] = []

    def collect(self, node: Node, *, excluded: bool = False) -> None:
        if isinstance(node, Term | Phrase):
            name = self.names.setdefault(node, f"l{len(self.names)}")
            if not excluded and name not in self.positive:
                self.positive.append(name)
        elif isinstance(node, Not):
            self.collect(node.child, excluded=True)
        else:
            for child in node.children:
                self.collect(child, excluded=excluded)


def _select_docs(source: Sql) -> Sql:
    return Sql("SELECT doc_id FROM (") + source + ")"


def documents_of(node: Node, names: dict[Term | Phrase, str]) -> Sql:
    """SELECT doc_id of the articles that satisfy `node`, over the leaf CTEs `names`."""
    if isinstance(node, Term | Phrase):
        return Sql(f"SELECT doc_id FROM {names[node]}")
    if isinstance(node, Or):
        return _join([_select_docs(documents_of(c, names)) for c in node.children], " UNION ")
    if isinstance(node, Not):  # only inside And: the parser refuses it anywhere else
        return documents_of(node.child, names)
    kept = [c for c in node.children if not isinstance(c, Not)]
    dropped = [c for c in node.children if isinstance(c, Not)]
    out = _join([_select_docs(documents_of(c, names)) for c in kept], " INTERSECT ")
    if dropped:
        excluded = _join([_select_docs(documents_of(c, names)) for c in dropped], " UNION ")
        out = _select_docs(out) + " EXCEPT " + _select_docs(excluded)
    return out


def _with_leaves(
    node: Node, lemmatize: Lemmatize | None, within: Sql | None = None, since: date | None = None
) -> tuple[Sql, _Leaves]:
    leaves = _Leaves()
    leaves.collect(node)
    ctes = [
        Sql(f"{name} AS (") + leaf_hits(leaf, lemmatize, within=within, since=since) + ")"
        for leaf, name in leaves.names.items()
    ]
    docs = Sql("docs AS (") + documents_of(node, leaves.names) + ")"
    return Sql("WITH ") + _join([*ctes, docs], ", ") + " ", leaves


def documents_sql(node: Node, *, lemmatize: Lemmatize | None = None) -> Sql:
    """SQL giving the doc_id of every article that satisfies the query, sorted."""
    prologue, _ = _with_leaves(node, lemmatize)
    return prologue + "SELECT DISTINCT doc_id FROM docs ORDER BY doc_id"


def hits_sql(
    node: Node,
    *,
    lemmatize: Lemmatize | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Sql:
    """SQL giving the hits (doc_id, start, end) of the query's terms that are not excluded,
    in the articles that satisfy the query, sorted by doc_id then position."""
    prologue, leaves = _with_leaves(node, lemmatize)
    union = _join([Sql(f"SELECT * FROM {name}") for name in leaves.positive], " UNION ALL ")
    out = (
        prologue
        + 'SELECT DISTINCT h.doc_id, h.start, h."end" FROM ('
        + union
        + ") h WHERE h.doc_id IN (SELECT doc_id FROM docs)"
        + ' ORDER BY h.doc_id, h.start, h."end"'
    )
    if limit is not None:
        out = out + Sql(" LIMIT ?", (limit,))
    if offset:
        out = out + Sql(" OFFSET ?", (offset,))
    return out


def hit_spans_sql(
    node: Node,
    *,
    lemmatize: Lemmatize | None = None,
    within: Sql | None = None,
    since: date | None = None,
) -> Sql:
    """SQL giving each hit (doc_id, start, end) once, in no particular order: to be joined
    and sorted by the caller (a common word's hits are never sorted by position for nothing).

    `within`, a SELECT of doc_ids, keeps the hits in those articles only (the articles of a
    page: an article's hits depend on nothing outside it), none of them published before
    `since`: only a bound to read fewer postings by, never a filter of its own."""
    if isinstance(node, Term | Phrase):
        # One word or phrase: its hits are the articles' hits, each once, with no set algebra.
        return leaf_hits(node, lemmatize, within=within, since=since)
    alternatives = _alternatives(node)
    if alternatives is not None:
        # Words or phrases, either: every hit is in an article that matches. Hits that no two
        # alternatives share need no de-duplication (a count is then two index reads).
        either = [leaf_hits(c, lemmatize, within=within, since=since) for c in alternatives]
        union = _join(either, " UNION ALL " if disjoint(alternatives) else " UNION ")
        return Sql("SELECT * FROM (") + union + ")"
    prologue, leaves = _with_leaves(node, lemmatize, within, since)
    union = _join([Sql(f"SELECT * FROM {name}") for name in leaves.positive], " UNION ALL ")
    return (
        prologue
        + 'SELECT DISTINCT h.doc_id, h.start, h."end" FROM ('
        + union
        + ") h WHERE h.doc_id IN (SELECT doc_id FROM docs)"
    )


def find_hits(
    con: Any,
    node: Node,
    *,
    lemmatize: Lemmatize | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Hit]:
    """The hits of `node` in the `postings` relation visible to the DuckDB connection `con`."""
    sql = hits_sql(node, lemmatize=lemmatize, limit=limit, offset=offset)
    rows = con.execute(sql.text, list(sql.params)).fetchall()
    return [Hit(doc_id, int(start), int(end)) for doc_id, start, end in rows]


def find_documents(con: Any, node: Node, *, lemmatize: Lemmatize | None = None) -> list[str]:
    """The doc_ids of the articles that satisfy `node`, sorted."""
    sql = documents_sql(node, lemmatize=lemmatize)
    return [row[0] for row in con.execute(sql.text, list(sql.params)).fetchall()]


def lemmatizer(nlp: Language) -> Lemmatize:
    """The lemma of a single word by the spaCy model (as it would be tagged standing alone)."""

    @functools.cache
    def lemma(word: str) -> str:
        doc = nlp(word)
        return normalise(doc[0].lemma_) if len(doc) == 1 else word

    return lemma
