"""Reported figures: numbers with what they count, their hedge, their kind and who reports them.

A figure's span is the number phrase as written together with what makes it an amount: a
currency ("$2bn", "2 million euros"), a percent sign or word ("40 per cent"), a unit of measure
("9,420 nautical miles") or a unit of time ("two days"). The hedge is never inside the span: it
is the figure's `qualifier` ("as many as"). `counted` is the noun the number quantifies with its
modifiers, as written ("political prisoners"); `counted_key` is its ledger key (lemmas, singular,
lower case). Years, dates, times of day, model names ("Boeing 777"), labels ("page 5"), list
markers and reference numbers are not figures. Indefinite amounts ("hundreds", "a dozen",
"tens of thousands") carry the lower bound of their order of magnitude as `value`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.records import EntityKey, Figure, Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from analysis.corpus import Article

VERSION = "1"

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"

# A number in digits: "123", "1,227", "3.5", ".5".
_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
# A number glued to an abbreviated scale: "2bn", "1.2m", "300k".
_GLUED = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([a-z]{1,3})$", re.IGNORECASE)
# A range written as one token: "10,000–15,000", "2-5".
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_RANGE = re.compile(rf"^({_NUMBER})([-–—])({_NUMBER})$")
# A currency code glued to an amount: "SGD1.75".
_CODED = re.compile(rf"^([A-Z]{{3}})({_NUMBER})$")
# An ordinal in digits: "3rd", "21st".
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)

_NAME_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "LAW", "FAC", "EVENT", "ORG", "PERSON"})
_TIME_LABELS = frozenset({"DATE", "TIME"})
_NOMINAL = frozenset({"NOUN", "PROPN"})
_MODIFIER_POS = frozenset({"ADJ", "NOUN", "PROPN"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_PERSONAL = frozenset({"he", "she", "him", "her"})
# Dependents that belong to a source's noun phrase (relative clauses and appositions do not).
_NP_DEPS = frozenset({"compound", "amod", "det", "poss", "nmod", "case", "prep", "pobj", "nummod"})
_HYPHENS = frozenset({"-", "–", "—"})
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj"})
_RANK_DEPS = frozenset({"oprd", "advmod", "dobj", "attr", "npadvmod", "acomp"})


@dataclass(frozen=True, slots=True)
class _Lexicon:
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
    hedges_before: tuple[tuple[str, ...], ...]
    hedges_after: tuple[tuple[str, ...], ...]
    not_before_durations: frozenset[str]
    reporting_verbs: frozenset[str]
    document_nouns: frozenset[str]
    speaker_nouns: frozenset[str]
    count_nouns: frozenset[str]
    dropped_modifiers: frozenset[str]
    invariant_nouns: frozenset[str]
    label_nouns: frozenset[str]
    months: frozenset[str]
    relative_time_words: frozenset[str]
    rank_verbs: frozenset[str]
    rank_labels: frozenset[str]
    list_marker_punct: frozenset[str]
    range_connectors: frozenset[str]


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((LEXICONS / f"figures_{name}.json").read_text("utf-8"))
    return data


def _phrases(entries: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Multi-word entries as word tuples, longest first."""
    return tuple(sorted({tuple(e.lower().split()) for e in entries}, key=len, reverse=True))


def _keyed(mapping: dict[str, str]) -> dict[tuple[str, ...], str]:
    return {tuple(k.lower().split()): v for k, v in mapping.items() if not k.startswith("_")}


@cache
def lexicon() -> _Lexicon:
    """The figures lexicons, read once from analysis/lexicons/figures_*.json."""
    numbers, money, units = _load("numbers"), _load("money"), _load("units")
    hedges, attribution, names = _load("hedges"), _load("attribution"), _load("names")
    ambiguous = {k: v for k, v in money["ambiguous_names"].items() if not k.startswith("_")}
    return _Lexicon(
        units={k: float(v) for k, v in numbers["units"].items()},
        tens={k: float(v) for k, v in numbers["tens"].items()},
        scales={k: float(v) for k, v in numbers["scales"].items()},
        abbreviated={k: float(v) for k, v in numbers["abbreviated_scales"].items()},
        multipliers={k: float(v) for k, v in numbers["multipliers"].items()},
        indefinite={k: float(v) for k, v in numbers["indefinite_plurals"].items()},
        indefinite_determiners=_phrases(numbers["indefinite_determiners"]),
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
        hedges_before=_phrases(hedges["before"]),
        hedges_after=_phrases(hedges["after"]),
        not_before_durations=frozenset(hedges["not_before_durations"]),
        reporting_verbs=frozenset(attribution["reporting_verbs"]),
        document_nouns=frozenset(attribution["document_nouns"]),
        speaker_nouns=frozenset(attribution["speaker_nouns"]),
        count_nouns=frozenset(attribution["count_nouns"]),
        dropped_modifiers=frozenset(attribution["dropped_modifiers"]),
        invariant_nouns=frozenset(attribution["invariant_nouns"]),
        label_nouns=frozenset(names["label_nouns"]),
        months=frozenset(names["months"]),
        relative_time_words=frozenset(names["relative_time_words"]),
        rank_verbs=frozenset(names["rank_verbs"]),
        rank_labels=frozenset(names["rank_labels"]),
        list_marker_punct=frozenset(names["list_marker_punct"]),
        range_connectors=frozenset(numbers["range_connectors"]),
    )


# --------------------------------------------------------------------------- number phrases


@dataclass(slots=True)
class _Phrase:
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


def _word_value(text: str, lex: _Lexicon) -> float | None:
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


def _glued(text: str, lex: _Lexicon) -> tuple[float, str] | None:
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
    for words in table:
        n = len(words)
        if i + n > limit:
            continue
        if all(_norm(doc[i + k]) == w or doc[i + k].lower_ == w for k, w in enumerate(words)):
            return n
    return 0


def _norm(tok: Token) -> str:
    """Lower-case lemma for nouns (plural to singular), lower-case text otherwise."""
    return tok.lemma_.lower() if tok.pos_ in _NOMINAL else tok.lower_


def _lookup(
    doc: Doc, i: int, limit: int, table: dict[tuple[str, ...], str]
) -> tuple[int, str] | None:
    """The longest multi-word entry of `table` starting at token i: (length, value)."""
    best: tuple[int, str] | None = None
    for words, value in table.items():
        n = len(words)
        if i + n > limit or (best is not None and n <= best[0]):
            continue
        ok = True
        for k, w in enumerate(words):
            tok = doc[i + k]
            low = tok.lower_.rstrip(".") if k == n - 1 and len(tok.text) > 2 else tok.lower_
            if low != w and _norm(tok) != w:
                ok = False
                break
            if len(w) == 1 and w.isalpha() and tok.text.isupper():
                ok = False  # "3G" is no gram, "5 M" no metre: one-letter units are lower case
                break
        if ok:
            best = (n, value)
    return best


