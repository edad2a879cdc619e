"""The variance engine: actual, expected (序时进度), variance, status, forecast and score.

Guarantees: pure functions over validated models (no I/O, no printing, no clock: the as-of day
is an argument). Arithmetic is exact: every number is read as the decimal it is written as
(`Fraction(repr(x))`, so 6.5 − 0.5 is exactly 6) and computed in `Fraction`s; the row gets the
correctly rounded float (a series' own figures are summed as whole numbers of a power of
ten, `engine.decimals`: the same exact arithmetic, faster). Renderers round; nothing here does.

Semantics, as of a day `as_of`, for a plan of year Y:

- **Judgement day.** A year already over is judged at its end: the judgement day is
  `min(as_of, Y-12-31)`, and it is the report's `as_of` (a report of 2023 asked for on
  2024-03-31 is "as of 2023-12-31").
- **What was known.** A figure counts as of `as_of` only if it was known then: its `published`
  day ≤ `as_of` when it has one; else its period has ended by `as_of`; else (the period still
  running) it was recorded by `as_of` (no `recorded_at`: once its period has ended). Per
  period the latest record known then counts (an earlier revision when a later one was not yet
  known). Item records: `published`, else `date` ≤ the judgement day, else recorded. So
  recording figures for later periods never changes a report about an earlier day. Before 1 January of Y
  nothing counts: every target has no data and quantities expect 0. The year is *over* when
  `as_of` ≥ Y-12-31. (A bulletin judges `as_of` on what was known by a later `known_by`:
  `engine.judgement`.)
  Lateness is the one thing judged against the real `as_of`, not the
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
  band's lower edge; with `over_band: miss` an actual above target + tolerance is at risk
  within the at-risk points of that edge, else behind (missed at year end). Ahead: more than
  `settings.ahead_points` above the target (at_least, and about with over_band met).
  `以内` at_most mirrors at_least (on track if actual ≤ target, at risk
  within the band above). Once the year is over, a rate met by the latest figure in hand is
  achieved and any other missed, whatever period that figure covers (see **Year over**).
- **Quantity** (an amount accumulating to a year-end total). actual = the latest cumulative
  figure, or the sum of the increments. The *goal* is the target, except for about: the
  tolerance band's lower edge, target − tolerance (target `tolerance` in the target's unit, else
  `settings.about_share` × target). expected = goal × the pace share due by the end of the last
  reported period (basis `last_period`); when a figure is overdue, by the end of the latest
  period whose figure is due (basis `due_period`); once the year is over, the whole goal (basis
  `year_end`, so variance = actual − goal); with no figure, by the judgement day (basis `as_of`):
  expected is always the pace line the status is judged against, so for about it is the lower
  edge's pace, not the target's. variance = actual − expected. at_least and about: achieved as
  soon as actual ≥ goal (any day; for about, above the band too); on track if actual ≥
  expected; at risk if actual ≥ expected − |expected| × the at-risk share (target `at_risk`,
  else `settings.at_risk_share`); else behind. Ahead (not for at_most or a two-sided about):
  above the target's own pace line (target × the same share) by more than
  `settings.ahead_share` of it. at_most (a cap): on track while actual ≤
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
- **Schedule gap (序时差)**, quantities and items: (completion − the pace share expected is
  measured at) × 100, in percentage points. **Required pace (倒排)**, quantities and items not
  yet met and the year not over: (target − actual) / `periods_left`, the periods of the cadence
  ending after the one the actual covers (items: after the judgement day); for at_most, the
  most each may add while within the cap. Rates have none (no base-year level).
- **No data.** No figure (and, for items, no item record) counts: status no data, or stale
  from the day the first figure of the cadence is overdue (逾期未报); expected is
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
  A forecast day is never before the judgement day (not met then: the day after at the
  earliest); once the year is over there is no forecast; a count in a whole-number unit is
  forecast whole, rounded down.
- **Score.** Each target with data scores min(ratio, `settings.score_cap`) × weight, where the
  ratio is the completion (clamped at 0) for at_least and about; for at_most it is 1 while
  actual ≤ cap and 1 − (actual − cap) / |cap| above it (0 at twice the cap, never below 0); a
  target of 0 scores 1 if met, else 0. A target without data scores 0 once its first figure is
  overdue (see **No data**), so not reporting never raises a score. A district's score is
  Σ scores / Σ weights of its scored targets (empty if none is scored). Mid-year, a quantity's
  completion is its share of the year's total, so compare districts on the same day.
  This is `scoring: capped`; `engine.score` applies the others (all_or_nothing, rank_points,
  efficacy; see docs/data-format.md). Districts are ranked by score within their category,
  competition style (1, 1, 3); `ranked: false` and a district without a score have no rank.
  Rows and districts keep the plan's order.
- **Which districts.** `build_report` reports the plan's districts that are keys of
  `series_by_district` (a caller picks districts by building their series). It is
  `assemble_report` of each district's `evaluate_district`: a caller may evaluate districts
  one at a time, or in other processes (an evaluation holds plain values only), and assemble
  them. `summarize_districts` summarizes and ranks the districts that have rows among those
  given, so a filtered report counts only the rows it shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from liuxia_tracker.domain.models import District, Plan, parse_level
from liuxia_tracker.engine.judgement import Context, context_for, goal_of, upper_of
from liuxia_tracker.engine.known import counted_points
from liuxia_tracker.engine.measures import required_pace, score_ratio
from liuxia_tracker.engine.outcome import (
    Outcome,
    evaluate_items,
    evaluate_quantity,
    evaluate_rate,
)
from liuxia_tracker.engine.pace import exact
from liuxia_tracker.engine.rows import OverdueFigure, TargetRow
from liuxia_tracker.engine.series import Series


@dataclass(frozen=True, slots=True)
class Evaluated:
    """A target's row, and the ratio its score is computed from (None: not scored, or 0):
    plain values, which pickle, and no series or figure."""

    row: TargetRow
    ratio: Fraction | None
    scores_zero: bool


def _row(context: Context, outcome: Outcome) -> Evaluated:
    target = context.target
    value = context.value
    actual = outcome.actual
    variance = completion = remaining = score = schedule_gap = None
    ratio = None
    # Numbers only the row shows are worked out on numerators and denominators, without a
    # `Fraction` each: n / d is the correctly rounded float of n/d whatever factor n and d
    # share, as `float(Fraction(n, d))` is.
    if actual is not None:
        actual_n, actual_d = actual.numerator, actual.denominator
        value_n, value_d = value.numerator, value.denominator
        if outcome.expected is not None:
            expected_n, expected_d = outcome.expected.numerator, outcome.expected.denominator
            variance = (actual_n * expected_d - expected_n * actual_d) / (actual_d * expected_d)
        if value_n != 0:
            completion = _quotient(actual_n * value_d, actual_d * value_n)
            share = outcome.share
            if share is not None and target.kind != "rate":
                share_n, share_d = share.numerator, share.denominator
                gap = (actual_n * value_d * share_d - share_n * actual_d * value_n) * 100
                schedule_gap = _quotient(gap, actual_d * value_n * share_d)
        left = value_n * actual_d - actual_n * value_d
        if target.qualifier == "at_least":
            left = max(0, left)
        remaining = left / (value_d * actual_d)
        tolerance = outcome.tolerance
        ratio = score_ratio(
            target.qualifier,
            actual,
            value,
            goal_of(context, tolerance),
            upper_of(context, tolerance),
        )
        capped = min(ratio, exact(context.plan.settings.score_cap))
        weight = exact(target.weight)
        score = (capped.numerator * weight.numerator) / (capped.denominator * weight.denominator)
    elif outcome.scores_zero:
        score = 0.0
    needed, periods_left = required_pace(
        context, actual, outcome.tolerance, outcome.covered_through
    )
    level_value = level_unit = None
    if outcome.level is not None:
        level_value, level_unit = parse_level(outcome.level)
    overdue = outcome.overdue
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
        variance=variance,
        completion=completion,
        remaining=remaining,
        status=outcome.status,
        last_period=None if outcome.last_period is None else str(outcome.last_period),
        forecast=_float(outcome.forecast),
        forecast_date=outcome.forecast_date,
        forecast_reached=outcome.forecast_reached,
        owner=target.owner,
        leader=target.leader,
        weight=target.weight,
        score=score,
        items_done=outcome.items_done,
        items_total=outcome.items_total,
        overdue_items=outcome.overdue_items,
        note=outcome.note,
        overdue_figure=None
        if overdue is None
        else OverdueFigure(str(overdue.period), overdue.due_by),
        schedule_gap=schedule_gap,
        needed_per_period=_float(needed),
        periods_left=periods_left,
        level_value=level_value,
        level_unit=level_unit,
        cadence=target.cadence,
        provisional=outcome.provisional,
    )
    return Evaluated(row, ratio, outcome.scores_zero)


def _float(value: Fraction | None) -> float | None:
    return None if value is None else value.numerator / value.denominator


def _quotient(numerator: int, denominator: int) -> float:
    """The correctly rounded float of numerator / denominator (0.0, never -0.0, for 0)."""
    if denominator < 0:
        return -numerator / -denominator
    return numerator / denominator


def evaluate(
    plan: Plan, district: District, series: Series, as_of: date, known_by: date | None = None
) -> Evaluated:
    """One target's row as of `as_of`, on what was known by `known_by` (default: `as_of`),
    with its score's ratio: see the module docstring."""
    context = context_for(plan, district, series.target, as_of, known_by)
    points = counted_points(context, series)
    kind = series.target.kind
    if kind == "rate":
        outcome = evaluate_rate(context, points)
    elif kind == "quantity":
        outcome = evaluate_quantity(context, points)
    else:
        outcome = evaluate_items(context, points, series)
    return _row(context, outcome)


def evaluate_target(plan: Plan, district: District, series: Series, as_of: date) -> TargetRow:
    """One target's row as of `as_of`, scored as `capped` (see the module docstring; the
    other scoring methods are applied across districts by `score.build_report`)."""
    return evaluate(plan, district, series, as_of).row
