"""Fixtures for the dashboard tests: a small store whose every row is known."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dashboard.synthetic import Synthetic, build


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Synthetic:
    return build(tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="session")
def db(synthetic: Synthetic):  # type: ignore[no-untyped-def]
    from dashboard.data import StoreData

    return StoreData(synthetic.root)


@pytest.fixture
def fresh_store(tmp_path: Path) -> Synthetic:
    """A synthetic store of one's own, for tests that write to it."""
    return build(tmp_path)
