"""The report is the earlier engine's report: over random plans (every kind, qualifier,
cadence, pace and scoring method; categories, unranked districts, weights, items with and
without a counted remainder) and random logs (corrections, retractions, published dates,
figures recorded while their period ran, figures in other units, 快报 and levels), judged on
days before, in and after the year, on what was known then or by a later day, `build_report`
gives the report that the plain code of `reference_engine` gives."""

from __future__ import annotations

import io
import pickle
import random
from datetime import date, timedelta
from typing import Any

import pytest

from conftest import records_of
from liuxia_tracker.domain.models import Plan
from liuxia_tracker.domain.periods import PeriodKind, periods_in_year
from liuxia_tracker.engine.score import assemble_report, build_report, evaluate_district
from liuxia_tracker.engine.series import Series, build_series
from liuxia_tracker.engine.variance import Evaluated
from reference_engine import plain_engine, reference_build_report

FIRST = date(2023, 1, 1)
# A cadence, and the kinds of period a figure reported by it may have.
PERIOD_KINDS = {
    "day": ["day"],
    "week": ["week", "year"],
    "dekad": ["dekad", "year"],
    "month": ["month", "quarter", "half", "year"],
    "quarter": ["quarter", "half", "year"],
}
# A target's unit, and the units a figure for it may be written in.
UNITS = {
    "亿元": ["亿元", "万元"],
    "万平方米": ["万平方米", "平方米"],
    "栋": ["栋"],
    "万人次": ["万人次", "人次"],
}


def random_target(chooser: random.Random, number: int) -> dict[str, Any]:
    kind = chooser.choice(["rate", "quantity", "quantity", "items"])
    spec: dict[str, Any] = {
        "id": f"t{number}",
        "name": f"指标{number}",
        "group": chooser.choice(["经济指标", "重点项目"]),
        "kind": kind,
        "weight": chooser.choice([1, 1, 2, 0.5, 0]),
    }
    qualifier = chooser.choice(["at_least", "at_least", "about", "at_most"])
    if kind == "items":
        count = chooser.randint(1, 4)
        spec["items"] = [
            {
                "id": f"i{index}",
                "name": f"项目{index}",
                **(
                    {"due": str(FIRST + timedelta(chooser.randint(30, 360)))}
                    if chooser.random() < 0.7
                    else {}
                ),
            }
            for index in range(count)
        ]
        spec["value"] = count + chooser.choice([0, 0, 3])
        spec["cadence"] = "month"
        qualifier = chooser.choice(["at_least", "about"])
    elif kind == "rate":
        spec["value"] = chooser.choice([6, 17, 3.5, 0, -0.5])
        spec["unit"] = "%"
        spec["cadence"] = chooser.choice(["quarter", "month"])
    else:
        spec["value"] = chooser.choice([365, 12, 1500, 0.5, 80])
        spec["unit"] = chooser.choice(list(UNITS))
        spec["cadence"] = chooser.choice(list(PERIOD_KINDS))
        spec["reported_as"] = chooser.choice(["cumulative", "increment"])
        pace = chooser.random()
        if pace < 0.2:
            spec["pace"] = {"quarter": [0.1, 0.2, 0.3, 0.4]}
        elif pace < 0.35:
            spec["pace"] = {"month": [0.05] * 4 + [0.1] * 6 + [0.0, 0.2]}
    spec["qualifier"] = qualifier
    if qualifier == "about":
        if chooser.random() < 0.5:
            spec["tolerance"] = chooser.choice([0.5, 1, 10])
        if chooser.random() < 0.4:
            spec["over_band"] = "miss"
    if chooser.random() < 0.2:
        spec["at_risk"] = chooser.choice([0.05, 2])
    return spec


def random_plan(chooser: random.Random) -> Plan:
    targets = [random_target(chooser, number) for number in range(chooser.randint(3, 9))]
    districts = []
    for index in range(chooser.randint(2, 5)):
        district: dict[str, Any] = {"id": f"d{index}", "name": f"区{index}", "targets": targets}
        if chooser.random() < 0.5:
            district["category"] = chooser.choice(["中心城区", "外围区县"])
        if chooser.random() < 0.15:
            district["ranked"] = False
        districts.append(district)
    settings = {"scoring": chooser.choice(["capped", "all_or_nothing", "rank_points", "efficacy"])}
    return Plan.model_validate({"year": 2023, "settings": settings, "districts": districts})


def random_log(chooser: random.Random, plan: Plan) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for target in plan.districts[0].targets:
        kinds = PERIOD_KINDS[target.cadence]
        periods = [period for kind in kinds for period in periods_in_year(PeriodKind(kind), 2023)]
        periods = chooser.sample(periods, min(len(periods), chooser.randint(1, 40)))
        counted = target.kind != "items" or target.value > len(target.items)
        for _ in range(chooser.randint(0, 50) if counted else 0):
            period = chooser.choice(periods)
            record: dict[str, Any] = {"target": target.id, "period": period.text}
            if chooser.random() < 0.08:
                record["retraction"] = "录错"
            else:
                record["value"] = _value(chooser, target.kind)
                if target.kind == "quantity" and chooser.random() < 0.3:
                    record["unit"] = chooser.choice(UNITS[target.unit])
                if target.kind == "rate" and chooser.random() < 0.2:
                    record["level"] = f"{chooser.randint(1, 99999) / 10}亿元"
                if chooser.random() < 0.1:
                    record["provisional"] = True
            _dated(chooser, record, period.start, period.end)
            records.append(record)
        for item in target.items:
            for _ in range(chooser.randint(0, 3)):
                record = {"target": target.id, "item": item.id, "done": chooser.random() < 0.7}
                if chooser.random() < 0.1:
                    record = {"target": target.id, "item": item.id, "retraction": "录错"}
                elif chooser.random() < 0.5:
                    record["date"] = str(FIRST + timedelta(chooser.randint(0, 364)))
                start = FIRST + timedelta(chooser.randint(0, 364))
                _dated(chooser, record, start, start)
                records.append(record)
    chooser.shuffle(records)
    return records


