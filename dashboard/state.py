"""Streamlit glue: the cached model, the first-start analysis, the global filters.

The model is `st.cache_resource`; query results are cached by `dashboard.data`, keyed on the
store's manifest time so a re-analysis (which rewrites the manifest) refreshes everything while a
filter change re-reads nothing.
"""

from __future__ import annotations

import inspect
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from dashboard import filters as F
from dashboard.data import Data, Target, manifest_mtime
from dashboard.filters import FilterState
from dashboard.labels import entity_labels, type_label
from dashboard.memo import memo
from dashboard.paths import SEEDS, corpus_paths, missing_paths, resolve_store

if TYPE_CHECKING:
    from analysis.engines import Engine
    from analysis.pipeline import RunSummary

# Widget keys of the global filters.
K_ENTITY, K_TYPE, K_DOC, K_SOURCE = "f_entity", "f_type", "f_article", "f_source"
K_PUBLISHED, K_EVENTS, K_QUERY, K_STORY = "f_published", "f_events", "f_q", "f_story"
WIDGET_KEYS = (K_QUERY, K_ENTITY, K_TYPE, K_DOC, K_STORY, K_SOURCE, K_PUBLISHED, K_EVENTS)
_LOADED = "_nl_filters_loaded"
WAITING_SESSION = (
    "Waiting: another session is analysing this store. Yours starts as soon as it is done "
    "(keep this page open)."
)
WAITING_PROCESS = "Waiting: another newslens run is writing this store. Yours starts when it ends"


@st.cache_resource(show_spinner=False)
def _analysis_guard() -> tuple[threading.Lock, set[str]]:
    """Serialises the dashboard's analysis runs and remembers stores refreshed at start-up."""
    return threading.Lock(), set()


@dataclass
class Ctx:
    """What a page needs: the store, the filter state and cached queries over both."""

    root: Path
    is_default: bool
    state: FilterState = field(default_factory=FilterState)

    @property
    def mtime(self) -> float:
        return manifest_mtime(self.root)

    @property
    def data(self) -> Data:
        """The store at its current version, asked through the cache."""
        return Data(str(self.root), self.mtime)

    # Shorthands for the calls every page makes, with the current filters.
    def count(self, table: str, state: FilterState | None = None) -> int:
        return self.data.count(table, state or self.state)

    def rows(
        self,
        table: str,
        *,
        limit: int | None = 50,
        offset: int = 0,
        state: FilterState | None = None,
    ) -> pd.DataFrame:
        return self.data.rows(table, state or self.state, limit=limit, offset=offset)

    def entity_names(self, ids: tuple[str, ...] | list[str]) -> dict[str, str]:
        return {k: v[0] for k, v in self.data.entity_info(ids).items()}

    def doc_titles(self, ids: tuple[str, ...] | list[str]) -> dict[str, str]:
        return self.data.doc_titles(ids)

    def describe(self, state: FilterState | None = None) -> str:
        s = state or self.state
        stories = self.data.story_options(include=s.stories) if s.stories else None
        labels = (
            dict(zip(stories["story_id"], stories["label"], strict=True))
            if stories is not None
            else {}
        )
        return F.describe(
            s,
            entity_names=self.entity_names(s.entities),
            doc_titles=self.doc_titles(s.docs),
            story_labels=labels,
        )

    def filename(self, table: str, state: FilterState | None = None) -> str:
        s = state or self.state
        return F.csv_filename(
            table, s, entity_names=self.entity_names(s.entities), doc_titles=self.doc_titles(s.docs)
        )

    def locate(self, table: str, row_id: str) -> Target | None:
        return self.data.locate(table, row_id)


def current() -> Ctx:
    """The context app.py set up for this run."""
    ctx = st.session_state.get("_nl_ctx")
    if not isinstance(ctx, Ctx):
        root, is_default = resolve_store(sys.argv)
        ctx = Ctx(root, is_default)
    return ctx


# -- store set-up ----------------------------------------------------------------------------


def analysis_engine() -> Engine | None:
    """Where the dashboard's analyses run: None, a whole run in a process of its own.

    In this process, spaCy and the merge after it (linking, stories, the commit) would hold the
    interpreter, and every other session's page would wait for them (bench/bench_load.py
    measured p50 0.8 -> 15 s for the model's pass alone). The process costs a model load per
    run and frees the run's memory afterwards; it runs at a lower CPU priority, so the sessions
    reading pages meanwhile go first. An engine returned here runs the analysis in this
    process instead (the tests plant bugs that way).
    """
    return None


NICE = 10  # the analysis process's CPU priority below the server's


