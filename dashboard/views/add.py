"""Add articles: upload files in any format newslens reads and analyse them into the store."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from analysis.corpus import Article, Notice, Problem, format_suffix, read_bytes
from analysis.store import Store, StoreError, StoreLockedError
from dashboard import access, ui
from dashboard.paths import (
    MAX_UPLOAD_ARTICLES,
    MAX_UPLOAD_MB,
    SEEDS,
    corpus_paths,
    missing_paths,
    safe_upload_name,
    supported_types,
    uploads_dir,
)
from dashboard.state import analyse, current

st.title("Add articles")
if access.read_only():  # the app leaves this page out then; this guards a direct run of it
    st.info(
        "This dashboard is read-only: articles cannot be added or re-analysed here. Ask whoever "
        "runs it to add them with `newslens analyze`.",
        icon=":material/lock:",
    )
    st.stop()

ctx = current()
st.caption(
    "Files are copied into the store folder (never run or opened as anything but text) and "
    "analysed together with the articles already there. Unchanged articles are not analysed "
    "again."
)

with st.expander("Which formats?", icon=":material/help:"):
    st.markdown(
        "- **.txt**: first line a date, second a slug, then the body (or just a body)\n"
        "- **.md / .markdown**: optional front matter with `title`, `date`, `source`, `url`\n"
        "- **.html / .htm**: the main text (menus, related links, comments and cookie notices "
        "left out); title, date, author and site from the page\n"
        "- **.rss / .atom / .xml**: a feed, one article per entry (its full content where the "
        "feed carries it, else the summary)\n"
        "- **.warc / .warc.gz**: a web archive, one article per HTML page fetched\n"
        "- **.pdf**: PDFs with a text layer (scans are skipped: no OCR)\n"
        "- **.json / .jsonl**: objects with `text` (or `body`, `content`, `story_text`, ...), "
        "`title`, `date` (or `publish_date`, `publishedAt`, ...), `source` (or `media_name`, "
        "NewsAPI's `source.name`), `url`\n"
        "- **.csv**: one article per row, the same column names\n\n"
        f"At most {MAX_UPLOAD_MB} MB and {MAX_UPLOAD_ARTICLES:,} articles per file."
    )

files = st.file_uploader(
    "Article files",
    type=supported_types(),
    accept_multiple_files=True,
    max_upload_size=MAX_UPLOAD_MB,
    key="add_files",
    help=(
        "Drop files here or browse. Each file may hold one article or many (JSON, JSONL, CSV, "
        "feeds, web archives)."
    ),
)

store = Store(ctx.root)
try:
    manifest = store.manifest()
except StoreError as err:
    st.error(str(err))
    manifest = {}


def _read(data: bytes, shown: str, name: str, suffix: str) -> int | None:
    """Read an upload with the reader (its problems shown): how many articles it holds, or
    None (with the reason shown) when it is refused."""
    articles = 0
    for event in read_bytes(data, name, suffix):
        if isinstance(event, Article):
            articles += 1
            if articles > MAX_UPLOAD_ARTICLES:
                st.error(
                    f"{shown}: more than {MAX_UPLOAD_ARTICLES:,} articles, more than one upload "
                    "may hold; nothing was added. Analyse it with `newslens analyze` instead."
                )
                return None
        elif isinstance(event, Problem):
            st.warning(f"{ui.md(str(event))}", icon=":material/warning:")
        elif isinstance(event, Notice):
            st.caption(ui.md(str(event)))
    if not articles:
        st.error(f"{shown}: no article could be read from it; nothing was added.")
        return None
    return articles


def _save_uploads() -> dict[Path, tuple[str, int]]:
    """Check each upload with the reader, then keep the readable ones under the store: each
    file saved, with the name it was uploaded under and how many articles it holds."""
    folder = uploads_dir(ctx.root)
    saved: dict[Path, tuple[str, int]] = {}
    for upload in files or []:
        data = upload.getvalue()
        name = safe_upload_name(upload.name, data)
        shown = ui.md(upload.name)
        if name is None:
            st.error(f"{shown}: not a file type newslens reads.")
            continue
        if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
            st.error(f"{shown}: larger than {MAX_UPLOAD_MB} MB; nothing was added.")
            continue
        articles = _read(data, shown, upload.name, format_suffix(name))
        if articles is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        if target.resolve().parent != folder.resolve():  # belt and braces: never leave the folder
            st.error(f"{shown}: refused.")
            continue
        target.write_bytes(data)
        saved[target] = (upload.name, articles)
    return saved


def _take_back(added: dict[Path, tuple[str, int]]) -> None:
    """Remove the files an upload saved for a run that did not happen or failed."""
    for path in added:
        path.unlink(missing_ok=True)


def _run(label: str, added: dict[Path, tuple[str, int]] | None = None) -> None:
    """Analyse the store's corpus and uploads; a run that fails takes back the files `added`."""
    added = added or {}
    missing = missing_paths(manifest)
    if missing:  # a run without them would drop their articles: nothing stored is lost
        _take_back(added)
        st.error(
            "Not analysed: the store's corpus "
            + ", ".join(f"`{ui.md(str(p))}`" for p in missing)
            + (" is" if len(missing) == 1 else " are")
            + " not on this machine now, and a run without it would remove its articles from"
            " the store. Put it back (or run `newslens analyze` with the folders you want the"
            " store to hold) and try again; the store is unchanged.",
            icon=":material/error:",
        )
        return
    paths = corpus_paths(manifest, ctx.root, default=[SEEDS] if ctx.is_default else [])
    if not paths:
        st.error("Nothing to analyse: upload some files first.")
        return
    try:
        summary = analyse(paths, ctx.root, label=label)
    except StoreLockedError as err:
        st.error(f"{err}")
        return
    except Exception as err:  # the store is as it was (a commit is whole or not at all)
        _take_back(added)
        names = ", ".join(ui.md(name) for name, _ in added.values())
        st.error(
            f"The analysis failed: {ui.md(repr(err))}. The store is unchanged"
            + (f"; not added: {names}." if names else "."),
            icon=":material/error:",
        )
        return
    st.success(
        f"{summary.articles} article(s) in the store: {summary.analysed} analysed, "
        f"{summary.unchanged} unchanged, {summary.removed} removed, "
        f"{len(summary.problems)} skipped.",
        icon=":material/check_circle:",
    )
    uploaded = {str(path.resolve()): name for path, (name, _) in added.items()}
    for problem in summary.problems:
        name = uploaded.get(str(Path(problem.path).resolve()))  # as the user called the file
        text = str(problem) if name is None else str(problem).replace(problem.path, name, 1)
        st.warning(ui.md(text), icon=":material/warning:")


