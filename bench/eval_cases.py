"""Issue 18's listed cases, per class: how many of them the extractors get right.

Each case is one error class the issue names ("Titles and affiliations inside the speaker span",
"Plural family names", "A range whose year is written once"), written out as news-style
sentences of this file's own (the issue's phrases where it gives them) with what a reader
expects: the speaker, the entity, the date, the figure. The articles go through the whole
in-memory pipeline (`analysis.pipeline.analyze_texts`: every extractor, entities linked across
the case's articles), so the script runs unchanged on any commit that has that function: run it
on an older checkout for the "before" column.

    .venv/bin/python bench/eval_cases.py [--json] [--show]

A case the code cannot express (a column it does not have) fails; a case never errors out.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

Tables = dict[str, pd.DataFrame]
PUBLISHED = date(2025, 12, 13)


@dataclass(frozen=True)
class Case:
    """One listed case: its class, what it checks, its articles and the check."""

    cls: str
    name: str
    texts: tuple[str | tuple[str, date], ...]
    check: Callable[[Tables], bool]


# -- reading the tables ----------------------------------------------------------------------


def speaker(t: Tables, fragment: str) -> str | None:
    """The speaker of the statement holding `fragment`."""
    rows = t["quotes"][t["quotes"]["text"].str.contains(fragment, regex=False)]
    rows = rows[rows["kind"] != "title"]
    if rows.empty or pd.isna(rows["speaker"].iloc[0]):
        return None
    return str(rows["speaker"].iloc[0])


def column(t: Tables, table: str, fragment: str, name: str) -> Any:
    """`name` of the first `table` row whose text holds `fragment` (None when none does)."""
    frame = t[table]
    if name not in frame.columns:
        return None
    rows = frame[frame["text"].str.contains(fragment, regex=False)]
    return None if rows.empty else rows[name].iloc[0]


def entity(t: Tables, surface: str, nth: int = 0) -> tuple[str, str] | None:
    """(name, type) of the entity the `nth` mention written `surface` links to."""
    m = t["mentions"][t["mentions"]["text"] == surface]
    if len(m) <= nth:
        return None
    row = t["entities"][t["entities"]["entity_id"] == m["entity_id"].iloc[nth]]
    return None if row.empty else (str(row["name"].iloc[0]), str(row["type"].iloc[0]))


def same_entity(t: Tables, *surfaces: str) -> bool:
    ids = set()
    for s in surfaces:
        m = t["mentions"][t["mentions"]["text"] == s]
        if m.empty:
            return False
        ids |= set(m["entity_id"])
    return len(ids) == 1


def mentioned(t: Tables, surface: str) -> bool:
    return bool((t["mentions"]["text"] == surface).any())


def persons(t: Tables) -> set[str]:
    e = t["entities"]
    return set(e[e["type"] == "PERSON"]["name"])


def event(t: Tables, fragment: str) -> tuple[date | None, date | None] | None:
    """(date, end_date) of the event written with `fragment`."""
    rows = t["events"][t["events"]["text"].str.contains(fragment, regex=False)]
    if rows.empty:
        return None

    def day(v: Any) -> date | None:
        return None if pd.isna(v) else pd.Timestamp(v).date()

    return day(rows["date"].iloc[0]), day(rows["end_date"].iloc[0])


def descriptions(t: Tables) -> list[str]:
    return [str(d) for d in t["events"]["description"].dropna()]


def figure(t: Tables, fragment: str) -> dict[str, Any] | None:
    rows = t["figures"][t["figures"]["text"].str.contains(fragment, regex=False)]
    return None if rows.empty else dict(rows.iloc[0])


# -- the cases -------------------------------------------------------------------------------

SPEAKERS = "Speakers"
ENTITIES = "Entities"
NAMES = "Names across the corpus"
TIMELINE = "Timeline"
FIGURES = "Figures"

CASES: list[Case] = [
    Case(
        SPEAKERS,
        "title and brief in a transcript label",
        (
            "Civilian Deputy Undersecretary of the Air Force for Acquisition Darleen Druyun: "
            "“We will not let this stand.”",
        ),
        lambda t: (
            speaker(t, "let this stand") == "Darleen Druyun"
            and not mentioned(t, "Air Force for Acquisition Darleen Druyun")
        ),
    ),
    Case(
        SPEAKERS,
        "title and brief before 'said'",
        ("European Commissioner for Competition Neelie Kroes said: “This breaks the rules.”",),
        lambda t: speaker(t, "breaks the rules") == "Neelie Kroes",
    ),
    Case(
        SPEAKERS,
        "two titles joined",
        ("The company president and CEO Louis Gallois said “we are delighted with the result.”",),
        lambda t: speaker(t, "delighted") == "Louis Gallois",
    ),
    Case(
        SPEAKERS,
        "the title kept apart (speaker_title)",
        ("European Commissioner for Competition Neelie Kroes said: “This breaks the rules.”",),
        lambda t: (
            column(t, "quotes", "breaks the rules", "speaker_title")
            == "European Commissioner for Competition"
        ),
    ),
    Case(
        SPEAKERS,
        "an interposed phrase",
        ("Donald Trump, in an interview with CNN, blurted out, “We are going to win so much.”",),
        lambda t: speaker(t, "win so much") == "Donald Trump",
    ),
    Case(
        SPEAKERS,
        "inverted order with a title",
        ("“We had a strong month,” responded national finance director Dennis Cheng.",),
        lambda t: speaker(t, "strong month") == "Dennis Cheng",
    ),
    Case(
        SPEAKERS,
        "'Name, role:'",
        ("Randy Baseler, Boeing vice president: “The tanker is ours to lose.”",),
        lambda t: speaker(t, "ours to lose") == "Randy Baseler",
    ),
    Case(
        SPEAKERS,
        "the speaker named in the next sentence",
        ("“It is a thousand songs in your pocket.” That was how Steve Jobs once described it.",),
        lambda t: speaker(t, "thousand songs") == "Steve Jobs",
    ),
    Case(
        SPEAKERS,
        "a verb of writing",
        ("The email began: “Dear colleagues, the merger is off.” Jane Park wrote it on Sunday.",),
        lambda t: speaker(t, "merger is off") is not None,
    ),
    Case(
        SPEAKERS,
        "'the company said' is the company",
        (
            "Boeing delivered its first 787 to a Japanese airline on Monday. “This is a proud "
            "day for everyone who built it,” the company said.",
        ),
        lambda t: speaker(t, "proud day") == "Boeing",
    ),
    Case(
        SPEAKERS,
        "'the ministry added' is the ministry",
        (
            "The Ministry of Defence confirmed the order on Tuesday. “Deliveries start next "
            "year,” the ministry added.",
        ),
        lambda t: (speaker(t, "Deliveries start") or "").endswith("Ministry of Defence"),
    ),
    Case(
        SPEAKERS,
        "a quote nested in a quote of another mark style",
        ('Mary Jones said: “He told me "never", and then he left.”',),
        lambda t: column(t, "quotes", 'told me "never", and then he left', "text") is not None,
    ),
    Case(
        ENTITIES,
        "an acronym in parentheses",
        (
            "The United States Air Force (USAF) chose the tanker. The USAF said the choice was "
            "final.",
        ),
        lambda t: same_entity(t, "United States Air Force", "USAF"),
    ),
    Case(
        ENTITIES,
        "a short form after the full name",
        (
            "The United States Air Force chose the tanker on Friday. The Air Force said the "
            "choice was final.",
        ),
        lambda t: same_entity(t, "United States Air Force", "Air Force"),
    ),
    Case(
        ENTITIES,
        "an airline's short form the article defines",
        ("Singapore Airlines (SIA) took the first A380. SIA said it was pleased.",),
        lambda t: same_entity(t, "Singapore Airlines", "SIA"),
    ),
    Case(
        ENTITIES,
        "a product's plural joins the singular",
        (
            "Emirates flies the A380 to London. The airline ordered ten more A380s on Monday.",
            ("Qantas grounded its A380s after an engine failure.", date(2025, 12, 14)),
        ),
        lambda t: same_entity(t, "A380", "A380s"),
    ),
    Case(
        ENTITIES,
        "one entity, one type",
        (
            "Ryanair cut its fares on Monday. Ryanair said demand was strong. Ryanair chief "
            "Michael O'Leary was pleased.",
            ("Ryanair flew more passengers than ever in July.", date(2025, 12, 14)),
        ),
        lambda t: (
            entity(t, "Ryanair") is not None
            and all(entity(t, "Ryanair", k) == ("Ryanair", "ORG") for k in range(3))
        ),
    ),
    Case(
        ENTITIES,
        "units and their numbers are no entities",
        ("The phone has 16 GB of storage, and the 30GB model costs $299.",),
        lambda t: not mentioned(t, "16 GB") and not mentioned(t, "30GB"),
    ),
    Case(
        ENTITIES,
        "a given name alone when two people share it",
        (
            "Steve Jobs unveiled the phone in San Francisco. Steve Ballmer laughed at it. Steve "
            "said nothing more.",
        ),
        lambda t: entity(t, "Steve") not in (("Steve Jobs", "PERSON"), ("Steve Ballmer", "PERSON")),
    ),
    Case(
        ENTITIES,
        "a stray space in a name",
        (
            "Ryanair chief Michael O' Leary said fares would fall. O'Leary said the airline "
            "would grow.",
        ),
        lambda t: same_entity(t, "Michael O' Leary", "O'Leary"),
    ),
    Case(
        ENTITIES,
        "a sports result names teams, not places",
        ("England beat France 2-1 at Wembley on Saturday, and France's coach resigned.",),
        lambda t: entity(t, "England") is not None and entity(t, "England")[1] == "ORG",  # type: ignore[index]
    ),
    Case(
        NAMES,
        "a Title-Case headline is not the name",
        (
            "Senate Grills Jane Doe Over Emails\n\nSenators questioned Jane Doe for five hours "
            "on Tuesday. Doe said she had done nothing wrong.",
        ),
        lambda t: "Jane Doe" in persons(t) and not any("Grills" in n for n in persons(t)),
    ),
    Case(
        NAMES,
        "a surname links to the full name the article introduced",
        ("Angela Merkel met the president on Monday. Merkel said the talks went well.",),
        lambda t: same_entity(t, "Angela Merkel", "Merkel"),
    ),
    Case(
        NAMES,
        "a surname alone links to the corpus's dominant bearer",
        (
            "President Joe Biden signed the bill on Monday. Biden said it would help.",
            ("Jill Biden visited a school. Joe Biden praised the teachers.", date(2025, 12, 14)),
            # the case: the bare surname half PERSON, half ORG (the model's tags)
            ("Biden vetoed the measure on Friday.", date(2025, 12, 15)),
            ("Biden said he would sign the next one.", date(2025, 12, 16)),
        ),
        lambda t: (
            same_entity(t, "Joe Biden", "Biden")
            and len(set(t["mentions"][t["mentions"]["text"] == "Biden"]["doc_id"])) == 3
        ),
    ),
    Case(
        NAMES,
        "two people of one surname written in full stay apart",
        (
            "John Smith won the race in Leeds.",
            ("Anna Smith won the race in York.", date(2025, 12, 14)),
        ),
        lambda t: {"John Smith", "Anna Smith"} <= persons(t),
    ),
    Case(
        NAMES,
        "a name is never both a person and an organisation",
        (
            "Barack Obama spoke in Ohio on Monday. Obama said jobs were coming back.",
            ("Obama said the plan would work.", date(2025, 12, 14)),
        ),
        lambda t: not (t["entities"]["name"].str.fullmatch(r"(Barack )?Obama")).sum() > 1,
    ),
    Case(
        NAMES,
        "plural family names, pro-X and tickets are no persons",
        (
            "The Obamas arrived in Hawaii. Hundreds of pro-Trump protesters gathered, and the "
            "Clinton-Kaine ticket won Virginia.",
        ),
        lambda t: not (persons(t) & {"Obamas", "pro-Trump", "Clinton-Kaine", "Trump"}),
    ),
    Case(
        TIMELINE,
        "a year-less date in a future clause takes the coming year",
        (
            (
                "The tour's first stop, on November 11, may be dropped, the organisers said.",
                date(2005, 11, 5),
            ),
        ),
        lambda t: event(t, "November 11") == (date(2005, 11, 11), date(2005, 11, 11)),
    ),
    Case(
        TIMELINE,
        "'this weekend' in the past tense on a Monday is the weekend gone",
        (("Thousands marched in the capital this weekend.", date(2025, 12, 15)),),
        lambda t: event(t, "this weekend") == (date(2025, 12, 13), date(2025, 12, 14)),
    ),
    Case(
        TIMELINE,
        "a range with its year written once",
        ("The exhibition ran from May to August of 2009.",),
        lambda t: event(t, "May") == (date(2009, 5, 1), date(2009, 8, 31)),
    ),
    Case(
        TIMELINE,
        "a year in an editor's brackets",
        ("He said the deal was signed in November [2014].",),
        lambda t: event(t, "November") == (date(2014, 11, 1), date(2014, 11, 30)),
    ),
    Case(
        TIMELINE,
        "an ordinal week of a month",
        ("The results will come in the second week of August.",),  # the coming August
        lambda t: event(t, "second week of August") == (date(2026, 8, 8), date(2026, 8, 14)),
    ),
    Case(
        TIMELINE,
        "a fiscal quarter the text defines",
        (
            "The company earned $2 billion in the first quarter of the financial year, which "
            "ended December 30, 2006.",
        ),
        lambda t: any(
            v == (date(2006, 10, 1), date(2006, 12, 30))
            for v in [event(t, "first quarter"), event(t, "quarter")]
        ),
    ),
    Case(
        TIMELINE,
        "a date in an abbreviated numeric style",
        ("The memo was dated 08-FEB-17.",),
        lambda t: event(t, "08-FEB-17") == (date(2017, 2, 8), date(2017, 2, 8)),
    ),
    Case(
        TIMELINE,
        "a reduced clause is described with its noun",
        ("The plane is the basis for an all-freight version of the 777, announced last November.",),
        lambda t: (
            bool(descriptions(t))
            and not any("will be announced" in d for d in descriptions(t))
            and any("777" in d for d in descriptions(t))
        ),
    ),
    Case(
        TIMELINE,
        "no subject of one clause glued to a date of another",
        ("2007 was the year of the iPhone, and Apple sold the iPad tablet computer in 2010.",),
        lambda t: (
            not any("was year in 2010" in d or "was the year in 2010" in d for d in descriptions(t))
        ),
    ),
    Case(
        FIGURES,
        "an age in apposition is no count",
        ("Mark Papermaster, 49, joined Apple from IBM in November.",),
        lambda t: figure(t, "49") is None or figure(t, "49")["kind"] != "count",  # type: ignore[index]
    ),
    Case(
        FIGURES,
        "money about a project, not a count of it",
        ("Changi Airport opened its SGD1.75-billion Terminal 3 on Saturday.",),
        lambda t: (figure(t, "1.75") or {}).get("kind") == "money",
    ),
    Case(
        FIGURES,
        "a nationality adjective is never a source",
        ("The Belgian said 300 workers would lose their jobs.",),
        lambda t: (
            (figure(t, "300") or {}).get("source") in (None, "")
            or pd.isna((figure(t, "300") or {}).get("source"))
        ),
    ),
    Case(
        FIGURES,
        "a phrase that names no one is no source",
        ("New numbers show that 4,000 jobs were lost in March.",),
        lambda t: (
            (figure(t, "4,000") or {}).get("source") in (None, "")
            or pd.isna((figure(t, "4,000") or {}).get("source"))
        ),
    ),
]


# -- running ---------------------------------------------------------------------------------


def run_case(nlp: Any, case: Case) -> tuple[bool, str]:
    """Whether the case passes, and the error when it could not be run."""
    from analysis.corpus import build_article
    from analysis.pipeline import analyze_texts

    articles = []
    for k, item in enumerate(case.texts):
        text, published = item if isinstance(item, tuple) else (item, PUBLISHED)
        articles.append(build_article(text, path=f"case-{k}.txt", published=published))
    try:
        return bool(case.check(analyze_texts(nlp, articles))), ""
    except Exception as err:  # a column or table an older checkout lacks: the case fails
        return False, f"{type(err).__name__}: {err}"


def evaluate(nlp: Any, cases: Sequence[Case] = CASES) -> dict[str, Any]:
    classes: dict[str, dict[str, Any]] = {}
    for case in cases:
        passed, error = run_case(nlp, case)
        entry = classes.setdefault(case.cls, {"passed": 0, "total": 0, "failed": []})
        entry["total"] += 1
        if passed:
            entry["passed"] += 1
        else:
            entry["failed"].append(case.name + (f" ({error})" if error else ""))
    return classes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--show", action="store_true", help="list the cases that fail")
    args = parser.parse_args(argv)
    from analysis.nlp import load_model

    result = evaluate(load_model())
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    for cls, entry in result.items():
        print(f"{cls:26} {entry['passed']:>2} / {entry['total']}")
        if args.show:
            for name in entry["failed"]:
                print(f"    fails: {name}")
    total = sum(e["passed"] for e in result.values())
    print(f"{'all':26} {total:>2} / {len(CASES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
