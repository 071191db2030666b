"""The lexicons: word lists and rules the extractors read, kept as JSON in analysis/lexicons/."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

LEXICONS = Path(__file__).resolve().parent / "lexicons"


@cache
def load(name: str) -> dict[str, Any]:
    """`analysis/lexicons/<name>.json`, read once per process (callers must not change it)."""
    data: dict[str, Any] = json.loads((LEXICONS / f"{name}.json").read_text(encoding="utf-8"))
    return data
