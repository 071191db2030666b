"""Building blocks the pages share: paged tables with CSV download, click-through to the source
sentence, chart selections and empty states."""

from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis.query import ID_COLUMNS, Options, hit_id
from dashboard.data import Target
from dashboard.filters import FilterState
from dashboard.formatting import display_frame
from dashboard.highlight import render
from dashboard.labels import TYPE_CODES_HELP
from dashboard.state import Ctx, add_entity_filter

PAGE_SIZE = 25
READER_PAGE = "views/articles.py"

_DATE = st.column_config.DateColumn(format="YYYY-MM-DD")
COLUMN_CONFIG: dict[str, Any] = {
    "published": st.column_config.DateColumn("Published", format="YYYY-MM-DD"),
    "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
    "end_date": st.column_config.DateColumn("Until", format="YYYY-MM-DD"),
    "first_seen": st.column_config.DateColumn("First seen", format="YYYY-MM-DD"),
    "last_seen": st.column_config.DateColumn("Last seen", format="YYYY-MM-DD"),
    "first_published": st.column_config.DateColumn("First reported", format="YYYY-MM-DD"),
    "last_published": st.column_config.DateColumn("Last reported", format="YYYY-MM-DD"),
    "text": st.column_config.TextColumn("Text", width="medium"),
    "quote": st.column_config.TextColumn("Quote", width="large"),
    "sentence": st.column_config.TextColumn("Sentence", width="large"),
    "article": st.column_config.TextColumn("Article", width="medium"),
    "title": st.column_config.TextColumn("Title", width="large"),
    "n_mentions": st.column_config.NumberColumn("Mentions"),
    "n_documents": st.column_config.NumberColumn("Articles"),
    "n_figures": st.column_config.NumberColumn("Reports"),
    "n_articles": st.column_config.NumberColumn("Articles"),
    "n_quotes": st.column_config.NumberColumn("Quotes"),
    "sources_disagree": st.column_config.CheckboxColumn("Sources differ"),
    "latest_value": st.column_config.TextColumn("Latest value"),
    "latest_source": st.column_config.TextColumn("Latest source"),
    "n_values": st.column_config.NumberColumn("Distinct values"),
    "disagree": st.column_config.CheckboxColumn("Values differ"),
    "aliases": st.column_config.ListColumn("Also written as"),
    "entities": st.column_config.ListColumn("Entities"),
    "values": st.column_config.ListColumn("Values"),
    "sources": st.column_config.ListColumn("Sources"),
    "value": st.column_config.TextColumn("Value"),
    "name": st.column_config.TextColumn("Name", width="medium"),
    "entity": st.column_config.TextColumn("Entity"),
    "type": st.column_config.TextColumn("Type", width=130),  # 'Nationality or group' fits
    "source": st.column_config.TextColumn("Source"),
    "speaker": st.column_config.TextColumn("Speaker", width="medium"),
    "speaker_title": st.column_config.TextColumn("Title", width="small"),
    "cue": st.column_config.TextColumn("Verb", width="small"),
    "kind": st.column_config.TextColumn("Kind", width="small"),
    "counted": st.column_config.TextColumn("What is counted"),
    "qualifier": st.column_config.TextColumn("Qualifier", width="small"),
    "unit": st.column_config.TextColumn("Unit", width="small"),
    "granularity": st.column_config.TextColumn("Precision", width="small"),
    "description": st.column_config.TextColumn("What happened", width="large"),
    "text_standard": st.column_config.TextColumn("Text standard"),
    "min_value": st.column_config.TextColumn("Lowest"),
    "max_value": st.column_config.TextColumn("Highest"),
    "change": st.column_config.TextColumn("Change"),
}


def md(text: object) -> str:
    """Text made inert for st.markdown: every markdown and HTML control character escaped."""
    out = []
    for char in str(text):
        if char in "\\`*_{}[]()#+-.!|<>~$&=:\"'":
            out.append("\\" + char if char not in "<>&" else html.escape(char))
        else:
            out.append(char)
    return "".join(out)


def empty_state(message: str, hint: str = "") -> None:
    """Say what is missing and what to do about it, instead of a blank area."""
    st.info(message + (f"  \n{hint}" if hint else ""), icon=":material/info:")


def filters_hint(ctx: Ctx) -> str:
    described = ctx.describe()
    if not described:
        return "Add articles on the **Add articles** page, or run `newslens analyze`."
    return f"Current filters: {md(described)}. Widen or clear them in the sidebar."


def _signature(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:10]


