"""Dated events: time expressions anchored to the calendar, resolved against the publication date.

Detection is `timex.scan` (patterns for dates, months, years, decades, seasons, quarters,
weekdays and relative expressions) checked against the parse: a year must not be a count
("2020 people"), a month not a modal verb ("May"), a weekday not a frequency ("every Monday").
Resolution follows the TIMEX3 conventions of news annotation: relative expressions count from
the publication date, a year-less "June" or a bare "Friday" takes the year or week its clause's
tense points to, and "two years later" counts from the story's last date. A quarter, half or
fiscal year followed by the clause that ends it ("..., which ended December 30, 2006") is the
period ending that day. "now" and "recently" are kept with TIMEX3 values PRESENT_REF /
PAST_REF (granularity present / past). Descriptions are built in `timeline_describe`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from analysis.extract import timex
from analysis.extract.entities import sentence_entities
from analysis.extract.timeline_describe import describe, governor
from analysis.extract.timex import Expr, Resolved
from analysis.nlp import doc_ents, doc_text
from analysis.records import Event, Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from analysis.corpus import Article

VERSION = "4"

# Named entity types inside which a month or a year is part of a name ("Windows 2000").
_NAME_TYPES = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "LAW", "FAC", "PERSON"})
_MODIFIER = re.compile(r"(?i)^(early|late|mid|the\s+(end|beginning|start|middle|close))")


def extract_events(doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[Event]:
    """Time expressions in `doc` anchored to the calendar, resolved against `published`."""
    text = doc_text(doc)
    if not text or text != article.text:
        return []
    kept: list[tuple[Expr, SpacySpan]] = []
    for expr in timex.scan(text):
        span = doc.char_span(expr.start, expr.end, alignment_mode="expand")
        if span is None or len(span) == 0 or span.start_char < 0:
            continue
        if span[0].sent.start != span[-1].sent.start and not _bracketed_year(text, expr):
            continue  # (the parser may start a sentence at an editor's "[2014]")
        checked = _check(expr, span)
        if checked is not None:
            kept.append((checked, span))
    kept.extend(_other_dates(doc, kept))
    kept.sort(key=lambda item: item[0].start)
    merged = [(e, s) for e, s in _merge(kept, doc, text) if not _recurring(s)]
    defined = _defined_periods(merged, text)
    events: list[Event] = []
    narrative: tuple[date, str] | None = None
    for index, (expr, span) in enumerate(merged):
        resolved = _resolve(expr, span, article.published, narrative)
        if index in defined:
            end_expr, end_span = merged[index + 1]
            end = _resolve(end_expr, end_span, article.published, narrative)
            if end is not None and end.end_date is not None:
                resolved = timex.defined_period(expr.spec.unit, end.end_date, end.relative)
        if resolved is None:
            continue
        if resolved.date is not None and resolved.granularity not in ("present", "past", "future"):
            narrative = (resolved.date, resolved.granularity)
        events.append(_event(expr, span, resolved, article, mentions))
    return events


# --- filters ----------------------------------------------------------------------------------


def _before(span: SpacySpan) -> Token | None:
    return span.doc[span.start - 1] if span.start > 0 else None


def _after(span: SpacySpan) -> Token | None:
    return span.doc[span.end] if span.end < len(span.doc) else None


def _inside_name(span: SpacySpan, types: frozenset[str] = _NAME_TYPES) -> bool:
    """True when the expression is part of a longer name ("Black Monday", "Tuesday Morning")."""
    for token in span:
        if token.ent_type_ in types:
            ent = next((e for e in doc_ents(span.doc) if e.start <= token.i < e.end), None)
            if ent is not None and (ent.start < span.start or ent.end > span.end):
                return True
            if ent is not None and token.ent_type_ == "PERSON":
                return True
    return False


def _other_dates(doc: Doc, kept: Sequence[tuple[Expr, SpacySpan]]) -> list[tuple[Expr, SpacySpan]]:
    """Full dates the model tags DATE in a format the patterns do not know, read by dateparser."""
    found = []
    for ent in doc_ents(doc):
        if ent.label_ != "DATE" or any(
            e.start < ent.end_char and ent.start_char < e.end for e, _ in kept
        ):
            continue
        read = timex.parse_calendar_string(ent.text)
        if read is not None:
            found.append((Expr(ent.start_char, ent.end_char, "other", read[0]), ent))
    return found


def _bracketed_year(text: str, expr: Expr) -> bool:
    """Whether the expression ends on a year an editor put in brackets: "November [2014]"."""
    return re.search(r"\[\d{4}\]$", text[expr.start : expr.end]) is not None


def _recurring(span: SpacySpan) -> bool:
    """True for a schedule: "from 9 a.m. to 5 p.m. daily", "Friday every week"."""
    after = _after(span)
    return after is not None and after.lower_ in ("daily", "nightly", "weekly", "every", "each")


def _check(expr: Expr, span: SpacySpan) -> Expr | None:
    """The expression if the parse agrees it is a time expression, else None."""
    before, after = _before(span), _after(span)
    prev = before.lower_ if before is not None else ""
    kind = expr.kind
    if prev in ("every", "each", "per") and kind not in ("ref", "ago"):
        return None  # a frequency: "every Monday", "each spring"
    if kind in ("year", "year_span"):
        return expr if _is_year(expr, span) else None
    if kind == "mon":
        return expr if _is_month(expr, span) else None
    if kind in ("mdy", "dmy", "my", "mon_rel") and any(t.tag_ == "MD" for t in span):
        return None  # "May" the verb
    if kind == "season":
        return expr if _is_season(expr, span) else None
    if kind in ("weekday", "holiday") and _inside_name(span, _NAME_TYPES | {"EVENT"}):
        return None
    if kind == "holiday" and any(t.ent_type_ in ("GPE", "LOC") for t in span):
        return None  # Easter Island, Christmas Island
    if kind == "q" and expr.spec.year is None and prev not in ("in", "the", "for", "during", "of"):
        return None
    if kind == "rel_unit" and span[0].lower_ == "that" and span[0].dep_ != "det":
        return None  # "said that year-end..." : a conjunction, not a determiner
    if (
        kind == "ago"
        and span[-1].lower_ in ("before", "after")
        and after is not None
        and not after.is_punct
        and after.lower_ not in ("and", "but")
    ):
        return None  # "two days before the vote": a duration before an event
    if kind == "ago" and after is not None and after.lower_ == "than":
        return None  # "three days later than planned": a delay, not a date
    if kind == "ref":
        return _check_ref(expr, span)
    return expr


def _is_year(expr: Expr, span: SpacySpan) -> bool:
    """A bare four-digit number is a year unless it counts something or names a product."""
    gram = timex.grammar()
    digits = [t for t in span if t.like_num or any(c.isdigit() for c in t.text)]
    if not digits:
        return False
    token = digits[-1]
    before, after = _before(span), _after(span)
    prev = before.lower_ if before is not None else ""
    marked = bool(_MODIFIER.match(span.text)) or not span.text[:1].isdigit()
    context = marked or prev in gram["year_prepositions"] or token.ent_type_ == "DATE"
    year = expr.spec.year or 0
    if not 1900 <= year <= 2100 and not context:
        return False
    if token.ent_type_ in ("MONEY", "PERCENT", "QUANTITY"):
        return False
    # What the number modifies: the next noun (past adjectives), else its head in the parse.
    noun = after
    doc = span.doc
    while noun is not None and noun.pos_ in ("ADJ", "ADV") and noun.i + 1 < len(doc):
        noun = doc[noun.i + 1] if noun.i - span.end < 2 else None
    if noun is None or noun.pos_ not in ("NOUN", "PROPN"):
        head = token.head
        close = 0 < head.i - token.i <= 3 and token.dep_ != "pobj"
        noun = head if close and head.pos_ in ("NOUN", "PROPN") else None
    if noun is not None:
        if noun.lower_ in gram["count_heads"]:
            return False  # "2000 feet", "1500 staff"
        if noun.tag_ in ("NNS", "NNPS") and noun.lower_ not in gram["year_plural_heads"]:
            return False  # "2020 people"
    # "Windows 2000", "Route 2020": a name ending in a number, unless a noun follows. A year
    # before the name is a date ("the 2016 Rio Olympics").
    named = before is not None and (
        before.pos_ == "PROPN" or (before.pos_ == "NOUN" and before.is_title)
    )
    return not (
        named
        and before is not None
        and before.ent_type_ != "DATE"
        and timex.month_number(before.text) is None
        and not context
        and (after is None or after.pos_ != "NOUN")
    )


def _is_month(expr: Expr, span: SpacySpan) -> bool:
    """A bare month name is a month unless it is a verb, a modal or part of a name."""
    gram = timex.grammar()
    token = next((t for t in span if timex.month_number(t.text)), span[-1])
    if token.tag_ == "MD" or token.pos_ in ("VERB", "AUX"):
        return False
    if _inside_name(span):
        return False
    after = _after(span)
    if (
        after is not None
        and after.pos_ == "PROPN"
        and after.text[:1].isupper()
        and timex.month_number(after.text) is None
        and after.ent_type_ != "DATE"
    ):
        return False  # "April Ryan", "August Busch"
    if expr.spec.direction or len(span) > 1:
        return True
    before = _before(span)
    prev = before.lower_ if before is not None else ""
    if token.text in ("May", "March"):  # also common words: a preposition or the model agrees
        return (
            prev in gram["year_prepositions"]
            or prev in ("last", "this", "next", "on")
            or (token.ent_type_ == "DATE")
        )
    return True


def _is_season(expr: Expr, span: SpacySpan) -> bool:
    """ "spring 2024", "this summer", "in the autumn": not "a fall in prices"."""
    gram = timex.grammar()
    token = next(
        (t for t in span if t.lower_ in timex.calendar()["seasons"]),
        span[-1],
    )
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    if expr.spec.year is not None or expr.spec.direction in ("this", "last", "next", "year"):
        return True
    after = _after(span)
    if after is not None and after.lower_ == "of":
        return False  # "the fall of the Berlin Wall"
    before = _before(span)
    prev = before.lower_ if before is not None else ""
    return prev in gram["year_prepositions"] or prev in ("over", "this", "last", "next")


def _check_ref(expr: Expr, span: SpacySpan) -> Expr | None:
    """ "now", "recently", "in the past": not "now that", "the past year", "the future of"."""
    after = _after(span)
    words = span.text.lower()
    if words == "now" and after is not None and after.lower_ in ("that", "-"):
        return None  # "now that": a conjunction
    if (
        words.endswith(("the past", "the future"))
        and after is not None
        and (after.pos_ in ("NOUN", "PROPN", "ADJ", "NUM") or after.lower_ == "of")
    ):
        return None  # "the past year" (a duration), "the future of the company"
    if span[0].lower_ == "in" and len(span) > 1:  # TIMEX3 leaves the preposition out
        return replace(expr, start=span[1].idx)
    return expr


# --- periods the text defines ----------------------------------------------------------------

_FISCAL = re.compile(r"(?i)^(?:the\s+)?(?:fiscal|financial|FY)")


def _defined_periods(items: Sequence[tuple[Expr, SpacySpan]], text: str) -> set[int]:
    """Indexes of the quarters, halves and fiscal years whose last day the next expression
    gives in a relative clause or an apposition: "the first quarter, which ended December 30,
    2006", "the fiscal year ending June 30". A quarter without one stays a calendar quarter."""
    out: set[int] = set()
    for index, ((expr, _), (day, _)) in enumerate(pairwise(items)):
        unit = expr.spec.unit
        fiscal_year = unit == "year" and _FISCAL.match(text[expr.start : expr.end]) is not None
        if expr.end_spec is not None or not (unit in ("quarter", "half") or fiscal_year):
            continue
        if (
            day.end_spec is None
            and day.spec.unit in ("day", "month")
            and not day.spec.ref
            and timex.period_end(text[expr.end : day.start])
        ):
            out.add(index)
    return out


