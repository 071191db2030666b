"""What the words around a name say of its type, whatever the model's tag: a title before it
(a person), a company role after it (a company), a number before it (a unit), "who" or "he"
after it (a person), "the" before a plural (a group), a place after a comma (a place)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from analysis import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token


def bare(word: str) -> str:
    """A word without dots, for title and acronym lookups ('Sen.' -> 'sen')."""
    return word.replace(".", "").casefold()


@cache
def titles() -> tuple[frozenset[str], frozenset[str]]:
    """(titles, modifiers): words that go before a name without being part of it."""
    data = lexicon.load("entities_titles")
    return frozenset(data["titles"]), frozenset(data["modifiers"])


def title_words() -> frozenset[str]:
    """Job titles and honorifics, lower case without dots ('ceo', 'commissioner')."""
    return titles()[0]


def after_title(token: Token) -> bool:
    """Right after a capitalised title: "Chancellor Olaf Scholz" is a person whatever the tag."""
    if token.i == 0 or any(c.isdigit() for c in token.text):
        return False
    before = token.doc[token.i - 1]
    return before.text[:1].isupper() and bare(before.text) in title_words()


def affiliation(tokens: list[Token], surnames: set[str]) -> bool:
    """A one-word name right before a company role and a person's name: "Ryanair chief
    Michael O'Leary", "Dell founder Michael Dell". Not a surname of the article's people
    ("Obama chief of staff Rahm Emanuel" is no company)."""
    if len(tokens) != 1 or tokens[0].text.casefold() in surnames:
        return False
    doc = tokens[0].doc
    i = tokens[0].i + 1
    if i < len(doc) and doc[i].text in ("'s", "’s"):
        i += 1
    if i + 1 >= len(doc) or bare(doc[i].text) not in affiliation_roles():
        return False
    after = doc[i + 1]
    return after.ent_type_ == "PERSON" and after.ent_iob_ == "B"


def group_plural(tokens: list[Token]) -> bool:
    """One capitalised plural after "the" ("the Beatles", "the Kennedys"): a group, not one
    person."""
    first = tokens[0]
    if len(tokens) != 1 or first.i == 0 or first.doc[first.i - 1].lower_ != "the":
        return False
    return first.text.endswith("s") and not first.text.endswith("ss") and first.text[:1].isupper()


@cache
def affiliation_roles() -> frozenset[str]:
    return frozenset(lexicon.load("entities_titles")["affiliation_roles"])


def counted_unit(token: Token) -> bool:
    """A short word a number counts is a unit, whatever the tag: "16 GB", "3 GHz"."""
    if token.i == 0 or len(token.text) > 4:
        return False
    number = token.doc[token.i - 1]
    return number.like_num and number.dep_ == "nummod" and number.head.i == token.i


def before_place(token: Token) -> bool:
    """Followed by a comma and a place: "Toulouse, France" and "Long Beach, California"."""
    doc = token.doc
    i = token.i + 2
    if i >= len(doc) or doc[i - 1].text != "," or doc[i].ent_iob_ != "B":
        return False
    if doc[i].ent_type_ != "GPE":
        return False
    j = i + 1
    while j < len(doc) and doc[j].ent_iob_ == "I":
        j += 1
    return j >= len(doc) or doc[j].tag_ != "POS"  # "Smith, France's envoy" is not a place


def before_who(token: Token) -> bool:
    """Followed by "who": "Smith, who declined to give his first name" is a person."""
    doc = token.doc
    i = token.i + 1
    if i < len(doc) and doc[i].text == ",":
        i += 1
    if i >= len(doc) or doc[i].lower_ not in ("who", "whom"):
        return False
    clause = doc[i].head  # the relative clause must hang on this name, not on one before it
    return clause.dep_ == "relcl" and clause.head.i == token.i


def says_he(token: Token) -> bool:
    """The subject of a verb whose own clause goes on with "he" or "she" as its subject:
    "Biden said he would sign it" is a person ("Apple said it would" is not)."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = token.head
    for clause in verb.children:
        if clause.dep_ not in ("ccomp", "xcomp", "conj"):
            continue
        if any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("he", "she") for c in clause.children
        ):
            return True
    return False
