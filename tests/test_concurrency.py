"""Several writers at once: appends never interleave or vanish, and the record/import decisions
taken under the lock hold (`liuxia_tracker.log.figures`, `liuxia_tracker.commands.record`)."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from conftest import append_figures, copy_seed_plan
from liuxia_tracker.commands.common import load_plan_for_writing
from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.commands.import_figures import import_figures
from liuxia_tracker.commands.record import figure_from_arguments, record_figure
from liuxia_tracker.domain.models import Figure
from liuxia_tracker.log.canonical import canonical_line
from liuxia_tracker.log.figures import read_figure_file
from liuxia_tracker.log.import_file import parse_import

WORKERS = 8
APPENDS = 500
TIMEOUT = 120
TODAY = date(2023, 12, 31)

fork = multiprocessing.get_context("fork")


def numbered(worker: int, index: int) -> Figure:
    # Sizes vary from a few bytes to ~6 KB so writes cross page boundaries at different points.
    padding = "记" * ((worker * 131 + index * 17) % 2000)
    return Figure.model_validate(
        {
            "target": "gdp_growth",
            "period": "2023-Q1",
            "value": index,
            "note": f"{worker}:{index}:{padding}",
        }
    )


def append_many(path: str, worker: int) -> None:
    for index in range(APPENDS):
        append_figures(Path(path), [numbered(worker, index)])


def run_all(processes: list[multiprocessing.process.BaseProcess]) -> None:
    for process in processes:
        process.start()
    for process in processes:
        process.join(TIMEOUT)
    assert [process.exitcode for process in processes] == [0] * len(processes)


def data_dir(tmp_path: Path) -> DataDir:
    root = tmp_path / "data"
    root.mkdir()
    copy_seed_plan(root / "targets.yaml")
    return DataDir(root, shipped=False)


@pytest.mark.slow
def test_eight_processes_appending_500_records_each_leave_4000_intact_records(
    tmp_path: Path,
) -> None:
    path = tmp_path / "figures" / "lixia.yaml"
    run_all(
        [fork.Process(target=append_many, args=(str(path), worker)) for worker in range(WORKERS)]
    )
    read = read_figure_file(path)
    assert read.diagnostics == []
    assert len(read.records) == WORKERS * APPENDS
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == WORKERS * APPENDS
    seen: dict[int, list[int]] = {worker: [] for worker in range(WORKERS)}
    for line, recorded in zip(lines, read.records, strict=True):
        note = recorded.figure.note or ""
        worker, index = (int(part) for part in note.split(":")[:2])
        assert line == canonical_line(numbered(worker, index))  # byte for byte intact
        seen[worker].append(index)
    # Each writer's records are all there, in the order it wrote them.
    assert seen == {worker: list(range(APPENDS)) for worker in range(WORKERS)}


def record_same(root: str, results: multiprocessing.Queue[str]) -> None:
    data = DataDir(Path(root), shipped=False)
    plan = load_plan_for_writing(data)
    figure = figure_from_arguments("gdp_growth", "2023-Q1", "5.1")
    results.put(record_figure(data, plan, "lixia", figure, by="w", today=TODAY).kind)


def test_the_same_figure_recorded_at_once_by_six_writers_is_written_once(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    results: multiprocessing.Queue[str] = fork.Queue()
    run_all([fork.Process(target=record_same, args=(str(data.path), results)) for _ in range(6)])
    kinds = Counter(results.get(timeout=TIMEOUT) for _ in range(6))
    assert kinds == {"new": 1, "unchanged": 5}
    assert len(read_figure_file(data.figure_path("lixia")).records) == 1


WEEK_RANGES = ((1, 17, 1), (18, 34, 2), (35, 52, 3), (1, 17, 1))  # the last one repeats


def import_weeks(root: str, first_week: int, last_week: int, quarter: int) -> None:
    rows = "district,target,period,value\n"
    for week in range(first_week, last_week + 1):
        rows += f"lixia,cbd_buildings_delivered,2023-W{week:02d},{week % 3}\n"
        rows += f"lixia,cbd_area_delivered,2023-W{week:02d},{week % 5}\n"
    rows += f"zhangqiu,yilaite_output,2023-Q{quarter},{quarter * 3}\n"
    data = DataDir(Path(root), shipped=False)
    parsed = parse_import(rows.encode(), "weeks.csv", name="weeks.csv")
    result = import_figures(data, load_plan_for_writing(data), parsed, by="w", today=TODAY)
    assert result.diagnostics == [], result.diagnostics
    assert result.written


def test_imports_into_the_same_two_districts_at_once_all_complete(tmp_path: Path) -> None:
    data = data_dir(tmp_path)
    run_all([fork.Process(target=import_weeks, args=(str(data.path), *r)) for r in WEEK_RANGES])
    lixia = read_figure_file(data.figure_path("lixia"))
    zhangqiu = read_figure_file(data.figure_path("zhangqiu"))
    assert lixia.diagnostics == zhangqiu.diagnostics == []
    # Every week of both targets once: the repeated import found its rows already recorded.
    weeks = Counter((r.figure.target, str(r.figure.period)) for r in lixia.records)
    assert len(weeks) == 2 * 52
    assert set(weeks.values()) == {1}
    assert sorted(str(r.figure.period) for r in zhangqiu.records) == [
        "2023-Q1",
        "2023-Q2",
        "2023-Q3",
    ]
