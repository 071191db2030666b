"""Search in the query layer: a query's matching articles and its hits in context.

A search query in a `Filter` keeps the articles that match it, in every table. Its hits are
listed by `hits` (keyword in context: the words before, the match, the words after, with the
article and its sentence) and counted by `hits_over_time` (hits and matching articles per period,
with the share of the articles published then). Both need a query: the filter's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from analysis.query.aggregates import Options
from analysis.query.filter import Filter
from analysis.query.sql import Params, filtered, hit_spans, hit_total

# Characters of context on each side of a hit.
CONTEXT = 80


def _spans(flt: Filter, p: Params, *, within: str | None = None, since: date | None = None) -> str:
    if not flt.query.strip():
        raise ValueError("the hits of a search need a query")
    return hit_spans(flt.query, p, within=within, since=since)


def hits(flt: Filter, p: Params, opts: Options) -> str:
    """Every hit in the articles the rest of the filter keeps, with its article (and, when
    sorted by the words around it, its context: the sort needs it for every hit)."""
    spans = _spans(flt, p)
    documents = filtered("documents", replace(flt, query=""), p)
    base = f"""
        SELECT h.doc_id, d.published, d.title, d.source, h.start, h."end"
        FROM ({spans}) h JOIN ({documents}) d ON d.doc_id = h.doc_id
    """
    return with_context(base, p) if opts.sort != "date" else base


def hit_count(flt: Filter, p: Params) -> str:
    """SELECT the number of hits in the articles the rest of the filter keeps (`n`).

    With nothing else in the filter that is every article, and every posting belongs to one
    (the store drops an article's index rows with it): the hits are counted in the index
    alone, as a common word's hundreds of thousands are never joined to their articles; a
    word, a phrase or alternatives of them from their postings (`hit_total`), a phrase without
    joining its words' every posting."""
    rest = replace(flt, query="")
    if rest == Filter():
        counted = hit_total(flt.query, p) if flt.query.strip() else None
        return counted or f"SELECT count(*) AS n FROM ({_spans(flt, p)})"
    spans = _spans(flt, p)
    documents = filtered("documents", rest, p)
    return f"""
        SELECT count(*) AS n FROM ({spans}) h
        WHERE h.doc_id IN (SELECT doc_id FROM ({documents}))
    """


def first_hits(
    flt: Filter,
    p: Params,
    n_articles: int | None,
    *,
    newest: str | None = None,
    since: date | None = None,
) -> str:
    """The hits (doc_id, published, start, end) in the first `n_articles` articles by date
    (newest first, the order hits are listed in) that the rest of the filter keeps; all when
    None. `newest`: a table of every article's rank in that order (doc_id, published, rank)
    to read the batch from when nothing else is filtered, instead of sorting the articles;
    `since`, the date of the batch's oldest article (from that table), bounds the postings read.

    Listed by date, the hits of those articles come before any hit of a later article: when
    they are as many as a page needs, the page is theirs (`StoreView.rows` widens the batch
    until it is), found by reading only those articles' postings of the query's words."""
    rest = replace(flt, query="")
    if newest is not None and n_articles is not None and rest == Filter():
        batch = f"SELECT doc_id, published FROM {newest} WHERE rank < {p(int(n_articles))}"
    else:
        since = None  # the bound is the ranked batch's
        limit = "" if n_articles is None else f"LIMIT {p(int(n_articles))}"
        batch = f"""
            SELECT d.doc_id, d.published FROM ({filtered("documents", rest, p)}) d
            ORDER BY d.published DESC NULLS LAST, d.doc_id {limit}
        """
    spans = _spans(flt, p, within="SELECT doc_id FROM batch", since=since)
    return f"""
        WITH batch AS ({batch})
        SELECT h.doc_id, b.published, h.start, h."end"
        FROM ({spans}) h JOIN batch b ON b.doc_id = h.doc_id
    """


def few_hits(flt: Filter, p: Params) -> str:
    """The hits (doc_id, published, start, end) of a query with few, read from their own
    articles: the documents scan keeps only the articles the hits are in, so a rare word costs
    no sort of every article by date (`StoreView` takes this way when the newest articles hold
    too few hits and the query has few in all)."""
    documents = filtered("documents", replace(flt, query=""), p)
    spans = _spans(flt, p)
    return f"""
        WITH h AS ({spans}),
        d AS (
            SELECT d.doc_id, d.published FROM ({documents}) d
            WHERE d.doc_id IN (SELECT doc_id FROM h)
        )
        SELECT h.doc_id, d.published, h.start, h."end"
        FROM h JOIN d ON d.doc_id = h.doc_id
    """


def at_most(flt: Filter, p: Params, n: int) -> str:
    """SELECT `n_upto`: the query's hits in every article, counted up to `n + 1` (cheap: the
    scan stops there), to tell a query with few hits from one with many."""
    return f"SELECT count(*) AS n_upto FROM (SELECT 1 FROM ({_spans(flt, p)}) LIMIT {p(n + 1)})"


def with_context(rows: str, p: Params) -> str:
    """`rows` (hits with doc_id, start, end) with the match, the words around and the sentence.

    Applied to one page of hits when they are listed by date, so a common word's hundreds of
    thousands of hits never have their context cut out of the texts.
    """
    width = p(CONTEXT)
    return f"""
        SELECT b.*,
               substring(x.text, b.start + 1, b."end" - b.start) AS match,
               substring(x.text, greatest(b.start - {width}, 0) + 1,
                         b.start - greatest(b.start - {width}, 0)) AS "left",
               substring(x.text, b."end" + 1, {width}) AS "right",
               s.start AS sentence_start,
               substring(x.text, s.start + 1, s."end" - s.start) AS sentence
        FROM ({rows}) b
        LEFT JOIN document_texts x ON x.doc_id = b.doc_id
        LEFT JOIN sentences s ON s.doc_id = b.doc_id AND b.start >= s.start AND b.start < s."end"
    """


def hits_order(opts: Options) -> str:
    """The order hits are listed in: by date, or by the words right before or after the hit."""
    if opts.sort == "left":
        return 'reverse(lower(trim("left"))), published DESC NULLS LAST, doc_id, start, "end"'
    if opts.sort == "right":
        return 'lower(trim("right")), published DESC NULLS LAST, doc_id, start, "end"'
    return 'published DESC NULLS LAST, doc_id, start, "end"'


def hits_over_time(flt: Filter, p: Params, opts: Options) -> str:
    """Per period of publication: hits, matching articles, articles published, and the share
    of those that match (so a busy week does not look like a trend)."""
    spans = _spans(flt, p)
    documents = filtered("documents", replace(flt, query=""), p)
    period = p(opts.period)
    return f"""
        WITH d AS ({documents}),
        published AS (
            SELECT date_trunc({period}, published) AS period, count(*)::BIGINT AS n_articles
            FROM d WHERE published IS NOT NULL GROUP BY 1
        ),
        found AS (
            SELECT date_trunc({period}, d.published) AS period, count(*)::BIGINT AS n_hits,
                   count(DISTINCT h.doc_id)::BIGINT AS n_documents
            FROM ({spans}) h JOIN d ON d.doc_id = h.doc_id
            WHERE d.published IS NOT NULL GROUP BY 1
        )
        SELECT published.period, coalesce(found.n_hits, 0)::BIGINT AS n_hits,
               coalesce(found.n_documents, 0)::BIGINT AS n_documents, published.n_articles,
               coalesce(found.n_documents, 0) / published.n_articles AS share
        FROM published LEFT JOIN found ON found.period = published.period
        ORDER BY published.period
    """
