"""Every chart's words fit inside it: drawn by plotly.js in Debian's headless Chromium (the
plotly.min.js of the plotly package, no server), at a wide and a narrow width, no tick label,
axis title, panel title or legend entry reaches past the chart's edge.

The charts set their margins from their labels instead of plotly's automargin, which measures
every label in the browser and draws the chart again; these cases are the ones that need room:
long names, counts in the hundred thousands, values in the hundreds of billions on a linear
axis, twenty small multiples, events seventy years apart."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import plotly
import plotly.graph_objects as go
import pytest

from analysis.query import Filter, StoreView
from dashboard import charts, figure_charts, network, outlet_charts, search_charts, timeline_charts

CHROMIUM = Path("/usr/bin/chromium")
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
ALL = Filter()
WIDTHS = (640, 1200)  # a half-width column on a laptop, and the page's width
# The small multiples are drawn the page's width only: the main column on a 1280 px laptop.
PAGE_WIDTHS = (860, 1200)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("CI"),
        reason=f"{CHROMIUM} is not installed (apt-get install chromium)",
    ),
]

# Every text element of the drawn chart whose box reaches past the chart's own box.
OVERFLOW = """async ([spec, width]) => {
  const g = document.getElementById('g');
  g.style.width = width + 'px';
  const f = JSON.parse(spec);
  await Plotly.newPlot(g, f.data, f.layout, {displaylogo: false});
  const box = g.querySelector('.main-svg').getBoundingClientRect();
  const out = [];
  for (const t of g.querySelectorAll('text')) {
    const r = t.getBoundingClientRect();
    if (!t.textContent || r.width === 0) continue;
    const past = [box.left - r.left, r.right - box.right, box.top - r.top, r.bottom - box.bottom];
    if (Math.max(...past) > 0.5) out.push(t.textContent + ' ' + past.map(Math.round).join(','));
  }
  Plotly.purge(g);
  return out;
}"""


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing on CI (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.route("**/*", lambda route: route.abort())  # nothing from outside
        tab.set_content('<div id="g"></div>')
        tab.add_script_tag(content=PLOTLY_JS.read_text(encoding="utf-8"))
        yield tab
        browser.close()


def overflow(page: Any, fig: go.Figure, widths: tuple[int, ...] = WIDTHS) -> dict[int, list[str]]:
    spec = json.dumps(fig.to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder)
    found = {width: page.evaluate(OVERFLOW, [spec, width]) for width in widths}
    return {width: texts for width, texts in found.items() if texts}


LONG = "International Committee for the Protection of Journalists and Human Rights Defenders"


def _counts_over_time(most: int) -> pd.DataFrame:
    periods = pd.date_range("2024-01-01", periods=6, freq="MS")
    return pd.DataFrame(
        [
            {"period": p, "entity_id": f"e{i}", "name": f"{LONG[: 20 + i]}", "type": t, "n": n}
            for i, t in enumerate(["PERSON", "ORG", "GPE"])
            for p, n in zip(periods, [most, 0, most // 3, 7, 0, most // 2], strict=True)
        ]
    )


def _points(db: StoreView, scale: float) -> pd.DataFrame:
    points = db.figure_points(ALL)
    return points.assign(value=points["value"] * scale)


def _panels(n: int) -> pd.DataFrame:
    rows = []
    for panel in range(n):
        # The first two panels (left and right) draw their latest dots of many, and say so.
        values = [348_800_000_000 + 10_000_000 * d for d in range(120 if panel < 2 else 3)]
        for day, value in enumerate(values):
            rows.append(
                {
                    "figure_id": f"f{panel}-{day}",
                    "value": float(value + panel),
                    "unit": "dollars",
                    "kind": "money",
                    "counted": f"spending on item {panel} of the budget",
                    "claim": f"spending on item {panel} of the budget",
                    "claim_key": f"k{panel}",
                    "text": f"${value / 1e9:.1f} billion",
                    "source": "the ministry",
                    "sentence": "The ministry said so.",
                    "published": pd.Timestamp("2025-01-01") + pd.Timedelta(days=5 * day),
                }
            )
    return pd.DataFrame(rows)


def every_chart(db: StoreView) -> Iterator[tuple[str, go.Figure]]:
    top = db.top_entities(ALL, 15)
    yield "top entities", charts.top_entities(top)
    # Names alike in their first 34 characters ("Ministry of Foreign Affairs of ...").
    long_top = top.assign(name=[f"{LONG} {i}" for i in range(len(top))], n_mentions=123_456)
    yield "top entities, long names and big counts", charts.top_entities(long_top)
    over_time = db.aggregate("mentions_over_time", ALL, top=8, period="month")
    yield "mentions over time", charts.mentions_over_time(over_time)
    yield (
        "mentions in the hundred thousands",
        charts.mentions_over_time(_counts_over_time(123_456), period="month"),
    )
    pairs = db.aggregate("cooccurrence", ALL, top=25, level="sentence")
    yield "co-occurrence grid", charts.cooccurrence_matrix(charts.among_leading(pairs, 12))
    ids = sorted({*pairs["source"], *pairs["target"]})
    yield "network", network.figure(network.layout(pairs, dict.fromkeys(ids, 3)))
    speakers = db.aggregate("speakers", ALL, top=15)
    yield "speakers", charts.quotes_per_speaker(speakers)
    yield (
        "speakers, long names",
        charts.quotes_per_speaker(
            speakers.assign(name=[f"{LONG} {i}" for i in range(len(speakers))], n_quotes=98_765)
        ),
    )
    for scale in (1.0, 1e9):
        points = _points(db, scale)
        yield f"figure ledger x{scale:g}", figure_charts.figure_ledger(points)
        yield f"figures over time x{scale:g}", figure_charts.figure_trend(points)
    long_claims = _panels(3).assign(claim=lambda f: LONG + " " + f["claim_key"])
    yield "figure ledger, long claims", figure_charts.figure_ledger(long_claims)
    yield "twenty panels in the hundreds of billions", figure_charts.figure_trend(_panels(20))
    yield "one panel in the hundreds of billions", figure_charts.figure_trend(_panels(1))
    per_year = db.aggregate("events_by_period", ALL, period="year")
    yield "events by year", charts.events_per_period(per_year)
    yield "events by year, many", charts.events_per_period(per_year.assign(n=54_321))
    yield "reading grades", charts.readability_grades(db.readability_summary(ALL))
    events = db.event_points(ALL)
    for lane_by in ("story", "entity"):
        groups = timeline_charts.event_groups(events, lane_by=lane_by)
        yield f"timeline by {lane_by}", timeline_charts.timeline(groups)
    far = events.assign(date=events["date"].where(events.index != events.index[0], "1955-02-24"))
    yield "timeline over seventy years", timeline_charts.timeline(timeline_charts.event_groups(far))
    months = pd.date_range("2023-01-01", periods=30, freq="MS")
    hits = pd.DataFrame(
        {"period": months, "n_hits": range(1000, 31000, 1000), "n_documents": 3, "n_articles": 9}
    )
    yield "search trend", search_charts.search_trend({"potash": hits}, share=False)
    yield (
        "search share",
        search_charts.search_trend({"potash": hits.assign(share=0.25)}, share=True),
    )
    sources = ["BBC News", "Reuters", LONG]
    colours = outlet_charts.outlet_colours(sources)
    per_source = pd.DataFrame(
        [{"period": p, "source": s, "n_articles": 1200} for p in months[:6] for s in sources]
    )
    yield "articles per outlet", outlet_charts.articles_per_source(per_source, sources, colours)
    quoted = pd.DataFrame(
        [
            {"source": s, "speaker": name, "speaker_entity_id": f"e{i}", "n": 4321}
            for s in sources
            for i, name in enumerate([f"{LONG} {i}" for i in range(3)] + ["Viasna"])
        ]
    )
    yield "whom each outlet quotes", outlet_charts.speakers_per_source(quoted, sources, colours)


def test_no_chart_cuts_its_words(page: Any, db: StoreView) -> None:
    cut = {}
    for name, fig in every_chart(db):
        widths = PAGE_WIDTHS if fig.layout.annotations else WIDTHS  # the small multiples
        if found := overflow(page, fig, widths):
            cut[name] = found
    assert not cut, cut


def test_the_check_finds_a_cut_label(page: Any) -> None:
    """The check itself: a y axis of long labels in a margin too narrow for them is found."""
    fig = go.Figure(go.Bar(x=[1, 2], y=[LONG, "short"], orientation="h"))
    fig.update_layout(margin={"l": 40, "r": 10, "t": 10, "b": 30}, height=200)
    fig.update_yaxes(automargin=False)  # plotly.js would widen the margin itself
    assert overflow(page, fig)
