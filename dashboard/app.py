"""The newslens dashboard: `streamlit run dashboard/app.py [-- STORE]`.

Picks the store (command line, NEWSLENS_STORE, else the bundled seeds analysed on first start),
draws the global filters in the sidebar and runs the page the user chose.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run` puts dashboard/ on sys.path, not the project: make `dashboard.*` importable.
_PROJECT = str(Path(__file__).resolve().parent.parent)
if _PROJECT not in sys.path:
    sys.path.insert(0, _PROJECT)

import streamlit as st  # noqa: E402

from dashboard.paths import resolve_store  # noqa: E402
from dashboard.state import Ctx, prepare_default_store, sidebar_filters  # noqa: E402

VIEWS = Path(__file__).resolve().parent / "views"

st.set_page_config(
    page_title="newslens",
    page_icon=":material/newspaper:",
    layout="wide",
    initial_sidebar_state="expanded",
)

root, is_default = resolve_store(sys.argv)
if is_default:
    prepare_default_store(root)

ctx = Ctx(root, is_default)
st.session_state["_nl_ctx"] = ctx

pages = [
    st.Page(VIEWS / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page(VIEWS / "search.py", title="Search", icon=":material/search:"),
    st.Page(VIEWS / "entities.py", title="Entities", icon=":material/groups:"),
    st.Page(VIEWS / "quotes.py", title="Quotes", icon=":material/format_quote:"),
    st.Page(VIEWS / "figures.py", title="Figures", icon=":material/monitoring:"),
    st.Page(VIEWS / "timeline.py", title="Timeline", icon=":material/timeline:"),
    st.Page(VIEWS / "articles.py", title="Articles", icon=":material/article:"),
    st.Page(VIEWS / "add.py", title="Add articles", icon=":material/upload_file:"),
]
page = st.navigation(pages, position="top")
ctx.state = sidebar_filters(ctx)
st.sidebar.caption(f"Store: `{root}`")
page.run()
