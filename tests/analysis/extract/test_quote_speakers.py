"""Speakers of quotes (issue 18): titles inside the speaker's phrase, nominal speakers, frames."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.extract.entities import extract_mentions
from analysis.extract.quotes import extract_quotes

Who = tuple[str, str | None]  # (quote text, speaker: entity name, else as written)


def speakers(nlp: Any, make_article: Any, text: str) -> list[Who]:
    article = make_article(text)
    doc = nlp(article.text)
    quotes = extract_quotes(doc, article, extract_mentions(doc, article))
    return [
        (q.span.text, q.speaker_entity.name if q.speaker_entity else q.speaker)
        for q in quotes
        if q.kind != "title"
    ]


# -- the person at the end of a title: the title is not the speaker --------------------------

TITLED: list[tuple[str, str, list[Who]]] = [
    (
        "title of X for brief, transcript label",
        "Civilian Deputy Undersecretary of the Air Force for Acquisition Darleen Druyun: "
        '"We will not let this stand."',
        [("We will not let this stand.", "Darleen Druyun")],
    ),
    (
        "title for brief, name untagged by the model",
        "European Commissioner for Competition Neelie Kroes said: "
        '"This is a serious breach of the rules."',
        [("This is a serious breach of the rules.", "Neelie Kroes")],
    ),
    (
        "two titles joined by 'and'",
        'The company president and CEO Louis Gallois said "we are delighted with the result."',
        [("we are delighted with the result.", "Louis Gallois")],
    ),
    # written after the rule, to check it generalises
    (
        "title of the brief",
        "“The tanker is ready,” Secretary of the Navy Richard Danzig said.",
        [("The tanker is ready,", "Richard Danzig")],
    ),
    (
        "title of State for brief",
        "Former Secretary of State for Defence Geoff Hoon said: “The aircraft will be leased.”",
        [("The aircraft will be leased.", "Geoff Hoon")],
    ),
    (
        "lower-case brief",
        "“We are proud,” said Boeing's vice president for sales Randy Baseler.",
        [("We are proud,", "Randy Baseler")],
    ),
    (
        "must not change: a spokesman for someone is not that someone",
        "“We have to act,” a spokesman for John McCain said.",
        [("We have to act,", "spokesman")],
    ),
    (
        "must not change: the president of an organisation",
        "“This is the best tanker,” the president of Northrop Grumman said.",
        [("This is the best tanker,", "president of Northrop Grumman")],
    ),
    (
        "must not change: a title before the name",
        "“The bid was fair,” Air Force Secretary Michael Wynne said.",
        [("The bid was fair,", "Michael Wynne")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in TITLED], ids=[c[0] for c in TITLED])
def test_titled_speaker_is_the_person(
    nlp: Any, make_article: Any, text: str, expected: list[Who]
) -> None:
    assert speakers(nlp, make_article, text) == expected


# -- the title kept apart: `speaker_title`, as written beside the name -----------------------

TITLES: list[tuple[str, str, str, str | None]] = [
    (
        "title and brief before the name",
        "European Commissioner for Competition Neelie Kroes said: “This breaks the rules.”",
        "Neelie Kroes",
        "European Commissioner for Competition",
    ),
    (
        "transcript label",
        "Deputy Undersecretary of the Air Force for Acquisition Darleen Druyun: “We will not "
        "let this stand.”",
        "Darleen Druyun",
        "Deputy Undersecretary of the Air Force for Acquisition",
    ),
    (
        "two titles joined",
        "The company president and CEO Louis Gallois said “we are delighted with the result.”",
        "Louis Gallois",
        "company president and CEO",
    ),
    (
        "inverted order",
        "“We had a strong month,” responded national finance director Dennis Cheng.",
        "Dennis Cheng",
        "national finance director",
    ),
    (
        "apposition after the name",
        "“Sales were strong,” said Tim Cook, Apple's chief executive.",
        "Tim Cook",
        "Apple's chief executive",
    ),
    (
        "apposition before the name",
        "“The talks failed,” the foreign minister, Sergei Lavrov, told reporters.",
        "Sergei Lavrov",
        "foreign minister",
    ),
    (
        "a hyphenated title whole",
        "The vice-president, Greg Joswiak, said “the phone sells itself.”",
        "Greg Joswiak",
        "vice-president",
    ),
    (
        "label with the role after the name",
        "Randy Baseler, Boeing vice president: “The tanker is ours to lose.”",
        "Randy Baseler",
        "Boeing vice president",
    ),
    # must not change: no title beside the name
    ("courtesy title only", "“No comment,” said Mr. Smith.", "Smith", None),
    ("affiliation only", "“It was a mistake,” said Boeing's Randy Baseler.", "Randy Baseler", None),
    (
        "a relative clause is no title",
        "“We are ready,” said John Smith, who leads the union.",
        "John Smith",
        None,
    ),
    (
        "place and time after the name",
        "“The talks failed,” said Sergei Lavrov in Moscow on Monday.",
        "Sergei Lavrov",
        None,
    ),
]


@pytest.mark.parametrize(
    ("text", "speaker", "title"), [c[1:] for c in TITLES], ids=[c[0] for c in TITLES]
)
def test_speaker_title_is_kept_apart(
    nlp: Any, make_article: Any, text: str, speaker: str, title: str | None
) -> None:
    article = make_article(text)
    doc = nlp(article.text)
    mentions = extract_mentions(doc, article)
    (quote,) = [q for q in extract_quotes(doc, article, mentions) if q.kind != "title"]
    assert quote.speaker_entity is not None and quote.speaker_entity.name == speaker
    assert quote.speaker_title == title
    if title is not None:  # the title is the words written there, and names no entity
        assert title in text
        assert all(m.span.text != title for m in mentions)


# -- 'the company said': the organisation the article has been talking about -----------------

NOMINAL: list[tuple[str, str, list[Who]]] = [
    (
        "the company",
        "Boeing said the deal was unfair. “We will protest the decision,” the company said.",
        [("We will protest the decision,", "Boeing")],
    ),
    (
        "the ministry",
        "The Russian Foreign Ministry issued a statement on Monday. "
        "“We regret the decision,” the ministry added.",
        [("We regret the decision,", "Russian Foreign Ministry")],
    ),
    (
        "the newspaper, introduced as one",
        "Boeing lost the contract, the Seattle Times newspaper reported on Friday. "
        "“The loss will cost 40,000 jobs,” the newspaper wrote.",
        [("The loss will cost 40,000 jobs,", "Seattle Times")],
    ),
    # written after the rule, to check it generalises
    (
        "the daily, introduced in apposition",
        "The report appeared in Le Figaro, a French daily. Airbus denied it. "
        "“The deal is done,” the daily wrote.",
        [("The deal is done,", "Le Figaro")],
    ),
    (
        "the subject of the sentence before, not the last name in it",
        "Ryanair ordered five jets from Boeing. “These aircraft will serve new routes,” the "
        "airline said.",
        [("These aircraft will serve new routes,", "Ryanair")],
    ),
    (
        "a business is not a name written after 'the'",
        "The Pentagon awarded the contract to Northrop Grumman on Friday. "
        "“We are disappointed,” the company said.",
        [("We are disappointed,", "Northrop Grumman")],
    ),
    (
        "the company's own 'the' is the website's",
        "In a statement on the Airbus website, the company said that “the delay was caused by "
        "the wiring”.",
        [("the delay was caused by the wiring", "Airbus")],
    ),
    (
        "must not change: 'a company' is not one named before",
        "Boeing won the order. “The order is a vote of confidence,” a company said.",
        [("The order is a vote of confidence,", "company")],
    ),
    (
        "must not change: a daily the article never introduced",
        "Boeing said the deal was unfair. “The deal is done,” the daily wrote.",
        [("The deal is done,", "daily")],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in NOMINAL], ids=[c[0] for c in NOMINAL]
)
def test_nominal_speaker_is_the_organisation(
    nlp: Any, make_article: Any, text: str, expected: list[Who]
) -> None:
    assert speakers(nlp, make_article, text) == expected


# -- speech verbs and frames ------------------------------------------------------------------

Cued = tuple[str, str | None, str | None]  # (quote text, speaker, cue)


def cued(nlp: Any, make_article: Any, text: str) -> list[Cued]:
    article = make_article(text)
    doc = nlp(article.text)
    quotes = extract_quotes(doc, article, extract_mentions(doc, article))
    return [
        (q.span.text, q.speaker_entity.name if q.speaker_entity else q.speaker, q.cue)
        for q in quotes
        if q.kind != "title"
    ]


FRAMES: list[tuple[str, str, list[Cued]]] = [
    (
        "an interposed phrase and a verb of blurting",
        "Steve Jobs, in an interview with CNN, blurted out, “We are going to sell millions.”",
        [("We are going to sell millions.", "Steve Jobs", "blurted out")],
    ),
    (
        "inverted order with a title",
        "“We had a strong month,” responded national finance director Dennis Cheng.",
        [("We had a strong month,", "Dennis Cheng", "responded")],
    ),
    (
        "Name, role: “…”",
        "Randy Baseler, Boeing vice president: “The tanker competition was not fair.”",
        [("The tanker competition was not fair.", "Randy Baseler", None)],
    ),
    (
        "a message that begins",
        "The email was sent on Friday. “Dear colleagues, we have won,” the email began.",
        [("Dear colleagues, we have won,", "email", "began")],
    ),
    # written after the rule, to check it generalises
    (
        "another verb of scorn after an interposed phrase",
        "Mark Zuckerberg, speaking on stage in San Francisco, scoffed, “Nobody reads the terms.”",
        [("Nobody reads the terms.", "Mark Zuckerberg", "scoffed")],
    ),
    (
        "a sign that reads",
        "The sign on the factory gate was blunt. “No more layoffs,” the sign read.",
        [("No more layoffs,", "sign", "read")],
    ),
    (
        "Name, a role for X: “…”",
        "Jane Doe, a spokeswoman for the airline: “All flights will resume on Monday.”",
        [("All flights will resume on Monday.", "Jane Doe", None)],
    ),
    (
        "must not change: a meeting that begins says nothing",
        "“We will win the appeal,” the meeting began.",
        [("We will win the appeal,", None, None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in FRAMES], ids=[c[0] for c in FRAMES])
def test_speech_verbs_and_frames(
    nlp: Any, make_article: Any, text: str, expected: list[Cued]
) -> None:
    assert cued(nlp, make_article, text) == expected


# -- a standalone quote whose next sentence names its speaker ---------------------------------

DESCRIBED_AFTER: list[tuple[str, str, list[Cued]]] = [
    (
        "That was how NAME described it",
        "“It’s 1,000 songs in your pocket.” That was how Steve Jobs once described the iPod.",
        [("It’s 1,000 songs in your pocket.", "Steve Jobs", "described")],
    ),
    (
        "Those were the words of NAME",
        "“We will not back down.” Those were the words of union leader Ann Lee on Monday.",
        [("We will not back down.", "Ann Lee", None)],
    ),
    (
        "This is what NAME told",
        "“We have never been stronger.” This is what chief executive Tim Cook told investors "
        "in January.",
        [("We have never been stronger.", "Tim Cook", "told")],
    ),
    (
        "the words of a titled name",
        "“The plan is dead.” Those were the words of Senator John Smith after the vote.",
        [("The plan is dead.", "John Smith", None)],
    ),
    # must not change
    (
        "a verb of belief, not of speech",
        "“The plan is dead.” That is what many voters believe, according to a poll.",
        [("The plan is dead.", None, None)],
    ),
    (
        "no how or what before the verb",
        "“No comment.” That was all the spokesman would say.",
        [("No comment.", None, None)],
    ),
    (
        "a quote with its own speaker, and a verb of seeing after it",
        "“The plan is dead,” Smith said. That was how John Brown saw it too.",
        [("The plan is dead,", "Smith", "said")],
    ),
    (
        "a speaker with no name",
        "“Cheap and cheerful.” That was how the magazine described the car.",
        [("Cheap and cheerful.", None, None)],
    ),
    (
        "the words as subject, not a demonstrative frame",
        "“Let them eat cake.” Those words are often attributed to Marie Antoinette.",
        [("Let them eat cake.", None, None)],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [c[1:] for c in DESCRIBED_AFTER],
    ids=[c[0] for c in DESCRIBED_AFTER],
)
def test_speaker_named_in_the_next_sentence(
    nlp: Any, make_article: Any, text: str, expected: list[Cued]
) -> None:
    assert cued(nlp, make_article, text) == expected
