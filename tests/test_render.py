"""Tests for the status report renderers (`liuxia_tracker.render.view` and one module per format).

Every test is fed hand-made `Report` values: renderers never compute, so what they are given is
what they must show. Golden files live in tests/golden/; after a deliberate change, rewrite them
with `UPDATE_GOLDEN=1 pytest tests/test_render.py` and review the diff by eye.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from wcwidth import wcswidth

from conftest import json_output
from liuxia_tracker.engine.rows import (
    DistrictSummary,
    ExpectedBasis,
    OverdueFigure,
    OverdueItem,
    Report,
    Status,
    TargetRow,
)
from liuxia_tracker.i18n import Language
from liuxia_tracker.render import csv as csv_render
from liuxia_tracker.render import json as json_render
from liuxia_tracker.render.formats import RENDERERS, OutputFormat, render_report
from liuxia_tracker.render.markdown import escape
from liuxia_tracker.render.notes import (
    note_lines,
    overdue_figure_line,
    overdue_item_line,
    reason_line,
)
from liuxia_tracker.render.table import (
    HIDDEN_FIRST,
    completion_bar,
    layout,
    minimum_width,
    wrap,
)
from liuxia_tracker.render.view import (
    COLUMNS,
    SECTION_COLUMNS,
    cells,
    format_number,
    format_percent,
    format_signed,
    sections,
    summary_line,
)

GOLDEN = Path(__file__).parent / "golden"
ZH = Language.ZH
EN = Language.EN
LIXIA = {"district_id": "lixia", "district_name": "历下区", "district_name_en": "Lixia District"}
ZHANGQIU = {
    "district_id": "zhangqiu",
    "district_name": "章丘区",
    "district_name_en": "Zhangqiu District",
}


def make_row(**fields: Any) -> TargetRow:
    """A row with no data; `fields` fill in what a test needs."""
    values: dict[str, Any] = {
        **LIXIA,
        "target_id": "target",
        "name": "指标",
        "name_en": None,
        "group": "经济指标",
        "kind": "quantity",
        "qualifier": "at_least",
        "unit": "个",
        "target": 1.0,
        "tolerance": None,
        "actual": None,
        "expected": None,
        "expected_basis": ExpectedBasis.AS_OF,
        "variance": None,
        "completion": None,
        "remaining": None,
        "status": Status.NO_DATA,
        "last_period": None,
        "forecast": None,
        "forecast_date": None,
        "forecast_reached": None,
        "owner": None,
        "leader": None,
        "weight": 1.0,
        "score": None,
    }
    values.update(fields)
    return TargetRow(**values)


# The rows arrive worst first, as the engine sorts them; the renderers must keep this order.
LIXIA_ROWS = (
    make_row(
        target_id="cbd_area_delivered",
        name="CBD交付建筑面积",
        name_en="CBD floor area delivered",
        group="中央商务区",
        unit="万平方米",
        target=80.0,
        actual=35.5,
        expected=43.72,
        expected_basis=ExpectedBasis.LAST_PERIOD,
        variance=-8.22,
        completion=0.44375,
        remaining=44.5,
        status=Status.BEHIND,
        last_period="2023-W28",
        forecast=64.35,
        forecast_reached=False,
        owner="中央商务区管委会",
        leader="分管副区长",
        score=0.44375,
        # Expected 43.72 of 80 is 54.65% due: 44.375 − 54.65 = −10.275 points (序时差); 24 weeks
        # after W28 must deliver (80 − 35.5) / 24 = 1.854… each (倒排).
        schedule_gap=-10.275,
        needed_per_period=44.5 / 24,
        periods_left=24,
        cadence="week",
    ),
    make_row(
        target_id="land_expropriation",
        name="征收项目",
        name_en="Land expropriation projects",
        group="征收",
        kind="items",
        unit="项",
        target=8.0,
        actual=3.0,
        expected=4.4267,
        variance=-1.4267,
        completion=0.375,
        remaining=5.0,
        status=Status.BEHIND,
        forecast=5.42,
        forecast_reached=False,
        owner="区征收服务中心",
        score=0.375,
        items_done=3,
        items_total=8,
        overdue_items=(
            OverdueItem("sansu_plot", "三塑地块", "区征收服务中心", None, date(2023, 6, 30)),
        ),
    ),
    make_row(
        target_id="gdp_growth",
        name="地区生产总值增长",
        name_en="GDP growth",
        kind="rate",
        unit="%",
        target=6.0,
        actual=5.4,
        expected=6.0,
        expected_basis=ExpectedBasis.TARGET,
        variance=-0.6,
        completion=0.9,
        status=Status.AT_RISK,
        last_period="2023-Q2",
        forecast=5.4,
        owner="区发展和改革局",
        score=0.9,
    ),
    make_row(
        target_id="innovation_items",
        name="创新突破事项",
        name_en="Innovation breakthrough items",
        group="创新突破",
        kind="items",
        unit="项",
        target=28.0,
        actual=9.0,
        expected=15.4952,
        variance=-6.4952,
        completion=0.32142857142857145,
        remaining=19.0,
        status=Status.STALE,
        last_period="2023-05",
        forecast=15.43,
        forecast_reached=False,
        owner="区科技局",
        score=0.32142857142857145,
        items_done=9,
        items_total=28,
        note="最近数据为2023-05，6月数据已逾期",
        overdue_figure=OverdueFigure("2023-06", date(2023, 7, 20)),
        cadence="month",
    ),
    make_row(
        target_id="cbd_buildings_delivered",
        name="CBD交付楼宇",
        name_en="CBD buildings delivered",
        group="中央商务区",
        unit="栋",
        target=12.0,
        expected=6.64,
        remaining=12.0,
        owner="中央商务区管委会",
    ),
    make_row(
        target_id="fortune500_projects",
        name="招引世界500强、中国500强项目",
        name_en="Fortune Global 500 / China 500 projects attracted",
        group="招商引资",
        target=25.0,
        actual=14.0,
        expected=11.325,
        expected_basis=ExpectedBasis.LAST_PERIOD,
        variance=2.675,
        completion=0.56,
        remaining=11.0,
        status=Status.ON_TRACK,
        last_period="2023-06",
        forecast=28.0,
        forecast_date=date(2023, 11, 28),
        forecast_reached=True,
        owner="区投资促进局",
        leader="区长",
        score=0.56,
    ),
    make_row(
        target_id="revenue_growth",
        name="一般公共预算收入增长",
        name_en="General public budget revenue growth",
        kind="rate",
        qualifier="about",
        unit="%",
        target=17.0,
        tolerance=0.5,
        actual=17.3,
        expected=17.0,
        expected_basis=ExpectedBasis.TARGET,
        variance=0.3,
        completion=1.0176470588235294,
        status=Status.ON_TRACK,
        last_period="2023-06",
        forecast=17.3,
        owner="区财政局",
        score=1.0176470588235294,
    ),
    make_row(
        target_id="pm25",
        name="PM2.5平均浓度",
        group="生态环境",
        qualifier="at_most",
        unit="微克/立方米",
        target=38.0,
        actual=36.25,
        expected=38.0,
        expected_basis=ExpectedBasis.TARGET,
        variance=-1.75,
        completion=0.9539473684210527,
        status=Status.ON_TRACK,
        last_period="2023-06",
        forecast=36.25,
        owner="区生态环境分局",
        weight=0.5,
        score=0.5,
    ),
)

ZHANGQIU_ROWS = (
    make_row(
        **ZHANGQIU,
        target_id="mingquan_output",
        name="明泉集团氮肥搬迁项目新增产值",
        name_en="Mingquan nitrogen-fertiliser relocation, added output",
        group="重点项目",
        unit="亿元",
        target=20.0,
        actual=8.6,
        expected=9.918,
        expected_basis=ExpectedBasis.LAST_PERIOD,
        variance=-1.318,
        completion=0.43,
        remaining=11.4,
        status=Status.AT_RISK,
        last_period="2023-Q2",
        forecast=17.345,
        forecast_reached=False,
        owner="区工业和信息化局",
        score=0.43,
    ),
    make_row(
        **ZHANGQIU,
        target_id="yilaite_output",
        name="伊莱特重工深海装备产业园新增产值",
        name_en="Yilaite deep-sea equipment park, added output",
        group="重点项目",
        unit="亿元",
        target=15.0,
        actual=16.2,
        expected=7.4384,
        expected_basis=ExpectedBasis.LAST_PERIOD,
        variance=8.7616,
        completion=1.08,
        remaining=0.0,
        status=Status.ACHIEVED,
        last_period="2023-Q2",
        forecast=32.67,
        forecast_date=date(2023, 6, 30),
        forecast_reached=True,
        owner="区工业和信息化局",
        score=1.08,
    ),
)

SAMPLE = Report(
    year=2023,
    as_of=date(2023, 7, 20),
    rows=LIXIA_ROWS + ZHANGQIU_ROWS,
    districts=(
        DistrictSummary(
            "lixia",
            "历下区",
            "Lixia District",
            counts={
                Status.BEHIND: 2,
                Status.AT_RISK: 1,
                Status.STALE: 1,
                Status.NO_DATA: 1,
                Status.ON_TRACK: 3,
            },
            score=0.5891,
            rank=2,
        ),
        DistrictSummary(
            "zhangqiu",
            "章丘区",
            "Zhangqiu District",
            counts={Status.AT_RISK: 1, Status.ACHIEVED: 1},
            score=0.755,
            rank=1,
        ),
    ),
)

NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def table_text(report: Report, lang: Language, **options: Any) -> str:
    return render_report(report, OutputFormat.TABLE, lang, **{"color": False, **options})


# --- the rounding rule -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (6.0, "6"),
        (35.5, "35.5"),
        (6.125, "6.13"),
        (2.675, "2.68"),  # half up on the decimal, though the binary float is 2.67499…
        (0.1 + 0.2, "0.3"),
        (-8.22, "-8.22"),
        (-0.004, "0"),  # never "-0"
        (1234567.891, "1234567.89"),
        (1e20, "100000000000000000000"),
        (float("nan"), None),
        (None, None),
    ],
)
def test_format_number_keeps_at_most_two_decimals(value: float | None, shown: str | None) -> None:
    assert format_number(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.3, "+0.3"), (-0.6, "-0.6"), (0.001, "0"), (0.0, "0"), (2.675, "+2.68"), (None, None)],
)
def test_format_signed_marks_the_direction(value: float | None, shown: str | None) -> None:
    assert format_signed(value) == shown


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [
        (0.44375, "44.4%"),
        (0.0105, "1.1%"),  # 0.0105 * 100 in binary is 1.0499999…
        (1.0, "100.0%"),
        (1.0176470588235294, "101.8%"),
        (0.0, "0.0%"),
        (-0.0001, "0.0%"),
        (float("inf"), None),
        (None, None),
    ],
)
def test_format_percent_has_one_decimal(ratio: float | None, shown: str | None) -> None:
    assert format_percent(ratio) == shown


@pytest.mark.parametrize(
    ("ratio", "bar"),
    [
        (None, ""),
        (0.0, "░░░░░░░░░░"),
        (0.05, "░░░░░░░░░░"),
        (0.0999, "░░░░░░░░░░"),
        (0.1, "█░░░░░░░░░"),
        (0.3, "███░░░░░░░"),  # 0.3 * 10 is 2.9999… in binary; the reader sees 30%
        (0.44375, "████░░░░░░"),
        (0.56, "█████░░░░░"),
        (0.95, "█████████░"),
        (0.971, "█████████░"),  # 97.1%: not achieved, so not a full bar
        (0.9996, "█████████░"),  # shown as 100.0%, still short of the target
        (1.0, "██████████"),
        (1.8, "██████████"),
        (-0.5, "░░░░░░░░░░"),
    ],
)
def test_completion_bar_has_one_block_per_full_tenth(ratio: float | None, bar: str) -> None:
    assert completion_bar(ratio) == bar


# --- cells -----------------------------------------------------------------------------------


def test_cells_in_chinese() -> None:
    assert [cells(row, ZH) for row in (LIXIA_ROWS[0], LIXIA_ROWS[1], LIXIA_ROWS[6])] == [
        (
            "历下区",
            "中央商务区",
            "CBD交付建筑面积",
            "以上",
            "80万平方米",
            "35.5万平方米",
            "43.72万平方米",
            "-8.22万平方米",
            "44.4%",
            "滞后",
            "64.35万平方米（年内无法完成）",
            "中央商务区管委会",
            "分管副区长",
        ),
        (
            "历下区",
            "征收",
            "征收项目",
            "以上",
            "8项",
            "3/8",
            "4.43项",
            "-1.43项",
            "37.5%",
            "滞后",
            "5.42项（年内无法完成）",
            "区征收服务中心",
            "—",
        ),
        (
            "历下区",
            "经济指标",
            "一般公共预算收入增长",
            "左右 ±0.5百分点",
            "17%",
            "17.3%",
            "17%",
            "+0.3百分点",
            "101.8%",
            "达到序时",
            "17.3%",
            "区财政局",
            "—",
        ),
    ]


def test_cells_in_english() -> None:
    assert [cells(row, EN) for row in (LIXIA_ROWS[5], LIXIA_ROWS[6], LIXIA_ROWS[7])] == [
        (
            "Lixia District",
            "招商引资",
            "Fortune Global 500 / China 500 projects attracted",
            "≥",
            "25 个",
            "14 个",
            "11.33 个",
            "+2.68 个",
            "56.0%",
            "on track",
            "28 个 (reached 2023-11-28)",
            "区投资促进局",
            "区长",
        ),
        (
            "Lixia District",
            "经济指标",
            "General public budget revenue growth",
            "≈ ±0.5 pp",
            "17%",
            "17.3%",
            "17%",
            "+0.3 pp",
            "101.8%",
            "on track",
            "17.3%",
            "区财政局",
            "—",
        ),
        (
            "Lixia District",
            "生态环境",
            "PM2.5平均浓度",  # no English name: the Chinese one
            "≤",
            "38 微克/立方米",
            "36.25 微克/立方米",
            "38 微克/立方米",
            "-1.75 微克/立方米",
            "95.4%",
            "on track",
            "36.25 微克/立方米",
            "区生态环境分局",
            "—",
        ),
    ]


def test_a_row_without_data_shows_empty_marks() -> None:
    assert cells(LIXIA_ROWS[4], EN) == (
        "Lixia District",
        "中央商务区",
        "CBD buildings delivered",
        "≥",
        "12 栋",
        "—",
        "6.64 栋",
        "—",
        "—",
        "no data",
        "—",
        "中央商务区管委会",
        "—",
    )


def test_control_characters_in_plan_text_become_spaces() -> None:
    row = make_row(name="新增\n亿元楼\x1b[31m", owner="  ", leader="甲\t乙")
    shown = cells(row, ZH)
    assert shown[2] == "新增 亿元楼 [31m"
    assert shown[11:] == ("—", "甲 乙")


def test_summary_lines() -> None:
    lixia, zhangqiu = sections(SAMPLE)
    assert summary_line(lixia, SAMPLE, ZH) == (
        "历下区：8项指标；滞后 2，有风险 1，数据逾期 1，无数据 1，达到序时 3；得分 58.9%；排名 2/2"
    )
    assert summary_line(zhangqiu, SAMPLE, EN) == (
        "Zhangqiu District: 2 targets; at risk 1, achieved 1; score 75.5%; rank 1 of 2"
    )


def test_sections_follow_the_report_and_keep_row_order() -> None:
    unsorted = replace(SAMPLE, rows=tuple(reversed(SAMPLE.rows)))
    found = [(s.district_id, [r.target_id for r in s.rows]) for s in sections(unsorted)]
    assert found == [
        ("lixia", [r.target_id for r in reversed(LIXIA_ROWS)]),
        ("zhangqiu", [r.target_id for r in reversed(ZHANGQIU_ROWS)]),
    ]


def test_a_district_without_summary_still_shows_its_rows() -> None:
    report = replace(SAMPLE, districts=SAMPLE.districts[:1])
    found = sections(report)
    assert [(s.district_id, s.summary is None, len(s.rows)) for s in found] == [
        ("lixia", False, 8),
        ("zhangqiu", True, 2),
    ]
    plain = render_report(report, OutputFormat.PLAIN, EN)
    assert "Zhangqiu District\n" in plain
    assert "Zhangqiu District:" not in plain  # no summary line to show


# --- every format, the same numbers ------------------------------------------------------------


class _TableCells(HTMLParser):
    """Collects the text of each <td> row in an HTML page, and each <p class=summary>."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.headers: list[list[str]] = []
        self.summaries: list[str] = []
        self.notes: list[list[str]] = []  # each <ul class="notes">, its <li> texts
        self._cell: list[str] | None = None
        self._header: list[str] | None = None
        self._in_summary = False
        self._note: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag == "td":
            self._cell = []
        elif tag == "thead":
            self.headers.append([])
        elif tag == "th":
            self._header = []
        elif tag == "p" and ("class", "summary") in attrs:
            self._in_summary = True
            self.summaries.append("")
        elif tag == "ul" and ("class", "notes") in attrs:
            self.notes.append([])
        elif tag == "li":
            self._note = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None
        elif tag == "th" and self._header is not None:
            self.headers[-1].append("".join(self._header))
            self._header = None
        elif tag == "p":
            self._in_summary = False
        elif tag == "li" and self._note is not None:
            self.notes[-1].append("".join(self._note))
            self._note = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._header is not None:
            self._header.append(data)
        elif self._in_summary:
            self.summaries[-1] += data
        elif self._note is not None:
            self._note.append(data)


