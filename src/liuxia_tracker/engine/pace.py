"""Pace (序时进度) and the exact arithmetic the engine computes in.

Guarantees: pure. `exact` reads a float as the decimal it is written as (many at once:
`engine.decimals`). `due_share` is the share of the year a pace has due by a day
(linear: days elapsed over days in the year; a profile: the complete months or quarters plus
the current one pro rata), `first_day_due` its inverse, `judged_on` the judgement day of a plan
year. The rules are stated in `engine.variance`.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache

from liuxia_tracker.domain.models import Pace
from liuxia_tracker.domain.periods import (
    Period,
    PeriodKind,
    days_in_year,
    periods_in_year,
    share_of_year_elapsed,
)

ZERO = Fraction(0)
ONE = Fraction(1)


@lru_cache(maxsize=1 << 16)
def exact(value: float) -> Fraction:
    """A number as the decimal it is written as: exact(0.1) == Fraction(1, 10)."""
    return Fraction(repr(float(value)))


def judged_on(year: int, as_of: date) -> date:
    """The day a plan of `year` is judged at: `as_of`, or 31 December once the year is over."""
    return min(as_of, date(year, 12, 31))


def due_share(pace: Pace, year: int, through: date) -> Fraction:
    """The share of the year's target that `pace` has due by the end of `through` (0 to 1)."""
    if pace.is_linear:
        return _linear_share(year, through)
    if pace.month is not None:
        return _profile_share(PeriodKind.MONTH, tuple(pace.month), year, through)
    assert pace.quarter is not None
    return _profile_share(PeriodKind.QUARTER, tuple(pace.quarter), year, through)


# Every target of a plan asks about the same few days: each share is worked out once.
@lru_cache(maxsize=4096)
def _linear_share(year: int, through: date) -> Fraction:
    return share_of_year_elapsed(year, through)


@lru_cache(maxsize=4096)
def _profile_share(
    kind: PeriodKind, weights: tuple[float, ...], year: int, through: date
) -> Fraction:
    if through < date(year, 1, 1):
        return ZERO
    if through >= date(year, 12, 31):
        return ONE
    profile = _profile(kind, weights, year)
    if not profile.total:
        return ZERO
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
    reached: tuple[Fraction, ...]  # the same up to each period's end: before + its weight
    total: Fraction


@lru_cache(maxsize=256)
def _profile(kind: PeriodKind, weights: tuple[float, ...], year: int) -> _Profile:
    periods = tuple(periods_in_year(kind, year))
    exact_weights = tuple(exact(weight) for weight in weights)
    before = []
    running = ZERO
    for weight in exact_weights:
        before.append(running)
        running += weight
    return _Profile(
        periods,
        tuple(period.end for period in periods),
        tuple((period.end - period.start).days + 1 for period in periods),
        exact_weights,
        tuple(before),
        (*before[1:], running),
        running,
    )


def first_day_due(pace: Pace, year: int, share: Fraction) -> date | None:
    """The first day of `year` by which `pace` has at least `share` due; None if share > 1."""
    if share > ONE:
        return None
    first = date(year, 1, 1)
    if pace.is_linear:  # day n of the year has n / (days in the year) due
        return first + timedelta(days=max(0, math.ceil(share * days_in_year(year)) - 1))
    if pace.month is not None:
        profile = _profile(PeriodKind.MONTH, tuple(pace.month), year)
    else:
        assert pace.quarter is not None
        profile = _profile(PeriodKind.QUARTER, tuple(pace.quarter), year)
    if not profile.total:  # nothing is due before 31 December, when all of it is
        return first if share <= ZERO else date(year, 12, 31)
    # The first period by whose end the share is due; within it, the first day it is due by
    # (the first period's first day for a share of 0 or less).
    line = share * profile.total
    index = bisect.bisect_left(profile.reached, line)
    before = profile.before[index]
    elapsed = 1
    if line > before:
        elapsed = math.ceil((line - before) * profile.lengths[index] / profile.weights[index])
    return profile.periods[index].start + timedelta(days=elapsed - 1)


@lru_cache(maxsize=64)
def periods_and_ends(kind: PeriodKind, year: int) -> tuple[tuple[Period, ...], tuple[date, ...]]:
    periods = tuple(periods_in_year(kind, year))
    return periods, tuple(period.end for period in periods)
