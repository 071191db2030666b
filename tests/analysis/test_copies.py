"""Copies: the same wire story in several files (exact, or with another headline, byline or
tail) is one analysis, every file a documents row with its own details and `copy_of`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.copies import near_copies, shingles
from analysis.pipeline import run
from analysis.query import Filter, StoreView
from analysis.store import Store

WIRE = (
    "MINSK, Belarus — Belarus freed 123 prisoners on Saturday, including the Nobel Peace Prize "
    "laureate Ales Bialiatski, after talks with a United States envoy, officials said. The "
    "release followed months of negotiations over sanctions on Belarusian potash, a key export. "
    "Viasna, the rights group Bialiatski founded, said 1,227 political prisoners remain behind "
    "bars. Opposition leader Sviatlana Tsikhanouskaya welcomed the releases but called for all "
    "political prisoners to be freed. The envoy, John Coale, said Washington would lift some "
    "sanctions on the national airline in return. Lukashenko has ruled Belarus since 1994."
)
FOLLOW_UP = (
    "A week after Belarus freed 123 prisoners, families of those still held gathered in Vilnius. "
    "Viasna, the rights group Bialiatski founded, said 1,227 political prisoners remain behind "
    "bars. Relatives described letters smuggled out of prison colonies and asked Western "
    "governments to keep up pressure. Several former prisoners spoke about their years in "
    "solitary confinement and the conditions in the penal colonies of the Vitebsk region."
)


def page(text: str, *, title: str, day: str, source: str) -> str:
    return f"---\ntitle: {title}\ndate: {day}\nsource: {source}\n---\n{text}\n"


def batch(*rows: tuple[str, str | None, str]) -> list[pa.Table]:
    return [
        pa.table(
            {
                "doc_id": [r[0] for r in rows],
                "published": pa.array([r[1] for r in rows], pa.string()),
                "text": [r[2] for r in rows],
            }
        )
    ]


@pytest.mark.parametrize(
    ("other", "is_copy"),
    [
        (WIRE, True),  # the same text
        (WIRE + " This story was first published by a wire service.", True),  # another tail
        ("By Anna Smith. " + WIRE.replace("MINSK, Belarus — ", ""), True),  # byline, dateline
        (FOLLOW_UP, False),  # quotes one sentence of it
        ("Airbus delivered its first A380 to Singapore Airlines on Monday.", False),
        ("", False),
    ],
)
def test_near_copies(other: str, is_copy: bool) -> None:
    found = near_copies(batch(("b", "2025-12-14", other), ("a", "2025-12-13", WIRE)))
    assert found == ({"b": "a"} if is_copy else {})


def test_the_first_copy_is_the_earliest_and_chains_point_to_it() -> None:
    tail = WIRE + " Reporting by the wire."
    found = near_copies(
        batch(("late", "2025-12-15", tail), ("early", "2025-12-13", WIRE), ("mid", None, WIRE))
    )
    assert found == {"late": "early", "mid": "early"}


def test_shingles_are_lower_cased_word_runs() -> None:
    assert shingles("One two three four five six", size=5) == {
        b"one two three four five",
        b"two three four five six",
    }
    assert shingles("Short text") == {b"short text"}
    assert shingles("   ") == set()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Path:
    folder = tmp_path_factory.mktemp("copies") / "articles"
    folder.mkdir()
    pages = {
        "a.md": page(WIRE, title="Belarus frees 123", day="2025-12-13", source="Wire A"),
        "b.md": page(WIRE, title="123 freed in Belarus", day="2025-12-13", source="Outlet B"),
        "c.md": page(
            WIRE + " Outlet C contributed to this report.",
            title="Belarus releases prisoners",
            day="2025-12-14",
            source="Outlet C",
        ),
        "d.md": page(FOLLOW_UP, title="Families gather", day="2025-12-20", source="Outlet B"),
    }
    for name, text in pages.items():
        (folder / name).write_text(text, encoding="utf-8")
    root = folder.parent / "store"
    summary = run([folder], root, nlp=nlp)
    assert any("kept as a copy" in str(n) for n in summary.notices)
    return root


def test_every_file_is_a_document_with_its_own_details(store: Path) -> None:
    docs = Store(store).read("documents").set_index("source")
    assert set(docs.index) == {"Wire A", "Outlet B", "Outlet C"} and len(docs) == 4
    first = docs.loc["Wire A", "doc_id"]
    copies = docs[docs["copy_of"] == first]
    assert sorted(copies["title"]) == ["123 freed in Belarus", "Belarus releases prisoners"]
    follow_up = docs[docs["title"] == "Families gather"].iloc[0]
    assert follow_up["copy_of"] == ""


def test_counts_are_not_doubled_and_coverage_counts_each_copy(store: Path) -> None:
    view = StoreView(store)
    docs = Store(store).read("documents")
    first = docs.loc[docs["source"] == "Wire A", "doc_id"].iloc[0]
    mentions = Store(store).read("mentions")
    copies = set(docs.loc[docs["copy_of"] != "", "doc_id"])
    assert copies and not copies & set(mentions["doc_id"])
    assert first in set(mentions["doc_id"])
    ledger = view.rows("ledger", Filter(), limit=None).set_index("claim_key")
    assert ledger.loc["political prisoner", "n_figures"] == 2  # the wire story and the follow-up
    stories = view.rows("stories", Filter(), limit=None)
    wire = stories.sort_values("n_articles").iloc[-1]
    assert wire["n_articles"] >= 3 and wire["n_sources"] >= 3


def test_an_unchanged_rerun_rewrites_nothing(store: Path, nlp: Any) -> None:
    before = (store / "documents.parquet").stat().st_mtime_ns
    summary = run([store.parent / "articles"], store, nlp=nlp)
    assert summary.analysed == 0
    assert (store / "documents.parquet").stat().st_mtime_ns == before


def test_the_reader_says_where_else_it_was_published(store: Path) -> None:
    from analysis.query import copies

    view = StoreView(store)
    docs = Store(store).read("documents").set_index("source")
    first = docs.loc["Wire A", "doc_id"]
    assert sorted(copies(view, first)["source"]) == ["Outlet B", "Outlet C"]
    copy = docs.loc["Outlet C", "doc_id"]
    assert sorted(copies(view, copy)["source"]) == ["Outlet B", "Wire A"]
    follow_up = docs[docs["title"] == "Families gather"]["doc_id"].iloc[0]
    assert copies(view, follow_up).empty


def test_every_file_keeps_a_readability_row(store: Path) -> None:
    docs = Store(store).read("documents")
    readability = Store(store).read("readability")
    assert sorted(readability["doc_id"]) == sorted(docs["doc_id"])


def _reference(rows: list[tuple[str, str | None, str]]) -> dict[str, str]:
    """Near copies as datasketch's MinHashLSH finds them, one article at a time."""
    from datasketch import MinHash, MinHashLSH

    from analysis.copies import PERMUTATIONS, THRESHOLD

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    kept: dict[str, MinHash] = {}
    out: dict[str, str] = {}
    for doc_id, _, text in sorted(rows, key=lambda r: (r[1] is None, r[1] or "", r[0])):
        words = shingles(text)
        if not words:
            continue
        minhash = MinHash(num_perm=PERMUTATIONS, seed=1)
        minhash.update_batch(list(words))
        matches = [m for m in lsh.query(minhash) if kept[m].jaccard(minhash) >= THRESHOLD]
        if matches:
            out[doc_id] = min(matches)
            continue
        lsh.insert(doc_id, minhash)
        kept[doc_id] = minhash
    return out


