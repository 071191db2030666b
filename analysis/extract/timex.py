"""Time expressions in plain text and their TIMEX3 values: the patterns and the calendar.

`scan(text)` finds candidate expressions with what they say (a `Spec`); `resolve(spec, ...)`
turns a spec into first and last day, granularity and TIMEX3 value against a reference date.
Nothing here knows about spaCy: the parse-based filters and the tense live in `timeline`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"

PRESENT_REF, PAST_REF, FUTURE_REF = "PRESENT_REF", "PAST_REF", "FUTURE_REF"


@dataclass(frozen=True, slots=True)
class Spec:
    """What a time expression says, before it is placed on the calendar."""

    unit: str  # day week weekend month quarter half season year decade century ref
    year: int | None = None
    month: int | None = None
    day: int | None = None
    index: int | None = None  # quarter or half number
    season: str | None = None  # TIMEX3 season code: SP SU FA WI
    weekday: int | None = None  # Monday = 0
    holiday: str | None = None
    decade: int | None = None  # 199 for the 1990s
    century: int | None = None  # 18 for the 19th century (TIMEX3 counts the hundreds)
    # abs: says its own date; dct: counts from the publication date; narr: from the story's
    # last date, else the publication date; story: from the story's last date only; infer: a
    # named day or month whose year comes from the publication date.
    anchor: str = "abs"
    shift: int = 0  # units away from the anchor's own unit ("last month": -1)
    direction: str | None = None  # last / next / this, for named days, months and seasons
    time: str | None = None  # TIMEX3 time suffix: "T09:45", "TMO"
    ref: str | None = None  # PRESENT_REF / PAST_REF / FUTURE_REF


@dataclass(frozen=True, slots=True)
class Expr:
    """A candidate expression at `start:end` of the scanned text."""

    start: int
    end: int
    kind: str  # the pattern that found it, for the parse-based filters
    spec: Spec
    end_spec: Spec | None = None  # a range's last point


@dataclass(frozen=True, slots=True)
class Resolved:
    """A spec placed on the calendar."""

    date: dt.date | None
    end_date: dt.date | None
    granularity: str
    timex: str | None
    relative: bool


# --- lexicons -------------------------------------------------------------------------------


@cache
def calendar() -> dict[str, Any]:
    """Month, weekday, season, number and holiday names."""
    data: dict[str, Any] = json.loads(
        (LEXICONS / "timeline_calendar.json").read_text(encoding="utf-8")
    )
    return data


@cache
def grammar() -> dict[str, Any]:
    """Word lists for the filters and the tense."""
    data: dict[str, Any] = json.loads(
        (LEXICONS / "timeline_grammar.json").read_text(encoding="utf-8")
    )
    return data


def _alt(words: Iterable[object]) -> str:
    """A regex alternation of `words`, longest first so that "Sept" wins over "Sep"."""
    items = sorted((str(w) for w in words if not str(w).startswith("_")), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]") for w in items)


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


# --- patterns ---------------------------------------------------------------------------------

Y4 = r"(?:1\d{3}|20\d\d|21\d\d)(?!\d)"
DAYNUM = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:])(?!,\d{3})"
MOD = (
    r"(?:(?P<mod>(?i:early|late|mid|the\s+(?:end|beginning|start|middle|close)\s+of"
    r"|the\s+(?:early|late|middle)\s+part\s+of))[\s-]+)?"
)
PARTS = r"(?i:morning|afternoon|evening|night)"
QUAL = (
    r"(?i:just|only|about|around|roughly|nearly|almost|some|more\s+than|less\s+than|over"
    r"|under|barely|at\s+least|exactly|approximately|fully)"
)
UNITS = r"(?i:days?|weeks?|months?|years?|decades?|centuries|century)"
IN_THE_PART = r"(?:\s+in\s+the\s+(?P<pp>morning|afternoon|evening|night))?"
TZ = r"(?:UTC|GMT|BST|CET|CEST|EET|EST|EDT|CST|CDT|MST|MDT|PST|PDT|JST|IST|AEST|AEDT|HKT|SGT)"


@cache
def patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The detection patterns, compiled once from the lexicons."""
    cal = calendar()
    gram = grammar()
    full = _alt(k for k in cal["months"] if len(k) > 3 or k == "May")
    abbrev = _alt(k for k in cal["months"] if len(k) <= 4 and k not in ("May", "June", "July"))
    month = rf"(?:{full}|(?:{abbrev})\.?)(?![a-z])"
    wd = _alt(cal["weekdays"])
    season = _alt(cal["seasons"])
    ordinal = _alt(cal["ordinals"])
    number = _alt([*cal["numbers"], *cal["vague_numbers"]])
    holiday = _alt(cal["holidays"])
    decade_word = _alt(cal["decade_words"])
    refs = _alt([*gram["present_ref"], *gram["past_ref"], *gram["future_ref"]])
    quarter_word = (
        r"first|second|third|fourth|final|last|1st|2nd|3rd|4th|current|previous|past|next"
        r"|this|coming|latest|most\s+recent"
    )
    wd_prefix = rf"(?:(?P<wd>{wd}),?\s+)?"
    table = {
        "iso": r"(?<![\w/.-])(?P<y>\d{4})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
        r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::\d\d)?)?(?![\w/-])",
        # Formats this module does not spell out itself ("13.12.2025", "2025/12/13",
        # "Dec-13-2025", "12 Dec '25") are read by dateparser.
        "other": r"(?<![\w/.,-])(?:\d{1,2}\.\d{1,2}\.(?:19|20)\d\d|(?:19|20)\d\d/\d{1,2}/\d{1,2}"
        rf"|(?:{abbrev}|{full})\.?-\d{{1,2}}-(?:19|20)\d\d"
        rf"|(?:\d{{1,2}}\s+)?(?:{full}|(?:{abbrev})\.?)\s+['’]\d\d)(?![\w/-]|[.,/]\d)",
        "slash": r"(?<![\w/.,-])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})(?![\w/-]|[.,]\d)",
        "dmy": rf"(?<![\w,.$£€-])(?:(?P<wd>{wd}),?\s+)?(?:the\s+)?(?P<d>{DAYNUM})(?:\s+of)?\s+"
        rf"(?P<mon>{month})(?:,?\s+(?P<y>{Y4}))?",
        "mdy": rf"{wd_prefix}(?P<mon>{month})\s+(?:the\s+)?(?P<d>{DAYNUM})"
        rf"(?:(?:,\s*|\s+)(?P<y>{Y4}))?",
        "day_range": rf"(?P<mon>{month})\s+(?P<d>{DAYNUM})\s*(?:-|–|to|through|and)\s*"
        rf"(?P<d2>{DAYNUM})(?:,?\s+(?P<y>{Y4}))?",
        "day_range_dmy": rf"(?<![\w,.$£€-])(?P<d>{DAYNUM})\s*(?:-|–|to|and)\s*(?P<d2>{DAYNUM})"
        rf"\s+(?P<mon>{month})(?:,?\s+(?P<y>{Y4}))?",
        "my": rf"{MOD}(?P<mon>{month})(?:\s+of)?,?\s+(?P<y>{Y4})",
        "mon_rel": rf"{MOD}(?P<mon>{full})(?:\s+of)?\s+(?P<rel>(?i:this|last|next))\s+year",
        "mon": rf"(?:(?P<dir>(?i:last|this|next|past|coming))\s+|{MOD})?(?P<mon>{full})"
        r"(?![\w-])",
        "year_span": rf"(?<![\w$€£¥#.,/:'’-])(?P<y>{Y4})\s*[-–/]\s*(?P<y2>\d\d(?!\d)|{Y4})"
        r"(?![\w%-]|[.,]\d)",
        "year": rf"(?<![\w$€£¥#.,/:'’-]){MOD}(?P<fy>(?i:fiscal|financial)\s+(?:year\s+)?|FY\s?"
        rf"|(?i:the\s+year)\s+)?(?P<y>{Y4})(?![\w%]|[.,]\d|-\d|\s?(?i:percent|per\s+cent))",
        "decade": rf"(?:(?i:the)\s+)?{MOD}(?:(?P<dy>1\d\d0|20\d0)['’]?s|['’](?P<dy2>\d0)['’]?s)"
        r"(?!\w)",
        "decade_word": rf"(?i:the)\s+{MOD}(?P<dw>(?i:{decade_word}))(?!\w)",
        "century": rf"(?:(?i:the)\s+)?{MOD}(?P<c>(?i:{ordinal}))[\s-]+(?i:century)(?!\w)",
        "season": rf"(?:(?P<dir>(?i:this|last|next|past|coming|the))\s+)?{MOD}"
        rf"(?P<s>(?i:{season}))(?:\s+(?:of\s+)?(?P<y>{Y4})|\s+(?:of\s+)?"
        r"(?P<rel>this|last|next)\s+year)?(?![\w-])",
        "quarter": rf"(?:(?i:the)\s+)?(?:(?P<py>{Y4})(?:['’]s)?\s+)?(?P<q>(?i:{quarter_word}))"
        r"(?:\s+|-)(?:(?i:fiscal|financial|calendar)\s+)?(?i:quarter)"
        rf"(?:\s+(?:of|in)\s+(?:(?i:fiscal|financial)\s+(?:year\s+)?)?(?P<y>{Y4})"
        r"|\s+of\s+(?P<rel>this|last|next|the(?:\s+(?:fiscal|financial|current|calendar))?)"
        rf"\s+year|\s+(?P<y2>{Y4}))?(?![\w-])",
        "q": rf"(?<![\w-])Q(?P<q>[1-4])(?:\s*(?P<y>{Y4})|\s*['’](?P<yy>\d\d))?(?![\w-])",
        "half": rf"(?:(?i:the)\s+)?(?P<h>(?i:first|second|latter|1st|2nd))(?P<sep>\s+|-)"
        rf"(?i:half)(?:\s+of\s+(?:(?P<y>{Y4})|(?P<rel>this|last|next|the)\s+year)"
        rf"|\s+(?P<y2>{Y4}))?(?![\w-])",
        "weekday": rf"(?:(?P<dir>(?i:last|this|next|past|coming|early|late))\s+)?(?P<wd>{wd})"
        rf"(?:\s+(?P<part>{PARTS}))?(?![\w-])",
        "dayword": rf"(?<![\w-])(?P<w>(?i:today|tonight|yesterday|tomorrow))"
        rf"(?:\s+(?P<part>{PARTS}))?(?![\w-])",
        "dayword2": rf"(?<![\w-])(?P<w>(?i:this|last))\s+(?P<part>{PARTS})(?![\w-])",
        "dayword3": r"(?<![\w-])(?i:the\s+day\s+(?P<w>before\s+yesterday|after\s+tomorrow))"
        r"(?![\w-])",
        "rel_unit": r"(?<![\w-])(?:(?P<mod>(?i:early|late|earlier|later|mid))[\s-]+)?"
        r"(?P<rel>(?i:this(?:\s+past)?|last|next|past|coming|current|previous|following|same"
        r"|that|the\s+(?:previous|following|next|same|current|coming|past|last)))\s+"
        r"(?P<unit>(?i:week(?:end)?|month|year|decade|century|day))(?![\w-])",
        "earlier_in": r"(?<![\w-])(?P<mod>(?i:earlier|later|early|late))\s+(?:in|on)\s+"
        r"(?P<x>the\s+(?P<unit>day|week|month|year|decade))(?![\w-])",
        "part_of": r"(?<![\w-])(?P<x>(?i:the)\s+(?P<part>end|beginning|start|middle|close|turn)"
        r"\s+of\s+(?:the\s+)?(?:(?P<rel>this|last|next|current|previous|coming)\s+)?"
        r"(?P<unit>week|month|year|decade|century|quarter))(?![\w-])",
        "ago": rf"(?<![\w-])(?:{QUAL}\s+)?(?P<n>\d+(?:\.\d+)?|(?i:{number}))[\s-]+(?P<unit>{UNITS})"
        r"\s+(?P<dir>(?i:ago|earlier|later|before|after|afterwards?|previously|from\s+now"
        r"|hence|back))(?![\w-])",
        "holiday": rf"(?<![\w-])(?:(?P<dir>(?i:this|last|next))\s+)?(?P<h>{holiday})"
        rf"(?:\s+(?P<y>{Y4}))?(?![\w-])",
        "clock": r"(?<![\w:.$£€])(?P<h>1[0-2]|0?[1-9])(?::(?P<mi>[0-5]\d))?\s*"
        rf"(?P<ap>(?i:a\.m\.|p\.m\.|am|pm))(?!\w)(?:\s+(?P<tz>{TZ}))?{IN_THE_PART}",
        "military": r"(?<![\w:.$£€,])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s*"
        rf"(?:(?P<tz>{TZ})|(?i:hours|hrs))(?!\w)",
        "day_of_month": r"(?<![\w-])(?i:on|by|until|since|from)\s+(?P<x>the\s+(?P<d>3[01]|[12]\d|"
        r"[1-9])(?:st|nd|rd|th))(?!\s+(?:of\s+)?(?:century|\w+\s+century|anniversary|time|floor"
        r"|place|round|day|week|year|edition|minute|hole|inning|lap|birthday|amendment))(?![\w-])",
        "year_end": r"(?<![\w-])(?i:by|at|before|until|till|toward|towards|after|around|from|since)"
        r"\s+(?P<x>(?:(?i:the)\s+)?(?i:year)[\s-](?i:end))(?![\w-])",
        "weekend": r"(?<![\w-])(?i:over|at|during|on|for)\s+(?P<x>the\s+weekend)(?![\w-])",
        "clock24": r"(?<![\w:.$£€])(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?![\d:]|\.\d)"
        rf"(?:\s*(?P<tz>{TZ}))?{IN_THE_PART}",
        "noon": r"(?i:(?:at|by|before|after|around|until|till|from)\s+)(?P<x>(?i:noon|midday"
        r"|midnight))(?![\w-])",
        "ref": rf"(?<![\w-])(?P<r>{refs})(?![\w-])",
    }
    # A pattern never starts inside a word: "offspring" holds no spring, "99th" no 9th.
    return tuple((name, re.compile(r"(?<![\w-])" + regex)) for name, regex in table.items())


