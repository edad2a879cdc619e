"""The variance engine: actual, expected (序时进度), variance, status, forecast and score.

Guarantees: pure functions over validated models (no I/O, no printing, no clock: the as-of day
is an argument). Arithmetic is exact: every number is read as the decimal it is written as
(`Fraction(repr(x))`, so 6.5 − 0.5 is exactly 6) and computed in `Fraction`s; the row gets the
correctly rounded float. (A series' own figures are summed and compared as `Decimal`s in a
context that refuses to round, which is the same exact arithmetic, only faster; should it ever
have to round, the `Fraction` way is taken.) Nothing is rounded for display here; renderers
round.

Semantics, as of a day `as_of`, for a plan of year Y:

- **Judgement day.** A year already over is judged at its end: the judgement day is
  `min(as_of, Y-12-31)`, and it is the report's `as_of` (a report of 2023 asked for on
  2024-03-31 is "as of 2023-12-31"). Only figures whose period has begun by the judgement day
  count (the same rule as the `future-figure` check), and item records dated after it are
  ignored, so a report as of an earlier day replays what was known then. Before 1 January of Y
  nothing counts: every target has no data and quantities expect 0. The year is *over* when
  `as_of` ≥ Y-12-31. Lateness is the one thing judged against the real `as_of`, not the
  judgement day: whether a figure is overdue (stale, and the no-data score below) and whether a
  named item is overdue, since a figure or item can still be late after the year is over.
- **Pace (序时进度).** The share of the year due by a day: `linear` is days elapsed (1 January
  through the day, inclusive) over the days in the year, leap years included; a monthly or
  quarterly profile is the sum of the weights of the months (quarters) already complete plus
  the current one's weight × the share of its days elapsed, over the sum of all weights.
- **Rate** (year-on-year %, reported year-to-date). actual = the latest period's rate;
  expected = the target itself (basis `target`); variance = actual − target in percentage
  points; the forecast is the latest rate (the year-to-date rate is the best estimate of the
  full-year rate). `以上` at_least: on track if actual ≥ target, at risk if within the at-risk
  band below (target `at_risk`, else `settings.at_risk_points`), else behind. `左右` about: met
  from target − tolerance upwards (target `tolerance`, else `settings.about_points`); exceeding
  the band is not a failure and counts as met; below the band the at-risk band applies to the
  band's lower edge. `以内` at_most mirrors at_least (on track if actual ≤ target, at risk
  within the band above). Once the year is over, a rate met by the latest figure in hand is
  achieved and any other missed, whatever period that figure covers (see **Year over**).
- **Quantity** (an amount accumulating to a year-end total). actual = the latest cumulative
  figure, or the sum of the increments. The *goal* is the target, except for about: the
  tolerance band's lower edge, target − tolerance (target `tolerance` in the target's unit, else
  `settings.about_share` × target). expected = goal × the pace share due by the end of the last
  reported period (basis `last_period`); with no figure, by the judgement day (basis `as_of`):
  expected is always the pace line the status is judged against, so for about it is the lower
  edge's pace, not the target's. variance = actual − expected. at_least and about: achieved as
  soon as actual ≥ goal (any day; for about, above the band too); on track if actual ≥
  expected; at risk if actual ≥ expected − |expected| × the at-risk share (target `at_risk`,
  else `settings.at_risk_share`); else behind. at_most (a cap): on track while actual ≤
  expected, at risk within the at-risk share above it, behind above that or once the cap itself
  is exceeded (note "cap exceeded"). Once the year is over: achieved if the goal is met (at_most:
  actual ≤ cap), else missed (see **Year over**).
- **Items** (a list of things, each done or not). actual = named items done (latest record per
  item) + the latest count reported for the unnamed remainder (`value` − named items).
  expected = goal × the pace share due by the judgement day (basis `as_of`; linear unless the
  target gives a profile; the goal as for quantities). Statuses as for quantities. Overdue
  items: named items not done whose `due` is before `as_of`, with owner and leader.
- **Year over.** Once `as_of` ≥ Y-12-31, every target with data is achieved if the figures in
  hand meet its goal and missed if not, whatever period the latest figure covers: a plan year
  does not wait for late figures. When that figure does not cover 31 December, the note names
  it ("latest figure: 2023-09"), unless a stale note (below) already does. A later figure, once
  recorded, can change the judgement.
- **Stale.** A target reported by periods is stale when the last period of its cadence counted
  in the plan year that ended at least `settings.lag_days[cadence]` days before `as_of` ends
  after the latest figure's period (a coarser figure, e.g. a quarter for a monthly cadence,
  covers through its end). The status shown is the worse of the pace status and stale (worst
  first: behind, at risk, stale, on track), so stale replaces on track only; achieved, missed
  and no data stay. Whenever a figure is overdue, the note says which and by when ("the 2023-05
  figure was due by 2023-06-20; latest: 2023-04"), whatever the status shown; a capped target
  over its cap has "cap exceeded; " before it. An items target whose items are all named has no
  count to be late on; it is never stale and has no such note. A cadence the plan's `lag_days`
  leaves out keeps its default lag (day 1, week 3, dekad 5, month 20, quarter 30, year 90 days).
- **No data.** No figure (and, for items, no item record) counts: status no data; expected is
  still shown; actual, variance, completion, remaining and forecast are empty. The score is
  empty until the first figure of the target's cadence is overdue (`as_of` ≥ the end of the
  cadence's first period in Y + its lag: the day a target would turn stale; for an items target
  too, by its `cadence`, even when all its items are named), and 0 from that day on.
- **completion** = actual / target (empty when the target is 0). **remaining** = target −
  actual, never below 0 for at_least; for about and at_most it is signed (negative: above the
  target or over the cap).
- **Forecast.** Quantities: year-end value = actual / pace share covered (the share due by the
  end of the last reported period). The day the target is reached is the first day whose pace
  share × that year-end value reaches the target (linear: target ÷ the daily rate, counted from
  1 January), or "not this year" (`forecast_reached` False) when the year-end value falls short.
  A target already reached reports the end of the first period whose year-to-date total reached
  it. For about the day is when the band's lower edge is reached; for at_most, when the cap is.
  Items: the same on the done count, with the share due by the judgement day; the year-end value
  is at most the number of items; a list already complete reports no day. Rates: see above.
- **Score.** Each target with data scores min(ratio, `settings.score_cap`) × weight, where the
  ratio is the completion (clamped at 0) for at_least and about; for at_most it is 1 while
  actual ≤ cap and 1 − (actual − cap) / |cap| above it (0 at twice the cap, never below 0); a
  target of 0 scores 1 if met, else 0. A target without data scores 0 once its first figure is
  overdue (see **No data**), so not reporting never raises a score. A district's score is
  Σ scores / Σ weights of its scored targets (empty if none is scored). Mid-year, a quantity's
  completion is its share of the year's total, so compare districts on the same day.
  Districts are ranked by score, highest first, ties broken by district id; a district
  without a score has no rank. Rows and districts keep the plan's order.
- **Which districts.** `build_report` reports the plan's districts that are keys of
  `series_by_district` (a caller picks districts by building their series);
  `summarize_districts` summarizes and ranks the districts that have rows among those given,
  so a filtered report counts only the rows it shows.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Context, Decimal, DecimalException, Inexact, localcontext
from fractions import Fraction
from functools import lru_cache

from liuxia_tracker.domain.models import District, Pace, Plan, Settings, Target
from liuxia_tracker.domain.periods import (
    Period,
    PeriodKind,
    days_in_year,
    periods_in_year,
    share_of_year_elapsed,
)
from liuxia_tracker.engine.rows import (
    STATUS_ORDER,
    DistrictSummary,
    ExpectedBasis,
    OverdueItem,
    Report,
    Status,
    TargetRow,
)
from liuxia_tracker.engine.series import Point, Series

_ZERO = Fraction(0)
_ONE = Fraction(1)
# A plan's `lag_days` may name only some cadences; the others keep their documented default.
_DEFAULT_LAG_DAYS = Settings().lag_days


@lru_cache(maxsize=1 << 16)
def exact(value: float) -> Fraction:
    """A number as the decimal it is written as: exact(0.1) == Fraction(1, 10)."""
    return Fraction(repr(float(value)))


# Decimal arithmetic that never rounds: any float written out (17 digits, exponents within
# ±324) and any sum of them fit these digits; a result that would not raises `Inexact`.
_EXACT_DECIMALS = Context(prec=4000, Emax=100_000, Emin=-100_000, traps=[Inexact])


def _decimal(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def _exact_sum(values: Iterable[float], decimals: list[Decimal] | None = None) -> Fraction:
    """The exact sum of the decimals the values are written as; `decimals`, when given, is
    filled with those decimals, for a caller that needs them again."""
    listed = list(values)
    try:
        with localcontext(_EXACT_DECIMALS):
            written = [_decimal(value) for value in listed]
            total = sum(written, Decimal(0))
    except DecimalException:  # pragma: no cover - the context holds any sum of floats
        return sum((exact(value) for value in listed), _ZERO)
    if decimals is not None:
        decimals.extend(written)
    return Fraction(total)


def judged_on(year: int, as_of: date) -> date:
    """The day a plan of `year` is judged at: `as_of`, or 31 December once the year is over."""
    return min(as_of, date(year, 12, 31))


def due_share(pace: Pace, year: int, through: date) -> Fraction:
    """The share of the year's target that `pace` has due by the end of `through` (0 to 1)."""
    if pace.is_linear:
        return share_of_year_elapsed(year, through)
    if through < date(year, 1, 1):
        return _ZERO
    if through >= date(year, 12, 31):
        return _ONE
    if pace.month is not None:
        profile = _profile(PeriodKind.MONTH, tuple(pace.month), year)
    else:
        assert pace.quarter is not None
        profile = _profile(PeriodKind.QUARTER, tuple(pace.quarter), year)
    if not profile.total:
        return _ZERO
    index = bisect.bisect_left(profile.ends, through)  # the period `through` falls in
    due = profile.before[index]
    period = profile.periods[index]
    if through < period.end:
        elapsed = (through - period.start).days + 1
        due += profile.weights[index] * Fraction(elapsed, profile.lengths[index])
    else:
        due += profile.weights[index]
    return due / profile.total