def _table_rows(text: str, marker_top: str, marker_rule: str, marker_bottom: str) -> list[str]:
    """The body lines of each box-drawn table in `text`, in order."""
    rows: list[str] = []
    in_body = False
    for line in text.splitlines():
        if line.startswith(marker_rule):
            in_body = True
        elif line.startswith((marker_bottom, marker_top)):
            in_body = False
        elif in_body:
            rows.append(line)
    return rows


def rows_shown(fmt: OutputFormat, lang: Language) -> list[str]:
    """The text of each target row as `fmt` prints it, in order."""
    text = render_report(SAMPLE, fmt, lang, color=False)
    if fmt is OutputFormat.TABLE:
        return _table_rows(text, "┌", "├", "└")
    if fmt is OutputFormat.PLAIN:
        found: list[str] = []
        lines = text.splitlines()
        for index, line in enumerate(lines):
            if line and set(line) <= {"-", " "}:
                count = len(
                    next(s for s in sections(SAMPLE) if s.title(lang) == lines[index - 2]).rows
                )
                found += lines[index + 1 : index + 1 + count]
        return found
    if fmt is OutputFormat.MARKDOWN:
        found = []
        for block in text.split("\n\n"):
            found += [line for line in block.splitlines() if line.startswith("|")][2:]
        return found
    if fmt is OutputFormat.CSV:
        records = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        return [" ".join(record[: len(COLUMNS)]) for record in records[1:]]
    if fmt is OutputFormat.JSON:
        payload = json.loads(text)
        return [
            " ".join(target["display"][column.key] for column in COLUMNS)
            for district in payload["districts"]
            for target in district["targets"]
        ]
    parser = _TableCells()
    parser.feed(text)
    return [" ".join(row) for row in parser.rows if row]


