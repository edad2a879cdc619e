"""Tests for `tracker record` and `tracker history` (`liuxia_tracker.commands.record`), through the
command line where a user would see the difference, and through the core for what the command
line cannot reach (today's date, the full-read fallback)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import run_cli
from liuxia_tracker.commands.common import default_recorder, load_plan_for_writing
from liuxia_tracker.commands.dataset import DataDir
from liuxia_tracker.commands.history import target_history
from liuxia_tracker.commands.record import figure_from_arguments, record_figure
from liuxia_tracker.diagnostics import TrackerError, UsageError
from liuxia_tracker.log.figures import read_figure_file
from liuxia_tracker.render.history import sparkline

CST = timezone(timedelta(hours=8))
NOON = datetime(2023, 7, 1, 12, 0, tzinfo=CST)


def record(data: Path, *args: str) -> Result:
    return run_cli("record", *args, "--data", str(data))


def lines_of(data: Path, district: str = "lixia") -> list[dict[str, object]]:
    path = data / "figures" / f"{district}.yaml"
    return [json.loads(line[2:]) for line in path.read_text(encoding="utf-8").splitlines()]


def without_stamp(records: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{k: v for k, v in r.items() if k != "recorded_at"} for r in records]


# -- record: what is written --------------------------------------------------------------


def test_record_appends_one_canonical_line_with_who_and_when(data: Path) -> None:
    result = record(data, "lixia", "gdp_growth", "2023-Q1", "5.1", "--source", "统计局")
    assert result.exit_code == 0
    assert result.stdout == "recorded lixia gdp_growth 2023-Q1 = 5.1 % in data/figures/lixia.yaml\n"
    assert result.stderr == ""
    [written] = lines_of(data)
    stamp = datetime.fromisoformat(str(written.pop("recorded_at")))
    assert stamp.utcoffset() is not None
    assert abs(datetime.now(stamp.tzinfo) - stamp) < timedelta(minutes=5)
    assert written == {
        "target": "gdp_growth",
        "period": "2023-Q1",
        "value": 5.1,
        "unit": "%",
        "source": "统计局",
        "by": "tester",
    }


def test_by_and_note_are_kept(data: Path) -> None:
    result = record(data, "lixia", "gdp_growth", "2023-Q1", "5.1", "--by", "li", "--note", "初值")
    assert result.exit_code == 0
    assert without_stamp(lines_of(data)) == [
        {
            "target": "gdp_growth",
            "period": "2023-Q1",
            "value": 5.1,
            "unit": "%",
            "note": "初值",
            "by": "li",
        }
    ]


@pytest.mark.parametrize(
    ("district", "target", "period", "value", "stored", "shown"),
    [
        ("lixia", "gdp_growth", "2023-Q1", "6%", (6, "%"), "6 %"),
        ("zhangqiu", "yilaite_output", "2023-Q2", "15亿", (15, "亿元"), "15 亿元"),
        ("zhangqiu", "yilaite_output", "2023-Q2", "70000万元", (70000, "万元"), "70000 万元"),
        ("lixia", "cbd_area_delivered", "2023-W05", "80万", (80, "万平方米"), "80 万平方米"),
        ("lixia", "fortune500_projects", "2023-02", "3", (3, "个"), "3 个"),
        ("lixia", "gdp_growth", "2023-Q1", "-0.5", (-0.5, "%"), "-0.5 %"),
    ],
)
def test_values_accept_the_documented_shorthands(
    data: Path,
    district: str,
    target: str,
    period: str,
    value: str,
    stored: tuple[float, str],
    shown: str,
) -> None:
    result = record(data, district, target, period, value)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"recorded {district} {target} {period} = {shown} in data/figures/{district}.yaml\n"
    )
    [written] = lines_of(data, district)
    assert (written["value"], written["unit"]) == stored


def test_recording_the_same_value_again_is_a_no_op(data: Path) -> None:
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    before = (data / "figures" / "lixia.yaml").read_bytes()
    stamp = lines_of(data)[0]["recorded_at"]
    result = record(data, "lixia", "gdp_growth", "2023-Q1", "5.1%", "--by", "li")
    assert result.exit_code == 0
    assert result.stdout == (
        f"unchanged: lixia gdp_growth 2023-Q1 is already 5.1 % (recorded {stamp} by tester); "
        "nothing written\n"
    )
    assert (data / "figures" / "lixia.yaml").read_bytes() == before


def test_the_same_value_in_another_unit_is_a_no_op(data: Path) -> None:
    assert record(data, "zhangqiu", "yilaite_output", "2023-Q2", "7亿").exit_code == 0
    result = record(data, "zhangqiu", "yilaite_output", "2023-Q2", "70000", "--unit", "万元")
    assert result.exit_code == 0
    assert result.stdout.startswith("unchanged: zhangqiu yilaite_output 2023-Q2 is already 7 亿元")
    assert len(lines_of(data, "zhangqiu")) == 1


def test_a_different_value_is_a_revision_and_the_old_record_stays(data: Path) -> None:
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    result = record(data, "lixia", "gdp_growth", "2023-Q1", "5.3")
    assert result.exit_code == 0
    assert result.stdout == (
        "revised lixia gdp_growth 2023-Q1: 5.1 % → 5.3 % (the earlier record stays) "
        "in data/figures/lixia.yaml\n"
    )
    assert [r["value"] for r in lines_of(data)] == [5.1, 5.3]


def test_item_progress_is_recorded_revised_and_repeated(data: Path) -> None:
    done = record(
        data,
        "lixia",
        "land_expropriation",
        "--item",
        "sansu_plot",
        "--done",
        "--date",
        "2023-05-01",
    )
    assert done.exit_code == 0
    assert done.stdout == (
        "recorded lixia land_expropriation item sansu_plot: done on 2023-05-01 "
        "in data/figures/lixia.yaml\n"
    )
    again = record(data, "lixia", "land_expropriation", "--item", "sansu_plot", "--done")
    assert again.stdout == (
        "unchanged: lixia land_expropriation item sansu_plot: done is already recorded; "
        "nothing written\n"
    )
    undone = record(data, "lixia", "land_expropriation", "--item", "sansu_plot", "--not-done")
    assert undone.stdout == (
        "revised lixia land_expropriation item sansu_plot: not done (was done; the earlier "
        "record stays) in data/figures/lixia.yaml\n"
    )
    assert without_stamp(lines_of(data)) == [
        {
            "target": "land_expropriation",
            "item": "sansu_plot",
            "done": True,
            "date": "2023-05-01",
            "by": "tester",
        },
        {"target": "land_expropriation", "item": "sansu_plot", "done": False, "by": "tester"},
    ]


# -- record: refusals ---------------------------------------------------------------------

# The figure rules `check` applies too: (record arguments, the line `check` reads, message).
FIGURE_RULE_REFUSALS: list[tuple[tuple[str, ...], str, str]] = [
    (
        (
            "lixia",
            "land_expropriation",
            "--item",
            "cbd_west_clearance",
            "--done",
            "--date",
            "2022-12-01",
        ),
        '{"target": "land_expropriation", "item": "cbd_west_clearance", "done": true, '
        '"date": "2022-12-01"}',
        "item 'cbd_west_clearance' is dated 2022-12-01, outside the plan year 2023",
    ),
    (
        (
            "lixia",
            "land_expropriation",
            "--item",
            "cbd_west_clearance",
            "--done",
            "--date",
            "2024-03-01",
        ),
        '{"target": "land_expropriation", "item": "cbd_west_clearance", "done": true, '
        '"date": "2024-03-01"}',
        "item 'cbd_west_clearance' is dated 2024-03-01, outside the plan year 2023",
    ),
    (
        ("lixia", "innovation_items", "2023-06", "13.5"),
        '{"target": "innovation_items", "period": "2023-06", "value": 13.5}',
        "innovation_items 2023-06 is 13.5 项; a count of items done is a whole number",
    ),
    (
        ("lixia", "fortune500_projects", "2023-06", "0.5"),
        '{"target": "fortune500_projects", "period": "2023-06", "value": 0.5}',
        "fortune500_projects 2023-06 is 0.5 个; a count in 个 is a whole number",
    ),
    (
        ("lixia", "fortune500_projects", "2023-06", "1.00005万"),
        '{"target": "fortune500_projects", "period": "2023-06", "value": 1.00005, "unit": "万"}',
        "fortune500_projects 2023-06 is 1.00005 万 (10000.5 个); a count in 个 is a whole number",
    ),
    (
        ("lixia", "cbd_buildings_delivered", "2023-W10", "0.3"),
        '{"target": "cbd_buildings_delivered", "period": "2023-W10", "value": 0.3}',
        "cbd_buildings_delivered 2023-W10 is 0.3 栋; a count in 栋 is a whole number",
    ),
    (
        ("zhangqiu", "leader_contracted_projects", "2023-12", "123"),
        '{"target": "leader_contracted_projects", "period": "2023-12", "value": 123}',
        "leader_contracted_projects 2023-12 is 123 项, more than its 122 items",
    ),
    (
        ("lixia", "land_expropriation", "2023-05", "7"),
        '{"target": "land_expropriation", "period": "2023-05", "value": 7}',
        "land_expropriation 2023-05 is 7 项, more than its 6 unnamed items (8 in all; the 2 "
        "named ones are recorded by item)",
    ),
]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("beijing", "gdp_growth", "2023-Q1", "5"),
            "the plan has no district 'beijing'; the districts are: lixia (历下区), zhangqiu (章丘区)",
        ),
        (
            ("lixia", "gdp", "2023-Q1", "5"),
            "lixia has no target 'gdp' (did you mean 'gdp_growth'?)",
        ),
        (
            ("lixia", "gdp_growth", "2023-Q1", "abc"),
            'VALUE: not a number: \'abc\' (write a number, or a shorthand such as "6%", "15亿")',
        ),
        (
            ("lixia", "gdp_growth", "2023-03", "5"),
            "period 2023-03 is a month; gdp_growth is reported by quarter",
        ),
        (
            ("lixia", "gdp_growth", "2023-Q5", "5"),
            'period: not a period: "2023-Q5" (quarter must be Q1–Q4)',
        ),
        (("lixia", "gdp_growth", "2024-Q1", "5"), "period 2024-Q1 is outside the plan year 2023"),
        (("lixia", "gdp_growth", "2023-Q1", "5亿"), "unit '亿' does not convert to '%'"),
        (
            ("lixia", "gdp_growth", "2023-Q1", "5", "--unit", "百分点"),
            "unit '百分点' does not convert to '%'",
        ),
        (
            ("lixia", "fortune500_projects", "2023-02", "-1"),
            "fortune500_projects 2023-02 is -1 个; an amount or count cannot be negative",
        ),
        (
            ("lixia", "land_expropriation", "--item", "sansu", "--done"),
            "land_expropriation has no item 'sansu' (did you mean 'sansu_plot'?)",
        ),
        (
            ("lixia", "gdp_growth", "2023-Q1", "6%", "--unit", "百分点"),
            "VALUE '6%' and --unit '百分点' disagree: give the unit once",
        ),
        (
            ("lixia", "gdp_growth", "2023-Q1", "99999999999999999999"),
            "VALUE: 99999999999999999999 is too large to hold exactly (the limit is 2**53)",
        ),
        (
            ("lixia", "fortune500_projects", "2023-02", "9007199254740993个"),
            "VALUE: 9007199254740993 is too large to hold exactly (the limit is 2**53)",
        ),
        (
            ("lixia", "fortune500_projects", "2023-02", "99,999,999,999,999,999,999"),
            "VALUE: 99999999999999999999 is too large to hold exactly (the limit is 2**53)",
        ),
        *((args, message) for args, _, message in FIGURE_RULE_REFUSALS),
    ],
)
def test_a_bad_figure_is_refused_in_one_line_and_nothing_is_written(
    data: Path, args: tuple[str, ...], message: str
) -> None:
    result = record(data, *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    # An unknown id is named first, then the valid ones are listed, on the same line.
    assert result.stderr.startswith(f"tracker: {message}")
    assert result.stderr.count("\n") == 1
    assert not (data / "figures").exists()


@pytest.mark.parametrize(("args", "line", "message"), FIGURE_RULE_REFUSALS)
def test_check_says_what_record_refuses(
    data: Path, args: tuple[str, ...], line: str, message: str
) -> None:
    """The same rule function decides for both: written by hand, the figure record refused
    is reported by `check` with the same message."""
    figures = data / "figures"
    figures.mkdir()
    (figures / f"{args[0]}.yaml").write_text(f"- {line}\n", encoding="utf-8")
    checked = run_cli("check", str(data), "--as-of", "2023-12-31", "--format", "json")
    problems = json.loads(checked.stdout)["problems"]
    assert [p["message"] for p in problems if p["message"] == message] == [message]
    assert checked.exit_code == 1


def test_a_count_in_a_count_unit_may_be_written_with_wan(data: Path) -> None:
    """1.5万个 is 15,000 个: whole in the base unit, so accepted (insisted on: it is far
    beyond the target of 25), and check agrees."""
    result = record(data, "lixia", "fortune500_projects", "2023-06", "1.5万", "--force")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "recorded lixia fortune500_projects 2023-06 = 1.5 万个 in data/figures/lixia.yaml\n"
    )
    assert record(data, "zhangqiu", "leader_contracted_projects", "2023-12", "122").exit_code == 0
    assert (
        record(
            data,
            "lixia",
            "land_expropriation",
            "--item",
            "sansu_plot",
            "--done",
            "--date",
            "2023-12-31",
        ).exit_code
        == 0
    )
    assert run_cli("check", str(data), "--as-of", "2023-12-31").exit_code == 0


def test_record_refuses_a_number_past_2_53_as_check_does(data: Path) -> None:
    """The message is `check`'s for the same number in a figure file."""
    refused = record(data, "lixia", "gdp_growth", "2023-Q1", "99999999999999999999")
    figures = data / "figures"
    figures.mkdir()
    (figures / "lixia.yaml").write_text(
        '- {"target": "gdp_growth", "period": "2023-Q1", "value": 99999999999999999999}\n',
        encoding="utf-8",
    )
    checked = run_cli("check", str(data), "--format", "json")
    [problem] = json.loads(checked.stdout)["problems"]
    assert problem["code"] == "number-range"
    assert refused.stderr == f"tracker: VALUE: {problem['message']}\n"


