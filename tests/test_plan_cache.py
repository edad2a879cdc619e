"""The plan cache (`liuxia_tracker.plan.cache`): a plan found valid is read and judged once per
version of it; `record`, `import`, `history` and `status` then validate its values (only the
districts they need, for the writing commands), with the same results, the same refusals and
the same messages as without the cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import run_cli
from liuxia_tracker.commands.common import load_plan_for_writing
from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.plan import cache as plan_cache


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

    def counting(text: str, display: str):  # type: ignore[no-untyped-def]
        loads.append(display)
        return original(text, display)

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
    header, *districts = entry.read_text(encoding="utf-8").splitlines()  # JSON, never a pickle
    assert json.loads(header)["districts"] == ["lixia", "zhangqiu"]
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


def test_an_entry_changed_by_hand_is_not_trusted(data: Path, cache: Path) -> None:
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    [entry] = entries(cache)
    header, lixia, zhangqiu = entry.read_text(encoding="utf-8").splitlines()
    changed = json.loads(lixia)
    changed["targets"][0]["kind"] = "nonsense"
    entry.write_text("\n".join([header, json.dumps(changed), zhangqiu]) + "\n", encoding="utf-8")
    result = record(data, "lixia", "gdp_growth", "2023-Q2", "5.2")
    assert result.exit_code == 0  # the plan itself is fine: it is read and judged again
    assert result.stdout == "recorded lixia gdp_growth 2023-Q2 = 5.2 % in data/figures/lixia.yaml\n"


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
        plan_cache._write(f"{number:064x}", value)
    kept = entries(cache)
    assert len(kept) == plan_cache.MAX_ENTRIES
    assert [path for path in cache.iterdir() if path.name.startswith(".")] == []
    newest = plan_cache._read(f"{plan_cache.MAX_ENTRIES + 2:064x}", None)
    assert newest is not None and [district.id for district in newest.districts] == ["a"]
    assert plan_cache._read(f"{0:064x}", None) is None


def test_status_takes_the_plan_from_the_cache(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    outputs = [run_cli("status", "--data", str(data), "--as-of", "2023-06-30") for _ in range(2)]
    assert [output.exit_code for output in outputs] == [0, 0]
    assert outputs[0].stdout == outputs[1].stdout
    assert full_loads == ["data/targets.yaml"]


def test_check_always_reads_the_plan_and_stores_it(
    data: Path, cache: Path, full_loads: list[str]
) -> None:
    for _ in range(2):
        assert run_cli("check", str(data)).exit_code == 0
    assert full_loads == ["data/targets.yaml", "data/targets.yaml"]
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    assert full_loads == ["data/targets.yaml", "data/targets.yaml"]


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
