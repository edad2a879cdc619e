"""The holes hostile input found (issue 12), each closed: every reader reads a log the same
way, one rule picks a district's log, no input gives a traceback, writers open only regular
files without following links, and every command refuses a plan with problems."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import run_cli, write_data_dir

REVENUE_MARCH = '- {"target": "revenue", "period": "2023-03", "value": 9, "unit": "亿元"}\n'
EVERY_READER = (
    ("check",),
    ("status", "--as-of", "2023-06-30"),
    ("history", "east", "revenue"),
    ("history", "east", "revenue", "--format", "json"),
    ("record", "east", "revenue", "2023-04", "10"),
)


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("USER", "tester")
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    return write_data_dir(tmp_path / "data")


def tracker(data: Path, *args: str, input: str | bytes | None = None) -> Result:
    result = run_cli(*args, "--data", str(data), input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"tracker {' '.join(args)} raised") from result.exception
    assert result.exit_code in (0, 1, 2), result.exit_code
    return result


def log(data: Path, name: str = "east.yaml") -> Path:
    return data / "figures" / name


# -- reading ---------------------------------------------------------------------------------


def test_a_log_with_windows_line_endings_reads_the_same_in_every_reader(data: Path) -> None:
    log(data).write_bytes(REVENUE_MARCH.replace("\n", "\r\n").encode())
    assert tracker(data, "check").exit_code == 0
    # A year-to-date total cannot fall: record and import see the March figure.
    refused = tracker(data, "record", "east", "revenue", "2023-04", "5")
    assert refused.exit_code == 1 and "cannot fall" in refused.stderr
    (data.parent / "rows.csv").write_text("district,target,period,value\neast,revenue,2023-04,5\n")
    imported = tracker(data, "import", str(data.parent / "rows.csv"))
    assert imported.exit_code == 1 and "cannot fall" in imported.stdout
    shown = tracker(data, "history", "east", "revenue")
    assert "does not read" not in shown.stdout and "* wins" in shown.stdout


def test_one_rule_picks_a_districts_log_and_check_reports_a_second(data: Path) -> None:
    log(data).write_text(REVENUE_MARCH, encoding="utf-8")
    log(data, "east.yml").write_text(
        REVENUE_MARCH.replace('"value": 9', '"value": 3'), encoding="utf-8"
    )
    checked = tracker(data, "check")
    assert checked.exit_code == 1 and "two-logs" in checked.stdout
    shown = tracker(data, "history", "east", "revenue")
    assert "data/figures/east.yaml: 1 record" in shown.stdout
    status = tracker(data, "status", "--as-of", "2023-06-30", "--format", "csv")
    assert ",9," in status.stdout or "9 亿元" in status.stdout or ",9" in status.stdout
    recorded = tracker(data, "record", "east", "revenue", "2023-04", "10")
    assert recorded.exit_code == 0 and "east.yaml" in recorded.stdout
    assert log(data, "east.yml").read_text(encoding="utf-8").count("\n") == 1


def test_a_yml_log_alone_is_the_districts_log(data: Path) -> None:
    log(data, "east.yml").write_text(REVENUE_MARCH, encoding="utf-8")
    assert tracker(data, "check").exit_code == 0
    tracker(data, "record", "east", "revenue", "2023-04", "10")
    assert log(data, "east.yml").read_text(encoding="utf-8").count("\n") == 2
    assert not log(data).exists()


@pytest.mark.parametrize("digits", [4300, 4301, 10_000])
def test_a_huge_integer_in_a_log_is_a_problem_not_a_traceback(data: Path, digits: int) -> None:
    log(data).write_text(
        '- {"target": "revenue", "period": "2023-03", "value": ' + "1" * digits + "}\n",
        encoding="utf-8",
    )
    for command in EVERY_READER:
        tracker(data, *command)
    assert "too large" in tracker(data, "check").stdout


def test_a_line_nested_a_thousand_deep_is_a_problem_not_a_recursion_error(data: Path) -> None:
    deep = "[" * 1000 + "]" * 1000
    log(data).write_text(
        '- {"target": "revenue", "period": "2023-03", "value": 1, "note": ' + deep + "}\n",
        encoding="utf-8",
    )
    for command in EVERY_READER:
        tracker(data, *command)
    assert tracker(data, "check").exit_code == 1
    lines = '{"district": "east", "target": "revenue", "period": "2023-04", "note": ' + deep + "}\n"
    (data.parent / "deep.jsonl").write_text(lines, encoding="utf-8")
    imported = tracker(data, "import", str(data.parent / "deep.jsonl"))
    assert imported.exit_code == 1 and "deep.jsonl:1:" in imported.stdout


def test_a_number_is_never_taken_for_a_period(data: Path) -> None:
    log(data).write_text('- {"target": "gdp", "period": 2023, "value": 5}\n', encoding="utf-8")
    assert "must be text" in tracker(data, "check").stdout
    (data.parent / "p.jsonl").write_text(
        '{"district": "east", "target": "gdp", "period": 2023, "value": 5}\n', encoding="utf-8"
    )
    imported = tracker(data, "import", str(data.parent / "p.jsonl"))
    assert imported.exit_code == 1 and 'quote it: "2023"' in imported.stdout


def test_figures_as_a_regular_file_is_reported(data: Path) -> None:
    (data / "figures").rmdir()
    (data / "figures").write_text("not a folder\n", encoding="utf-8")
    checked = tracker(data, "check")
    assert checked.exit_code == 1 and "data/figures:1:1: unreadable" in checked.stdout
    status = tracker(data, "status")
    assert status.exit_code == 1 and "not a folder" in status.stderr


# -- writing ---------------------------------------------------------------------------------


def test_writers_refuse_a_link_and_never_write_through_it(data: Path) -> None:
    plan_before = (data / "targets.yaml").read_bytes()
    log(data).symlink_to("../targets.yaml")
    recorded = tracker(data, "record", "east", "revenue", "2023-04", "10")
    assert recorded.exit_code == 1 and "link" in recorded.stderr
    (data.parent / "rows.csv").write_text("district,target,period,value\neast,revenue,2023-04,5\n")
    imported = tracker(data, "import", str(data.parent / "rows.csv"))
    assert imported.exit_code == 1 and "link" in imported.stderr
    assert (data / "targets.yaml").read_bytes() == plan_before


def test_a_directory_where_a_log_belongs_is_a_clear_error(data: Path) -> None:
    log(data).mkdir()
    for command in EVERY_READER:
        result = tracker(data, *command)
        assert result.exit_code == 1, (command, result.output)
    recorded = tracker(data, "record", "east", "revenue", "2023-04", "10")
    assert "not a regular file" in recorded.stderr


def test_a_fifo_where_a_log_belongs_never_hangs_and_loses_nothing(data: Path) -> None:
    os.mkfifo(log(data))
    (data.parent / "rows.csv").write_text("district,target,period,value\neast,revenue,2023-04,5\n")
    outcome: dict[str, list[int]] = {"codes": []}

    def run_all() -> None:
        for command in (*EVERY_READER, ("import", str(data.parent / "rows.csv"))):
            outcome["codes"].append(tracker(data, *command).exit_code)

    worker = threading.Thread(target=run_all, daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():  # unblock it, so the test run can end, then fail
        reader = os.open(log(data), os.O_RDONLY | os.O_NONBLOCK)
        writer = os.open(log(data), os.O_WRONLY | os.O_NONBLOCK)
        os.close(writer)
        os.close(reader)
        pytest.fail("a command hung on a FIFO")
    assert outcome["codes"] == [1] * (len(EVERY_READER) + 1)


def test_repair_on_a_full_disk_leaves_no_empty_side_file(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liuxia_tracker.log import repair

    log(data).write_text(REVENUE_MARCH + '- {"target": "rev', encoding="utf-8")

    def full(fd: int, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(repair.os, "write", full)
    result = tracker(data, "repair")
    assert result.exit_code == 1 and "No space left" in result.stderr
    assert sorted(p.name for p in (data / "figures").iterdir()) == ["east.yaml"]


# -- output and messages ---------------------------------------------------------------------


def test_a_plan_with_problems_is_refused_by_every_command_naming_the_plan(data: Path) -> None:
    plan = (data / "targets.yaml").read_text(encoding="utf-8")
    (data / "targets.yaml").write_text(
        plan.replace("        value: 6\n", "        value: 6\n        value: 60\n", 1),
        encoding="utf-8",
    )
    log(data).write_text(REVENUE_MARCH, encoding="utf-8")
    for command in (*EVERY_READER, ("export", "--format", "csv", "--output", "out")):
        result = tracker(data, *command)
        assert result.exit_code == 1, (command, result.output)
        if command[0] != "check":
            assert "data/targets.yaml" in result.stderr, (command, result.stderr)
            assert "figure files" not in result.stderr


def test_history_never_prints_a_control_character(data: Path) -> None:
    hostile = "\x1b[2J\x1b]0;owned\x07 \u202egnp.exe \x9b31m"
    tracker(
        data, "record", "east", "revenue", "2023-03", "9", "--note", hostile, "--source", hostile
    )
    plain = tracker(data, "history", "east", "revenue").stdout
    assert "␛[2J" in plain and "<U+202E>" in plain and "<U+009B>" in plain
    as_json = tracker(data, "history", "east", "revenue", "--format", "json").stdout
    for text in (plain, as_json):
        assert not any(c in text for c in "\x1b\x07\x9b\u202e"), repr(text)
    import json

    assert json.loads(as_json)["records"][0]["note"] == hostile


def _history_json_peak(data: Path, records: int) -> int:
    """Peak Python heap (KiB) of `tracker history --format json` over `records` records (the
    log itself is memory-mapped: page cache the kernel may drop, not the command's memory)."""
    import subprocess
    import sys

    line = (
        '- {"target": "revenue", "period": "2023-03", "value": %d, "unit": "亿元", '
        '"note": "一季度快报", "by": "zhang", "recorded_at": "2023-04-01T09:00:00+08:00"}\n'
    )
    log(data).write_text("".join(line % (n % 1000) for n in range(records)), encoding="utf-8")
    script = (
        "import sys, tracemalloc\n"
        "sys.argv[0] = 'tracker'\n"
        "from liuxia_tracker.cli import main\n"
        "tracemalloc.start()\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(str(tracemalloc.get_traced_memory()[1] // 1024))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "history", "east", "revenue", "--format", "json",
         "--data", str(data)],
        capture_output=True, check=True,
    )  # fmt: skip
    assert done.stdout.count(b'"standing"') == records
    return int(done.stderr.decode().strip().splitlines()[-1])


@pytest.mark.slow
def test_history_json_streams_in_memory_independent_of_the_log(data: Path) -> None:
    small = _history_json_peak(data, 2_000)
    large = _history_json_peak(data, 16_000)  # all of them kept would be ~40 MB more
    assert large - small < 3_000, (small, large)