# --- ranges and times of day -----------------------------------------------------------------

_RANGE_DASH = re.compile(r"\s*(?:-|–|—)\s*")
_RANGE_TO = re.compile(r"\s+(?:to|through|thru|until|till|into)\s+", re.IGNORECASE)
_RANGE_AND = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)
_RANGE_START = re.compile(r"(?i)\b(from|between)\s+$")
_DAY_THEN_CLOCK = re.compile(r"\s*,?\s*(?:at\s+|around\s+|about\s+)?")
_CLOCK_THEN_DAY = re.compile(r"\s*,?\s*(?:on\s+)?")
_CLOCKS = ("clock", "clock24", "military", "noon")


def _merge(
    items: list[tuple[Expr, SpacySpan]], doc: Doc, text: str
) -> list[tuple[Expr, SpacySpan]]:
    """Join "from 2019 to 2021" into one range, "Monday at 9 a.m." into one time."""
    out: list[tuple[Expr, SpacySpan]] = []
    for expr, span in items:
        if out:
            merged = _join(out[-1][0], expr, text)
            if merged is not None:
                joined = doc.char_span(merged.start, merged.end, alignment_mode="expand")
                if joined is not None and joined[0].sent.start == joined[-1].sent.start:
                    out[-1] = (merged, joined)
                    continue
        out.append((expr, span))
    return out


