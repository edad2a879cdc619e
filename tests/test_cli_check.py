"""`tracker check` through the command line: exit codes, formats, and which files it reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import DataDirFactory, json_output, run_cli, write_data_dir
from liuxia_tracker.commands.dataset import seed_dir

CLEAN_FIGURES = '- {"target": "gdp", "period": "2023-Q1", "value": 5.1, "unit": "%"}\n'
BAD_FIGURES = (
    '- {"target": "gdp", "period": "2023-Q1", "value": 5.1, "unit": "%"}\n'
    '- {"target": "gdb", "period": "2023-Q1", "valu": 5.1}\n'
    '- {"target": "area", "period": "2023-W02", "value": -1}\n'
)
BAD_LINES = [
    "data/figures/east.yaml:2:42: unknown-key unknown key 'valu' (did you mean 'value'?)",
    "data/figures/east.yaml:3:53: negative-count area 2023-W02 is -1 万平方米; an amount or "
    "count cannot be negative",
]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return run_cli("check", *args, "--as-of", "2023-06-30", env=env)


def test_a_clean_data_directory_exits_0(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": CLEAN_FIGURES})
    result = run("data")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "no problems (2 files checked)\n",
        "",
    )


def test_problems_exit_1_and_are_all_printed(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": BAD_FIGURES, "west": ""})
    result = run("data")
    assert result.exit_code == 1
    assert result.stdout == "\n".join([*BAD_LINES, "2 problems in 1 file (3 checked)"]) + "\n"


def test_the_default_is_the_data_directory_here(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": BAD_FIGURES})
    result = run_cli("check", "--as-of", "2023-06-30")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == BAD_LINES


def test_tracker_data_and_the_data_option(workdir: Path) -> None:
    write_data_dir(workdir / "elsewhere", figures={"east": BAD_FIGURES})
    expected = [line.replace("data/", "elsewhere/", 1) for line in BAD_LINES]
    by_env = run_cli("check", "--as-of", "2023-06-30", env={"TRACKER_DATA": "elsewhere"})
    by_option = run("--data", "elsewhere")
    assert by_env.stdout.splitlines()[:2] == expected
    assert by_option.stdout.splitlines()[:2] == expected


def test_check_one_plan_file(workdir: Path) -> None:
    write_data_dir(
        workdir / "data", plan="year: 2023\ndistricts: []\nyaer: 1\n", figures={"east": BAD_FIGURES}
    )
    result = run("data/targets.yaml")
    assert result.exit_code == 1
    assert result.stdout == (
        "data/targets.yaml:3:1: unknown-key unknown key 'yaer' (did you mean 'year'?)\n"
        "1 problem in 1 file (1 checked)\n"
    )


def test_check_one_figure_file_against_the_plan_above_it(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": BAD_FIGURES, "west": "- [\n"})
    result = run("data/figures/east.yaml")
    assert result.exit_code == 1
    assert result.stdout == "\n".join([*BAD_LINES, "2 problems in 1 file (2 checked)"]) + "\n"


def test_a_figure_file_outside_a_data_directory_uses_the_data_option(workdir: Path) -> None:
    write_data_dir(workdir / "data")
    (workdir / "east.yaml").write_text(BAD_FIGURES, encoding="utf-8")
    result = run("east.yaml", "--data", "data")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        line.replace("data/figures/", "", 1) for line in BAD_LINES
    ]


def test_several_paths_and_repeats_are_checked_once(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": BAD_FIGURES})
    write_data_dir(workdir / "other", plan="year: 2023\ndistricts: [}\n")
    result = run("data", "data/figures/east.yaml", "./data/targets.yaml", "other")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        *BAD_LINES,
        "other/targets.yaml:2:13: yaml-syntax while parsing a flow node; expected the node "
        "content, but found '}'",
        "3 problems in 2 files (3 checked)",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere"], "tracker: nowhere: no such file or directory\n"),
        (["data", "nowhere.yaml"], "tracker: nowhere.yaml: no such file or directory\n"),
        (["empty"], "tracker: empty is not a data directory: it has no targets.yaml\n"),
        (
            ["data", "--format", "xml"],
            "tracker: --format: 'xml' is not one of auto, text, json, github, gitlab\n",
        ),
        (
            ["data", "--as-of", "2023-02-30"],
            "tracker: --as-of: not a date: '2023-02-30' (write YYYY-MM-DD)\n",
        ),
        (["--data", "empty"], "tracker: no plan found: empty/targets.yaml does not exist\n"),
    ],
)
def test_usage_errors_exit_2_with_one_line(workdir: Path, args: list[str], message: str) -> None:
    write_data_dir(workdir / "data", figures={"east": BAD_FIGURES})
    (workdir / "empty").mkdir()
    result = run_cli("check", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_json_format(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": BAD_FIGURES})
    result = run("data", "--format", "json")
    assert result.exit_code == 1
    assert json_output(result.stdout) == {  # UTF-8 text, not \\u escapes
        "files_checked": 2,
        "problems": [
            {
                "path": "data/figures/east.yaml",
                "line": 2,
                "column": 42,
                "code": "unknown-key",
                "severity": "error",
                "message": "unknown key 'valu' (did you mean 'value'?)",
            },
            {
                "path": "data/figures/east.yaml",
                "line": 3,
                "column": 53,
                "code": "negative-count",
                "severity": "error",
                "message": "area 2023-W02 is -1 万平方米; an amount or count cannot be negative",
            },
        ],
    }


def test_json_format_when_clean(workdir: Path) -> None:
    write_data_dir(workdir / "data")
    result = run("data", "-f", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (
        0,
        {"files_checked": 1, "problems": []},
    )


GITHUB_OUTPUT = (
    "::error file=data/figures/east.yaml,line=2,col=42,title=unknown-key::unknown key 'valu' "
    "(did you mean 'value'?)\n"
    "::error file=data/figures/east.yaml,line=3,col=53,title=negative-count::area 2023-W02 is -1 "
    "万平方米; an amount or count cannot be negative\n"
    "2 problems in 1 file (2 checked)\n"
)


def test_github_format(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": BAD_FIGURES})
    result = run("data", "--format", "github")
    assert (result.exit_code, result.stdout) == (1, GITHUB_OUTPUT)


def test_auto_picks_github_under_github_actions(workdir: Path) -> None:
    write_data_dir(workdir / "data", figures={"east": BAD_FIGURES})
    assert run("data", env={"GITHUB_ACTIONS": "true"}).stdout == GITHUB_OUTPUT
    assert run("data", "--format", "auto", env={"GITHUB_ACTIONS": "true"}).stdout == GITHUB_OUTPUT
    assert run("data", env={"GITHUB_ACTIONS": "false"}).stdout.splitlines()[:2] == BAD_LINES
    # An explicit format wins over the environment.
    assert (
        run("data", "-f", "text", env={"GITHUB_ACTIONS": "true"}).stdout.splitlines()[:2]
        == BAD_LINES
    )


def test_github_annotations_escape_what_the_syntax_reserves(workdir: Path) -> None:
    figures_dir = workdir / "a,b:c"
    write_data_dir(
        figures_dir, figures={"east": '- {"target": "nope%", "period": "2023", "value": 1}\n'}
    )
    result = run("a,b:c", "-f", "github")
    assert result.stdout.splitlines()[0] == (
        "::error file=a%2Cb%3Ac/figures/east.yaml,line=1,col=14,title=bad-value::target: 'nope%25' "
        "is not an id: use lower-case letters, digits, '_' and '-', starting with a letter"
    )


def test_the_seed_data_checks_clean(workdir: Path) -> None:
    result = run_cli("check", str(seed_dir()))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("no problems (")


def test_with_no_data_here_check_refuses_rather_than_check_the_seed(workdir: Path) -> None:
    # A CI job run from the wrong folder must fail, not pass green on the shipped seed data.
    result = run_cli("check")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "tracker: no data directory here (no --data, no $TRACKER_DATA, no ./data/targets.yaml); "
        "give --data DIR or the paths to check\n"
    )


def test_bad_bytes_never_give_a_traceback(workdir: Path) -> None:
    write_data_dir(
        workdir / "data",
        plan=b"\xef\xbb\xbfyear: 2023\ndistricts: []\n\xff\n",
        figures={"east": b"- " + b"[" * 100_000, "west": b"\x00\x01\x02"},
    )
    result = run("data")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout.splitlines() == [
        "data/figures/east.yaml:1:1: torn-line line 1 does not end with a newline (a write cut "
        "off?); run `tracker repair` before the next append",
        "data/figures/east.yaml:1:26: too-deep nesting deeper than 24 levels; a data file needs "
        "far fewer",
        "data/figures/west.yaml:1:1: bad-character character U+0000 is not allowed in a data "
        "file; delete it",
        "data/figures/west.yaml:1:1: torn-line line 1 does not end with a newline (a write cut "
        "off?); run `tracker repair` before the next append",
        "data/targets.yaml:3:1: not-utf8 byte 0xff is not UTF-8 (save the file as UTF-8)",
        "5 problems in 3 files (3 checked)",
    ]


def test_an_as_of_day_before_the_plan_year_is_a_usage_error(data_dir: DataDirFactory) -> None:
    root = data_dir()
    result = run_cli("check", str(root), "--as-of", "2022-12-31")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "tracker: --as-of 2022-12-31 is before the plan year 2023 (give a day in 2023 or later)\n"
    )
