"""Which figures count on a day (`engine.known`): `counted_points` finds exactly the records the
rule finds one record at a time (`reference_counted_points`, the engine's earlier code, below),
over random logs with corrections, retractions, published dates and figures recorded while
their period ran, judged on every kind of day, on what was known then or by a later day."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from conftest import records_of
from liuxia_tracker.domain.models import Plan
from liuxia_tracker.domain.periods import Period, PeriodKind, periods_in_year
from liuxia_tracker.engine.judgement import context_for
from liuxia_tracker.engine.known import counted_points
from liuxia_tracker.engine.series import build_series
from reference_engine import reference_counted_points

FIRST = date(2023, 1, 1)


def _periods(cadence: str) -> list[Period]:
    """Periods a figure of a target reported by `cadence` may have (a year fits any cadence;
    a quarter and a half year fit a month)."""
    kinds = {"month": ["month", "quarter", "half", "year"], "week": ["week", "year"]}[cadence]
    return [period for kind in kinds for period in periods_in_year(PeriodKind(kind), 2023)]


def random_log(chooser: random.Random, cadence: str, size: int) -> list[dict[str, Any]]:
    """Figures of one target: a period chosen from a few (so corrections are common), a value
    or a retraction, recorded before, during or after the period (or not saying when), some
    published."""
    periods = chooser.sample(_periods(cadence), chooser.randint(1, 12))
    records: list[dict[str, Any]] = []
    for _ in range(size):
        period = chooser.choice(periods)
        record: dict[str, Any] = {"target": "output", "period": period.text}
        if records and chooser.random() < 0.15:
            record["retraction"] = "录错"
        else:
            record["value"] = chooser.randint(0, 900) / 10
        span = (period.end - period.start).days
        if chooser.random() < 0.9:
            day = period.start + timedelta(days=chooser.randint(-5, span + 40))
            record["recorded_at"] = f"{day}T09:00:00+08:00"
        if chooser.random() < 0.25:
            record["published"] = str(period.start + timedelta(days=chooser.randint(0, span + 40)))
        records.append(record)
    return records


def plan_for(cadence: str) -> Plan:
    output = {
        "id": "output",
        "name": "新增产值",
        "group": "重点项目",
        "kind": "quantity",
        "value": 365,
        "unit": "亿元",
        "cadence": cadence,
        "reported_as": "increment",
    }
    districts = [{"id": "lixia", "name": "历下区", "targets": [output]}]
    return Plan.model_validate({"year": 2023, "districts": districts})


def days(chooser: random.Random) -> list[tuple[date, date | None]]:
    """Days before, in and after the year; on what was known then, or by a later day."""
    asked = []
    for offset in range(-8, 380, 11):
        as_of = FIRST + timedelta(days=offset + chooser.randint(0, 10))
        known_by = None if chooser.random() < 0.6 else as_of + timedelta(chooser.randint(0, 45))
        asked.append((as_of, known_by))
    return asked


@pytest.mark.parametrize("cadence", ["month", "week"])
@pytest.mark.parametrize("build", ["replay", "revisions", "latest only"])
def test_the_figures_that_count_are_those_the_rule_counts(cadence: str, build: str) -> None:
    chooser = random.Random(f"{cadence} {build}")
    plan = plan_for(cadence)
    district = plan.districts[0]
    compared = 0
    for _ in range(120):
        log = random_log(chooser, cadence, chooser.randint(0, 40))
        if build == "latest only":  # without retractions, no superseded record is kept
            log = [record for record in log if "retraction" not in record]
        series, problems = build_series(
            plan,
            district,
            records_of(log),
            revisions=build != "latest only",
            replay=build == "replay",
        )
        assert problems == []
        output = series["output"]
        for as_of, known_by in days(chooser):
            context = context_for(plan, district, output.target, as_of, known_by)
            found = counted_points(context, output)
            expected = reference_counted_points(context, output)
            assert found == expected, (log, as_of, known_by)
            assert all(map(lambda a, b: a is b, found, expected))
            compared += len(expected)
    assert compared > 1000  # the logs are not all empty on the days asked about


def test_a_figure_recorded_while_its_period_ran_counts_from_that_day() -> None:
    plan = plan_for("month")
    district = plan.districts[0]
    log = [
        {"target": "output", "period": "2023-05", "value": 10},
        {
            "target": "output",
            "period": "2023-06",
            "value": 20,
            "recorded_at": "2023-06-10T09:00:00+08:00",
        },
        {"target": "output", "period": "2023-07", "value": 30, "published": "2023-06-20"},
    ]
    series = build_series(plan, district, records_of(log))[0]["output"]

    def values(as_of: date) -> list[float]:
        context = context_for(plan, district, series.target, as_of)
        return [point.value for point in counted_points(context, series)]

    assert values(date(2023, 6, 9)) == [10]
    assert values(date(2023, 6, 10)) == [10, 20]
    assert values(date(2023, 6, 20)) == [10, 20, 30]
