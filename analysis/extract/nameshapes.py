"""Names used as something else, whatever the model's tag, and the headline lines of an article."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from analysis import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

_AMOUNT_UNIT = re.compile(r"\d[\d.,]*\s?([A-Za-z]+)")


@cache
def _prefixes() -> frozenset[str]:
    """Prefixes that make a name an adjective ('pro-Trump'), from entities_names.json."""
    return frozenset(lexicon.load("entities_names")["adjective_prefixes"])


@cache
def figures_units() -> frozenset[str]:
    """Units of measure ('gb', 'km'), lower case, from the figures' units lexicon."""
    return frozenset(k.casefold() for k in lexicon.load("figures_units")["measure"])


def title_case_line(text: str, at: int) -> bool:
    """Whether the line holding offset `at` is written in Title Case, as headlines are."""
    lo = text.rfind("\n", 0, at) + 1
    hi = text.find("\n", at)
    return _title_case(text[lo : hi if hi >= 0 else len(text)])


@lru_cache(maxsize=4096)  # asked for every name of a line: its words are read once
def _title_case(line: str) -> bool:
    words = re.findall(r"[^\W\d_][\w'’-]*", line)
    content = [w for w in words if len(w) >= 4]
    return len(words) >= 3 and len(content) >= 2 and all(w[0].isupper() for w in content)


def used_as_other(
    tokens: list[Token], label: str, name: str, text: str, start: int, surnames: set[str]
) -> bool:
    """Names used as something else: an adjective ("pro-Trump"), a unit after its number
    ("16 GB", "30GB"), a family ("the Smiths"), a pair of names on a ticket ("Smith-Jones")."""
    prefixes = _prefixes()
    head = re.match(r"([A-Za-z]+)-", name)
    before = re.search(r"([A-Za-z]+)-$", text[max(0, start - 12) : start])
    if (head and head.group(1).casefold() in prefixes) or (
        before and before.group(1).casefold() in prefixes
    ):
        return True
    first = tokens[0]
    doc = first.doc
    units = figures_units()
    amount = _AMOUNT_UNIT.fullmatch(name)
    if amount and amount.group(1).casefold() in units:
        return True
    if len(tokens) == 1 and first.i > 0 and first.lower_ in units and doc[first.i - 1].like_num:
        return True
    word = first.text.casefold()
    singular = {word[:-1], word[:-2]} if word.endswith("es") else {word[:-1]}
    if (
        len(tokens) == 1
        and first.i > 0
        and doc[first.i - 1].lower_ == "the"
        and word.endswith("s")
        and singular & surnames
    ):
        return True
    pair = _hyphen_pair(tokens)
    if pair is not None:
        left, right = pair
        modifier = right.dep_ in ("compound", "amod", "nmod") and right.head.pos_ == "NOUN"
        parts = {left.text.casefold(), right.text.casefold()}
        if modifier and left.text[:1].isupper() and right.text[:1].isupper():
            return label == "PERSON" or bool(parts & surnames)
    return False


def _hyphen_pair(tokens: list[Token]) -> tuple[Token, Token] | None:
    """The two names of "Smith-Jones", whether the span holds both or one of them."""
    doc = tokens[0].doc
    if len(tokens) == 3 and tokens[1].text in ("-", "–"):
        if not tokens[0].whitespace_ and not tokens[1].whitespace_:
            return tokens[0], tokens[2]
        return None
    if len(tokens) != 1:
        return None
    token = tokens[0]
    i = token.i
    for left in (i, i - 2):  # the span is the pair's first name, or its second
        if left < 0 or left + 2 >= len(doc) or doc[left + 1].text not in ("-", "–"):
            continue
        if not doc[left].whitespace_ and not doc[left + 1].whitespace_:
            other = doc[left + 2] if left == i else doc[left]
            if other.is_alpha:
                return doc[left], doc[left + 2]
    return None


# A match score: goals or points up to 20 a side ("2-1", "3 - 0"), not a vote ("52-48"), a
# range ("2-3 percent") or a date ("12-05-2009").
_SCORE = re.compile(
    r"(?<![\d.,:/-])(?:1?\d|20)\s?[-–]\s?(?:1?\d|20)"
    r"(?!\d|[.,:/-]\d|\s?(?:percent|per\s+cent|%))"
)


@cache
def _sports_words() -> tuple[frozenset[str], frozenset[str]]:
    """(result verbs, team nouns) of match reports, from entities_names.json."""
    data = lexicon.load("entities_names")
    return frozenset(data["result_verbs"]), frozenset(data["team_nouns"])


def is_score(tokens: list[Token]) -> bool:
    """Whether the tokens are a match score: "2-1", "3 - 0"."""
    text = "".join(t.text_with_ws for t in tokens).strip()
    return _SCORE.fullmatch(text) is not None


def team_side(tokens: list[Token]) -> bool:
    """A place's name used for its team: a side of a result with a score ("Spain beat Italy
    2-1", "lost to Chelsea 0-3") or the owner of a team noun ("Italy's coach said")."""
    verbs, nouns = _sports_words()
    head = tokens[-1]
    doc = head.doc
    after = doc[head.i + 1] if head.i + 1 < len(doc) else None
    if after is not None and after.tag_ == "POS" and head.dep_ == "poss":
        return head.head.lemma_.lower() in nouns or head.head.lower_ in nouns
    governor = head.head
    if head.dep_ == "pobj" and governor.lower_ in ("to", "against", "over", "with", "by"):
        governor = governor.head
    if head.dep_ not in ("nsubj", "dobj", "pobj", "conj", "nsubjpass"):
        return False
    if head.dep_ == "conj":
        governor = governor.head
    if governor.lemma_.lower() not in verbs:
        return False
    sent = head.sent
    return _SCORE.search(sent.text) is not None
