"""What was known on the day, overdue first, ahead vs on pace, 序时差, 倒排, two-sided 左右,
half years, levels, categories and scoring methods: each number below is worked out by hand
(2023 has 365 days; a linear pace due by the end of day n is n/365)."""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import records_of
from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.commands.status import Filters, SortKey, build_status
from liuxia_tracker.domain.models import Plan
from liuxia_tracker.engine.rows import ExpectedBasis, OverdueFigure, Status, TargetRow
from liuxia_tracker.engine.score import build_report, competition_ranks
from liuxia_tracker.engine.series import build_series
from liuxia_tracker.engine.variance import evaluate_target

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
}


def target(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**base, **changes}


def plan_of(districts: list[dict[str, Any]], **plan_settings: Any) -> Plan:
    return Plan.model_validate({"year": 2023, "settings": plan_settings, "districts": districts})


def evaluate(
    spec: dict[str, Any], records: list[dict[str, Any]], as_of: date, **plan_settings: Any
) -> TargetRow:
    plan = plan_of([{"id": "lixia", "name": "历下区", "targets": [spec]}], **plan_settings)
    district = plan.districts[0]
    series, problems = build_series(plan, district, records_of(records))
    assert problems == []
    return evaluate_target(plan, district, series[spec["id"]], as_of)


def fig(target_id: str, period: str, value: float, **extra: Any) -> dict[str, Any]:
    return {"target": target_id, "period": period, "value": value, **extra}


# --- §1 what was known on the day --------------------------------------------------------------


def test_a_published_figure_counts_from_its_publication_day() -> None:
    records = [fig("output", "2023-04", 120), fig("output", "2023-05", 151, published="2023-06-10")]
    # May has ended by 5 June, but its figure was published on 10 June.
    assert evaluate(QUANTITY, records, date(2023, 6, 5)).actual == 120
    assert evaluate(QUANTITY, records, date(2023, 6, 10)).actual == 151


def test_a_running_periods_figure_counts_once_recorded() -> None:
    weekly = target(QUANTITY, cadence="week", reported_as="increment")
    # 2023-W23 runs 5–11 June; its figure was recorded on 8 June.
    records = [fig("output", "2023-W23", 7, recorded_at="2023-06-08T18:00:00+08:00")]
    assert evaluate(weekly, records, date(2023, 6, 7)).actual is None
    assert evaluate(weekly, records, date(2023, 6, 8)).actual == 7


def test_a_later_correction_is_not_known_before_it_was_published() -> None:
    records = [
        fig("output", "2023-04", 100, recorded_at="2023-05-10T09:00:00+08:00"),
        fig("output", "2023-04", 130, published="2023-06-15"),
    ]
    assert evaluate(QUANTITY, records, date(2023, 6, 1)).actual == 100
    assert evaluate(QUANTITY, records, date(2023, 6, 15)).actual == 130


def test_a_running_periods_figure_without_a_record_day_waits_for_the_period_end() -> None:
    # The seed's Q2 GDP (5.6%) has no recorded_at: on 15 May nobody could have known it.
    records = [fig("growth", "2023-Q1", 5.1), fig("growth", "2023-Q2", 5.6)]
    assert evaluate(RATE, records, date(2023, 5, 15)).actual == 5.1
    assert evaluate(RATE, records, date(2023, 6, 30)).actual == 5.6


def test_a_retraction_counts_only_from_the_day_it_was_recorded() -> None:
    retraction = {
        "target": "output",
        "period": "2023-04",
        "retraction": "录错",
        "recorded_at": "2023-06-10T09:00:00+08:00",
    }
    records = [fig("output", "2023-03", 90), fig("output", "2023-04", 130), retraction]
    # Before 10 June the April figure stood; from then on March's is the latest.
    assert evaluate(QUANTITY, records, date(2023, 6, 9)).actual == 130
    assert evaluate(QUANTITY, records, date(2023, 6, 10)).actual == 90
    # A retraction that does not say when it was made has always been known.
    undated = {key: value for key, value in retraction.items() if key != "recorded_at"}
    records = [fig("output", "2023-03", 90), fig("output", "2023-04", 130), undated]
    assert evaluate(QUANTITY, records, date(2023, 6, 9)).actual == 90