def test_the_largest_exact_integer_is_accepted_and_no_number_is_shown_with_an_exponent(
    data: Path,
) -> None:
    below = record(
        data, "lixia", "cbd_area_under_construction", "2023-W05", "9007199254740991", "--force"
    )
    assert below.stdout == (
        "recorded lixia cbd_area_under_construction 2023-W05 = 9007199254740991 万平方米 in "
        "data/figures/lixia.yaml\n"
    )
    exact = record(
        data, "lixia", "cbd_area_under_construction", "2023-W06", "9007199254740992", "--force"
    )
    assert exact.exit_code == 0, exact.stderr  # 2**53 itself is held exactly
    tiny = record(data, "lixia", "gdp_growth", "2023-Q1", "0.0000001")
    assert (
        tiny.stdout
        == "recorded lixia gdp_growth 2023-Q1 = 0.0000001 % in data/figures/lixia.yaml\n"
    )
    assert [r["value"] for r in lines_of(data)] == [2**53 - 1, 2**53, 1e-07]


def test_a_refusal_leaves_an_existing_file_untouched(data: Path) -> None:
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    before = (data / "figures" / "lixia.yaml").read_bytes()
    assert record(data, "lixia", "gdp_growth", "2023-03", "5").exit_code == 1
    assert (data / "figures" / "lixia.yaml").read_bytes() == before


