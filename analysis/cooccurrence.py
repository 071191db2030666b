"""Who is mentioned with whom, and how often over time: pure functions over the stored tables.

Both read the `mentions` table (columns doc_id, entity_id, sentence_start, published, text)
and never change the frames they are given.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

Level = Literal["sentence", "document"]
Freq = Literal["D", "W", "M"]

PAIR_COLUMNS = ["entity_a", "entity_b", "name_a", "name_b", "n", "n_documents"]
TIME_COLUMNS = ["entity_id", "period", "n_mentions"]


def cooccurrence(
    mentions: pd.DataFrame,
    entities: pd.DataFrame | None = None,
    *,
    level: Level = "sentence",
    min_count: int = 1,
) -> pd.DataFrame:
    """Pairs of entities mentioned in the same sentence (or article), most frequent first.

    `n` counts the sentences (at level "sentence") or articles (at level "document") the two
    share; `n_documents` the articles. Each pair appears once, `entity_a` < `entity_b`. Names
    come from `entities` when given, else from the fullest mention text of each entity.
    """
    if level not in ("sentence", "document"):
        raise ValueError(f"level must be 'sentence' or 'document', not {level!r}")
    unit = ["doc_id", "sentence_start"] if level == "sentence" else ["doc_id"]
    present = mentions[mentions["entity_id"].notna()]
    if present.empty:
        return _empty_pairs()
    data = present[[*unit, "entity_id"]].drop_duplicates()
    pairs = data.merge(data, on=unit, suffixes=("_a", "_b"))
    pairs = pairs[pairs["entity_id_a"] < pairs["entity_id_b"]]
    if pairs.empty:
        return _empty_pairs()
    counts = (
        pairs.groupby(["entity_id_a", "entity_id_b"], sort=False)
        .agg(n=("doc_id", "size"), n_documents=("doc_id", "nunique"))
        .reset_index()
        .rename(columns={"entity_id_a": "entity_a", "entity_id_b": "entity_b"})
    )
    counts = counts[counts["n"] >= min_count]
    names = _names(present, entities)
    counts["name_a"] = counts["entity_a"].map(names)
    counts["name_b"] = counts["entity_b"].map(names)
    out = counts[PAIR_COLUMNS].sort_values(
        ["n", "n_documents", "name_a", "name_b"], ascending=[False, False, True, True]
    )
    return out.astype({"n": "int64", "n_documents": "int64"}).reset_index(drop=True)


def mentions_over_time(mentions: pd.DataFrame, *, freq: Freq = "D") -> pd.DataFrame:
    """Mentions per entity per day, week (starting Monday) or month of publication.

    `period` is the first day of the period; mentions without an entity or a date are left out.
    """
    if freq not in ("D", "W", "M"):
        raise ValueError(f"freq must be 'D', 'W' or 'M', not {freq!r}")
    data = mentions[mentions["entity_id"].notna() & mentions["published"].notna()]
    if data.empty:
        return pd.DataFrame(
            {
                "entity_id": pd.Series([], dtype="str"),
                "period": pd.Series([], dtype="datetime64[ms]"),
                "n_mentions": pd.Series([], dtype="int64"),
            }
        )
    published = pd.to_datetime(data["published"])
    period = published.dt.to_period(freq).dt.start_time.astype("datetime64[ms]")
    frame = pd.DataFrame({"entity_id": data["entity_id"].to_numpy(), "period": period.to_numpy()})
    out = frame.groupby(["entity_id", "period"]).size().rename("n_mentions").reset_index()
    return out[TIME_COLUMNS].astype({"n_mentions": "int64"}).reset_index(drop=True)


def _names(mentions: pd.DataFrame, entities: pd.DataFrame | None) -> dict[str, str]:
    """entity_id -> display name: the entities table's, or the fullest text mentioned."""
    if entities is not None and not entities.empty:
        return dict(zip(entities["entity_id"], entities["name"], strict=True))
    texts = mentions[["entity_id", "text"]].drop_duplicates()
    words = texts["text"].map(lambda text: len(str(text).split()))
    ranked = texts.assign(_words=words, _chars=texts["text"].str.len()).sort_values(
        ["entity_id", "_words", "_chars", "text"]
    )
    fullest = ranked.drop_duplicates("entity_id", keep="last")
    return dict(zip(fullest["entity_id"], fullest["text"], strict=True))


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "entity_a": pd.Series([], dtype="str"),
            "entity_b": pd.Series([], dtype="str"),
            "name_a": pd.Series([], dtype="str"),
            "name_b": pd.Series([], dtype="str"),
            "n": pd.Series([], dtype="int64"),
            "n_documents": pd.Series([], dtype="int64"),
        }
    )