@pytest.mark.parametrize("lang", list(Language))
def test_every_format_shows_the_same_numbers(lang: Language) -> None:
    expected = [numbers(" ".join(cells(row, lang))) for row in SAMPLE.rows]
    for fmt in OutputFormat:
        assert [numbers(row) for row in rows_shown(fmt, lang)] == expected, fmt
    # Written out for one row, so the comparison above cannot pass by showing nothing:
    # target, actual, expected, variance, completion, forecast and its date.
    assert expected[5] == [
        "500",
        "500",
        "25",
        "14",
        "11.33",
        "+2.68",
        "56.0",
        "28",
        "2023",
        "-11",
        "-28",
    ]


def test_json_raw_numbers_round_to_the_numbers_shown() -> None:
    payload = json.loads(render_report(SAMPLE, OutputFormat.JSON, ZH))
    targets = [t for district in payload["districts"] for t in district["targets"]]
    for target, row in zip(targets, SAMPLE.rows, strict=True):
        assert target["actual"] == row.actual
        assert target["variance"] == row.variance
        assert target["completion"] == row.completion
        shown = target["display"]
        if target["variance"] is not None:
            assert numbers(shown["variance"])[0] == format_signed(target["variance"])
        if target["completion"] is not None:
            assert shown["completion"] == format_percent(target["completion"])
        if target["expected"] is not None:
            assert numbers(shown["expected"])[-1] == format_number(target["expected"])
    assert [t["variance"] for t in targets][5] == 2.675
    assert targets[5]["display"]["variance"] == "+2.68个"


def test_csv_machine_columns_carry_full_precision() -> None:
    text = render_report(SAMPLE, OutputFormat.CSV, EN)
    records = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    stale = records[3]
    assert stale["target_id"] == "innovation_items"
    assert stale["Completion"] == "32.1%"
    assert stale["completion_ratio"] == "0.32142857142857145"
    assert stale["variance_value"] == "-6.4952"
    assert stale["Variance"] == "'-6.5 项"  # an apostrophe keeps a spreadsheet from a formula
    assert stale["items_done"] == "9"
    assert stale["status_code"] == "stale"
    assert stale["note"] == "最近数据为2023-05，6月数据已逾期"
    assert records[1]["overdue_items"] == "sansu_plot"
    assert records[5]["forecast_date"] == "2023-11-28"
    assert records[5]["forecast_reached"] == "true"
    assert records[0]["forecast_reached"] == "false"
    assert records[2]["forecast_reached"] == ""
    assert records[2]["variance_unit"] == "百分点"
    assert records[8]["district_score"] == "0.755"
    assert records[8]["district_rank"] == "1"


