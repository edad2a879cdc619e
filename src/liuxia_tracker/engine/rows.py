"""The rows every renderer is fed: what the variance engine computed, and nothing else.

Guarantees: plain frozen values with no behaviour beyond formatting-free accessors, so every
output format shows the same numbers. Numbers are in the target's own unit (percent for rates,
and variance of a rate in percentage points); ratios are fractions (0.5 = 50%).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from liuxia_tracker.domain.models import Kind, QualifierName


class Status(StrEnum):
    """Worst first: the order renderers sort by when sorting by status."""

    MISSED = "missed"
    BEHIND = "behind"
    AT_RISK = "at_risk"
    STALE = "stale"
    NO_DATA = "no_data"
    ON_TRACK = "on_track"
    AHEAD = "ahead"  # 超进度: above pace by more than the ahead band
    ACHIEVED = "achieved"


STATUS_ORDER = {status: rank for rank, status in enumerate(Status)}


class ExpectedBasis(StrEnum):
    """What the expected-to-date figure is measured through."""

    LAST_PERIOD = "last_period"  # the end of the last reported period (序时进度 of the data)
    DUE_PERIOD = "due_period"  # a figure is overdue: the end of the latest period that is due
    YEAR_END = "year_end"  # the year is over: the whole goal
    AS_OF = "as_of"  # the as-of date (no figure yet, or items)
    TARGET = "target"  # rates: the target rate itself is due all year


@dataclass(frozen=True, slots=True)
class OverdueItem:
    id: str
    name: str
    owner: str | None
    leader: str | None
    due: date


@dataclass(frozen=True, slots=True)
class OverdueFigure:
    """The latest figure that is due and not in: its period, and the day it was due by."""

    period: str
    due_by: date


@dataclass(frozen=True, slots=True)
class TargetRow:
    district_id: str
    district_name: str
    district_name_en: str | None
    target_id: str
    name: str
    name_en: str | None
    group: str
    kind: Kind
    qualifier: QualifierName
    unit: str
    target: float
    tolerance: float | None  # the ± band of an `about` target, in the target's unit
    actual: float | None
    expected: float | None
    expected_basis: ExpectedBasis
    variance: float | None  # actual − expected (percentage points for rates)
    completion: float | None  # actual / target
    remaining: float | None  # target − actual (never below 0 for at_least)
    status: Status
    last_period: str | None  # the period of the latest figure used
    forecast: float | None  # year-end value at the current run-rate
    forecast_date: date | None  # quantities/items: the day the target is reached at that rate
    forecast_reached: bool | None  # False: not this year at this rate; None: not applicable
    owner: str | None
    leader: str | None
    weight: float
    score: float | None  # the target's score by the plan's scoring method (weight included)
    items_done: int | None = None
    items_total: int | None = None
    overdue_items: tuple[OverdueItem, ...] = ()
    note: str | None = None  # a short reason, e.g. why a target is stale
    overdue_figure: OverdueFigure | None = None  # the figure due and not in (逾期未报)
    schedule_gap: float | None = None  # 序时差: completion − share of the year due, in points
    needed_per_period: float | None = None  # 倒排: each remaining period's amount (or allowance)
    periods_left: int | None = None  # the periods of the cadence still to come
    level_value: float | None = None  # a rate figure's level (e.g. 1165.1), as recorded
    level_unit: str | None = None  # the level's unit (e.g. 亿元)
    cadence: str = "year"  # how often a figure is due: the periods `periods_left` counts
    provisional: bool = False  # the latest figure counted is a 快报 (provisional)


@dataclass(frozen=True, slots=True)
class DistrictSummary:
    district_id: str
    name: str
    name_en: str | None
    counts: dict[Status, int] = field(default_factory=dict)
    score: float | None = None  # weighted score by the plan's scoring method, over total weight
    rank: int | None = None  # 1 = best score within the district's category (ties share)
    category: str | None = None  # 差异化考核: the group the district is ranked within
    rank_total: int | None = None  # districts ranked in that category


@dataclass(frozen=True, slots=True)
class Report:
    year: int
    as_of: date
    rows: tuple[TargetRow, ...]
    districts: tuple[DistrictSummary, ...]
    ranked: int | None = None  # districts ranked in all (a filtered report shows fewer)
    known_by: date | None = None  # judged on what was known by this later day (a bulletin)
