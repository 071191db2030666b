"""Time expressions in plain text and their TIMEX3 values: the reading of what they say.

`scan(text)` finds candidate expressions (patterns in `timex_patterns`) with what they say (a
`Spec`); `resolve(spec, ...)` (in `timex_calendar`) turns a spec into first and last day,
granularity and TIMEX3 value against a reference date.
Nothing here knows about spaCy: the parse-based filters and the tense live in `timeline`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from analysis.extract.timex_calendar import (
    FUTURE_REF,
    PAST_REF,
    PRESENT_REF,
    Resolved,
    Spec,
    _valid,
    calendar,
    defined_period,
    grammar,
    resolve,
)
from analysis.extract.timex_patterns import (
    PERIOD_END,
    _alt,
    _required,
    _required_words,
    patterns,
)

# What `timeline` reads from here, the calendar's names included.
__all__ = [
    "Expr",
    "Resolved",
    "Spec",
    "calendar",
    "defined_period",
    "grammar",
    "month_number",
    "parse_calendar_string",
    "period_end",
    "resolve",
    "scan",
]


@dataclass(frozen=True, slots=True)
class Expr:
    """A candidate expression at `start:end` of the scanned text."""

    start: int
    end: int
    kind: str  # the pattern that found it, for the parse-based filters
    spec: Spec
    end_spec: Spec | None = None  # a range's last point


# --- reading matches --------------------------------------------------------------------------


def month_number(word: str) -> int | None:
    """1-12 for a month name or abbreviation as written ("Sept.", "July")."""
    months: dict[str, int] = calendar()["months"]
    return months.get(word.rstrip(".").strip())


def number_value(word: str) -> float | None:
    """The value of a small number written in digits or words; None for vague ones."""
    word = " ".join(word.lower().split())
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    numbers: dict[str, float] = calendar()["numbers"]
    return numbers.get(word)


def _int(text: str | None) -> int | None:
    if not text:
        return None
    digits = re.match(r"\d+", text)
    return int(digits.group()) if digits else None


def _weekday(text: str | None) -> int | None:
    if not text:
        return None
    weekdays: dict[str, int] = calendar()["weekdays"]
    return weekdays.get(text.capitalize())


def _two_digit_year(yy: int) -> int:
    # News rarely looks more than a few years ahead: '30 is 1930 only when far in the future.
    return 2000 + yy if yy <= 50 else 1900 + yy


def _part(text: str | None) -> str | None:
    parts: dict[str, str] = calendar()["day_parts"]
    return f"T{parts[text.lower()]}" if text else None


def _read(name: str, m: re.Match[str]) -> tuple[Spec, Spec | None] | None:
    """The spec(s) a match of pattern `name` says, or None if it says nothing valid."""
    g = m.groupdict()
    cal = calendar()
    if name in ("iso", "slash"):
        return _read_numeric_date(name, g)
    if name == "other":
        return parse_calendar_string(m.group())
    if name in ("dmy", "mdy", "day_range", "day_range_dmy"):
        return _read_named_date(name, g)
    if name == "dmy_dash":
        mo, d, yy = month_number((g["mon"] or "").capitalize()), _int(g["d"]), g["y"] or ""
        y = int(yy) if len(yy) == 4 else _two_digit_year(int(yy))
        return (Spec("day", y, mo, d), None) if mo and d and _valid(y, mo, d) else None
    if name == "my":
        mo = month_number(g["mon"])
        return (Spec("month", int(g["y"] or g["yb"] or 0), mo), None) if mo else None
    if name in ("week_of", "month_of_year"):
        return _read_ordinal_part(name, g)
    if name == "mon_rel":
        shift = {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
        return Spec("month", month=month_number(g["mon"]), anchor="dct", shift=shift), None
    if name == "mon":
        direction = (g["dir"] or "").lower() or None
        direction = {"past": "last", "coming": "next"}.get(direction or "", direction)
        return Spec(
            "month", month=month_number(g["mon"]), anchor="infer", direction=direction
        ), None
    if name == "year_span":
        y1, y2 = int(g["y"]), int(g["y2"])
        if y2 < 100:
            y2 += y1 - y1 % 100
        if not 0 < y2 - y1 <= 30:
            return None
        return Spec("year", y1), Spec("year", y2)
    if name == "year":
        return Spec("year", int(g["y"])), None
    if name in ("decade", "decade_word"):
        if g.get("dy"):
            value = int(g["dy"])
            if value % 100 == 0 and value != 2000:  # "the 1800s" is a century, the 2000s not
                return Spec("century", century=value // 100), None
            return Spec("decade", decade=value // 10), None
        tens = int(g["dy2"]) // 10 if g.get("dy2") else cal["decade_words"][g["dw"].lower()]
        return Spec("decade", decade=190 + tens, anchor="infer"), None
    if name == "century":
        ordinals: dict[str, int] = cal["ordinals"]
        nth = ordinals.get(g["c"].lower())
        return (Spec("century", century=nth - 1), None) if nth else None
    if name == "season":
        code = cal["seasons"][g["s"].lower()]["code"]
        if g["y"]:
            return Spec("season", int(g["y"]), season=code), None
        if g["rel"]:
            shift = {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
            return Spec("season", season=code, anchor="dct", shift=shift, direction="year"), None
        direction = (g["dir"] or "").lower()
        direction = {"past": "last", "coming": "next", "the": ""}.get(direction, direction)
        return Spec("season", season=code, anchor="infer", direction=direction or None), None
    if name in ("quarter", "q", "half"):
        return _read_part_of_year(name, g)
    if name == "fiscal_year":  # placed by the day the text says it ends (`timeline`)
        return Spec("year", anchor="defined"), None
    if name == "weekday":
        direction = (g["dir"] or "").lower()
        direction = {"past": "last", "coming": "next", "early": "", "late": ""}.get(
            direction, direction
        )
        spec = Spec("day", weekday=_weekday(g["wd"]), anchor="infer", time=_part(g["part"]))
        return replace(spec, direction=direction or None), None
    if name in ("dayword", "dayword2", "dayword3"):
        word = " ".join(g["w"].lower().split())
        shift = {
            "today": 0,
            "tonight": 0,
            "this": 0,
            "yesterday": -1,
            "last": -1,
            "tomorrow": 1,
            "before yesterday": -2,
            "after tomorrow": 2,
        }[word]
        part = g.get("part") or ("night" if word in ("tonight", "last") else None)
        if word == "last" and (part or "").lower() != "night":
            return None  # "last morning" is not said; "last evening" is rare and vague
        return Spec("day", anchor="dct", shift=shift, time=_part(part)), None
    if name in ("rel_unit", "earlier_in", "part_of"):
        return _read_relative_unit(name, g)
    if name == "ago":
        return _read_ago(g)
    if name == "holiday":
        key = next((k for k in cal["holidays"] if _same_words(k, g["h"])), None)
        if key is None:
            return None
        year = _int(g["y"])
        direction = (g["dir"] or "").lower() or None
        anchor = "abs" if year else "infer"
        return Spec("day", year, holiday=key, anchor=anchor, direction=direction), None
    if name == "day_of_month":
        return Spec("day", day=int(g["d"] or 0), anchor="infer"), None
    if name == "year_end":  # "by year-end": the end of the publication's year
        return Spec("year", anchor="dct"), None
    if name == "weekend":
        return Spec("weekend", anchor="infer"), None
    if name in ("clock", "clock24", "military"):
        hour, minute = int(g["h"]), int(g["mi"] or 0)
        ampm = (g.get("ap") or "").lower().replace(".", "")
        part = (g.get("pp") or "").lower()
        evening = part in ("afternoon", "evening") or (part == "night" and hour >= 6)
        if (ampm == "pm" or (not ampm and evening)) and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        return Spec("day", anchor="narr", time=f"T{hour:02d}:{minute:02d}"), None
    if name == "noon":
        word = g["x"].lower()
        return Spec("day", anchor="narr", time="T24:00" if word == "midnight" else "T12:00"), None
    if name == "ref":
        return Spec("ref", anchor="dct", ref=_ref_value(g["r"])), None
    return None


def _read_numeric_date(name: str, g: dict[str, str | None]) -> tuple[Spec, None] | None:
    """2025-12-13 (with a time), 7/8/07 (US order unless the first number cannot be a month)."""
    if name == "iso":
        y, mo, d = int(g["y"] or 0), int(g["m"] or 0), int(g["d"] or 0)
        time = f"T{g['hh']}:{g['mi']}" if g["hh"] else None
        return (Spec("day", y, mo, d, time=time), None) if _valid(y, mo, d) else None
    a, b, yy = int(g["a"] or 0), int(g["b"] or 0), g["y"] or ""
    mo, d = (b, a) if a > 12 else (a, b)
    y = int(yy) if len(yy) == 4 else _two_digit_year(int(yy))
    return (Spec("day", y, mo, d), None) if _valid(y, mo, d) else None


def _read_named_date(name: str, g: dict[str, str | None]) -> tuple[Spec, Spec | None] | None:
    """13 December 2025, Dec. 13, June 24-26."""
    mo, d, year = month_number(g["mon"] or ""), _int(g["d"]), _int(g["y"] or g.get("yb"))
    if mo is None or d is None or not _valid(year or 2000, mo, d):
        return None
    anchor = "abs" if year else "infer"
    if name in ("dmy", "mdy"):
        return Spec("day", year, mo, d, weekday=_weekday(g.get("wd")), anchor=anchor), None
    d2 = _int(g["d2"])
    if d2 is None or d2 <= d or not _valid(2000, mo, d2):
        return None
    return Spec("day", year, mo, d, anchor=anchor), Spec("day", year, mo, d2, anchor=anchor)


def _norm_words(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _same_words(a: str, b: str) -> bool:
    return _norm_words(a) == _norm_words(b)


def _ref_value(text: str) -> str:
    gram = grammar()
    words = " ".join(text.lower().split())
    if words in gram["past_ref"]:
        return PAST_REF
    if words in gram["future_ref"]:
        return FUTURE_REF
    return PRESENT_REF


def _read_part_of_year(name: str, g: dict[str, str | None]) -> tuple[Spec, None] | None:
    unit = "half" if name == "half" else "quarter"
    word = " ".join((g.get("q") or g.get("h") or "").lower().split())
    year = _int(g.get("y")) or _int(g.get("y2")) or _int(g.get("py"))
    if g.get("yy"):
        year = _two_digit_year(int(g["yy"] or 0))
    rel = (g.get("rel") or "").lower()
    ordinals: dict[str, int] = calendar()["ordinals"]
    index = {"final": 4 if unit == "quarter" else 2, "latter": 2}.get(word) or ordinals.get(word)
    if name == "q":
        index = int(word)
    if unit == "half" and not (year or rel or g.get("sep") == "-" or g.get("ends")):
        # "the first half" of a match, a book...; a year, "first-half" or ", which ended
        # in June" (the half the text defines: see `timeline`) says time
        return None
    if index is None:
        # "the latest quarter" is the last one reported: the one before the publication's.
        backwards = ("last", "previous", "past", "latest", "most recent")
        shift = -1 if word in backwards else 1 if word in ("next", "coming") else 0
        return Spec(unit, anchor="dct", shift=shift), None
    if year:
        return Spec(unit, year, index=index), None
    if rel in ("this", "last", "next"):
        shift = {"this": 0, "last": -1, "next": 1}[rel]
        return Spec(unit, index=index, anchor="dct", shift=shift, direction="year"), None
    return Spec(unit, index=index, anchor="infer"), None


def _read_ordinal_part(name: str, g: dict[str, str | None]) -> tuple[Spec, None] | None:
    """ "the second week of August" (days 8-14; the last week, its last seven days) and "the
    third month of the year" (March)."""
    word = (g["nth"] or "").lower()
    ordinals: dict[str, int] = calendar()["ordinals"]
    nth = -1 if word in ("last", "final") else ordinals.get(word)
    year = _int(g.get("y"))
    if nth is None:
        return None
    if name == "week_of":
        mo = month_number(g["mon"] or "")
        if mo is None or nth > 5:
            return None
        anchor = "abs" if year else "infer"
        return Spec("week", year, mo, index=nth, anchor=anchor), None
    nth = 12 if nth == -1 else nth
    if nth > 12:
        return None
    if year:
        return Spec("month", year, nth), None
    shift = {"last": -1, "next": 1}.get((g.get("rel") or "").lower(), 0)
    return Spec("month", month=nth, anchor="dct", shift=shift), None


