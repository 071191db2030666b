"""The browser benchmark's verdict: per page, as the dashboard issue sets its targets."""

from __future__ import annotations

from typing import Any

from bench.bench_browser import misses


def _store(articles: int, pages: dict[str, tuple[float, float]]) -> dict[str, Any]:
    per_page = {page: {"p50_s": a, "p90_s": b} for page, (a, b) in pages.items()}
    return {"articles": articles, "per_page": per_page, "p50_s": 0.4, "p90_s": 0.8}


def test_one_page_over_its_target_is_named_though_all_pages_together_are_under() -> None:
    report = {
        "small": _store(61, {"Search": (0.2, 0.3), "Entities": (0.77, 0.9)}),
        "large": _store(100_000, {"Search": (0.3, 0.4), "Figures": (1.11, 2.5)}),
    }
    assert misses(report) == [
        "Entities at 61 articles p50 0.77 s",
        "Figures at 100,000 articles p50 1.11 s, p90 2.50 s",
    ]
    report["small"]["per_page"]["Entities"] = {"p50_s": 0.6, "p90_s": 2.0}  # at the target
    report["large"]["per_page"]["Figures"] = {"p50_s": 1.0, "p90_s": 1.9}
    assert misses(report) == []
