"""Number reading for figures: the number lexicon, and one number's words, digits and scales."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from analysis import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# A number in digits: "123", "1,227", "3.5", ".5".
_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
# A number glued to an abbreviated scale: "2bn", "1.2m", "300k".
_GLUED = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([a-z]{1,3})$", re.IGNORECASE)
# A range written as one token: "10,000–15,000", "2-5".
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_RANGE = re.compile(rf"^({_NUMBER})([-–—])({_NUMBER})$")
# A currency code glued to an amount: "SGD1.75".
_CODED = re.compile(rf"^([A-Z]{{3}})({_NUMBER})$")

TIME_LABELS = frozenset({"DATE", "TIME"})
NOMINAL = frozenset({"NOUN", "PROPN"})
HYPHENS = frozenset({"-", "–", "—"})


@dataclass(frozen=True, slots=True)
class NumberLexicon:
    """Number words, scales, currencies and units, from figures_{numbers,money,units}.json."""

    units: dict[str, float]
    tens: dict[str, float]
    scales: dict[str, float]
    abbreviated: dict[str, float]
    multipliers: dict[str, float]
    indefinite: dict[str, float]
    indefinite_determiners: tuple[tuple[str, ...], ...]
    fractions: dict[str, float]
    ordinals: dict[str, float]
    symbols: dict[str, str]
    codes: dict[str, str]
    currency_names: dict[tuple[str, ...], str]
    ambiguous_currency: dict[str, str]
    percent: dict[tuple[str, ...], str]
    time_units: dict[tuple[str, ...], str]
    measures: dict[tuple[str, ...], str]
    age_words: frozenset[str]
    dimension_words: frozenset[str]
    clock_words: frozenset[str]
    range_connectors: frozenset[str]
    # Words a number phrase can start with (besides digits and hyphenated words), so scan
    # skips every other token without trying each reading.
    starters: frozenset[str]


def word_tuples(entries: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Multi-word entries as word tuples, longest first."""
    return tuple(sorted({tuple(e.lower().split()) for e in entries}, key=len, reverse=True))


def _keyed(mapping: dict[str, str]) -> dict[tuple[str, ...], str]:
    return {tuple(k.lower().split()): v for k, v in mapping.items() if not k.startswith("_")}


@cache
def number_lexicon() -> NumberLexicon:
    """The number, money and unit lexicons, read once."""
    numbers = lexicon.load("figures_numbers")
    money, units = lexicon.load("figures_money"), lexicon.load("figures_units")
    ambiguous = {k: v for k, v in money["ambiguous_names"].items() if not k.startswith("_")}
    determiners = word_tuples(numbers["indefinite_determiners"])
    starters = {"a", "an", "one", "half", *(words[0] for words in determiners if words)}
    for key in ("units", "tens", "indefinite_plurals"):
        starters.update(k.lower() for k in numbers[key])
    return NumberLexicon(
        units={k: float(v) for k, v in numbers["units"].items()},
        tens={k: float(v) for k, v in numbers["tens"].items()},
        scales={k: float(v) for k, v in numbers["scales"].items()},
        abbreviated={k: float(v) for k, v in numbers["abbreviated_scales"].items()},
        multipliers={k: float(v) for k, v in numbers["multipliers"].items()},
        indefinite={k: float(v) for k, v in numbers["indefinite_plurals"].items()},
        indefinite_determiners=determiners,
        fractions={k: float(v) for k, v in numbers["fractions"].items()},
        ordinals={k: float(v) for k, v in numbers["ordinals"].items()},
        symbols=dict(money["symbols"]),
        codes=dict(money["codes"]),
        currency_names=_keyed(money["names"]),
        ambiguous_currency=ambiguous,
        percent=_keyed(units["percent"]),
        time_units=_keyed(units["time"]),
        measures=_keyed(units["measure"]),
        age_words=frozenset(units["age_words"]),
        dimension_words=frozenset(units["dimension_words"]),
        clock_words=frozenset(units["time_of_day_words"]),
        range_connectors=frozenset(numbers["range_connectors"]),
        starters=frozenset(starters),
    )


# --------------------------------------------------------------------------- number phrases


