"""One entity's story across the corpus: the happenings it takes part in, in date order, each
with the articles that report it and those articles' quotes and figures about the entity.

Built from rows the query layer has already cut to the entity (its "about" rule), so the
section shows what every other table shows under the same filter.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from dashboard import timeline_charts
from dashboard.formatting import plural


@dataclass(frozen=True)
class Happening:
    """A dated happening the entity is in: when, what, and what its articles report of it."""

    group_id: str
    date: pd.Timestamp
    end_date: pd.Timestamp | None
    description: str
    articles: list[tuple[str, str]]  # (doc_id, title), first published first
    quotes: list[tuple[str, str, str]] = field(default_factory=list)  # (quote_id, speaker, text)
    figures: list[tuple[str, str, str]] = field(default_factory=list)  # (figure_id, text, claim)


def happenings(
    events: pd.DataFrame,
    quotes: pd.DataFrame,
    figures: pd.DataFrame,
    *,
    per_happening: int = 5,
) -> list[Happening]:
    """The happenings of `events` in date order (one per event group), each with its articles
    and, from those articles, up to `per_happening` quotes and figures (in text order)."""
    if events.empty:
        return []
    groups = timeline_charts.event_groups(events).sort_values(["date", "group_id"])
    titles = (
        events.sort_values(["published", "doc_id"], na_position="last")
        .drop_duplicates("doc_id")
        .set_index("doc_id")["article"]
        .astype(str)
    )
    order = {doc_id: k for k, doc_id in enumerate(titles.index)}
    by_event = events.set_index("event_id")["doc_id"]
    by_doc_quotes = _by_doc(quotes, ["quote_id", "speaker", "text"])
    by_doc_figures = _by_doc(figures, ["figure_id", "text", "claim"])
    out = []
    for row in groups.to_dict("records"):
        docs = sorted({str(by_event[e]) for e in row["event_ids"]}, key=order.__getitem__)
        end = row["end_date"]
        out.append(
            Happening(
                group_id=str(row["group_id"]),
                date=pd.Timestamp(row["date"]),
                end_date=None if pd.isna(end) else pd.Timestamp(end),
                description=str(row["description"] or row["text"] or ""),
                articles=[(d, titles[d]) for d in docs],
                quotes=_take(by_doc_quotes, docs, per_happening),
                figures=_take(by_doc_figures, docs, per_happening),
            )
        )
    return out


def when(h: Happening) -> str:
    """The happening's dates as a reader writes them: 2003, April 2005, 11 November 2005, or a
    span of days."""
    start = h.date
    end = h.date if h.end_date is None or pd.isna(h.end_date) else h.end_date  # NaT: one day
    if pd.isna(start):  # only an end known ("by November 2004")
        return "undated" if pd.isna(end) else f"until {end.day} {end:%B %Y}"
    if start == end or start.date() == end.date():
        return f"{start.day} {start:%B %Y}"
    if start.is_year_start and end.is_year_end and start.year == end.year:
        return f"{start.year}"
    decade = start.year % 10 == 0 and end.year == start.year + 9
    if start.is_year_start and end.is_year_end and decade:
        return f"the {start.year}s"
    if start.day == 1 and end.is_month_end and (start.year, start.month) == (end.year, end.month):
        return f"{start:%B %Y}"
    return f"{start.day} {start:%B %Y} to {end.day} {end:%B %Y}"


def _by_doc(frame: pd.DataFrame, columns: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    """The rows' `columns` as strings, by article, in text order."""
    if frame.empty:
        return {}
    rows = frame.sort_values(["doc_id", "start"])
    out: dict[str, list[tuple[str, str, str]]] = {}
    for doc_id, *values in rows[["doc_id", *columns]].itertuples(index=False):
        a, b, c = ("" if pd.isna(v) else str(v) for v in values)
        out.setdefault(str(doc_id), []).append((a, b, c))
    return out


def _take(
    by_doc: dict[str, list[tuple[str, str, str]]], docs: list[str], n: int
) -> list[tuple[str, str, str]]:
    """The first `n` rows of the articles `docs`, article by article."""
    taken: list[tuple[str, str, str]] = []
    for doc_id in docs:
        taken += by_doc.get(doc_id, [])[: n - len(taken)]
        if len(taken) >= n:
            break
    return taken


# The list's look: Streamlit's expanders (a thin border, rounded, the summary in the body font).
STORY_STYLE = """<style>
.nl-story details {border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem;
  margin: 0 0 0.5rem 0; padding: 0.5rem 1rem;}
.nl-story summary {cursor: pointer; font-size: 0.95rem;}
.nl-story details[open] summary {margin-bottom: 0.5rem;}
.nl-story .nl-by {color: rgba(49, 51, 63, 0.6); font-size: 0.85rem; margin: 0 0 0.4rem 0;}
.nl-story blockquote {border-left: 3px solid rgba(49, 51, 63, 0.2); margin: 0.3rem 0;
  padding: 0 0 0 0.7rem;}
.nl-story p {margin: 0.3rem 0;}
</style>"""


def story_html(found: list[Happening]) -> str:
    """The happenings as one list of collapsed entries (`<details>`), each opening on the
    articles that report it and their quotes and figures: one element for the browser to draw,
    where an expander each made forty and more (a tenth of a second on every entity picked).
    Every text is escaped: an article's words are never markup."""

    def esc(text: str) -> str:
        return html.escape(text, quote=False)

    items = []
    for h in found:
        n = len(h.articles)
        body = [
            f'<p class="nl-by">Reported by: {esc("; ".join(title for _d, title in h.articles))}</p>'
        ]
        body += [
            f"<blockquote>“{esc(text)}” ({esc(speaker or 'unknown speaker')})</blockquote>"
            for _quote, speaker, text in h.quotes
        ]
        body += [
            f"<p>Figure: <b>{esc(text)}</b>{', ' + esc(claim) if claim else ''}</p>"
            for _figure, text, claim in h.figures
        ]
        summary = f"{esc(when(h))}: {esc(h.description)} · {n} {plural('article', n)}"
        items.append(f"<details><summary>{summary}</summary>{''.join(body)}</details>")
    return f'{STORY_STYLE}<div class="nl-story">{"".join(items)}</div>'
