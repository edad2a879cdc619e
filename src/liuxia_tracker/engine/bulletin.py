"""A bulletin's comparisons (月通报 / 季分析): two judgements of the same plan, the one at the
period's end and the previous period's, set side by side. Nothing is judged again here.

Guarantees: pure. Every number comes from the two `Report`s; what this module adds is:

- **Light (红黄绿灯)** of a target: green when on or ahead of pace (on track, ahead, achieved),
  yellow at risk, red behind, missed or overdue (stale); no light before anything is due (no
  data). **Red → yellow:** a target red in the previous bulletin and on pace now shows yellow
  (recovering), not green: it turns green only once it has stayed on pace through a full
  period, i.e. when the previous bulletin was not red either. An achieved target is green
  whatever came before (it is done).
- **Status changes:** newly behind (behind or missed now, neither before) and recovered (red
  before, on pace now).
- **Rank change** of a district: previous rank − current rank (+2 is up two places, ↑2), with
  competition ranks (ties share a rank, 1, 1, 3) as `engine.score` gives them; none when either
  bulletin left the district unranked.
- **Progress path** of a quantity target: its actual at each month's end through the judgement
  day, and its pace line (target × the pace share due), for the charts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from liuxia_tracker.domain.models import Plan
from liuxia_tracker.domain.periods import Period, PeriodKind, periods_in_year
from liuxia_tracker.engine.pace import due_share, exact
from liuxia_tracker.engine.rows import DistrictSummary, Report, Status, TargetRow
from liuxia_tracker.engine.score import build_report
from liuxia_tracker.engine.series import Series


class Light(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


GREEN_STATUSES = frozenset({Status.ON_TRACK, Status.AHEAD, Status.ACHIEVED})
RED_STATUSES = frozenset({Status.BEHIND, Status.MISSED, Status.STALE})
BEHIND_STATUSES = frozenset({Status.BEHIND, Status.MISSED})


def base_light(status: Status) -> Light | None:
    """Today's light from today's status alone; None before anything is due (no data)."""
    if status in GREEN_STATUSES:
        return Light.GREEN
    if status is Status.AT_RISK:
        return Light.YELLOW
    if status in RED_STATUSES:
        return Light.RED
    return None


def light_of(status: Status, previous: Status | None) -> Light | None:
    """The light with the red → yellow rule: on pace now after red last time is yellow."""
    light = base_light(status)
    if (
        light is Light.GREEN
        and status is not Status.ACHIEVED
        and previous is not None
        and base_light(previous) is Light.RED
    ):
        return Light.YELLOW
    return light


@dataclass(frozen=True, slots=True)
class TargetChange:
    row: TargetRow
    previous: TargetRow | None
    light: Light | None

    @property
    def recovering(self) -> bool:
        """Yellow only because it was red last time (the red → yellow rule)."""
        return self.light is Light.YELLOW and base_light(self.row.status) is Light.GREEN

    @property
    def newly_behind(self) -> bool:
        before = None if self.previous is None else self.previous.status
        return self.row.status in BEHIND_STATUSES and before not in BEHIND_STATUSES

    @property
    def recovered(self) -> bool:
        return (
            self.previous is not None
            and self.previous.status in RED_STATUSES
            and self.row.status in GREEN_STATUSES
        )


@dataclass(frozen=True, slots=True)
class DistrictStanding:
    summary: DistrictSummary
    previous: DistrictSummary | None
    lights: dict[Light, int]

    @property
    def rank_change(self) -> int | None:
        """Places gained since the previous bulletin (negative: lost); None when unranked."""
        if self.previous is None or self.previous.rank is None or self.summary.rank is None:
            return None
        return self.previous.rank - self.summary.rank


@dataclass(frozen=True, slots=True)
class Comparison:
    targets: tuple[TargetChange, ...]  # the current report's rows, in its order
    districts: tuple[DistrictStanding, ...]
    counts: dict[Status, int]
    previous_counts: dict[Status, int] | None  # None: no previous bulletin to compare with

    @property
    def newly_behind(self) -> tuple[TargetChange, ...]:
        return tuple(change for change in self.targets if change.newly_behind)

    @property
    def recovered(self) -> tuple[TargetChange, ...]:
        return tuple(change for change in self.targets if change.recovered)


def rank_changes(
    current: dict[str, int | None], previous: dict[str, int | None]
) -> dict[str, int | None]:
    """Places gained per key (previous − current); None when either rank is missing."""
    changes: dict[str, int | None] = {}
    for key, rank in current.items():
        before = previous.get(key)
        changes[key] = None if rank is None or before is None else before - rank
    return changes


def compare(current: Report, previous: Report | None) -> Comparison:
    """The current report against the previous one (None: nothing to compare with)."""
    before_rows = {} if previous is None else {_key(row): row for row in previous.rows}
    before_districts = (
        {} if previous is None else {summary.district_id: summary for summary in previous.districts}
    )
    targets = []
    for row in current.rows:
        before = before_rows.get(_key(row))
        light = light_of(row.status, None if before is None else before.status)
        targets.append(TargetChange(row, before, light))
    districts = []
    for summary in current.districts:
        lights = dict.fromkeys(Light, 0)
        for change in targets:
            if change.row.district_id == summary.district_id and change.light is not None:
                lights[change.light] += 1
        districts.append(
            DistrictStanding(summary, before_districts.get(summary.district_id), lights)
        )
    return Comparison(
        tuple(targets),
        tuple(districts),
        _counts(current.rows),
        None if previous is None else _counts(previous.rows),
    )


def _key(row: TargetRow) -> tuple[str, str]:
    return (row.district_id, row.target_id)


def _counts(rows: Sequence[TargetRow]) -> dict[Status, int]:
    counts = dict.fromkeys(Status, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


# -- progress paths, for the charts -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PathPoint:
    day: date
    actual: float | None  # the actual judged that day on what was known by the issue day
    pace: float  # the target × the pace share due by that day


def progress_paths(
    plan: Plan,
    series_by_district: dict[str, dict[str, Series]],
    judged: date,
    known_by: date,
) -> dict[tuple[str, str], tuple[PathPoint, ...]]:
    """Per (district, quantity target): its actual at each month's end before the judgement
    day and at the judgement day itself, each judged on what was known by `known_by`, beside
    the pace line, from 1 January (0, 0)."""
    days = [
        month.end for month in periods_in_year(PeriodKind.MONTH, plan.year) if month.end < judged
    ]
    days.append(judged)
    reports = [build_report(plan, series_by_district, day, known_by) for day in days]
    targets = {
        (district.id, target.id): target
        for district in plan.districts
        if district.id in series_by_district
        for target in district.targets
        if target.kind == "quantity"
    }
    paths: dict[tuple[str, str], list[PathPoint]] = {
        key: [PathPoint(date(plan.year, 1, 1), 0.0, 0.0)] for key in targets
    }
    for day, report in zip(days, reports, strict=True):
        for row in report.rows:
            key = _key(row)
            if key in targets:
                target = targets[key]
                pace = float(exact(target.value) * due_share(target.pace, plan.year, day))
                paths[key].append(PathPoint(day, row.actual, pace))
    return {key: tuple(points) for key, points in paths.items()}


# -- the bulletin: what a renderer is given ---------------------------------------------------


class Grouping(StrEnum):
    """How sections 三–五 (lagging, overdue, next steps) are grouped."""

    DISTRICT = "district"
    OWNER = "owner"
    LEADER = "leader"


@dataclass(frozen=True, slots=True)
class Bulletin:
    period: Period
    issued: date
    report: Report  # judged at the period's end, on what was known by `issued`
    compare_period: Period
    compare_issued: date
    previous: Report | None  # None: the compare period is outside the plan year
    comparison: Comparison
    paths: dict[tuple[str, str], tuple[PathPoint, ...]]
    grouping: Grouping
    plan_title: str | None
    plan_source: str | None

    @property
    def judged(self) -> date:
        return self.period.end