if files:
    if st.button(
        f"Analyse {len(files)} file{'s' if len(files) != 1 else ''}",
        type="primary",
        icon=":material/play_arrow:",
        key="add_run",
    ):
        saved = _save_uploads()
        if saved:
            st.write(
                "Added: "
                + ", ".join(
                    f"{ui.md(name)} ({n} article{'s' if n != 1 else ''})"
                    for name, n in saved.values()
                )
            )
            _run("Analysing…", saved)
else:
    ui.empty_state("No files chosen yet.", "Drop article files above, then press Analyse.")

st.divider()
st.markdown("#### The store")
st.caption(f"Folder: {ui.md(ctx.root)}")
# Filled at the end of the run, so an analysis started below (or above) is already counted.
store_summary = st.container()
if st.button("Re-analyse changed articles", icon=":material/refresh:", key="add_refresh"):
    _run("Re-analysing…")


with store_summary:
    try:
        manifest = store.manifest()  # re-read: a run above has rewritten it
    except StoreError:
        manifest = {}
    if manifest:
        tables = manifest.get("tables", {})
        st.write(
            f"{tables.get('documents', 0):,} articles analysed, last on "
            f"{ui.md(manifest.get('written', 'unknown'))}."
        )
        for path in manifest.get("paths", []):
            st.caption(f"Corpus: {ui.md(path)}")
        problems = manifest.get("problems", [])
        if problems:
            with st.expander(f"{len(problems)} file(s) skipped in the last run"):
                for problem in problems:
                    st.text(str(problem))
    else:
        ui.empty_state("This store has not been analysed yet.", "Upload files above to start it.")
