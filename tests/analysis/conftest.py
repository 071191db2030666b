"""Fixtures for the readers: no network, ever."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every attempt to open a connection fails and is recorded; the test fails if any was made.

    Libraries that fetch on failure may swallow the error, so the attempts are counted rather
    than relied on to surface.
    """
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: attempts.append(a) or [])
    yield attempts
    assert attempts == [], f"the readers tried to reach the network: {attempts}"
