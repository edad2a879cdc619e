"""`tracker export`: the three long tables in JSON lines, CSV and Parquet, where they are
written, the DuckDB recipe of docs/export.md, and the hint when DuckDB is missing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import SHARED_PLAN, write_data_dir
from liuxia_tracker.cli import app
from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.commands.status import Filters, SortKey, build_status
from liuxia_tracker.render.export_tables import FIGURE_COLUMNS, PLAN_COLUMNS, STATUS_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()

FIGURES = (
    '- {"target": "gdp", "period": "2023-Q1", "value": 5.1, "unit": "%"}\n'
    '- {"target": "revenue", "period": "2023-01", "value": 12000, "unit": "万元", "by": "王"}\n'
    '- {"target": "gdp", "period": "2023-Q1", "value": 5.3, "unit": "%", "note": "修订"}\n'
    '- {"target": "projects", "item": "north_plot", "done": true, "date": "2023-05-12"}\n'
    '- {"target": "gdb", "period": "2023-Q1", "value": 5.1}\n'
)
FIGURES_CSV = (
    "district_id,target_id,file,line,period,period_end,item,done,date,value,unit,value_base,"
    "base_unit,value_in_target_unit,target_unit,revision,superseded,source,note,by,recorded_at\n"
    "east,gdp,data/figures/east.yaml,1,2023-Q1,2023-03-31,,,,5.1,%,5.1,%,5.1,%,1,true,,,,\n"
    "east,revenue,data/figures/east.yaml,2,2023-01,2023-01-31,,,,12000,万元,120000000,元,1.2,"
    "亿元,1,false,,,王,\n"
    "east,gdp,data/figures/east.yaml,3,2023-Q1,2023-03-31,,,,5.3,%,5.3,%,5.3,%,2,false,,修订,,\n"
    "east,projects,data/figures/east.yaml,4,,,north_plot,true,2023-05-12,,,,,,项,1,false,,,,\n"
)
SKIPPED = "tracker: 1 problem in the figure files was skipped; run `tracker check` to see them\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    write_data_dir(tmp_path / "data", figures={"east": FIGURES})
    return tmp_path


def export(*args: str) -> Any:
    return runner.invoke(app, ["export", *args])


def test_figures_as_csv_keep_exact_decimals_revisions_and_superseded(workdir: Path) -> None:
    result = export("--format", "csv", "--what", "figures", "--output", "-")
    assert (result.exit_code, result.stdout, result.stderr) == (0, FIGURES_CSV, SKIPPED)


def test_figures_as_json_lines(workdir: Path) -> None:
    result = export("--what", "figures", "-o", "-")
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [list(row) for row in rows] == [[column.name for column in FIGURE_COLUMNS]] * 4
    assert rows[1] == {
        "district_id": "east",
        "target_id": "revenue",
        "file": "data/figures/east.yaml",
        "line": 2,
        "period": "2023-01",
        "period_end": "2023-01-31",
        "item": None,
        "done": None,
        "date": None,
        "value": "12000",
        "unit": "万元",
        "value_base": "120000000",
        "base_unit": "元",
        "value_in_target_unit": 1.2,
        "target_unit": "亿元",
        "revision": 1,
        "superseded": False,
        "source": None,
        "note": None,
        "by": "王",
        "recorded_at": None,
    }


def test_the_plan_has_one_row_per_target(workdir: Path) -> None:
    result = export("-f", "csv", "--what", "plan", "-o", "-")
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(column.name for column in PLAN_COLUMNS)
    assert lines[1:3] == [
        "2023,east,东区,East District,gdp,地区生产总值增长,,经济指标,rate,at_least,6,%,6,%,,,"
        "quarter,cumulative,linear,,,1,0,,",
        "2023,east,东区,East District,revenue,一般公共预算收入,,经济指标,quantity,at_least,15,"
        "亿元,1500000000,元,,,month,cumulative,linear,,,1,0,,",
    ]
    assert len(lines) - 1 == SHARED_PLAN.read_text("utf-8").count("kind:")


def test_the_status_snapshot_is_the_status_report_field_for_field(workdir: Path) -> None:
    result = export("--what", "status", "-o", "-", "--as-of", "2023-06-30")
    exported = [json.loads(line) for line in result.stdout.splitlines()]
    report = build_status(DataDir(Path("data"), False), date(2023, 6, 30), Filters(), SortKey.NAME)
    assert report.report is not None
    rows = report.report.rows
    assert len(exported) == len(rows) > 0
    assert list(exported[0]) == [column.name for column in STATUS_COLUMNS]
    for row, line in zip(rows, exported, strict=True):
        assert (line["target_id"], line["status"]) == (row.target_id, row.status.value)
        for name in ("actual", "expected", "variance", "completion", "forecast", "score"):
            assert line[name] == getattr(row, name), name
        assert line["as_of"] == "2023-06-30"


def test_all_three_tables_into_a_new_folder(workdir: Path) -> None:
    result = export("-f", "jsonl", "-o", "out/tables")
    assert result.exit_code == 0
    assert result.stdout == (
        "plan: 7 rows written to out/tables/plan.jsonl\n"
        "figures: 4 rows written to out/tables/figures.jsonl\n"
        "status: 7 rows written to out/tables/status.jsonl\n"
    )
    assert sorted(path.name for path in (workdir / "out" / "tables").iterdir()) == [
        "figures.jsonl",
        "plan.jsonl",
        "status.jsonl",
    ]


def test_one_table_into_an_existing_folder_or_a_file(workdir: Path) -> None:
    (workdir / "out").mkdir()
    assert export("-f", "csv", "--what", "figures", "-o", "out").stdout == (
        "figures: 4 rows written to out/figures.csv\n"
    )
    assert (workdir / "out" / "figures.csv").read_text("utf-8") == FIGURES_CSV
    assert export("-f", "csv", "--what", "figures", "-o", "f.csv").stdout == (
        "figures: 4 rows written to f.csv\n"
    )
    assert (workdir / "f.csv").read_text("utf-8") == FIGURES_CSV


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [],
            "tracker: --output: give a folder, or a file with --what (see `tracker export --help`)",
        ),
        (["-o", "x", "-f", "xlsx"], "tracker: --format: 'xlsx' is not one of jsonl, csv, parquet"),
        (
            ["-o", "x", "--what", "items"],
            "tracker: --what: 'items' is not one of plan, figures, status",
        ),
        (
            ["-o", "-"],
            "tracker: --output -: standard output takes one table; choose it with --what",
        ),
        (
            ["-o", "-", "--what", "plan", "-f", "parquet"],
            "tracker: --output -: Parquet is written to a file or folder, not stdout",
        ),
        (
            ["-o", "x", "--as-of", "2023-13-01"],
            "tracker: --as-of: not a date: '2023-13-01' (write YYYY-MM-DD)",
        ),
        (
            ["-o", "x", "--data", "nowhere"],
            "tracker: no plan found: nowhere/targets.yaml does not exist",
        ),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(workdir: Path, args: list[str], message: str) -> None:
    result = export(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")
    assert not (workdir / "x").exists()


def test_a_file_in_the_way_of_the_folder_is_one_line(workdir: Path) -> None:
    (workdir / "out").write_text("", encoding="utf-8")
    result = export("-o", "out")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "tracker: --output: out is a file; all three tables go into a folder (or choose one "
        "with --what)\n",
    )


def test_a_plan_with_problems_exports_nothing(workdir: Path) -> None:
    plan = workdir / "data" / "targets.yaml"
    plan.write_text(plan.read_text("utf-8").replace("kind: rate", "kind: rates"), "utf-8")
    result = export("-o", "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "tracker: the plan has problems; nothing exported (see above)"
    )
    assert "bad-value kind: text 'rates'" in result.stderr
    assert not (workdir / "out").exists()


# -- Parquet and the DuckDB recipe --------------------------------------------------------

duckdb = pytest.importorskip("duckdb")


def _recipe(name: str) -> str:
    text = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", text, flags=re.DOTALL)
    (found,) = [block for block in blocks if name in block]
    return str(found)


def test_parquet_columns_are_typed(workdir: Path) -> None:
    result = export("-f", "parquet", "-o", "out")
    assert result.exit_code == 0, result.output
    described = duckdb.sql("DESCRIBE SELECT * FROM 'out/figures.parquet'").fetchall()
    types = {name: kind for name, kind, *_ in described}
    assert [name for name, *_ in described] == [column.name for column in FIGURE_COLUMNS]
    assert (types["line"], types["period_end"], types["superseded"]) == (
        "BIGINT",
        "DATE",
        "BOOLEAN",
    )
    assert (types["value"], types["value_in_target_unit"]) == ("VARCHAR", "DOUBLE")
    rows = duckdb.sql(
        "SELECT target_id, value, revision, superseded FROM 'out/figures.parquet' ORDER BY line"
    ).fetchall()
    assert rows == [
        ("gdp", "5.1", 1, True),
        ("revenue", "12000", 1, False),
        ("gdp", "5.3", 2, False),
        ("projects", None, 1, False),
    ]


def test_the_duckdb_recipe_gives_the_numbers_of_tracker_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = ROOT / "data"
    result = export(
        "--format", "parquet", "--output", "out", "--as-of", "2023-12-31", "--data", str(data)
    )
    assert result.exit_code == 0, result.output
    compared = duckdb.sql(_recipe("from_figures")).fetchall()
    status = runner.invoke(
        app, ["status", "--as-of", "2023-12-31", "--format", "json", "--data", str(data)]
    )
    shown = {
        (district["id"], target["id"]): (target["actual"], target["status"])
        for district in json.loads(status.stdout)["districts"]
        for target in district["targets"]
    }
    assert len(compared) == 13
    for district_id, target_id, _unit, latest, actual, status_code in compared:
        # The snapshot is `tracker status`'s numbers, and the figures give them again.
        assert (actual, status_code) == shown[(district_id, target_id)]
        assert latest == pytest.approx(actual, rel=1e-12, abs=1e-12), target_id


def test_the_postgresql_table_lists_the_exported_columns() -> None:
    create = _recipe("CREATE TABLE figures")
    body = create.split("(", 1)[1].split(");", 1)[0]
    names = [part.split()[0].strip('"') for part in body.split(",")]
    assert names == [column.name for column in FIGURE_COLUMNS]


def test_without_duckdb_parquet_is_a_one_line_hint_and_exit_2(workdir: Path) -> None:
    # A fresh interpreter in which `import duckdb` fails, as it does when it is not installed.
    script = (
        "import sys; sys.modules['duckdb'] = None\n"
        "from liuxia_tracker.cli import main\n"
        "sys.argv = ['tracker', 'export', '--format', 'parquet', '--output', 'out']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "tracker: Parquet export needs DuckDB; install it with: pip install "
        "'liuxia-tracker[export]' (or pip install duckdb)\n",
    )
    assert not (workdir / "out").exists()