@dataclass(frozen=True, slots=True)
class _Profile:
    """A pace profile's exact weights for one year, with what is due before each period."""

    periods: tuple[Period, ...]
    ends: tuple[date, ...]
    lengths: tuple[int, ...]
    weights: tuple[Fraction, ...]
    before: tuple[Fraction, ...]  # the sum of the weights of the periods before each
    total: Fraction


@lru_cache(maxsize=256)
def _profile(kind: PeriodKind, weights: tuple[float, ...], year: int) -> _Profile:
    periods = tuple(periods_in_year(kind, year))
    exact_weights = tuple(exact(weight) for weight in weights)
    before = []
    running = _ZERO
    for weight in exact_weights:
        before.append(running)
        running += weight
    return _Profile(
        periods,
        tuple(period.end for period in periods),
        tuple((period.end - period.start).days + 1 for period in periods),
        exact_weights,
        tuple(before),
        running,
    )


def first_day_due(pace: Pace, year: int, share: Fraction) -> date | None:
    """The first day of `year` by which `pace` has at least `share` due; None if share > 1."""
    if share > _ONE:
        return None
    first = date(year, 1, 1)
    low, high = 0, days_in_year(year) - 1  # day offsets from 1 January
    while low < high:
        middle = (low + high) // 2
        if due_share(pace, year, first + timedelta(days=middle)) >= share:
            high = middle
        else:
            low = middle + 1
    return first + timedelta(days=low)


