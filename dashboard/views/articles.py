"""The reader: one article with its entities, quotes, figures and dates marked, and its
readability. Click-through from any table or chart lands here on the chosen sentence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, ui
from dashboard.data import Target
from dashboard.highlight import legend, render
from dashboard.memo import memo
from dashboard.state import current, day

ctx = current()


def _span(value: str | None) -> tuple[int, int] | None:
    """'120-164' -> (120, 164); anything else -> None (a hand-edited URL is not trusted)."""
    left, sep, right = (value or "").partition("-")
    if not sep or not left.isdigit() or not right.isdigit():
        return None
    start, end = int(left), int(right)
    return (start, end) if start <= end else None


def _points_somewhere(target: Target) -> bool:
    return target.end > target.start or target.sentence_end > target.sentence_start


# Where to go: a click-through (URL ?doc=..&at=..&sentence=..) or the user's own choice.
param_doc = st.query_params.get("doc")
param_key = (param_doc, st.query_params.get("at"), st.query_params.get("sentence"))
if param_doc and st.session_state.get("_nl_reader_param") != param_key:
    st.session_state["reader_doc"] = param_doc
    st.session_state["_nl_reader_param"] = param_key
    at = _span(param_key[1])
    sentence = _span(param_key[2])
    if at or sentence:
        st.session_state["_nl_reader_target"] = Target(
            param_doc,
            *(at or (0, 0)),
            sentence_start=sentence[0] if sentence else 0,
            sentence_end=sentence[1] if sentence else 0,
        )
    else:
        st.session_state.pop("_nl_reader_target", None)

docs = ctx.rows("documents", limit=500)
options = [str(d) for d in docs["doc_id"]]
chosen = st.session_state.get("reader_doc")
if chosen and chosen not in options and ctx.data.document(chosen) is not None:
    options.insert(0, chosen)  # a linked article stays readable even if filtered out
if not options:
    ui.page_header("Articles", ctx)
    ui.empty_state("No articles match these filters.", ui.filters_hint(ctx))
    st.stop()
if chosen not in options:
    st.session_state["reader_doc"] = options[0]

titles = ctx.doc_titles(options)
dates = {
    str(d): day(p) for d, p in zip(docs["doc_id"].tolist(), docs["published"].tolist(), strict=True)
}
doc_id = st.selectbox(
    "Article",
    options,
    format_func=lambda d: f"{titles.get(d, d)}  {('· ' + dates[d]) if dates.get(d) else ''}",
    key="reader_doc",
)
if st.query_params.get("doc") != doc_id:
    # The reader's own choice goes into the URL too (and is remembered as seen, so the next
    # run does not mistake it for a new link).
    st.query_params["doc"] = doc_id
    for key in ("at", "sentence"):
        if key in st.query_params:
            del st.query_params[key]
    st.session_state["_nl_reader_param"] = (doc_id, None, None)

doc = ctx.data.document(doc_id) or {}
target = st.session_state.get("_nl_reader_target")
if not isinstance(target, Target) or target.doc_id != doc_id or not _points_somewhere(target):
    target = None

st.title(ui.md(doc.get("title") or doc_id))
published = doc.get("published")
meta = [
    pd.Timestamp(published).strftime("%d %B %Y")
    if published is not None and pd.notna(published)
    else "date unknown",
    doc.get("source") or "",
    f"{int(doc['n_words']):,} words" if pd.notna(doc.get("n_words")) else "",
    f"{int(doc['n_sentences']):,} sentences" if pd.notna(doc.get("n_sentences")) else "",
]
st.caption(" · ".join(ui.md(m) for m in meta if m))
others = ctx.data.copies(doc_id)
if not others.empty:
    where = ", ".join(
        f"{ui.md(r.source or r.title)} ({day(r.published) or 'undated'})"
        for r in others.itertuples(index=False)
    )
    st.caption(f"Also published by: {where}")
    if doc.get("copy_of"):
        st.info(
            "This file repeats an earlier copy of the story: its entities, quotes, figures and "
            "dates are counted once, on the first copy.",
            icon=":material/content_copy:",
        )

if pd.notna(doc.get("flesch_reading_ease")):
    cols = st.columns(4)
    cols[0].metric(
        "Reading ease", f"{doc['flesch_reading_ease']:.0f}", help="Flesch, 0–100: higher is easier."
    )
    cols[1].metric(
        "Grade level",
        f"{doc['flesch_kincaid_grade']:.1f}",
        help="Flesch–Kincaid US school grade: higher is harder.",
    )
    cols[2].metric("Gunning fog", f"{doc['gunning_fog']:.1f}", help="Higher is harder.")
    cols[3].metric("SMOG index", f"{doc['smog_index']:.1f}", help="Higher is harder.")
    if doc.get("text_standard"):
        st.caption(f"Consensus of the grade measures: {ui.md(doc['text_standard'])}.")

everything = st.toggle(
    "Mark everything in this article (ignore the filters)",
    value=False,
    key="reader_all",
    help="Off: only the entities, quotes, figures and dates that match the sidebar filters.",
)
marks = ctx.data.highlights(doc_id, None if everything else ctx.state)
article, note = ctx.data.article(doc_id)
types = list(dict.fromkeys(m.group for m in marks if m.kind == "mention"))
st.html(legend(types))
if note:
    st.warning(note, icon=":material/warning:")
if article is not None:
    if target is not None:
        st.html('<a href="#nl-target" style="font-size:0.9rem">Jump to the selected sentence ↓</a>')
    with st.container(border=True):
        st.html(
            render(
                article.text,
                marks,
                target=(target.start, target.end) if target and target.end > target.start else None,
                sentence=(target.sentence_start, target.sentence_end)
                if target and target.sentence_end > target.sentence_start
                else None,
            )
        )
    if target is not None:
        # A fixed script (no article text in it): bring the selected sentence into view.
        st.html(
            "<script>setTimeout(function(){var e=window.parent.document.getElementById("
            "'nl-target')||document.getElementById('nl-target');"
            "if(e){e.scrollIntoView({block:'center'});}},300);</script>",
            unsafe_allow_javascript=True,
        )
elif target is not None and target.sentence:
    st.html(
        render(target.sentence, [], offset=target.sentence_start, target=(target.start, target.end))
    )

state = ctx.state.with_docs([doc_id])
tabs = st.tabs(["Quotes", "Figures", "Dates", "Entities", "Readability"])
with tabs[0]:
    ui.table_section(
        ctx,
        "quotes",
        title="Quotes in this article",
        state=state,
        key="rd_quotes",
        columns=["speaker", "text", "cue", "kind", "sentence"],
        empty="No quotes in this article match the filters.",
    )
with tabs[1]:
    ui.table_section(
        ctx,
        "figures",
        title="Figures in this article",
        state=state,
        key="rd_figures",
        columns=["text", "value", "counted", "qualifier", "kind", "source", "sentence"],
        empty="No figures in this article match the filters.",
    )
with tabs[2]:
    ui.table_section(
        ctx,
        "events",
        title="Dates in this article",
        state=state,
        key="rd_events",
        columns=["text", "date", "end_date", "granularity", "description", "sentence"],
        empty="No dated events in this article match the filters.",
    )
with tabs[3]:
    ui.table_section(
        ctx,
        "entities",
        title="Entities in this article",
        state=state,
        key="rd_entities",
        columns=["name", "type", "aliases", "n_mentions"],
        empty="No entities in this article match the filters.",
        clickable=False,
    )
with tabs[4]:
    summary = {
        k: float(v) for k, v in doc.items() if k in charts.READABILITY_LABELS and pd.notna(v)
    }
    if summary:
        ui.chart(memo(charts.readability_grades, summary), key="rd_read", ctx=ctx, selectable=False)
        ui.table_section(
            ctx,
            "readability",
            title="Readability scores",
            state=state,
            key="rd_readability",
            columns=[*charts.READABILITY_LABELS, "flesch_reading_ease", "text_standard"],
            empty="No readability scores for this article.",
            clickable=False,
        )
    else:
        ui.empty_state("This article has no readability scores (it holds no words to measure).")
