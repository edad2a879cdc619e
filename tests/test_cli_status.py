"""`tracker status` through Typer's CliRunner: options, filters, ordering, formats, exit codes.

Two data sets: the seed data shipped in data/ (judged on fixed days, so nothing depends on
today), and a small plan written here whose numbers are easy to check by hand. In the small
plan every quantity is cumulative and linear with a target of 365 (or 730), so the amount
expected by the end of May is 151 (302): 1 January to 31 May is 151 days of 365.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from conftest import SEED, DataDirFactory, run_cli

MID_YEAR = "2023-06-30"
YEAR_END = "2023-12-31"
BOM = b"\xef\xbb\xbf"
# Locale variables cleared for every run, so the host's locale never picks the language.
NO_LOCALE: dict[str, str | None] = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": None}

SMALL_PLAN = """\
year: 2023
districts:
  - id: east
    name: 东区
    name_en: East District
    targets:
      - {id: roads, name: 道路建设, name_en: Roads built, group: 建设, kind: quantity, value: 365, unit: 公里, cadence: month, owner: 交通局, leader: 王副区长}
      - {id: bridges, name: 桥梁建设, name_en: Bridges built, group: 建设, kind: quantity, value: 365, unit: 座, cadence: month, owner: 交通局, leader: 李副区长}
      - {id: parks, name: 公园建设, name_en: Parks built, group: 建设, kind: quantity, value: 730, unit: 亩, cadence: month, owner: 园林局, leader: 李副区长}
      - {id: schools, name: 学校建设, name_en: Schools built, group: 民生, kind: quantity, value: 365, unit: 个, cadence: month, owner: 教育局, leader: 王副区长}
      - {id: jobs, name: 就业增长, name_en: Job growth, group: 民生, kind: rate, value: 5, unit: "%", cadence: quarter, owner: 人社局}
  - id: west
    name: 西区
    name_en: West District
    targets:
      - {id: trees, name: 植树, name_en: Trees planted, group: 建设, kind: quantity, value: 100, unit: 万株, cadence: month, reported_as: increment, owner: 园林局, leader: 王副区长}
"""
# As of 2023-06-30: roads exactly on pace (151 of 151); bridges 160 by March, stale (April and
# May are overdue), so measured against May's pace: 151, +6.0%, on pace; parks at risk (280 ≥
# 302 − 10%); schools behind (100 < 151 − 10%); jobs +5.5% against 5% (not 1 point above: on
# track, not ahead); trees (west) has no figure though January's was due: stale (逾期未报).
SMALL_FIGURES = {
    "east": """\