@dataclass(slots=True)
class Phrase:
    """A number phrase found in the tokens, before it is judged a figure."""

    start: int  # first token (currency prefix included)
    end: int  # one past the last token of the amount (unit / currency / percent included)
    core_start: int  # first token of the number itself
    core_end: int  # one past its last token
    value: float
    char_start: int
    char_end: int
    scaled: bool = False  # has a scale word ("million") or glued scale ("2bn")
    indefinite: bool = False  # "hundreds", "a dozen", "several thousand"
    digits: bool = False  # written in digits
    kind: str = "count"
    unit: str | None = None
    unit_start: int | None = None  # tokens of a unit / time unit written after the number
    unit_end: int | None = None
    age: bool = False
    hyphen_unit: bool = False  # "10-year", "300-seat": the number is glued to a modifier
    of_token: int | None = None  # "hundreds of ...": the token index of "of"
    ratio_of: int | None = None  # "one in five Americans": index of the noun after the ratio
    range_with: int | None = None  # index in the phrase list of the other end of a range
    notes: set[str] = field(default_factory=set)


def _word_value(text: str, lex: NumberLexicon) -> float | None:
    low = text.lower()
    for table in (lex.units, lex.tens):
        if low in table:
            return table[low]
    return None


def _digits_value(text: str) -> float | None:
    if not _DIGITS.match(text):
        return None
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _glued(text: str, lex: NumberLexicon) -> tuple[float, str] | None:
    """Value and suffix of a number glued to an abbreviated scale ("2bn" -> 2e9, "bn")."""
    match = _GLUED.match(text)
    if not match:
        return None
    suffix = match.group(2).lower()
    if suffix not in lex.abbreviated:
        return None
    try:
        return float(match.group(1).replace(",", "")) * lex.abbreviated[suffix], suffix
    except ValueError:
        return None


def _match_words(doc: Doc, i: int, limit: int, table: Iterable[tuple[str, ...]]) -> int:
    """Length of the longest entry of `table` (word tuples, longest first) at token i, else 0."""
    first = doc[i] if i < limit else None
    heads = {first.lower_, norm(first)} if first is not None else set()
    for words in table:
        n = len(words)
        if i + n > limit:
            continue
        if n and words[0] not in heads:
            continue  # cheap test of the first word before reading the others
        if all(norm(doc[i + k]) == w or doc[i + k].lower_ == w for k, w in enumerate(words)):
            return n
    return 0


def norm(tok: Token) -> str:
    """Lower-case lemma for nouns (plural to singular), lower-case text otherwise."""
    return tok.lemma_.lower() if tok.pos_ in NOMINAL else tok.lower_


def _fraction(doc: Doc, i: int, limit: int, lex: NumberLexicon) -> Phrase | None:
    """A share written as a fraction: "half of", "half the", "a third of", "two-thirds of"."""
    low = doc[i].lower_
    nxt = doc[i + 1] if i + 1 < limit else None
    if low == "half" and nxt is not None and (nxt.lower_ == "of" or nxt.pos_ == "DET"):
        if nxt.lower_ in {"a", "an"} and i + 2 < limit and doc[i + 2].lower_ in lex.scales:
            return None  # "half a million" is a number
        phrase = _phrase(doc, i, i + 1, 50.0)
    else:
        count = 1.0 if low in {"a", "one"} else _word_value(low, lex)
        if count is None or nxt is None:
            return None
        j = i + 2 if nxt.text in HYPHENS and nxt.whitespace_ == "" and i + 2 < limit else i + 1
        word = doc[j].lower_
        singular = not word.endswith("s")  # "a third of", "two-thirds of"
        if word not in lex.fractions or (singular and count != 1) or (not singular and count == 1):
            return None
        if not _has_word(doc, j + 1, "of") and not (j + 1 < limit and doc[j + 1].pos_ == "DET"):
            return None  # "the third time", "a quarter" (of a year) are no shares
        phrase = _phrase(doc, i, j + 1, 100.0 * count * lex.fractions[word])
    phrase.kind, phrase.unit = "percent", "percent"
    phrase.notes.add("fraction")
    if _has_word(doc, phrase.end, "of"):
        phrase.of_token = phrase.end
    return phrase


