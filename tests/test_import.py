"""Tests for `tracker import` (`liuxia_tracker.log.import_file` reads rows, `recording` validates and
writes them): all or nothing, every bad row with its row number, the encodings Excel writes."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import run_cli
from liuxia_tracker.commands.common import load_plan_for_writing
from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.commands.import_figures import import_figures
from liuxia_tracker.diagnostics import Diagnostic, UsageError
from liuxia_tracker.domain.units import UnitError
from liuxia_tracker.log.import_encoding import ImportFormat, decode_import, detect_format
from liuxia_tracker.log.import_file import NumberRangeError, parse_import, read_done, read_value

NOW = datetime(2023, 7, 3, 9, 0, tzinfo=timezone(timedelta(hours=8)))

GOOD_CSV = (
    "district,target,period,value,unit,source,note\n"
    "lixia,gdp_growth,2023-Q1,5.1,%,统计局,一季度\n"
    "lixia,cbd_buildings_under_construction,2023-W05,30,,周报,\n"
    "zhangqiu,yilaite_output,2023-Q1,3.2亿,,月报,投产前\n"
    "lixia,cbd_buildings_under_construction,2023-W06,33,,周报,\n"
)


def run_import(data: Path, *args: str, stdin: bytes | None = None) -> Result:
    return run_cli("import", *args, "--data", str(data), input=stdin)


def write(tmp: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> str:
    path = tmp / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return name


def records(data: Path, district: str) -> list[dict[str, object]]:
    path = data / "figures" / f"{district}.yaml"
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line[2:])
        record.pop("recorded_at")
        found.append(record)
    return found


def snapshot(data: Path) -> dict[str, bytes]:
    folder = data / "figures"
    if not folder.exists():
        return {}
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# -- the happy path -----------------------------------------------------------------------


def test_a_csv_of_two_districts_goes_to_each_districts_file(data: Path) -> None:
    name = write(data.parent, "week5.csv", GOOD_CSV)
    result = run_import(data, name)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout == (
        "data/figures/lixia.yaml: appended 3 figures\n"
        "data/figures/zhangqiu.yaml: appended 1 figure\n"
        "imported 4 rows from week5.csv (utf-8): 4 figures appended\n"
    )
    assert records(data, "lixia") == [
        {
            "target": "gdp_growth",
            "period": "2023-Q1",
            "value": 5.1,
            "unit": "%",
            "source": "统计局",
            "note": "一季度",
            "by": "tester",
        },
        {
            "target": "cbd_buildings_under_construction",
            "period": "2023-W05",
            "value": 30,
            "unit": "栋",
            "source": "周报",
            "by": "tester",
        },
        {
            "target": "cbd_buildings_under_construction",
            "period": "2023-W06",
            "value": 33,
            "unit": "栋",
            "source": "周报",
            "by": "tester",
        },
    ]
    assert records(data, "zhangqiu") == [
        {
            "target": "yilaite_output",
            "period": "2023-Q1",
            "value": 3.2,
            "unit": "亿元",
            "source": "月报",
            "note": "投产前",
            "by": "tester",
        }
    ]


def test_importing_the_same_file_twice_writes_nothing_the_second_time(data: Path) -> None:
    name = write(data.parent, "week5.csv", GOOD_CSV)
    assert run_import(data, name).exit_code == 0
    before = snapshot(data)
    again = run_import(data, name)
    assert again.exit_code == 0
    assert again.stdout == (
        "data/figures/lixia.yaml: appended 0 figures; 3 already recorded, skipped\n"
        "data/figures/zhangqiu.yaml: appended 0 figures; 1 already recorded, skipped\n"
        "imported 4 rows from week5.csv (utf-8): 0 figures appended\n"
    )
    assert snapshot(data) == before


def test_revisions_in_an_import_are_counted(data: Path) -> None:
    first = write(
        data.parent, "a.csv", "district,target,period,value\nlixia,gdp_growth,2023-Q1,5.1\n"
    )
    assert run_import(data, first).exit_code == 0
    second = write(
        data.parent,
        "b.csv",
        "district,target,period,value\nlixia,gdp_growth,2023-Q1,5.2\nlixia,gdp_growth,2023-Q2,5.4\n",
    )
    result = run_import(data, second)
    assert (
        result.stdout.splitlines()[0] == "data/figures/lixia.yaml: appended 2 figures (1 revision)"
    )
    assert [r["value"] for r in records(data, "lixia")] == [5.1, 5.2, 5.4]


def test_json_lines_with_the_district_given_once(data: Path) -> None:
    lines = (
        '{"target": "gdp_growth", "period": "2023-Q1", "value": 5.1}\n'
        "\n"
        '{"target": "land_expropriation", "item": "sansu_plot", "done": true, "date": "2023-05-01", "by": "li"}\n'
        '{"target": "fortune500_projects", "period": "2023-02", "value": "3个"}\n'
    )
    name = write(data.parent, "figures.jsonl", lines)
    result = run_import(data, name, "--district", "lixia", "--by", "wang")
    assert result.exit_code == 0, result.stdout
    assert records(data, "lixia") == [
        {"target": "gdp_growth", "period": "2023-Q1", "value": 5.1, "unit": "%", "by": "wang"},
        {
            "target": "land_expropriation",
            "item": "sansu_plot",
            "done": True,
            "date": "2023-05-01",
            "by": "li",
        },
        {
            "target": "fortune500_projects",
            "period": "2023-02",
            "value": 3,
            "unit": "个",
            "by": "wang",
        },
    ]


def test_standard_input_is_sniffed(data: Path) -> None:
    csv_result = run_import(
        data, "-", "--district", "lixia", stdin=b"target,period,value\ngdp_growth,2023-Q1,5.1\n"
    )
    assert csv_result.exit_code == 0
    assert csv_result.stdout.endswith("imported 1 row from <stdin> (utf-8): 1 figure appended\n")
    jsonl_result = run_import(
        data,
        "-",
        "--district",
        "lixia",
        stdin=b'{"target": "gdp_growth", "period": "2023-Q2", "value": 5.3}\n',
    )
    assert jsonl_result.exit_code == 0
    assert [r["period"] for r in records(data, "lixia")] == ["2023-Q1", "2023-Q2"]


def test_the_format_option_overrides_the_extension(data: Path) -> None:
    name = write(
        data.parent, "figures.txt", '{"target": "gdp_growth", "period": "2023-Q1", "value": 5.1}\n'
    )
    assert run_import(data, name, "--district", "lixia").exit_code == 1  # .txt reads as CSV
    assert run_import(data, name, "--district", "lixia", "--format", "jsonl").exit_code == 0


# -- all or nothing -----------------------------------------------------------------------


def test_a_bad_row_in_the_middle_writes_nothing_and_every_bad_row_is_reported(data: Path) -> None:
    name = write(
        data.parent,
        "bad.csv",
        "district,target,period,value,unit\n"
        "lixia,gdp_growth,2023-Q1,5.1,%\n"
        "lixia,gdp_growth,2023-03,5.2,%\n"
        "zhangqiu,yilaite_output,2023-Q1,3.2,亿元\n"
        "lixia,gdp_growht,2023-Q2,5.3,%\n"
        "lixia,fortune500_projects,2023-02,三个,\n"
        "beijing,gdp_growth,2023-Q1,5,%\n"
        "lixia,gdp_growth,2023-Q2,5.3,亿元\n"
        "lixia,gdp_growth,2023-Q3,5.4,%\n",
    )
    result = run_import(data, name)
    assert result.exit_code == 1
    assert result.stdout == (
        "bad.csv:3:3: period-cadence period 2023-03 is a month; gdp_growth is reported by quarter\n"
        "bad.csv:5:2: unknown-target lixia has no target 'gdp_growht' (did you mean 'gdp_growth'?)\n"
        "bad.csv:6:4: type value: not a number: '三个' (write a number, or a shorthand such as "
        '"6%", "15亿")\n'
        "bad.csv:7:1: unknown-district the plan has no district 'beijing' (it has: lixia, zhangqiu)\n"
        "bad.csv:8:5: unit-mismatch unit '亿元' does not convert to '%'\n"
    )
    assert result.stderr == "tracker: 5 problems in bad.csv; nothing was written\n"
    assert snapshot(data) == {}


def test_a_bad_row_leaves_existing_files_untouched(data: Path) -> None:
    assert run_import(data, write(data.parent, "a.csv", GOOD_CSV)).exit_code == 0
    before = snapshot(data)
    name = write(
        data.parent,
        "b.csv",
        "district,target,period,value\n"
        "zhangqiu,yilaite_output,2023-Q2,7亿\n"
        "lixia,cbd_buildings_under_construction,2023-W07,20\n",
    )
    result = run_import(data, name)
    assert result.exit_code == 1
    assert result.stdout == (
        "b.csv:3:4: cumulative-decrease cbd_buildings_under_construction 2023-W07 is 20 栋, "
        "below 33 栋 for 2023-W06 on line 3 of data/figures/lixia.yaml; a year-to-date total "
        "cannot fall\n"
    )
    assert snapshot(data) == before


def test_rows_are_checked_against_the_rows_before_them(data: Path) -> None:
    name = write(
        data.parent,
        "c.csv",
        "district,target,period,value\n"
        "lixia,cbd_buildings_under_construction,2023-W05,30\n"
        "lixia,cbd_buildings_under_construction,2023-W06,28\n",
    )
    result = run_import(data, name)
    assert result.exit_code == 1
    assert result.stdout == (
        "c.csv:3:4: cumulative-decrease cbd_buildings_under_construction 2023-W06 is 28 栋, "
        "below 30 栋 for 2023-W05 on row 2 of c.csv; a year-to-date total cannot fall\n"
    )


def test_a_torn_file_refuses_the_whole_import(data: Path) -> None:
    figures = data / "figures"
    figures.mkdir()
    (figures / "zhangqiu.yaml").write_bytes(b'- {"target": "yilai')
    before = snapshot(data)
    result = run_import(data, write(data.parent, "a.csv", GOOD_CSV))
    assert result.exit_code == 1
    assert result.stderr == (
        "tracker: data/figures/zhangqiu.yaml:1: the last line is torn (no newline); "
        "run `tracker repair`\n"
    )
    assert snapshot(data) == before  # lixia.yaml was not written either


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "district,target,period,valeu\nlixia,gdp_growth,2023-Q1,5\n",
            "x.csv:1:4: unknown-column unknown column 'valeu' (did you mean 'value'?); the "
            "columns are district, target, period, value, unit, source, note, by, item, done, date, published, level, provisional\n",
        ),
        (
            "district,period,value\nlixia,2023-Q1,5\n",
            "x.csv:1:1: missing-column the header has no `target` column\n",
        ),
        (
            "target,period,value\ngdp_growth,2023-Q1,5\n",
            "x.csv:1:1: missing-column the header has no `district` column: add one or give "
            "--district\n",
        ),
        (
            "district,target,period,value,value\nlixia,gdp_growth,2023-Q1,5,5\n",
            "x.csv:1:5: duplicate-column column 'value' repeats column 4\n",
        ),
        (
            "district,target,item,done\nlixia,land_expropriation,sansu_plot,maybe\n",
            "x.csv:2:4: type done: expected true or false, got 'maybe'\n",
        ),
        (
            "district,target,period,value\nlixia,gdp_growth,2023-Q1,5,extra\n",
            "x.csv:2:5: extra-cells the row has 5 cells; the header names 4\n",
        ),
        (
            "district,target,period\nlixia,gdp_growth,2023-Q1\n",
            "x.csv:1:1: missing-column the header has no `value` column (an item's rows need "
            "`item` and `done`)\n",
        ),
        (
            "district,target,period,value,unit\nlixia,gdp_growth,2023-Q1,6%,百分点\n",
            "x.csv:2:5: bad-value value '%' and unit '百分点' disagree: give the unit once\n",
        ),
        (
            "district,target,period,value\nlixia,gdp_growth,2023-Q1,99999999999999999999\n",
            "x.csv:2:4: number-range 99999999999999999999 is too large to hold exactly (the limit "
            "is 2**53)\n",
        ),
        (
            'district,target,period,value\nlixia,gdp_growth,2023-Q1,"99,999,999,999,999,999,999"\n',
            "x.csv:2:4: number-range 99999999999999999999 is too large to hold exactly (the limit "
            "is 2**53)\n",
        ),
    ],
)
def test_csv_problems(data: Path, content: str, expected: str) -> None:
    result = run_import(data, write(data.parent, "x.csv", content))
    assert result.exit_code == 1
    assert result.stdout == expected
    assert snapshot(data) == {}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{"target": "gdp_growth", "period": "2023-Q1", "value": 5.1}\n{"target": oops}\n',
            "x.jsonl:2:12: json not a JSON object: Expecting value\n",
        ),
        ("[1, 2]\n", 'x.jsonl:1:1: json each line is one JSON object: {"target": ...}\n'),
        (
            '{"target": "gdp_growth", "perod": "2023-Q1", "value": 5.1}\n',
            "x.jsonl:1:26: unknown-column unknown column 'perod' (did you mean 'period'?); the "
            "columns are district, target, period, value, unit, source, note, by, item, done, date, published, level, provisional\n",
        ),
        (
            '{"target": "gdp_growth", "period": "2023-Q1", "value": NaN}\n',
            "x.jsonl:1:1: json not a JSON object: NaN is not a finite number\n",
        ),
        (
            '{"target": "gdp_growth", "period": "2023-Q1", "value": true}\n',
            "x.jsonl:1:47: type value: expected a number\n",
        ),
        (
            '{"target": "gdp_growth", "period": "2023-Q1", "value": 5, "by": 7}\n',
            "x.jsonl:1:59: type by: expected text, got a number (7) (quote it to make it text)\n",
        ),
        (
            '{"district": "zhangqiu", "target": "gdp_growth", "period": "2023-Q1", "value": 5}\n',
            "x.jsonl:1:2: bad-value district 'zhangqiu' differs from --district lixia\n",
        ),
        (
            '{"target": "gdp_growth", "period": "2023-Q1", "value": 99999999999999999999}\n',
            "x.jsonl:1:47: number-range 99999999999999999999 is too large to hold exactly (the "
            "limit is 2**53)\n",
        ),
    ],
)
def test_json_lines_problems(data: Path, content: str, expected: str) -> None:
    result = run_import(data, write(data.parent, "x.jsonl", content), "--district", "lixia")
    assert result.exit_code == 1
    assert result.stdout == expected
    assert snapshot(data) == {}


# -- encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "prefix", "detected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("gbk", b"", "gb18030"),
        ("gb18030", b"", "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030"],
)
def test_utf8_bom_and_gbk_files_import_the_same_rows(
    data: Path, encoding: str, prefix: bytes, detected: str
) -> None:
    content = prefix + GOOD_CSV.replace("\n", "\r\n").encode(encoding)
    name = write(data.parent, "week5.csv", content)
    result = run_import(data, name)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.endswith(
        f"imported 4 rows from week5.csv ({detected}): 4 figures appended\n"
    )
    assert [r["note"] for r in records(data, "lixia") if "note" in r] == ["一季度"]
    assert records(data, "zhangqiu")[0]["note"] == "投产前"
    assert records(data, "zhangqiu")[0]["source"] == "月报"


def test_an_explicit_encoding_is_used(data: Path) -> None:
    name = write(data.parent, "gbk.csv", GOOD_CSV.encode("gbk"))
    assert run_import(data, name, "--encoding", "gbk").exit_code == 0
    assert records(data, "zhangqiu")[0]["note"] == "投产前"


def test_an_unknown_encoding_is_a_usage_error(data: Path) -> None:
    result = run_import(data, write(data.parent, "a.csv", GOOD_CSV), "--encoding", "klingon")
    assert result.exit_code == 2
    assert result.stderr == (
        "tracker: --encoding: unknown encoding 'klingon' (try utf-8, utf-8-sig, gbk or gb18030)\n"
    )


def test_a_utf8_file_with_a_bad_byte_is_not_taken_for_gbk(data: Path) -> None:
    content = GOOD_CSV.encode("utf-8") + "lixia,gdp_growth,2023-Q2,5,%,统计".encode() + b"\xff\n"
    result = run_import(data, write(data.parent, "a.csv", content))
    assert result.exit_code == 1
    assert result.stdout == (
        "a.csv:6:32: encoding byte 0xff is not UTF-8 (save the file as UTF-8, or give "
        "--encoding, e.g. --encoding gbk)\n"
    )
    assert snapshot(data) == {}


def test_decode_import_rules() -> None:
    assert decode_import("表".encode("utf-16"), "f") == ("表", "utf-16", [])
    assert decode_import(b"\xef\xbb\xbfa", "f") == ("a", "utf-8-sig", [])
    assert decode_import("区".encode("gbk"), "f") == ("区", "gb18030", [])
    text, used, problems = decode_import("区".encode("gbk"), "f", "utf-8")
    assert (text, used) == (None, "utf-8")
    assert problems == [
        Diagnostic("f", 1, 1, "encoding", "byte 0xc7 is not utf-8 text (check --encoding)")
    ]
    with pytest.raises(UsageError):
        decode_import(b"a", "f", "no-such-codec")


# -- reading values and rows --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5", (12.5, None)),
        ("6%", (6.0, "%")),
        ("15亿", (15.0, "亿")),
        ("80万平方米", (80.0, "万平方米")),
        ("1,234.5", (1234.5, None)),
        ("12,345万元", (12345.0, "万元")),
        (" -3 ", (-3.0, None)),
    ],
)
def test_read_value(text: str, expected: tuple[float, str | None]) -> None:
    assert read_value(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("99999999999999999999", "99999999999999999999 is too large to hold exactly"),
        ("-9007199254740993", "-9007199254740993 is too large to hold exactly"),
        ("9007199254740993万元", "9007199254740993 is too large to hold exactly"),
        ("9" * 400, "9" * 37 + "... is too large to hold exactly"),
    ],
)
def test_read_value_refuses_integers_a_float_cannot_hold(text: str, message: str) -> None:
    with pytest.raises(NumberRangeError) as raised:
        read_value(text)
    assert str(raised.value) == message + " (the limit is 2**53)"


def test_read_value_keeps_what_a_float_holds_and_says_not_a_number_for_the_rest() -> None:
    assert read_value("9007199254740992") == (2**53, None)
    assert read_value("-9007199254740992") == (-(2**53), None)
    assert read_value("9007199254740992.0") == (2**53, None)  # a float holds it exactly
    with pytest.raises(NumberRangeError):  # more digits than the log stores: never rounded
        read_value("99999999999999999999.5")
    with pytest.raises(UnitError) as raised:
        read_value("99999999999999999999%%")
    assert not isinstance(raised.value, NumberRangeError)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True),
        ("1", True),
        ("是", True),
        ("Yes", True),
        ("false", False),
        ("否", False),
        ("0", False),
        (True, True),
        ("maybe", None),
        (1, None),
    ],
)
def test_read_done(value: object, expected: bool | None) -> None:
    assert read_done(value) == expected


def test_row_numbers_are_the_lines_rows_start_on() -> None:
    content = (
        b"district,target,period,value,note\n"
        b'lixia,gdp_growth,2023-Q1,5.1,"two\nlines"\n'
        b"\n"
        b"lixia,gdp_growth,2023-Q2,5.3,\n"
    )
    parsed = parse_import(content, "f.csv", name="f.csv")
    assert parsed.diagnostics == []
    assert [(row.row, row.figure.note) for row in parsed.rows] == [(2, "two\nlines"), (5, None)]
    assert parsed.rows_read == 2


def test_tab_and_semicolon_separated_files() -> None:
    for separator in ("\t", ";"):
        content = separator.join(["district", "target", "period", "value"]) + "\n"
        content += (
            separator.join(["lixia", "gdp_growth", "2023-Q1", "5,1" if separator == ";" else "5.1"])
            + "\n"
        )
        parsed = parse_import(content.encode(), "f", import_format=ImportFormat.CSV)
        if separator == ";":
            assert [d.message for d in parsed.diagnostics] == [
                'value: not a number: \'5,1\' (write a number, or a shorthand such as "6%", "15亿")'
            ]
        else:
            assert parsed.diagnostics == []
            assert parsed.rows[0].figure.value == 5.1


def test_detect_format() -> None:
    assert detect_format("a.CSV", "{") is ImportFormat.CSV
    assert detect_format("a.jsonl", "target") is ImportFormat.JSONL
    assert detect_format(None, '  {"target": 1}') is ImportFormat.JSONL
    assert detect_format(None, "target,period") is ImportFormat.CSV


def test_the_core_reports_progress_and_writes_one_batch_per_district(data: Path) -> None:
    lines = "district,target,period,value\n" + "".join(
        f"lixia,cbd_buildings_under_construction,2023-W{week:02d},{week}\n" for week in range(1, 27)
    )
    parsed = parse_import(lines.encode(), "weeks.csv", name="weeks.csv")
    data_dir = DataDir(data, shipped=False)
    seen: list[tuple[int, int]] = []
    result = import_figures(
        data_dir,
        load_plan_for_writing(data_dir),
        parsed,
        by="auto",
        now=NOW,
        today=date(2023, 7, 1),
        progress=lambda done, total: seen.append((done, total)),
    )
    assert result.exit_code == 0
    assert result.written
    assert seen == [(52, 52)]  # each row is checked twice: under shared, then exclusive locks
    text = (data / "figures" / "lixia.yaml").read_text(encoding="utf-8")
    assert text.count("\n") == 26
    assert text.splitlines()[0] == (
        '- {"target": "cbd_buildings_under_construction", "period": "2023-W01", "value": 1, '
        '"unit": "栋", "by": "auto", "recorded_at": "2023-07-03T09:00:00+08:00"}'
    )


def test_a_future_period_in_an_import_is_refused(data: Path) -> None:
    parsed = parse_import(
        b"district,target,period,value\nlixia,gdp_growth,2023-Q3,5\n", "f.csv", name="f.csv"
    )
    data_dir = DataDir(data, shipped=False)
    result = import_figures(
        data_dir, load_plan_for_writing(data_dir), parsed, today=date(2023, 6, 30)
    )
    assert [str(d) for d in result.diagnostics] == [
        "f.csv:2:3: future-figure gdp_growth 2023-Q3 has not begun on 2023-06-30"
    ]
    assert not result.written


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing.csv",), "tracker: missing.csv: no such file\n"),
        (("-", "--format", "xlsx"), "tracker: --format: 'xlsx' is not one of csv, jsonl, excel\n"),
    ],
)
def test_import_usage_errors(data: Path, args: tuple[str, ...], message: str) -> None:
    result = run_import(data, *args, stdin=b"")
    assert result.exit_code == 2
    assert result.stderr == message


def test_an_empty_by_is_a_usage_error(data: Path) -> None:
    result = run_import(
        data,
        "-",
        "--district",
        "lixia",
        "--by",
        "",
        stdin=b"target,period,value\ngdp_growth,2023-Q1,5\n",
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "tracker: --by is empty: name who records the figures, or leave it out for $USER\n"
    )
    assert snapshot(data) == {}


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        ((), b""),
        (("--format", "csv"), b""),
        (("--format", "jsonl"), b""),
        ((), b"\n  \r\n"),
        (("--format", "jsonl"), b"\n\n"),
        ((), b"\xef\xbb\xbf"),  # a byte-order mark and nothing else
        ((), b"district,target,period,value\r\n"),  # a header and no rows
        (("--format", "csv"), b"district,target,period,value\n\n,,,\n"),
    ],
    ids=[
        "empty",
        "empty-csv",
        "empty-jsonl",
        "blank",
        "blank-jsonl",
        "bom",
        "header",
        "blank-rows",
    ],
)
def test_an_input_without_rows_is_nothing_to_import(
    data: Path, args: tuple[str, ...], stdin: bytes
) -> None:
    result = run_import(data, "-", *args, stdin=stdin)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "nothing to import: <stdin> has no rows\n"
    assert result.stderr == ""
    assert snapshot(data) == {}


def test_an_empty_file_is_nothing_to_import(data: Path) -> None:
    result = run_import(data, write(data.parent, "week.csv", b""))
    assert (result.exit_code, result.stdout) == (0, "nothing to import: week.csv has no rows\n")


def test_import_codes_are_the_codes_check_gives_for_the_same_problem(data: Path) -> None:
    """A value that is text, a unit that disagrees and an integer past 2**53 in a figure file
    and in an import get the same code from `check` and from `import`."""
    (data / "figures").mkdir()
    (data / "figures" / "lixia.yaml").write_text(
        '- {"target": "gdp_growth", "period": "2023-Q1", "value": "abc"}\n'
        '- {"target": "gdp_growth", "period": "2023-Q2", "value": "6%", "unit": "百分点"}\n'
        '- {"target": "gdp_growth", "period": "2023-Q3", "value": 99999999999999999999}\n'
        '- {"target": "fortune500_projects", "period": "2023-03", "value": 0.5}\n',
        encoding="utf-8",
    )
    checked = run_cli("check", str(data), "--format", "json")
    check_codes = [(p["line"], p["code"]) for p in json.loads(checked.stdout)["problems"]]
    name = write(
        data.parent,
        "x.csv",
        "district,target,period,value,unit\n"
        "lixia,gdp_growth,2023-Q1,abc,\n"
        "lixia,gdp_growth,2023-Q2,6%,百分点\n"
        "lixia,gdp_growth,2023-Q3,99999999999999999999,\n"
        "lixia,fortune500_projects,2023-03,0.5,\n",
    )
    imported = run_import(data, name)
    assert imported.exit_code == 1
    import_codes = [
        (int(line.split(":")[1]) - 1, line.split(": ", 1)[1].split(" ", 1)[0])
        for line in imported.stdout.splitlines()
    ]
    assert (
        check_codes
        == import_codes
        == [
            (1, "type"),
            (2, "bad-value"),
            (3, "number-range"),
            (4, "not-whole"),
        ]
    )


def test_the_figure_rules_of_check_refuse_rows_at_their_cells(data: Path) -> None:
    name = write(
        data.parent,
        "x.csv",
        "district,target,period,value,item,done,date\n"
        "lixia,land_expropriation,,,cbd_west_clearance,true,2022-12-01\n"
        "zhangqiu,leader_contracted_projects,2023-12,122.7,,,\n"
        "lixia,land_expropriation,2023-05,6,,,\n",
    )
    result = run_import(data, name)
    assert result.exit_code == 1
    assert result.stdout == (
        "x.csv:2:7: date-year item 'cbd_west_clearance' is dated 2022-12-01, outside the plan "
        "year 2023\n"
        "x.csv:3:4: count-range leader_contracted_projects 2023-12 is 122.7 项, more than its 122 "
        "items\n"
        "x.csv:3:4: not-whole leader_contracted_projects 2023-12 is 122.7 项; a count of items "
        "done is a whole number\n"
    )
    assert snapshot(data) == {}
