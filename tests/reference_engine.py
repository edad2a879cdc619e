"""The engine's earlier, plain code for each part since made faster: the statements the fast
parts are proven equal to. Inside `plain_engine()` the engine uses these instead of its fast
parts, so `reference_build_report` there computes the report the earlier engine computed:
every figure judged by the rule one record at a time, sums of figures in `Fraction`s, pace
shares and lateness worked out afresh for each target, a row's numbers in `Fraction`s, ranks
by counting, summaries in `Fraction`s and every row's score set again by the scoring
method."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from operator import attrgetter

import pytest

from liuxia_tracker.domain.models import District, Pace, Plan, parse_level
from liuxia_tracker.domain.periods import (
    Period,
    PeriodKind,
    days_in_year,
    periods_in_year,
    share_of_year_elapsed,
)
from liuxia_tracker.engine import forecast, judgement, measures, score, variance
from liuxia_tracker.engine import outcome as outcomes
from liuxia_tracker.engine.decimals import Written
from liuxia_tracker.engine.judgement import (
    DEFAULT_LAG_DAYS,
    Context,
    Overdue,
    goal_of,
    is_met,
    joined,
    note_of,
    status_by_pace,
    upper_of,
    with_stale,
)
from liuxia_tracker.engine.known import is_known
from liuxia_tracker.engine.measures import required_pace, score_ratio
from liuxia_tracker.engine.outcome import Outcome
from liuxia_tracker.engine.pace import ZERO, exact, judged_on, periods_and_ends
from liuxia_tracker.engine.rows import DistrictSummary, OverdueFigure, Report, Status, TargetRow
from liuxia_tracker.engine.score import ranking_group, summarize_districts
from liuxia_tracker.engine.series import Point, Series
from liuxia_tracker.engine.variance import Evaluated, evaluate


def reference_counted_points(context: Context, series: Series) -> list[Point]:
    """Each standing record judged by the rule in turn; where it does not count (or its period
    has a withdrawn record), the latest known record of its period; then the periods whose
    every figure was withdrawn."""
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
        counted.sort(key=attrgetter("period.end", "line"))
    return counted


def _latest_known(
    context: Context, series: Series, period: Period, standing: Point | None
) -> Point | None:
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


def reference_written(values: list[float]) -> Written:
    """The figures' sum as the `Fraction`s they are written as; no integers, so the day a goal
    is reached is found the earlier way too."""
    return Written(sum((exact(value) for value in values), Fraction(0)), None, 0)


def reference_due_share(pace: Pace, year: int, through: date) -> Fraction:
    if pace.is_linear:
        return share_of_year_elapsed(year, through)
    if through < date(year, 1, 1):
        return Fraction(0)
    if through >= date(year, 12, 31):
        return Fraction(1)
    kind, weights = (
        (PeriodKind.MONTH, pace.month)
        if pace.month is not None
        else (PeriodKind.QUARTER, pace.quarter)
    )
    assert weights is not None
    exact_weights = [exact(weight) for weight in weights]
    total = sum(exact_weights, Fraction(0))
    due = Fraction(0)
    for period, weight in zip(periods_in_year(kind, year), exact_weights, strict=True):
        if period.end <= through:
            due += weight
        elif period.start <= through:
            elapsed = (through - period.start).days + 1
            length = (period.end - period.start).days + 1
            due += weight * Fraction(elapsed, length)
            break
        else:
            break
    return due / total if total else Fraction(0)


def reference_first_day(pace: Pace, year: int, share: Fraction) -> date | None:
    if share > 1:
        return None
    first = date(year, 1, 1)
    for offset in range(days_in_year(year)):
        if reference_due_share(pace, year, first + timedelta(days=offset)) >= share:
            return first + timedelta(days=offset)
    return first + timedelta(days=days_in_year(year) - 1)


def reference_competition_ranks(scores: dict[str, Fraction]) -> dict[str, int]:
    return {
        key: 1 + sum(1 for other in scores.values() if other > mine) for key, mine in scores.items()
    }


def reference_summarize_district(
    district: District, rows: Iterable[TargetRow], rank: int | None = None
) -> DistrictSummary:
    counts = dict.fromkeys(Status, 0)
    scored = Fraction(0)
    weights = Fraction(0)
    for row in rows:
        counts[row.status] += 1
        if row.score is not None:
            scored += Fraction(row.score)
            weights += exact(row.weight)
    return DistrictSummary(
        district.id,
        district.name,
        district.name_en,
        counts,
        float(scored / weights) if weights else None,
        rank,
        category=district.category if district.ranked else None,
    )


def _method_scores(
    plan: Plan, evaluated: dict[str, list[tuple[District, Evaluated]]]
) -> dict[tuple[str, str], Fraction | None]:
    method = plan.settings.scoring
    cap = exact(plan.settings.score_cap)
    scores: dict[tuple[str, str], Fraction | None] = {}
    by_target: dict[tuple[str, str], dict[str, Fraction]] = {}
    for district_id, entries in evaluated.items():
        for district, entry in entries:
            row = entry.row
            weight = exact(row.weight)
            key = (district_id, row.target_id)
            if entry.ratio is None:
                scores[key] = Fraction(0) if entry.scores_zero else None
            elif method == "capped":
                scores[key] = min(entry.ratio, cap) * weight
            elif method == "all_or_nothing":
                met = row.status in {Status.ACHIEVED, Status.AHEAD, Status.ON_TRACK}
                scores[key] = weight if met else Fraction(0)
            else:
                group = (ranking_group(district), row.target_id)
                by_target.setdefault(group, {})[district_id] = entry.ratio
    for (_, target_id), ratios in by_target.items():
        ranks = reference_competition_ranks(ratios)
        low, high = min(ratios.values()), max(ratios.values())
        for district_id, ratio in ratios.items():
            weight = next(
                exact(entry.row.weight)
                for _, entry in evaluated[district_id]
                if entry.row.target_id == target_id
            )
            if method == "rank_points":
                share = max(Fraction(0), 1 - Fraction(5, 100) * (ranks[district_id] - 1))
            elif high == low:
                share = Fraction(1)
            else:
                share = Fraction(60, 100) + Fraction(40, 100) * (ratio - low) / (high - low)
            scores[(district_id, target_id)] = share * weight
    return scores


def reference_build_report(
    plan: Plan,
    series_by_district: dict[str, dict[str, Series]],
    as_of: date,
    known_by: date | None = None,
) -> Report:
    """Every target evaluated in plan order; each row's score set by the scoring method."""
    evaluated: dict[str, list[tuple[District, Evaluated]]] = {}
    for district in plan.districts:
        if district.id in series_by_district:
            evaluated[district.id] = [
                (
                    district,
                    evaluate(
                        plan,
                        district,
                        series_by_district[district.id].get(t.id) or Series(t),
                        as_of,
                        known_by,
                    ),
                )
                for t in district.targets
            ]
    scores = _method_scores(plan, evaluated)
    rows: list[TargetRow] = []
    for district_id, entries in evaluated.items():
        for _, entry in entries:
            found = scores[(district_id, entry.row.target_id)]
            rows.append(replace(entry.row, score=None if found is None else float(found)))
    return Report(
        plan.year,
        judged_on(plan.year, as_of),
        tuple(rows),
        summarize_districts(plan, rows),
        known_by=None if known_by is None or known_by == as_of else known_by,
    )