def _value(chooser: random.Random, kind: str) -> float:
    if kind == "rate":
        return chooser.randint(-50, 250) / 10
    return chooser.choice([chooser.randint(0, 40), chooser.randint(0, 4000) / 100, 0.03, 1.28])


def _dated(chooser: random.Random, record: dict[str, Any], start: date, end: date) -> None:
    """Recorded before, during or after its period (or not saying when); some published."""
    span = (end - start).days
    if chooser.random() < 0.85:
        day = start + timedelta(chooser.randint(-3, span + 30))
        record["recorded_at"] = f"{day}T{chooser.randint(8, 20):02d}:00:00+08:00"
    if chooser.random() < 0.2:
        record["published"] = str(start + timedelta(chooser.randint(0, span + 30)))


def days_asked(chooser: random.Random) -> list[tuple[date, date | None]]:
    asked: list[tuple[date, date | None]] = [(date(2022, 12, 25), None), (date(2024, 2, 1), None)]
    for _ in range(5):
        as_of = FIRST + timedelta(chooser.randint(0, 364))
        later = as_of + timedelta(chooser.randint(1, 40))
        asked.append((as_of, later if chooser.random() < 0.4 else None))
    asked.append((date(2023, 12, 31), None))
    return asked


def random_series(
    chooser: random.Random, plan: Plan, *, replay: bool
) -> dict[str, dict[str, Series]]:
    series_by_district = {}
    for district in plan.districts:
        series, _ = build_series(
            plan, district, records_of(random_log(chooser, plan)), replay=replay
        )
        series_by_district[district.id] = series
    return series_by_district


@pytest.mark.parametrize("replay", [True, False], ids=["replay", "every revision"])
def test_the_report_is_the_plain_engines_report(replay: bool) -> None:
    chooser = random.Random(f"reports {replay}")
    rows = 0
    for _ in range(40):
        plan = random_plan(chooser)
        series_by_district = random_series(chooser, plan, replay=replay)
        for as_of, known_by in days_asked(chooser):
            report = build_report(plan, series_by_district, as_of, known_by)
            with plain_engine():
                expected = reference_build_report(plan, series_by_district, as_of, known_by)
            assert report == expected, (plan.settings.scoring, as_of, known_by)
            assert repr(report) == repr(expected)  # 0.0 and -0.0 too
            rows += len(report.rows)
    assert rows > 2000


class _RecordingUnpickler(pickle.Unpickler):
    """Notes every class a pickle names."""

    def __init__(self, data: bytes) -> None:
        super().__init__(io.BytesIO(data))
        self.classes: set[str] = set()

    def find_class(self, module: str, name: str) -> Any:
        self.classes.add(f"{module}.{name}")
        return super().find_class(module, name)


def test_districts_evaluated_apart_assemble_into_the_report() -> None:
    """Each district evaluated on its own (as another process would), its result pickled and
    read back, the results handed over in any order: the report is `build_report`'s. What a
    district's evaluation holds names no series, figure or period."""
    chooser = random.Random("districts apart")
    for _ in range(15):
        plan = random_plan(chooser)
        series_by_district = random_series(chooser, plan, replay=True)
        for as_of, known_by in days_asked(chooser)[:4]:
            received: dict[str, list[Evaluated]] = {}
            districts = list(plan.districts)
            chooser.shuffle(districts)
            for district in districts:
                evaluated = evaluate_district(
                    plan, district, series_by_district[district.id], as_of, known_by
                )
                unpickler = _RecordingUnpickler(pickle.dumps(evaluated))
                received[district.id] = unpickler.load()
                assert unpickler.classes <= SENT_CLASSES, unpickler.classes - SENT_CLASSES
            report = assemble_report(plan, received, as_of, known_by)
            assert report == build_report(plan, series_by_district, as_of, known_by)


SENT_CLASSES = {
    "datetime.date",
    "fractions.Fraction",
    "liuxia_tracker.engine.rows.ExpectedBasis",
    "liuxia_tracker.engine.rows.OverdueFigure",
    "liuxia_tracker.engine.rows.OverdueItem",
    "liuxia_tracker.engine.rows.Status",
    "liuxia_tracker.engine.rows.TargetRow",
    "liuxia_tracker.engine.variance.Evaluated",
}


def test_only_the_districts_given_are_reported_in_plan_order() -> None:
    chooser = random.Random("some districts")
    plan = random_plan(chooser)
    series_by_district = random_series(chooser, plan, replay=True)
    as_of = date(2023, 7, 31)
    chosen = [district for district in plan.districts if district.id != "d1"]
    evaluated = {
        district.id: evaluate_district(plan, district, series_by_district[district.id], as_of)
        for district in reversed(chosen)
    }
    report = assemble_report(plan, evaluated, as_of)
    subset = {district.id: series_by_district[district.id] for district in chosen}
    assert report == build_report(plan, subset, as_of)
    assert [summary.district_id for summary in report.districts] == [d.id for d in chosen]
