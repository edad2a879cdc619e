"""What one target's counted figures say, by its kind (rate, quantity, items): actual,
expected, status, forecast, lateness; `engine.variance` turns the outcome into the row.

Guarantees: pure and exact. The rules are stated in `engine.variance`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from operator import attrgetter

from liuxia_tracker.domain.periods import Period
from liuxia_tracker.engine.decimals import written_exactly
from liuxia_tracker.engine.forecast import reached_on, run_rate_forecast, whole_if_counted
from liuxia_tracker.engine.judgement import (
    Context,
    Overdue,
    amount_status,
    first_figure_due,
    goal_of,
    is_met,
    joined,
    note_of,
    over_band_status,
    overdue_figure,
    status_by_pace,
    tolerance_of,
    upper_of,
    with_stale,
    year_over_note,
)
from liuxia_tracker.engine.known import item_record_known
from liuxia_tracker.engine.pace import ONE, ZERO, exact
from liuxia_tracker.engine.rows import ExpectedBasis, OverdueItem, Status
from liuxia_tracker.engine.series import Point, Series

_VALUE = attrgetter("value")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a target's figures say as of the day: the row's numbers before rounding."""

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
    overdue: Overdue | None = None
    # The pace share expected is measured at (quantities and items): for the schedule gap.
    share: Fraction | None = None
    # The day the actual covers, for the required pace: what is left is after it.
    covered_through: date | None = None
    level: str | None = None
    provisional: bool = False  # the latest figure counted is a 快报, to be confirmed
    # No data although the first figure of the target's cadence is due: it scores 0.
    scores_zero: bool = False


def no_data(
    context: Context, expected: Fraction, basis: ExpectedBasis, tolerance: Fraction | None
) -> Outcome:
    """No figure counts: stale once the first figure is overdue (逾期未报), else no data."""
    overdue = overdue_figure(context, None)
    return Outcome(
        Status.NO_DATA if overdue is None else Status.STALE,
        expected,
        basis,
        tolerance=tolerance,
        note=note_of(overdue),
        overdue=overdue,
        share=None if basis is ExpectedBasis.TARGET else context.share(context.day),
        scores_zero=overdue is not None,
    )


def evaluate_rate(context: Context, points: Sequence[Point]) -> Outcome:
    target = context.target
    tolerance = tolerance_of(context)
    if not points:
        return no_data(context, context.value, ExpectedBasis.TARGET, tolerance)
    latest = points[-1]
    actual = exact(latest.value)
    goal = goal_of(context, tolerance)
    upper = upper_of(context, tolerance)
    overdue = overdue_figure(context, latest.period)
    if context.year_over:
        met = is_met(target.qualifier, actual, goal, upper)
        status = Status.ACHIEVED if met else Status.MISSED
    elif upper is not None and actual > upper:
        status = with_stale(over_band_status(actual, upper, context.at_risk_points), overdue)
    else:
        ahead_line = context.value + context.ahead_points if context.can_be_ahead else None
        pace = status_by_pace(target.qualifier, actual, goal, context.at_risk_points, ahead_line)
        status = with_stale(pace, overdue)
    note = joined(note_of(overdue), year_over_note(context, latest.period, overdue))
    return Outcome(
        status,
        context.value,
        ExpectedBasis.TARGET,
        actual=actual,
        tolerance=tolerance,
        last_period=latest.period,
        provisional=bool(latest.figure.provisional),
        forecast=None if context.year_over else actual,
        note=note,
        overdue=overdue,
        level=latest.figure.level,
    )


def pace_point(
    context: Context, latest: Period | None, overdue: Overdue | None
) -> tuple[Fraction, ExpectedBasis]:
    """The pace share expected is measured at: the whole year once it is over; the end of the
    latest period due when a figure is overdue; else the end of the last reported period."""
    if context.year_over:
        return ONE, ExpectedBasis.YEAR_END
    if overdue is not None:
        return context.share(overdue.period.end), ExpectedBasis.DUE_PERIOD
    assert latest is not None
    return context.share(latest.end), ExpectedBasis.LAST_PERIOD