def reference_row(context: Context, outcome: Outcome) -> Evaluated:
    """A row's numbers computed in `Fraction`s, each rounded once at the end."""
    target = context.target
    value = context.value
    actual = outcome.actual
    variance = completion = remaining = score = ratio = schedule_gap = None
    if actual is not None:
        if outcome.expected is not None:
            variance = actual - outcome.expected
        if value != 0:
            completion = actual / value
            if outcome.share is not None and target.kind != "rate":
                schedule_gap = (completion - outcome.share) * 100
        remaining = value - actual
        if target.qualifier == "at_least":
            remaining = max(ZERO, remaining)
        tolerance = outcome.tolerance
        ratio = score_ratio(
            target.qualifier,
            actual,
            value,
            goal_of(context, tolerance),
            upper_of(context, tolerance),
        )
        score = min(ratio, exact(context.plan.settings.score_cap)) * exact(target.weight)
    elif outcome.scores_zero:
        score = ZERO
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
        tolerance=_float_of(outcome.tolerance),
        actual=_float_of(actual),
        expected=_float_of(outcome.expected),
        expected_basis=outcome.basis,
        variance=_float_of(variance),
        completion=_float_of(completion),
        remaining=_float_of(remaining),
        status=outcome.status,
        last_period=None if outcome.last_period is None else str(outcome.last_period),
        forecast=_float_of(outcome.forecast),
        forecast_date=outcome.forecast_date,
        forecast_reached=outcome.forecast_reached,
        owner=target.owner,
        leader=target.leader,
        weight=target.weight,
        score=_float_of(score),
        items_done=outcome.items_done,
        items_total=outcome.items_total,
        overdue_items=outcome.overdue_items,
        note=outcome.note,
        overdue_figure=None
        if overdue is None
        else OverdueFigure(str(overdue.period), overdue.due_by),
        schedule_gap=_float_of(schedule_gap),
        needed_per_period=_float_of(needed),
        periods_left=periods_left,
        level_value=level_value,
        level_unit=level_unit,
        cadence=target.cadence,
        provisional=outcome.provisional,
    )
    return Evaluated(row, ratio, outcome.scores_zero)