def test_a_year_to_date_total_may_not_fall(data: Path) -> None:
    target = ("lixia", "cbd_buildings_under_construction")
    assert record(data, *target, "2023-W05", "30").exit_code == 0
    assert record(data, *target, "2023-W07", "40").exit_code == 0
    below = record(data, *target, "2023-W06", "25")
    assert below.exit_code == 1
    assert below.stderr == (
        "tracker: cbd_buildings_under_construction 2023-W06 is 25 栋, below 30 栋 for 2023-W05 "
        "on line 1 of data/figures/lixia.yaml; a year-to-date total cannot fall\n"
    )
    above = record(data, *target, "2023-W06", "41")
    assert above.exit_code == 1
    assert above.stderr == (
        "tracker: cbd_buildings_under_construction 2023-W06 is 41 栋, above 40 栋 for the later "
        "2023-W07 on line 2 of data/figures/lixia.yaml; a year-to-date total cannot fall\n"
    )
    revised_down = record(data, *target, "2023-W07", "29")
    assert revised_down.exit_code == 1
    assert record(data, *target, "2023-W06", "35").exit_code == 0
    assert [r["value"] for r in lines_of(data)] == [30, 40, 35]


def test_increments_and_rates_may_fall(data: Path) -> None:
    assert record(data, "lixia", "cbd_buildings_delivered", "2023-W05", "3").exit_code == 0
    assert record(data, "lixia", "cbd_buildings_delivered", "2023-W06", "1").exit_code == 0
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5").exit_code == 0
    assert record(data, "lixia", "gdp_growth", "2023-Q2", "4").exit_code == 0


