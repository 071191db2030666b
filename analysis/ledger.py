"""The figures ledger: reported numbers grouped by what they count, in publication order.

One line per figure whose `counted_key` is known ("political prisoner" groups "1,227 political
prisoners" and "a political prisoner"), ordered by publication date within its group, with
who reported it and indicators of where the reports disagree. Pure pandas: frames in, new
frames out, never changed.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

# The ledger's columns, in order: the figure, then its group's indicators.
FIGURE_COLUMNS = [
    "counted_key",
    "published",
    "doc_id",
    "figure_id",
    "value",
    "unit",
    "kind",
    "qualifier",
    "source",
    "source_entity_id",
    "text",
    "counted",
    "sentence",
    "start",
    "end",
]
GROUP_COLUMNS = [
    "n_figures",  # figures in the group
    "n_documents",  # articles reporting it
    "n_values",  # distinct (value, unit) reported
    "min_value",
    "max_value",
    "n_sources",  # distinct named sources
    "disagree",  # the group holds more than one value
    "sources_disagree",  # two named sources gave different values
    "change",  # this value minus the one reported before it in the group (same unit)
]
SUMMARY_COLUMNS = [
    "counted_key",
    "n_figures",
    "n_documents",
    "n_values",
    "min_value",
    "max_value",
    "n_sources",
    "disagree",
    "sources_disagree",
    "first_published",
    "last_published",
    "latest_value",
    "latest_source",
]


def figures_ledger(
    figures: pd.DataFrame, *, kinds: Iterable[str] | None = None, min_figures: int = 1
) -> pd.DataFrame:
    """Figures grouped by `counted_key`, by publication date within each group, with indicators.

    `kinds` keeps only those kinds (e.g. {"count"}); `min_figures` drops smaller groups.
    Groups come most reported first, then by key.
    """
    frame = figures.copy()
    for column in FIGURE_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[FIGURE_COLUMNS]
    key = frame["counted_key"].astype("object")
    keep = key.notna() & (key.astype(str).str.strip() != "")
    if kinds is not None:
        keep &= frame["kind"].isin(list(kinds))
    frame = frame[keep].copy()
    frame["published"] = pd.to_datetime(frame["published"], errors="coerce")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    if frame.empty:
        return _empty()
    unit = frame["unit"].astype("object").where(frame["unit"].notna(), "")
    frame["_pair"] = list(zip(frame["value"], unit, strict=True))
    groups = frame.groupby("counted_key", sort=False)
    frame["n_figures"] = groups["value"].transform("size").astype("int64")
    frame["n_documents"] = groups["doc_id"].transform("nunique").astype("int64")
    frame["n_values"] = groups["_pair"].transform("nunique").astype("int64")
    frame["min_value"] = groups["value"].transform("min")
    frame["max_value"] = groups["value"].transform("max")
    frame["n_sources"] = groups["source"].transform("nunique").astype("int64")
    frame["disagree"] = frame["n_values"] > 1
    per_source = frame[frame["source"].notna()].groupby("counted_key")["_pair"].nunique()
    named = frame[frame["source"].notna()].groupby("counted_key")["source"].nunique()
    conflicted = set(per_source[(per_source > 1) & (named > 1)].index)
    frame["sources_disagree"] = frame["counted_key"].isin(conflicted)
    frame = frame[frame["n_figures"] >= min_figures]
    frame = frame.sort_values(
        ["n_figures", "counted_key", "published", "doc_id", "start"],
        ascending=[False, True, True, True, True],
        na_position="last",
        kind="stable",
    )
    previous = frame.groupby(["counted_key", unit.reindex(frame.index)], sort=False)["value"]
    frame["change"] = frame["value"] - previous.shift(1)
    return frame[FIGURE_COLUMNS + GROUP_COLUMNS].reset_index(drop=True)


def ledger_summary(ledger: pd.DataFrame) -> pd.DataFrame:
    """One line per counted key of a ledger: its indicators and the latest value reported."""
    if ledger.empty:
        return pd.DataFrame({column: [] for column in SUMMARY_COLUMNS})
    groups = ledger.groupby("counted_key", sort=False)
    summary = groups[GROUP_COLUMNS[:-1]].first().reset_index()
    summary["first_published"] = groups["published"].min().to_numpy()
    summary["last_published"] = groups["published"].max().to_numpy()
    # the last dated report of each key (undated ones only when nothing is dated)
    dated = ledger.assign(_dated=ledger["published"].notna())
    dated = dated.sort_values("_dated", kind="stable")
    latest = dated.groupby("counted_key", sort=False).tail(1).set_index("counted_key")
    summary["latest_value"] = latest["value"].reindex(summary["counted_key"]).to_numpy()
    summary["latest_source"] = latest["source"].reindex(summary["counted_key"]).to_numpy()
    return summary[SUMMARY_COLUMNS].reset_index(drop=True)


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({column: [] for column in FIGURE_COLUMNS + GROUP_COLUMNS})
    frame["published"] = pd.to_datetime(frame["published"])
    for column in ("value", "min_value", "max_value", "change", "start", "end"):
        frame[column] = frame[column].astype("float64")
    for column in ("n_figures", "n_documents", "n_values", "n_sources"):
        frame[column] = frame[column].astype("int64")
    for column in ("disagree", "sources_disagree"):
        frame[column] = frame[column].astype("bool")
    return frame