- {"target": "roads", "period": "2023-05", "value": 151}
- {"target": "bridges", "period": "2023-03", "value": 160}
- {"target": "parks", "period": "2023-05", "value": 280}
- {"target": "schools", "period": "2023-05", "value": 100}
- {"target": "jobs", "period": "2023-Q1", "value": 5.5}
""",
}


def tracker(*args: str, env: Mapping[str, str | None] | None = None) -> Result:
    """`tracker status ARGS` with the locale cleared (unless `env` sets it)."""
    return run_cli("status", *args, env={**NO_LOCALE, **(env or {})})


def seed(*args: str, as_of: str = MID_YEAR, env: Mapping[str, str | None] | None = None) -> Result:
    return tracker("--data", str(SEED), "--as-of", as_of, *args, env=env)


def report(result: Result) -> dict[str, Any]:
    assert result.exit_code in (0, 1), result.stderr
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def target_ids(payload: dict[str, Any]) -> dict[str, list[str]]:
    """Target ids per district, in the order shown."""
    return {
        district["id"]: [target["id"] for target in district["targets"]]
        for district in payload["districts"]
    }


def statuses(payload: dict[str, Any]) -> dict[str, str]:
    return {
        target["id"]: target["status"]
        for district in payload["districts"]
        for target in district["targets"]
    }


def targets_by_id(payload: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        target["id"]: target for district in payload["districts"] for target in district["targets"]
    }


COLUMN_GAP = re.compile(r" {2,}")


def plain_sections(text: str) -> list[tuple[str, list[list[str]], str]]:
    """(district title, rows of cells, summary line) for each table of the plain output."""
    lines = text.split("\n")
    found = []
    for index, line in enumerate(lines):
        if not line or set(line) != {"-", " "}:
            continue
        rows = []
        cursor = index + 1
        while lines[cursor] and len(COLUMN_GAP.split(lines[cursor].strip())) == 13:
            rows.append(COLUMN_GAP.split(lines[cursor].strip()))
            cursor += 1
        found.append((lines[index - 2], rows, lines[cursor]))
    return found


@pytest.fixture
def small(data_dir: DataDirFactory) -> Callable[..., Result]:
    """Write the small plan (with `figures`, default SMALL_FIGURES) in a temporary working
    directory and return a runner of `tracker status --data . --as-of 2023-06-30 ARGS`."""
    written = False

    def run(
        *args: str,
        figures: dict[str, str] | None = None,
        as_of: str = MID_YEAR,
        env: Mapping[str, str | None] | None = None,
    ) -> Result:
        nonlocal written
        if not written or figures is not None:
            data_dir(SMALL_PLAN, SMALL_FIGURES if figures is None else figures)
            written = True
        return tracker("--data", ".", "--as-of", as_of, *args, env=env)

    return run


# --- the seed data, judged mid-year and at the year end -----------------------------------

SEED_MID_YEAR_ORDER = {
    "lixia": [
        "cbd_buildings_delivered",  # behind, -35.3% of expected (and late: W25 is overdue)
        "cbd_area_delivered",  # behind, -22.2%
        "cbd_area_under_construction",  # at risk, -6.68% of expected
        "gdp_growth",  # at risk, -6.67%
        "innovation_items",  # at risk, -6.37%
        "fai_growth",  # stale, -2.9%
        "new_yiyuan_buildings",  # stale: its Q1 figure was due by 30 April (逾期未报)
        "revenue_growth",  # on track, -2.4% (inside the 左右 band)
        "land_expropriation",  # on track, +0.8%
        "fortune500_projects",  # ahead, +12.9% (more than 10% above pace)
        "cbd_buildings_under_construction",  # ahead, +79.5%
    ],
    "zhangqiu": [
        "mingquan_output",
        "leader_contracted_projects",
        "yilaite_output",
        "provincial_high_tech_zone",
        "projects_into_production",
        "municipal_key_projects",
        "provincial_key_projects",
    ],
}


def test_piped_default_is_plain_worst_first_with_exact_numbers() -> None:
    result = seed("--lang", "en")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout_bytes == seed("--lang", "en", "--format", "plain").stdout_bytes
    assert result.stdout.startswith("2023 targets (as of 2023-06-30)\n\nLixia District\n")
    lixia, zhangqiu = plain_sections(result.stdout)
    assert lixia[0] == "Lixia District"
    # 3 栋 through week 20; the W25 figure (to 25 June, day 176) is overdue, so the pace is
    # measured there: 12 × 176/365 = 5.79, variance -2.79: behind, and late. The forecast
    # 3 ÷ 141/365 = 7.77 is a count of buildings: shown whole, 7.
    assert lixia[1][0] == [
        "Lixia District",
        "中央商务区",
        "CBD buildings delivered",
        "≥",
        "12 栋",
        "3 栋",
        "5.79 栋",
        "-2.79 栋",
        "25.0%",
        "behind",
        "7 栋 (not this year)",
        "—",
        "—",
    ]
    assert lixia[1][1] == [
        "Lixia District",
        "中央商务区",
        "CBD floor area delivered",
        "≥",
        "80 万平方米",
        "30 万平方米",
        "38.58 万平方米",
        "-8.58 万平方米",
        "37.5%",
        "behind",
        "62.22 万平方米 (not this year)",
        "—",
        "—",
    ]
    # Worst first: the first row of each district holds the worst status present.
    assert [row[9] for row in lixia[1]] == [
        "behind",
        "behind",
        "at risk",
        "at risk",
        "at risk",
        "stale",
        "stale",
        "on track",
        "on track",
        "ahead",
        "ahead",
    ]
    assert [row[9] for row in zhangqiu[1]] == [
        "behind",
        "at risk",
        "at risk",
        "stale",
        "on track",
        "on track",
        "achieved",
    ]
    # The targets without data were due by 30 April (Q1 + 30 days): each scores 0, weight 1.
    assert lixia[2] == (
        "Lixia District: 11 targets; behind 2, at risk 3, stale 2, on track 2, ahead 2; "
        "score 57.7%; rank 1 of 2"
    )
    assert zhangqiu[2] == (
        "Zhangqiu District: 7 targets; behind 1, at risk 2, stale 1, on track 2, achieved 1; "
        "score 43.7%; rank 2 of 2"
    )
    assert target_ids(report(seed("--format", "json"))) == SEED_MID_YEAR_ORDER


def test_year_end_worst_first_has_missed_on_top() -> None:
    payload = report(seed("--format", "json", as_of=YEAR_END))
    ids = target_ids(payload)
    found = statuses(payload)
    # The year is over: every target with data is met or not on the figures in hand.
    assert ids["lixia"][:5] == [
        "new_yiyuan_buildings",  # 1 of 3 through Q3: missed
        "cbd_area_delivered",  # 70 of 80 万平方米 through week 50: missed by 10 (-12.5%)
        "revenue_growth",  # 15.4% against 17% ±0.5, December reported: missed
        "innovation_items",  # 26 of 28: missed
        "cbd_area_under_construction",  # 285 of 300 万平方米 by week 52: missed
    ]
    assert [found[i] for i in ids["lixia"][4:6]] == ["missed", "achieved"]
    assert [found[i] for i in ids["zhangqiu"][3:5]] == ["missed", "stale"]
    # The year is over: variance against the whole target, never a forecast.
    targets = targets_by_id(payload)
    assert (
        targets["cbd_area_delivered"]["variance"],
        targets["cbd_area_delivered"]["expected_basis"],
    ) == (-10, "year_end")
    assert all(target["forecast"] is None for target in targets.values())
    targets = targets_by_id(payload)
    assert targets["new_yiyuan_buildings"]["note"] == "latest figure: 2023-Q3"
    assert targets["mingquan_output"]["note"] == (
        "the 2023-Q3 figure was due by 2023-10-30; latest: 2023-Q1"
    )
    summaries = [district["summary"]["line"] for district in payload["districts"]]
    # 章丘区: the high-tech zone has no record and counts 0 (weight 1) among its 7 targets.
    assert summaries == [
        "Lixia District: 11 targets; missed 5, achieved 6; score 92.4%; rank 1 of 2",
        "Zhangqiu District: 7 targets; missed 4, stale 1, achieved 2; score 64.1%; rank 2 of 2",
    ]


def test_as_of_before_the_plan_year_is_a_usage_error() -> None:
    result = seed("--format", "json", as_of="2022-12-31")
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "tracker: --as-of 2022-12-31 is before the plan year 2023 (give a day in 2023 or later)\n"
    )


def test_as_of_after_the_plan_year_is_judged_at_its_end() -> None:
    after = report(seed("--format", "json", as_of="2024-03-31"))
    at_end = report(seed("--format", "json", as_of=YEAR_END))
    # The report is dated by the day it is judged at, 31 December.
    assert after["title"] == at_end["title"] == "2023 targets (as of 2023-12-31)"
    by_status: dict[str, set[str]] = {}
    for target_id, status in statuses(after).items():
        by_status.setdefault(status, set()).add(target_id)
    assert by_status == {
        "missed": {
            "revenue_growth",
            "innovation_items",
            "cbd_area_under_construction",
            "projects_into_production",
            "municipal_key_projects",
            # Judged on the figures in hand, though the last quarter or December is overdue.
            "cbd_area_delivered",
            "new_yiyuan_buildings",
            "mingquan_output",
            "leader_contracted_projects",
        },
        "achieved": {
            "fai_growth",
            "cbd_buildings_under_construction",
            "cbd_buildings_delivered",
            "fortune500_projects",
            "land_expropriation",
            "yilaite_output",
            "provincial_key_projects",
            "gdp_growth",  # 6.3% through Q3 against 6%
        },
        "stale": {"provincial_high_tech_zone"},
    }
    # Lateness is judged on the real day: by March the December figure is overdue.
    assert targets_by_id(after)["leader_contracted_projects"]["note"] == (
        "the 2023-12 figure was due by 2024-01-20; latest: 2023-11"
    )
    # The numbers are the year end's: nothing after 31 December counts.
    numbers = ("actual", "expected", "variance", "completion", "forecast")
    late, end = targets_by_id(after), targets_by_id(at_end)
    for target_id, target in late.items():
        assert {key: target[key] for key in numbers} == {
            key: end[target_id][key] for key in numbers
        }, target_id


# --- formats ------------------------------------------------------------------------------


def _number(cell: str) -> float:
    match = re.match(r"[+-]?\d+(?:\.\d+)?", cell)
    assert match, cell
    return float(match.group())


@pytest.mark.parametrize("as_of", [MID_YEAR, YEAR_END])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_json_numbers_equal_the_plain_output(as_of: str, lang: str) -> None:
    payload = report(seed("--format", "json", "--lang", lang, as_of=as_of))
    sections = plain_sections(seed("--lang", lang, as_of=as_of).stdout)
    assert len(sections) == len(payload["districts"]) == 2
    compared = 0
    for district, (title, rows, summary) in zip(payload["districts"], sections, strict=True):
        assert title == (district["name_en"] if lang == "en" else district["name"])
        assert summary == district["summary"]["line"]
        assert len(rows) == len(district["targets"])
        for target, row in zip(district["targets"], rows, strict=True):
            shown = dict(zip(target["display"], row, strict=True))
            assert shown == target["display"], target["id"]
            assert abs(_number(shown["target_value"]) - target["target"]) < 0.0051
            assert abs(_number(shown["expected"]) - target["expected"]) < 0.0051
            if target["actual"] is None:  # no data, or never reported (stale)
                assert shown["actual"] == shown["variance"] == shown["completion"] == "—"
                continue
            if target["kind"] == "items":
                assert shown["actual"] == f"{target['items_done']}/{target['items_total']}"
            else:
                assert abs(_number(shown["actual"]) - target["actual"]) < 0.0051
            assert abs(_number(shown["variance"]) - target["variance"]) < 0.0051
            assert abs(_number(shown["completion"]) - 100 * target["completion"]) < 0.051
            compared += 1
    assert compared == (16 if as_of == MID_YEAR else 17)


def test_json_keeps_the_engine_numbers_unrounded() -> None:
    target = targets_by_id(report(seed("--format", "json")))["cbd_area_delivered"]
    # 80 万平方米 × 176/365 (1 January to the end of week 25, 25 June), from 6 + 10 + 14 done.
    assert target["actual"] == 30
    assert target["expected"] == pytest.approx(80 * 176 / 365)
    assert target["variance"] == pytest.approx(30 - 80 * 176 / 365)
    assert target["completion"] == 0.375
    assert target["last_period"] == "2023-W25"
    assert target["display"]["expected"] == "38.58 万平方米"


def test_csv_starts_with_the_byte_order_mark_and_has_one_row_per_target() -> None:
    result = seed("--format", "csv", "--lang", "zh")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(BOM + "区县,分组,指标".encode())
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes[len(BOM) :].decode("utf-8"))))
    assert [row["target_id"] for row in rows] == [
        *SEED_MID_YEAR_ORDER["lixia"],
        *SEED_MID_YEAR_ORDER["zhangqiu"],
    ]
    first = rows[0]
    assert (first["状态"], first["status_code"], first["完成率"]) == ("滞后", "behind", "25.0%")
    # A cell a spreadsheet would read as a formula stays text.
    assert first["偏差"] == "'-2.79栋"
    assert first["completion_ratio"] == "0.25"
    # Behind, and late too: the note keeps the reason.
    assert first["note"] == "the 2023-W25 figure was due by 2023-06-28; latest: 2023-W20"


def test_markdown_html_and_table() -> None:
    markdown = seed("--format", "markdown", "--lang", "zh")
    assert markdown.exit_code == 0
    assert markdown.stdout.startswith("# 2023年目标进度（截至2023-06-30）\n\n## 历下区\n")
    html = seed("--format", "html", "--lang", "zh")
    assert html.stdout.startswith('<!doctype html>\n<html lang="zh-CN">')
    assert "<h2>章丘区</h2>" in html.stdout
    table = seed("--format", "table", "--lang", "en", env={"FORCE_COLOR": None, "NO_COLOR": None})
    assert table.exit_code == 0
    first_row = next(line for line in table.stdout.splitlines() if line.startswith("│ 中央"))
    assert [cell.strip() for cell in first_row.strip("│").split("│")][:2] == [
        "中央商务区",
        "CBD buildings delivered",
    ]
    assert "│ behind " in first_row
    assert "\x1b[" not in table.stdout  # piped: no colour
    coloured = seed("--format", "table", "--lang", "en", env={"FORCE_COLOR": "1"})
    assert "\x1b[" in coloured.stdout


# --- language -----------------------------------------------------------------------------


def test_lang_zh_and_en_labels() -> None:
    zh = seed("--lang", "zh").stdout
    assert "序时进度" in zh and "达到序时" in zh and "有风险" in zh and "滞后" in zh
    assert "on track" not in zh
    en = seed("--lang", "en").stdout
    assert "Expected to date" in en and "on track" in en and "at risk" in en
    assert "达到序时" not in en


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C"}, "en"),
    ],
)
def test_default_language_comes_from_the_locale(env: dict[str, str], lang: str) -> None:
    result = seed(env=env)
    assert result.exit_code == 0
    assert result.stdout_bytes == seed("--lang", lang).stdout_bytes


def test_explicit_lang_beats_the_locale() -> None:
    result = seed("--lang", "en", env={"LANG": "zh_CN.UTF-8"})
    assert result.stdout.startswith("2023 targets (as of 2023-06-30)")


# --- sorting ------------------------------------------------------------------------------

SMALL_ORDERS = {
    # status rank, then relative variance: behind, at risk, stale, on track 0%, on track +10%
    "status": ["schools", "parks", "bridges", "roads", "jobs"],
    # variance / expected: -33.8%, -7.3%, 0, +6.0%, +10%
    "variance": ["schools", "parks", "roads", "bridges", "jobs"],
    # actual / target: 27.4%, 38.4%, 41.4%, 43.8%, 110%
    "completion": ["schools", "parks", "roads", "bridges", "jobs"],
    # group 建设 before 民生; 公 < 桥 < 道 and 学 < 就 in code-point order
    "name": ["parks", "bridges", "roads", "schools", "jobs"],
}


@pytest.mark.parametrize("sort", list(SMALL_ORDERS))
def test_sort_orders(small: Callable[..., Result], sort: str) -> None:
    payload = report(small("--format", "json", "--sort", sort))
    assert target_ids(payload) == {"east": SMALL_ORDERS[sort], "west": ["trees"]}


def test_sort_default_is_status(small: Callable[..., Result]) -> None:
    assert small().stdout_bytes == small("--sort", "status").stdout_bytes


def test_seed_sort_by_completion_and_variance_put_no_data_last() -> None:
    by_completion = target_ids(report(seed("--format", "json", "--sort", "completion")))
    assert by_completion["lixia"] == [
        "cbd_buildings_delivered",  # 25.0%
        "cbd_area_delivered",  # 37.5%
        "cbd_area_under_construction",  # 45.0%
        "innovation_items",  # 46.4%
        "land_expropriation",  # 50.0%
        "fortune500_projects",  # 56.0%
        "cbd_buildings_under_construction",  # 86.6%
        "gdp_growth",  # 93.3%
        "fai_growth",  # 97.1%
        "revenue_growth",  # 97.6%
        "new_yiyuan_buildings",  # no data
    ]
    by_variance = target_ids(report(seed("--format", "json", "--sort", "variance")))
    assert by_variance["lixia"] == [
        "cbd_buildings_delivered",  # -35.3% of expected
        "cbd_area_delivered",  # -22.2%
        "cbd_area_under_construction",  # -6.68%
        "gdp_growth",  # -6.67%
        "innovation_items",  # -6.37%
        "fai_growth",  # -2.9%
        "revenue_growth",  # -2.4%
        "land_expropriation",  # +0.8%
        "fortune500_projects",  # +12.9%
        "cbd_buildings_under_construction",  # +79.5%
        "new_yiyuan_buildings",  # no data
    ]


# --- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["west"], {"west": ["trees"]}),
        (["east"], {"east": ["schools", "parks", "bridges", "roads", "jobs"]}),
        (
            ["west", "east"],
            {"east": ["schools", "parks", "bridges", "roads", "jobs"], "west": ["trees"]},
        ),
        (["--group", "民生"], {"east": ["schools", "jobs"]}),
        (["--group", "民生", "--group", "建设", "west"], {"west": ["trees"]}),
        (["--owner", "园林局"], {"east": ["parks"], "west": ["trees"]}),
        (["--owner", "交通局", "--owner", "人社局"], {"east": ["bridges", "roads", "jobs"]}),
        (["--leader", "王副区长"], {"east": ["schools", "roads"], "west": ["trees"]}),
        (["--owner", "交通局", "--leader", "李副区长"], {"east": ["bridges"]}),
        (["--status", "behind,at_risk"], {"east": ["schools", "parks"]}),
        (["--status", "no_data,stale"], {"east": ["bridges"], "west": ["trees"]}),
        (["--status", "滞后, 有风险"], {"east": ["schools", "parks"]}),
        (["--status", "On Track,"], {"east": ["roads", "jobs"]}),
        (["--status", "on-track", "--group", "民生"], {"east": ["jobs"]}),
    ],
)
def test_filters_keep_exactly_the_matching_targets(
    small: Callable[..., Result], args: list[str], expected: dict[str, list[str]]
) -> None:
    assert target_ids(report(small("--format", "json", *args))) == expected


def test_filtered_summary_counts_only_the_rows_shown_and_keeps_the_overall_score(
    small: Callable[..., Result],
) -> None:
    full = plain_sections(small("--lang", "zh").stdout)
    # West's trees have no figure though January's was due by 20 February: a score of 0.
    assert [summary for _, _, summary in full] == [
        "东区：5项指标；滞后 1，有风险 1，数据逾期 1，达到序时 2；得分 52.2%；排名 1/2",
        "西区：1项指标；数据逾期 1；得分 0.0%；排名 2/2",
    ]
    by_leader = plain_sections(small("--lang", "zh", "--leader", "王副区长").stdout)
    # The counts are of the rows shown; the score and rank stay the district's overall ones.
    assert [(title, len(rows), summary) for title, rows, summary in by_leader] == [
        ("东区", 2, "东区：2项指标；滞后 1，达到序时 1；得分 52.2%；排名 1/2"),
        ("西区", 1, "西区：1项指标；数据逾期 1；得分 0.0%；排名 2/2"),
    ]
    by_group = plain_sections(small("--lang", "zh", "--group", "民生").stdout)
    assert [(title, len(rows), summary) for title, rows, summary in by_group] == [
        ("东区", 2, "东区：2项指标；滞后 1，达到序时 1；得分 52.2%；排名 1/2"),
    ]


def test_filters_never_change_the_numbers_of_the_rows_kept(small: Callable[..., Result]) -> None:
    everything = targets_by_id(report(small("--format", "json")))
    kept = targets_by_id(report(small("--format", "json", "--owner", "交通局", "east")))
    assert set(kept) == {"roads", "bridges"}
    for target_id, target in kept.items():
        assert target == everything[target_id]
    roads = kept["roads"]
    assert (roads["actual"], roads["expected"], roads["variance"], roads["status"]) == (
        151,
        151,
        0,
        "on_track",
    )


def test_seed_filters_by_district_group_and_status() -> None:
    payload = report(seed("--format", "json", "--lang", "zh", "lixia", "--group", "经济指标"))
    assert target_ids(payload) == {"lixia": ["gdp_growth", "fai_growth", "revenue_growth"]}
    # Counts of the three rows shown; 历下区's overall score and its rank among both districts.
    assert payload["districts"][0]["summary"]["line"] == (
        "历下区：3项指标；有风险 1，数据逾期 1，达到序时 1；得分 57.7%；排名 1/2"
    )
    behind = report(seed("--format", "json", "--status", "behind"))
    assert target_ids(behind) == {
        "lixia": ["cbd_buildings_delivered", "cbd_area_delivered"],
        "zhangqiu": ["mingquan_output"],
    }
    assert [d["summary"]["counts"]["behind"] for d in behind["districts"]] == [2, 1]
    assert [sum(d["summary"]["counts"].values()) for d in behind["districts"]] == [2, 1]


def test_fail_on_behind_catches_a_target_both_behind_and_late(
    small: Callable[..., Result],
) -> None:
    # Schools: 40 by March against 90 expected (behind), and April and May are overdue (late).
    figures = {
        "east": '- {"target": "schools", "period": "2023-03", "value": 40}\n'
        '- {"target": "jobs", "period": "2023-Q1", "value": 5.5}\n'
    }
    result = small("--group", "民生", "--fail-on", "behind", "--format", "json", figures=figures)
    assert result.exit_code == 1
    assert statuses(json.loads(result.stdout)) == {"schools": "behind", "jobs": "on_track"}


def test_no_matching_target_says_so(small: Callable[..., Result]) -> None:
    result = small("--status", "missed", "--lang", "en")
    assert result.exit_code == 0
    assert result.stdout == "2023 targets (as of 2023-06-30)\n"
    assert result.stderr == "tracker: no target matches the districts and filters given\n"
    as_json = small("--status", "missed", "--format", "json")
    assert json.loads(as_json.stdout)["districts"] == []


# --- exit codes ---------------------------------------------------------------------------


def test_fail_on_behind_fails_on_the_seed_mid_year() -> None:
    result = seed("--fail-on", "behind")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert result.stdout_bytes == seed().stdout_bytes  # the report is still shown
    assert seed("--fail-on", "behind", "--status", "at_risk,on_track,stale").exit_code == 0
    assert seed("--fail-on", "behind", "--group", "经济指标").exit_code == 0
    assert seed("--fail-on", "behind", "lixia").exit_code == 1
    assert seed("--fail-on", "missed").exit_code == 0
    assert seed("--fail-on", "behind,missed", as_of=YEAR_END).exit_code == 1
    assert seed("--fail-on", "missed", "--status", "achieved", as_of=YEAR_END).exit_code == 0


def test_fail_on_with_labels(small: Callable[..., Result]) -> None:
    assert small("--fail-on", "有风险").exit_code == 1
    assert small("--fail-on", "at risk", "west").exit_code == 0


SEED_DISTRICTS = "lixia, zhangqiu"
ALL_STATUSES = "missed, behind, at_risk, stale, no_data, on_track, ahead, achieved"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--format", "xml"],
            "--format: 'xml' is not one of table, plain, markdown, csv, json, html",
        ),
        (["--lang", "fr"], "--lang: 'fr' is not one of zh, en"),
        (["--sort", "size"], "--sort: 'size' is not one of status, variance, completion, name"),
        (["--status", "late"], f"--status: unknown status 'late'; choose from {ALL_STATUSES}"),
        (
            ["--status", "behind,lagging"],
            f"--status: unknown status 'lagging'; choose from {ALL_STATUSES}",
        ),
        (["--fail-on", "bad"], f"--fail-on: unknown status 'bad'; choose from {ALL_STATUSES}"),
        (["--as-of", "2023-02-30"], "--as-of: not a date: '2023-02-30' (write YYYY-MM-DD)"),
        (["--as-of", "yesterday"], "--as-of: not a date: 'yesterday' (write YYYY-MM-DD)"),
        (["nowhere"], f"no district 'nowhere' in the plan (it has: {SEED_DISTRICTS})"),
        (["lixia", "Zhangqiu"], f"no district 'Zhangqiu' in the plan (it has: {SEED_DISTRICTS})"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = tracker("--data", str(SEED), *args)
    assert result.exit_code == 2
    assert result.stderr == f"tracker: {message}\n"
    assert result.stdout == ""


def test_missing_data_dir_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "nothing"
    result = tracker("--data", str(missing), "--as-of", MID_YEAR)
    assert result.exit_code == 2
    assert result.stderr == f"tracker: no plan found: {missing / 'targets.yaml'} does not exist\n"
    assert result.stdout == ""


def test_tracker_data_environment_variable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    result = tracker("--as-of", MID_YEAR, env={"TRACKER_DATA": str(SEED)})
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout_bytes == seed().stdout_bytes


# --- problems in the data -----------------------------------------------------------------


def test_a_plan_with_problems_reports_them_and_exits_1(data_dir: DataDirFactory) -> None:
    data_dir(
        """\
