"""Page behaviour through AppTest that needs rows the synthetic store lacks: quotes of kind
`title` (names and scare quotes), figures with units, codes shown as words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.paths import APP
from tests.synthetic import Synthetic

TIMEOUT = 60


@pytest.fixture(scope="module")
def titled(synthetic: Synthetic, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic store plus a 'Dreamliner' title quote and a figure of $348.8 billion."""
    root = tmp_path_factory.mktemp("titled") / "store"
    shutil.copytree(synthetic.root, root)
    quotes = pd.read_parquet(root / "quotes.parquet")
    extra = quotes.iloc[[0]].copy()
    extra["quote_id"] = "q-title"
    extra["text"] = "Dreamliner"
    extra["speaker"] = None
    extra["speaker_entity_id"] = None
    extra["kind"] = "title"
    pd.concat([quotes, extra]).to_parquet(root / "quotes.parquet", index=False)
    figures = pd.read_parquet(root / "figures.parquet")
    figures.loc[0, ["value", "unit", "kind"]] = [3.488e11, "USD", "money"]
    figures.to_parquet(root / "figures.parquet", index=False)
    return root


def app(store: Path, monkeypatch: pytest.MonkeyPatch, page: str) -> AppTest:
    monkeypatch.setenv("NEWSLENS_STORE", str(store))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    return at.switch_page(page).run()


def test_title_quotes_are_hidden_until_asked_for(
    titled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(titled, monkeypatch, "views/quotes.py")
    assert not at.exception
    toggle = at.toggle(key="qu_titles")
    assert toggle.value is False
    table = at.dataframe[0].value
    assert "Dreamliner" not in set(table["text"])
    assert "Name or title" not in set(table["kind"])
    speakers = at.get("plotly_chart")[0].proto.spec
    assert "(unknown)" not in speakers  # the title quote had no speaker
    assert any("1 names and titles" in c.value for c in at.caption)

    at = toggle.set_value(True).run()
    table = at.dataframe[0].value
    assert "Dreamliner" in set(table["text"])
    assert "Name or title" in set(table["kind"])
    assert "(unknown)" in at.get("plotly_chart")[0].proto.spec


def test_quotes_show_without_trailing_punctuation(
    titled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(titled, monkeypatch, "views/quotes.py")
    quotes = set(at.dataframe[0].value["text"])
    assert "the highly respected president of Belarus" in quotes
    assert "the highly respected president of Belarus," not in quotes


def test_figures_and_types_read_as_words_while_the_csv_keeps_raw_values(
    titled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(titled, monkeypatch, "views/figures.py")
    every = at.dataframe[-1].value
    assert "$348.8 billion" in set(every["value"])
    assert "Count" in set(every["kind"])
    help_text = " ".join(b.proto.help for b in at.download_button)
    assert "raw numbers" in help_text

    at = at.switch_page("views/entities.py").run()
    types = set(at.dataframe[0].value["type"])
    assert "Person" in types and "PERSON" not in types
    assert "type codes" in at.download_button[0].proto.help

    from analysis.query import Filter, StoreView

    csv = StoreView(titled).csv("figures", Filter()).decode()
    assert "348800000000" in csv and "$348.8 billion" not in csv
