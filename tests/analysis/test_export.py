"""Output formats: spreadsheet-safe CSV, lists joined, never a NumPy or Python repr."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from analysis.export import csv_safe, neutralise, to_csv


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1 23", "'+33 1 23"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(cell: str, safe: str) -> None:
    assert neutralise(cell) == safe


def test_csv_keeps_numbers_and_joins_lists() -> None:
    frame = pd.DataFrame(
        {"value": [-3.5, 2.0], "text": ['=HYPERLINK("x")', "ok"], "entities": [["A", "=B"], []]}
    )
    out = pd.read_csv(io.StringIO(to_csv(frame)))
    assert out["value"].tolist() == [-3.5, 2.0]
    assert out["text"].tolist() == ['\'=HYPERLINK("x")', "ok"]
    assert out["entities"].fillna("").tolist() == ["A; =B", ""]


def test_csv_safe_does_not_mutate() -> None:
    frame = pd.DataFrame({"text": ["=x"]})
    csv_safe(frame)
    assert frame.loc[0, "text"] == "=x"


def test_numpy_lists_are_joined_and_integral_floats_read_plainly() -> None:
    import numpy as np

    frame = pd.DataFrame({"values": [np.array([228.0, 555.0, 0.5]), ["Airbus"]]})
    assert to_csv(frame).splitlines()[1:] == ["228; 555; 0.5", "Airbus"]