@dataclass(frozen=True, slots=True)
class _Context:
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


@dataclass(frozen=True, slots=True)
class _Outcome:
    status: Status
    expected: Fraction | None
    basis: ExpectedBasis
    actual: Fraction | None = None
    tolerance: Fraction | None = None
    last_period: Period | None = None
    forecast: Fraction | None = None
    forecast_date: date | None = None
    forecast_reached: bool | None = None
    items_done: int | None = None
    items_total: int | None = None
    overdue_items: tuple[OverdueItem, ...] = ()
    note: str | None = None
    # No data although the first figure of the target's cadence is due: it scores 0.
    scores_zero: bool = False


def _context(plan: Plan, district: District, target: Target, as_of: date) -> _Context:
    year_end = date(plan.year, 12, 31)
    return _Context(
        plan=plan,
        district=district,
        target=target,
        as_of=as_of,
        day=judged_on(plan.year, as_of),
        year_end=year_end,
        year_over=as_of >= year_end,
        before_year=as_of < date(plan.year, 1, 1),
    )


def _counted_points(context: _Context, series: Series) -> list[Point]:
    if context.before_year:
        return []
    if context.day == context.year_end:
        # Every period counted in the plan year begins by its last day (an ISO week of the
        # year by 28 December): all of them count.
        return series.points
    return [point for point in series.points if point.period.start <= context.day]


