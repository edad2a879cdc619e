"""What was known on a day: which figures of a series count in a judgement.

Guarantees: pure. The rule is `is_known` (stated in `engine.variance`, **What was known**, and
`engine.judgement`, **Known by a later day**); `counted_points` applies it to a series, taking
per period the latest record known then. It gives what applying the rule to every record in
turn gives (tests/test_known.py holds that plain way as its reference), found faster: a stretch
of the series at a time, relying on the series' points being sorted by the day their period
ends (`engine.series`), and record by record only for the periods with other records.
"""

from __future__ import annotations

import bisect
from datetime import date
from operator import attrgetter

from liuxia_tracker.domain.periods import Period
from liuxia_tracker.domain.records import FigureRecord
from liuxia_tracker.engine.judgement import Context
from liuxia_tracker.engine.series import Point, Series

_POINT_ORDER = attrgetter("period.end", "line")
_END = attrgetter("period.end")
_PUBLISHED = attrgetter("published")
_RECORDED = attrgetter("recorded")


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
    points = series.points
    if not series.revisions and not series.withdrawn:
        return known_points(points, as_of, known_by)
    # The periods with other records are judged record by record; the stretches of points
    # between them hold one record per period, so the rule alone decides each of those.
    special = _indexes_of(points, series.revisions.keys() | series.withdrawn.keys())
    counted: list[Point] = []
    replaced = False
    start = 0
    for index in special:
        counted += known_points(points[start:index], as_of, known_by)
        point = points[index]
        chosen = _chosen(context, series, point)
        if chosen is not None:
            counted.append(chosen)
            replaced = replaced or chosen is not point
        start = index + 1
    counted += known_points(points[start:], as_of, known_by)
    for period in series.withdrawn.keys() - {points[index].period for index in special}:
        earlier = _latest_known(context, series, period, None)
        if earlier is not None:
            counted.append(earlier)
            replaced = True
    if replaced:
        # An earlier record sits earlier in the file: of two periods ending the same day, the
        # one recorded later is the latest, as when the series was built.
        counted.sort(key=_POINT_ORDER)
    return counted


def known_points(points: list[Point], as_of: date, known_by: date) -> list[Point]:
    """Those of `points` (sorted by the day their period ends) that `is_known` counts, in
    order. Most figures say nothing that needs them looked at one by one: a figure of an
    ended period with no `published` date counts, and one of a period not ended by `as_of`,
    with no `published` date and recorded after `as_of` (or not saying when), does not; only
    when some figure says otherwise are the figures of that part checked one by one."""
    ended = bisect.bisect_right(points, as_of, key=_END)
    counted = points[:ended]
    if any(map(_PUBLISHED, counted)):  # (a date is never false)
        latest = max(filter(None, map(_PUBLISHED, counted)))
        if latest > known_by:
            counted = [point for point in counted if is_known(point, as_of, known_by)]
    if ended == len(points):
        return counted
    running = points[ended:]  # periods not ended by `as_of`
    if not any(map(_PUBLISHED, running)):
        recorded = min(filter(None, map(_RECORDED, running)), default=None)
        if recorded is None or recorded > as_of:
            return counted
    counted += [point for point in running if is_known(point, as_of, known_by)]
    return counted


def _indexes_of(points: list[Point], periods: set[Period]) -> list[int]:
    """The positions, in order, of the points whose period is one of `periods`."""
    found = []
    for period in periods:
        index = bisect.bisect_left(points, period.end, key=_END)
        while index < len(points) and points[index].period.end == period.end:
            if points[index].period == period:
                found.append(index)
                break
            index += 1
    found.sort()
    return found


def _chosen(context: Context, series: Series, point: Point) -> Point | None:
    """The record that counts for the period of `point` (the standing record), if any."""
    if is_known(point, context.as_of, context.knowledge_day) and point.period not in (
        series.withdrawn
    ):
        return point
    return _latest_known(context, series, point.period, point)


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
