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
from datetime import date
from operator import attrgetter
from typing import Any, NamedTuple

from liuxia_tracker.diagnostics import Diagnostic
from liuxia_tracker.domain.models import District, FigureRecord, Plan, Target
from liuxia_tracker.domain.periods import Period, PeriodKind, fits_cadence
from liuxia_tracker.domain.units import UnitError, conversion_factor, parse_unit
from liuxia_tracker.log.figures import FigureFile, Recorded


class Point(NamedTuple):
    """A figure in a series. A named tuple: a million are built, and a tuple is built fastest."""

    period: Period
    value: float  # in the target's unit
    line: int
    figure: FigureRecord
    # What the engine needs to replay a past day: when the figure was made public, and the
    # day it was recorded (its `recorded_at` as written, in its own timezone).
    published: date | None = None
    recorded: date | None = None


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


class _TargetReading:
    """What `build_series` works out once per target, not once per record."""

    __slots__ = ("cadence", "factors", "latest", "named_only", "series", "superseded", "target")

    def __init__(self, target: Target) -> None:
        self.target = target
        self.series = Series(target)
        self.cadence = PeriodKind(target.cadence)
        self.named_only = target.kind == "items" and len(target.items) >= target.value
        self.factors: dict[str | None, float | str] = {}  # by unit: factor, or why none
        # Keyed by the period's text, whose hash a str keeps (a Period computes its own): the
        # winning figure of each period so far and its value in the target's unit, and (when
        # revisions are kept) the ones it superseded, in file order.
        self.latest: dict[str, tuple[float, Recorded]] = {}
        self.superseded: dict[str, list[tuple[float, Recorded]]] = {}


def build_series(
    plan: Plan, district: District, file: FigureFile | None, *, revisions: bool = True
) -> tuple[dict[str, Series], list[Diagnostic]]:
    """Each target's series from a district's figure file, and a diagnostic for every record
    that cannot join one. `revisions=False` leaves `Series.revisions` empty (a report or a
    check does not look at superseded figures, and a million of them cost time to keep)."""
    readings = {target.id: _TargetReading(target) for target in district.targets}
    all_series = {target_id: reading.series for target_id, reading in readings.items()}
    problems: list[Diagnostic] = []
    if file is None:
        return all_series, problems
    # Whether a period fits a cadence and the plan year: the same for every target.
    verdicts: dict[tuple[PeriodKind, str], str | None] = {}
    for record in file.records:
        figure = record.figure
        reading = readings.get(figure.target)
        if reading is None:
            problems.append(
                _diagnostic(
                    file,
                    record,
                    "unknown-target",
                    f"{district.id} has no target {figure.target!r}"
                    + _did_you_mean(figure.target, readings),
                )
            )
            continue
        target = reading.target
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
                reading.series.items[figure.item] = record
            continue
        period = figure.period
        value = figure.value
        assert period is not None and value is not None
        key = period.text
        judged = (reading.cadence, key)
        verdict = verdicts.get(judged, _UNJUDGED)
        if verdict is _UNJUDGED:
            verdict = verdicts[judged] = _period_problem(plan.year, reading.cadence, period)
        if verdict is not None:
            problems.append(_period_diagnostic(file, record, verdict, plan, target, period))
            continue
        factor = reading.factors.get(figure.unit)
        if factor is None:
            factor = reading.factors[figure.unit] = _factor(figure.unit, target)
        if isinstance(factor, str):
            problems.append(_diagnostic(file, record, "unit-mismatch", factor))
            continue
        if reading.named_only:
            problems.append(
                _diagnostic(
                    file,
                    record,
                    "unknown-item",
                    f"every item of {target.id} is named: record them with `item:` and `done:`",
                )
            )
            continue
        if revisions:
            previous = reading.latest.get(key)
            if previous is not None:
                reading.superseded.setdefault(key, []).append(previous)
        reading.latest[key] = (value if factor == 1.0 else value * factor, record)
    for reading in readings.values():
        if not reading.latest:
            continue
        points = []
        for key, (converted, record) in reading.latest.items():
            period = record.figure.period
            assert period is not None
            points.append(_point(period, converted, record))
            superseded = reading.superseded.get(key)
            if superseded:
                reading.series.revisions[period] = [
                    _point(period, old_value, old) for old_value, old in superseded
                ]
        # By the day a figure runs through; of two that end the same day (`2023` and
        # `2023-12`), the one recorded later in the file is the later, so it wins as latest.
        points.sort(key=_PERIOD_ORDER)
        reading.series.points = points
    return all_series, problems


_PERIOD_ORDER = attrgetter("period.end", "line")


def _point(period: Period, value: float, record: Recorded) -> Point:
    figure = record.figure
    stamp = figure.recorded_at
    return Point(
        period,
        value,
        record.line,
        figure,
        figure.published,
        None if stamp is None else stamp.date(),
    )


_UNJUDGED: Any = object()


def _factor(unit: str | None, target: Target) -> float | str:
    """The factor from `unit` to the target's unit, or why there is none."""
    if unit is None:
        return 1.0
    try:
        return conversion_factor(parse_unit(unit), parse_unit(target.unit))
    except UnitError as error:
        return str(error)


def _period_problem(year: int, cadence: PeriodKind, period: Period) -> str | None:
    """Which rule a figure for `period` breaks in a series reported by `cadence`, if any."""
    if not fits_cadence(period, cadence):
        return "period-cadence"
    if period.year != year:
        return "period-year"
    return None


def _period_diagnostic(
    file: FigureFile, record: Recorded, code: str, plan: Plan, target: Target, period: Period
) -> Diagnostic:
    if code == "period-cadence":
        found = (
            "period-cadence",
            f"period {period} is a {period.kind.value}; {target.id} is reported by "
            f"{target.cadence}",
        )
    else:
        found = ("period-year", f"period {period} is outside the plan year {plan.year}")
    return _diagnostic(file, record, *found)
