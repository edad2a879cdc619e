"""The log summary cache and the report memo change nothing but time: `tracker status` through
them, cold, warm, after appends, and in worker processes, prints byte for byte what it prints
with every cache off, over random logs with revisions, retractions, items, bad lines,
hand-written entries, torn tails and repairs."""

from __future__ import annotations

import json
import os
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from conftest import SEED_PLAN, copy_seed_plan, run_cli
from liuxia_tracker.domain.models import Plan
from liuxia_tracker.domain.periods import PeriodKind, periods_in_year
from liuxia_tracker.plan.validation import load_plan

DAYS = ("2023-03-31", "2023-06-30", "2023-09-15", "2023-12-31")


def _plan() -> Plan:
    plan, _, problems = load_plan(SEED_PLAN, "targets.yaml")
    assert plan is not None and not problems
    return plan


def _stamp(rng: random.Random, period_end: date) -> str:
    day = period_end + timedelta(days=rng.randint(-20, 40))
    return f"{day.isoformat()}T{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}:00+08:00"


def _record(rng: random.Random, plan: Plan, district_index: int) -> dict[str, Any]:
    district = plan.districts[district_index]
    target = rng.choice(district.targets)
    if rng.random() < 0.03:
        return {"target": "no_such_target", "period": "2023-05", "value": 1}
    periods = periods_in_year(PeriodKind(target.cadence), plan.year)
    period = rng.choice(periods[: max(1, len(periods) * 3 // 4)])
    record: dict[str, Any] = {"target": target.id}
    if target.kind == "items" and target.items and rng.random() < 0.7:
        record["item"] = rng.choice(target.items).id
        record["done"] = rng.random() < 0.6
    else:
        record["period"] = period.text
        if rng.random() < 0.06:
            record["retraction"] = "录错"
        else:
            scale = target.value if target.kind != "rate" else 10
            record["value"] = round(rng.uniform(0, float(scale)) / 3, rng.choice((0, 1, 2)))
    record["recorded_at"] = _stamp(rng, period.end)
    if rng.random() < 0.15:
        record["published"] = (period.end + timedelta(days=rng.randint(1, 30))).isoformat()
    return record


def _line(rng: random.Random, record: dict[str, Any]) -> str:
    """The record as a canonical line, or now and then written by hand (block YAML, a
    comment before it), or broken."""
    roll = rng.random()
    if roll < 0.04:
        return "- {target: [unclosed\n"
    if roll < 0.08:
        body = "".join(
            f"  {key}: {json.dumps(value, ensure_ascii=False)}\n"
            for key, value in list(record.items())[1:]
        )
        return f"# 手工录入\n- target: {record['target']}\n{body}"
    return "- " + json.dumps(record, ensure_ascii=False) + "\n"


def _assert_read_alike(plan: Plan, index: int, log: Path, root: Path, cache: Path) -> None:
    """The log read through its summary (what was appended, after what the summary holds)
    gives the findings, problems and standing figures, at the same lines, of a whole read."""
    from liuxia_tracker.log.summary import read_log_series
    from liuxia_tracker.plan.cache import key_for

    district = plan.districts[index]
    key = key_for((root / "targets.yaml").read_bytes())
    through = read_log_series(
        plan, district, log, "x.yaml", plan_key=key, folder=cache / "liuxia-tracker"
    )
    whole = read_log_series(plan, district, log, "x.yaml", plan_key=None, folder=None)
    assert (through.found, through.problems) == (whole.found, whole.problems)
    for target_id, series in whole.series.items():
        standing = [(p.period, p.value, p.line, p.figure) for p in series.points]
        other = through.series[target_id]
        assert [(p.period, p.value, p.line, p.figure) for p in other.points] == standing
        assert other.items == series.items


def _status(env: dict[str, str | None], day: str) -> str:
    result = run_cli("status", "--as-of", day, "--format", "json", env=env)
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout + result.stderr


@pytest.mark.parametrize("seed", range(6))
def test_status_through_the_caches_is_status_without_them(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    plan = _plan()
    root = tmp_path / "data"
    (root / "figures").mkdir(parents=True)
    copy_seed_plan(root / "targets.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    cache = tmp_path / "cache"
    logs = [root / "figures" / f"{district.id}.yaml" for district in plan.districts]
    for index, log in enumerate(logs):
        log.write_text(
            "".join(_line(rng, _record(rng, plan, index)) for _ in range(rng.randint(5, 60))),
            encoding="utf-8",
        )
    cached: dict[str, str | None] = {"XDG_CACHE_HOME": str(cache), "TRACKER_NO_CACHE": None}
    off: dict[str, str | None] = {"TRACKER_NO_CACHE": "1"}
    for step in range(5):
        for day in rng.sample(DAYS, 2):
            expected = _status({**off, "TRACKER_WORKERS": "1"}, day)
            assert _status({**cached, "TRACKER_WORKERS": "1"}, day) == expected  # cold or after
            assert _status({**cached, "TRACKER_WORKERS": "1"}, day) == expected  # warm
            assert _status({**cached, "TRACKER_WORKERS": "2"}, day) == expected  # in workers
            assert _status({**off, "TRACKER_WORKERS": "2"}, day) == expected
        log = rng.choice(logs)
        index = logs.index(log)
        added = "".join(_line(rng, _record(rng, plan, index)) for _ in range(rng.randint(1, 8)))
        with log.open("a", encoding="utf-8") as out:
            out.write(added)
        if step == 2:  # a write cut off: reported as torn, and read as a whole read reads it
            with log.open("a", encoding="utf-8") as out:
                out.write('- {"target": "gdp_growth", "period": "2023-Q1", "val')
        _assert_read_alike(plan, index, log, root, cache)
        if step == 3:
            assert run_cli("repair", "--data", str(root), env=cached).exit_code == 0
    summaries = list((cache / "liuxia-tracker" / "logs").glob("*.json"))
    assert len(summaries) == len(logs)


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own (the session's is shared by every test)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "own-cache"))
    return tmp_path / "own-cache" / "liuxia-tracker"


def test_a_summary_covers_the_whole_lines_and_reads_only_what_was_appended(
    data: Path, own_cache: Path
) -> None:
    log = data / "figures" / "lixia.yaml"
    log.parent.mkdir(exist_ok=True)
    line = '- {"target": "gdp_growth", "period": "2023-Q1", "value": 6.2}\n'
    log.write_text(line, encoding="utf-8")
    assert run_cli("status", "--as-of", "2023-06-30").exit_code in (0, 1)
    entries = list((own_cache / "logs").glob("*.json"))
    assert len(entries) == 1  # zhangqiu has no log
    header = json.loads(entries[0].read_bytes().split(b"\n", 1)[0])
    assert (header["offset"], header["lines"]) == (len(line.encode()), 1)
    with log.open("a", encoding="utf-8") as out:
        out.write('- {"target": "gdp_growth", "period": "2023-Q2", "value": 6.4}\n- {"tar')
    result = run_cli("status", "--as-of", "2023-07-01", "--format", "csv")
    assert ",6.4," in result.stdout
    header = json.loads(entries[0].read_bytes().split(b"\n", 1)[0])
    assert header["lines"] == 2  # the torn third line is never stored


def test_a_log_read_first_is_marked_and_summarized_once_it_grows(
    data: Path, own_cache: Path
) -> None:
    log = data / "figures" / "lixia.yaml"
    log.parent.mkdir(exist_ok=True)
    first = '- {"target": "gdp_growth", "period": "2023-Q1", "value": 6.2}'
    log.write_text(first + "\n", encoding="utf-8")
    assert run_cli("status", "--as-of", "2023-06-30").exit_code in (0, 1)
    (entry,) = list((own_cache / "logs").glob("*.json"))
    header_line, body = entry.read_bytes().split(b"\n", 1)
    header = json.loads(header_line)
    assert (header["offset"], header["lines"], header["summarized"]) == (len(first) + 1, 1, False)
    assert json.loads(body) == [[], []]  # a mark: no copy of the log
    marked = entry.read_bytes()
    assert run_cli("status", "--as-of", "2023-07-31").exit_code in (0, 1)  # unchanged log
    assert entry.read_bytes() == marked
    second = '- {"target": "gdp_growth", "period": "2023-Q2", "value": 6.4}'
    with log.open("a", encoding="utf-8") as out:
        out.write(second + "\n")
    assert ",6.4," in run_cli("status", "--as-of", "2023-07-31", "--format", "csv").stdout
    header_line, body = entry.read_bytes().split(b"\n", 1)
    assert json.loads(header_line)["summarized"] is True
    assert json.loads(body) == [[[1, first], [2, second]], []]


def test_a_corrupt_or_foreign_entry_is_ignored(data: Path, own_cache: Path) -> None:
    log = data / "figures" / "lixia.yaml"
    log.parent.mkdir(exist_ok=True)
    log.write_text('- {"target": "gdp_growth", "period": "2023-Q1", "value": 6.2}\n')
    first = run_cli("status", "--as-of", "2023-06-30", "--format", "csv").stdout
    for folder in ("logs", "reports", "status"):
        for entry in (own_cache / folder).glob("*.json"):
            data_bytes = entry.read_bytes()
            entry.write_bytes(data_bytes.replace(b"6.2", b"9.9"))
    assert run_cli("status", "--as-of", "2023-06-30", "--format", "csv").stdout == first
    for folder in ("logs", "reports", "status"):
        for entry in (own_cache / folder).glob("*.json"):
            entry.write_bytes(b"not json\n")
    assert run_cli("status", "--as-of", "2023-06-30", "--format", "csv").stdout == first


def test_no_cache_reads_afresh_and_stores_nothing(
    data: Path, tmp_path: Path, own_cache: Path
) -> None:
    log = data / "figures" / "lixia.yaml"
    log.parent.mkdir(exist_ok=True)
    log.write_text('- {"target": "gdp_growth", "period": "2023-Q1", "value": 6.2}\n')
    afresh = run_cli("status", "--no-cache", "--as-of", "2023-06-30", "--format", "csv")
    assert afresh.exit_code == 0 and "gdp_growth" in afresh.stdout
    assert not (tmp_path / "own-cache").exists()
    cached = run_cli("status", "--as-of", "2023-06-30", "--format", "csv")
    assert cached.stdout == afresh.stdout
    assert sorted(p.name for p in (tmp_path / "own-cache" / "liuxia-tracker").iterdir()) == [
        next(iter((tmp_path / "own-cache" / "liuxia-tracker").glob("*.json"))).name,
        "logs",
        "reports",
        "status",
    ]


@pytest.mark.parametrize("seed", range(3))
def test_check_in_workers_is_check_in_one_process(
    seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(100 + seed)
    plan = _plan()
    root = tmp_path / "data"
    (root / "figures").mkdir(parents=True)
    copy_seed_plan(root / "targets.yaml")
    monkeypatch.chdir(tmp_path)
    for index, district in enumerate(plan.districts):
        (root / "figures" / f"{district.id}.yaml").write_text(
            "".join(_line(rng, _record(rng, plan, index)) for _ in range(40)), encoding="utf-8"
        )
    (root / "figures" / "nowhere.yaml").write_text("- {target: x\n", encoding="utf-8")
    serial = run_cli("check", "data", "--as-of", "2023-09-30", env={"TRACKER_WORKERS": "1"})
    assert serial.exit_code == 1 and serial.stdout.count("\n") > 5
    parallel = run_cli("check", "data", "--as-of", "2023-09-30", env={"TRACKER_WORKERS": "3"})
    assert (parallel.exit_code, parallel.stdout) == (1, serial.stdout)


@pytest.mark.parametrize("racy_ns", [0, 2_000_000_000])
def test_a_log_rewritten_in_place_with_its_times_put_back_is_read_again(
    data: Path, racy_ns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liuxia_tracker.commands import row_memo

    monkeypatch.setattr(row_memo, "RACY_NS", racy_ns)  # 0: the log's stat is trusted at once
    log = data / "figures" / "lixia.yaml"
    log.parent.mkdir(exist_ok=True)
    log.write_text('- {"target": "gdp_growth", "period": "2023-Q1", "value": 6.2}\n')
    first = run_cli("status", "--as-of", "2023-06-30", "--format", "csv").stdout
    assert ",6.2," in first
    assert run_cli("status", "--as-of", "2023-06-30", "--format", "csv").stdout == first
    before = log.stat()
    log.write_text('- {"target": "gdp_growth", "period": "2023-Q1", "value": 6.4}\n')
    os.utime(log, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime
    assert ",6.4," in run_cli("status", "--as-of", "2023-06-30", "--format", "csv").stdout