def _tolerance(context: _Context) -> Fraction | None:
    target = context.target
    if target.qualifier != "about":
        return None
    if target.tolerance is not None:
        return exact(target.tolerance)
    settings = context.plan.settings
    if target.kind == "rate":
        return exact(settings.about_points)
    return exact(settings.about_share) * abs(context.value)


def _goal(context: _Context, tolerance: Fraction | None) -> Fraction:
    """What actual must reach (at_least, about) or stay within (at_most)."""
    return context.value - tolerance if tolerance is not None else context.value


def _met(qualifier: str, actual: Fraction, goal: Fraction) -> bool:
    return actual <= goal if qualifier == "at_most" else actual >= goal


def _pace_status(qualifier: str, actual: Fraction, line: Fraction, band: Fraction) -> Status:
    if qualifier == "at_most":
        if actual <= line:
            return Status.ON_TRACK
        return Status.AT_RISK if actual <= line + band else Status.BEHIND
    if actual >= line:
        return Status.ON_TRACK
    return Status.AT_RISK if actual >= line - band else Status.BEHIND


def _with_stale(pace_status: Status, stale_note: str | None) -> Status:
    """The worse of a pace status and stale: stale replaces on track, never at risk or behind."""
    if stale_note is None:
        return pace_status
    return min(pace_status, Status.STALE, key=STATUS_ORDER.__getitem__)


def _joined(*notes: str | None) -> str | None:
    return "; ".join(note for note in notes if note is not None) or None


def _year_over_note(context: _Context, latest: Period | None, stale_note: str | None) -> str | None:
    """Which figure a year already over was judged on, when it does not cover 31 December
    (the stale note, when there is one, already names it)."""
    if not context.year_over or stale_note is not None:
        return None
    if latest is not None and latest.end >= context.year_end:
        return None
    return f"latest figure: {'none' if latest is None else latest}"


def _first_figure_due(context: _Context) -> bool:
    """Whether the figure for the first period of the target's cadence is due by `as_of`."""
    return _stale_note(context, None) is not None


def _stale_note(context: _Context, latest: Period | None) -> str | None:
    """Why the target is stale, or None when the figure due by now is in."""
    cadence = PeriodKind(context.target.cadence)
    lag_days = context.plan.settings.lag_days
    lag = timedelta(days=lag_days.get(cadence.value, _DEFAULT_LAG_DAYS[cadence.value]))
    periods, ends = _periods_and_ends(cadence, context.plan.year)
    # The last period that ended at least `lag` before `as_of` (ends are in order).
    index = bisect.bisect_right(ends, context.as_of - lag) - 1
    due = periods[index] if index >= 0 else None
    if due is None or (latest is not None and latest.end >= due.end):
        return None
    shown = "none" if latest is None else str(latest)
    return f"the {due} figure was due by {due.end + lag}; latest: {shown}"


@lru_cache(maxsize=64)
def _periods_and_ends(kind: PeriodKind, year: int) -> tuple[tuple[Period, ...], tuple[date, ...]]:
    periods = tuple(periods_in_year(kind, year))
    return periods, tuple(period.end for period in periods)


