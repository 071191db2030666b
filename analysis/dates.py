"""Parse publication dates as news sites write them."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

_FORMATS = (
    "%d %B, %Y",
    "%d %B %Y",
    "%B %d, %Y",
    "%B %d %Y",
    "%d %b %Y",
    "%d %b, %Y",
    "%b %d, %Y",
    "%b %d %Y",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d.%m.%Y",
    "%A, %d %B %Y",
    "%A, %B %d, %Y",
    "%a, %d %b %Y",
    "%Y%m%d",
)
_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_ORDINAL = re.compile(r"(\d{1,2})(st|nd|rd|th)\b", re.IGNORECASE)
_HAS_YEAR = re.compile(r"\b\d{4}\b")
_HAS_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b|\d{1,2}[./-]\d{1,2}",
    re.IGNORECASE,
)


def parse_date(value: str) -> date | None:
    """A full calendar date from a header or meta field, or None if it is not one."""
    value = " ".join(value.split())
    if not value or len(value) > 80:
        return None
    return _parse(value)


@lru_cache(maxsize=4096)
def _parse(value: str) -> date | None:
    match = _ISO_PREFIX.match(value)
    if match:
        return _safe_date(int(match[1]), int(match[2]), int(match[3]))
    cleaned = _ORDINAL.sub(r"\1", value).replace("Sept.", "Sep.").replace(".", "")
    for fmt in _FORMATS:
        try:
            return datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
    # A header needs a year and a month; dateparser would otherwise read "Monday" or "123".
    if not (_HAS_YEAR.search(value) and _HAS_MONTH.search(value)):
        return None
    import dateparser  # slow to import; only reached for unusual formats

    parsed = dateparser.parse(
        value,
        languages=["en"],
        settings={
            "STRICT_PARSING": True,
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
