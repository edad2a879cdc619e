"""`render.json_text.dumps` writes exactly what `json.dumps(value, ensure_ascii=False, indent=2,
allow_nan=False)` writes, for any JSON value."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liuxia_tracker.render.json_text import dumps

# Text with what JSON escapes (quotes, backslashes, control characters) and what it keeps.
text = st.text(alphabet=st.sampled_from('ab 中文"\\/\n\t\x00\x1f\x7f\u2028é[]{}:,'), max_size=8)
plain = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    text,
)
values = st.recursive(
    plain,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=40,
)


def reference(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)


@settings(max_examples=500, deadline=None)
@given(values)
def test_the_text_is_json_dumps_indented(value: Any) -> None:
    assert dumps(value) == reference(value)


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": {}, "b": [], "c": [{}], "d": [[]]},
        {"targets": [{"id": "gdp", "value": 6.0, "done": True, "note": None}], "year": 2023},
        {"status": "滞后", "display": {"target": "CBD交付建筑面积（一期）"}},
    ],
)
def test_empty_and_nested_containers(value: Any) -> None:
    assert dumps(value) == reference(value)


@pytest.mark.parametrize("value", [(1, 2), {1: "a"}, {"a": (None,)}, [1, {2.5: True}]])
def test_other_values_are_written_by_json_itself(value: Any) -> None:
    assert dumps(value) == reference(value)


@pytest.mark.parametrize("number", [float("nan"), float("inf"), float("-inf")])
def test_a_number_json_cannot_write_is_refused(number: float) -> None:
    with pytest.raises(ValueError):
        reference({"value": [number]})
    with pytest.raises(ValueError):
        dumps({"value": [number]})
