"""`tracker bulletin`: the 月通报 / 季分析 of a period, and the one it is compared with.

Guarantees: the bulletin of a period (a month, quarter, half or year of the plan year) is the
engine's report judged at the period's last day on the figures known by the issue day
(`build_report(…, as_of=period end, known_by=issued)`), set beside the previous bulletin: the
compare period (default: the period before, of the same kind) judged the same way, issued as
many months earlier as its period ends before this one (May issued 20 June → April issued 20
May). A compare period outside the plan year gives no comparison. Nothing is computed here
beyond choosing the days; the comparisons are `engine.bulletin`'s. Problems in the figure files
come back with the bulletin, as `tracker status` does.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date

from liuxia_tracker.commands.dataset import DataDir, without_cyclic_collection
from liuxia_tracker.commands.status import Filters, check_filters, load_series
from liuxia_tracker.diagnostics import Diagnostic, UsageError
from liuxia_tracker.domain.periods import Period, PeriodError, PeriodKind, parse_period
from liuxia_tracker.engine.bulletin import Bulletin, Grouping, compare, progress_paths
from liuxia_tracker.engine.rows import Report

BULLETIN_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR)


@dataclass(frozen=True, slots=True)
class BulletinResult:
    bulletin: Bulletin | None  # None: the plan has problems (see diagnostics)
    diagnostics: list[Diagnostic]


def bulletin_period(text: str, option: str = "--period") -> Period:
    """A month, quarter, half or year, or a usage error saying which periods a bulletin has."""
    try:
        period = parse_period(text)
    except PeriodError as error:
        raise UsageError(f"{option}: {error}") from None
    if period.kind not in BULLETIN_KINDS:
        raise UsageError(
            f"{option}: {text} is a {period.kind.value}; a bulletin is for a month (2023-05), "
            "a quarter (2023-Q2), a half (2023-H1) or a year (2023)"
        )
    return period


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def months_before(day: date, months: int) -> date:
    """`day` moved back by whole months, the day of the month kept where the month has it."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def compare_issue_day(period: Period, issued: date, compare_period: Period) -> date:
    """The previous bulletin's issue day: `issued` moved back by as many months as the compare
    period ends before this one (May issued 20 June → April issued 20 May)."""
    return months_before(issued, months_between(compare_period.end, period.end))


def build_bulletin(
    data_dir: DataDir,
    period: Period,
    issued: date,
    compare_period: Period | None = None,
    districts: tuple[str, ...] = (),
    grouping: Grouping = Grouping.DISTRICT,
) -> BulletinResult:
    from liuxia_tracker.engine.score import build_report

    if issued < period.end:
        raise UsageError(
            f"--issued {issued} is before the end of {period} ({period.end}); a bulletin is "
            "issued once its period is over"
        )
    before = compare_period or period.previous()
    if before.end >= period.end:
        raise UsageError(f"--compare: {before} does not end before {period}")
    loaded = load_series(data_dir)
    plan = loaded.plan
    if plan is None:
        return BulletinResult(None, loaded.diagnostics)
    if period.year != plan.year:
        raise UsageError(f"--period: {period} is outside the plan year {plan.year}")
    check_filters(plan, Filters(districts=districts))
    before_issued = compare_issue_day(period, issued, before)
    # Every district is judged (ranks compare them all); the districts asked for are kept.
    with without_cyclic_collection():
        report = build_report(plan, loaded.series_by_district, period.end, issued)
        previous = None
        if before.year == plan.year:
            previous = build_report(plan, loaded.series_by_district, before.end, before_issued)
        wanted = set(districts)
        series = {
            key: value
            for key, value in loaded.series_by_district.items()
            if not wanted or key in wanted
        }
        paths = progress_paths(plan, series, period.end, issued)
    if wanted:
        report = _only(report, wanted)
        previous = None if previous is None else _only(previous, wanted)
    bulletin = Bulletin(
        period=period,
        issued=issued,
        report=report,
        compare_period=before,
        compare_issued=before_issued,
        previous=previous,
        comparison=compare(report, previous),
        paths=paths,
        grouping=grouping,
        plan_title=plan.title,
        plan_source=plan.source,
    )
    return BulletinResult(bulletin, loaded.diagnostics)


def _only(report: Report, districts: set[str]) -> Report:
    """The report's rows and summaries of `districts`, their ranks kept (among all)."""
    ranked = sum(1 for summary in report.districts if summary.rank is not None)
    return replace(
        report,
        rows=tuple(row for row in report.rows if row.district_id in districts),
        districts=tuple(s for s in report.districts if s.district_id in districts),
        ranked=ranked,
    )
