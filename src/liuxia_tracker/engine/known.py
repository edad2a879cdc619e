"""What was known on a day: which figures of a series count in a judgement.

Guarantees: pure. The rule is `is_known` (stated in `engine.variance`, **What was known**, and
`engine.judgement`, **Known by a later day**); `counted_points` applies it to a series, taking
per period the latest record known then.
"""

from __future__ import annotations

from datetime import date
from operator import attrgetter

from liuxia_tracker.domain.periods import Period
from liuxia_tracker.domain.records import FigureRecord
from liuxia_tracker.engine.judgement import Context
from liuxia_tracker.engine.series import Point, Series

_POINT_ORDER = attrgetter("period.end", "line")


def is_known(point: Point, as_of: date, known_by: date | None = None) -> bool:
    """Whether a figure counts for a judgement at `as_of` on what was known by `known_by`
    (default: `as_of`). A figure whose period ended by `as_of` counts once published by
    `known_by` when it says when it was published, else always. A figure of a period still
    running on `as_of` counts only if it was known on `as_of` itself: published by then, else
    recorded by then (a figure with no `recorded_at` does not count before its period ends).
    With `known_by` = `as_of` this is the rule of what was known on `as_of`."""
    known_by = as_of if known_by is None else known_by
    period = point.period
    if period.end <= as_of:
        return point.published is None or point.published <= known_by
    if point.published is not None:
        return point.published <= as_of
    # The period is still running (or not begun): known only once recorded, and a figure that
    # does not say when it was recorded cannot be shown to have been known.
    return period.start <= as_of and point.recorded is not None and point.recorded <= as_of


def counted_points(context: Context, series: Series) -> list[Point]:
    """The figure of each period known on the day asked about: the latest record known then
    (an earlier record of the same period when a later one was not yet known, and a figure
    a retraction withdrew when the retraction was not yet known)."""
    if context.before_year:
        return []
    as_of, known_by = context.as_of, context.knowledge_day
    counted = []
    replaced = False
    for point in series.points:
        if is_known(point, as_of, known_by) and point.period not in series.withdrawn:
            counted.append(point)
            continue
        earlier = _latest_known(context, series, point.period, point)
        if earlier is not None:
            counted.append(earlier)
            replaced = replaced or earlier is not point
    for period in series.withdrawn.keys() - {point.period for point in series.points}:
        earlier = _latest_known(context, series, period, None)
        if earlier is not None:
            counted.append(earlier)
            replaced = True
    if replaced:
        # An earlier record sits earlier in the file: of two periods ending the same day, the
        # one recorded later is the latest, as when the series was built.
        counted.sort(key=_POINT_ORDER)
    return counted


def _latest_known(
    context: Context, series: Series, period: Period, standing: Point | None
) -> Point | None:
    """Of the records of `period` (the standing one, those it superseded, and those withdrawn
    by a retraction not yet known), the one latest in the file that was known."""
    as_of, known_by = context.as_of, context.knowledge_day
    candidates = [*series.revisions.get(period, ())]
    if standing is not None:
        candidates.append(standing)
    candidates += [
        point
        for point, retracted_on in series.withdrawn.get(period, ())
        if retracted_on is not None and retracted_on > known_by
    ]
    known = [point for point in candidates if is_known(point, as_of, known_by)]
    return max(known, key=attrgetter("line")) if known else None


def item_record_known(figure: FigureRecord, context: Context) -> bool:
    """An item record counts once published (when it says so), else from the day it is dated
    (the judgement day), else once recorded (each by the knowledge day)."""
    if figure.published is not None:
        return figure.published <= context.knowledge_day
    if figure.date is not None:
        return figure.date <= context.day
    stamp = figure.recorded_at
    return stamp is None or stamp.date() <= context.knowledge_day