def test_the_decrease_check_sees_only_the_winning_record_of_each_period(data: Path) -> None:
    target = ("lixia", "cbd_buildings_under_construction")
    assert record(data, *target, "2023-W05", "50").exit_code == 0
    assert record(data, *target, "2023-W05", "30").exit_code == 0  # corrected down
    assert record(data, *target, "2023-W06", "35").exit_code == 0


def test_a_torn_last_line_refuses_the_append_and_names_it(data: Path) -> None:
    path = data / "figures" / "lixia.yaml"
    path.parent.mkdir()
    before = b'- {"target": "gdp_growth", "period": "2023-Q1", "value": 5.1}\n- {"target": "gd'
    path.write_bytes(before)
    result = record(data, "lixia", "gdp_growth", "2023-Q2", "5.3")
    assert result.exit_code == 1
    assert result.stderr == (
        "tracker: data/figures/lixia.yaml:2: the last line is torn (no newline); "
        "run `tracker repair`\n"
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("lixia", "gdp_growth", "2023-Q1"),
            "give PERIOD and VALUE, or --item ID with --done or --not-done",
        ),
        (
            ("lixia", "gdp_growth", "2023-Q1", "5", "--done"),
            "--done, --not-done and --date go with --item ID",
        ),
        (
            ("lixia", "land_expropriation", "--item", "sansu_plot"),
            "--item needs --done or --not-done",
        ),
        (
            ("lixia", "land_expropriation", "2023-05", "--item", "sansu_plot", "--done"),
            "--item records an item's progress: give no PERIOD or VALUE with it",
        ),
        (
            ("lixia", "gdp_growth", "2023-Q1", "5", "--by", ""),
            "--by is empty: name who records the figures, or leave it out for $USER",
        ),
        (
            ("lixia", "land_expropriation", "--item", "sansu_plot", "--done", "--by", "  "),
            "--by is empty: name who records the figures, or leave it out for $USER",
        ),
    ],
)
def test_wrong_combinations_of_arguments_are_usage_errors(
    data: Path, args: tuple[str, ...], message: str
) -> None:
    result = record(data, *args)
    assert result.exit_code == 2
    assert result.stderr == f"tracker: {message}\n"