def test_a_withdrawn_revision_brings_back_the_one_before_only_once_known() -> None:
    records = [
        fig("output", "2023-04", 100),
        fig("output", "2023-04", 130, recorded_at="2023-05-20T09:00:00+08:00"),
        {
            "target": "output",
            "period": "2023-04",
            "retraction": "录错",
            "recorded_at": "2023-06-10T09:00:00+08:00",
        },
    ]
    assert evaluate(QUANTITY, records, date(2023, 6, 1)).actual == 130
    assert evaluate(QUANTITY, records, date(2023, 6, 10)).actual == 100


def test_a_rate_published_late_is_no_data_until_then() -> None:
    records = [fig("growth", "2023-Q1", 5.1, published="2023-04-20")]
    assert evaluate(RATE, records, date(2023, 4, 19)).status is Status.NO_DATA  # due 30 April
    assert evaluate(RATE, records, date(2023, 4, 20)).actual == 5.1


# --- §2 and §3: overdue first, the pace due, forecasts --------------------------------------------


def test_never_reported_is_stale_with_the_figure_due_and_when() -> None:
    row = evaluate(RATE, [], date(2023, 5, 2))
    assert row.status is Status.STALE
    assert row.overdue_figure == OverdueFigure("2023-Q1", date(2023, 4, 30))


def test_year_end_variance_is_against_the_whole_target() -> None:
    delivered = target(QUANTITY, id="area", value=80, unit="万平方米", cadence="week")
    row = evaluate(delivered, [fig("area", "2023-W50", 70)], date(2023, 12, 31))
    assert (row.status, row.expected, row.variance) == (Status.MISSED, 80, -10)
    assert row.expected_basis is ExpectedBasis.YEAR_END
    assert (row.forecast, row.forecast_date, row.needed_per_period) == (None, None, None)


def test_overdue_figures_measure_variance_at_the_latest_period_due() -> None:
    # March's 90 in hand; May's figure was due by 20 June: 365 × 151/365 = 151 expected.
    row = evaluate(QUANTITY, [fig("output", "2023-03", 90)], date(2023, 6, 30))
    assert (row.expected, row.variance, row.status) == (151, -61, Status.BEHIND)
    assert row.expected_basis is ExpectedBasis.DUE_PERIOD


def test_a_forecast_never_names_a_day_before_the_judgement_day() -> None:
    # 90 of 100 by April (120 days): year end 90 × 365/120 = 273.75; 100 of it is due after
    # 133.3 days, 14 May, but on 15 May the target is not met: the earliest is 16 May.
    row = evaluate(target(QUANTITY, value=100), [fig("output", "2023-04", 90)], date(2023, 5, 15))
    assert row.forecast == 273.75
    assert (row.forecast_date, row.forecast_reached) == (date(2023, 5, 16), True)


def test_a_forecast_of_a_count_is_whole() -> None:
    projects = target(QUANTITY, value=100, unit="个")
    # 10 by March (90 days): 10 × 365/90 = 40.55… → 40.
    row = evaluate(projects, [fig("output", "2023-03", 10)], date(2023, 4, 10))
    assert row.forecast == 40


def test_equal_scores_share_a_rank() -> None:
    assert competition_ranks({"a": Fraction(1), "b": Fraction(1), "c": Fraction(1, 2)}) == {
        "a": 1,
        "b": 1,
        "c": 3,
    }


# --- §4 ahead, 序时差, 倒排 --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("april", "status"),
    [(132, Status.ON_TRACK), (132.5, Status.AHEAD), (119, Status.AT_RISK)],
)
def test_ahead_is_more_than_ten_percent_above_pace(april: float, status: Status) -> None:
    # April's pace: 365 × 120/365 = 120; ahead beyond 120 × 1.1 = 132.
    row = evaluate(QUANTITY, [fig("output", "2023-04", april)], date(2023, 5, 10))
    assert (row.expected, row.status) == (120, status)


