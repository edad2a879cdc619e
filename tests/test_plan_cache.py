"""The plan cache (`liuxia_tracker.plan.cache`): a plan found valid is read and judged once per
version of it; `record`, `import`, `history` and `status` then validate its values (only the
districts they need, for the writing commands), and `check` takes a clean plan from it, with the
same results, the same refusals and the same messages as without the cache."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from conftest import SEED_PLAN, run_cli
from liuxia_tracker.commands.common import load_plan_for_writing
from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.plan import cache as plan_cache
from liuxia_tracker.plan.validation import load_plan

GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "liuxia-tracker"


@pytest.fixture
def full_loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The plans read and judged whole, by display name."""
    loads: list[str] = []
    original = plan_cache.load_plan_text

    def counting(text: str, display: str, **options: bool):  # type: ignore[no-untyped-def]
        loads.append(display)
        return original(text, display, **options)

    monkeypatch.setattr(plan_cache, "load_plan_text", counting)
    return loads


def record(data: Path, *args: str) -> Result:
    return run_cli("record", *args, "--data", str(data))


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json")) if cache.is_dir() else []


def test_the_second_record_reads_the_plan_from_the_cache(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    first = record(data, "lixia", "gdp_growth", "2023-Q1", "5.1")
    second = record(data, "lixia", "gdp_growth", "2023-Q2", "5.2")
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert second.stdout == "recorded lixia gdp_growth 2023-Q2 = 5.2 % in data/figures/lixia.yaml\n"
    assert full_loads == ["data/targets.yaml"]
    [entry] = entries(cache)
    header, about, *districts = entry.read_text(encoding="utf-8").splitlines()  # JSON, no pickle
    assert sorted(json.loads(header)) == ["digest", "format", "key"]
    assert json.loads(about)["districts"] == ["lixia", "zhangqiu"]
    assert json.loads(about)["clean"] is True
    assert [json.loads(line)["id"] for line in districts] == ["lixia", "zhangqiu"]


def test_a_changed_plan_is_judged_again(data: Path, cache: Path, full_loads: list[str]) -> None:
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    plan = data / "targets.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert record(data, "lixia", "gdp_growth", "2023-Q2", "5.2").exit_code == 0
    assert full_loads == ["data/targets.yaml", "data/targets.yaml"]
    assert len(entries(cache)) == 2


def test_a_plan_with_problems_is_judged_every_time(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    plan = data / "targets.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("kind: rate", "kind: rates", 1), encoding="utf-8"
    )
    first = record(data, "lixia", "gdp_growth", "2023-Q1", "5.1")
    second = record(data, "lixia", "gdp_growth", "2023-Q1", "5.1")
    message = (
        "tracker: data/targets.yaml has 1 problem; run `tracker check` and fix the plan first\n"
    )
    assert (first.exit_code, first.stderr) == (1, message)
    assert (second.exit_code, second.stderr) == (1, message)
    assert full_loads == ["data/targets.yaml", "data/targets.yaml"]  # never stored
    assert entries(cache) == []
    assert not (data / "figures").exists()


def test_an_unknown_district_gets_the_same_message_from_the_cache(data: Path, cache: Path) -> None:
    uncached = record(data, "lixai", "gdp_growth", "2023-Q1", "5.1")
    cached = record(data, "lixai", "gdp_growth", "2023-Q1", "5.1")
    assert (
        uncached.stderr
        == cached.stderr
        == (
            "tracker: the plan has no district 'lixai' (did you mean 'lixia'?); the districts "
            "are: lixia (历下区), zhangqiu (章丘区)\n"
        )
    )
    assert (uncached.exit_code, cached.exit_code) == (1, 1)


def test_the_plan_for_some_districts_holds_just_them(data: Path, cache: Path) -> None:
    whole = load_plan_for_writing(DataDir(data, shipped=False))
    for _ in range(2):  # judged whole, then from the cache
        some = load_plan_for_writing(DataDir(data, shipped=False), ["zhangqiu"])
        assert [district.id for district in some.districts] == ["zhangqiu"]
        assert some.districts[0] == whole.districts[1]
        assert (some.year, some.settings) == (whole.year, whole.settings)
    unknown = load_plan_for_writing(DataDir(data, shipped=False), ["zhangqiu", "nowhere"])
    assert unknown == whole


@pytest.mark.parametrize(
    "content", [b"", b"{", b"[]", b'{"format": 1}', b"\xff\xfe", b'{"districts": []}\n']
)
def test_an_unreadable_entry_is_ignored(
    data: Path, cache: Path, full_loads: list[str], content: bytes
) -> None:
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    [entry] = entries(cache)
    entry.write_bytes(content)
    result = record(data, "lixia", "gdp_growth", "2023-Q2", "5.2")
    assert result.exit_code == 0
    assert full_loads == ["data/targets.yaml", "data/targets.yaml"]


def rewrite_entry(entry: Path, change: Callable[[dict[str, Any]], None], *, digest: bool) -> None:
    """Change the first district of an entry; with `digest`, sign the change as the cache would."""
    header, about, lixia, zhangqiu = entry.read_text(encoding="utf-8").splitlines()
    changed = json.loads(lixia)
    change(changed)
    rest = "\n".join([about, json.dumps(changed, ensure_ascii=False), zhangqiu]) + "\n"
    if digest:
        signed = dict(json.loads(header), digest=hashlib.sha256(rest.encode()).hexdigest())
        header = json.dumps(signed)
    entry.write_text(header + "\n" + rest, encoding="utf-8")


def test_an_entry_changed_by_hand_is_not_trusted(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    [entry] = entries(cache)

    def change(district: dict[str, Any]) -> None:  # a valid value, yet not the plan's
        district["targets"][0]["unit"] = "百分点"

    rewrite_entry(entry, change, digest=False)
    result = record(data, "lixia", "gdp_growth", "2023-Q2", "5.2")
    assert result.exit_code == 0  # its digest does not match: the plan is read and judged again
    assert result.stdout == "recorded lixia gdp_growth 2023-Q2 = 5.2 % in data/figures/lixia.yaml\n"
    assert full_loads == ["data/targets.yaml", "data/targets.yaml"]


def test_an_entry_whose_values_do_not_validate_is_replaced(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    [entry] = entries(cache)

    def change(district: dict[str, Any]) -> None:
        district["targets"][0]["kind"] = "nonsense"

    rewrite_entry(entry, change, digest=True)
    for period in ("2023-Q2", "2023-Q3"):
        result = record(data, "lixia", "gdp_growth", period, "5.2")
        assert result.exit_code == 0
        assert result.stdout == (
            f"recorded lixia gdp_growth {period} = 5.2 % in data/figures/lixia.yaml\n"
        )
    assert full_loads == ["data/targets.yaml", "data/targets.yaml"]  # then from the new entry


def test_tracker_no_cache_reads_and_writes_nothing(
    data: Path, cache: Path, full_loads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_NO_CACHE", "1")
    for period in ("2023-Q1", "2023-Q2"):
        assert record(data, "lixia", "gdp_growth", period, "5.1").exit_code == 0
    assert full_loads == ["data/targets.yaml", "data/targets.yaml"]
    assert not cache.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_cache_that_cannot_be_written_is_ignored(data: Path, cache: Path) -> None:
    cache.mkdir(parents=True)
    cache.chmod(0o500)
    try:
        assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
        assert entries(cache) == []
    finally:
        cache.chmod(0o700)


def test_a_cache_folder_that_is_a_file_is_ignored(data: Path, cache: Path) -> None:
    cache.parent.mkdir(parents=True)
    cache.write_text("not a folder", encoding="utf-8")
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    assert cache.read_text(encoding="utf-8") == "not a folder"


def test_writes_are_whole_and_old_entries_go(cache: Path) -> None:
    value = {"year": 2023, "districts": [{"id": "a", "name": "A", "targets": []}]}
    for number in range(plan_cache.MAX_ENTRIES + 3):
        plan_cache._write(f"{number:064x}", value, clean=True)
    kept = entries(cache)
    assert len(kept) == plan_cache.MAX_ENTRIES
    assert [path for path in cache.iterdir() if path.name.startswith(".")] == []
    newest = plan_cache._read(f"{plan_cache.MAX_ENTRIES + 2:064x}")
    assert newest is not None
    plan = newest.plan(None)
    assert plan is not None and [district.id for district in plan.districts] == ["a"]
    assert plan_cache._read(f"{0:064x}") is None


def test_status_takes_the_plan_from_the_cache(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    outputs = [run_cli("status", "--data", str(data), "--as-of", "2023-06-30") for _ in range(2)]
    assert [output.exit_code for output in outputs] == [0, 0]
    assert outputs[0].stdout == outputs[1].stdout
    assert full_loads == ["data/targets.yaml"]


def test_check_takes_a_clean_plan_from_the_cache(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    (data / "figures").mkdir()
    (data / "figures" / "lixia.yaml").write_text(
        "- {target: gdp_growth, period: 2023-Q1, value: 5.1}\n"
        "- {target: gdp_growth, period: 2023-Q4, value: 5.3}\n",
        encoding="utf-8",
    )
    runs = [run_cli("check", str(data), "--as-of", "2023-06-30") for _ in range(2)]
    assert [run.exit_code for run in runs] == [1, 1]
    assert (
        runs[0].stdout
        == runs[1].stdout
        == (
            "data/figures/lixia.yaml:2:32: future-figure gdp_growth 2023-Q4 has not begun on "
            "2023-06-30\n"
            "1 problem in 1 file (2 checked)\n"
        )
    )
    assert runs[0].stderr == runs[1].stderr
    assert full_loads == ["data/targets.yaml"]  # the second check parsed no plan
    assert record(data, "lixia", "gdp_growth", "2023-Q2", "5.2").exit_code == 0
    assert full_loads == ["data/targets.yaml"]


def test_check_on_clean_data_gives_the_same_output_from_the_cache(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    runs = [run_cli("check", str(data)) for _ in range(2)]
    assert [run.exit_code for run in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stderr == runs[1].stderr
    assert full_loads == ["data/targets.yaml"]


def with_duplicate_target(data: Path) -> None:
    plan = data / "targets.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("- id: revenue_growth", "- id: gdp_growth", 1), encoding="utf-8")


def test_a_plan_a_rule_finds_fault_with_is_checked_with_its_positions_every_time(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    with_duplicate_target(data)
    expected = (
        "data/targets.yaml:33:13: duplicate-id target id 'gdp_growth' is already used on line 23\n"
        "1 problem in 1 file (1 checked)\n"
    )
    for _ in range(2):
        result = run_cli("check", str(data))
        assert (result.exit_code, result.stdout) == (1, expected)
    # The first check reads the plan without positions, finds the rule's fault and reads it
    # again with them; the second knows from the entry that the plan is not clean, and reads it
    # with positions straight away.
    assert full_loads == ["data/targets.yaml"] * 3
    [entry] = entries(cache)  # stored once, marked as not clean, for the other commands
    assert json.loads(entry.read_text(encoding="utf-8").splitlines()[1])["clean"] is False
    status = run_cli("status", "--data", str(data), "--as-of", "2023-06-30")
    assert status.exit_code == 0
    assert full_loads == ["data/targets.yaml"] * 3


def test_a_plan_with_a_problem_loading_it_is_checked_with_its_positions_every_time(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    plan = data / "targets.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("kind: rate", "kind: rates", 1), encoding="utf-8"
    )
    expected = (
        "data/targets.yaml:27:15: bad-value kind: text 'rates' is not one of 'rate', "
        "'quantity' or 'items'\n"
        "1 problem in 1 file (1 checked)\n"
    )
    for _ in range(2):
        result = run_cli("check", str(data))
        assert (result.exit_code, result.stdout) == (1, expected)
    assert full_loads == ["data/targets.yaml", "data/targets.yaml"]
    assert entries(cache) == []


def test_check_reads_a_changed_plan_again(data: Path, cache: Path, full_loads: list[str]) -> None:
    assert run_cli("check", str(data)).exit_code == 0
    with_duplicate_target(data)
    result = run_cli("check", str(data))
    assert (result.exit_code, result.stdout) == (
        1,
        "data/targets.yaml:33:13: duplicate-id target id 'gdp_growth' is already used on line 23\n"
        "1 problem in 1 file (1 checked)\n",
    )
    # Clean: one read without positions. Changed and faulty: that read, then one with them.
    assert full_loads == ["data/targets.yaml"] * 3


def test_the_key_changes_with_the_plan_bytes() -> None:
    assert plan_cache.key_for(b"year: 2023\n") != plan_cache.key_for(b"year: 2024\n")
    assert plan_cache.key_for(b"a") == plan_cache.key_for(b"a")


def test_the_folder_follows_the_environment() -> None:
    assert plan_cache.folder({"XDG_CACHE_HOME": "/x", "HOME": "/h"}) == Path("/x/liuxia-tracker")
    assert plan_cache.folder({"HOME": "/h"}) == Path("/h/.cache/liuxia-tracker")
    assert plan_cache.folder({"XDG_CACHE_HOME": "relative", "HOME": "/h"}) == Path(
        "/h/.cache/liuxia-tracker"
    )
    assert plan_cache.folder({"HOME": "/h", "TRACKER_NO_CACHE": "1"}) is None
    assert plan_cache.folder({}) is None


def test_history_and_import_use_the_plan_of_their_districts(
    data: Path, cache: Path, full_loads: list[str], tmp_path: Path
) -> None:
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    history = run_cli("history", "lixia", "gdp_growth", "--data", str(data))
    assert history.exit_code == 0
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "district,target,period,value\nlixia,gdp_growth,2023-Q2,5.3\n", encoding="utf-8"
    )
    imported = run_cli("import", str(rows), "--data", str(data))
    assert imported.exit_code == 0, imported.stdout + imported.stderr
    assert full_loads == ["data/targets.yaml"]


def generated_plan(path: Path, districts: int, targets: int) -> Path:
    """A plan written by benchmarks/generate.py: every target template, many districts."""
    spec = importlib.util.spec_from_file_location("benchmark_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generator  # dataclasses look their module up by name
    spec.loader.exec_module(generator)
    generator.write_plan(path, districts, targets, 1)
    return path


@pytest.mark.parametrize("source", ["shipped", "generated"])
def test_the_plan_from_the_cache_is_the_plan_loading_gives(
    source: str, cache: Path, tmp_path: Path
) -> None:
    path = SEED_PLAN if source == "shipped" else generated_plan(tmp_path / "targets.yaml", 40, 60)
    loaded, parsed, problems = load_plan(path, "targets.yaml")
    assert loaded is not None and parsed is not None and problems == []
    stored, stored_parsed, _ = plan_cache.load_plan(path, "targets.yaml", positions=True)
    assert stored_parsed is not None  # read and judged, then stored
    cached, cached_parsed, cached_problems = plan_cache.load_plan(path, "targets.yaml")
    assert (cached_parsed, cached_problems) == (None, [])  # from the cache
    assert cached == loaded == stored
    assert repr(cached) == repr(loaded)  # the same fields in the same order, of the same types
    assert cached.model_dump_json(exclude_unset=True) == loaded.model_dump_json(exclude_unset=True)
    some = [loaded.districts[-1].id, loaded.districts[0].id]
    part, part_parsed, _ = plan_cache.load_plan(path, "targets.yaml", districts=some)
    assert part_parsed is None
    assert part == loaded.model_copy(
        update={"districts": [loaded.districts[0], loaded.districts[-1]]}
    )