def _reached_on(
    context: _Context,
    points: Sequence[Point],
    goal: Fraction,
    decimals: Sequence[Decimal] | None = None,
) -> date | None:
    """The end of the first period whose year-to-date total reached `goal`. `decimals` are the
    points' values as decimals, when already at hand."""
    increments = context.target.reported_as == "increment"
    try:
        with localcontext(_EXACT_DECIMALS):
            line = Decimal(goal.numerator) / Decimal(goal.denominator)  # exact, or Inexact
            total = Decimal(0)
            values = decimals if decimals is not None else (_decimal(p.value) for p in points)
            for point, value in zip(points, values, strict=True):
                total = total + value if increments else value
                if total >= line:
                    return min(point.period.end, context.year_end)
        return None
    except DecimalException:  # a goal with no exact decimal (not one of the plan's numbers)
        pass
    running = _ZERO
    for point in points:
        amount = exact(point.value)
        running = running + amount if increments else amount
        if running >= goal:
            return min(point.period.end, context.year_end)
    return None


def _run_rate_forecast(
    context: _Context, actual: Fraction, share: Fraction, goal: Fraction
) -> tuple[Fraction | None, date | None, bool | None]:
    """Year-end value at the run-rate, and the day `goal` is reached at it (or not this year)."""
    if share <= _ZERO:
        return None, None, None
    year_end_value = actual / share
    if year_end_value < goal:
        return year_end_value, None, False
    return (
        year_end_value,
        first_day_due(context.target.pace, context.plan.year, goal / year_end_value),
        True,
    )


def _evaluate_rate(context: _Context, points: Sequence[Point]) -> _Outcome:
    target = context.target
    tolerance = _tolerance(context)
    if not points:
        stale_note = _stale_note(context, None)
        return _Outcome(
            Status.NO_DATA,
            context.value,
            ExpectedBasis.TARGET,
            tolerance=tolerance,
            note=stale_note,
            scores_zero=stale_note is not None,
        )
    latest = points[-1]
    actual = exact(latest.value)
    goal = _goal(context, tolerance)
    stale_note = _stale_note(context, latest.period)
    if context.year_over:
        status = Status.ACHIEVED if _met(target.qualifier, actual, goal) else Status.MISSED
    else:
        pace_status = _pace_status(target.qualifier, actual, goal, context.at_risk_points)
        status = _with_stale(pace_status, stale_note)
    note = _joined(stale_note, _year_over_note(context, latest.period, stale_note))
    return _Outcome(
        status,
        context.value,
        ExpectedBasis.TARGET,
        actual=actual,
        tolerance=tolerance,
        last_period=latest.period,
        forecast=actual,
        note=note,
    )


def _amount_status(
    context: _Context,
    actual: Fraction,
    expected: Fraction,
    goal: Fraction,
    stale_note: str | None,
) -> tuple[Status, str | None]:
    """The status of a quantity or items target that has data, and its note. `expected` is
    the pace line: the goal (for about, the band's lower edge) × the pace share to date."""
    qualifier = context.target.qualifier
    met = _met(qualifier, actual, goal)
    if context.year_over:
        return (Status.ACHIEVED if met else Status.MISSED), stale_note
    if qualifier == "at_most" and not met:
        return Status.BEHIND, _joined("cap exceeded", stale_note)
    if met and qualifier != "at_most":
        return Status.ACHIEVED, stale_note
    band = abs(expected) * context.at_risk_share
    return _with_stale(_pace_status(qualifier, actual, expected, band), stale_note), stale_note


def _evaluate_quantity(context: _Context, points: Sequence[Point]) -> _Outcome:
    target = context.target
    tolerance = _tolerance(context)
    goal = _goal(context, tolerance)
    if not points:
        stale_note = _stale_note(context, None)
        return _Outcome(
            Status.NO_DATA,
            goal * context.share(context.day),
            ExpectedBasis.AS_OF,
            tolerance=tolerance,
            note=stale_note,
            scores_zero=stale_note is not None,
        )
    latest = points[-1]
    decimals: list[Decimal] = []  # the increments as decimals, for the day the goal is reached
    if target.reported_as == "increment":
        actual = _exact_sum((point.value for point in points), decimals)
    else:
        actual = exact(latest.value)
    share = context.share(latest.period.end)
    expected = goal * share
    stale_note = _stale_note(context, latest.period)
    status, note = _amount_status(context, actual, expected, goal, stale_note)
    note = _joined(note, _year_over_note(context, latest.period, stale_note))
    forecast: Fraction | None
    if actual >= goal:
        forecast = actual / share if share else None
        forecast_date: date | None = _reached_on(context, points, goal, decimals or None)
        forecast_reached: bool | None = True
    else:
        forecast, forecast_date, forecast_reached = _run_rate_forecast(context, actual, share, goal)
    return _Outcome(
        status,
        expected,
        ExpectedBasis.LAST_PERIOD,
        actual=actual,
        tolerance=tolerance,
        last_period=latest.period,
        forecast=forecast,
        forecast_date=forecast_date,
        forecast_reached=forecast_reached,
        note=note,
    )


