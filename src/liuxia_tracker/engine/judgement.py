"""The judgement of one target: its context, which figures count, goal, status, stale and notes.

Guarantees: pure. The rules are stated in `engine.variance`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from liuxia_tracker.domain.models import District, Plan, Settings, Target
from liuxia_tracker.domain.periods import Period, PeriodKind
from liuxia_tracker.engine.pace import due_share, exact, judged_on, periods_and_ends
from liuxia_tracker.engine.rows import STATUS_ORDER, Status
from liuxia_tracker.engine.series import Point, Series

# A plan's `lag_days` may name only some cadences; the others keep their documented default.
DEFAULT_LAG_DAYS = Settings().lag_days


@dataclass(frozen=True, slots=True)
class Context:
    plan: Plan
    district: District
    target: Target
    as_of: date
    day: date  # the judgement day
    year_end: date
    year_over: bool
    before_year: bool

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

    def share(self, through: date) -> Fraction:
        return due_share(self.target.pace, self.plan.year, through)


def context_for(plan: Plan, district: District, target: Target, as_of: date) -> Context:
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
    )


def counted_points(context: Context, series: Series) -> list[Point]:
    if context.before_year:
        return []
    if context.day == context.year_end:
        # Every period counted in the plan year begins by its last day (an ISO week of the
        # year by 28 December): all of them count.
        return series.points
    return [point for point in series.points if point.period.start <= context.day]


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


def is_met(qualifier: str, actual: Fraction, goal: Fraction) -> bool:
    return actual <= goal if qualifier == "at_most" else actual >= goal


def status_by_pace(qualifier: str, actual: Fraction, line: Fraction, band: Fraction) -> Status:
    if qualifier == "at_most":
        if actual <= line:
            return Status.ON_TRACK
        return Status.AT_RISK if actual <= line + band else Status.BEHIND
    if actual >= line:
        return Status.ON_TRACK
    return Status.AT_RISK if actual >= line - band else Status.BEHIND


def with_stale(pace_status: Status, stale_note: str | None) -> Status:
    """The worse of a pace status and stale: stale replaces on track, never at risk or behind."""
    if stale_note is None:
        return pace_status
    return min(pace_status, Status.STALE, key=STATUS_ORDER.__getitem__)


def joined(*notes: str | None) -> str | None:
    return "; ".join(note for note in notes if note is not None) or None


def year_over_note(context: Context, latest: Period | None, stale_note: str | None) -> str | None:
    """Which figure a year already over was judged on, when it does not cover 31 December
    (the stale note, when there is one, already names it)."""
    if not context.year_over or stale_note is not None:
        return None
    if latest is not None and latest.end >= context.year_end:
        return None
    return f"latest figure: {'none' if latest is None else latest}"


def first_figure_due(context: Context) -> bool:
    """Whether the figure for the first period of the target's cadence is due by `as_of`."""
    return stale_note_for(context, None) is not None


def stale_note_for(context: Context, latest: Period | None) -> str | None:
    """Why the target is stale, or None when the figure due by now is in."""
    cadence = PeriodKind(context.target.cadence)
    lag_days = context.plan.settings.lag_days
    lag = timedelta(days=lag_days.get(cadence.value, DEFAULT_LAG_DAYS[cadence.value]))
    periods, ends = periods_and_ends(cadence, context.plan.year)
    # The last period that ended at least `lag` before `as_of` (ends are in order).
    index = bisect.bisect_right(ends, context.as_of - lag) - 1
    due = periods[index] if index >= 0 else None
    if due is None or (latest is not None and latest.end >= due.end):
        return None
    shown = "none" if latest is None else str(latest)
    return f"the {due} figure was due by {due.end + lag}; latest: {shown}"


def amount_status(
    context: Context,
    actual: Fraction,
    expected: Fraction,
    goal: Fraction,
    stale_note: str | None,
) -> tuple[Status, str | None]:
    """The status of a quantity or items target that has data, and its note. `expected` is
    the pace line: the goal (for about, the band's lower edge) × the pace share to date."""
    qualifier = context.target.qualifier
    met = is_met(qualifier, actual, goal)
    if context.year_over:
        return (Status.ACHIEVED if met else Status.MISSED), stale_note
    if qualifier == "at_most" and not met:
        return Status.BEHIND, joined("cap exceeded", stale_note)
    if met and qualifier != "at_most":
        return Status.ACHIEVED, stale_note
    band = abs(expected) * context.at_risk_share
    return with_stale(status_by_pace(qualifier, actual, expected, band), stale_note), stale_note