def evaluate_quantity(context: Context, points: Sequence[Point]) -> Outcome:
    target = context.target
    tolerance = tolerance_of(context)
    goal = goal_of(context, tolerance)
    if not points:
        return no_data(context, goal * context.share(context.day), ExpectedBasis.AS_OF, tolerance)
    latest = points[-1]
    written = None  # the increments as written, for the day the goal is reached
    if target.reported_as == "increment":
        values = list(map(_VALUE, points))
        written = written_exactly(values)
        actual = written.total
    else:
        actual = exact(latest.value)
    overdue = overdue_figure(context, latest.period)
    pace_share, basis = pace_point(context, latest.period, overdue)
    expected = goal * pace_share
    status, note = amount_status(context, actual, expected, tolerance, overdue)
    note = joined(note, year_over_note(context, latest.period, overdue))
    share = context.share(latest.period.end)  # the share of the year the figures cover
    forecast: Fraction | None = None
    forecast_date: date | None = None
    forecast_reached: bool | None = None
    if context.year_over:
        pass  # the year is over: there is nothing left to forecast
    elif actual >= goal:
        forecast = actual / share if share else None
        forecast_date = reached_on(context, points, goal, written)
        forecast_reached = True
    else:
        forecast, forecast_date, forecast_reached = run_rate_forecast(context, actual, share, goal)
    return Outcome(
        status,
        expected,
        basis,
        actual=actual,
        tolerance=tolerance,
        last_period=latest.period,
        provisional=bool(latest.figure.provisional),
        forecast=whole_if_counted(context, forecast),
        forecast_date=forecast_date,
        forecast_reached=forecast_reached,
        note=note,
        overdue=overdue,
        share=pace_share,
        covered_through=latest.period.end,
    )


def evaluate_items(context: Context, points: Sequence[Point], series: Series) -> Outcome:
    target = context.target
    tolerance = tolerance_of(context)
    total = int(target.value)
    share = context.share(context.day)
    goal = goal_of(context, tolerance)
    expected = goal * share
    done_ids: set[str] = set()
    recorded = 0
    if not context.before_year:
        for item_id, record in series.items.items():
            if not item_record_known(record.figure, context):
                continue
            recorded += 1
            if record.figure.done:
                done_ids.add(item_id)
    overdue_items = tuple(
        OverdueItem(item.id, item.name, item.owner, item.leader, item.due)
        for item in target.items
        if item.due is not None
        and item.due <= context.as_of
        and item.due < context.knowledge_day
        and item.id not in done_ids
    )
    # Only the count of an unnamed remainder is reported by periods and can be late; a list of
    # named items with nothing recorded at all is late from its first period too.
    reported_by_periods = total > len(target.items)
    if not points and not recorded:
        outcome = no_data(context, expected, ExpectedBasis.AS_OF, tolerance)
        return Outcome(
            outcome.status,
            expected,
            ExpectedBasis.AS_OF,
            tolerance=tolerance,
            items_total=total,
            overdue_items=overdue_items,
            note=outcome.note,
            overdue=outcome.overdue,
            share=share,
            scores_zero=first_figure_due(context),
        )
    latest = points[-1] if points else None
    actual = Fraction(len(done_ids)) + (exact(latest.value) if latest is not None else ZERO)
    overdue = None
    if reported_by_periods:
        latest_period = latest.period if latest is not None else None
        overdue = overdue_figure(context, latest_period)
        status, note = amount_status(context, actual, expected, tolerance, overdue)
        note = joined(note, year_over_note(context, latest_period, overdue))
    else:
        # Every item is named: the records in hand are the whole list, no count is awaited.
        status, note = amount_status(context, actual, expected, tolerance, None)
    forecast: Fraction | None = None
    forecast_date: date | None = None
    forecast_reached: bool | None = None
    if context.year_over:
        pass
    elif actual >= goal:
        forecast = min(actual / share, context.value) if share else None
        forecast_reached = True
    else:
        forecast, forecast_date, forecast_reached = run_rate_forecast(context, actual, share, goal)
        if forecast is not None:
            forecast = min(forecast, context.value)
    return Outcome(
        status,
        expected,
        ExpectedBasis.AS_OF,
        actual=actual,
        tolerance=tolerance,
        last_period=latest.period if latest is not None else None,
        provisional=latest is not None and bool(latest.figure.provisional),
        forecast=whole_if_counted(context, forecast),
        forecast_date=forecast_date,
        forecast_reached=forecast_reached,
        items_done=int(actual) if actual.denominator == 1 else None,
        items_total=total,
        overdue_items=overdue_items,
        note=note,
        overdue=overdue,
        share=share,
        covered_through=context.day,
    )