@pytest.mark.parametrize("lang", list(Language))
def test_summary_lines_appear_in_every_readable_format(lang: Language) -> None:
    lines = [summary_line(section, SAMPLE, lang) for section in sections(SAMPLE)]
    assert all(lines)
    for fmt in (OutputFormat.TABLE, OutputFormat.PLAIN, OutputFormat.MARKDOWN):
        text = render_report(SAMPLE, fmt, lang, color=False)
        assert [line for line in text.splitlines() if line in lines] == lines, fmt
    parser = _TableCells()
    parser.feed(render_report(SAMPLE, OutputFormat.HTML, lang))
    assert parser.summaries == lines
    payload = json.loads(render_report(SAMPLE, OutputFormat.JSON, lang))
    assert [d["summary"]["line"] for d in payload["districts"]] == lines


# --- the registry ------------------------------------------------------------------------------


def test_every_output_format_has_a_renderer() -> None:
    assert set(RENDERERS) == set(OutputFormat)
    for fmt in OutputFormat:
        text = render_report(SAMPLE, fmt, EN, color=False)
        assert text.endswith("\n")
        if fmt is OutputFormat.JSON:
            assert json_output(text)["districts"][0]["name_en"] == "Lixia District"
        else:
            assert "Lixia District" in text


def test_output_format_names() -> None:
    assert [fmt.value for fmt in OutputFormat] == [
        "table",
        "plain",
        "markdown",
        "csv",
        "json",
        "html",
    ]


def test_importing_the_renderers_loads_neither_rich_nor_tabulate() -> None:
    code = (
        "import sys\n"
        "import liuxia_tracker.i18n, liuxia_tracker.render.view\n"
        "import liuxia_tracker.render.table, liuxia_tracker.render.plain\n"
        "import liuxia_tracker.render.markdown, liuxia_tracker.render.csv\n"
        "import liuxia_tracker.render.json, liuxia_tracker.render.html\n"
        "print(sorted(m for m in ('rich', 'tabulate', 'wcwidth') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout == "[]\n"


# --- golden files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "lang", "width", "name"),
    [
        (OutputFormat.PLAIN, ZH, None, "status.zh.txt"),
        (OutputFormat.PLAIN, EN, None, "status.en.txt"),
        (OutputFormat.MARKDOWN, ZH, None, "status.zh.md"),
        (OutputFormat.MARKDOWN, EN, None, "status.en.md"),
        (OutputFormat.TABLE, ZH, 80, "status.zh.80.table.txt"),
        (OutputFormat.TABLE, EN, 80, "status.en.80.table.txt"),
        (OutputFormat.TABLE, ZH, 120, "status.zh.120.table.txt"),
        (OutputFormat.TABLE, EN, 120, "status.en.120.table.txt"),
    ],
)
def test_golden(fmt: OutputFormat, lang: Language, width: int | None, name: str) -> None:
    text = render_report(SAMPLE, fmt, lang, color=False, width=width)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


# --- CJK alignment -----------------------------------------------------------------------------


def test_plain_chinese_tables_align_by_display_width() -> None:
    text = render_report(SAMPLE, OutputFormat.PLAIN, ZH)
    checked = 0
    for block in text.split("\n\n"):
        lines = block.splitlines()
        rule = next((i for i, line in enumerate(lines) if line and set(line) <= {"-", " "}), None)
        if rule is None:
            continue
        # Header, rule and rows; the summary line and the notes follow.
        table = lines[rule - 1 : rule + 1 + len(sections(SAMPLE)[checked].rows)]
        starts = [match.start() for match in re.finditer(r"-+", lines[rule])]
        last = starts[-1]
        # tabulate trims the blanks after the last column; up to it every line has the same
        # display width, and every column starts at the same display offset after a blank.
        assert {wcswidth(_up_to(line, last)) for line in table} == {last}, table
        for line in table:
            for start in starts[1:]:
                assert wcswidth(_up_to(line, start)) == start, (line, start)
                assert _up_to(line, start).endswith(" "), (line, start)
            assert wcswidth(line) <= wcswidth(lines[rule])
        assert any("历下区" in line or "章丘区" in line for line in table[2:])
        checked += 1
    assert checked == 2


def _up_to(line: str, column: int) -> str:
    """The start of `line` that fills `column` display cells (wide characters take two)."""
    taken = 0
    for index, ch in enumerate(line):
        if taken >= column:
            return line[:index]
        taken += wcswidth(ch)
    return line


def _display_at(line: str, column: int) -> str:
    """The character shown at display `column` of `line` (wide characters take two)."""
    position = 0
    for ch in line:
        width = wcswidth(ch)
        if position <= column < position + width:
            return ch
        position += width
    return ""


@pytest.mark.parametrize("width", [None, 120, 80])
def test_rich_chinese_tables_align_by_display_width(width: int | None) -> None:
    text = table_text(SAMPLE, ZH, width=width)
    tables: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("┌"):
            tables.append([])
        if tables and line and line[0] in "┌│├└":
            tables[-1].append(line)
    assert len(tables) == 2
    for table in tables:
        assert len({wcswidth(line) for line in table}) == 1, table
        if width is not None:
            assert wcswidth(table[0]) <= width
        # The vertical rules stand at the same display columns on every line.
        rules = [
            {i for i in range(wcswidth(line)) if _display_at(line, i) in "│├┼┤┌┬┐└┴┘"}
            for line in table
        ]
        assert all(found == rules[0] for found in rules), table


# --- the terminal table ------------------------------------------------------------------------


def test_table_without_color_has_no_escape_codes() -> None:
    text = table_text(SAMPLE, ZH)
    assert "\x1b" not in text
    assert "████░░░░░░ 44.4%" in text
    assert "██████████ 108.0%" in text


