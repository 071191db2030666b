"""Time expression specs placed on the calendar: the calendar lexicons, holidays and `resolve`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from analysis import lexicon

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
    # named day or month whose year comes from the publication date; defined: a fiscal year
    # placed only by the day the text says it ends (`defined_period`).
    anchor: str = "abs"
    shift: int = 0  # units away from the anchor's own unit ("last month": -1)
    direction: str | None = None  # last / next / this, for named days, months and seasons
    time: str | None = None  # TIMEX3 time suffix: "T09:45", "TMO"
    ref: str | None = None  # PRESENT_REF / PAST_REF / FUTURE_REF


@dataclass(frozen=True, slots=True)
class Resolved:
    """A spec placed on the calendar."""

    date: dt.date | None
    end_date: dt.date | None
    granularity: str
    timex: str | None
    relative: bool


# --- lexicons -------------------------------------------------------------------------------


def calendar() -> dict[str, Any]:
    """Month, weekday, season, number and holiday names."""
    return lexicon.load("timeline_calendar")


def grammar() -> dict[str, Any]:
    """Word lists for the filters and the tense."""
    return lexicon.load("timeline_grammar")


# --- the calendar -----------------------------------------------------------------------------


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    try:
        date(year or 2000, month or 1, day or 1)
    except ValueError:
        return False
    return True


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
    if spec.unit == "week" and spec.month and spec.index:  # "the second week of August"
        last = _month_end(year, spec.month)
        if spec.index < 0:
            return last - timedelta(days=6), last
        first_day = date(year, spec.month, 7 * (spec.index - 1) + 1)  # the n-th seven days
        return first_day, min(first_day + timedelta(days=6), last)
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
    if spec.anchor == "defined":
        return None
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


def defined_period(unit: str, end: date, relative: bool) -> Resolved:
    """The quarter, half or year that ends on `end`, as a text defines it ("the first quarter of
    the financial year, which ended December 30, 2006": the three months to that day).

    Its TIMEX3 value names the calendar quarter, half or year it mostly covers (a fiscal year
    by the year it ends in, as companies name them).
    """
    months = {"quarter": 3, "half": 6}.get(unit, 12)
    if end == _month_end(end.year, end.month):  # whole months: "ended March 31"
        y, m = _add_months(end.year, end.month, 1 - months)
        first = date(y, m, 1)
    else:  # "ended December 30": the day after the same day `months` before
        y, m = _add_months(end.year, end.month, -months)
        first = date(y, m, min(end.day, _month_end(y, m).day)) + timedelta(days=1)
    middle = first + (end - first) / 2
    if unit in ("quarter", "half"):
        value = _value(unit, middle, Spec(unit))
    else:
        value, unit = f"{end.year:04d}", "year"
    return Resolved(first, end, unit, value, relative)


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
    if spec.unit == "weekend" and spec.direction == "this" and tense == "past":
        # "this weekend" in a past-tense sentence published on a Monday: the one just gone.
        weekends = [_unit_span("weekend", base, n) for n in (-1, 0)]
        return max(w for w in weekends if w[0] <= base)
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