def _fraction(doc: Doc, i: int, limit: int, lex: _Lexicon) -> _Phrase | None:
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
        j = i + 2 if nxt.text in _HYPHENS and nxt.whitespace_ == "" and i + 2 < limit else i + 1
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


def _and_a_half(doc: Doc, phrase: _Phrase, limit: int, lex: _Lexicon) -> None:
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


def _core(doc: Doc, i: int, limit: int, lex: _Lexicon) -> _Phrase | None:
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
        if tight and doc[j].text in _HYPHENS and doc[j + 1].lower_ in lex.scales:
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


def _abbreviation_is_scale(doc: Doc, j: int, limit: int, lex: _Lexicon) -> bool:
    """Whether a glued "m" after digits is a scale ("1.2m people"), not metres ("2m tall")."""
    if doc[j].lower_ != "m":
        return True
    nxt = doc[j + 1].lower_ if j + 1 < limit else ""
    prev = doc[j - 2] if j >= 2 else None
    if prev is not None and (prev.text in lex.symbols or prev.text.upper() in lex.codes):
        return True
    return nxt not in lex.dimension_words and nxt not in {"of", "in", "from", "above", "below"}


def _words(doc: Doc, i: int, limit: int, lex: _Lexicon) -> _Phrase | None:
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
            low in _HYPHENS
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
) -> _Phrase:
    return _Phrase(
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


def _extend(phrase: _Phrase, doc: Doc, end: int, *, scaled: bool) -> None:
    phrase.end = phrase.core_end = end
    last = doc[end - 1].text
    if len(last) > 1 and last.endswith(".") and last[:-1].isalpha():
        last = last[:-1]  # the sentence's full stop glued to "m."
    phrase.char_end = doc[end - 1].idx + len(last)
    phrase.scaled = phrase.scaled or scaled


def _amount(doc: Doc, phrase: _Phrase, limit: int, lex: _Lexicon) -> None:
    """Attach what makes the number an amount: currency, percent, unit, time unit, "of"."""
    # currency written before: "$", "US$", "€", "USD"
    if phrase.start > 0:
        prev = doc[phrase.start - 1]
        code = lex.symbols.get(prev.text) or (lex.codes.get(prev.text) if prev.is_upper else None)
        if (
            prev.text == "#"
            and prev.whitespace_ == ""
            and (phrase.scaled or _priced(doc[phrase.start].text))
        ):
            code = "GBP"  # "#13 billion": "#" stands for "£" in the British ASCII variant
        if code is None and prev.text.endswith("$") and len(prev.text) <= 4:
            code = "USD" if prev.text.upper().startswith(("US", "U.S.")) else None
        if code is not None and prev.sent == doc[phrase.start].sent:
            phrase.start -= 1
            phrase.char_start = prev.idx
            phrase.kind, phrase.unit = "money", code
    j = phrase.end
    if j >= limit:
        return
    # "10-year", "300-seat": a unit glued to the number with a hyphen
    hyphen = doc[j].text in _HYPHENS and doc[j - 1].whitespace_ == "" and doc[j].whitespace_ == ""
    at = j + 1 if hyphen else j
    if at >= limit:
        return
    if phrase.kind != "money" and not hyphen:
        percent = _lookup(doc, at, limit, lex.percent)
        if percent is not None:
            _unit(phrase, doc, at, at + percent[0], "percent", percent[1])
            return
        money = _lookup(doc, at, limit, lex.currency_names)
        if money is not None:
            _unit(phrase, doc, at, at + money[0], "money", money[1])
            return
        ambiguous = _norm(doc[at])
        if ambiguous in lex.ambiguous_currency and (
            phrase.scaled or _has_word(doc, at + 1, "sterling")
        ):
            _unit(phrase, doc, at, at + 1, "money", lex.ambiguous_currency[ambiguous])
            return
    if phrase.kind == "money":
        # "$249 USD", "$9.99 US dollars": the currency repeated after the amount
        named = _lookup(doc, at, limit, lex.currency_names)
        length = named[0] if named is not None else int(doc[at].text in lex.codes)
        if length and not hyphen:
            _unit(phrase, doc, at, at + length, "money", phrase.unit or "")
        return
    if _inch_mark(doc, at, hyphen):
        _unit(phrase, doc, at, at + 1, "quantity", "inch")
        return
    time = _lookup(doc, at, limit, lex.time_units)
    if time is not None:
        _unit(phrase, doc, at, at + time[0], "duration", time[1])
        phrase.hyphen_unit = hyphen
        end = at + time[0]
        # "27-year-old", "72 years old": an age
        after = end + 1 if end < limit and doc[end].text in _HYPHENS else end
        if after < limit and doc[after].lower_ == "old":
            phrase.age = True  # "27-year-old", "72 years old": the span runs to "old"
            phrase.end = after + 1
            phrase.char_end = doc[after].idx + len(doc[after].text)
        return
    measure = _lookup(doc, at, limit, lex.measures)
    if measure is not None and not (doc[at].lower_ == "m" and phrase.scaled):
        _unit(phrase, doc, at, at + measure[0], "quantity", measure[1])
        phrase.hyphen_unit = hyphen
        return
    if hyphen:
        phrase.hyphen_unit = True
    if not hyphen and doc[at].lower_ == "of":
        phrase.of_token = at
        money = _lookup(doc, at + 1, limit, lex.currency_names) if phrase.indefinite else None
        if money is not None:  # "millions of dollars"
            _unit(phrase, doc, at + 1, at + 1 + money[0], "money", money[1])
            phrase.of_token = None


def _priced(text: str) -> bool:
    """Written like a sum of money: thousands grouped ("80,000") or two decimals ("0.79")."""
    return "," in text or bool(re.fullmatch(r"\d+\.\d\d", text))


def _inch_mark(doc: Doc, i: int, hyphen: bool) -> bool:
    """A double quote glued to a number that opens no quotation: inches ('15" displays')."""
    tok = doc[i]
    if hyphen or tok.text not in {'"', "″", "''"} or doc[i - 1].whitespace_ != "":
        return False
    before = [t for t in doc[tok.sent.start : i] if t.text in {'"', "“", "”", "''", "``"}]
    return len(before) % 2 == 0


def _has_word(doc: Doc, i: int, word: str) -> bool:
    return i < len(doc) and doc[i].lower_ == word


def _unit(phrase: _Phrase, doc: Doc, start: int, end: int, kind: str, unit: str) -> None:
    """Give the phrase its kind and unit; its span runs to the unit ("17,446 kilometers")."""
    phrase.kind, phrase.unit = kind, unit
    phrase.unit_start, phrase.unit_end = start, end
    phrase.end = end
    phrase.char_end = doc[end - 1].idx + len(doc[end - 1].text)


def _scan(doc: Doc, sent: SpacySpan, lex: _Lexicon) -> list[_Phrase]:
    """The number phrases of one sentence, in order, with ranges linked."""
    found: list[_Phrase] = []
    i, limit = sent.start, sent.end
    while i < limit:
        tok = doc[i]
        ranged = _RANGE.match(tok.text)
        if ranged:
            found.extend(_split_range(doc, i, ranged, lex, limit))
            i += 1
            continue
        fraction = _fraction(doc, i, limit, lex)
        if fraction is not None:
            found.append(fraction)
            i = fraction.end
            continue
        phrase = _core(doc, i, limit, lex)
        if phrase is None:
            i += 1
            continue
        _and_a_half(doc, phrase, limit, lex)
        _amount(doc, phrase, limit, lex)
        # "one in five Americans": a proportion
        ratio = _ratio(doc, phrase, limit, lex)
        if ratio is not None:
            found.append(ratio)
            i = ratio.end
            continue
        found.append(phrase)
        i = max(phrase.end, phrase.core_end, i + 1)
        if phrase.of_token is not None and phrase.indefinite:
            i = max(i, phrase.of_token + 1)
    _link_ranges(doc, found, lex)
    return found


def _split_range(
    doc: Doc, i: int, match: re.Match[str], lex: _Lexicon, limit: int
) -> list[_Phrase]:
    """Two figures from a range written as one token ("10,000–15,000")."""
    tok = doc[i]
    out = []
    for group in (1, 3):
        value = float(match.group(group).replace(",", ""))
        start = tok.idx + match.start(group)
        end = tok.idx + match.end(group)
        out.append(_Phrase(i, i + 1, i, i + 1, value, start, end, digits=True))
    first, second = out
    _amount(doc, second, limit, lex)
    if second.start < i:  # "$10–15": the currency written before the range is the first's
        first.start, first.char_start = second.start, doc[second.start].idx
        second.start, second.char_start = i, tok.idx + match.start(3)
    first.kind, first.unit = second.kind, second.unit
    first.unit_start, first.unit_end = second.unit_start, second.unit_end
    first.char_end = tok.idx + match.end(1)
    first.notes.add("range")
    second.notes.add("range")
    return out


def _ratio(doc: Doc, phrase: _Phrase, limit: int, lex: _Lexicon) -> _Phrase | None:
    """ "one in five", "two out of three": a proportion, as a percent."""
    j = phrase.end
    if phrase.kind != "count" or phrase.scaled or j >= limit:
        return None
    if doc[j].lower_ == "in":
        k = j + 1
    elif doc[j].lower_ == "out" and j + 1 < limit and doc[j + 1].lower_ == "of":
        k = j + 2
    else:
        return None
    if k < limit and doc[k].lower_ == "every":  # "one in every five", "one out of every 200"
        k += 1
    if k >= limit:
        return None
    other = _core(doc, k, limit, lex)
    if other is None or other.value <= phrase.value or other.value <= 1 or other.indefinite:
        return None
    _amount(doc, other, limit, lex)
    if other.kind != "count" or other.of_token is not None:
        return None  # "2 in 5 minutes" is not a proportion
    if any(doc[t].ent_type_ in _TIME_LABELS for t in range(other.core_start, other.core_end)):
        return None
    ratio = _Phrase(
        start=phrase.start,
        end=other.core_end,
        core_start=phrase.core_start,
        core_end=other.core_end,
        value=100.0 * phrase.value / other.value,
        char_start=phrase.char_start,
        char_end=other.char_end,
        digits=phrase.digits,
        kind="percent",
        unit="percent",
    )
    ratio.ratio_of = other.core_end
    return ratio


def _link_ranges(doc: Doc, found: list[_Phrase], lex: _Lexicon) -> None:
    """Join the two ends of "two to three million", "$2-3 billion", "between 2 and 4 days"."""
    for n in range(len(found) - 1):
        first, second = found[n], found[n + 1]
        if "range" in first.notes and first.core_start == second.core_start:
            first.range_with, second.range_with = n + 1, n  # both ends of "10,000–15,000"
            continue
        between = [doc[t] for t in range(first.end, second.start)]
        if len(between) != 1 or between[0].lower_ not in lex.range_connectors:
            continue
        joined = first.kind == second.kind or first.kind == "count"
        # "$2-3 billion": the currency before the first end is the second's too
        joined = joined or (first.kind == "money" and between[0].lower_ != "and")
        if not joined or first.range_with is not None or second.range_with is not None:
            continue
        first.range_with, second.range_with = n + 1, n
        first.notes.update({"range", "range-first"})
        second.notes.add("range")
        if not first.scaled and second.scaled and first.value < 1000 and second.value >= 1000:
            magnitude = _scale_of(doc, second, lex)
            if magnitude > 1:
                first.value *= magnitude
                first.scaled = True
        if first.kind == "count" and second.kind != "count":
            first.kind, first.unit = second.kind, second.unit
            first.unit_start, first.unit_end = second.unit_start, second.unit_end
            first.age = second.age
        elif second.kind == "count" and first.kind == "money":
            second.kind, second.unit = first.kind, first.unit
    # "five, six, seven years": the unit of the last number of a list goes to each of them
    for n in range(len(found) - 2, -1, -1):
        first, second = found[n], found[n + 1]
        words = [doc[t].text for t in range(first.end, second.start)]
        bare = first.kind == "count" and first.of_token is None and first.range_with is None
        ent = _entity_of(doc, doc[first.core_start])
        dated = ent is not None and ent[0] < first.core_start  # "November 11, three days later"
        if words == [","] and bare and not dated and second.kind in {"duration", "quantity"}:
            first.kind, first.unit = second.kind, second.unit
            first.unit_start, first.unit_end = second.unit_start, second.unit_end
            first.notes.add("listed")


def _scale_of(doc: Doc, phrase: _Phrase, lex: _Lexicon) -> float:
    """The scale word's multiplier in a phrase ("three million" -> 1e6), else 1."""
    for t in range(phrase.core_start, phrase.core_end):
        low = doc[t].lower_
        if low in lex.scales and lex.scales[low] >= 1000:
            return lex.scales[low]
        if low in lex.abbreviated and t > phrase.core_start:
            return lex.abbreviated[low]
        glued = _glued(doc[t].text, lex)
        if glued is not None:
            return lex.abbreviated[glued[1]]
    return 1.0


# --------------------------------------------------------------------------- what is counted


@dataclass(frozen=True, slots=True)
class _Counted:
    head: int  # token index of the counted noun
    start: int  # first token of the counted phrase (its modifiers)
    plural: bool


def _counted(doc: Doc, phrase: _Phrase, limit: int, lex: _Lexicon) -> _Counted | None:
    """The noun the number quantifies, with its modifiers."""
    if phrase.kind in {"duration", "quantity"} and phrase.unit_start is not None:
        if phrase.age:
            return None
        end = phrase.unit_end or phrase.unit_start + 1
        return _Counted(end - 1, phrase.unit_start, True)
    if phrase.ratio_of is not None:
        return _noun_after(doc, phrase.ratio_of, limit, lex)
    if phrase.of_token is not None:
        found = _of_complement(doc, phrase.of_token, limit, lex)
        if found is not None or phrase.indefinite:
            return found
    after = phrase.end
    after += _hedge_after(doc, after, limit, lex)
    if "fraction" in phrase.notes:
        return _np_from(doc, after, limit, lex)  # "half the price"
    if phrase.kind in {"money", "percent"}:
        if after < limit and doc[after].lower_ == "of" and phrase.kind == "percent":
            return _of_complement(doc, after, limit, lex)
        root = _root(doc, phrase)
        if root.head.lower_ == "worth" and root.head.head.pos_ in _NOMINAL:
            head = root.head.head
            return _with_modifiers(doc, head.i, lex)
        found = _noun_after(doc, after, limit, lex)
        if found is not None:
            if _norm(doc[found.head]) not in lex.codes and doc[found.head].text not in lex.codes:
                return found
            return None
        # "the unemployment rate rose to 5 percent"
        return _number_of(doc, phrase, lex) if phrase.kind == "percent" else None
    found = _noun_after(doc, after, limit, lex)
    if found is not None:
        return found
    if phrase.hyphen_unit or "range-first" in phrase.notes:
        return None  # the first end of a range counts what the second end counts
    return _number_of(doc, phrase, lex)


def _noun_after(doc: Doc, i: int, limit: int, lex: _Lexicon) -> _Counted | None:
    """The noun phrase starting at token i: modifiers then a noun ("political prisoners")."""
    j = i
    head: int | None = None
    while j < limit:
        tok = doc[j]
        if tok.ent_type_ in _TIME_LABELS and head is None and tok.pos_ != "ADJ":
            break
        named = tok.pos_ == "NUM" and not tok.like_num and any(c.isalpha() for c in tok.text)
        gerund = tok.tag_ == "VBG" and tok.dep_ in _NOMINAL_DEPS and j > i  # "a fuel saving"
        if tok.pos_ in _NOMINAL or named or gerund or (tok.pos_ == "PRON" and tok.lower_ == "ones"):
            head = j  # "24 A320s": a model name counted
        elif (
            tok.text in _HYPHENS
            and tok.whitespace_ == ""
            and j > i
            and doc[j - 1].whitespace_ == ""
        ):
            pass
        elif tok.pos_ == "ADJ" or (tok.tag_ in {"VBN", "VBG"} and tok.dep_ in {"amod", "compound"}):
            if head is not None:
                break
        elif (
            tok.pos_ == "NUM"
            and j > i
            and doc[j - 1].pos_ in {"PROPN", "ADJ"}
            and j + 1 < limit
            and doc[j + 1].pos_ in _NOMINAL
        ):
            pass  # "Boeing 787 Dreamliner aircraft": a model number inside the noun phrase
        else:
            break
        j += 1
    if head is None:
        return None
    # the counted noun ends the run of nominals: "five Boeing 737s"
    tok = doc[head]
    if tok.ent_type_ in _TIME_LABELS and tok.lower_ not in lex.invariant_nouns:
        return None
    start = i
    while start < head and (
        doc[start].lower_ in lex.dropped_modifiers or doc[start].text in _HYPHENS
    ):
        start += 1
    return _Counted(head, start, _plural(tok, lex))


def _plural(tok: Token, lex: _Lexicon) -> bool:
    if tok.tag_ in {"NNS", "NNPS"} or tok.lower_ in lex.invariant_nouns:
        return True
    return tok.lemma_.lower() != tok.lower_ and tok.pos_ == "NOUN"


def _of_complement(doc: Doc, of: int, limit: int, lex: _Lexicon) -> _Counted | None:
    """The noun after "of" ("hundreds of protesters", "20 of the planes"); None for pronouns."""
    return _np_from(doc, of + 1, limit, lex)


def _np_from(doc: Doc, j: int, limit: int, lex: _Lexicon) -> _Counted | None:
    """The noun phrase from token j, past its determiner or possessive."""
    while j < limit and (
        doc[j].pos_ == "DET" or doc[j].dep_ in {"poss", "case"} or doc[j].tag_ == "POS"
    ):
        j += 1
    if j >= limit or doc[j].pos_ == "PRON":
        return None
    # "the release of 1,000 of the 1,227": no noun
    if _core(doc, j, limit, lex) is not None and doc[j].pos_ == "NUM":
        return None
    return _noun_after(doc, j, limit, lex)


def _with_modifiers(doc: Doc, head: int, lex: _Lexicon, stop: Collection[int] = ()) -> _Counted:
    """A noun with the adjectival and compound modifiers written right before it."""
    start = head
    while start > 0 and start - 1 not in stop:
        prev = doc[start - 1]
        if prev.head.i == head or prev.head.i >= start:
            if prev.dep_ in {"amod", "compound"} and prev.pos_ in _MODIFIER_POS | {"VERB"}:
                start -= 1
                continue
            if prev.text in _HYPHENS and prev.whitespace_ == "":
                start -= 1
                continue
        break
    while start < head and (
        doc[start].lower_ in lex.dropped_modifiers or doc[start].text in _HYPHENS
    ):
        start += 1
    return _Counted(head, start, _plural(doc[head], lex))


def _root(doc: Doc, phrase: _Phrase, *, whole: bool = False) -> Token:
    """The token of the number (or of the whole amount) that attaches it to the sentence."""
    start, end = (phrase.start, phrase.end) if whole else (phrase.core_start, phrase.core_end)
    for t in range(start, end):
        head = doc[t].head.i
        if head == t or head < start or head >= end:
            return doc[t]
    return doc[end - 1]


def _number_of(doc: Doc, phrase: _Phrase, lex: _Lexicon) -> _Counted | None:
    """What a bare number counts from its clause: "the number of detainees rose to 300"."""
    root = _root(doc, phrase, whole=True)
    # "Deaths: 2"
    if root.dep_ == "appos" and root.head.i < root.i and root.head.pos_ in _NOMINAL:
        between = [doc[t].text for t in range(root.head.i + 1, root.i)]
        if between == [":"]:
            return _with_modifiers(doc, root.head.i, lex)
    verb = root.head
    hops = 0
    while verb.pos_ == "ADP" or (verb.dep_ == "prep" and verb.pos_ != "VERB"):
        verb = verb.head
        hops += 1
        if hops > 3 or verb.head.i == verb.i:
            break
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    for child in verb.children:
        if child.dep_ not in {"nsubj", "nsubjpass", "dobj", "attr"} or child.i == root.i:
            continue
        if child.lemma_.lower() not in lex.count_nouns:
            continue
        for prep in child.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    if obj.dep_ == "pobj" and obj.pos_ in _NOMINAL:
                        return _with_modifiers(doc, obj.i, lex)
        counted = _with_modifiers(doc, child.i, lex)
        if counted.start < child.i:  # "the death toll": the compound says what is counted
            return counted
    return None


def _counted_text(article_text: str, doc: Doc, counted: _Counted) -> tuple[str, str]:
    """The counted phrase as written and its ledger key (lemmas, singular, lower case)."""
    tokens = [doc[t] for t in range(counted.start, counted.head + 1)]
    text = article_text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    parts = []
    for tok in tokens:
        if tok.pos_ == "NUM":
            form = tok.text
        elif tok.i == counted.head:
            form = tok.lower_ if tok.tag_ == "VBG" else _singular(tok)  # "saving", not "save"
        else:
            form = tok.lower_
        parts.append(form + (" " if tok.whitespace_ and tok.i != counted.head else ""))
    return text, "".join(parts).strip()


def _singular(tok: Token) -> str:
    """The singular, lower-case form of a noun: spaCy's lemma, else an English rule."""
    lemma = tok.lemma_.lower()
    low = tok.lower_
    if tok.tag_ in {"NNS", "NNPS"} and lemma == low and len(low) > 3:
        if low.endswith("ies"):
            return low[:-3] + "y"
        if low.endswith(("sses", "ches", "shes", "xes")):
            return low[:-2]
        if low.endswith("s") and not low.endswith("ss"):
            return low[:-1]
    return lemma or low


# --------------------------------------------------------------------------- not figures


def _is_time_expression(doc: Doc, phrase: _Phrase, counted: _Counted | None, lex: _Lexicon) -> bool:
    """Years, dates and times of day, which belong to the timeline."""
    core = [doc[t] for t in range(phrase.core_start, phrase.core_end)]
    end = phrase.end
    if phrase.age:
        return False
    if phrase.kind == "duration":
        if end < len(doc) and doc[end].lower_ in lex.relative_time_words:
            return True  # "two years ago" anchors to the calendar
        return _vague_one(doc, phrase)
    if phrase.kind in {"money", "percent", "quantity"}:
        return False
    if _rate(doc, phrase.core_end, lex):
        return False  # "15 a year", "10 per month": a rate, not a date
    timed = [t for t in core if t.ent_type_ in _TIME_LABELS]
    if timed and phrase.ratio_of is None:
        if _counts_plural(doc, phrase, counted):
            return False  # "a total of 1407 suspected cases": counting a plural noun, no date
        ent = _entity_of(doc, timed[0])
        alone = ent is not None and ent[0] >= phrase.core_start and ent[1] <= phrase.core_end
        # a lone small number tagged DATE ("ANA have ordered 55") is the tagger's slip
        return not alone or _yearlike(core[0].text) or not phrase.digits
    before = doc[phrase.core_start - 1] if phrase.core_start > 0 else None
    after = doc[phrase.core_end] if phrase.core_end < len(doc) else None
    if before is not None and before.lower_ in lex.months:
        return True
    if after is not None and (after.lower_ in lex.months or after.lower_ in lex.clock_words):
        return phrase.digits
    return False


def _entity_of(doc: Doc, tok: Token) -> tuple[int, int] | None:
    """Token bounds of the named entity holding `tok`, from the IOB tags (doc.ents is slow)."""
    if not tok.ent_type_:
        return None
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def _rate(doc: Doc, i: int, lex: _Lexicon) -> bool:
    """ "a year", "per month", "each week" at token i: the number before it is a rate."""
    if i + 1 >= len(doc) or doc[i].lower_ not in {"a", "an", "per", "each", "every"}:
        return False
    return (doc[i + 1].lower_,) in lex.time_units


def _vague_one(doc: Doc, phrase: _Phrase) -> bool:
    """ "One day, ..." tells when, not how long; "for one day" and "a one-day strike" do."""
    if doc[phrase.core_start].lower_ != "one" or phrase.hyphen_unit:
        return False
    if phrase.core_start == doc[phrase.core_start].sent.start:
        return True
    return doc[phrase.core_start - 1].pos_ not in {"ADP", "ADJ", "VERB", "AUX", "DET"}


def _is_year(doc: Doc, phrase: _Phrase, counted: _Counted | None) -> bool:
    """ "in 2009", "the 2020 election", "the 2009 figures"; not "1200 children"."""
    tok = doc[phrase.core_start]
    if phrase.core_end - phrase.core_start != 1 or not _yearlike(tok.text):
        return False
    if phrase.kind != "count":
        return False
    return not _counts_plural(doc, phrase, counted)


def _yearlike(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1000 <= int(text) <= 2100


def _counts_plural(doc: Doc, phrase: _Phrase, counted: _Counted | None) -> bool:
    """Whether the number counts a plural noun written after it (so it is no year or date)."""
    if counted is None or not counted.plural or counted.head < phrase.core_end:
        return False
    if doc[counted.head].ent_type_ in _TIME_LABELS and doc[counted.head].pos_ != "NOUN":
        return False
    if _yearlike(doc[phrase.core_start].text) and phrase.core_start > 0:
        prev = doc[phrase.core_start - 1]
        if prev.pos_ == "DET" or prev.tag_ in {"POS", "PRP$"}:
            return False  # "the 2009 figures", "its 2010 accounts"
    return True


def _is_label(
    doc: Doc,
    phrase: _Phrase,
    counted: _Counted | None,
    lex: _Lexicon,
    earlier: Collection[float],
) -> str | None:
    """Why the number is a name, a label, a rank, a list marker or a reference, or None."""
    first = doc[phrase.core_start]
    sent_start = first.sent.start
    prev = doc[phrase.core_start - 1] if phrase.core_start > sent_start else None
    nxt = doc[phrase.core_end] if phrase.core_end < len(doc) else None
    if phrase.start < phrase.core_start or phrase.kind in {"money", "percent"} or phrase.age:
        return None
    single = phrase.core_end - phrase.core_start == 1
    text = first.text
    # a noun counted by the number, written after it ("300 people"), not before ("page 5")
    noun_after = counted is not None and counted.head >= phrase.core_end
    if phrase.digits and "," not in text and len(text.split(".")[0]) >= 6:
        return "identifier"  # "970814010223"
    if phrase.digits and len(text) > 1 and text[0] == "0" and text[1].isdigit():
        return "identifier"  # "serial number 001": counts have no leading zeros
    if phrase.digits and "." in text and len(text.split(".")[-1]) >= 4:
        return "identifier"  # coordinates, "2007.1775"
    glued = nxt is not None and first.whitespace_ == "" and nxt.is_alpha
    if phrase.digits and glued and phrase.end == phrase.core_end and not phrase.scaled:
        return "name"  # "3G", "4K": digits glued to letters that are no unit
    if prev is not None:
        bracketed = nxt is not None and nxt.text in {"]", ")"} and single
        if bracketed and (prev.text == "[" or (prev.text == "(" and _line_start(doc, prev.i))):
            return "marker"  # "[02]", "(1) ..."
        if prev.text == "/" or (nxt is not None and nxt.text == "/" and nxt.whitespace_ == ""):
            return "slash"  # "11 / 16 / 1982", "9/11", "24/7"
        if prev.text in {"'", "’"} and prev.whitespace_ == "" and len(text) == 2:
            return "year"  # "iLife '11", "the class of '09"
        if prev.text in _HYPHENS and prev.whitespace_ == "" and prev.i > sent_start:
            before = doc[prev.i - 1]
            if (
                before.whitespace_ == ""
                and any(c.isalpha() for c in before.text)
                and before.text[0].isupper()
            ):
                return "model"  # "F-16", "Catch-22", "A380-800": part of one name
        label = prev.lower_
        if label == "." and prev.i > sent_start and doc[prev.i - 1].whitespace_ == "":
            label = doc[prev.i - 1].lower_ + "."  # "No" "." split by the tokenizer
        if label in lex.rank_labels and single and phrase.kind == "count":
            ranked = noun_after or (nxt is not None and nxt.pos_ in {"ADJ", "NOUN"})
            if ranked and phrase.value < 1000:
                return "rank"  # "the No. 1 music seller", "the number one airline"
        named = phrase.digits or (text[0].isupper() and not noun_after)
        if label in lex.label_nouns and (named or label in lex.rank_labels):
            return "label"  # "page 5", "Flight 447", "week 11", "Chapter Eleven"
    if phrase.kind != "count":
        return None
    listed = nxt is not None and nxt.text in lex.list_marker_punct and phrase.value < 100
    if listed and single and _line_start(doc, phrase.core_start):
        return "marker"  # "1." or "2)" opening a line of a list
    alone = phrase.of_token is not None or not noun_after
    if first.lower_ == "one" and single and "range" not in phrase.notes and alone:
        return "pronoun"  # "one of the world's leading producers", "no one"
    opening = prev is None or prev.text in {'"', "“", "‘", "'", "``"} or prev.is_space
    if first.text == "One" and single and opening and not phrase.scaled:
        return "determiner"  # "One important difference is ...", '"One more thing"'

    if phrase.digits and prev is not None and single:
        owner = prev.i
        if prev.tag_ == "POS" and prev.i > sent_start and doc[prev.i - 1].pos_ == "PROPN":
            owner = prev.i - 1
        # a capitalised word inside the sentence is a name whatever its tag ("iOS 4")
        capital = prev.is_alpha and any(c.isupper() for c in prev.text) and prev.i > sent_start
        nominal = prev.pos_ in _NOMINAL or owner != prev.i or capital
        if nominal and prev.ent_type_ not in _TIME_LABELS and prev.text != ":":
            if not noun_after and phrase.of_token is None:
                return "name"  # "iPhone 4", "Boeing's 787", "cases 30"
            if _root(doc, phrase).head.i <= owner and owner == prev.i:
                return "name"  # "Boeing 777 planes": the number hangs from the name before it
        short = "," not in text and "." not in text and len(text) >= 3
        bare = not noun_after and phrase.of_token is None and phrase.value not in earlier
        modified = nxt is not None and (nxt.tag_ in {"VBN", "VBD"} or nxt.pos_ == "ADJ")
        if prev.lower_ == "the" and short and bare and not modified:
            return "name"  # "shrink the 787": a definite number with no antecedent names a model
    capitalised = single and not phrase.digits and text[0].isupper() and first.i > sent_start
    if capitalised and first.ent_type_ in _NAME_LABELS:
        return "name"  # "Formula One", "Group of Seven"
    if phrase.digits and noun_after and counted is not None and not counted.plural:
        head = doc[counted.head]
        adjacent = counted.head == phrase.core_end
        determined = prev is not None and (prev.pos_ == "DET" or prev.tag_ in {"PRP$", "POS"})
        modelled = phrase.value != 1 and not phrase.hyphen_unit and head.pos_ in _NOMINAL
        if (adjacent or determined) and modelled and "," not in text and phrase.of_token is None:
            return "name"  # "the 787 Dreamliner", "their 737 narrowbody airliner"
    return None


def _line_start(doc: Doc, i: int) -> bool:
    if i == 0:
        return True
    prev = doc[i - 1]
    return "\n" in prev.text_with_ws or prev.is_space


# --------------------------------------------------------------------------- hedges


def _hedge_before(doc: Doc, phrase: _Phrase, lex: _Lexicon) -> str | None:
    """The hedge written right before the figure ("as many as", "more than")."""
    start = phrase.start
    sent_start = doc[phrase.start].sent.start
    for words in lex.hedges_before:
        n = len(words)
        if start - n < sent_start:
            continue
        tokens = [doc[start - n + k] for k in range(n)]
        if all(tok.lower_ == w for tok, w in zip(tokens, words, strict=True)):
            if phrase.kind == "duration" and " ".join(words) in lex.not_before_durations:
                continue
            if words == ("some",) and tokens[0].dep_ == "det" and tokens[0].head.i < start:
                continue
            return doc[start - n : start].text
    return None


def _hedge_after(doc: Doc, i: int, limit: int, lex: _Lexicon) -> int:
    """Length in tokens of a hedge written right after a number ("or more", "plus")."""
    for words in lex.hedges_after:
        n = len(words)
        if i + n <= limit and all(doc[i + k].lower_ == w for k, w in enumerate(words)):
            return n
    return 0


# --------------------------------------------------------------------------- sources


class _Mentions:
    """The article's entity mentions, looked up by character offset."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.items = sorted(mentions, key=lambda m: (m.span.start, -m.span.end))

    def covering(self, start: int, end: int) -> Mention | None:
        for m in self.items:
            if m.span.start <= start and end <= m.span.end:
                return m
            if m.span.start > start:
                break
        return None

    def inside(self, start: int, end: int) -> Mention | None:
        for m in self.items:
            if start <= m.span.start and m.span.end <= end:
                return m
        return None

    def last_person_before(self, offset: int) -> Mention | None:
        best = None
        for m in self.items:
            if m.span.start >= offset:
                break
            if m.entity.type == "PERSON":
                best = m
        return best


def _source(
    doc: Doc, start: Token, figure_tokens: set[int], mentions: _Mentions, lex: _Lexicon
) -> tuple[str | None, EntityKey | None]:
    """Who reports the figure: a reporting verb's subject, "according to X" or "X said"."""
    tok: Token = start
    for _ in range(40):
        if not _same_paragraph(doc, start.i, tok.i):
            break
        for child in tok.children:
            agent = _according_to(child)
            if agent is not None and _same_paragraph(doc, start.i, agent.i):
                return _agent(doc, agent, mentions, lex)
        if tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in lex.reporting_verbs:
            found = _verb_agent(doc, tok, figure_tokens, mentions, lex)
            if found[0] is not None:
                return found
        for child in tok.children:
            if child.dep_ == "parataxis" and child.lemma_.lower() in lex.reporting_verbs:
                found = _verb_agent(doc, child, figure_tokens, mentions, lex)
                if found[0] is not None:
                    return found
        if tok.head.i == tok.i or tok.dep_ == "relcl":
            break  # a relative clause describes its noun; the main clause does not report it
        tok = tok.head
    for other in start.sent:
        agent = _according_to(other)
        if agent is not None and _same_paragraph(doc, start.i, agent.i):
            return _agent(doc, agent, mentions, lex)
    return None, None


def _same_paragraph(doc: Doc, a: int, b: int) -> bool:
    """No blank line between tokens a and b (the parser sometimes joins paragraphs)."""
    low, high = min(a, b), max(a, b)
    return all("\n\n" not in doc[t].text_with_ws for t in range(low, high))


def _according_to(tok: Token) -> Token | None:
    if tok.lower_ != "according":
        return None
    for prep in tok.children:
        if prep.lower_ == "to":
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return obj
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        for obj in nxt.children:
            if obj.dep_ == "pobj":
                return obj
    return None


def _verb_agent(
    doc: Doc, verb: Token, figure_tokens: set[int], mentions: _Mentions, lex: _Lexicon
) -> tuple[str | None, EntityKey | None]:
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "csubj"}]
    for child in verb.children:
        if child.dep_ == "agent":
            subjects += [obj for obj in child.children if obj.dep_ == "pobj"]
    # the subject nearest the verb, within the figure's paragraph
    subjects = [s for s in subjects if _same_paragraph(doc, s.i, verb.i)]
    if not subjects:
        return None, None
    subject = min(subjects, key=lambda s: (s.i > verb.i, abs(s.i - verb.i)))
    if any(t.i in figure_tokens for t in subject.subtree):
        return None, None  # "300 people said ...": the counted are not the source
    return _agent(doc, subject, mentions, lex)


