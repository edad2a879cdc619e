"""The plan and figure models: strict types, shorthands, defaults and their own consistency."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from liuxia_tracker.domain.models import Figure, Pace, Plan, Settings, Target
from liuxia_tracker.domain.periods import parse_period

RATE = {
    "id": "gdp",
    "name": "增长",
    "group": "经济",
    "kind": "rate",
    "value": 6,
    "unit": "%",
    "cadence": "quarter",
}
QUANTITY = {
    "id": "output",
    "name": "产值",
    "group": "项目",
    "kind": "quantity",
    "value": 15,
    "unit": "亿元",
    "cadence": "quarter",
}


def errors(model: type[BaseModel], data: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """(location, message) of each error, messages without pydantic's "Value error, " prefix."""
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return [
        (tuple(item["loc"]), str(item["msg"]).removeprefix("Value error, "))
        for item in raised.value.errors(include_url=False)
    ]


# --- strict types --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 12),
        ("name", True),
        ("group", ["经济"]),
        ("value", True),
        ("value", "6"),  # a quoted number is text
        ("value", None),
        ("weight", "1"),
        ("kind", 1),
    ],
)
def test_a_value_of_the_wrong_type_is_never_converted(field: str, value: Any) -> None:
    assert [loc for loc, _ in errors(Target, {**QUANTITY, field: value})] == [(field,)]


def test_plan_year_is_a_whole_number() -> None:
    base = {"districts": []}
    assert Plan.model_validate({**base, "year": 2023}).year == 2023
    for wrong in ("2023", 2023.0, True, date(2023, 1, 1)):
        assert [loc for loc, _ in errors(Plan, {**base, "year": wrong})] == [("year",)]


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_numbers_are_finite(value: float) -> None:
    assert [loc for loc, _ in errors(Target, {**QUANTITY, "value": value})] == [("value",)]
    assert [
        loc for loc, _ in errors(Figure, {"target": "x", "period": "2023", "value": value})
    ] == [("value",)]


def test_an_int_is_a_number_and_stays_exact() -> None:
    assert Target.model_validate({**QUANTITY, "value": 2**53}).value == 2**53


def test_unknown_keys_are_errors() -> None:
    assert errors(Target, {**QUANTITY, "valu": 1}) == [
        (("valu",), "Extra inputs are not permitted")
    ]
    assert errors(Figure, {"target": "x", "period": "2023", "value": 1, "Unit": "%"}) == [
        (("Unit",), "Extra inputs are not permitted")
    ]


@pytest.mark.parametrize("slug", ["gdp", "gdp_growth", "a1", "cbd-west", "x"])
def test_ids_are_slugs(slug: str) -> None:
    assert Target.model_validate({**QUANTITY, "id": slug}).id == slug


@pytest.mark.parametrize("wrong", ["GDP", "1gdp", "gdp growth", "_gdp", "gdp-", "地区", ""])
def test_not_an_id(wrong: str) -> None:
    assert errors(Target, {**QUANTITY, "id": wrong}) == [
        (
            ("id",),
            f"{wrong!r} is not an id: use lower-case letters, digits, '_' and '-', "
            "starting with a letter",
        )
    ]


# --- shorthands and units ------------------------------------------------------------------


def test_a_target_value_shorthand_gives_the_unit() -> None:
    target = Target.model_validate(
        {**{k: v for k, v in QUANTITY.items() if k != "unit"}, "value": "15亿元"}
    )
    assert (target.value, target.unit) == (15.0, "亿元")


def test_a_shorthand_may_repeat_the_same_unit() -> None:
    target = Target.model_validate({**QUANTITY, "value": "15亿元", "unit": "亿元"})
    assert (target.value, target.unit) == (15.0, "亿元")


def test_a_shorthand_that_disagrees_with_the_unit() -> None:
    assert errors(Target, {**QUANTITY, "value": "15亿元", "unit": "万元"}) == [
        ((), "value '亿元' and unit '万元' disagree: give the unit once")
    ]


@pytest.mark.parametrize("text", ["6", "12.5", "1,000", "1e3", "６%", "about 6", "6 %"])
def test_text_that_is_not_a_shorthand_is_a_type_error(text: str) -> None:
    assert errors(Figure, {"target": "x", "period": "2023", "value": text}) == [
        (("value",), "Input should be a valid number")
    ]


