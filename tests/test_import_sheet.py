"""Tests for importing Excel workbooks (`log.import_sheet`, read by python-calamine) and for
the problems an import file has as a whole: a missing column once, an unclosed quote."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import xlsxwriter

from conftest import run_cli


def records(data: Path, district: str) -> list[dict[str, object]]:
    path = data / "figures" / f"{district}.yaml"
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line[2:])
        record.pop("recorded_at")
        found.append(record)
    return found


def openpyxl_book(path: Path, rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)


def xlsxwriter_book(path: Path, rows: list[list[object]]) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("数据")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(number, column, value, day)
            elif value is not None:
                sheet.write(number, column, value)
    book.close()


def test_a_workbook_written_by_openpyxl_imports_with_chinese_headers(data: Path) -> None:
    openpyxl_book(
        data.parent / "week.xlsx",
        [
            ["区县", "指标", "期间", "数值", "事项", "完成"],
            ["历下", "地区生产总值增长", "2023-Q1", 5.1, None, None],
            ["历下", "fortune500_projects", "2023-03", 3, None, None],
            ["历下", "征收项目", None, None, "三塑地块", True],
        ],
    )
    result = run_cli("import", "week.xlsx", "--data", "data")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "data/figures/lixia.yaml: appended 3 figures\n"
        "imported 3 rows from week.xlsx (excel): 3 figures appended\n"
    )
    assert records(data, "lixia") == [
        {"target": "gdp_growth", "period": "2023-Q1", "value": 5.1, "unit": "%", "by": "tester"},
        {"target": "fortune500_projects", "period": "2023-03", "value": 3, "unit": "个",
         "by": "tester"},
        {"target": "land_expropriation", "item": "sansu_plot", "done": True, "by": "tester"},
    ]  # fmt: skip


def test_problems_in_a_workbook_carry_the_sheets_row_and_column(data: Path) -> None:
    xlsxwriter_book(
        data.parent / "week.xlsx",
        [
            ["历下区本周数据"],
            [],
            [None, "district", "target", "period", "value"],
            [None, "lixia", "gdp_growth", "2023-Q1", 5.1],
            [],
            [None, "lixia", "gdp_growth", "2023-03", 5.2],
            [None, "lixia", "fortune500_projects", "2023-03", "三个"],
            [None, "lixia", "gdp_growth", date(2023, 6, 30), 5.3],
        ],
    )
    result = run_cli("import", "week.xlsx", "--data", "data")
    assert result.exit_code == 1
    assert result.stdout == (
        "week.xlsx:6:4: period-cadence period 2023-03 is a month; gdp_growth is reported by "
        "quarter\n"
        "week.xlsx:7:5: type value: not a number: '三个' (write a number, or a shorthand such "
        'as "6%", "15亿")\n'
        "week.xlsx:8:4: period-cadence period 2023-06-30 is a day; gdp_growth is reported by "
        "quarter\n"
    )


def test_a_workbook_saved_with_a_csv_name_is_still_read_as_a_workbook(data: Path) -> None:
    openpyxl_book(
        data.parent / "week.csv",
        [["district", "target", "period", "value"], ["lixia", "gdp_growth", "2023-Q1", 5.1]],
    )
    result = run_cli("import", "week.csv", "--data", "data")
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("imported 1 row from week.csv (excel): 1 figure appended\n")


def test_a_broken_workbook_is_one_excel_problem(data: Path) -> None:
    (data.parent / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    result = run_cli("import", "broken.xlsx", "--data", "data")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "broken.xlsx:1:1: excel not a workbook python-calamine can read: "
    )


def test_without_python_calamine_a_workbook_gets_a_one_line_hint(data: Path) -> None:
    openpyxl_book(
        data.parent / "week.xlsx",
        [["district", "target", "period", "value"], ["lixia", "gdp_growth", "2023-Q1", 5.1]],
    )
    program = (
        "import sys; sys.modules['python_calamine'] = None\n"
        "from liuxia_tracker.cli import main\n"
        "sys.argv = ['tracker', 'import', 'week.xlsx', '--data', 'data']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        cwd=data.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "TRACKER_NO_CACHE": "1"},
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr == (
        "tracker: week.xlsx is an Excel workbook; reading it needs python-calamine: "
        "pip install 'liuxia-tracker[xlsx]' (or save the sheet as CSV UTF-8)\n"
    )
    assert not (data / "figures" / "lixia.yaml").exists()


# -- the file as a whole ----------------------------------------------------------------------


def test_a_missing_column_is_one_problem_at_the_header(data: Path) -> None:
    (data.parent / "m.csv").write_text(
        "district,target,period\nlixia,gdp_growth,2023-Q1\nlixia,gdp_growth,2023-Q2\n",
        encoding="utf-8",
    )
    result = run_cli("import", "m.csv", "--data", "data")
    assert result.exit_code == 1
    assert result.stdout == (
        "m.csv:1:1: missing-column the header has no `value` column (an item's rows need "
        "`item` and `done`)\n"
    )


def test_an_items_file_needs_no_period_or_value_column(data: Path) -> None:
    (data.parent / "i.csv").write_text(
        "district,target,item,done\nlixia,land_expropriation,sansu_plot,yes\n", encoding="utf-8"
    )
    result = run_cli("import", "i.csv", "--data", "data")
    assert result.exit_code == 0, result.output


def test_an_unclosed_quote_is_a_csv_problem_at_its_cell(data: Path) -> None:
    (data.parent / "q.csv").write_text(
        'district,target,period,value\nlixia,gdp_growth,2023-Q1,"5.1\nlixia,gdp_growth,2023-Q2,5\n',
        encoding="utf-8",
    )
    result = run_cli("import", "q.csv", "--data", "data")
    assert result.exit_code == 1
    assert result.stdout == (
        "q.csv:2:4: csv a quote opened in this cell is never closed: the row runs to the end "
        'of the file (close the quote, or write a quote inside a cell as "")\n'
    )


def test_a_quoted_cell_with_a_line_break_is_still_fine(data: Path) -> None:
    (data.parent / "n.csv").write_text(
        'district,target,period,value,note\nlixia,gdp_growth,2023-Q1,5.1,"two\nlines"\n',
        encoding="utf-8",
    )
    result = run_cli("import", "n.csv", "--data", "data")
    assert result.exit_code == 0, result.output