def _variants() -> list[tuple[str, str | None, str]]:
    """Wire copies with edited heads and tails, shuffled paragraphs, follow-ups, empties."""
    sentences = WIRE.split(". ") + FOLLOW_UP.split(". ")
    rows: list[tuple[str, str | None, str]] = []
    for k in range(40):
        cut = sentences[k % 7 :] + sentences[: k % 7] if k % 3 else sentences[k % 5 :]
        text = ". ".join(cut[: 6 + k % 6])
        if k % 4 == 0:
            text = f"By Reporter {k}. {text}"
        if k % 5 == 0:
            text += f" Copy {k} ends here."
        day = None if k % 9 == 0 else f"2025-12-{10 + k % 15:02d}"
        rows.append((f"d{k:02d}", day, "" if k == 13 else text))
    return rows


def test_near_copies_are_those_of_datasketch_lsh() -> None:
    rows = _variants()
    expected = _reference(rows)
    assert expected and len(expected) < len(rows) - 1  # some copies, some not
    assert near_copies(batch(*rows)) == expected


def test_stored_signatures_find_the_same_copies_without_the_texts() -> None:
    from analysis.copies import SIGNATURES_SCHEMA, find_near_copies, signatures

    rows = _variants()
    stored = pa.concat_tables([signatures(d, t) for d, _, t in rows[5:]])  # 5 stored before
    docs = pa.table(
        {
            "doc_id": [r[0] for r in rows],
            "published": pa.array(
                [None if r[1] is None else datetime.fromisoformat(r[1]) for r in rows],
                pa.timestamp("ms"),
            ),
            "text": [r[2] for r in rows],
        }
    )
    asked: list[tuple[str, tuple[str, ...]]] = []

    def read(table: str, columns: list[str]) -> list[pa.Table]:
        asked.append((table, tuple(columns)))
        return [stored.select(columns) if table == "signatures" else docs.select(columns)]

    found = find_near_copies(read)
    assert found.copy_of == _reference(rows)
    # Texts are read for the five articles without a signature only, and theirs are kept.
    assert ("documents", ("doc_id", "text")) in asked
    assert sorted(found.computed["doc_id"].to_pylist()) == [r[0] for r in rows[:5]]
    assert found.computed.schema == SIGNATURES_SCHEMA
    asked.clear()
    stored = pa.concat_tables([stored, found.computed])
    assert find_near_copies(read).copy_of == found.copy_of
    assert all(columns != ("doc_id", "text") for _, columns in asked)


def test_an_article_without_words_has_no_signature() -> None:
    from analysis.copies import signature

    assert signature("  ") is None
    value = signature(WIRE)
    assert value is not None and len(value) == 4 * 128


def test_the_copy_search_reads_the_documents_columns_with_the_stores_types() -> None:
    from analysis.copies import _DOCUMENT_KEYS
    from analysis.store import arrow_schema

    documents = arrow_schema("documents")
    assert [documents.field(f.name) for f in _DOCUMENT_KEYS] == list(_DOCUMENT_KEYS)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400) | st.lists(st.sampled_from(WIRE.split()), max_size=80).map(" ".join))
def test_signatures_are_datasketchs(text: str) -> None:
    """analysis.copies computes datasketch's MinHash (without importing it), value for value."""
    from datasketch import MinHash

    from analysis.copies import PERMUTATIONS, signature

    words = shingles(text)
    if not words:
        assert signature(text) is None
        return
    minhash = MinHash(num_perm=PERMUTATIONS, seed=1)
    minhash.update_batch(list(words))
    assert signature(text) == minhash.hashvalues.astype("<u4").tobytes()


def test_lsh_bands_are_datasketchs() -> None:
    from datasketch import MinHashLSH

    from analysis.copies import BANDS, PERMUTATIONS, ROWS, THRESHOLD

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=PERMUTATIONS)
    assert (lsh.b, lsh.r) == (BANDS, ROWS)