@cache
def _required() -> dict[str, re.Pattern[str]]:
    """Per pattern, text every match of it holds (copied from the pattern, same case rule).

    Most articles hold none of them, and searching for a word is far cheaper than trying the
    whole pattern at every position, so a pattern is tried only where its word occurs.
    """
    cal = calendar()
    table = {
        "century": r"(?i:century)",
        "quarter": r"(?i:quarter)",
        "half": r"(?i:half)",
        "weekend": r"weekend",
        "noon": r"(?i:noon|midday|midnight)",
        "season": rf"(?i:{_alt(cal['seasons'])})",
        "holiday": _alt(cal["holidays"]),
        "q": r"Q[1-4]",
        "dayword3": r"(?i:the\s+day)",
        "decade_word": rf"(?i:{_alt(cal['decade_words'])})",
        "military": rf"{TZ}|(?i:hours|hrs)",
        # Not single words, but the pattern's own tail: rare in news, cheap to look for.
        "ago": rf"{UNITS}\s+(?i:ago|earlier|later|before|after|afterwards?|previously"
        r"|from\s+now|hence|back)(?![\w-])",
        "clock": r"\d\s*(?i:a\.m\.|p\.m\.|am|pm)(?!\w)",
        "clock24": r"\d:[0-5]\d",
        "earlier_in": r"(?:in|on)\s+the\s+(?:day|week|month|year|decade)(?![\w-])",
        "day_of_month": r"\d(?:st|nd|rd|th)",
        "year_end": r"(?i:year)[\s-](?i:end)",
        "decade": r"0['’]?s(?!\w)",
        "day_range": r"\d(?:st|nd|rd|th)?\s*(?:-|–|to|through|and)\s*\d",
        "day_range_dmy": r"\d(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*\d",
        "dmy": r"\d(?:st|nd|rd|th)?(?:\s+of)?\s+[A-Z]",  # month names are capitalised
        "other": r"\d[./-]\d|['’]\d\d",
    }
    return {name: re.compile(regex) for name, regex in table.items()}