def _float_of(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def reference_overdue_figure(context: Context, latest: Period | None) -> Overdue | None:
    cadence = PeriodKind(context.target.cadence)
    lag_days = context.plan.settings.lag_days
    lag = timedelta(days=lag_days.get(cadence.value, DEFAULT_LAG_DAYS[cadence.value]))
    periods, ends = periods_and_ends(cadence, context.plan.year)
    # The last period that ended by the judgement day and at least `lag` before the knowledge
    # day (ends are in order); the same as `lag` before `as_of` when the two days are one.
    index = bisect.bisect_right(ends, min(context.as_of, context.knowledge_day - lag)) - 1
    due = periods[index] if index >= 0 else None
    if due is None or (latest is not None and latest.end >= due.end):
        return None
    return Overdue(due, due.end + lag, latest)


def reference_amount_status(
    context: Context,
    actual: Fraction,
    expected: Fraction,
    tolerance: Fraction | None,
    overdue: Overdue | None,
) -> tuple[Status, str | None]:
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
    band = abs(expected) * context.at_risk_share
    ahead_line = None
    if context.can_be_ahead and goal:
        own_line = expected * context.value / goal  # the target's pace, not the band's edge
        ahead_line = own_line + abs(own_line) * context.ahead_share
    status = status_by_pace(qualifier, actual, expected, band, ahead_line)
    return with_stale(status, overdue), stale_note


def reference_periods_left(context: Context, through: date) -> int:
    _, ends = periods_and_ends(PeriodKind(context.target.cadence), context.plan.year)
    return len(ends) - bisect.bisect_right(ends, through)


@contextmanager
def plain_engine() -> Iterator[None]:
    """The engine with its fast parts replaced by the plain ones above."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(variance, "counted_points", reference_counted_points)
        patch.setattr(outcomes, "written_exactly", reference_written)
        patch.setattr(forecast, "written_exactly", reference_written)
        patch.setattr(judgement, "due_share", reference_due_share)
        patch.setattr(forecast, "first_day_due", reference_first_day)
        patch.setattr(score, "competition_ranks", reference_competition_ranks)
        patch.setattr(score, "summarize_district", reference_summarize_district)
        patch.setattr(variance, "_row", reference_row)
        patch.setattr(outcomes, "amount_status", reference_amount_status)
        patch.setattr(outcomes, "overdue_figure", reference_overdue_figure)
        patch.setattr(judgement, "overdue_figure", reference_overdue_figure)
        patch.setattr(measures, "reported_periods_left", reference_periods_left)
        yield
