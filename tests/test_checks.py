"""The rules beyond the schema, run directly over models and figure files (no disk)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pytest

from conftest import SEED_PLAN, SHARED_PLAN
from liuxia_tracker.commands.check import check_dataset
from liuxia_tracker.commands.dataset import Dataset
from liuxia_tracker.diagnostics import Finding
from liuxia_tracker.domain.models import Figure, Plan, Target
from liuxia_tracker.engine.series import Series, build_series
from liuxia_tracker.log.figures import FigureFile, parse_figures
from liuxia_tracker.plan.loading import Parsed, parse_yaml
from liuxia_tracker.plan.validation import load_plan
from liuxia_tracker.rules.figures import (
    counts_are_whole,
    figure_findings,
    item_date_in_year,
    items_count_in_range,
    series_findings,
)
from liuxia_tracker.rules.plan import Locate, PlanFinding, items_due_in_year, unique_ids

PLAN, PLAN_PARSED, _ = load_plan(SHARED_PLAN, "plan.yaml")
EAST = next(d for d in PLAN.districts if d.id == "east")
TARGETS = {target.id: target for target in EAST.targets}
SHIPPED_PLAN, _, _ = load_plan(SEED_PLAN, "targets.yaml")


def figure_file(text: str, district: str = "east") -> FigureFile:
    records, problems = parse_figures(text, f"{district}.yaml")
    assert problems == []
    return FigureFile(Path(f"{district}.yaml"), f"{district}.yaml", district, records, [], None)


def series_of(target: str, text: str) -> tuple[FigureFile, Series]:
    file = figure_file(text)
    all_series, problems = build_series(PLAN, EAST, file.records)
    assert problems == []
    return file, all_series[target]


def locator(parsed: Parsed | None) -> Locate:
    return lambda path: parsed.positions.get(path, (1, 1)) if parsed is not None else (1, 1)


def plan_lines(found: Iterable[PlanFinding], display: str, parsed: Parsed | None) -> list[str]:
    locate = locator(parsed)
    return [
        "{}:{}:{}: {} {}".format(display, *locate(path), finding.code, finding.message)
        for path, finding in found
    ]


def series_lines(
    file: FigureFile, series: Series, as_of: date = date(2023, 12, 31), *codes: str
) -> list[str]:
    """`check`'s figure rules over one series, each at its record's line (column 1: no file
    to place it in), keeping the codes given."""
    return sorted(
        f"{file.display}:{line}:1: {finding.code} {finding.message}"
        for line, finding in series_findings(series, PLAN.year, as_of)
        if finding.code in codes
    )


def said(findings: Iterable[Finding]) -> list[tuple[str, str]]:
    """The code and sentence of each finding."""
    return [(finding.code, finding.message) for finding in findings]


def lines(diagnostics: object) -> list[str]:
    return [str(d) for d in diagnostics]  # type: ignore[attr-defined]


def record(target: str, period: str, value: float, **extra: object) -> str:
    parts = [f"target: {target}", f"period: {period}", f"value: {value}"]
    parts += [f"{key}: {item}" for key, item in extra.items()]
    return "- {" + ", ".join(parts) + "}\n"


# --- plan rules ----------------------------------------------------------------------------


def test_the_shared_plan_passes_every_plan_rule() -> None:
    assert list(unique_ids(PLAN_PARSED.value, locator(PLAN_PARSED))) == []
    assert list(items_due_in_year(PLAN)) == []


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
    assert plan_lines(unique_ids(plan.model_dump(), locator(None)), "p.yaml", None) == [
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
    found = unique_ids(parsed.value if parsed else None, locator(parsed))
    assert sorted(plan_lines(found, "p.yaml", parsed)) == [
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
    assert plan_lines(items_due_in_year(plan), "p.yaml", None) == [
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
    assert series_lines(file, series, date(2023, 12, 31), "cumulative-decrease") == [
        "east.yaml:3:1: cumulative-decrease revenue 2023-03 is 2.9999 亿元, below 3 亿元 for "
        "2023-02 on line 2; a year-to-date total cannot fall"
    ]


def test_a_decrease_is_judged_in_the_targets_unit() -> None:
    # 29,000 万元 is 2.9 亿元: below the 3 亿元 before it, though the number is larger.
    file, series = series_of(
        "revenue",
        record("revenue", "2023-01", 3) + record("revenue", "2023-02", 29000, unit="万元"),
    )
    assert series_lines(file, series, date(2023, 12, 31), "cumulative-decrease") == [
        "east.yaml:2:1: cumulative-decrease revenue 2023-02 is 2.9 亿元, below 3 亿元 for "
        "2023-01 on line 1; a year-to-date total cannot fall"
    ]


def test_records_are_ordered_by_period_not_by_line() -> None:
    file, series = series_of(
        "revenue", record("revenue", "2023-03", 5) + record("revenue", "2023-01", 6)
    )
    assert series_lines(file, series, date(2023, 12, 31), "cumulative-decrease") == [
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
    assert series_lines(file, series, date(2023, 12, 31), "cumulative-decrease") == []


@pytest.mark.parametrize("target", ["gdp", "area", "visits"])
def test_rates_and_increments_may_fall(target: str) -> None:
    periods = {
        "gdp": ("2023-Q1", "2023-Q2"),
        "area": ("2023-W01", "2023-W02"),
        "visits": ("2023-01-D1", "2023-01-D2"),
    }
    first, second = periods[target]
    file, series = series_of(target, record(target, first, 5) + record(target, second, 1))
    assert series_lines(file, series, date(2023, 12, 31), "cumulative-decrease") == []


def test_an_items_count_is_cumulative() -> None:
    file, series = series_of(
        "innovation", record("innovation", "2023-01", 5) + record("innovation", "2023-02", 4)
    )
    assert series_lines(file, series, date(2023, 12, 31), "cumulative-decrease") == [
        "east.yaml:2:1: cumulative-decrease innovation 2023-02 is 4 项, below 5 项 for 2023-01 "
        "on line 1; a year-to-date total cannot fall"
    ]


def test_negative_amounts_but_not_negative_rates() -> None:
    file, area = series_of("area", record("area", "2023-W01", -0.5) + record("area", "2023-W02", 0))
    assert series_lines(file, area, date(2023, 12, 31), "negative-count") == [
        "east.yaml:1:1: negative-count area 2023-W01 is -0.5 万平方米; an amount or count cannot "
        "be negative"
    ]
    file, gdp = series_of("gdp", record("gdp", "2023-Q1", -1.5))
    assert series_lines(file, gdp, date(2023, 12, 31), "negative-count") == []


def test_the_future_begins_the_day_after_as_of() -> None:
    file, area = series_of(
        "area",
        record("area", "2023-W26", 1)  # 26 June – 2 July: begun on 30 June
        + record("area", "2023-W27", 1)  # from 3 July
        + record("area", "2023-W25", 1, date="2023-07-01"),  # dated after
    )
    assert series_lines(file, area, date(2023, 6, 30), "future-figure") == [
        "east.yaml:2:1: future-figure area 2023-W27 has not begun on 2023-06-30",
        "east.yaml:3:1: future-figure area 2023-W25 is dated 2023-07-01, after 2023-06-30",
    ]
    assert series_lines(file, area, date(2023, 7, 3), "future-figure") == []


def test_an_item_done_in_the_future() -> None:
    file = figure_file(
        "- {target: projects, item: north_plot, done: true, date: 2023-06-30}\n"
        "- {target: projects, item: west_clearance, done: true, date: 2023-07-01}\n"
    )
    series = build_series(PLAN, EAST, file.records)[0]["projects"]
    assert series_lines(file, series, date(2023, 6, 30), "future-figure") == [
        "east.yaml:2:1: future-figure item 'west_clearance' is dated 2023-07-01, after 2023-06-30"
    ]


# --- rules about one figure (shared with record and import) -------------------------------


def figure(**fields: object) -> Figure:
    return Figure.model_validate(fields)


def seed_target(district: str, target: str) -> Target:
    assert SHIPPED_PLAN is not None
    found = next(d for d in SHIPPED_PLAN.districts if d.id == district)
    return next(t for t in found.targets if t.id == target)


@pytest.mark.parametrize(
    ("done_on", "expected"),
    [
        ("2023-01-01", []),
        ("2023-12-31", []),
        (
            "2022-12-01",
            [("date-year", "item 'north_plot' is dated 2022-12-01, outside the plan year 2023")],
        ),
        (
            "2024-03-01",
            [("date-year", "item 'north_plot' is dated 2024-03-01, outside the plan year 2023")],
        ),
    ],
)
def test_an_items_date_is_in_the_plan_year(done_on: str, expected: list[tuple[str, str]]) -> None:
    done = figure(target="projects", item="north_plot", done=True, date=done_on)
    assert said(item_date_in_year(done, 2023)) == expected
    assert (
        said(item_date_in_year(figure(target="projects", item="north_plot", done=True), 2023)) == []
    )


@pytest.mark.parametrize(
    ("target", "value", "unit", "expected"),
    [
        ("visits", 3, None, None),
        ("visits", 2.5, None, "visits 2023-01-D1 is 2.5 家; a count in 家 is a whole number"),
        ("visits", 1.5, "万家", None),  # 15,000 家
        ("visits", 1.5, "万", None),  # a bare factor takes the target's 家
        (
            "visits",
            1.00005,
            "万家",
            "visits 2023-01-D1 is 1.00005 万家 (10000.5 家); a count in 家 is a whole number",
        ),
        (
            "visits",
            1.00005,
            "万",
            "visits 2023-01-D1 is 1.00005 万 (10000.5 家); a count in 家 is a whole number",
        ),
        ("area", 0.5, None, None),  # 万平方米 is not a count
        ("revenue", 0.25, None, None),
        ("gdp", 5.1, None, None),
        ("innovation", 13, None, None),
        (
            "innovation",
            13.5,
            None,
            "innovation 2023-01-D1 is 13.5 项; a count of items done is a whole number",
        ),
    ],
)
def test_counts_are_whole(
    target: str, value: float, unit: str | None, expected: str | None
) -> None:
    fields: dict[str, object] = {"target": target, "period": "2023-01-D1", "value": value}
    if unit is not None:
        fields["unit"] = unit
    found = said(counts_are_whole(figure(**fields), TARGETS[target]))
    assert found == ([] if expected is None else [("not-whole", expected)])


def test_the_seed_quantities_in_count_units_must_be_whole() -> None:
    for target_id, period, value, unit in (
        ("fortune500_projects", "2023-06", 0.5, "个"),
        ("cbd_buildings_delivered", "2023-W10", 0.3, "栋"),
    ):
        found = said(
            counts_are_whole(
                figure(target=target_id, period=period, value=value),
                seed_target("lixia", target_id),
            )
        )
        assert found == [
            (
                "not-whole",
                f"{target_id} {period} is {value} {unit}; a count in {unit} is a whole number",
            )
        ]


def test_an_items_count_is_at_most_its_unnamed_items() -> None:
    leader = seed_target("zhangqiu", "leader_contracted_projects")  # 122, none named
    at = figure(target=leader.id, period="2023-12", value=122)
    assert said(items_count_in_range(at, leader, 122)) == []
    over = figure(target=leader.id, period="2023-12", value=122.7)
    assert said(items_count_in_range(over, leader, 122.7)) == [
        ("count-range", "leader_contracted_projects 2023-12 is 122.7 项, more than its 122 items")
    ]
    land = seed_target("lixia", "land_expropriation")  # 8, two of them named
    assert (
        said(items_count_in_range(figure(target=land.id, period="2023-05", value=6), land, 6)) == []
    )
    assert said(
        items_count_in_range(figure(target=land.id, period="2023-05", value=7), land, 7)
    ) == [
        (
            "count-range",
            "land_expropriation 2023-05 is 7 项, more than its 6 unnamed items (8 in all; the 2 "
            "named ones are recorded by item)",
        )
    ]
    # Below zero is negative-count's to say; an item record is not a count.
    assert (
        said(items_count_in_range(figure(target=land.id, period="2023-05", value=-1), land, -1))
        == []
    )
    done = figure(target=land.id, item="sansu_plot", done=True)
    assert said(items_count_in_range(done, land, None)) == []


def test_figure_findings_run_every_rule_and_name_the_field_each_is_about() -> None:
    over = figure(target="innovation", period="2023-05", value=30.5)
    day = date(2023, 6, 30)
    assert figure_findings(over, TARGETS["innovation"], 2023, 30.5, day) == [
        Finding(
            "not-whole",
            "value",
            "innovation 2023-05 is 30.5 项; a count of items done is a whole number",
        ),
        Finding("count-range", "value", "innovation 2023-05 is 30.5 项, more than its 28 items"),
    ]
    late = figure(target="projects", item="north_plot", done=True, date="2022-12-01")
    assert figure_findings(late, TARGETS["projects"], 2023, None, day) == [
        Finding(
            "date-year", "date", "item 'north_plot' is dated 2022-12-01, outside the plan year 2023"
        )
    ]
    future = figure(target="innovation", period="2023-07", value=-1)
    assert figure_findings(future, TARGETS["innovation"], 2023, -1, day) == [
        Finding(
            "negative-count",
            "value",
            "innovation 2023-07 is -1 项; an amount or count cannot be negative",
        ),
        Finding("future-figure", "period", "innovation 2023-07 has not begun on 2023-06-30"),
    ]


def test_the_figure_rules_judge_the_winning_record_of_each_period_and_item() -> None:
    file = figure_file(
        record("innovation", "2023-01", 2.5)
        + record("innovation", "2023-01", 2)  # corrects the line above
        + record("innovation", "2023-02", 3.5)
        + "- {target: projects, item: north_plot, done: true, date: 2022-06-01}\n"
        + "- {target: projects, item: west_clearance, done: true, date: 2022-06-01}\n"
        + "- {target: projects, item: west_clearance, done: true, date: 2023-06-01}\n"
    )
    all_series = build_series(PLAN, EAST, file.records)[0]
    codes = ("date-year", "not-whole", "count-range")
    found = [
        *series_lines(file, all_series["innovation"], date(2023, 12, 31), *codes),
        *series_lines(file, all_series["projects"], date(2023, 12, 31), *codes),
    ]
    assert found == [
        "east.yaml:3:1: not-whole innovation 2023-02 is 3.5 项; a count of items done is a "
        "whole number",
        "east.yaml:4:1: date-year item 'north_plot' is dated 2022-06-01, outside the plan year 2023",
    ]


# --- the whole run -------------------------------------------------------------------------


def test_run_checks_on_a_plan_that_did_not_load_reports_only_what_it_can() -> None:
    parsed, _ = parse_yaml("year: 2023\ndistricts: [{id: a}, {id: a}]\n", "p.yaml")
    dataset = Dataset(None, "p.yaml", parsed, [figure_file("")], [])
    assert lines(check_dataset(dataset, date(2023, 6, 30))) == [
        "p.yaml:2:27: duplicate-id district id 'a' is already used on line 2"
    ]


def test_run_checks_names_the_districts_a_figure_file_may_be_for() -> None:
    dataset = Dataset(PLAN, "plan.yaml", PLAN_PARSED, [figure_file("", "north")], [])
    assert lines(check_dataset(dataset, date(2023, 6, 30))) == [
        "north.yaml:1:1: unknown-district the plan has no district 'north' (a figure file is "
        "named <district id>.yaml; the districts are: east, west)"
    ]


def test_run_checks_sorts_and_removes_repeats() -> None:
    file = figure_file(record("gdp", "2023-Q4", 1) + record("nope", "2023-Q1", 1))
    dataset = Dataset(PLAN, "plan.yaml", PLAN_PARSED, [file, file], [])
    assert lines(check_dataset(dataset, date(2023, 6, 30))) == [
        "east.yaml:1:1: future-figure gdp 2023-Q4 has not begun on 2023-06-30",
        "east.yaml:2:1: unknown-target east has no target 'nope' (it has: gdp, revenue, area, "
        "visits, projects, innovation)",
    ]


def test_run_checks_applies_the_figure_rules() -> None:
    file = figure_file(
        record("visits", "2023-01-D1", 0.5)
        + "- {target: projects, item: north_plot, done: true, date: 2024-01-01}\n"
    )
    dataset = Dataset(PLAN, "plan.yaml", PLAN_PARSED, [file], [])
    assert lines(check_dataset(dataset, date(2024, 6, 30))) == [
        "east.yaml:1:1: not-whole visits 2023-01-D1 is 0.5 家; a count in 家 is a whole number",
        "east.yaml:2:1: date-year item 'north_plot' is dated 2024-01-01, outside the plan year 2023",
    ]