def test_a_figure_shorthand() -> None:
    figure = Figure.model_validate({"target": "gdp", "period": "2023-Q1", "value": "5.1%"})
    assert (figure.value, figure.unit) == (5.1, "%")


def test_a_rate_is_in_percent() -> None:
    assert errors(Target, {**RATE, "unit": "百分点"}) == [
        ((), "a rate target is in %, not '百分点'")
    ]
    assert Target.model_validate({**RATE, "unit": "％"}).unit == "％"


def test_units_are_checked() -> None:
    assert errors(Target, {**QUANTITY, "unit": "万%"}) == [
        (("unit",), "not a unit: '万%' (a unit is %, 百分点, or a name such as 个, 亿元, 万平方米)")
    ]


# --- defaults and consistency --------------------------------------------------------------


def test_target_defaults() -> None:
    target = Target.model_validate(QUANTITY)
    assert (target.qualifier, target.reported_as, target.weight, target.items) == (
        "at_least",
        "cumulative",
        1.0,
        [],
    )
    assert target.pace.is_linear


@pytest.mark.parametrize(
    ("written", "read"), [("以上", "at_least"), ("左右", "about"), ("以内", "at_most")]
)
def test_chinese_qualifiers(written: str, read: str) -> None:
    assert Target.model_validate({**RATE, "qualifier": written}).qualifier == read


def test_tolerance_only_on_about_targets() -> None:
    assert Target.model_validate({**RATE, "qualifier": "about", "tolerance": 0.5}).tolerance == 0.5
    assert errors(Target, {**RATE, "tolerance": 0.5}) == [
        ((), "`tolerance` applies only to 左右 (about) targets")
    ]


def test_an_items_target_counts_its_named_items_by_default() -> None:
    target = Target.model_validate(
        {
            "id": "p",
            "name": "项目",
            "group": "g",
            "kind": "items",
            "cadence": "month",
            "items": [{"id": "a", "name": "甲"}, {"id": "b", "name": "乙", "due": "2023-06-30"}],
        }
    )
    assert (target.value, target.unit) == (2, "项")
    assert target.items[1].due == date(2023, 6, 30)


def test_an_items_target_counts_whole_items_and_at_least_the_named_ones() -> None:
    base = {"id": "p", "name": "项目", "group": "g", "kind": "items", "cadence": "month"}
    message = "an items target counts whole items: value {} is below the 1 named items or not a whole number"
    named = [{"id": "a", "name": "甲"}]
    assert errors(Target, {**base, "value": 2.5, "items": named}) == [((), message.format("2.5"))]
    assert errors(Target, {**base, "value": 0, "items": named}) == [((), message.format("0"))]
    assert Target.model_validate({**base, "value": 28}).value == 28


def test_only_items_targets_list_items() -> None:
    assert errors(Target, {**QUANTITY, "items": [{"id": "a", "name": "甲"}]}) == [
        ((), "only an `items` target lists items")
    ]


def test_a_rate_is_cumulative() -> None:
    assert errors(Target, {**RATE, "reported_as": "increment"}) == [
        ((), "a rate is reported year-to-date: reported_as must be cumulative")
    ]


def test_pace() -> None:
    assert Pace.model_validate("linear").is_linear
    monthly = Pace.model_validate({"month": [0.05, 0.05] + [0.1] * 8 + [0.05, 0.05]})
    assert not monthly.is_linear and monthly.month is not None and len(monthly.month) == 12
    assert errors(Pace, "seasonal") == [
        ((), "expected `linear` or a profile `{month: [12 weights]}`, not 'seasonal'")
    ]
    assert errors(Pace, {"quarter": [0.25, 0.25, 0.25]}) == [
        ((), "this pace profile needs 4 weights, not 3")
    ]
    assert errors(Pace, {"quarter": [0.1, 0.2, 0.3, 0.3]}) == [
        ((), "pace weights must sum to 1, not 0.9")
    ]
    assert errors(Pace, {"month": [1 / 12] * 12, "quarter": [0.25] * 4}) == [
        ((), "a pace profile gives one of `month` (12 weights) or `quarter` (4)")
    ]