def _join(a: Expr, b: Expr, text: str) -> Expr | None:
    between = text[a.end : b.start]
    if len(between) > 12 or a.end_spec is not None or b.end_spec is not None:
        return None
    clock_a, clock_b = a.kind in _CLOCKS, b.kind in _CLOCKS
    if clock_b and not clock_a and a.spec.unit == "day" and _DAY_THEN_CLOCK.fullmatch(between):
        return Expr(a.start, b.end, a.kind, replace(a.spec, time=b.spec.time))
    if clock_a and not clock_b and b.spec.unit == "day" and _CLOCK_THEN_DAY.fullmatch(between):
        return Expr(a.start, b.end, b.kind, replace(b.spec, time=a.spec.time))
    if a.spec.ref or b.spec.ref or clock_a != clock_b or a.spec.unit != b.spec.unit:
        return None
    opener = _RANGE_START.search(text[max(0, a.start - 10) : a.start])
    if _RANGE_AND.fullmatch(between):
        if not opener or opener.group(1).lower() != "between":
            return None
    elif not (_RANGE_DASH.fullmatch(between) or _RANGE_TO.fullmatch(between)):
        return None
    start = a.start - len(opener.group(0)) if opener else a.start
    return Expr(start, b.end, "range", a.spec, b.spec)


