"""Units, the 万/亿 factors, % against 百分点, and the number shorthands."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liuxia_tracker.domain.units import (
    COUNT_UNITS,
    PERCENT,
    PERCENTAGE_POINT,
    Unit,
    UnitError,
    amount_in_base,
    conversion_factor,
    is_count,
    parse_shorthand,
    parse_unit,
    whole_in_base,
)


@pytest.mark.parametrize(
    ("text", "base", "factor"),
    [
        ("元", "元", 1.0),
        ("千元", "元", 1e3),
        ("万元", "元", 1e4),
        ("十万元", "元", 1e5),
        ("百万元", "元", 1e6),
        ("千万元", "元", 1e7),
        ("亿元", "元", 1e8),
        ("百亿元", "元", 1e10),
        ("千亿元", "元", 1e11),
        ("万亿元", "元", 1e12),
        ("平方米", "平方米", 1.0),
        ("万平方米", "平方米", 1e4),
        ("㎡", "平方米", 1.0),
        ("m2", "平方米", 1.0),
        ("m²", "平方米", 1.0),
        ("万㎡", "平方米", 1e4),
        ("万m2", "平方米", 1e4),
        ("栋", "栋", 1.0),
        ("个", "个", 1.0),
        ("项", "项", 1.0),
        ("家", "家", 1.0),
        ("人次", "人次", 1.0),
        ("万人次", "人次", 1e4),
        ("CNY", "元", 1.0),
        ("yuan", "元", 1.0),
        ("亿CNY", "元", 1e8),
        ("元/吨", "元/吨", 1.0),
        ("%", PERCENT, 1.0),
        ("％", PERCENT, 1.0),
        ("百分点", PERCENTAGE_POINT, 1.0),
        ("个百分点", PERCENTAGE_POINT, 1.0),
        ("pp", PERCENTAGE_POINT, 1.0),
        ("万", "", 1e4),
        ("亿", "", 1e8),
    ],
)
def test_parse_unit(text: str, base: str, factor: float) -> None:
    assert parse_unit(text) == Unit(text, base, factor)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        " 个",
        "个 ",
        "1,000",
        "_000",
        "e3",
        ":30",
        "-01-05",
        "万%",
        "亿百分点",
        "万pp",
        "2栋",
        "/吨",
    ],
)
def test_not_a_unit(text: str) -> None:
    with pytest.raises(UnitError) as raised:
        parse_unit(text)
    assert str(raised.value).startswith(f"not a unit: {text!r}")


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (12000, "万元", "亿元", 1.2),
        (1.2, "亿元", "万元", 12000),
        (3, "亿元", "元", 300_000_000),
        (2, "亿", "亿元", 2),  # a bare factor takes the target's base
        (2, "亿", "万元", 20000),
        (15000, "m2", "万平方米", 1.5),
        (2, "万㎡", "平方米", 20000),
        (1, "万亿元", "亿元", 10000),
        (5, "千万元", "百万元", 50),
        (7, "十万元", "万元", 70),
        (3, "百亿元", "亿元", 300),
        (4, "千亿元", "亿元", 4000),
        (5.1, "%", "％", 5.1),
        (0.3, "个百分点", "百分点", 0.3),
        (0.3, "pp", "百分点", 0.3),
        (12, "栋", "栋", 12),
    ],
)
def test_convert(value: float, source: str, target: str, expected: float) -> None:
    factor = conversion_factor(parse_unit(source), parse_unit(target))
    assert value * factor == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("%", "百分点"),
        ("百分点", "%"),
        ("个百分点", "％"),
        ("pp", "%"),
        ("栋", "亿元"),
        ("元", "平方米"),
        ("亿", "%"),  # a bare factor never becomes a percentage
        ("万", "百分点"),
        ("个", "项"),
    ],
)
def test_units_of_different_bases_never_convert(source: str, target: str) -> None:
    with pytest.raises(UnitError) as raised:
        conversion_factor(parse_unit(source), parse_unit(target))
    assert str(raised.value) == f"unit {source!r} does not convert to {target!r}"


def test_conversion_factor_is_exact_for_same_units() -> None:
    assert conversion_factor(parse_unit("亿元"), parse_unit("亿元")) == 1.0
    assert conversion_factor(parse_unit("万元"), parse_unit("亿元")) == 1e-4


@pytest.mark.parametrize(
    ("text", "number", "unit"),
    [
        ("6%", 6.0, "%"),
        ("6.5％", 6.5, "％"),
        ("-0.4%", -0.4, "%"),
        ("15亿", 15.0, "亿"),
        ("15亿元", 15.0, "亿元"),
        ("80万", 80.0, "万"),
        ("80万平方米", 80.0, "万平方米"),
        ("0.3个百分点", 0.3, "个百分点"),
        ("+5pp", 5.0, "pp"),
        (".5个", 0.5, "个"),
        ("12栋", 12.0, "栋"),
        ("12.5", 12.5, None),
        ("5.", 5.0, None),
    ],
)
def test_shorthands(text: str, number: float, unit: str | None) -> None:
    parsed_number, parsed_unit = parse_shorthand(text)
    assert parsed_number == number
    assert (parsed_unit.text if parsed_unit else None) == unit


@pytest.mark.parametrize(
    "text",
    [
        "",
        "6 %",
        "１５亿",  # full-width digits
        "٦%",  # Arabic-Indic digit
        "1,000",
        "1_000",
        "1e3",
        "12:30",
        "2023-01-05",
        "0x1F",
        "about 6",
        "6%%",
        "15万%",
        "inf",
        "nan",
        "%",
        "6\n%",
    ],
)
def test_not_a_shorthand(text: str) -> None:
    with pytest.raises(UnitError) as raised:
        parse_shorthand(text)
    assert str(raised.value) == (
        f'not a number: {text!r} (write a number, or a shorthand such as "6%", "15亿")'
    )


def test_a_shorthand_too_large_for_a_float() -> None:
    with pytest.raises(UnitError) as raised:
        parse_shorthand("9" * 400 + "元")
    assert str(raised.value).startswith("not a finite number: '999")


# -- count units ----------------------------------------------------------------------------


def test_the_count_units_are_the_documented_sixteen() -> None:
    assert sorted(COUNT_UNITS) == sorted("个项栋座家件套处所户人次台条宗块")


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("个", True),
        ("万个", True),
        ("栋", True),
        ("亿人", True),
        ("项", True),
        ("元", False),
        ("万平方米", False),
        ("%", False),
        ("百分点", False),
        ("个百分点", False),  # an alias of 百分点, not a count of 个
        ("万", False),  # a bare factor has no base of its own
        ("人次", False),  # not in the list: a base unit is matched whole
    ],
)
def test_is_count(text: str, counts: bool) -> None:
    assert is_count(parse_unit(text)) is counts


@pytest.mark.parametrize(
    ("value", "unit", "whole"),
    [
        (3, "个", True),
        (3.0, "个", True),
        (0.5, "个", False),
        (-2, "栋", True),
        (1.5, "万个", True),  # 15,000
        (1.23, "万个", True),  # 12,300, though 1.23 * 1e4 is 12300.000000000002 in binary
        (0.0001, "万个", True),  # 1
        (1.00005, "万个", False),  # 10,000.5
        (0.00001, "万个", False),  # 0.1
        (2.5, "亿人", True),
        (1e20, "个", True),
    ],
)
def test_whole_in_base_judges_the_number_as_written(value: float, unit: str, whole: bool) -> None:
    assert whole_in_base(value, parse_unit(unit)) is whole


def test_amount_in_base_is_exact() -> None:
    assert amount_in_base(1.00005, parse_unit("万个")) == Decimal("10000.5")
    assert amount_in_base(1.23, parse_unit("万个")) == Decimal("12300")
    assert amount_in_base(0.5, parse_unit("个")) == Decimal("0.5")
    assert whole_in_base(math.inf, parse_unit("万个")) is False


@given(
    st.decimals(
        min_value=-(10**12), max_value=10**12, places=8, allow_nan=False, allow_infinity=False
    ),
    st.sampled_from(["个", "千个", "万个", "十万个", "亿个", "万亿个"]),
)
def test_whole_in_base_agrees_with_the_exact_amount(written: Decimal, unit_text: str) -> None:
    value = float(written)
    unit = parse_unit(unit_text)
    assert whole_in_base(value, unit) is (amount_in_base(value, unit) % 1 == 0)