def test_record_never_writes_into_the_shipped_seed_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    result = run_cli("record", "lixia", "gdp_growth", "2023-Q1", "5")
    assert result.exit_code == 2
    assert result.stderr.startswith("tracker: no data directory: give --data DIR")


def test_a_plan_with_problems_refuses_every_write(data: Path) -> None:
    (data / "targets.yaml").write_text("year: 2023\ndistricts: 5\n", encoding="utf-8")
    result = record(data, "lixia", "gdp_growth", "2023-Q1", "5")
    assert result.exit_code == 1
    assert result.stderr == (
        "tracker: data/targets.yaml has 1 problem; run `tracker check` and fix the plan first\n"
    )


# -- record: the core ---------------------------------------------------------------------


def test_a_period_that_has_not_begun_is_refused(data: Path) -> None:
    data_dir = DataDir(data, shipped=False)
    plan = load_plan_for_writing(data_dir)
    figure = figure_from_arguments("gdp_growth", "2023-Q3", "5")
    with pytest.raises(TrackerError, match=r"^gdp_growth 2023-Q3 has not begun on 2023-06-30$"):
        record_figure(data_dir, plan, "lixia", figure, today=date(2023, 6, 30))
    item = figure_from_arguments(
        "land_expropriation", None, None, item="sansu_plot", done=True, done_on="2023-07-02"
    )
    with pytest.raises(
        TrackerError, match=r"^item 'sansu_plot' is dated 2023-07-02, after 2023-06-30$"
    ):
        record_figure(data_dir, plan, "lixia", item, today=date(2023, 6, 30))
    assert not (data / "figures").exists()


