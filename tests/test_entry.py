"""Data entry for offices: `init`, `targets`, `retract`, names for ids, the seed marker, and
the guards against slips (implausible values, early figures)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SEED, run_cli


def test_the_shipped_example_is_never_written_to() -> None:
    before = (SEED / "figures" / "lixia.yaml").read_bytes()
    result = run_cli("record", "lixia", "gdp_growth", "2023-Q1", "5.1", "--data", str(SEED))
    assert result.exit_code == 1
    assert "tracker init mydata --from-example" in result.stderr
    assert result.stderr.count("\n") == 1
    assert (SEED / "figures" / "lixia.yaml").read_bytes() == before


def test_init_from_example_is_writable_and_names_work(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert run_cli("init", str(folder), "--from-example").exit_code == 0
    assert "example: true" not in (folder / "targets.yaml").read_text(encoding="utf-8")
    result = run_cli("record", "历下", "地区生产总值增长", "2023-Q3", "5.9", "--data", str(folder))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("revised lixia gdp_growth 2023-Q3: 6.3 % → 5.9 %")
    assert run_cli("init", str(folder)).exit_code == 1  # not empty


def test_an_ambiguous_or_unknown_name_lists_the_candidates(data: Path) -> None:
    result = run_cli("record", "北京", "gdp_growth", "2023-Q1", "5")
    assert result.exit_code == 1
    assert "the districts are: lixia (历下区), zhangqiu (章丘区)" in result.stderr


def test_the_skeleton_plan_checks_clean(tmp_path: Path) -> None:
    assert run_cli("init", str(tmp_path / "new")).exit_code == 0
    result = run_cli("check", str(tmp_path / "new"))
    assert result.exit_code == 0, result.stdout


def test_retract_falls_back_to_the_figure_before(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    run_cli("init", str(folder), "--from-example")
    assert (
        run_cli("record", "lixia", "gdp_growth", "2023-Q3", "5.9", "--data", str(folder)).exit_code
        == 0
    )
    result = run_cli(
        "retract", "历下区", "gdp_growth", "2023-Q3", "--reason", "录错", "--data", str(folder)
    )
    assert result.exit_code == 0, result.stderr
    history = json.loads(
        run_cli("history", "lixia", "gdp_growth", "--format", "json", "--data", str(folder)).stdout
    )
    standings = [(r.get("period"), r["standing"]) for r in history["records"]][-3:]
    assert standings == [("2023-Q3", "wins"), ("2023-Q3", "retracted"), ("2023-Q3", "retraction")]
    again = run_cli(
        "retract", "lixia", "gdp_growth", "2023-Q4", "--reason", "x", "--data", str(folder)
    )
    assert again.exit_code == 1 and "nothing to retract" in again.stderr
    assert run_cli("check", str(folder)).exit_code == 0


def test_implausible_values_need_force(data: Path) -> None:
    refused = run_cli("record", "zhangqiu", "yilaite_output", "2023-Q2", "15000亿")
    assert refused.exit_code == 1
    assert "more than 10 times the target" in refused.stderr and "--force" in refused.stderr
    forced = run_cli("record", "zhangqiu", "yilaite_output", "2023-Q2", "15000亿", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert '"forced": true' in (data / "figures" / "zhangqiu.yaml").read_text(encoding="utf-8")
    assert run_cli("check").exit_code == 0


def test_targets_lists_ids_and_the_next_figure_due(data: Path) -> None:
    result = run_cli("targets", "历下", "--format", "json", "--as-of", "2023-06-10")
    rows = json.loads(result.stdout)
    gdp = next(row for row in rows if row["id"] == "gdp_growth")
    assert (gdp["name"], gdp["cadence"], gdp["next_due"]) == (
        "地区生产总值增长",
        "quarter",
        "2023-Q2",
    )
