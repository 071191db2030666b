"""Entity mentions, aliases within an article, corpus linking: real news sentences in tables."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.corpus import ArticleError, build_article
from analysis.extract.entities import (
    LABELS,
    VERSION,
    DocEntity,
    entity_id,
    extract_mentions,
    link_corpus,
    sentence_entities,
)
from analysis.pipeline import analyze_texts
from analysis.records import EntityKey
from analysis.tables import build_entities

Triple = tuple[str, str, str]  # (text as written, entity type, canonical name)


def triples(nlp: Any, make_article: Any, text: str) -> list[Triple]:
    article = make_article(text)
    mentions = extract_mentions(nlp(article.text), article)
    return [(m.span.text, m.entity.type, m.entity.name) for m in mentions]


# -- mentions: clean spans, types, aliases within one article ---------------------------------

MENTIONS: list[tuple[str, list[Triple]]] = [
    (
        "German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris on Tuesday.",
        [
            ("German", "NORP", "German"),
            ("Olaf Scholz", "PERSON", "Olaf Scholz"),  # tagged ORG; the title says person
            ("French", "NORP", "French"),
            ("Emmanuel Macron", "PERSON", "Emmanuel Macron"),
            ("Paris", "GPE", "Paris"),
        ],
    ),
    (
        "The European Union imposed new tariffs on steel, and EU officials said the measures "
        "would take effect in March.",
        [("European Union", "ORG", "European Union"), ("EU", "ORG", "European Union")],
    ),
    (
        "The United States and Japan signed the accord, which U.S. negotiators called historic.",
        [
            ("United States", "GPE", "United States"),
            ("Japan", "GPE", "Japan"),
            ("U.S.", "GPE", "United States"),
        ],
    ),
    (
        "Prime Minister Keir Starmer said on Monday that Starmer's government would not back down.",
        [("Keir Starmer", "PERSON", "Keir Starmer"), ("Starmer", "PERSON", "Keir Starmer")],
    ),
    (
        "Shares of Apple Inc. rose 3% after Apple reported record iPhone sales in China.",
        [
            ("Apple Inc.", "ORG", "Apple Inc."),
            ("Apple", "ORG", "Apple Inc."),
            ("China", "GPE", "China"),
        ],
    ),
    (
        "The Federal Bureau of Investigation (FBI) opened an inquiry, but the FBI declined to "
        "comment further.",
        [
            ("Federal Bureau of Investigation", "ORG", "Federal Bureau of Investigation"),
            ("FBI", "ORG", "Federal Bureau of Investigation"),
            ("FBI", "ORG", "Federal Bureau of Investigation"),
        ],
    ),
    (
        "Kenyan runner Faith Kipyegon won the 1,500 metres in Nairobi, and Kipyegon said she "
        "was delighted.",
        [
            ("Kenyan", "NORP", "Kenyan"),
            ("Faith Kipyegon", "PERSON", "Faith Kipyegon"),
            ("Nairobi", "GPE", "Nairobi"),
            ("Kipyegon", "PERSON", "Faith Kipyegon"),  # tagged ORG: a surname of this article
        ],
    ),
    (
        "Microsoft's chief executive, Satya Nadella, spoke at a conference in Seattle.",
        [
            ("Microsoft", "ORG", "Microsoft"),
            ("Satya Nadella", "PERSON", "Satya Nadella"),
            ("Seattle", "GPE", "Seattle"),
        ],
    ),
    (
        "Officials at the World Health Organization warned that cases were rising across Brazil.",
        [
            ("World Health Organization", "ORG", "World Health Organization"),
            ("Brazil", "GPE", "Brazil"),
        ],
    ),
    (
        "The Kremlin said Vladimir Putin would attend, though Putin’s spokesman gave no date.",
        [
            ("Kremlin", "ORG", "Kremlin"),
            ("Vladimir Putin", "PERSON", "Vladimir Putin"),
            ("Putin", "PERSON", "Vladimir Putin"),
        ],
    ),
    (
        "Shares in Tesla fell after Elon Musk sold stock; Musk said the sale was for taxes.",
        [
            ("Tesla", "ORG", "Tesla"),
            ("Elon Musk", "PERSON", "Elon Musk"),
            ("Musk", "PERSON", "Elon Musk"),
        ],
    ),
    (
        "The International Atomic Energy Agency sent inspectors to the plant. The IAEA said it "
        "had found no damage.",
        [
            ("International Atomic Energy Agency", "ORG", "International Atomic Energy Agency"),
            ("IAEA", "ORG", "International Atomic Energy Agency"),
        ],
    ),
    (
        "Ursula von der Leyen said the bloc would respond. Von der Leyen did not give details.",
        [
            ("Ursula von der Leyen", "PERSON", "Ursula von der Leyen"),  # the model cut it in two
            ("Von der Leyen", "PERSON", "Ursula von der Leyen"),
        ],
    ),
    (
        "Both Britain and the UK's allies in NATO backed the plan, a British diplomat said.",
        [
            ("Britain", "GPE", "United Kingdom"),
            ("UK", "GPE", "United Kingdom"),
            ("NATO", "ORG", "North Atlantic Treaty Organization"),
            ("British", "NORP", "British"),  # the demonym stays apart from the country
        ],
    ),
    (
        "According to The New York Times, the Pentagon had been briefed in advance.",
        [
            ("The New York Times", "ORG", "The New York Times"),  # a capital "The" mid-sentence
            ("Pentagon", "ORG", "Pentagon"),
        ],
    ),
    (
        "Hurricane Milton made landfall near Sarasota, Florida, on Wednesday night.",
        [
            ("Hurricane Milton", "EVENT", "Hurricane Milton"),
            ("Sarasota", "GPE", "Sarasota"),
            ("Florida", "GPE", "Florida"),
        ],
    ),
    (
        "Hillary Clinton and Bill Clinton attended the ceremony in New York. Clinton spoke first.",
        [
            ("Hillary Clinton", "PERSON", "Hillary Clinton"),
            ("Bill Clinton", "PERSON", "Bill Clinton"),
            ("New York", "GPE", "New York"),
            ("Clinton", "PERSON", "Bill Clinton"),  # two candidates: the one named last
        ],
    ),
    (
        "Mark Papermaster joined Apple in 2008. Papermaster left the company after the antenna "
        "problems, and Papermaster declined to comment.",
        [
            ("Mark Papermaster", "PERSON", "Mark Papermaster"),
            ("Apple", "ORG", "Apple"),
            ("Papermaster", "PERSON", "Mark Papermaster"),  # untagged: a repeat of a surname
            ("Papermaster", "PERSON", "Mark Papermaster"),
        ],
    ),
    (
        "The plant in Wichita, Kansas, employs 4,000 people, according to Spirit AeroSystems.",
        [
            ("Wichita", "GPE", "Wichita"),
            ("Kansas", "GPE", "Kansas"),
            ("Spirit AeroSystems", "ORG", "Spirit AeroSystems"),
        ],
    ),
    (
        "Smith, who declined to give his first name, said the queue had formed before dawn.",
        [("Smith", "PERSON", "Smith")],  # tagged ORG; "who" says person
    ),
]


@pytest.mark.parametrize(("text", "expected"), MENTIONS)
def test_mentions(nlp: Any, make_article: Any, text: str, expected: list[Triple]) -> None:
    assert triples(nlp, make_article, text) == expected


NOTHING = [
    "It rained heavily on Tuesday, and the roads were closed for three hours.",
    "He said the democratic process had to be respected by everyone.",
    "She told reporters that they would return to the talks next week.",
    "The president said nothing when asked about the report.",
    "Prices rose 4.2% in the year to March, the fastest pace since 1991.",
    "!!! ??? ... --- “ ” ' ’s",
]


@pytest.mark.parametrize("text", NOTHING)
def test_no_entities(nlp: Any, make_article: Any, text: str) -> None:
    assert triples(nlp, make_article, text) == []


def test_mention_label_keeps_the_models_label(nlp: Any, make_article: Any) -> None:
    article = make_article(
        "German Chancellor Olaf Scholz met French President Emmanuel Macron in Paris."
    )
    mentions = extract_mentions(nlp(article.text), article)
    scholz = next(m for m in mentions if m.span.text == "Olaf Scholz")
    assert (scholz.entity.type, scholz.label) == ("PERSON", "ORG")
    assert all(m.label in LABELS for m in mentions)


def test_sentence_entities_in_order_of_first_mention(nlp: Any, make_article: Any) -> None:
    text = "Elon Musk sold Tesla stock. Musk met Japanese officials in Tokyo and Musk left."
    article = make_article(text)
    mentions = extract_mentions(nlp(article.text), article)
    second = text.index("Musk met")
    keys = sentence_entities(mentions, second, len(text))
    assert keys[0] == EntityKey("Elon Musk", "PERSON")
    assert EntityKey("Tokyo", "GPE") in keys and len(keys) == len(set(keys))
    assert sentence_entities(mentions, 0, 0) == ()


# -- across articles ----------------------------------------------------------------------------

JOHN = (
    "John Smith, a farmer from Iowa, said the drought had ruined his crop. "
    "Smith said he would sell the farm."
)
JANE = (
    "Jane Smith, the mayor of Leeds, opened the new library on Saturday. "
    "Smith said the city needed more space for readers."
)
BARE = "Smith, who declined to give his first name, said the queue had formed before dawn."


def test_two_smiths_in_two_articles_do_not_merge(nlp: Any, make_article: Any) -> None:
    articles = [make_article(JOHN), make_article(JANE), make_article(BARE)]
    tables = analyze_texts(nlp, articles)
    people = tables["entities"].query("type == 'PERSON'").set_index("name")
    assert people.loc["John Smith", "n_mentions"] == 2
    assert people.loc["Jane Smith", "n_mentions"] == 2
    # The third article's bare "Smith" could be either: it stays its own entity.
    assert people.loc["Smith", "n_mentions"] == 1
    mentions = tables["mentions"]
    by_doc = mentions[mentions["text"] == "Smith"].set_index("doc_id")["entity_id"]
    assert by_doc[articles[0].doc_id] == "person:john-smith"
    assert by_doc[articles[1].doc_id] == "person:jane-smith"
    assert by_doc[articles[2].doc_id] == "person:smith"


def test_bare_surname_joins_the_only_full_name(nlp: Any, make_article: Any) -> None:
    articles = [
        make_article("Former President Barack Obama campaigned in Detroit on Saturday."),
        make_article("Obama urged voters in Michigan to turn out early.", date(2025, 12, 20)),
    ]
    entities = analyze_texts(nlp, articles)["entities"].set_index("name")
    assert entities.loc["Barack Obama", "n_documents"] == 2
    assert entities.loc["Barack Obama", "aliases"] == ["Obama"]
    assert str(entities.loc["Barack Obama", "first_seen"].date()) == "2025-12-13"
    assert str(entities.loc["Barack Obama", "last_seen"].date()) == "2025-12-20"


def doc_entity(doc_id: str, name: str, type_: str, n: int = 1, *aliases: str) -> DocEntity:
    return DocEntity(doc_id, f"{type_}:{name}", name, type_, (name, *aliases), n, None)


def linked(*entities: DocEntity) -> dict[tuple[str, str], str]:
    links = link_corpus(entities)
    return {(e.doc_id, e.name): links[(e.doc_id, e.ref)].entity_id for e in entities}


LINKS: list[tuple[str, list[DocEntity], list[set[str]]]] = [
    (
        "same name and type across articles",
        [doc_entity("a", "Belarus", "GPE"), doc_entity("b", "Belarus", "GPE")],
        [{"a:Belarus", "b:Belarus"}],
    ),
    (
        "one type for one name: the majority of mentions",
        [doc_entity("a", "Belarus", "ORG", 1), doc_entity("b", "Belarus", "GPE", 5)],
        [{"a:Belarus", "b:Belarus"}],
    ),
    (
        "a surname with one full name in the corpus",
        [doc_entity("a", "Donald Trump", "PERSON"), doc_entity("b", "Trump", "PERSON")],
        [{"a:Donald Trump", "b:Trump"}],
    ),
    (
        "a surname with two full names stays apart",
        [
            doc_entity("a", "John Smith", "PERSON"),
            doc_entity("b", "Jane Smith", "PERSON"),
            doc_entity("c", "Smith", "PERSON"),
        ],
        [{"a:John Smith"}, {"b:Jane Smith"}, {"c:Smith"}],
    ),
    (
        "a middle initial is the same person; two different ones are not",
        [
            doc_entity("a", "George W. Bush", "PERSON"),
            doc_entity("b", "George H. W. Bush", "PERSON"),
            doc_entity("c", "Donald J. Trump", "PERSON"),
            doc_entity("d", "Donald Trump", "PERSON"),
            doc_entity("e", "Trump", "PERSON"),
        ],
        [
            {"a:George W. Bush"},
            {"b:George H. W. Bush"},
            {"c:Donald J. Trump", "d:Donald Trump", "e:Trump"},
        ],
    ),
    (
        "initials alone do not link across articles",
        [
            doc_entity("a", "Blue Eyed Arabs", "ORG"),
            doc_entity("b", "BEA", "ORG"),
        ],
        [{"a:Blue Eyed Arabs"}, {"b:BEA"}],
    ),
    (
        "an acronym seen beside its long form in one article",
        [
            doc_entity("a", "Belarusian Popular Front", "ORG", 2, "BPF"),
            doc_entity("b", "BPF", "ORG"),
        ],
        [{"a:Belarusian Popular Front", "b:BPF"}],
    ),
    (
        "an ambiguous acronym stays apart",
        [
            doc_entity("a", "Democratic Party", "ORG", 2, "DP"),
            doc_entity("b", "Defence Procurement", "ORG", 2, "DP"),
            doc_entity("c", "DP", "ORG"),
        ],
        [{"a:Democratic Party"}, {"b:Defence Procurement"}, {"c:DP"}],
    ),
    (
        "a person and a country with one name are two entities",
        [doc_entity("a", "Jordan", "PERSON"), doc_entity("b", "Jordan", "GPE")],
        [{"a:Jordan"}, {"b:Jordan"}],
    ),
    (
        "a company with and without its legal form",
        [doc_entity("a", "Apple Inc.", "ORG"), doc_entity("b", "Apple", "ORG")],
        [{"a:Apple Inc.", "b:Apple"}],
    ),
]


@pytest.mark.parametrize(("entities", "groups"), [c[1:] for c in LINKS], ids=[c[0] for c in LINKS])
def test_link_corpus(entities: list[DocEntity], groups: list[set[str]]) -> None:
    ids = {f"{d}:{n}": i for (d, n), i in linked(*entities).items()}
    found = {}
    for member, ident in ids.items():
        found.setdefault(ident, set()).add(member)
    assert sorted(map(sorted, found.values())) == sorted(map(sorted, groups))


def test_link_corpus_names_and_types() -> None:
    links = link_corpus(
        [
            doc_entity("a", "Belarus", "ORG", 1),
            doc_entity("b", "Belarus", "GPE", 5),
            doc_entity("c", "Trump", "PERSON", 3),
            doc_entity("d", "Donald Trump", "PERSON", 1),
        ]
    )
    assert links[("a", "ORG:Belarus")] == links[("b", "GPE:Belarus")]
    assert (links[("a", "ORG:Belarus")].name, links[("a", "ORG:Belarus")].type) == (
        "Belarus",
        "GPE",
    )
    trump = links[("c", "PERSON:Trump")]
    assert (trump.entity_id, trump.name) == ("person:donald-trump", "Donald Trump")


def test_link_corpus_does_not_depend_on_order() -> None:
    entities = [
        doc_entity("a", "John Smith", "PERSON"),
        doc_entity("b", "Smith", "PERSON"),
        doc_entity("c", "U.S.", "GPE"),
        doc_entity("d", "US", "GPE"),
        doc_entity("e", "Jane Smith", "PERSON"),
    ]
    assert link_corpus(entities) == link_corpus(list(reversed(entities)))
    assert link_corpus([]) == {}


def test_entity_id_is_readable() -> None:
    assert entity_id("Donald Trump", "PERSON") == "person:donald-trump"
    assert entity_id("U.S. Embassy", "ORG") == "org:u-s-embassy"
    assert entity_id("!!!", "ORG") == "org:entity"


def test_version_is_bumped() -> None:
    assert int(VERSION) >= 3


# -- robustness -------------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "Trump", "Donald Trump", "the", "The", "U.S.", "US", "’s", "'s", "'", "President", "Mr.",
        "\n", "\n\n", "“", "”", '"', "(", ")", "[", "EU", "European Union", "Belarus", "Belarusian",
        "democratic", "123", "1,400", "-", " - ", ",", ".", "Smith", "John Smith", "of", "von",
        "der", "Café", "Zoë", "Łódź", "東京", "🙂", "\u200b", "\u00a0", "NATO", "who", "said",
    ]
)  # fmt: skip


def check_offsets(nlp: Any, text: str) -> None:
    try:
        article = build_article(text, path="h.txt", published=None)
    except ArticleError:
        assume(False)
        return
    for mention in extract_mentions(nlp(article.text), article):
        span = mention.span
        assert article.text[span.start : span.end] == span.text
        assert span.text == span.text.strip() and span.text
        assert article.text[span.sentence_start :].startswith(span.sentence)
        assert mention.entity.type in LABELS


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(PIECES, max_size=30).map(" ".join))
def test_offsets_slice_back_on_news_like_text(nlp: Any, text: str) -> None:
    check_offsets(nlp, text)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_no_crash_on_any_unicode(nlp: Any, text: str) -> None:
    check_offsets(nlp, text)


# -- acceptance on the seed article ---------------------------------------------------------


def seed_entity(tables: dict[str, Any], name: str) -> Any:
    entities = tables["entities"].set_index("name")
    assert name in entities.index, f"{name!r} not among {sorted(entities.index)}"
    return entities.loc[name]


@pytest.mark.parametrize(
    ("name", "type_", "at_least", "exactly"),
    [
        ("Alexander Lukashenko", "PERSON", 8, 8),
        ("Donald Trump", "PERSON", 3, None),
        ("Ales Bialiatski", "PERSON", 2, 2),
        ("Vladimir Putin", "PERSON", 2, 2),
        ("Belarus", "GPE", 11, 11),
        ("United States", "GPE", 5, None),
        ("European Union", "ORG", 2, 2),
        ("Viasna", "ORG", 1, None),
    ],
)
def test_seed_acceptance(
    seed_tables: dict[str, Any], name: str, type_: str, at_least: int, exactly: int | None
) -> None:
    row = seed_entity(seed_tables, name)
    assert row["type"] == type_
    assert row["n_mentions"] >= at_least
    if exactly is not None:
        assert row["n_mentions"] == exactly


def test_seed_forms_and_non_entities(seed_tables: dict[str, Any]) -> None:
    entities = seed_tables["entities"]
    assert not entities["name"].str.lower().isin(["democratic", "the united states"]).any()
    assert set(seed_entity(seed_tables, "United States")["aliases"]) >= {"U.S.", "US"}
    mentions = seed_tables["mentions"]
    belarus = mentions[mentions["entity_id"] == "gpe:belarus"]
    assert set(belarus["text"]) == {"Belarus"}
    assert set(mentions[mentions["text"] == "Belarusian"]["type"]) == {"NORP"}
    assert not mentions["text"].str.contains(r"^(?:the|The) |['’]s$").any()
    assert Counter(mentions["entity_id"])["person:donald-trump"] >= 3


# -- a title's brief is no name; the name after it is a person (issue 18) ---------------------

TITLED_NAMES: list[tuple[str, list[Triple]]] = [
    (
        "He had hired Civilian Deputy Undersecretary of the Air Force for Acquisition "
        "Darleen Druyun.",
        [
            ("Civilian", "NORP", "Civilian"),  # the model's, left as it is
            ("Air Force", "ORG", "Air Force"),
            ("Darleen Druyun", "PERSON", "Darleen Druyun"),
        ],
    ),
    (
        "European Commissioner for Competition Neelie Kroes opened the inquiry.",
        [("European", "NORP", "European"), ("Neelie Kroes", "PERSON", "Neelie Kroes")],
    ),
    (
        "Former Secretary of State for Defence Geoff Hoon backed the lease.",
        [("Geoff Hoon", "PERSON", "Geoff Hoon")],
    ),
    (  # must not change: nothing between 'for' and the name
        "A spokesman for John McCain declined to comment.",
        [("John McCain", "PERSON", "John McCain")],
    ),
    (  # must not change: an organisation of two words after 'of'
        "The president of Northrop Grumman met the Secretary of Defense in Washington.",
        [
            ("Northrop Grumman", "ORG", "Northrop Grumman"),
            ("Defense", "ORG", "Defense"),  # no name follows: the title rule does not apply
            ("Washington", "GPE", "Washington"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), TITLED_NAMES)
def test_titled_names(nlp: Any, make_article: Any, text: str, expected: list[Triple]) -> None:
    assert triples(nlp, make_article, text) == expected


# -- a short form introduced in brackets is the name's (issue 18) ----------------------------

INTRODUCED: list[tuple[str, list[Triple]]] = [
    (
        "Singapore Airlines (SIA) took delivery of the A380. SIA said it was pleased.",
        [
            ("Singapore Airlines", "ORG", "Singapore Airlines"),
            ("SIA", "ORG", "Singapore Airlines"),
            ("A380", "PRODUCT", "A380"),
            ("SIA", "ORG", "Singapore Airlines"),
        ],
    ),
    (
        "The United States Air Force (USAF) ordered tankers. The USAF said the deal was fair.",
        [
            ("United States Air Force", "ORG", "United States Air Force"),
            ("USAF", "ORG", "United States Air Force"),
            ("USAF", "ORG", "United States Air Force"),
        ],
    ),
    (  # written after the rule: letters that are not the initials
        "Scandinavian Airlines (SAS) cut 1,000 jobs, and SAS shares fell.",
        [
            ("Scandinavian Airlines", "ORG", "Scandinavian Airlines"),
            ("SAS", "ORG", "Scandinavian Airlines"),
            ("SAS", "ORG", "Scandinavian Airlines"),
        ],
    ),
    (  # must not change: a parent company in brackets is another entity
        "Airbus (EADS) won the contract.",
        [("Airbus", "ORG", "Airbus"), ("EADS", "ORG", "EADS")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), INTRODUCED)
def test_short_form_in_brackets(
    nlp: Any, make_article: Any, text: str, expected: list[Triple]
) -> None:
    assert triples(nlp, make_article, text) == expected


def test_short_form_in_brackets_links_across_articles(nlp: Any, make_article: Any) -> None:
    """'Singapore Airlines (SIA)' in one article; 'SIA' alone in another is the same airline."""
    one = make_article("Singapore Airlines (SIA) took delivery of the first A380 on Monday.")
    two = build_article(
        "SIA said its new superjumbo would fly to London.",
        path="two.txt",
        published=date(2025, 1, 2),
    )
    tables = analyze_texts(nlp, [one, two])
    entities = tables["entities"]
    airline = entities[entities["name"] == "Singapore Airlines"]
    assert len(airline) == 1 and int(airline["n_documents"].iloc[0]) == 2


# -- names that are not what they look like (issue 18, third round) ---------------------------

NAME_FORMS: list[tuple[str, list[Triple]]] = [
    (  # a headline verb glued to a name by the parser's compounds
        "Senate Grills Hillary Clinton Over Emails\n\nSenators questioned Hillary Clinton for "
        "five hours on Tuesday. Clinton said she had done nothing wrong.",
        [
            ("Senate", "ORG", "Senate"),
            ("Hillary Clinton", "PERSON", "Hillary Clinton"),
            ("Hillary Clinton", "PERSON", "Hillary Clinton"),
            ("Clinton", "PERSON", "Hillary Clinton"),
        ],
    ),
    (  # ... and by the model's own span: the person and the name left are kept
        "Obama Slams Congress After Vote\n\nBarack Obama criticised Congress on Monday. Obama "
        "said the vote was a disgrace.",
        [
            ("Obama", "PERSON", "Barack Obama"),
            ("Congress", "ORG", "Congress"),
            ("Barack Obama", "PERSON", "Barack Obama"),
            ("Congress", "ORG", "Congress"),
            ("Obama", "PERSON", "Barack Obama"),
        ],
    ),
    (  # must not change: a headline name the body writes too
        "Jane Doe Foundation Opens New Office\n\nThe Jane Doe Foundation opened an office in "
        "Leeds. Jane Doe, its founder, spoke.",
        [
            ("Jane Doe Foundation", "ORG", "Jane Doe Foundation"),
            ("Jane Doe Foundation", "ORG", "Jane Doe Foundation"),
            ("Leeds", "GPE", "Leeds"),
            ("Jane Doe", "PERSON", "Jane Doe"),
        ],
    ),
    (  # the most frequent full form names the person, not the longest
        "Barack Hussein Obama was sworn in on Tuesday. Barack Obama said the country was ready. "
        "Barack Obama then left.",
        [
            ("Barack Hussein Obama", "PERSON", "Barack Obama"),
            ("Barack Obama", "PERSON", "Barack Obama"),
            ("Barack Obama", "PERSON", "Barack Obama"),
        ],
    ),
    (  # a family is not a person
        "The Obamas arrived in Hawaii on Friday. Barack Obama waved to the crowd.",
        [("Hawaii", "GPE", "Hawaii"), ("Barack Obama", "PERSON", "Barack Obama")],
    ),
    (
        "Hundreds of pro-Trump protesters gathered outside the court where Donald Trump appeared.",
        [("Donald Trump", "PERSON", "Donald Trump")],
    ),
    ("An anti-Putin rally drew thousands in Moscow.", [("Moscow", "GPE", "Moscow")]),
    (  # must not change: an Arabic article is part of the name
        "President Bashar al-Assad addressed parliament in Damascus.",
        [("Bashar al-Assad", "PERSON", "Bashar al-Assad"), ("Damascus", "GPE", "Damascus")],
    ),
    (  # a ticket of two names
        "The Clinton-Kaine ticket won Virginia, and Hillary Clinton thanked her supporters.",
        [("Virginia", "GPE", "Virginia"), ("Hillary Clinton", "PERSON", "Hillary Clinton")],
    ),
    (  # must not change: a hyphenated company and a hyphenated surname
        "Mercedes-Benz cars sold well in China last year.",
        [("Mercedes-Benz", "ORG", "Mercedes-Benz"), ("China", "GPE", "China")],
    ),
    (
        "Catherine Zeta-Jones arrived at the premiere in London.",
        [("Catherine Zeta-Jones", "PERSON", "Catherine Zeta-Jones"), ("London", "GPE", "London")],
    ),
    (  # a stray space in a surname
        "Ryanair chief Michael O' Leary said fares would fall. O'Leary said the airline would "
        "grow.",
        [
            ("Ryanair", "ORG", "Ryanair"),
            ("Michael O' Leary", "PERSON", "Michael O'Leary"),
            ("O'Leary", "PERSON", "Michael O'Leary"),
        ],
    ),
    ("The phone has 16 GB of storage, and the 30GB model costs $299.", []),
    (  # units the parse does not hang on their numbers
        "The new iPod comes in a 30GB edition and a 60GB edition for US$299 and US$399.",
        [("iPod", "ORG", "iPod")],
    ),
    (
        "The 3GS will be available in a 16 GB and 32 GB models, retailing for US $199.",
        [("US", "GPE", "United States")],
    ),
    (  # a company role between a name and a person: a company, whatever the model's tags
        "Ryanair cut its fares on Monday. Ryanair said demand was strong. Ryanair chief "
        "Michael O'Leary was pleased.",
        [
            ("Ryanair", "ORG", "Ryanair"),
            ("Ryanair", "ORG", "Ryanair"),
            ("Ryanair", "ORG", "Ryanair"),
            ("Michael O'Leary", "PERSON", "Michael O'Leary"),
        ],
    ),
    (  # must not change: the surname of the article's person before a role is that person
        "Barack Obama met the governors. Obama chief of staff Denis McDonough said the talks "
        "went well.",
        [
            ("Barack Obama", "PERSON", "Barack Obama"),
            ("Obama", "PERSON", "Barack Obama"),
            ("Denis McDonough", "PERSON", "Denis McDonough"),
        ],
    ),
    (  # a given name two of the article's people share is neither's
        "Steve Jobs unveiled the phone. Steve Ballmer laughed at it. Steve said nothing more.",
        [
            ("Steve Jobs", "PERSON", "Steve Jobs"),
            ("Steve Ballmer", "PERSON", "Steve Ballmer"),
            ("Steve", "PERSON", "Steve"),
        ],
    ),
    (  # ... unless the article is about one of them
        "Steve Jobs founded Apple. Jobs returned in 1997. Steve Ballmer praised him. Steve "
        "changed the world.",
        [
            ("Steve Jobs", "PERSON", "Steve Jobs"),
            ("Apple", "ORG", "Apple"),
            ("Jobs", "PERSON", "Steve Jobs"),
            ("Steve Ballmer", "PERSON", "Steve Ballmer"),
            ("Steve", "PERSON", "Steve Jobs"),
        ],
    ),
    (  # must not change: one person of that given name
        "Steve Jobs unveiled the phone. Steve said it was magic.",
        [("Steve Jobs", "PERSON", "Steve Jobs"), ("Steve", "PERSON", "Steve Jobs")],
    ),
    (  # the subject of a verb whose clause goes on with "he" is a person
        "Biden said he would sign the next bill.",
        [("Biden", "PERSON", "Biden")],
    ),
    (  # must not change: "it" goes on for a company
        "Boeing said it would deliver the jets in May.",
        [("Boeing", "ORG", "Boeing")],
    ),
    (  # a plural after "the" is a group, not one person
        "The Beatles played in Hamburg before they were famous.",
        [("Beatles", "ORG", "Beatles"), ("Hamburg", "GPE", "Hamburg")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), NAME_FORMS)
def test_name_forms(nlp: Any, make_article: Any, text: str, expected: list[Triple]) -> None:
    assert triples(nlp, make_article, text) == expected


CORPUS_NAMES: list[tuple[str, list[DocEntity], list[set[str]]]] = [
    (
        "a company the model once called a person is one company",
        [doc_entity("a", "Ryanair", "PERSON", 6), doc_entity("b", "Ryanair", "ORG", 3)],
        [{"a:Ryanair", "b:Ryanair"}],
    ),
    (
        "a surname half PERSON, half ORG is the person named in full",
        [
            doc_entity("a", "Donald Trump", "PERSON", 4, "Trump"),
            doc_entity("b", "Trump", "ORG", 2),
            doc_entity("c", "Trump", "PERSON", 1),
        ],
        [{"a:Donald Trump", "b:Trump", "c:Trump"}],
    ),
    (  # must not change: a name only ever tagged ORG may be a company named after its founder
        "a surname only ever tagged ORG stays an organisation",
        [doc_entity("a", "Donald Trump", "PERSON", 4, "Trump"), doc_entity("b", "Trump", "ORG")],
        [{"a:Donald Trump"}, {"b:Trump"}],
    ),
    (
        "a place most articles call a place",
        [
            doc_entity("a", "Toulouse", "GPE"),
            doc_entity("b", "Toulouse", "GPE"),
            doc_entity("c", "Toulouse", "PERSON", 4),
        ],
        [{"a:Toulouse", "b:Toulouse", "c:Toulouse"}],
    ),
    (
        "a bare surname goes to the one bearer ever called by it alone",
        [
            doc_entity("a", "Donald Trump", "PERSON", 5, "Trump"),
            doc_entity("b", "Melania Trump", "PERSON", 2),
            doc_entity("c", "Trump", "PERSON", 3),
        ],
        [{"a:Donald Trump", "c:Trump"}, {"b:Melania Trump"}],
    ),
    (  # ... by every article that writes it alone, never pulling the spouse in
        "the same bare surname in several articles goes to that one bearer",
        [
            doc_entity("a", "Joe Biden", "PERSON", 2, "Biden"),
            doc_entity("b", "Jill Biden", "PERSON"),
            doc_entity("b", "Joe Biden", "PERSON"),
            doc_entity("c", "Biden", "PERSON"),
            doc_entity("d", "Biden", "PERSON"),
        ],
        [{"a:Joe Biden", "b:Joe Biden", "c:Biden", "d:Biden"}, {"b:Jill Biden"}],
    ),
    (
        "two bearers both called by the surname alone stay apart from it",
        [
            doc_entity("a", "John Smith", "PERSON", 2, "Smith"),
            doc_entity("b", "Jane Smith", "PERSON", 2, "Smith"),
            doc_entity("c", "Smith", "PERSON"),
        ],
        [{"a:John Smith"}, {"b:Jane Smith"}, {"c:Smith"}],
    ),
]


@pytest.mark.parametrize(
    ("entities", "groups"), [c[1:] for c in CORPUS_NAMES], ids=[c[0] for c in CORPUS_NAMES]
)
def test_link_corpus_names(entities: list[DocEntity], groups: list[set[str]]) -> None:
    test_link_corpus(entities, groups)


def test_corpus_entity_has_one_type_and_its_common_full_name() -> None:
    links = link_corpus(
        [
            doc_entity("a", "Ryanair", "PERSON", 6),
            doc_entity("b", "Ryanair", "ORG", 3),
            doc_entity("c", "Senate Grills Jane Doe", "PERSON", 1),
            doc_entity("d", "Jane Doe", "PERSON", 3, "Doe"),
            doc_entity("e", "Jane Doe", "PERSON", 2),
        ]
    )
    ryanair = links[("a", "PERSON:Ryanair")]
    assert (ryanair.name, ryanair.type) == ("Ryanair", "ORG")
    doe = links[("c", "PERSON:Senate Grills Jane Doe")]
    assert doe == links[("d", "PERSON:Jane Doe")]
    assert (doe.name, doe.entity_id) == ("Jane Doe", "person:jane-doe")


def test_given_name_alone_is_an_alias_only_when_no_one_else_has_it() -> None:
    steve_jobs = doc_entity("a", "Steve Jobs", "PERSON", 5, "Jobs", "Steve")
    tim_cook = doc_entity("b", "Tim Cook", "PERSON", 3, "Cook", "Tim")
    ballmer = doc_entity("c", "Steve Ballmer", "PERSON", 1)
    alone = build_entities([steve_jobs, tim_cook], link_corpus([steve_jobs, tim_cook]))
    both = build_entities(
        [steve_jobs, tim_cook, ballmer], link_corpus([steve_jobs, tim_cook, ballmer])
    )
    assert alone.set_index("name").loc["Steve Jobs", "aliases"] == ["Jobs", "Steve"]
    assert both.set_index("name").loc["Steve Jobs", "aliases"] == ["Jobs"]
    assert both.set_index("name").loc["Tim Cook", "aliases"] == ["Cook", "Tim"]


TEAMS: list[tuple[str, list[Triple]]] = [
    (
        "Liverpool beat Chelsea 2-1 on Saturday. Chelsea's coach said the team would recover.",
        [
            ("Liverpool", "ORG", "Liverpool"),
            ("Chelsea", "ORG", "Chelsea"),
            ("Chelsea", "ORG", "Chelsea"),
        ],
    ),
    (
        "Spain beat Italy 2-1 in the final. Italy's coach said the team had played well.",
        [("Spain", "ORG", "Spain"), ("Italy", "ORG", "Italy"), ("Italy", "ORG", "Italy")],
    ),
    (
        "Brazil lost to Germany 7-1 in the semi-final.",
        [("Brazil", "ORG", "Brazil"), ("Germany", "ORG", "Germany")],
    ),
    (
        "England drew with France 1-1.",
        [("England", "ORG", "England"), ("France", "ORG", "France")],
    ),
    # must not change: countries in politics, a vote tally, a range, a tennis player
    (
        "Italy's prime minister visited Spain on Monday.",
        [("Italy", "GPE", "Italy"), ("Spain", "GPE", "Spain")],
    ),
    (
        "Spain beat Italy in the vote, 52-48.",
        [("Spain", "GPE", "Spain"), ("Italy", "GPE", "Italy")],
    ),
    ("Prices in Spain rose 2-3 percent.", [("Spain", "GPE", "Spain")]),
    (
        "Russia beat back an attack near Kyiv.",
        [("Russia", "GPE", "Russia"), ("Kyiv", "GPE", "Kyiv")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), TEAMS)
def test_teams_in_match_reports(
    nlp: Any, make_article: Any, text: str, expected: list[Triple]
) -> None:
    assert triples(nlp, make_article, text) == expected


# -- short forms of organisations, given names, cross-article linking (issue 18) ---------------
# Rules found from the misses of bench/eval_linking.py; the sentences are written for them.

SHORT_FORMS: list[tuple[str, list[Triple]]] = [
    (
        "The United States Air Force awarded the tanker deal on Friday. Air Force officials "
        "said the bids were fair.",
        [
            ("United States Air Force", "ORG", "United States Air Force"),
            ("Air Force", "ORG", "United States Air Force"),
        ],
    ),
    (  # a leading country in two spellings is one organisation
        "The U.S. Air Force reopened the tanker contest on Friday. The United States Air Force "
        "said Boeing and Northrop Grumman could bid again, and Air Force officials agreed.",
        [
            ("U.S. Air Force", "ORG", "United States Air Force"),
            ("United States Air Force", "ORG", "United States Air Force"),
            ("Boeing", "ORG", "Boeing"),
            ("Northrop Grumman", "ORG", "Northrop Grumman"),
            ("Air Force", "ORG", "United States Air Force"),
        ],
    ),
    (
        "The U.S. Army said on Monday that it would send more troops. Army officials declined "
        "to comment.",
        [("U.S. Army", "ORG", "U.S. Army"), ("Army", "ORG", "U.S. Army")],
    ),
    (  # the first words without what the company does
        "Apple Computer unveiled a new laptop on Monday. Apple said it would ship in June.",
        [("Apple Computer", "ORG", "Apple Computer"), ("Apple", "ORG", "Apple Computer")],
    ),
    (
        "China Eastern Airlines ordered 20 jets. China Eastern said the deal was worth $1 billion.",
        [
            ("China Eastern Airlines", "ORG", "China Eastern Airlines"),
            ("China Eastern", "ORG", "China Eastern Airlines"),
        ],
    ),
    # must not change: two names the short form fits, a product or event named after its
    # maker, a company's full name beside another's, a place, a country, a person
    (
        "The Royal Air Force and the United States Air Force flew together on Monday. Air "
        "Force officials said the exercise went well.",
        [
            ("Royal Air Force", "ORG", "Royal Air Force"),
            ("United States Air Force", "ORG", "United States Air Force"),
            ("Air Force", "ORG", "Air Force"),
        ],
    ),
    (
        "At the Apple Worldwide Developers Conference, Apple showed a phone.",
        [
            (
                "Apple Worldwide Developers Conference",
                "ORG",
                "Apple Worldwide Developers Conference",
            ),
            ("Apple", "ORG", "Apple"),
        ],
    ),
    (
        "Apple Inc. settled with Apple Corps on Monday. Apple will own the trademarks.",
        [
            ("Apple Inc.", "ORG", "Apple Inc."),
            ("Apple Corps", "ORG", "Apple Corps"),
            ("Apple", "ORG", "Apple Inc."),
        ],
    ),
    (
        "The New York Times reported the story from New York on Sunday.",
        [("New York Times", "ORG", "New York Times"), ("New York", "GPE", "New York")],
    ),
    (
        "Singapore Airlines took delivery of its first A380 in Singapore on Monday.",
        [
            ("Singapore Airlines", "ORG", "Singapore Airlines"),
            ("A380", "PRODUCT", "A380"),
            ("Singapore", "GPE", "Singapore"),
        ],
    ),
    (  # a company and a person sharing a word
        "Ford Motor cut 1,000 jobs on Monday. The actor Harrison Ford, who is no relation, said "
        "he was sad.",
        [("Ford Motor", "ORG", "Ford Motor"), ("Harrison Ford", "PERSON", "Harrison Ford")],
    ),
    ("U.S. Steel said profits rose in the third quarter.", [("U.S. Steel", "ORG", "U.S. Steel")]),
]


@pytest.mark.parametrize(("text", "expected"), SHORT_FORMS)
def test_short_forms_of_organisations(
    nlp: Any, make_article: Any, text: str, expected: list[Triple]
) -> None:
    assert triples(nlp, make_article, text) == expected


@pytest.mark.xfail(
    reason="a company named by two surnames is not linked to its first word: 'Northrop' of "
    "'Northrop Grumman' looks like 'Apple' of 'Apple TV', a product the model calls an ORG",
    strict=True,
)
def test_first_surname_of_a_company(nlp: Any, make_article: Any) -> None:
    text = "Northrop Grumman won the contract on Friday. Boeing said it was skewed to Northrop."
    assert triples(nlp, make_article, text)[-1] == ("Northrop", "ORG", "Northrop Grumman")


STOPS: list[tuple[str, list[Triple]]] = [
    (  # a sentence the parse ran on after "U.S."
        "Steve Jobs spoke on Monday. Users surf the web in the U.S. Jobs also noted that sales "
        "rose.",
        [
            ("Steve Jobs", "PERSON", "Steve Jobs"),
            ("U.S.", "GPE", "United States"),
            ("Jobs", "PERSON", "Steve Jobs"),
        ],
    ),
    # must not change: an organisation named after its country, no person after the stop
    (
        "Steve Jobs spoke on Monday. U.S. Steel said profits rose.",
        [("Steve Jobs", "PERSON", "Steve Jobs"), ("U.S. Steel", "ORG", "U.S. Steel")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), STOPS)
def test_place_abbreviation_ending_a_sentence(
    nlp: Any, make_article: Any, text: str, expected: list[Triple]
) -> None:
    assert triples(nlp, make_article, text) == expected


GIVEN_NAMES: list[tuple[str, list[Triple]]] = [
    (
        "Timothy D. Cook will run the company. Jobs said Tim Cook had his confidence, and Cook "
        "agreed.",
        [
            ("Timothy D. Cook", "PERSON", "Timothy D. Cook"),
            ("Jobs", "PERSON", "Jobs"),
            ("Tim Cook", "PERSON", "Timothy D. Cook"),
            ("Cook", "PERSON", "Timothy D. Cook"),
        ],
    ),
    (  # must not change: two given names that are not one
        "Thomas J. Cook chairs the board. Tim Cook runs the company.",
        [
            ("Thomas J. Cook", "PERSON", "Thomas J. Cook"),
            ("Tim Cook", "PERSON", "Tim Cook"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), GIVEN_NAMES)
def test_short_given_names(nlp: Any, make_article: Any, text: str, expected: list[Triple]) -> None:
    assert triples(nlp, make_article, text) == expected


SHORT_LINKS: list[tuple[str, list[DocEntity], list[set[str]]]] = [
    (
        "a short form another article wrote for its long name",
        [
            doc_entity("a", "United States Air Force", "ORG", 3, "Air Force", "USAF"),
            doc_entity("b", "Air Force", "ORG", 2),
        ],
        [{"a:United States Air Force", "b:Air Force"}],
    ),
    (
        "a leading country in two spellings",
        [
            doc_entity("a", "U.S. Air Force", "ORG"),
            doc_entity("b", "United States Air Force", "ORG"),
        ],
        [{"a:U.S. Air Force", "b:United States Air Force"}],
    ),
    (
        "a short form two long names claim stays apart",
        [
            doc_entity("a", "Royal Air Force", "ORG", 2, "Air Force"),
            doc_entity("b", "United States Air Force", "ORG", 2, "Air Force"),
            doc_entity("c", "Air Force", "ORG"),
        ],
        [{"a:Royal Air Force"}, {"b:United States Air Force"}, {"c:Air Force"}],
    ),
    (
        "a company's name without what it does",
        [
            doc_entity("a", "Apple Computer", "ORG", 4, "Apple"),
            doc_entity("b", "Apple Inc.", "ORG", 3, "Apple"),
            doc_entity("c", "Apple Corps", "ORG", 2),
        ],
        [{"a:Apple Computer", "b:Apple Inc."}, {"c:Apple Corps"}],
    ),
    (  # must not change: the first word of a product is not its maker's short form
        "a product named after its maker",
        [doc_entity("a", "Apple TV", "ORG", 2, "Apple"), doc_entity("b", "Apple", "ORG", 5)],
        [{"a:Apple TV"}, {"b:Apple"}],
    ),
    (
        "a company and a person sharing a word",
        [
            doc_entity("a", "Ford Motor", "ORG", 2, "Ford"),
            doc_entity("b", "Harrison Ford", "PERSON", 2, "Ford"),
            doc_entity("c", "Ford", "ORG"),
        ],
        [{"a:Ford Motor", "c:Ford"}, {"b:Harrison Ford"}],
    ),
    (
        "a short given name with a middle initial",
        [doc_entity("a", "Timothy D. Cook", "PERSON"), doc_entity("b", "Tim Cook", "PERSON")],
        [{"a:Timothy D. Cook", "b:Tim Cook"}],
    ),
    (
        "two people with one surname both written in full",
        [
            doc_entity("a", "Thomas J. Cook", "PERSON"),
            doc_entity("b", "Tim Cook", "PERSON", 2, "Cook"),
            doc_entity("c", "Tim Smith", "PERSON"),
            doc_entity("d", "Tom Smith", "PERSON"),
        ],
        [{"a:Thomas J. Cook"}, {"b:Tim Cook"}, {"c:Tim Smith"}, {"d:Tom Smith"}],
    ),
]


@pytest.mark.parametrize(
    ("entities", "groups"), [c[1:] for c in SHORT_LINKS], ids=[c[0] for c in SHORT_LINKS]
)
def test_link_corpus_short_forms(entities: list[DocEntity], groups: list[set[str]]) -> None:
    test_link_corpus(entities, groups)
