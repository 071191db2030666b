"""One question, one answer: `newslens export` and the dashboard's Download CSV give the same
bytes for every table and aggregate under any filter."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.cli import main
from analysis.query import NAMES, Filter, Options
from analysis.query.aggregates import LEVELS, PERIODS

QUERIES = ["", "Lukashenko", '"political prisoners"', "sanctions -potash", "prison* OR ~release"]
DAYS = st.one_of(st.none(), st.dates(date(2019, 6, 1), date(2026, 1, 31)))


@st.composite
def filters(draw: Any, entity_ids: list[str], types: list[str], docs: list[str]) -> Filter:
    return Filter(
        entities=tuple(draw(st.lists(st.sampled_from(entity_ids), max_size=2, unique=True))),
        types=tuple(draw(st.lists(st.sampled_from(types), max_size=2, unique=True))),
        docs=tuple(draw(st.lists(st.sampled_from(docs), max_size=1))),
        sources=tuple(draw(st.lists(st.sampled_from(["Evil Times", "Nobody"]), max_size=1))),
        published=(draw(DAYS), draw(DAYS)),
        event_dates=(draw(DAYS), draw(DAYS)),
        query=draw(st.sampled_from(QUERIES)),
    )


def cli_args(flt: Filter, opts: Options) -> list[str]:
    """The command-line form of a filter and options."""
    args: list[str] = []
    if flt.query:
        args += ["--query", flt.query]
    for flag, values in (
        ("--entity", flt.entities),
        ("--type", flt.types),
        ("--article", flt.docs),
        ("--source", flt.sources),
    ):
        for value in values:
            args += [flag, value]
    for flag, day in (
        ("--since", flt.published[0]),
        ("--until", flt.published[1]),
        ("--events-since", flt.event_dates[0]),
        ("--events-until", flt.event_dates[1]),
    ):
        if day is not None:
            args += [flag, day.isoformat()]
    args += ["--level", opts.level, "--period", opts.period]
    if opts.top is not None:
        args += ["--top", str(opts.top)]
    return args


@pytest.fixture(scope="module")
def dashboard_data(synthetic: Any) -> Any:
    from dashboard.data import Data, manifest_mtime

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # caching outside a running app: in-memory, and says so
        return Data(str(synthetic.root), manifest_mtime(synthetic.root))


def test_every_table_and_aggregate_is_exportable() -> None:
    from analysis.cli import build_parser

    export = build_parser()._subparsers._group_actions[0].choices["export"]  # type: ignore[union-attr]
    table = next(a for a in export._actions if a.dest == "table")
    # Every name of the query layer, and the corrections log (its own small path in the CLI).
    assert tuple(table.choices) == (*NAMES, "edits")


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_export_and_download_are_the_same_bytes(
    data: Any, synthetic: Any, dashboard_data: Any, tmp_path: Path
) -> None:
    tables = synthetic.tables
    flt = data.draw(
        filters(
            sorted(tables["entities"]["entity_id"]),
            [*sorted(set(tables["entities"]["type"])), "EVENT"],
            sorted(tables["documents"]["doc_id"]),
        )
    )
    name = data.draw(st.sampled_from(NAMES))
    if name in ("hits", "hits_over_time") and not flt.query:
        flt = Filter(**{**_fields(flt), "query": "Lukashenko"})
    opts = Options(
        level=data.draw(st.sampled_from(LEVELS)),
        period=data.draw(st.sampled_from(PERIODS)),
        top=data.draw(st.one_of(st.none(), st.integers(1, 5))),
    )
    out = tmp_path / "export.csv"
    argv = ["export", str(synthetic.root), "--table", name, *cli_args(flt, opts), "-o", str(out)]
    assert main(argv) == 0
    downloaded = dashboard_data.csv(name, flt, opts)
    assert out.read_bytes() == downloaded, (name, flt, opts)
    text = downloaded.decode("utf-8")
    assert text.splitlines()[0]  # a header even when no row passes
    assert "['" not in text and "array(" not in text  # lists joined, never a repr


def _fields(flt: Filter) -> dict[str, Any]:
    return {name: getattr(flt, name) for name in Filter.__dataclass_fields__}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(NAMES),
    query=st.sampled_from(QUERIES[1:]),
    entity=st.sampled_from(["", "Donald Trump", "Viasna"]),
)
def test_searches_export_and_download_the_same_bytes(
    seed_store: Path, tmp_path: Path, name: str, query: str, entity: str
) -> None:
    from dashboard.data import Data, manifest_mtime

    flt = Filter(query=query)
    args = ["--query", query]
    if entity:
        from analysis.query import StoreView

        flt = Filter(query=query, entities=StoreView(seed_store).resolve_entities([entity]))
        args += ["--entity", entity]
    out = tmp_path / "export.csv"
    assert main(["export", str(seed_store), "--table", name, *args, "-o", str(out)]) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = Data(str(seed_store), manifest_mtime(seed_store))
        assert out.read_bytes() == data.csv(name, flt, Options()), (name, flt)
