"""Timeline: time expressions found, resolved against the publication date, described."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import Article
from analysis.extract import entities, timeline, timex_calendar

FRIDAY = date(2025, 12, 12)  # every sentence below is "published" on Friday 12 December 2025


def events(nlp, make_article, text, published=FRIDAY):  # type: ignore[no-untyped-def]
    article = make_article(text, published=published)
    doc = nlp(article.text)
    return timeline.extract_events(doc, article, entities.extract_mentions(doc, article))


def values(found):  # type: ignore[no-untyped-def]
    return [(e.span.text, e.timex, e.granularity, e.relative) for e in found]


# (sentence, [(expression as written, TIMEX3 value, granularity, relative)])
CASES = [
    # full dates
    (
        "The summit was held on 13 December, 2025 in Geneva.",
        [("13 December, 2025", "2025-12-13", "day", False)],
    ),
    (
        "Officials signed the accord on Dec. 3, 2025.",
        [("Dec. 3, 2025", "2025-12-03", "day", False)],
    ),
    (
        "The law takes effect on 2026-01-01, the ministry said.",
        [("2026-01-01", "2026-01-01", "day", False)],
    ),
    ("Voters went to the polls on Dec. 7.", [("Dec. 7", "2025-12-07", "day", True)]),
    ("The court will rule on January 15.", [("January 15", "2026-01-15", "day", True)]),
    ("The strike began on March 3 and spread quickly.", [("March 3", "2025-03-03", "day", True)]),
    (
        "The results were announced on Tuesday, December 9, 2025.",
        [("Tuesday, December 9, 2025", "2025-12-09", "day", False)],
    ),
    ("The vote was held on 13.12.2025 in Minsk.", [("13.12.2025", "2025-12-13", "day", False)]),
    ("The memo is dated 2025/12/01.", [("2025/12/01", "2025-12-01", "day", False)]),
    ("The ban ends 31 Dec '25.", [("31 Dec '25", "2025-12-31", "day", False)]),
    ("The software update, version 1.1.1, fixes the bug.", []),
    # months
    ("He had been imprisoned since July 2021.", [("July 2021", "2021-07", "month", False)]),
    ("Prices rose sharply last July.", [("last July", "2025-07", "month", True)]),
    ("The factory closed in February after a fire.", [("February", "2025-02", "month", True)]),
    ("The plant will reopen in February.", [("February", "2026-02", "month", True)]),
    (
        "The merger, announced in April, is expected to close in the fall.",
        [("April", "2025-04", "month", True), ("the fall", "2026-FA", "season", True)],
    ),
    ("Construction began in mid-July 2024.", [("mid-July 2024", "2024-07", "month", False)]),
    (
        "The first flight is expected in September of this year.",
        [("September of this year", "2025-09", "month", True)],
    ),
    # years
    ("Unemployment peaked in 2020.", [("2020", "2020", "year", False)]),
    ("Protests followed the disputed 2020 election.", [("2020", "2020", "year", False)]),
    ("The company was founded in 1891 by two brothers.", [("1891", "1891", "year", False)]),
    ("Sales in fiscal 2024 rose 4 percent.", [("fiscal 2024", "2024", "year", False)]),
    ("Since its 1967 debut the jet has sold well.", [("1967", "1967", "year", False)]),
    ("The new airport should open by at least 2030.", [("2030", "2030", "year", False)]),
    # decades and centuries
    ("The city grew rapidly in the 1990s.", [("the 1990s", "199", "decade", False)]),
    ("Inflation was this high in the early 1980s.", [("the early 1980s", "198", "decade", False)]),
    ("The bridge was built in the 19th century.", [("the 19th century", "18", "century", False)]),
    # seasons, quarters, halves
    ("The trial ended in spring 2024.", [("spring 2024", "2024-SP", "season", False)]),
    (
        "The firm expects to hire 200 workers next summer.",
        [("next summer", "2026-SU", "season", True)],
    ),
    ("Profits fell 4% in the third quarter.", [("the third quarter", "2025-Q3", "quarter", True)]),
    (
        "Revenue rose in the first half of 2025.",
        [("the first half of 2025", "2025-H1", "half", False)],
    ),
    ("Deliveries slipped to Q1 2026.", [("Q1 2026", "2026-Q1", "quarter", False)]),
    # weekdays: past tense -> the last one (a Friday in a Friday article is that day)
    ("The minister resigned on Monday.", [("Monday", "2025-12-08", "day", True)]),
    ("The ministry said Friday that talks had stalled.", [("Friday", "2025-12-12", "day", True)]),
    ("Police arrested two men on Saturday.", [("Saturday", "2025-12-06", "day", True)]),
    ("The committee will vote on Monday.", [("Monday", "2025-12-15", "day", True)]),
    ("The committee will meet again on Friday.", [("Friday", "2025-12-19", "day", True)]),
    ("The board is expected to decide on Tuesday.", [("Tuesday", "2025-12-16", "day", True)]),
    (
        "Police said on Thursday night that two men fled.",
        [("Thursday night", "2025-12-11TNI", "day", True)],
    ),
    ("The envoy arrived last Friday.", [("last Friday", "2025-12-05", "day", True)]),
    ("A second jet is travelling to Tokyo on Friday.", [("Friday", "2025-12-12", "day", True)]),
    ("The plane was due to land on Friday.", [("Friday", "2025-12-12", "day", True)]),
    ("The talks continued over the weekend.", [("the weekend", "2025-W49-WE", "week", True)]),
    ("Police said the attack happened on the 3rd.", [("the 3rd", "2025-12-03", "day", True)]),
    # relative to the publication date
    ("The envoy left Minsk yesterday.", [("yesterday", "2025-12-11", "day", True)]),
    ("Shares fell 3 percent today.", [("today", "2025-12-12", "day", True)]),
    ("The vote is scheduled for tomorrow.", [("tomorrow", "2025-12-13", "day", True)]),
    ("A second blast was heard last night.", [("last night", "2025-12-11TNI", "day", True)]),
    ("Inflation slowed last week.", [("last week", "2025-W49", "week", True)]),
    ("The envoy visited Minsk this week.", [("this week", "2025-W50", "week", True)]),
    ("The agreement was reached earlier this year.", [("earlier this year", "2025", "year", True)]),
    ("The company went bankrupt two years ago.", [("two years ago", "2023", "year", True)]),
    ("The plant closed three months ago.", [("three months ago", "2025-09", "month", True)]),
    ("Interest rates will rise next month.", [("next month", "2026-01", "month", True)]),
    ("Sales fell last year.", [("last year", "2024", "year", True)]),
    ("The reform was announced late last year.", [("late last year", "2024", "year", True)]),
    (
        "The law passed in 2019 and was repealed two years later.",
        [("2019", "2019", "year", False), ("two years later", "2021", "year", True)],
    ),
    # ranges are one event
    (
        "He served as mayor from 2019 to 2021.",
        [("from 2019 to 2021", "2019/2021", "year", False)],
    ),
    (
        "The festival ran between June and August.",
        [("between June and August", "2025-06/2025-08", "month", True)],
    ),
    (
        "Deliveries are planned for the 2010-11 period.",
        [("2010-11", "2010/2011", "year", False)],
    ),
    (
        "The fair runs June 24-26, 2026.",
        [("June 24-26, 2026", "2026-06-24/2026-06-26", "day", False)],
    ),
    # times of day
    (
        "The blast happened at 9:45 a.m. on Monday.",
        [("9:45 a.m. on Monday", "2025-12-08T09:45", "day", True)],
    ),
    ("The meeting starts at 1500 GMT.", [("1500 GMT", "2025-12-12T15:00", "day", True)]),
    (
        "The incident happened around 3:30 in the afternoon.",
        [("3:30 in the afternoon", "2025-12-12T15:30", "day", True)],
    ),
    ("Profits rose in the latest quarter.", [("the latest quarter", "2025-Q3", "quarter", True)]),
    ("The 2016 Rio Olympics drew record audiences.", [("2016", "2016", "year", False)]),
    ("Retailers hope for strong sales at Christmas.", [("Christmas", "2025-12-25", "day", True)]),
    # the present and the recent past (TIMEX3 PRESENT_REF / PAST_REF)
    ("The company currently employs 500 people.", [("currently", "PRESENT_REF", "present", True)]),
    ("Apple recently opened a store in Paris.", [("recently", "PAST_REF", "past", True)]),
    # not events: durations, frequencies, ages, counts, names, other senses
    ("This decision follows two days of talks.", []),
    ("He was jailed for three years.", []),
    ("The 55-year-old activist was released.", []),
    ("There were 2,020 people at the rally.", []),
    ("Organisers counted 2020 people at the rally.", []),
    ("The plane cruised at 2000 feet.", []),
    ("The committee meets every week.", []),
    ("Board members meet every Monday.", []),
    ("Over the past year, prices rose 8 percent.", []),
    ("The jet will replace the ageing Boeing 747 fleet.", []),
    ("The fall of the Berlin Wall changed Europe.", []),
    ("Analysts expect a fall in prices.", []),
    ("May I add that the figures are wrong?", []),
    ("The contract covers the aircraft's fifty-year service life.", []),
    ("She has worked there for decades.", []),
    ("The deal is worth 15 a year.", []),
    ("Route 2020 was closed for repairs.", []),
    ("Stocks crashed in what became known as Black Monday.", []),
    ("The museum is open from 9 a.m. to 5 p.m. daily.", []),
    ("He spent his twenties in Paris.", []),
    ("It arrives three days later than planned.", []),
]


@pytest.mark.parametrize(("sentence", "expected"), [c for c in CASES if c[1] is not None])
def test_expressions(nlp, make_article, sentence, expected):  # type: ignore[no-untyped-def]
    assert values(events(nlp, make_article, sentence)) == expected


@pytest.mark.parametrize(
    ("sentence", "first", "last"),
    [
        ("He had been imprisoned since July 2021.", date(2021, 7, 1), date(2021, 7, 31)),
        ("Inflation slowed last week.", date(2025, 12, 1), date(2025, 12, 7)),
        ("He served as mayor from 2019 to 2021.", date(2019, 1, 1), date(2021, 12, 31)),
        ("The city grew rapidly in the 1990s.", date(1990, 1, 1), date(1999, 12, 31)),
        ("The bridge was built in the 19th century.", date(1800, 1, 1), date(1899, 12, 31)),
        ("Profits fell 4% in the third quarter.", date(2025, 7, 1), date(2025, 9, 30)),
        ("The trial ended in winter 2024.", date(2024, 12, 1), date(2025, 2, 28)),
        ("The company currently employs 500 people.", FRIDAY, FRIDAY),
        ("Apple recently opened a store in Paris.", None, FRIDAY),
    ],
)
def test_first_and_last_day(nlp, make_article, sentence, first, last):  # type: ignore[no-untyped-def]
    (event,) = events(nlp, make_article, sentence)
    assert (event.date, event.end_date) == (first, last)


def test_slash_date(nlp, make_article):  # type: ignore[no-untyped-def]
    found = events(nlp, make_article, "The date matches the plane's name when written 7/8/07.")
    assert values(found) == [("7/8/07", "2007-07-08", "day", False)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The minister resigned on Monday.", [("Monday", None, "XXXX-WXX-1")]),
        ("The deal was signed earlier this year.", [("earlier this year", None, None)]),
        ("The factory closed in February.", [("February", None, "XXXX-02")]),
        ("The law passed in 2019.", [("2019", date(2019, 1, 1), "2019")]),
    ],
)
def test_without_publication_date(nlp, make_article, sentence, expected):  # type: ignore[no-untyped-def]
    found = events(nlp, make_article, sentence, published=None)
    assert [(e.span.text, e.date, e.timex) for e in found] == expected
    assert all(e.relative for e in found if e.date is None)


@pytest.mark.parametrize(
    ("sentence", "description"),
    [
        (
            "Bialiatski had been imprisoned since July 2021.",
            "Bialiatski had been imprisoned since July 2021",
        ),
        ("Protests followed the disputed 2020 election.", "the disputed 2020 election"),
        (
            "Belarus facilitated Russia's invasion of Ukraine in 2022.",
            "Belarus facilitated Russia's invasion of Ukraine in 2022",
        ),
    ],
)
def test_description(nlp, make_article, sentence, description):  # type: ignore[no-untyped-def]
    (event,) = events(nlp, make_article, sentence)
    assert event.description == description


def test_entities_are_the_sentence_entities(nlp, make_article):  # type: ignore[no-untyped-def]
    found = events(nlp, make_article, "Angela Merkel visited Paris in 2019. Prices rose in 2020.")
    assert len(found) == 2
    assert found[1].entities == ()
    assert {k.type for k in found[0].entities} >= {"PERSON", "GPE"}


def test_later_without_a_date_before_is_not_guessed(nlp, make_article):  # type: ignore[no-untyped-def]
    (event,) = events(nlp, make_article, "Two weeks later, the government collapsed.")
    assert (event.span.text, event.date, event.relative) == ("Two weeks later", None, True)


def test_narrative_anchor(nlp, make_article):  # type: ignore[no-untyped-def]
    text = "The first aircraft will be tested in 2010 and enter service three years afterwards."
    assert values(events(nlp, make_article, text)) == [
        ("2010", "2010", "year", False),
        ("three years afterwards", "2013", "year", True),
    ]


def raw_article(text, published=FRIDAY):  # type: ignore[no-untyped-def]
    """An Article around any text, even one the reader would refuse (empty, controls)."""
    return Article("t", "", "", published, "", "t.txt", text)


def test_empty_and_odd_text(nlp):  # type: ignore[no-untyped-def]
    for text in ("", " ", "“ ” ' \" 2020", "\x00\x01 May", "2020-99-99 13/13/13"):
        article = raw_article(text)
        assert isinstance(timeline.extract_events(nlp(text), article, ()), list)


def test_resolve_calendar_rules():
    spec = timex_calendar.Spec("day", weekday=4, anchor="infer")
    friday = timex_calendar.resolve(spec, FRIDAY, "past")
    assert friday is not None and friday.date == FRIDAY
    assert timex_calendar.resolve(spec, FRIDAY, "future").date == date(2025, 12, 19)  # type: ignore[union-attr]
    assert timex_calendar.easter(2024) == date(2024, 3, 31)
    assert timex_calendar.holiday_date("Thanksgiving", 2025) == date(2025, 11, 27)


# Words that trigger the patterns, with numbers that fall off the calendar and stray marks.
_TRIGGERS = (
    "in on at the of from to between and this next last said . - – ' “ ” 2020 2,020 May"
    " July Friday Monday week weekend two years days ago later now spring quarter third Q3"
    " Q4 9:45 a.m. noon morning 13 29 31 December Dec. Feb 19th 99th century 1990s 21990s"
    " 1000000 99999999999 9999 '25 13.12.2025 0:00 mid- Christmas Easter"
)
WORDS = st.sampled_from(_TRIGGERS.split(" "))
TEXTS = st.one_of(st.text(max_size=80), st.lists(WORDS, max_size=25).map(" ".join))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, published=st.one_of(st.none(), st.dates()))
def test_any_text(nlp, text, published):  # type: ignore[no-untyped-def]
    article = raw_article(text, published)
    doc = nlp(article.text)
    for event in timeline.extract_events(doc, article, ()):
        assert article.text[event.span.start : event.span.end] == event.span.text
        assert event.span.text.strip()
        assert event.span.sentence_start <= event.span.start
        assert event.granularity in timex_calendar.GRANULARITIES
        if event.date and event.end_date:
            assert event.date <= event.end_date


# --- the seed article -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_events(seed_article, seed_doc):  # type: ignore[no-untyped-def]
    mentions = entities.extract_mentions(seed_doc, seed_article)
    return timeline.extract_events(seed_doc, seed_article, mentions)


def test_seed_july_2021(seed_events):  # type: ignore[no-untyped-def]
    (july,) = [e for e in seed_events if e.span.text == "July 2021"]
    assert (july.date, july.end_date, july.granularity) == (
        date(2021, 7, 1),
        date(2021, 7, 31),
        "month",
    )
    assert "Ales Bialiatski" in [k.name for k in july.entities]


def test_seed_years(seed_events):  # type: ignore[no-untyped-def]
    years = [(e.span.text, e.granularity) for e in seed_events if e.span.text in ("2020", "2022")]
    assert years == [("2020", "year"), ("2020", "year"), ("2022", "year")]


def test_seed_earlier_this_year(seed_events):  # type: ignore[no-untyped-def]
    (event,) = [e for e in seed_events if e.span.text == "earlier this year"]
    assert (event.date, event.end_date, event.granularity, event.relative) == (
        date(2025, 1, 1),
        date(2025, 12, 31),
        "year",
        True,
    )


def test_seed_no_duration(seed_events):  # type: ignore[no-untyped-def]
    assert not [e for e in seed_events if "two days" in e.span.text]
    for event in seed_events:
        assert event.span.text in event.span.sentence


@pytest.mark.corpus
def test_shared_corpus(nlp, shared_corpus):  # type: ignore[no-untyped-def]
    from analysis.corpus import load_corpus
    from analysis.nlp import parse

    corpus = load_corpus([shared_corpus / "wikinews"])
    total = 0
    for article, doc in parse(nlp, corpus.articles[:20]):
        found = timeline.extract_events(doc, article, entities.extract_mentions(doc, article))
        for event in found:
            assert article.text[event.span.start : event.span.end] == event.span.text
        total += len(found)
    assert total > 40


# (sentence, publication date, [(expression, first day, last day, granularity)]): issue 18's
# classes, with sentences that must not change beside them.
MONDAY = date(2025, 12, 15)
DATED = [
    (  # a year-less date in a future or hypothetical clause takes the coming one
        "The tour's first stop, on November 11, may be dropped.",
        date(2005, 11, 5),
        [("November 11", date(2005, 11, 11), date(2005, 11, 11), "day")],
    ),
    (
        "The summit will be held on January 20.",
        date(2005, 11, 5),
        [("January 20", date(2006, 1, 20), date(2006, 1, 20), "day")],
    ),
    (  # must not change: a past one stays in the past
        "The museum opened on November 2.",
        date(2005, 11, 5),
        [("November 2", date(2005, 11, 2), date(2005, 11, 2), "day")],
    ),
    (  # "this weekend" in a past-tense sentence of a Monday is the weekend just gone
        "Protesters gathered in the capital this weekend.",
        MONDAY,
        [("this weekend", date(2025, 12, 13), date(2025, 12, 14), "week")],
    ),
    (  # must not change: in a future sentence it is the coming one
        "The festival will be held this weekend.",
        MONDAY,
        [("this weekend", date(2025, 12, 20), date(2025, 12, 21), "week")],
    ),
    (
        "The exhibition ran from May to August of 2009.",
        date(2010, 1, 4),
        [("from May to August of 2009", date(2009, 5, 1), date(2009, 8, 31), "month")],
    ),
    (  # ... however long after it was published
        "The exhibition ran from May to August of 2009.",
        date(2025, 12, 13),
        [("from May to August of 2009", date(2009, 5, 1), date(2009, 8, 31), "month")],
    ),
    (  # must not change: a start after the end is in the year before
        "The season ran from December to February 2025.",
        date(2025, 12, 13),
        [("from December to February 2025", date(2024, 12, 1), date(2025, 2, 28), "month")],
    ),
    (
        "The talks are set for 3-5 May 2025.",
        date(2025, 4, 1),
        [("3-5 May 2025", date(2025, 5, 3), date(2025, 5, 5), "day")],
    ),
    (  # a year an editor put in brackets dates the month before it, as one expression
        "He said the deal was signed in November [2014].",
        date(2015, 3, 1),
        [("November [2014]", date(2014, 11, 1), date(2014, 11, 30), "month")],
    ),
    (
        "The company was founded on March 3 [2009] in Ohio.",
        date(2015, 3, 1),
        [("March 3 [2009]", date(2009, 3, 3), date(2009, 3, 3), "day")],
    ),
    (  # ordinal weeks and months
        "The results will come in the second week of August.",
        date(2025, 7, 1),
        [("the second week of August", date(2025, 8, 8), date(2025, 8, 14), "week")],
    ),
    (
        "Talks collapsed in the last week of June 2009.",
        date(2009, 9, 1),
        [("the last week of June 2009", date(2009, 6, 24), date(2009, 6, 30), "week")],
    ),
    (
        "The deal closed in the third month of the year.",
        date(2025, 7, 1),
        [("the third month of the year", date(2025, 3, 1), date(2025, 3, 31), "month")],
    ),
    (  # numeric and abbreviated styles
        "The memo was dated 08-FEB-17.",
        date(2017, 3, 1),
        [("08-FEB-17", date(2017, 2, 8), date(2017, 2, 8), "day")],
    ),
    (
        "The policy took effect on 2010-1-1.",
        date(2010, 3, 1),
        [("2010-1-1", date(2010, 1, 1), date(2010, 1, 1), "day")],
    ),
    (
        "The show runs 12 March 2024 - 20 April 2024.",
        date(2024, 3, 1),
        [("12 March 2024 - 20 April 2024", date(2024, 3, 12), date(2024, 4, 20), "day")],
    ),
    ("The second week of training was hard, the coach said.", date(2025, 7, 1), []),
    ("Version 08-FEB is not a date.", date(2025, 7, 1), []),
]


@pytest.mark.parametrize(("sentence", "published", "expected"), DATED)
def test_dated_classes(nlp, make_article, sentence, published, expected):  # type: ignore[no-untyped-def]
    found = events(nlp, make_article, sentence, published=published)
    assert [(e.span.text, e.date, e.end_date, e.granularity) for e in found] == expected


# (sentence, publication date, [(expression, first day, last day, TIMEX3 value)]): a quarter,
# half or fiscal year followed by a clause that says when it ends is the period ending that day
# (issue 18); quarters with no such clause stay calendar quarters.
DEFINED = [
    (
        "Shipments rose 12% in the first quarter of the financial year, which ended December"
        " 30, 2006.",
        date(2007, 1, 18),
        [
            (
                "the first quarter of the financial year",
                date(2006, 10, 1),
                date(2006, 12, 30),
                "2006-Q4",
            ),
            ("December 30, 2006", date(2006, 12, 30), date(2006, 12, 30), "2006-12-30"),
        ],
    ),
    (
        "The retailer reported a loss for the fiscal year ending June 30, 2007.",
        date(2007, 8, 10),
        [
            ("the fiscal year", date(2006, 7, 1), date(2007, 6, 30), "2007"),
            ("June 30, 2007", date(2007, 6, 30), date(2007, 6, 30), "2007-06-30"),
        ],
    ),
    (  # a year-less end: the tense places it, the quarter follows
        "Sales climbed in its fiscal first quarter, which ended March 31.",
        date(2009, 4, 22),
        [
            ("fiscal first quarter", date(2009, 1, 1), date(2009, 3, 31), "2009-Q1"),
            ("March 31", date(2009, 3, 31), date(2009, 3, 31), "2009-03-31"),
        ],
    ),
    (
        "Analysts expect strong sales in the current quarter, which ends on June 26.",
        date(2010, 6, 16),
        [
            ("the current quarter", date(2010, 3, 27), date(2010, 6, 26), "2010-Q2"),
            ("June 26", date(2010, 6, 26), date(2010, 6, 26), "2010-06-26"),
        ],
    ),
    (
        "Revenue for fiscal year 2008, which ended Sept. 27, 2008, rose 35 percent.",
        date(2008, 10, 21),
        [
            ("fiscal year 2008", date(2007, 9, 28), date(2008, 9, 27), "2008"),
            ("Sept. 27, 2008", date(2008, 9, 27), date(2008, 9, 27), "2008-09-27"),
        ],
    ),
    (  # a bare half is a time where the clause after it says the month it ends in
        "Net income rose 8% in the first half, which ended in June, the company said.",
        date(2008, 7, 24),
        [
            ("the first half", date(2008, 1, 1), date(2008, 6, 30), "2008-H1"),
            ("June", date(2008, 6, 1), date(2008, 6, 30), "2008-06"),
        ],
    ),
    (  # a fiscal half: the six months to that day, not a calendar half
        "The carmaker lost money in the first half, which ended September 30, 2009.",
        date(2009, 11, 5),
        [
            ("the first half", date(2009, 4, 1), date(2009, 9, 30), "2009-H2"),
            ("September 30, 2009", date(2009, 9, 30), date(2009, 9, 30), "2009-09-30"),
        ],
    ),
    (
        "Sales were flat in the first half of the year, which ended June 30, the group said.",
        date(2010, 8, 2),
        [
            ("the first half of the year", date(2010, 1, 1), date(2010, 6, 30), "2010-H1"),
            ("June 30", date(2010, 6, 30), date(2010, 6, 30), "2010-06-30"),
        ],
    ),
    # must not change: a half of a match, or one whose clause ends it in no month
    ("He scored twice in the first half, and the team won 3-1.", FRIDAY, []),
    ("The first half, which ended in a 1-1 draw, was scrappy.", FRIDAY, []),
    # must not change: calendar quarters, a date that does not end the quarter
    (
        "Profits fell 4% in the third quarter.",
        FRIDAY,
        [("the third quarter", date(2025, 7, 1), date(2025, 9, 30), "2025-Q3")],
    ),
    (
        "The fourth quarter of 2006 was the best in the company's history.",
        FRIDAY,
        [("The fourth quarter of 2006", date(2006, 10, 1), date(2006, 12, 31), "2006-Q4")],
    ),
    (
        "Sales rose in the first quarter, and the chief executive resigned on March 31.",
        date(2025, 4, 15),
        [
            ("the first quarter", date(2025, 1, 1), date(2025, 3, 31), "2025-Q1"),
            ("March 31", date(2025, 3, 31), date(2025, 3, 31), "2025-03-31"),
        ],
    ),
    (  # a fiscal year with no end named is no date
        "The fiscal year starts in July.",
        date(2025, 4, 15),
        [("July", date(2025, 7, 1), date(2025, 7, 31), "2025-07")],
    ),
]


@pytest.mark.parametrize(("sentence", "published", "expected"), DEFINED)
def test_defined_periods(nlp, make_article, sentence, published, expected):  # type: ignore[no-untyped-def]
    found = events(nlp, make_article, sentence, published=published)
    assert [(e.span.text, e.date, e.end_date, e.timex) for e in found] == expected


# (sentence, {expression: description}): a date in a participle clause is described by that
# clause and the noun it describes, never by another clause's subject glued to its verb; a date
# on a second predicate by that phrase; an editor's bracketed year stays whole (issue 18).
DESCRIBED = [
    (
        "The 787 will be the basis for a stretched version of the jet, announced last November.",
        {"last November": "a stretched version of the jet, announced last November"},
    ),
    (
        "The merger, announced in April, is expected to close in the fall.",
        {
            "April": "The merger, announced in April",
            "the fall": "The merger is expected to close in the fall",
        },
    ),
    (
        "The jets, delivered in 2009, were grounded after a fire.",
        {"2009": "The jets, delivered in 2009"},
    ),
    (
        "Shareholders approved the plan, first proposed in March 2012 by the board.",
        {"March 2012": "the plan, first proposed in March 2012 by the board"},
    ),
    (
        "Founded in 1976, the company employs 100,000 people.",
        {"1976": "Founded in 1976, the company"},
    ),
    (
        "The retailer reported a loss for the fiscal year ending June 30, 2007.",
        {
            "the fiscal year": "The retailer reported a loss for the fiscal year",
            "June 30, 2007": "the fiscal year ending June 30, 2007",
        },
    ),
    (
        "2007 was the year of the iPhone, then the iPad in 2010.",
        {"2007": "2007 was the year of the iPhone", "2010": "the iPad in 2010"},
    ),
    (
        "He said the deal was signed in November [2014].",
        {"November [2014]": "the deal was signed in November [2014]"},
    ),
    (
        "The firm sold its phones in Europe, and its laptops in Asia in 2011.",
        {"2011": "its laptops in Asia in 2011"},
    ),
    # an object's predicate belongs to the clause
    ("The board named him chairman in 2019.", {"2019": "The board named him chairman in 2019"}),
    (
        "Voters made the tax law a priority in 2018.",
        {"2018": "Voters made the tax law a priority in 2018"},
    ),
    # must not change: a participle that joins its clause, relative clauses with a subject,
    # coordinated objects
    ("He visited Paris and Rome in 2010.", {"2010": "He visited Paris and Rome in 2010"}),
    (
        "The airline expects to take delivery of the aircraft in May 2008.",
        {"May 2008": "The airline expects to take delivery of the aircraft in May 2008"},
    ),
    (
        "The strike, which began on Monday, has halted production.",
        {"Monday": "The strike began on Monday"},
    ),
    (
        "Apple launched the store on April 28, 2003.",
        {"April 28, 2003": "Apple launched the store on April 28, 2003"},
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), DESCRIBED)
def test_clause_descriptions(nlp, make_article, sentence, expected):  # type: ignore[no-untyped-def]
    found = events(nlp, make_article, sentence, published=date(2015, 3, 1))
    assert {e.span.text: e.description for e in found} == expected