def _evaluate_items(context: _Context, points: Sequence[Point], series: Series) -> _Outcome:
    target = context.target
    tolerance = _tolerance(context)
    total = int(target.value)
    share = context.share(context.day)
    goal = _goal(context, tolerance)
    expected = goal * share
    done_ids: set[str] = set()
    recorded = 0
    if not context.before_year:
        for item_id, record in series.items.items():
            figure = record.figure
            if figure.date is not None and figure.date > context.day:
                continue
            recorded += 1
            if figure.done:
                done_ids.add(item_id)
    overdue = tuple(
        OverdueItem(item.id, item.name, item.owner, item.leader, item.due)
        for item in target.items
        if item.due is not None and item.due < context.as_of and item.id not in done_ids
    )
    # Only the count of an unnamed remainder is reported by periods and can be late.
    reported_by_periods = total > len(target.items)
    if not points and not recorded:
        return _Outcome(
            Status.NO_DATA,
            expected,
            ExpectedBasis.AS_OF,
            tolerance=tolerance,
            items_total=total,
            overdue_items=overdue,
            note=_stale_note(context, None) if reported_by_periods else None,
            scores_zero=_first_figure_due(context),
        )
    latest = points[-1] if points else None
    actual = Fraction(len(done_ids)) + (exact(latest.value) if latest is not None else _ZERO)
    if reported_by_periods:
        latest_period = latest.period if latest is not None else None
        stale_note = _stale_note(context, latest_period)
        status, note = _amount_status(context, actual, expected, goal, stale_note)
        note = _joined(note, _year_over_note(context, latest_period, stale_note))
    else:
        # Every item is named: the records in hand are the whole list, no count is awaited.
        status, note = _amount_status(context, actual, expected, goal, None)
    forecast: Fraction | None
    if actual >= goal:
        forecast = min(actual / share, context.value) if share else None
        forecast_date: date | None = None
        forecast_reached: bool | None = True
    else:
        forecast, forecast_date, forecast_reached = _run_rate_forecast(context, actual, share, goal)
        if forecast is not None:
            forecast = min(forecast, context.value)
    return _Outcome(
        status,
        expected,
        ExpectedBasis.AS_OF,
        actual=actual,
        tolerance=tolerance,
        last_period=latest.period if latest is not None else None,
        forecast=forecast,
        forecast_date=forecast_date,
        forecast_reached=forecast_reached,
        items_done=int(actual) if actual.denominator == 1 else None,
        items_total=total,
        overdue_items=overdue,
        note=note,
    )


def _score_ratio(qualifier: str, actual: Fraction, target: Fraction, goal: Fraction) -> Fraction:
    if qualifier == "at_most":
        if actual <= target:
            return _ONE
        if target == 0:
            return _ZERO
        return max(_ZERO, 1 - (actual - target) / abs(target))
    if target == 0:
        return _ONE if actual >= goal else _ZERO
    return max(_ZERO, actual / target)