def test_record_figure_stamps_by_and_recorded_at(data: Path) -> None:
    data_dir = DataDir(data, shipped=False)
    plan = load_plan_for_writing(data_dir)
    change = record_figure(
        data_dir,
        plan,
        "lixia",
        figure_from_arguments("gdp_growth", "2023-Q1", "5"),
        by="wang",
        now=NOON,
    )
    assert change.kind == "new"
    assert lines_of(data) == [
        {
            "target": "gdp_growth",
            "period": "2023-Q1",
            "value": 5,
            "unit": "%",
            "by": "wang",
            "recorded_at": "2023-07-01T12:00:00+08:00",
        }
    ]


def test_default_recorder_is_the_user() -> None:
    assert default_recorder({"USER": "zhang"}) == "zhang"
    assert default_recorder({"USERNAME": "li"}) == "li"


def test_figure_from_arguments_rejects_text_the_terminal_could_not_decode() -> None:
    with pytest.raises(TrackerError, match=r"^--note: not valid text"):
        figure_from_arguments("gdp_growth", "2023-Q1", "5", note="bad \udcff byte")
    with pytest.raises(UsageError):
        figure_from_arguments("gdp_growth", None, "5")


HAND_WRITTEN = "- target: gdp_growth\n  period: 2023-Q1\n  value: 5.1\n"


@pytest.mark.parametrize("hand_written", [False, True], ids=["canonical", "hand-written"])
def test_a_hand_edited_file_gives_the_same_decisions(data: Path, hand_written: bool) -> None:
    path = data / "figures" / "lixia.yaml"
    path.parent.mkdir()
    first = (
        HAND_WRITTEN
        if hand_written
        else '- {"target": "gdp_growth", "period": "2023-Q1", "value": 5.1}\n'
    )
    path.write_text(first, encoding="utf-8")
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").stdout.startswith("unchanged: ")
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.2").stdout.startswith("revised ")


def test_a_broken_line_of_another_target_does_not_stop_record(data: Path) -> None:
    path = data / "figures" / "lixia.yaml"
    path.parent.mkdir()
    broken = '- {"target": "fai_growth", "period": "2023-01", "value": }\n'
    path.write_text(broken, encoding="utf-8")
    result = record(data, "lixia", "gdp_growth", "2023-Q1", "5.1")
    assert result.exit_code == 0
    written = path.read_text(encoding="utf-8")
    assert written.startswith(broken)
    assert [r.figure.target for r in read_figure_file(path).records] == ["gdp_growth"]


# -- record → check and status ------------------------------------------------------------


def test_a_recorded_figure_is_what_check_sees(data: Path) -> None:
    assert record(data, "lixia", "gdp_growth", "2023-Q2", "5.3").exit_code == 0
    clean = run_cli("check", str(data), "--as-of", "2023-12-31")
    assert clean.exit_code == 0
    early = run_cli("check", str(data), "--as-of", "2023-03-31")
    assert early.exit_code == 1
    assert early.stdout.splitlines()[0] == (
        "data/figures/lixia.yaml:1:38: future-figure gdp_growth 2023-Q2 has not begun on 2023-03-31"
    )