def test_the_ahead_share_comes_from_the_plan() -> None:
    records = [fig("output", "2023-04", 144)]
    assert evaluate(QUANTITY, records, date(2023, 5, 10), ahead_share=0.2).status is Status.ON_TRACK
    records = [fig("output", "2023-04", 145)]
    assert evaluate(QUANTITY, records, date(2023, 5, 10), ahead_share=0.2).status is Status.AHEAD


@pytest.mark.parametrize(
    ("rate", "points", "status"),
    [(7.0, 1.0, Status.ON_TRACK), (7.1, 1.0, Status.AHEAD), (6.6, 0.5, Status.AHEAD)],
)
def test_a_rate_is_ahead_beyond_the_ahead_points(
    rate: float, points: float, status: Status
) -> None:
    row = evaluate(RATE, [fig("growth", "2023-Q1", rate)], date(2023, 5, 1), ahead_points=points)
    assert row.status is status


def test_schedule_gap_and_required_pace_of_a_quantity() -> None:
    # 180 of 365 by May (151 days): 49.315% done, 41.370% due: +7.945 points (2900/365).
    # Seven months left must deliver (365 − 180) / 7 = 26.43 each.
    row = evaluate(QUANTITY, [fig("output", "2023-05", 180)], date(2023, 6, 10))
    assert row.schedule_gap == float(Fraction(2900, 365))
    assert (row.needed_per_period, row.periods_left) == (float(Fraction(185, 7)), 7)


def test_a_cap_says_the_most_each_period_may_add() -> None:
    cap = target(QUANTITY, id="energy", value=120, qualifier="以内")
    row = evaluate(cap, [fig("energy", "2023-04", 40)], date(2023, 5, 10))
    assert (row.needed_per_period, row.periods_left) == (10, 8)  # (120 − 40) / 8


def test_items_required_pace_counts_the_periods_after_the_day() -> None:
    counted = {
        "id": "works",
        "name": "创新突破事项",
        "group": "创新突破",
        "kind": "items",
        "value": 10,
        "cadence": "month",
    }
    row = evaluate(counted, [fig("works", "2023-05", 4)], date(2023, 6, 10))
    # June to December: 7 months for the 6 left.
    assert (row.needed_per_period, row.periods_left) == (float(Fraction(6, 7)), 7)


def test_a_rate_has_no_required_pace() -> None:
    row = evaluate(RATE, [fig("growth", "2023-Q1", 5)], date(2023, 5, 1))
    assert (row.needed_per_period, row.periods_left, row.schedule_gap) == (None, None, None)


# --- §5 two-sided 左右, half years, levels ----------------------------------------------------

CPI = target(RATE, id="cpi", value=3, qualifier="左右", tolerance=0.5, cadence="month")


@pytest.mark.parametrize(
    ("over_band", "actual", "status"),
    [
        ("miss", 3.4, Status.ON_TRACK),
        ("miss", 3.6, Status.AT_RISK),  # above 3.5, within 1 point of it
        ("miss", 4.6, Status.BEHIND),  # more than 1 point above 3.5
        ("met", 3.6, Status.ON_TRACK),  # the default: above the band is not a failure
    ],
)
def test_two_sided_about(over_band: str, actual: float, status: Status) -> None:
    row = evaluate(
        target(CPI, over_band=over_band), [fig("cpi", "2023-05", actual)], date(2023, 6, 5)
    )
    assert row.status is status


def test_two_sided_about_at_year_end_and_its_score() -> None:
    about = target(QUANTITY, value=100, qualifier="左右", tolerance=5, over_band="miss")
    above = evaluate(about, [fig("output", "2023-12", 106)], date(2023, 12, 31))
    assert above.status is Status.MISSED
    assert above.score == 0.99  # 1 − (106 − 105) / 100
    inside = evaluate(about, [fig("output", "2023-12", 104)], date(2023, 12, 31))
    assert (inside.status, inside.score) == (Status.ACHIEVED, 1.0)  # 1.04 capped at 1