@cache
def _required_words() -> dict[str, tuple[str, ...]]:
    """The required words of `_required` that are plain words, lower-cased, for ASCII text."""
    cal = calendar()
    table: dict[str, Iterable[str]] = {
        "century": ["century"],
        "quarter": ["quarter"],
        "half": ["half"],
        "weekend": ["weekend"],
        "noon": ["noon", "midday", "midnight"],
        "season": [str(k) for k in cal["seasons"] if not str(k).startswith("_")],
        "decade_word": [str(k) for k in cal["decade_words"] if not str(k).startswith("_")],
        "military": [*TZ[3:-1].split("|"), "hours", "hrs"],
    }
    plain = {name: tuple(w.lower() for w in found) for name, found in table.items()}
    # A word with a space or an apostrophe is a looser pattern (\s+, ['’]): left to the regex.
    return {k: v for k, v in plain.items() if all(re.fullmatch(r"[a-z]+", w) for w in v)}


# --- reading matches --------------------------------------------------------------------------


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


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    try:
        date(year or 2000, month or 1, day or 1)
    except ValueError:
        return False
    return True


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
    if name == "my":
        mo = month_number(g["mon"])
        return (Spec("month", int(g["y"]), mo), None) if mo else None
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
    mo, d, year = month_number(g["mon"] or ""), _int(g["d"]), _int(g["y"])
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
    if unit == "half" and not (year or rel or g.get("sep") == "-"):
        return None  # "the first half" of a match, a book...; a year or "first-half" says time
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


