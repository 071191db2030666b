"""The patterns that find time expressions in plain text, built from the calendar lexicons."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from analysis.extract.timex_calendar import calendar, grammar


def _alt(words: Iterable[object]) -> str:
    """A regex alternation of `words`, longest first so that "Sept" wins over "Sep"."""
    items = sorted((str(w) for w in words if not str(w).startswith("_")), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace("'", "['’]") for w in items)


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
# A year an editor put in brackets after a month or a date: "in November [2014]".
BRACKETED = rf"\s+\[(?P<yb>{Y4})\]"
# "its fiscal first quarter": the company's own quarters, defined where the text says when
# they end ("..., which ended March 31"; see `timeline`).
FISCAL = r"(?:(?i:fiscal|financial)\s+)?"
# The words between a quarter, half or fiscal year and the day that ends it: ", which ended",
# "that ends on", "ending in" (the verbs from the grammar lexicon).
PERIOD_END = (
    r"(?:(?i:which|that)\s+)?(?:(?i:has|had|will|was|is)\s+)?(?i:{verbs})(?![\w-])"
    r"(?:\s+(?i:on|in|at))?\s+"
)
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
    end_verbs = _alt(gram["period_end_verbs"])
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
        rf"(?P<mon>{month})(?:,?\s+(?P<y>{Y4})|{BRACKETED})?",
        "mdy": rf"{wd_prefix}(?P<mon>{month})\s+(?:the\s+)?(?P<d>{DAYNUM})"
        rf"(?:(?:,\s*|\s+)(?P<y>{Y4})|{BRACKETED})?",
        # "08-FEB-17", "8-Feb-2017": day, abbreviated month and year joined by dashes.
        "dmy_dash": rf"(?<![\w.-])(?P<d>{DAYNUM})-(?P<mon>(?i:{abbrev}))-(?P<y>\d\d|{Y4})"
        r"(?![\w-])",
        "day_range": rf"(?P<mon>{month})\s+(?P<d>{DAYNUM})\s*(?:-|–|to|through|and)\s*"
        rf"(?P<d2>{DAYNUM})(?:,?\s+(?P<y>{Y4}))?",
        "day_range_dmy": rf"(?<![\w,.$£€-])(?P<d>{DAYNUM})\s*(?:-|–|to|and)\s*(?P<d2>{DAYNUM})"
        rf"\s+(?P<mon>{month})(?:,?\s+(?P<y>{Y4}))?",
        "my": rf"{MOD}(?P<mon>{month})(?:(?:\s+of)?,?\s+(?P<y>{Y4})|{BRACKETED})",
        # "the second week of August", "the last week of June 2009"
        "week_of": rf"(?:(?i:the)\s+)?(?P<nth>(?i:{ordinal}|last|final))\s+(?i:week)\s+of\s+"
        rf"(?P<mon>{full})(?:,?\s+(?P<y>{Y4}))?(?![\w-])",
        # "the third month of the year", "the first month of 2009"
        "month_of_year": rf"(?:(?i:the)\s+)?(?P<nth>(?i:{ordinal}|last|final))\s+(?i:month)\s+"
        rf"of\s+(?:(?P<y>{Y4})|(?P<rel>(?i:the|this|last|next))\s+(?i:year))(?![\w-])",
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
        "quarter": rf"(?:(?i:the)\s+)?(?:(?P<py>{Y4})(?:['’]s)?\s+)?{FISCAL}"
        rf"(?P<q>(?i:{quarter_word}))"
        r"(?:\s+|-)(?:(?i:fiscal|financial|calendar)\s+)?(?i:quarter)"
        rf"(?:\s+(?:of|in)\s+(?:(?i:fiscal|financial)\s+(?:year\s+)?)?(?P<y>{Y4})"
        r"|\s+of\s+(?P<rel>this|last|next|the(?:\s+(?:fiscal|financial|current|calendar))?)"
        rf"\s+year|\s+(?P<y2>{Y4}))?(?![\w-])",
        "q": rf"(?<![\w-])Q(?P<q>[1-4])(?:\s*(?P<y>{Y4})|\s*['’](?P<yy>\d\d))?(?![\w-])",
        "half": rf"(?:(?i:the)\s+)?{FISCAL}(?P<h>(?i:first|second|latter|1st|2nd))(?P<sep>\s+|-)"
        rf"(?i:half)(?:\s+of\s+(?:(?P<y>{Y4})|(?P<rel>this|last|next|the)\s+year)"
        rf"|\s+(?P<y2>{Y4})"
        # A bare "first half" is a time only where the text says the month it ends in.
        rf"|(?=(?P<ends>\s*,?\s+{PERIOD_END.format(verbs=end_verbs)}"
        rf"(?:\d{{1,2}}\s+)?(?:{full}|{abbrev})(?![\w-]))))?(?![\w-])",
        # "the fiscal year, which ended June 30": a year the text defines by its last day (the
        # date after it); "fiscal year 2007" is a year (above).
        "fiscal_year": r"(?:(?i:the)\s+)?(?i:fiscal|financial)\s+(?i:year)"
        rf"(?=\s*,?\s+{PERIOD_END.format(verbs=end_verbs)})",
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
        "fiscal_year": r"(?i:fiscal|financial)",
        "weekend": r"weekend",
        "noon": r"(?i:noon|midday|midnight)",
        "season": rf"(?i:{_alt(cal['seasons'])})",
        "holiday": _alt(cal["holidays"]),
        "q": r"Q[1-4]",
        "dayword3": r"(?i:the\s+day)",
        "decade_word": rf"(?i:{_alt(cal['decade_words'])})",
        "military": rf"{TZ}|(?i:hours|hrs)",
        "weekday": _alt(cal["weekdays"]),
        "dayword": r"(?i:today|tonight|yesterday|tomorrow)",
        "dayword2": PARTS,
        # Not single words, but the pattern's own tail: rare in news, cheap to look for.
        "ago": rf"{UNITS}\s+(?i:ago|earlier|later|before|after|afterwards?|previously"
        r"|from\s+now|hence|back)(?![\w-])",
        "clock": r"\d\s*(?i:a\.m\.|p\.m\.|am|pm)(?!\w)",
        "clock24": r"\d:[0-5]\d",
        "earlier_in": r"(?:in|on)\s+the\s+(?:day|week|month|year|decade)(?![\w-])",
        "day_of_month": r"\d(?:st|nd|rd|th)",
        "year_end": r"(?i:year)[\s-](?i:end)",
        "dmy_dash": r"\d-[A-Za-z]{3}",
        "week_of": r"(?i:week\s+of)",
        "month_of_year": r"(?i:month\s+of)",
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
        "fiscal_year": ["fiscal", "financial"],
        "weekend": ["weekend"],
        "noon": ["noon", "midday", "midnight"],
        "season": [str(k) for k in cal["seasons"] if not str(k).startswith("_")],
        "decade_word": [str(k) for k in cal["decade_words"] if not str(k).startswith("_")],
        "military": [*TZ[3:-1].split("|"), "hours", "hrs"],
        "weekday": [str(k) for k in cal["weekdays"] if not str(k).startswith("_")],
        "dayword": ["today", "tonight", "yesterday", "tomorrow"],
        "dayword2": ["morning", "afternoon", "evening", "night"],
    }
    plain = {name: tuple(w.lower() for w in found) for name, found in table.items()}
    # A word with a space or an apostrophe is a looser pattern (\s+, ['’]): left to the regex.
    return {k: v for k, v in plain.items() if all(re.fullmatch(r"[a-z]+", w) for w in v)}
