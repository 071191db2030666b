"""The query language: valid queries parse to the expected tree, malformed ones say why."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.search.query import And, Not, Or, Phrase, QuerySyntaxError, Term, parse_query

T = Term


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("potash", T("potash")),
        ("Lukashenko", T("lukashenko")),
        ('"political prisoners"', Phrase(("political", "prisoners"))),
        ('"Potash"', T("potash")),
        ("sanctions -potash", And((T("sanctions"), Not(T("potash"))))),
        ("a OR b", Or((T("a"), T("b")))),
        ("a OR b c", Or((T("a"), And((T("b"), T("c")))))),
        ("a (b OR c)", And((T("a"), Or((T("b"), T("c")))))),
        ("(a b) c", And((T("a"), T("b"), T("c")))),
        ("a OR (b OR c)", Or((T("a"), T("b"), T("c")))),
        ("x -(a OR b)", And((T("x"), Not(Or((T("a"), T("b"))))))),
        ('x -"a b"', And((T("x"), Not(Phrase(("a", "b")))))),
        ("x (-y)", And((T("x"), Not(T("y"))))),
        ("sanction*", T("sanction", prefix=True)),
        ("~release", T("release", lemma=True)),
        ("~Released", T("released", lemma=True)),
        ("or", T("or")),
        ("U.S.", T("u.s.")),
        ("1,227", T("1,227")),
        ("anti-war", Phrase(("anti", "war"))),
        ("Lukashenko’s", Phrase(("lukashenko", "’s"))),
        ('"prisoners, political"', Phrase(("prisoners", "political"))),
        ("a-b-c", Phrase(("a", "b", "c"))),
    ],
)
def test_parse(query: str, expected: object) -> None:
    assert parse_query(query) == expected


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("", "the query is empty", 0),
        ("   ", "the query is empty", 0),
        ('"political prisoners', 'unbalanced quote: this " is never closed', 0),
        ('a "b" "c', 'unbalanced quote: this " is never closed', 6),
        ("(a b", "unbalanced parenthesis: this '(' is never closed", 0),
        ("(", "unbalanced parenthesis: this '(' is never closed", 0),
        ("a (b (c)", "unbalanced parenthesis: this '(' is never closed", 2),
        ("a b)", "unbalanced parenthesis: this ')' has no '('", 3),
        ("-", "a lone '-' must be followed by what to exclude", 0),
        ("potash - sanctions", "a lone '-' must be followed by what to exclude", 7),
        ("(a -)", "a lone '-' must be followed by what to exclude", 3),
        ("()", "empty parentheses '()'", 0),
        ("a ( ) b", "empty parentheses '()'", 2),
        ("-potash", "the query only excludes: add a term to find (as in sanctions -potash)", 0),
        ("-a -b", "the query only excludes: add a term to find (as in sanctions -potash)", 0),
        ("-(a OR b)", "the query only excludes: add a term to find (as in sanctions -potash)", 0),
        ("a OR", "'OR' needs a term after it", 2),
        ("(a OR) b", "'OR' needs a term after it", 3),
        ("OR a", "'OR' needs a term before it", 0),
        ("a OR OR b", "'OR' needs a term before it", 5),
        ("a ( OR b)", "'OR' needs a term before it", 4),
        (
            "a OR -b",
            "an exclusion cannot be an 'OR' alternative: say what to find as well",
            5,
        ),
        (
            "(-a -b) OR c",
            "an exclusion cannot be an 'OR' alternative: say what to find as well",
            0,
        ),
        ("*", "a bare '*' must be attached to a word", 0),
        ("a ~", "a bare '~' must be attached to a word", 2),
        ("a*b", "'*' may only end a word (as in sanction*)", 0),
        ("~release*", "'~' and '*' cannot be combined on one word", 0),
        ("--a", "a double exclusion '--' is not allowed", 1),
        ("&", "'&' has no letters or digits to search for", 0),
        ('""', "an empty phrase has no letters or digits to search for", 0),
        ('a "..."', "the phrase '...' has no letters or digits to search for", 2),
        (
            "anti-wa*",
            "'*' applies to a single word, but 'anti-wa' is split into 'anti' 'wa'",
            0,
        ),
    ],
)
def test_malformed(query: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse_query(query)
    assert caught.value.message == message
    assert caught.value.position == position
    assert str(caught.value) == f"{message} (at position {position})"
    assert isinstance(caught.value, ValueError)


QUERY_ALPHABET = st.sampled_from([*'ab OR-"()*~.,’', "OR", "-(", " "])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.lists(QUERY_ALPHABET, max_size=12).map("".join)))
def test_any_text_parses_or_says_why(text: str) -> None:
    try:
        node = parse_query(text)
    except QuerySyntaxError as error:
        assert 0 <= error.position <= len(text)
        return
    assert isinstance(node, Term | Phrase | And | Or)