# --- the calendar -----------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    total = year * 12 + month - 1 + n
    return total // 12, total % 12 + 1


def easter(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month = (h + el - 7 * m + 114) // 31
    day = (h + el - 7 * m + 114) % 31 + 1
    return date(year, month, day)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th `weekday` of a month; n = -1 for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = _month_end(year, month)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def holiday_date(name: str, year: int) -> date | None:
    """The day a holiday of the lexicon falls on in `year`."""
    rule = calendar()["holidays"].get(name)
    if not isinstance(rule, dict):
        return None
    if "fixed" in rule:
        return date(year, *rule["fixed"])
    base = {
        "easter": lambda: easter(year),
        "thanksgiving": lambda: _nth_weekday(year, 11, 3, 4),
        "memorial": lambda: _nth_weekday(year, 5, 0, -1),
        "labor": lambda: _nth_weekday(year, 9, 0, 1),
        "mlk": lambda: _nth_weekday(year, 1, 0, 3),
        "election": lambda: _nth_weekday(year, 11, 0, 1) + timedelta(days=1),
    }[rule["rule"]]()
    return base + timedelta(days=int(rule.get("offset", 0)))


def _season_span(code: str, year: int) -> tuple[date, date]:
    info = next(v for v in calendar()["seasons"].values() if v["code"] == code)
    start = date(year, info["start"], 1)
    end_year = year + 1 if info["end"] < info["start"] else year  # winter runs into next year
    return start, _month_end(end_year, info["end"])


def _instance(spec: Spec, year: int) -> tuple[date, date] | None:
    """The named day/month/season/quarter/half/holiday/decade of `spec` in `year`."""
    if spec.holiday:
        day = holiday_date(spec.holiday, year)
        return (day, day) if day else None
    if spec.unit == "day" and spec.month and spec.day:
        if not _valid(year, spec.month, spec.day):
            return None
        day = date(year, spec.month, spec.day)
        return day, day
    if spec.unit == "month" and spec.month:
        return date(year, spec.month, 1), _month_end(year, spec.month)
    if spec.unit == "season" and spec.season:
        return _season_span(spec.season, year)
    if spec.unit in ("quarter", "half") and spec.index:
        months = 3 if spec.unit == "quarter" else 6
        first = (spec.index - 1) * months + 1
        return date(year, first, 1), _month_end(year, first + months - 1)
    return None


def _pick(
    candidates: list[tuple[date, date]], base: date, direction: str | None, tense: str | None
) -> tuple[date, date] | None:
    """The instance a direction ("last", "next") or else the tense points to."""
    if not candidates:
        return None
    if direction == "last":
        before = [c for c in candidates if c[1] < base]
        return max(before) if before else None
    if direction == "next":
        after = [c for c in candidates if c[0] > base]
        return min(after) if after else None
    if direction != "this":
        if tense == "past":
            before = [c for c in candidates if c[0] <= base]
            return max(before) if before else None
        if tense in ("future", "upcoming"):
            after = [c for c in candidates if c[1] >= base]
            return min(after) if after else None

    def distance(c: tuple[date, date]) -> int:
        return 0 if c[0] <= base <= c[1] else min(abs((c[0] - base).days), abs((c[1] - base).days))

    return min(candidates, key=lambda c: (distance(c), c[0].year != base.year))


def _value(unit: str, first: date, spec: Spec) -> str:
    """The TIMEX3 value of the unit that starts on `first`."""
    if unit == "day":
        return first.isoformat() + (spec.time or "")
    if unit in ("week", "weekend"):
        iso = first.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}" + ("-WE" if unit == "weekend" else "")
    if unit == "month":
        return f"{first.year:04d}-{first.month:02d}"
    if unit == "quarter":
        return f"{first.year:04d}-Q{(first.month - 1) // 3 + 1}"
    if unit == "half":
        return f"{first.year:04d}-H{(first.month - 1) // 6 + 1}"
    if unit == "season":
        return f"{first.year:04d}-{spec.season}"
    if unit == "decade":
        return f"{first.year // 10:03d}"
    if unit == "century":
        return f"{first.year // 100:02d}"
    return f"{first.year:04d}"


