"""Corrections: each kind of edit, replayed on every run, undone exactly, reported when stale."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis import cli
from analysis.edits import Edit, EditError, active, new_edit, parse_log
from analysis.pipeline import edit_log, record_edit, run
from analysis.store import Store
from analysis.tables import TABLES

ROOT = Path(__file__).resolve().parents[2]
SEED = next((ROOT / "seeds").glob("*.txt")).read_text(encoding="utf-8")


def tables(store: Path) -> dict[str, pd.DataFrame]:
    return {t: Store(store).read(t) for t in TABLES}


def assert_tables_equal(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Path:
    """The seed article analysed into a store (once; each test edits a copy)."""
    root = tmp_path_factory.mktemp("edits")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "seed.txt").write_text(SEED, encoding="utf-8")
    run([corpus], root / "store", nlp=nlp)
    return root


@pytest.fixture
def store(analysed: Path, tmp_path: Path) -> Path:
    shutil.copytree(analysed / "store", tmp_path / "store")
    shutil.copytree(analysed / "corpus", tmp_path / "corpus")
    return tmp_path / "store"


def edit(store: Path, kind: str, targets: list[str], value: str | None = None) -> Edit:
    made = new_edit(kind, targets, value)
    record_edit(store, made)
    return made


def entity(store: Path, name: str) -> pd.Series:
    entities = Store(store).read("entities")
    found = entities[entities["name"] == name]
    assert len(found) == 1, f"{name}: {len(found)} rows"
    return found.iloc[0]


# -- the log ----------------------------------------------------------------------------------


def test_malformed_line_is_reported_with_its_number_and_the_rest_apply() -> None:
    lines = [
        '{"edit_id": "e-1", "kind": "hide", "targets": ["GB"], "value": null, "when": ""}',
        '{"edit_id": "e-2", "kind": "merge", "targets": ["Air Force"]',  # cut short
        '{"edit_id": "e-3", "kind": "retype", "targets": ["X"], "value": "COLOUR"}',
        '{"edit_id": "e-4", "kind": "rename", "targets": ["X"], "value": "Y"}',
        '{"edit_id": "e-5", "kind": "undo", "edit": "e-4"}',
    ]
    edits, problems = parse_log("\n".join(lines) + "\n")
    assert [e.edit_id for e in edits] == ["e-1", "e-4", "e-5"]
    assert [p.line for p in problems] == [2, 3]
    assert "not JSON" in problems[0].reason and "COLOUR" in problems[1].reason
    kept, statuses = active(edits)
    assert [e.edit_id for e in kept] == ["e-1"]
    assert statuses["e-4"].message == "undone by e-5"


@pytest.mark.parametrize(
    ("kind", "targets", "value", "error"),
    [
        ("merge", [], "X", "at least one"),
        ("retype", ["X"], "COLOUR", "no entity type"),
        ("hide", ["X", "Y"], None, "exactly one"),
        ("reject", ["f-1"], "quote", "figure or an event"),
        ("rename", ["X"], " ", "new name"),
    ],
)
def test_bad_edits_are_refused(
    kind: str, targets: list[str], value: str | None, error: str
) -> None:
    with pytest.raises(EditError, match=error):
        new_edit(kind, targets, value)


def test_log_line_round_trips() -> None:
    made = new_edit("merge", ["Air Force", "USAF"], "United States Air Force", note="same")
    (back,), problems = parse_log(made.to_json())
    assert not problems
    assert back == replace(made, line=1)


# -- each kind of edit ------------------------------------------------------------------------


def test_merge(store: Path) -> None:
    before = entity(store, "Belarus")
    russia = entity(store, "Russia")
    edit(store, "merge", ["Russia"], "Belarus")
    after = entity(store, "Belarus")
    assert after["n_mentions"] == before["n_mentions"] + russia["n_mentions"]
    assert "Russia" in after["aliases"]
    mentions = Store(store).read("mentions")
    assert "gpe:russia" not in set(mentions["entity_id"])
    assert set(mentions[mentions["text"] == "Russia"]["entity_id"]) == {"gpe:belarus"}


def test_rename_and_retype_keep_the_id(store: Path) -> None:
    edit(store, "rename", ["Trump"], "Donald J. Trump")
    edit(store, "retype", ["person:coale"], "ORG")
    assert entity(store, "Donald J. Trump")["entity_id"] == "person:donald-trump"
    assert entity(store, "Coale")["type"] == "ORG"
    quotes = Store(store).read("quotes")
    trump = quotes[quotes["speaker_entity_id"] == "person:donald-trump"]
    assert len(trump) and set(trump["speaker"]) == {"Donald J. Trump"}
    mentions = Store(store).read("mentions")
    assert set(mentions[mentions["entity_id"] == "person:coale"]["type"]) == {"ORG"}


def test_hide_removes_the_entity_everywhere(store: Path) -> None:
    edit(store, "hide", ["Putin"])
    s = Store(store)
    assert "person:vladimir-putin" not in set(s.read("entities")["entity_id"])
    assert "person:vladimir-putin" not in set(s.read("mentions")["entity_id"])
    for table, column in [("quotes", "about_ids"), ("events", "entity_ids")]:
        assert not any("person:vladimir-putin" in ids for ids in s.read(table)[column])
    assert "person:vladimir-putin" not in set(s.read("quotes")["speaker_entity_id"].dropna())


def test_split_makes_an_entity_of_its_own(store: Path, nlp: Any, tmp_path: Path) -> None:
    # A second article that names only "Lukashenko" links to the seed's Alexander Lukashenko;
    # splitting that name off gives the articles that say only "Lukashenko" an entity of their own.
    corpus = tmp_path / "corpus"
    (corpus / "other.txt").write_text(
        "13 December, 2025\nother\n\nLukashenko met the press in Minsk on Friday.\n",
        encoding="utf-8",
    )
    run([corpus], store, nlp=nlp)
    luka = entity(store, "Alexander Lukashenko")
    assert luka["n_documents"] == 2
    with pytest.raises(EditError, match="names it can be split by"):
        edit(store, "split", ["Alexander Lukashenko"], "Sasha")
    edit(store, "split", ["Alexander Lukashenko"], "Lukashenko")
    assert entity(store, "Alexander Lukashenko")["n_documents"] == 1
    split = entity(store, "Lukashenko")
    assert split["entity_id"] == "person:lukashenko" and split["n_documents"] == 1


def test_speaker_reassigned_or_cleared(store: Path) -> None:
    quotes = Store(store).read("quotes")
    first, second = quotes["quote_id"].iloc[0], quotes["quote_id"].iloc[1]
    edit(store, "speaker", [first], "Viasna")
    record_edit(store, new_edit("speaker", [second], None))
    after = Store(store).read("quotes").set_index("quote_id")
    assert (after.loc[first, "speaker"], after.loc[first, "speaker_entity_id"]) == (
        "Viasna",
        "org:viasna",
    )
    assert pd.isna(after.loc[second, "speaker"]) and pd.isna(after.loc[second, "speaker_entity_id"])


def test_reject_hides_a_figure_and_an_event_and_keeps_them(store: Path) -> None:
    s = Store(store)
    figure = s.read("figures")["figure_id"].iloc[0]
    event = s.read("events")["event_id"].iloc[0]
    edit(store, "reject", [figure], "figure")
    edit(store, "reject", [event], "event")
    assert figure not in set(s.read("figures")["figure_id"])
    assert event not in set(s.read("events")["event_id"])
    assert figure in set(s.read_held("figures")["figure_id"].to_pylist())
    assert len(s.read_edits()[0]) == 2


# -- undo, re-runs, stale edits ----------------------------------------------------------------


def test_undo_restores_the_tables_exactly(store: Path) -> None:
    original = tables(store)
    s = Store(store)
    made = [
        edit(store, "merge", ["Russia", "Ukraine"], "Belarus"),
        edit(store, "hide", ["Putin"]),
        edit(store, "rename", ["Trump"], "Donald J. Trump"),
        edit(store, "retype", ["Coale"], "ORG"),
        edit(store, "speaker", [s.read("quotes")["quote_id"].iloc[0]], "Viasna"),
        edit(store, "reject", [s.read("figures")["figure_id"].iloc[1]], "figure"),
        edit(store, "reject", [s.read("events")["event_id"].iloc[2]], "event"),
    ]
    assert not tables(store)["entities"].equals(original["entities"])
    for one in reversed(made):
        record_edit(store, new_edit("undo", undone=one.edit_id))
    assert_tables_equal(tables(store), original)
    assert len(s.read_edits()[0]) == 2 * len(made)  # the log only grows


def test_edits_apply_to_new_articles(store: Path, nlp: Any, tmp_path: Path) -> None:
    edit(store, "merge", ["Russia"], "Belarus")
    edit(store, "hide", ["Putin"])
    corpus = tmp_path / "corpus"
    (corpus / "new.txt").write_text(
        "14 December, 2025\nnew\n\nVladimir Putin flew from Russia to Minsk on Sunday.\n",
        encoding="utf-8",
    )
    summary = run([corpus], store, nlp=nlp)
    assert summary.analysed == 1
    s = Store(store)
    mentions = s.read("mentions")
    new = mentions[mentions["doc_id"] != mentions["doc_id"].iloc[0]]
    assert "Russia" in set(new["text"])
    assert set(mentions[mentions["text"] == "Russia"]["entity_id"]) == {"gpe:belarus"}
    assert "Putin" not in " ".join(mentions["text"])
    assert entity(store, "Belarus")["n_documents"] == 2
    # And a run with nothing new keeps them without rewriting a table.
    again = run([corpus], store, nlp=nlp)
    assert again.analysed == 0
    assert_tables_equal(tables(store), {t: s.read(t) for t in TABLES})


def test_edit_whose_target_is_gone_is_reported_not_fatal(store: Path, nlp: Any) -> None:
    log = Store(store).edits_path
    lines = [
        new_edit("hide", ["Putin"]).to_json(),
        "this line was typed by hand",
        new_edit("merge", ["Nobody Atall"], "Belarus").to_json(),
    ]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run([store.parent / "corpus"], store, nlp=nlp)  # nothing to analyse: re-applies
    notes = [str(n) for n in summary.notices]
    assert any(":2: skipped" in n and "not JSON" in n for n in notes)
    assert any(":3: edit" in n and "no entity is named 'Nobody Atall'" in n for n in notes)
    assert "person:vladimir-putin" not in set(Store(store).read("entities")["entity_id"])
    statuses = [status for _, status in edit_log(store)[0]]
    assert statuses[0] == "applied" and statuses[1].startswith("not applied: no entity")


def test_crash_between_log_and_tables_is_repaired_by_the_next_writer(
    store: Path, nlp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: Any, **kw: Any) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(Store, "commit", crash)
    with pytest.raises(RuntimeError):
        edit(store, "hide", ["Putin"])
    monkeypatch.undo()
    assert "person:vladimir-putin" in set(Store(store).read("entities")["entity_id"])
    assert "pending" in edit_log(store)[0][0][1]
    run([store.parent / "corpus"], store, nlp=nlp)
    assert "person:vladimir-putin" not in set(Store(store).read("entities")["entity_id"])
    assert edit_log(store)[0][0][1] == "applied"


# -- the command line -------------------------------------------------------------------------


def test_cli_edits_lists_undoes_and_exports(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        cli.main(["edit", str(store), "merge", "Russia", "--into", "Belarus", "--note", "x"]) == 0
    )
    assert cli.main(["edit", str(store), "--list"]) == 0
    out = capsys.readouterr().out
    assert "merge 'Russia' into 'Belarus'  (x)  [applied]" in out
    edit_id = out.split()[0]
    assert cli.main(["edit", str(store), "--undo", edit_id]) == 0
    assert "gpe:russia" in set(Store(store).read("entities")["entity_id"])
    capsys.readouterr()
    assert cli.main(["export", str(store), "--table", "edits", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in rows] == ["merge", "undo"]
    assert rows[0]["status"] == f"undone by {rows[1]['edit_id']}"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["hide", "Lukashenkoo"], "closest: Alexander Lukashenko"),
        (["merge", "Belarus", "--into", "Nowhere Land"], "no entity is named 'Nowhere Land'"),
        (["retype", "Coale", "WIZARD"], "types are EVENT, FAC, GPE"),
        (["speaker", "q-none", "Coale"], "no quote 'q-none'"),
        (["reject", "event", "e-none"], "no event 'e-none'"),
    ],
)
def test_cli_bad_arguments_exit_2_and_change_nothing(
    store: Path, argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tables(store)
    assert cli.main(["edit", str(store), *argv]) == 2
    assert expected in capsys.readouterr().err
    assert not Store(store).edits_path.exists()
    assert_tables_equal(tables(store), before)


def test_cli_ambiguous_name_lists_the_candidates(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Some mentions of Belarus taken for a group (NORP): two entities named "Belarus".
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = store / "mentions.parquet"
    data = pq.read_table(path)
    refs = data["entity_ref"].to_pylist()
    first = refs.index("GPE:Belarus")
    refs[first] = "NORP:Belarus"
    index = data.schema.get_field_index("entity_ref")
    pq.write_table(data.set_column(index, "entity_ref", pa.array(refs)), path)
    assert cli.main(["edit", str(store), "hide", "Belarus"]) == 2
    err = capsys.readouterr().err
    assert "'Belarus' names 2 entities: Belarus (gpe:belarus); Belarus (norp:belarus)" in err
    assert "give the id" in err and not Store(store).edits_path.exists()
    assert cli.main(["edit", str(store), "hide", "norp:belarus"]) == 0
    assert cli.main(["edit", str(store), "rename", "Ukraine", "Lithuania"]) == 2
    assert "already has the name 'Lithuania': merge instead" in capsys.readouterr().err


@pytest.mark.parametrize(
    "kind", ["merge", "split", "rename", "retype", "hide", "speaker", "reject"]
)
def test_every_edit_has_help(kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["edit", "STORE", kind, "--help"])
    assert done.value.code == 0
    assert "NAME is an entity's name" in capsys.readouterr().out


def test_ambiguous_and_hidden_names_in_the_pure_layer() -> None:
    from datetime import date

    from analysis.edits import apply_edits
    from analysis.extract.linking import CorpusEntity, DocEntity

    docs = [
        DocEntity(
            "a",
            "PERSON:John Smith",
            "John Smith",
            "PERSON",
            ("John Smith", "Smith"),
            2,
            date(2025, 1, 1),
        ),
        DocEntity(
            "b", "PERSON:Jane Smith", "Jane Smith", "PERSON", ("Jane Smith", "Smith"), 1, None
        ),
    ]
    links = {
        ("a", "PERSON:John Smith"): CorpusEntity("person:john-smith", "John Smith", "PERSON"),
        ("b", "PERSON:Jane Smith"): CorpusEntity("person:jane-smith", "Jane Smith", "PERSON"),
    }
    hide = new_edit("hide", ["Smith"])
    applied = apply_edits(docs, links, [hide])
    status = applied.statuses[hide.edit_id]
    assert not status.applied and status.candidates == (
        "Jane Smith (person:jane-smith)",
        "John Smith (person:john-smith)",
    )
    assert dict(applied.links) == links  # nothing changed, nothing given was mutated
    hide_john, again = new_edit("hide", ["John Smith"]), new_edit("rename", ["John Smith"], "J")
    applied = apply_edits(docs, links, [hide_john, again])
    assert ("a", "PERSON:John Smith") in applied.hidden
    assert "is hidden" in applied.statuses[again.edit_id].message
    assert list(applied.links) == [("b", "PERSON:Jane Smith")]


def test_raw_rows_put_held_rows_back_in_place(tmp_path: Path) -> None:
    import pyarrow as pa

    from analysis.store import READ_ROWS, ROW, arrow_schema, held_name, write_parquet

    s = Store(tmp_path)
    n = READ_ROWS * 2 + 5
    schema = arrow_schema("figures")
    ids = [f"f-{i}" for i in range(n)]
    full = pa.table(
        {
            c: pa.array(ids if c == "figure_id" else [None] * n, schema.field(c).type)
            for c in schema.names
        },
        schema=schema,
    )
    held_at = [0, 1, 7, READ_ROWS - 1, READ_ROWS, READ_ROWS + 3, n - 2, n - 1]
    keep = pa.array([i not in held_at for i in range(n)])
    write_parquet(tmp_path / "figures.parquet", full.filter(keep))
    (tmp_path / "held").mkdir()
    held = full.take(pa.array(held_at)).append_column(ROW, pa.array(held_at, pa.int64()))
    write_parquet(s.held_path("figures"), held.cast(arrow_schema(held_name("figures"))))
    back = pa.concat_tables(list(s.read_raw("figures")))
    assert back["figure_id"].to_pylist() == ids
