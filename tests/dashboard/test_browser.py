"""The dashboard in a real browser: `streamlit run` on localhost, driven by Playwright through
Debian's headless Chromium. Changes the entity filter, downloads CSVs and checks their rows,
uploads a hostile article and checks its markup shows as text, and saves a screenshot
(docs/screenshot.png when NEWSLENS_SCREENSHOT=1)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard.paths import APP, PROJECT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
HOSTILE_HTML = b"""<html><head><title>Hostile page</title>
<meta name="date" content="2024-06-01"></head><body><article>
<p>Mallory Smith wrote &lt;script&gt;window.__pwned = 1&lt;/script&gt; in her column about
Belarus, and &lt;img src=x onerror="window.__pwned = 2"&gt; in the next line.</p>
<p>She said the count of 1,227 political prisoners was too low.</p>
</article></body></html>
"""

pytestmark = [
    pytest.mark.browser,
    # Skip cleanly on a machine without Chromium, but never on CI (the fixture then fails).
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is not installed (apt-get install chromium)",
    ),
]


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing on CI (.ci/run installs it)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def chromium() -> Path:
    _require_chromium()
    return CHROMIUM


@pytest.fixture(scope="module")
def store(chromium: Path, tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Path:
    """A store analysed from the bundled seeds (the real pipeline)."""
    from analysis.pipeline import run

    root = tmp_path_factory.mktemp("browser") / "store"
    run([PROJECT / "seeds"], root, nlp=nlp)
    return root


@pytest.fixture(scope="module")
def server(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`streamlit run dashboard/app.py -- STORE` on a free port, as `make run` starts it.

    From the project folder, where Streamlit finds .streamlit/config.toml (the theme and the
    upload limit); the dashboard's own paths never depend on it (tests/dashboard/test_rules.py).
    """
    port = _free_port()
    logs = tmp_path_factory.mktemp("server")
    env = {k: v for k, v in os.environ.items() if k != "NEWSLENS_STORE"}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--",
        str(store),
    ]
    log = (logs / "streamlit.log").open("wb")
    process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((logs / "streamlit.log").read_text(errors="replace"))
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def browser_page(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            viewport={"width": 1440, "height": 1100}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(60_000)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.dialogs = dialogs  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()


def settle(page: Any) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_selector("[data-testid=stApp]")
    page.wait_for_timeout(500)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && !document.querySelector('[data-testid=stSkeleton]')"
    )
    page.wait_for_timeout(500)


