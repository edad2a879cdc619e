"""The rules beyond the schema, run directly over models and figure files (no disk)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import SHARED_PLAN
from liuxia_tracker.checks import (
    counts_not_negative,
    cumulative_never_decreases,
    items_due_in_year,
    not_in_future,
    run_checks,
    unique_ids,
)
from liuxia_tracker.dataset import Dataset
from liuxia_tracker.figures import FigureFile, parse_figures
from liuxia_tracker.loading import load_plan, parse_yaml
from liuxia_tracker.models import Plan
from liuxia_tracker.series import Series, build_series

PLAN, PLAN_PARSED, _ = load_plan(SHARED_PLAN, "plan.yaml")
EAST = next(d for d in PLAN.districts if d.id == "east")


def figure_file(text: str, district: str = "east") -> FigureFile:
    records, problems = parse_figures(text, f"{district}.yaml")
    assert problems == []
    return FigureFile(Path(f"{district}.yaml"), f"{district}.yaml", district, records, [], None)


def series_of(target: str, text: str) -> tuple[FigureFile, Series]:
    file = figure_file(text)
    all_series, problems = build_series(PLAN, EAST, file)
    assert problems == []
    return file, all_series[target]


def lines(diagnostics: object) -> list[str]:
    return [str(d) for d in diagnostics]  # type: ignore[attr-defined]


def record(target: str, period: str, value: float, **extra: object) -> str:
    parts = [f"target: {target}", f"period: {period}", f"value: {value}"]
    parts += [f"{key}: {item}" for key, item in extra.items()]
    return "- {" + ", ".join(parts) + "}\n"


# --- plan rules ----------------------------------------------------------------------------


def test_the_shared_plan_passes_every_plan_rule() -> None:
    assert list(unique_ids(PLAN, PLAN_PARSED, "plan.yaml")) == []
    assert list(items_due_in_year(PLAN, PLAN_PARSED, "plan.yaml")) == []


def test_unique_ids_without_positions_reads_the_model() -> None:
    plan = Plan.model_validate(
        {
            "year": 2023,
            "districts": [
                {"id": "east", "name": "东", "targets": []},
                {"id": "east", "name": "东二", "targets": []},
            ],
        }
    )
    assert lines(unique_ids(plan, None, "p.yaml")) == [
        "p.yaml:1:1: duplicate-id district id 'east' is already used on line 1"
    ]


def test_unique_ids_in_a_plan_as_written_that_did_not_load() -> None:
    text = (
        "year: 2023\n"
        "districts:\n"
        "  - {id: a, targets: [{id: t}, {id: t}, {id: 5}, {id: t, items: [{id: i}, {id: i}]}]}\n"
        "  - {id: a}\n"
        "  - not a mapping\n"
        "  - {targets: 3}\n"
    )
    parsed, problems = parse_yaml(text, "p.yaml")
    assert parsed is not None and problems == []
    assert lines(sorted(unique_ids(None, parsed, "p.yaml"))) == [
        "p.yaml:3:37: duplicate-id target id 't' is already used on line 3",
        "p.yaml:3:55: duplicate-id target id 't' is already used on line 3",
        "p.yaml:3:80: duplicate-id item id 'i' is already used on line 3",
        "p.yaml:4:10: duplicate-id district id 'a' is already used on line 3",
    ]


def test_an_item_due_on_the_last_day_of_the_year_is_in_it() -> None:
    plan = Plan.model_validate(
        {
            "year": 2023,
            "districts": [
                {
                    "id": "east",
                    "name": "东",
                    "targets": [
                        {
                            "id": "p",
                            "name": "项目",
                            "group": "g",
                            "kind": "items",
                            "cadence": "month",
                            "items": [
                                {"id": "a", "name": "甲", "due": "2023-01-01"},
                                {"id": "b", "name": "乙", "due": "2023-12-31"},
                                {"id": "c", "name": "丙", "due": "2024-01-01"},
                            ],
                        }
                    ],
                }
            ],
        }
    )
    assert lines(items_due_in_year(plan, None, "p.yaml")) == [
        "p.yaml:1:1: due-outside-year item 'c' is due 2024-01-01, outside the plan year 2023"
    ]


# --- series rules --------------------------------------------------------------------------


def test_a_cumulative_total_may_stay_level_but_not_fall() -> None:
    file, series = series_of(
        "revenue",
        record("revenue", "2023-01", 3)
        + record("revenue", "2023-02", 3)
        + record("revenue", "2023-03", 2.9999)
        + record("revenue", "2023-04", 5),
    )
    assert lines(cumulative_never_decreases(file, series)) == [
        "east.yaml:3:1: cumulative-decrease revenue 2023-03 is 2.9999 亿元, below 3 亿元 for "
        "2023-02 on line 2; a year-to-date total cannot fall"
    ]


def test_a_decrease_is_judged_in_the_targets_unit() -> None:
    # 29,000 万元 is 2.9 亿元: below the 3 亿元 before it, though the number is larger.
    file, series = series_of(
        "revenue",
        record("revenue", "2023-01", 3) + record("revenue", "2023-02", 29000, unit="万元"),
    )
    assert lines(cumulative_never_decreases(file, series)) == [
        "east.yaml:2:1: cumulative-decrease revenue 2023-02 is 2.9 亿元, below 3 亿元 for "
        "2023-01 on line 1; a year-to-date total cannot fall"
    ]


def test_records_are_ordered_by_period_not_by_line() -> None:
    file, series = series_of(
        "revenue", record("revenue", "2023-03", 5) + record("revenue", "2023-01", 6)
    )
    assert lines(cumulative_never_decreases(file, series)) == [
        "east.yaml:1:1: cumulative-decrease revenue 2023-03 is 5 亿元, below 6 亿元 for "
        "2023-01 on line 2; a year-to-date total cannot fall"
    ]


def test_a_correction_replaces_the_figure_it_corrects() -> None:
    file, series = series_of(
        "revenue",
        record("revenue", "2023-01", 3)
        + record("revenue", "2023-02", 1)  # a typo ...
        + record("revenue", "2023-02", 4),  # ... corrected
    )
    assert lines(cumulative_never_decreases(file, series)) == []


@pytest.mark.parametrize("target", ["gdp", "area", "visits"])
def test_rates_and_increments_may_fall(target: str) -> None:
    periods = {
        "gdp": ("2023-Q1", "2023-Q2"),
        "area": ("2023-W01", "2023-W02"),
        "visits": ("2023-01-D1", "2023-01-D2"),
    }
    first, second = periods[target]
    file, series = series_of(target, record(target, first, 5) + record(target, second, 1))
    assert lines(cumulative_never_decreases(file, series)) == []


def test_an_items_count_is_cumulative() -> None:
    file, series = series_of(
        "innovation", record("innovation", "2023-01", 5) + record("innovation", "2023-02", 4)
    )
    assert lines(cumulative_never_decreases(file, series)) == [
        "east.yaml:2:1: cumulative-decrease innovation 2023-02 is 4 项, below 5 项 for 2023-01 "
        "on line 1; a year-to-date total cannot fall"
    ]


def test_negative_amounts_but_not_negative_rates() -> None:
    file, area = series_of("area", record("area", "2023-W01", -0.5) + record("area", "2023-W02", 0))
    assert lines(counts_not_negative(file, area)) == [
        "east.yaml:1:1: negative-count area 2023-W01 is -0.5 万平方米; an amount or count cannot "
        "be negative"
    ]
    file, gdp = series_of("gdp", record("gdp", "2023-Q1", -1.5))
    assert lines(counts_not_negative(file, gdp)) == []


def test_the_future_begins_the_day_after_as_of() -> None:
    file, area = series_of(
        "area",
        record("area", "2023-W26", 1)  # 26 June – 2 July: begun on 30 June
        + record("area", "2023-W27", 1)  # from 3 July
        + record("area", "2023-W25", 1, date="2023-07-01"),  # dated after
    )
    assert lines(sorted(not_in_future(file, area, date(2023, 6, 30)))) == [
        "east.yaml:2:1: future-figure area 2023-W27 has not begun on 2023-06-30",
        "east.yaml:3:1: future-figure area 2023-W25 is dated 2023-07-01, after 2023-06-30",
    ]
    assert lines(not_in_future(file, area, date(2023, 7, 3))) == []


def test_an_item_done_in_the_future() -> None:
    file = figure_file(
        "- {target: projects, item: north_plot, done: true, date: 2023-06-30}\n"
        "- {target: projects, item: west_clearance, done: true, date: 2023-07-01}\n"
    )
    series = build_series(PLAN, EAST, file)[0]["projects"]
    assert lines(not_in_future(file, series, date(2023, 6, 30))) == [
        "east.yaml:2:1: future-figure item 'west_clearance' is dated 2023-07-01, after 2023-06-30"
    ]


# --- the whole run -------------------------------------------------------------------------


def test_run_checks_on_a_plan_that_did_not_load_reports_only_what_it_can() -> None:
    parsed, _ = parse_yaml("year: 2023\ndistricts: [{id: a}, {id: a}]\n", "p.yaml")
    dataset = Dataset(None, "p.yaml", parsed, [figure_file("")], [])
    assert lines(run_checks(dataset, date(2023, 6, 30))) == [
        "p.yaml:2:27: duplicate-id district id 'a' is already used on line 2"
    ]


def test_run_checks_names_the_districts_a_figure_file_may_be_for() -> None:
    dataset = Dataset(PLAN, "plan.yaml", PLAN_PARSED, [figure_file("", "north")], [])
    assert lines(run_checks(dataset, date(2023, 6, 30))) == [
        "north.yaml:1:1: unknown-district the plan has no district 'north' (a figure file is "
        "named <district id>.yaml; the districts are: east, west)"
    ]


def test_run_checks_sorts_and_removes_repeats() -> None:
    file = figure_file(record("gdp", "2023-Q4", 1) + record("nope", "2023-Q1", 1))
    dataset = Dataset(PLAN, "plan.yaml", PLAN_PARSED, [file, file], [])
    assert lines(run_checks(dataset, date(2023, 6, 30))) == [
        "east.yaml:1:1: future-figure gdp 2023-Q4 has not begun on 2023-06-30",
        "east.yaml:2:1: unknown-target east has no target 'nope'",
    ]
