"""Reading a plan without positions (`plan.values`, `load_plan_text(positions=False)`) gives
the plan, the values and the diagnostics of the read with positions.

A clean plan comes back with the same `Plan` and values of the same types, and no position
table; a plan with anything to report comes back exactly as with positions (its diagnostics,
its `Parsed` with every position). Checked on every case plan, on generated YAML (with both
parsers) and on the shared plan broken by one edit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CASES, SEED_PLAN, SHARED_PLAN
from liuxia_tracker.plan import loading
from liuxia_tracker.plan.validation import load_plan_text
from liuxia_tracker.plan.values import read_values
from test_parsers_agree import TOKENS, documents

PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

VALID_PLANS = [SEED_PLAN, SHARED_PLAN, *sorted((CASES / "valid" / "plans").glob("*.yaml"))]
INVALID_PLANS = sorted((CASES / "invalid" / "plans").glob("*.yaml"))


def typed(value: Any) -> Any:
    """A value with the type of every part in it: 1, 1.0 and True are told apart."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return type(value).__name__, value


def text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")


def assert_same_as_with_positions(text: str) -> None:
    with_positions = load_plan_text(text, "targets.yaml")
    without = load_plan_text(text, "targets.yaml", positions=False)
    plan, parsed, problems = with_positions
    if plan is not None and not problems:
        assert parsed is not None and without[1] is not None
        assert without[0] == plan
        assert without[2] == []
        assert typed(without[1].value) == typed(parsed.value)
        assert (without[1].positions, without[1].key_positions) == ({}, {})
    else:
        assert without == with_positions


@pytest.mark.usefixtures("each_parser")
@pytest.mark.parametrize("path", VALID_PLANS, ids=lambda path: path.name)
def test_a_clean_plan_is_the_same_plan_without_positions(path: Path) -> None:
    text = text_of(path)
    plan, parsed, problems = load_plan_text(text, path.name)
    assert plan is not None and parsed is not None and problems == []
    values = read_values(text)
    assert values is not None  # read without positions, not again with them
    assert typed(values.value) == typed(parsed.value)
    plan_without, parsed_without, problems_without = load_plan_text(
        text, path.name, positions=False
    )
    assert (plan_without, problems_without) == (plan, [])
    assert parsed_without is not None
    assert (parsed_without.positions, parsed_without.key_positions) == ({}, {})
    assert parsed_without.reported == set()
    assert typed(parsed_without.value) == typed(parsed.value)


@pytest.mark.usefixtures("each_parser")
@pytest.mark.parametrize("path", INVALID_PLANS, ids=lambda path: path.name)
def test_a_plan_with_problems_gives_the_same_diagnostics_without_positions(path: Path) -> None:
    # Some of them load clean: what is wrong in them is found by the plan rules, in a check.
    assert_same_as_with_positions(text_of(path))


def test_a_validation_error_is_reported_at_its_position() -> None:
    text = SHARED_PLAN.read_text(encoding="utf-8").replace("year: 2023", "year: 1800", 1)
    plan, parsed, problems = load_plan_text(text, "targets.yaml", positions=False)
    assert plan is None
    assert [str(problem) for problem in problems] == [
        "targets.yaml:3:7: bad-value year: must be at least 1900, not 1800"
    ]
    assert parsed is not None and parsed.positions[("year",)] == (3, 7)


@pytest.mark.usefixtures("each_parser")
def test_equal_texts_are_one_string() -> None:
    text = "a: 经济指标\nb: [经济指标, '经济指标']\n"
    for values in (read_values(text), loading.parse_yaml(text, "f.yaml")[0]):
        assert values is not None
        first = values.value["a"]
        assert values.value == {"a": "经济指标", "b": ["经济指标", "经济指标"]}
        assert all(item is first for item in values.value["b"])


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # a duplicate key
        "a: &x 1\nb: *x\n",  # an anchor and an alias
        "a: !!str 1\n",  # a tag
        "<<: {a: 1}\n",  # a merge key
        "a: 012\n",  # a refused number
        "a: 1e3\n",  # a refused number
        "? [a]\n: 1\n",  # a complex key
        "a: 1\n---\nb: 2\n",  # two documents
        'a: "\\ud800"\n',  # half a UTF-16 pair
        "a:\tb\n",  # a tab
        "a: [1, 2\n",  # a syntax error
        "a: b\x85\n",  # a character refused
        "a: {b: }\n",  # an empty value in flow (placed differently by libyaml)
        "a: " + "[" * (loading.MAX_DEPTH + 1) + "]" * (loading.MAX_DEPTH + 1) + "\n",
    ],
)
def test_anything_to_report_is_read_again_with_positions(text: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loading, "USE_LIBYAML", True)
        assert read_values(text) is None


@pytest.mark.parametrize("use_libyaml", [True, False])
@PROPERTY
@given(text=st.one_of(documents(), st.lists(st.sampled_from(TOKENS), max_size=30).map("".join)))
def test_generated_yaml_reads_the_same_values_or_is_read_again(
    use_libyaml: bool, text: str
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loading, "USE_LIBYAML", use_libyaml)
        values = read_values(text)
        parsed, problems = loading.parse_yaml(text, "f.yaml")
    if values is not None:
        assert parsed is not None and problems == []
        assert typed(values.value) == typed(parsed.value)


def _edited(text: str, at: int, cut: int, insert: str) -> str:
    at %= len(text)
    return text[:at] + insert + text[at + cut :]


@PROPERTY
@given(
    at=st.integers(0, 10**6),
    cut=st.integers(0, 3),
    insert=st.sampled_from(["", " ", "\n", ":", "- ", "#", "'", '"', "[", "{", "x", "0", "1e3"]),
)
def test_a_plan_edited_once_reads_the_same_without_positions(
    at: int, cut: int, insert: str
) -> None:
    assert_same_as_with_positions(_edited(SHARED_PLAN.read_text(encoding="utf-8"), at, cut, insert))
