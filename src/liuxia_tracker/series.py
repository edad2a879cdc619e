"""Figures matched to their plan targets: one series per target, latest record winning.

Guarantees: pure (no I/O). Each figure is matched to its target, its unit converted to the
target's unit, and its period checked against the target's cadence and the plan's year. For
each period the latest record in the file wins; the earlier ones are kept as revisions. Item
records keep the latest state per item. Every figure that cannot be matched yields a
diagnostic naming the rule it breaks, and is left out of the series.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.figures import FigureFile, Recorded
from liuxia_tracker.models import District, Figure, Plan, Target
from liuxia_tracker.periods import Period, PeriodKind, fits_cadence
from liuxia_tracker.units import UnitError, conversion_factor, parse_unit


@dataclass(frozen=True, slots=True)
class Point:
    period: Period
    value: float  # in the target's unit
    line: int
    figure: Figure


@dataclass
class Series:
    target: Target
    points: list[Point] = field(default_factory=list)  # latest per period, sorted by period
    revisions: dict[Period, list[Point]] = field(default_factory=dict)  # superseded points
    items: dict[str, Recorded] = field(default_factory=dict)  # latest record per named item

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _diagnostic(file: FigureFile, record: Recorded, code: str, message: str) -> Diagnostic:
    return Diagnostic(file.display, record.line, 1, code, message)


def build_series(
    plan: Plan, district: District, file: FigureFile | None
) -> tuple[dict[str, Series], list[Diagnostic]]:
    targets = {target.id: target for target in district.targets}
    all_series = {target.id: Series(target) for target in district.targets}
    problems: list[Diagnostic] = []
    if file is None:
        return all_series, problems
    latest: dict[str, dict[Period, Point]] = {target_id: {} for target_id in targets}
    factors: dict[tuple[str, str | None], float] = {}
    for record in file.records:
        figure = record.figure
        target = targets.get(figure.target)
        if target is None:
            problems.append(
                _diagnostic(
                    file,
                    record,
                    "unknown-target",
                    f"{district.id} has no target {figure.target!r}"
                    + _did_you_mean(figure.target, targets),
                )
            )
            continue
        series = all_series[target.id]
        if figure.item is not None:
            if target.kind != "items":
                problems.append(
                    _diagnostic(
                        file,
                        record,
                        "unknown-item",
                        f"{target.id} is a {target.kind} target; it has no items",
                    )
                )
            elif figure.item not in {item.id for item in target.items}:
                problems.append(
                    _diagnostic(
                        file,
                        record,
                        "unknown-item",
                        f"{target.id} has no item {figure.item!r}"
                        + _did_you_mean(figure.item, [item.id for item in target.items]),
                    )
                )
            else:
                series.items[figure.item] = record
            continue
        period = figure.period
        assert period is not None and figure.value is not None
        cadence = PeriodKind(target.cadence)
        if not fits_cadence(period, cadence):
            problems.append(
                _diagnostic(
                    file,
                    record,
                    "period-cadence",
                    f"period {period} is a {period.kind.value}; {target.id} is reported by {cadence.value}",
                )
            )
            continue
        if period.year != plan.year:
            problems.append(
                _diagnostic(
                    file,
                    record,
                    "period-year",
                    f"period {period} is outside the plan year {plan.year}",
                )
            )
            continue
        key = (target.id, figure.unit)
        factor = factors.get(key)
        if factor is None:
            try:
                factor = (
                    1.0
                    if figure.unit is None
                    else conversion_factor(parse_unit(figure.unit), parse_unit(target.unit))
                )
            except UnitError as error:
                problems.append(_diagnostic(file, record, "unit-mismatch", str(error)))
                continue
            factors[key] = factor
        if target.kind == "items" and len(target.items) >= target.value:
            problems.append(
                _diagnostic(
                    file,
                    record,
                    "unknown-item",
                    f"every item of {target.id} is named: record them with `item:` and `done:`",
                )
            )
            continue
        point = Point(period, figure.value * factor, record.line, figure)
        by_period = latest[target.id]
        previous = by_period.get(period)
        if previous is not None:
            series.revisions.setdefault(period, []).append(previous)
        by_period[period] = point
    for target_id, by_period in latest.items():
        all_series[target_id].points = sorted(by_period.values(), key=lambda p: p.period)
    return all_series, problems
