"""The one rounding rule (`render.view`) holds for every number, on the decimal a reader sees:
the shortest form of the float (its repr), rounded half up, never "-0"; and the completion bar
(`render.table`) counts the full tenths of that decimal."""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from liuxia_tracker.render.table import completion_bar
from liuxia_tracker.render.view import format_number, format_percent, format_signed

WIDE = Context(prec=400, Emax=400, Emin=-400)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e6, max_value=1e6).map(lambda x: round(x, 3)),
    st.integers(min_value=-(10**20), max_value=10**20),
    # Short decimals, ties among them: 2.675, 0.0105, -0.0005.
    st.builds(
        lambda n, scale: n / scale,
        st.integers(min_value=-(10**9), max_value=10**9),
        st.sampled_from([1000, 10_000, 100_000]),
    ),
)


def rounded(value: float, step: str, keep_zeros: bool) -> str | None:
    if not math.isfinite(value):
        return None
    number = Decimal(repr(value)).quantize(Decimal(step), rounding=ROUND_HALF_UP, context=WIDE)
    text = f"{abs(number) if number.is_zero() else number:f}"
    return text.rstrip("0").rstrip(".") if not keep_zeros and "." in text else text


@settings(max_examples=1000)
@given(numbers)
@example(2.675)
@example(-0.0)
@example(-0.004)
@example(1e16)
@example(1.7976931348623157e308)
def test_a_value_shows_at_most_two_decimals(value: float) -> None:
    expected = rounded(value, "0.01", keep_zeros=False)

    assert format_number(value) == expected
    signed = format_signed(value)
    if expected is None or expected == "0" or expected.startswith("-"):
        assert signed == expected
    else:
        assert signed == f"+{expected}"


@settings(max_examples=1000)
@given(numbers)
@example(0.0105)
@example(0.0005)
@example(0.44375)
@example(-0.0004)
def test_a_ratio_shows_as_a_percentage_with_one_decimal(ratio: float) -> None:
    expected = None
    if math.isfinite(ratio):
        scaled = Decimal(repr(ratio)).scaleb(2, WIDE)
        number = scaled.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP, context=WIDE)
        expected = f"{abs(number) if number.is_zero() else number:f}%"

    assert format_percent(ratio) == expected


@given(st.one_of(st.none(), st.floats(), st.floats(min_value=0, max_value=1)))
@example(0.3)
@example(0.9999999999)
@example(1e-05)
def test_the_bar_has_a_block_per_full_tenth_of_the_decimal_shown(ratio: float | None) -> None:
    filled = 0
    if ratio is None or math.isnan(ratio):
        expected = ""
    else:
        if ratio >= 1:
            filled = 10
        elif ratio > 0:
            tenths = Decimal(repr(ratio)).scaleb(1).to_integral_value(rounding=ROUND_FLOOR)
            filled = min(int(tenths), 9)
        expected = "█" * filled + "░" * (10 - filled)

    assert completion_bar(ratio) == expected


@settings(max_examples=1000)
@given(numbers)
@example(2.25)
@example(0.05)
@example(-0.04)
@example(1e20)
@example(1.7976931348623157e308)
def test_a_schedule_gap_shows_one_decimal_of_its_size(value: float) -> None:
    from liuxia_tracker.render.notes import _one_decimal

    expected = rounded(abs(value), "0.1", keep_zeros=True)
    assert _one_decimal(value) == ("" if expected is None else expected)


@pytest.mark.parametrize(
    ("value", "shown"),
    [(2.25, "2.3"), (0.05, "0.1"), (-19.64, "19.6"), (5, "5.0"), (1e-20, "0.0"), (math.inf, "")],
)
def test_a_schedule_gap_rounds_half_up(value: float, shown: str) -> None:
    from liuxia_tracker.render.notes import _one_decimal

    assert _one_decimal(value) == shown