def _agent(
    doc: Doc, tok: Token, mentions: _Mentions, lex: _Lexicon
) -> tuple[str | None, EntityKey | None]:
    """A source as written and its entity, from the head token of its noun phrase."""
    for _ in range(3):
        if tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl":
            tok = tok.head.head
            continue
        if tok.lemma_.lower() in lex.document_nouns and tok.lower_ not in lex.speaker_nouns:
            author = _author(tok)
            if author is None:
                break
            tok = author
            continue
        break
    if tok.pos_ == "PRON":
        if tok.lower_ in _PERSONAL:
            person = mentions.last_person_before(tok.idx)
            return tok.text, person.entity if person is not None else None
        return None, None
    mention = mentions.covering(tok.idx, tok.idx + len(tok.text))
    if mention is None:
        for child in tok.children:
            if child.dep_ == "appos":
                mention = mentions.covering(child.idx, child.idx + len(child.text))
                if mention is not None:
                    break
    if mention is not None:
        return mention.span.text, mention.entity
    if tok.lemma_.lower() in lex.document_nouns and tok.lower_ not in lex.speaker_nouns:
        return None, None  # "according to reports": no one named
    left, right = _noun_phrase(tok)
    while left < right and doc[left].pos_ == "DET":
        left += 1
    text = doc[left : right + 1].text
    inner = mentions.inside(doc[left].idx, doc[right].idx + len(doc[right].text))
    return text, inner.entity if inner is not None else None


