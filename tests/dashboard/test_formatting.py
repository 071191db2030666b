"""What table cells show: figures as people write them, words for codes, quotes trimmed."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.formatting import display_frame, format_number, format_value, quote_text
from dashboard.labels import entity_labels, kind_label, type_label


@pytest.mark.parametrize(
    ("value", "unit", "kind", "shown"),
    [
        (3.488e11, "USD", "money", "$348.8 billion"),  # was shown as 800000000
        (2e9, "USD", "money", "$2 billion"),
        (2.01e10, "GBP", "money", "£20.1 billion"),
        (1.78e9, "EUR", "money", "€1.78 billion"),
        (9.9e9, "CNY", "money", "9.9 billion yuan"),
        (1.75e9, "SGD", "money", "SGD 1.75 billion"),
        (77, "cent", "money", "77 cents"),
        (59e6, "USD", "money", "$59 million"),
        (-5e6, "USD", "money", "-$5 million"),
        (1227, None, "count", "1,227"),
        (1_234_567, None, "count", "1,234,567"),  # a scale word would round it: digits
        (500_000, "square foot", "quantity", "500,000 square feet"),
        (40, "percent", "percent", "40%"),
        (12.5, None, "percent", "12.5%"),
        (16, "gigabyte", "quantity", "16 gigabytes"),
        (0.37, "inch", "quantity", "0.37 inches"),
        (2, "gigahertz", "quantity", "2 gigahertz"),
        (1, "day", "duration", "1 day"),
        (1.5, "year", "duration", "1.5 years"),
        (1, None, "ordinal", "1st"),
        (12, None, "ordinal", "12th"),
        (1226.5, None, None, "1,226.5"),
        (1e-7, None, None, "0.0000001"),
        (float("nan"), "USD", "money", ""),
        (None, None, None, ""),
    ],
)
def test_values_read_as_people_write_them(
    value: float | None, unit: str | None, kind: str | None, shown: str
) -> None:
    assert format_value(value, unit, kind) == shown


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_a_number_is_never_cut(value: float) -> None:
    """Whatever the scale word, reading the text back gives the same number."""
    text = format_number(value)
    words = {"million": 1e6, "billion": 1e9, "trillion": 1e12}
    number, _, word = text.replace(",", "").partition(" ")
    back = float(number) * words.get(word, 1)
    assert math.isclose(back, value, rel_tol=1e-12, abs_tol=1e-300)


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ("hostages.", "hostages"),
        ("the highly respected president of Belarus,", "the highly respected president of Belarus"),
        ("retina display, ", "retina display"),
        ("Why?!", "Why"),
        ("stopping the war – enabling", "stopping the war – enabling"),
        (None, ""),
    ],
)
def test_quotes_are_shown_without_trailing_punctuation(quote: str | None, shown: str) -> None:
    assert quote_text(quote) == shown


def test_type_and_kind_codes_read_as_words() -> None:
    assert [type_label(t) for t in ("PERSON", "ORG", "GPE", "NORP", "WORK_OF_ART", "FAC")] == [
        "Person",
        "Organisation",
        "Place",
        "Nationality or group",
        "Work of art",
        "Facility",
    ]
    assert type_label("NEW_THING") == "New thing"
    assert type_label(None) == type_label(float("nan")) == ""
    assert kind_label("title") == "Name or title" and kind_label("money") == "Money"


def test_entity_chips_are_short_and_only_disambiguated_when_names_collide() -> None:
    labels = entity_labels(
        [
            ("person:donald-trump", "Donald Trump", "PERSON"),
            ("org:apple", "Apple", "ORG"),
            ("product:apple", "Apple", "PRODUCT"),
        ]
    )
    assert labels == {
        "person:donald-trump": "Donald Trump",
        "org:apple": "Apple · Organisation",
        "product:apple": "Apple · Product",
    }


def test_display_frame_formats_a_copy_and_keeps_the_raw_rows() -> None:
    rows = pd.DataFrame(
        {
            "value": [3.488e11, 60.0],
            "unit": ["USD", "percent"],
            "kind": ["money", "percent"],
            "type": ["ORG", "GPE"],
            "text": ["hostages.", None],
            "sentence": ["A sentence.", None],
        }
    )
    before = rows.copy()
    shown = display_frame(rows, ["value", "kind", "type", "text", "sentence", "absent"])
    assert list(shown.columns) == ["value", "kind", "type", "text", "sentence"]
    assert shown["value"].tolist() == ["$348.8 billion", "60%"]  # units read from hidden columns
    assert shown["type"].tolist() == ["Organisation", "Place"]
    assert shown["kind"].tolist() == ["Money", "Percent"]
    assert shown["text"].tolist() == ["hostages.", ""]  # quotes only are trimmed
    assert display_frame(rows, ["text"], table="quotes")["text"].tolist() == ["hostages", ""]
    assert shown["sentence"].tolist() == ["A sentence.", ""]
    pd.testing.assert_frame_equal(rows, before)


def test_ledger_lists_are_formatted_with_their_rows_unit() -> None:
    ledger = pd.DataFrame(
        {
            "values": [[2.0, 16.0]],
            "latest_value": [16.0],
            "unit": ["gigabyte"],
            "kind": ["quantity"],
        }
    )
    shown = display_frame(ledger, ["values", "latest_value"])
    assert shown["values"].tolist() == [["2 gigabytes", "16 gigabytes"]]
    assert shown["latest_value"].tolist() == ["16 gigabytes"]


@pytest.mark.parametrize(
    ("context", "shown"),
    [
        (
            "democratic values.\n\nLukashenko dismissed the existence of ",
            "democratic values. Lukashenko dismissed the existence of ",
        ),
        (" in Belarus,\nreferring", " in Belarus, referring"),
        ("", ""),
        (None, ""),
    ],
)
def test_search_context_is_one_line(context: object, shown: str) -> None:
    from dashboard.formatting import one_line

    assert one_line(context) == shown