# --- tense ------------------------------------------------------------------------------------


def _tense(verb: Token, depth: int = 0) -> str | None:
    """past / present / future / upcoming for the clause of `verb`, None when the parse cannot
    tell. "upcoming" is a future seen from the past or hedged ("was due to", "would"), which
    may be the publication day itself."""
    gram = timex.grammar()
    governors = gram["future_governors"]
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {a.lower_ for a in auxes} | {a.lemma_.lower() for a in auxes}
    past = any(a.tag_ == "VBD" for a in auxes) or verb.tag_ == "VBD"
    if words & {"will", "shall", "'ll", "wo"}:
        return "future"
    if words & {"would", "might", "may", "should", "must", "could"}:
        return "upcoming"
    # "is expected to", "is scheduled for", "are due until", "was set to"
    predicate = [c for c in verb.children if c.dep_ in ("acomp", "oprd")]
    if any(t.lemma_.lower() in governors for t in predicate) or (
        verb.lemma_.lower() in governors
        and verb.tag_ in ("VBN", "JJ", "VBG")
        and any(c.dep_ in ("xcomp", "prep") for c in verb.children)
    ):
        return "upcoming" if past else "future"
    if past or ("have" in words and verb.tag_ == "VBN"):
        return "past"
    if verb.tag_ == "VBN" and not auxes and verb.dep_ in ("acl", "advcl", "amod", "relcl"):
        return "past"  # a participle clause: "the merger, announced in April, ..."
    infinitive = any(a.tag_ == "TO" for a in auxes) or verb.tag_ == "VB"
    if (infinitive or (verb.tag_ in ("VBG", "VBN") and not auxes)) and depth < 4:
        head = verb.head
        if head.i == verb.i:
            return None
        if infinitive and verb.dep_ in ("acl", "relcl"):
            return "upcoming"  # "an event to be held on October 12"
        outer_verb = governor(head)
        outer = (
            _tense(outer_verb, depth + 1)
            if outer_verb is not None and outer_verb.i != verb.i
            else None
        )
        if infinitive and head.lemma_.lower() in governors:
            return "upcoming" if outer == "past" else "future"
        return outer
    if verb.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return None