def download(page: Any, index: int = 0) -> tuple[str, list[dict[str, str]], bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").nth(index).click()
    done = info.value
    data = Path(done.path()).read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    return done.suggested_filename, rows, data


def exported(store: Path, table: str, *filters: str) -> bytes:
    """What `newslens export` writes for the table under the filters."""
    from analysis.cli import main

    out = store.parent / f"export-{table}.csv"
    assert main(["export", str(store), "--table", table, *filters, "--output", str(out)]) == 0
    return out.read_bytes()


def trump_id(store: Path) -> str:
    from analysis.store import Store

    entities = Store(store).read("entities")
    people = entities[entities["name"].str.contains("Trump") & (entities["type"] == "PERSON")]
    assert not people.empty, "the seed store should know Donald Trump"
    return str(people.iloc[0]["entity_id"])


def test_filter_download_screenshot_and_hostile_upload(
    browser_page: Any, server: str, store: Path, tmp_path: Path
) -> None:
    from analysis.query import Filter, StoreView

    page = browser_page
    page.goto(server)
    settle(page)
    page.get_by_text("Most mentioned entities").first.wait_for()
    page.wait_for_timeout(1000)  # let plotly finish drawing before the screenshot

    shot = tmp_path / "overview.png"
    page.screenshot(path=str(shot))
    if os.environ.get("NEWSLENS_SCREENSHOT") == "1":
        shutil.copy(shot, PROJECT / "docs" / "screenshot.png")

    # Change the entity filter the way a person does: type in the searchable box, pick.
    trump = trump_id(store)
    picker = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
    picker.click()
    page.keyboard.type("Donald Trump")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_url(f"**entity={trump.replace(':', '%3A')}**")
    settle(page)

    db = StoreView(store)
    state = Filter(entities=(trump,))

    page.get_by_role("link", name="Entities").click()
    settle(page)
    name, rows, data = download(page, 1)  # the "Every mention" table
    assert name.startswith("mentions_donald-trump") and name.endswith(".csv")
    assert len(rows) == db.count("mentions", state) > 0
    assert {r["entity_id"] for r in rows} == {trump}
    assert data == exported(store, "mentions", "--entity", "Donald Trump")  # byte for byte

    page.get_by_role("link", name="Quotes").click()
    settle(page)
    assert f"entity={trump.replace(':', '%3A')}" in page.url  # the filter survives the switch
    name, rows, data = download(page)
    assert name.startswith("quotes_donald-trump")
    expected = db.rows("quotes", state, limit=None)
    assert sorted(r["quote_id"] for r in rows) == sorted(expected["quote_id"])
    assert data == exported(store, "quotes", "--entity", trump)

    # Upload a hostile page: analysed, stored under a safe name, shown as text.
    page.get_by_role("link", name="Add articles").click()
    settle(page)
    upload = tmp_path / "..evil page.html"
    upload.write_bytes(HOSTILE_HTML)
    page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(upload))
    page.get_by_role("button", name="Analyse 1 file").click()
    page.get_by_text("article(s) in the store").wait_for(timeout=120_000)
    saved = [p.name for p in (store / "uploads").iterdir()]
    assert len(saved) == 1 and saved[0].startswith("evil-page-") and saved[0].endswith(".html")

    page.goto(f"{server}/articles")
    settle(page)
    page.locator("[data-testid=stSelectbox]").first.click()
    page.get_by_role("option", name="Hostile page").first.click()
    settle(page)
    body = page.locator(".nl-text").first.inner_text()
    assert "<script>window.__pwned = 1</script>" in body
    assert '<img src=x onerror="window.__pwned = 2">' in body
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.dialogs == []  # type: ignore[attr-defined]
    page.screenshot(path=str(tmp_path / "reader.png"), full_page=True)


PAGES = ("", "search", "entities", "quotes", "figures", "timeline", "articles", "add")
# Streamlit's frontend points the favicon of a ":material/..." page_icon at an outside host, so
# app.py uses an emoji; every other icon is drawn from the Material Symbols font Streamlit
# bundles under static/media.


@pytest.fixture(scope="module")
def requests_made(browser_page: Any, server: str) -> list[str]:
    """Every URL the browser asked for while opening each page of the dashboard."""
    page = browser_page.context.new_page()
    page.set_default_timeout(60_000)
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    for name in PAGES:
        page.goto(f"{server}/{name}")
        settle(page)
        page.wait_for_timeout(1500)  # plotly, fonts and the favicon load after the run
    page.close()
    assert any(u.startswith(server) for u in urls)
    return urls


def _elsewhere(urls: list[str], server: str) -> set[str]:
    local = (server + "/", "data:", "blob:", "about:")
    return {u for u in urls if u != server and not u.startswith(local)}


def test_every_request_goes_to_the_local_server(requests_made: list[str], server: str) -> None:
    assert _elsewhere(requests_made, server) == set()


def test_search_narrows_every_page_and_downloads_its_hits(
    browser_page: Any, server: str, store: Path
) -> None:
    from analysis.query import Filter, StoreView

    page = browser_page.context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server)
    settle(page)
    box = page.locator("[data-testid=stSidebar] [data-testid=stTextInput] input").first
    box.fill('"political prisoners"')
    box.press("Enter")
    page.wait_for_url("**q=%22political+prisoners%22**")
    settle(page)

    page.get_by_role("link", name="Search").click()
    settle(page)
    assert "q=%22political+prisoners%22" in page.url  # the query survives the switch
    page.get_by_text("Every hit of").first.wait_for()
    name, rows, data = download(page)
    assert name.startswith("hits_political-prisoners")
    assert [r["match"] for r in rows] == ["political prisoners"] * len(rows) and rows
    assert data == exported(store, "hits", "--query", '"political prisoners"')

    view = StoreView(store)
    page.get_by_role("link", name="Quotes").click()
    settle(page)
    _, quotes, _ = download(page)
    wanted = Filter(query='"political prisoners"', kinds=("direct", "partial"))
    assert len(quotes) == view.count("quotes", wanted)

    box = page.locator("[data-testid=stSidebar] [data-testid=stTextInput] input").first
    box.fill('"political prisoners')
    box.press("Enter")
    settle(page)
    assert page.get_by_text("Search not applied").first.is_visible()
    page.screenshot(path=str(store.parent / "search.png"), full_page=True)
    page.close()