def _and_a_half(doc: Doc, phrase: Phrase, limit: int, lex: NumberLexicon) -> None:
    """ "two and a half years", "one and a half million": add the half."""
    j = phrase.core_end
    words = [doc[j + k].lower_ for k in range(3) if j + k < limit]
    if words != ["and", "a", "half"] or phrase.value >= 1000:
        return
    phrase.value += 0.5
    end = j + 3
    if end < limit and doc[end].lower_ in lex.scales:
        phrase.value *= lex.scales[doc[end].lower_]
        phrase.scaled = True
        end += 1
    _extend(phrase, doc, end, scaled=phrase.scaled)


def read_number(doc: Doc, i: int, limit: int, lex: NumberLexicon) -> Phrase | None:
    """The number written from token i (no prefix, no unit), or None."""
    tok = doc[i]
    low = tok.lower_
    if "/" in tok.text or ":" in tok.text:
        return None
    # "several hundred", "a few thousand"
    det = _match_words(doc, i, limit, lex.indefinite_determiners)
    if det and i + det < limit and doc[i + det].lower_ in lex.scales:
        j = i + det
        value = lex.scales[doc[j].lower_]
        j += 1
        while j < limit and doc[j].lower_ in lex.scales and lex.scales[doc[j].lower_] > 100:
            value *= lex.scales[doc[j].lower_]
            j += 1
        return _phrase(doc, i, j, value, scaled=True, indefinite=True)
    # "a dozen", "a hundred", "a million", "half a million"
    if low in {"a", "an"}:
        nxt = doc[i + 1].lower_ if i + 1 < limit else ""
        if nxt in lex.multipliers and (nxt == "dozen" or _has_word(doc, i + 2, "of")):
            return _phrase(doc, i, i + 2, lex.multipliers[nxt], indefinite=nxt == "dozen")
        if nxt in lex.scales:
            value, j = lex.scales[nxt], i + 2
            while j < limit and doc[j].lower_ in lex.scales and lex.scales[doc[j].lower_] > value:
                value *= lex.scales[doc[j].lower_]
                j += 1
            return _phrase(doc, i, j, value, scaled=True)
        return None
    if (
        low == "half"
        and i + 2 < limit
        and doc[i + 1].lower_ == "a"
        and doc[i + 2].lower_ in lex.scales
    ):
        scale = lex.scales[doc[i + 2].lower_]
        return _phrase(doc, i, i + 3, 0.5 * scale, scaled=True)
    # "hundreds", "tens of thousands", "hundreds of thousands"
    if low in lex.indefinite:
        followed_by_of = i + 1 < limit and doc[i + 1].lower_ == "of"
        if low in {"tens", "scores", "dozens"} and not followed_by_of:
            return None
        amount = lex.indefinite[low]
        j = i + 1
        then = doc[j + 1].lower_ if followed_by_of and j + 1 < limit else ""
        if lex.indefinite.get(then, 0.0) >= 1000:  # "tens of thousands"
            amount *= lex.indefinite[then]
            j += 2
        return _phrase(doc, i, j, amount, scaled=True, indefinite=True)
    digits = _digits_value(tok.text)
    code = None
    coded = _CODED.match(tok.text)
    if digits is None and coded and coded.group(1) in lex.codes:
        digits, code = _digits_value(coded.group(2)), lex.codes[coded.group(1)]  # "SGD1.75"
    if digits is not None:
        phrase = _phrase(doc, i, i + 1, digits, digits=True)
        if code is not None:
            phrase.kind, phrase.unit = "money", code
        j = i + 1
        tight = tok.whitespace_ == "" and j + 1 < limit and doc[j].whitespace_ == ""
        if tight and doc[j].text in HYPHENS and doc[j + 1].lower_ in lex.scales:
            j += 1  # "1.75-billion"
        # "3.5 million", "1.2m" (glued abbreviation), "2 dozen"
        if j < limit:
            nxt = doc[j].lower_
            if nxt.endswith(".") and nxt[:-1] in lex.abbreviated and j + 1 == limit:
                nxt = nxt[:-1]  # "£5m." closing the sentence
            if nxt in lex.scales:
                k = j
                while k < limit and doc[k].lower_ in lex.scales:
                    phrase.value *= lex.scales[doc[k].lower_]
                    k += 1
                _extend(phrase, doc, k, scaled=True)
            elif nxt in lex.multipliers:
                phrase.value *= lex.multipliers[nxt]
                _extend(phrase, doc, j + 1, scaled=False)
            elif nxt in lex.abbreviated and (
                (tok.whitespace_ == "" and _abbreviation_is_scale(doc, j, limit, lex))
                or len(nxt) >= 2  # "7.2 bn", "3 mln"; a spaced "m" or "k" is no scale
            ):
                phrase.value *= lex.abbreviated[nxt]
                _extend(phrase, doc, j + 1, scaled=True)
        return phrase
    glued = _glued(tok.text, lex)
    if glued is not None:
        return _phrase(doc, i, i + 1, glued[0], digits=True, scaled=True)
    return _words(doc, i, limit, lex)


