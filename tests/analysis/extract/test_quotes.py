"""Quotations, their kind and their speakers: real news sentences in tables, textacy's suite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis.corpus import ArticleError, build_article, load_corpus
from analysis.extract.entities import extract_mentions
from analysis.extract.quotes import VERSION, extract_quotes, find_quotations
from analysis.records import Quote

Row = tuple[str, str, str | None, str | None]  # (text, kind, speaker, cue)


def quotes_of(nlp: Any, make_article: Any, text: str) -> tuple[Any, list[Quote]]:
    article = make_article(text)
    doc = nlp(article.text)
    return article, extract_quotes(doc, article, extract_mentions(doc, article))


def rows(nlp: Any, make_article: Any, text: str) -> list[Row]:
    """Each quote as (text, kind, who, cue); who is the speaker's entity name, else as written."""
    _, quotes = quotes_of(nlp, make_article, text)
    return [
        (
            q.span.text,
            q.kind,
            q.speaker_entity.name if q.speaker_entity else q.speaker,
            q.cue,
        )
        for q in quotes
    ]


# -- textacy's direct-quotation suite ---------------------------------------------------------
# Ported from textacy (https://github.com/chartbeat-labs/textacy), tests/extract/test_triples.py:
# `test_direct_quotations` and `test_adjustment_for_quote_detection`, Apache License 2.0,
# Copyright 2016 Chartbeat, Inc. textacy yields (speaker tokens, cue tokens, content with its
# marks) for quotes it can attribute; here each attributed statement (direct or partial) is put
# in that shape. The case textacy hides since spaCy 3.2 ("reply Burton and Nick") is included.

TEXTACY_DIRECT = [
    ('Burton said, "I love cats!"', [(["Burton"], ["said"], '"I love cats!"')]),
    (
        '"We love cats!" reply Burton and Nick.',
        [(["Burton", "Nick"], ["reply"], '"We love cats!"')],
    ),
    (
        'Burton explained from a podium. "I love cats," he said.',
        [(["he"], ["said"], '"I love cats,"')],
    ),
    (
        '"I love cats!" insists Burton. "I absolutely do."',
        [
            (["Burton"], ["insists"], '"I love cats!"'),
            (["Burton"], ["insists"], '"I absolutely do."'),
        ],
    ),
    (
        '"Some people say otherwise," he conceded.',
        [(["he"], ["conceded"], '"Some people say otherwise,"')],
    ),
    ('Burton claims that his favorite book is "One Hundred Years of Solitude".', []),
    ('Burton thinks that cats are "cuties".', []),
]

TEXTACY_ADJUSTMENT = [
    (  # a quote mark followed by whitespace does not open a quote
        "'AMANDA, you stabbed me,\" a stunned Anna Ramirez told her identical twin early Saturday "
        'outside their Camden home. Edward said prosecutors had established "clear and convincing '
        'evidence" that Ramirez should be held.',
        ["Edward"],
    ),
    (  # an odd number of quotation marks
        'He approached the stable. "Where are the horses\' carrots?" he asked.',
        ["he"],
    ),
    (  # overlapping quotes are ignored
        "The stranger was eating a burger. He told everyone, \"This 'hamburger with extra cheese "
        "and pickles' is good.\"",
        ["He"],
    ),
    (  # quotes end at line breaks
        "'uneasy' on Gilmer street\"\nPolice are investigating a shooting. They did not identify "
        'the 17-year-old because he is a minor.\n"Detectives are looking into it," Richmond police '
        "said in a news release Tuesday morning.",
        ["Richmond", "police"],
    ),
    (  # a second quote by the same speaker
        "He pounces on counters and jabs the gun at tellers, only 2 pounds of pressure preventing "
        "that gun from firing.\n\"He's going to hurt somebody because he's carrying a revolver "
        "with the hammer cocked back. He's saying he's going to kill people,\" said Paul Martin, a "
        "Pinellas sheriff's detective who has been chasing the robber for two years. \"He's "
        "pointed guns at people's heads.\"\nThey call him the crowbar robber because in ",
        ["Paul", "Martin", "Paul", "Martin"],
    ),
]


