"""District summaries, scores, ranks and the whole report.

Guarantees: pure. The rules are stated in `engine.variance`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from fractions import Fraction

from liuxia_tracker.domain.models import District, Plan
from liuxia_tracker.engine.pace import ZERO, exact, judged_on
from liuxia_tracker.engine.rows import DistrictSummary, Report, Status, TargetRow
from liuxia_tracker.engine.series import Series
from liuxia_tracker.engine.variance import evaluate_target


def summarize_district(
    district: District, rows: Iterable[TargetRow], rank: int | None = None
) -> DistrictSummary:
    """Counts per status (every status, zeros included) and the weighted score of `rows`."""
    counts = dict.fromkeys(Status, 0)
    scored = ZERO
    weights = ZERO
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
