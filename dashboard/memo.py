"""Results built once per distinct input and shared by every rerun and session.

A plotly figure takes longer to build (plotly checks every property it is given) than the frame
it draws takes to fetch from the cache, and a sidebar's labels for two thousand entities longer
than the rest of the sidebar. `memo` keys what it builds by a digest of its inputs' pickle:
equal inputs fetched from the cache unpickle from the same bytes and pickle to them again, so
the key costs a fraction of a millisecond for a small frame, where Streamlit's hash of a frame
(pandas' hash of every cell) cost several. Inputs that pickle to different bytes are built
again, never mixed up: a pickle holds the whole value.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any, TypeVar, cast

import streamlit as st

T = TypeVar("T")


def fingerprint(*parts: object) -> str | None:
    """A digest of the pickle of `parts` (None when one of them does not pickle)."""
    try:
        data = pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None
    return hashlib.blake2b(data, digest_size=20).hexdigest()


@st.cache_resource(show_spinner=False, max_entries=128)
def _built(
    key: str, _build: Callable[..., Any], _args: tuple[Any, ...], _kwargs: dict[str, Any]
) -> Any:
    return _build(*_args, **_kwargs)


def memo(build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`build(*args, **kwargs)` made once per distinct input (by value) and shared by every
    rerun and session. What it returns is shared: never change it. Inputs that do not pickle
    are built each time."""
    name = f"{build.__module__}.{build.__qualname__}"
    key = fingerprint(name, args, kwargs)
    if key is None:
        return build(*args, **kwargs)
    return cast(T, _built(key, build, args, kwargs))