def analyse(paths: list[Path], root: Path, *, label: str) -> RunSummary:
    """Analyse `paths` into the store at `root` with a progress bar; one run at a time.

    A run already under way (another session's, in this server, or a `newslens analyze` holding
    the store's lock) makes this one wait, and the session is told so while it waits and after.
    """
    from analysis.background import run_in_process
    from analysis.pipeline import run
    from analysis.store import Store, StoreLockedError

    lock, _ = _analysis_guard()
    note = st.empty()
    waited = 0.0
    if not lock.acquire(blocking=False):
        note.info(WAITING_SESSION, icon=":material/hourglass_top:")
        started = time.monotonic()
        lock.acquire()
        waited += time.monotonic() - started
    try:
        note.empty()
        bar = st.progress(0.0, text=label)

        begun: list[float] = []  # when the run got the store's lock (its first progress)
        blocked: list[float] = []  # when it found the lock held by a process outside this server

        def progress(done: int, total: int) -> None:
            if not begun:
                begun.append(time.monotonic())
                note.empty()
            fraction = 1.0 if total == 0 else min(1.0, done / total)
            bar.progress(fraction, text=f"{label} {done} of {total} article(s)")

        def blocked_by(reason: str) -> None:
            blocked.append(time.monotonic())
            note.info(f"{WAITING_PROCESS} ({reason}).", icon=":material/hourglass_top:")

        engine = analysis_engine()
        if engine is None:
            held = Store(root).holder()  # said now, not once the process has started
            if held:
                blocked_by(held)
            summary = run_in_process(paths, root, progress=progress, waiting=blocked_by, nice=NICE)
        else:
            try:
                summary = run(paths, root, engine=engine, progress=progress, wait=False)
            except StoreLockedError as err:  # held by a process outside this server
                blocked_by(str(err))
                summary = run(paths, root, engine=engine, progress=progress, wait=True)
        if blocked:
            waited += (begun[0] if begun else time.monotonic()) - blocked[0]
    finally:
        lock.release()
    bar.empty()
    if waited >= 0.05:
        note.caption(f"Waited {waited:.0f} s for another analysis of this store to finish.")
    else:
        note.empty()
    st.cache_data.clear()
    return summary


def prepare_default_store(root: Path) -> None:
    """Bring the bundled seeds store up to date once per server start (first start: analyse)."""
    _, refreshed = _analysis_guard()
    if str(root) in refreshed:
        return
    from analysis.store import Store, StoreError

    try:
        manifest = Store(root).manifest()
    except StoreError:
        manifest = {}
    if missing_paths(manifest):  # never drop articles because their folder is away
        refreshed.add(str(root))
        return
    paths = corpus_paths(manifest, root, default=[SEEDS])
    label = (
        "First start: analysing the bundled articles…"
        if not manifest
        else "Checking the articles for changes…"
    )
    analyse(paths, root, label=label)
    refreshed.add(str(root))


# -- global filters --------------------------------------------------------------------------

SEARCH_HELP = """Only the articles that match, on every page. Words are case-insensitive.
\n- `potash sanctions`: both words (AND is the default)
\n- `"political prisoners"`: the exact phrase
\n- `potash OR sanctions`: either (OR in capitals)
\n- `sanctions -potash`: sanctions, in articles that never mention potash
\n- `prison*`: words starting with prison
\n- `~release`: every form of the word (released, releases, releasing)
\n- `(EU OR "European Union") sanctions`: parentheses group
\nThe **Search** page lists every hit in its context."""


def query_problem(query: str) -> str:
    """What is wrong with a search query ('' when it parses)."""
    from analysis.search import QuerySyntaxError, parse_query

    try:
        parse_query(query)
    except QuerySyntaxError as err:
        return str(err)
    return ""


def _query_dict() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _entity_labels(options: pd.DataFrame) -> dict[str, str]:
    return entity_labels(
        [(str(r.entity_id), str(r.name), str(r.type)) for r in options.itertuples(index=False)]
    )


def _entity_label(options: pd.DataFrame) -> Callable[[str], str]:
    """Short enough for a chip: the name, with the type only where two entities share a name."""
    labels = memo(_entity_labels, options)  # two thousand options: once per store version
    return lambda i: labels.get(i, i)


def _doc_labels(options: pd.DataFrame) -> dict[str, str]:
    labels = {}
    for doc_id, title, published in zip(
        options["doc_id"].tolist(),
        options["title"].tolist(),
        options["published"].tolist(),
        strict=True,
    ):
        when = day(published) or "undated"
        labels[str(doc_id)] = f"{title or doc_id} ({when})"
    return labels