def _abbreviation_is_scale(doc: Doc, j: int, limit: int, lex: NumberLexicon) -> bool:
    """Whether a glued "m" after digits is a scale ("1.2m people"), not metres ("2m tall")."""
    if doc[j].lower_ != "m":
        return True
    nxt = doc[j + 1].lower_ if j + 1 < limit else ""
    prev = doc[j - 2] if j >= 2 else None
    if prev is not None and (prev.text in lex.symbols or prev.text.upper() in lex.codes):
        return True
    return nxt not in lex.dimension_words and nxt not in {"of", "in", "from", "above", "below"}


def _words(doc: Doc, i: int, limit: int, lex: NumberLexicon) -> Phrase | None:
    """A number in words: "two", "twenty-two", "two hundred and twenty two"."""
    total = 0.0
    current = 0.0
    j = i
    last = ""  # kind of the last number word: unit / tens / hundred / scale
    seen = False
    end = i
    scaled = False
    while j < limit:
        tok = doc[j]
        low = tok.lower_
        word = _word_value(low, lex)
        if word is not None:
            if last in {"unit", "tens"} and not (last == "tens" and word < 10):
                break
            current += word
            last = "tens" if low in lex.tens else "unit"
            seen = True
            end = j + 1
            j += 1
            continue
        if (
            "-" in low
            and len(low) > 1
            and all(_word_value(p, lex) is not None for p in low.split("-") if p)
        ):
            parts = [p for p in low.split("-") if p]
            if last in {"unit", "tens"} or not parts:
                break
            current += sum(_word_value(p, lex) or 0.0 for p in parts)
            last = "unit"
            seen = True
            end = j + 1
            j += 1
            continue
        if low in lex.scales and seen:
            scale = lex.scales[low]
            if scale == 100:
                current = (current or 1.0) * 100
                last = "hundred"
            else:
                total += (current or 1.0) * scale
                current = 0.0
                last = "scale"
            scaled = True
            end = j + 1
            j += 1
            continue
        if low in lex.multipliers and seen and last in {"unit", "tens"}:
            current *= lex.multipliers[low]
            last = "scale"
            end = j + 1
            j += 1
            continue
        if (
            low in HYPHENS
            and last == "tens"
            and tok.whitespace_ == ""
            and doc[j - 1].whitespace_ == ""
            and j + 1 < limit
            and doc[j + 1].lower_ in lex.units
            and lex.units[doc[j + 1].lower_] < 10
        ):
            j += 1
            continue
        if (
            low == "and"
            and last in {"hundred", "scale"}
            and j + 1 < limit
            and _word_value(doc[j + 1].lower_, lex) is not None
        ):
            j += 1
            continue
        break
    if not seen:
        return None
    return _phrase(doc, i, end, total + current, scaled=scaled)


def _phrase(
    doc: Doc,
    start: int,
    end: int,
    value: float,
    *,
    scaled: bool = False,
    indefinite: bool = False,
    digits: bool = False,
) -> Phrase:
    return Phrase(
        start=start,
        end=end,
        core_start=start,
        core_end=end,
        value=value,
        char_start=doc[start].idx,
        char_end=doc[end - 1].idx + len(doc[end - 1].text),
        scaled=scaled,
        indefinite=indefinite,
        digits=digits,
    )


def _extend(phrase: Phrase, doc: Doc, end: int, *, scaled: bool) -> None:
    phrase.end = phrase.core_end = end
    last = doc[end - 1].text
    if len(last) > 1 and last.endswith(".") and last[:-1].isalpha():
        last = last[:-1]  # the sentence's full stop glued to "m."
    phrase.char_end = doc[end - 1].idx + len(last)
    phrase.scaled = phrase.scaled or scaled


def _has_word(doc: Doc, i: int, word: str) -> bool:
    return i < len(doc) and doc[i].lower_ == word
