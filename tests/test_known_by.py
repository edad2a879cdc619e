"""Judgement day vs knowledge day (`known_by`): a bulletin is judged at its period's end on
what was known when it is issued. Numbers worked out by hand (2023 has 365 days; a linear pace
due by the end of May, day 151, is 151/365)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from tests.test_judgement import QUANTITY, fig, plan_of

from conftest import records_of
from liuxia_tracker.domain.models import Item, Plan
from liuxia_tracker.engine.rows import Status, TargetRow
from liuxia_tracker.engine.score import build_report
from liuxia_tracker.engine.series import build_series

MAY_END = date(2023, 5, 31)
ISSUED = date(2023, 6, 20)


def judged(
    spec: dict[str, Any], records: list[dict[str, Any]], as_of: date, known_by: date | None
) -> TargetRow:
    plan: Plan = plan_of([{"id": "lixia", "name": "历下区", "targets": [spec]}])
    district = plan.districts[0]
    series, problems = build_series(plan, district, records_of(records), revisions=True)
    assert problems == []
    return build_report(plan, {"lixia": series}, as_of, known_by).rows[0]


def test_a_figure_published_by_the_issue_day_counts_at_the_period_end() -> None:
    records = [fig("output", "2023-04", 120), fig("output", "2023-05", 151, published="2023-06-15")]
    row = judged(QUANTITY, records, MAY_END, ISSUED)
    # Judged at 31 May: 365 × 151/365 = 151 due; May's 151 is in, so exactly on pace.
    assert (row.actual, row.expected, row.status, row.last_period) == (
        151,
        151,
        Status.ON_TRACK,
        "2023-05",
    )
    # `tracker status` as of 31 May did not know it yet: April's 120 against April's 120 due.
    alone = judged(QUANTITY, records, MAY_END, None)
    assert (alone.actual, alone.last_period) == (120, "2023-04")


def test_a_figure_published_after_the_issue_day_does_not_count() -> None:
    records = [fig("output", "2023-04", 120), fig("output", "2023-05", 151, published="2023-06-21")]
    row = judged(QUANTITY, records, MAY_END, ISSUED)
    assert (row.actual, row.last_period) == (120, "2023-04")
    # May's figure was due by 20 June (month lag 20 days) and is not in by the issue day, so
    # pace is measured at May's end: 120 against 151 due, below 151 − 15.1 = 135.9, behind
    # (the worse of behind and stale), 序时差 (120 − 151) / 365 = −8.49 points.
    assert (row.expected, row.status) == (151, Status.BEHIND)
    assert row.schedule_gap == pytest.approx(-3100 / 365)
    assert row.overdue_figure is not None
    assert (row.overdue_figure.period, row.overdue_figure.due_by) == ("2023-05", ISSUED)


def test_a_later_periods_figure_never_counts_in_an_earlier_bulletin() -> None:
    records = [fig("output", "2023-05", 151), fig("output", "2023-06", 200)]
    row = judged(QUANTITY, records, MAY_END, date(2023, 7, 25))
    assert (row.actual, row.last_period) == (151, "2023-05")
    # June's figure being due by 20 July is no lateness of May's bulletin.
    assert row.overdue_figure is None


def test_lateness_is_judged_on_the_issue_day() -> None:
    # The May figure is due by 20 June: not late for a bulletin issued on 19 June.
    records = [fig("output", "2023-04", 120)]
    assert judged(QUANTITY, records, MAY_END, date(2023, 6, 19)).overdue_figure is None
    late = judged(QUANTITY, records, MAY_END, ISSUED).overdue_figure
    assert late is not None and late.period == "2023-05"


def test_a_running_periods_figure_counts_only_if_known_on_the_judgement_day() -> None:
    weekly = {**QUANTITY, "cadence": "week", "reported_as": "increment"}
    # 2023-W22 runs 29 May – 4 June: still running on 31 May.
    late = fig("output", "2023-W22", 5, recorded_at="2023-06-05T09:00:00")
    early = fig("output", "2023-W22", 5, recorded_at="2023-05-30T09:00:00")
    base = fig("output", "2023-W21", 100)
    assert judged(weekly, [base, late], MAY_END, ISSUED).actual == 100
    assert judged(weekly, [base, early], MAY_END, ISSUED).actual == 105


def test_overdue_items_are_those_due_by_the_judgement_day() -> None:
    spec = {
        "id": "land",
        "name": "征收项目",
        "group": "征收",
        "kind": "items",
        "cadence": "month",
        "items": [
            {"id": "a", "name": "甲地块", "due": "2023-05-31"},
            {"id": "b", "name": "乙地块", "due": "2023-06-10"},
        ],
    }
    assert Item.model_validate(spec["items"][0]).due == MAY_END
    records = [{"target": "land", "item": "a", "done": False, "date": "2023-05-01"}]
    row = judged(spec, records, MAY_END, ISSUED)
    # a is due on the judgement day and not done by the issue day; b falls after the period.
    assert [item.id for item in row.overdue_items] == ["a"]
    # `tracker status` on 31 May: a is due that very day, not yet overdue.
    assert judged(spec, records, MAY_END, None).overdue_items == ()


def test_an_item_done_after_the_judgement_day_is_not_done_in_the_bulletin() -> None:
    spec = {
        "id": "land",
        "name": "征收项目",
        "group": "征收",
        "kind": "items",
        "cadence": "month",
        "items": [{"id": "a", "name": "甲地块"}, {"id": "b", "name": "乙地块"}],
    }
    records = [
        {"target": "land", "item": "a", "done": True, "date": "2023-05-20"},
        {"target": "land", "item": "b", "done": True, "date": "2023-06-02"},
    ]
    assert judged(spec, records, MAY_END, ISSUED).items_done == 1


@pytest.mark.parametrize("as_of", [date(2023, 5, 31), date(2023, 6, 30), date(2024, 3, 1)])
def test_known_by_the_same_day_is_the_status_rule(as_of: date) -> None:
    records = [
        fig("output", "2023-04", 120),
        fig("output", "2023-05", 151, published="2023-06-15"),
        fig("output", "2023-06", 160, recorded_at="2023-06-20T10:00:00"),
    ]
    assert judged(QUANTITY, records, as_of, as_of) == judged(QUANTITY, records, as_of, None)


def test_the_knowledge_day_is_never_before_the_judgement_day() -> None:
    with pytest.raises(ValueError, match="before the judgement day"):
        judged(QUANTITY, [], MAY_END, date(2023, 5, 30))


def test_the_report_says_which_day_it_knew_by() -> None:
    plan = plan_of([{"id": "lixia", "name": "历下区", "targets": [QUANTITY]}])
    series, _ = build_series(plan, plan.districts[0], ())
    report = build_report(plan, {"lixia": series}, MAY_END, ISSUED)
    assert (report.as_of, report.known_by) == (MAY_END, ISSUED)
    assert build_report(plan, {"lixia": series}, MAY_END).known_by is None
