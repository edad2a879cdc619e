"""Forecasts: the year-end value at the current run-rate and the day a goal is reached.

Guarantees: pure and exact. A forecast never names a day before the judgement day, and counts in
whole-number units are forecast whole (rounded down). The rules are stated in `engine.variance`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal, DecimalException, localcontext
from fractions import Fraction
from itertools import accumulate, compress, count, repeat
from operator import ge

from liuxia_tracker.domain.units import is_count, parse_unit
from liuxia_tracker.engine.decimals import EXACT_DECIMALS, Written, decimal_of, written_exactly
from liuxia_tracker.engine.judgement import Context
from liuxia_tracker.engine.pace import ZERO, exact, first_day_due
from liuxia_tracker.engine.series import Point


def reached_on(
    context: Context,
    points: Sequence[Point],
    goal: Fraction,
    written: Written | None = None,
) -> date | None:
    """The end of the first period whose year-to-date total reached `goal`. `written` is the
    points' values as written (`engine.decimals`), when already at hand."""
    increments = context.target.reported_as == "increment"
    if written is None:
        written = written_exactly([point.value for point in points])
    numerators = written.numerators
    if numerators is not None:
        # Whole numbers of 10**-places: a total reaches the goal when it reaches the goal's
        # ceiling in those units.
        line = math.ceil(goal * 10**written.places)
        totals = accumulate(numerators) if increments else numerators
        first = next(compress(count(), map(ge, totals, repeat(line))), None)
        return None if first is None else min(points[first].period.end, context.year_end)
    try:
        with localcontext(EXACT_DECIMALS):
            line_decimal = Decimal(goal.numerator) / Decimal(goal.denominator)  # or Inexact
            total = Decimal(0)
            for point in points:
                value = decimal_of(point.value)
                total = total + value if increments else value
                if total >= line_decimal:
                    return min(point.period.end, context.year_end)
        return None
    except DecimalException:  # a goal with no exact decimal (not one of the plan's numbers)
        pass
    running = ZERO
    for point in points:
        amount = exact(point.value)
        running = running + amount if increments else amount
        if running >= goal:
            return min(point.period.end, context.year_end)
    return None


def run_rate_forecast(
    context: Context, actual: Fraction, share: Fraction, goal: Fraction
) -> tuple[Fraction | None, date | None, bool | None]:
    """Year-end value at the run-rate, and the day `goal` is reached at it (or not this year)."""
    if share <= ZERO:
        return None, None, None
    year_end_value = actual / share
    if year_end_value < goal:
        return year_end_value, None, False
    day = first_day_due(context.target.pace, context.plan.year, goal / year_end_value)
    if day is not None and day <= context.day:
        # Not reached on the judgement day (else the caller would not ask): the earliest it
        # can be is the day after, never a day already past.
        day = min(context.day + timedelta(days=1), context.year_end)
    return year_end_value, day, True


def whole_if_counted(context: Context, value: Fraction | None) -> Fraction | None:
    """A forecast of a count in a whole-number unit (个, 项, 栋 …) rounded down to a whole
    number of its base unit: 40.56个 is 40个, never "40.56个"."""
    if value is None:
        return None
    unit = parse_unit(context.target.unit)
    if not is_count(unit):
        return value
    factor = exact(unit.factor)
    return Fraction(math.floor(value * factor)) / factor
