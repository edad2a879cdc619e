"""Tests for `tracker import --template` (`commands.import_template`) and what import does to
each row before judging it (`commands.import_rows`): names for targets and items, a figure
given twice in one file, `--force` and `--provisional`."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from conftest import run_cli
from liuxia_tracker.commands.import_template import due_period
from liuxia_tracker.domain.models import Target

LIXIA_Q2_ZH = (
    "区县,指标,期间,数值,单位,事项,完成,日期,来源,备注\r\n"
    "历下区,地区生产总值增长,2023-Q2,,%,,,,,\r\n"
    "历下区,一般公共预算收入增长,2023-Q2,,%,,,,,\r\n"
    "历下区,固定资产投资增长,2023-Q2,,%,,,,,\r\n"
    "历下区,招引世界500强、中国500强项目,2023-Q2,,个,,,,,\r\n"
    "历下区,新增亿元楼,2023-Q2,,座,,,,,\r\n"
    "历下区,征收项目,,,,三塑地块,,,,\r\n"
    "历下区,征收项目,,,,CBD西区清零,,,,\r\n"
    "历下区,创新突破事项,2023-Q2,,项,,,,,\r\n"
)


def records(data: Path, district: str) -> list[dict[str, object]]:
    path = data / "figures" / f"{district}.yaml"
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line[2:])
        record.pop("recorded_at")
        found.append(record)
    return found


def test_a_chinese_template_for_a_quarter_has_a_row_per_target_and_item(data: Path) -> None:
    result = run_cli(
        "import", "--template", "历下", "--period", "2023-Q2", "-o", "t.csv", "--data", "data"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "wrote t.csv: 8 rows to fill in\n"
    content = (data.parent / "t.csv").read_bytes()
    assert content == b"\xef\xbb\xbf" + LIXIA_Q2_ZH.encode("utf-8")


def test_an_english_template_uses_ids_and_each_targets_latest_ended_period(data: Path) -> None:
    result = run_cli(
        "import", "--template", "zhangqiu", "--lang", "en", "-o", "-", "--data", "data"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == (
        "\ufeffdistrict,target,period,value,unit,item,done,date,source,note\r\n"
        "zhangqiu,yilaite_output,2023-Q4,,亿元,,,,,\r\n"
        "zhangqiu,mingquan_output,2023-Q4,,亿元,,,,,\r\n"
        "zhangqiu,provincial_key_projects,2023-Q4,,个,,,,,\r\n"
        "zhangqiu,municipal_key_projects,2023-Q4,,个,,,,,\r\n"
        "zhangqiu,leader_contracted_projects,2023-12,,项,,,,,\r\n"
        "zhangqiu,projects_into_production,,,,china_resources_snow_beer,,,,\r\n"
        "zhangqiu,projects_into_production,,,,lingong_intelligent_machinery,,,,\r\n"
        "zhangqiu,provincial_high_tech_zone,,,,provincial_high_tech_zone,,,,\r\n"
    )


@pytest.mark.parametrize(
    ("cadence", "today", "expected"),
    [
        ("month", date(2023, 3, 15), "2023-02"),
        ("month", date(2023, 3, 1), "2023-02"),
        ("quarter", date(2023, 7, 1), "2023-Q2"),
        ("quarter", date(2023, 2, 1), "2023-Q1"),  # nothing ended yet: the year's first
        ("week", date(2024, 5, 1), "2023-W52"),  # the year is over: its last
        ("day", date(2023, 6, 2), "2023-06-01"),
    ],
)
def test_the_default_period_is_the_latest_ended_one_within_the_year(
    cadence: str, today: date, expected: str
) -> None:
    target = Target.model_validate(
        {
            "id": "t",
            "name": "t",
            "group": "g",
            "kind": "quantity",
            "value": 1,
            "unit": "个",
            "cadence": cadence,
        }
    )
    assert str(due_period(target, 2023, today)) == expected


def test_a_period_no_target_takes_is_a_usage_error(data: Path) -> None:
    result = run_cli(
        "import", "--template", "zhangqiu", "--period", "2023-W05", "-o", "t.csv", "--data", "data"
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "tracker: --period 2023-W05: no target of zhangqiu is reported by week; try the year "
        "(2023) or a period of a cadence\n"
    )
    assert not (data.parent / "t.csv").exists()


def test_template_options_go_with_template_and_output_is_required(data: Path) -> None:
    assert run_cli("import", "x.csv", "--period", "2023-Q2").exit_code == 2
    missing = run_cli("import", "--template", "--data", "data")
    assert missing.exit_code == 2
    assert missing.stderr == "tracker: --template needs --output FILE (or - for standard output)\n"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_filled_in_template_imports_unchanged(data: Path, encoding: str, lang: str) -> None:
    made = run_cli(
        "import", "--template", "lixia", "--period", "2023-Q2", "--lang", lang,
        "--encoding", encoding, "-o", "t.csv", "--data", "data",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    path = data.parent / "t.csv"
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))
    for row in rows[1:]:
        if row[5]:
            row[6] = "是" if lang == "zh" else "yes"
        else:
            row[3] = "1"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    result = run_cli("import", "t.csv", "--data", "data")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "data/figures/lixia.yaml: appended 8 figures",
        f"imported 8 rows from t.csv ({'gb18030' if encoding == 'gbk' else 'utf-8-sig'}): "
        "8 figures appended",
    ]
    written = records(data, "lixia")
    assert [r["target"] for r in written] == [
        "gdp_growth", "revenue_growth", "fai_growth", "fortune500_projects",
        "new_yiyuan_buildings", "land_expropriation", "land_expropriation", "innovation_items",
    ]  # fmt: skip
    assert written[5] == {"target": "land_expropriation", "item": "sansu_plot", "done": True,
                          "by": "tester"}  # fmt: skip


# -- names, repeats, --force and --provisional ------------------------------------------------


def write(data: Path, text: str) -> str:
    (data.parent / "f.csv").write_text(text, encoding="utf-8")
    return "f.csv"


def test_targets_and_items_may_be_given_by_name_or_english_name(data: Path) -> None:
    name = write(
        data,
        "区县,指标,期间,数值,事项,完成\n"
        "历下,GDP growth,2023-Q1,5.1,,\n"
        "历下,征收项目,,,三塑地块,是\n",
    )
    result = run_cli("import", name, "--data", "data")
    assert result.exit_code == 0, result.output
    assert [(r["target"], r.get("item")) for r in records(data, "lixia")] == [
        ("gdp_growth", None),
        ("land_expropriation", "sansu_plot"),
    ]


def test_an_unknown_name_lists_the_valid_ones(data: Path) -> None:
    name = write(data, "区县,指标,事项,完成\n历下,征收项目,三塑,是\n")
    result = run_cli("import", name, "--data", "data")
    assert result.exit_code == 1
    assert result.stdout == (
        "f.csv:2:3: unknown-item land_expropriation has no item '三塑'; the items are: "
        "sansu_plot (三塑地块), cbd_west_clearance (CBD西区清零)\n"
    )


def test_the_same_figure_twice_in_one_file_names_both_rows(data: Path) -> None:
    name = write(
        data,
        "district,target,period,value,item,done\n"
        "lixia,gdp_growth,2023-Q1,5.1,,\n"
        "lixia,land_expropriation,,,sansu_plot,true\n"
        "lixia,gdp_growth,2023-Q2,5.2,,\n"
        "历下区,地区生产总值增长,2023-Q1,5.3,,\n"
        "lixia,land_expropriation,,,三塑地块,false\n",
    )
    result = run_cli("import", name, "--data", "data")
    assert result.exit_code == 1
    assert result.stdout == (
        "f.csv:5:2: duplicate-row rows 2 and 5 both give lixia gdp_growth 2023-Q1: keep one\n"
        "f.csv:6:2: duplicate-row rows 3 and 6 both give lixia land_expropriation item "
        "sansu_plot: keep one\n"
    )
    assert not (data / "figures" / "lixia.yaml").exists()


def test_force_imports_an_implausible_value_as_forced(data: Path) -> None:
    name = write(data, "district,target,period,value\nzhangqiu,yilaite_output,2023-Q1,300亿\n")
    refused = run_cli("import", name, "--data", "data")
    assert refused.exit_code == 1
    assert "implausible-value" in refused.stdout
    result = run_cli("import", name, "--force", "--data", "data")
    assert result.exit_code == 0, result.output
    assert records(data, "zhangqiu")[0]["forced"] is True


def test_provisional_marks_every_row_a_provisional_figure(data: Path) -> None:
    name = write(data, "district,target,period,value\nlixia,gdp_growth,2023-Q1,5.1\n")
    result = run_cli("import", name, "--provisional", "--data", "data")
    assert result.exit_code == 0, result.output
    assert records(data, "lixia")[0]["provisional"] is True


# -- values the log cannot hold exactly -----------------------------------------------------

TINY = "0." + "0" * 330 + "1"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("9007199254740993.0", "9007199254740992.0"),
        (TINY, "0"),
        ("5.123456789012345678", "5.123456789012345"),
    ],
)
def test_a_value_with_more_digits_than_the_log_holds_is_refused_by_record(
    data: Path, typed: str, stored: str
) -> None:
    result = run_cli("record", "lixia", "gdp_growth", "2023-Q1", typed, "--force", "--data", "data")
    assert result.exit_code == 1
    shown = typed if len(typed) <= 40 else typed[:37] + "..."
    assert result.stderr == (
        f"tracker: VALUE: {shown} has more digits than a figure holds exactly (it would be "
        f"stored as {stored}); round it to the digits the source gives\n"
    )
    assert not (data / "figures" / "lixia.yaml").exists()


def test_a_value_with_more_digits_than_the_log_holds_is_refused_by_import(data: Path) -> None:
    name = write(
        data,
        "district,target,period,value\n"
        "lixia,gdp_growth,2023-Q1,9007199254740993.0\n"
        f"lixia,gdp_growth,2023-Q2,{TINY}\n"
        "lixia,gdp_growth,2023-Q3,5.10000000000000000000\n",
    )
    result = run_cli("import", name, "--data", "data")
    assert result.exit_code == 1
    assert result.stdout == (
        "f.csv:2:4: number-range 9007199254740993.0 has more digits than a figure holds "
        "exactly (it would be stored as 9007199254740992.0); round it to the digits the source "
        "gives\n"
        "f.csv:3:4: number-range 0.00000000000000000000000000000000000... has more digits than "
        "a figure holds exactly (it would be stored as 0); round it to the digits the source "
        "gives\n"
    )
