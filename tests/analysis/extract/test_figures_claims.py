"""Figure claims: what is counted and what happens to it, in real-looking news sentences."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.extract.entities import extract_mentions
from analysis.extract.figures import extract_figures
from analysis.extract.figures_claims import claim_lexicon


def claims(nlp: Any, make_article: Any, text: str) -> list[tuple[float, str | None]]:
    article = make_article(text)
    doc = nlp(article.text)
    return [
        (f.value, f.claim_key)
        for f in extract_figures(doc, article, extract_mentions(doc, article))
    ]


# (sentence, [(value, claim_key)])
CLAIMS: list[tuple[str, list[tuple[float, str | None]]]] = [
    # the verb the counted noun is the object of, active or passive
    ("Police arrested 123 protesters in the capital on Saturday.", [(123, "protester|arrest")]),
    ("At least 30 people were killed when a bus overturned.", [(30, "people|kill")]),
    ("Airbus delivered 735 aircraft in 2023.", [(735, "aircraft|deliver")]),
    ("The virus has infected more than 3,000 people in the province.", [(3000, "people|infect")]),
    ("Turkey has taken in 3.5 million refugees since 2011.", [(3.5e6, "refugee|take in")]),
    # the subject of an active verb, with its object
    ("Twelve people died in the fire, officials said.", [(12, "people|die")]),
    ("Some 5,000 workers lost their jobs when the plant closed.", [(5000, "worker|lose job")]),
    ("More than 1,000 people attended the funeral.", [(1000, "people|attend funeral")]),
    # conjuncts share the verb; the figure and nouns of quantity pass the role on
    (
        "Kenya deported 12 British nationals and 4 Americans.",
        [(12, "british national|deport"), (4, "american|deport")],
    ),
    ("Hundreds of residents fled the flooded villages.", [(100, "resident|flee village")]),
    ("A total of 300 people were evacuated from the area.", [(300, "people|evacuate")]),
    ("A group of 25 tourists was rescued from the mountain.", [(25, "tourist|rescue")]),
    # a verb by its preposition ("by" for the subject, "between" opens a range); a light verb
    ("The ceremony was attended by 15,000 people.", [(15000, "people|attend")]),
    (
        "The new jet will seat between 210 and 330 passengers.",
        [(210, "passenger|seat"), (330, "passenger|seat")],
    ),
    ("Police fired tear gas at 200 protesters.", [(200, "protester|fire at")]),
    ("The president has granted freedom to 123 prisoners.", [(123, "prisoner|free")]),
    ("Spain gave asylum to 300 refugees last year.", [(300, "refugee|give asylum")]),
    # event nouns name the verb
    ("Lawmakers approved the sale of 24 fighter jets to Egypt.", [(24, "fighter jet|sell")]),
    ("The deaths of 12 migrants have prompted an inquiry.", [(12, "migrant|die")]),
    # sought, possible, not
    (
        "Activists called for the immediate release of 150 detainees.",
        [(150, "detainee|release:sought")],
    ),
    (
        "The UN urged Myanmar to free 2,000 political prisoners.",
        [(2000, "political prisoner|free:sought")],
    ),
    ("The airline plans to hire 2,000 pilots.", [(2000, "pilot|hire:sought")]),
    ("The company may lay off 1,500 employees.", [(1500, "employee|lay off:possible")]),
    ("The storm could leave 2 million homes without power.", [(2e6, "home|leave:possible")]),
    ("The A380 can carry 853 passengers.", [(853, "passenger|carry:possible")]),
    ("The junta refused to free 40 journalists.", [(40, "journalist|free:not")]),
    ("The authorities have not released 600 detainees.", [(600, "detainee|release:not")]),
    # a state after "be"
    ("Twelve people are missing after the boat capsized.", [(12, "people|missing")]),
    # no predicate: the claim is what is counted
    ("The group has documented 1,227 political prisoners.", [(1227, "political prisoner")]),
    ("Belarus still holds 1,110 political prisoners.", [(1110, "political prisoner")]),
    ("The city has 2 million residents.", [(2e6, "resident")]),
    ("There are about 50,000 troops in the region.", [(50000, "troop")]),
    ("The A380 has 525 seats in a typical layout.", [(525, "seat")]),
    ("The ferry sank with 150 passengers on board.", [(150, "passenger")]),
    ("Unions demanded the reinstatement of 200 workers.", [(200, "worker")]),
    (
        "Boeing announced 35 new orders, bringing the total to 677 orders.",
        [(35, "order"), (677, "order")],
    ),
    ("Emails regarding a US$23 billion deal have been released.", [(23e9, "deal")]),
    ("The laptop weighs less than 3 lbs.", [(3, "lbs")]),
    # no counted thing, no claim; durations and ages keep their key
    ("Unemployment rose to 7.5 percent in March.", [(7.5, None)]),
    ("The talks lasted two days.", [(2, "day")]),
    ("A 63-year-old man was arrested.", [(63, "age")]),
]


@pytest.mark.parametrize(("text", "expected"), CLAIMS)
def test_claims(
    nlp: Any, make_article: Any, text: str, expected: list[tuple[float, str | None]]
) -> None:
    assert claims(nlp, make_article, text) == expected


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("Police arrested 123 protesters.", "protesters arrested"),
        ("Some 5,000 workers lost their jobs.", "workers that lost job"),
        ("Trump called for the release of 1,400 prisoners.", "prisoners whose release is sought"),
        ("The junta refused to free 40 journalists.", "journalists not freed"),
        ("The company may lay off 1,500 employees.", "employees possibly laid off"),
        ("Officials counted 1,227 political prisoners.", "political prisoners"),
    ],
)
def test_claim_is_written_from_the_counted_phrase(
    nlp: Any, make_article: Any, text: str, claim: str
) -> None:
    article = make_article(text)
    doc = nlp(article.text)
    (figure,) = extract_figures(doc, article, extract_mentions(doc, article))
    assert figure.claim == claim


def test_without_a_predicate_the_claim_is_the_counted_thing(nlp: Any, make_article: Any) -> None:
    article = make_article("Viasna counted 1,227 political prisoners and two days of talks.")
    doc = nlp(article.text)
    for f in extract_figures(doc, article, extract_mentions(doc, article)):
        assert (f.claim, f.claim_key) == (f.counted, f.counted_key)


def test_seed_claims(seed_tables: dict[str, Any]) -> None:
    by_text = {row.text: row for row in seed_tables["figures"].itertuples()}
    assert by_text["123"].claim_key == "prisoner|free"
    assert by_text["1,400"].claim_key == "prisoner|release:sought"
    assert by_text["1,227"].claim_key == "political prisoner"
    assert by_text["two days"].claim_key == by_text["two days"].counted_key


def test_claim_lexicon_loads() -> None:
    lex = claim_lexicon()
    assert lex.event_nouns["release"] == "release"
    assert "call for" in lex.sought and "could" in lex.modals
    assert set(lex.templates) == {"object", "subject", "noun", "state"}
    for marks in lex.templates.values():
        assert set(marks) == {"", "not", "sought", "sought:not", "possible", "possible:not"}