def _read_relative_unit(name: str, g: dict[str, str | None]) -> tuple[Spec, None] | None:
    unit = (g["unit"] or "").lower()
    rel = " ".join((g.get("rel") or "").lower().split())
    if name == "earlier_in":
        return Spec(unit, anchor="narr"), None
    if name == "part_of":
        shift = {"last": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
        anchor = "narr" if rel in ("", "previous") and unit == "day" else "dct"
        return Spec(unit, anchor=anchor, shift=shift), None
    if rel in ("the past", "the last", "past") or (unit == "day" and rel in ("last", "this")):
        return None  # "the past year" is a duration (TIMEX3); "last day" is not a date
    if rel in ("this past", "last"):
        anchor, shift = "dct", -1
    elif rel in ("next", "coming", "the coming"):
        anchor, shift = "dct", 1
    elif rel in ("this", "current", "the current"):
        anchor, shift = "dct", 0
    elif rel in ("previous", "the previous"):
        anchor, shift = "narr", -1
    elif rel in ("following", "the following", "the next"):
        anchor, shift = "narr", 1
    else:  # that / same / the same
        anchor, shift = "narr", 0
    if unit == "day" and anchor == "dct":
        return None
    if unit == "weekend" and rel == "this":  # the tense says which: see timex_calendar
        return Spec(unit, anchor=anchor, shift=shift, direction="this"), None
    return Spec(unit, anchor=anchor, shift=shift), None


def _read_ago(g: dict[str, str | None]) -> tuple[Spec, None] | None:
    unit = (g["unit"] or "").lower().rstrip("s")
    unit = "century" if unit.startswith("centur") else unit
    n = number_value(g["n"] or "")
    direction = " ".join((g["dir"] or "").lower().split())
    backwards = direction in ("ago", "earlier", "before", "previously", "back")
    # "two years later" counts from the story's last date, never from the publication date.
    anchor = "dct" if direction in ("ago", "from now", "hence", "back") else "story"
    if n is None:  # "several years ago": the past, no calendar point
        if anchor != "dct":
            return None
        return Spec("ref", anchor="dct", ref=PAST_REF if backwards else FUTURE_REF), None
    if n != int(n):
        return None
    steps = -int(n) if backwards else int(n)
    return Spec(unit, anchor=anchor, shift=steps), None


@cache
def _period_end() -> re.Pattern[str]:
    verbs = _alt(grammar()["period_end_verbs"])
    return re.compile(r"\s*,?\s+" + PERIOD_END.format(verbs=verbs))


def period_end(between: str) -> bool:
    """Whether the text between a quarter (half, fiscal year) and a day says the day ends it:
    ", which ended ", " ending ", " that ends on "."""
    return _period_end().fullmatch(between) is not None


@cache
def _dateparser() -> Any:
    from dateparser.date import DateDataParser  # slow to import: only for unusual formats

    settings = {
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "DATE_ORDER": "DMY",  # "13.12.2025": outside the US, day first (US dates use slashes)
    }
    return DateDataParser(languages=["en"], settings=settings)


def parse_calendar_string(text: str) -> tuple[Spec, None] | None:
    """A full date (day, month and year all written) in a format dateparser knows, else None."""
    text = " ".join(text.split())
    if len(text) > 40 or not re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)|['’]\d\d\b", text):
        return None  # a year must be written: "1.1.1" is a version number, not a date
    numeric = re.search(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}", text)
    if not numeric and not any(month_number(w) for w in re.findall(r"[A-Za-z]+", text)):
        return None  # a day and a month must be written too ("21990s" is not a date)
    try:
        data = _dateparser().get_date_data(text)
    except (ValueError, OverflowError, TypeError):
        return None
    if data is None or data.date_obj is None or data.period != "day":
        return None
    day = data.date_obj.date()
    return Spec("day", day.year, day.month, day.day), None


def scan(text: str) -> list[Expr]:
    """Candidate time expressions in `text`, longest first where they overlap, in order."""
    found: list[Expr] = []
    required, words = _required(), _required_words()
    # In ASCII text, a word written in any case is a plain search of the lower-cased text,
    # much cheaper than a case-insensitive regex.
    lowered = text.lower() if text.isascii() else None
    for name, regex in patterns():
        plain = words.get(name)
        if lowered is not None and plain is not None:
            if not any(word in lowered for word in plain):
                continue
        elif (needed := required.get(name)) is not None and needed.search(text) is None:
            continue
        for m in regex.finditer(text):
            read = _read(name, m)
            if read is None:
                continue
            start, end = m.span("x") if m.groupdict().get("x") is not None else m.span()
            found.append(Expr(start, end, name, read[0], read[1]))
    found.sort(key=lambda e: (e.start, -(e.end - e.start)))
    kept: list[Expr] = []
    for expr in found:
        if kept and expr.start < kept[-1].end:
            continue
        kept.append(expr)
    return kept
