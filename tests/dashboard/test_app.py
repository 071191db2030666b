"""The app through Streamlit's AppTest: every page renders, filters narrow every table and live
in the URL, click-through reaches the reader, uploads are analysed safely; beyond this machine
it asks for the password, and read-only it takes no uploads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from streamlit import config
from streamlit.runtime.context import ContextProxy
from streamlit.testing.v1 import AppTest

from dashboard.paths import APP
from tests.synthetic import Synthetic

PAGES = [
    "views/overview.py",
    "views/entities.py",
    "views/quotes.py",
    "views/figures.py",
    "views/timeline.py",
    "views/articles.py",
    "views/outlets.py",
    "views/add.py",
]
TRUMP = "person:donald-trump"
TIMEOUT = 60


def app(store: Path, monkeypatch: pytest.MonkeyPatch, **query: str | list[str]) -> AppTest:
    monkeypatch.setenv("NEWSLENS_STORE", str(store))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def serve_on(address: str | None) -> None:
    """What the server listens on, as `--server.address` or .streamlit/config.toml set it."""
    config.set_option("server.address", address)


@pytest.fixture(autouse=True)
def local_server() -> Iterator[None]:
    """Every test serves on 127.0.0.1 unless it says otherwise, wherever pytest runs from."""
    before = config.get_option("server.address")
    serve_on("127.0.0.1")
    yield
    serve_on(before)


def on_page(at: AppTest, page: str) -> AppTest:
    return at.switch_page(page).run()


def table_sizes(at: AppTest) -> list[int]:
    return [len(frame.value) for frame in at.dataframe]


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_a_download_per_table(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    at = on_page(app(synthetic.root, monkeypatch), page)
    no_errors(at)
    if page != "views/add.py":
        assert at.dataframe, page
        assert len(at.download_button) == len(at.dataframe)
        assert all(b.label == "Download CSV" for b in at.download_button)


@pytest.mark.parametrize("page", PAGES[:-1])
def test_entity_filter_narrows_every_table(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    at = on_page(app(synthetic.root, monkeypatch), page)
    before = table_sizes(at)
    at.multiselect(key="f_entity").set_value([TRUMP]).run()
    no_errors(at)
    after = table_sizes(at)
    assert at.query_params.get("entity") == TRUMP
    if page == "views/articles.py":  # the reader's tables are one article's: compare totals
        assert sum(after) < sum(before)
        return
    assert len(after) <= len(before)
    for size_after, size_before in zip(after, before, strict=False):
        assert size_after <= size_before
    assert sum(after) < sum(before)


def test_overview_numbers_follow_the_filters(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(synthetic.root, monkeypatch)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Articles"] == "2" and metrics["Quotes"] == "5"
    at.date_input(key="f_events").set_value((date(2021, 1, 1), date(2021, 12, 31))).run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Dated events"] == "1" and metrics["Quotes"] == "0"
    assert at.query_params.get("events") == "2021-01-01..2021-12-31"


def test_query_params_restore_the_filters(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(
        synthetic.root,
        monkeypatch,
        entity=TRUMP,
        type="PERSON",
        published="2025-01-01..2025-12-31",
    )
    no_errors(at)
    assert at.multiselect(key="f_entity").value == [TRUMP]
    assert at.multiselect(key="f_type").value == ["PERSON"]
    assert at.date_input(key="f_published").value == (date(2025, 1, 1), date(2025, 12, 31))
    at = on_page(at, "views/quotes.py")
    speakers = set(at.dataframe[0].value["speaker"])
    assert speakers == {"Donald Trump"}
    assert at.query_params.get("entity") == TRUMP  # still in the URL after a page switch


def test_what_happened_in_2021_from_a_bookmark(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(synthetic.root, monkeypatch, events="2021-01-01..2021-12-31")
    assert at.date_input(key="f_events").value == (date(2021, 1, 1), date(2021, 12, 31))
    at = on_page(at, "views/timeline.py")
    no_errors(at)
    assert list(at.dataframe[0].value["text"]) == ["July 2021"]


def test_bookmark_of_an_unknown_entity_is_dropped(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(synthetic.root, monkeypatch, entity=["person:nobody", TRUMP], published="junk")
    no_errors(at)
    assert at.multiselect(key="f_entity").value == [TRUMP]
    assert at.query_params.get("entity") == TRUMP
    assert "published" not in at.query_params


def test_clear_filters(synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(synthetic.root, monkeypatch, entity=TRUMP)
    clear = [b for b in at.sidebar.button if b.label == "Clear filters"]
    assert clear
    clear[0].click().run()
    assert at.multiselect(key="f_entity").value == []
    assert "entity" not in at.query_params


def test_select_a_row_then_open_it_in_the_reader(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = on_page(app(synthetic.root, monkeypatch), "views/quotes.py")
    table = at.dataframe[0]
    row = list(table.value["text"]).index("hostages")
    at.session_state[table.key] = {"selection": {"rows": [row], "columns": []}}
    at.run()
    preview = " ".join(h.value for h in at.html)
    assert "hostages" in preview and "nl-x" in preview
    # The selection is kept by id: a filter that keeps the row keeps it selected.
    at.multiselect(key="f_entity").set_value([TRUMP]).run()
    assert "hostages" in " ".join(h.value for h in at.html)
    [open_button] = [b for b in at.button if b.label == "Open in the reader"]
    open_button.click().run()
    no_errors(at)
    assert at.title[0].value.startswith("Belarus releases 123 prisoners")
    start = synthetic.seed.text.index("hostages")
    assert at.query_params["at"] == f"{start}-{start + len('hostages')}"
    article = max((h.value for h in at.html), key=len)
    assert 'id="nl-target"' in article and ">hostages</span>" in article


def test_reader_shows_hostile_markup_as_text(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(synthetic.root, monkeypatch, doc=synthetic.hostile.doc_id)
    at = on_page(at, "views/articles.py")
    no_errors(at)
    article = max((h.value for h in at.html), key=len)
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in article or (
        '&lt;script&gt;alert("pwned")&lt;/script&gt;' in article
    )
    assert "<script>alert" not in article and "<img" not in article
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
    # The title is markdown-escaped, not rendered as HTML.
    assert "<b>" not in at.title[0].value


def test_empty_store_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = app(tmp_path / "empty-store", monkeypatch)
    for page in PAGES:
        at = on_page(at, page)
        no_errors(at)
        assert at.info, page  # an empty state with guidance, never a blank page


@pytest.fixture(scope="module")
def nlp_loaded(nlp):  # type: ignore[no-untyped-def]
    """The model, loaded once for these tests."""
    return nlp


def test_upload_is_sanitised_stored_and_analysed(
    fresh_store: Synthetic, monkeypatch: pytest.MonkeyPatch, nlp_loaded: object
) -> None:
    at = on_page(app(fresh_store.root, monkeypatch), "views/add.py")
    body = (
        b"2 March, 2026\nnew-sanctions\n\nThe European Union said on Monday that it would "
        b"extend sanctions on Belarus until 2027, according to Viasna.\n"
    )
    at.file_uploader(key="add_files").set_value(
        [("../../etc/evil name.txt", body, "text/plain"), ("empty.txt", b"   ", "text/plain")]
    ).run()
    at.button(key="add_run").click().run()
    assert not at.exception
    problems = [m.value for m in (*at.warning, *at.error)]
    assert any("empty" in p and "evil" not in p for p in problems)
    uploads = fresh_store.root / "uploads"
    saved = sorted(p.name for p in uploads.iterdir())
    assert len(saved) == 1 and saved[0].startswith("evil-name-") and saved[0].endswith(".txt")
    assert not (fresh_store.root.parent / "etc").exists()
    # The store's summary on the same run counts the new article (it said 2 after the 3rd).
    assert any(m.value.startswith("3 articles analysed") for m in at.markdown)
    at = on_page(at, "views/overview.py")
    assert {m.label: m.value for m in at.metric}["Articles"] == "3"
    titles = set(at.dataframe[0].value["title"])
    assert "New sanctions" in titles


def test_first_start_analyses_the_seeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, nlp_loaded: object
) -> None:
    import dashboard.paths

    monkeypatch.delenv("NEWSLENS_STORE", raising=False)
    monkeypatch.setattr(dashboard.paths, "DEFAULT_STORE", tmp_path / "seeds-store")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    no_errors(at)
    assert (tmp_path / "seeds-store" / "documents.parquet").is_file()
    assert {m.label: m.value for m in at.metric}["Articles"] == "1"


def test_search_filters_every_page_and_lists_hits_in_context(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(seed_store, monkeypatch, q='"political prisoners"')
    no_errors(at)
    assert at.sidebar.text_input(key="f_q").value == '"political prisoners"'
    at = on_page(at, "views/search.py")
    no_errors(at)
    hits = at.dataframe[0].value
    assert list(hits["match"]) == ["political prisoners"] * 3
    assert any("3 of 3 rows" in c.value or "1–3 of 3" in c.value for c in at.caption)
    assert at.query_params["q"] in ('"political prisoners"', ['"political prisoners"'])
    # A query no article matches empties every other page too.
    at.sidebar.text_input(key="f_q").set_value("zzyzx").run()
    at = on_page(at, "views/quotes.py")
    no_errors(at)
    assert not at.dataframe


def test_a_search_in_an_index_of_an_older_layout_is_explained(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import with_older_index

    old = with_older_index(seed_store, tmp_path / "old")
    at = on_page(app(old, monkeypatch, q="potash"), "views/quotes.py")
    no_errors(at)
    assert any("older newslens" in w.value for w in at.warning)  # not an empty page alone


def test_a_malformed_query_is_explained_not_applied(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(seed_store, monkeypatch, q="(potash")
    assert not at.exception
    assert any("Search not applied" in e.value for e in at.sidebar.error)
    assert at.dataframe  # the pages still show everything


# -- access: a password beyond this machine, read-only mode -------------------------------------

REFUSED = "will not serve this without a password"


def signed_out(at: AppTest) -> bool:
    """Nothing of the store is shown: no page, no navigation, no sidebar filters."""
    return not at.metric and not at.dataframe and not at.sidebar.multiselect


@pytest.mark.parametrize("address", ["0.0.0.0", None, "192.168.1.20"])
def test_served_beyond_this_machine_without_a_password_is_refused(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch, address: str | None
) -> None:
    monkeypatch.delenv("NEWSLENS_PASSWORD", raising=False)
    serve_on(address)
    at = app(synthetic.root, monkeypatch)
    assert not at.exception
    [refusal] = at.error
    assert REFUSED in refusal.value and "[newslens]" in refusal.value
    assert "NEWSLENS_PASSWORD" in refusal.value
    assert signed_out(at) and not at.text_input


def test_password_form_before_any_page(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSLENS_PASSWORD", raising=False)
    serve_on("0.0.0.0")
    monkeypatch.setenv("NEWSLENS_STORE", str(synthetic.root))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["newslens"] = {"password": "correct horse"}
    at.run()
    assert signed_out(at) and [t.label for t in at.text_input] == ["Password"]
    at.text_input(key="nl_password").input("wrong")
    at.button[0].click().run()
    assert signed_out(at) and "do not match" in at.error[0].value
    at.text_input(key="nl_password").input("correct horse")
    at.button[0].click().run()
    no_errors(at)
    assert {m.label: m.value for m in at.metric}["Articles"] == "2"
    assert "Signed in with the shared password" in [c.value for c in at.sidebar.caption]
    at = on_page(at, "views/quotes.py")  # remembered across pages and reruns
    no_errors(at)
    assert at.dataframe
    [sign_out] = [b for b in at.sidebar.button if b.label == "Sign out"]
    sign_out.click().run()
    assert signed_out(at) and at.text_input


def test_a_changed_password_signs_everyone_out(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_on("0.0.0.0")
    monkeypatch.setenv("NEWSLENS_PASSWORD", "first")
    monkeypatch.setenv("NEWSLENS_STORE", str(synthetic.root))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    at.text_input(key="nl_password").input("first")
    at.button[0].click().run()
    assert at.metric
    monkeypatch.setenv("NEWSLENS_PASSWORD", "second")
    at.run()
    assert signed_out(at) and at.text_input


def test_named_users_sign_in_with_their_own_password(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSLENS_PASSWORD", raising=False)
    serve_on("0.0.0.0")
    monkeypatch.setenv("NEWSLENS_STORE", str(synthetic.root))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["newslens"] = {"users": {"ann": "her passphrase", "bo": "his passphrase"}}
    at.run()
    assert [t.label for t in at.text_input] == ["Name", "Password"]
    at.text_input(key="nl_name").input("ann")
    at.text_input(key="nl_password").input("his passphrase")
    at.button[0].click().run()
    assert signed_out(at)
    at.text_input(key="nl_password").input("her passphrase")
    at.button[0].click().run()
    no_errors(at)
    assert "Signed in as ann" in [c.value for c in at.sidebar.caption]


def test_a_request_from_elsewhere_is_asked_even_on_a_local_address(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started on 127.0.0.1 (say behind a tunnel): the client's own address still counts."""
    monkeypatch.setattr(ContextProxy, "ip_address", property(lambda self: "203.0.113.9"))
    monkeypatch.delenv("NEWSLENS_PASSWORD", raising=False)
    at = app(synthetic.root, monkeypatch)
    assert signed_out(at) and "comes from 203.0.113.9" in at.error[0].value
    monkeypatch.setenv("NEWSLENS_PASSWORD", "pw")
    at.run()
    assert signed_out(at) and at.text_input(key="nl_password")