def row_ids(table: str, frame: pd.DataFrame) -> list[str]:
    """The stable id of each row (mentions have none stored: doc_id@start)."""
    if table == "mentions":
        return [f"{d}@{s}" for d, s in zip(frame["doc_id"], frame["start"], strict=True)]
    if table == "hits":
        columns = (frame["doc_id"], frame["start"], frame["end"])
        return [hit_id(str(d), int(a), int(b)) for d, a, b in zip(*columns, strict=True)]
    column = ID_COLUMNS[table]
    return [str(v) for v in frame[column]]


def table_section(
    ctx: Ctx,
    table: str,
    *,
    title: str,
    columns: Sequence[str],
    key: str,
    empty: str,
    column_config: Mapping[str, Any] | None = None,
    page_size: int = PAGE_SIZE,
    clickable: bool = True,
    state: FilterState | None = None,
    opts: Options | None = None,
    first_rows: pd.DataFrame | None = None,
) -> None:
    """A paged table of the filtered rows, its CSV download and the selected row's sentence.

    `first_rows`: the table's leading rows in its order (`rows(table, state)` with a larger
    limit), already fetched for a chart: the pages they hold are cut from them, not asked again.

    The download is the query layer's CSV of the table (the bytes `newslens export` writes for
    the same filter), with the raw values and codes; the table shows them as people read them
    (`dashboard.formatting.display_frame`). `clickable` tables show the selected row in a
    `source_panel`. The selection is kept by stable id, so it survives paging, sorting and
    filter changes.
    """
    state = state or ctx.state
    opts = opts or Options()
    page_key = f"{key}_page"
    page = int(st.session_state.get(page_key, 1) or 1)
    frame, total = _page_of(ctx, table, state, opts, page, page_size, first_rows)
    pages = max(1, math.ceil(total / page_size))
    if page > pages:  # the filter shrank the table under the page shown
        st.session_state[page_key] = page = 1
        frame, total = _page_of(ctx, table, state, opts, page, page_size, first_rows)
    head, button = st.columns([4, 1], vertical_alignment="bottom")
    head.markdown(f"#### {title}")
    if total == 0:
        empty_state(empty, filters_hint(ctx))
        return
    if pages > 1:
        page = int(st.pagination(pages, key=page_key, max_visible_pages=7))
    offset = (page - 1) * page_size
    ids = row_ids(table, frame) if clickable else []  # an aggregate may have no row id
    sel_key = f"{key}_selected"
    selected = st.session_state.get(sel_key)
    default: Any = (
        {"selection": {"rows": [ids.index(selected)], "columns": []}} if selected in ids else None
    )
    first = offset + 1
    wrapped = wraps(table, columns)
    st.caption(
        f"{first:,}–{first + len(frame) - 1:,} of {total:,} rows"
        + (" · select a row to see its sentence" if clickable else "")
        + (" · double-click a cell to read it whole" if wrapped else "")
    )
    shown_frame = display_frame(frame, columns, table=table)
    config = {**COLUMN_CONFIG, **(column_config or {})}
    version = _signature(state.key(), opts, page, ctx.mtime)
    widget_key = f"{key}_df_{version}"
    height = WRAPPED_ROW_HEIGHT if wrapped else None
    # Tall rows: show about eight of them before the table scrolls (the default shows four).
    table_height: int | Literal["auto"] = (
        40 + WRAPPED_ROW_HEIGHT * min(len(frame), WRAPPED_ROWS_SHOWN) if wrapped else "auto"
    )
    shown_table: dict[str, Any] = {
        "hide_index": True,
        "column_config": config,
        "key": widget_key,
        "width": "stretch",
        "row_height": height,
        "height": table_height,
    }
    if clickable:
        event = st.dataframe(
            shown_frame,
            **shown_table,
            on_select="rerun",
            selection_mode="single-row",
            selection_default=default,
        )
        chosen = list(event.selection.rows or [])
        if chosen:
            st.session_state[sel_key] = ids[chosen[0]]
        elif selected in ids:
            st.session_state.pop(sel_key, None)  # deselected by the user
    else:
        st.dataframe(shown_frame, **shown_table)
    data = ctx.data
    button.download_button(
        "Download CSV",
        data=lambda: data.csv(table, state, opts),
        file_name=ctx.filename(table, state),
        mime="text/csv",
        icon=":material/download:",
        key=f"{key}_csv",
        help=download_help(table, total),
        on_click="ignore",
    )
    if clickable:
        source_panel(ctx, table, st.session_state.get(sel_key), key=f"{key}_src")