def test_settings_defaults_and_bounds() -> None:
    settings = Settings()
    assert (settings.at_risk_share, settings.score_cap, settings.lag_days["month"]) == (
        0.1,
        1.2,
        20,
    )
    assert [loc for loc, _ in errors(Settings, {"score_cap": 0.5})] == [("score_cap",)]
    assert [loc for loc, _ in errors(Settings, {"lag_days": {"monthly": 3}})] == [
        ("lag_days", "monthly", "[key]")
    ]


# --- figures -------------------------------------------------------------------------------


def test_a_value_figure() -> None:
    figure = Figure.model_validate(
        {
            "target": "revenue",
            "period": "2023-02",
            "value": 2.5,
            "unit": "亿元",
            "recorded_at": "2023-03-20T09:30:00+08:00",
        }
    )
    assert figure.period == parse_period("2023-02")
    assert figure.recorded_at == datetime(2023, 3, 20, 9, 30, tzinfo=timezone(timedelta(hours=8)))


def test_a_number_is_never_taken_for_a_period() -> None:
    # Wrong types are never converted: 2023 is a number, "2023" the period (issue 12).
    with pytest.raises(ValidationError, match='quote it: "2023"'):
        Figure.model_validate({"target": "x", "period": 2023, "value": 1})
    assert Figure.model_validate(
        {"target": "x", "period": "2023", "value": 1}
    ).period == parse_period("2023")


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2023-1", 'not a period: "2023-1" (did you mean "2023-01"?)'),
        ("2023-Q5", 'not a period: "2023-Q5" (quarter must be Q1–Q4)'),
        (2023.5, 'a period must be text such as "2023-03" or "2023-Q1"'),
        (True, 'a period must be text such as "2023-03" or "2023-Q1"'),
    ],
)
def test_bad_periods(period: Any, message: str) -> None:
    assert errors(Figure, {"target": "x", "period": period, "value": 1}) == [(("period",), message)]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2023-02-30", "not a date: '2023-02-30' (write YYYY-MM-DD)"),
        ("2023-W05-1", "not a date: '2023-W05-1' (write YYYY-MM-DD)"),
        ("20230630", "not a date: '20230630' (write YYYY-MM-DD)"),
        ("2023-6-30", "not a date: '2023-6-30' (write YYYY-MM-DD)"),
        (20230630, "a date must be written YYYY-MM-DD, e.g. 2023-06-30"),
    ],
)
def test_dates_are_written_yyyy_mm_dd(written: Any, message: str) -> None:
    assert errors(Figure, {"target": "x", "item": "a", "done": True, "date": written}) == [
        (("date",), message)
    ]


def test_an_item_figure() -> None:
    figure = Figure.model_validate(
        {"target": "p", "item": "a", "done": False, "date": "2023-05-12"}
    )
    assert (figure.item, figure.done, figure.date, figure.period) == (
        "a",
        False,
        date(2023, 5, 12),
        None,
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"target": "x", "period": "2023"}, ("missing_key", "missing key 'value'")),
        ({"target": "x", "value": 1}, ("missing_key", "missing key 'period'")),
        (
            {"target": "x", "item": "a"},
            ("missing_key", "missing key 'done' (an item record says `done: true` or `false`)"),
        ),
        (
            {"target": "x", "item": "a", "done": True, "value": 1},
            (
                "value_error",
                "Value error, an item record has `item`, `done` and `date`, not a value or period",
            ),
        ),
        (
            {"target": "x", "period": "2023", "value": 1, "done": True},
            ("value_error", "Value error, `done` belongs to an item record, which names an `item`"),
        ),
    ],
)
def test_figure_shapes(data: dict[str, Any], expected: tuple[str, str]) -> None:
    with pytest.raises(ValidationError) as raised:
        Figure.model_validate(data)
    assert [(e["type"], e["msg"]) for e in raised.value.errors()] == [expected]


def test_yes_is_not_a_boolean() -> None:
    assert [loc for loc, _ in errors(Figure, {"target": "x", "item": "a", "done": "yes"})] == [
        ("done",)
    ]
