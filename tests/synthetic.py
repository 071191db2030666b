"""A small, fully known store for dashboard tests: the seed article plus a hostile one.

Every table is written directly (no spaCy), with hand-made quotes, figures and events placed by
their offsets in the real article text, so the dashboard tests do not depend on how good the
extractors are today.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from analysis.corpus import Article, load_corpus
from analysis.extract.readability import score
from analysis.store import MANIFEST, to_arrow
from analysis.tables import TABLES, conform

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_4f4cfbc597373b65.txt"

HOSTILE = """---
title: Hostile <b>markup</b> & formulas
date: 2024-05-01
source: Evil Times
---
Mallory Smith said "=HYPERLINK(""http://evil.example"",""click"")" to the crowd.
<script>alert("pwned")</script> The firm @EvilCorp reported 42 incidents in March 2024.
<img src=x onerror=alert(1)> Mallory Smith left Lithuania.
"""

# Entities: id, name, type, surface forms (longest first).
ENTITIES = [
    (
        "person:alexander-lukashenko",
        "Alexander Lukashenko",
        "PERSON",
        ["Alexander Lukashenko", "Lukashenko"],
    ),
    ("person:ales-bialiatski", "Ales Bialiatski", "PERSON", ["Ales Bialiatski", "Bialiatski"]),
    ("person:maria-kalesnikava", "Maria Kalesnikava", "PERSON", ["Maria Kalesnikava"]),
    ("person:donald-trump", "Donald Trump", "PERSON", ["Donald Trump", "Trump"]),
    ("person:viktar-babaryka", "Viktar Babaryka", "PERSON", ["Viktar Babaryka"]),
    ("person:vladimir-putin", "Vladimir Putin", "PERSON", ["Vladimir Putin", "Putin"]),
    (
        "person:sviatlana-tsikhanouskaya",
        "Sviatlana Tsikhanouskaya",
        "PERSON",
        ["Sviatlana Tsikhanouskaya"],
    ),
    ("person:coale", "Coale", "PERSON", ["Coale"]),
    ("person:mallory-smith", "Mallory Smith", "PERSON", ["Mallory Smith"]),
    ("org:viasna", "Viasna", "ORG", ["Viasna"]),
    ("org:european-union", "European Union", "ORG", ["European Union"]),
    ("org:evilcorp", "@EvilCorp", "ORG", ["@EvilCorp"]),
    ("gpe:belarus", "Belarus", "GPE", ["Belarus"]),
    ("gpe:united-states", "United States", "GPE", ["United States", "U.S."]),
    ("gpe:lithuania", "Lithuania", "GPE", ["Lithuania"]),
    ("gpe:ukraine", "Ukraine", "GPE", ["Ukraine"]),
    ("gpe:russia", "Russia", "GPE", ["Russia"]),
    ("norp:belarusian", "Belarusian", "NORP", ["Belarusian"]),
]


@dataclass
class Synthetic:
    """What the tests need to know about the synthetic store."""

    root: Path
    corpus: Path
    seed: Article
    hostile: Article
    tables: dict[str, pd.DataFrame]


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end): from after the last '. ' or newline to the next one."""
    stops = [text.rfind(". ", 0, start), text.rfind("\n", 0, start)]
    begin = max(stops)
    begin = 0 if begin < 0 else begin + (2 if text[begin] == "." else 1)
    candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    finish = min(candidates) + 1 if candidates else len(text)
    return begin, min(finish, len(text))


def _at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    index = -1
    for _ in range(nth + 1):
        index = text.find(needle, index + 1)
        if index < 0:
            raise AssertionError(f"{needle!r} not in text")
    return index, index + len(needle)


def _row(article: Article, start: int, end: int) -> dict[str, Any]:
    s0, s1 = _sentence(article.text, start, end)
    return {
        "doc_id": article.doc_id,
        "text": article.text[start:end],
        "start": start,
        "end": end,
        "sentence": article.text[s0:s1],
        "sentence_start": s0,
        "published": article.published,
    }