def _row(context: _Context, outcome: _Outcome) -> tuple[TargetRow, Fraction | None]:
    target = context.target
    value = context.value
    actual = outcome.actual
    variance = completion = remaining = score = None
    if actual is not None:
        if outcome.expected is not None:
            variance = actual - outcome.expected
        if value != 0:
            completion = actual / value
        remaining = value - actual
        if target.qualifier == "at_least":
            remaining = max(_ZERO, remaining)
        ratio = _score_ratio(target.qualifier, actual, value, _goal(context, outcome.tolerance))
        score = min(ratio, exact(context.plan.settings.score_cap)) * exact(target.weight)
    elif outcome.scores_zero:
        score = _ZERO
    row = TargetRow(
        district_id=context.district.id,
        district_name=context.district.name,
        district_name_en=context.district.name_en,
        target_id=target.id,
        name=target.name,
        name_en=target.name_en,
        group=target.group,
        kind=target.kind,
        qualifier=target.qualifier,
        unit=target.unit,
        target=target.value,
        tolerance=_float(outcome.tolerance),
        actual=_float(actual),
        expected=_float(outcome.expected),
        expected_basis=outcome.basis,
        variance=_float(variance),
        completion=_float(completion),
        remaining=_float(remaining),
        status=outcome.status,
        last_period=None if outcome.last_period is None else str(outcome.last_period),
        forecast=_float(outcome.forecast),
        forecast_date=outcome.forecast_date,
        forecast_reached=outcome.forecast_reached,
        owner=target.owner,
        leader=target.leader,
        weight=target.weight,
        score=_float(score),
        items_done=outcome.items_done,
        items_total=outcome.items_total,
        overdue_items=outcome.overdue_items,
        note=outcome.note,
    )
    return row, score


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _evaluate(
    plan: Plan, district: District, series: Series, as_of: date
) -> tuple[TargetRow, Fraction | None]:
    context = _context(plan, district, series.target, as_of)
    points = _counted_points(context, series)
    kind = series.target.kind
    if kind == "rate":
        outcome = _evaluate_rate(context, points)
    elif kind == "quantity":
        outcome = _evaluate_quantity(context, points)
    else:
        outcome = _evaluate_items(context, points, series)
    return _row(context, outcome)


def evaluate_target(plan: Plan, district: District, series: Series, as_of: date) -> TargetRow:
    """One target's row as of `as_of`: see the module docstring for every rule."""
    return _evaluate(plan, district, series, as_of)[0]


def summarize_district(
    district: District, rows: Iterable[TargetRow], rank: int | None = None
) -> DistrictSummary:
    """Counts per status (every status, zeros included) and the weighted score of `rows`."""
    counts = dict.fromkeys(Status, 0)
    scored = _ZERO
    weights = _ZERO
    for row in rows:
        counts[row.status] += 1
        if row.score is not None:
            scored += Fraction(row.score)
            weights += exact(row.weight)
    score = float(scored / weights) if weights else None
    return DistrictSummary(district.id, district.name, district.name_en, counts, score, rank)


def rank_districts(summaries: Sequence[DistrictSummary]) -> tuple[DistrictSummary, ...]:
    """The same summaries in the same order, each given its rank by score (ties: by id)."""
    ranked = sorted(
        (summary for summary in summaries if summary.score is not None),
        key=lambda summary: (-(summary.score or 0.0), summary.district_id),
    )
    ranks = {summary.district_id: rank for rank, summary in enumerate(ranked, start=1)}
    return tuple(replace(summary, rank=ranks.get(summary.district_id)) for summary in summaries)


def summarize_districts(plan: Plan, rows: Iterable[TargetRow]) -> tuple[DistrictSummary, ...]:
    """A ranked summary for each district of `plan` that has rows among `rows`, in plan order."""
    by_district: dict[str, list[TargetRow]] = {}
    for row in rows:
        by_district.setdefault(row.district_id, []).append(row)
    return rank_districts(
        [
            summarize_district(district, by_district[district.id])
            for district in plan.districts
            if district.id in by_district
        ]
    )


def build_report(
    plan: Plan, series_by_district: dict[str, dict[str, Series]], as_of: date
) -> Report:
    """The report as of `as_of` for the districts in `series_by_district`, in plan order.

    Only the plan's districts that are keys of `series_by_district` are reported (so a caller
    picks districts by building their series); a target missing from a district's series is
    evaluated as having no figures.
    """
    rows: list[TargetRow] = []
    for district in plan.districts:
        if district.id not in series_by_district:
            continue
        district_series = series_by_district[district.id]
        rows.extend(
            evaluate_target(plan, district, district_series.get(target.id) or Series(target), as_of)
            for target in district.targets
        )
    day = judged_on(plan.year, as_of)
    return Report(plan.year, day, tuple(rows), summarize_districts(plan, rows))