def _author(tok: Token) -> Token | None:
    """The author of a document noun: "a statement from X", "X's figures"."""
    for child in tok.children:
        if child.dep_ == "poss":
            return child
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in {"from", "by", "of"}:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    for child in tok.children:
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            return child
    return None


def _noun_phrase(tok: Token) -> tuple[int, int]:
    """Token bounds of a noun phrase without its relative clauses and appositions."""
    left = right = tok.i
    for child in tok.children:
        if child.dep_ not in _NP_DEPS:
            continue
        sub = list(child.subtree)
        if child.i < tok.i:
            left = min(left, sub[0].i)
        else:
            right = max(right, sub[-1].i)
    return left, right


# --------------------------------------------------------------------------- "a" as one


def _coordinated_ones(
    doc: Doc,
    sent: SpacySpan,
    heads: Sequence[int],
    taken: set[int],
    amounts: set[int],
    lex: _Lexicon,
) -> list[tuple[_Phrase, _Counted]]:
    """ "a 27-year-old woman and 2 males": an indefinite article in a list of counts counts one."""
    out = []
    seen: set[int] = set()
    for head in heads:
        if not sent.start <= head < sent.end:
            continue
        tok = doc[head]
        partners = list(tok.conjuncts)
        for other in partners:
            if other.i in seen or other.tag_ != "NN" or other.ent_type_ in _TIME_LABELS:
                continue
            article = [c for c in other.children if c.dep_ == "det" and c.lower_ in {"a", "an"}]
            if not article or article[0].i in taken:
                continue
            if any(t in amounts for t in range(article[0].i, other.i)):
                continue  # "1,400 employees and a 30-year contract": a thing measured, not counted
            seen.add(other.i)
            det = article[0]
            phrase = _Phrase(det.i, det.i + 1, det.i, det.i + 1, 1.0, det.idx, det.idx + len(det))
            out.append((phrase, _with_modifiers(doc, other.i, lex, stop=taken)))
    return out