def test_read_only_has_no_upload_page(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSLENS_READ_ONLY", "1")
    at = app(synthetic.root, monkeypatch)
    no_errors(at)
    assert at.metric
    assert any("read-only" in c.value for c in at.sidebar.caption)
    with pytest.raises(ValueError, match="navigation page"):
        at.switch_page("views/add.py")
    for page in PAGES[:-1]:  # every other page still renders
        at = on_page(at, page)
        no_errors(at)
        assert not at.get("file_uploader"), page


def test_the_upload_page_itself_refuses_in_read_only_mode(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSLENS_READ_ONLY", "1")
    at = AppTest.from_file(str(APP.parent / "views" / "add.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert "read-only" in at.info[0].value
    assert not at.get("file_uploader") and not at.button


def test_corrections_merge_and_undo_change_every_page(
    seed_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from analysis.query import Filter, StoreView

    store = tmp_path / "store"
    shutil.copytree(seed_store, store)
    before = StoreView(store).count("entities", Filter())
    at = on_page(app(store, monkeypatch), "views/corrections.py")
    no_errors(at)
    options = at.selectbox(key="co_entity").options
    lithuania = next(o for o in options if o.startswith("Lithuania"))
    belarus = next(o for o in options if o.startswith("Belarus ·"))
    at.selectbox(key="co_entity").set_value(
        next(i for i in StoreView(store).resolve_entities(["Lithuania"]))
    ).run()
    at.radio(key="co_action").set_value("merge").run()
    at.selectbox(key="co_into").set_value(StoreView(store).resolve_entities(["Belarus"])[0]).run()
    at.button(key="co_merge").click().run()
    no_errors(at)
    assert any("Done: merge" in s.value for s in at.success), (lithuania, belarus)
    assert StoreView(store).count("entities", Filter()) == before - 1
    at.button(key="co_undo_go").click().run()
    no_errors(at)
    assert StoreView(store).count("entities", Filter()) == before


def test_corrections_are_not_offered_read_only(
    seed_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSLENS_READ_ONLY", "1")
    at = on_page(app(seed_store, monkeypatch), "views/corrections.py")
    assert not at.exception
    assert not at.button


def test_entities_page_draws_the_network_and_the_top_pairs(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = on_page(app(synthetic.root, monkeypatch), "views/entities.py")
    no_errors(at)
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    network = [s for s in specs if '"Group 1"' in s]
    assert len(network) == 1 and TRUMP in network[0]  # the nodes carry entity ids
    assert not any("The most frequent pairs" in s for s in specs)  # one picture at a time
    assert any("groups that appear together" in c.value for c in at.caption)
    at.segmented_control(key="en_show").set_value("grid").run()
    no_errors(at)
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert any("The most frequent pairs" in s for s in specs)
    assert not any('"Group 1"' in s for s in specs)


def test_typed_names_pick_one_entity_not_every_match(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No "Select N matches" above the best match, which Enter would take (the browser test
    types 'Viasna')."""
    at = app(synthetic.root, monkeypatch)
    for key in ("f_entity", "f_article"):
        assert at.multiselect(key=key).proto.select_all == 0


def test_outlets_page_compares_the_known_sources(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = on_page(app(synthetic.root, monkeypatch), "views/outlets.py")
    no_errors(at)
    outlets = at.dataframe[0].value
    assert list(outlets["source"]) == ["Evil Times"]  # the seed article names no outlet
    assert list(outlets["n_articles"]) == [1]
    assert any("1 article(s) name none" in c.value for c in at.caption)
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert any("Who covers it" in s for s in specs)


def test_outlets_page_says_when_no_source_is_known(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import shutil

    import pandas as pd

    root = tmp_path / "store"
    shutil.copytree(synthetic.root, root)
    documents = pd.read_parquet(root / "documents.parquet")
    documents["source"] = ""
    documents.to_parquet(root / "documents.parquet", index=False)
    at = on_page(app(root, monkeypatch), "views/outlets.py")
    no_errors(at)
    assert not at.dataframe
    assert any("names its outlet" in i.value for i in at.info)


def test_a_spawned_analysis_worker_does_not_run_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 'spawn' start method re-runs the parent's main module in each worker, and under
    Streamlit that is this script: as `__mp_main__` it must not draw or analyse (it analysed
    the default store in the worker, which then tried to start workers of its own)."""
    import runpy

    import dashboard.state

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the worker ran the app")

    monkeypatch.delenv("NEWSLENS_STORE", raising=False)
    monkeypatch.setattr(dashboard.state, "prepare_default_store", refuse)
    monkeypatch.setattr(dashboard.state, "sidebar_filters", refuse)
    runpy.run_path(str(APP), run_name="__mp_main__")
    with pytest.raises(AssertionError, match="the worker ran the app"):
        runpy.run_path(str(APP), run_name="__main__")


def test_entities_charts_each_take_the_page_width(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Side by side in half-width columns, their legends left the bars and lines a third of a
    column and cut long names (seen in the browser on the Wikinews articles)."""
    at = on_page(app(synthetic.root, monkeypatch), "views/entities.py")
    no_errors(at)
    titles = ("Most mentioned entities", "Mentions over time")
    specs = [chart.proto.spec for chart in at.get("plotly_chart")]
    assert all(any(title in s for s in specs) for title in titles)
    in_columns = [chart.proto.spec for column in at.columns for chart in column.get("plotly_chart")]
    assert not any(title in s for title in titles for s in in_columns)