def _orientation(expr: Expr, span: SpacySpan) -> str | None:
    """Which way a year-less date looks from the publication date: past, future, upcoming
    (the future or that very day) or None (the nearest)."""
    verb = governor(span.root)
    tense = _tense(verb) if verb is not None else None
    weekday = expr.spec.weekday is not None and expr.spec.month is None
    if not weekday:
        return {"past": "past", "future": "future", "upcoming": "future"}.get(tense or "")
    if tense in ("past", "future", "upcoming"):
        return tense
    if tense == "present" and verb is not None:
        reporting = verb.lemma_.lower() in timex.grammar()["reporting_verbs"]
        return "past" if reporting else "upcoming"  # "says Friday" / "is travelling Monday"
    return "past"  # news reports what happened: a bare weekday is the last one


def _resolve(
    expr: Expr, span: SpacySpan, published: date | None, narrative: tuple[date, str] | None
) -> Resolved | None:
    tense = _orientation(expr, span)
    first = timex.resolve(expr.spec, published, tense, narrative)
    if expr.end_spec is None or first is None:
        return first
    end_spec = expr.end_spec
    start_spec = expr.spec
    if end_spec.year is None and first.date is not None and end_spec.anchor == "infer":
        end_spec = replace(end_spec, year=first.date.year, anchor="abs")
    last = timex.resolve(end_spec, published, tense, narrative)
    written = expr.end_spec.year
    if start_spec.year is None and written is not None and start_spec.anchor == "infer":
        # The year written once, at the end, is both ends' ("from May to August of 2009"),
        # the year before for a start after the end ("December to February 2025").
        same = timex.resolve(replace(start_spec, year=written, anchor="abs"), None)
        if same is not None and last is not None and same.date and last.end_date:
            first = same
            if same.date > last.end_date:
                first = timex.resolve(replace(start_spec, year=written - 1, anchor="abs"), None)
    elif last is not None and last.end_date and first.date and last.end_date < first.date:
        if start_spec.year is None and end_spec.year is not None:
            first = timex.resolve(replace(start_spec, year=end_spec.year - 1, anchor="abs"), None)
        elif end_spec.year is not None and expr.end_spec.year is None:
            last = timex.resolve(replace(end_spec, year=end_spec.year + 1), None)
    if first is None or last is None:
        return first
    value = f"{first.timex}/{last.timex}" if first.timex and last.timex else None
    return Resolved(
        first.date, last.end_date, first.granularity, value, first.relative or last.relative
    )


# --- records ----------------------------------------------------------------------------------


def _event(
    expr: Expr, span: SpacySpan, resolved: Resolved, article: Article, mentions: Sequence[Mention]
) -> Event:
    sent = span[0].sent
    text = article.text
    record = Span(expr.start, expr.end, text[expr.start : expr.end], sent.text, sent.start_char)
    keys = sentence_entities(mentions, sent.start_char, sent.end_char)
    return Event(
        doc_id=article.doc_id,
        span=record,
        date=resolved.date,
        end_date=resolved.end_date,
        granularity=resolved.granularity,
        relative=resolved.relative,
        description=describe(span),
        entities=keys,
        timex=resolved.timex,
    )
