"""Tests for `liuxia_tracker.engine.variance`: every number below is worked out by hand.

Shares of the year are days elapsed over days in the year (2023: 365, 2024: 366), counted
inclusively: 2023-01-31 is 31/365, 2023-02-28 is 59/365, 2023-06-30 is 181/365.
"""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from conftest import SEED_PLAN, records_of, run_cli, write_data_dir
from liuxia_tracker.commands.dataset import DataDir, figure_files_in, load_dataset
from liuxia_tracker.domain.models import Pace, Plan
from liuxia_tracker.engine.pace import due_share, exact, first_day_due, judged_on
from liuxia_tracker.engine.rows import (
    DistrictSummary,
    ExpectedBasis,
    OverdueItem,
    Status,
    TargetRow,
)
from liuxia_tracker.engine.score import build_report, summarize_district, summarize_districts
from liuxia_tracker.engine.series import Series, build_series
from liuxia_tracker.engine.variance import evaluate_target

REPOSITORY = Path(__file__).resolve().parents[1]

RATE: dict[str, Any] = {
    "id": "growth",
    "name": "地区生产总值增长",
    "group": "经济指标",
    "kind": "rate",
    "value": 6,
    "unit": "%",
    "cadence": "quarter",
}
QUANTITY: dict[str, Any] = {
    "id": "output",
    "name": "新增产值",
    "group": "重点项目",
    "kind": "quantity",
    "value": 365,
    "unit": "亿元",
    "cadence": "month",
    "reported_as": "cumulative",
}
ITEMS: dict[str, Any] = {
    "id": "expropriation",
    "name": "征收项目",
    "group": "征收",
    "kind": "items",
    "cadence": "month",
    "items": [
        {"id": "north", "name": "北片", "due": "2023-03-31"},
        {"id": "south", "name": "南片", "owner": "区住建局", "leader": "张三", "due": "2023-06-30"},
        {"id": "east", "name": "东片", "due": "2023-09-30"},
        {
            "id": "west",
            "name": "西片",
            "owner": "区征收中心",
            "leader": "李四",
            "due": "2023-05-31",
        },
    ],
}


def make_plan(*targets: dict[str, Any], year: int = 2023, **settings: Any) -> Plan:
    return Plan.model_validate(
        {
            "year": year,
            "settings": settings,
            "districts": [{"id": "lixia", "name": "历下区", "targets": list(targets)}],
        }
    )


def series_for(plan: Plan, records: list[dict[str, Any]]) -> dict[str, Series]:
    district = plan.districts[0]
    all_series, problems = build_series(plan, district, records_of(records))
    assert problems == []
    return all_series


def evaluate(
    target: dict[str, Any],
    records: list[dict[str, Any]],
    as_of: date,
    year: int = 2023,
    **settings: Any,
) -> TargetRow:
    plan = make_plan(target, year=year, **settings)
    all_series = series_for(plan, records)
    return evaluate_target(plan, plan.districts[0], all_series[target["id"]], as_of)


def figures(
    target_id: str, *pairs: tuple[str, float], unit: str | None = None
) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for period, value in pairs:
        record: dict[str, Any] = {"target": target_id, "period": period, "value": value}
        if unit is not None:
            record["unit"] = unit
        records.append(record)
    return records


def target(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


def share(days: int, year_days: int = 365) -> Fraction:
    return Fraction(days, year_days)


# --- pace: the share of the year due --------------------------------------------------------


def test_exact_reads_numbers_as_written_decimals() -> None:
    assert exact(0.1) == Fraction(1, 10)
    assert exact(6.5) - exact(0.5) == 6


@pytest.mark.parametrize(
    ("through", "expected"),
    [
        (date(2022, 12, 31), Fraction(0)),
        (date(2023, 1, 1), Fraction(1, 365)),
        (date(2023, 2, 28), Fraction(59, 365)),
        (date(2023, 6, 30), Fraction(181, 365)),
        (date(2023, 12, 31), Fraction(1)),
        (date(2024, 1, 3), Fraction(1)),
    ],
)
def test_linear_pace_counts_days_inclusively(through: date, expected: Fraction) -> None:
    assert due_share(Pace(), 2023, through) == expected


def test_linear_pace_in_a_leap_year() -> None:
    assert due_share(Pace(), 2024, date(2024, 2, 29)) == Fraction(60, 366)
    assert due_share(Pace(), 2024, date(2024, 12, 30)) == Fraction(365, 366)


WINTER_PAUSE = [0, 0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0]


@pytest.mark.parametrize(
    ("through", "expected"),
    [
        (date(2023, 2, 28), Fraction(0)),
        (date(2023, 3, 31), Fraction(1, 10)),
        # whole March, then 15 of April's 30 days of its 0.1
        (date(2023, 4, 15), Fraction(1, 10) + Fraction(1, 10) * Fraction(15, 30)),
        (date(2023, 11, 30), Fraction(1)),
        (date(2023, 12, 15), Fraction(1)),
    ],
)
def test_monthly_profile_adds_whole_months_and_part_of_the_current(
    through: date, expected: Fraction
) -> None:
    assert due_share(Pace(month=WINTER_PAUSE), 2023, through) == expected


def test_quarterly_profile_adds_part_of_the_current_quarter_by_days() -> None:
    pace = Pace(quarter=[0.1, 0.2, 0.3, 0.4])
    # Q1 whole; Q2 has 91 days, of which 1 April–16 May are 46.
    assert due_share(pace, 2023, date(2023, 5, 16)) == Fraction(1, 10) + Fraction(2, 10) * Fraction(
        46, 91
    )
    assert due_share(pace, 2023, date(2023, 9, 30)) == Fraction(6, 10)


def test_profile_weights_are_shares_of_their_own_sum() -> None:
    # Weights may miss 1 by up to 1e-9; the year still ends with its whole target due.
    pace = Pace(quarter=[0.25, 0.25, 0.25, 0.2499999999])
    assert due_share(pace, 2023, date(2023, 9, 30)) == Fraction(3, 4) / Fraction(9999999999, 10**10)


def test_first_day_due_is_the_first_day_the_share_is_reached() -> None:
    assert first_day_due(Pace(), 2023, Fraction(1, 2)) == date(2023, 7, 2)  # day 183 of 365
    assert first_day_due(Pace(), 2023, Fraction(182, 365)) == date(2023, 7, 1)
    assert first_day_due(Pace(), 2023, Fraction(3, 2)) is None


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2023, 6, 30), date(2023, 6, 30)),
        (date(2023, 12, 31), date(2023, 12, 31)),
        (date(2024, 3, 1), date(2023, 12, 31)),
    ],
)
def test_a_year_already_over_is_judged_at_its_end(as_of: date, expected: date) -> None:
    assert judged_on(2023, as_of) == expected


