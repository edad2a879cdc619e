"""The engine's earlier, plain code for each part since made faster: the statements the fast
parts are proven equal to. Inside `plain_engine()` the engine uses these instead of its fast
parts, so `reference_build_report` there computes the report the earlier engine computed:
every figure judged by the rule one record at a time, sums of figures in `Fraction`s, pace
shares worked out afresh each time, ranks by counting, summaries in `Fraction`s and every
row's score set again by the scoring method."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction
from operator import attrgetter

import pytest

from liuxia_tracker.domain.models import District, Pace, Plan
from liuxia_tracker.domain.periods import (
    Period,
    PeriodKind,
    days_in_year,
    periods_in_year,
    share_of_year_elapsed,
)
from liuxia_tracker.engine import forecast, judgement, outcome, score, variance
from liuxia_tracker.engine.decimals import Written
from liuxia_tracker.engine.judgement import Context
from liuxia_tracker.engine.known import is_known
from liuxia_tracker.engine.pace import exact, judged_on
from liuxia_tracker.engine.rows import DistrictSummary, Report, Status, TargetRow
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


@contextmanager
def plain_engine() -> Iterator[None]:
    """The engine with its fast parts replaced by the plain ones above."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(variance, "counted_points", reference_counted_points)
        patch.setattr(outcome, "written_exactly", reference_written)
        patch.setattr(forecast, "written_exactly", reference_written)
        patch.setattr(judgement, "due_share", reference_due_share)
        patch.setattr(forecast, "first_day_due", reference_first_day)
        patch.setattr(score, "competition_ranks", reference_competition_ranks)
        patch.setattr(score, "summarize_district", reference_summarize_district)
        yield
