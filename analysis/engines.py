"""Where the per-article work runs: this process, a pool of processes, or a Dask cluster.

Every engine maps `analyze_batch` over batches of articles and yields each batch's tables in
the order given, so the store comes out the same whichever engine made it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pyarrow as pa

from analysis.corpus import Article

if TYPE_CHECKING:
    from spacy.language import Language


class Engine:
    """Runs `analyze_batch` over batches of articles."""

    def model_id(self) -> str:
        raise NotImplementedError

    def map(self, batches: Iterable[list[Article]], version: str) -> Iterator[dict[str, pa.Table]]:
        raise NotImplementedError


class LocalEngine(Engine):
    """In this process, one batch after another."""

    def __init__(self, nlp: Language | None = None) -> None:
        self._nlp = nlp

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            from analysis.nlp import load_model

            self._nlp = load_model()
        return self._nlp

    def model_id(self) -> str:
        from analysis.nlp import model_id

        return model_id(self.nlp)

    def map(self, batches: Iterable[list[Article]], version: str) -> Iterator[dict[str, pa.Table]]:
        from analysis.pipeline import analyze_batch

        for batch in batches:
            yield analyze_batch(self.nlp, batch)


def make_engine(name: str, *, workers: int = 1, scheduler: str | None = None) -> Engine:
    """The engine the command line asked for."""
    if name == "local" and workers == 1:
        return LocalEngine()
    raise ValueError(f"engine {name!r} with {workers} workers is not available yet")