def _mentions(article: Article) -> list[dict[str, Any]]:
    taken: list[tuple[int, int]] = []
    rows = []
    forms = sorted(
        ((form, eid, etype) for eid, _, etype, fs in ENTITIES for form in fs),
        key=lambda f: -len(f[0]),
    )
    for form, eid, etype in forms:
        index = article.text.find(form)
        while index >= 0:
            end = index + len(form)
            after = article.text[end : end + 1]
            overlaps = any(index < e and s < end for s, e in taken)
            if not overlaps and not (after.isalpha()):
                taken.append((index, end))
                rows.append(
                    {**_row(article, index, end), "entity_id": eid, "type": etype, "label": etype}
                )
            index = article.text.find(form, end)
    return sorted(rows, key=lambda r: r["start"])


def build(root: Path) -> Synthetic:
    """Write the corpus (seed + hostile article) and a complete store under `root`."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, corpus / SEED.name)
    (corpus / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    articles = {a.path: a for a in load_corpus([corpus]).articles}
    seed = articles[str(corpus / SEED.name)]
    hostile = articles[str(corpus / "hostile.md")]
    store = root / "store"
    store.mkdir(parents=True, exist_ok=True)

    documents = [
        {
            "doc_id": a.doc_id,
            "title": a.title,
            "slug": a.slug,
            "published": a.published,
            "source": a.source,
            "path": a.path,
            "n_words": len(a.text.split()),
            "n_sentences": a.text.count(". ") + 1,
            "sha256": a.sha256,
            "text": a.text,
        }
        for a in (seed, hostile)
    ]
    readability = []
    for a in (seed, hostile):
        record = score(a.text, a.doc_id)
        if record is not None:
            readability.append({f: getattr(record, f) for f in record.__slots__})  # type: ignore[attr-defined]
    mentions = _mentions(seed) + _mentions(hostile)

    def quote(
        a: Article, needle: str, speaker: str, eid: str, cue: str, kind: str
    ) -> dict[str, Any]:
        start, end = _at(a.text, needle)
        return {
            **_row(a, start, end),
            "quote_id": f"q-{a.doc_id}-{start}",
            "speaker": speaker,
            "speaker_entity_id": eid,
            "speaker_text": speaker.split()[-1],
            "cue": cue,
            "kind": kind,
            "about": [],
            "about_ids": [],
        }

    quotes = [
        quote(
            seed,
            "US sanctions are about people. EU sanctions are about systemic change – stopping the "
            "war, enabling democratic transition, and ensuring accountability.",
            "Sviatlana Tsikhanouskaya",
            "person:sviatlana-tsikhanouskaya",
            "stated",
            "direct",
        ),
        quote(
            seed,
            "bandits",
            "Alexander Lukashenko",
            "person:alexander-lukashenko",
            "referring",
            "partial",
        ),
        quote(
            seed,
            "the highly respected president of Belarus,",
            "Donald Trump",
            "person:donald-trump",
            "characterized",
            "partial",
        ),
        quote(seed, "hostages", "Donald Trump", "person:donald-trump", "described", "partial"),
        quote(
            hostile,
            '=HYPERLINK(""http://evil.example"",""click"")',
            "Mallory Smith",
            "person:mallory-smith",
            "said",
            "direct",
        ),
    ]
    quotes[2]["about"] = ["Belarus"]
    quotes[2]["about_ids"] = ["gpe:belarus"]

    def figure(
        a: Article,
        needle: str,
        value: float,
        counted: str,
        kind: str,
        source: str | None,
        eid: str | None,
        qualifier: str | None = None,
        nth: int = 0,
    ) -> dict[str, Any]:
        start, end = _at(a.text, needle, nth)
        return {
            **_row(a, start, end),
            "figure_id": f"f-{a.doc_id}-{start}",
            "value": value,
            "counted": counted,
            "counted_key": counted,
            # as if no predicate were found: the claim is the counted thing
            "claim": counted,
            "claim_key": counted,
            "qualifier": qualifier,
            "kind": kind,
            "unit": None,
            "source": source,
            "source_entity_id": eid,
        }

    figures = [
        figure(seed, "123 prisoners", 123, "prisoners", "count", None, None),
        figure(seed, "two days", 2, "days of talks", "duration", None, None),
        figure(
            seed,
            "as many as 1,400 prisoners",
            1400,
            "prisoners",
            "count",
            "Donald Trump",
            "person:donald-trump",
            "as many as",
        ),
        figure(
            seed,
            "1,227 political prisoners",
            1227,
            "political prisoners",
            "count",
            "Viasna",
            "org:viasna",
        ),
        figure(hostile, "42 incidents", 42, "incidents", "count", "@EvilCorp", "org:evilcorp"),
    ]

    def event(
        a: Article,
        needle: str,
        d0: date,
        d1: date,
        gran: str,
        desc: str,
        ents: list[str],
        relative: bool = False,
        nth: int = 0,
    ) -> dict[str, Any]:
        start, end = _at(a.text, needle, nth)
        names = {eid: name for eid, name, _, _ in ENTITIES}
        return {
            **_row(a, start, end),
            "event_id": f"e-{a.doc_id}-{start}",
            "date": d0,
            "end_date": d1,
            "granularity": gran,
            "relative": relative,
            "description": desc,
            "entities": [names[e] for e in ents],
            "entity_ids": ents,
            "timex": "",
        }

    events = [
        event(
            seed,
            "July 2021",
            date(2021, 7, 1),
            date(2021, 7, 31),
            "month",
            "Bialiatski imprisoned",
            ["person:ales-bialiatski"],
        ),
        event(
            seed,
            "2020",
            date(2020, 1, 1),
            date(2020, 12, 31),
            "year",
            "Babaryka arrested while preparing to run for president",
            ["person:viktar-babaryka"],
        ),
        event(
            seed,
            "2022",
            date(2022, 1, 1),
            date(2022, 12, 31),
            "year",
            "Belarus facilitated Russia's invasion of Ukraine",
            ["gpe:belarus", "gpe:russia", "gpe:ukraine"],
        ),
        event(
            seed,
            "earlier this year",
            date(2025, 1, 1),
            date(2025, 12, 13),
            "year",
            "diplomatic engagements began with the Trump administration",
            ["person:donald-trump"],
            True,
        ),
        event(
            hostile,
            "March 2024",
            date(2024, 3, 1),
            date(2024, 3, 31),
            "month",
            "@EvilCorp reported 42 incidents",
            ["org:evilcorp"],
        ),
    ]

    frames = {
        "documents": pd.DataFrame(documents),
        "readability": pd.DataFrame(readability),
        "mentions": pd.DataFrame(mentions),
        "quotes": pd.DataFrame(quotes),
        "figures": pd.DataFrame(figures),
        "events": pd.DataFrame(events),
    }
    ents = []
    m = frames["mentions"]
    for eid, name, etype, _ in ENTITIES:
        rows = m[m["entity_id"] == eid]
        if rows.empty:
            continue
        ents.append(
            {
                "entity_id": eid,
                "name": name,
                "type": etype,
                "aliases": sorted(set(rows["text"]) - {name}),
                "n_mentions": len(rows),
                "n_documents": rows["doc_id"].nunique(),
                "first_seen": rows["published"].min(),
                "last_seen": rows["published"].max(),
            }
        )
    frames["entities"] = pd.DataFrame(ents).sort_values(
        ["n_mentions", "name"], ascending=[False, True]
    )
    frames["stories"] = pd.DataFrame()  # no story grouping in the synthetic store
    tables = {name: conform(name, frame) for name, frame in frames.items()}
    for name in TABLES:
        pq.write_table(to_arrow(name, tables[name]), store / f"{name}.parquet")
    manifest = {
        "pipeline_version": "synthetic",
        "tables": {name: len(frame) for name, frame in tables.items()},
        "paths": [str(corpus)],
        "problems": [],
    }
    (store / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return Synthetic(store, corpus, seed, hostile, tables)
