"""The newslens dashboard: `streamlit run dashboard/app.py [-- STORE]`.

Checks who is asking (a request from beyond this machine needs the operator's password, see
`dashboard.access`), picks the store (command line, NEWSLENS_STORE, else the bundled seeds
analysed on first start), draws the global filters in the sidebar and runs the page the user
chose. In read-only mode the upload page is left out.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# `streamlit run` puts dashboard/ on sys.path, not the project: make `dashboard.*` importable.
_PROJECT = str(Path(__file__).resolve().parent.parent)
if _PROJECT not in sys.path:
    sys.path.insert(0, _PROJECT)

import streamlit as st  # noqa: E402

from dashboard import access  # noqa: E402
from dashboard.paths import resolve_store  # noqa: E402
from dashboard.state import Ctx, prepare_default_store, sidebar_filters  # noqa: E402

VIEWS = Path(__file__).resolve().parent / "views"

_SIGNED_IN = "_nl_signed_in"  # session key: (who, fingerprint of the passwords then)


def gate() -> str | None:
    """Let the request through (returning who signed in, if anyone), or show the password form
    or the refusal and stop the run before any page, upload or edit."""
    creds = access.credentials(access.streamlit_secrets(), os.environ)
    remembered = st.session_state.get(_SIGNED_IN)
    who, fingerprint = remembered if isinstance(remembered, tuple) else (None, None)
    signed_in = who is not None and fingerprint == creds.fingerprint
    option = st.get_option("server.address")
    address = option if isinstance(option, str) else None
    ip = st.context.ip_address  # the TCP peer; None on loopback (a stand-in object under AppTest)
    client_ip = ip if isinstance(ip, str) else None
    headers = dict(st.context.headers)
    verdict = access.decide(
        address=address, client_ip=client_ip, headers=headers, creds=creds, signed_in=signed_in
    )
    if verdict is access.Verdict.ALLOW:
        return str(who) if signed_in else None
    st.title("newslens")
    if verdict is access.Verdict.REFUSE:
        reason = access.beyond_this_machine(address, client_ip, headers)
        st.error(access.refusal(reason or "no password is set"), icon=":material/lock:")
        st.stop()
    with st.form("nl_sign_in"):
        st.markdown("This dashboard is shared: sign in to see it.")
        name = st.text_input("Name", key="nl_name") if creds.users else ""
        password = st.text_input("Password", type="password", key="nl_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        person = creds.check(name, password)
        if person is not None:
            st.session_state[_SIGNED_IN] = (person, creds.fingerprint)
            st.rerun()
        st.error("That name and password do not match.", icon=":material/lock:")
    st.stop()
    return None  # not reached: st.stop() ends the run


def sign_out(who: str) -> None:
    """Who is signed in, and a button to sign out, at the foot of the sidebar."""
    st.sidebar.caption(f"Signed in as {who}" if who else "Signed in with the shared password")
    if st.sidebar.button("Sign out", icon=":material/logout:", key="nl_sign_out"):
        del st.session_state[_SIGNED_IN]
        st.rerun()


def main() -> None:
    """One run of the app: the gate, the store, the filters and the chosen page."""
    st.set_page_config(
        page_title="newslens",
        page_icon="📰",
        layout="wide",
        initial_sidebar_state="expanded",
    )
    who = gate()

    root, is_default = resolve_store(sys.argv)
    if is_default:
        prepare_default_store(root)

    ctx = Ctx(root, is_default)
    st.session_state["_nl_ctx"] = ctx

    pages = [
        st.Page(VIEWS / "overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(VIEWS / "search.py", title="Search", icon=":material/search:"),
        st.Page(VIEWS / "stories.py", title="Stories", icon=":material/auto_stories:"),
        st.Page(VIEWS / "entities.py", title="Entities", icon=":material/groups:"),
        st.Page(VIEWS / "quotes.py", title="Quotes", icon=":material/format_quote:"),
        st.Page(VIEWS / "figures.py", title="Figures", icon=":material/monitoring:"),
        st.Page(VIEWS / "outlets.py", title="Outlets", icon=":material/newspaper:"),
        st.Page(VIEWS / "timeline.py", title="Timeline", icon=":material/timeline:"),
        st.Page(VIEWS / "articles.py", title="Articles", icon=":material/article:"),
        st.Page(VIEWS / "corrections.py", title="Corrections", icon=":material/edit_note:"),
    ]
    if not access.read_only():
        pages.append(st.Page(VIEWS / "add.py", title="Add articles", icon=":material/upload_file:"))
    page = st.navigation(pages, position="top")
    ctx.state = sidebar_filters(ctx)
    st.sidebar.caption(f"Store: `{root}`" + (" · read-only" if access.read_only() else ""))
    if who is not None:
        sign_out(who)
    page.run()


# A worker process that an analysis spawns re-imports this script as `__mp_main__` (the
# 'spawn' start method runs the parent's main module): there it must draw and analyse nothing.
if __name__ != "__mp_main__":
    main()