# --- rates ----------------------------------------------------------------------------------


def test_rate_above_target_is_on_track_with_variance_in_points() -> None:
    row = evaluate(RATE, figures("growth", ("2023-Q1", 5.1), ("2023-Q2", 6.2)), date(2023, 7, 15))
    assert row.status is Status.ON_TRACK
    assert row.actual == 6.2
    assert row.expected == 6
    assert row.expected_basis is ExpectedBasis.TARGET
    assert row.variance == 0.2  # exact decimals: not 0.20000000000000018
    assert row.completion == float(Fraction(62, 60))
    assert row.remaining == 0
    assert row.last_period == "2023-Q2"
    assert (row.forecast, row.forecast_date, row.forecast_reached) == (6.2, None, None)
    assert row.score == float(Fraction(62, 60))


@pytest.mark.parametrize(
    ("actual", "status"),
    [(6, Status.ON_TRACK), (5.0, Status.AT_RISK), (5.5, Status.AT_RISK), (4.9, Status.BEHIND)],
)
def test_rate_at_least_bands(actual: float, status: Status) -> None:
    row = evaluate(RATE, figures("growth", ("2023-Q1", actual)), date(2023, 5, 1))
    assert row.status is status
    assert row.variance == float(exact(actual) - 6)


def test_rate_at_risk_band_comes_from_the_target_when_given() -> None:
    row = evaluate(target(RATE, at_risk=0.5), figures("growth", ("2023-Q1", 5.4)), date(2023, 5, 1))
    assert row.status is Status.BEHIND
    row = evaluate(target(RATE, at_risk=0.5), figures("growth", ("2023-Q1", 5.5)), date(2023, 5, 1))
    assert row.status is Status.AT_RISK


REVENUE = target(RATE, id="revenue", value=17, qualifier="左右", cadence="month")


@pytest.mark.parametrize(
    ("actual", "status"),
    [
        (17, Status.ON_TRACK),
        (16.5, Status.ON_TRACK),  # the band's lower edge: 17 − 0.5
        (17.5, Status.ON_TRACK),
        (18, Status.ON_TRACK),  # above the band: exceeding is not a failure
        (18.5, Status.AHEAD),  # 1.5 points above the target: more than the 1 point ahead band
        (16.4, Status.AT_RISK),
        (15.5, Status.AT_RISK),  # 1 point below the lower edge
        (15.4, Status.BEHIND),
    ],
)
def test_rate_about_is_met_inside_its_tolerance(actual: float, status: Status) -> None:
    row = evaluate(REVENUE, figures("revenue", ("2023-05", actual)), date(2023, 6, 10))
    assert row.status is status
    assert row.tolerance == 0.5
    assert row.qualifier == "about"


def test_rate_about_uses_the_targets_own_tolerance() -> None:
    row = evaluate(
        target(REVENUE, tolerance=1), figures("revenue", ("2023-05", 16.0)), date(2023, 6, 10)
    )
    assert row.status is Status.ON_TRACK
    assert row.tolerance == 1
    assert row.variance == -1


CPI = target(RATE, id="cpi", value=3, qualifier="以内", cadence="month")


@pytest.mark.parametrize(
    ("actual", "status", "score"),
    [
        (2.0, Status.ON_TRACK, Fraction(1)),  # under a cap scores 1, never more
        (3, Status.ON_TRACK, Fraction(1)),
        (3.5, Status.AT_RISK, 1 - Fraction(1, 2) / 3),
        (4, Status.AT_RISK, 1 - Fraction(1) / 3),
        (4.1, Status.BEHIND, 1 - Fraction(11, 10) / 3),
        (7, Status.BEHIND, Fraction(0)),  # more than twice the cap: never below 0
    ],
)
def test_rate_at_most_inverts_the_comparison(
    actual: float, status: Status, score: Fraction
) -> None:
    row = evaluate(CPI, figures("cpi", ("2023-05", actual)), date(2023, 6, 10))
    assert row.status is status
    assert row.score == float(score)
    assert row.remaining == float(3 - exact(actual))


@pytest.mark.parametrize(
    ("q4", "as_of", "status"),
    [
        (6.0, date(2023, 12, 31), Status.ACHIEVED),
        (5.9, date(2023, 12, 31), Status.MISSED),
        (6.4, date(2024, 2, 1), Status.ACHIEVED),
    ],
)
def test_rate_at_year_end_is_achieved_or_missed(q4: float, as_of: date, status: Status) -> None:
    row = evaluate(RATE, figures("growth", ("2023-Q3", 6.1), ("2023-Q4", q4)), as_of)
    assert row.status is status
    assert row.last_period == "2023-Q4"


@pytest.mark.parametrize(("q3", "status"), [(6.1, Status.ACHIEVED), (5.9, Status.MISSED)])
def test_rate_year_over_is_judged_on_the_latest_figure_in_hand(q3: float, status: Status) -> None:
    # On 2023-12-31 the year is over; the Q4 figure is not due yet (30 January), so Q3 decides.
    row = evaluate(RATE, figures("growth", ("2023-Q3", q3)), date(2023, 12, 31))
    assert (row.status, row.actual, row.last_period) == (status, q3, "2023-Q3")
    assert row.note == "latest figure: 2023-Q3"
    # By 2024-03-01 the Q4 figure is overdue too: the same judgement, and the note says so.
    row = evaluate(RATE, figures("growth", ("2023-Q3", q3)), date(2024, 3, 1))
    assert row.status is status
    assert row.note == "the 2023-Q4 figure was due by 2024-01-30; latest: 2023-Q3"


def test_rate_without_figures_has_no_data_but_shows_its_target() -> None:
    # The Q1 figure is due by 30 April (31 March + 30 days): until then nothing is late.
    row = evaluate(RATE, [], date(2023, 4, 29))
    assert row.status is Status.NO_DATA
    assert (row.actual, row.variance, row.completion, row.remaining, row.score) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert row.expected == 6
    assert row.expected_basis is ExpectedBasis.TARGET
    assert (row.forecast, row.note) == (None, None)


def test_no_data_once_the_first_figure_is_overdue_scores_zero_and_says_why() -> None:
    row = evaluate(RATE, [], date(2023, 4, 30))
    assert (row.status, row.actual, row.score) == (Status.STALE, None, 0)  # 逾期未报
    assert row.note == "the 2023-Q1 figure was due by 2023-04-30; latest: none"
    row = evaluate(RATE, [], date(2023, 8, 15))
    assert row.note == "the 2023-Q2 figure was due by 2023-07-30; latest: none"


