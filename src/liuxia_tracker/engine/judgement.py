"""The judgement of one target: its context, which figures count, goal, status, lateness, notes.

Guarantees: pure. The rules are stated in `engine.variance`, and this one here:

**Known by a later day.** A bulletin is judged at its period's end (`as_of`) on what was known
when it is issued (`known_by`, never before `as_of`): a figure of a period ended by `as_of`
counts once published by `known_by` (without `published`: always), a running period's figure
only if known on `as_of` itself, an item record once published or recorded by `known_by`
(dated ones: by their date, ≤ the judgement day). A figure is overdue when its period ended by
`as_of` and its lag had passed by `known_by`; an item when its due day is by `as_of` and before
`known_by`. Without `known_by` (as `tracker status` asks) it is `as_of`, and every rule reads as
`engine.variance` states it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache

from liuxia_tracker.domain.models import District, Plan, Settings, Target
from liuxia_tracker.domain.periods import Period, PeriodKind
from liuxia_tracker.engine.pace import ZERO, due_share, exact, judged_on, periods_and_ends
from liuxia_tracker.engine.rows import STATUS_ORDER, Status

# A plan's `lag_days` may name only some cadences; the others keep their documented default.
DEFAULT_LAG_DAYS = Settings().lag_days


@dataclass(frozen=True, slots=True)
class Context:
    plan: Plan
    district: District
    target: Target
    as_of: date  # the day asked about: pace is judged then, and figures for periods up to it count
    day: date  # the judgement day: as_of, or 31 December once the year is over
    year_end: date
    year_over: bool
    before_year: bool
    # The knowledge day: what was known by then counts and lateness is judged then; `as_of`
    # itself unless a later issue day is asked about (a bulletin judged at a period's end on
    # the figures known when it is issued).
    known_by: date | None = None

    @property
    def knowledge_day(self) -> date:
        return self.as_of if self.known_by is None else self.known_by

    @property
    def value(self) -> Fraction:
        return exact(self.target.value)

    @property
    def at_risk_share(self) -> Fraction:
        own = self.target.at_risk
        return exact(self.plan.settings.at_risk_share if own is None else own)

    @property
    def at_risk_points(self) -> Fraction:
        own = self.target.at_risk
        return exact(self.plan.settings.at_risk_points if own is None else own)

    @property
    def ahead_share(self) -> Fraction:
        return exact(self.plan.settings.ahead_share)

    @property
    def ahead_points(self) -> Fraction:
        return exact(self.plan.settings.ahead_points)

    @property
    def can_be_ahead(self) -> bool:
        """A cap (以内) and a two-sided 左右 are not better for being far above their line."""
        target = self.target
        return target.qualifier == "at_least" or (
            target.qualifier == "about" and target.over_band == "met"
        )

    def share(self, through: date) -> Fraction:
        return due_share(self.target.pace, self.plan.year, through)


def context_for(
    plan: Plan, district: District, target: Target, as_of: date, known_by: date | None = None
) -> Context:
    """The context of judging `target` at `as_of` on what was known by `known_by` (default:
    `as_of`; never before it)."""
    if known_by is not None and known_by < as_of:
        raise ValueError(f"known by {known_by} is before the judgement day {as_of}")
    year_end = date(plan.year, 12, 31)
    return Context(
        plan=plan,
        district=district,
        target=target,
        as_of=as_of,
        day=judged_on(plan.year, as_of),
        year_end=year_end,
        year_over=as_of >= year_end,
        before_year=as_of < date(plan.year, 1, 1),
        known_by=None if known_by == as_of else known_by,
    )


# -- goals and statuses -----------------------------------------------------------------------


def tolerance_of(context: Context) -> Fraction | None:
    target = context.target
    if target.qualifier != "about":
        return None
    if target.tolerance is not None:
        return exact(target.tolerance)
    settings = context.plan.settings
    if target.kind == "rate":
        return exact(settings.about_points)
    return exact(settings.about_share) * abs(context.value)


def goal_of(context: Context, tolerance: Fraction | None) -> Fraction:
    """What actual must reach (at_least, about) or stay within (at_most)."""
    return context.value - tolerance if tolerance is not None else context.value


def upper_of(context: Context, tolerance: Fraction | None) -> Fraction | None:
    """The band's upper edge of a two-sided 左右 (`over_band: miss`); None otherwise."""
    if tolerance is None or context.target.over_band != "miss":
        return None
    return context.value + tolerance


def is_met(qualifier: str, actual: Fraction, goal: Fraction, upper: Fraction | None = None) -> bool:
    if qualifier == "at_most":
        return actual <= goal
    return actual >= goal and (upper is None or actual <= upper)


def status_by_pace(
    qualifier: str,
    actual: Fraction,
    line: Fraction,
    band: Fraction,
    ahead_line: Fraction | None = None,
) -> Status:
    """At risk within `band` on the wrong side of the pace `line`, behind beyond it; ahead
    when `ahead_line` is given and actual is above it."""
    if qualifier == "at_most":
        if actual <= line:
            return Status.ON_TRACK
        return Status.AT_RISK if actual <= line + band else Status.BEHIND
    if actual >= line:
        if ahead_line is not None and actual > ahead_line:
            return Status.AHEAD
        return Status.ON_TRACK
    return Status.AT_RISK if actual >= line - band else Status.BEHIND


