"""Words people read instead of the model's codes: entity types and row kinds.

The stored tables and the CSV downloads keep the codes (PERSON, ORG, GPE, ...); only what the
dashboard shows goes through these labels.
"""

from __future__ import annotations

from typing import Any

TYPE_LABELS: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Place",
    "NORP": "Nationality or group",
    "LOC": "Location",
    "EVENT": "Event",
    "LAW": "Law",
    "PRODUCT": "Product",
    "WORK_OF_ART": "Work of art",
    "FAC": "Facility",
    "LANGUAGE": "Language",
}

# The `kind` column of quotes and of figures (their values never collide).
KIND_LABELS: dict[str, str] = {
    "direct": "Direct",
    "partial": "Partial",
    "title": "Name or title",
    "count": "Count",
    "money": "Money",
    "percent": "Percent",
    "quantity": "Quantity",
    "duration": "Duration",
    "ordinal": "Rank",
}

TYPE_CODES_HELP = "The CSV keeps the type codes (PERSON, ORG, GPE = place, NORP = group, ...)."


def _missing(value: Any) -> bool:
    return value is None or value != value  # NaN is the only value unequal to itself


def type_label(code: Any) -> str:
    """'ORG' -> 'Organisation'; an unknown code reads as a word ('WORK_OF_ART' style)."""
    if _missing(code) or not str(code).strip():
        return ""
    text = str(code).strip()
    return TYPE_LABELS.get(text.upper(), text.replace("_", " ").capitalize())


def kind_label(kind: Any) -> str:
    """'title' -> 'Name or title', 'money' -> 'Money'; unknown kinds are capitalised."""
    if _missing(kind) or not str(kind).strip():
        return ""
    text = str(kind).strip()
    return KIND_LABELS.get(text.lower(), text.replace("_", " ").capitalize())


def entity_labels(rows: list[tuple[str, str, str]]) -> dict[str, str]:
    """Short labels for (entity_id, name, type) rows: the name alone, with the type added only
    where two entities share a name ('Apple · Organisation', 'Apple · Product')."""
    seen: dict[str, int] = {}
    for _, name, _ in rows:
        seen[name] = seen.get(name, 0) + 1
    return {
        entity_id: name
        if seen[name] == 1 or not type_label(kind)
        else f"{name} · {type_label(kind)}"
        for entity_id, name, kind in rows
    }