def _doc_label(options: pd.DataFrame) -> Callable[[str], str]:
    labels = memo(_doc_labels, options)
    return lambda i: labels.get(i, i)


def _story_labels(options: pd.DataFrame) -> dict[str, str]:
    return {
        str(r.story_id): f"{r.label} ({r.n_articles}, {day(r.first_published) or 'undated'})"
        for r in options.itertuples(index=False)
    }


def story_label(options: pd.DataFrame) -> Callable[[str], str]:
    """A story's label with its size and first day, for a chip."""
    labels = memo(_story_labels, options)
    return lambda i: labels.get(i, i)


def day(value: Any) -> str:
    """A date cell as YYYY-MM-DD ('' when missing)."""
    if value is None:
        return ""
    stamp = pd.Timestamp(value)
    return "" if pd.isna(stamp) else stamp.strftime("%Y-%m-%d")


def _set_range_widget(key: str, span: F.DateRange, bounds: F.DateRange) -> None:
    """Keep a date-range widget on the data's range unless the user narrowed it."""
    bounds_key = f"_nl_bounds_{key}"
    old = st.session_state.get(bounds_key)
    current_value = st.session_state.get(key)
    if key not in st.session_state or (
        old is not None and old != bounds and F.range_from_widget(current_value, old) == F.OPEN
    ):
        st.session_state[key] = F.widget_range(span, bounds)
    st.session_state[bounds_key] = bounds


def clear_filters() -> None:
    st.session_state[K_QUERY] = ""
    for key in (K_ENTITY, K_TYPE, K_DOC, K_STORY, K_SOURCE):
        st.session_state[key] = []
    for key in (K_PUBLISHED, K_EVENTS):
        bounds = st.session_state.get(f"_nl_bounds_{key}", F.OPEN)
        st.session_state[key] = F.widget_range(F.OPEN, bounds)


def add_entity_filter(entity_id: str) -> None:
    """Add an entity to the global filter (a callback for 'filter by this entity' buttons)."""
    chosen = list(st.session_state.get(K_ENTITY, []))
    if entity_id and entity_id not in chosen:
        st.session_state[K_ENTITY] = [*chosen, entity_id]


def set_story_filter(story_id: str) -> None:
    """Look at one story (a callback for 'filter by this story' buttons)."""
    st.session_state[K_STORY] = [story_id] if story_id else []


def request_story_filter(story_id: str) -> None:
    """Filter by a story from page code (after the widgets exist): on the next run."""
    st.session_state["_nl_pending_story"] = story_id
    st.rerun()


def request_entity_filter(entity_id: str) -> None:
    """Add an entity to the filter from page code (after the widgets exist): on the next run."""
    st.session_state["_nl_pending_entity"] = entity_id
    st.rerun()


# Typing a name and pressing Enter picks the first option shown. Streamlit's fuzzy filter puts
# the best match first (an exact name scores highest), but since `select_all` came, a bulk
# "Select N matches" stands above it whenever two options match ("Viasna" also matches
# "Sviatlana Tsikhanouskaya"), and Enter took every match. Older Streamlit has no such option.
ONE_BY_ONE: dict[str, Any] = (
    {"select_all": False} if "select_all" in inspect.signature(st.multiselect).parameters else {}
)