year: 2023
districts:
  - id: east
    name: 东区
    targets:
      - {id: jobs, name: 就业增长, group: 民生, kind: rate, value: 5, unit: 个, cadence: quarter}
      - {id: roads, name: 道路建设, group: 建设, kind: quantity, value: 365, unit: 公里, cadence: fortnight}
"""
    )
    result = tracker("--data", ".", "--as-of", MID_YEAR)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "targets.yaml:6:9: bad-value a rate target is in %, not '个'",
        "targets.yaml:7:91: bad-value cadence: text 'fortnight' is not one of 'year', 'quarter', "
        "'month', 'dekad', 'week' or 'day'",
        "tracker: the plan has problems; nothing to report (see above)",
    ]
    assert "Traceback" not in result.output


def test_bad_figure_lines_are_skipped_and_the_report_still_shows(
    small: Callable[..., Result],
) -> None:
    figures = {
        "east": SMALL_FIGURES["east"]
        + '- {"target": "roads", "period": "2023-13", "value": 999}\n'
        + '- {"target": "roads", "period": "2023-06", "value": \n',
    }
    result = small("--format", "json", figures=figures)
    assert result.exit_code == 0
    assert result.stderr == (
        "tracker: 2 problems in the figure files were skipped; run `tracker check` to see them\n"
    )
    roads = targets_by_id(json.loads(result.stdout))["roads"]
    assert (roads["actual"], roads["last_period"], roads["status"]) == (151, "2023-05", "on_track")
    # Every district is read (score and rank compare them all), so west's report warns too.
    west = small("west")
    assert west.exit_code == 0
    assert west.stderr == (
        "tracker: 2 problems in the figure files were skipped; run `tracker check` to see them\n"
    )


def test_one_bad_figure_line_is_one_problem(small: Callable[..., Result]) -> None:
    figures = {"west": '- {"target": "trees", "period": "2023-05", "value": "lots"}\n'}
    result = small("west", "--lang", "zh", figures=figures)
    assert result.exit_code == 0
    assert result.stderr == (
        "tracker: 1 problem in the figure files was skipped; run `tracker check` to see them\n"
    )
    # The bad line is skipped: no figure, and January's was due by 20 February, so 0.
    assert plain_sections(result.stdout)[0][2] == "西区：1项指标；数据逾期 1；得分 0.0%；排名 1/2"


# --- recording a figure changes the report -----------------------------------------------


def record(*args: str) -> Result:
    return run_cli("record", *args, "--data", ".", env={"USER": "tester"})


def test_recorded_figures_change_the_status_numbers(small: Callable[..., Result]) -> None:
    before = targets_by_id(report(small("--format", "json", "--lang", "zh")))
    assert (before["roads"]["actual"], before["roads"]["last_period"]) == (151, "2023-05")

    assert record("east", "roads", "2023-06", "181").exit_code == 0
    after = targets_by_id(report(small("--format", "json")))
    # 181 by 30 June, exactly the 181 of 365 due: on pace.
    roads = after["roads"]
    assert (roads["actual"], roads["expected"], roads["variance"], roads["status"]) == (
        181,
        181,
        0,
        "on_track",
    )
    assert roads["last_period"] == "2023-06"
    assert roads["display"]["completion"] == "49.6%"

    # A revision for the same period wins: 170 is 11 short, inside the 10% at-risk band.
    assert record("east", "roads", "2023-06", "170").exit_code == 0
    roads = targets_by_id(report(small("--format", "json")))["roads"]
    assert (roads["actual"], roads["variance"], roads["status"]) == (170, -11, "at_risk")

    # Increments add up: 30 + 20 万株 against 100 × 181/365 = 49.59 due.
    assert record("west", "trees", "2023-05", "30").exit_code == 0
    assert record("west", "trees", "2023-06", "20").exit_code == 0
    payload = report(small("--format", "json", "--lang", "zh"))
    trees = targets_by_id(payload)["trees"]
    assert (trees["actual"], trees["status"], trees["display"]["variance"]) == (
        50,
        "on_track",
        "+0.41万株",
    )
    # east: (170 + 160 + 100) / 365, 280 / 730 and 110% over 5 targets = 53.2%; west 50.0%.
    assert [district["summary"]["line"] for district in payload["districts"]] == [
        "东区：5项指标；滞后 1，有风险 2，数据逾期 1，达到序时 1；得分 53.2%；排名 1/2",
        "西区：1项指标；达到序时 1；得分 50.0%；排名 2/2",
    ]
    # Everything the report did not touch is unchanged.
    for target_id in ("bridges", "parks", "schools", "jobs"):
        assert targets_by_id(payload)[target_id] == before[target_id]


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--group",
            "经济",
            "no group '经济' in the plan (it has: 中央商务区, 创新突破, 征收, 招商引资, 经济指标, 重点项目)",
        ),
        ("--owner", "区财政局", "no owner '区财政局' in the plan (it has: none)"),
        ("--leader", "张三", "no leader '张三' in the plan (it has: none)"),
    ],
)
def test_a_filter_value_the_plan_never_uses_is_a_usage_error(
    option: str, value: str, message: str
) -> None:
    result = seed(option, value, "--fail-on", "behind")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"tracker: {message}\n"