def attributed(quotes: list[Quote]) -> list[Quote]:
    return [q for q in quotes if q.speaker and q.kind != "title"]


@pytest.mark.parametrize(("text", "expected"), TEXTACY_DIRECT)
def test_textacy_direct_quotations(
    nlp: Any, make_article: Any, text: str, expected: list[tuple[list[str], list[str], str]]
) -> None:
    article, quotes = quotes_of(nlp, make_article, text)
    found = [
        (
            [w for w in (q.speaker or "").split() if w != "and"],
            (q.cue or "").split(),
            article.text[q.span.start - 1 : q.span.end + 1],
        )
        for q in attributed(quotes)
    ]
    assert found == expected


@pytest.mark.parametrize(("text", "speakers"), TEXTACY_ADJUSTMENT)
def test_textacy_adjustment_for_quote_detection(
    nlp: Any, make_article: Any, text: str, speakers: list[str]
) -> None:
    _, quotes = quotes_of(nlp, make_article, text)
    assert [w for q in attributed(quotes) for w in (q.speaker or "").split()] == speakers


# -- who said what: one row per attribution pattern -------------------------------------------

ATTRIBUTION: list[tuple[str, str, list[Row]]] = [
    (
        "X said, “…”",
        "Finance Minister Jeremy Hunt said, “We will not borrow to fund tax cuts.”",
        [("We will not borrow to fund tax cuts.", "direct", "Jeremy Hunt", "said")],
    ),
    (
        "“…,” X said",
        "“The border is secure,” Homeland Security Secretary Alejandro Mayorkas said on Sunday.",
        [("The border is secure,", "direct", "Alejandro Mayorkas", "said")],
    ),
    (
        "“…,” said X, a …",
        "“We have no plans to raise interest rates,” said Christine Lagarde, the president of "
        "the European Central Bank.",
        [("We have no plans to raise interest rates,", "direct", "Christine Lagarde", "said")],
    ),
    (
        "“…,” says X (present tense)",
        "“We are ready for a long fight,” says union leader Mick Lynch.",
        [("We are ready for a long fight,", "direct", "Mick Lynch", "says")],
    ),
    (
        "X told reporters that “…”",
        "Senator Elizabeth Warren told reporters on Capitol Hill that the bill was “a giveaway "
        "to Wall Street.”",
        [("a giveaway to Wall Street.", "partial", "Elizabeth Warren", "told")],
    ),
    (
        "X stated that … “…”",
        "Secretary of State Antony Blinken stated that Washington would “not stand by” while "
        "civilians were attacked.",
        [("not stand by", "partial", "Antony Blinken", "stated")],
    ),
    (
        "X described … as “…”",
        "Prime Minister Justin Trudeau described the tariffs as “totally unacceptable.”",
        [("totally unacceptable.", "partial", "Justin Trudeau", "described")],
    ),
    (
        "X called … “…”",
        "Senator Bernie Sanders called the ruling “a disaster for working families.”",
        [("a disaster for working families.", "partial", "Bernie Sanders", "called")],
    ),
    (
        "X characterized … as “…”",
        "Governor Gavin Newsom characterized the proposal as “dead on arrival.”",
        [("dead on arrival.", "partial", "Gavin Newsom", "characterized")],
    ),
    (
        "X referred to … as “…”",
        "The general referred to the militants as “terrorists,” a label the group rejects.",
        [("terrorists,", "partial", "general", "referred")],
    ),
    (
        "X wrote that “…”",
        "In a letter to shareholders, Warren Buffett wrote that the company was “in better shape "
        "than ever.”",
        [("in better shape than ever.", "partial", "Warren Buffett", "wrote")],
    ),
    (
        "according to X",
        "“The talks are over,” according to a senior diplomat involved in the negotiations.",
        [("The talks are over,", "direct", "senior diplomat", "according to")],
    ),
    (
        "X said: “…”",
        "Chancellor Olaf Scholz said: “Germany stands firmly with its allies.”",
        [("Germany stands firmly with its allies.", "direct", "Olaf Scholz", "said")],
    ),
    (
        "X said: and the quote in the next paragraph",
        "Sviatlana Tsikhanouskaya told supporters in Vilnius:\n\n“We will not stop until every "
        "prisoner is free.”",
        [
            (
                "We will not stop until every prisoner is free.",
                "direct",
                "Sviatlana Tsikhanouskaya",
                "told",
            )
        ],
    ),
    (
        "a standalone quote after a sentence about its speaker",
        "The opposition leader, Sviatlana Tsikhanouskaya, addressed supporters in Vilnius on "
        "Sunday.\n\n“We will not stop until every prisoner is free.”",
        [
            (
                "We will not stop until every prisoner is free.",
                "direct",
                "Sviatlana Tsikhanouskaya",
                None,
            )
        ],
    ),
    (
        "“…” — X",
        "“Democracy dies in darkness.” — Bob Woodward",
        [("Democracy dies in darkness.", "direct", "Bob Woodward", None)],
    ),
    (
        "pronoun: the person in the sentence before",
        "Jacinda Ardern announced her resignation on Thursday. She said, “I know what this job "
        "takes, and I no longer have enough in the tank.”",
        [
            (
                "I know what this job takes, and I no longer have enough in the tank.",
                "direct",
                "Jacinda Ardern",
                "said",
            )
        ],
    ),
    (
        "pronoun in a relative clause",
        "Angela Merkel welcomed the refugees, whom she described as “people in need of our help.”",
        [("people in need of our help.", "partial", "Angela Merkel", "described")],
    ),
    (
        "pronoun for an organisation",
        "Amazon rejected the union's claims. “These allegations are simply untrue,” it said.",
        [("These allegations are simply untrue,", "direct", "Amazon", "said")],
    ),
    (
        "pronoun for an unnamed official",
        "Later, the defence secretary told broadcasters that more weapons would be sent. “We are "
        "not going to stop,” he said.",
        [("We are not going to stop,", "direct", "defence secretary", "said")],
    ),
    (
        "X was quoted as saying",
        "Kremlin spokesman Dmitry Peskov was quoted as saying that the talks had been “useful "
        "and constructive.”",
        [("useful and constructive.", "partial", "Dmitry Peskov", "saying")],
    ),
    (
        "praised by X as “…”",
        "The plan was praised by Treasury Secretary Janet Yellen as “a bold step forward.”",
        [("a bold step forward.", "partial", "Janet Yellen", "praised")],
    ),
    (
        "a second quote by the same speaker",
        "“We will rebuild,” said Mayor Vitali Klitschko. “Every street, every house.”",
        [
            ("We will rebuild,", "direct", "Vitali Klitschko", "said"),
            ("Every street, every house.", "direct", "Vitali Klitschko", "said"),
        ],
    ),
    (
        "an interrupted quote",
        "“The numbers don't add up,” she said, “and the minister knows it.”",
        [
            ("The numbers don't add up,", "direct", "she", "said"),
            ("and the minister knows it.", "direct", "she", "said"),
        ],
    ),
    (
        "a body speaking in a statement",
        "The ministry said in a statement that the strikes were “a violation of international "
        "law.”",
        [("a violation of international law.", "partial", "ministry", "said")],
    ),
    (
        "critics say",
        "Critics say the new rules are “a solution in search of a problem.”",
        [("a solution in search of a problem.", "partial", "Critics", "say")],
    ),
    (
        "guillemets",
        "« Nous sommes en guerre », a déclaré Emmanuel Macron. Le Pen responded that it was "
        "« a confession of failure ».",
        [
            ("Nous sommes en guerre", "direct", None, None),
            ("a confession of failure", "partial", "Le Pen", "responded"),
        ],
    ),
    (
        "German quotation marks",
        "Chancellor Olaf Scholz promised „a new beginning“ for the country.",
        [("a new beginning", "partial", "Olaf Scholz", "promised")],
    ),
    (
        "British single quotes",
        "'Let's get this deal done,' the Prime Minister told the conference.",
        [("Let's get this deal done,", "direct", "Prime Minister", "told")],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in ATTRIBUTION], ids=[c[0] for c in ATTRIBUTION]
)
def test_attribution(nlp: Any, make_article: Any, text: str, expected: list[Row]) -> None:
    assert rows(nlp, make_article, text) == expected