def sidebar_filters(ctx: Ctx) -> FilterState:
    """Draw the filters in the sidebar (restored from the URL on a session's first run)."""
    if not st.session_state.get(_LOADED):
        wanted = FilterState.from_params(_query_dict())
        st.session_state[K_ENTITY] = list(wanted.entities)
        st.session_state[K_TYPE] = list(wanted.types)
        st.session_state[K_DOC] = list(wanted.docs)
        st.session_state[K_STORY] = list(wanted.stories)
        st.session_state[K_SOURCE] = list(wanted.sources)
        st.session_state[K_QUERY] = wanted.query
        st.session_state["_nl_wanted_ranges"] = (wanted.published, wanted.event_dates)
        st.session_state[_LOADED] = True
    pending = st.session_state.pop("_nl_pending_entity", None)
    if pending:
        add_entity_filter(str(pending))
    pending_story = st.session_state.pop("_nl_pending_story", None)
    if pending_story:
        set_story_filter(str(pending_story))
    chosen_stories = tuple(st.session_state.get(K_STORY, []))
    chosen_entities = tuple(st.session_state.get(K_ENTITY, []))
    chosen_docs = tuple(st.session_state.get(K_DOC, []))
    data = ctx.data
    entity_options = data.entity_options(include=chosen_entities)
    doc_options = data.doc_options(include=chosen_docs)
    story_options = data.story_options(include=chosen_stories)
    types = data.types()
    sources = data.sources()
    # Drop values the store does not hold (an old bookmark), so the widgets accept the rest.
    known = set(entity_options["entity_id"])
    st.session_state[K_ENTITY] = [e for e in chosen_entities if e in known]
    st.session_state[K_TYPE] = [t for t in st.session_state.get(K_TYPE, []) if t in types]
    st.session_state[K_DOC] = [d for d in chosen_docs if d in set(doc_options["doc_id"])]
    st.session_state[K_STORY] = [s for s in chosen_stories if s in set(story_options["story_id"])]
    st.session_state[K_SOURCE] = [s for s in st.session_state.get(K_SOURCE, []) if s in sources]
    published_bounds = data.published_bounds()
    event_bounds = data.event_bounds()
    wanted_ranges = st.session_state.pop("_nl_wanted_ranges", None)
    if wanted_ranges is not None:
        st.session_state.pop(K_PUBLISHED, None)
        st.session_state.pop(K_EVENTS, None)
    published_span, events_span = wanted_ranges or (F.OPEN, F.OPEN)
    _set_range_widget(K_PUBLISHED, published_span, published_bounds)
    _set_range_widget(K_EVENTS, events_span, event_bounds)

    side = st.sidebar
    side.markdown("### Filters")
    side.caption("They apply to every chart and table, and the address bar keeps them.")
    side.text_input(
        "Search",
        key=K_QUERY,
        placeholder='e.g. potash OR "political prisoners"',
        help=SEARCH_HELP,
    )
    query = str(st.session_state.get(K_QUERY) or "").strip()
    if query:
        problem = query_problem(query)
        if problem:
            side.error(f"Search not applied: {problem}", icon=":material/error:")
            query = ""
    side.multiselect(
        "Entities",
        options=list(entity_options["entity_id"]),
        format_func=_entity_label(entity_options),
        key=K_ENTITY,
        **ONE_BY_ONE,
        placeholder="Search people, organisations, places…",
        help="Rows about these entities: their mentions, what they said or reported, events "
        "naming them, and sentences that mention them.",
    )
    side.multiselect(
        "Entity types",
        options=types,
        key=K_TYPE,
        format_func=type_label,
        placeholder="Any type",
        help="Only entities of these types (a place is a country, city or state; a location "
        "a region, river or mountain).",
    )
    side.multiselect(
        "Articles",
        options=list(doc_options["doc_id"]),
        format_func=_doc_label(doc_options),
        key=K_DOC,
        **ONE_BY_ONE,
        placeholder="Every article",
    )
    if not story_options.empty:
        side.multiselect(
            "Stories",
            options=list(story_options["story_id"]),
            format_func=story_label(story_options),
            key=K_STORY,
            placeholder="Every story",
            help="Threads of coverage: articles grouped by the entities and words they share "
            "and when they were published (see the Stories page).",
        )
    if sources:
        side.multiselect("Sources", options=sources, key=K_SOURCE, placeholder="Every source")
    wide = (date(1800, 1, 1), date(2200, 12, 31))
    side.date_input(
        "Published between",
        min_value=wide[0],
        max_value=wide[1],
        key=K_PUBLISHED,
        disabled=published_bounds == F.OPEN,
        help="The articles' publication dates.",
    )
    side.date_input(
        "Events dated between",
        min_value=wide[0],
        max_value=wide[1],
        key=K_EVENTS,
        disabled=event_bounds == F.OPEN,
        help="The dates events are about: keeps events overlapping this range, and rows from "
        "sentences that hold such an event.",
    )
    state = FilterState(
        entities=tuple(st.session_state.get(K_ENTITY, [])),
        types=tuple(st.session_state.get(K_TYPE, [])),
        docs=tuple(st.session_state.get(K_DOC, [])),
        stories=tuple(st.session_state.get(K_STORY, [])),
        sources=tuple(st.session_state.get(K_SOURCE, [])),
        published=F.range_from_widget(st.session_state.get(K_PUBLISHED), published_bounds),
        event_dates=F.range_from_widget(st.session_state.get(K_EVENTS), event_bounds),
        query=query,
    )
    if not state.is_empty:
        side.button("Clear filters", on_click=clear_filters, width="stretch")
    sync_query(state)
    return state


def sync_query(state: FilterState) -> None:
    """Write the filters into the URL, leaving other parameters (the reader's) alone."""
    wanted = state.to_params()
    for key in F.QUERY_KEYS:
        have = st.query_params.get_all(key)
        if key in wanted and have != wanted[key]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and key in st.query_params:
            del st.query_params[key]