def _bars(page: Any) -> list[str]:
    """The names on the first chart's bars (the most mentioned entities)."""
    page.wait_for_selector(".js-plotly-plot")
    page.wait_for_function("() => document.querySelector('.js-plotly-plot').data")
    names: list[str] = page.evaluate(
        "() => Array.from(document.querySelectorAll('.js-plotly-plot')[0].data)"
        ".flatMap(t => Array.from(t.y || []))"
    )
    return names


def test_a_merge_in_the_dashboard_leaves_one_bar_where_there_were_two(
    browser_page: Any, server: str, store: Path
) -> None:
    from analysis.query import Filter, StoreView

    view = StoreView(store)
    top = view.rows("entities", Filter(), limit=2, with_titles=False)
    first, second = (str(n) for n in top["name"])
    page = browser_page.context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{server}/entities")
    settle(page)
    page.wait_for_timeout(1500)
    bars = _bars(page)
    assert first in bars and second in bars

    page.goto(f"{server}/corrections")
    settle(page)
    boxes = page.locator("[data-testid=stMain] [data-testid=stSelectbox]")
    boxes.nth(0).click()
    page.keyboard.type(second)
    page.get_by_role("option", name=f"{second} ·").first.click()
    settle(page)
    page.get_by_text("merge with another entity").click()
    settle(page)
    boxes.nth(1).click()
    page.keyboard.type(first)
    page.get_by_role("option", name=f"{first} ·").first.click()
    settle(page)
    page.get_by_role("button", name="Merge").click()
    settle(page)
    page.get_by_text("Done: merge").first.wait_for()

    page.goto(f"{server}/entities")
    settle(page)
    page.wait_for_timeout(1500)
    bars = _bars(page)
    assert first in bars and second not in bars
    assert "merge" in (store / "edits.jsonl").read_text(encoding="utf-8")


def entity_id(store: Path, name: str) -> str:
    from analysis.store import Store

    entities = Store(store).read("entities")
    found = entities[entities["name"] == name]
    assert not found.empty, f"the seed store should know {name}"
    return str(found.iloc[0]["entity_id"])


def test_typing_a_name_and_enter_picks_that_entity(
    browser_page: Any, server: str, store: Path
) -> None:
    """'Viasna' + Enter adds Viasna alone: Streamlit's fuzzy filter also shows Sviatlana
    Tsikhanouskaya, and offered 'Select 2 matches' first, which Enter took."""
    viasna = entity_id(store, "Viasna")
    other = entity_id(store, "Sviatlana Tsikhanouskaya")
    page = browser_page.context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server)
    settle(page)
    picker = page.locator("[data-testid=stSidebar] [data-testid=stMultiSelect]").first
    picker.click()
    page.keyboard.type("Viasna")
    options = page.get_by_role("option")
    options.first.wait_for()
    shown = [t.strip() for t in options.all_inner_texts()]
    assert shown[0] == "Viasna", shown  # the exact name first, no bulk "Select N matches"
    assert not any(t.startswith("Select") for t in shown), shown
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.wait_for_url(f"**entity={viasna.replace(':', '%3A')}**")
    settle(page)
    assert page.url.count("entity=") == 1
    assert other.replace(":", "%3A") not in page.url

    # On the Entities page, a click on a node of the network adds that entity too.
    page.get_by_role("link", name="Entities").click()
    settle(page)
    chart = page.locator("[data-testid=stPlotlyChart]").filter(has_text="Group 1").first
    chart.scroll_into_view_if_needed()
    nodes = chart.locator(".scatterlayer .trace").filter(has=page.locator("text")).first
    nodes.locator("path.point").first.click(force=True)
    page.wait_for_function("() => (location.search.match(/entity=/g) || []).length === 2")
    settle(page)
    page.close()