def over_band_status(actual: Fraction, upper: Fraction, band: Fraction) -> Status:
    """Above a two-sided band's upper edge: at risk within `band` of it, else behind."""
    return Status.AT_RISK if actual <= upper + band else Status.BEHIND


def with_stale(pace_status: Status, overdue: Overdue | None) -> Status:
    """The worse of a pace status and stale: stale replaces on track and ahead, never at risk
    or behind."""
    if overdue is None:
        return pace_status
    return min(pace_status, Status.STALE, key=STATUS_ORDER.__getitem__)


def joined(*notes: str | None) -> str | None:
    return "; ".join(note for note in notes if note is not None) or None


# -- lateness ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Overdue:
    """The latest figure of the cadence that is due (its period ended by the judgement day and
    at least the lag before the knowledge day) and not in."""

    period: Period
    due_by: date
    latest: Period | None

    @property
    def note(self) -> str:
        shown = "none" if self.latest is None else str(self.latest)
        return f"the {self.period} figure was due by {self.due_by}; latest: {shown}"


def overdue_figure(context: Context, latest: Period | None) -> Overdue | None:
    """The figure overdue, or None when the figure due by now is in."""
    cadence = context.target.cadence
    lag_days = context.plan.settings.lag_days.get(cadence, DEFAULT_LAG_DAYS[cadence])
    due, due_by = _due(cadence, lag_days, context.plan.year, context.as_of, context.knowledge_day)
    if due is None or (latest is not None and latest.end >= due.end):
        return None
    return Overdue(due, due_by, latest)


# Every target of a cadence is late by the same rule on the same days: each answer is found once.
@lru_cache(maxsize=1024)
def _due(
    cadence: str, lag_days: int, year: int, as_of: date, knowledge_day: date
) -> tuple[Period | None, date]:
    """The latest period of `cadence` whose figure is due, and the day it was due by."""
    lag = timedelta(days=lag_days)
    periods, ends = periods_and_ends(PeriodKind(cadence), year)
    # The last period that ended by the judgement day and at least `lag` before the knowledge
    # day (ends are in order); the same as `lag` before `as_of` when the two days are one.
    index = bisect.bisect_right(ends, min(as_of, knowledge_day - lag)) - 1
    if index < 0:
        return None, as_of
    return periods[index], periods[index].end + lag


def first_figure_due(context: Context) -> bool:
    """Whether the figure for the first period of the target's cadence is due by `as_of`."""
    return overdue_figure(context, None) is not None


def note_of(overdue: Overdue | None) -> str | None:
    return None if overdue is None else overdue.note


def year_over_note(context: Context, latest: Period | None, overdue: Overdue | None) -> str | None:
    """Which figure a year already over was judged on, when it does not cover 31 December
    (the overdue note, when there is one, already names it)."""
    if not context.year_over or overdue is not None:
        return None
    if latest is not None and latest.end >= context.year_end:
        return None
    return f"latest figure: {'none' if latest is None else latest}"


def amount_status(
    context: Context,
    actual: Fraction,
    expected: Fraction,
    tolerance: Fraction | None,
    overdue: Overdue | None,
) -> tuple[Status, str | None]:
    """The status of a quantity or items target that has data, and its note. `expected` is
    the pace line: the goal (for about, the band's lower edge) × the pace share it is measured
    at; the ahead line is the target's own pace line plus the ahead share of it."""
    qualifier = context.target.qualifier
    goal = goal_of(context, tolerance)
    upper = upper_of(context, tolerance)
    stale_note = note_of(overdue)
    met = is_met(qualifier, actual, goal, upper)
    if context.year_over:
        return (Status.ACHIEVED if met else Status.MISSED), stale_note
    if qualifier == "at_most" and not met:
        return Status.BEHIND, joined("cap exceeded", stale_note)
    if upper is not None and actual > upper:
        return Status.BEHIND, joined("above the band", stale_note)
    if met and qualifier != "at_most":
        return Status.ACHIEVED, stale_note
    # Only the side of the pace line actual is on needs its band (below) or ahead line (above).
    on_pace = actual <= expected if qualifier == "at_most" else actual >= expected
    band = ZERO if on_pace else abs(expected) * context.at_risk_share
    ahead_line = None
    if on_pace and context.can_be_ahead and goal:
        own_line = expected * context.value / goal  # the target's pace, not the band's edge
        ahead_line = own_line + abs(own_line) * context.ahead_share
    status = status_by_pace(qualifier, actual, expected, band, ahead_line)
    return with_stale(status, overdue), stale_note


def reported_periods_left(context: Context, through: date) -> int:
    """How many periods of the target's cadence in the plan year end after `through`."""
    return _periods_after(context.target.cadence, context.plan.year, through)


@lru_cache(maxsize=1024)
def _periods_after(cadence: str, year: int, through: date) -> int:
    _, ends = periods_and_ends(PeriodKind(cadence), year)
    return len(ends) - bisect.bisect_right(ends, through)
