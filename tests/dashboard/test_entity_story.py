"""An entity's story: its happenings in date order, each with its articles, quotes, figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.query import Filter, open_store
from dashboard import entity_story
from tests.dashboard.test_app import TRUMP, app, no_errors, on_page
from tests.synthetic import Synthetic


def story(root: Path, entity: str) -> list[entity_story.Happening]:
    q = open_store(root).query(Filter(entities=(entity,)))
    return entity_story.happenings(q.rows("events"), q.rows("quotes"), q.rows("figures"))


def test_an_entitys_happenings_are_in_date_order_with_their_own_articles_rows(
    synthetic: Synthetic,
) -> None:
    found = story(synthetic.root, TRUMP)
    assert found
    assert [h.date for h in found] == sorted(h.date for h in found)
    view = open_store(synthetic.root).query(Filter(entities=(TRUMP,)))
    events = view.rows("events")
    quotes = view.rows("quotes").set_index("quote_id")["doc_id"]
    figures = view.rows("figures").set_index("figure_id")["doc_id"]
    # every event about the entity is in exactly one happening
    assert events["group_id"].fillna(events["event_id"]).nunique() == len(found)
    for h in found:
        docs = {doc_id for doc_id, _ in h.articles}
        assert docs and len(docs) == len(h.articles)
        assert {quotes[q] for q, _, _ in h.quotes} <= docs
        assert {figures[f] for f, _, _ in h.figures} <= docs
        assert len(h.quotes) <= 5 and len(h.figures) <= 5


def test_nothing_dated_gives_no_story(synthetic: Synthetic) -> None:
    q = open_store(synthetic.root).query(Filter(entities=(TRUMP,)))
    assert (
        entity_story.happenings(q.rows("events").iloc[0:0], q.rows("quotes"), q.rows("figures"))
        == []
    )


def test_the_entities_page_tells_one_entitys_story(
    synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = on_page(app(synthetic.root, monkeypatch), "views/entities.py")
    assert not any("across the articles" in m.value for m in at.markdown)
    at.multiselect(key="f_entity").set_value([TRUMP]).run()
    no_errors(at)
    assert any("across the articles" in m.value for m in at.markdown)
    found = story(synthetic.root, TRUMP)
    (shown,) = [h.value for h in at.html if 'class="nl-story"' in h.value]
    assert shown.count("<details>") == min(len(found), 40) > 0
    assert entity_story.when(found[0]) in shown


def test_the_story_is_text_whatever_its_articles_say() -> None:
    import pandas as pd

    hostile = entity_story.Happening(
        "g",
        pd.Timestamp("2025-12-13"),
        None,
        "<script>alert(1)</script> freed",
        [("d1", "<b>Title</b>")],
        quotes=[("q1", "<i>Mallory</i>", "we <img src=x onerror=alert(2)> won")],
        figures=[("f1", "123 <u>prisoners</u>", "prisoners freed")],
    )
    shown = entity_story.story_html([hostile])
    assert "<script>" not in shown and "<img" not in shown and "<b>Title" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt; freed" in shown
    assert "13 December 2025" in shown and "1 article<" in shown
    assert shown.count("<details>") == 1 and "<blockquote>" in shown


@pytest.mark.parametrize(
    ("start", "end", "written"),
    [
        ("2003-01-01", "2003-12-31", "2003"),
        ("2005-04-01", "2005-04-30", "April 2005"),
        ("2005-11-11", None, "11 November 2005"),
        ("2005-11-11", "NaT", "11 November 2005"),  # a missing end, as a frame gives it
        ("NaT", "2004-11-24", "until 24 November 2004"),  # only an end (seen on Boeing)
        ("NaT", "NaT", "undated"),
        ("1990-01-01", "1999-12-31", "the 1990s"),
        ("1990-01-01", "1995-12-31", "1 January 1990 to 31 December 1995"),
        ("2005-11-11", "2005-11-11", "11 November 2005"),
        ("2009-05-03", "2009-05-05", "3 May 2009 to 5 May 2009"),
        ("2009-05-01", "2009-06-30", "1 May 2009 to 30 June 2009"),
    ],
)
def test_a_happenings_dates_read_as_written(start: str, end: str | None, written: str) -> None:
    import pandas as pd

    h = entity_story.Happening(
        "g", pd.Timestamp(start), None if end is None else pd.Timestamp(end), "", []
    )
    assert entity_story.when(h) == written