def test_a_recorded_figure_changes_the_status(data: Path) -> None:
    def gdp_row() -> dict[str, object]:
        result = run_cli(
            "status", "lixia", "--data", str(data), "--format", "json", "--as-of", "2023-06-30"
        )
        assert result.exit_code == 0, result.stderr
        [district] = json.loads(result.stdout)["districts"]
        [row] = [t for t in district["targets"] if t["id"] == "gdp_growth"]
        return dict(row)

    before = gdp_row()
    assert (before["actual"], before["status"]) == (
        None,
        "stale",
    )  # its first figure is overdue: 逾期未报
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.1").exit_code == 0
    first = gdp_row()
    assert (first["actual"], first["last_period"], first["status"]) == (5.1, "2023-Q1", "at_risk")
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "6.2").exit_code == 0
    revised = gdp_row()
    assert (revised["actual"], revised["status"]) == (6.2, "on_track")


# -- history ------------------------------------------------------------------------------


HISTORY_LOG = (
    '- {"target": "cbd_area_under_construction", "period": "2023-W05", "value": 100, '
    '"unit": "万平方米", "source": "周报", "by": "zhang", "recorded_at": "2023-02-06T09:00:00+08:00"}\n'
    '- {"target": "gdp_growth", "period": "2023-Q1", "value": 5.1}\n'
    '- {"target": "cbd_area_under_construction", "period": "2023-W06", "value": 1200000, '
    '"unit": "平方米", "by": "li", "recorded_at": "2023-02-13T09:00:00+08:00"}\n'
    '- {"target": "cbd_area_under_construction", "period": "2023-W05", "value": 110, '
    '"unit": "万平方米", "note": "更正", "by": "zhang", "recorded_at": "2023-02-14T10:00:00+08:00"}\n'
    '- {"target": "cbd_area_under_construction", "period": "2023-03", "value": 150}\n'
    '- {"target": "cbd_area_under_construction", "period": "2023-W07", "value": 160}\n'
)


def write_history_log(data: Path) -> None:
    (data / "figures").mkdir()
    (data / "figures" / "lixia.yaml").write_text(HISTORY_LOG, encoding="utf-8")


def test_history_shows_every_record_and_which_one_wins(data: Path) -> None:
    write_history_log(data)
    result = run_cli("history", "lixia", "cbd_area_under_construction", "--data", str(data))
    assert result.exit_code == 0
    assert result.stdout == (
        "lixia cbd_area_under_construction CBD在建建筑面积: quantity, target 300 万平方米, reported by week\n"
        "data/figures/lixia.yaml: 5 records\n"
        "line  period    value                            standing      recorded_at                by     source  note\n"
        "   1  2023-W05  100 万平方米                       superseded  2023-02-06T09:00:00+08:00  zhang  周报\n"
        "   3  2023-W06  1200000 平方米 (= 120 万平方米)  * wins        2023-02-13T09:00:00+08:00  li\n"
        "   4  2023-W05  110 万平方米                     * wins        2023-02-14T10:00:00+08:00  zhang          更正\n"
        "   5  2023-03   150 万平方米                     ! ignored                                               period 2023-03 is a month; cbd_area_under_construction is reported by week\n"
        "   6  2023-W07  160 万平方米                     * wins\n"
        "series 2023-W05..2023-W07: ▁▂█\n"
    )


def test_history_as_json(data: Path) -> None:
    write_history_log(data)
    result = run_cli(
        "history", "lixia", "cbd_area_under_construction", "--data", str(data), "--format", "json"
    )
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert [(r["line"], r["standing"]) for r in payload["records"]] == [
        (1, "superseded"),
        (3, "wins"),
        (4, "wins"),
        (5, "ignored"),
        (6, "wins"),
    ]
    assert payload["records"][1] == {
        "line": 3,
        "standing": "wins",
        "period": "2023-W06",
        "value": 1200000,
        "unit": "平方米",
        "by": "li",
        "recorded_at": "2023-02-13T09:00:00+08:00",
        "value_in_target_unit": 120,
    }
    assert payload["series"] == [
        {"period": "2023-W05", "value": 110},
        {"period": "2023-W06", "value": 120},
        {"period": "2023-W07", "value": 160},
    ]
    assert payload["sparkline"] == "▁▂█"
    assert payload["unit"] == "万平方米"