# -- quotes that are not statements, and quotes with no speaker ----------------------------

NO_SPEAKER: list[tuple[str, list[Row]]] = [
    ("The term “quiet quitting” went viral last year.", [("quiet quitting", "title", None, None)]),
    (
        "The so-called “Freedom Convoy” blocked the border crossing for weeks.",
        [("Freedom Convoy", "title", None, None)],
    ),
    ("The film “Oppenheimer” won seven Oscars.", [("Oppenheimer", "title", None, None)]),
    (
        "The storm, nicknamed “the Beast from the East,” closed schools across the country.",
        [("the Beast from the East,", "title", None, None)],
    ),
    (
        "Rents in the capital have reached “crisis levels” this year.",
        [("crisis levels", "title", None, None)],
    ),
    (
        "The agreement was hailed as “a turning point for the region” across the continent.",
        [("a turning point for the region", "partial", None, "hailed")],
    ),
    (
        "“Never again” was painted on the walls of the school.",
        [("Never again", "title", None, None)],
    ),
]


NESTED: list[tuple[str, list[Row]]] = [
    (
        '“The minister told us "never", and left the room,” said Jane Doe.',
        [('The minister told us "never", and left the room,', "direct", "Jane Doe", "said")],
    ),
    (
        'Jane Doe said: "They called the plan “a betrayal” and walked out."',
        [("They called the plan “a betrayal” and walked out.", "direct", "Jane Doe", "said")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), NESTED)
def test_nested_quote_of_another_style_is_one_quote(
    nlp: Any, make_article: Any, text: str, expected: list[Row]
) -> None:
    assert rows(nlp, make_article, text) == expected


@pytest.mark.parametrize(("text", "expected"), NO_SPEAKER)
def test_titles_and_quotes_with_no_speaker(
    nlp: Any, make_article: Any, text: str, expected: list[Row]
) -> None:
    assert rows(nlp, make_article, text) == expected


NOTHING = [
    "The company's shares rose 5% in the '90s rally.",
    "Rock 'n' roll never died, the fans' banners said.",
    "He bought a 55\" television and a 12' ladder.",
    "It's the students' union that runs the bar, O'Brien said.",
    "Officials said nothing at all on Tuesday.",
    "“” and \"\" and ''",
    "A lone ” mark and a lone “ mark.",
]


@pytest.mark.parametrize("text", NOTHING)
def test_nothing_to_quote(nlp: Any, make_article: Any, text: str) -> None:
    assert rows(nlp, make_article, text) == []


STRAY: list[tuple[str, list[Row]]] = [
    (
        "The minister accused critics of “scaremongering. Officials said the plan was “on track.”",
        [("on track.", "partial", "Officials", "said")],
    ),
    (
        "A stray ” mark sits here. “We will appeal,” the lawyer said.",
        [("We will appeal,", "direct", "lawyer", "said")],
    ),
    (
        'The mayor promised "a new era of transparency.\n\nCouncil members said they were '
        '"cautiously optimistic" about the plan.',
        [
            ("a new era of transparency.", "partial", "mayor", "promised"),
            ("cautiously optimistic", "partial", "Council members", "said"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), STRAY)
def test_stray_marks_do_not_break_the_rest(
    nlp: Any, make_article: Any, text: str, expected: list[Row]
) -> None:
    assert rows(nlp, make_article, text) == expected


def test_multi_paragraph_quote_is_one_quote(nlp: Any, make_article: Any) -> None:
    text = (
        "Senator John Thune said: “We did not come here to fail.\n\n"
        "“We came here to win, and we will.”\n\n"
        "The vote is expected on Friday."
    )
    assert rows(nlp, make_article, text) == [
        (
            "We did not come here to fail.\n\n“We came here to win, and we will.",
            "direct",
            "John Thune",
            "said",
        )
    ]


def test_about_lists_the_entities_inside_the_quote(nlp: Any, make_article: Any) -> None:
    text = "“The European Union must stand with Ukraine,” said Ursula von der Leyen."
    _, quotes = quotes_of(nlp, make_article, text)
    assert [q.span.text for q in quotes] == ["The European Union must stand with Ukraine,"]
    assert {(k.name, k.type) for k in quotes[0].about} >= {("Ukraine", "GPE")}
    assert "Ursula von der Leyen" not in {k.name for k in quotes[0].about}


def test_without_a_parse_quotes_still_come_out(nlp: Any, make_article: Any) -> None:
    article = make_article("“We will win,” she said. The film “Oppenheimer” won.")
    quotes = extract_quotes(nlp.make_doc(article.text), article, [])
    assert [(q.span.text, q.kind, q.speaker) for q in quotes] == [
        ("We will win,", "direct", None),
        ("Oppenheimer", "title", None),
    ]


def test_version_is_bumped() -> None:
    assert int(VERSION) >= 2


# -- pairing the marks (text only) ----------------------------------------------------------

PAIRS = [
    ("He said “yes” and “no”.", ["yes", "no"]),
    ('He said "yes" and "no".', ["yes", "no"]),
    ("She called it 'a farce' at the time.", ["a farce"]),
    ("The Smiths' album, O'Brien's book and the '90s.", []),
    ("« Bonjour », dit-il.", ["Bonjour"]),
    ("Er sagte »Hallo« und ging.", ["Hallo"]),
    ("Er sagte „Ja“ und ging.", ["Ja"]),
    ("“He said ‘no’ to me,” she said.", ["He said ‘no’ to me,"]),
    ("“One.\n\n“Two.”", ["One.\n\n“Two."]),  # reopened in the next paragraph
    ('"One.\n\nTwo."', ["One.\n\nTwo."]),  # one sentence per paragraph, closed later
    ('He said "we will win the vote.\n\nNext paragraph.', ["we will win the vote."]),
    ('A 12" pipe and "a quote" here.', ["a quote"]),
    ("He called it ` the best ever'.", ["the best ever"]),
    ("``Hello there,'' he said.", ["Hello there,"]),
    ("「東京」と言った。", ["東京"]),
    ("", []),
    # A quote inside a quote written in the other style of the same family is part of it.
    ('“He said "never", and left,” she said.', ['He said "never", and left,']),
    ('"He said “never”, and left," she said.', ["He said “never”, and left,"]),
    ('“The so-called "reform" is a sham,” said Smith.', ['The so-called "reform" is a sham,']),
    ('He called it “a "fair" deal” and left.', ['a "fair" deal']),
    ('“He told me "never."” she said.', ['He told me "never."']),
    ("\"We call it 'the pit',\" he said.", ["We call it 'the pit',"]),
    ("'He said \"go\" and I went,' Smith said.", ['He said "go" and I went,']),
    # The inner quote left unclosed: the outer one still closes.
    ('“The word "reform is a sham,” said Smith.', ['The word "reform is a sham,']),
    # Must not change: quotes side by side, and a quote opened in one style, closed in the other.
    ('He said “yes” and "no".', ["yes", "no"]),
    ('"He said we would never win,” she said.', ["He said we would never win,"]),
    ('“We will not go back," Smith said.', ["We will not go back,"]),
]


@pytest.mark.parametrize(("text", "expected"), PAIRS)
def test_find_quotations(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in find_quotations(text)] == expected


MARKS = st.sampled_from([*"\"'“”‘’«»„`‹›", "``", "''", "\n", "\n\n", " ", ".", ","])
WORDS = st.sampled_from(["said", "He", "the", "cats", "O'Brien", "90s", "a", "Trump", "yes"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(MARKS, WORDS, st.text(max_size=3)), max_size=40).map("".join))
def test_pairs_are_ordered_trimmed_and_inside_the_text(text: str) -> None:
    previous_end = -1
    for start, end in find_quotations(text):
        assert 0 <= start < end <= len(text)
        assert start >= previous_end
        content = text[start:end]
        assert content == content.strip() and content
        previous_end = end


# -- robustness -------------------------------------------------------------------------------

PIECES = st.sampled_from(
    [
        "“", "”", '"', "'", "‘", "’", "«", "»", "„", "`", "said", "says", "told", "He", "she",
        "Trump", "Donald Trump", "the", "EU", "“We will win,”", "\n", "\n\n", ",", ".", ":",
        "—", "according to", "as", "called", "Smith", "O'Brien", "’s", "90s", "🙂", "\u00a0",
    ]
)  # fmt: skip


def check_quotes(nlp: Any, text: str) -> None:
    try:
        article = build_article(text, path="h.txt", published=None)
    except ArticleError:
        assume(False)
        return
    doc = nlp(article.text)
    for quote in extract_quotes(doc, article, extract_mentions(doc, article)):
        span = quote.span
        assert article.text[span.start : span.end] == span.text and span.text
        assert article.text[span.sentence_start :].startswith(span.sentence)
        assert span.sentence_start <= span.start
        assert span.end <= span.sentence_start + len(span.sentence)
        assert quote.kind in ("direct", "partial", "title")
        assert quote.kind != "title" or quote.speaker is None


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(PIECES, max_size=30).map(" ".join))
def test_offsets_slice_back_on_news_like_text(nlp: Any, text: str) -> None:
    check_quotes(nlp, text)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=200))