def test_a_half_year_figure_is_the_same_as_the_second_quarters() -> None:
    row = evaluate(RATE, [fig("growth", "2023-H1", 5.8)], date(2023, 7, 31))
    assert (row.last_period, row.actual) == ("2023-H1", 5.8)
    row = evaluate(QUANTITY, [fig("output", "2023-H1", 180)], date(2023, 7, 10))
    assert row.expected == 181  # 1 January to 30 June


def test_a_rate_figure_carries_its_level() -> None:
    records = [fig("growth", "2023", 6.1, level="1165.1亿元")]
    row = evaluate(target(RATE, cadence="year"), records, date(2024, 3, 1))
    assert (row.level_value, row.level_unit) == (1165.1, "亿元")


# --- categories and scoring methods -------------------------------------------------------------


def district(district_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": district_id, "name": district_id, "targets": [target(RATE)], **extra}


def scored(districts: list[dict[str, Any]], rates: dict[str, float], **plan_settings: Any) -> Any:
    plan = plan_of(districts, **plan_settings)
    series_by_district = {}
    for each in plan.districts:
        file = records_of([fig("growth", "2023-Q1", rates[each.id])])
        series_by_district[each.id], _ = build_series(plan, each, file)
    report = build_report(plan, series_by_district, date(2023, 5, 1))
    return {s.district_id: (s.score, s.rank, s.rank_total) for s in report.districts}


def test_ranks_are_within_a_category_and_an_unranked_entity_has_none() -> None:
    districts = [
        district("a", category="中心城区"),
        district("b", category="中心城区"),
        district("c", category="外围区县"),
        district("city", ranked=False),
    ]
    # 6.6/6 = 1.1, 6/6 = 1, 3/6 = 0.5, 7.2/6 = 1.2.
    assert scored(districts, {"a": 6.6, "b": 6, "c": 3, "city": 7.2}) == {
        "a": (1.1, 1, 2),
        "b": (1.0, 2, 2),
        "c": (0.5, 1, 1),
        "city": (1.2, None, None),
    }


def test_all_or_nothing_scores_full_weight_when_met_else_zero() -> None:
    two = {
        "id": "a",
        "name": "a",
        "targets": [
            target(RATE, weight=1),
            target(RATE, id="fai", weight=3),
        ],
    }
    plan = plan_of([two], scoring="all_or_nothing")
    records = [fig("growth", "2023-Q1", 6.2), fig("fai", "2023-Q1", 4)]
    series, _ = build_series(plan, plan.districts[0], records_of(records))
    report = build_report(plan, {"a": series}, date(2023, 5, 1))
    # growth on track: 1 of weight 1; fai behind: 0 of 3. 1 / 4.
    assert report.districts[0].score == 0.25


def test_rank_points_lose_five_percent_a_place() -> None:
    districts = [district("a"), district("b"), district("c")]
    assert scored(districts, {"a": 7, "b": 6, "c": 5}, scoring="rank_points") == {
        "a": (1.0, 1, 3),
        "b": (0.95, 2, 3),
        "c": (0.9, 3, 3),
    }


def test_efficacy_scales_from_sixty_to_a_hundred_percent() -> None:
    districts = [district("a"), district("b"), district("c")]
    # Ratios 1.2, 1, 0.8: 60% + 40% × (x − 0.8) / 0.4 = 100%, 80%, 60%.
    result = scored(districts, {"a": 7.2, "b": 6, "c": 4.8}, scoring="efficacy")
    assert result == {"a": (1.0, 1, 3), "b": (0.8, 2, 3), "c": (0.6, 3, 3)}
    equal = scored(districts, {"a": 6, "b": 6, "c": 6}, scoring="efficacy")
    assert equal == {"a": (1.0, 1, 3), "b": (1.0, 1, 3), "c": (1.0, 1, 3)}


# --- the replay property ----------------------------------------------------------------------

PLAN_YAML = """\
year: 2023
districts:
  - id: east
    name: 东区
    targets:
      - {id: growth, name: 增长, group: 经济, kind: rate, value: 6, unit: "%", cadence: quarter}
      - {id: output, name: 产值, group: 项目, kind: quantity, value: 365, unit: 亿元, cadence: month}
      - {id: sites, name: 工地, group: 项目, kind: quantity, value: 50, unit: 个, cadence: week, reported_as: increment}
"""
PERIODS = {
    "growth": [f"2023-Q{q}" for q in range(1, 5)] + ["2023-H1", "2023-H2"],
    "output": [f"2023-{m:02d}" for m in range(1, 13)],
    "sites": [f"2023-W{w:02d}" for w in range(1, 53)],
}
FIRST = date(2023, 1, 1)


def _period_end(text: str) -> date:
    from liuxia_tracker.domain.periods import parse_period

    return parse_period(text).end


figure_strategy = st.tuples(
    st.sampled_from(sorted(PERIODS)),
    st.integers(0, 100),
    st.integers(0, 5),
    st.integers(0, 400),  # the day it was recorded, from 1 January
    st.one_of(st.none(), st.integers(0, 400)),  # the day it was published
)


def _record(target_id: str, index: int, value: int, recorded: int, published: int | None) -> str:
    periods = PERIODS[target_id]
    record: dict[str, Any] = {
        "target": target_id,
        "period": periods[index % len(periods)],
        "value": value,
        "recorded_at": f"{FIRST + timedelta(days=recorded)}T12:00:00+08:00",
    }
    if published is not None:
        record["published"] = (FIRST + timedelta(days=published)).isoformat()
    return "- " + json.dumps(record, ensure_ascii=False) + "\n"


def _report(folder: Path, lines: list[str], as_of: date) -> Any:
    (folder / "figures" / "east.yaml").write_text("".join(lines), encoding="utf-8")
    result = build_status(DataDir(folder, shipped=False), as_of, Filters(), SortKey.STATUS)
    assert result.report is not None
    return result.report


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, 380),
    st.lists(figure_strategy, max_size=12),
    st.lists(figure_strategy, min_size=1, max_size=6),
)
def test_recording_later_figures_never_changes_a_past_report(
    day: int, base: list[Any], later: list[Any]
) -> None:
    as_of = FIRST + timedelta(days=day)
    lines = [_record(*figure) for figure in base]
    added = []
    for target_id, index, value, recorded, published in later:
        periods = PERIODS[target_id]
        period = periods[index % len(periods)]
        if _period_end(period) <= as_of:
            continue  # not a later period
        # Recorded (and published, when it says so) after the day asked about.
        after = day + 1 + recorded % 30
        when = None if published is None else day + 1 + published % 30
        added.append(_record(target_id, index, value, after, when))
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "figures").mkdir()
        (folder / "targets.yaml").write_text(PLAN_YAML, encoding="utf-8")
        before = _report(folder, lines, as_of)
        after_recording = _report(folder, lines + added, as_of)
    assert after_recording == before


