"""Corrections: fix an entity, a speaker, a wrong figure or date; every edit kept and undoable."""

from __future__ import annotations

import streamlit as st

from analysis.edits import TYPES, Edit, EditError, new_edit
from analysis.pipeline import edit_log, record_edit
from analysis.query import Filter
from analysis.store import StoreError, StoreLockedError
from dashboard import access, ui
from dashboard.labels import type_label
from dashboard.state import current

ctx = current()
ui.page_header(
    "Corrections",
    ctx,
    "Fix what the extraction got wrong. Each edit is kept in the store's log (edits.jsonl), "
    "applied again on every later analysis, so new articles follow it too, and can be undone.",
)
done = st.session_state.pop("_nl_edit_done", "")
if done:
    st.success(done, icon=":material/check:")
read_only = access.read_only()
if read_only:
    st.info("This dashboard is read-only: the edits are listed, none can be made here.")


def apply(edit: Edit) -> None:
    """Record the edit (the tables change at once); say what happened."""
    try:
        with st.spinner("Applying the edit to every table…"):
            record_edit(ctx.root, edit)
    except EditError as err:
        st.error(f"{err}. Nothing was changed.", icon=":material/error:")
        return
    except (StoreLockedError, StoreError) as err:
        st.error(str(err), icon=":material/error:")
        return
    st.cache_data.clear()
    st.session_state["_nl_edit_done"] = f"Done: {edit.describe()}."
    st.rerun()


options = ctx.data.entity_options()
ids = [str(i) for i in options["entity_id"]]
labels = {
    str(r.entity_id): f"{r.name} · {type_label(str(r.type))} · {r.n_mentions} mention(s)"
    for r in options.itertuples(index=False)
}


def label(entity_id: str) -> str:
    return labels.get(entity_id, entity_id)


if not read_only:
    entity_tab, speaker_tab, reject_tab = st.tabs(
        ["An entity", "A quote's speaker", "A figure or date"]
    )
    with entity_tab:
        chosen = st.selectbox("Entity", ids, format_func=label, key="co_entity", index=None)
        action = st.radio(
            "Correction",
            ["merge", "rename", "retype", "hide", "split"],
            format_func={
                "merge": "merge with another entity",
                "rename": "rename",
                "retype": "change its type",
                "hide": "hide (not an entity)",
                "split": "split a name off",
            }.get,
            horizontal=True,
            key="co_action",
        )
        note = st.text_input("Note (optional)", key="co_note")
        edit: Edit | None = None
        try:
            if chosen and action == "merge":
                into = st.selectbox(
                    "Into", [i for i in ids if i != chosen], format_func=label, key="co_into"
                )
                if into and st.button("Merge", key="co_merge"):
                    edit = new_edit("merge", [chosen], into, note=note)
            elif chosen and action == "rename":
                name = st.text_input("New name", key="co_name")
                if name.strip() and st.button("Rename", key="co_rename"):
                    edit = new_edit("rename", [chosen], name.strip(), note=note)
            elif chosen and action == "retype":
                kind = st.selectbox("Type", TYPES, format_func=type_label, key="co_type")
                if st.button("Change the type", key="co_retype"):
                    edit = new_edit("retype", [chosen], kind, note=note)
            elif chosen and action == "hide":
                if st.button("Hide everywhere", key="co_hide"):
                    edit = new_edit("hide", [chosen], note=note)
            elif chosen and action == "split":
                row = ctx.data.rows("entities", Filter(entities=(chosen,)), limit=1)
                aliases = [str(a) for a in (row["aliases"].iloc[0] if not row.empty else [])]
                alias = st.selectbox("Name to split off", aliases, key="co_alias")
                if alias and st.button("Split", key="co_split"):
                    edit = new_edit("split", [chosen], alias, note=note)
        except EditError as err:
            st.error(str(err))
        if edit is not None:
            apply(edit)
    with speaker_tab:
        quote = st.text_input(
            "Quote id", key="co_quote", help="The quote_id column of the Quotes page's table."
        )
        speaker = st.selectbox(
            "Speaker",
            ["", *ids],
            format_func=lambda i: label(i) if i else "(no speaker)",
            key="co_speaker",
        )
        if quote.strip() and st.button("Set the speaker", key="co_set_speaker"):
            apply(new_edit("speaker", [quote.strip()], speaker or None))
    with reject_tab:
        what = st.radio("What is wrong", ["figure", "event"], horizontal=True, key="co_what")
        row_id = st.text_input(
            "Its id", key="co_row", help="The figure_id or event_id column of its table."
        )
        if row_id.strip() and st.button("Mark as wrong", key="co_reject"):
            apply(new_edit("reject", [row_id.strip()], what))

st.markdown("#### Every edit")
entries, problems = edit_log(ctx.root)
for problem in problems:
    st.warning(f"edits.jsonl {problem}: skipped, the other edits still apply.")
if not entries:
    ui.empty_state("No edits yet.")
else:
    st.dataframe(
        [
            {"edit": e.edit_id, "when": e.when, "what": e.describe(), "note": e.note, "status": s}
            for e, s in reversed(entries)
        ],
        hide_index=True,
        width="stretch",
    )
    undoable = [e for e, s in entries if e.kind != "undo" and not s.startswith("undone")]
    if undoable and not read_only:
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        target = left.selectbox(
            "Undo",
            [e.edit_id for e in reversed(undoable)],
            format_func=lambda i: next(f"{i}: {e.describe()}" for e in undoable if e.edit_id == i),
            key="co_undo",
        )
        if target and right.button("Undo", key="co_undo_go"):
            apply(new_edit("undo", undone=target))