def test_no_crash_on_any_unicode(nlp: Any, text: str) -> None:
    check_quotes(nlp, text)


# -- acceptance on the seed article ---------------------------------------------------------


def test_seed_acceptance(nlp: Any, seed_article: Any, seed_doc: Any) -> None:
    mentions = extract_mentions(seed_doc, seed_article)
    quotes = extract_quotes(seed_doc, seed_article, mentions)
    found = [
        (
            q.span.text,
            q.kind,
            q.speaker_entity.name if q.speaker_entity else None,
            q.cue,
        )
        for q in quotes
        if q.kind != "title"
    ]
    assert found[0] == (
        "US sanctions are about people. EU sanctions are about systemic change – stopping the "
        "war, enabling democratic transition, and ensuring accountability.",
        "direct",
        "Sviatlana Tsikhanouskaya",
        "stated",
    )
    assert found[1][:3] == ("bandits.", "partial", "Alexander Lukashenko")
    assert found[2] == (
        "the highly respected president of Belarus,",
        "partial",
        "Donald Trump",
        "characterized",
    )
    assert found[3] == ("hostages.", "partial", "Donald Trump", "described")
    assert len(found) == 4


def test_seed_quotes_table(seed_tables: dict[str, Any]) -> None:
    table = seed_tables["quotes"]
    statements = table[table["kind"] != "title"]
    assert list(statements["speaker"]) == [
        "Sviatlana Tsikhanouskaya",
        "Alexander Lukashenko",
        "Donald Trump",
        "Donald Trump",
    ]
    assert list(statements["speaker_text"]) == ["She", "Lukashenko", "Trump", "he"]
    eu = statements.iloc[0]["about"]
    assert any("EU" in name or "European Union" in name for name in eu)


@pytest.mark.corpus
def test_shared_corpus_quotes_are_sound(nlp: Any, shared_corpus: Path) -> None:
    articles = load_corpus([shared_corpus]).articles
    statements = attributed_count = 0
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        for quote in extract_quotes(doc, article, extract_mentions(doc, article)):
            assert article.text[quote.span.start : quote.span.end] == quote.span.text
            if quote.kind != "title":
                statements += 1
                attributed_count += quote.speaker is not None
    assert statements >= 90
    assert attributed_count >= 0.9 * statements
