"""Scores by the plan's method, district summaries, ranks within categories, and the report.

Guarantees: pure and exact (scores are computed in fractions; summaries carry floats). The
rules are stated in `engine.variance` (**Score**, **Scoring methods**, **Rank**).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from fractions import Fraction

from liuxia_tracker.domain.models import District, Plan
from liuxia_tracker.engine.pace import ONE, ZERO, exact, judged_on
from liuxia_tracker.engine.rows import DistrictSummary, Report, Status, TargetRow
from liuxia_tracker.engine.series import Series
from liuxia_tracker.engine.variance import Evaluated, evaluate

# 争先进位: the first place earns the full weight, each place after it 5% less.
RANK_POINTS_STEP = Fraction(5, 100)
# 功效系数法: 60% for the worst district, up to 100% for the best.
EFFICACY_BASE = Fraction(60, 100)
EFFICACY_SPAN = Fraction(40, 100)
# all_or_nothing: the statuses that count as met (or on the way to it) on the day.
_MET_STATUSES = frozenset({Status.ACHIEVED, Status.AHEAD, Status.ON_TRACK})


def competition_ranks(scores: dict[str, Fraction]) -> dict[str, int]:
    """Rank 1 for the highest score; equal scores share a rank and the next rank skips as many
    (1, 1, 3): a key's rank is 1 + the number of keys with a higher score."""
    ordered = sorted(scores.values(), reverse=True)
    ranks = {}
    for key, score in scores.items():
        higher = sum(1 for other in ordered if other > score)
        ranks[key] = higher + 1
    return ranks


def ranking_group(district: District) -> str:
    """The districts a district is compared with: its category (差异化考核); a district with
    `ranked: false` is alone, so it is compared with no one."""
    if not district.ranked:
        return f"unranked:{district.id}"
    return f"category:{district.category or ''}"


def _method_scores(
    plan: Plan, evaluated: dict[str, list[tuple[District, Evaluated]]]
) -> dict[tuple[str, str], Fraction | None]:
    """Each (district id, target id)'s score by the plan's method; None: not scored."""
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
                scores[key] = ZERO if entry.scores_zero else None
                continue
            if method == "capped":
                scores[key] = min(entry.ratio, cap) * weight
            elif method == "all_or_nothing":
                scores[key] = weight if row.status in _MET_STATUSES else ZERO
            else:
                group = (ranking_group(district), row.target_id)
                by_target.setdefault(group, {})[district_id] = entry.ratio
    for (_, target_id), ratios in by_target.items():
        ranks = competition_ranks(ratios)
        low, high = min(ratios.values()), max(ratios.values())
        for district_id, ratio in ratios.items():
            weight = _weight_of(evaluated[district_id], target_id)
            if method == "rank_points":
                share = max(ZERO, ONE - RANK_POINTS_STEP * (ranks[district_id] - 1))
            elif high == low:
                share = ONE
            else:
                share = EFFICACY_BASE + EFFICACY_SPAN * (ratio - low) / (high - low)
            scores[(district_id, target_id)] = share * weight
    return scores


def _weight_of(entries: list[tuple[District, Evaluated]], target_id: str) -> Fraction:
    for _, entry in entries:
        if entry.row.target_id == target_id:
            return exact(entry.row.weight)
    raise KeyError(target_id)  # pragma: no cover - every ratio comes from an entry


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
    return DistrictSummary(
        district.id,
        district.name,
        district.name_en,
        counts,
        score,
        rank,
        category=district.category if district.ranked else None,
    )


def rank_districts(
    summaries: Sequence[DistrictSummary], plan: Plan | None = None
) -> tuple[DistrictSummary, ...]:
    """The same summaries in the same order, each given its competition rank by score within
    its category (1, 1, 3), and how many are ranked there. With `plan`, a district marked
    `ranked: false` is left unranked."""
    unranked = (
        set()
        if plan is None
        else {district.id for district in plan.districts if not district.ranked}
    )
    groups: dict[str | None, dict[str, Fraction]] = {}
    for summary in summaries:
        if summary.score is not None and summary.district_id not in unranked:
            groups.setdefault(summary.category, {})[summary.district_id] = Fraction(summary.score)
    ranks: dict[str, tuple[int, int]] = {}
    for scores in groups.values():
        for district_id, rank in competition_ranks(scores).items():
            ranks[district_id] = (rank, len(scores))
    result = []
    for summary in summaries:
        found = ranks.get(summary.district_id)
        if found is None:
            result.append(replace(summary, rank=None, rank_total=None))
        else:
            result.append(replace(summary, rank=found[0], rank_total=found[1]))
    return tuple(result)


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
        ],
        plan,
    )


def build_report(
    plan: Plan,
    series_by_district: dict[str, dict[str, Series]],
    as_of: date,
    known_by: date | None = None,
) -> Report:
    """The report as of `as_of` for the districts in `series_by_district`, in plan order, on
    what was known by `known_by` (default: `as_of`; a bulletin's issue day).

    Only the plan's districts that are keys of `series_by_district` are reported (so a caller
    picks districts by building their series); a target missing from a district's series is
    evaluated as having no figures. Scores follow `settings.scoring`; rank_points and efficacy
    compare the districts reported here, within each category.
    """
    evaluated = {
        district.id: evaluate_district(
            plan, district, series_by_district[district.id], as_of, known_by
        )
        for district in plan.districts
        if district.id in series_by_district
    }
    return report_of(plan, evaluated, as_of, known_by)


def evaluate_district(
    plan: Plan,
    district: District,
    series: dict[str, Series],
    as_of: date,
    known_by: date | None = None,
) -> list[Evaluated]:
    """Each target of `district` evaluated (see `build_report`); the result holds no series,
    so districts can be evaluated one at a time, or in other processes."""
    return [
        evaluate(plan, district, series.get(target.id) or Series(target), as_of, known_by)
        for target in district.targets
    ]


def report_of(
    plan: Plan,
    evaluated: dict[str, list[Evaluated]],
    as_of: date,
    known_by: date | None = None,
) -> Report:
    """The report of the districts evaluated (`evaluate_district`, by district id), in plan
    order: scores across districts, summaries and ranks."""
    entries = {
        district.id: [(district, entry) for entry in evaluated[district.id]]
        for district in plan.districts
        if district.id in evaluated
    }
    scores = _method_scores(plan, entries)
    rows: list[TargetRow] = []
    for district_id, district_entries in entries.items():
        for _, entry in district_entries:
            score = scores[(district_id, entry.row.target_id)]
            rows.append(replace(entry.row, score=None if score is None else float(score)))
    day = judged_on(plan.year, as_of)
    return Report(
        plan.year,
        day,
        tuple(rows),
        summarize_districts(plan, rows),
        known_by=None if known_by is None or known_by == as_of else known_by,
    )
