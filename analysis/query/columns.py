"""Per table: the stable row id, the order rows are listed in, and the columns a download or an
export holds (the same bytes from the dashboard's Download CSV and `newslens export`)."""

from __future__ import annotations

from analysis.tables import FLOAT, SCHEMAS

# The stable id of a row of each table.
ID_COLUMNS = {
    "documents": "doc_id",
    "readability": "doc_id",
    "entities": "entity_id",
    "quotes": "quote_id",
    "figures": "figure_id",
    "events": "event_id",
    "stories": "story_id",
    "ledger": "claim_key",
}

# How rows are listed: the same order in every page, download and export.
ORDER = {
    "documents": "published DESC NULLS LAST, title, doc_id",
    "readability": "doc_id",
    "entities": "n_mentions DESC, name, entity_id",
    "mentions": "published DESC NULLS LAST, doc_id, start",
    "quotes": "published DESC NULLS LAST, doc_id, start",
    "figures": "published DESC NULLS LAST, doc_id, start",
    "events": "date NULLS LAST, doc_id, start",
    "stories": "n_articles DESC, first_published NULLS LAST, story_id",
    "ledger": "rank",  # the ledger's own order (analysis.query.aggregates.LEDGER_ORDER)
    "ledger_figures": "rank, published NULLS LAST, doc_id, start",
    "cooccurrence": "n DESC, n_documents DESC, source_name, target_name, source, target",
    "mentions_over_time": "period, n DESC, name, entity_id",
    "events_by_period": "period",
    "speakers": "n DESC, speaker, speaker_entity_id NULLS FIRST",
    "hits_over_time": "period",
    "source_summary": "n_articles DESC, source",
    "sources_over_time": "period, n_articles DESC, source",
    "source_figures": "rank, n_figures DESC, source",
    "source_speakers": "source, n DESC, speaker, speaker_entity_id NULLS FIRST",
}

MEASURES = tuple(c for c, dtype in SCHEMAS["readability"].items() if dtype == FLOAT)

# The columns that trace a row back to its sentence, last in every text table's download.
SOURCE_COLUMNS = ("published", "article", "doc_id", "start", "end", "sentence_start", "sentence")

# What each table's CSV download (and export) holds, in order. A table not listed (the
# aggregates) gives every column its query makes, in that order.
EXPORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": (
        "doc_id",
        "title",
        "slug",
        "published",
        "source",
        "path",
        "n_words",
        "n_sentences",
        "sha256",
        "story_id",
        "copy_of",
    ),
    "readability": ("doc_id", "article", "published", *MEASURES, "text_standard"),
    "entities": (
        "entity_id",
        "name",
        "type",
        "aliases",
        "n_mentions",
        "n_documents",
        "first_seen",
        "last_seen",
    ),
    "mentions": ("entity_id", "entity", "text", "type", "label", *SOURCE_COLUMNS),
    "quotes": (
        "quote_id",
        "speaker",
        "speaker_entity_id",
        "speaker_text",
        "speaker_title",
        "text",
        "cue",
        "kind",
        "about",
        "about_ids",
        *SOURCE_COLUMNS,
    ),
    "figures": (
        "figure_id",
        "text",
        "value",
        "counted",
        "counted_key",
        "claim",
        "claim_key",
        "qualifier",
        "kind",
        "unit",
        "source",
        "source_entity_id",
        *SOURCE_COLUMNS,
    ),
    "events": (
        "event_id",
        "date",
        "end_date",
        "granularity",
        "relative",
        "timex",
        "text",
        "description",
        "entities",
        "entity_ids",
        "group_id",
        *SOURCE_COLUMNS,
    ),
    "stories": (
        "story_id",
        "label",
        "first_published",
        "last_published",
        "n_articles",
        "n_sources",
        "entity_ids",
        "terms",
    ),
}

EXPORT_COLUMNS["hits"] = (
    "doc_id",
    "published",
    "title",
    "source",
    "start",
    "end",
    "match",
    "left",
    "right",
    "sentence_start",
    "sentence",
)