def _page_of(
    ctx: Ctx,
    table: str,
    state: FilterState,
    opts: Options,
    page: int,
    size: int,
    first_rows: pd.DataFrame | None,
) -> tuple[pd.DataFrame, int]:
    """Page `page` (from 1) of the table and its number of rows."""
    offset = (page - 1) * size
    if first_rows is not None and offset + size <= len(first_rows):
        rows = first_rows.iloc[offset : offset + size].reset_index(drop=True)
        return rows, ctx.data.count(table, state, opts)
    return ctx.data.page(table, state, limit=size, offset=offset, opts=opts)


# Tables of sentences wrap them onto a few lines (Streamlit wraps text cells when rows are
# taller than 4rem) instead of cutting them at the column's edge.
WRAPPED_ROW_HEIGHT = 84
WRAPPED_ROWS_SHOWN = 8
LONG_TEXT = ("sentence", "description")


def wraps(table: str, columns: Sequence[str]) -> bool:
    """Whether a table's rows are tall enough for its long text cells to wrap."""
    return table == "quotes" or any(c in LONG_TEXT for c in columns)


def download_help(table: str, total: int, note: str = "") -> str:
    """What the download holds: every filtered row, the raw values and the type codes."""
    parts = [f"All {total:,} filtered rows, not just this page."]
    if note:
        parts.append(note)
    if table in ("figures", "ledger", "ledger_figures"):
        parts.append("Values are the raw numbers, their units in their own column.")
    if table in ("entities", "mentions", "quotes", "cooccurrence", "speakers"):
        parts.append(TYPE_CODES_HELP)
    return " ".join(parts)


def chart(fig: go.Figure, *, key: str, ctx: Ctx, selectable: bool = True) -> list[str]:
    """Show a figure; returns the stable ids (customdata[0]) of the points the user selected."""
    event = st.plotly_chart(
        fig,
        key=f"{key}_{_signature(ctx.state.key(), ctx.mtime)}",
        on_select="rerun" if selectable else "ignore",
        selection_mode=("points",),
        config={"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]},
        theme=None,
    )
    if not selectable:
        return []
    points = getattr(getattr(event, "selection", None), "points", None) or []
    ids = []
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, list | tuple) and data:
            ids.append(str(data[0]))
        elif isinstance(data, str):
            ids.append(data)
    return [i for i in ids if i]


def source_panel(ctx: Ctx, table: str, row_id: str | None, *, key: str) -> None:
    """The selected row's sentence, highlighted, with a button to open it in the reader."""
    if not row_id:
        return
    target = ctx.locate(table, row_id)
    if target is None:
        return
    titles = ctx.doc_titles([target.doc_id])
    marks = ctx.data.highlights(target.doc_id, ctx.state)
    with st.container(border=True):
        st.markdown(f"**From:** {md(titles.get(target.doc_id, target.doc_id))}")
        if target.sentence:
            st.html(
                render(
                    target.sentence,
                    [m for m in marks if m.kind == "mention"],
                    offset=target.sentence_start,
                    target=(target.start, target.end),
                )
            )
        cols = st.columns([1, 1, 3])
        if cols[0].button("Open in the reader", key=f"{key}_open", icon=":material/article:"):
            open_reader(target)
        if table == "entities":
            cols[1].button(
                "Filter by this entity",
                key=f"{key}_filter",
                on_click=add_entity_filter,
                args=(row_id,),
                icon=":material/filter_alt:",
            )


def open_reader(target: Target) -> None:
    """Switch to the reader with the target's sentence highlighted."""
    st.session_state["_nl_reader_target"] = target
    params = {"doc": target.doc_id}
    if target.end > target.start:
        params["at"] = f"{target.start}-{target.end}"
    if target.sentence_end > target.sentence_start:
        params["sentence"] = f"{target.sentence_start}-{target.sentence_end}"
    st.switch_page(READER_PAGE, query_params={**params, **ctx_query()})


def ctx_query() -> dict[str, list[str]]:
    """The filter part of the current URL, carried across a page switch."""
    from dashboard.filters import QUERY_KEYS

    return {k: st.query_params.get_all(k) for k in QUERY_KEYS if k in st.query_params}


def stale_index_warning() -> None:
    st.warning(
        "This store's search index was written by an older newslens, so a search finds "
        "nothing yet: run `newslens analyze` on the corpus again to rebuild it."
    )


def page_header(title: str, ctx: Ctx, caption: str = "") -> None:
    st.title(title)
    if ctx.state.query and "postings" in ctx.data.view.stale_tables:
        stale_index_warning()  # every page is filtered by the search: it would look empty
    described = ctx.describe()
    line = caption
    if described:
        line = (line + "  \n" if line else "") + f"Filtered: {md(described)}"
    if line:
        st.caption(line)
