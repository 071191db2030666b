"""The corpus-wide answers built over filtered rows: the figures ledger, co-occurrence, counts
over time, per speaker and per outlet (an article's source). Each is one SQL builder:
`(filter, params, options) -> SELECT`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.query.filter import Filter
from analysis.query.sql import Params, filtered

PERIODS = ("day", "week", "month", "quarter", "year")
LEVELS = ("sentence", "document")
SORTS = ("date", "left", "right")  # search hits: by date, or by the words before or after


@dataclass(frozen=True, slots=True)
class Options:
    """How an aggregate is cut: co-occurrence unit, period length, how many entities."""

    level: str = "sentence"  # co-occurrence: same sentence or same article ("document")
    period: str = "month"  # counts over time: day, week, month, quarter or year
    top: int | None = None  # only the `top` most frequent entities / speakers / keys
    sort: str = "date"  # search hits: by date, or by the words before ("left") or after

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown level {self.level!r}: use one of {', '.join(LEVELS)}")
        if self.period not in PERIODS:
            raise ValueError(f"unknown period {self.period!r}: use one of {', '.join(PERIODS)}")
        if self.sort not in SORTS:
            raise ValueError(f"unknown sort {self.sort!r}: use one of {', '.join(SORTS)}")
        if self.top is not None and self.top < 1:
            raise ValueError("top must be at least 1")


def _limit(top: int | None, p: Params) -> str:
    return "" if top is None else f"LIMIT {p(int(top))}"


_KEYED = "claim_key IS NOT NULL AND trim(claim_key) <> ''"
_PAIR = "(f.value, coalesce(f.unit, ''))"
# The ledger leads with the claims most reported across articles, counts, money and percentages
# before durations, ages and other quantities ("two days", "63-year-old").
_LEADING_KINDS = "('count', 'money', 'percent')"
LEDGER_ORDER = f"kind NOT IN {_LEADING_KINDS}, n_documents DESC, n_figures DESC, claim_key"


def ledger(flt: Filter, p: Params, opts: Options) -> str:
    """One row per claim (what is counted and what happens to it): its values, its sources and
    whether they disagree, at its `rank` in the ledger.

    `disagree`: two values reported for the claim in the same kind and unit; `sources_disagree`:
    two named sources gave different values in the same kind and unit. Figures without a
    counted thing are not in the ledger.
    """
    figures = filtered("figures", flt, p)
    latest = "(f.published IS NOT NULL, f.published, f.doc_id, f.start)"
    return f"""
        WITH f AS (SELECT * FROM ({figures}) f WHERE f.{_KEYED}),
        cells AS (
            SELECT claim_key,
                   count(DISTINCT value) > 1 AS disagree,
                   (count(DISTINCT value) FILTER (WHERE source IS NOT NULL) > 1
                    AND count(DISTINCT source) > 1) AS sources_disagree
            FROM f GROUP BY claim_key, kind, coalesce(unit, '')
        ),
        flags AS (
            SELECT claim_key, bool_or(disagree) AS disagree,
                   bool_or(sources_disagree) AS sources_disagree
            FROM cells GROUP BY claim_key
        ),
        g AS (
            SELECT f.claim_key,
                   mode(f.claim) AS claim,
                   mode(f.counted_key) AS counted_key,
                   mode(f.counted) AS counted,
                   mode(f.kind) AS kind,
                   coalesce(mode(f.unit), '') AS unit,
                   list(DISTINCT f.value ORDER BY f.value) AS "values",
                   count(*)::BIGINT AS n_figures,
                   count(DISTINCT f.doc_id)::BIGINT AS n_documents,
                   count(DISTINCT {_PAIR})::BIGINT AS n_values,
                   min(f.value) AS min_value,
                   max(f.value) AS max_value,
                   count(DISTINCT f.source)::BIGINT AS n_sources,
                   coalesce(list(DISTINCT f.source ORDER BY f.source)
                       FILTER (WHERE f.source IS NOT NULL AND f.source <> ''), []) AS sources,
                   any_value(flags.disagree) AS disagree,
                   any_value(flags.sources_disagree) AS sources_disagree,
                   min(f.published) AS first_published,
                   max(f.published) AS last_published,
                   arg_max(f.value, {latest}) AS latest_value,
                   arg_max(f.source, {latest}) AS latest_source
            FROM f JOIN flags ON flags.claim_key = f.claim_key
            GROUP BY f.claim_key
        )
        SELECT *, row_number() OVER (ORDER BY {LEDGER_ORDER})::BIGINT AS rank
        FROM g
        ORDER BY rank
        {_limit(opts.top, p)}
    """


def ledger_figures(flt: Filter, p: Params, opts: Options) -> str:
    """Every figure of the ledger in its claim, by publication date, with the claim's
    indicators and `change`: its value minus the one reported before it (same claim, kind and
    unit)."""
    groups = ledger(flt, p, opts)
    figures = filtered("figures", flt, p)
    return f"""
        WITH g AS ({groups}),
        f AS (SELECT * FROM ({figures}) WHERE {_KEYED})
        SELECT f.claim_key, f.claim, f.counted_key, f.published, f.doc_id, f.figure_id, f.value,
               f.unit, f.kind, f.qualifier, f.source, f.source_entity_id, f.text, f.counted,
               f.sentence, f.start, f."end",
               g.n_figures, g.n_documents, g.n_values, g.min_value, g.max_value, g.n_sources,
               g.disagree, g.sources_disagree, g.rank,
               f.value - lag(f.value) OVER (
                   PARTITION BY f.claim_key, f.kind, coalesce(f.unit, '')
                   ORDER BY f.published NULLS LAST, f.doc_id, f.start
               ) AS change
        FROM f JOIN g ON g.claim_key = f.claim_key
        ORDER BY g.rank, f.published NULLS LAST, f.doc_id, f.start
    """


# Points a figures chart draws at most: the latest reports of each claim (a browser draws a few
# thousand markers at once; the ledger table holds every figure).
POINTS_PER_CLAIM = 300


def figure_points(flt: Filter, p: Params, opts: Options) -> str:
    """Figures of the `top` leading claims of the ledger (default 10), for the ledger charts:
    the latest `POINTS_PER_CLAIM` reports of each."""
    figures = filtered("figures", flt, p)
    return f"""
        WITH f AS (SELECT * FROM ({figures}) WHERE {_KEYED}),
        top AS (SELECT claim_key FROM f GROUP BY claim_key
                ORDER BY mode(kind) NOT IN {_LEADING_KINDS}, count(DISTINCT doc_id) DESC,
                         count(*) DESC, claim_key
                LIMIT {p(opts.top or 10)}),
        latest AS (
            SELECT * FROM f WHERE claim_key IN (SELECT claim_key FROM top)
            QUALIFY row_number() OVER (
                PARTITION BY claim_key ORDER BY published DESC NULLS LAST, figure_id
            ) <= {p(POINTS_PER_CLAIM)}
        )
        SELECT f.figure_id, f.claim_key, coalesce(f.claim, f.claim_key) AS claim,
               f.counted_key, coalesce(f.counted, f.counted_key) AS counted,
               f.value, f.text, f.qualifier, f.kind, f.unit,
               coalesce(nullif(f.source, ''), '(no source)') AS source,
               f.published, f.sentence, f.doc_id, d.title AS article
        FROM latest f LEFT JOIN documents d ON d.doc_id = f.doc_id
        ORDER BY f.published, f.figure_id
    """


def cooccurrence(flt: Filter, p: Params, opts: Options) -> str:
    """Pairs of entities and how many sentences (or articles) hold both, most frequent first.

    The units are the sentences (articles) the filter keeps mentions in; with an entity chosen,
    they are those that mention it, and the pairs show who appears alongside it. `top` keeps
    the pairs among the `top` entities mentioned in most units.
    """
    cols = ["doc_id", "sentence_start"] if opts.level == "sentence" else ["doc_id"]
    unit = ", ".join(f"m.{c}" for c in cols)

    def join(left: str, right: str) -> str:
        return " AND ".join(f"{left}.{c} = {right}.{c}" for c in cols)

    units = filtered("mentions", flt, p)
    typed = ""
    if flt.types:
        typed = (
            "WHERE m.entity_id IN (SELECT entity_id FROM entities "
            f"WHERE list_contains({p(list(flt.types))}, type))"
        )
    if flt.entities:  # the units that mention a chosen entity, and everyone in them
        broad = filtered("mentions", flt.without_entities(), p)
        kept = f"""units AS (SELECT DISTINCT {unit} FROM ({units}) m),
        m AS (
            SELECT {unit}, m.entity_id
            FROM ({broad}) m JOIN units u ON {join("m", "u")}
            {typed} GROUP BY ALL
        )"""
    else:  # every unit the filter keeps mentions in: those mentions are everyone in them
        kept = f"m AS (SELECT {unit}, m.entity_id FROM ({units}) m {typed} GROUP BY ALL)"
    return f"""
        WITH {kept},
        top AS (SELECT entity_id FROM m GROUP BY entity_id
                ORDER BY count(*) DESC, entity_id {_limit(opts.top, p)}),
        t AS (SELECT * FROM m WHERE entity_id IN (SELECT entity_id FROM top)),
        pairs AS (
            SELECT a.entity_id AS source, b.entity_id AS target, count(*)::BIGINT AS n,
                   count(DISTINCT a.doc_id)::BIGINT AS n_documents
            FROM t a JOIN t b ON {join("a", "b")} AND a.entity_id < b.entity_id
            GROUP BY ALL
        )
        SELECT pairs.source, coalesce(ea.name, pairs.source) AS source_name,
               coalesce(ea.type, '') AS source_type,
               pairs.target, coalesce(eb.name, pairs.target) AS target_name,
               coalesce(eb.type, '') AS target_type, pairs.n, pairs.n_documents
        FROM pairs
        LEFT JOIN entities ea ON ea.entity_id = pairs.source
        LEFT JOIN entities eb ON eb.entity_id = pairs.target
        ORDER BY n DESC, n_documents DESC, source_name, target_name, pairs.source, pairs.target
    """


def mentions_over_time(flt: Filter, p: Params, opts: Options) -> str:
    """Mentions per period of publication for the `top` most mentioned entities (default 8)."""
    mentions = filtered("mentions", flt, p)
    return f"""
        WITH m AS ({mentions}),
        top AS (SELECT entity_id FROM m GROUP BY entity_id
                ORDER BY count(*) DESC, entity_id LIMIT {p(opts.top or 8)})
        SELECT date_trunc({p(opts.period)}, m.published) AS period, e.entity_id, e.name,
               e.type, count(*)::BIGINT AS n
        FROM m JOIN entities e ON e.entity_id = m.entity_id
        WHERE m.entity_id IN (SELECT entity_id FROM top) AND m.published IS NOT NULL
        GROUP BY ALL ORDER BY period, n DESC, e.name, e.entity_id
    """


def events_by_period(flt: Filter, p: Params, opts: Options) -> str:
    """How many events fall in each period (by the date they are about)."""
    events = filtered("events", flt, p)
    return f"""
        SELECT date_trunc({p(opts.period)}, date) AS period, count(*)::BIGINT AS n
        FROM ({events}) WHERE date IS NOT NULL GROUP BY 1 ORDER BY 1
    """


def speakers(flt: Filter, p: Params, opts: Options) -> str:
    """Quotes per speaker (unattributed ones as '(unknown)'), most quoted first."""
    quotes = filtered("quotes", flt, p)
    return f"""
        SELECT coalesce(q.speaker, '(unknown)') AS speaker, q.speaker_entity_id,
               coalesce(e.type, '') AS type, count(*)::BIGINT AS n
        FROM ({quotes}) q LEFT JOIN entities e ON e.entity_id = q.speaker_entity_id
        GROUP BY ALL ORDER BY n DESC, speaker, q.speaker_entity_id NULLS FIRST
        {_limit(opts.top, p)}
    """


# -- outlets: who covers the story and what each reports -------------------------------------

# An article's outlet is its `source` (the publication); articles without one are left out.
_OUTLET = "nullif(trim(d.source), '')"


def _outlet_docs(flt: Filter, p: Params) -> str:
    """The filtered articles that name their outlet: doc_id, source (trimmed), published."""
    documents = filtered("documents", flt, p)
    return (
        f"SELECT d.doc_id, {_OUTLET} AS source, d.published FROM ({documents}) d "
        f"WHERE {_OUTLET} IS NOT NULL"
    )


def _top_outlets(docs: str, top: int | None, p: Params) -> str:
    """The outlets of `docs` (a CTE's name) with most articles."""
    return (
        f"SELECT source FROM {docs} GROUP BY source ORDER BY count(*) DESC, source {_limit(top, p)}"
    )


def source_summary(flt: Filter, p: Params, opts: Options) -> str:
    """One row per outlet: its articles, when it published them, its quotes and figures, most
    articles first (`top`: only the `top` outlets)."""
    docs = _outlet_docs(flt, p)
    quotes = filtered("quotes", flt, p)
    figures = filtered("figures", flt, p)
    return f"""
        WITH d AS ({docs}),
        q AS (SELECT doc_id, count(*)::BIGINT AS n FROM ({quotes}) GROUP BY doc_id),
        f AS (SELECT doc_id, count(*)::BIGINT AS n FROM ({figures}) GROUP BY doc_id)
        SELECT d.source, count(*)::BIGINT AS n_articles,
               min(d.published) AS first_published, max(d.published) AS last_published,
               coalesce(sum(q.n), 0)::BIGINT AS n_quotes,
               coalesce(sum(f.n), 0)::BIGINT AS n_figures
        FROM d LEFT JOIN q ON q.doc_id = d.doc_id LEFT JOIN f ON f.doc_id = d.doc_id
        GROUP BY d.source
        ORDER BY n_articles DESC, d.source
        {_limit(opts.top, p)}
    """


def sources_over_time(flt: Filter, p: Params, opts: Options) -> str:
    """Articles per outlet per period of publication (`top`: the outlets with most articles)."""
    docs = _outlet_docs(flt, p)
    return f"""
        WITH d AS ({docs}), top AS ({_top_outlets("d", opts.top, p)})
        SELECT d.source, date_trunc({p(opts.period)}, d.published) AS period,
               count(*)::BIGINT AS n_articles
        FROM d WHERE d.published IS NOT NULL AND d.source IN (SELECT source FROM top)
        GROUP BY ALL ORDER BY period, n_articles DESC, d.source
    """


def source_figures(flt: Filter, p: Params, opts: Options) -> str:
    """What each outlet reports for each claim of the ledger: its values and how many times,
    with how many outlets report the claim and whether they give different values.

    Claims come in the ledger's spirit: counts, money and percentages first, then those most
    outlets report (`rank`; `top`: only the `top` claims); `values`
    are the outlet's distinct values, `latest_value` its most recent one."""
    docs = _outlet_docs(flt, p)
    figures = filtered("figures", flt, p)
    latest = "(f.published IS NOT NULL, f.published, f.doc_id, f.start)"
    return f"""
        WITH d AS ({docs}),
        f AS (SELECT f.*, d.source AS outlet FROM ({figures}) f
              JOIN d ON d.doc_id = f.doc_id WHERE f.{_KEYED}),
        claims AS (
            SELECT claim_key, count(DISTINCT outlet)::BIGINT AS n_sources,
                   (count(DISTINCT outlet) > 1 AND count(DISTINCT {_PAIR}) > 1) AS sources_differ,
                   row_number() OVER (
                       ORDER BY mode(kind) NOT IN {_LEADING_KINDS}, count(DISTINCT outlet) DESC,
                                count(*) DESC, claim_key
                   )::BIGINT AS rank
            FROM f GROUP BY claim_key
            ORDER BY rank {_limit(opts.top, p)}
        )
        SELECT f.outlet AS source, f.claim_key, mode(f.claim) AS claim, mode(f.kind) AS kind,
               coalesce(mode(f.unit), '') AS unit,
               list(DISTINCT f.value ORDER BY f.value) AS "values",
               arg_max(f.value, {latest}) AS latest_value,
               count(*)::BIGINT AS n_figures, count(DISTINCT f.doc_id)::BIGINT AS n_documents,
               any_value(c.n_sources) AS n_sources, any_value(c.sources_differ) AS sources_differ,
               any_value(c.rank) AS rank
        FROM f JOIN claims c ON c.claim_key = f.claim_key
        GROUP BY f.outlet, f.claim_key
        ORDER BY rank, n_figures DESC, source
    """


def source_speakers(flt: Filter, p: Params, opts: Options) -> str:
    """Quotes per outlet and speaker (unattributed as '(unknown)'): whom each outlet quotes.
    `top` keeps the `top` most quoted speakers across outlets."""
    docs = _outlet_docs(flt, p)
    quotes = filtered("quotes", flt, p)
    speaker = "coalesce(q.speaker, '(unknown)')"
    return f"""
        WITH d AS ({docs}),
        q AS (SELECT q.*, d.source AS outlet FROM ({quotes}) q JOIN d ON d.doc_id = q.doc_id),
        top AS (SELECT {speaker} AS speaker FROM q GROUP BY 1
                ORDER BY count(*) DESC, 1 {_limit(opts.top, p)})
        SELECT q.outlet AS source, {speaker} AS speaker, q.speaker_entity_id,
               count(*)::BIGINT AS n
        FROM q WHERE {speaker} IN (SELECT speaker FROM top)
        GROUP BY ALL ORDER BY source, n DESC, speaker, q.speaker_entity_id NULLS FIRST
    """


Builder = Callable[[Filter, Params, Options], str]

# What `newslens export --table` and the dashboard's downloads offer besides the stored tables.
AGGREGATES: dict[str, Builder] = {
    "ledger": ledger,
    "ledger_figures": ledger_figures,
    "cooccurrence": cooccurrence,
    "mentions_over_time": mentions_over_time,
    "events_by_period": events_by_period,
    "speakers": speakers,
    "source_summary": source_summary,
    "sources_over_time": sources_over_time,
    "source_figures": source_figures,
    "source_speakers": source_speakers,
}