def test_history_reads_a_hand_edited_file_the_same_way(data: Path) -> None:
    write_history_log(data)
    data_dir = DataDir(data, shipped=False)
    plan = load_plan_for_writing(data_dir)
    canonical = target_history(data_dir, plan, "lixia", "cbd_area_under_construction")
    path = data / "figures" / "lixia.yaml"
    path.write_text(
        HISTORY_LOG + "# cbd_area_under_construction: checked by hand\n"
        "- {target: fai_growth, period: 2023-01, value: 3}\n",
        encoding="utf-8",
    )
    assert target_history(data_dir, plan, "lixia", "cbd_area_under_construction") == canonical
    path.write_text(
        HISTORY_LOG + "- {target: cbd_area_under_construction, period: 2023-W08, value: 170}\n",
        encoding="utf-8",
    )
    fallback = target_history(data_dir, plan, "lixia", "cbd_area_under_construction")
    assert fallback.entries[:-1] == canonical.entries
    assert fallback.entries[-1].line == 7
    assert fallback.series[-1] == ("2023-W08", 170)


def test_history_of_a_target_without_figures(data: Path) -> None:
    result = run_cli("history", "lixia", "gdp_growth", "--data", str(data))
    assert result.exit_code == 0
    assert result.stdout == (
        "lixia gdp_growth 地区生产总值增长: rate, target 6 %, reported by quarter\n"
        "data/figures/lixia.yaml: 0 records\n"
        "no figures recorded for this target yet\n"
    )


def test_history_of_items(data: Path) -> None:
    assert (
        record(
            data,
            "lixia",
            "land_expropriation",
            "--item",
            "sansu_plot",
            "--done",
            "--date",
            "2023-05-01",
        ).exit_code
        == 0
    )
    assert (
        record(data, "lixia", "land_expropriation", "--item", "sansu_plot", "--not-done").exit_code
        == 0
    )
    payload = json.loads(
        run_cli("history", "lixia", "land_expropriation", "--data", str(data), "-f", "json").stdout
    )
    assert [(r["item"], r["done"], r["standing"]) for r in payload["records"]] == [
        ("sansu_plot", True, "superseded"),
        ("sansu_plot", False, "wins"),
    ]
    assert payload["sparkline"] == ""


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("lixia", "gdp"), 1, "tracker: lixia has no target 'gdp' (did you mean 'gdp_growth'?)\n"),
        (
            ("nowhere", "gdp_growth"),
            1,
            "tracker: the plan has no district 'nowhere'; the districts are: lixia (历下区), "
            "zhangqiu (章丘区)\n",
        ),
        (
            ("lixia", "gdp_growth", "--format", "xml"),
            2,
            "tracker: --format: 'xml' is not one of plain, json\n",
        ),
    ],
)
def test_history_refusals(data: Path, args: tuple[str, ...], code: int, message: str) -> None:
    result = run_cli("history", *args, "--data", str(data))
    assert result.exit_code == code
    assert result.stderr.startswith(message.rstrip("\n"))
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("values", "line"),
    [
        ([], ""),
        ([5.0], "▄"),
        ([3.0, 3.0], "▄▄"),
        ([0.0, 7.0], "▁█"),
        ([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], "▁▂▃▄▅▆▇█"),
        ([10.0, -4.0, 3.0], "█▁▅"),
    ],
)
def test_sparkline(values: list[float], line: str) -> None:
    assert sparkline(values) == line


def test_a_revision_of_a_record_without_unit_shows_the_targets_unit(data: Path) -> None:
    path = data / "figures" / "lixia.yaml"
    path.parent.mkdir()
    path.write_text(
        '- {"target": "gdp_growth", "period": "2023-Q1", "value": 5}\n', encoding="utf-8"
    )
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.2").stdout == (
        "revised lixia gdp_growth 2023-Q1: 5 % → 5.2 % (the earlier record stays) "
        "in data/figures/lixia.yaml\n"
    )
    assert record(data, "lixia", "gdp_growth", "2023-Q1", "5.2").stdout.startswith(
        "unchanged: lixia gdp_growth 2023-Q1 is already 5.2 % (recorded "
    )
