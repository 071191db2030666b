"""Timeline benchmark: time expressions found and resolved, against hand-made TIMEX3 gold.

Usage: python bench/eval_timeline.py --gold GOLD.json [--corpus DIR] [--verbose]

GOLD.json maps article file names to [text, occurrence, type, value, (end value)] entries
(occurrence = index of that exact, word-bounded string in the body). The dated expressions are
the DATE/TIME entries with a calendar value; *_REF entries ("now", "recently") are neutral.
Scores (relaxed match: any character overlap), for the extractor and for the off-the-shelf
baseline (spaCy DATE entities normalised by dateparser), in the same run:
  found    = counted gold overlapped by a system expression / counted gold (recall)
  precision= system expressions overlapping counted gold / system expressions not on neutral gold
  resolved = counted gold overlapped by a system expression with the gold value / counted gold
in two modes: "calendar" counts DATE/TIME gold with a calendar value (*_REF gold neutral,
durations and sets wrong); "timex" counts every DATE/TIME gold including *_REF values
(durations and sets neutral), as TIMEX3 scorers of dated expressions do.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.corpus import Article, load_corpus  # noqa: E402
from analysis.extract import entities, timeline  # noqa: E402
from analysis.nlp import load_model, parse  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "wikinews"


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str
    end_value: str | None

    @property
    def ref(self) -> bool:
        return self.value.split("|")[0].endswith("_REF")

    def wanted(self, mode: str) -> bool:
        """Gold the score counts: calendar dates only, or every DATE/TIME (with "now")."""
        return self.type in ("DATE", "TIME") and (mode == "timex" or not self.ref)

    def neutral(self, mode: str) -> bool:
        """Gold that a system expression may overlap without being right or wrong."""
        return self.ref if mode == "calendar" else self.type in ("DURATION", "SET")


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str
    values: tuple[str, ...]  # a range carries both ends' values


def load_gold(path: Path, articles: dict[str, Article]) -> dict[str, list[Gold]]:
    """Gold entries located in each article's body."""
    raw = json.loads(path.read_text(encoding="utf-8"))["docs"]
    gold: dict[str, list[Gold]] = {}
    for name, entries in raw.items():
        text = articles[name].text
        out = []
        for text_, occurrence, type_, value, *rest in entries:
            hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(text_)}(?!\w)", text)]
            if occurrence >= len(hits):
                raise SystemExit(f"{name}: {text_!r} #{occurrence} not found")
            start = hits[occurrence]
            out.append(
                Gold(start, start + len(text_), text_, type_, value, rest[0] if rest else None)
            )
        gold[name] = out
    return gold


def _value(parsed: datetime, period: str) -> str:
    if period == "year":
        return f"{parsed.year:04d}"
    if period == "month":
        return f"{parsed.year:04d}-{parsed.month:02d}"
    if period == "week":
        iso = parsed.isocalendar()
        return f"{iso.year:04d}-W{iso.week:02d}"
    return parsed.date().isoformat()


def baseline(doc: Any, article: Article) -> list[Found]:
    """spaCy DATE entities, each normalised by dateparser against the publication date."""
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"RETURN_AS_TIMEZONE_AWARE": False}
    if article.published:
        settings["RELATIVE_BASE"] = datetime.combine(article.published, datetime.min.time())
    parser = DateDataParser(languages=["en"], settings=settings)
    found = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        data = parser.get_date_data(ent.text)
        values = (_value(data.date_obj, data.period or "day"),) if data.date_obj else ()
        found.append(Found(ent.start_char, ent.end_char, ent.text, values))
    return found


def _event_values(timex: str | None) -> tuple[str, ...]:
    if not timex:
        return ()
    return tuple(timex.split("/"))  # an ISO 8601 interval "2009/2011" for a range


def extractor(doc: Any, article: Article) -> list[Found]:
    """The timeline extractor's events."""
    mentions = entities.extract_mentions(doc, article)
    return [
        Found(e.span.start, e.span.end, e.span.text, _event_values(e.timex))
        for e in timeline.extract_events(doc, article, mentions)
    ]


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    resolved: int = 0
    system: int = 0
    system_true: int = 0

    def line(self, name: str) -> str:
        recall = self.found / self.gold if self.gold else 0.0
        precision = self.system_true / self.system if self.system else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        resolved = self.resolved / self.gold if self.gold else 0.0
        return (
            f"{name:10s} found {recall:6.1%}  precision {precision:.2f}  F1 {f1:.2f}  "
            f"resolved {resolved:6.1%}  (gold {self.gold}, system {self.system})"
        )


def _overlap(a: Gold | Found, b: Gold | Found) -> bool:
    return a.start < b.end and b.start < a.end


def score(
    gold: Sequence[Gold], found: Sequence[Found], total: Score, mode: str, log: list[str] | None
) -> None:
    """Add one article's counts to `total` (and its misses to `log`)."""
    for g in (g for g in gold if g.wanted(mode)):
        total.gold += 1
        hits = [f for f in found if _overlap(g, f)]
        wanted = set(g.value.split("|")) | ({g.end_value} if g.end_value else set())
        if hits:
            total.found += 1
            if any(wanted & set(f.values) for f in hits):
                total.resolved += 1
            elif log is not None:
                log.append(f"  WRONG {g.text!r} gold {g.value} got {[f.values for f in hits]}")
        elif log is not None:
            log.append(f"  MISS  {g.text!r} gold {g.value}")
    for f in found:
        overlaps = [g for g in gold if _overlap(g, f)]
        if overlaps and all(g.neutral(mode) for g in overlaps):
            continue
        total.system += 1
        if any(g.wanted(mode) for g in overlaps):
            total.system_true += 1
        elif log is not None:
            log.append(f"  EXTRA {f.text!r} {f.values}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run both systems over the gold articles and print their scores."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--gold",
        type=Path,
        required=True,
        help="gold JSON (bench/gold/timeline/wikinews.json: ten Wikinews articles marked by hand)",
    )
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of the articles")
    ap.add_argument("--verbose", action="store_true", help="list misses and extras per article")
    ap.add_argument("--mode", choices=("calendar", "timex"), default="timex", help="verbose mode")
    args = ap.parse_args(argv)

    names = list(json.loads(args.gold.read_text(encoding="utf-8"))["docs"])
    corpus = load_corpus([args.corpus / n for n in names])
    articles = {Path(a.path).name: a for a in corpus.articles}
    gold = load_gold(args.gold, articles)
    nlp = load_model()
    systems: dict[str, Callable[[Any, Article], list[Found]]] = {
        "baseline": baseline,
        "timeline": extractor,
    }
    modes = ("calendar", "timex")
    totals = {(mode, name): Score() for mode in modes for name in systems}
    for article, doc in parse(nlp, [articles[n] for n in names]):
        name = Path(article.path).name
        for system, run in systems.items():
            found = run(doc, article)
            for mode in modes:
                log: list[str] | None = [] if args.verbose and mode == args.mode else None
                score(gold[name], found, totals[(mode, system)], mode, log)
                if log:
                    print(f"{system} {name} ({article.published}):")
                    print("\n".join(log))
    dates = [a.published for a in articles.values() if a.published]
    print(f"{len(names)} articles, published {min(dates)} .. {max(dates)}")
    for (mode, system), total in totals.items():
        print(f"{mode:8s} " + total.line(system))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
