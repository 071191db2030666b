"""Table cells as people read them: figures with their currency or unit, type and kind labels,
quotes without the sentence's punctuation. Pure functions over values already in the rows; the
CSV downloads (made by the query layer) keep the raw values."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from dashboard.labels import kind_label, type_label

# A scale word is used only when it loses nothing: 348.8 billion, but 1,234,567 stays digits.
SCALES = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)
MAX_SCALED_DECIMALS = 3
CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "INR": "₹"}
CURRENCY_NAMES = {"CNY": "yuan", "RMB": "yuan", "cent": "cents", "penny": "pence", "pence": "pence"}
IRREGULAR_PLURALS = {
    "inch": "inches",
    "foot": "feet",
    "square foot": "square feet",
    "cubic foot": "cubic feet",
    "century": "centuries",
    "person": "people",
}
# Trailing marks of the surrounding sentence that the quote's span picked up.
TRAILING_PUNCTUATION = ".,;:!?…"
# Columns that hold a figure's value, formatted with the row's unit and kind.
VALUE_COLUMNS = ("value", "latest_value", "min_value", "max_value", "change")


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    try:
        return Decimal(repr(number))  # the shortest decimal that is this float: no 0.30000000004
    except InvalidOperation:
        return None


def _digits(number: Decimal) -> str:
    """Grouped digits with exactly the decimals the number has: 1,227 / 0.37 / 1,234.5."""
    if number == number.to_integral_value():
        return f"{number.quantize(Decimal(1)):,}"
    return f"{number.normalize():,f}"


def format_number(value: Any) -> str:
    """A number as people write it, never rounded: 348.8 billion, 1,227, 0.37 ('' if missing)."""
    number = _number(value)
    if number is None:
        return ""
    sign = "-" if number < 0 else ""
    size = abs(number)
    for scale, word in SCALES:
        if size >= scale:
            scaled = (size / scale).normalize()
            exponent = scaled.as_tuple().exponent
            if isinstance(exponent, int) and exponent >= -MAX_SCALED_DECIMALS:
                return f"{sign}{_digits(scaled)} {word}"
            break
    return sign + _digits(size)


def plural(unit: str, value: Any) -> str:
    """'inch' -> 'inches' unless the value is one; units ending in z or s-sounds handled."""
    number = _number(value)
    if number is not None and abs(number) == 1:
        return unit
    if unit in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[unit]
    if unit.endswith(("z", "s")):  # gigahertz, lbs
        return unit
    if unit.endswith(("x", "ch", "sh")):
        return unit + "es"
    return unit + "s"


def _ordinal(number: Decimal) -> str:
    if number != number.to_integral_value():
        return _digits(number)
    whole = int(number)
    last_two = abs(whole) % 100
    suffix = (
        "th" if 11 <= last_two <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(abs(whole) % 10, "th")
    )
    return f"{whole:,}{suffix}"


def format_value(value: Any, unit: Any = None, kind: Any = None) -> str:
    """A figure's value with its currency or unit: '$348.8 billion', '60%', '16 gigabytes'."""
    number = _number(value)
    if number is None:
        return ""
    text = format_number(value)
    unit_text = "" if unit is None or unit != unit else str(unit).strip()
    kind_text = "" if kind is None or kind != kind else str(kind).strip().lower()
    if kind_text == "percent" or unit_text == "percent":
        return f"{text}%"
    if kind_text == "ordinal" and not unit_text:
        return _ordinal(number)
    if kind_text == "money" or unit_text in CURRENCY_SYMBOLS:
        if unit_text in CURRENCY_SYMBOLS:
            sign, rest = ("-", text[1:]) if text.startswith("-") else ("", text)
            return f"{sign}{CURRENCY_SYMBOLS[unit_text]}{rest}"
        if unit_text in CURRENCY_NAMES:
            return f"{text} {CURRENCY_NAMES[unit_text] if abs(number) != 1 else unit_text}"
        return f"{unit_text} {text}" if unit_text else text
    if unit_text:
        return f"{text} {plural(unit_text, value)}"
    return text


def quote_text(text: Any) -> str:
    """A quote without the sentence punctuation its span ends on: 'hostages.' -> 'hostages'."""
    if text is None or text != text:
        return ""
    return str(text).rstrip().rstrip(TRAILING_PUNCTUATION).rstrip()


def _blank(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


def _row_values(frame: pd.DataFrame, column: str) -> list[Any]:
    if column in frame.columns:
        return frame[column].tolist()
    return [None] * len(frame)


def one_line(value: object) -> str:
    """Context around a search hit on one line: line breaks and runs of spaces as one space."""
    if not isinstance(value, str):
        return ""
    text = " ".join(value.split())
    # keep the space that touches the hit: "... of " + hit, hit + " in ..."
    if value[:1].isspace():
        text = " " + text
    if value[-1:].isspace():
        text += " "
    return text


def display_frame(frame: pd.DataFrame, columns: Sequence[str], *, table: str = "") -> pd.DataFrame:
    """The `columns` of `frame` as shown: values with units, labels for codes, quotes trimmed,
    blanks for missing text. `frame` is not changed; units and kinds are read from it even when
    they are not shown."""
    shown = [c for c in columns if c in frame.columns]
    out = frame[shown].copy()
    units = _row_values(frame, "unit")
    kinds = _row_values(frame, "kind")
    for column in shown:
        if column in VALUE_COLUMNS:
            out[column] = [
                format_value(v, u, k)
                for v, u, k in zip(frame[column].tolist(), units, kinds, strict=True)
            ]
        elif column == "values":
            out[column] = [
                [format_value(v, u, k) for v in (vs if vs is not None else [])]
                for vs, u, k in zip(frame[column].tolist(), units, kinds, strict=True)
            ]
        elif column in ("type", "source_type", "target_type"):
            out[column] = [type_label(v) for v in frame[column].tolist()]
        elif column == "kind":
            out[column] = [kind_label(v) for v in frame[column].tolist()]
        elif column == "text" and table == "quotes":
            out[column] = [quote_text(v) for v in frame[column].tolist()]
        elif column in ("left", "right") and table == "hits":
            out[column] = [one_line(v) for v in frame[column].tolist()]
        else:
            series = out[column]
            if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
                out[column] = series.map(_blank)
    return out
