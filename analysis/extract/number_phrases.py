"""Number phrases of a sentence: amounts with currency, percent or unit, ratios and ranges."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from analysis.extract.numbers import (
    _RANGE,
    HYPHENS,
    TIME_LABELS,
    NumberLexicon,
    Phrase,
    _and_a_half,
    _fraction,
    _glued,
    _has_word,
    norm,
    read_number,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

# Any digit: every reading of a number in digits needs one.
_ANY_DIGIT = re.compile(r"\d")


def _lookup(
    doc: Doc, i: int, limit: int, table: dict[tuple[str, ...], str]
) -> tuple[int, str] | None:
    """The longest multi-word entry of `table` starting at token i: (length, value)."""
    best: tuple[int, str] | None = None
    first = doc[i]
    entries, by_first = _index(table)
    low = first.lower_
    # "" holds the (unlikely) empty entries, which match anywhere
    keys = {"", low, low.rstrip("."), norm(first)}
    candidates = sorted(n for key in keys for n in by_first.get(key, ()))
    for words, value in (entries[n] for n in candidates):
        n = len(words)
        if i + n > limit or (best is not None and n <= best[0]):
            continue
        ok = True
        for k, w in enumerate(words):
            tok = doc[i + k]
            low = tok.lower_.rstrip(".") if k == n - 1 and len(tok.text) > 2 else tok.lower_
            if low != w and norm(tok) != w:
                ok = False
                break
            if len(w) == 1 and w.isalpha() and tok.text.isupper():
                ok = False  # "3G" is no gram, "5 M" no metre: one-letter units are lower case
                break
        if ok:
            best = (n, value)
    return best


# Per table (kept alive here, so its id is never reused): its entries in order, and the
# positions of the entries by first word, so a lookup tries only those that can match.
_INDEXES: dict[
    int, tuple[dict[tuple[str, ...], str], list[tuple[tuple[str, ...], str]], dict[str, list[int]]]
] = {}


def _index(
    table: dict[tuple[str, ...], str],
) -> tuple[list[tuple[tuple[str, ...], str]], dict[str, list[int]]]:
    """The entries of a lookup table in order, and their positions by first word."""
    found = _INDEXES.get(id(table))
    if found is None or found[0] is not table:
        entries = list(table.items())
        by_first: dict[str, list[int]] = {}
        for n, (words, _) in enumerate(entries):
            by_first.setdefault(words[0] if words else "", []).append(n)
        found = _INDEXES[id(table)] = (table, entries, by_first)
    return found[1], found[2]


def _amount(doc: Doc, phrase: Phrase, limit: int, lex: NumberLexicon) -> None:
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
    hyphen = doc[j].text in HYPHENS and doc[j - 1].whitespace_ == "" and doc[j].whitespace_ == ""
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
        ambiguous = norm(doc[at])
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
        after = end + 1 if end < limit and doc[end].text in HYPHENS else end
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


def _unit(phrase: Phrase, doc: Doc, start: int, end: int, kind: str, unit: str) -> None:
    """Give the phrase its kind and unit; its span runs to the unit ("17,446 kilometers")."""
    phrase.kind, phrase.unit = kind, unit
    phrase.unit_start, phrase.unit_end = start, end
    phrase.end = end
    phrase.char_end = doc[end - 1].idx + len(doc[end - 1].text)


def scan(
    doc: Doc, sent: SpacySpan, lex: NumberLexicon, starts: Sequence[int] | None = None
) -> list[Phrase]:
    """The number phrases of one sentence, in order, with ranges linked.

    `starts`: the doc's `may_start` positions, when the caller scans many sentences of it.
    """
    found: list[Phrase] = []
    i, limit = sent.start, sent.end
    while i < limit:
        if starts is not None:
            k = bisect_left(starts, i)  # the next token a phrase may start at
            if k == len(starts) or starts[k] >= limit:
                break
            i = starts[k]
        elif not _may_start(doc[i], lex):
            i += 1
            continue
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
        phrase = read_number(doc, i, limit, lex)
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


def may_start(doc: Doc, lex: NumberLexicon) -> list[int]:
    """The tokens of `doc` a number phrase can start at (`_may_start`), in order.

    `_may_start` reads a token's text, lemma and part of speech alone, so its answer is kept
    per distinct (text, lemma, POS) and the doc is read as one array, not token by token.
    """
    from spacy.attrs import LEMMA, ORTH, POS

    if not len(doc):
        return []
    held = _STARTS.get(id(lex))
    if held is None or held[0] is not lex:  # kept with its lexicon: an id is reused after it
        held = _STARTS[id(lex)] = (lex, {})
    memo = held[1]
    if len(memo) >= _STARTS_MAX:
        memo.clear()
    out = []
    for i, key in enumerate(map(tuple, doc.to_array([ORTH, LEMMA, POS]).tolist())):
        known = memo.get(key)
        if known is None:
            known = memo[key] = _may_start(doc[i], lex)
        if known:
            out.append(i)
    return out


# id(lexicon) -> (that lexicon, (orth, lemma, pos) -> `_may_start`).
_STARTS: dict[int, tuple[NumberLexicon, dict[tuple[int, ...], bool]]] = {}
_STARTS_MAX = 1 << 17


def _may_start(tok: Token, lex: NumberLexicon) -> bool:
    """Whether a number phrase (range, fraction or number) can start at this token."""
    low = tok.lower_
    return (
        low in lex.starters
        or "-" in low
        or _ANY_DIGIT.search(tok.text) is not None
        or norm(tok) in lex.starters
    )


def _split_range(
    doc: Doc, i: int, match: re.Match[str], lex: NumberLexicon, limit: int
) -> list[Phrase]:
    """Two figures from a range written as one token ("10,000–15,000")."""
    tok = doc[i]
    out = []
    for group in (1, 3):
        value = float(match.group(group).replace(",", ""))
        start = tok.idx + match.start(group)
        end = tok.idx + match.end(group)
        out.append(Phrase(i, i + 1, i, i + 1, value, start, end, digits=True))
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


def _ratio(doc: Doc, phrase: Phrase, limit: int, lex: NumberLexicon) -> Phrase | None:
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
    other = read_number(doc, k, limit, lex)
    if other is None or other.value <= phrase.value or other.value <= 1 or other.indefinite:
        return None
    _amount(doc, other, limit, lex)
    if other.kind != "count" or other.of_token is not None:
        return None  # "2 in 5 minutes" is not a proportion
    if any(doc[t].ent_type_ in TIME_LABELS for t in range(other.core_start, other.core_end)):
        return None
    ratio = Phrase(
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


def _link_ranges(doc: Doc, found: list[Phrase], lex: NumberLexicon) -> None:
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
        ent = entity_of(doc, doc[first.core_start])
        dated = ent is not None and ent[0] < first.core_start  # "November 11, three days later"
        if words == [","] and bare and not dated and second.kind in {"duration", "quantity"}:
            first.kind, first.unit = second.kind, second.unit
            first.unit_start, first.unit_end = second.unit_start, second.unit_end
            first.notes.add("listed")


def _scale_of(doc: Doc, phrase: Phrase, lex: NumberLexicon) -> float:
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


def entity_of(doc: Doc, tok: Token) -> tuple[int, int] | None:
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