# --------------------------------------------------------------------------- ordinals


def _ordinals(doc: Doc, sent: SpacySpan, taken: set[int], lex: _Lexicon) -> list[_Phrase]:
    """Ranks: "the world's third-largest producer", "ranked 5th"."""
    out = []
    for tok in sent:
        if tok.i in taken or tok.ent_type_ in _TIME_LABELS:
            continue
        match = _ORDINAL_DIGITS.match(tok.text)
        value = float(match.group(1)) if match else lex.ordinals.get(tok.lower_)
        if value is None:
            continue
        nxt = tok.i + 1
        if nxt < sent.end and doc[nxt].text in _HYPHENS and tok.whitespace_ == "":
            nxt += 1
        superlative = nxt < sent.end and doc[nxt].tag_ == "JJS"
        ranked = (
            tok.head.i < tok.i
            and tok.head.lemma_.lower() in lex.rank_verbs
            and tok.dep_ in _RANK_DEPS
        )
        if not superlative and not ranked:
            continue
        phrase = _Phrase(
            tok.i, tok.i + 1, tok.i, tok.i + 1, value, tok.idx, tok.idx + len(tok.text)
        )
        phrase.kind = "ordinal"
        phrase.digits = bool(match)
        if superlative:
            phrase.unit_start = nxt
        out.append(phrase)
    return out


