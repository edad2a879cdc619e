"""Measures of one target beyond its variance: the ratio its score is computed from, and the
required pace (倒排) to meet it by 31 December.

Guarantees: pure and exact. The rules are stated in `engine.variance`.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from liuxia_tracker.engine.judgement import Context, goal_of, reported_periods_left
from liuxia_tracker.engine.pace import ONE, ZERO


def score_ratio(
    qualifier: str, actual: Fraction, target: Fraction, goal: Fraction, upper: Fraction | None
) -> Fraction:
    """Completion as a score sees it: actual / target (never below 0); for a cap, 1 while
    within it and falling with the overshoot; for a two-sided 左右, at most 1 and falling
    with the overshoot above the band."""
    if qualifier == "at_most":
        if actual <= target:
            return ONE
        if target == 0:
            return ZERO
        return max(ZERO, 1 - (actual - target) / abs(target))
    if target == 0:
        return ONE if actual >= goal else ZERO
    if upper is not None:
        if actual > upper:
            return max(ZERO, 1 - (actual - upper) / abs(target))
        return min(ONE, max(ZERO, actual / target))
    return max(ZERO, actual / target)


def required_pace(
    context: Context,
    actual: Fraction | None,
    tolerance: Fraction | None,
    covered_through: date | None,
) -> tuple[Fraction | None, int | None]:
    """倒排: what each remaining period must deliver to reach the target (a cap: the most it
    may add), and how many periods are left; None for rates, once met, or with nothing left."""
    if context.target.kind == "rate" or actual is None or covered_through is None:
        return None, None
    if context.year_over:
        return None, None
    periods_left = reported_periods_left(context, covered_through)
    if periods_left <= 0:
        return None, None
    value = context.value
    goal = goal_of(context, tolerance)
    if context.target.qualifier == "at_most":
        if actual > value:
            return None, periods_left
        return (value - actual) / periods_left, periods_left
    if actual >= goal:
        return None, periods_left
    return (value - actual) / periods_left, periods_left