def test_a_revision_supersedes_the_earlier_figure_for_the_same_period() -> None:
    records = figures("revenue", ("2023-03", 16.3), ("2023-05", 16.2), ("2023-05", 16.6))
    plan = make_plan(REVENUE)
    all_series = series_for(plan, records)
    assert [
        point.value
        for point in all_series["revenue"].revisions[all_series["revenue"].points[-1].period]
    ] == [16.2]
    row = evaluate_target(plan, plan.districts[0], all_series["revenue"], date(2023, 6, 10))
    assert row.actual == 16.6
    assert row.status is Status.ON_TRACK  # 16.2 alone would have been at risk


def test_a_whole_year_figure_recorded_after_the_december_one_wins(tmp_path: Path) -> None:
    data = write_data_dir(
        tmp_path / "data",
        SEED_PLAN.read_bytes(),
        {
            "lixia": '- {"target": "revenue_growth", "period": "2023-12", "value": 15.4, "source": "s"}\n'
            '- {"target": "revenue_growth", "period": "2023", "value": 16, "source": "s"}\n'
        },
    )
    result = run_cli(
        "status", "lixia", "--data", str(data), "--as-of", "2024-02-01", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    [lixia] = json.loads(result.stdout)["districts"]
    shown = {
        target["id"]: (target["actual"], target["last_period"])
        for target in lixia["targets"]
        if target["actual"] is not None
    }
    assert shown == {"revenue_growth": (16, "2023")}


def test_rate_of_zero_keeps_positive_growth() -> None:
    zero = target(RATE, value=0)
    row = evaluate(zero, figures("growth", ("2023-Q1", -0.5)), date(2023, 5, 1))
    assert (row.status, row.completion, row.score) == (Status.AT_RISK, None, 0)
    row = evaluate(zero, figures("growth", ("2023-Q1", 0.3)), date(2023, 5, 1))
    assert (row.status, row.completion, row.score) == (Status.ON_TRACK, None, 1)


# --- quantities -----------------------------------------------------------------------------


def test_jan_feb_cumulative_figure_keyed_february_exactly_on_pace() -> None:
    row = evaluate(QUANTITY, figures("output", ("2023-02", 59)), date(2023, 3, 10))
    assert row.status is Status.ON_TRACK
    assert row.expected == 59  # 365 × 59/365: 1–2月 is 59 days
    assert row.expected_basis is ExpectedBasis.LAST_PERIOD
    assert row.variance == 0
    assert row.completion == float(Fraction(59, 365))
    assert row.remaining == 306
    assert row.forecast == 365
    assert (row.forecast_date, row.forecast_reached) == (date(2023, 12, 31), True)
    assert row.score == float(Fraction(59, 365))


def test_increments_are_summed() -> None:
    row = evaluate(
        target(QUANTITY, reported_as="increment"),
        figures("output", ("2023-01", 31), ("2023-02", 28), ("2023-03", 31)),
        date(2023, 4, 10),
    )
    assert row.actual == 90
    assert row.expected == 90
    assert row.status is Status.ON_TRACK
    assert row.last_period == "2023-03"


@pytest.mark.parametrize(
    ("actual", "status"),
    [(90, Status.ON_TRACK), (81, Status.AT_RISK), (80.9, Status.BEHIND)],
)
def test_quantity_at_risk_band_is_a_share_of_expected(actual: float, status: Status) -> None:
    # expected 90 by 31 March; 10% below it is 81.
    row = evaluate(QUANTITY, figures("output", ("2023-03", actual)), date(2023, 4, 10))
    assert row.status is status
    assert row.variance == float(exact(actual) - 90)


def test_quantity_converts_units_to_the_targets() -> None:
    quantity = target(QUANTITY, value=15, cadence="quarter")
    row = evaluate(quantity, figures("output", ("2023-Q2", 70000), unit="万元"), date(2023, 7, 1))
    assert row.actual == 7
    assert row.expected == float(15 * share(181))
    assert row.status is Status.AT_RISK  # 7 ≥ 15 × 181/365 × 0.9 = 6.69…


def test_quantity_reached_early_is_achieved_with_the_day_it_was_reached() -> None:
    quantity = target(QUANTITY, value=100)
    row = evaluate(quantity, figures("output", ("2023-04", 70), ("2023-05", 100)), date(2023, 6, 5))
    assert row.status is Status.ACHIEVED
    assert row.completion == 1
    assert row.remaining == 0
    assert row.forecast == float(100 / share(151))
    assert (row.forecast_date, row.forecast_reached) == (date(2023, 5, 31), True)


def test_quantity_not_met_at_year_end_is_missed() -> None:
    quantity = target(QUANTITY, value=100)
    row = evaluate(quantity, figures("output", ("2023-12", 90)), date(2023, 12, 31))
    assert row.status is Status.MISSED
    assert (row.expected, row.variance, row.remaining) == (100, -10, 10)
    assert row.expected_basis is ExpectedBasis.YEAR_END
    # The year is over: nothing is left to forecast.
    assert (row.forecast, row.forecast_date, row.forecast_reached) == (None, None, None)


def test_quantity_at_year_end_without_the_december_figure_is_judged_on_what_is_in() -> None:
    quantity = target(QUANTITY, value=100)
    # 90 of 100 through November: the year is over, so it is measured against the whole target.
    row = evaluate(quantity, figures("output", ("2023-11", 90)), date(2023, 12, 31))
    assert row.status is Status.MISSED
    assert (row.expected, row.variance) == (100, -10)
    assert row.note == "latest figure: 2023-11"  # the December figure is due on 20 January
    row = evaluate(quantity, figures("output", ("2023-11", 100)), date(2023, 12, 31))
    assert (row.status, row.note) == (Status.ACHIEVED, "latest figure: 2023-11")


def test_quantity_year_over_on_a_september_figure_is_missed() -> None:
    quarterly = target(QUANTITY, value=100, cadence="quarter")
    row = evaluate(quarterly, figures("output", ("2023-Q3", 95)), date(2024, 1, 15))
    assert (row.status, row.last_period, row.actual) == (Status.MISSED, "2023-Q3", 95)
    assert row.note == "latest figure: 2023-Q3"  # Q4 is due on 30 January 2024
    monthly = target(QUANTITY, value=100)
    row = evaluate(monthly, figures("output", ("2023-09", 95)), date(2024, 1, 15))
    assert row.status is Status.MISSED
    # The November figure was due by 20 December: the stale note names the latest figure.
    assert row.note == "the 2023-11 figure was due by 2023-12-20; latest: 2023-09"


def test_a_year_over_is_reported_as_of_its_last_day() -> None:
    plan = make_plan(QUANTITY)
    report = build_report(plan, {"lixia": series_for(plan, [])}, date(2024, 3, 31))
    assert (report.year, report.as_of) == (2023, date(2023, 12, 31))
    # Lateness still counts from the real day: the December figure was due by 20 January 2024.
    assert report.rows[0].note == "the 2023-12 figure was due by 2024-01-20; latest: none"


def test_forecast_not_this_year() -> None:
    quantity = target(QUANTITY, value=100)
    row = evaluate(quantity, figures("output", ("2023-06", 40)), date(2023, 7, 5))
    assert row.forecast == float(40 / share(181))  # 80.66…
    assert (row.forecast_date, row.forecast_reached) == (None, False)
    assert row.status is Status.BEHIND


@pytest.mark.parametrize(
    ("as_of", "stale"),
    [(date(2023, 6, 19), False), (date(2023, 6, 20), True)],
)
def test_stale_once_the_next_figure_is_lag_days_overdue(as_of: date, stale: bool) -> None:
    # The May figure is due 20 days after 31 May: on 20 June. 160 through April is ahead of
    # April's pace (120, ahead beyond 132); once May's figure is overdue it is measured against
    # May's pace, 151: on pace (below 166.1), so the late figure shows as stale.
    row = evaluate(QUANTITY, figures("output", ("2023-04", 160)), as_of)
    assert (row.status is Status.STALE) is stale
    if stale:
        assert row.note == "the 2023-05 figure was due by 2023-06-20; latest: 2023-04"
        assert (row.expected, row.variance) == (151, 9)
        assert row.expected_basis is ExpectedBasis.DUE_PERIOD
    else:
        assert row.status is Status.AHEAD
        assert (row.expected, row.note) == (120, None)


def test_stale_lag_comes_from_the_plan() -> None:
    row = evaluate(
        QUANTITY,
        figures("output", ("2023-04", 160)),
        date(2023, 6, 5),
        lag_days={"month": 5},
    )
    assert row.status is Status.STALE
    assert row.note == "the 2023-05 figure was due by 2023-06-05; latest: 2023-04"


def test_a_cadence_left_out_of_lag_days_keeps_its_default_lag() -> None:
    weekly = target(QUANTITY, cadence="week")
    records = figures("output", ("2023-W20", 150))
    # 2023-W21 ends Sunday 28 May; with the default 3 days' lag it is due on 31 May.
    row = evaluate(weekly, records, date(2023, 5, 30), lag_days={"month": 5})
    assert row.status is Status.ON_TRACK
    row = evaluate(weekly, records, date(2023, 5, 31), lag_days={"month": 5})
    assert row.status is Status.STALE
    assert row.note == "the 2023-W21 figure was due by 2023-05-31; latest: 2023-W20"


DELIVERED = target(
    QUANTITY, id="delivered", value=12, unit="栋", cadence="week", reported_as="increment"
)


@pytest.mark.parametrize(
    ("w20", "status"),
    [(2, Status.BEHIND), (4.5, Status.AT_RISK), (5, Status.STALE)],
)
def test_late_and_off_pace_shows_the_worse_of_the_two(w20: float, status: Status) -> None:
    # The W25 figure (to Sunday 25 June, day 176) was due by 28 June, so the pace is measured
    # there: expected 12 × 176/365 = 5.786…, at risk down to 5.207…, ahead beyond 6.365….
    # Totals 3, 5.5 and 6. Stale replaces on track (and ahead) only.
    row = evaluate(
        DELIVERED, figures("delivered", ("2023-W10", 1), ("2023-W20", w20)), date(2023, 6, 30)
    )
    assert row.status is status
    assert row.expected == float(12 * share(176))
    assert row.note == "the 2023-W25 figure was due by 2023-06-28; latest: 2023-W20"


def test_a_rate_at_risk_and_late_stays_at_risk() -> None:
    row = evaluate(RATE, figures("growth", ("2023-Q1", 5.5)), date(2023, 8, 1))
    assert row.status is Status.AT_RISK
    assert row.note == "the 2023-Q2 figure was due by 2023-07-30; latest: 2023-Q1"


def test_late_notes_stay_on_achieved_and_capped_rows() -> None:
    reached = evaluate(
        target(QUANTITY, value=100), figures("output", ("2023-04", 100)), date(2023, 6, 20)
    )
    assert reached.status is Status.ACHIEVED
    assert reached.note == "the 2023-05 figure was due by 2023-06-20; latest: 2023-04"
    over = evaluate(ENERGY_CAP, figures("energy", ("2023-04", 400)), date(2023, 6, 20))
    assert over.status is Status.BEHIND
    assert over.note == "cap exceeded; the 2023-05 figure was due by 2023-06-20; latest: 2023-04"


def test_monthly_profile_pace_and_forecast_day() -> None:
    quantity = target(QUANTITY, value=100, pace={"month": WINTER_PAUSE})
    row = evaluate(quantity, figures("output", ("2023-04", 30)), date(2023, 5, 10))
    assert row.expected == 20  # March and April: 0.1 + 0.1
    assert row.status is Status.AHEAD  # 30 is more than 10% above 20
    assert row.forecast == 150
    # 100 of 150 is 2/3 of the year's pace: 0.6 by August, then 2/3 of September's 0.1.
    assert (row.forecast_date, row.forecast_reached) == (date(2023, 9, 20), True)


def test_quarterly_profile_pace() -> None:
    quantity = target(QUANTITY, value=40, cadence="quarter", pace={"quarter": [0.1, 0.2, 0.3, 0.4]})
    row = evaluate(quantity, figures("output", ("2023-Q2", 12)), date(2023, 7, 20))
    assert row.expected == 12  # 40 × (0.1 + 0.2)
    assert row.variance == 0
    assert row.status is Status.ON_TRACK


QUANTITY_ABOUT = target(QUANTITY, id="yield", value=15, qualifier="about", cadence="quarter")


@pytest.mark.parametrize(
    ("q4", "status"),
    [
        (14.25, Status.ACHIEVED),  # 15 − 5% × 15 = 14.25, the band's lower edge
        (15.75, Status.ACHIEVED),
        (16.5, Status.ACHIEVED),  # above the band too
        (14.2, Status.MISSED),
    ],
)
def test_quantity_about_is_met_inside_its_tolerance(q4: float, status: Status) -> None:
    row = evaluate(QUANTITY_ABOUT, figures("yield", ("2023-Q4", q4)), date(2023, 12, 31))
    assert row.status is status
    assert row.tolerance == 0.75


def test_quantity_about_paces_the_lower_edge() -> None:
    # Pace line by 30 June: 14.25 × 181/365 = 7.066…; at risk down to 90% of it (6.359…).
    on_line = Fraction(1425, 100) * share(181)
    row = evaluate(QUANTITY_ABOUT, figures("yield", ("2023-Q2", 7.07)), date(2023, 7, 1))
    assert on_line < 7.07
    assert row.status is Status.ON_TRACK
    # Expected is the line the status is judged against, not 15 × 181/365 = 7.438…
    assert row.expected == float(on_line)
    assert row.variance == float(Fraction(707, 100) - on_line)  # +0.0035…
    row = evaluate(QUANTITY_ABOUT, figures("yield", ("2023-Q2", 7.0)), date(2023, 7, 1))
    assert row.status is Status.AT_RISK
    row = evaluate(QUANTITY_ABOUT, figures("yield", ("2023-Q2", 6.3)), date(2023, 7, 1))
    assert row.status is Status.BEHIND


def test_quantity_about_with_its_own_tolerance_in_the_targets_unit() -> None:
    row = evaluate(
        target(QUANTITY_ABOUT, tolerance=1), figures("yield", ("2023-Q4", 14)), date(2023, 12, 31)
    )
    assert row.status is Status.ACHIEVED
    assert row.tolerance == 1
    assert row.remaining == 1


ENERGY_CAP = target(QUANTITY, id="energy", qualifier="at_most", unit="万吨")


@pytest.mark.parametrize(
    ("value", "status", "note"),
    [
        (50, Status.ON_TRACK, None),
        (59, Status.ON_TRACK, None),  # exactly on the cap's pace: 365 × 59/365
        (64.9, Status.AT_RISK, None),  # 10% above pace
        (65, Status.BEHIND, None),
        (400, Status.BEHIND, "cap exceeded"),
    ],
)
def test_quantity_cap_inverts_the_comparison(
    value: float, status: Status, note: str | None
) -> None:
    row = evaluate(ENERGY_CAP, figures("energy", ("2023-02", value)), date(2023, 3, 10))
    assert (row.status, row.note) == (status, note)


@pytest.mark.parametrize(
    ("december", "status", "score", "remaining"),
    [(360, Status.ACHIEVED, Fraction(1), 5), (370, Status.MISSED, 1 - Fraction(5, 365), -5)],
)
def test_quantity_cap_at_year_end(
    december: float, status: Status, score: Fraction, remaining: float
) -> None:
    row = evaluate(ENERGY_CAP, figures("energy", ("2023-12", december)), date(2023, 12, 31))
    assert row.status is status
    assert row.score == float(score)
    assert row.remaining == remaining


@pytest.mark.parametrize(("november", "status"), [(300, Status.ACHIEVED), (370, Status.MISSED)])
def test_quantity_cap_year_over_on_the_november_figure(november: float, status: Status) -> None:
    row = evaluate(ENERGY_CAP, figures("energy", ("2023-11", november)), date(2023, 12, 31))
    assert (row.status, row.note) == (status, "latest figure: 2023-11")


def test_no_data_after_the_year_is_still_no_data() -> None:
    row = evaluate(QUANTITY, [], date(2024, 2, 1))
    assert (row.status, row.actual, row.expected, row.score) == (Status.STALE, None, 365, 0)
    assert row.note == "the 2023-12 figure was due by 2024-01-20; latest: none"


def test_leap_year_pace_and_forecast_day() -> None:
    quantity = target(QUANTITY, value=366)
    row = evaluate(quantity, figures("output", ("2024-02", 60)), date(2024, 3, 5), year=2024)
    assert row.expected == 60  # 366 × 60/366: February 2024 has 29 days
    assert row.status is Status.ON_TRACK
    row = evaluate(quantity, figures("output", ("2024-01", 62)), date(2024, 2, 5), year=2024)
    assert row.forecast == 732  # 62 ÷ 31/366
    # Half of 732 is due after 183 of 366 days: 1 January + 182 days.
    assert (row.forecast_date, row.forecast_reached) == (date(2024, 7, 1), True)


WEEKLY = target(QUANTITY, id="delivered", value=100, cadence="week", reported_as="increment")


def test_iso_week_53_counts_in_its_year_and_closes_it() -> None:
    records = figures("delivered", ("2020-W01", 10), ("2020-W53", 5))
    row = evaluate(WEEKLY, records, date(2021, 1, 10), year=2020)
    # 2020-W53 runs to 3 January 2021: it covers the year end, so the year is judged.
    assert row.status is Status.MISSED
    assert (row.actual, row.expected, row.last_period) == (15, 100, "2020-W53")
    row = evaluate(target(WEEKLY, value=15), records, date(2021, 1, 10), year=2020)
    assert row.status is Status.ACHIEVED
    assert (row.forecast, row.forecast_date, row.forecast_reached) == (None, None, None)


def test_iso_week_53_is_due_after_the_year_end() -> None:
    records = figures("delivered", ("2020-W52", 10))
    row = evaluate(WEEKLY, records, date(2021, 1, 10), year=2020)
    assert row.status is Status.MISSED  # the year is over: 10 of 100 is not met
    assert row.note == "the 2020-W53 figure was due by 2021-01-06; latest: 2020-W52"


def test_first_and_last_day_of_the_year_without_figures() -> None:
    first = evaluate(QUANTITY, [], date(2023, 1, 1))
    assert (first.status, first.expected, first.expected_basis) == (
        Status.NO_DATA,
        1,
        ExpectedBasis.AS_OF,
    )
    last = evaluate(QUANTITY, [], date(2023, 12, 31))
    # Every month to October is overdue on 31 December: not reporting is stale (逾期未报).
    assert (last.status, last.expected) == (Status.STALE, 365)


def test_before_the_year_nothing_counts() -> None:
    # 2020-W01 begins on 30 December 2019, but the 2020 plan year has not.
    row = evaluate(WEEKLY, figures("delivered", ("2020-W01", 10)), date(2019, 12, 31), year=2020)
    assert (row.status, row.actual, row.expected) == (Status.NO_DATA, None, 0)


def test_figures_after_the_as_of_day_are_not_yet_known() -> None:
    records = figures("output", ("2023-05", 150), ("2023-06", 181), ("2023-07", 300))
    row = evaluate(QUANTITY, records, date(2023, 6, 30))
    assert (row.actual, row.last_period, row.status) == (181, "2023-06", Status.ON_TRACK)


# --- items ----------------------------------------------------------------------------------


def item(item_id: str, done: bool, day: str | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {"target": "expropriation", "item": item_id, "done": done}
    if day is not None:
        record["date"] = day
    return record


def test_items_count_done_and_list_the_overdue() -> None:
    records = [
        item("north", True, "2023-03-01"),
        item("south", False, "2023-06-15"),
        item("west", True, "2023-05-30"),
    ]
    row = evaluate(ITEMS, records, date(2023, 7, 1))
    assert (row.items_done, row.items_total, row.actual) == (2, 4, 2)
    assert row.expected == float(4 * share(182))  # 1 July is day 182
    assert row.expected_basis is ExpectedBasis.AS_OF
    assert row.status is Status.ON_TRACK
    assert row.overdue_items == (
        OverdueItem("south", "南片", "区住建局", "张三", date(2023, 6, 30)),
    )
    assert row.last_period is None
    assert row.completion == 0.5


def test_items_all_named_are_never_stale_and_ignore_later_records() -> None:
    records = [item("north", True, "2023-03-01"), item("west", True, "2023-08-30")]
    row = evaluate(ITEMS, records, date(2023, 7, 1))
    assert row.items_done == 1  # the west record is dated after 1 July
    assert row.status is Status.BEHIND  # 1 < 4 × 182/365 × 0.9
    assert [overdue.id for overdue in row.overdue_items] == ["south", "west"]


def test_items_all_named_without_records_score_zero_from_their_first_figure_due() -> None:
    # The list has no count to be late on (no note), but its cadence's January figure is due by
    # 20 February: from then on silence scores 0.
    assert evaluate(ITEMS, [], date(2023, 2, 19)).score is None
    row = evaluate(ITEMS, [], date(2023, 2, 20))
    assert (row.status, row.score) == (Status.STALE, 0)
    assert row.note == "the 2023-01 figure was due by 2023-02-20; latest: none"


def test_items_about_expect_the_lower_edges_pace() -> None:
    about = target(ITEMS, value=8, items=[], qualifier="about", tolerance=1)
    row = evaluate(about, figures("expropriation", ("2023-05", 3)), date(2023, 6, 10))
    # Lower edge 8 − 1 = 7; 10 June is day 161: 7 × 161/365 = 3.087…, at risk down to 2.778…
    assert row.expected == float(7 * share(161))
    assert row.variance == float(3 - 7 * share(161))
    assert row.status is Status.AT_RISK


def test_items_without_any_record_have_no_data() -> None:
    row = evaluate(ITEMS, [], date(2023, 7, 1))
    assert (row.status, row.actual, row.items_done, row.items_total) == (
        Status.STALE,
        None,
        None,
        4,
    )
    assert [overdue.id for overdue in row.overdue_items] == ["north", "south", "west"]


def test_items_all_done_are_achieved() -> None:
    records = [item(name, True) for name in ("north", "south", "east", "west")]
    row = evaluate(ITEMS, records, date(2023, 7, 1))
    assert row.status is Status.ACHIEVED
    assert (row.forecast, row.forecast_date, row.forecast_reached) == (4, None, True)
    assert row.overdue_items == ()


def test_items_not_done_at_year_end_are_missed() -> None:
    records = [item("north", True), item("south", True), item("east", False)]
    row = evaluate(ITEMS, records, date(2023, 12, 31))
    assert row.status is Status.MISSED
    assert (row.actual, row.expected, row.variance, row.remaining) == (2, 4, -2, 2)


def test_items_done_after_the_year_ended_do_not_count_for_it() -> None:
    year_end_due = target(
        ITEMS, items=[*ITEMS["items"][:3], {"id": "west", "name": "西片", "due": "2023-12-31"}]
    )
    records = [item(name, True, "2023-11-20") for name in ("north", "south", "east")]
    records.append(item("west", True, "2024-01-15"))
    row = evaluate(year_end_due, records, date(2024, 3, 1))
    assert (row.status, row.items_done) == (Status.MISSED, 3)
    assert [overdue.id for overdue in row.overdue_items] == ["west"]


def test_items_forecast_day_at_the_run_rate() -> None:
    two = target(ITEMS, items=ITEMS["items"][:2])
    row = evaluate(two, [item("north", True)], date(2023, 4, 1))
    # 1 done by day 91: 2 are done by day 182 at that rate; the year-end value is capped at 2.
    assert row.forecast == 2
    assert (row.forecast_date, row.forecast_reached) == (date(2023, 7, 1), True)


COUNTED = target(ITEMS, id="expropriation", value=8, items=ITEMS["items"][:2])


def test_items_add_the_count_of_the_unnamed_remainder() -> None:
    records = [item("north", True, "2023-03-01"), *figures("expropriation", ("2023-05", 3))]
    row = evaluate(COUNTED, records, date(2023, 6, 10))
    assert (row.actual, row.items_done, row.items_total) == (4, 4, 8)
    assert row.last_period == "2023-05"
    assert row.expected == float(8 * share(161))
    assert row.status is Status.AHEAD  # 4 > 3.528… × 1.1 = 3.880…


def test_items_count_overdue_is_stale() -> None:
    records = [item("north", True, "2023-03-01"), *figures("expropriation", ("2023-03", 3))]
    row = evaluate(COUNTED, records, date(2023, 6, 30))
    assert row.status is Status.STALE
    assert row.note == "the 2023-05 figure was due by 2023-06-20; latest: 2023-03"
    # Far behind and late: behind is worse than stale and stays; the note still says why late.
    only_named = evaluate(COUNTED, [item("north", True, "2023-03-01")], date(2023, 6, 30))
    assert only_named.status is Status.BEHIND  # 1 < 8 × 181/365 × 0.9 = 3.57…
    assert only_named.note == "the 2023-05 figure was due by 2023-06-20; latest: none"


def test_items_year_over_with_the_remainders_count_short_of_december() -> None:
    records = [item("north", True, "2023-03-01"), *figures("expropriation", ("2023-11", 5))]
    row = evaluate(COUNTED, records, date(2023, 12, 31))
    assert (row.status, row.actual) == (Status.MISSED, 6)
    assert row.note == "latest figure: 2023-11"
    records = [item("north", True, "2023-03-01"), *figures("expropriation", ("2023-11", 7))]
    row = evaluate(COUNTED, records, date(2023, 12, 31))
    assert (row.status, row.actual) == (Status.ACHIEVED, 8)


# --- districts ------------------------------------------------------------------------------


def two_district_plan(first_name: str = "章丘区") -> Plan:
    return Plan.model_validate(
        {
            "year": 2023,
            "districts": [
                {
                    "id": "zhangqiu",
                    "name": first_name,
                    "targets": [target(RATE, weight=1)],
                },
                {
                    "id": "lixia",
                    "name": "历下区",
                    "targets": [
                        target(RATE, weight=2),
                        target(QUANTITY, weight=1),
                        target(ITEMS, weight=5),
                    ],
                },
            ],
        }
    )


def report_for(plan: Plan, records: dict[str, list[dict[str, Any]]], as_of: date) -> Any:
    series_by_district = {}
    for district in plan.districts:
        if district.id in records:
            file = records_of(records[district.id])
            series_by_district[district.id], problems = build_series(plan, district, file)
            assert problems == []
    return build_report(plan, series_by_district, as_of)


def test_district_score_caps_each_target_and_counts_late_ones_without_data_as_zero() -> None:
    plan = two_district_plan()
    report = report_for(
        plan,
        {
            "lixia": figures("growth", ("2023-Q1", 7.5)) + figures("output", ("2023-06", 182.5)),
            "zhangqiu": figures("growth", ("2023-Q1", 6.3)),
        },
        date(2023, 7, 10),
    )
    summaries = {summary.district_id: summary for summary in report.districts}
    # 历下区: growth 7.5/6 = 1.25 capped at 1.2, weight 2; output 182.5/365 = 0.5, weight 1;
    # the items target has no data although its January figure was due by 20 February: it
    # scores 0 with its weight 5. (2.4 + 0.5 + 0) / 8 = 0.3625.
    assert summaries["lixia"].score == 0.3625
    assert report.rows[3].score == 0
    assert summaries["zhangqiu"].score == float(Fraction(63, 60))
    assert (summaries["zhangqiu"].rank, summaries["lixia"].rank) == (1, 2)
    # 7.5% is 1.5 points above 6%: ahead; 182.5 is exactly on pace; the silent items are stale.
    assert summaries["lixia"].counts[Status.ON_TRACK] == 1
    assert summaries["lixia"].counts[Status.AHEAD] == 1
    assert summaries["lixia"].counts[Status.STALE] == 1
    assert sum(summaries["lixia"].counts.values()) == 3
    assert [summary.district_id for summary in report.districts] == ["zhangqiu", "lixia"]
    assert [row.target_id for row in report.rows] == ["growth", "growth", "output", "expropriation"]


def recorded_early(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records, each recorded on 1 February (so a running quarter's figure counts)."""
    return [{**record, "recorded_at": "2023-02-01T09:00:00+08:00"} for record in records]


def test_ties_share_a_rank_and_no_score_has_no_rank() -> None:
    plan = two_district_plan(first_name="Zhangqiu")  # sorts before 历下区 by name, not by id
    report = report_for(
        plan,
        {
            "lixia": recorded_early(figures("growth", ("2023-Q1", 6.0))),
            "zhangqiu": recorded_early(figures("growth", ("2023-Q1", 6.0))),
        },
        date(2023, 2, 19),  # 历下区's quantity and items are not due yet: they do not count
    )
    assert [(s.district_id, s.score, s.rank) for s in report.districts] == [
        ("zhangqiu", 1.0, 1),
        ("lixia", 1.0, 1),
    ]
    # Before any first figure is due (the monthly ones by 20 February), nothing is scored.
    empty = report_for(plan, {"lixia": [], "zhangqiu": []}, date(2023, 2, 19))
    assert [(s.score, s.rank) for s in empty.districts] == [(None, None), (None, None)]


def test_not_reporting_never_raises_a_score() -> None:
    plan = two_district_plan()
    # By 1 May every first figure is due (Q1 rates by 30 April): silence scores 0, ranked.
    empty = report_for(plan, {"lixia": [], "zhangqiu": []}, date(2023, 5, 1))
    assert [(s.district_id, s.score, s.rank) for s in empty.districts] == [
        ("zhangqiu", 0.0, 1),
        ("lixia", 0.0, 1),
    ]
    # 历下区 reports its rate only (6.6/6 = 1.1, weight 2): the quantity (weight 1) and the items
    # (weight 5) are late and count 0. Recording one item done adds to the score, never lowers it.
    rate_only = figures("growth", ("2023-Q1", 6.6))
    before = report_for(plan, {"lixia": rate_only}, date(2023, 5, 1)).districts[0]
    assert before.score == float(Fraction(22, 10) / 8)  # 0.275
    after = report_for(
        plan, {"lixia": [*rate_only, item("north", True, "2023-03-01")]}, date(2023, 5, 1)
    ).districts[0]
    assert after.score == float((Fraction(22, 10) + Fraction(1, 4) * 5) / 8)  # 0.43125


def test_no_data_is_left_out_of_the_score_until_the_first_figure_is_due() -> None:
    plan = two_district_plan()
    # 19 February: the January figures of the quantity and the items are due tomorrow.
    # The Q1 rate is still running in February: it counts because it was recorded by then.
    early = recorded_early(figures("growth", ("2023-Q1", 6.6)))
    report = report_for(plan, {"lixia": early}, date(2023, 2, 19))
    assert [row.score for row in report.rows] == [2.2, None, None]
    assert report.districts[0].score == 1.1
    report = report_for(plan, {"lixia": early}, date(2023, 2, 20))
    assert [row.score for row in report.rows] == [2.2, 0, 0]
    assert report.districts[0].score == 0.275


def test_report_covers_only_the_districts_given() -> None:
    plan = two_district_plan()
    report = report_for(plan, {"lixia": []}, date(2023, 2, 1))
    assert {row.district_id for row in report.rows} == {"lixia"}
    assert [summary.district_id for summary in report.districts] == ["lixia"]
    assert report.districts[0].rank is None
    assert (report.year, report.as_of) == (2023, date(2023, 2, 1))


def test_summaries_of_filtered_rows_count_only_those_rows() -> None:
    plan = two_district_plan()
    report = report_for(
        plan, {"lixia": figures("growth", ("2023-Q1", 4.0)), "zhangqiu": []}, date(2023, 5, 1)
    )
    behind = [row for row in report.rows if row.status is Status.BEHIND]
    summaries = summarize_districts(plan, behind)
    assert [(s.district_id, s.counts[Status.BEHIND], s.rank) for s in summaries] == [
        ("lixia", 1, 1)
    ]
    single = summarize_district(plan.districts[1], behind)
    assert single == DistrictSummary(
        "lixia",
        "历下区",
        None,
        {**dict.fromkeys(Status, 0), Status.BEHIND: 1},
        float(Fraction(4, 6)),
        None,
    )


# --- the seed data tells a story that shows every status ------------------------------------

SEED_AT_MID_YEAR = {
    ("lixia", "gdp_growth"): Status.AT_RISK,
    ("lixia", "revenue_growth"): Status.ON_TRACK,
    ("lixia", "fai_growth"): Status.STALE,
    ("lixia", "cbd_buildings_under_construction"): Status.AHEAD,
    ("lixia", "cbd_area_under_construction"): Status.AT_RISK,
    ("lixia", "cbd_buildings_delivered"): Status.BEHIND,  # and late: behind is worse than stale
    ("lixia", "cbd_area_delivered"): Status.BEHIND,
    ("lixia", "fortune500_projects"): Status.AHEAD,
    ("lixia", "new_yiyuan_buildings"): Status.STALE,  # its Q1 figure was due by 30 April
    ("lixia", "land_expropriation"): Status.ON_TRACK,
    ("lixia", "innovation_items"): Status.AT_RISK,
    ("zhangqiu", "yilaite_output"): Status.AT_RISK,
    ("zhangqiu", "mingquan_output"): Status.BEHIND,
    ("zhangqiu", "provincial_key_projects"): Status.ACHIEVED,
    ("zhangqiu", "municipal_key_projects"): Status.ON_TRACK,
    ("zhangqiu", "leader_contracted_projects"): Status.AT_RISK,
    ("zhangqiu", "projects_into_production"): Status.ON_TRACK,
    ("zhangqiu", "provincial_high_tech_zone"): Status.STALE,
}
# The year is over on 31 December: every target with data is achieved or missed on what is in.
SEED_AT_YEAR_END = {
    ("lixia", "gdp_growth"): Status.ACHIEVED,  # 6.3 through Q3
    ("lixia", "revenue_growth"): Status.MISSED,
    ("lixia", "fai_growth"): Status.ACHIEVED,
    ("lixia", "cbd_buildings_under_construction"): Status.ACHIEVED,
    ("lixia", "cbd_area_under_construction"): Status.MISSED,
    ("lixia", "cbd_buildings_delivered"): Status.ACHIEVED,
    ("lixia", "cbd_area_delivered"): Status.MISSED,
    ("lixia", "fortune500_projects"): Status.ACHIEVED,
    ("lixia", "new_yiyuan_buildings"): Status.MISSED,
    ("lixia", "land_expropriation"): Status.ACHIEVED,
    ("lixia", "innovation_items"): Status.MISSED,
    ("zhangqiu", "yilaite_output"): Status.ACHIEVED,
    ("zhangqiu", "mingquan_output"): Status.MISSED,
    ("zhangqiu", "provincial_key_projects"): Status.ACHIEVED,
    ("zhangqiu", "municipal_key_projects"): Status.MISSED,
    ("zhangqiu", "leader_contracted_projects"): Status.MISSED,
    ("zhangqiu", "projects_into_production"): Status.MISSED,
    ("zhangqiu", "provincial_high_tech_zone"): Status.STALE,  # never reported: 逾期未报
}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [(date(2023, 6, 30), SEED_AT_MID_YEAR), (date(2023, 12, 31), SEED_AT_YEAR_END)],
)
def test_seed_data_story(as_of: date, expected: dict[tuple[str, str], Status]) -> None:
    data_dir = DataDir(REPOSITORY / "data", shipped=False)
    dataset = load_dataset(data_dir.plan_path, figure_files_in(data_dir))
    assert dataset.plan is not None and dataset.diagnostics == []
    files = {file.district: file for file in dataset.figure_files}
    series_by_district = {}
    for district in dataset.plan.districts:
        series_by_district[district.id], problems = build_series(
            dataset.plan, district, files[district.id].records if district.id in files else ()
        )
        assert problems == []
    report = build_report(dataset.plan, series_by_district, as_of)
    assert {(row.district_id, row.target_id): row.status for row in report.rows} == expected


# --- the remaining kinds, qualifiers, cadences and paces -------------------------------------


def test_rate_ignores_a_pace_profile() -> None:
    paced = target(RATE, pace={"quarter": [0.1, 0.2, 0.3, 0.4]})
    row = evaluate(paced, figures("growth", ("2023-Q1", 6)), date(2023, 5, 1))
    assert (row.expected, row.expected_basis, row.status) == (
        6,
        ExpectedBasis.TARGET,
        Status.ON_TRACK,
    )


def test_increments_with_a_monthly_profile() -> None:
    paced = target(QUANTITY, value=100, reported_as="increment", pace={"month": WINTER_PAUSE})
    row = evaluate(paced, figures("output", ("2023-03", 4), ("2023-04", 5)), date(2023, 5, 10))
    assert (row.actual, row.expected) == (9, 20)
    assert row.status is Status.BEHIND  # 9 < 20 × 0.9
    assert row.forecast == 45  # 9 ÷ 0.2
    assert (row.forecast_date, row.forecast_reached) == (None, False)


def test_daily_figure_on_the_first_day_of_the_year() -> None:
    daily = target(QUANTITY, cadence="day")
    row = evaluate(daily, figures("output", ("2023-01-01", 2)), date(2023, 1, 2))
    assert (row.expected, row.variance, row.status) == (1, 1, Status.AHEAD)
    # The 2 January figure is overdue: measured against 2 January's pace, 2, it is on pace.
    row = evaluate(daily, figures("output", ("2023-01-01", 2)), date(2023, 1, 3))
    assert (row.expected, row.variance, row.status) == (2, 0, Status.STALE)
    assert row.note == "the 2023-01-02 figure was due by 2023-01-03; latest: 2023-01-01"


def test_dekad_figure_is_due_five_days_after_its_dekad() -> None:
    by_dekad = target(QUANTITY, cadence="dekad")
    records = figures("output", ("2023-03-D1", 80))
    row = evaluate(by_dekad, records, date(2023, 3, 24))
    assert (row.status, row.expected) == (Status.AHEAD, 69)  # 80 > 69 × 1.1 = 75.9
    row = evaluate(by_dekad, records, date(2023, 3, 25))
    assert row.status is Status.STALE
    assert row.note == "the 2023-03-D2 figure was due by 2023-03-25; latest: 2023-03-D1"
    assert row.expected == 79  # measured at the overdue dekad's end: 1 January to 20 March


@pytest.mark.parametrize(
    ("done", "status"),
    [(7, Status.ACHIEVED), (6, Status.MISSED)],
)
def test_items_about_is_met_inside_its_tolerance(done: int, status: Status) -> None:
    about = target(ITEMS, value=8, items=[], qualifier="about", tolerance=1)
    row = evaluate(about, figures("expropriation", ("2023-12", done)), date(2023, 12, 31))
    assert (row.status, row.tolerance, row.items_done) == (status, 1, done)