def test_a_replay_series_drops_only_records_no_day_could_count() -> None:
    """Built for replay (superseded records that no report could count left out), the series
    gives every report the same row as one that keeps every record: random weekly logs with
    corrections recorded during and after their week, some published, judged on many days."""
    import random

    weekly = target(QUANTITY, cadence="week", reported_as="increment")
    plan = plan_of([{"id": "lixia", "name": "历下区", "targets": [weekly]}])
    district = plan.districts[0]
    chooser = random.Random(13)
    for _ in range(60):
        records = []
        for _ in range(chooser.randint(1, 25)):
            week = chooser.randint(1, 20)
            start = date.fromisocalendar(2023, week, 1)
            extra: dict[str, Any] = {
                "recorded_at": f"{start + timedelta(days=chooser.randint(-3, 20))}T09:00:00+08:00"
            }
            if chooser.random() < 0.2:
                extra["published"] = str(start + timedelta(days=chooser.randint(0, 30)))
            records.append(fig("output", f"2023-W{week:02d}", chooser.randint(0, 9), **extra))
        recorded = records_of(records)
        full, _ = build_series(plan, district, recorded, revisions=True)
        pruned, _ = build_series(plan, district, recorded, replay=True)
        for day in range(1, 181, 7):
            as_of = date(2023, 1, 1) + timedelta(days=day)
            assert evaluate_target(plan, district, pruned["output"], as_of) == evaluate_target(
                plan, district, full["output"], as_of
            ), (records, as_of)
