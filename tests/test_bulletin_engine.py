"""engine.bulletin: lights with the red → yellow rule, status changes and rank changes with
ties, each worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from liuxia_tracker.engine.bulletin import Light, compare, light_of, rank_changes
from liuxia_tracker.engine.rows import (
    DistrictSummary,
    ExpectedBasis,
    Report,
    Status,
    TargetRow,
)

ROW = TargetRow(
    district_id="a",
    district_name="甲区",
    district_name_en=None,
    target_id="t",
    name="指标",
    name_en=None,
    group="g",
    kind="quantity",
    qualifier="at_least",
    unit="个",
    target=10,
    tolerance=None,
    actual=5,
    expected=5,
    expected_basis=ExpectedBasis.LAST_PERIOD,
    variance=0,
    completion=0.5,
    remaining=5,
    status=Status.ON_TRACK,
    last_period="2023-05",
    forecast=None,
    forecast_date=None,
    forecast_reached=None,
    owner=None,
    leader=None,
    weight=1,
    score=0.5,
)


@pytest.mark.parametrize(
    ("previous", "status", "light"),
    [
        (None, Status.ON_TRACK, Light.GREEN),
        (None, Status.AHEAD, Light.GREEN),
        (None, Status.AT_RISK, Light.YELLOW),
        (None, Status.BEHIND, Light.RED),
        (None, Status.STALE, Light.RED),  # overdue is red
        (None, Status.MISSED, Light.RED),
        (None, Status.NO_DATA, None),
        # red last time, on pace now: yellow (recovering), not green
        (Status.BEHIND, Status.ON_TRACK, Light.YELLOW),
        (Status.STALE, Status.AHEAD, Light.YELLOW),
        (Status.BEHIND, Status.AT_RISK, Light.YELLOW),
        (Status.BEHIND, Status.BEHIND, Light.RED),
        # on pace a full period after the red one (last time yellow or green): green
        (Status.AT_RISK, Status.ON_TRACK, Light.GREEN),
        (Status.ON_TRACK, Status.ON_TRACK, Light.GREEN),
        # achieved is done: green whatever came before
        (Status.BEHIND, Status.ACHIEVED, Light.GREEN),
    ],
)
def test_light(previous: Status | None, status: Status, light: Light | None) -> None:
    assert light_of(status, previous) is light


def test_a_red_target_takes_two_bulletins_on_pace_to_turn_green() -> None:
    statuses = [Status.BEHIND, Status.ON_TRACK, Status.ON_TRACK]
    lights = [
        light_of(now, before) for before, now in zip([None, *statuses], statuses, strict=False)
    ]
    assert lights == [Light.RED, Light.YELLOW, Light.GREEN]


def _report(day: date, rows: list[TargetRow], ranks: dict[str, int | None]) -> Report:
    summaries = tuple(
        DistrictSummary(key, key, None, score=0.5, rank=rank, rank_total=len(ranks))
        for key, rank in ranks.items()
    )
    return Report(2023, day, tuple(rows), summaries)


def test_rank_changes_with_ties() -> None:
    # Before: a 1, b 1 (tied), c 3, d 4. Now: c 1, a 2, b 2 (tied), d unranked.
    before: dict[str, int | None] = {"a": 1, "b": 1, "c": 3, "d": 4}
    now: dict[str, int | None] = {"a": 2, "b": 2, "c": 1, "d": None, "e": 4}
    assert rank_changes(now, before) == {"a": -1, "b": -1, "c": 2, "d": None, "e": None}


def test_compare_gives_rank_changes_lights_and_status_changes() -> None:
    rows_before = [
        replace(ROW, district_id="a", target_id="x", status=Status.BEHIND),
        replace(ROW, district_id="a", target_id="y", status=Status.ON_TRACK),
        replace(ROW, district_id="b", target_id="x", status=Status.STALE),
    ]
    rows_now = [
        replace(ROW, district_id="a", target_id="x", status=Status.ON_TRACK),
        replace(ROW, district_id="a", target_id="y", status=Status.BEHIND),
        replace(ROW, district_id="b", target_id="x", status=Status.AT_RISK),
    ]
    previous = _report(date(2023, 4, 30), rows_before, {"a": 1, "b": 1, "c": 3})
    current = _report(date(2023, 5, 31), rows_now, {"a": 2, "b": 1, "c": 2})
    comparison = compare(current, previous)
    assert [change.light for change in comparison.targets] == [
        Light.YELLOW,  # behind → on track: recovering
        Light.RED,
        Light.YELLOW,  # stale → at risk
    ]
    assert comparison.targets[0].recovering and not comparison.targets[2].recovering
    assert [(c.row.district_id, c.row.target_id) for c in comparison.newly_behind] == [("a", "y")]
    assert [(c.row.district_id, c.row.target_id) for c in comparison.recovered] == [("a", "x")]
    assert {d.summary.district_id: d.rank_change for d in comparison.districts} == {
        "a": -1,  # tied first → second
        "b": 0,  # first, tied before and alone now
        "c": 1,  # third → tied second
    }
    assert comparison.districts[0].lights == {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 1}
    assert comparison.counts[Status.BEHIND] == 1
    assert comparison.previous_counts is not None
    assert comparison.previous_counts[Status.BEHIND] == 1


def test_without_a_previous_bulletin_there_is_nothing_to_compare() -> None:
    current = _report(date(2023, 5, 31), [replace(ROW, status=Status.ON_TRACK)], {"a": 1})
    comparison = compare(current, None)
    assert comparison.previous_counts is None
    assert comparison.targets[0].light is Light.GREEN
    assert comparison.districts[0].rank_change is None
    assert comparison.newly_behind == () and comparison.recovered == ()