def test_table_colours_follow_the_status(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(variable, raising=False)
    codes = {
        Status.ACHIEVED: "\x1b[32m",
        Status.ON_TRACK: "\x1b[32m",
        Status.AT_RISK: "\x1b[33m",
        Status.BEHIND: "\x1b[31m",
        Status.MISSED: "\x1b[1;31m",
        Status.STALE: "\x1b[35m",
        Status.NO_DATA: "\x1b[2m",
    }
    for status, code in codes.items():
        row = make_row(status=status, name="指标甲")
        report = Report(2023, date(2023, 12, 31), (row,), ())
        text = render_report(report, OutputFormat.TABLE, EN, color=True)
        label = {"on_track": "on track", "at_risk": "at risk", "no_data": "no data"}.get(
            status.value, status.value
        )
        assert f"{code}{label}" in text, status


def test_table_prints_markup_in_names_as_written() -> None:
    row = make_row(name="[bold red]指标[/bold red]", owner="[link=x]单位")
    text = table_text(Report(2023, date(2023, 7, 20), (row,), ()), ZH)
    assert "[bold red]指标[/bold red]" in text
    assert "[link=x]单位" in text


def test_table_keeps_the_given_row_order() -> None:
    report = replace(SAMPLE, rows=tuple(reversed(SAMPLE.rows)))
    text = table_text(report, EN)
    order = [name for name in ("GDP growth", "CBD floor area delivered") if name in text]
    assert text.index("GDP growth") < text.index("CBD floor area delivered")
    assert order == ["GDP growth", "CBD floor area delivered"]


# --- markdown ----------------------------------------------------------------------------------


def test_markdown_escapes_pipes_and_markup_in_names() -> None:
    row = make_row(name="甲|乙 *强调* <b>x</b>", owner="a_b")
    text = render_report(Report(2023, date(2023, 7, 20), (row,), ()), OutputFormat.MARKDOWN, ZH)
    line = next(line for line in text.splitlines() if "甲" in line)
    assert r"甲\|乙 \*强调\* \<b\>x\</b\>" in line
    assert r"a\_b" in line
    unescaped_pipes = re.findall(r"(?<!\\)\|", line)
    assert len(unescaped_pipes) == len(SECTION_COLUMNS) + 1


# --- html --------------------------------------------------------------------------------------


def test_html_escapes_every_value() -> None:
    row = make_row(
        name='<script>alert("x")</script>',
        group="A&B",
        owner="<img src=x onerror=alert(1)>",
    )
    report = Report(2023, date(2023, 7, 20), (row,), ())
    text = render_report(report, OutputFormat.HTML, ZH)
    assert "<script" not in text
    assert "<img" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert "A&amp;B" in text
    parser = _TableCells()
    parser.feed(text)
    assert next(row for row in parser.rows if row)[:2] == ["A&B", '<script>alert("x")</script>']


@pytest.mark.parametrize(("lang", "attribute"), [(ZH, 'lang="zh-CN"'), (EN, 'lang="en"')])
def test_html_is_a_standalone_page(lang: Language, attribute: str) -> None:
    text = render_report(SAMPLE, OutputFormat.HTML, lang)
    assert text.startswith("<!doctype html>\n")
    assert f"<html {attribute}>" in text
    assert '<meta charset="utf-8">' in text
    assert "<style>" in text
    assert "src=" not in text and "href=" not in text
    assert text.count('<tr class="status-behind">') == 2
    assert text.count('<td class="status">') == len(SAMPLE.rows)


# --- csv ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", list(Language))
def test_csv_starts_with_a_byte_order_mark_and_one_header(lang: Language) -> None:
    text = render_report(SAMPLE, OutputFormat.CSV, lang)
    assert text.startswith("\ufeff")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    records = list(csv.reader(io.StringIO(text[1:])))
    assert records[0] == [column.header(lang) for column in COLUMNS] + list(
        csv_render.MACHINE_COLUMNS
    )
    assert len(records) == 1 + len(SAMPLE.rows)
    assert [record[len(COLUMNS) + 1] for record in records[1:]] == [
        row.target_id for row in SAMPLE.rows
    ]


def test_csv_headers_in_chinese() -> None:
    header = render_report(SAMPLE, OutputFormat.CSV, ZH).splitlines()[0]
    assert header.startswith(
        "\ufeff区县,分组,指标,要求,目标值,实际,序时进度,偏差,完成率,状态,全年预计,责任单位,包联领导,"
        "district_id,target_id,"
    )


def test_csv_guards_text_that_a_spreadsheet_would_run() -> None:
    row = make_row(name='=HYPERLINK("x")', owner="@SUM(A1)", note="+1", variance=-2.0)
    text = render_report(Report(2023, date(2023, 7, 20), (row,), ()), OutputFormat.CSV, EN)
    record = next(csv.DictReader(io.StringIO(text[1:])))
    assert record["Target"] == '\'=HYPERLINK("x")'
    assert record["Owner"] == "'@SUM(A1)"
    assert record["note"] == "'+1"
    assert record["Variance"] == "'-2 个"
    assert record["variance_value"] == "-2.0"  # a plain number stays a number


# --- json --------------------------------------------------------------------------------------

TOP_KEYS = [
    "format_version",
    "language",
    "title",
    "year",
    "as_of",
    "columns",
    "status_labels",
    "districts",
]
DISTRICT_KEYS = ["id", "name", "name_en", "category", "summary", "targets"]
SUMMARY_KEYS = ["counts", "score", "rank", "rank_total", "line"]
TARGET_KEYS = [
    "id",
    "name",
    "name_en",
    "group",
    "kind",
    "qualifier",
    "unit",
    "target",
    "tolerance",
    "actual",
    "items_done",
    "items_total",
    "expected",
    "expected_basis",
    "variance",
    "variance_unit",
    "completion",
    "remaining",
    "status",
    "status_label",
    "last_period",
    "forecast",
    "forecast_date",
    "forecast_reached",
    "owner",
    "leader",
    "weight",
    "score",
    "overdue_items",
    "note",
    "overdue_figure",
    "schedule_gap",
    "needed_per_period",
    "periods_left",
    "cadence",
    "level",
    "display",
]


def test_json_keys_are_stable_and_documented() -> None:
    for lang in Language:
        payload = json.loads(render_report(SAMPLE, OutputFormat.JSON, lang))
        assert list(payload) == TOP_KEYS
        assert payload["format_version"] == json_render.FORMAT_VERSION == 1
        for district in payload["districts"]:
            assert list(district) == DISTRICT_KEYS
            assert list(district["summary"]) == SUMMARY_KEYS
            assert list(district["summary"]["counts"]) == [status.value for status in Status]
            for target in district["targets"]:
                assert list(target) == TARGET_KEYS
                assert list(target["display"]) == [column.key for column in COLUMNS]
    documented = (Path(__file__).parents[1] / "docs" / "output-formats.md").read_text(
        encoding="utf-8"
    )
    for key in (
        TOP_KEYS + DISTRICT_KEYS + SUMMARY_KEYS + TARGET_KEYS + list(csv_render.MACHINE_COLUMNS)
    ):
        assert f"`{key}`" in documented, key


def test_json_content() -> None:
    zh = json.loads(render_report(SAMPLE, OutputFormat.JSON, ZH))
    en = json.loads(render_report(SAMPLE, OutputFormat.JSON, EN))
    assert zh["year"] == 2023
    assert zh["as_of"] == "2023-07-20"
    lixia = zh["districts"][0]
    assert lixia["summary"]["counts"] == {
        "missed": 0,
        "behind": 2,
        "at_risk": 1,
        "stale": 1,
        "ahead": 0,
        "no_data": 1,
        "on_track": 3,
        "achieved": 0,
    }
    assert lixia["summary"]["score"] == 0.5891
    assert lixia["summary"]["rank"] == 2
    expropriation = lixia["targets"][1]
    assert expropriation["status"] == "behind"
    assert expropriation["status_label"] == "滞后"
    assert en["districts"][0]["targets"][1]["status_label"] == "behind"
    assert expropriation["overdue_items"] == [
        {
            "id": "sansu_plot",
            "name": "三塑地块",
            "owner": "区征收服务中心",
            "leader": None,
            "due": "2023-06-30",
        }
    ]
    assert expropriation["items_done"] == 3
    assert expropriation["expected"] == 4.4267
    assert lixia["targets"][4]["actual"] is None
    assert lixia["targets"][0]["forecast_reached"] is False

    def strip_language(payload: dict[str, Any]) -> dict[str, Any]:
        """The payload without the keys documented as language-dependent."""
        text = json.dumps(payload)
        data: dict[str, Any] = json.loads(text)
        for key in ("language", "title", "columns", "status_labels"):
            data.pop(key)
        for district in data["districts"]:
            district["summary"].pop("line")
            for target in district["targets"]:
                target.pop("status_label")
                target.pop("display")
        return data

    assert strip_language(zh) == strip_language(en)


def test_json_writes_chinese_as_is_and_never_nan() -> None:
    row = make_row(actual=float("nan"), completion=float("inf"))
    text = render_report(Report(2023, date(2023, 7, 20), (row,), ()), OutputFormat.JSON, ZH)
    payload = json_output(text)  # Chinese as is, indented by two spaces
    assert payload["year"] == 2023
    target = payload["districts"][0]["targets"][0]
    assert target["name"] == "指标"
    assert target["actual"] is None
    assert target["completion"] is None


# --- the lines under a district's table: overdue items, stale and missed reasons ---------------

OVERDUE_ZH = "逾期事项：征收项目 · 三塑地块（截止2023-06-30；责任单位 区征收服务中心）"
OVERDUE_EN = (
    "Overdue: Land expropriation projects · 三塑地块 (due 2023-06-30; owner 区征收服务中心)"
)
STALE_ZH = "逾期未报：创新突破事项 2023-06数据（应于2023-07-20前报送；责任单位 区科技局）"
STALE_EN = (
    "Not reported: Innovation breakthrough items, the 2023-06 figure "
    "(due by 2023-07-20; owner 区科技局)"
)
LAGGING_ZH = [
    "滞后：CBD交付建筑面积（完成44.4%；慢序时进度10.3个百分点；后24周需周均完成1.85万平方米；"
    "责任单位 中央商务区管委会；包联领导 分管副区长）",
    "滞后：征收项目（完成37.5%；责任单位 区征收服务中心）",
    "有风险：地区生产总值增长（低于目标0.6个百分点；增速指标无倒排：计划未给出基期值；"
    "责任单位 区发展和改革局）",
]
LAGGING_EN = [
    "Behind: CBD floor area delivered (44.4% done; 10.3 pp behind schedule; needs 1.85 万平方米 "
    "a week over the last 24 weeks; owner 中央商务区管委会; leader 分管副区长)",
    "Behind: Land expropriation projects (37.5% done; owner 区征收服务中心)",
    "At risk: GDP growth (0.6 pp below target; no required pace for a rate: the plan gives no "
    "base-year level; owner 区发展和改革局)",
]
# Overdue figures first, then overdue items (owner and leader each), then lagging targets.
NOTES = {
    ZH: [STALE_ZH, OVERDUE_ZH, *LAGGING_ZH],
    EN: [STALE_EN, OVERDUE_EN, *LAGGING_EN],
}
HUMAN_FORMATS = (OutputFormat.TABLE, OutputFormat.PLAIN, OutputFormat.MARKDOWN, OutputFormat.HTML)


def test_note_lines_of_each_district() -> None:
    lixia, zhangqiu = sections(SAMPLE)
    assert note_lines(lixia, ZH) == NOTES[ZH]
    assert note_lines(lixia, EN) == NOTES[EN]
    assert note_lines(zhangqiu, ZH) == [
        "有风险：明泉集团氮肥搬迁项目新增产值（完成43.0%；责任单位 区工业和信息化局）"
    ]


@pytest.mark.parametrize(
    ("owner", "leader", "zh", "en"),
    [
        (
            "区征收办",
            "张三",
            "逾期事项：征收项目 · 三塑地块（截止2023-05-31；责任单位 区征收办；包联领导 张三）",
            "Overdue: Land expropriation projects · 三塑地块 "
            "(due 2023-05-31; owner 区征收办; leader 张三)",
        ),
        (  # an item without its own owner shows its target's
            None,
            "张三",
            "逾期事项：征收项目 · 三塑地块（截止2023-05-31；责任单位 区征收服务中心；包联领导 张三）",
            "Overdue: Land expropriation projects · 三塑地块 "
            "(due 2023-05-31; owner 区征收服务中心; leader 张三)",
        ),
        (
            " ",
            None,
            "逾期事项：征收项目 · 三塑地块（截止2023-05-31）",
            "Overdue: Land expropriation projects · 三塑地块 (due 2023-05-31)",
        ),
    ],
)
def test_an_overdue_item_names_what_the_plan_gives(
    owner: str | None, leader: str | None, zh: str, en: str
) -> None:
    item = OverdueItem("sansu_plot", "三塑地块", owner, leader, date(2023, 5, 31))
    row = LIXIA_ROWS[1]
    assert overdue_item_line(row, item, ZH) == zh
    assert overdue_item_line(row, item, EN) == en


def _lines_after(text: str, first: str, count: int) -> list[str]:
    lines = text.splitlines()
    start = lines.index(first)
    return lines[start : start + 1 + count]


@pytest.mark.parametrize("lang", list(Language))
def test_notes_follow_the_summary_line_in_every_human_format(lang: Language) -> None:
    lixia = sections(SAMPLE)[0]
    summary = summary_line(lixia, SAMPLE, lang)
    assert summary is not None
    notes = NOTES[lang]
    count = len(notes)
    for fmt in (OutputFormat.PLAIN,):
        text = render_report(SAMPLE, fmt, lang, color=False)
        assert _lines_after(text, summary, count) == [summary, *notes], fmt
        assert _lines_after(text, summary, count + 1)[count + 1] == "", fmt  # next district
    table = render_report(SAMPLE, OutputFormat.TABLE, lang, color=False)
    for note in notes:  # the table wraps long notes to the terminal
        assert note.split("（")[0].split(" (")[0] in table
    markdown = render_report(SAMPLE, OutputFormat.MARKDOWN, lang)
    assert _lines_after(markdown, escape(summary), count + 1) == [
        escape(summary),
        "",
        *(f"- {escape(note)}" for note in notes),
    ]
    parser = _TableCells()
    parser.feed(render_report(SAMPLE, OutputFormat.HTML, lang))
    assert parser.notes[0] == notes
    payload = json.loads(render_report(SAMPLE, OutputFormat.JSON, lang))
    assert [item["id"] for item in payload["districts"][0]["targets"][1]["overdue_items"]] == [
        "sansu_plot"
    ]


def test_the_engine_note_shows_in_csv_and_json_only() -> None:
    engine_note = LIXIA_ROWS[3].note
    assert engine_note
    for fmt in HUMAN_FORMATS:
        assert engine_note not in render_report(SAMPLE, fmt, ZH, color=False), fmt
    assert engine_note in render_report(SAMPLE, OutputFormat.CSV, ZH)
    assert engine_note in render_report(SAMPLE, OutputFormat.JSON, ZH)


def test_an_overdue_figure_names_its_period_deadline_owner_and_leader() -> None:
    row = make_row(
        name="CBD交付楼宇",
        name_en="CBD buildings delivered",
        status=Status.STALE,
        overdue_figure=OverdueFigure("2023-H1", date(2023, 7, 30)),
    )
    assert (
        overdue_figure_line(row, ZH)
        == "逾期未报：CBD交付楼宇 2023上半年数据（应于2023-07-30前报送）"
    )
    assert overdue_figure_line(row, EN) == (
        "Not reported: CBD buildings delivered, the 2023 H1 figure (due by 2023-07-30)"
    )
    owned = replace(row, owner="中央商务区管委会", leader="分管副区长")
    assert overdue_figure_line(owned, ZH) == (
        "逾期未报：CBD交付楼宇 2023上半年数据（应于2023-07-30前报送；"
        "责任单位 中央商务区管委会；包联领导 分管副区长）"
    )
    assert reason_line(row, ZH) is None  # the overdue line says it all


@pytest.mark.parametrize(
    ("fields", "zh", "en"),
    [
        (
            {
                "name": "CBD交付建筑面积",
                "name_en": "CBD floor area delivered",
                "unit": "万平方米",
                "target": 80.0,
                "actual": 30.0,
            },
            "未完成：CBD交付建筑面积（实际 30万平方米，目标 80万平方米以上）",
            "Missed: CBD floor area delivered (actual 30 万平方米; target ≥ 80 万平方米)",
        ),
        (
            {
                "name": "创新突破事项",
                "kind": "items",
                "unit": "项",
                "target": 28.0,
                "actual": 26.0,
                "items_done": 26,
                "items_total": 28,
            },
            "未完成：创新突破事项（实际 26/28，目标 28项以上）",
            "Missed: 创新突破事项 (actual 26/28; target ≥ 28 项)",
        ),
        (
            {
                "name": "一般公共预算收入增长",
                "kind": "rate",
                "qualifier": "about",
                "unit": "%",
                "target": 17.0,
                "tolerance": 0.5,
                "actual": 15.4,
            },
            "未完成：一般公共预算收入增长（实际 15.4%，目标 17%左右 ±0.5百分点）",
            "Missed: 一般公共预算收入增长 (actual 15.4%; target ≈ 17% ±0.5 pp)",
        ),
        (
            {
                "name": "PM2.5平均浓度",
                "qualifier": "at_most",
                "unit": "微克/立方米",
                "target": 38.0,
                "actual": 41.5,
            },
            "未完成：PM2.5平均浓度（实际 41.5微克/立方米，目标 38微克/立方米以内）",
            "Missed: PM2.5平均浓度 (actual 41.5 微克/立方米; target ≤ 38 微克/立方米)",
        ),
    ],
)
def test_a_missed_target_says_what_it_reached(fields: dict[str, Any], zh: str, en: str) -> None:
    row = make_row(status=Status.MISSED, **fields)
    assert reason_line(row, ZH) == zh
    assert reason_line(row, EN) == en
    report = Report(2023, date(2023, 12, 31), (row,), ())
    for fmt in (OutputFormat.TABLE, OutputFormat.PLAIN):
        assert zh in render_report(report, fmt, ZH, color=False).splitlines(), fmt


def test_only_missed_targets_have_a_reason_line() -> None:
    for status in Status:
        row = make_row(status=status, last_period="2023-05", actual=1.0, note="cap exceeded")
        assert (reason_line(row, EN) is not None) == (status is Status.MISSED)


# --- summary, forecast and title wording ---------------------------------------------------------


def test_one_target_is_singular() -> None:
    def report(count: int) -> Report:
        rows = tuple(make_row(target_id=f"t{index}") for index in range(count))
        summary = DistrictSummary("lixia", "历下区", "Lixia District", {Status.NO_DATA: count})
        return Report(2023, date(2023, 7, 20), rows, (summary,))

    one, two = report(1), report(2)
    assert summary_line(sections(one)[0], one, EN) == "Lixia District: 1 target; no data 1; score —"
    assert summary_line(sections(two)[0], two, EN) == (
        "Lixia District: 2 targets; no data 2; score —"
    )
    assert summary_line(sections(one)[0], one, ZH) == "历下区：1项指标；无数据 1；得分 —"
    assert "Lixia District: 1 target;" in render_report(one, OutputFormat.PLAIN, EN)


@pytest.mark.parametrize(
    ("reached", "day", "zh", "en"),
    [
        (
            True,
            date(2023, 10, 26),
            "40微克/立方米（预计2023-10-26超限）",
            "40 微克/立方米 (cap reached 2023-10-26)",
        ),
        (False, None, "40微克/立方米（年内不超限）", "40 微克/立方米 (within cap this year)"),
        (None, None, "40微克/立方米", "40 微克/立方米"),
    ],
)
def test_a_cap_forecast_says_when_the_cap_is_reached(
    reached: bool | None, day: date | None, zh: str, en: str
) -> None:
    row = make_row(
        qualifier="at_most",
        unit="微克/立方米",
        forecast=40.0,
        forecast_date=day,
        forecast_reached=reached,
    )
    forecast = [column.key for column in COLUMNS].index("forecast")
    assert cells(row, ZH)[forecast] == zh
    assert cells(row, EN)[forecast] == en
    # The same fields on a 以上 target are a completion.
    if reached is not None:
        plain = cells(replace(row, qualifier="at_least"), ZH)[forecast]
        assert plain == (
            "40微克/立方米（2023-10-26完成）" if reached else "40微克/立方米（年内无法完成）"
        )


@pytest.mark.parametrize("fmt", [fmt for fmt in OutputFormat if fmt is not OutputFormat.CSV])
def test_the_title_shows_the_report_day_not_the_clock(fmt: OutputFormat) -> None:
    # A report judged at the end of its year, rendered on any later day.
    report = replace(SAMPLE, as_of=date(2023, 12, 31))
    for lang, title in (
        (ZH, "2023年目标进度（截至2023-12-31）"),
        (EN, "2023 targets (as of 2023-12-31)"),
    ):
        text = render_report(report, fmt, lang, color=False)
        if fmt is OutputFormat.JSON:
            assert json_output(text)["title"] == title, lang
        else:
            assert title in text, (fmt, lang)
        assert date.today().isoformat() not in text


# --- columns of the per-district sections --------------------------------------------------------


@pytest.mark.parametrize("lang", list(Language))
def test_the_heading_names_the_district_so_sections_leave_its_column_out(lang: Language) -> None:
    district = COLUMNS[0].header(lang)
    first_section_header = SECTION_COLUMNS[0].header(lang)
    assert [column.key for column in SECTION_COLUMNS] == [c.key for c in COLUMNS[1:]]
    markdown = render_report(SAMPLE, OutputFormat.MARKDOWN, lang)
    headers = [line for line in markdown.splitlines() if line.startswith("|") and "---" not in line]
    assert all(line.startswith(f"| {first_section_header}") for line in headers[::9][:1])
    assert all(district not in line.split("|")[1] for line in headers)
    parser = _TableCells()
    parser.feed(render_report(SAMPLE, OutputFormat.HTML, lang))
    assert parser.headers == [[column.header(lang) for column in SECTION_COLUMNS]] * 2
    table = table_text(SAMPLE, lang)
    header_line = next(line for line in table.splitlines() if line.startswith("│"))
    assert header_line.split("│")[1].strip() == first_section_header
    # Rows read on their own keep it: plain, csv and json.
    assert render_report(SAMPLE, OutputFormat.PLAIN, lang).splitlines()[3].startswith(district)
    assert render_report(SAMPLE, OutputFormat.CSV, lang).removeprefix("\ufeff").startswith(district)
    payload = json.loads(render_report(SAMPLE, OutputFormat.JSON, lang))
    assert payload["columns"][0] == {"key": "district", "label": district}


# --- the terminal table at a given width ---------------------------------------------------------

ANSI = re.compile(r"\x1b\[[0-9;]*m")
WIDTHS = (80, 100, 120, 160)


def terminal_cells(lang: Language) -> list[list[str]]:
    """SAMPLE's cells as the terminal table shows them: `SECTION_COLUMNS`, the bar before the
    completion."""
    found = []
    for row in SAMPLE.rows:
        shown = dict(zip((column.key for column in COLUMNS), cells(row, lang), strict=True))
        if bar := completion_bar(row.completion):
            shown["completion"] = f"{bar} {shown['completion']}"
        found.append([shown[column.key] for column in SECTION_COLUMNS])
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", list(Language))
def test_no_table_line_is_wider_than_the_terminal(lang: Language, width: int) -> None:
    text = render_report(SAMPLE, OutputFormat.TABLE, lang, color=True, width=width)
    assert "\x1b[" in text  # coloured: the width is measured without the escapes
    lines = [ANSI.sub("", line) for line in text.splitlines()]
    assert max(cell_len(line) for line in lines) <= width
    assert any(line.startswith("┌") for line in lines)  # a table, not the narrow list


def _whole_tokens(cell: str) -> list[str]:
    """What must never be split: numbers (with sign, slash or %), dates, periods and the bar."""
    return re.findall(r"\d{4}-\d{2}-\d{2}|[+-]?\d+(?:[./]\d+)*%?|[█░]{10}", cell)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", list(Language))
def test_the_table_never_splits_a_number_date_status_or_bar(lang: Language, width: int) -> None:
    lines = table_text(SAMPLE, lang, width=width).splitlines()
    hidden = layout(lang, terminal_cells(lang), width, SECTION_COLUMNS).hidden
    shown_keys = {column.key for column in SECTION_COLUMNS if column not in hidden}
    assert {"target", "target_value", "actual", "expected", "variance", "completion", "status"} <= (
        shown_keys
    )
    checked = 0
    for row in SAMPLE.rows:
        shown_cells = dict(zip((c.key for c in COLUMNS), cells(row, lang), strict=True))
        wanted = [shown_cells["status"], completion_bar(row.completion)]
        for key in shown_keys - {"target", "group", "owner", "leader"}:
            wanted += _whole_tokens(shown_cells[key])
        for token in filter(None, wanted):
            assert any(token in line for line in lines), (token, width)
            checked += 1
    assert checked > 60


@pytest.mark.parametrize("lang", list(Language))
def test_columns_are_hidden_in_the_documented_order(lang: Language) -> None:
    texts = terminal_cells(lang)
    assert HIDDEN_FIRST == ("leader", "owner", "group", "qualifier", "forecast")
    seen = set()
    for width in range(minimum_width(SAMPLE, lang), 300):
        chosen = layout(lang, texts, width, SECTION_COLUMNS)
        hidden = {column.key for column in chosen.hidden}
        assert hidden == set(HIDDEN_FIRST[: len(hidden)]), width
        assert chosen.widths is not None and not chosen.listed
        assert len(chosen.columns) + len(hidden) == len(SECTION_COLUMNS)
        seen.add(len(hidden))
    assert seen == {0, 1, 2, 3, 4, 5}
    assert layout(lang, texts, None, SECTION_COLUMNS).hidden == ()


@pytest.mark.parametrize(
    ("lang", "width", "line"),
    [
        (
            ZH,
            120,
            "为适应终端宽度已隐藏：分组、要求、全年预计、责任单位、包联领导；--format plain 显示全部列",
        ),
        (
            ZH,
            160,
            "为适应终端宽度已隐藏：分组、要求、责任单位、包联领导；--format plain 显示全部列",
        ),
        (
            EN,
            120,
            "Hidden to fit the terminal: Group, Qualifier, Year-end forecast, Owner, Leader; "
            "--format plain shows every column",
        ),
    ],
)
def test_one_line_names_the_hidden_columns(lang: Language, width: int, line: str) -> None:
    text = table_text(SAMPLE, lang, width=width)
    assert text.splitlines()[-1] == line
    assert text.count(line) == 1  # once per report, not per district


def test_a_table_that_fits_hides_nothing() -> None:
    for width in (None, 300):
        text = table_text(SAMPLE, EN, width=width)
        assert "Hidden" not in text
        assert all(column.header(EN) in text for column in SECTION_COLUMNS)


def test_a_terminal_too_narrow_for_a_table_gets_a_list() -> None:
    narrowest = minimum_width(SAMPLE, ZH)
    assert "┌" in table_text(SAMPLE, ZH, width=narrowest)
    text = table_text(SAMPLE, ZH, width=narrowest - 1)
    assert "┌" not in text
    lines = text.splitlines()
    start = lines.index("CBD交付建筑面积")
    assert lines[start : start + 4] == [
        "CBD交付建筑面积",
        "  滞后；目标值 80万平方米；实际 35.5万平方米；序时进度 43.72万平方米；",
        "  偏差 -8.22万平方米；完成率 ████░░░░░░ 44.4%",
        "征收项目",
    ]
    for width in (20, 40, 60):
        narrow = render_report(SAMPLE, OutputFormat.TABLE, EN, color=True, width=width)
        assert max(cell_len(ANSI.sub("", line)) for line in narrow.splitlines()) <= width
        # Values are not styled; the status is.
        assert any("Variance -8.22" in line and "\x1b" not in line for line in narrow.splitlines())
        assert "\x1b[31mbehind\x1b[0m" in narrow  # the status is


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("64.35万平方米（年内无法完成）", 16, ["64.35万平方米", "（年内无法完成）"]),
        ("62.22 万平方米 (not this year)", 20, ["62.22 万平方米", "(not this year)"]),
        ("28个（2023-11-28完成）", 18, ["28个", "（2023-11-28完成）"]),
        ("28个（2023-11-28完成）", 14, ["28个", "（2023-11-28", "完成）"]),
        ("38.58万平方米", 8, ["38.58", "万平方米"]),
        ("80万平方米", 6, ["80万平", "方米"]),
        ("80万平方米", 4, ["80", "万平", "方米"]),  # even pieces, not 80万 / 平方 / 米
        ("36.25微克/立方米", 8, ["36.25", "微克/", "立方米"]),  # no line starts with /
        ("明泉集团氮肥搬迁项目新增产值", 12, ["明泉集团氮", "肥搬迁项目", "新增产值"]),
        ("甲乙丙丁，戊己", 8, ["甲乙丙", "丁，戊己"]),  # no line starts with ，
        ("Land expropriation projects", 12, ["Land exprop-", "riation", "projects"]),
        ("Expected to date", 10, ["Expected", "to date"]),
        ("████░░░░░░ 44.4%", 12, ["████░░░░░░", "44.4%"]),
        ("████░░░░░░", 4, ["████░░░░░░"]),  # too narrow: whole, on its own line
        ("2023-11-28", 5, ["2023-11-28"]),
    ],
)
def test_wrap_breaks_only_where_a_reader_expects(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines
