"""Scores by the plan's method, district summaries, ranks within categories, and the report.

Guarantees: pure and exact (scores are computed in fractions; summaries carry floats). The
rules are stated in `engine.variance` (**Score**, **Scoring methods**, **Rank**).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction

from liuxia_tracker.domain.models import District, Plan
from liuxia_tracker.engine.decimals import EXACT_DECIMALS, written_exactly
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
    ordered = sorted(scores.values())
    count = len(ordered)
    return {key: count - bisect.bisect_right(ordered, score) + 1 for key, score in scores.items()}


def ranking_group(district: District) -> str:
    """The districts a district is compared with: its category (差异化考核); a district with
    `ranked: false` is alone, so it is compared with no one."""
    if not district.ranked:
        return f"unranked:{district.id}"
    return f"category:{district.category or ''}"


def _method_scores(
    plan: Plan, evaluated: dict[str, Sequence[Evaluated]]
) -> dict[tuple[str, str], Fraction | None]:
    """Each (district id, target id)'s score by the plan's method; None: not scored."""
    method = plan.settings.scoring
    cap = exact(plan.settings.score_cap)
    districts = {district.id: district for district in plan.districts}
    scores: dict[tuple[str, str], Fraction | None] = {}
    by_target: dict[tuple[str, str], dict[str, Fraction]] = {}
    weights: dict[tuple[str, str], Fraction] = {}
    for district_id, entries in evaluated.items():
        for entry in entries:
            row = entry.row
            weight = exact(row.weight)
            key = (district_id, row.target_id)
            weights[key] = weight
            if entry.ratio is None:
                scores[key] = ZERO if entry.scores_zero else None
                continue
            if method == "capped":
                scores[key] = min(entry.ratio, cap) * weight
            elif method == "all_or_nothing":
                scores[key] = weight if row.status in _MET_STATUSES else ZERO
            else:
                group = (ranking_group(districts[district_id]), row.target_id)
                by_target.setdefault(group, {})[district_id] = entry.ratio
    for (_, target_id), ratios in by_target.items():
        ranks = competition_ranks(ratios)
        low, high = min(ratios.values()), max(ratios.values())
        for district_id, ratio in ratios.items():
            weight = weights[(district_id, target_id)]
            if method == "rank_points":
                share = max(ZERO, ONE - RANK_POINTS_STEP * (ranks[district_id] - 1))
            elif high == low:
                share = ONE
            else:
                share = EFFICACY_BASE + EFFICACY_SPAN * (ratio - low) / (high - low)
            scores[(district_id, target_id)] = share * weight
    return scores


def summarize_district(
    district: District, rows: Iterable[TargetRow], rank: int | None = None
) -> DistrictSummary:
    """Counts per status (every status, zeros included) and the weighted score of `rows`."""
    counts = dict.fromkeys(Status, 0)
    scores: list[float] = []
    weights: list[float] = []
    for row in rows:
        counts[row.status] += 1
        if row.score is not None:
            scores.append(row.score)
            weights.append(row.weight)
    # The scores' exact sum (`Fraction(score)` each), over the weights as written.
    with localcontext(EXACT_DECIMALS):
        scored = Fraction(sum(map(Decimal, scores), Decimal(0)))
    weight = written_exactly(weights).total
    score = float(scored / weight) if weight else None
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


def evaluate_district(
    plan: Plan,
    district: District,
    series_of_district: Mapping[str, Series],
    as_of: date,
    known_by: date | None = None,
) -> list[Evaluated]:
    """Every target of `district`, in plan order, as of `as_of` on what was known by
    `known_by` (default: `as_of`): its row (scored as `capped`) and what the plan's scoring
    method needs. A target missing from `series_of_district` is evaluated as having no
    figures. The result holds plain values only (no series, no figures: it pickles), so a
    caller can evaluate districts one at a time, or elsewhere, and `assemble_report` them."""
    return [
        evaluate(plan, district, series_of_district.get(t.id) or Series(t), as_of, known_by)
        for t in district.targets
    ]


def assemble_report(
    plan: Plan,
    evaluated_by_district: Mapping[str, Sequence[Evaluated]],
    as_of: date,
    known_by: date | None = None,
) -> Report:
    """The report of the plan's districts that are keys of `evaluated_by_district` (each
    district's targets as `evaluate_district` gave them for the same `as_of` and `known_by`),
    in plan order whatever order they came in. Scores follow `settings.scoring`; rank_points
    and efficacy compare the districts reported here, within each category."""
    evaluated = {
        district.id: evaluated_by_district[district.id]
        for district in plan.districts
        if district.id in evaluated_by_district
    }
    rows: list[TargetRow] = []
    if plan.settings.scoring == "capped":  # `evaluate` scores every row so already
        rows = [entry.row for entries in evaluated.values() for entry in entries]
    else:
        scores = _method_scores(plan, evaluated)
        for district_id, entries in evaluated.items():
            for entry in entries:
                row = entry.row
                score = scores[(district_id, row.target_id)]
                shown = None if score is None else float(score)
                rows.append(row if shown == row.score else replace(row, score=shown))
    day = judged_on(plan.year, as_of)
    return Report(
        plan.year,
        day,
        tuple(rows),
        summarize_districts(plan, rows),
        known_by=None if known_by is None or known_by == as_of else known_by,
    )


def build_report(
    plan: Plan,
    series_by_district: Mapping[str, Mapping[str, Series]],
    as_of: date,
    known_by: date | None = None,
) -> Report:
    """The report as of `as_of` for the districts in `series_by_district`, in plan order, on
    what was known by `known_by` (default: `as_of`; a bulletin's issue day).

    Only the plan's districts that are keys of `series_by_district` are reported (so a caller
    picks districts by building their series); a target missing from a district's series is
    evaluated as having no figures. Scores follow `settings.scoring`; rank_points and efficacy
    compare the districts reported here, within each category. The same as
    `assemble_report` of each district's `evaluate_district`.
    """
    evaluated = {
        district.id: evaluate_district(
            plan, district, series_by_district[district.id], as_of, known_by
        )
        for district in plan.districts
        if district.id in series_by_district
    }
    return assemble_report(plan, evaluated, as_of, known_by)