# --------------------------------------------------------------------------- the extractor


def extract_figures(doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[Figure]:
    """Numbers reported in `doc` with what they count, their hedge and their source."""
    lex = lexicon()
    index = _Mentions(mentions)
    text = article.text
    figures: list[Figure] = []
    names: set[str] = set()
    pairs: set[tuple[str, str]] = set()  # ("iphone", "4"): a name and its number
    earlier: set[float] = set()  # values already counted, antecedents of "the 123"
    pending: list[tuple[_Phrase, _Counted | None, SpacySpan]] = []
    for sent in doc.sents:
        phrases = _scan(doc, sent, lex)
        labels: dict[int, str | None] = {}
        counted_of: dict[int, _Counted | None] = {}
        for n, phrase in enumerate(phrases):
            phrase.age = phrase.age or _is_age(doc, phrase, lex)
            counted = _counted(doc, phrase, sent.end, lex)
            counted_of[n] = counted
            labels[n] = _is_label(doc, phrase, counted, lex, earlier)
            word = doc[phrase.core_start].text
            if labels[n] == "name" and phrase.digits and phrase.core_start > sent.start:
                pairs.add((doc[phrase.core_start - 1].lower_, word))
            if labels[n] == "name" and phrase.digits and len(word) >= 3 and not _yearlike(word):
                names.add(word)
        for n, phrase in enumerate(phrases):
            for m, other in counted_of.items():
                inside = other is not None and other.start <= phrase.core_start < other.head
                if m != n and inside and phrase.digits and labels[n] is None:
                    labels[n] = "name"  # "20 of Boeing's 777 planes": 20 counts, 777 names
        for n, phrase in enumerate(phrases):
            counted = counted_of[n]
            if phrase.range_with is not None and counted is None:
                counted = counted_of.get(phrase.range_with)
                if counted is not None and counted.head < phrase.start:
                    counted = None
            if labels[n] == "rank":
                phrase.kind = "ordinal"  # "the No. 1 music seller"
            elif labels[n] is not None:
                continue
            if phrase.range_with is not None and labels.get(phrase.range_with) is not None:
                continue
            if _is_time_expression(doc, phrase, counted, lex) or _is_year(doc, phrase, counted):
                continue
            pending.append((phrase, counted, sent))
            if phrase.kind == "count":
                earlier.add(phrase.value)
        taken = {t for p in phrases for t in range(p.core_start, p.core_end)}
        counted_heads = [c.head for p, c, _ in pending if c is not None and p.kind == "count"]
        covered = {t for p in phrases for t in range(p.start, p.end)}
        amounts = {t for p in phrases if not p.age for t in range(p.start, p.end)}
        for phrase, counted in _coordinated_ones(doc, sent, counted_heads, covered, amounts, lex):
            pending.append((phrase, counted, sent))
        for phrase in _ordinals(doc, sent, taken, lex):
            counted = None
            if phrase.unit_start is not None:
                head = doc[phrase.unit_start].head
                if head.pos_ in _NOMINAL and head.i > phrase.unit_start:
                    counted = _Counted(head.i, phrase.unit_start, _plural(head, lex))
                phrase.unit_start = None
            pending.append((phrase, counted, sent))
    for phrase, counted, sent in sorted(pending, key=lambda p: p[0].char_start):
        word = doc[phrase.core_start].text
        before = doc[phrase.core_start - 1].lower_ if phrase.core_start > sent.start else ""
        named = word in names or (before, word) in pairs
        if named and phrase.digits and phrase.kind == "count" and phrase.start == phrase.core_start:
            continue  # the article names a model with this number elsewhere ("Boeing 777")
        figure = _figure(doc, text, article.doc_id, phrase, counted, sent, index, lex)
        if figure is not None:
            figures.append(figure)
    return figures


def _figure(
    doc: Doc,
    text: str,
    doc_id: str,
    phrase: _Phrase,
    counted: _Counted | None,
    sent: SpacySpan,
    index: _Mentions,
    lex: _Lexicon,
) -> Figure | None:
    start, end = phrase.char_start, phrase.char_end
    if not (0 <= start < end <= len(text)):
        return None
    span = Span(start, end, text[start:end], sent.text, sent.start_char)
    kind = phrase.kind
    unit = phrase.unit
    counted_text: str | None = None
    counted_key: str | None = None
    if phrase.age:
        kind, unit, counted_text, counted_key = "quantity", "year", "age", "age"
    elif counted is not None:
        counted_text, counted_key = _counted_text(text, doc, counted)
    if kind == "duration" and counted is not None and unit is not None:
        counted_key = unit
    figure_tokens = set(range(phrase.start, phrase.end))
    if counted is not None:
        figure_tokens |= set(range(counted.start, counted.head + 1))
    anchor = doc[counted.head] if counted is not None else _root(doc, phrase, whole=True)
    source, entity = _source(doc, anchor, figure_tokens, index, lex)
    return replace(
        Figure(
            doc_id=doc_id,
            span=span,
            value=float(phrase.value),
            counted=counted_text,
            qualifier=_qualifier(doc, phrase, sent, lex),
            kind=kind,
        ),
        unit=unit,
        counted_key=counted_key,
        source=source,
        source_entity=entity,
    )


def _is_age(doc: Doc, phrase: _Phrase, lex: _Lexicon) -> bool:
    """ "aged 45", "the age of 5", "ages 2 to 5": an age in years."""
    if phrase.age:
        return True
    if phrase.kind not in {"count", "duration"} or phrase.core_start == 0:
        return False
    prev = doc[phrase.core_start - 1]
    if prev.lower_ in lex.age_words:
        return True
    return (
        prev.lower_ == "of"
        and phrase.core_start >= 2
        and doc[phrase.core_start - 2].lower_ in lex.age_words
    )


def _qualifier(doc: Doc, phrase: _Phrase, sent: SpacySpan, lex: _Lexicon) -> str | None:
    before = _hedge_before(doc, phrase, lex)
    if before is not None:
        return before
    n = _hedge_after(doc, phrase.core_end if phrase.kind == "count" else phrase.end, sent.end, lex)
    if n:
        at = phrase.core_end if phrase.kind == "count" else phrase.end
        return doc[at : at + n].text
    return None
