"""Stories and happenings (issue 14): small corpora through the whole run, and the pure
functions on frames, as tables of cases including those that must stay apart."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.happenings import group_events
from analysis.pipeline import run
from analysis.query import Filter, open_store
from analysis.store import Store
from analysis.stories import find_stories, label

# id, published, source, title, text
ARTICLES = [
    (
        "vote-a",
        "2025-03-12",
        "Reuters",
        "Estonia bars Russian citizens from local elections",
        "Estonia's parliament, the Riigikogu, voted on 11 March 2025 to strip Russian citizens of "
        "the right to vote in local elections. The amendment to the constitution passed by 93 "
        "votes to 7. Prime Minister Kristen Michal said the vote protected Estonia from "
        "interference by the Kremlin. About 80,000 Russian citizens live in Estonia, most of "
        "them in Tallinn and Narva.",
    ),
    (
        "vote-b",
        "2025-03-12",
        "AP",
        "Estonian lawmakers strip Russians of local voting rights",
        "Lawmakers in Estonia voted on 11 March 2025 to remove the right of Russian citizens to "
        "vote in local elections, amending the constitution. The Riigikogu approved the change "
        "with 93 votes in favour. Kristen Michal, the prime minister, said the vote was about "
        "security and the Kremlin. Russian citizens in Narva and Tallinn will no longer vote in "
        "municipal polls.",
    ),
    (
        "follow-up",
        "2025-03-19",
        "Reuters",
        "Estonian president signs voting ban for Russian citizens",
        "Estonian President Alar Karis signed the constitutional amendment on 18 March 2025 that "
        "strips Russian citizens of the right to vote in local elections. The Riigikogu passed "
        "the amendment a week earlier. Kristen Michal welcomed the signature. Russian citizens "
        "in Narva said they felt excluded from the local elections.",
    ),
    (
        "floods",
        "2025-03-12",
        "AP",
        "Floods sweep through Valencia",
        "Heavy rain flooded the streets of Valencia on 11 March 2025, forcing hundreds of "
        "families to leave their homes. Carlos Mazón, the head of the regional government, asked "
        "Madrid for emergency help. The storm closed schools and the port, and firefighters "
        "rescued drivers trapped in their cars.",
    ),
    (
        "budget-vote",
        "2025-06-19",
        "Reuters",
        "Riigikogu passes security tax",
        "The Riigikogu voted on 18 June 2025 to raise value added tax to pay for defence. The "
        "tax bill passed by 55 votes to 40. Finance Minister Jürgen Ligi said the security tax "
        "was needed because of the threat from Russia. Opposition lawmakers said the tax would "
        "hurt families in Tallinn.",
    ),
]


@pytest.fixture(scope="module")
def store(nlp: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stories")
    corpus = folder / "corpus.jsonl"
    corpus.write_text(
        "\n".join(
            json.dumps({"id": i, "date": d, "source": s, "title": t, "text": x})
            for i, d, s, t, x in ARTICLES
        ),
        encoding="utf-8",
    )
    run([corpus], folder / "store", nlp=nlp)
    return folder / "store"


def story_of(store: Path) -> dict[str, str]:
    docs = Store(store).read("documents")
    return dict(zip(docs["doc_id"], docs["story_id"], strict=True))


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("vote-a", "vote-b", True),  # two outlets, the same vote, the same day
        ("vote-a", "follow-up", True),  # the follow-up a week later
        ("vote-b", "follow-up", True),
        ("vote-a", "floods", False),  # an unrelated story the same day
        ("vote-a", "budget-vote", False),  # the same parliament, another story months later
    ],
)
def test_articles_in_stories(store: Path, a: str, b: str, same: bool) -> None:
    stories = story_of(store)
    assert (stories[a] == stories[b]) is same


def event_group(store: Path, doc_id: str, day: str) -> str:
    events = Store(store).read("events")
    rows = events[(events["doc_id"] == doc_id) & (events["date"] == pd.Timestamp(day))]
    assert len(rows) == 1, rows
    return str(rows["group_id"].iloc[0])


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("vote-a", "2025-03-11"), ("vote-b", "2025-03-11"), True),  # one vote, two reports
        (("vote-a", "2025-03-11"), ("budget-vote", "2025-06-18"), False),  # two votes
        (("vote-a", "2025-03-11"), ("floods", "2025-03-11"), False),  # same day, other happening
        (("vote-b", "2025-03-11"), ("follow-up", "2025-03-18"), False),  # the vote, the signing
    ],
)
def test_events_in_groups(store: Path, a: tuple[str, str], b: tuple[str, str], same: bool) -> None:
    assert (event_group(store, *a) == event_group(store, *b)) is same


def test_stories_table(store: Path) -> None:
    stories = Store(store).read("stories").set_index("story_id")
    vote = stories.loc[story_of(store)["vote-a"]]
    assert (vote["n_articles"], vote["n_sources"]) == (3, 2)
    assert (vote["first_published"], vote["last_published"]) == (
        pd.Timestamp("2025-03-12"),
        pd.Timestamp("2025-03-19"),
    )
    assert "Estonia" in vote["label"] and " · " in vote["label"]
    assert stories["n_articles"].sum() == len(ARTICLES)  # every article in exactly one story


def test_story_filter_in_the_query_layer(store: Path) -> None:
    view = open_store(store)
    story = story_of(store)["vote-a"]
    flt = Filter(stories=(story,))
    docs = view.rows("documents", flt, limit=None)
    assert sorted(docs["doc_id"]) == ["follow-up", "vote-a", "vote-b"]
    assert set(view.rows("events", flt, limit=None)["doc_id"]) <= {"follow-up", "vote-a", "vote-b"}
    assert view.rows("stories", flt, limit=None)["story_id"].tolist() == [story]
    assert Filter.from_params(flt.to_params()) == flt
    assert Filter.from_params({"f_story": [story]}) == flt
    # Stories under another filter: those with an article that passes it.
    floods = view.rows("stories", Filter(docs=("floods",)), limit=None)
    assert floods["story_id"].tolist() == [story_of(store)["floods"]]


# -- the pure functions on frames --------------------------------------------------------------


def event(
    eid: str, doc: str, day: str, description: str, *entities: str, **kw: Any
) -> dict[str, Any]:
    return {
        "event_id": eid,
        "doc_id": doc,
        "date": pd.Timestamp(day),
        "end_date": pd.Timestamp(kw.get("end", day)),
        "granularity": kw.get("granularity", "day"),
        "description": description,
        "entity_ids": list(entities),
    }


GROUP_CASES = [
    # (events, story of each article, pairs that share a group, pairs that do not)
    (
        [
            event("e1", "a", "2025-03-11", "parliament voted to ban Russian voters", "gpe:estonia"),
            event("e2", "b", "2025-03-11", "lawmakers voted to ban Russian voters", "gpe:estonia"),
        ],
        {},
        [("e1", "e2")],
        [],
    ),
    (
        [
            event("e1", "a", "2025-03-11", "parliament voted on the ban", "gpe:estonia"),
            event("e2", "b", "2025-06-18", "parliament voted on the tax", "gpe:estonia"),
        ],
        {},
        [],
        [("e1", "e2")],  # two votes on different dates
    ),
    (
        [
            event("e1", "a", "2025-03-11", "parliament voted on the ban", "gpe:estonia"),
            event("e2", "b", "2025-03-11", "heavy rain flooded the streets", "gpe:valencia"),
        ],
        {},
        [],
        [("e1", "e2")],  # the same date, different happenings
    ),
    (
        [
            event("e1", "a", "2025-03-11", "the prime minister met the envoy", "person:michal"),
            event("e2", "b", "2025-03-11", "michal's party lost a by-election", "person:michal"),
        ],
        {},
        [],
        [("e1", "e2")],  # one person, one day, two things
    ),
    (
        [
            event(
                "e1",
                "a",
                "2020-01-01",
                "arrested in 2020",
                "person:x",
                end="2020-12-31",
                granularity="year",
            ),
            event(
                "e2",
                "b",
                "2020-01-01",
                "was arrested in 2020",
                "person:x",
                end="2020-12-31",
                granularity="year",
            ),
            event(
                "e3",
                "c",
                "2020-01-01",
                "was arrested in 2020",
                "person:x",
                end="2020-12-31",
                granularity="year",
            ),
        ],
        {"a": "s1", "b": "s1", "c": "s2"},
        [("e1", "e2")],  # a year is vague: only within one story
        [("e1", "e3")],
    ),
    (
        [
            event("e1", "a", "2025-03-11", "the vote on the ban", "gpe:estonia"),
            event("e2", "a", "2025-03-11", "the vote on the ban again", "gpe:estonia"),
        ],
        {},
        [],
        [("e1", "e2")],  # one article repeating itself is not two reports
    ),
]


@pytest.mark.parametrize(("events", "stories", "together", "apart"), GROUP_CASES)
def test_group_events(
    events: list[dict[str, Any]],
    stories: dict[str, str],
    together: list[tuple[str, str]],
    apart: list[tuple[str, str]],
) -> None:
    frame = pd.DataFrame(events)
    before = frame.copy()
    groups = group_events(frame, stories)
    assert set(groups) == set(frame["event_id"])
    for a, b in together:
        assert groups[a] == groups[b]
    for a, b in apart:
        assert groups[a] != groups[b]
    pd.testing.assert_frame_equal(frame, before)  # the frame given is not changed


def frames(rows: list[tuple[str, str, str, list[str], list[str]]]) -> tuple[pd.DataFrame, ...]:
    docs = pd.DataFrame(
        {
            "doc_id": [r[0] for r in rows],
            "published": [pd.Timestamp(r[1]) for r in rows],
            "source": [r[2] for r in rows],
        }
    )
    ents = pd.DataFrame(
        [(r[0], e, 1) for r in rows for e in r[3]], columns=["doc_id", "entity_id", "n"]
    )
    terms = pd.DataFrame(
        [(r[0], t, 1) for r in rows for t in r[4]], columns=["doc_id", "term", "n"]
    )
    return docs, ents, terms


def test_find_stories_window_and_singletons() -> None:
    vote = (["gpe:estonia", "org:riigikogu", "norp:russian"], ["vote", "ban", "citizen"])
    docs, ents, terms = frames(
        [
            ("a", "2025-03-12", "Reuters", *vote),
            ("b", "2025-03-12", "AP", *vote),
            ("c", "2025-05-30", "AP", *vote),  # the same words, ten weeks later: a new thread
            ("d", "2025-03-12", "AP", ["gpe:valencia"], ["flood", "rain"]),
        ]
    )
    found = find_stories(docs, ents, terms, {"gpe:estonia": "Estonia"})
    by_doc = {d: s.story_id for s in found for d in s.doc_ids}
    assert by_doc["a"] == by_doc["b"] != by_doc["c"]
    assert by_doc["d"] not in (by_doc["a"], by_doc["c"])
    first = found[0]
    assert (first.doc_ids, first.n_sources, first.first_published) == (
        ("a", "b"),
        2,
        date(2025, 3, 12),
    )


@pytest.mark.parametrize(
    ("names", "terms", "expected"),
    [
        (
            ["Belarus", "Alexander Lukashenko"],
            ["lukashenko", "prisoners"],
            "Belarus · Alexander Lukashenko · prisoners",
        ),
        (["Estonia"], ["estonian", "vote", "ban"], "Estonia · vote · ban"),
        ([], [], "(untitled)"),
    ],
)
def test_label(names: list[str], terms: list[str], expected: str) -> None:
    assert label(names, terms) == expected


def _grouping(store: Path) -> dict[str, Any]:
    """What grouping decided, by article title and event text (ids are the files' own)."""
    s = Store(store)
    docs = s.read("documents")
    title = dict(zip(docs["doc_id"], docs["title"], strict=True))
    story_titles: dict[str, list[str]] = {}
    for doc_id, story in zip(docs["doc_id"], docs["story_id"], strict=True):
        story_titles.setdefault(story, []).append(title[doc_id])
    events = s.read("events")
    members: dict[str, list[tuple[str, str]]] = {}
    for doc_id, text, group in zip(
        events["doc_id"], events["text"], events["group_id"], strict=True
    ):
        members.setdefault(group, []).append((title[doc_id], text))
    copies = {
        title[d]: title.get(c, "") for d, c in zip(docs["doc_id"], docs["copy_of"], strict=True)
    }
    stories = s.read("stories")
    return {
        "stories": sorted(sorted(t) for t in story_titles.values()),
        "groups": sorted(sorted(m) for m in members.values()),
        "copies": copies,
        "labels": sorted(
            zip(stories["label"], stories["n_articles"], stories["n_sources"], strict=True)
        ),
        "mentions": len(s.read("mentions")),
    }


def test_incremental_runs_group_as_a_fresh_run(nlp: Any, tmp_path: Path) -> None:
    """Adding articles to a store, then removing some (a first copy among them), gives the
    stories, happenings and copies a fresh run of the same files gives."""
    from tests.analysis.test_copies import WIRE

    def write(folder: Path, names: list[str]) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for f in folder.iterdir():
            f.unlink()
        rows = [*ARTICLES, ("wire", "2025-03-13", "Wire", "Belarus frees 123", WIRE)]
        rows.append(("wire-copy", "2025-03-14", "Outlet", "Belarus releases", WIRE + " More."))
        for i, d, s, t, x in rows:
            if i in names:
                text = f"---\ntitle: {t}\ndate: {d}\nsource: {s}\n---\n{x}\n"
                (folder / f"{i}.md").write_text(text, encoding="utf-8")
        return folder

    every = [a[0] for a in ARTICLES] + ["wire", "wire-copy"]
    steps = [every[:3], every, [n for n in every if n not in ("vote-b", "wire")]]
    store = tmp_path / "store"
    for k, names in enumerate(steps):
        run([write(tmp_path / "corpus", names)], store, nlp=nlp)
        fresh = tmp_path / f"fresh-{k}"
        run([write(tmp_path / f"corpus-{k}", names)], fresh, nlp=nlp)
        assert _grouping(store) == _grouping(fresh), names
