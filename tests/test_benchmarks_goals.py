"""The benchmark runner's judgement (benchmarks/goals.py) on rows with known numbers, and its
`--only` option (benchmarks/run.py): a goal is met, not met or not measured exactly as its rule
says, whatever the machine."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402
import goals  # noqa: E402
import results  # noqa: E402
from results import Result, Sample  # noqa: E402

MILLION = generate.parse_size("1m")
SCALE = generate.parse_size("30m")


def row(
    name: str, size: str, seconds: float, peak_mib: int = 50, floor: str | None = None
) -> Result:
    sample = Sample(seconds, peak_mib * 1024, 0)
    return Result(name, size, None, floor if floor is not None else size, samples=[sample])


def verdicts(rows: list[Result], sizes: list[generate.Size]) -> dict[str, tuple[str, str]]:
    return {goal.text: (goal.verdict, goal.measured) for goal in goals.goals(rows, sizes)}


def million_rows(**seconds: float) -> list[Result]:
    """A full set of 1M rows: the floor 4 s, DuckDB 1.2 s, and each row as given (else a
    time that meets its goal)."""
    times = {
        results.FLOOR: 4.0,
        results.DUCKDB: 1.2,
        results.CHECK: 6.0,
        results.STATUS: 1.0,
        results.CHECK_COLD: 5.9,
        results.STATUS_COLD: 6.0,
        results.STATUS_WARM: 1.1,
        results.STATUS_AFTER_RECORD: 1.2,
        results.STATUS_CACHE_OFF: 5.0,
        results.RECORD: 0.24,
    }
    keys = {value: key for key, value in results.ROW_KEYS.items()}
    for name in times:
        key = keys.get(name, "").replace("-", "_")
        times[name] = seconds.get(key, times[name])
    made = [row(name, "1m", value) for name, value in times.items()]
    made[0] = row(results.FLOOR, "1m", times[results.FLOOR], floor="")
    made[0].floor = None
    return [
        row(results.FLOOR, "shipped", 0.04, floor=""),
        row(results.VERSION, "", 0.09, floor="shipped"),
        row(results.IMPORT_FLOOR, "", 0.2, floor=""),
        row(results.STATUS, "shipped", 0.2, floor="shipped"),
        *made,
    ]


def test_every_goal_at_1m_is_met_by_rows_inside_their_limits() -> None:
    judged = verdicts(million_rows(), [MILLION])
    assert judged["status cold 1M ≤ 1.5 × floor"] == ("met", "1m 1.50 ×")
    assert judged["check cold 1M ≤ 1.5 × floor"] == ("met", "1m 1.48 ×")
    assert judged["status warm 1M ≤ DuckDB"] == ("met", "1m 1100 ms vs 1200 ms")
    assert judged["status after one record 1M ≤ DuckDB"] == ("met", "1m 1200 ms vs 1200 ms")
    assert judged["record ≤ 1.6 × import floor"] == ("met", "1m 240 ms = 1.20 × 200 ms")
    assert judged["30M-record goals"] == ("not measured", "30m not measured")


def test_a_row_past_its_limit_does_not_meet_the_goal() -> None:
    judged = verdicts(million_rows(status_cold=6.04, status_warm=1.21), [MILLION])
    assert judged["status cold 1M ≤ 1.5 × floor"] == ("not met", "1m 1.51 ×")
    assert judged["status warm 1M ≤ DuckDB"] == ("not met", "1m 1210 ms vs 1200 ms")


def test_a_failed_command_misses_its_goal_and_a_skipped_one_is_not_judged() -> None:
    rows = million_rows()
    failed = next(r for r in rows if r.name == results.STATUS_COLD)
    failed.status, failed.note = "failed", "exit 1"
    skipped = next(r for r in rows if r.name == results.STATUS_WARM)
    skipped.status, skipped.samples = "not available", []
    judged = verdicts(rows, [MILLION])
    assert judged["status cold 1M ≤ 1.5 × floor"] == ("not met", "1m failed")
    assert judged["status warm 1M ≤ DuckDB"] == ("not measured", "1m not available")


def test_the_national_goals_are_judged_at_30m() -> None:
    rows = [
        row(results.FLOOR, "30m", 300.0, floor=""),
        row(results.STATUS_COLD, "30m", 449.0, peak_mib=1000),
        row(results.STATUS_WARM, "30m", 9.5, peak_mib=1100),
    ]
    rows[0].floor = None
    judged = verdicts(rows, [SCALE])
    assert judged["status warm 30M ≤ 10 s"] == ("met", "9500 ms")
    assert judged["status cold 30M ≤ 1.5 × floor"] == ("met", "30m 1.50 ×")
    assert judged["status peak memory 30M ≤ 1 GiB"] == ("not met", "30m 1,100 MiB")


@pytest.mark.parametrize(
    ("only", "message"),
    [
        ("status-warm,fast", "--only takes some of duckdb, check, status, check-cold"),
        (",", "--only takes some of duckdb"),
    ],
)
def test_only_refuses_unknown_rows(only: str, message: str) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--only", only],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert message in done.stderr
