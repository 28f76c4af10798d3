"""A JSON body's bytes spare the walk over its decoded value only when the walk could
find nothing: no NUL character and no nesting deeper than the limit (core.api.body)."""

from __future__ import annotations

from typing import Any

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from core.api.body import MAX_DEPTH, _problem, plainly_fine

_TEXT = st.text(alphabet=st.sampled_from(["a", "ї", "\x00", "{", "[", "\\", '"']), max_size=6)
_JSON = st.recursive(
    st.none() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=60,
)


@given(_JSON)
def test_the_bytes_pass_only_what_the_walk_passes(value: Any) -> None:
    raw = msgspec.json.encode(value)
    if plainly_fine(raw):
        assert _problem(msgspec.json.decode(raw), MAX_DEPTH) is None


def test_deep_or_nul_bodies_are_walked() -> None:
    deep = b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1)
    assert not plainly_fine(deep)
    assert _problem(msgspec.json.decode(deep), MAX_DEPTH) == ("deep", "[0]" * MAX_DEPTH)
    nul = msgspec.json.encode({"name": "Ко\x00валь"})
    assert b"\\u0000" in nul
    assert not plainly_fine(nul)
    assert _problem(msgspec.json.decode(nul), MAX_DEPTH) == ("nul", "name")
    assert plainly_fine(msgspec.json.encode({"form": {"members": [{"name": "Іван"}]}}))