def _unit_span(unit: str, base: date, shift: int) -> tuple[date, date]:
    """The `unit` holding `base`, moved `shift` units."""
    if unit == "day":
        day = base + timedelta(days=shift)
        return day, day
    if unit in ("week", "weekend"):
        monday = base - timedelta(days=base.weekday()) + timedelta(weeks=shift)
        if unit == "weekend":
            return monday + timedelta(days=5), monday + timedelta(days=6)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        y, m = _add_months(base.year, base.month, shift)
        return date(y, m, 1), _month_end(y, m)
    if unit in ("quarter", "half"):
        months = 3 if unit == "quarter" else 6
        y, m = _add_months(base.year, (base.month - 1) // months * months + 1, shift * months)
        return date(y, m, 1), _month_end(*_add_months(y, m, months - 1))
    size = {"year": 1, "decade": 10, "century": 100}[unit]
    start = base.year // size * size + shift * size
    return date(start, 1, 1), date(start + size - 1, 12, 31)  # ValueError off the calendar


def _partial(spec: Spec) -> str | None:
    """A TIMEX3 value with the unknown year left as X, when there is no reference date."""
    if spec.ref:
        return spec.ref
    if spec.unit == "day" and spec.month and spec.day:
        return f"XXXX-{spec.month:02d}-{spec.day:02d}"
    if spec.unit == "day" and spec.weekday is not None:
        return f"XXXX-WXX-{spec.weekday + 1}"
    if spec.unit == "month" and spec.month:
        return f"XXXX-{spec.month:02d}"
    if spec.unit == "season" and spec.season:
        return f"XXXX-{spec.season}"
    if spec.unit in ("quarter", "half") and spec.index:
        return f"XXXX-{spec.unit[0].upper()}{spec.index}"
    return None


def granularity(spec: Spec) -> str:
    """The granularity column's word for a spec."""
    if spec.ref:
        return {PRESENT_REF: "present", PAST_REF: "past", FUTURE_REF: "future"}[spec.ref]
    return "week" if spec.unit == "weekend" else spec.unit


def resolve(
    spec: Spec,
    published: date | None,
    tense: str | None = None,
    narrative: tuple[date, str] | None = None,
) -> Resolved | None:
    """Place `spec` on the calendar: `published` anchors relative expressions, `narrative`
    (the story's last date and its granularity) anchors "the following day", "two years later".

    `tense` (past / future / upcoming / None) picks the year of a year-less "June" or the week
    of a "Friday": the last one, the next one, the next one or that day, the nearest one.
    None when the spec cannot be placed (or falls off the calendar: "1000000 years ago").
    """
    try:
        return _resolve(spec, published, tense, narrative)
    except (ValueError, OverflowError):
        return None


def _resolve(
    spec: Spec,
    published: date | None,
    tense: str | None = None,
    narrative: tuple[date, str] | None = None,
) -> Resolved | None:
    """`resolve` without the guard."""
    gran = granularity(spec)
    if spec.ref:
        return _resolve_ref(spec.ref, published, gran)
    if spec.anchor == "abs":
        span = _absolute(spec)
        if span is None:
            return None
        return Resolved(span[0], span[1], gran, _value(spec.unit, span[0], spec), False)
    base = published
    anchored = narrative is not None and _fine_enough(narrative[1], spec.unit)
    if spec.anchor in ("narr", "story") and narrative is not None and anchored:
        base = narrative[0]
    elif spec.anchor == "story":
        return Resolved(None, None, gran, None, True)
    if base is None:
        return Resolved(None, None, gran, _partial(spec), True)
    span = _relative(spec, base, tense)
    if span is None:
        return None
    unit = spec.unit
    return Resolved(span[0], span[1], gran, _value(unit, span[0], spec), True)


def _fine_enough(anchor_granularity: str, unit: str) -> bool:
    order = ["day", "week", "month", "quarter", "half", "season", "year", "decade", "century"]
    if anchor_granularity not in order or unit not in order:
        return anchor_granularity == "day"
    return order.index(anchor_granularity) <= order.index(unit)


def _resolve_ref(ref: str, published: date | None, gran: str) -> Resolved:
    if ref == PRESENT_REF:
        return Resolved(published, published, gran, ref, True)
    if ref == PAST_REF:
        return Resolved(None, published, gran, ref, True)  # some time before publication
    return Resolved(published, None, gran, ref, True)


def _absolute(spec: Spec) -> tuple[date, date] | None:
    if spec.unit == "decade" and spec.decade is not None:
        return date(max(spec.decade * 10, 1), 1, 1), date(spec.decade * 10 + 9, 12, 31)
    if spec.unit == "century" and spec.century is not None:
        return date(max(spec.century * 100, 1), 1, 1), date(spec.century * 100 + 99, 12, 31)
    if spec.year is None:
        return None
    if spec.unit == "year":
        return date(spec.year, 1, 1), date(spec.year, 12, 31)
    return _instance(spec, spec.year)


def _relative(spec: Spec, base: date, tense: str | None) -> tuple[date, date] | None:
    if spec.unit == "decade" and spec.decade is not None:  # "the '90s": the latest such decade
        tens = spec.decade % 10
        start = base.year // 100 * 100 + tens * 10
        start = start - 100 if start > base.year else start
        return date(start, 1, 1), date(start + 9, 12, 31)
    if spec.unit == "day" and spec.weekday is not None and not spec.month:
        return _weekday_day(spec.weekday, base, spec.direction, tense)
    if spec.unit == "day" and spec.day and not spec.month:  # "on the 13th": of which month
        months = [_add_months(base.year, base.month, n) for n in (-1, 0, 1)]
        days = [date(y, m, spec.day) for y, m in months if _valid(y, m, spec.day)]
        return _pick([(d, d) for d in days], base, None, tense)
    if spec.unit == "weekend" and spec.anchor == "infer":  # "over the weekend"
        weekends = [_unit_span("weekend", base, n) for n in (-1, 0, 1)]
        return _pick(weekends, base, None, tense or "past")
    named = spec.month or spec.season or spec.index or spec.holiday
    if named and spec.direction == "year":  # "the third quarter of last year"
        year = base.year + spec.shift
        return _instance(spec, year)
    if named:
        if spec.month and spec.unit == "month" and spec.anchor == "dct":  # "January next year"
            return _instance(spec, base.year + spec.shift)
        years = (base.year - 1, base.year, base.year + 1)
        candidates = [c for c in (_instance(spec, y) for y in years) if c is not None]
        if spec.weekday is not None and spec.unit == "day":  # "Friday, June 13": the right year
            matching = [c for c in candidates if c[0].weekday() == spec.weekday]
            candidates = matching or candidates
        return _pick(candidates, base, spec.direction, tense)
    if spec.unit in ("day", "week", "weekend", "month", "quarter", "half", "year", "decade"):
        return _unit_span(spec.unit, base, spec.shift)
    if spec.unit == "century":
        return _unit_span("century", base, spec.shift)
    return None


def _weekday_day(
    weekday: int, base: date, direction: str | None, tense: str | None
) -> tuple[date, date]:
    """A bare weekday: the latest on or before `base` in the past, the next one in the future."""
    back = (base.weekday() - weekday) % 7
    ahead = (weekday - base.weekday()) % 7
    if direction == "last":
        day = base - timedelta(days=back or 7)
    elif direction == "next":
        day = base + timedelta(days=ahead or 7)
    elif direction == "this":
        day = base + timedelta(days=weekday - base.weekday())  # the one in this week
    elif tense == "future":
        day = base + timedelta(days=ahead or 7)
    elif tense == "upcoming":
        day = base + timedelta(days=ahead)
    else:
        day = base - timedelta(days=back)
    return day, day


GRANULARITIES = (
    "day",
    "week",
    "month",
    "quarter",
    "half",
    "season",
    "year",
    "decade",
    "century",
    "present",
    "past",
    "future",
)
